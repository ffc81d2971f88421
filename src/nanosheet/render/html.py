"""Sheet in, HTML out: the page fragment (rows, panels, blocks) and the documents that hold it.

Three documents share one fragment: the *shell* the exporter loads once and swaps sheets into,
a *live* standalone page that draws itself on load, and the *snapshot* written as ``<stem>.html``
(the DOM after drawing, no scripts). Geometry comes from :mod:`geometry`; drawing, fitting and
diagrams happen in ``static/sheet.js`` because only the browser knows text metrics.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
import segno
from markupsafe import Markup

from nanosheet.model import Block, DiagramBlock, FlowBlock, GraphNode, Panel, Sheet, TableBlock
from nanosheet.render import assets
from nanosheet.render.geometry import Box, layout_rows
from nanosheet.render.inline import inline_html, inline_lines, plain, unquoted
from nanosheet.render.mermaid import label_lines, mermaid_source

log = logging.getLogger(__name__)

_ALT_DIR = {"LR": "TD", "RL": "TD", "TD": "LR", "TB": "LR", "BT": "LR"}


@dataclass(frozen=True, slots=True)
class FitOptions:
    """Font sizes (pt) the in-page fitter may choose between for panel text."""

    min_pt: float = 7.0
    base_pt: float = 10.0
    max_pt: float = 14.0
    """Body text grows no larger than the panel titles: a sparse panel stays a note, not a poster."""
    drop_extra: bool = True
    """Leave out trailing compose-added blocks (``Panel.extra``) of a panel that cannot fit (reported)."""


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nanosheet.render", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(md=inline_html, md_lines=inline_lines, unquote=unquoted, mermaid=mermaid_source,
                       alt_dir=lambda d: _ALT_DIR.get(d, "TD"), flat_nodes=_flat_labels, align=_align_attr,
                       linear_steps=_linear_steps)
    env.filters["optional_if"] = _optional_if
    return env


_FIRST_TAG = re.compile(r"^(\s*<[a-z][a-z0-9]*)")


def _optional_if(html: Markup, optional: bool) -> Markup:
    """A block compose added (``Panel.extra``) carries ``data-optional``: the page may leave it out to keep
    the rest legible (sheet.js), and says so in the report; the wireframe's own blocks never are."""
    if not optional:
        return html
    return Markup(_FIRST_TAG.sub(r"\1 data-optional", str(html), count=1))  # noqa: S704 - our own markup


def _flat_labels(block: FlowBlock | DiagramBlock) -> list[str]:
    """Every node label, shown as a plain list if mermaid cannot draw the block (never dropped)."""
    out: list[str] = []

    def walk(nodes: list[GraphNode]) -> None:
        for n in nodes:
            out.append(" ".join([plain(n.label), *n.lines]).strip())
            walk(n.children)

    walk(block.nodes)
    return out


def _linear_steps(block: Block) -> list[list[str]] | None:
    """The boxes of a long plain chain (a → b → … with 6+ boxes, no branches, groups, labels or diamonds),
    each as its display lines — drawn as wrapping step boxes, since one mermaid row would print too small."""
    if not isinstance(block, FlowBlock | DiagramBlock) or len(block.nodes) < 6:
        return None
    nodes = block.nodes
    if any(n.children or n.shape == "diamond" for n in nodes) or (isinstance(block, FlowBlock) and block.groups):
        return None
    order = {n.id: i for i, n in enumerate(nodes)}
    pairs = sorted((order.get(e.src, -9), order.get(e.dst, -9)) for e in block.edges if not e.label)
    if len(block.edges) != len(nodes) - 1 or pairs != [(i, i + 1) for i in range(len(nodes) - 1)]:
        return None
    return [label_lines(n.label, n.lines) for n in nodes]


def _align_attr(block: TableBlock, col: int) -> Markup:
    how = block.align[col] if col < len(block.align) else None
    return Markup(f' class="al-{how}"') if how in ("center", "right") else Markup("")  # noqa: S704 - fixed words


def _style(box: Box) -> str:
    return f"left:{box.x:.3f}mm;top:{box.y:.3f}mm;width:{box.w:.3f}mm;height:{box.h:.3f}mm"


def _has_diagram(blocks: list[Block]) -> bool:
    return any(b.type in ("mindmap", "flow", "diagram") for b in blocks)


def _title_blocks(panel: Panel, sheet: Sheet) -> list[Block]:
    """Blocks of a title-row panel, minus lines the title band already shows (the subtitle)."""
    shown = {plain(t).strip() for t in (sheet.title, sheet.subtitle or "")}
    return [b for b in [*panel.blocks, *panel.extra] if not (b.type == "text" and plain(b.text).strip() in shown)]


def _panel_ctx(panel: Panel, box: Box, accent: int, focus: bool, sheet: Sheet) -> dict[str, Any]:
    blocks = [*panel.blocks, *panel.extra]
    title = plain(panel.title).strip()
    return {
        "id": panel.id, "icon": panel.icon, "title": panel.title, "blocks": blocks, "accent": accent,
        "focus": focus or "widest" in panel.flags, "style": _style(box), "has_diagram": _has_diagram(blocks),
        "show_title": bool(title) and plain(sheet.title).strip() not in title,
        "title_blocks": _title_blocks(panel, sheet),
        "optional": set(range(len(panel.blocks), len(blocks))),
    }


@lru_cache(maxsize=64)  # the same link on every draw of a sheet: encoding it cost ~15 ms each time
def _qr_svg(url: str | None) -> Markup | None:
    if not url:
        return None
    try:
        qr = segno.make(url, error="m", micro=False)
    except segno.DataOverflowError:  # compose refuses long links; a sheet built elsewhere may not have
        log.warning("QR code left out: the link is %d characters, too long for a QR code", len(url))
        return None
    svg = qr.svg_inline(scale=1, border=0, dark="#3b3024", omitsize=True)
    return Markup(svg)  # noqa: S704 - segno emits a path only, the URL is not embedded


def sheet_context(sheet: Sheet, *, theme: str = "banana", fit: FitOptions | None = None) -> dict[str, Any]:
    """Everything the templates need, computed once: boxes in mm, accents, focus flags."""
    rows_ctx: list[dict[str, Any]] = []
    accent = 0
    for i, (row, geo) in enumerate(zip(sheet.rows, layout_rows(sheet.page, sheet.rows), strict=True)):
        focus = "widest" in row.flags or any("widest" in p.flags for p in row.panels)
        panels = []
        for panel, box in zip(row.panels, geo.panels, strict=True):
            panels.append(_panel_ctx(panel, box, accent % 6, focus, sheet))
            accent += 1
        inner = Box(geo.band.x, geo.band.y + 1.0, geo.band.w, geo.band.h - 2.0)
        rows_ctx.append({
            "index": i, "kind": row.kind, "focus": focus, "panels": panels, "style": _style(geo.band),
            "inner_style": _style(inner),
            "ratio_spec": row.ratio_spec if row.ratio_spec is not None else row.ratio,
        })
    return {
        "theme": theme, "page": sheet.page, "rows": rows_ctx, "title": sheet.title, "subtitle": sheet.subtitle,
        "footer": sheet.footer, "seed": sheet.seed, "stem": sheet.stem, "fit": fit or FitOptions(),
        "qr_svg": _qr_svg(sheet.footer.qr_url),
    }


def render_fragment(sheet: Sheet, *, theme: str = "banana", fit: FitOptions | None = None) -> str:
    """The ``<div id=sheet>`` for one sheet, before the in-page script draws and fits it."""
    return _env().get_template("sheet.html.j2").render(sheet_context(sheet, theme=theme, fit=fit))


def render_document(fragment: str, *, title: str, width_mm: float, height_mm: float, base: str,
                    scripts: bool, autostart: bool = False) -> str:
    """A full HTML page around ``fragment``; asset URLs start with ``base`` (an origin or a relative dir)."""
    return _env().get_template("page.html.j2").render(
        title=title, page_w=width_mm, page_h=height_mm, fragment=Markup(fragment),  # noqa: S704 - ours
        stylesheets=[base + p for p in assets.STYLESHEETS],
        scripts=[base + p for p in assets.SCRIPTS] if scripts else [], autostart=autostart,
    )


def render_html(sheet: Sheet, *, base: str = assets.ORIGIN, theme: str = "banana") -> str:
    """A live standalone page for ``sheet``: it draws and fits itself on load (needs assets at ``base``)."""
    return render_document(render_fragment(sheet, theme=theme), title=sheet.title, width_mm=sheet.page.width_mm,
                           height_mm=sheet.page.height_mm, base=base, scripts=True, autostart=True)
