"""Text on its way to a terminal: user text in, the same text with no control codes and no Rich markup out.

Titles, file names and notes come from files we do not trust. Printed raw, ``ESC [2J`` clears the screen,
``ESC ]8;;`` plants a hyperlink and ``ESC ]52;`` writes the clipboard; printed through Rich, ``[bold]`` or
``[/x]`` in a file name is read as markup (a MarkupError traceback, or text silently lost). Every piece of
user text goes through ``for_terminal`` (plain writes) or ``safe_text`` (Rich with markup on).
"""

from __future__ import annotations

import json
import re
from typing import Any

from rich.markup import escape

# ECMA-48: string controls (OSC, DCS, SOS, PM, APC) run to BEL or ST; CSI has parameters, intermediates and
# a final byte; other escapes are ESC, intermediates, final. The 8-bit C1 forms (U+009B CSI …) likewise.
_ESCAPES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)
# What is left: C0 except tab and newline, DEL, C1 (a lone ESC, an unterminated OSC's introducer, CR, BEL …).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """``text`` without escape sequences or control characters (tab and newline kept)."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def safe_text(text: object) -> str:
    """``str(text)`` made safe to embed in a Rich markup string: controls stripped, ``[`` escaped."""
    return escape(for_terminal(str(text)))


def json_for_terminal(data: Any) -> str:
    """``data`` as indented JSON with every control character escaped (the parsed values are unchanged).

    ``json.dumps`` escapes C0 but writes DEL and C1 (U+0080–U+009F, where U+009B is a CSI) as they are.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
