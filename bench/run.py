"""Print where export time goes and the batch figures; the last line is one JSON object (``make bench``).

floor   a blank A4 page (the theme's paper, no content) through the same lane, same outputs
        (PNG 300 DPI + PDF + HTML + report), median of 7
warm    per sheet, input file → all four files written, one lane, after one warm-up round;
        median over the eight examples (3 rounds each)
cold    ``nanosheet batch ONE.md`` as a subprocess: process start → that sheet's report.json on disk
batch   ``nanosheet batch`` on the eight examples ×6 (48 differently named copies), wall time
peak    PSS of the batch process tree (Python, Playwright's driver, every Chromium process)
cpu     CPU-seconds the whole machine was busy during the batch: steadier than wall time on a shared
        machine (the batch is CPU-bound), so compare changes with it

Usage: ``python bench/run.py [--sweep]`` (``--sweep`` also times the 48-sheet batch with 1, 2 and 3 lanes).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pss import PeakSampler  # noqa: E402

from nanosheet.export.files import write_outputs  # noqa: E402
from nanosheet.export.pool import BrowserPool  # noqa: E402
from nanosheet.model import Footer, Page, Sheet  # noqa: E402
from nanosheet.pipeline import Options, render_file  # noqa: E402
from nanosheet.render.html import FitOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = ROOT.parent / "shared" / "examples" / "prompts"
NANOSHEET = [sys.executable, "-m", "nanosheet"]
BLANK = ('<div class="sheet theme-banana portrait" id="sheet" data-seed="1" data-min-pt="7" data-drop-extra="1" '
         'data-base-pt="10" data-max-pt="20" style="width:210mm;height:297mm">'
         '<div class="paper" aria-hidden="true"></div></div>')
OPTS = Options()


def _in_lane(tmp: Path) -> tuple[float, float, dict[str, float]]:
    """(floor median, warm median, per-stage medians) from one lane in this process."""
    blank = Sheet(stem="floor", title="floor", page=Page(), rows=[], footer=Footer(title="floor"))
    paths = sorted(PROMPTS.glob("*.md"))
    (tmp / "floor").mkdir()
    (tmp / "warm").mkdir()
    with BrowserPool(lanes=1) as browser:

        def floor_once() -> float:
            t0 = time.perf_counter()
            cap = browser.capture(BLANK, blank.page, title="floor", formats=OPTS.formats, dpi=300)
            write_outputs(blank, tmp / "floor", cap, dpi=300, fit=FitOptions(), source=None)
            return time.perf_counter() - t0

        def sheet_once(path: Path, stages: dict[str, list[float]]) -> float:
            t0 = time.perf_counter()
            result = render_file(path, tmp / "warm", capture=browser, options=OPTS)
            wall = time.perf_counter() - t0
            t = result.model.timings_ms if result.model else {}
            drawn = sum(t.get(k, 0) for k in ("html_build", "layout_fit", "capture", "write")) / 1000
            for name, v in (("ingest_compose", wall - drawn), ("html_build", t.get("html_build", 0) / 1000),
                            ("draw_fit", t.get("layout_fit", 0) / 1000),
                            ("capture_png_pdf_html", t.get("capture", 0) / 1000),
                            ("png", t.get("png", 0) / 1000), ("pdf", t.get("pdf", 0) / 1000),
                            ("write_files", t.get("write", 0) / 1000)):
                stages.setdefault(name, []).append(v)
            return wall

        for path in paths:  # warm-up: fonts, mermaid, code paths
            sheet_once(path, {})
        floor_once()
        floor = statistics.median([floor_once() for _ in range(7)])
        stages: dict[str, list[float]] = {}
        warm = [sheet_once(p, stages) for _ in range(3) for p in paths]
    return floor, statistics.median(warm), {k: round(statistics.median(v), 3) for k, v in stages.items()}


def _cold(tmp: Path) -> float:
    src = sorted(PROMPTS.glob("*.md"))[0]
    out = tmp / "cold"
    shutil.rmtree(out, ignore_errors=True)
    target = out / f"{src.stem}.report.json"
    t0 = time.perf_counter()
    proc = subprocess.Popen([*NANOSHEET, "batch", str(src), "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    first = None
    while proc.poll() is None or first is None:
        if first is None and target.exists():
            first = time.perf_counter() - t0
        if proc.poll() is not None and first is None:
            first = float("nan") if not target.exists() else time.perf_counter() - t0
        time.sleep(0.005)
    return first


def machine_busy_s() -> float:
    """CPU-seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _batch(tmp: Path, jobs: int | None = None) -> tuple[float, int, float, dict[str, float], float]:
    inputs = tmp / "series-in"
    if not inputs.exists():
        inputs.mkdir()
        for copy in range(6):
            for path in sorted(PROMPTS.glob("*.md")):
                shutil.copyfile(path, inputs / f"{copy}-{path.name}")
    out = tmp / f"series-out-{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    argv = [*NANOSHEET, "batch", str(inputs), "-o", str(out), *(["--jobs", str(jobs)] if jobs else [])]
    busy0, t0 = machine_busy_s(), time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with PeakSampler(proc.pid) as sampler:
        proc.wait()
    seconds, cpu = time.perf_counter() - t0, machine_busy_s() - busy0
    sheets = len(list(out.glob("*.report.json")))
    return seconds, sheets, sampler.peak_mb, sampler.peak_breakdown, cpu


def main() -> None:
    sweep = "--sweep" in sys.argv
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nanosheet-bench-") as name:
        tmp = Path(name)
        floor, warm, stages = _in_lane(tmp)
        print(f"floor (blank A4, PNG+PDF+HTML+report): {floor:.3f} s")
        print(f"warm per sheet, median of the 8 examples: {warm:.3f} s  ({warm / floor:.2f}× the floor)")
        print("  stages (medians, s): " + ", ".join(f"{k} {v}" for k, v in stages.items()))
        cold = _cold(tmp)
        print(f"cold start (process start → first sheet written): {cold:.2f} s")
        batch_s, sheets, peak, breakdown, cpu = _batch(tmp)
        print(f"batch of {sheets} sheets: {batch_s:.1f} s ({batch_s / max(sheets, 1):.2f} s/sheet), "
              f"machine busy {cpu:.1f} CPU-s, peak PSS {peak:.0f} MB")
        print("  at the peak (PSS, MB): " + ", ".join(f"{k} {v:.0f}" for k, v in
                                                    sorted(breakdown.items(), key=lambda kv: -kv[1])))
        figures = {"floor_s": round(floor, 3), "warm_s": round(warm, 3), "ratio": round(warm / floor, 2),
                   "cold_s": round(cold, 2), "batch_s": round(batch_s, 1), "sheets": sheets,
                   "peak_pss_mb": round(peak), "per_sheet_batch_s": round(batch_s / max(sheets, 1), 3),
                   "batch_cpu_s": round(cpu, 1),
                   "stages_s": stages, "cores": os.cpu_count(), "load_before": round(load, 2)}
        if sweep:
            for jobs in (1, 2, 3):
                s, n, p, _, _ = _batch(tmp, jobs)
                print(f"  --jobs {jobs}: {s:.1f} s for {n} sheets, peak PSS {p:.0f} MB")
                figures[f"batch_jobs{jobs}_s"] = round(s, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
