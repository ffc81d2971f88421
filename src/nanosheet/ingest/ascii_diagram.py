"""An ASCII box drawing (lines) in, a DiagramBlock out: nested boxes as nodes, arrows as edges.

Boxes come from the shared token-order matcher in ``boxes``; what sits between them is read here:
text between two side-by-side boxes is an edge (with its arrow's direction and the words as label),
``▼ ↓ │`` between stacked boxes is an edge downwards, a ``┬`` on a bottom border is followed through
``│`` and around a ``┘``/``└`` corner to the box its ``◀``/``▶`` points at, words just above a box
are its caption, and a note like ``← 모델이 예측`` beside a box becomes a small note node.
"""

from __future__ import annotations

import re

from nanosheet.ingest.ascii_flow import WIRE_CHARS, has_wires, trace_flow
from nanosheet.ingest.box_limits import simplify_drawing
from nanosheet.ingest.boxes import Box, BoxTracker, Piece
from nanosheet.model import Diagnostic, DiagramBlock, GraphEdge, GraphNode
from nanosheet.textwidth import char_columns, display_width

_RIGHT = "→▶➜⟶⇒>"
_LEFT = "←◀⟵⇐<"
_DOWN = "▼↓"
_UP = "▲↑"
_ARROW_GLYPHS = set(_RIGHT + _LEFT + _DOWN + _UP + "─│┬┴┼┘└┐┌━ ")
_WORD = re.compile(r"\w")
_VERTICAL_PATH = "│┃▼↓┘┐└┌┴┼"


def parse_ascii_diagram(lines: list[str], first_line: int,
                        diagnostics: list[Diagnostic] | None = None) -> DiagramBlock | None:
    """Read a box drawing; None when the lines hold no box at all."""
    drawing, simplified = simplify_drawing(lines, max_across=None, nest_from=1)  # a flow may be long
    tracker = BoxTracker(first_line)
    for index, line in enumerate(drawing):
        tracker.feed(index, line)
    tracker.finish()
    if diagnostics is not None:
        diagnostics.extend(Diagnostic(code="layout-simplified", message=message, line=first_line + index)
                           for index, message in simplified)
        diagnostics.extend(tracker.diagnostics)
    if not tracker.root.children:
        return None
    builder = _Builder(tracker.root)
    nodes, _ = builder.container(tracker.root)
    if len(nodes) == 1 and _bare_frame(nodes[0]) and not builder.touched(nodes[0].id) \
            and nodes[0].id not in builder.cut:
        nodes = nodes[0].children  # a frame drawn round the whole drawing says nothing of its own
    _merge_operators(nodes, builder.edges)
    direction = "LR" if builder.horizontal >= max(builder.vertical, 1) else "TD"
    return DiagramBlock(line=first_line, direction=direction, nodes=nodes, edges=builder.edges,
                        raw=[line.rstrip() for line in lines])


_Loose = list[tuple[int, Piece]]
_Note = tuple[int, Piece, Box]
_Drop = tuple[int, int, Box]


class _Builder:
    """Turns one container (the drawing, or a box) into nodes, collecting edges as it goes."""

    def __init__(self, root: Box) -> None:
        self.edges: list[GraphEdge] = []
        self.horizontal = 0
        self.vertical = 0
        self._ids: dict[int, str] = {}
        self._sections: dict[tuple[int, int], str] = {}
        self.cut: set[str] = set()
        """Boxes cut into cells by ├──┤ lines (a stack, not a frame)."""
        self._number(root)

    def _number(self, box: Box) -> None:
        # Pre-order ids (n1, n2, …) so the same drawing always yields the same ids.
        for child in box.children:
            self._ids[id(child)] = f"n{len(self._ids) + 1}"
            self._number(child)

    def node_id(self, box: Box) -> str:
        return self._ids[id(box)]

    def container(self, box: Box) -> tuple[list[GraphNode], _Loose]:
        """Nodes for the children of ``box``, and the pieces of its own text nothing else claimed."""
        used: set[int] = set()
        captions = self._captions(box, used)
        notes = self._side_edges(box, used)
        drops = self._vertical_edges(box, used)
        self._connectors(box, used)
        nodes = [self._node(child, captions.get(id(child))) for child in box.children]
        loose = [(ln, p) for ln in sorted(box.items) for p in box.pieces(ln) if id(p) not in used]
        if box.top < 0:
            nodes.extend(self._notes(box, loose, notes, drops))
        return nodes, loose

    def _node(self, box: Box, caption: str | None) -> GraphNode:
        node_id = self.node_id(box)
        children, loose = self.container(box)
        own = [(ln, "  ".join(p.text.strip() for p in pieces if p.text.strip()))
               for ln, pieces in _group(loose)]
        sections = _split(own, box.seps)
        texts = [text for _, text in own if text]
        if len(sections) > 1:
            # A box cut by ├──┤ lines: each part is a cell of its own (fewshot's example stack).
            cells = []
            for k, section in enumerate(sections, start=1):
                cell_texts = [t for _, t in section if t]
                cell_id = f"{node_id}s{k}"
                for ln, _ in section:
                    self._sections[(id(box), ln)] = cell_id
                cells.append(GraphNode(id=cell_id, label=cell_texts[0] if cell_texts else "",
                                       lines=cell_texts[1:]))
            self.cut.add(node_id)
            return GraphNode(id=node_id, label="", children=cells + children, caption=caption)
        if not children and has_wires(texts):
            chart = trace_flow({ln: [(box.local(ln, p.x), p.text) for p in pieces] for ln, pieces in _group(loose)},
                               node_id)
            if chart is not None:  # the box holds a drawn flowchart: a group of its nodes
                self.edges.extend(chart[1])
                return GraphNode(id=node_id, label="", children=chart[0], caption=caption)
            texts = [t for t in (_unwire(t) for t in texts) if t]
        if not texts and len(children) == 1 and children[0].caption:
            # A title line over the one inner box (``STEP 1: SELECTION`` / ┌─…─┐) titles this box.
            inner = children[0].model_copy(update={"caption": None})
            frame_only = not inner.label and not inner.lines and inner.children and not self.touched(inner.id)
            return GraphNode(id=node_id, label=children[0].caption or "", caption=caption,
                             children=inner.children if frame_only else [inner])
        label, rest = (texts[0], texts[1:]) if texts else ("", [])
        return GraphNode(id=node_id, label=label, lines=rest, children=children, caption=caption)

    def touched(self, node_id: str) -> bool:
        return any(node_id in (e.src, e.dst) for e in self.edges)

    # ---------------------------------------------------------------- what lies between boxes

    def _captions(self, box: Box, used: set[int]) -> dict[int, str]:
        """Words on the line right above a child's top border, matched to it by column overlap."""
        out: dict[int, list[str]] = {}
        tops = sorted({child.top for child in box.children})
        for top in tops:
            below = [c for c in box.children if c.top == top]
            for piece in box.pieces(top - 1):
                for text, x0, x1 in _segments(box, top - 1, piece):
                    spans = [(min(x1, b) - max(x0, a), c) for c in below for a, b in [_span(box, c)]]
                    overlap, child = max(spans, key=lambda s: s[0])
                    if overlap >= -1 and _WORD.search(text):
                        out.setdefault(id(child), []).append(text)
                        used.add(id(piece))
        # A piece shared by two captions ("STEP 1      STEP 2") is consumed whole; arrows in it are
        # implied by the edges between the boxes below.
        return {k: " ".join(v) for k, v in out.items()}

    def _side_edges(self, box: Box, used: set[int]) -> list[_Note]:
        gaps: dict[tuple[int, int], list[Piece]] = {}
        pairs: dict[tuple[int, int], tuple[Box, Box]] = {}
        notes: list[_Note] = []
        for ln, items in sorted(box.items.items()):
            for k, item in enumerate(items):
                if not isinstance(item, Piece) or not item.text.strip():
                    continue
                left = _neighbour(items, k, -1)
                right = _neighbour(items, k, +1)
                if left is not None and right is not None and left is not right:
                    key = (id(left), id(right))
                    gaps.setdefault(key, []).append(item)
                    pairs[key] = (left, right)
                elif left is not None and _starts_with(item.text, _LEFT):
                    notes.append((ln, item, left))
                elif right is not None and _ends_with(item.text, _RIGHT):
                    notes.append((ln, item, right))
        for key, pieces in gaps.items():
            a, b = pairs[key]
            text = " ".join(p.text.strip() for p in pieces)
            label = _strip_arrows(text)
            if not label and not any(ch in text for ch in _RIGHT + _LEFT):
                continue
            used.update(id(p) for p in pieces)
            src, dst = (b, a) if any(ch in text for ch in _LEFT) and not any(ch in text for ch in _RIGHT) else (a, b)
            arrow = any(ch in text for ch in _RIGHT + _LEFT)
            self.edges.append(GraphEdge(src=self.node_id(src), dst=self.node_id(dst), label=label or None,
                                        style="solid" if arrow else "dotted"))
            self.horizontal += 1
        return notes

    def _vertical_edges(self, box: Box, used: set[int]) -> list[_Drop]:
        """``▼``/``↓`` between stacked boxes; an arrow with no box below is returned (it points at
        the words under it)."""
        drops: list[_Drop] = []
        for ln in sorted(box.items):
            for piece in box.pieces(ln):
                if not piece.text.strip() or set(piece.text) - set(_DOWN + _UP + "│ "):
                    continue
                for x, ch in _columns(box, ln, piece):
                    if ch in _DOWN + _UP:
                        above = _nearest(box, ln, x, below=False)
                        below = _nearest(box, ln, x, below=True)
                        if above is not None and below is not None:
                            src, dst = (above, below) if ch in _DOWN else (below, above)
                            self._add_edge(src, dst)
                            used.add(id(piece))
                            self.vertical += 1
                        elif above is not None and ch in _DOWN:
                            drops.append((ln, x, above))
                            used.add(id(piece))
        return drops

    def _connectors(self, box: Box, used: set[int]) -> None:
        """Follow ``┬`` joins down through ``│`` to a ``▼`` or around a corner to ``◀``/``▶``."""
        for child in box.children:
            if child.bottom is None:
                continue
            for col in child.bottom_joins:
                target = self._trace(box, child.bottom + 1, box.local(child.bottom, col), used)
                if target is not None and target is not child:
                    self._add_edge(child, target)
                    self.vertical += 1

    def _trace(self, box: Box, ln: int, col: int, used: set[int]) -> Box | None:
        while ln in box.items:
            # A corner drawn after text may have drifted further than a bare │ (text left of it
            # shifts it), so a turning corner is looked for a little wider.
            hit = _char_at(box, ln, col, _VERTICAL_PATH, 2) or _char_at(box, ln, col, "┘┐└┌", 8)
            if hit is None:
                return None
            piece, ch, k = hit
            used.add(id(piece))
            if ch in _DOWN:
                return _nearest(box, ln, col, below=True)
            if ch in "┘┐└┌" and not any(a in piece.text for a in _LEFT + _RIGHT):
                # ``└───┬───┘``: two lines merge at a ┬ and go on down from there together.
                joins = [x for x, c in _columns(box, ln, piece) if c == "┬"]
                if not joins:
                    return None
                col = joins[0]
                ln += 1
                continue
            if ch in "┘┐":
                return _neighbour(box.items[ln], k, -1) if any(a in piece.text for a in _LEFT) else None
            if ch in "└┌":
                return _neighbour(box.items[ln], k, +1) if any(a in piece.text for a in _RIGHT) else None
            if ch not in "│┃":
                return None
            ln += 1
        return None

    def _add_edge(self, src: Box, dst: Box) -> None:
        edge = GraphEdge(src=self.node_id(src), dst=self.node_id(dst))
        if edge not in self.edges:
            self.edges.append(edge)

    def _notes(self, box: Box, loose: _Loose, notes: list[_Note], drops: list[_Drop]) -> list[GraphNode]:
        """Loose words in the drawing: a note node per phrase, linked to the box an arrow ties it to
        (``← 모델이 예측`` beside a box, or words under a ``↓`` that leaves a box)."""
        nodes: list[GraphNode] = []
        pointing = {id(piece): (target, ln) for ln, piece, target in notes}
        for ln, piece in loose:
            phrases = [(t, a, b) for t, a, b in _segments(box, ln, piece) if _WORD.search(t)]
            if id(piece) in pointing:  # an annotation is one note, arrow and all
                phrases = [(piece.text.strip(), 0, 0)] if phrases else []
            for text, x0, x1 in phrases:
                note_id = f"note{len(nodes) + 1}"
                nodes.append(GraphNode(id=note_id, label=_strip_arrows(text), shape="round"))
                if id(piece) in pointing:
                    target, line = pointing[id(piece)]
                    dst = self._sections.get((id(target), line), self.node_id(target))
                    self.edges.append(GraphEdge(src=note_id, dst=dst, style="dotted"))
                    continue
                source = next((b for dl, x, b in drops if dl < ln and x0 - 3 <= x <= x1 + 3), None)
                if source is not None:
                    self.edges.append(GraphEdge(src=self.node_id(source), dst=note_id))
        return nodes


# --------------------------------------------------------------------------- helpers


_OPERATORS = {"+", "&", "×", "x", "and", "및", "+ ", "⊕"}


def _merge_operators(nodes: list[GraphNode], edges: list[GraphEdge]) -> None:
    """``[A] + [B]`` over lines that merge into ``[C]``: A and B meet at a small ``+`` that leads to C,
    so the operator stays drawn and A and B stay side by side (a link A→B would stack them)."""
    for edge in list(edges):
        if edge.style != "dotted" or (edge.label or "").strip().lower() not in _OPERATORS:
            continue
        a_out = {e.dst for e in edges if e.src == edge.src and e.style == "solid"}
        shared = sorted(a_out & {e.dst for e in edges if e.src == edge.dst and e.style == "solid"})
        siblings = _siblings(nodes, edge.src)
        if not shared or siblings is None:
            continue
        op = GraphNode(id=f"op{edge.src}{edge.dst}", label=(edge.label or "").strip(), shape="circle")
        siblings.append(op)
        merged = {edge.src, edge.dst}
        index = edges.index(edge)
        kept = [e for e in edges[:index] if not (e.src in merged and e.dst in shared)]
        rest = [e for e in edges[index + 1:] if not (e.src in merged and e.dst in shared)]
        joined = [GraphEdge(src=edge.src, dst=op.id), GraphEdge(src=edge.dst, dst=op.id)]
        edges[:] = kept + joined + [GraphEdge(src=op.id, dst=t) for t in shared] + rest


def _siblings(nodes: list[GraphNode], node_id: str) -> list[GraphNode] | None:
    """The list of nodes that holds ``node_id`` (at any depth)."""
    if any(n.id == node_id for n in nodes):
        return nodes
    for n in nodes:
        if (found := _siblings(n.children, node_id)) is not None:
            return found
    return None


def _bare_frame(node: GraphNode) -> bool:
    return bool(node.children) and not node.label and not node.lines and not node.caption


_HEAD_RIGHT = re.compile(r"[─━]*[▶►][─━]*|[─━]{2,}>")
_HEAD_LEFT = re.compile(r"<[─━]{2,}|[─━]*[◀◄][─━]*")


def _unwire(text: str) -> str:
    """Box text with its line glyphs taken out: an arrow drawn in glyphs reads as ``→``/``←``."""
    text = _HEAD_LEFT.sub(" ← ", _HEAD_RIGHT.sub(" → ", text))
    return " ".join("".join(" " if ch in WIRE_CHARS or ch in "▼▲" else ch for ch in text).split())


def _group(pairs: list[tuple[int, Piece]]) -> list[tuple[int, list[Piece]]]:
    out: dict[int, list[Piece]] = {}
    for ln, piece in pairs:
        out.setdefault(ln, []).append(piece)
    return sorted(out.items())


def _split(own: list[tuple[int, str]], seps: list[int]) -> list[list[tuple[int, str]]]:
    sections: list[list[tuple[int, str]]] = [[]]
    for ln, text in own:
        if sections[-1] and any(sections[-1][-1][0] < s < ln for s in seps):
            sections.append([])
        sections[-1].append((ln, text))
    return [s for s in sections if any(t for _, t in s)] or [[]]


def _span(box: Box, child: Box) -> tuple[int, int]:
    """A child's columns, measured from ``box``'s left border on the child's top line."""
    return box.local(child.top, child.x0), box.local(child.top, child.x1)


def _segments(box: Box, ln: int, piece: Piece) -> list[tuple[str, int, int]]:
    """Split a piece at runs of 2+ spaces: (text, first column, last column), box-local."""
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", piece.text):
        x0 = box.local(ln, piece.x) + display_width(piece.text[: m.start()])
        out.append((m.group(), x0, x0 + display_width(m.group()) - 1))
    return out


def _columns(box: Box, ln: int, piece: Piece) -> list[tuple[int, str]]:
    base = box.local(ln, piece.x)
    return [(base + x, ch) for ch, x in zip(piece.text, char_columns(piece.text), strict=True)]


def _char_at(box: Box, ln: int, col: int, chars: str, reach: int) -> tuple[Piece, str, int] | None:
    """The character of ``chars`` nearest ``col`` (within ``reach`` cells) among a line's own pieces."""
    best: tuple[int, Piece, str, int] | None = None
    for k, item in enumerate(box.items.get(ln, [])):
        if not isinstance(item, Piece):
            continue
        for x, ch in _columns(box, ln, item):
            if ch in chars and abs(x - col) <= reach and (best is None or abs(x - col) < best[0]):
                best = (abs(x - col), item, ch, k)
    return None if best is None else best[1:]


def _neighbour(items: list[Piece | Box], k: int, step: int) -> Box | None:
    """The box just left/right of item k on a line, skipping blank pieces."""
    j = k + step
    while 0 <= j < len(items):
        item = items[j]
        if isinstance(item, Box):
            return item
        if item.text.strip():
            return None
        j += step
    return None


def _nearest(box: Box, ln: int, x: int, *, below: bool) -> Box | None:
    found = [c for c in box.children if _span(box, c)[0] - 2 <= x <= _span(box, c)[1] + 2 and c.bottom is not None
             and (c.top > ln if below else c.bottom < ln)]
    if not found:
        return None
    return min(found, key=lambda c: c.top) if below else max(found, key=lambda c: c.bottom or 0)


def _strip_arrows(text: str) -> str:
    return " ".join("".join(" " if ch in _ARROW_GLYPHS else ch for ch in text).split())


def _starts_with(text: str, chars: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[0] in chars


def _ends_with(text: str, chars: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[-1] in chars
