"""Text in, terminal cells out: the one display-width measure every wireframe reader and writer uses.

Width is counted per grapheme cluster (``wcwidth.width``), not per code point: ``❤️`` (heart + VS16),
``👨‍👩‍👧`` (ZWJ), ``1️⃣`` (keycap) and ``🇰🇷`` (flag) each take 2 cells, Hangul 2, combining marks 0.
Summing ``wcwidth`` per code point got 1, 6, 1 and 2 for the first three, so boxes around them closed a
cell early or four late. A tab counts ``TAB`` cells wherever it stands (prompts drift anyway; tab stops
would make a cell's width depend on where the line starts); other control characters count 0.
"""

from __future__ import annotations

from collections.abc import Iterator

import wcwidth

TAB = 4


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes, grapheme by grapheme."""
    if text.isascii() and text.isprintable():
        return len(text)  # the common case, and ``width`` would agree
    return int(wcwidth.width(text, control_codes="ignore")) + TAB * text.count("\t")


def graphemes(text: str) -> Iterator[tuple[int, int, str]]:
    """(character index, display column, cluster) for each grapheme cluster of ``text``, in order."""
    index = column = 0
    for cluster in wcwidth.iter_graphemes(text):
        yield index, column, cluster
        index += len(cluster)
        column += display_width(cluster)


def char_columns(text: str) -> list[int]:
    """The display column of every character: the characters of one cluster share its first column."""
    out: list[int] = []
    for _, column, cluster in graphemes(text):
        out.extend([column] * len(cluster))
    return out


def index_at_column(text: str, column: int) -> int | None:
    """Index of the first character of the cluster covering ``column`` (a zero-width cluster covers the
    cell it sits on), or None past the end."""
    for index, start, cluster in graphemes(text):
        if start <= column < start + max(display_width(cluster), 1):
            return index
        if start > column:
            return None
    return None
