"""A sheet and the page's measurements in, ``<stem>.report.json`` (a dict) and render warnings out.

The JSON keys are an interface other tools read: add keys, never rename or drop them.
``ratio_rendered`` is a row band's height as a percentage of the *content height* — the page height
minus the top and bottom margins — the same base ``Row.ratio`` is specified against.
"""

from __future__ import annotations

from typing import Any

from nanosheet.model import Diagnostic, Panel, Sheet
from nanosheet.render.geometry import content_box, normalized_ratios

RATIO_DEFINITION = "row band height / content height (page height minus top and bottom margins), in percent"
REPORT_VERSION = 1


def _panel_by_id(sheet: Sheet) -> dict[str, tuple[int, Panel]]:
    return {p.id: (i, p) for i, row in enumerate(sheet.rows) for p in row.panels}


def _rows(sheet: Sheet, measured: dict[str, Any]) -> list[dict[str, Any]]:
    content_h = content_box(sheet.page).h
    out = []
    for row, target, m in zip(sheet.rows, normalized_ratios(sheet.rows), measured["rows"], strict=True):
        out.append({
            "index": m["index"], "kind": row.kind,
            "ratio_spec": row.ratio_spec if row.ratio_spec is not None else row.ratio,
            "ratio": round(target, 3), "ratio_rendered": round(100.0 * m["h_mm"] / content_h, 3),
            "y_mm": m["y_mm"], "h_mm": m["h_mm"], "panels": [p.id for p in row.panels], "flags": row.flags,
        })
    return out


def report_panels(sheet: Sheet, measured: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per drawn box (the title band included), keyed by panel id, text read back from the DOM."""
    known = _panel_by_id(sheet)
    out = []
    for m in measured["panels"]:
        row_index = m["row"]
        row = sheet.rows[row_index]
        if m["id"] is None:  # the title band stands for the title row (and any panels in it)
            first = row.panels[0] if row.panels else None
            ident, title, icon, line = (first.id if first else f"r{row_index}title"), sheet.title, \
                (first.icon if first else None), (first.line if first else row.line)
            flags: list[str] = []
        else:
            _, panel = known[m["id"]]
            ident, title, icon, line, flags = panel.id, panel.title, panel.icon, panel.line, panel.flags
        out.append({
            "id": ident, "row": row_index, "title": title, "icon": icon, "box_mm": m["box_mm"],
            "font_pt": m["font_pt"], "body_pt": m["body_pt"], "overflow": bool(m["overflow"]),
            "clipped_labels": m["clipped_labels"], "flags": flags, "line": line, "text": m["text"],
            "hidden_text": m.get("hidden_text", ""), "left_out": m.get("left_out", []),
            # How far down the box the visible text reaches, 0–1, measured in the page (as sheet_quality reads it).
            "fill": float(m.get("fill", 0.0)),
        })
    return out


def render_warnings(report_panels: list[dict[str, Any]], aborted: list[str], min_pt: float,
                    file: str | None) -> list[Diagnostic]:
    """What the page told us went wrong, as Diagnostics (overflow, clipped labels, blocked requests)."""
    out: list[Diagnostic] = []
    for p in report_panels:
        if p["overflow"]:
            small = p["font_pt"] is not None and p["font_pt"] < min_pt - 0.1
            why = (f"its diagram's labels would be {p['font_pt']} pt" if small
                   else f"its content is still taller than the box at {min_pt:g} pt")
            out.append(Diagnostic(code="overflow", file=file, line=p["line"],
                                  message=f"panel {p['id']} ({p['title']!r}) does not fit: {why}; "
                                          f"shorten it or give the row a larger ratio"))
        if p["left_out"]:
            shown = "; ".join(t[:60] + ("…" if len(t) > 60 else "") for t in p["left_out"][:3])
            out.append(Diagnostic(code="left-out", file=file, line=p["line"],
                                  message=f"panel {p['id']} ({p['title']!r}): {len(p['left_out'])} added block(s) "
                                          f"left out to stay legible at 7 pt: {shown}"))
        if p["clipped_labels"]:
            out.append(Diagnostic(code="clipped-label", file=file, line=p["line"],
                                  message=f"panel {p['id']}: {p['clipped_labels']} diagram label(s) larger than "
                                          "their box"))
    if aborted:
        out.append(Diagnostic(code="blocked-request", file=file,
                              message=f"the page tried to load {len(aborted)} outside URL(s); all were blocked "
                                      f"(first: {aborted[0][:120]})"))
    return out


def build_report(sheet: Sheet, measured: dict[str, Any], *, dpi: float, png_px: tuple[int, int] | None,
                 outputs: dict[str, str], timings_ms: dict[str, float], aborted: list[str],
                 warnings: list[Diagnostic]) -> dict[str, Any]:
    """The report dict; ``warnings`` are the sheet's own plus those from :func:`render_warnings`."""
    page = sheet.page
    box = content_box(page)
    return {
        "version": REPORT_VERSION,
        "stem": sheet.stem,
        "title": sheet.title,
        "page": {"size": page.size, "orientation": page.orientation, "orientation_source": page.orientation_source,
                 "width_mm": page.width_mm, "height_mm": page.height_mm, "dpi": dpi,
                 "png_px": list(png_px) if png_px else None, "content_mm": box.as_list(),
                 "ratio_definition": RATIO_DEFINITION},
        "auto_layout": sheet.auto_layout,
        "seed": sheet.seed,
        "rows": _rows(sheet, measured),
        "panels": report_panels(sheet, measured),
        "overflow": any(p["overflow"] for p in measured["panels"]),
        "unplaced": [u.model_dump(mode="json") for u in sheet.unplaced],
        "left_out": [*sheet.left_out, *(f"{p['id']}: {t}" for p in report_panels(sheet, measured)
                                         for t in p["left_out"])],
        "warnings": [w.model_dump(mode="json", exclude_none=True) for w in warnings],
        "blocked_requests": len(aborted),
        "outputs": outputs,
        "timings_ms": {k: round(v, 1) for k, v in timings_ms.items()},
        "planned": sheet.plan is not None,
        "plan": sheet.plan.model_dump(mode="json") if sheet.plan is not None else None,
    }
