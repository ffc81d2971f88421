"""Blocks -> the plain text lines a reader sees, for capacity checks (LLM) and OCR expectations (verify)."""

from __future__ import annotations

from nanosheet.model import (
    Block,
    CalloutBlock,
    ChainBlock,
    CodeBlock,
    DiagramBlock,
    FlowBlock,
    GraphNode,
    HeadingBlock,
    Item,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    MindNode,
    Panel,
    PlaceholderBlock,
    QuoteBlock,
    TableBlock,
    TextBlock,
)


def block_lines(block: Block) -> list[str]:
    """One string per printed line (before wrapping); markup-free, empty lines dropped."""
    lines = _lines(block)
    return [" ".join(line.split()) for line in lines if line.strip()]


def panel_lines(panel: Panel, *, title: bool = False) -> list[str]:
    """The panel's lines: wireframe blocks then compose's extra blocks (and the title first if asked)."""
    out = [panel.title] if title and panel.title.strip() else []
    for block in [*panel.blocks, *panel.extra]:
        out.extend(block_lines(block))
    return out


def _lines(block: Block) -> list[str]:
    if isinstance(block, (TextBlock, CodeBlock)):
        return block.text.splitlines()
    if isinstance(block, HeadingBlock):
        return [block.text]
    if isinstance(block, ListBlock):
        return [line for item in block.items for line in _item(item, 0)]
    if isinstance(block, ChainBlock):
        return [" → ".join(block.steps)] if block.direction == "LR" else list(block.steps)
    if isinstance(block, KeyValueBlock):
        return [f"{block.key}: {block.value}"]
    if isinstance(block, QuoteBlock):
        return [*block.text.splitlines(), *([f"— {block.attribution}"] if block.attribution else [])]
    if isinstance(block, CalloutBlock):
        return [block.title, *block.text.splitlines()]
    if isinstance(block, TableBlock):
        rows = ([block.header] if block.header else []) + block.rows
        return [" | ".join(cell.strip() for cell in row) for row in rows]
    if isinstance(block, PlaceholderBlock):
        return [block.text or block.kind]
    if isinstance(block, MindMapBlock):
        return [block.root, *[line for child in block.children for line in _mind(child)]]
    if isinstance(block, (FlowBlock, DiagramBlock)):
        return [line for node in block.nodes for line in _node(node)]
    raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover


def _item(item: Item, depth: int) -> list[str]:
    label = f"{item.number}. " if item.mark == "number" and item.number else ""
    return [f"{label}{item.text}", *[line for child in item.children for line in _item(child, depth + 1)]]


def _mind(node: MindNode) -> list[str]:
    head = f"{node.icon} {node.label}" if node.icon else node.label
    return [head, *([node.note] if node.note else []), *[ln for c in node.children for ln in _mind(c)]]


def _node(node: GraphNode) -> list[str]:
    caption = [node.caption] if node.caption else []
    return [*caption, node.label, *node.lines, *[line for child in node.children for line in _node(child)]]
