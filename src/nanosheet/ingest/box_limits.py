"""Lines of a box drawing in, the same lines with the borders of impossible boxes blanked out (and why).

A page holds about a dozen panels across and a few levels of boxes inside boxes. Drawings far past
that (200 panels in one row, boxes nested 100 deep) cost the matcher in ``boxes`` seconds per line,
trip its false "no closing" warnings and render pages nobody can read. Before the matcher runs, the
borders of boxes nested deeper than ``max_depth``, and of panels past the ``max_across``-th in one row,
are replaced by spaces: their words stay where they were, as text lines of the box around them (a
too-deep nest is flattened whole, from the box inside the panel down).
Ordinary drawings are not even tokenized here (a character count rules them out).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from nanosheet.ingest.boxes import VERTICAL, Token, tokenize

MAX_DEPTH = 8
"""Frame, panel and six levels of diagram: the deepest real prompt nests four."""
MAX_ACROSS = 12
"""Panels side by side in one row: at 12 an A4 portrait panel is still 15 mm wide."""

_TOP_LEFT = "┌╭┏"
_REACH = 3
"""Columns a border may drift from its top corner and still be taken for that box's border."""


@dataclass(eq=False)  # identity: boxes are compared and hashed as the objects they are
class _Outline:
    top: int
    x0: int
    x1: int
    depth: int
    parent: _Outline | None
    across: int
    """0-based position among the boxes with the same parent opened on the same line."""
    bottom: int | None = None
    flat: bool = False


def simplify_drawing(lines: list[str], *, max_depth: int = MAX_DEPTH, max_across: int | None = MAX_ACROSS,
                     nest_from: int = 3) -> tuple[list[str], list[tuple[int, str]]]:
    """``lines`` with too-deep or too-many-across boxes turned into text, and (line index, what was done).

    A nest deeper than ``max_depth`` is read as text from its box at depth ``nest_from`` down (3: the
    boxes inside a wireframe's panel; 1: a whole diagram); panels (depth <= 2) past ``max_across`` in
    one row are read as text in the frame. ``max_across=None`` leaves rows alone (a flow may be long).
    """
    if not _may_exceed(lines, max_depth, max_across):
        return lines, []
    tokens = [tokenize(line) for line in lines]
    boxes = _outline(tokens)
    notes = _mark(boxes, max_depth, max_across, nest_from)
    if not notes:
        return lines, []
    return _blank(lines, tokens, [b for b in boxes if b.flat]), notes


def _may_exceed(lines: list[str], max_depth: int, max_across: int | None) -> bool:
    """A box at depth d has 2(d-1) borders on its top line; a row of n panels has n top corners."""
    for line in lines:
        corners = sum(line.count(c) for c in _TOP_LEFT)
        if sum(line.count(c) for c in VERTICAL) + corners > 2 * max_depth:
            return True
        if max_across is not None and corners > max_across:
            return True
    return False


def _outline(tokens: list[list[Token]]) -> list[_Outline]:
    """Every box by its corners alone: the parent is the innermost open box around the top corner."""
    boxes: list[_Outline] = []
    open_: list[_Outline] = []
    for ln, line in enumerate(tokens):
        for tok in line:
            if tok.kind == "top":
                parent = max((b for b in open_ if b.x0 < tok.x <= b.x1), key=lambda b: b.depth, default=None)
                across = sum(1 for b in open_ if b.parent is parent and b.top == ln)
                box = _Outline(ln, tok.x, tok.x + len(tok.text) - 1, parent.depth + 1 if parent else 1, parent,
                               across)
                boxes.append(box)
                open_.append(box)
            elif tok.kind == "bottom" and open_:
                width = len(tok.text)
                box = min(open_, key=lambda b: abs(b.x0 - tok.x) + abs(b.x1 - b.x0 + 1 - width))
                if abs(box.x0 - tok.x) <= 2 * _REACH:
                    box.bottom = ln
                    open_.remove(box)
    return boxes


def _mark(boxes: list[_Outline], max_depth: int, max_across: int | None,
          nest_from: int) -> list[tuple[int, str]]:
    notes: list[tuple[int, str]] = []
    chosen: set[_Outline] = set()
    deep = [b for b in boxes if b.depth > max_depth]
    if deep:
        # The whole nest goes, not only its levels past the limit: one box holding a hundred levels of
        # text would still be a diagram no page can hold (and a costly one to draw).
        nests = {_ancestor(b, nest_from) for b in deep}
        chosen |= nests
        deepest = max(b.depth for b in boxes)
        notes.append((min(b.top for b in nests), f"boxes nest {deepest} deep (at most {max_depth} are read "
                                                 f"as boxes); {len(nests)} such drawing(s) read as text lines"))
    wide = [b for b in boxes if max_across is not None and b.depth <= 2 and b.across >= max_across]
    if wide and max_across is not None:
        chosen |= set(wide)
        most = max(b.across for b in wide) + 1
        notes.append((min(b.top for b in wide), f"{most} panels side by side; from the {max_across + 1}th on "
                                                f"they are read as text (at most {max_across} fit across a page)"))
    for box in boxes:  # parents come before children, so a flattened parent is already marked
        box.flat = box in chosen or (box.parent is not None and box.parent.flat)
    return notes


def _ancestor(box: _Outline, depth: int) -> _Outline:
    """``box``'s ancestor at ``depth`` (``box`` itself when it is not deeper)."""
    while box.depth > depth and box.parent is not None:
        box = box.parent
    return box


def _blank(lines: list[str], tokens: list[list[Token]], flat: list[_Outline]) -> list[str]:
    """Replace the flattened boxes' corners, rules and ``│`` borders by spaces (same width, same columns)."""
    cut: list[set[int]] = [set() for _ in lines]
    bars = [[t for t in line if t.kind == "v"] for line in tokens]
    bar_x = [[t.x for t in line] for line in bars]
    for box in flat:
        last = box.bottom if box.bottom is not None else len(lines) - 1
        for ln in range(box.top, last + 1):
            if ln in (box.top, box.bottom):
                kind = "top" if ln == box.top else "bottom"
                edge = [t for t in tokens[ln] if t.kind == kind and abs(t.x - box.x0) <= 2 * _REACH]
                for tok in edge[:1]:
                    cut[ln].update(range(tok.start, tok.end))
                continue
            for x in (box.x0, box.x1):
                bar = _nearest_bar(bars[ln], bar_x[ln], x, cut[ln])
                if bar is not None:
                    cut[ln].update(range(bar.start, bar.end))
    return ["".join(" " if i in cut[ln] else ch for i, ch in enumerate(line)) if cut[ln] else line
            for ln, line in enumerate(lines)]


def _nearest_bar(bars: list[Token], xs: list[int], x: int, taken: set[int]) -> Token | None:
    at = bisect.bisect_left(xs, x)
    near = [bars[k] for k in (at - 1, at, at + 1) if 0 <= k < len(bars) and bars[k].start not in taken]
    best = min(near, key=lambda t: abs(t.x - x), default=None)
    if best is None or abs(best.x - x) > _REACH:
        return None
    return best
