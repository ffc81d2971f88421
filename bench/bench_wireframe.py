"""Print how long parse_wireframe takes on each example prompt's wireframe and on drifted copies."""

from __future__ import annotations

import random
import re
import statistics
import time
from pathlib import Path

from nanosheet.ingest.wireframe import parse_wireframe

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def layout(text: str) -> tuple[str, int]:
    lines = text.splitlines()
    first = next(k for k, line in enumerate(lines) if "┌" in line)
    last = max(k for k, line in enumerate(lines) if "┘" in line)
    return "\n".join(lines[first:last + 1]), first + 1


def main() -> None:
    rnd = random.Random(0)
    for path in sorted(PROMPTS.glob("*.md")):
        if "┌" not in path.read_text(encoding="utf-8"):
            continue
        text, first = layout(path.read_text(encoding="utf-8"))
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            rows, _ = parse_wireframe(text, first, path.name)
            times.append(time.perf_counter() - t0)
        drifted = re.sub(r"( +)(?=│)", lambda m: " " * max(len(m.group(1)) + rnd.randint(-4, 6), 1), text)
        t0 = time.perf_counter()
        parse_wireframe(drifted, first, path.name)
        drift_ms = (time.perf_counter() - t0) * 1000
        print(f"{path.name:52s} rows={len(rows)} lines={text.count(chr(10)) + 1:4d} "
              f"median={statistics.median(times) * 1000:6.1f} ms  drifted={drift_ms:6.1f} ms")


if __name__ == "__main__":
    main()
