"""Compose: a parsed Prompt in, a Sheet out — which content goes in which panel, icons, notes, footer, seed."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from nanosheet.compose.auto_layout import default_rows
from nanosheet.compose.curate import block_words
from nanosheet.compose.enrich import chapter_tagline, enrich_mindmap, snippet, source_notes, source_passages
from nanosheet.compose.footer import compose_footer
from nanosheet.compose.fulfil import fulfil_panels, fulfil_sections
from nanosheet.compose.icons import choose_icon
from nanosheet.compose.matching import normalise_title
from nanosheet.compose.place import curate_blocks, place_sections
from nanosheet.compose.richer import prefer_richer
from nanosheet.compose.spares import offer_spares
from nanosheet.inline import plain_text
from nanosheet.model import (
    Diagnostic,
    Item,
    ListBlock,
    MindMapBlock,
    Prompt,
    QuoteBlock,
    Row,
    Sheet,
    TextBlock,
    Unplaced,
)
from nanosheet.plan.note_style import quick_note

__all__ = ["compose_sheet", "content_seed"]


def compose_sheet(prompt: Prompt, *, place_extras: bool = False) -> Sheet:
    """Decide what every panel shows. The layout comes from the wireframe, or a default when it has none."""
    unplaced: list[Unplaced] = []
    left_out: list[str] = []
    warnings: list[Diagnostic] = list(prompt.warnings)
    prompt = fulfil_sections(prompt)
    if prompt.rows:
        rows = [row.model_copy(deep=True) for row in prompt.rows]
        unplaced = place_sections(prompt, rows, left_out, warnings, place_extras=place_extras)
    else:
        rows, unplaced = default_rows(prompt)
        for panel in (p for row in rows for p in row.panels if row.kind != "title"):
            panel.extra = curate_blocks(panel.extra, panel.model_copy(update={"extra": []}), left_out)
    fulfil_panels(rows, warnings, prompt.path)
    prefer_richer(rows, warnings, prompt.path)
    _give_icons(rows)
    used = _enrich_mindmaps(prompt, rows)
    _fill_quiet_panels(prompt, rows, used)
    _add_tagline(prompt, rows)
    rows = offer_spares(rows, prompt.source_text, [prompt.title, prompt.subtitle or ""])
    sheet = Sheet(
        stem=Path(prompt.path).stem,
        title=prompt.title,
        subtitle=_as_note(prompt.subtitle),
        page=prompt.page.model_copy(),
        rows=rows,
        footer=compose_footer(prompt, warnings),
        auto_layout=prompt.auto_layout or not prompt.rows,
        unplaced=unplaced,
        left_out=left_out,
        warnings=warnings,
        plan=prompt.plan,
    )
    sheet.seed = content_seed(sheet)
    return sheet


def _give_icons(rows: list[Row]) -> None:
    for row in rows:
        for panel in row.panels:
            if panel.icon is None and row.kind != "title":
                panel.icon = choose_icon(panel.title)


def _enrich_mindmaps(prompt: Prompt, rows: list[Row]) -> set[str]:
    """Branch notes from the source (and the other panels' wireframe lines), icons from branch labels.

    Returns the passages quoted, so other panels do not quote them again."""
    panel_lines = [getattr(b, "text", "") for row in rows for p in row.panels for b in p.blocks
                   if b.type == "text"]
    passages = source_passages(prompt.source_text, panel_lines)
    used: set[str] = set()
    for row in rows:
        for panel in row.panels:
            for blocks in (panel.blocks, panel.extra):
                for index, block in enumerate(blocks):
                    if isinstance(block, MindMapBlock):
                        enriched = enrich_mindmap(block, passages)
                        for node in enriched.children:
                            node.icon = node.icon or choose_icon(node.label)
                            used.update(p.text for p in passages if node.note and node.note in p.text)
                        blocks[index] = enriched
    return used


def _fill_quiet_panels(prompt: Prompt, rows: list[Row], used: set[str]) -> None:
    """Panels no content section filled get what the chapter says about their topic."""
    passages = source_passages(prompt.source_text)
    for row in rows:
        if row.kind == "title":
            continue
        for panel in row.panels:
            if panel.sections or panel.extra or any(b.type in {"mindmap", "flow", "diagram"} for b in panel.blocks):
                continue
            shown = set(normalise_title(panel.title)).union(*(block_words(b) for b in panel.blocks))
            notes = source_notes(panel.title, passages, shown, used)
            korean = [n for n in notes if n.tier != "transcript"]
            if korean:
                panel.extra.append(ListBlock(items=[Item(text=snippet(n, panel.title)) for n in korean]))
            panel.extra.extend(QuoteBlock(text=snippet(n, panel.title), attribution=f"🎙 {n.timestamp}")
                               for n in notes if n.tier == "transcript")


def _add_tagline(prompt: Prompt, rows: list[Row]) -> None:
    """The title band says in one sentence what the chapter is about (drawn only if it fits)."""
    tagline = chapter_tagline(prompt.source_text)
    titles = [p for row in rows if row.kind == "title" for p in row.panels]
    if not tagline or not titles or titles[0].extra or tagline == prompt.subtitle or prompt.plan is not None:
        return
    shown = " ".join(getattr(b, "text", "") for row in rows for p in row.panels for b in [*p.blocks, *p.extra])
    if tagline.rstrip("…") not in plain_text(shown):  # a chapter's summary panel already says it
        titles[0].extra.append(TextBlock(text=_as_note(tagline) or tagline))


def _as_note(text: str | None) -> str | None:
    """A title-band sentence in note form (방향입니다 → 방향임) where that needs no dictionary, else as written."""
    return (quick_note(text) or text) if text else text


def content_seed(sheet: Sheet) -> int:
    """A seed derived from the content (as Rich builds ids): same sheet, same sketchy strokes."""
    # Spares are left out: they are derived from the source, and offering them must not move every stroke.
    exclude: dict[str, Any] = {"seed": True, "warnings": True, "plan": True,
                               "rows": {"__all__": {"panels": {"__all__": {"spares"}}}}}
    payload = sheet.model_dump_json(exclude=exclude).encode("utf-8")
    return zlib.adler32(payload) & 0x7FFFFFFF
