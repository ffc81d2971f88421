"""An independent display-width measure for tests: Unicode's East Asian Width plus the emoji-sequence rules,
written out here so that a test of ``nanosheet.textwidth`` does not measure with the function it tests."""

from __future__ import annotations

import unicodedata

ZWJ, VS16, KEYCAP = "\u200d", "\ufe0f", "\u20e3"


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _extends(ch: str) -> bool:
    """Characters that never start a cell of their own: marks, the keycap, skin tones, VS15/VS16."""
    return (unicodedata.category(ch) in ("Mn", "Me") or ch in (KEYCAP, "\ufe0e", VS16)
            or 0x1F3FB <= ord(ch) <= 0x1F3FF)


def reference_width(text: str) -> int:
    """Cells of ``text``: W/F characters 2, others 1; a flag pair, a ZWJ sequence, a keycap or a base
    followed by VS16 is one emoji of 2 cells; marks add nothing; a tab is 4 cells."""
    total, i = 0, 0
    while i < len(text):
        base, j = text[i], i + 1
        if _regional(base) and j < len(text) and _regional(text[j]):
            total, i = total + 2, j + 1
            continue
        wide = unicodedata.east_asian_width(base) in ("W", "F")
        while j < len(text):
            if text[j] == ZWJ and j + 1 < len(text):
                wide, j = True, j + 2
            elif _extends(text[j]):
                wide = wide or text[j] == VS16
                j += 1
            else:
                break
        if base == "\t":
            total += 4
        elif unicodedata.category(base) in ("Mn", "Me", "Cc", "Cf"):
            total += 0
        else:
            total += 2 if wide else 1
        i = j
    return total
