"""Pathological wireframes (hundreds of panels in a row, boxes nested a hundred deep) are simplified
with one ``layout-simplified`` warning, keep every word, and give a page-sized result."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.box_limits import MAX_ACROSS, MAX_DEPTH, simplify_drawing
from nanosheet.model import Diagnostic, DiagramBlock, GraphNode, Prompt
from nanosheet.render.html import render_fragment

PROMPTS = sorted((Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts").glob("*.md"))
FALSE_ALARMS = {"unterminated-box", "orphan-corner", "missing-border", "too-deep"}


def _frame(body: list[str]) -> list[str]:
    width = len(body[0])
    return ["┌" + "─" * (width + 2) + "┐", "│ " + "제목".ljust(width) + " │", "├" + "─" * (width + 2) + "┤",
            *("│ " + line + " │" for line in body), "└" + "─" * (width + 2) + "┘"]


def wide_row(n: int) -> list[str]:
    """``n`` panels side by side: ``P0`` … with one line of content each."""
    cells = [["┌─────┐", f"│P{i:<4}│", "│ 내용 │", "└─────┘"] for i in range(n)]
    return _frame([" ".join(cell[k] for cell in cells) for k in range(4)])


def nest(depth: int) -> list[str]:
    """One panel holding boxes nested ``depth`` deep, each with a title and a line of content."""
    width = 4 * depth + 30
    lines: list[str] = []
    for d in range(depth):
        pad, inner = "│ " * d, width - 4 * d
        lines += [pad + "┌" + "─" * inner + "┐" + " │" * d,
                  pad + "│ " + f"레벨 {d} 제목".ljust(inner - 2) + " │" + " │" * d,
                  pad + "│ " + f"내용 {d}".ljust(inner - 2) + " │" + " │" * d]
    lines += ["│ " * depth + "바닥".ljust(width - 4 * depth + 2) + " │" * depth]
    lines += ["│ " * d + "└" + "─" * (width - 4 * d) + "┘" + " │" * d for d in reversed(range(depth))]
    return _frame(lines)


def _prompt(tmp_path: Path, drawing: list[str]) -> Prompt:
    path = tmp_path / "layout.md"
    path.write_text("# 시험\n\n# Layout Structure\n\n```\n" + "\n".join(drawing) + "\n```\n\n"
                    "# Content Details\n\n## 개요\n\n본문.\n", encoding="utf-8")
    return read_prompt(path)


def _codes(prompt: Prompt) -> set[str]:
    return {w.code for w in prompt.warnings}


def _simplified(prompt: Prompt) -> list[str]:
    return [w.message for w in prompt.warnings if w.code == "layout-simplified"]


def _words(prompt: Prompt) -> str:
    return " ".join(p.model_dump_json() for row in prompt.rows for p in row.panels)


def _depth(nodes: list[GraphNode]) -> int:
    return 1 + max((_depth(n.children) for n in nodes), default=0) if nodes else 0


def test_two_hundred_panels_in_a_row(tmp_path: Path) -> None:
    prompt = _prompt(tmp_path, wide_row(200))
    assert [len(row.panels) for row in prompt.rows] == [1, MAX_ACROSS]
    [message] = _simplified(prompt)
    assert message.startswith("200 panels side by side; from the 13th on they are read as text")
    assert not _codes(prompt) & FALSE_ALARMS, _codes(prompt)  # no "no closing" warnings from the matcher
    words = _words(prompt)
    assert all(f"P{i}" in words for i in (0, 11, 12, 150, 199))  # the other 188 panels' words are kept
    html = render_fragment(compose_sheet(prompt))
    assert len(html) < 60_000  # 112 kB for 200 panel sections before
    assert html.count('<section class="panel') == MAX_ACROSS  # the title band is not a panel section


def test_boxes_nested_a_hundred_deep(tmp_path: Path) -> None:
    drawing = nest(100)
    assert len("\n".join(drawing).encode()) > 200_000  # the 204 kB input
    prompt = _prompt(tmp_path, drawing)
    [message] = _simplified(prompt)
    assert message.startswith("boxes nest 101 deep (at most 8 are read as boxes)")
    assert not _codes(prompt) & FALSE_ALARMS, _codes(prompt)
    words = _words(prompt)
    assert all(f"레벨 {d} 제목" in words and f"내용 {d}" in words for d in (1, 50, 99)) and "바닥" in words
    assert not any(isinstance(b, DiagramBlock) for row in prompt.rows for p in row.panels for b in p.blocks)
    html = render_fragment(compose_sheet(prompt))
    assert len(html) < 60_000  # 312 kB of nested mermaid subgraphs before (26 MB once drawn)


@pytest.mark.parametrize(("panels", "simplified"), [(MAX_ACROSS, False), (MAX_ACROSS + 1, True)])
def test_the_row_limit_is_exact(tmp_path: Path, panels: int, simplified: bool) -> None:
    prompt = _prompt(tmp_path, wide_row(panels))
    assert len(prompt.rows[1].panels) == MAX_ACROSS if simplified else panels
    assert bool(_simplified(prompt)) is simplified


@pytest.mark.parametrize(("depth", "simplified"), [(MAX_DEPTH - 1, False), (MAX_DEPTH, True)])
def test_the_depth_limit_is_exact(tmp_path: Path, depth: int, simplified: bool) -> None:
    # frame (1) > panel (2) > depth - 1 boxes inside it: nest(7) reaches level 8, nest(8) level 9.
    prompt = _prompt(tmp_path, nest(depth))
    assert bool(_simplified(prompt)) is simplified
    diagrams = [b for row in prompt.rows for p in row.panels for b in p.blocks if isinstance(b, DiagramBlock)]
    if simplified:
        assert diagrams == [] and "레벨 6 제목" in _words(prompt)
    else:
        assert [_depth(d.nodes) for d in diagrams] == [depth - 1]


def test_a_diagram_in_a_content_section_is_read_as_text_when_too_deep() -> None:
    drawing = nest(30)[3:-1]  # without the page frame: a plain drawing in a fence
    drawing = [line[2:-2] for line in drawing]
    diagnostics: list[Diagnostic] = []
    assert parse_ascii_diagram(drawing, 10, diagnostics) is None  # no box left: the caller keeps the text
    assert [d.code for d in diagnostics] == ["layout-simplified"] and diagnostics[0].line == 10


def test_a_long_flow_in_a_diagram_is_not_cut() -> None:
    boxes = 20
    drawing = [" → ".join(["┌───┐"] * boxes), "   ".join([f"│{i:<3}│" for i in range(boxes)]),
               "   ".join(["└───┘"] * boxes)]
    assert simplify_drawing(drawing, max_across=None, nest_from=1) == (drawing, [])
    block = parse_ascii_diagram(drawing, 1)
    assert block is not None and len(block.nodes) == boxes


@pytest.mark.parametrize("path", PROMPTS, ids=lambda p: p.stem[:24])
def test_real_prompts_are_never_simplified(path: Path) -> None:
    assert "layout-simplified" not in _codes(read_prompt(path))
