"""A sheet and the page's :class:`~nanosheet.model.Measured` in, a :class:`~nanosheet.model.Report` and render
warnings out.

The report's JSON keys are an interface other tools read: add keys, never rename or drop them.
``ratio_rendered`` is a row band's height as a percentage of the *content height* — the page height
minus the top and bottom margins — the same base ``Row.ratio`` is specified against.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from nanosheet.errors import InputError
from nanosheet.model import Diagnostic, Measured, Panel, Report, ReportPage, ReportPanel, ReportRow, Sheet
from nanosheet.render.geometry import content_box, normalized_ratios

RATIO_DEFINITION = "row band height / content height (page height minus top and bottom margins), in percent"
REPORT_VERSION = 1


def _rows(sheet: Sheet, measured: Measured) -> list[ReportRow]:
    content_h = content_box(sheet.page).h
    return [ReportRow(index=m.index, kind=row.kind,
                      ratio_spec=row.ratio_spec if row.ratio_spec is not None else row.ratio,
                      ratio=round(target, 3), ratio_rendered=round(100.0 * m.h_mm / content_h, 3),
                      y_mm=m.y_mm, h_mm=m.h_mm, panels=[p.id for p in row.panels], flags=row.flags)
            for row, target, m in zip(sheet.rows, normalized_ratios(sheet.rows), measured.rows, strict=True)]


def report_panels(sheet: Sheet, measured: Measured) -> list[ReportPanel]:
    """One entry per drawn box (the title band included), keyed by panel id, text read back from the DOM."""
    known: dict[str, Panel] = {p.id: p for row in sheet.rows for p in row.panels}
    out = []
    for m in measured.panels:
        row = sheet.rows[m.row]
        if m.id is None:  # the title band stands for the title row (and any panels in it)
            first = row.panels[0] if row.panels else None
            ident, title = (first.id if first else f"r{m.row}title"), sheet.title
            icon, line, flags = (first.icon if first else None), (first.line if first else row.line), []
        else:
            panel = known[m.id]
            ident, title, icon, line, flags = panel.id, panel.title, panel.icon, panel.line, panel.flags
        out.append(ReportPanel(id=ident, row=m.row, title=title, icon=icon, box_mm=m.box_mm, font_pt=m.font_pt,
                               body_pt=m.body_pt, overflow=m.overflow, clipped_labels=m.clipped_labels,
                               flags=flags, line=line, text=m.text, hidden_text=m.hidden_text,
                               left_out=m.left_out, fill=m.fill, spares=m.spares))
    return out


def render_warnings(panels: list[ReportPanel], aborted: list[str], min_pt: float,
                    file: str | None) -> list[Diagnostic]:
    """What the page told us went wrong, as Diagnostics (overflow, clipped labels, blocked requests)."""
    out: list[Diagnostic] = []
    for p in panels:
        if p.overflow:
            small = p.font_pt is not None and p.font_pt < min_pt - 0.1
            why = (f"its diagram's labels would be {p.font_pt} pt" if small
                   else f"its content is still taller than the box at {min_pt:g} pt")
            out.append(Diagnostic(code="overflow", file=file, line=p.line,
                                  message=f"panel {p.id} ({p.title!r}) does not fit: {why}; "
                                          f"shorten it or give the row a larger ratio"))
        if p.left_out:
            shown = "; ".join(t[:60] + ("…" if len(t) > 60 else "") for t in p.left_out[:3])
            out.append(Diagnostic(code="left-out", file=file, line=p.line,
                                  message=f"panel {p.id} ({p.title!r}): {len(p.left_out)} added block(s) "
                                          f"left out to stay legible at 7 pt: {shown}"))
        if p.clipped_labels:
            out.append(Diagnostic(code="clipped-label", file=file, line=p.line,
                                  message=f"panel {p.id}: {p.clipped_labels} diagram label(s) larger than "
                                          "their box"))
    if aborted:
        out.append(Diagnostic(code="blocked-request", file=file,
                              message=f"the page tried to load {len(aborted)} outside URL(s); all were blocked "
                                      f"(first: {aborted[0][:120]})"))
    return out


def build_report(sheet: Sheet, measured: Measured, panels: list[ReportPanel], *, dpi: float,
                 png_px: tuple[int, int] | None, outputs: dict[str, str], timings_ms: dict[str, float],
                 aborted: list[str], warnings: list[Diagnostic]) -> Report:
    """The report; ``panels`` from :func:`report_panels`, ``warnings`` the sheet's own plus the render's."""
    page = sheet.page
    return Report(
        version=REPORT_VERSION, stem=sheet.stem, title=sheet.title,
        page=ReportPage(size=page.size, orientation=page.orientation, orientation_source=page.orientation_source,
                        width_mm=page.width_mm, height_mm=page.height_mm, dpi=dpi,
                        png_px=list(png_px) if png_px else None, content_mm=content_box(page).as_list(),
                        ratio_definition=RATIO_DEFINITION),
        auto_layout=sheet.auto_layout, seed=sheet.seed, rows=_rows(sheet, measured), panels=panels,
        overflow=any(p.overflow for p in panels), unplaced=sheet.unplaced,
        left_out=[*sheet.left_out, *(f"{p.id}: {t}" for p in panels for t in p.left_out)],
        warnings=warnings, blocked_requests=len(aborted), outputs=outputs,
        timings_ms={k: round(v, 1) for k, v in timings_ms.items()},
        planned=sheet.plan is not None, plan=sheet.plan,
    )


def report_json(report: Report) -> bytes:
    return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def load_report(path: Path) -> Report:
    """A ``<stem>.report.json`` read back and validated; anything else is an InputError naming the field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read the report ({exc})", file=str(path)) from None
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise InputError(f"not a nanosheet render report: {where}: {first['msg']}", file=str(path),
                         hint="render the sheet again to get a fresh report") from None
