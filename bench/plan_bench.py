"""Planning time per chapter, warm (the note backend loaded once): chapters in, one JSON line of figures out.

usage: python bench/plan_bench.py [CHAPTER_DIR] [--repeat N]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

from nanosheet.ingest import read_prompt
from nanosheet.plan import plan_prompt
from nanosheet.plan.notes import backend


def _clear_caches() -> None:
    from nanosheet.plan import analyse, notes

    for fn in (notes._sentences, notes.to_note, notes._note_lines, analyse.squash_term):
        fn.cache_clear()


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"
    prompts = [read_prompt(p) for p in sorted(folder.glob("*.md"))]
    plan_prompt(prompts[0])  # warm: load the note backend and the icon table once
    per_chapter: dict[str, float] = {}
    per_chapter_cpu: dict[str, float] = {}
    for prompt in prompts:
        times, cpu = [], []
        for _ in range(repeat):
            _clear_caches()  # each chapter as a batch meets it: backend warm, this chapter's text new
            t0, c0 = time.perf_counter(), time.process_time()
            plan_prompt(prompt)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        per_chapter[Path(prompt.path).stem] = round(min(times), 1)
        per_chapter_cpu[Path(prompt.path).stem] = round(min(cpu), 1)
    values, cpu_values = list(per_chapter.values()), list(per_chapter_cpu.values())
    # CPU time as well as wall time: on a shared machine the wall clock also counts waiting for a core.
    print(json.dumps({"bench": "plan", "backend": backend(), "chapters": len(values),
                      "median_ms": round(statistics.median(values), 1), "max_ms": max(values),
                      "median_cpu_ms": round(statistics.median(cpu_values), 1), "max_cpu_ms": max(cpu_values),
                      "load": round(os.getloadavg()[0], 1),
                      "per_chapter_ms": per_chapter, "per_chapter_cpu_ms": per_chapter_cpu}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
