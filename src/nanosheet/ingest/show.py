"""A ``Prompt`` in, a ``rich.tree.Tree`` out: what ``nanosheet inspect`` prints for people."""

from __future__ import annotations

from rich.tree import Tree

from nanosheet.model import Block, MindNode, Panel, Prompt, Row
from nanosheet.terminal import safe_text

_CLIP = 60


def prompt_tree(prompt: Prompt) -> Tree:
    """Page, rows > panels > blocks, sections, warnings and repairs, one branch each."""
    subtitle = f" — {safe_text(prompt.subtitle)}" if prompt.subtitle else ""
    tree = Tree(f"[bold]{safe_text(prompt.title)}[/]{subtitle}  [dim]{safe_text(prompt.path)}[/]")
    page = prompt.page
    tree.add(f"page: {safe_text(page.size)} {page.orientation} [dim]({safe_text(page.orientation_source)})[/]")
    _add_rows(tree, prompt)
    _add_sections(tree, prompt)
    _add_warnings(tree, prompt)
    _add_repairs(tree, prompt)
    return tree


def _add_rows(tree: Tree, prompt: Prompt) -> None:
    if prompt.auto_layout:
        tree.add("rows: [yellow]none in the prompt — automatic layout[/]")
        return
    rows = tree.add(f"rows ({len(prompt.rows)})")
    for index, row in enumerate(prompt.rows, 1):
        rows_branch = rows.add(_row_label(index, row))
        for panel in row.panels:
            _add_panel(rows_branch, panel)


def _row_label(index: int, row: Row) -> str:
    stated = f", stated {row.ratio_spec:g}%" if row.ratio_spec is not None else ", default"
    flags = f" [magenta]{safe_text(' '.join(row.flags))}[/]" if row.flags else ""
    line = f" [dim]line {row.line}[/]" if row.line else ""
    return f"{index}. [cyan]{row.kind}[/] {row.ratio:g}%{stated}{flags}{line}"


def _add_panel(parent: Tree, panel: Panel) -> None:
    icon = f"{panel.icon} " if panel.icon else ""
    flags = f" [magenta]{safe_text(' '.join(panel.flags))}[/]" if panel.flags else ""
    branch = parent.add(f"[bold]{safe_text(icon + panel.title)}[/]{flags}")
    for block in panel.blocks:
        _add_block(branch, block)


def _add_block(parent: Tree, block: Block) -> None:
    if block.type == "mindmap":
        branch = parent.add(f"[green]mindmap[/] {safe_text(block.root)}")
        for node in block.children:
            _add_mind_node(branch, node)
        return
    parent.add(f"[green]{block.type}[/] {safe_text(_summary(block))}")


def _add_mind_node(parent: Tree, node: MindNode) -> None:
    branch = parent.add(safe_text(node.label))
    for child in node.children:
        _add_mind_node(branch, child)


def _summary(block: Block) -> str:
    match block.type:
        case "list":
            text = " · ".join(item.text for item in block.items)
        case "chain":
            text = " → ".join(block.steps)
        case "keyvalue":
            text = f"{block.key}: {block.value}"
        case "table":
            cols = len(block.header) if block.header else (len(block.rows[0]) if block.rows else 0)
            text = f"{len(block.rows)} rows × {cols} cols"
        case "flow" | "diagram":
            text = f"{len(block.nodes)} nodes, {len(block.edges)} edges"
        case "callout":
            text = block.title
        case "placeholder":
            text = f"{block.kind}: {block.text}" if block.text else block.kind
        case "mindmap":
            text = block.root
        case _:
            text = block.text
    return _clip(text)


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _CLIP else flat[: _CLIP - 1] + "…"


def _add_sections(tree: Tree, prompt: Prompt) -> None:
    branch = tree.add(f"sections ({len(prompt.sections)})")
    for section in prompt.sections:
        number = f"{section.number}. " if section.number is not None else ""
        icon = f"{section.icon} " if section.icon else ""
        hints = f" [magenta]({safe_text(', '.join(section.hints))})[/]" if section.hints else ""
        # A directive shows what it asks for and what it brought: "directive flow (code)".
        types = ", ".join(f"directive {b.kind} ({' '.join(x.type for x in b.payload)})" if b.type == "directive"
                          else b.type for b in section.blocks)
        blocks = f" [dim]{len(section.blocks)} blocks: {types}[/]" if section.blocks else ""
        branch.add(f"[cyan]{section.kind}[/] {section.line_start}–{section.line_end} "
                   f"{safe_text(number + icon + _clip(section.title))}{hints}{blocks}")


def _add_warnings(tree: Tree, prompt: Prompt) -> None:
    if not prompt.warnings:
        tree.add("warnings: none")
        return
    branch = tree.add(f"[yellow]warnings ({len(prompt.warnings)})[/]")
    for diag in prompt.warnings:
        where = f"line {diag.line}" if diag.line is not None else "file"
        branch.add(f"{where}: [yellow]{diag.code}[/] {safe_text(diag.message)}")


def _add_repairs(tree: Tree, prompt: Prompt) -> None:
    r = prompt.repairs
    if r.mojibake is None and not r.bom and r.line_endings == "lf":
        tree.add(f"repairs: none ({r.encoding})")
        return
    branch = tree.add(f"repairs: {r.encoding}, line endings {r.line_endings}{', BOM' if r.bom else ''}")
    if r.mojibake:
        branch.add(f"mojibake ({r.mojibake}) undone: {r.changed_chars} characters changed, "
                   f"{len(r.recovered)} rebuilt from lost bytes, {len(r.unrecoverable)} unrecoverable")
    for rec in r.unrecoverable:
        branch.add(f"[red]line {rec.line}:{rec.col}[/] could not be rebuilt")
