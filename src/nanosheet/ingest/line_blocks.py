"""Read plain-text notations line by line: arrow chains and flows, ``[표: …]`` placeholders, ✓/✗/□ marks.

Markdown has no syntax for these, so they arrive as paragraph lines (or wireframe lines). Each function
takes the text as written and returns a typed block, or None when the text is not that notation.
Flow lines keep their columns: a ``↓`` under a step links it to the step below at that column.
"""

from __future__ import annotations

import re
from typing import Literal

from nanosheet.model import ChainBlock, FlowBlock, GraphEdge, GraphNode, PlaceholderBlock
from nanosheet.textwidth import display_width

Mark = Literal["bullet", "number", "check", "cross", "box", "box-checked"]

# No `\s*` around the arrows: searching with it is quadratic on long runs of spaces. Callers strip.
ARROW_RE = re.compile(r"→|⟶|➔|➜|->")
_BACK_RE = re.compile(r"←|⟵|<-")
_ANY_ARROW_RE = re.compile(r"(→|⟶|➔|➜|->|←|⟵|<-)")
_DOWN_CHARS = set("↓⬇▼│|")
_FLOW_LABEL_RE = re.compile(
    r"^\s*(?:\*\*)?(?:flow ?chart|flow|플로우차트|흐름도|흐름|순서도)\s*(?::\s*\*\*|\*\*\s*:|:)\s*", re.IGNORECASE
)
_MARKS: dict[str, Mark] = {
    "✓": "check", "✔": "check", "✅": "check", "☑": "box-checked",
    "✗": "cross", "✘": "cross", "❌": "cross", "❎": "cross",
    "□": "box", "☐": "box", "⬜": "box",
}
_BULLET_CHARS = "•◦▪‣·"
_MAX_STEP_COLS = 48
"""A chain step wider than this is prose that happens to contain an arrow, not a step."""


def width(text: str) -> int:
    """Display columns (Hangul and emoji take two, per grapheme): ``textwidth.display_width``."""
    return display_width(text)


def split_mark(text: str) -> tuple[Mark, str] | None:
    """``✓ done`` → ("check", "done"); ``• x`` → ("bullet", "x"); None for unmarked text."""
    stripped = text.lstrip()
    if not stripped:
        return None
    head = stripped[0]
    rest = stripped[1:].lstrip("\ufe0f").strip()
    if head in _MARKS and rest:
        return _MARKS[head], rest
    if head in _BULLET_CHARS and rest:
        return "bullet", rest
    return None


def parse_placeholder(text: str, line: int | None = None) -> PlaceholderBlock | None:
    """A line that is only ``[표: a, b]`` or ``[순환 다이어그램]`` (checkboxes like ``[ ]`` are not)."""
    match = re.fullmatch(r"\s*\[([^\[\]]+)\]\s*", text)
    if not match or match.group(1).strip().lower() in ("", "x"):
        return None
    inner = match.group(1).strip()
    kind, sep, rest = inner.partition(":")
    if sep and kind.strip():
        return PlaceholderBlock(line=line, kind=kind.strip(), text=rest.strip())
    return PlaceholderBlock(line=line, kind=inner)


def split_chain(text: str) -> list[str] | None:
    """``a → b → c`` → [a, b, c]; None unless every step is present and short."""
    if not ARROW_RE.search(text):
        return None
    steps = [s.strip() for s in ARROW_RE.split(text.strip())]
    if len(steps) < 2 or any(not s or width(s) > _MAX_STEP_COLS for s in steps):
        return None
    return steps


def parse_chain(text: str, line: int | None = None) -> ChainBlock | FlowBlock | None:
    """One arrow line: ``[문제] → [추론]`` (all steps bracketed) is a flow chain, else a ChainBlock."""
    steps = split_chain(text)
    if steps is None:
        return None
    if all(re.fullmatch(r"\[[^\[\]]+\]", s) for s in steps):
        return parse_flow_text([text], line, notation="chain")
    return ChainBlock(line=line, steps=steps)


def is_flow_label(text: str) -> bool:
    """``Flowchart:``, ``**플로우차트:**`` … at the start of a line."""
    return bool(_FLOW_LABEL_RE.match(text))


def is_down_line(text: str) -> bool:
    """A line holding only vertical arrows (and bars), linking the row above to the row below."""
    stripped = text.strip()
    return bool(stripped) and set(stripped) <= _DOWN_CHARS | {" "} and bool(set(stripped) & set("↓⬇▼"))


def continues_flow(text: str, after_down: bool) -> bool:
    """Whether an unlabeled arrow line goes on: it starts with an arrow, is a ``↓`` line, or follows one."""
    stripped = text.strip()
    if is_down_line(text):
        return True
    return bool(stripped) and (bool(_ANY_ARROW_RE.match(stripped)) or (after_down and is_flow_line(text)))


def is_flow_line(text: str) -> bool:
    """A line that can belong to a text flow: arrows between steps, or only vertical arrows."""
    stripped = text.strip()
    if not stripped:
        return False
    if set(stripped) <= _DOWN_CHARS | {" "}:
        return "↓" in stripped or "▼" in stripped or "⬇" in stripped
    return bool(_ANY_ARROW_RE.search(stripped))


class _Flow:
    """Nodes deduplicated by label, so a step named twice is one node (loops stay loops)."""

    def __init__(self) -> None:
        self.nodes: dict[str, GraphNode] = {}
        self.edges: list[GraphEdge] = []
        self._seen: set[tuple[str, str]] = set()

    def node(self, step: str) -> str:
        label = step.strip()
        if re.fullmatch(r"\[[^\[\]]+\]", label):
            label = label[1:-1].strip()
        if label not in self.nodes:
            shape: Literal["box", "diamond"] = "diamond" if label.endswith(("?", "？")) else "box"
            self.nodes[label] = GraphNode(id=f"n{len(self.nodes) + 1}", label=label, shape=shape)
        return self.nodes[label].id

    def edge(self, src: str, dst: str) -> None:
        if (src, dst) not in self._seen:
            self._seen.add((src, dst))
            self.edges.append(GraphEdge(src=src, dst=dst))


def _row_steps(text: str) -> list[tuple[str, int, int, str]]:
    """Split a flow row into (step, start col, end col, arrow before it) keeping display columns."""
    out: list[tuple[str, int, int, str]] = []
    col, arrow = 0, ""
    for part in _ANY_ARROW_RE.split(text):
        if _ANY_ARROW_RE.fullmatch(part):
            arrow = part
        elif part.strip():
            lead = width(part) - width(part.lstrip())
            step = part.strip()
            out.append((step, col + lead, col + lead + width(step), arrow))
            arrow = ""
        col += width(part)
    return out


def parse_flow_text(lines: list[str], line: int | None = None,
                    notation: Literal["flowchart-line", "chain"] = "flowchart-line") -> FlowBlock | None:
    """Arrow text over one or more lines, as written in prompts.

    ``Flowchart: a → b → c?`` (label optional); a line starting with ``→`` continues the previous
    row from its last step; a line of ``↓`` links the step above each arrow to the step below it.
    Returns None when fewer than two steps are linked.
    """
    flow = _Flow()
    rows: list[list[tuple[str, int, int, bool]]] = []
    downs: list[tuple[int, list[int]]] = []
    for raw in lines:
        text = _FLOW_LABEL_RE.sub(lambda m: " " * width(m.group(0)), raw, count=1) if is_flow_label(raw) else raw
        stripped = text.strip()
        if not stripped:
            continue
        if set(stripped) <= _DOWN_CHARS | {" "}:
            downs.append((len(rows), [width(text[:i]) for i, ch in enumerate(text) if ch in "↓⬇▼"]))
            continue
        steps = _row_steps(text)
        if not steps:
            continue
        previous = rows[-1][-1][0] if rows and steps[0][3] else None
        ids: list[tuple[str, int, int, bool]] = []
        for step, start, end, arrow in steps:
            ids.append((flow.node(step), start, end, step.startswith("[")))
            src = ids[-2][0] if len(ids) > 1 else previous
            if src is not None and arrow:
                if _BACK_RE.fullmatch(arrow):
                    flow.edge(ids[-1][0], src)
                else:
                    flow.edge(src, ids[-1][0])
        rows.append(ids)
    for row_index, cols in downs:
        if 0 < row_index < len(rows):
            for col in cols:
                flow.edge(_step_at(rows[row_index - 1], col), _step_at(rows[row_index], col))
    if len(flow.nodes) < 2 or not flow.edges:
        return None
    vertical_only = bool(downs) and all(len(r) == 1 for r in rows)
    return FlowBlock(line=line, direction="TD" if vertical_only else "LR", nodes=list(flow.nodes.values()),
                     edges=flow.edges, notation=notation)


def _step_at(row: list[tuple[str, int, int, bool]], col: int) -> str:
    """The step covering a column, else the nearest one (lines drift by a few cells).

    When a row brackets some steps (``data → [SFT] → result``) the brackets mark the stages, and a
    ``↓`` links stages: editors disagree on Hangul width, so the column alone often lands beside it.
    """
    def distance(step: tuple[str, int, int, bool]) -> int:
        _, start, end, _ = step
        return 0 if start <= col < end else min(abs(col - start), abs(col - end + 1))

    stages = [step for step in row if step[3]]
    return min(stages or row, key=distance)[0]
