"""The studio: a folder of prompts in, a local web app out — an editor beside a live preview drawn by ``render``.

``engine`` is the one seam to the pipeline; ``workspace`` keeps file access inside the opened folder;
``guard`` is the HTTP security layer; ``exports`` owns the one warm browser; ``app`` wires the routes.
"""

from __future__ import annotations
