"""Markdown fragments → typed blocks: fixture cases, then the real example prompts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fixture_cases import Case, dump, read_cases
from nanosheet.ingest import markdown as md
from nanosheet.ingest.markdown import parse_blocks
from nanosheet.model import (
    Block,
    CalloutBlock,
    Diagnostic,
    DiagramBlock,
    FlowBlock,
    HeadingBlock,
    ListBlock,
    MindMapBlock,
    TableBlock,
)

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
CASES = read_cases(FIXTURES / "blocks.txt")


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_fixture(case: Case) -> None:
    blocks, diags = parse_blocks(case.source, 10, "case.md")
    expected = case.expected
    if isinstance(expected, dict):
        assert [f"{d.code}@{d.line}" for d in diags] == expected.get("diagnostics", [])
        expected = expected["blocks"]
    else:
        assert diags == [], [d.message for d in diags]
    assert [dump(b) for b in blocks] == expected, f"fixture line {case.line}"


def test_fixture_file_has_cases() -> None:
    assert len(CASES) >= 20


# --------------------------------------------------------------------------- ascii diagram hand-off


def test_box_drawing_fence_goes_to_ascii_diagram_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[str], int]] = []

    def reader(lines: list[str], first_line: int, diagnostics: list[Diagnostic]) -> DiagramBlock:
        seen.append((lines, first_line))
        diagnostics.append(Diagnostic(code="from-reader", message="x", line=first_line))
        return DiagramBlock(nodes=[], raw=lines)

    monkeypatch.setattr(md, "parse_ascii_diagram", reader)
    blocks, diags = parse_blocks("text\n\n```\n┌──┐\n│ a │\n└──┘\n```\n", 5, "x.md")
    assert seen == [(["┌──┐", "│ a │", "└──┘"], 8)]
    assert isinstance(blocks[1], DiagramBlock) and blocks[1].line == 7
    assert [d.code for d in diags] == ["from-reader"]


def test_box_drawing_the_reader_declines_stays_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(md, "parse_ascii_diagram", lambda lines, first_line, diagnostics: None)
    blocks, _ = parse_blocks("```\n┌──┐\n└──┘\n```", 1, "x.md")
    assert dump(blocks[0]) == {"type": "code", "line": 1, "text": "┌──┐\n└──┘"}


def test_fenced_problem_box_becomes_a_diagram() -> None:
    blocks, _ = _section("activeprompt-cheatsheet-prompt.md", 118, 128)
    diagram = _one(blocks, DiagramBlock)
    assert isinstance(diagram, DiagramBlock) and diagram.line == 119
    assert diagram.nodes[0].label == "❌ Standard CoT의 한계"
    assert diagram.raw[0].startswith("┌") and len(diagram.raw) == 8


# --------------------------------------------------------------------------- the real prompts


def _section(name: str, first: int, last: int) -> tuple[list[Block], list[str]]:
    """Parse lines first..last (1-based, inclusive) of an example prompt, as the splitter would hand them."""
    lines = (PROMPTS / name).read_text(encoding="utf-8").split("\n")
    blocks, diags = parse_blocks("\n".join(lines[first - 1 : last]), first, name)
    return blocks, [f"{d.code}@{d.line}" for d in diags]


def _one(blocks: list[Block], kind: type[Block]) -> Block:  # type: ignore[valid-type]
    found = [b for b in blocks if isinstance(b, kind)]
    assert len(found) == 1, [type(b).__name__ for b in blocks]
    return found[0]


def test_codex_prose_mind_map() -> None:
    blocks, diags = _section("how-openai-uses-codex-cheatsheet-prompt.md", 323, 343)
    assert diags == []
    mind = _one(blocks, MindMapBlock)
    assert isinstance(mind, MindMapBlock) and mind.root == "Codex" and mind.line == 326
    assert [(c.label, [g.label for g in c.children]) for c in mind.children] == [
        ("Code Understanding", ["빠른 온보딩", "인시던트 대응"]),
        ("Refactoring & Migrations", ["일관된 대규모 변경", "패턴 교체"]),
        ("Performance Optimization", ["병목 발견", "기술 부채 감소"]),
        ("Test Coverage", ["엣지 케이스", "경계 조건"]),
        ("Development Velocity", ["보일러플레이트 자동화", "릴리스 가속"]),
        ("Staying in Flow", ["컨텍스트 유지", "비동기 작업"]),
        ("Exploration & Ideation", ["대안 탐색", "버그 사냥"]),
    ]


def test_codex_example_rows_are_a_headerless_table() -> None:
    blocks, _ = _section("how-openai-uses-codex-cheatsheet-prompt.md", 344, 358)
    table = _one(blocks, TableBlock)
    assert isinstance(table, TableBlock) and table.header is None and table.line == 351
    assert len(table.rows) == 7 and {len(r) for r in table.rows} == {4}
    assert table.rows[0] == ["Code Understanding", "빠른 온보딩, 인시던트 대응", "온콜 중 스택트레이스 분석",
                             "Where is the auth logic?"]
    assert table.rows[-1][3] == "How would this work if event-driven?"


def test_codex_workflow_fence_is_a_chain_flow() -> None:
    blocks, _ = _section("how-openai-uses-codex-cheatsheet-prompt.md", 359, 375)
    flow = _one(blocks, FlowBlock)
    assert isinstance(flow, FlowBlock) and flow.notation == "chain" and flow.line == 363
    labels = [n.label for n in flow.nodes]
    assert labels[0] == "Start" and labels[-1] == "Complete" and len(labels) == 8
    assert "Task Queue를 백로그로 활용" in labels and len(flow.edges) == 7


def test_codex_checklists() -> None:
    blocks, _ = _section("how-openai-uses-codex-cheatsheet-prompt.md", 428, 451)
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    marks = [item.mark for lst in lists for item in lst.items]
    assert marks.count("box") == 10 and marks.count("bullet") == 3
    assert lists[0].items[0].text == "Ask Mode로 먼저 계획 세우기 (대규모 변경 시)"


def test_honesty_tables_and_callouts() -> None:
    blocks, diags = _section("honesty-personas-metaphors-cheatsheet-prompt.md", 194, 233)
    assert diags == []
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert [t.align for t in tables] == [
        ["center", "left", "center", "center", "left"],
        ["center", "left", "left"],
        ["center", "left", "center"],
    ]
    assert tables[0].rows[3][3] == "✅✅ 매우 효과적" and tables[0].rows[0][0] == "**역할 부여**"
    callouts = [b for b in blocks if isinstance(b, CalloutBlock)]
    assert [(c.title, c.attribution, c.line) for c in callouts] == [
        ("핵심 인사이트: 파견 회사 직원 비유", "Anthropic 패널", 224),
        ("Amanda의 솔직함 철학", "Amanda Askell", 229),
    ]
    assert "**꽤 유능한 사람**" in callouts[0].text and not callouts[0].text.startswith(">")


def test_grand_summary_flowchart_text() -> None:
    blocks, _ = _section("grand-summary-cheatsheet-prompt.md", 162, 187)
    flow = _one(blocks, FlowBlock)
    assert isinstance(flow, FlowBlock) and flow.line == 182 and flow.notation == "flowchart-line"
    label = {n.id: n.label for n in flow.nodes}
    edges = {(label[e.src], label[e.dst]) for e in flow.edges}
    assert ("Pre-training", "SFT") in edges and ("SFT", "RL") in edges
    assert ("인터넷 텍스트", "Pre-training") in edges and ("RL", "최적화된 사고 전략") in edges
    assert len(flow.nodes) == 9 and len(flow.edges) == 8


def test_grand_summary_box_glyph_checklist() -> None:
    blocks, _ = _section("grand-summary-cheatsheet-prompt.md", 235, 250)
    lst = next(b for b in blocks if isinstance(b, ListBlock))
    assert lst.line == 238 and [i.mark for i in lst.items] == ["box"] * 6
    assert lst.items[-1].text == "질문하고 검증 (Ask & Verify)"


def test_tokenization_unclosed_mermaid_does_not_swallow_the_rest() -> None:
    blocks, diags = _section("tokenization-spelling-cheatsheet-prompt.md", 93, 130)
    assert "unclosed-fence@94" in diags
    kinds = [(b.type, b.line) for b in blocks]
    assert ("flow", 94) in kinds and ("table", 104) in kinds and ("quote", 112) in kinds
    boxes = [i for b in blocks if isinstance(b, ListBlock) for i in b.items if i.mark == "box"]
    assert len(boxes) == 5


def test_tokenization_branch_mind_map() -> None:
    blocks, _ = _section("tokenization-spelling-cheatsheet-prompt.md", 78, 84)
    mind = _one(blocks, MindMapBlock)
    assert isinstance(mind, MindMapBlock) and mind.root == "Tokenization과 철자 문제"
    assert [c.label for c in mind.children] == ["근본 원인", "한계 사례", "우회 방법"]
    assert [g.label for g in mind.children[1].children] == ["strawberry r 세기", "ubiquitous 글자 추출"]


_DELIMITER_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")


@pytest.mark.parametrize("name", sorted(p.name for p in PROMPTS.glob("*.md")))
def test_whole_prompt_parses_with_every_table_and_ordered_lines(name: str) -> None:
    text = (PROMPTS / name).read_text(encoding="utf-8")
    blocks, diags = parse_blocks(text, 1, name)
    n_lines = text.count("\n") + 1
    lines = [b.line for b in blocks]
    assert all(line is not None and 1 <= line <= n_lines for line in lines)
    assert lines == sorted(lines)  # type: ignore[type-var]
    # Every GFM delimiter row outside a fence is one table with a header.
    delimiters = 0
    fence = False
    for raw in text.split("\n"):
        if raw.strip().startswith("```"):
            fence = not fence
        elif re.match(r"^#{1,6}\s", raw):
            fence = False  # unclosed mermaid fences end at the next heading
        elif not fence and _DELIMITER_ROW.match(raw.strip()):
            delimiters += 1
    assert sum(isinstance(b, TableBlock) and b.header is not None for b in blocks) == delimiters
    assert all(d.line is not None for d in diags)


# --------------------------------------------------------------------------- robustness

_PIECES = ["- ", "  - ", "1. ", "> ", "**", "**라벨:**", "| a | b |", "|---|:-:|", "```", "```mermaid",
           "flowchart LR", "A --> B", "mindmap", "  root((r))", "→", " → ", "↓", "[표: x]", "[ ]", "✓ ",
           "❌", "□ ", "Root: \"R\"", "Level 2: A → x", "Branch 1: \"b\" → \"c\"", "Flowchart: a → b?",
           "<br>", "\\|", "# h", "### 제목", "— 누구", "가나다", "text", " ", "\t", "┌─┐", "│x│", "└─┘"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), max_size=25),
       st.integers(min_value=1, max_value=500))
@example(["- **<br>**라벨:**"], 1)  # `<br>` made more lines than the item has
@example(["- **", "**라벨:**<br>- "], 1)
def test_any_fragment_parses_and_blocks_point_into_it(rows: list[str], first_line: int) -> None:
    text = "\n".join(rows)
    blocks, diags = parse_blocks(text, first_line, "f.md")
    last = first_line + max(len(rows), 1) - 1
    assert all(b.line is not None and first_line <= b.line <= last for b in blocks)
    assert all(d.line is None or first_line <= d.line <= last for d in diags)
    assert parse_blocks(text, first_line, "f.md") == (blocks, diags)  # deterministic


CHAPTERS = PROMPTS.parent / "chapters"


def _outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it lies outside a ``` fence (an independent, naive reading of CommonMark fences)."""
    flags, fence = [], None
    for ln in lines:
        mark = re.match(r"\s{0,3}(`{3,}|~{3,})", ln)
        if fence is None and mark:
            fence = mark.group(1)
            flags.append(False)
        elif fence is not None:
            flags.append(False)
            if mark and mark.group(1).startswith(fence) and not ln.strip()[len(mark.group(1)):].strip():
                fence = None
        else:
            flags.append(True)
    return flags


@pytest.mark.parametrize("name", sorted(p.name for p in CHAPTERS.glob("*.md")))
def test_plain_chapter_keeps_every_heading_and_paragraph(name: str) -> None:
    lines = (CHAPTERS / name).read_text(encoding="utf-8").split("\n")
    body_start = lines.index("---", 1) + 1 if lines[0] == "---" else 0  # frontmatter is stripped upstream
    body = lines[body_start:]
    blocks, diags = parse_blocks("\n".join(body), body_start + 1, name)
    assert diags == []
    outside = _outside_fences(body)  # a `# Bash commands` line inside a code fence is code, not a heading
    headings = [(i + body_start + 1, ln.lstrip("#").strip()) for i, ln in enumerate(body)
                if outside[i] and re.match(r"#{1,6} ", ln)]
    labels = [(i + body_start + 1, ln.strip("*: ")) for i, ln in enumerate(body)
              if outside[i] and re.fullmatch(r"\*\*[^*]+\*\*", ln)]
    assert [(b.line, b.text) for b in blocks if b.type == "heading"] == sorted(headings + labels)
    # Every word survives, except link targets (a link keeps its text only).
    # `_claude_` is emphasis: its word survives without the underscores.
    words = {w for ln in body for w in re.findall(r"[^\W_]{4,}", re.sub(r"\]\([^)]*\)", "]", ln))}
    kept = " ".join(b.model_dump_json() for b in blocks)
    assert all(w in kept for w in words), sorted(w for w in words if w not in kept)[:10]


def test_a_section_read_again_from_another_path_is_parsed_once_and_names_its_own_file() -> None:
    from nanosheet.errors import InputError
    from nanosheet.ingest import markdown
    from nanosheet.ingest.wireframe import _parse_wireframe_cached, parse_wireframe

    text = "- 하나\n  ```\n  코드\n  ```\n"  # a fence inside a list item: a diagnostic naming the file
    first, first_diags = markdown.parse_blocks(text, 7, "/tmp/a/one.md")
    hits = markdown._parse_blocks_cached.cache_info().hits
    again, again_diags = markdown.parse_blocks(text, 7, "/tmp/b/one.md")
    assert markdown._parse_blocks_cached.cache_info().hits == hits + 1
    assert again == first and again is not first and again[0] is not first[0]  # copies: callers may change them
    assert [d.file for d in first_diags] == ["/tmp/a/one.md"] and [d.file for d in again_diags] == ["/tmp/b/one.md"]
    frame = "┌────┐\n│ T  │\n├────┤\n│ A  │\n└────┘\n"
    parse_wireframe(frame, 3, "/tmp/a/one.md")
    hits = _parse_wireframe_cached.cache_info().hits
    parse_wireframe(frame, 3, "/tmp/b/one.md")
    assert _parse_wireframe_cached.cache_info().hits == hits + 1
    with pytest.raises(InputError) as err:  # an error from the cached parse names the caller's file too
        parse_wireframe("│ T  │\n│ A  │\n", 9, "/tmp/c/bad.md")
    assert err.value.file == "/tmp/c/bad.md"


@pytest.mark.parametrize(("label", "heading"), [
    ("**Definition Box:**", "Definition"), ("**Summary box**", "Summary"), ("**요약 박스:**", "요약"),
    ("**핵심 카드**", "핵심"), ("**Key Card:**", "Key"), ("**Box:**", "Box"), ("**Sandbox:**", "Sandbox"),
    ("**요약박스**", "요약"),
    ("**핵심 포인트:**", "핵심 포인트"),
])
def test_a_label_naming_its_container_keeps_only_what_is_in_it(label: str, heading: str) -> None:
    blocks, diags = parse_blocks(f"{label}\n> \"Active reading picks its own examples.\"\n", first_line=1, file="t.md")
    assert diags == []
    assert [b.text for b in blocks if isinstance(b, HeadingBlock)] == [heading]
