"""Print, for each example chapter, what notes_from_text(body, 12) yields: formal share, longest note, time.

Kiwi is loaded once before timing. "cold" is a chapter's first pass (Kiwi analyses every block);
"warm" repeats it with the analyses cached, so it times the ranking, note style and splitting alone.
CPU seconds are printed beside wall time because the machine is shared: wall time there includes
waiting for a core. The last line is one JSON object with the totals.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from nanosheet.plan.korean import clear_caches, is_formal, notes_from_text, sentences, to_note
from nanosheet.plan.morph import kiwi

CHAPTERS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"
MAX_NOTES = 12


def _timed(text: str) -> tuple[list[str], float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    notes = notes_from_text(text, MAX_NOTES)
    return notes, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def main() -> None:
    started = time.perf_counter()
    kiwi()
    load_s = time.perf_counter() - started
    print(f"kiwi load {load_s:.2f} s (once per process)")
    rows = []
    for path in sorted(CHAPTERS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        clear_caches()
        notes, cold_ms, cold_cpu = _timed(text)
        warm = [_timed(text) for _ in range(3)]
        warm_ms = statistics.median(w[1] for w in warm)
        warm_cpu = statistics.median(w[2] for w in warm)
        formal = sum(is_formal(n) for n in notes)
        longest = max((len(n.split()) for n in notes), default=0)
        every = sentences(text)
        formal_any = sum(is_formal(to_note(s)) for s in every)
        rows.append({"chapter": path.name, "notes": len(notes), "formal": formal, "longest_words": longest,
                     "sentences": len(every), "formal_of_all_sentences": formal_any, "cold_ms": cold_ms,
                     "cold_cpu_ms": cold_cpu, "warm_ms": warm_ms, "warm_cpu_ms": warm_cpu})
        print(f"{path.name:34s} sentences={len(every):4d} notes={len(notes):2d} formal={formal} "
              f"longest={longest:2d} words  cold={cold_ms:6.0f} ms (cpu {cold_cpu:5.0f})  "
              f"warm={warm_ms:5.0f} ms (cpu {warm_cpu:4.0f})")
    notes_total = sum(r["notes"] for r in rows)
    summary = {
        "bench": "plan_notes", "chapters": len(rows), "notes": notes_total,
        "formal_notes": sum(r["formal"] for r in rows),
        "formal_share": sum(r["formal"] for r in rows) / max(1, notes_total),
        "over_14_words": sum(r["longest_words"] > 14 for r in rows),
        "sentences": sum(r["sentences"] for r in rows),
        "formal_of_all_sentences": sum(r["formal_of_all_sentences"] for r in rows),
        "kiwi_load_s": load_s,
        "cold_ms_median": statistics.median(r["cold_ms"] for r in rows),
        "cold_cpu_ms_median": statistics.median(r["cold_cpu_ms"] for r in rows),
        "cold_cpu_ms_max": max(r["cold_cpu_ms"] for r in rows),
        "warm_ms_median": statistics.median(r["warm_ms"] for r in rows),
        "warm_cpu_ms_median": statistics.median(r["warm_cpu_ms"] for r in rows),
        "warm_cpu_ms_max": max(r["warm_cpu_ms"] for r in rows),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
