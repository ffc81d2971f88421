"""A free-form flowchart drawn inside one box (text runs joined by line glyphs) in, nodes and edges out.

``생성 시작 ──▶ 도구 필요? ──YES──▶ Tool Call`` with ``│``/``▼``/``┘``/``◀`` runs between rows is a
small graph, not text: each run of words is a node (a diamond when it asks ``…?``), each connected run
of line glyphs is a wire, an arrowhead marks the end it points into, and a short word sitting *on* a
wire (``──YES──``, ``NO`` between two ``│``) is that wire's label. Columns are box-local display cells;
a vertical step may drift a cell either way (CJK text shifts what is drawn after it).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from nanosheet.model import GraphEdge, GraphNode
from nanosheet.textwidth import display_width, graphemes

_OPEN: dict[str, str] = {
    "─": "LR", "━": "LR", "═": "LR", "│": "UD", "┃": "UD", "║": "UD",
    "┌": "DR", "╭": "DR", "┐": "DL", "╮": "DL", "└": "UR", "╰": "UR", "┘": "UL", "╯": "UL",
    "├": "UDR", "┤": "UDL", "┬": "LRD", "┴": "LRU", "┼": "UDLR",
    "▶": "LR", "►": "LR", "→": "LR", "◀": "LR", "◄": "LR", "←": "LR",
    "▼": "UD", "↓": "UD", "▲": "UD", "↑": "UD",
}
"""The sides each glyph's line leaves through."""
_HEAD: dict[str, str] = {"▶": "R", "►": "R", "→": "R", "◀": "L", "◄": "L", "←": "L",
                         "▼": "D", "↓": "D", "▲": "U", "↑": "U"}
"""The side an arrowhead points to."""
WIRE_CHARS = frozenset("─━│┃┌┐└┘├┤┬┴┼╭╮╯╰")
"""Line glyphs (arrowheads aside) whose presence in a box's text makes it a drawing to trace."""
_LABEL_MAX = 16
_BRACKET = {"┤": "R", "├": "L"}
_BACK = {"L": "R", "R": "L", "U": "D", "D": "U"}

Cell = tuple[int, int]


@dataclass
class _Run:
    """Words on one row: a node, or a label when it sits on a wire."""

    row: int
    start: int
    end: int
    """First and last display column."""
    text: str
    label_axis: str = ""
    """``h`` or ``v`` when the run sits on a wire (then it is part of that wire)."""


@dataclass
class _Grid:
    glyphs: dict[Cell, str] = field(default_factory=dict)
    runs: list[_Run] = field(default_factory=list)
    run_at: dict[Cell, int] = field(default_factory=dict)


def has_wires(texts: list[str]) -> bool:
    """Whether box text draws lines (and so may be a flowchart rather than words)."""
    return any(ch in WIRE_CHARS for text in texts for ch in text)


def trace_flow(rows: dict[int, list[tuple[int, str]]], prefix: str) -> tuple[list[GraphNode], list[GraphEdge]] | None:
    """Nodes (ids ``{prefix}f1``…) and edges of the chart drawn by ``rows`` (row -> (column, text)
    pieces); None when the glyphs join no two runs of words, so the text is not a chart."""
    grid = _read(rows)
    _mark_labels(grid)
    groups = _merge_wrapped(grid)
    node_of = {k: g for g, members in enumerate(groups) for k in members}
    units, adjacency, touches = _wires(grid, node_of)
    edges = _edges(grid, units, adjacency, touches, groups, prefix)
    if not edges:
        return None
    nodes = []
    for g, members in enumerate(groups):
        texts = [grid.runs[k].text for k in members]
        shape = "diamond" if texts[-1].rstrip().endswith(("?", "？")) else "box"
        texts = [_unbracket(t) for t in texts]
        nodes.append(GraphNode(id=f"{prefix}f{g + 1}", label=texts[0], lines=texts[1:], shape=shape))
    return nodes, edges


# --------------------------------------------------------------------------- reading the grid


def _read(rows: dict[int, list[tuple[int, str]]]) -> _Grid:
    grid = _Grid()
    for row in sorted(rows):
        cells: list[tuple[int, str]] = []
        for x, text in rows[row]:
            cells += [(x + col, cluster) for _, col, cluster in graphemes(text)]
        word: list[tuple[int, str, int]] = []
        for x, ch in sorted(cells):
            if ch in _OPEN or ch.isspace():
                if ch in _OPEN:
                    grid.glyphs[(row, x)] = ch
                    _end_run(grid, row, word)
                    word = []
                continue
            if word and x - (word[-1][0] + word[-1][2]) >= 2:  # two blank cells part two runs of words
                _end_run(grid, row, word)
                word = []
            word.append((x, ch, max(display_width(ch), 1)))
        _end_run(grid, row, word)
    return grid


def _end_run(grid: _Grid, row: int, word: list[tuple[int, str, int]]) -> None:
    if not word:
        return
    text = word[0][1]
    for (x0, _, w0), (x, ch, _) in zip(word, word[1:], strict=False):
        text += (" " if x > x0 + w0 else "") + ch
    first, end = word[0][0], word[-1][0] + word[-1][2] - 1
    index = len(grid.runs)
    grid.runs.append(_Run(row=row, start=first, end=end, text=text))
    for x in range(first, end + 1):
        grid.run_at[(row, x)] = index


def _mark_labels(grid: _Grid) -> None:
    """A short run with a wire running on into it from both sides is that wire's label."""
    for run in grid.runs:
        if run.end - run.start + 1 > _LABEL_MAX:
            continue
        left = grid.glyphs.get((run.row, run.start - 1), "")
        right = grid.glyphs.get((run.row, run.end + 1), "")
        if "R" in _OPEN.get(left, "") and _HEAD.get(left) != "R" and "L" in _OPEN.get(right, "") \
                and _HEAD.get(right) != "L":
            run.label_axis = "h"
            continue
        above = [c for c in range(run.start - 1, run.end + 2)
                 if "D" in _OPEN.get(grid.glyphs.get((run.row - 1, c), ""), "")
                 and _HEAD.get(grid.glyphs[(run.row - 1, c)]) != "D"]
        below = [c for c in range(run.start - 1, run.end + 2)
                 if "U" in _OPEN.get(grid.glyphs.get((run.row + 1, c), ""), "")
                 and _HEAD.get(grid.glyphs[(run.row + 1, c)]) != "U"]
        if any(abs(a - b) <= 1 for a in above for b in below):
            run.label_axis = "v"


def _merge_wrapped(grid: _Grid) -> list[list[int]]:
    """Node runs on consecutive rows that overlap are one box of wrapped words (``Tool`` / ``Output``)."""
    groups: list[list[int]] = []
    last_of: dict[int, int] = {}
    for k, run in enumerate(grid.runs):
        if run.label_axis:
            continue
        if _side_wired(grid, run):  # a wire comes in from the side: a node of its own
            groups.append([k])
            last_of[k] = len(groups) - 1
            continue
        above = next((g for j, g in last_of.items() if grid.runs[j].row == run.row - 1
                      and grid.runs[j].start <= run.end and run.start <= grid.runs[j].end), None)
        if above is None:
            groups.append([k])
            last_of[k] = len(groups) - 1
        else:
            groups[above].append(k)
            last_of = {j: g for j, g in last_of.items() if g != above}
            last_of[k] = above
    return groups


def _side_wired(grid: _Grid, run: _Run) -> bool:
    cells = [run.start - 1, run.start - 2, run.end + 1, run.end + 2]
    return any((run.row, c) in grid.glyphs for c in cells)


# --------------------------------------------------------------------------- wires


_Unit = tuple[str, int, int]
_Touch = tuple[int, bool, str]
"""A wire part: ("g", row, col) for a glyph, ("r", run index, 0) for a label run."""


def _wires(grid: _Grid, node_of: dict[int, int]) -> tuple[
        list[_Unit], dict[_Unit, set[_Unit]], dict[_Unit, list[_Touch]]]:
    """Wire parts, which parts join, and which nodes each part touches (node, True if an arrowhead
    points into it, the side the wire leaves the part by)."""
    units: list[_Unit] = [("g", r, c) for r, c in sorted(grid.glyphs)]
    units += [("r", k, 0) for k, run in enumerate(grid.runs) if run.label_axis]
    adjacency: dict[_Unit, set[_Unit]] = {u: set() for u in units}
    touches: dict[_Unit, list[_Touch]] = {u: [] for u in units}
    for unit in units:
        ports = _ports(grid, unit)
        if unit[0] == "g" and grid.glyphs[(unit[1], unit[2])] in _BRACKET:
            # ``──┤ Lambda: $3/GPU/hour``: words on a bracket's outer side are what it says of its rows
            ports.append((_BRACKET[grid.glyphs[(unit[1], unit[2])]], [(unit[1], unit[2])]))
        for side, cells in ports:
            head = unit[0] == "g" and _HEAD.get(grid.glyphs[(unit[1], unit[2])]) == side
            hit = _neighbour(grid, side, cells, node_of)
            if hit is None:
                continue
            kind, value = hit
            if side not in _OPEN[grid.glyphs[(unit[1], unit[2])]] if unit[0] == "g" else False:
                if kind == "node" and isinstance(value, int):
                    touches[unit].append((value, False, side))
                continue
            if kind == "unit" and isinstance(value, tuple):
                adjacency[unit].add(value)
                adjacency[value].add(unit)
            elif isinstance(value, int):
                touches[unit].append((value, head, side))
    return units, adjacency, touches


def _ports(grid: _Grid, unit: _Unit) -> list[tuple[str, list[Cell]]]:
    """For each side a part leaves through, the cells it comes out of (a label is as wide as its words)."""
    if unit[0] == "g":
        row, col = unit[1], unit[2]
        return [(side, [(row, col)]) for side in _OPEN[grid.glyphs[(row, col)]]]
    run = grid.runs[unit[1]]
    if run.label_axis == "h":
        return [("L", [(run.row, run.start)]), ("R", [(run.row, run.end)])]
    span = [(run.row, c) for c in range(run.start, run.end + 1)]
    return [("U", span), ("D", span)]


def _neighbour(grid: _Grid, side: str, cells: list[Cell],
               node_of: dict[int, int]) -> tuple[str, _Unit | int] | None:
    """What a wire leaving ``cells`` through ``side`` runs into: another part, or a node."""
    for row, col in cells:
        if side in "LR":
            step = -1 if side == "L" else 1
            candidates = [(row, col + step)]
        else:
            nxt = row - 1 if side == "U" else row + 1
            candidates = [(nxt, col), (nxt, col - 1), (nxt, col + 1)]
        for cell in candidates:
            ch = grid.glyphs.get(cell)
            if ch is not None:
                # ``└──`` under ``└──``: a tree's trunk, drawn without its ``├``
                if _BACK[side] in _OPEN[ch] or (side == "U" and ch in "└├╰" and cell[1] == col):
                    return "unit", ("g", cell[0], cell[1])
                continue
            found = _run_hit(grid, cell, side, node_of)
            if found is not None:
                return found
        if side in "LR" and candidates[0] not in grid.glyphs and candidates[0] not in grid.run_at:
            # ``──▶ 도구``: one blank cell between an arrow and the words it points at
            found = _run_hit(grid, (row, col + 2 * step), side, node_of, labels=False)
            if found is not None:
                return found
    return None


def _run_hit(grid: _Grid, cell: Cell, side: str, node_of: dict[int, int],
             labels: bool = True) -> tuple[str, _Unit | int] | None:
    k = grid.run_at.get(cell)
    if k is None:
        return None
    run = grid.runs[k]
    if run.label_axis:
        along = run.label_axis == ("h" if side in "LR" else "v")
        return ("unit", ("r", k, 0)) if labels and along else None
    return "node", node_of[k]


def _edges(grid: _Grid, units: list[_Unit], adjacency: dict[_Unit, set[_Unit]],
           touches: dict[_Unit, list[_Touch]], groups: list[list[int]], prefix: str) -> list[GraphEdge]:
    """One edge per (tail, head) pair of each connected wire, labelled by the labels on the path between."""
    seen: set[_Unit] = set()
    edges: list[GraphEdge] = []
    for start in units:
        if start in seen:
            continue
        wire = _component(start, adjacency)
        seen |= wire
        ends = [(node, head, unit) for unit in sorted(wire) for node, head, _ in touches[unit]]
        heads = {node: unit for node, head, unit in ends if head}
        tails = {node: unit for node, head, unit in ends if not head and node not in heads}
        pairs = [(t, h) for t in tails for h in heads if t != h]
        if not heads and len(tails) == 2:  # a plain line: read it in drawing order
            a, b = sorted(tails, key=lambda n: (grid.runs[groups[n][0]].row, grid.runs[groups[n][0]].start))
            pairs = [(a, b)]
        elif not heads:
            pairs = _tree(wire, touches, tails)
        for tail, head in pairs:
            if head < 0:  # a bracket's note: one dotted line to the first thing it brackets
                edges.append(GraphEdge(src=f"{prefix}f{tail + 1}", dst=f"{prefix}f{-head}", style="dotted"))
                continue
            path = _path(tails[tail], (heads | tails)[head], adjacency)
            words = [grid.runs[u[1]].text for u in path if u[0] == "r"]
            edge = GraphEdge(src=f"{prefix}f{tail + 1}", dst=f"{prefix}f{head + 1}", label=" ".join(words) or None)
            if edge not in edges:
                edges.append(edge)
    return edges


def _tree(wire: set[_Unit], touches: dict[_Unit, list[_Touch]], tails: dict[int, _Unit]) -> list[tuple[int, int]]:
    """An arrowless wire that leaves one node from below and reaches others from the left
    (``Data Center`` / ``└── 예시`` / ``└── 목적``) hangs those under it."""
    ups = {node for unit in wire for node, _, side in touches[unit] if side == "U"}
    rights = {node for unit in wire for node, _, side in touches[unit] if side == "R"} - ups
    lefts = {node for unit in wire for node, _, side in touches[unit] if side == "L"} - ups - rights
    if len(ups) == 1 and rights and ups | rights == set(tails):
        (parent,) = ups
        return [(parent, child) for child in sorted(rights)]
    if not ups and len(rights) == 1 and len(lefts) >= 2 and lefts | rights == set(tails):
        # ``A ──┐`` / ``B ──┤ note`` / ``C ──┘``: a bracket; the words beside it say something of them all
        return [(next(iter(rights)), -1 - min(lefts))]
    return []


def _unbracket(text: str) -> str:
    """``[Selection]`` is a box drawn in brackets: the brackets are its border, not its words."""
    inner = text[1:-1].strip()
    return inner if text.startswith("[") and text.endswith("]") and inner and "[" not in inner else text


def _component(start: _Unit, adjacency: dict[_Unit, set[_Unit]]) -> set[_Unit]:
    out = {start}
    queue = deque([start])
    while queue:
        for nxt in adjacency[queue.popleft()]:
            if nxt not in out:
                out.add(nxt)
                queue.append(nxt)
    return out


def _path(a: _Unit, b: _Unit, adjacency: dict[_Unit, set[_Unit]]) -> list[_Unit]:
    """The shortest run of parts from ``a`` to ``b`` (both in one wire)."""
    back: dict[_Unit, _Unit | None] = {a: None}
    queue = deque([a])
    while queue:
        unit = queue.popleft()
        if unit == b:
            break
        for nxt in sorted(adjacency[unit]):
            if nxt not in back:
                back[nxt] = unit
                queue.append(nxt)
    path: list[_Unit] = []
    node: _Unit | None = b if b in back else None
    while node is not None:
        path.append(node)
        node = back[node]
    return path[::-1]
