"""Line classification inside a panel, and ASCII diagrams from the corpus's content sections."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.panel_blocks import parse_panel_lines
from nanosheet.model import (
    ChainBlock,
    DiagramBlock,
    FlowBlock,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    PlaceholderBlock,
    QuoteBlock,
    TableBlock,
    TextBlock,
)

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def brief(blocks: list[Any]) -> list[tuple[Any, ...]]:
    """A compact, comparable form of each block."""
    out: list[tuple[Any, ...]] = []
    for b in blocks:
        if isinstance(b, TextBlock):
            out.append(("text", b.text))
        elif isinstance(b, ListBlock):
            out.append(("list", [(i.mark, i.number, i.text) if i.number else (i.mark, i.text) for i in b.items]))
        elif isinstance(b, ChainBlock):
            out.append(("chain", b.direction, b.steps))
        elif isinstance(b, KeyValueBlock):
            out.append(("kv", b.key, b.value))
        elif isinstance(b, QuoteBlock):
            out.append(("quote", b.text, b.attribution))
        elif isinstance(b, PlaceholderBlock):
            out.append(("placeholder", b.kind, b.text))
        elif isinstance(b, MindMapBlock):
            out.append(("mindmap", b.root, [c.label for c in b.children]))
        elif isinstance(b, FlowBlock):
            out.append(("flow", b.notation, [(n.label, n.shape) for n in b.nodes], len(b.edges)))
        elif isinstance(b, TableBlock):
            out.append(("table", b.header, b.rows))
        else:
            out.append((b.type,))
    return out


CASES: list[tuple[str, list[str], list[tuple[Any, ...]]]] = [
    ("bullets with a wrapped item",
     ["• 짧은 항목", "• 두 줄로", "  이어지는 항목", "- dash item"],
     [("list", [("bullet", "짧은 항목"), ("bullet", "두 줄로 이어지는 항목"), ("bullet", "dash item")])]),
    ("lists separated by a blank line stay one list",
     ["• one", "", "• two"], [("list", [("bullet", "one"), ("bullet", "two")])]),
    ("numbered items", ["1. first step", "2) second step"],
     [("list", [("number", "1", "first step"), ("number", "2", "second step")])]),
    ("checks, crosses and boxes, two on one line",
     ["✓ 됩니다  ✗ 안 됩니다", "□ 할 일", "☑ 한 일"],
     [("list", [("check", "됩니다"), ("cross", "안 됩니다"), ("box", "할 일"), ("box-checked", "한 일")])]),
    ("a chain", ["입력 → 처리 → 출력"], [("chain", "LR", ["입력", "처리", "출력"])]),
    ("a chain of bracketed steps", ["[읽기] → [쓰기]"], [("flow", "chain", [("읽기", "box"), ("쓰기", "box")], 1)]),
    ("a line starting with an arrow is a note", ["→ 결과가 좋아짐"], [("text", "→ 결과가 좋아짐")]),
    ("key: value, and a key whose value is indented below",
     ["속도: 빠름", "Memory:", "  GPU: 24GB", "  CPU: 64GB"],
     [("kv", "속도", "빠름"), ("kv", "Memory", "GPU: 24GB\nCPU: 64GB")]),
    ("a bare key with nothing under it is text", ["요약:", "• 항목"],
     [("text", "요약:"), ("list", [("bullet", "항목")])]),
    ("quotes, one line and two lines, with attribution",
     ['"짧은 인용"', '"길게 이어지는', '  인용문" - 누군가'],
     [("quote", "짧은 인용", None), ("quote", "길게 이어지는 인용문", "누군가")]),
    ("placeholders", ["[표: 비용, 속도 비교]", "[순환 다이어그램]"],
     [("placeholder", "표", "비용, 속도 비교"), ("placeholder", "순환 다이어그램", "")]),
    ("mind map continued on an indented line",
     ["Mind Map: 중심 → 가지 하나, 가지 둘,", "           가지 셋"],
     [("mindmap", "중심", ["가지 하나", "가지 둘", "가지 셋"])]),
    ("flowchart line with a decision and a continuation",
     ["Flowchart: 질문 → 바로 답하기 → 틀림?", "           → 도구 쓰기 → 성공"],
     [("flow", "flowchart-line", [("질문", "box"), ("바로 답하기", "box"), ("틀림?", "diamond"),
                                  ("도구 쓰기", "box"), ("성공", "box")], 4)]),
    ("a vertical chain whose last step wraps",
     ["작은 모델", "   ↓", "큰 모델", "   ↓", "아주 큰 모델", "(수천 개 GPU)"],
     [("chain", "TD", ["작은 모델", "큰 모델", "아주 큰 모델 (수천 개 GPU)"])]),
    ("side-by-side vertical chains",
     ["[가]      [나]", " ↓         ↓", "[다]      [라]"],
     [("chain", "TD", ["[가]", "[다]"]), ("chain", "TD", ["[나]", "[라]"])]),
    ("a mini-table with a rule under its header",
     ["이름   │ 값", "───────┼──────", "A      │ 1", "B      │ 2"],
     [("table", ["이름", "값"], [["A", "1"], ["B", "2"]])]),
    ("paragraphs split at blank lines, never merged across one",
     ["첫 줄", "둘째 줄", "", "새 문단"], [("text", "첫 줄\n둘째 줄"), ("text", "새 문단")]),
    ("an arrow-only line stays its own block",
     ["[A] → [B]", "   ↓", "다음 단계"],
     [("flow", "chain", [("A", "box"), ("B", "box")], 1), ("text", "↓"), ("text", "다음 단계")]),
]


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classify_lines(lines: list[str], expected: list[tuple[Any, ...]]) -> None:
    blocks = parse_panel_lines(lines, 10)
    assert brief(blocks) == expected
    assert blocks[0].line == 10


@pytest.mark.parametrize(("lines", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_no_word_is_lost(lines: list[str], expected: list[tuple[Any, ...]]) -> None:
    del expected
    blocks = parse_panel_lines(lines, 1)
    said = Counter(w for b in blocks for w in re.findall(r"\w+", " ".join(_texts(b.model_dump()))))
    assert said == Counter(w for w in re.findall(r"\w+", "\n".join(lines)) if w not in {"Flowchart", "Mind", "Map"})


def test_line_numbers_follow_the_lines() -> None:
    blocks = parse_panel_lines(["", "• a", "", "키: 값", "", "마지막"], 40)
    assert [b.line for b in blocks] == [41, 43, 45]


def test_indentation_shared_by_all_lines_is_ignored() -> None:
    assert brief(parse_panel_lines(["    • a", "      wrapped", "    • b"], 1)) == [
        ("list", [("bullet", "a wrapped"), ("bullet", "b")])]


def test_boxes_in_a_panel_become_a_diagram_between_text_blocks() -> None:
    lines = ["위 설명", "", "  ┌──────┐     ┌──────┐", "  │ 하나 │ ──▶ │ 둘   │", "  └──────┘     └──────┘",
             "", "아래 설명"]
    blocks = parse_panel_lines(lines, 1)
    assert [b.type for b in blocks] == ["text", "diagram", "text"]
    diagram = blocks[1]
    assert isinstance(diagram, DiagramBlock) and diagram.line == 3 and diagram.direction == "LR"
    assert [n.label for n in diagram.nodes] == ["하나", "둘"]
    assert [(e.src, e.dst, e.style) for e in diagram.edges] == [("n1", "n2", "solid")]


# --------------------------------------------------------------------------- content-section drawings


def fence_after(name: str, marker: str) -> tuple[list[str], int]:
    """The lines of the first fenced block after the line containing ``marker`` (and its line number)."""
    lines = (PROMPTS / name).read_text(encoding="utf-8").splitlines()
    start = next(k for k, line in enumerate(lines) if marker in line)
    open_at = next(k for k in range(start, len(lines)) if lines[k].startswith("```"))
    close_at = next(k for k in range(open_at + 1, len(lines)) if lines[k].startswith("```"))
    return lines[open_at + 1:close_at], open_at + 2


def test_activeprompt_pipeline_steps_captions_and_return_arrow() -> None:
    lines, first = fence_after("activeprompt-cheatsheet-prompt.md", "**파이프라인 다이어그램:**")
    diagram = parse_ascii_diagram(lines, first)
    assert diagram is not None and diagram.line == first
    # The frame round the whole drawing has no words of its own: the steps are the drawing's top level.
    steps = {str(n.caption): n for n in diagram.nodes}
    assert sorted(steps) == ["STEP 1", "STEP 2", "STEP 3", "STEP 4", "STEP 5"]
    assert steps["STEP 1"].label == "Uncertainty" and steps["STEP 1"].lines[0] == "Estimation"
    assert steps["STEP 5"].label == "Inference"
    order = {n.id: n.caption for n in diagram.nodes}
    assert sorted((order[e.src], order[e.dst]) for e in diagram.edges) == [
        ("STEP 1", "STEP 2"), ("STEP 2", "STEP 3"), ("STEP 3", "STEP 4"), ("STEP 4", "STEP 5")]
    assert diagram.raw == [line.rstrip() for line in lines]


def test_fewshot_comparison_edge_label_and_notes_under_arrows() -> None:
    lines, first = fence_after("fewshot-cheatsheet-prompt.md", "**핵심 개념 비교 다이어그램:**")
    diagram = parse_ascii_diagram(lines, first)
    assert diagram is not None
    zero, few, note1, note2 = diagram.nodes
    assert (zero.caption, few.caption) == ("Zero-shot", "Few-shot")
    assert (zero.label, zero.lines) == ("Task", ["Instruc", "tion"])
    assert (note1.label, note2.label) == ("직접 추론", "패턴 학습 후 추론")
    assert [(e.src, e.dst, e.label) for e in diagram.edges] == [
        (zero.id, few.id, "+ Examples"), (zero.id, note1.id, None), (few.id, note2.id, None)]


def test_fewshot_prompt_stack_is_cut_into_cells() -> None:
    lines, first = fence_after("fewshot-cheatsheet-prompt.md", "**프롬프트 구조 상세:**")
    diagram = parse_ascii_diagram(lines, first)
    assert diagram is not None
    (stack,) = diagram.nodes
    assert [(c.label, c.lines) for c in stack.children] == [
        ("[Task Instruction]", ["Classify the sentiment:"]),
        ("📌 Example 1", ['Text: "I love this!" → Positive']),
        ("📌 Example 2", ['Text: "Terrible." → Negative']),
        ("📌 Example 3", ['Text: "It\'s okay." → Neutral']),
        ("❓ New Input", ['Text: "Could be better." →'])]


def test_text_without_boxes_is_not_a_diagram() -> None:
    assert parse_ascii_diagram(["just words", "a → b"], 1) is None


def _texts(value: Any) -> list[str]:
    skip = {"type", "line", "raw", "id", "src", "dst", "mark", "shape", "style", "direction", "notation"}
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in skip for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []
