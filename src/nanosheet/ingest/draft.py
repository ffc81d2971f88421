"""The text being repaired, as lines with holes: where each damaged character sits and what it may be.

The choosers (``choose_symbol``, ``choose_hangul``) read neighbours from here and write their pick back,
so a later decision sees the earlier ones (``═══`` runs, emoji + variation selector pairs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nanosheet.textwidth import display_width, index_at_column

HOLE = "\ufffd"


@dataclass
class Gap:
    """One character that lost continuation bytes."""

    line: int
    """0-based line in the draft."""
    col: int
    """0-based character index in that line."""
    candidates: tuple[str, ...]
    ranked: list[str] = field(default_factory=list)
    """Candidates best first, once a chooser has decided."""
    tied: bool = False
    """True when nothing in the document preferred the pick over the runner-up (e.g. 🎯 vs 🍯)."""

    @property
    def chosen(self) -> str:
        return self.ranked[0] if self.ranked else HOLE


class Draft:
    """Lines of the repaired text, gaps filled with U+FFFD until a chooser picks a character."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self._mutable: dict[int, list[str]] = {}
        self.attested = Counter(c for c in text if ord(c) > 0x7F and c != HOLE)
        """Characters present intact; evidence of what the document's author uses."""
        self.wide: set[tuple[int, int]] = set()
        """(line, col) of holes whose every candidate takes two cells (a damaged Hangul syllable):
        until filled they are measured two wide, so columns to their right stay where they were."""

    def line(self, index: int) -> str:
        if index in self._mutable:
            return "".join(self._mutable[index])
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def char(self, line: int, col: int) -> str | None:
        if not 0 <= line < len(self.lines):
            return None
        chars = self._mutable.get(line)
        text = chars if chars is not None else self.lines[line]
        return text[col] if 0 <= col < len(text) else None

    def put(self, gap: Gap, char: str) -> None:
        chars = self._mutable.setdefault(gap.line, list(self.lines[gap.line]))
        chars[gap.col] = char

    def text(self) -> str:
        return "\n".join(self.line(i) for i in range(len(self.lines)))

    def column_of(self, line: int, col: int) -> int:
        """Display column (terminal cells) where character ``col`` of ``line`` starts."""
        return display_width(self._measured(line)[:col])

    def char_at_column(self, line: int, column: int) -> str | None:
        """The character covering display column ``column`` of ``line``, if any."""
        text = self.line(line)
        index = index_at_column(self._measured(line), column)
        return None if index is None else text[index]

    def arrived(self, line: int) -> str:
        """The line as it arrived (every damaged character still a hole), measured like ``_measured``."""
        return self._measured(line, self.lines[line] if 0 <= line < len(self.lines) else "")

    def _measured(self, line: int, text: str | None = None) -> str:
        """The line with each unfilled wide hole standing in as a two-cell space (same length)."""
        text = self.line(line) if text is None else text
        if not self.wide or HOLE not in text:
            return text
        return "".join(_WIDE_STAND_IN if c == HOLE and (line, i) in self.wide else c for i, c in enumerate(text))


_WIDE_STAND_IN = "\u3000"
"""IDEOGRAPHIC SPACE: one character, two cells."""
