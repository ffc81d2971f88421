"""500 sheets in one ``nanosheet batch`` (``make bench-soak``): throughput and memory early and late, one JSON line.

The shared examples (prompts, chapters, the seed) are copied under distinct names up to N sheets, so the
cache skips none (``--force`` as well), and rendered in one batch with the default lanes. While it runs,
every 0.2 s: how many report.json files exist, the PSS of the batch's process tree (bench/pss.py), its
CPU-seconds and the load average. Afterwards the reports' modification times order the sheets.

sheets/s   first 100: 100 / (t[100] - t[0]); last 100: 100 / (t[N-1] - t[N-101]) — from the first sheet
           on, so Chromium's start is not in it; ``throughput_flat``: last / first within ±10 %
cpu/sheet  the batch tree's CPU-seconds per sheet over the same windows: on a shared machine the wall
           rate moves with the neighbours' load, CPU per sheet much less
blocks     ``sheets_per_s_by_100`` / ``cpu_s_per_sheet_by_100`` / ``load_by_100``: the same for every block
           of 100, to tell a trend from the neighbours' load (the first block also holds the first pass
           over each input, which fills in-process caches, and Chromium's warm-up)
pss        ``pss_at_50_mb`` / ``pss_at_end_mb``: the first sample once 50 (N) reports exist; since one
           sample catches whatever capture is in flight, ``memory_flat`` (≤ +5 %) compares the medians
           of the samples taken while sheets 26–75 and the last 50 were being written

Usage: ``python bench/soak.py [N] [--timeline FILE]`` (default 500; FILE keeps each sheet's end time and
the samples as JSON).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pss import tree, tree_breakdown_mb, tree_pss_mb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NANOSHEET = [sys.executable, "-m", "nanosheet"]
WINDOW = 100


def sources() -> list[Path]:
    """The shared examples: prompts, chapters and the seed."""
    ex = SHARED / "examples"
    return [*sorted((ex / "prompts").glob("*.md")), *sorted((ex / "chapters").glob("*.md")),
            *sorted((SHARED / "seed").glob("*.txt"))]


def make_inputs(folder: Path, count: int) -> None:
    """``count`` copies of the sources, named ``0000-<stem>`` … so they sort in order and none is cached."""
    folder.mkdir(parents=True)
    srcs = sources()
    for i in range(count):
        src = srcs[i % len(srcs)]
        shutil.copyfile(src, folder / f"{i:04d}-{src.name}")


def tree_cpu_s(pid: int) -> float:
    """CPU-seconds of ``pid``'s tree: each live process's own and its reaped children's."""
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    t: float
    done: int
    pss_mb: float
    cpu_s: float
    load: float


@dataclass
class Watcher:
    """Samples the running batch on a thread until ``stop`` is set."""

    pid: int
    out: Path
    count: int
    interval: float = 0.2
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    parts: dict[int, dict[str, float]] = field(default_factory=dict)
    """PSS per process once 50 and ``count`` reports exist: which process grew."""

    def run(self) -> None:
        while not self.stop.is_set():
            done = sum(1 for e in os.scandir(self.out) if e.name.endswith(".report.json")) \
                if self.out.is_dir() else 0
            self.samples.append(Sample(time.time(), done, tree_pss_mb(self.pid), tree_cpu_s(self.pid),
                                       os.getloadavg()[0]))
            for mark in (50, self.count):
                if done >= mark and mark not in self.parts:
                    self.parts[mark] = tree_breakdown_mb(self.pid)
            time.sleep(self.interval)

    def first_at(self, done: int) -> Sample | None:
        return next((s for s in self.samples if s.done >= done), None)

    def between(self, lo: int, hi: int) -> list[Sample]:
        return [s for s in self.samples if lo <= s.done < hi and s.pss_mb > 0]


def blocks(ends: list[float], w: Watcher, size: int) -> dict[str, list[float]]:
    """Wall rate, CPU per sheet and mean load of each block of ``size`` sheets."""
    out: dict[str, list[float]] = {"sheets_per_s": [], "cpu_s_per_sheet": [], "load": []}
    starts = list(range(0, len(ends) - size, size))
    if starts[-1] != len(ends) - 1 - size:
        starts.append(len(ends) - 1 - size)  # the last block ends on the last sheet, as the "last 100" do
    for lo in starts:
        hi = lo + size
        out["sheets_per_s"].append(round(size / (ends[hi] - ends[lo]), 3))
        out["cpu_s_per_sheet"].append(round(window_cpu_per_sheet(w, lo + 1, hi + 1), 3))
        out["load"].append(round(statistics.mean(s.load for s in w.between(lo + 1, hi + 1)), 2))
    return out


def window_cpu_per_sheet(w: Watcher, lo: int, hi: int) -> float:
    a, b = w.first_at(lo), w.first_at(hi)
    return (b.cpu_s - a.cpu_s) / (b.done - a.done) if a and b and b.done > a.done else float("nan")


def _top(parts: dict[str, float]) -> dict[str, int]:
    return {k: round(v) for k, v in sorted(parts.items(), key=lambda kv: -kv[1])[:6]}


def main(count: int, timeline: Path | None = None) -> None:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nanosheet-soak-") as name:
        tmp = Path(name)
        make_inputs(tmp / "in", count)
        out = tmp / "out"
        t0 = time.time()
        proc = subprocess.Popen([*NANOSHEET, "batch", str(tmp / "in"), "-o", str(out), "--force"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        watcher = Watcher(proc.pid, out, count)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        _, err = proc.communicate()
        watcher.stop.set()
        thread.join()
        wall = time.time() - t0
        ends = sorted(p.stat().st_mtime for p in out.glob("*.report.json"))
    n = len(ends)
    window = min(WINDOW, (n - 1) // 2)  # 100, or less on a short trial run
    if window < 2:
        print(f"error: only {n} of {count} sheets were written; batch said: {err.decode()[-500:]}", file=sys.stderr)
        sys.exit(1)
    first_rate = window / (ends[window] - ends[0])
    last_rate = window / (ends[-1] - ends[-1 - window])
    at50, at_end = watcher.first_at(min(50, n)), watcher.first_at(n)
    early = statistics.median(s.pss_mb for s in watcher.between(min(26, n // 4), min(76, n // 2)))
    late = statistics.median(s.pss_mb for s in watcher.between(n - min(50, n // 4), n))
    cpu_first = window_cpu_per_sheet(watcher, 1, window + 1)
    cpu_last = window_cpu_per_sheet(watcher, n - window, n)
    load_first = statistics.mean(s.load for s in watcher.between(1, window + 1))
    load_last = statistics.mean(s.load for s in watcher.between(n - window, n))
    by = blocks(ends, watcher, window)
    if timeline is not None:
        timeline.write_text(json.dumps({"ends": ends, "samples": [vars(x) for x in watcher.samples]}))
    figures = {
        "bench": "soak", "sheets": n, "requested": count, "window": window, "wall_s": round(wall, 1),
        "sheets_per_s_first100": round(first_rate, 3), "sheets_per_s_last100": round(last_rate, 3),
        "throughput_change": round(last_rate / first_rate - 1, 3),
        "throughput_flat": abs(last_rate / first_rate - 1) <= 0.10,
        "cpu_s_per_sheet_first100": round(cpu_first, 3), "cpu_s_per_sheet_last100": round(cpu_last, 3),
        "pss_at_50_mb": round(at50.pss_mb) if at50 else None,
        "pss_at_end_mb": round(at_end.pss_mb) if at_end else None,
        "pss_median_26_75_mb": round(early), "pss_median_last50_mb": round(late),
        "memory_change": round(late / early - 1, 3), "memory_flat": late / early - 1 <= 0.05,
        "pss_peak_mb": round(max(s.pss_mb for s in watcher.samples)),
        "sheets_per_s_by_100": by["sheets_per_s"], "cpu_s_per_sheet_by_100": by["cpu_s_per_sheet"],
        "load_by_100": by["load"],
        "pss_parts_at_50_mb": _top(watcher.parts.get(50, {})),
        "pss_parts_at_end_mb": _top(watcher.parts.get(count, {})),
        "load_before": round(load_before[0], 2), "load_first100": round(load_first, 2),
        "load_last100": round(load_last, 2), "load_after": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }
    print(f"{n} sheets in {wall:.0f} s; first {window} {first_rate:.3f}/s ({cpu_first:.2f} CPU-s each, load "
          f"{load_first:.1f}), last {window} {last_rate:.3f}/s ({cpu_last:.2f} CPU-s each, load {load_last:.1f})")
    print(f"PSS at sheet 50 {figures['pss_at_50_mb']} MB, at sheet {n} {figures['pss_at_end_mb']} MB; medians "
          f"sheets 26–75 {early:.0f} MB, last 50 {late:.0f} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    argv = sys.argv[1:]
    keep = Path(argv.pop(argv.index("--timeline") + 1)) if "--timeline" in argv else None
    argv = [a for a in argv if a != "--timeline"]
    main(int(argv[0]) if argv else 500, keep)
