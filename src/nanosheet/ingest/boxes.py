"""Lines of an ASCII box drawing in, a tree of boxes out (borders matched by token order, not by column).

Shared by the wireframe parser (the page frame, its rows and panels) and the diagram parser (boxes
nested inside a panel or a content section). Each line is cut into border tokens (``│``, ``┌──┐``,
``└──┘``, ``├──┤``) and text runs. The boxes open on a line expect their borders in bracket order
(``frame( left( ) right( ) )``); a small alignment picks which ``│`` tokens are those borders. Columns
are only a tie-breaker when a line has more ``│`` than open borders (a mini-table or a connector
inside a panel), because real prompts drift −4..+6 cells from the frame on almost every line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from nanosheet.model import Diagnostic
from nanosheet.textwidth import char_columns, display_width

VERTICAL = "│┃║"
_HORIZONTAL = "─━═┬┴┼"
_TOP_L, _TOP_R = "┌╭┏", "┐╮┓"
_BOT_L, _BOT_R = "└╰┗", "┘╯┛"
_SEP_L, _SEP_R = "├┣", "┤┫"
RULE_CHARS = _HORIZONTAL + _TOP_L + _TOP_R + _BOT_L + _BOT_R + _SEP_L + _SEP_R
CORNERS = _TOP_L + _TOP_R + _BOT_L + _BOT_R + _SEP_L + _SEP_R
BOX_CHARS = VERTICAL + RULE_CHARS

TokenKind = Literal["v", "top", "bottom", "sep", "rule", "text"]

# Alignment costs. A missing border must always cost more than any amount of drift, so a line
# whose border count matches its open boxes is matched in order no matter how far it drifted.
_MISS = 1000
_FORCE_CLOSE = 500
_ORPHAN = 50
_BAR = 2
_DRIFT_CAP = 30
_WIDTH = 4
_DP_LIMIT = 4_000
_MAX_DEPTH = 24
_MAX_WARNINGS = 20


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    start: int
    """Character offsets into the line."""
    end: int
    x: int
    """Display column of the first character (soft: real lines drift)."""


@dataclass
class Piece:
    """A run of a box's own text on one line (children and borders excluded)."""

    text: str
    x: int
    start: int


@dataclass
class Box:
    top: int
    """0-based index of the line holding ``┌``; -1 for the root that stands for the whole drawing."""
    x0: int
    x1: int
    """Display columns of the two top corners, as drawn on the top line."""
    parent: Box | None = None
    bottom: int | None = None
    children: list[Box] = field(default_factory=list)
    seps: list[int] = field(default_factory=list)
    """Lines where an internal ``├──┤`` splits the box."""
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    """line -> (start, end) character offsets of the content between this box's borders."""
    items: dict[int, list[Piece | Box]] = field(default_factory=dict)
    """line -> own text pieces and child boxes, in the order they appear on that line."""
    top_joins: list[int] = field(default_factory=list)
    bottom_joins: list[int] = field(default_factory=list)
    """Display columns of ``┬``/``┴``/``┼`` on the top and bottom borders (connector attach points)."""
    missing: int = 0
    """Lines on which a border of this box could not be found."""
    depth: int = 0
    """0 for the root, 1 for a top-level box (the frame), and so on."""
    origin: dict[int, int] = field(default_factory=dict)
    """line -> display column just inside the left border; geometry inside the box is measured from
    here, so a drifted left border does not move what is drawn inside it."""

    def local(self, line: int, x: int) -> int:
        return x - self.origin.get(line, 0)

    def own_lines(self) -> list[tuple[int, str]]:
        """(line, own text) for every line inside the box, children blanked out."""
        out: list[tuple[int, str]] = []
        for line in sorted(self.items):
            out.append((line, "  ".join(p.text.strip() for p in self.items[line]
                                        if isinstance(p, Piece) and p.text.strip())))
        return out

    def pieces(self, line: int) -> list[Piece]:
        return [p for p in self.items.get(line, []) if isinstance(p, Piece)]


def tokenize(line: str) -> list[Token]:
    """Cut a line into ``│`` tokens, border runs (classified by their end corners) and text runs."""
    tokens: list[Token] = []
    i, x = 0, 0
    while i < len(line):
        ch = line[i]
        if ch in VERTICAL:
            j, kind = i + 1, "v"
        elif ch in RULE_CHARS:
            j = i + 1
            # A right corner followed by a left corner starts a new box on the same line (┐┌, ┘└).
            while j < len(line) and line[j] in RULE_CHARS and not (
                line[j - 1] in _TOP_R + _BOT_R + _SEP_R and line[j] in _TOP_L + _BOT_L + _SEP_L
            ):
                j += 1
            kind = _rule_kind(line[i:j])
        else:
            j = i + 1
            while j < len(line) and line[j] not in BOX_CHARS:
                j += 1
            kind = "text"
        tokens.append(Token(kind, line[i:j], i, j, x))  # type: ignore[arg-type]
        x += display_width(line[i:j])
        i = j
    return tokens


def _rule_kind(run: str) -> TokenKind:
    first, last = run[0], run[-1]
    if len(run) >= 2 and first in _TOP_L and last in _TOP_R:
        return "top"
    if len(run) >= 2 and first in _BOT_L and last in _BOT_R:
        return "bottom"
    if len(run) >= 2 and first in _SEP_L and last in _SEP_R:
        return "sep"
    return "rule"


def _joins(token: Token, chars: str) -> list[int]:
    return [token.x + x for ch, x in zip(token.text, char_columns(token.text), strict=True) if ch in chars]


@dataclass(frozen=True)
class _Event:
    box: Box
    side: Literal["L", "R"]


class BoxTracker:
    """Feed lines one by one; keeps the open boxes and fills each box's spans, items and children."""

    def __init__(self, first_line: int = 1, file: str | None = None) -> None:
        self.root = Box(top=-1, x0=-1, x1=10**6)
        self.diagnostics: list[Diagnostic] = []
        self._first_line = first_line
        self._file = file
        self._last = -1

    @property
    def open_boxes(self) -> list[Box]:
        out: list[Box] = []

        def walk(box: Box) -> None:
            for child in box.children:
                if child.bottom is None:
                    out.append(child)
                    walk(child)

        walk(self.root)
        return out

    def feed(self, index: int, line: str) -> None:
        """Match line ``index`` (0-based within the drawing) against the open boxes."""
        self._last = index
        tokens = tokenize(line)
        events = self._events(self.root)
        plan = _align(events, tokens)
        self._apply(index, line, tokens, plan)

    def finish(self) -> None:
        """Close whatever is still open at the last line fed, with a warning for each box."""
        for box in self.open_boxes:
            box.bottom = self._last + 1  # just past the last line, so that line still counts as inside
            self._warn("unterminated-box", "box opened here has no closing └──┘; closed at the end "
                       "of the drawing", box.top, box.x0)

    def _events(self, box: Box) -> list[_Event]:
        out: list[_Event] = []
        for child in sorted((c for c in box.children if c.bottom is None), key=lambda c: (c.x0, c.top)):
            out.append(_Event(child, "L"))
            out.extend(self._events(child))
            out.append(_Event(child, "R"))
        return out

    def _apply(self, index: int, line: str, tokens: list[Token], plan: list[tuple[str, Box | None]]) -> None:
        stack = [self.root]
        self.root.spans[index] = (0, len(line))
        t = 0
        for act, box in plan:
            here = stack[-1]
            if act == "miss" and box is not None:
                # No token for this border: the box's text starts/stops where the next token begins.
                at = tokens[t].start if t < len(tokens) else len(line)
                box.missing += 1
                self._warn("missing-border", "a │ border of the box is missing on this line; "
                           "its text runs to the next border", index, tokens[t].x if t < len(tokens) else 0)
                if box not in stack:
                    here.items.setdefault(index, []).append(box)
                    box.spans[index] = (at, len(line))
                    box.origin[index] = tokens[t].x if t < len(tokens) else 0
                    box.items.setdefault(index, [])
                    stack.append(box)
                else:
                    box.spans[index] = (box.spans[index][0], at)
                    while len(stack) > 1 and stack.pop() is not box:
                        pass
                continue
            tok = tokens[t]
            t += 1
            if act == "L" and box is not None:
                here.items.setdefault(index, []).append(box)
                box.spans[index] = (tok.end, len(line))
                box.origin[index] = tok.x + display_width(tok.text)
                box.items.setdefault(index, [])
                stack.append(box)
            elif act == "R" and box is not None:
                box.spans[index] = (box.spans[index][0], tok.start)
                while len(stack) > 1 and stack.pop() is not box:
                    pass
            elif act in ("close", "sep", "force") and box is not None:
                here.items.setdefault(index, []).append(box)
                if act == "sep":
                    box.seps.append(index)
                else:
                    self._close(box, index, tok, forced=act == "force")
            elif act == "open" and here.depth >= _MAX_DEPTH:
                self._warn("too-deep", f"boxes nest deeper than {_MAX_DEPTH}; this one is kept as text",
                           index, tok.x)
                self._add_text(here, index, tok)
            elif act == "open":
                child = Box(top=index, x0=tok.x, x1=tok.x + display_width(tok.text) - 1, parent=here,
                            top_joins=_joins(tok, "┬┴┼"), depth=here.depth + 1)
                here.children.append(child)
                here.items.setdefault(index, []).append(child)
            else:
                if act == "orphan":
                    self._warn("orphan-corner", f"border {tok.text[:1]!r} matches no open box; "
                               "kept as text", index, tok.x)
                self._add_text(here, index, tok)

    def _close(self, box: Box, index: int, tok: Token, *, forced: bool) -> None:
        box.bottom = index
        box.bottom_joins = _joins(tok, "┬┴┼")
        if forced:
            for sub in _descendants(box):
                if sub.bottom is None:
                    sub.bottom = index
                    self._warn("unterminated-box", "box has no closing └──┘ before its parent closes; "
                               "closed with the parent", sub.top, sub.x0)

    def _add_text(self, box: Box, index: int, tok: Token) -> None:
        items = box.items.setdefault(index, [])
        last = items[-1] if items else None
        if isinstance(last, Piece) and last.start + len(last.text) == tok.start:
            last.text += tok.text
        else:
            items.append(Piece(tok.text, tok.x, tok.start))

    def _warn(self, code: str, message: str, index: int, x: int) -> None:
        # A badly broken drawing repeats the same problem on every line; twenty of a kind say enough.
        seen = sum(d.code == code for d in self.diagnostics)
        if seen > _MAX_WARNINGS:
            return
        if seen == _MAX_WARNINGS:
            message = f"more {code} problems follow; only the first {_MAX_WARNINGS} are listed"
        self.diagnostics.append(Diagnostic(code=code, message=message, file=self._file,
                                           line=self._first_line + index, col=x + 1))


def _descendants(box: Box) -> list[Box]:
    out: list[Box] = []
    for child in box.children:
        out.append(child)
        out.extend(_descendants(child))
    return out


def _align(events: list[_Event], tokens: list[Token]) -> list[tuple[str, Box | None]]:
    """Cheapest order-preserving match of border events to tokens (a small edit-distance DP)."""
    n, m = len(tokens), len(events)
    # Most lines have exactly one │ per open border and nothing closing: the order decides alone.
    simple = all(t.kind in ("v", "text", "rule", "top") for t in tokens)
    if (simple and sum(t.kind == "v" for t in tokens) == m) or (n + 1) * (m + 1) > _DP_LIMIT:
        return _align_in_order(events, tokens)
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(m + 1)]
    # Drift is measured against the previous matched border on the same path: text left of a border
    # shifts everything after it, so what matters is how much *more* a border drifted than the last.
    shift = [[0] * (n + 1) for _ in range(m + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    cost[0][0] = 0
    closing_end = _closing_ends(events)
    for e in range(m + 1):
        for t in range(n + 1):
            here = cost[e][t]
            if here == inf:
                continue
            carried = shift[e][t]

            def relax(e2: int, t2: int, c: float, act: str, moved: int,
                      e: int = e, t: int = t, here: float = here) -> None:
                if here + c < cost[e2][t2]:
                    cost[e2][t2] = here + c
                    shift[e2][t2] = moved
                    back[e2][t2] = (e, t, act)

            if t < n:
                relax(e, t + 1, *_content_cost(tokens[t]), carried)
            if e < m:
                relax(e + 1, t, _MISS, "miss", carried)
            if e < m and t < n:
                ev, tok = events[e], tokens[t]
                moved = tok.x - (ev.box.x0 if ev.side == "L" else ev.box.x1)
                drift = min(abs(moved - carried), _DRIFT_CAP)
                if tok.kind == "v":
                    relax(e + 1, t + 1, drift, ev.side, moved)
                elif ev.side == "L" and tok.kind in ("bottom", "sep"):
                    # Every bottom border in the corpus is as wide as its top: a strong, drift-free cue.
                    drift += min(_WIDTH * abs(display_width(tok.text) - (ev.box.x1 - ev.box.x0 + 1)), _MISS // 5)
                    pair_closes = e + 1 < m and events[e + 1].box is ev.box
                    if pair_closes:
                        relax(e + 2, t + 1, drift, "close" if tok.kind == "bottom" else "sep", moved)
                    elif tok.kind == "bottom":
                        relax(closing_end[e], t + 1, _FORCE_CLOSE + drift, "force", moved)
    plan: list[tuple[str, Box | None]] = []
    e, t = m, n
    while e or t:
        step = back[e][t]
        assert step is not None
        pe, pt, act = step
        if act in ("text", "orphan", "open", "bar"):
            plan.append(("open" if act == "open" else ("orphan" if act == "orphan" else "text"), None))
        elif act == "miss":
            plan.append(("miss", events[pe].box))
        else:
            plan.append((act, events[pe].box))
        e, t = pe, pt
    plan.reverse()
    return plan


def _align_in_order(events: list[_Event], tokens: list[Token]) -> list[tuple[str, Box | None]]:
    """Borders taken in order, for lines too simple or too busy for the DP. With ``k`` surplus
    ``│`` on the line, each border may skip at most the ``k`` still unspent; it takes the one
    nearest its column among those."""
    bars = [k for k, t in enumerate(tokens) if t.kind == "v"]
    surplus = max(len(bars) - len(events), 0)
    chosen: dict[int, _Event] = {}
    at = 0
    for ev in events:
        if at >= len(bars):
            break
        expected = ev.box.x0 if ev.side == "L" else ev.box.x1
        best = min(range(at, min(at + surplus + 1, len(bars))), key=lambda j: abs(tokens[bars[j]].x - expected))
        surplus -= best - at
        at = best + 1
        chosen[bars[best]] = ev
    plan: list[tuple[str, Box | None]] = []
    for k, tok in enumerate(tokens):
        if k in chosen:
            plan.append((chosen[k].side, chosen[k].box))
        elif tok.kind == "top":
            plan.append(("open", None))
        else:
            plan.append(("orphan" if tok.kind in ("bottom", "sep") else "text", None))
    plan.extend(("miss", ev.box) for ev in events[len(chosen):])
    return plan


def _closing_ends(events: list[_Event]) -> list[int]:
    """For each L event, the index just past its matching R event."""
    ends = [0] * len(events)
    for i, ev in enumerate(events):
        if ev.side == "L":
            j = next(k for k in range(i + 1, len(events)) if events[k].box is ev.box)
            ends[i] = j + 1
    return ends


def _content_cost(tok: Token) -> tuple[float, str]:
    if tok.kind == "top":
        return 0, "open"
    if tok.kind in ("bottom", "sep"):
        return _ORPHAN, "orphan"
    if tok.kind == "v":
        return _BAR, "bar"
    return 0, "text"
