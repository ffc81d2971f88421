"""Hostile-by-size and broken-by-mutation prompts for the render fuzz test and bench/fuzz_render.py."""

from __future__ import annotations

import random
from pathlib import Path

from fuzz_mutations import BORDER_CHARS, mutate

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def examples() -> list[Path]:
    return sorted(PROMPTS.glob("*.md"))


def duplicate_border_chars(data: bytes, rng: random.Random, share: float = 0.05) -> bytes:
    text = data.decode("utf-8", errors="surrogateescape")
    out = "".join(c * 2 if c in BORDER_CHARS and rng.random() < share else c for c in text)
    return out.encode("utf-8", errors="surrogateescape")


def mutated(index: int, seed: int, rounds: int) -> bytes:
    rng = random.Random(seed)
    data = examples()[index % len(examples())].read_bytes()
    data = mutate(data, rng, rounds)
    return duplicate_border_chars(data, rng) if rng.random() < 0.5 else data


def _panel_prompt(body: str, title: str = "HUGE") -> str:
    wire = "\n".join(["┌" + "─" * 40 + "┐", "│ 🍌 " + title.ljust(36) + "│", "└" + "─" * 40 + "┘",
                      "┌" + "─" * 40 + "┐", "│ 📌 PANEL".ljust(41) + "│", "└" + "─" * 40 + "┘"])
    return f"# Layout Structure\n\n```\n{wire}\n```\n\n# Content Details\n\n## 1. 📌 PANEL\n\n{body}\n"


def big_cases() -> dict[str, bytes]:
    """Named inputs that stress size and depth rather than syntax."""
    base = examples()[0].read_bytes()
    nested_boxes = []
    depth = 40
    for i in range(depth):
        nested_boxes.append("│" * i + "┌" + "─" * (2 * (depth - i)) + "┐" + "│" * i)
    nested_boxes.append("│" * depth + "  deep  " + "│" * depth)
    for i in reversed(range(depth)):
        nested_boxes.append("│" * i + "└" + "─" * (2 * (depth - i)) + "┘" + "│" * i)
    return {
        "5mb-body": base + b"\n\n" + ("가나다 lorem ipsum 라마바 " * 8).encode() * 20_000,
        "10k-line-panel": _panel_prompt("\n".join(f"- line {i} 긴 줄 내용 {i * 7}" for i in range(10_000))).encode(),
        "10k-line-wireframe-panel": ("# Layout Structure\n\n```\n┌" + "─" * 30 + "┐\n"
                                     + "".join(f"│ row {i:<25}│\n" for i in range(10_000))
                                     + "└" + "─" * 30 + "┘\n```\n").encode(),
        "deep-boxes": ("# Layout Structure\n\n```\n" + "\n".join(nested_boxes) + "\n```\n").encode(),
        "deep-lists": _panel_prompt("\n".join("  " * i + f"- level {i}" for i in range(300))).encode(),
        "deep-quotes": _panel_prompt("\n".join("> " * i + f"quote {i}" for i in range(1, 300))).encode(),
        "long-line": _panel_prompt("- " + "한글과English" * 50_000).encode(),
        "huge-table": _panel_prompt("| a | b | c |\n|---|---|---|\n" + "".join(f"| {i} | {i * 2} | 셀 {i} |\n"
                                                                               for i in range(3000))).encode(),
        "huge-mermaid": _panel_prompt("```mermaid\nflowchart LR\n" + "".join(f"    N{i}[노드 {i}] --> N{i + 1}\n"
                                                                             for i in range(600)) + "```").encode(),
        "huge-mindmap": _panel_prompt("Mind Map: 뿌리 → " + ", ".join(f"가지 {i}" for i in range(800))).encode(),
    }
