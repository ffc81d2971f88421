"""Mojibake repair benchmark: clean Markdown in, share of characters restored exactly out.

Each clean file goes through ``make_mojibake`` (the seed's lossy transformation) and back through
``repair_mojibake``. Three corpora, each printed per file and overall:

* ``prompts`` — ../shared/examples/prompts, the tuning set. The genre prior is built from them, so
  each prompt is measured with the prior rebuilt without it (leave-one-out, needs wordfreq; without
  it the packaged prior is used and the figure says "tuned on").
* ``chapters`` — ../shared/examples/chapters, held out: never in the prior.
* ``fixtures`` — tests/fixtures/repair_heldout, our own notes, held out: never in the prior.

Figures: characters restored exactly (all characters, and only the ones that had lost bytes), and
seconds per file (Kiwi's one-off load time printed apart); a last line is JSON. Run:
``.venv/bin/python bench/repair_bench.py [prompts|chapters|fixtures ...] [--chapters] [--show-misses]``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from nanosheet.ingest.priors import use_table
from nanosheet.ingest.repair import make_mojibake, repair_mojibake

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = {
    "prompts": SHARED / "examples" / "prompts",
    "chapters": SHARED / "examples" / "chapters",
    "fixtures": ROOT / "tests" / "fixtures" / "repair_heldout",
}
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


def _builder() -> ModuleType | None:
    """tools/build_repair_priors.py as a module, or None without wordfreq (then no leave-one-out)."""
    if importlib.util.find_spec("wordfreq") is None:
        return None
    spec = importlib.util.spec_from_file_location("build_repair_priors", ROOT / "tools" / "build_repair_priors.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _leave_one_out() -> Callable[[Path], contextlib.AbstractContextManager[None]] | None:
    """A context per prompt in which the prior is rebuilt from every genre file but that prompt."""
    builder = _builder()
    if builder is None:
        return None
    files = builder.genre_files()
    machine = builder.machine_korean()
    everything = builder.counts(files, machine)

    @contextlib.contextmanager
    def without(path: Path) -> Iterator[None]:
        kept = [p.name for p in files if p.resolve() != path.resolve()]
        table = builder.table(everything - builder.count_text(path.read_text(encoding="utf-8")), kept, machine)
        with use_table(table):
            yield

    return without


def measure(name: str, show: bool) -> dict[str, object]:
    """Repair every file of one corpus; print a line per file and one overall; return the figures."""
    paths = sorted(CORPORA[name].glob("*.md"))
    loo = _leave_one_out() if name == "prompts" else None
    protocol = "leave-one-out" if loo else ("tuned on" if name == "prompts" else "held out")
    print(f"\n{name} ({protocol}, {CORPORA[name]})")
    print(f"{'file':48} {'chars':>6} {'exact %':>8} {'damaged':>7} {'rebuilt %':>9} {'sec':>6}")
    total = total_exact = total_damaged = total_hit = 0
    for path in paths:
        original = path.read_text(encoding="utf-8")
        broken = make_mojibake(original)
        t0 = time.perf_counter()
        with loo(path) if loo else contextlib.nullcontext():
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
    exact_pct = 100 * total_exact / max(total, 1)
    print(f"{'overall':48} {total:6} {exact_pct:8.3f} {total_damaged:7} "
          f"{100 * total_hit / max(total_damaged, 1):9.2f}")
    return {"files": len(paths), "chars": total, "exact_pct": round(exact_pct, 3), "protocol": protocol,
            "misses": total - total_exact, "damaged": total_damaged,
            "rebuilt_pct": round(100 * total_hit / max(total_damaged, 1), 3)}


def main() -> None:
    show = "--show-misses" in sys.argv
    chosen = [a for a in sys.argv[1:] if a in CORPORA] or (["chapters"] if "--chapters" in sys.argv else [*CORPORA])
    start = time.perf_counter()
    from nanosheet.ingest.choose_hangul import _kiwi

    _kiwi()
    print(f"kiwi load: {time.perf_counter() - start:.2f} s")
    figures = {name: measure(name, show) for name in chosen}
    print()
    for name, fig in figures.items():
        print(f"{name:10} {fig['exact_pct']:8.3f} % exact  ({fig['misses']} misses in {fig['chars']} chars, "
              f"{fig['protocol']})")
    print(json.dumps({"bench": "repair", **figures}, ensure_ascii=False))


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
