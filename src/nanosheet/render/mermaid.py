"""FlowBlock / DiagramBlock in, mermaid flowchart source out (drawn in-page with mermaid's handDrawn look).

Labels are user text, so every character mermaid could read as syntax or markup is written as a
mermaid entity code (``#lt;``, ``#quot;``, ``#35;``); node ids are replaced by safe generated ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from nanosheet.model import DiagramBlock, FlowBlock, GraphEdge, GraphGroup, GraphNode

_ENTITY = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;",
           "`": "#96;", "\\": "#92;", "{": "#123;", "}": "#125;"}
_SHAPES = {"box": ('["', '"]'), "round": ('("', '")'), "circle": ('(("', '"))'),
           "diamond": ('{"', '"}'), "stadium": ('(["', '"])')}
_ARROWS = {"solid": "-->", "dotted": "-.->", "thick": "==>"}


def escape_label(text: str) -> str:
    """Text safe inside a quoted mermaid label (``#35;`` first, so later codes are not re-escaped)."""
    return "".join(_ENTITY.get(ch, ch) for ch in text.replace("\r", "").replace("\n", " "))


def _label(node: GraphNode) -> str:
    parts = [escape_label(node.label)] + [escape_label(line) for line in node.lines]
    return "<br/>".join(p for p in parts if p) or " "


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


def _nested(node: GraphNode, ids: dict[str, str], indent: str) -> list[str]:
    """A box holding boxes becomes a subgraph titled with its label."""
    if not node.children:
        return [f"{indent}{ids[node.id]}{_shape(node, _label(node))}"]
    lines = [f'{indent}subgraph {ids[node.id]}["{_label(node)}"]']
    for child in node.children:
        lines += _nested(child, ids, indent + "  ")
    lines.append(f"{indent}end")
    return lines


def _groups(groups: list[GraphGroup], ids: dict[str, str]) -> list[str]:
    """Mermaid subgraphs, nested by ``parent``; nodes already declared are only referenced."""
    gids = {g.id: f"g{i}" for i, g in enumerate(groups)}

    seen: set[str] = set()

    def emit(parent: str | None, indent: str) -> list[str]:
        out: list[str] = []
        for g in groups:
            if g.id in seen or (g.parent != parent and not (parent is None and g.parent not in gids)):
                continue
            seen.add(g.id)
            out.append(f'{indent}subgraph {gids[g.id]}["{escape_label(g.label)}"]')
            out += [f"{indent}  {ids[n]}" for n in g.nodes if n in ids]
            out += emit(g.id, indent + "  ")
            out.append(f"{indent}end")
        return out

    return emit(None, "  ")


def mermaid_source(block: FlowBlock | DiagramBlock, direction: str | None = None) -> str:
    """The flowchart text for one block; ``direction`` overrides the block's own (LR/TD/…)."""
    ids = {n.id: f"n{i}" for i, (n, _) in enumerate(_walk(block.nodes))}
    lines = [f"flowchart {direction or block.direction}"]
    for node in block.nodes:
        lines += _nested(node, ids, "  ")
    if isinstance(block, FlowBlock):
        lines += _groups(block.groups, ids)
    lines += [s for s in (_edge(e, ids) for e in block.edges) if s]
    return "\n".join(lines) + "\n"
