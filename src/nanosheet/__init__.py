"""nanosheet: lecture notes and Nano Banana cheat-sheet prompts in, print-quality A4 cheat sheets out."""

import logging

__version__ = "0.1.0"

# Library policy (as WeasyPrint): recoverable problems are logged; only the CLI turns logging on.
logging.getLogger(__name__).addHandler(logging.NullHandler())
