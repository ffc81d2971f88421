"""FlowBlock / DiagramBlock in, mermaid flowchart source out (drawn in-page with mermaid's handDrawn look).

Labels are user text, so every character mermaid could read as syntax or markup is written as a
mermaid entity code (``#lt;``, ``#quot;``, ``#35;``); node ids are replaced by safe generated ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from nanosheet.model import DiagramBlock, FlowBlock, GraphEdge, GraphGroup, GraphNode
from nanosheet.node_lines import label_lines

_ENTITY = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;",
           "`": "#96;", "\\": "#92;", "{": "#123;", "}": "#125;"}
_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "circle": ('(("', '"))'),
           "diamond": ('{"', '"}'), "stadium": ('(["', '"])')}
_ARROWS = {"solid": "-->", "dotted": "-.->", "thick": "==>"}


def escape_label(text: str) -> str:
    """Text safe inside a quoted mermaid label (``#35;`` first, so later codes are not re-escaped)."""
    return "".join(_ENTITY.get(ch, ch) for ch in text.replace("\r", "").replace("\n", " "))


ICON_CLASS = "node-icon"
"""The class of a step's icon line (sheet.css draws it larger than the label)."""


def _label(node: GraphNode, icons: bool = True) -> str:
    # The words written above a box (its caption) lead its text, so they are drawn rather than lost.
    caption = [node.caption] if node.caption else []
    text = "<br/>".join(escape_label(p) for p in [*caption, *label_lines(node.label, node.lines)]) or " "
    if node.icon is None or not icons:
        return text
    if node.children:  # a group's title is one line: its icon leads it
        return f"{escape_label(node.icon)} {text}"
    # A step's icon on its own line above its words, in a span mermaid keeps (strict mode allows class).
    return f"<span class='{ICON_CLASS}'>{escape_label(node.icon)}</span><br/>{text}"


def _walk(nodes: list[GraphNode], depth: int = 0) -> Iterator[tuple[GraphNode, int]]:
    for n in nodes:
        yield n, depth
        yield from _walk(n.children, depth + 1)


def _shape(node: GraphNode, label: str) -> str:
    opening, closing = _SHAPES.get(node.shape, _SHAPES["box"])
    return f"{opening}{label}{closing}"


def _edge(e: GraphEdge, ids: dict[str, str]) -> str | None:
    if e.src not in ids or e.dst not in ids:
        return None
    arrow = _ARROWS.get(e.style, "-->")
    label = f'|"{escape_label(e.label)}"|' if e.label else ""
    return f"  {ids[e.src]} {arrow}{label} {ids[e.dst]}"


_ACROSS = {"LR": "TB", "RL": "TB", "TD": "LR", "TB": "LR", "BT": "LR"}


def _nested(node: GraphNode, ids: dict[str, str], indent: str, edges: list[GraphEdge], outer: str,
            icons: bool) -> list[str]:
    """A box holding boxes becomes a subgraph titled with its label."""
    if not node.children:
        return [f"{indent}{ids[node.id]}{_shape(node, _label(node, icons))}"]
    lines = [f'{indent}subgraph {ids[node.id]}["{_label(node, icons)}"]']
    if _chart(node, edges):
        # A chart of its own inside a step runs across the outer flow: the drawing stays compact
        # whichever way the page turns the whole (mermaid keeps it only for a group nothing links into).
        lines.append(f"{indent}  direction {_ACROSS.get(outer, 'LR')}")
    for child in node.children:
        lines += _nested(child, ids, indent + "  ", edges, outer, icons)
    lines.append(f"{indent}end")
    return lines


def _chart(node: GraphNode, edges: list[GraphEdge]) -> bool:
    """A group of 3+ plain boxes linked among themselves (2+ edges) and to nothing outside it."""
    return not any(c.children for c in node.children) and _own_chart({c.id for c in node.children}, edges)


def _own_chart(inside: set[str], edges: list[GraphEdge]) -> bool:
    """3+ boxes linked among themselves (2+ edges) and to nothing outside them: a chart of their own, which
    may run across the flow around it."""
    crossing = [e for e in edges if (e.src in inside) != (e.dst in inside)]
    return len(inside) >= 3 and not crossing and sum(1 for e in edges if e.src in inside and e.dst in inside) >= 2


def _group_links(block: FlowBlock) -> list[GraphEdge]:
    """The block's edges, without those into or out of a subgraph nested in another (`A --> Has`, both in
    `Context`): mermaid's layout fails on those or spreads them into an illegible fan. Links between
    top-level subgraphs and nodes outside any stay whole."""
    groups = {g.id for g in block.groups}
    nested = {g.id for g in block.groups if g.parent is not None}
    inside = {n for g in block.groups for n in g.nodes}

    def kept(e: GraphEdge) -> bool:
        ends = {e.src, e.dst}
        if not ends & groups:
            return True
        return not ends & nested and not any(n in inside for n in ends - groups)

    return [e for e in block.edges if kept(e)]


def _group_chart(group: GraphGroup, groups: list[GraphGroup], edges: list[GraphEdge]) -> bool:
    """A subgraph of 3+ nodes linked among themselves (2+ edges) and, node by node, to nothing outside it
    (the stage of a pipeline: the links between stages join the subgraphs themselves)."""
    group_ids = {g.id for g in groups}
    node_links = [e for e in edges if not {e.src, e.dst} & group_ids]
    return not any(g.parent == group.id for g in groups) and _own_chart(set(group.nodes), node_links)


def _groups(groups: list[GraphGroup], ids: dict[str, str], edges: list[GraphEdge], outer: str) -> list[str]:
    """Mermaid subgraphs, nested by ``parent``; nodes already declared are only referenced. A stage with a
    chart of its own runs across the outer flow, as a nested box does (``_nested``)."""
    gids = {g.id: f"g{i}" for i, g in enumerate(groups)}

    seen: set[str] = set()

    def emit(parent: str | None, indent: str) -> list[str]:
        out: list[str] = []
        for g in groups:
            if g.id in seen or (g.parent != parent and not (parent is None and g.parent not in gids)):
                continue
            seen.add(g.id)
            out.append(f'{indent}subgraph {gids[g.id]}["{escape_label(g.label)}"]')
            if _group_chart(g, groups, edges):
                out.append(f"{indent}  direction {_ACROSS.get(outer, 'LR')}")
            out += [f"{indent}  {ids[n]}" for n in g.nodes if n in ids]
            out += emit(g.id, indent + "  ")
            out.append(f"{indent}end")
        return out

    return emit(None, "  ")


def mermaid_source(block: FlowBlock | DiagramBlock, direction: str | None = None, *, icons: bool = True) -> str:
    """The flowchart text for one block; ``direction`` overrides the block's own (LR/TD/…); ``icons=False``
    leaves the steps' icons out (the page draws that when the icons would leave the labels too small)."""
    ids = {n.id: f"n{i}" for i, (n, _) in enumerate(_walk(block.nodes))}
    lines = [f"flowchart {direction or block.direction}"]
    for node in block.nodes:
        lines += _nested(node, ids, "  ", block.edges, direction or block.direction, icons)
    edges, ends = block.edges, dict(ids)
    if isinstance(block, FlowBlock):
        lines += _groups(block.groups, ids, block.edges, direction or block.direction)
        # `Build --> Test` links two subgraphs: without it the stages float in whatever order the layout picks.
        ends.update({g.id: f"g{i}" for i, g in enumerate(block.groups) if g.id not in ids})
        edges = _group_links(block)
    lines += [s for s in (_edge(e, ends) for e in edges) if s]
    lines += _keep_order(block.nodes, block.edges, ids)
    return "\n".join(lines) + "\n"


def _keep_order(nodes: list[GraphNode], edges: list[GraphEdge], ids: dict[str, str]) -> list[str]:
    """Invisible links between the boxes of a group with no link among them (a stack of cells, a row of
    examples), so they keep the order they were drawn in instead of the order the layout happens to pick."""
    out: list[str] = []
    for node, _ in _walk(nodes):
        boxes = [c for c in node.children if not c.children]
        inside = {c.id for c in boxes}
        if len(boxes) >= 2 and len(boxes) == len(node.children) \
                and not any(e.src in inside and e.dst in inside for e in edges):
            out += [f"  {ids[a.id]} ~~~ {ids[b.id]}" for a, b in zip(boxes, boxes[1:], strict=False)]
    return out


def has_step_icons(block: FlowBlock | DiagramBlock) -> bool:
    """Whether any box of the block carries a step icon (then the page also gets the source without)."""
    return any(n.icon for n, _ in _walk(block.nodes))
