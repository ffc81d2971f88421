"""Sheet rows and ratios in, page boxes in millimetres out: where every row and panel sits on the page.

Geometry is decided here, in Python, not by the browser's layout engine, so the row ratios hold
exactly. Definition used by the report: a row's *rendered ratio* is its band height divided by
the content height (the page height minus the top and bottom margins), in percent. Panels sit
inside their row band with a small inset, so the visible gaps never eat into a neighbour's share.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanosheet.model import Page, Row

MARGIN_TOP_MM = 8.0
MARGIN_SIDE_MM = 8.0
MARGIN_BOTTOM_MM = 11.0
"""The bottom margin holds the footer (source, author, chapter), so it is a little taller."""
ROW_INSET_MM = 1.6
"""Half the visible gap between two rows; panels keep this far from their band's edges."""
PANEL_GAP_MM = 3.2
"""Gap between two panels side by side."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on the page in millimetres, origin top-left."""

    x: float
    y: float
    w: float
    h: float

    def as_list(self) -> list[float]:
        return [round(self.x, 2), round(self.y, 2), round(self.w, 2), round(self.h, 2)]


@dataclass(frozen=True, slots=True)
class RowGeometry:
    band: Box
    """The row's full share of the content area (what ``ratio`` measures)."""
    panels: list[Box]


def content_box(page: Page) -> Box:
    """The page inside its margins."""
    return Box(
        MARGIN_SIDE_MM,
        MARGIN_TOP_MM,
        page.width_mm - 2 * MARGIN_SIDE_MM,
        page.height_mm - MARGIN_TOP_MM - MARGIN_BOTTOM_MM,
    )


def normalized_ratios(rows: list[Row]) -> list[float]:
    """Row ratios scaled to sum to 100 (compose normalises already; a hand-built sheet may not)."""
    raw = [max(r.ratio, 0.0) for r in rows]
    total = sum(raw)
    if total <= 0:
        return [100.0 / len(rows)] * len(rows) if rows else []
    return [100.0 * r / total for r in raw]


def split_widths(total: float, weights: list[float], gap: float) -> list[tuple[float, float]]:
    """(offset, width) for each panel: ``total`` minus the gaps, shared in proportion to ``weights``."""
    if not weights:
        return []
    clean = [w if w > 0 else 1.0 for w in weights]
    usable = total - gap * (len(clean) - 1)
    scale = usable / sum(clean)
    out: list[tuple[float, float]] = []
    x = 0.0
    for w in clean:
        out.append((x, w * scale))
        x += w * scale + gap
    return out


def layout_rows(page: Page, rows: list[Row]) -> list[RowGeometry]:
    """Every row's band and its panels' boxes, top to bottom."""
    area = content_box(page)
    y = area.y
    out: list[RowGeometry] = []
    for row, ratio in zip(rows, normalized_ratios(rows), strict=True):
        h = area.h * ratio / 100.0
        band = Box(area.x, y, area.w, h)
        weights = row.widths if len(row.widths) == len(row.panels) else [1.0] * len(row.panels)
        inset = min(ROW_INSET_MM, h * 0.2)  # a very thin row keeps its panels inside it
        inner_y, inner_h = y + inset, h - 2 * inset
        panels = [
            Box(area.x + off, inner_y, w, inner_h) for off, w in split_widths(area.w, weights, PANEL_GAP_MM)
        ]
        out.append(RowGeometry(band, panels))
        y += h
    return out
