"""Sheet in, HTML out: the page fragment (rows, panels, blocks) and the documents that hold it.

Three documents share one fragment: the *shell* the exporter loads once and swaps sheets into,
a *live* standalone page that draws itself on load, and the *snapshot* written as ``<stem>.html``
(the DOM after drawing, no scripts). Geometry comes from :mod:`geometry`; drawing, fitting and
diagrams happen in ``static/sheet.js`` because only the browser knows text metrics.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

import jinja2
import segno
from markupsafe import Markup

from nanosheet.model import Block, DiagramBlock, FlowBlock, GraphEdge, GraphNode, ListBlock, Panel, Sheet, TableBlock
from nanosheet.node_lines import label_lines
from nanosheet.options import FitOptions as FitOptions  # re-exported from its old home here
from nanosheet.render import assets
from nanosheet.render.geometry import Box, layout_rows
from nanosheet.render.inline import inline_html, inline_lines, plain, unquoted
from nanosheet.render.mermaid import has_step_icons, mermaid_source

log = logging.getLogger(__name__)

_ALT_DIR = {"LR": "TD", "RL": "TD", "TD": "LR", "TB": "LR", "BT": "LR"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("nanosheet.render", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(md=inline_html, md_lines=inline_lines, unquote=unquoted, mermaid=mermaid_source,
                       alt_dir=lambda d: _ALT_DIR.get(d, "TD"), flat_nodes=_flat_labels, flow_paths=_flow_paths,
                       align=_align_attr, linear_steps=_linear_steps, loop_back=_loop_back,
                       has_step_icons=has_step_icons)
    env.filters["optional_if"] = _optional_if
    env.filters["spare"] = _spare
    return env


_FIRST_TAG = re.compile(r"^(\s*<[a-z][a-z0-9]*)")


def _optional_if(html: Markup, optional: bool) -> Markup:
    """A block compose added (``Panel.extra``) carries ``data-optional``: the page may leave it out to keep
    the rest legible (sheet.js), and says so in the report; the wireframe's own blocks never are."""
    if not optional:
        return html
    return Markup(_FIRST_TAG.sub(r"\1 data-optional", str(html), count=1))  # noqa: S704 - our own markup


def _spare(html: Markup) -> Markup:
    """The panel's spare notes as one list whose items the page shows one by one while the panel has room
    (sheet.js); the block and every item are hidden until then."""
    marked = _FIRST_TAG.sub(r"\1 data-spares", str(html), count=1).replace("<li ", "<li data-spare ")
    return Markup(marked)  # noqa: S704 - our own markup


def _flat_labels(block: FlowBlock | DiagramBlock) -> list[str]:
    """Every node label, shown as a plain list if mermaid cannot draw the block (never dropped)."""
    out: list[str] = []

    def walk(nodes: list[GraphNode]) -> None:
        for n in nodes:
            out.append(" ".join([n.icon or "", plain(n.label), *n.lines]).strip())
            walk(n.children)

    walk(block.nodes)
    return out


MAX_PATHS = 8
MAX_PATH_NODES = 7


def _flow_paths(block: FlowBlock | DiagramBlock) -> list[str] | None:
    """A branching flow written out, one line per path from a start to an end (``A → 거짓말: B → C``): what the
    page prints when the drawing cannot be legible in its panel (sheet.js). None when the flow has nested
    boxes, no branch, or too many paths to read as lines."""
    nodes = {n.id: n for n in block.nodes}
    if any(n.children for n in block.nodes) or len(nodes) < 3:
        return None
    out_edges: dict[str, list[GraphEdge]] = {}
    for e in block.edges:
        if e.src in nodes and e.dst in nodes:
            out_edges.setdefault(e.src, []).append(e)
    if not any(len(v) > 1 for v in out_edges.values()):
        return None  # a plain chain is drawn as step boxes or a small flow already
    targets = {e.dst for v in out_edges.values() for e in v}
    starts = [n for n in nodes if n not in targets] or [block.nodes[0].id]
    paths: list[str] = []

    def walk(node: str, text: str, seen: set[str]) -> None:
        nexts = [e for e in out_edges.get(node, []) if e.dst not in seen]
        if not nexts or len(seen) >= MAX_PATH_NODES:
            paths.append(text)
            return
        for e in nexts:
            label = f"{plain(e.label)}: " if e.label else ""
            walk(e.dst, f"{text} → {label}{_one_line(nodes[e.dst])}", seen | {e.dst})

    for start in starts:
        walk(start, _one_line(nodes[start]), {start})
    return paths if len(paths) <= MAX_PATHS else None


def _one_line(node: GraphNode) -> str:
    return " ".join(" ".join([plain(node.label), *node.lines]).split())


def _linear_steps(block: Block) -> list[tuple[str | None, list[str]]] | None:
    """The boxes of a long plain chain (a → b → … with 4+ boxes, no branches, groups, labels or diamonds),
    each as its step icon (or None) and display lines — drawn as wrapping step boxes that grow with their
    panel (sheet.js growPanel); one mermaid row of 4+ boxes prints as a thin strip whose labels its width
    keeps small."""
    if not isinstance(block, FlowBlock | DiagramBlock) or len(block.nodes) < 4:
        return None
    nodes = block.nodes
    if any(n.children or n.shape == "diamond" for n in nodes) or (isinstance(block, FlowBlock) and block.groups):
        return None
    order = {n.id: i for i, n in enumerate(nodes)}
    back = _loop_back(block)
    edges = [e for e in block.edges if back is None or e.src != nodes[-1].id or order.get(e.dst) != back - 1]
    pairs = sorted((order.get(e.src, -9), order.get(e.dst, -9)) for e in edges if not e.label)
    if len(edges) != len(nodes) - 1 or pairs != [(i, i + 1) for i in range(len(nodes) - 1)]:
        return None
    steps = [label_lines(n.label, n.lines) for n in nodes]
    if back is not None:  # a loop names its steps by number, so the return arrow can say where it goes
        steps = [[f"{k}. {lines[0]}", *lines[1:]] if lines else [f"{k}."] for k, lines in enumerate(steps, 1)]
    return [(n.icon, lines) for n, lines in zip(nodes, steps, strict=True)]


def _loop_back(block: Block) -> int | None:
    """The 1-based step a chain's last box returns to (one dotted edge back), else None."""
    if not isinstance(block, FlowBlock | DiagramBlock) or len(block.nodes) < 3:
        return None
    order = {n.id: i for i, n in enumerate(block.nodes)}
    last = len(block.nodes) - 1
    backs = [order[e.dst] for e in block.edges
             if order.get(e.src) == last and e.dst in order and order[e.dst] < last - 1 and e.style == "dotted"]
    return backs[0] + 1 if len(backs) == 1 else None


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
        "spares": _spare_list(panel.spares),
    }


def _spare_list(spares: list[Block]) -> ListBlock | None:
    items = [item for b in spares if isinstance(b, ListBlock) for item in b.items]
    return ListBlock(items=items) if items else None


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
