"""Wireframe parsing against every real prompt, plus errors, text conservation and drift."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fixture_cases import Case, read_cases
from nanosheet.errors import LayoutError
from nanosheet.ingest.boxes import BoxTracker
from nanosheet.ingest.wireframe import draw_wireframe, parse_title, parse_wireframe
from nanosheet.model import (
    ChainBlock,
    DiagramBlock,
    FlowBlock,
    GraphNode,
    Item,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    MindNode,
    Panel,
    PlaceholderBlock,
    QuoteBlock,
    Row,
    TableBlock,
    TextBlock,
)
from widths import reference_width

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"
WITH_WIREFRAME = sorted(p.name for p in PROMPTS.glob("*.md") if "codex" not in p.name)


def seed_text() -> str:
    """The seed as repaired by the project's own intake stage (mojibake undone, lost bytes rebuilt)."""
    from nanosheet.ingest.intake import read_text

    return read_text(SEED).text


def layout(text: str) -> tuple[str, int]:
    """The lines from the first ┌ line to the last ┘ line (and the 1-based number of the first)."""
    lines = text.splitlines()
    first = next(k for k, line in enumerate(lines) if "┌" in line)
    last = max(k for k, line in enumerate(lines) if "┘" in line)
    return "\n".join(lines[first:last + 1]), first + 1


def parse_file(name: str) -> tuple[list[Row], list[Any]]:
    text, first = layout((PROMPTS / name).read_text(encoding="utf-8"))
    return parse_wireframe(text, first, name)


def shape(rows: list[Row]) -> list[str]:
    return [r.kind[0].upper() if r.kind != "panels" else str(len(r.panels)) for r in rows]


def titles(rows: list[Row]) -> list[list[tuple[str | None, str]]]:
    return [[(p.icon, p.title) for p in r.panels] for r in rows]


# --------------------------------------------------------------------------- fixture files: prompts and drawings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wireframe"
PROMPT_CASES = {case.source.strip(): case for case in read_cases(FIXTURES / "prompts.txt")}
DRAWN_CASES = read_cases(FIXTURES / "cases.txt")


def summary(rows: list[Row], diagnostics: list[Any], keys: Iterable[str]) -> dict[str, Any]:
    """The parse in a fixture case's own terms, for the ``keys`` the case states."""
    panels = [p for r in rows for p in r.panels]
    found: dict[str, Any] = {
        "shape": shape(rows),
        "titles": [[[icon, title] for icon, title in row] for row in titles(rows)],
        "diagnostics": [f"{d.code}@{d.line}" for d in diagnostics],
        "blocks": [[[b.type for b in p.blocks] for p in r.panels] for r in rows],
        "flags": {p.id: p.flags for p in panels if p.flags},
        "hints": {p.id: p.hints for p in panels if p.hints},
        "items": {p.id: [[i.mark, i.text] for i in lists[0].items]
                  for p in panels if (lists := [b for b in p.blocks if isinstance(b, ListBlock)])},
    }
    return {key: found[key] for key in keys}


@pytest.mark.parametrize("name", WITH_WIREFRAME)
def test_prompt_rows_and_titles(name: str) -> None:
    """Every shared prompt with a wireframe has a case in prompts.txt (a new prompt needs one, checked
    by eye), and parses to the rows, titles and warnings it states."""
    case = PROMPT_CASES.get(name)
    assert case is not None, f"no case for {name} in {FIXTURES / 'prompts.txt'}: add its rows and titles"
    rows, diagnostics = parse_file(name)
    assert summary(rows, diagnostics, case.expected) == case.expected, f"prompts.txt:{case.line}"
    assert [p.id for r in rows for p in r.panels][:2] == ["r1p1", "r2p1"]
    assert all(r.ratio == 0 for r in rows)


@pytest.mark.parametrize("case", DRAWN_CASES, ids=lambda c: c.title)
def test_drawn_case(case: Case) -> None:
    if "error" in case.expected:
        with pytest.raises(LayoutError) as err:
            parse_wireframe(case.source, 1, "case.md")
        assert err.value.describe().startswith(case.expected["error"]), f"cases.txt:{case.line}"
        return
    expected = {"flags": {}, "hints": {}, **case.expected}  # a case that names no flags expects none
    rows, diagnostics = parse_wireframe(case.source, 1, "case.md")
    assert summary(rows, diagnostics, expected) == expected, f"cases.txt:{case.line}"


def test_fixture_summary_notices_a_wrong_title() -> None:
    """The comparison can fail: a case whose stated title differs from the drawing's does not match."""
    case = DRAWN_CASES[0]
    rows, diagnostics = parse_wireframe(case.source, 1, "case.md")
    wrong = {**case.expected, "titles": [[["🍌", "ANOTHER TITLE"]]]}
    assert summary(rows, diagnostics, wrong) != wrong
    assert summary(rows, diagnostics, case.expected) == case.expected


@pytest.mark.parametrize("name", WITH_WIREFRAME)
def test_every_word_inside_the_frame_is_kept(name: str) -> None:
    text, first = layout((PROMPTS / name).read_text(encoding="utf-8"))
    rows, _ = parse_wireframe(text, first, name)
    frame = text.splitlines()[: _frame_end(text) + 1]
    assert words_of_rows(rows) == words_of("\n".join(frame))


def test_seed_rows_and_mind_map() -> None:
    text, first = layout(seed_text())
    rows, diagnostics = parse_wireframe(text, first, "seed.txt")
    assert shape(rows) == ["T", "2", "B", "3"]
    assert [p.title for p in rows[1].panels] == ["MULTIMODAL", "AGENTS"]
    assert rows[1].panels[1].icon == "🤖"
    assert (rows[2].panels[0].icon, rows[2].panels[0].title) == ("⚡", "FUTURE LLM CAPABILITIES")
    assert rows[2].panels[0].flags == ["widest"]
    assert [p.title for p in rows[3].panels] == ["COMPUTER USE", "RESEARCH", "KEY TAKEAWAYS"]
    mind = rows[2].panels[0].blocks
    assert len(mind) == 1 and isinstance(mind[0], MindMapBlock)
    assert mind[0].root == "Future"
    assert [c.label for c in mind[0].children] == [
        "Multimodal", "Agents", "Computer Use", "Longer Context", "Test-Time Training", "Robotics"]
    assert mind[0].line == first + 14
    assert words_of_rows(rows) == words_of(text)
    assert not diagnostics


def test_activeprompt_ragged_row_diagrams_and_table() -> None:
    rows, _ = parse_file("activeprompt-cheatsheet-prompt.md")
    left, right = rows[1].panels
    assert isinstance(left.blocks[0], ListBlock)
    assert [i.text for i in left.blocks[0].items] == ["Definition 박스", "핵심: 동적 예시 선택", "CoT 방법의 한계 해결"]
    # The right panel runs 6 lines past the left one; its two stacked boxes are joined by ┬ and ▼.
    (diagram,) = right.blocks
    assert isinstance(diagram, DiagramBlock)
    assert [(n.label, n.lines) for n in diagram.nodes] == [
        ("Problem:", ["고정된 예시"]), ("Solution:", ["불확실성 기반", "동적 선택"])]
    assert [(e.src, e.dst) for e in diagram.edges] == [("n1", "n2")]
    band = rows[2].panels[0]
    assert band.flags == ["key", "widest"] and band.hints == ["이 섹션이 가장 넓어야 함 - 핵심!"]
    (steps,) = band.blocks
    assert isinstance(steps, DiagramBlock)
    assert [n.label for n in steps.nodes] == ["1.", "2.", "3.", "4.", "5."]
    assert steps.nodes[0].lines == ["Uncertainty", "Estimation"]
    # ──▶ between the step boxes, and 4 → 5 through ┬ │ │ ◀──┘.
    assert sorted((e.src, e.dst) for e in steps.edges) == [("n1", "n2"), ("n2", "n3"), ("n3", "n4"), ("n4", "n5")]
    table = rows[3].panels[0].blocks[0]
    assert isinstance(table, TableBlock)
    assert table.header == ["Standard", "Active-Prompt"]
    assert table.rows == [["고정 예시", "동적 예시"], ["일반적", "Task 최적화"], ["효율 낮음", "효율 높음"]]
    checks = rows[3].panels[1].blocks[0]
    assert isinstance(checks, ListBlock) and {i.mark for i in checks.items} == {"check"}
    assert len(checks.items) == 4


def test_where_to_find_llms_nests_four_deep() -> None:
    rows, _ = parse_file("where-to-find-llms-cheatsheet-prompt.md")
    left, right = rows[1].panels
    assert isinstance(left.blocks[0], DiagramBlock)
    assert [n.label for n in left.blocks[0].nodes] == ["ChatGPT (OpenAI)", "Claude", "Gemini (Google)"]
    assert isinstance(right.blocks[0], DiagramBlock)
    assert [n.label for n in right.blocks[0].nodes] == ["together.ai", "hyperbolic"]
    assert isinstance(right.blocks[1], TextBlock) and right.blocks[1].text == "⚠️ 대부분 Assistant만 제공!"
    band = rows[2].panels[0]
    assert band.flags == ["widest"] and band.hints == ["가장 넓게!"]
    (diagram,) = band.blocks
    assert isinstance(diagram, DiagramBlock)
    cloud, local, trick = diagram.nodes
    assert (cloud.caption, cloud.label) == ("Cloud", "🌐 API 호출")
    assert (local.caption, local.label) == ("Local (LM Studio)", "💻 내 컴퓨터에서 실행")
    assert any(e.src == cloud.id and e.dst == local.id and e.label == "VS" for e in diagram.edges)
    # frame → band box → trick box → model boxes: depth 4.
    assert trick.label == "로컬 실행을 위한 트릭:"
    assert [(c.caption, c.label) for c in trick.children] == [
        ("Original Model", "DeepSeek 70B"), ("Distilled + Lower Precision", "DeepSeek 7B (distilled)")]
    assert trick.children[0].lines == ["FP32/BF16", "❌ 맥북 불가"]
    assert [(e.src, e.dst) for e in diagram.edges if e.label is None] == [(trick.children[0].id, trick.children[1].id)]
    assert depth(diagram.nodes) == 2


def test_fewshot_separators_annotation_and_placeholder() -> None:
    rows, diagnostics = parse_file("fewshot-cheatsheet-prompt.md")
    top = rows[1].panels[0]
    assert top.flags == ["full-width"] and top.hints == ["전체 너비"]
    anatomy = rows[2].panels[0]
    (diagram,) = anatomy.blocks
    assert isinstance(diagram, DiagramBlock)
    stack, note = diagram.nodes
    assert [c.label for c in stack.children] == [
        "Example 1: Input → Output", "Example 2: Input → Output", "Example 3: Input → Output", "[New Input] → ???"]
    assert (note.label, note.shape) == ("모델이 예측", "round")
    assert [(e.src, e.dst) for e in diagram.edges] == [(note.id, stack.children[3].id)]
    (placeholder,) = rows[4].panels[0].blocks
    assert isinstance(placeholder, PlaceholderBlock)
    assert (placeholder.kind, placeholder.text) == ("표", "예시 수, 토큰, 적합 작업, 복잡도 비교")
    assert not diagnostics


def test_tokenization_flowchart_line_with_decision() -> None:
    rows, _ = parse_file("tokenization-spelling-cheatsheet-prompt.md")
    (flow,) = rows[2].panels[0].blocks
    assert isinstance(flow, FlowBlock) and flow.notation == "flowchart-line"
    assert [n.label for n in flow.nodes] == [
        "사용자 질문", "모델 직접 처리", "실패?", '"use code" 지시', "Python 활용", "성공!"]
    assert [n.shape for n in flow.nodes].count("diamond") == 1 and flow.nodes[2].shape == "diamond"
    assert [(e.src, e.dst) for e in flow.edges] == [(f"s{k}", f"s{k + 1}") for k in range(1, 6)]
    assert rows[1].panels[1].icon == "👁️"


def test_grand_summary_spacers_stages_and_checkboxes() -> None:
    rows, _ = parse_file("grand-summary-cheatsheet-prompt.md")
    assert rows[0].panels[0].blocks == [TextBlock(line=96, text="Deep Dive into LLMs - Andrej Karpathy")]
    stages = rows[1].panels[0]
    assert stages.flags == ["key"] and stages.hints == ["핵심 중앙 영역"]
    diagram = stages.blocks[0]
    assert isinstance(diagram, DiagramBlock)
    assert [n.label for n in diagram.nodes] == ["STAGE 1", "STAGE 2", "STAGE 3"]
    assert [(e.src, e.dst) for e in diagram.edges] == [("n1", "n2"), ("n2", "n3")]
    chains = stages.blocks[1:]
    assert [c.steps for c in chains if isinstance(c, ChainBlock)] == [
        ["[인터넷]", "[신경망]"], ["[라벨러 지침]", "[대화 예시]"], ["[연습 문제]", "[사고 전략]"]]
    rl = rows[3].panels[0].blocks[0]
    assert isinstance(rl, ChainBlock) and rl.direction == "TD" and len(rl.steps) == 4
    boxes = rows[3].panels[1].blocks[0]
    assert isinstance(boxes, ListBlock) and [i.mark for i in boxes.items] == ["box"] * 5
    band = rows[4].panels[0]
    assert band.line == 144 and rows[4].line == 144
    assert isinstance(band.blocks[0], ListBlock) and len(band.blocks[0].items) == 5


def test_gpt2_two_line_title_and_vs16_icon() -> None:
    rows, _ = parse_file("gpt2-training-inference-cheatsheet-prompt.md")
    assert rows[0].panels[0].blocks == [
        TextBlock(line=73, text="Deep Dive into LLMs - Chapter 7/24 by Andrej Karpathy")]
    gpu = rows[3].panels[0]
    assert gpu.icon == "🖥️" and gpu.line == 113
    chain = gpu.blocks[0]
    assert isinstance(chain, ChainBlock) and chain.steps == [
        "1 GPU (H100)", "8 GPUs = 1 Node", "Multi-Node Cluster", "Data Center (100K+ GPUs)"]
    band = rows[2].panels[0]
    flow = band.blocks[0]
    assert isinstance(flow, FlowBlock) and flow.notation == "chain"
    assert [n.label for n in flow.nodes] == ["Data", "Tokenization", "Training Loop", "Loss ↓", "Inference"]


def test_honesty_marks_side_by_side_and_placeholder() -> None:
    rows, _ = parse_file("honesty-personas-metaphors-cheatsheet-prompt.md")
    blocks = rows[2].panels[0].blocks
    assert isinstance(blocks[0], PlaceholderBlock) and blocks[0].kind == "비유 다이어그램"
    marks = next(b for b in blocks if isinstance(b, ListBlock))
    assert [(i.mark, i.text) for i in marks.items] == [("check", "업계에 대해 많이 알고 있음"),
                                                      ("cross", "회사 이름은 모름")]


# --------------------------------------------------------------------------- layout section text around it


def test_ignores_prose_and_glued_ratio_bullets_around_the_frame() -> None:
    lines = (PROMPTS / "grand-summary-cheatsheet-prompt.md").read_text(encoding="utf-8").splitlines()
    section = "\n".join(lines[91:159])  # heading, blank, unfenced frame, glued **배치 비율** bullets
    rows, diagnostics = parse_wireframe(section, 92, "g.md")
    assert shape(rows) == ["T", "1", "2", "2", "B"]
    assert rows[1].panels[0].line == 100
    assert not diagnostics


def test_fenced_layout_with_important_note() -> None:
    lines = (PROMPTS / "tokenization-spelling-cheatsheet-prompt.md").read_text(encoding="utf-8").splitlines()
    rows, _ = parse_wireframe("\n".join(lines[33:70]), 34, "t.md")
    assert shape(rows) == ["T", "2", "B", "3"] and rows[2].panels[0].line == 50


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(("text", "icon", "title", "flags", "hints"), [
    ("⚡ 5-STEP WORKFLOW (이 섹션이 가장 넓어야 함 - 핵심!)", "⚡", "5-STEP WORKFLOW", ["key", "widest"],
     ["이 섹션이 가장 넓어야 함 - 핵심!"]),
    ("📖 WHAT IS FEW-SHOT? (전체 너비)", "📖", "WHAT IS FEW-SHOT?", ["full-width"], ["전체 너비"]),
    ("💻 LOCAL EXECUTION (LM STUDIO) - 가장 넓게!", "💻", "LOCAL EXECUTION (LM STUDIO)", ["widest"], ["가장 넓게!"]),
    ("🎯 KEY TAKEAWAYS (핵심 요약)", "🎯", "KEY TAKEAWAYS (핵심 요약)", [], []),
    ("1️⃣ FIRST STEP", "1️⃣", "FIRST STEP", [], []),
    ("👨‍👩‍👧 FAMILY (전체 너비)", "👨‍👩‍👧", "FAMILY", ["full-width"], ["전체 너비"]),
    ("🍌 CHEAT SHEET 🍌", "🍌", "CHEAT SHEET", ["icon-both-ends"], []),
    ("Plain Title", None, "Plain Title", [], []),
])
def test_parse_title(text: str, icon: str | None, title: str, flags: list[str], hints: list[str]) -> None:
    parsed = parse_title(text)
    assert (parsed.icon, parsed.text, parsed.flags, parsed.hints) == (icon, title, flags, hints)


def test_wrapped_title_is_joined() -> None:
    text = "\n".join([
        "┌──────────────────────────────┐",
        "│ ┌──────────────────────────┐ │",
        "│ │ 🧭 THE VERY LONG PANEL   │ │",
        "│ │ TITLE THAT WRAPS         │ │",
        "│ │                          │ │",
        "│ │ • one point              │ │",
        "│ └──────────────────────────┘ │",
        "└──────────────────────────────┘",
    ])
    rows, _ = parse_wireframe(text, 1, "w.md")
    panel = rows[0].panels[0]
    assert (panel.icon, panel.title) == ("🧭", "THE VERY LONG PANEL TITLE THAT WRAPS")
    assert isinstance(panel.blocks[0], ListBlock)


# --------------------------------------------------------------------------- broken input


def test_no_box_at_all_is_flagged_not_an_error() -> None:
    rows, diagnostics = parse_wireframe("Just words, no drawing.\n", 10, "x.md")
    assert rows == [] and [d.code for d in diagnostics] == ["no-wireframe"] and diagnostics[0].line == 10


def test_border_characters_without_any_box_raise_layout_error() -> None:
    with pytest.raises(LayoutError) as err:
        parse_wireframe("intro\n│ half │\n└──────┘\n", 5, "bad.md")
    assert err.value.exit_code == 2
    assert err.value.describe().startswith("bad.md:6:1:")


def test_unterminated_panel_is_closed_with_a_warning() -> None:
    text = "\n".join([
        "┌────────────────────────────┐",
        "│  🍌 TITLE                  │",
        "├────────────────────────────┤",
        "│  ┌──────────┐  ┌─────────┐ │",
        "│  │ 🅰️ LEFT  │  │ 🅱️ RIGHT │ │",
        "│  │ • a      │  │ • b     │ │",
        "│  │          │  └─────────┘ │",
        "└────────────────────────────┘",
    ])
    rows, diagnostics = parse_wireframe(text, 20, "u.md")
    assert shape(rows) == ["T", "2"]
    assert [p.title for p in rows[1].panels] == ["LEFT", "RIGHT"]
    assert any(d.code == "unterminated-box" and d.line == 23 for d in diagnostics)


def test_frame_missing_its_bottom_ends_at_glued_text() -> None:
    text = "┌──────────┐\n│  🍌 T    │\n├──────────┤\n│  ⚡ BAND  │\n**배치 비율**:\n- 상단 (10%)\n"
    rows, diagnostics = parse_wireframe(text, 1, "m.md")
    assert shape(rows) == ["T", "B"] and rows[1].panels[0].title == "BAND"
    assert [d.code for d in diagnostics] == ["unterminated-box"] and diagnostics[0].line == 1


def test_orphan_corner_is_kept_as_text_with_a_warning() -> None:
    text = "\n".join([
        "┌────────────────────┐",
        "│  🍌 TITLE          │",
        "├────────────────────┤",
        "│  ┌──────────────┐  │",
        "│  │ 📌 PANEL     │  │",
        "│  │ note └──┘    │  │",
        "│  └──────────────┘  │",
        "└────────────────────┘",
    ])
    rows, diagnostics = parse_wireframe(text, 1, "o.md")
    assert rows[1].panels[0].title == "PANEL"
    assert [d.code for d in diagnostics] == ["orphan-corner"] and diagnostics[0].line == 6
    assert "note" in words_of_rows(rows)


def test_missing_right_border_keeps_the_text() -> None:
    text = "\n".join([
        "┌──────────────────────────────────┐",
        "│  🍌 TITLE                        │",
        "├──────────────────────────────────┤",
        "│  ┌────────────┐  ┌────────────┐  │",
        "│  │ 📌 LEFT    │  │ 📎 RIGHT   │  │",
        "│  │ alpha beta    │ gamma      │  │",
        "│  └────────────┘  └────────────┘  │",
        "└──────────────────────────────────┘",
    ])
    rows, diagnostics = parse_wireframe(text, 1, "m.md")
    assert [p.title for p in rows[1].panels] == ["LEFT", "RIGHT"]
    assert any(d.code == "missing-border" and d.line == 6 for d in diagnostics)
    assert words_of_rows(rows) == words_of(text)


# --------------------------------------------------------------------------- drift on the real corpus


@pytest.mark.parametrize("name", WITH_WIREFRAME)
@pytest.mark.parametrize("seed", range(3))
def test_real_wireframes_survive_width_drift(name: str, seed: int) -> None:
    text, first = layout((PROMPTS / name).read_text(encoding="utf-8"))
    clean, _ = parse_wireframe(text, first, name)
    drifted, _ = parse_wireframe(drift(text, random.Random(seed)), first, name)
    assert strip_positions(drifted) == strip_positions(clean)


# --------------------------------------------------------------------------- helpers (also used by the property tests)


def drift(text: str, rnd: random.Random) -> str:
    """Insert up to 6 or remove up to 4 spaces before each right border of each line."""
    lines = text.splitlines()
    borders = right_borders(lines)
    out = []
    for k, line in enumerate(lines):
        pieces, last = [], 0
        for at in sorted(borders.get(k, ())):
            head = line[last:at]
            spaces = len(head) - len(head.rstrip(" "))
            if spaces:
                head = head[: len(head) - spaces] + " " * max(spaces + rnd.randint(-4, 6), 1)
            pieces.append(head)
            last = at
        out.append("".join(pieces) + line[last:])
    return "\n".join(out)


def right_borders(lines: list[str]) -> dict[int, set[int]]:
    """line -> character offsets of the │ that close a box on that line (found by the box tracker)."""
    tracker = BoxTracker()
    for k, line in enumerate(lines):
        tracker.feed(k, line)
    tracker.finish()
    found: dict[int, set[int]] = {}
    stack = list(tracker.root.children)
    while stack:
        box = stack.pop()
        stack.extend(box.children)
        for k, (_, end) in box.spans.items():
            if end < len(lines[k]) and lines[k][end] == "│":
                found.setdefault(k, set()).add(end)
    return found


def strip_positions(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows without line numbers and raw diagram lines (what drift is allowed to change)."""
    return [_strip(r.model_dump()) for r in rows]


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("line", "raw")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


# Keywords that become a block's type rather than its text ("Flowchart:" -> FlowBlock, "Mind Map:").
_SYNTAX = {"Flowchart", "Mind", "Map"}


def words_of(text: str) -> Counter[str]:
    return Counter(w for w in re.findall(r"\w+", text) if w not in _SYNTAX)


def words_of_rows(rows: list[Row]) -> Counter[str]:
    """Every word the rows carry: titles, hints, and all text inside blocks (raw lines excluded)."""
    words: Counter[str] = Counter()
    for row in rows:
        for panel in row.panels:
            words.update(re.findall(r"\w+", " ".join([panel.title, *panel.hints])))
            for block in panel.blocks:
                words.update(words_of(" ".join(_texts(block.model_dump()))))
    return words


_NOT_TEXT = {"type", "line", "raw", "id", "src", "dst", "mark", "shape", "style", "direction", "notation",
             "align"}


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if key not in _NOT_TEXT:
                out.extend(_texts(item))
        return out
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []


def _frame_end(text: str) -> int:
    """Index of the frame's closing line: the first └ line at the frame's own indentation."""
    lines = text.splitlines()
    col = lines[0].index("┌")
    return next(k for k, line in enumerate(lines) if len(line) > col and line[col] == "└")


def depth(nodes: list[GraphNode]) -> int:
    return 1 + max((depth(n.children) for n in nodes if n.children), default=0) if nodes else 0


# --------------------------------------------------------------------------- round trip (hypothesis)

_EN = ["Loss", "GPU", "token", "model", "data", "Python", "agent", "cache", "RL", "SFT"]
_KO = ["모델", "토큰", "학습", "데이터", "추론", "비용", "성능", "예시", "한계", "검증"]
_ICONS = [None, "⚡", "🍌", "🖥️", "👁️", "1️⃣", "👨‍👩‍👧", "📌", "🎯", "🧠", "⚠️"]
_HINTS: list[tuple[list[str], list[str]]] = [
    ([], []), (["widest"], ["이 섹션이 가장 넓어야 함!"]), (["full-width"], ["전체 너비"]),
    (["key"], ["이 섹션이 핵심!"]), (["key", "widest"], ["핵심 - 가장 넓게!"])]

word = st.sampled_from(_EN + _KO)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)


@st.composite
def diagram_node(draw: st.DrawFn, depth: int = 0) -> GraphNode:
    kids = draw(st.lists(diagram_node(depth + 1), max_size=2)) if depth < 2 else []
    return GraphNode(id="", label=draw(phrase), lines=draw(st.lists(phrase, max_size=2)), children=kids)


def _number(nodes: list[GraphNode], counter: list[int]) -> list[GraphNode]:
    out = []
    for node in nodes:
        counter[0] += 1
        own = f"n{counter[0]}"
        out.append(node.model_copy(update={"id": own, "children": _number(node.children, counter)}))
    return out


item_marks = st.sampled_from(["bullet", "check", "cross", "box"])
block = st.one_of(
    phrase.map(lambda t: TextBlock(text=t)),
    st.lists(st.tuples(item_marks, phrase), min_size=1, max_size=3).map(
        lambda xs: ListBlock(items=[Item(text=t, mark=m) for m, t in xs])),
    st.lists(phrase, min_size=1, max_size=3).map(
        lambda xs: ListBlock(items=[Item(text=t, mark="number", number=str(k)) for k, t in enumerate(xs, 1)])),
    st.lists(phrase, min_size=2, max_size=4).map(lambda xs: ChainBlock(steps=xs)),
    st.tuples(st.lists(word, min_size=1, max_size=2).map(" ".join), phrase).map(
        lambda kv: KeyValueBlock(key=kv[0], value=kv[1])),
    phrase.map(lambda t: QuoteBlock(text=t)),
    st.tuples(word, st.one_of(st.just(""), phrase)).map(lambda kt: PlaceholderBlock(kind=kt[0], text=kt[1])),
    st.tuples(word, st.lists(phrase, min_size=1, max_size=4)).map(
        lambda rc: MindMapBlock(root=rc[0], children=[MindNode(label=c) for c in rc[1]])),
    st.lists(diagram_node(), min_size=1, max_size=3).map(
        lambda ns: DiagramBlock(direction="TD", nodes=_number(ns, [0]))),
)


@st.composite
def panel(draw: st.DrawFn, pid: str, *, title_row: bool = False) -> Panel:
    icon = draw(st.sampled_from(_ICONS))
    flags, hints = draw(st.sampled_from(_HINTS))
    if title_row:
        blocks: list[Any] = draw(st.lists(phrase.map(lambda t: TextBlock(text=t)), max_size=1))
        if icon and draw(st.booleans()):
            flags = sorted([*flags, "icon-both-ends"])
    else:
        blocks = draw(st.lists(block, max_size=3))
    return Panel(id=pid, icon=icon, title=draw(phrase), flags=flags, hints=hints, blocks=blocks)


@st.composite
def layout_tree(draw: st.DrawFn) -> list[Row]:
    rows = []
    count = draw(st.integers(1, 5))
    with_title = draw(st.booleans())
    for number in range(1, count + 1):
        if number == 1 and with_title:
            rows.append(Row(kind="title", ratio=0, panels=[draw(panel("r1p1", title_row=True))], widths=[1.0]))
        elif draw(st.booleans()):
            rows.append(Row(kind="band", ratio=0, panels=[draw(panel(f"r{number}p1"))], widths=[1.0]))
        else:
            n = draw(st.integers(1, 3))
            rows.append(Row(kind="panels", ratio=0, widths=[1.0] * n,
                            panels=[draw(panel(f"r{number}p{k}")) for k in range(1, n + 1)]))
    return rows


def normalise(rows: list[Row]) -> list[dict[str, Any]]:
    """What the drawing can say: neighbouring lists read back as one list."""
    out = []
    for row in rows:
        panels = []
        for p in row.panels:
            blocks: list[Any] = []
            for b in p.blocks:
                if isinstance(b, ListBlock) and blocks and isinstance(blocks[-1], ListBlock):
                    blocks[-1] = ListBlock(items=[*blocks[-1].items, *b.items])
                else:
                    blocks.append(b)
            panels.append(p.model_copy(update={"blocks": blocks}))
        out.append(row.model_copy(update={"panels": panels}))
    return strip_positions(out)


def _no_adjacent_diagrams(rows: list[Row]) -> bool:
    return not any(isinstance(a, DiagramBlock) and isinstance(b, DiagramBlock)
                   for r in rows for p in r.panels for a, b in zip(p.blocks, p.blocks[1:], strict=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout_tree(), st.integers(0, 2**32 - 1), st.sampled_from([71, 79, 83]))
def test_drawn_layouts_parse_back_after_drift(rows: list[Row], seed: int, width: int) -> None:
    assume(_no_adjacent_diagrams(rows))  # two drawings a blank line apart read back as one drawing
    drawn = draw_wireframe(rows, width)
    parsed, diagnostics = parse_wireframe(drift(drawn, random.Random(seed)), 1, "gen.md")
    assert normalise(parsed) == normalise(rows)
    assert not [d for d in diagnostics if d.code != "untitled-panel"]


def test_draw_wireframe_lines_have_one_width() -> None:
    rows, _ = parse_file("activeprompt-cheatsheet-prompt.md")
    drawn = draw_wireframe(rows, 71).splitlines()
    assert {reference_width(line) for line in drawn} == {reference_width(drawn[0])}
    assert reference_width(drawn[0]) >= 71
    again, _ = parse_wireframe("\n".join(drawn), 1, "again.md")
    assert shape(again) == shape(rows) and titles(again) == titles(rows)


# --------------------------------------------------------------------------- fuzz: broken drawings


def _mutate(text: str, rnd: random.Random) -> str:
    chars = list(text)
    border = [k for k, ch in enumerate(chars) if ch in "│─┌┐└┘├┤┬┴┼"]
    for _ in range(rnd.randint(1, 12)):
        if not border:
            break
        k = rnd.choice(border)
        chars[k] = rnd.choice(["", " ", "x", "┌", "┘", "│", "├"])
    cut = rnd.randint(len(chars) // 3, len(chars))
    return "".join(chars[:cut])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WITH_WIREFRAME), st.integers(0, 2**32 - 1))
def test_broken_wireframes_give_rows_or_a_layout_error(name: str, seed: int) -> None:
    text, first = layout((PROMPTS / name).read_text(encoding="utf-8"))
    broken = _mutate(text, random.Random(seed))
    try:
        rows, diagnostics = parse_wireframe(broken, first, name)
    except LayoutError as err:
        assert err.line is not None and err.file == name
        return
    assert all(d.line is not None and d.line >= first for d in diagnostics)
    assert all(r.kind in ("title", "panels", "band") for r in rows)


def test_a_very_wide_line_does_not_blow_up() -> None:
    inner = "│" * 3000
    text = "┌" + "─" * 3000 + "┐\n" + "│" + inner + "│\n" + "└" + "─" * 3000 + "┘\n"
    rows, _ = parse_wireframe(text, 1, "wide.md")
    assert shape(rows) == ["T"]
