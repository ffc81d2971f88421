"""A flow box's label and inner lines in, the lines it is drawn with out (shared by compose and render).

Compose reads a step's name from its first display line (to pick its icon); render draws every line.
"""

from __future__ import annotations

import re

_STEP_MARK = re.compile(r"^(?:(?:step|단계)\s*)?(?:\d{1,2}|[a-zA-Z])[.):]?$|^[\u2460-\u2473\u2776-\u277f]$",
                        re.IGNORECASE)
"""A label that only numbers its box (``1.``, ``Step 2``, ``③``): it leads the box's first line instead."""
_LATIN_LINE = re.compile(r"^[A-Za-z(][A-Za-z0-9 ,'&/()+-]*$")


def label_lines(label: str, lines: list[str]) -> list[str]:
    """A box's text as display lines: a bare step number joins the first line, and an English phrase
    the ASCII box wrapped over several lines (``Uncertainty`` / ``Estimation``) is one line again."""
    # A label may carry its own line breaks (mermaid's ``<br>``, read as newlines): each is a display line.
    parts = [t.strip() for t in [*label.split("\n"), *lines] if t.strip()]
    if len(parts) > 1 and _STEP_MARK.match(parts[0]):
        parts = [f"{parts[0]} {parts[1]}", *parts[2:]]
    out: list[str] = []
    for part in parts:
        if out and out[-1].endswith("-") and part[:1].isalpha() and len(out) == 1 and _LATIN_LINE.match(part):
            out[-1] = f"{out[-1]}{part}"  # ``Chain-of-`` / ``Thought``: a hyphenated word broken at the box edge
        elif out and _LATIN_LINE.match(part) and _LATIN_LINE.match(out[-1].split(" ", 1)[-1]) and len(out) == 1:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out
