"""Compose: a parsed Prompt in, a Sheet out — which content goes in which panel, footer, seed."""

from __future__ import annotations

import zlib
from pathlib import Path

from nanosheet.compose.auto_layout import default_rows
from nanosheet.model import Footer, Prompt, Sheet, Unplaced


def compose_sheet(prompt: Prompt) -> Sheet:
    """Decide what every panel shows. The layout comes from the wireframe, or a default when it has none."""
    rows = [row.model_copy(deep=True) for row in prompt.rows]
    warnings = list(prompt.warnings)
    unplaced: list[Unplaced] = []
    if not rows:
        rows, unplaced = default_rows(prompt)
    sheet = Sheet(
        stem=Path(prompt.path).stem,
        title=prompt.title,
        subtitle=prompt.subtitle,
        page=prompt.page.model_copy(),
        rows=rows,
        footer=compose_footer(prompt),
        auto_layout=prompt.auto_layout or not prompt.rows,
        unplaced=unplaced,
        warnings=warnings,
    )
    sheet.seed = content_seed(sheet)
    return sheet


def compose_footer(prompt: Prompt) -> Footer:
    fm = prompt.frontmatter
    chapter = None
    if fm.chapter is not None:
        chapter = f"{fm.chapter}/{fm.total_chapters}" if fm.total_chapters else str(fm.chapter)
    title_en = fm.title if fm.title and fm.title != (fm.title_kr or prompt.title) else None
    return Footer(
        title=fm.title_kr or fm.title or prompt.title,
        title_en=title_en,
        author=fm.author,
        chapter=chapter,
        source_url=fm.source_url,
        qr_url=fm.source_url,
    )


def content_seed(sheet: Sheet) -> int:
    """A seed derived from the content (as Rich builds ids): same sheet, same sketchy strokes."""
    payload = sheet.model_dump_json(exclude={"seed", "warnings"}).encode("utf-8")
    return zlib.adler32(payload) & 0x7FFFFFFF
