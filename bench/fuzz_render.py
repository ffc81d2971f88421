"""Render the fuzz cases (size/depth extremes and mutated examples) through the batch pipeline; print each
sheet's time and the maximum. Target: no sheet slower than 10 s. Usage: ``python bench/fuzz_render.py [N]``."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fuzz_render_cases import big_cases, mutated  # noqa: E402
from nanosheet.errors import NanosheetError  # noqa: E402
from nanosheet.export.pool import BrowserPool  # noqa: E402
from nanosheet.pipeline import Options, render_file  # noqa: E402

OPTS = Options()


def main(n_mutated: int) -> None:
    cases = {**big_cases(), **{f"mutated-{i}": mutated(i, 1000 + i, 1 + i % 3) for i in range(n_mutated)}}
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "out").mkdir()
        with BrowserPool(lanes=1) as browser:
            for case, data in cases.items():
                path = tmp / f"{case}.md"
                path.write_bytes(data)
                t0 = time.perf_counter()
                try:
                    result = render_file(path, tmp / "out", capture=browser, options=OPTS, stem=case)
                    outcome = f"ok{' (overflow)' if result.overflow else ''}"
                except NanosheetError as exc:
                    outcome = f"error: {exc.describe()[:90]}"
                times[case] = time.perf_counter() - t0
                print(f"{times[case]:6.2f} s  {case:28} {len(data) / 1e6:6.2f} MB  {outcome}", flush=True)
    worst = max(times, key=lambda k: times[k])
    print(f"max {times[worst]:.2f} s ({worst}); target ≤ 10 s: {'met' if times[worst] <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
