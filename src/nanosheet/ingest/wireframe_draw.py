"""Layout rows in, an ASCII wireframe out, drawn the way the corpus draws them but with even widths.

Used to write a clean prompt back (``nanosheet prompt``) and by the round-trip property tests: what
``draw_wireframe`` draws, ``parse_wireframe`` must read back to the same rows. Widths are counted in
display cells per grapheme (``textwidth``), so CJK, ``❤️`` and ZWJ emoji lines close on the same column.
"""

from __future__ import annotations

from nanosheet.model import (
    Block,
    ChainBlock,
    DiagramBlock,
    FlowBlock,
    GraphNode,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    Panel,
    PlaceholderBlock,
    QuoteBlock,
    Row,
    TableBlock,
    TextBlock,
)
from nanosheet.textwidth import display_width

_MARK_GLYPH = {"bullet": "•", "check": "✓", "cross": "✗", "box": "□", "box-checked": "☑"}
_GAP = 2


def draw_wireframe(rows: list[Row], width: int = 71) -> str:
    """The rows as a framed ASCII page ``width`` cells wide (wider if a line needs it)."""
    drawn = [_row_lines(row, width - 2) for row in rows]
    inner = max([width - 2, *(display_width(line) for lines in drawn for line in lines)])
    if inner > width - 2:  # a wide line widened the page: share the new width out among the panels
        drawn = [_row_lines(row, inner) for row in rows]
        inner = max([inner, *(display_width(line) for lines in drawn for line in lines)])
    out = ["┌" + "─" * inner + "┐"]
    for k, lines in enumerate(drawn):
        if k:
            out.append("├" + "─" * inner + "┤")
        out.extend("│" + _pad(line, inner) + "│" for line in lines)
    out.append("└" + "─" * inner + "┘")
    return "\n".join(out) + "\n"


def _row_lines(row: Row, inner: int) -> list[str]:
    if row.kind == "title":
        panel = row.panels[0]
        return ["  " + _title(panel), *("  " + line for b in panel.blocks for line in block_lines(b))]
    avail = inner - 3
    if row.kind == "band":
        panel = row.panels[0]
        return ["  " + _title(panel), *("  " + line for line in _box(_body(panel.blocks), avail))]
    count = max(len(row.panels), 1)
    each = (avail - _GAP * (count - 1)) // count
    boxes = []
    for panel in row.panels:
        boxes.append(_box([_title(panel), "", *_body(panel.blocks)], each))
    height = max(len(b) for b in boxes)
    boxes = [b[:-1] + [_blank(b[0])] * (height - len(b)) + b[-1:] for b in boxes]
    return ["  " + (" " * _GAP).join(parts) for parts in zip(*boxes, strict=True)]


def _body(blocks: list[Block]) -> list[str]:
    """Block lines with a blank line between blocks, so neighbours are read back as separate blocks."""
    out: list[str] = []
    k = 0
    while k < len(blocks):
        group = _column_group(blocks, k)
        lines = _columns(group) if len(group) > 1 else block_lines(blocks[k])
        out.extend([""] * bool(out) + lines)
        k += max(len(group), 1)
    return out


def _column_group(blocks: list[Block], k: int) -> list[ChainBlock]:
    """Vertical chains read from one line of side-by-side columns: drawn side by side again."""
    first = blocks[k]
    if not isinstance(first, ChainBlock) or first.direction != "TD" or first.line is None:
        return []
    group = [first]
    for block in blocks[k + 1 :]:
        if not (isinstance(block, ChainBlock) and block.direction == "TD" and block.line == first.line
                and len(block.steps) == len(first.steps)):
            break
        group.append(block)
    return group


def _columns(chains: list[ChainBlock]) -> list[str]:
    widths = [max(display_width(step) for step in chain.steps) for chain in chains]
    lines = []
    for depth in range(len(chains[0].steps)):
        if depth:
            lines.append("    ".join(_pad("↓", w) for w in widths).rstrip())
        lines.append("    ".join(_pad(c.steps[depth], w) for c, w in zip(chains, widths, strict=True)).rstrip())
    return lines


def _title(panel: Panel) -> str:
    text = f"{panel.icon} {panel.title}" if panel.icon else panel.title
    text += "".join(f" ({hint})" for hint in panel.hints)
    if panel.icon and "icon-both-ends" in panel.flags:
        text += f" {panel.icon}"
    return text


def _box(body: list[str], width: int) -> list[str]:
    """A box at least ``width`` cells wide (wider when a line needs it) around ``body``."""
    inner = max([width - 2, *(display_width(line) + 2 for line in body)])
    return ["┌" + "─" * inner + "┐", *("│ " + _pad(line, inner - 1) + "│" for line in body),
            "└" + "─" * inner + "┘"]


def _blank(top: str) -> str:
    return "│" + " " * (display_width(top) - 2) + "│"


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def block_lines(block: Block) -> list[str]:
    """How a block is written inside a wireframe box (the inverse of ``panel_blocks``)."""
    if isinstance(block, TextBlock):
        return block.text.split("\n")
    if isinstance(block, ListBlock):
        return [(f"{i.number}. " if i.mark == "number" else _MARK_GLYPH[i.mark] + " ") + i.text
                for i in block.items]
    if isinstance(block, ChainBlock):
        if block.direction == "TD":
            return [line for step in block.steps for line in ("↓", step)][1:]
        return [" → ".join(block.steps)]
    if isinstance(block, KeyValueBlock):
        first, *rest = block.value.split("\n")
        return [f"{block.key}: {first}", *("  " + r for r in rest)]
    if isinstance(block, QuoteBlock):
        return [f'"{block.text}"' + (f" - {block.attribution}" if block.attribution else "")]
    if isinstance(block, PlaceholderBlock):
        return [f"[{block.kind}: {block.text}]" if block.text else f"[{block.kind}]"]
    if isinstance(block, MindMapBlock):
        return _wrapped(f"Mind Map: {block.root} →", [c.label for c in block.children])
    if isinstance(block, FlowBlock):
        if block.notation == "chain":
            return [" → ".join(f"[{n.label}]" for n in block.nodes)]
        return ["Flowchart: " + " → ".join(n.label for n in block.nodes)]
    if isinstance(block, TableBlock):
        rows = ([block.header] if block.header else []) + block.rows
        count = max(len(r) for r in rows)
        widths = [max(display_width(r[k]) if k < len(r) else 0 for r in rows) for k in range(count)]
        lines = [" │ ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=False)).rstrip() for r in rows]
        if block.header:
            lines.insert(1, "─┼─".join("─" * w for w in widths))
        return lines
    if isinstance(block, DiagramBlock):
        # The drawing as written keeps what the nodes alone lose: arrows, captions, side-by-side order.
        if block.raw:
            return [line.rstrip() for line in block.raw]
        return [line for node in block.nodes for line in _node_box(node)]
    return [str(getattr(block, "text", ""))]


def _wrapped(head: str, items: list[str], limit: int = 56) -> list[str]:
    """``head a, b, c`` cut after commas into lines of at most ``limit`` cells; continuations indented."""
    lines, current = [], head
    for k, item in enumerate(items):
        piece = item + ("," if k < len(items) - 1 else "")
        if current.strip() and display_width(current) + 1 + display_width(piece) > limit and current != head:
            lines.append(current)
            current = "  "
        current = f"{current} {piece}" if current.strip() else current + piece
    return [*lines, current]


def _node_box(node: GraphNode) -> list[str]:
    body = [line for line in (node.label, *node.lines) if line]
    if node.children:
        body.append("")  # a line right above a nested box would be read as its caption
        body += [line for child in node.children for line in _node_box(child)]
    return _box(body, 0)
