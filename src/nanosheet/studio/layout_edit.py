"""Source text and dragged row ratios / panel widths in, the source with its layout rewritten out.

The file stays the single truth: a drag in the preview becomes new text — the ratio table written by
``promptgen.ratio_table`` (the writer ``nanosheet prompt`` uses) replaces the one the source had, or
is added under the wireframe; a source without a wireframe gets the whole layout section
(``promptgen.layout_section``). Everything else in the text is kept as written.
"""

from __future__ import annotations

from nanosheet.errors import InputError
from nanosheet.ingest import wireframe_span
from nanosheet.ingest.ratios import parse_ratio_spec
from nanosheet.ingest.sections import section_lines
from nanosheet.model import Prompt, Row
from nanosheet.promptgen import layout_section, ratio_table
from nanosheet.studio.engine import parse_text

MIN_SHARE = 3.0
"""Percent: no row or panel may be dragged thinner than this (it would hold nothing legible)."""


def set_layout(text: str, name: str, ratios: list[float] | None = None,
               widths: dict[int, list[float]] | None = None, orientation: str | None = None) -> str:
    """``text`` with row ``ratios`` (any positive scale) and per-row panel ``widths`` written into it."""
    parsed = parse_text(text, name, orientation=orientation)
    base = parsed.prompt.rows or parsed.sheet.rows
    rows = updated_rows(base, ratios, widths)
    lines = text.split("\n")
    if parsed.prompt.rows:
        return "\n".join(_replace_table(lines, parsed.prompt, rows))
    return "\n".join(_insert_layout(lines, parsed.prompt, rows))


def updated_rows(rows: list[Row], ratios: list[float] | None, widths: dict[int, list[float]] | None) -> list[Row]:
    """Copies of ``rows`` with normalised ratios (summing to 100) and widths; wrong counts are an ``InputError``."""
    out = [r.model_copy(deep=True) for r in rows]
    if ratios is not None:
        if len(ratios) != len(out) or any(r <= 0 for r in ratios):
            raise InputError(f"expected {len(out)} positive row ratios, got {ratios!r}")
        shares = _shares(ratios)
        for row, share in zip(out, shares, strict=True):
            row.ratio = round(share, 2)
    for index, ws in (widths or {}).items():
        if not 0 <= index < len(out) or len(ws) != len(out[index].panels) or any(w <= 0 for w in ws):
            raise InputError(f"row {index}: expected {len(out[index].panels) if 0 <= index < len(out) else 0} "
                             f"positive widths, got {ws!r}")
        out[index].widths = [round(s, 2) for s in _shares(ws)]
    return out


def _shares(values: list[float]) -> list[float]:
    """Values as percentages, none below ``MIN_SHARE`` (taken from the largest)."""
    total = sum(values)
    shares = [100.0 * v / total for v in values]
    for i, s in enumerate(shares):
        if s < MIN_SHARE:
            big = max(range(len(shares)), key=shares.__getitem__)
            shares[big] -= MIN_SHARE - s
            shares[i] = MIN_SHARE
    return shares


def _replace_table(lines: list[str], prompt: Prompt, rows: list[Row]) -> list[str]:
    table = ratio_table(rows)
    span = _ratio_span(lines, prompt)
    if span is not None:
        start, end = span
        return [*lines[: start - 1], *table, *lines[end:]]
    after = _wireframe_end(lines, prompt)
    return [*lines[:after], "", "## 배치 비율", "", *table, "", *lines[after:]]


def _ratio_span(lines: list[str], prompt: Prompt) -> tuple[int, int] | None:
    """1-based inclusive lines of the ratio table (or bullet list) the source already has."""
    spec = [s for s in prompt.sections if s.kind == "ratio"] or [s for s in prompt.sections if s.kind == "layout"]
    for section in spec:
        first, body = section_lines(section)
        entries, _ = parse_ratio_spec("\n".join(body), first, prompt.path)
        if not entries:
            continue
        start, end = min(e.line for e in entries), max(e.line for e in entries)
        if lines[start - 1].lstrip().startswith("|"):
            while start > 1 and lines[start - 2].lstrip().startswith("|"):
                start -= 1
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
        return start, end
    return None


def _wireframe_end(lines: list[str], prompt: Prompt) -> int:
    """The 1-based line after which a new ratio table goes: the wireframe's closing fence."""
    layout = next((s for s in prompt.sections if s.kind == "layout" and wireframe_span(s) is not None), None)
    if layout is None:
        return len(lines)
    box, first = wireframe_span(layout) or ("", 1)
    end = first + box.count("\n")
    for k in range(end, min(len(lines), layout.line_end)):
        if lines[k].lstrip().startswith(("```", "~~~")):
            return k + 1
    return end


def _insert_layout(lines: list[str], prompt: Prompt, rows: list[Row]) -> list[str]:
    """A source without a wireframe gets one, with its ratio table, before its style or content part."""
    section = layout_section(rows, prompt.page.orientation).split("\n")
    anchor = next((s.line_start for s in prompt.sections if s.kind in ("style", "instructions", "image_request")),
                  None)
    if anchor is None:
        return [*lines, "", *section, ""] if lines and lines[-1].strip() else [*lines, *section, ""]
    return [*lines[: anchor - 1], *section, "", *lines[anchor - 1 :]]
