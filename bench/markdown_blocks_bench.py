"""Time parse_blocks / parse_mermaid on the example prompts and on adversarial inputs; prints the figures.

    .venv/bin/python bench/markdown_blocks_bench.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from nanosheet.ingest.markdown import parse_blocks
from nanosheet.ingest.mermaid import parse_mermaid

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = ROOT.parent / "shared" / "examples" / "prompts"
T = TypeVar("T")


def _adversarial() -> dict[str, str]:
    """Inputs shaped to hit the slow paths: long blanks, many arrows, deep nesting, huge tables."""
    return {
        "bold line + 1M spaces": "**" + " " * 1_000_000 + "x",
        "arrow search, 1M spaces": "a" + " " * 1_000_000 + "b",
        "100k arrow lines in a fence": "```\n" + "\n".join(f"→ s{i}" for i in range(100_000)) + "\n```",
        "20k chain paragraphs": "\n\n".join(f"a{i} → b{i} → c{i}" for i in range(20_000)),
        "50k header-less pipe rows": "rows:\n" + "\n".join(f"| {i} | x \\| y | z |" for i in range(50_000)),
        "5k-deep nested list": "\n".join("  " * i + "- item" for i in range(5_000)),
        "10k table rows": "| a | b |\n|:-:|--|\n" + "\n".join(f"| {i}<br>x | **{i}** |" for i in range(10_000)),
        "20k quote lines": "\n".join(f"> line {i}" for i in range(20_000)) + "\n> — someone",
        "1 MB paragraph": ("가나다 **라마** 바사 → 아자\n" * 40_000),
    }


def _mermaid_inputs() -> dict[str, str]:
    return {
        "mermaid 20k edges": "flowchart LR\n" + "\n".join(f"  n{i}[노드 {i}] -->|e| n{i + 1}" for i in range(20_000)),
        "mermaid 2k subgraphs": "flowchart TB\n" + "\n".join(f"subgraph g{i}\n  a{i} --> b{i}" for i in range(2_000)),
        "mermaid link text, 100k chars": "graph TD\n  A -- " + "x " * 50_000 + "--> B",
        "mindmap 10k lines": "mindmap\n  root((r))\n"
        + "\n".join("    " + "  " * (i % 6) + f"n{i}" for i in range(10_000)),
    }


def _time(run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    print(f"{'input':44} {'seconds':>8} {'blocks/diags':>14}")
    for path in sorted(PROMPTS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        seconds, (blocks, diags) = _time(partial(parse_blocks, text, 1, path.name))
        print(f"{path.name[:44]:44} {seconds:8.3f} {len(blocks):6}/{len(diags):<6}")
    prompts = "\n".join(p.read_text(encoding="utf-8") for p in sorted(PROMPTS.glob("*.md")))
    big = (prompts * (5_000_000 // len(prompts.encode()) + 1)).encode()[:5_000_000].decode(errors="ignore")
    seconds, (blocks, diags) = _time(partial(parse_blocks, big, 1, "big.md"))
    print(f"{'5 MB of the prompts repeated':44} {seconds:8.3f} {len(blocks):6}/{len(diags):<6}")
    for name, text in _adversarial().items():
        seconds, _ = _time(partial(parse_blocks, text, 1, "adversarial.md"))
        print(f"{name:44} {seconds:8.3f}")
    for name, code in _mermaid_inputs().items():
        seconds, _ = _time(partial(parse_mermaid, code, 1, "adversarial.md"))
        print(f"{name:44} {seconds:8.3f}")


if __name__ == "__main__":
    main()
