"""Print where export time goes and the batch figures; the last line is one JSON object (``make bench``).

floor   a blank A4 page (the theme's paper, no content) through the same lane, same outputs
        (PNG 300 DPI + PDF + HTML + report), median of 7
warm    per sheet, input file → all four files written, one lane, after one warm-up round;
        median over the examples (3 rounds each)
capture_floor
        right after each warm sheet, the same lane capturing that sheet's drawn and fitted fragment again
        as PNG ‖ PDF and nothing else (``Captured.timings["capture"]`` starts once the page is mounted and
        fitted); median of those. ``overhead_ratio = warm / capture_floor``: what ingest, plan, compose,
        drawing, fitting, the HTML snapshot and writing the files add on top of the capture itself;
        ``overhead_ratio_paired`` the median of each sheet's own ratio (steadier on a noisy machine)
capture_floor_seq
        after the warm rounds, PNG alone then PDF alone of each sheet (two captures, their windows
        added; median of 2 per sheet, median over the sheets): what overlapping the two saves
cold    ``nanosheet batch ONE.md`` as a subprocess: process start → that sheet's report.json (PNG + PDF +
        HTML written) on disk; median of 3
peer    ``mmdc`` (mermaid-cli, the npm dev dependency, on Debian's Chromium) drawing the seed's mind map
        alone to a 3× PNG, cold (process start → PNG), median of 3 after one untimed run;
        ``cold_vs_peer = cold / peer_mmdc``; ``$NANOSHEET_MMDC`` names another mmdc
batch   ``nanosheet batch`` on 48 differently named copies of the examples (in turn), wall time
peak    PSS of the batch process tree (Python, Playwright's driver, every Chromium process);
        ``peak_pss_mb_jobs1`` the same batch with ``--jobs 1``
cpu     CPU-seconds the whole machine was busy during the batch: steadier than wall time on a shared
        machine (the batch is CPU-bound), so compare changes with it

Usage: ``python bench/run.py [--sweep] [--no-jobs1]`` (``--sweep`` also times the batch with 1, 2 and 3
lanes; ``--no-jobs1`` skips the ``--jobs 1`` batch).
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pss import PeakSampler  # noqa: E402

from nanosheet.export.capture import Captured  # noqa: E402
from nanosheet.export.files import write_outputs  # noqa: E402
from nanosheet.export.pool import BrowserPool  # noqa: E402
from nanosheet.model import Footer, Page, Sheet  # noqa: E402
from nanosheet.model import Page as SheetPage  # noqa: E402
from nanosheet.pipeline import Options, render_file  # noqa: E402
from nanosheet.render.html import FitOptions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = ROOT.parent / "shared" / "examples" / "prompts"
SEED_DIR = ROOT.parent / "shared" / "seed"
MMDC = Path(os.environ.get("NANOSHEET_MMDC", ROOT / "node_modules" / ".bin" / "mmdc"))
PUPPETEER_CONFIG = ROOT / "bench" / "puppeteer-config.json"
NANOSHEET = [sys.executable, "-m", "nanosheet"]
BATCH_SHEETS = 48
BLANK = ('<div class="sheet theme-banana portrait" id="sheet" data-seed="1" data-min-pt="7" data-drop-extra="1" '
         'data-base-pt="10" data-max-pt="20" style="width:210mm;height:297mm">'
         '<div class="paper" aria-hidden="true"></div></div>')
OPTS = Options()


@dataclass
class Drawn:
    """The last fragment a pipeline asked to capture (the sheet as drawn, refitted if it was)."""

    fragment: str
    page: SheetPage
    title: str
    html: Path | None = None
    """The sheet's offline HTML snapshot as ``render_file`` wrote it."""


class Recorder:
    """A :class:`~nanosheet.export.capture.Capture` passing every call to ``inner``, keeping the last."""

    def __init__(self, inner: BrowserPool) -> None:
        self.inner = inner
        self.last: Drawn | None = None

    def capture(self, fragment: str, page: SheetPage, *, title: str, formats: Sequence[str],
                dpi: float) -> Captured:
        self.last = Drawn(fragment, page, title)
        return self.inner.capture(fragment, page, title=title, formats=formats, dpi=dpi)


def drawn_sheet(pool: BrowserPool, path: Path, outdir: Path) -> Drawn:
    """``path`` through the whole pipeline once; the fragment its sheet was captured from."""
    recorder = Recorder(pool)
    outdir.mkdir(parents=True, exist_ok=True)
    result = render_file(path, outdir, capture=recorder, options=OPTS)
    assert recorder.last is not None
    recorder.last.html = result.paths.get("html")
    return recorder.last


def _capture_window(pool: BrowserPool, d: Drawn, formats: tuple[str, ...]) -> float:
    """Seconds of the pool's capture window (the sheet mounted and fitted before the clock starts)."""
    cap = pool.capture(d.fragment, d.page, title=d.title, formats=formats, dpi=300)
    return cap.timings["capture"] / 1000


def _capture_floor_seq(pool: BrowserPool, drawn: list[Drawn], rounds: int = 2) -> float:
    """PNG alone then PDF alone: median over the sheets of each one's median of ``rounds``, seconds."""
    return statistics.median(
        statistics.median(_capture_window(pool, d, ("png",)) + _capture_window(pool, d, ("pdf",))
                          for _ in range(rounds)) for d in drawn)


def _in_lane(tmp: Path) -> tuple[float, float, dict[str, float], float, float, float]:
    """(floor median, warm median, per-stage medians, capture floor, sequential capture floor, median of
    the per-sheet warm / capture floor) from one lane in this process. Each warm sheet is followed at once
    by its capture floor, so both see the same neighbours' load (this machine's load swings by 10× within
    minutes)."""
    blank = Sheet(stem="floor", title="floor", page=Page(), rows=[], footer=Footer(title="floor"))
    paths = sorted(PROMPTS.glob("*.md"))
    (tmp / "floor").mkdir()
    (tmp / "warm").mkdir()
    with BrowserPool(lanes=1) as browser:
        recorder = Recorder(browser)
        last: dict[Path, Drawn] = {}
        floors: list[float] = []

        def floor_once() -> float:
            t0 = time.perf_counter()
            cap = browser.capture(BLANK, blank.page, title="floor", formats=OPTS.formats, dpi=300)
            write_outputs(blank, tmp / "floor", cap, dpi=300, fit=FitOptions(), source=None)
            return time.perf_counter() - t0

        def sheet_once(path: Path, stages: dict[str, list[float]]) -> float:
            t0 = time.perf_counter()
            result = render_file(path, tmp / "warm", capture=recorder, options=OPTS)
            wall = time.perf_counter() - t0
            assert recorder.last is not None
            last[path] = recorder.last
            t = result.model.timings_ms if result.model else {}
            drawn = sum(t.get(k, 0) for k in ("html_build", "layout_fit", "capture", "write")) / 1000
            for name, v in (("ingest_compose", wall - drawn), ("html_build", t.get("html_build", 0) / 1000),
                            ("draw_fit", t.get("layout_fit", 0) / 1000),
                            ("capture_png_pdf_html", t.get("capture", 0) / 1000),
                            ("png", t.get("png", 0) / 1000), ("pdf", t.get("pdf", 0) / 1000),
                            ("write_files", t.get("write", 0) / 1000)):
                stages.setdefault(name, []).append(v)
            # inside draw_fit (the page's own clock) and inside the capture: where the drawing goes
            for key in ("page_fonts", "page_diagrams", "page_fit", "page_sketch", "page_measure", "html"):
                stages.setdefault(key if key.startswith("page_") else "snapshot_html", []).append(
                    t.get(key, 0) / 1000)
            return wall

        for path in paths:  # warm-up: fonts, mermaid, code paths
            sheet_once(path, {})
        floor_once()
        floor = statistics.median([floor_once() for _ in range(7)])
        stages: dict[str, list[float]] = {}
        warm = []
        for _ in range(3):
            for path in paths:
                warm.append(sheet_once(path, stages))
                floors.append(_capture_window(browser, last[path], ("png", "pdf")))
        apart = _capture_floor_seq(browser, [last[p] for p in paths])
    paired = statistics.median(w / f for w, f in zip(warm, floors, strict=True))
    return (floor, statistics.median(warm), {k: round(statistics.median(v), 3) for k, v in stages.items()},
            statistics.median(floors), apart, paired)


def _cold(tmp: Path) -> float:
    """Seconds from ``nanosheet batch ONE.md`` starting to its report.json on disk (the last file written)."""
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


def seed_mindmap() -> str:
    """The seed's first mind map, as mermaid ``mindmap`` source, taken from ``nanosheet inspect --json``."""
    seed = sorted(SEED_DIR.glob("*.txt"))[0]
    spec = json.loads(subprocess.run([*NANOSHEET, "inspect", "--json", str(seed)], check=True,
                                     capture_output=True, text=True).stdout)
    block = next(b for row in spec["rows"] for panel in row["panels"] for b in panel["blocks"]
                 if b["type"] == "mindmap")
    lines = ["mindmap", f"  root(({_mermaid_text(block['root'])}))"]
    counter = iter(range(1, 10_000))

    def add(children: list[dict[str, Any]], depth: int) -> None:
        for child in children:
            lines.append("  " * depth + f"n{next(counter)}[{_mermaid_text(str(child['label']))}]")
            add(child.get("children") or [], depth + 1)

    add(block["children"], 2)
    return "\n".join(lines) + "\n"


def _mermaid_text(label: str) -> str:
    """A label inside a mermaid node shape: quoted, with the characters mermaid would parse replaced."""
    return '"' + label.replace('"', "'").replace("\n", " ") + '"'


def _peer_mmdc(tmp: Path, rounds: int = 3) -> float:
    """Median seconds of a cold ``mmdc`` (process start → 3× PNG on disk) on the seed's mind map."""
    if not MMDC.exists():
        print(f"peer: {MMDC} is missing (make setup installs the npm dev dependencies)", file=sys.stderr)
        return float("nan")
    src = tmp / "seed-mindmap.mmd"
    src.write_text(seed_mindmap(), encoding="utf-8")
    times = []
    for k in range(rounds + 1):
        out = tmp / f"peer-{k}.png"
        t0 = time.perf_counter()
        subprocess.run([str(MMDC), "-p", str(PUPPETEER_CONFIG), "-i", str(src), "-o", str(out), "-s", "3", "-q"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if k:  # the first run only brings node_modules and Chromium into the page cache, as ours are
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def machine_busy_s() -> float:
    """CPU-seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _batch(tmp: Path, jobs: int | None = None) -> tuple[float, int, float, dict[str, float], float]:
    inputs = tmp / "series-in"
    if not inputs.exists():
        inputs.mkdir()
        paths = sorted(PROMPTS.glob("*.md"))
        for k in range(BATCH_SHEETS):  # the examples in turn, each copy named apart (none is cached)
            path = paths[k % len(paths)]
            shutil.copyfile(path, inputs / f"{k // len(paths)}-{path.name}")
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
        floor, warm, stages, capture_floor, capture_seq, paired = _in_lane(tmp)
        n = len(list(PROMPTS.glob("*.md")))
        print(f"floor (blank A4, PNG+PDF+HTML+report): {floor:.3f} s")
        print(f"warm per sheet, median of the {n} examples: {warm:.3f} s  ({warm / floor:.2f}× the floor)")
        print("  stages (medians, s): " + ", ".join(f"{k} {v}" for k, v in stages.items()))
        print(f"capture floor (drawn sheet, PNG ‖ PDF only): {capture_floor:.3f} s  "
              f"(overhead ratio warm / capture floor {warm / capture_floor:.2f}; per sheet, median {paired:.2f})")
        print(f"capture floor, PNG then PDF: {capture_seq:.3f} s")
        cold = statistics.median([_cold(tmp) for _ in range(3)])
        print(f"cold start (process start → first sheet written), median of 3: {cold:.2f} s")
        peer = _peer_mmdc(tmp)
        print(f"peer: mmdc, the seed's mind map alone → 3× PNG, cold: {peer:.2f} s  "
              f"(our cold whole sheet / peer: {cold / peer:.2f})")
        batch_s, sheets, peak, breakdown, cpu = _batch(tmp)
        print(f"batch of {sheets} sheets: {batch_s:.1f} s ({batch_s / max(sheets, 1):.2f} s/sheet), "
              f"machine busy {cpu:.1f} CPU-s, peak PSS {peak:.0f} MB")
        print("  at the peak (PSS, MB): " + ", ".join(f"{k} {v:.0f}" for k, v in
                                                    sorted(breakdown.items(), key=lambda kv: -kv[1])))
        figures = {"floor_s": round(floor, 3), "warm_s": round(warm, 3), "ratio": round(warm / floor, 2),
                   "cold_s": round(cold, 2), "batch_s": round(batch_s, 1), "sheets": sheets,
                   "peak_pss_mb": round(peak), "per_sheet_batch_s": round(batch_s / max(sheets, 1), 3),
                   "batch_cpu_s": round(cpu, 1),
                   "stages_s": stages, "cores": os.cpu_count(), "load_before": round(load, 2),
                   "capture_floor_s": round(capture_floor, 3), "overhead_ratio": round(warm / capture_floor, 2),
                   "overhead_ratio_paired": round(paired, 2),
                   "capture_floor_seq_s": round(capture_seq, 3),
                   "peer_mmdc_s": round(peer, 2), "cold_vs_peer": round(cold / peer, 2)}
        for jobs in (1, 2, 3) if sweep else () if "--no-jobs1" in sys.argv else (1,):
            s, n, p, brk, _ = _batch(tmp, jobs)
            print(f"  --jobs {jobs}: {s:.1f} s for {n} sheets, peak PSS {p:.0f} MB ("
                  + ", ".join(f"{k} {v:.0f}" for k, v in sorted(brk.items(), key=lambda kv: -kv[1])[:4]) + ")")
            figures[f"batch_jobs{jobs}_s"] = round(s, 1)
            if jobs == 1:
                figures["peak_pss_mb_jobs1"] = round(p)
        figures["load_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
