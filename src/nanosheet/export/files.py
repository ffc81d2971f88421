"""A Sheet in, ``OUTDIR/<stem>.{png,pdf,html,report.json}`` out, drawn by a shared :class:`SheetBrowser`.

PNG: exact pixel size for the page at ``dpi`` (2480×3508 for A4 portrait at 300), DPI recorded.
PDF: one vector page, fonts embedded by Chromium, no clock time. HTML: a snapshot of the drawn page
(no scripts) with the fonts and CSS it uses copied to ``OUTDIR/assets/``, so it opens offline.
Every file is written to a temporary name and renamed, so an interrupted run leaves no half files.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nanosheet.errors import RenderError
from nanosheet.export.browser import SheetBrowser
from nanosheet.export.report import build_report, render_warnings, report_panels
from nanosheet.export.stamp import pdf_exact_page, pdf_without_clock, png_size, png_with_dpi
from nanosheet.model import Diagnostic, Sheet
from nanosheet.render import assets
from nanosheet.render.html import FitOptions, render_document, render_fragment
from nanosheet.safety import safe_stem

FORMATS = ("png", "pdf", "html")
ASSET_DIR = "assets"


@dataclass
class ExportResult:
    stem: str
    paths: dict[str, Path] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    overflow: bool = False


TMP_MARK = ".tmp"
"""Temporary names are ``.<name>.tmp<pid>``; a batch removes leftovers of a killed run."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary sibling, then rename it over ``path``: a killed process leaves the
    old file or the new one, never half of one (no fsync: that guards against power loss, at a cost)."""
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def copy_assets(served: Iterable[str], outdir: Path) -> int:
    """Copy the CSS and fonts the page used next to the HTML (scripts are not needed by the snapshot)."""
    copied = 0
    for rel in sorted(served):
        src = assets.asset_path(rel)
        if src is None or src.suffix == ".js":
            continue
        dst = outdir / ASSET_DIR / rel
        if dst.is_file() and dst.stat().st_size == src.stat().st_size:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}{TMP_MARK}{os.getpid()}")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        copied += 1
    return copied


@dataclass
class Capture:
    """What the browser produced for one sheet, before anything is written."""

    measured: dict[str, Any]
    png: bytes | None = None
    pdf: bytes | None = None
    snapshot: str | None = None
    aborted: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def check_export_options(formats: Iterable[str], dpi: float) -> list[str]:
    if dpi <= 0 or dpi > 1200:
        raise RenderError(f"--dpi {dpi:g} is out of range", hint="use a value between 1 and 1200")
    return [f for f in FORMATS if f in set(formats)]


def export_sheet(sheet: Sheet, outdir: Path, *, browser: SheetBrowser, formats: Iterable[str] = FORMATS,
                 dpi: float = 300.0, fit: FitOptions | None = None, source: str | None = None) -> ExportResult:
    """Draw ``sheet`` once and write the requested formats plus the report; never raises on overflow."""
    wanted = check_export_options(formats, dpi)
    fit = fit or FitOptions()
    aborted_before = len(browser.aborted)
    t0 = time.perf_counter()
    fragment = render_fragment(sheet, fit=fit)
    timings = {"html_build": (time.perf_counter() - t0) * 1000}
    t0 = time.perf_counter()
    cap = Capture(measured=browser.draw(fragment, sheet.page, title=sheet.title), timings=timings)
    timings["layout_fit"] = (time.perf_counter() - t0) * 1000
    if "png" in wanted:
        t0 = time.perf_counter()
        cap.png = browser.png(sheet.page, dpi)
        timings["png"] = (time.perf_counter() - t0) * 1000
    if "pdf" in wanted:
        t0 = time.perf_counter()
        cap.pdf = browser.pdf(sheet.page)
        timings["pdf"] = (time.perf_counter() - t0) * 1000
    if "html" in wanted:
        t0 = time.perf_counter()
        cap.snapshot = browser.snapshot()
        timings["html"] = (time.perf_counter() - t0) * 1000
    cap.aborted = browser.aborted[aborted_before:]
    return write_outputs(sheet, outdir, cap, served=browser.served, dpi=dpi, fit=fit, source=source)


def write_outputs(sheet: Sheet, outdir: Path, cap: Capture, *, served: Iterable[str], dpi: float,
                  fit: FitOptions, source: str | None) -> ExportResult:
    """Stamp and write what was captured (each file atomically), then the report last."""
    outdir.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(sheet.stem)
    result = ExportResult(stem=stem)
    timings = cap.timings
    measured = cap.measured
    timings.update({f"page_{k}": v for k, v in measured.get("timings_ms", {}).items()})
    t0 = time.perf_counter()
    png_px: tuple[int, int] | None = None
    if cap.png is not None:
        png = png_with_dpi(cap.png, dpi)
        png_px = png_size(png)
        result.paths["png"] = outdir / f"{stem}.png"
        write_atomic(result.paths["png"], png)
    if cap.pdf is not None:
        result.paths["pdf"] = outdir / f"{stem}.pdf"
        pdf = pdf_exact_page(pdf_without_clock(cap.pdf), sheet.page.width_mm, sheet.page.height_mm)
        write_atomic(result.paths["pdf"], pdf)
    if cap.snapshot is not None:
        doc = render_document(cap.snapshot, title=sheet.title, width_mm=sheet.page.width_mm,
                              height_mm=sheet.page.height_mm, base=f"{ASSET_DIR}/", scripts=False)
        result.paths["html"] = outdir / f"{stem}.html"
        write_atomic(result.paths["html"], doc.encode("utf-8"))
        copy_assets(served, outdir)
    timings["write"] = (time.perf_counter() - t0) * 1000

    aborted = cap.aborted
    panels = report_panels(sheet, measured)
    result.warnings = [*sheet.warnings, *render_warnings(panels, aborted, fit.min_pt, source)]
    result.overflow = any(p["overflow"] for p in panels)
    timings["total"] = sum(v for k, v in timings.items() if not k.startswith("page_") and k != "capture")
    outputs = {fmt: path.name for fmt, path in result.paths.items()}
    result.report = build_report(sheet, measured, dpi=dpi, png_px=png_px, outputs=outputs, timings_ms=timings,
                                 aborted=aborted, warnings=result.warnings)
    result.paths["report"] = outdir / f"{stem}.report.json"
    write_atomic(result.paths["report"],
                 (json.dumps(result.report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return result
