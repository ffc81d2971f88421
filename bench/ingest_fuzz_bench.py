"""Time read_prompt on mutated example prompts and on a 5 MB input; prints the figures (no assertions).

    .venv/bin/python bench/ingest_fuzz_bench.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_mutations import mutate  # noqa: E402
from nanosheet.errors import InputError  # noqa: E402
from nanosheet.ingest import read_prompt  # noqa: E402

SHARED = ROOT.parent / "shared"
INPUTS = [*sorted((SHARED / "examples" / "prompts").glob("*.md")), SHARED / "seed" / "000_56a30bed481ece40.txt"]


def _time(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        read_prompt(path)
        outcome = "ok"
    except InputError as exc:
        outcome = f"InputError: {exc.message[:60]}"
    return time.perf_counter() - start, outcome


def main(count: int) -> None:
    data = [p.read_bytes() for p in INPUTS]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.md"
        for original in INPUTS:  # warm up lazily loaded resources outside the figures
            _time(original)
        times: list[tuple[float, int, str]] = []
        for seed in range(count):
            rng = random.Random(seed)
            path.write_bytes(mutate(data[seed % len(data)], rng, rng.randint(1, 3)))
            elapsed, outcome = _time(path)
            times.append((elapsed, seed, outcome))
        values = sorted(t for t, _, _ in times)
        worst = max(times)
        errors = sum(1 for _, _, o in times if o != "ok")
        print(f"mutated inputs: {count}, InputError: {errors}")
        p99 = values[max(int(len(values) * 0.99) - 1, 0)]
        print(f"  median {statistics.median(values) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
              f"max {worst[0] * 1000:.1f} ms (seed {worst[1]}, {worst[2]})")
        big = data[0] + b"\n" + (b"\n".join(data) * (5_000_000 // sum(map(len, data)) + 1))
        path.write_bytes(big[:5_000_000])
        elapsed, outcome = _time(path)
        print(f"5 MB input (prompts repeated): {elapsed:.2f} s ({outcome})")
        path.write_bytes(b"# Role Definition\n" + b"x" * 5_000_000)
        elapsed, outcome = _time(path)
        print(f"5 MB single line: {elapsed:.2f} s ({outcome})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
