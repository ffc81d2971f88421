"""Mojibake repair benchmark: clean example prompts in, share of characters restored exactly out.

Each clean example prompt goes through ``make_mojibake`` (the seed's lossy transformation) and back
through ``repair_mojibake``; with ``--chapters``, the chapters instead: text the repair was not tuned
on (the prompts are the tuning set). Printed per file and overall: characters restored exactly (all
characters, and only the ones that had lost bytes), and seconds per file (Kiwi's one-off load time
printed apart). Run: ``.venv/bin/python bench/repair_bench.py [--chapters] [--show-misses]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from nanosheet.ingest.repair import make_mojibake, repair_mojibake

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / ("chapters" if "--chapters" in sys.argv else "prompts")
_LOST = frozenset(b"\x81\x8d\x8e\x8f\x90\x9d\x9e\xad")


def damaged(char: str) -> bool:
    """True when the transformation drops at least one of the character's UTF-8 bytes."""
    return bool(_LOST & set(char.encode("utf-8")))


def compare(original: str, repaired: str) -> tuple[int, int, int, list[tuple[int, str, str]]]:
    """(exact characters, damaged characters, damaged restored, misses) — position by position,
    because repair keeps one character per original character; a length change counts every
    character from the first difference on as wrong."""
    exact = hit = 0
    misses: list[tuple[int, str, str]] = []
    n_damaged = sum(damaged(c) for c in original)
    if len(original) != len(repaired):
        cut = next((i for i, (a, b) in enumerate(zip(original, repaired, strict=False)) if a != b), 0)
        return cut, n_damaged, 0, [(cut, original[cut:cut + 1], repaired[cut:cut + 1])]
    for i, (a, b) in enumerate(zip(original, repaired, strict=True)):
        if a == b:
            exact += 1
            hit += damaged(a)
        else:
            misses.append((i, a, b))
    return exact, n_damaged, hit, misses


def main() -> None:
    show = "--show-misses" in sys.argv
    start = time.perf_counter()
    from nanosheet.ingest.choose_hangul import _kiwi

    _kiwi()
    print(f"kiwi load: {time.perf_counter() - start:.2f} s")
    total = total_exact = total_damaged = total_hit = 0
    print(f"{'file':48} {'chars':>6} {'exact %':>8} {'damaged':>7} {'rebuilt %':>9} {'sec':>6}")
    for path in sorted(PROMPTS.glob("*.md")):
        original = path.read_text(encoding="utf-8")
        broken = make_mojibake(original)
        t0 = time.perf_counter()
        repaired, _ = repair_mojibake(broken)
        elapsed = time.perf_counter() - t0
        exact, n_damaged, hit, misses = compare(original, repaired)
        total += len(original)
        total_exact += exact
        total_damaged += n_damaged
        total_hit += hit
        print(f"{path.name:48} {len(original):6} {100 * exact / len(original):8.3f} {n_damaged:7} "
              f"{100 * hit / max(n_damaged, 1):9.2f} {elapsed:6.2f}")
        if show:
            for i, want, got in misses:
                line = original.count("\n", 0, i) + 1
                context = original[max(i - 6, 0):i + 6].replace("\n", "⏎")
                print(f"    line {line}: want {want!r} got {got!r}  in {context!r}")
    print(f"{'overall':48} {total:6} {100 * total_exact / total:8.3f} {total_damaged:7} "
          f"{100 * total_hit / max(total_damaged, 1):9.2f}")


def big(megabytes: float = 5.0) -> None:
    """Time intake of ~5 MB files, clean and mojibake (example lines shuffled, so words recur in new
    contexts)."""
    import random

    from nanosheet.ingest.intake import decode_bytes

    lines = [ln for p in sorted(SHARED.glob("examples/*/*.md")) for ln in p.read_text("utf-8").splitlines()]
    for label, transform in (("clean", str), ("mojibake", make_mojibake)):
        rng = random.Random(0)
        chunks: list[str] = []
        size = 0
        while size < megabytes * 2**20:
            line = rng.choice(lines)
            chunks.append(line)
            size += len(transform(line).encode("utf-8")) + 1
        clean = "\n".join(chunks)
        data = transform(clean).encode("utf-8")
        t0 = time.perf_counter()
        intake = decode_bytes(data, "big.md")
        elapsed = time.perf_counter() - t0
        exact = sum(a == b for a, b in zip(clean, intake.text, strict=False)) / len(clean)
        print(f"{label:9} {len(data) / 2**20:.1f} MB: {elapsed:6.2f} s, exact {100 * exact:.3f} %", flush=True)


if __name__ == "__main__":
    big() if "--big" in sys.argv else main()
