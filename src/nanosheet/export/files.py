"""A Sheet and what the browser captured in, ``OUTDIR/<stem>.{png,pdf,html,report.json}`` out.

PNG: exact pixel size for the page at ``dpi`` (2480×3508 for A4 portrait at 300), DPI recorded.
PDF: one vector page, fonts embedded by Chromium, no clock time. HTML: a snapshot of the drawn page
(no scripts) with the fonts and CSS it uses copied to ``OUTDIR/assets/``, so it opens offline.
Every file goes through :func:`~nanosheet.export.write.write_atomic`: whole or not at all; the
report is written last.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nanosheet.export.capture import FORMATS, Capture, Captured
from nanosheet.export.report import build_report, render_warnings, report_json, report_panels
from nanosheet.export.stamp import pdf_exact_page, pdf_without_clock, png_size, png_with_dpi
from nanosheet.export.write import ensure_subdir, write_atomic
from nanosheet.model import Diagnostic, Report, Sheet
from nanosheet.options import FitOptions, check_export_options
from nanosheet.render import assets
from nanosheet.render.html import render_document, render_fragment
from nanosheet.safety import safe_stem

ASSET_DIR = "assets"


@dataclass
class ExportResult:
    stem: str
    paths: dict[str, Path] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    """The report as written to ``<stem>.report.json`` (the file's interface)."""
    model: Report | None = None
    """The same report, typed."""
    warnings: list[Diagnostic] = field(default_factory=list)
    overflow: bool = False
    png: bytes | None = None
    """The PNG as written (a batch makes its thumbnail from it)."""
    chapter: int | None = None
    """The input's chapter number (frontmatter), for the gallery's order."""


def copy_assets(served: Iterable[str], outdir: Path) -> int:
    """Copy the CSS and fonts the page used next to the HTML (scripts are not needed by the snapshot)."""
    copied = 0
    for rel in sorted(served):
        src = assets.asset_path(rel)
        if src is None or src.suffix == ".js":
            continue
        dst = outdir / ASSET_DIR / rel
        if dst.is_file() and not dst.is_symlink() and dst.stat().st_size == src.stat().st_size:
            continue
        ensure_subdir(outdir, str(Path(ASSET_DIR, rel).parent))
        write_atomic(dst, src.read_bytes())
        copied += 1
    return copied


def write_outputs(sheet: Sheet, outdir: Path, cap: Captured, *, dpi: float, fit: FitOptions,
                  source: str | None, timings: dict[str, float] | None = None) -> ExportResult:
    """Stamp and write what was captured (each file atomically), then the report last."""
    stem = safe_stem(sheet.stem)
    result = ExportResult(stem=stem)
    timings = {**(timings or {}), **cap.timings, **{f"page_{k}": v for k, v in cap.measured.timings_ms.items()}}
    t0 = time.perf_counter()
    png_px: tuple[int, int] | None = None
    if cap.png is not None:
        result.png = png_with_dpi(cap.png, dpi)
        png_px = png_size(result.png)
        result.paths["png"] = outdir / f"{stem}.png"
        write_atomic(result.paths["png"], result.png)
    if cap.pdf is not None:
        result.paths["pdf"] = outdir / f"{stem}.pdf"
        pdf = pdf_exact_page(pdf_without_clock(cap.pdf), sheet.page.width_mm, sheet.page.height_mm)
        write_atomic(result.paths["pdf"], pdf)
    if cap.snapshot is not None:
        doc = render_document(cap.snapshot, title=sheet.title, width_mm=sheet.page.width_mm,
                              height_mm=sheet.page.height_mm, base=f"{ASSET_DIR}/", scripts=False)
        result.paths["html"] = outdir / f"{stem}.html"
        write_atomic(result.paths["html"], doc.encode("utf-8"))
        copy_assets(cap.served, outdir)
    timings["write"] = (time.perf_counter() - t0) * 1000

    panels = report_panels(sheet, cap.measured)
    result.warnings = [*sheet.warnings, *render_warnings(panels, cap.aborted, fit.min_pt, source)]
    result.overflow = any(p.overflow for p in panels)
    timings["total"] = sum(v for k, v in timings.items() if not k.startswith("page_") and k != "capture")
    outputs = {fmt: path.name for fmt, path in result.paths.items()}
    result.model = build_report(sheet, cap.measured, panels, dpi=dpi, png_px=png_px, outputs=outputs,
                                timings_ms=timings, aborted=cap.aborted, warnings=result.warnings)
    result.report = result.model.to_json()
    result.paths["report"] = outdir / f"{stem}.report.json"
    write_atomic(result.paths["report"], report_json(result.model))
    return result


def export_sheet(sheet: Sheet, outdir: Path, *, browser: Capture, formats: Iterable[str] = FORMATS,
                 dpi: float = 300.0, fit: FitOptions | None = None, source: str | None = None) -> ExportResult:
    """A hand-built or already composed Sheet through the drawing half of the pipeline: html → capture → write
    (:func:`nanosheet.pipeline.render_file` is the whole pipeline from an input file)."""
    wanted = check_export_options(formats, dpi)
    fit = fit or FitOptions()
    t0 = time.perf_counter()
    fragment = render_fragment(sheet, fit=fit)
    timings = {"html_build": (time.perf_counter() - t0) * 1000}
    captured = browser.capture(fragment, sheet.page, title=sheet.title, formats=wanted, dpi=dpi)
    outdir.mkdir(parents=True, exist_ok=True)
    return write_outputs(sheet, outdir, captured, dpi=dpi, fit=fit, source=source, timings=timings)
