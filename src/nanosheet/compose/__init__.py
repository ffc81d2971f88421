"""Compose: a parsed Prompt in, a Sheet out — which content goes in which panel, icons, notes, footer, seed."""

from __future__ import annotations

import zlib
from pathlib import Path

from nanosheet.compose.auto_layout import default_rows
from nanosheet.compose.enrich import enrich_mindmap, source_passages
from nanosheet.compose.footer import compose_footer
from nanosheet.compose.icons import choose_icon
from nanosheet.compose.matching import match_sections
from nanosheet.model import Block, MindMapBlock, Panel, Prompt, Row, Sheet, Unplaced

__all__ = ["compose_sheet", "content_seed"]


def compose_sheet(prompt: Prompt, *, place_extras: bool = False) -> Sheet:
    """Decide what every panel shows. The layout comes from the wireframe, or a default when it has none."""
    unplaced: list[Unplaced] = []
    if prompt.rows:
        rows = [row.model_copy(deep=True) for row in prompt.rows]
        unplaced = _place_sections(prompt, rows, place_extras=place_extras)
    else:
        rows, unplaced = default_rows(prompt)
    _give_icons(rows)
    _enrich_mindmaps(prompt, rows)
    sheet = Sheet(
        stem=Path(prompt.path).stem,
        title=prompt.title,
        subtitle=prompt.subtitle,
        page=prompt.page.model_copy(),
        rows=rows,
        footer=compose_footer(prompt),
        auto_layout=prompt.auto_layout or not prompt.rows,
        unplaced=unplaced,
        warnings=list(prompt.warnings),
    )
    sheet.seed = content_seed(sheet)
    return sheet


def _place_sections(prompt: Prompt, rows: list[Row], *, place_extras: bool) -> list[Unplaced]:
    """Matched sections' blocks join their panel after the wireframe's own lines."""
    panels = {p.id: p for row in rows for p in row.panels if row.kind != "title"}
    sections = [s for s in prompt.sections if s.kind == "content"]
    unplaced: list[Unplaced] = []
    for match in match_sections(sections, rows):
        section = match.section
        if match.panel_id is None:
            unplaced.append(Unplaced(section=section.title, reason=match.reason, line=section.line_start))
            continue
        panel = panels[match.panel_id]
        panel.extra.extend(_section_blocks(section.blocks, panel))
        panel.sections.append(section.title)
    if place_extras and unplaced:
        unplaced = _place_extras(prompt, panels, unplaced)
    return unplaced


def _section_blocks(blocks: list[Block], panel: Panel) -> list[Block]:
    """A section's blocks, minus a mind map the panel already draws from the wireframe."""
    has_mindmap = any(b.type == "mindmap" for b in panel.blocks)
    return [b for b in blocks if not (has_mindmap and b.type == "mindmap")]


def _place_extras(prompt: Prompt, panels: dict[str, Panel], unplaced: list[Unplaced]) -> list[Unplaced]:
    """--place-extras: unmatched sections go to the panel holding the least content."""
    by_title = {s.title: s for s in prompt.sections if s.kind == "content"}
    for item in unplaced:
        section = by_title[item.section]
        target = min(panels.values(), key=lambda p: (len(p.blocks) + len(p.extra), p.id))
        target.extra.extend(section.blocks)
        target.sections.append(section.title)
    return []


def _give_icons(rows: list[Row]) -> None:
    for row in rows:
        for panel in row.panels:
            if panel.icon is None and row.kind != "title":
                panel.icon = choose_icon(panel.title)


def _enrich_mindmaps(prompt: Prompt, rows: list[Row]) -> None:
    """Branch notes from the source (and the other panels' wireframe lines), icons from branch labels."""
    panel_lines = [getattr(b, "text", "") for row in rows for p in row.panels for b in p.blocks
                   if b.type == "text"]
    passages = source_passages(prompt.source_text, panel_lines)
    for row in rows:
        for panel in row.panels:
            for blocks in (panel.blocks, panel.extra):
                for index, block in enumerate(blocks):
                    if isinstance(block, MindMapBlock):
                        enriched = enrich_mindmap(block, passages)
                        for node in enriched.children:
                            node.icon = node.icon or choose_icon(node.label)
                        blocks[index] = enriched


def content_seed(sheet: Sheet) -> int:
    """A seed derived from the content (as Rich builds ids): same sheet, same sketchy strokes."""
    payload = sheet.model_dump_json(exclude={"seed", "warnings"}).encode("utf-8")
    return zlib.adler32(payload) & 0x7FFFFFFF
