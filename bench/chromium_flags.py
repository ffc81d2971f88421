"""Chromium switches in, one batch's time and memory with them out: a probe for the pool's switch list.

Runs :func:`nanosheet.batch.run_batch` in this process on K copies of the shared examples (in turn) with
the given switches added to ``CHROMIUM_ARGS`` (``-FLAG`` removes one of ours), sampling the PSS of this
process tree (Python, Playwright's driver, every Chromium process) every 0.1 s. Prints one JSON line:
wall seconds, CPU-seconds of the tree, peak PSS and the per-process breakdown at the peak, load.

Usage: ``python bench/chromium_flags.py [--jobs N] [--sheets K] [-- FLAG ...]`` (defaults 2 and 12).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pss import PeakSampler  # noqa: E402
from soak import tree_cpu_s  # noqa: E402

import nanosheet.export.browser as browser_settings  # noqa: E402
import nanosheet.export.pool as pool_module  # noqa: E402
from nanosheet.batch import run_batch  # noqa: E402

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def switches(extra: list[str]) -> list[str]:
    """Our switches with ``extra`` applied: ``-X`` drops switches starting with ``X``, others are added;
    a ``--disable-features=`` list joins ours (Chromium keeps only the last such switch)."""
    drop = [f[1:] for f in extra if f.startswith("-") and not f.startswith("--")]
    args = [a for a in browser_settings.CHROMIUM_ARGS if not any(a.startswith(d) for d in drop)]
    features = "--disable-features="
    for flag in (f for f in extra if f.startswith(features)):
        args = [a + "," + flag[len(features):] if a.startswith(features) else a for a in args]
    return [*args, *(f for f in extra if f.startswith("--") and not f.startswith(features))]


def main(argv: list[str]) -> None:
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    head = argv[:argv.index("--")] if "--" in argv else argv
    jobs = int(head[head.index("--jobs") + 1]) if "--jobs" in head else 2
    sheets = int(head[head.index("--sheets") + 1]) if "--sheets" in head else 12
    pool_module.CHROMIUM_ARGS = switches(extra)  # type: ignore[attr-defined]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nanosheet-flags-") as name:
        tmp = Path(name)
        (tmp / "in").mkdir()
        paths = sorted(PROMPTS.glob("*.md"))
        for k in range(sheets):
            shutil.copyfile(paths[k % len(paths)], tmp / "in" / f"{k:03d}-{paths[k % len(paths)].name}")
        cpu0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
        with PeakSampler(os.getpid()) as sampler:
            result = run_batch([tmp / "in"], tmp / "out", jobs=jobs, force=True)
        wall, cpu = time.perf_counter() - t0, tree_cpu_s(os.getpid()) - cpu0
    done = len(result.with_status("rendered"))
    print(json.dumps({"extra": extra, "jobs": jobs, "sheets": done, "wall_s": round(wall, 1),
                      "cpu_s": round(cpu, 1), "peak_pss_mb": round(sampler.peak_mb),
                      "at_peak_mb": {k: round(v) for k, v in sorted(sampler.peak_breakdown.items(),
                                                                    key=lambda kv: -kv[1])},
                      "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main(sys.argv[1:])
