"""Mermaid text → FlowBlock / MindMapBlock: fixture cases, errors, and every mermaid block in the examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixture_cases import Case, dump, read_cases
from nanosheet.errors import InputError
from nanosheet.ingest.mermaid import parse_mermaid
from nanosheet.model import FlowBlock, MindMapBlock, MindNode

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
CASES = read_cases(FIXTURES / "mermaid.txt")


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_fixture(case: Case) -> None:
    block, diags = parse_mermaid(case.source, 20, "case.md")
    assert [f"{d.code}@{d.line}" for d in diags] == case.expected.get("diagnostics", [])
    assert dump(block) == case.expected["block"], f"fixture line {case.line}"


def test_warnings_name_the_skipped_line() -> None:
    _, diags = parse_mermaid("flowchart LR\n  A --> B\n  style A fill:#fff", 7, "f.md")
    assert len(diags) == 1 and diags[0].file == "f.md" and diags[0].line == 9
    assert "style A fill:#fff" in diags[0].message


@pytest.mark.parametrize(("code", "line", "col"), [
    ("", 5, 1),
    ("\n\n%% only a comment\n", 5, 1),
    ("\n  sequenceDiagram\n  A->>B: hi", 6, 3),
    ("pie title Pets", 5, 1),
])
def test_unusable_blocks_raise_input_error_with_position(code: str, line: int, col: int) -> None:
    with pytest.raises(InputError) as err:
        parse_mermaid(code, 5, "p.md")
    assert (err.value.file, err.value.line, err.value.col) == ("p.md", line, col)
    assert err.value.exit_code == 2 and "p.md:" in err.value.describe()


def test_mindmap_without_root_raises() -> None:
    with pytest.raises(InputError, match="no root"):
        parse_mermaid("mindmap\n\n", 1, "m.md")


def test_same_input_same_output() -> None:
    code = "flowchart LR\n  A & B --> C -->|x| D\n  subgraph S\n    D\n  end"
    first = parse_mermaid(code, 1, "f")[0].model_dump_json()
    assert all(parse_mermaid(code, 1, "f")[0].model_dump_json() == first for _ in range(3))


# --------------------------------------------------------------------------- the example prompts


def _mermaid_blocks(path: Path) -> list[tuple[int, str]]:
    """(line of the code's first line, code) for each ```mermaid fence; an unclosed one ends at a heading."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("```mermaid"):
            start = i + 1
            i = start
            while i < len(lines) and not lines[i].strip().startswith("```") and not re.match(r"#{1,6}\s", lines[i]):
                i += 1
            found.append((start + 1, "\n".join(lines[start:i])))
        i += 1
    return found


def _count(nodes: list[MindNode]) -> int:
    return sum(1 + _count(n.children) for n in nodes)


# Read off the files by hand: (file, first code line) → kind, direction, nodes, edges, groups, warnings.
EXPECTED = {
    ("honesty-personas-metaphors-cheatsheet-prompt.md", 109): ("flow", "LR", 10, 9, 2, 4),
    ("honesty-personas-metaphors-cheatsheet-prompt.md", 135): ("flow", "TD", 9, 4, 4, 5),
    ("honesty-personas-metaphors-cheatsheet-prompt.md", 173): ("flow", "TD", 7, 6, 1, 6),
    ("tokenization-spelling-cheatsheet-prompt.md", 95): ("flow", "TD", 7, 7, 0, 0),
    ("where-to-find-llms-cheatsheet-prompt.md", 174): ("mindmap", None, 21, 0, 0, 0),
    ("where-to-find-llms-cheatsheet-prompt.md", 228): ("flow", "LR", 4, 3, 0, 2),
}


def test_corpus_has_exactly_the_expected_mermaid_blocks() -> None:
    found = {(p.name, line) for p in PROMPTS.glob("*.md") for line, _ in _mermaid_blocks(p)}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=[f"{k[0].split('-')[0]}:{k[1]}" for k in sorted(EXPECTED)])
def test_corpus_block(key: tuple[str, int]) -> None:
    name, line = key
    code = dict(_mermaid_blocks(PROMPTS / name))[line]
    block, diags = parse_mermaid(code, line, name)
    kind, direction, n_nodes, n_edges, n_groups, n_warnings = EXPECTED[key]
    assert block.type == kind
    if isinstance(block, FlowBlock):
        assert (block.direction, len(block.nodes), len(block.edges), len(block.groups)) == (
            direction, n_nodes, n_edges, n_groups)
        ids = {n.id for n in block.nodes} | {g.id for g in block.groups}
        assert all(e.src in ids and e.dst in ids for e in block.edges)
    else:
        assert isinstance(block, MindMapBlock) and _count(block.children) == n_nodes
    assert [d.code for d in diags] == ["mermaid-unsupported"] * n_warnings
    assert all(line <= (d.line or 0) < line + code.count("\n") + 1 for d in diags)


def _flow(name: str, line: int) -> FlowBlock:
    block, _ = parse_mermaid(dict(_mermaid_blocks(PROMPTS / name))[line], line, name)
    assert isinstance(block, FlowBlock)
    return block


def test_honesty_subgraphs_and_edge_between_groups() -> None:
    flow = _flow("honesty-personas-metaphors-cheatsheet-prompt.md", 109)
    assert [(g.id, g.label, g.nodes) for g in flow.groups] == [
        ("Old", "과거 접근법 (예전 모델)", ["A1", "A2", "A3", "A4", "A5"]),
        ("New", "현재 권장 접근법", ["B1", "B2", "B3", "B4", "B5"]),
    ]
    assert flow.edges[-1].model_dump() == {"src": "Old", "dst": "New", "label": "모델 발전", "style": "solid"}
    assert {n.id: n.label for n in flow.nodes}["A5"] == "🔶 부분적 효과"


def test_honesty_nested_subgraphs_and_br_labels() -> None:
    flow = _flow("honesty-personas-metaphors-cheatsheet-prompt.md", 135)
    assert [(g.id, g.parent) for g in flow.groups] == [
        ("Context", None), ("Has", "Context"), ("Missing", "Context"), ("Question", None)]
    labels = {n.id: n.label for n in flow.nodes}
    assert labels["A"] == "파견 회사에서\n유능한 사람 도착"
    assert labels["E"] == "그 사람에게\n뭐라고 말할 건가요?"  # E[[…]] subroutine shape
    assert [(e.src, e.dst) for e in flow.edges] == [("A", "Has"), ("A", "Missing"), ("Context", "Question"),
                                                    ("D", "E")]


def test_honesty_graph_td_edge_labels() -> None:
    flow = _flow("honesty-personas-metaphors-cheatsheet-prompt.md", 173)
    assert [e.label for e in flow.edges] == ["거짓말", "역할 강요", "솔직함", None, None, None]
    assert {n.id: n.label for n in flow.nodes}["E"] == "❌ 모델이 세상을 이해함\n효과 감소"


def test_tokenization_decision_node() -> None:
    flow = _flow("tokenization-spelling-cheatsheet-prompt.md", 95)
    node = {n.id: n for n in flow.nodes}
    assert node["C"].shape == "diamond" and node["C"].label == "성공?"
    assert node["F"].label == '"use code" 지시'
    assert [(e.src, e.dst, e.label) for e in flow.edges if e.src == "C"] == [("C", "D", "실패"), ("C", "E", "성공")]


def test_where_to_find_unclosed_mindmap() -> None:
    block, _ = parse_mermaid(dict(_mermaid_blocks(PROMPTS / "where-to-find-llms-cheatsheet-prompt.md"))[174],
                             174, "w.md")
    assert isinstance(block, MindMapBlock) and block.root == "LLM 플랫폼" and block.line == 174
    assert [c.label for c in block.children] == ["Proprietary", "Open Weights", "Local"]
    hyperbolic = block.children[1].children[1]
    assert hyperbolic.label == "hyperbolic" and [c.label for c in hyperbolic.children] == ["Base Model!", "Llama 3.1"]


_TOKENS = ["A", "B1", "my-node", "[상자]", "(둥근)", "((원))", "{판단?}", "([알약])", "[\"따옴표 [x]\"]",
           " --> ", "-->", " -.-> ", " ==> ", " --- ", " -- 글 --> ", "|라벨|", " & ", ";", "subgraph S[묶음]",
           "end", "style A fill:#f", "%% c", ":::cls", "<br>", " ", "가나", "-", ">", "[", ")"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["flowchart LR", "graph TD", "flowchart", "graph BT"]),
       st.lists(st.lists(st.sampled_from(_TOKENS), max_size=7).map("".join), max_size=15))
def test_any_flowchart_text_gives_a_consistent_graph(header: str, rows: list[str]) -> None:
    code = "\n".join([header, *rows])
    block, diags = parse_mermaid(code, 3, "g.mmd")
    assert isinstance(block, FlowBlock)
    ids = [n.id for n in block.nodes]
    groups = {g.id for g in block.groups}
    assert len(ids) == len(set(ids))
    assert all(e.src in set(ids) | groups and e.dst in set(ids) | groups for e in block.edges)
    assert all(n in ids for g in block.groups for n in g.nodes)
    assert all(3 <= (d.line or 0) <= 3 + len(rows) for d in diags)


_STAGES = """flowchart LR
    P[코드 Push] --> B
    subgraph B["BUILD"]
        B1[설치] --> B2[컴파일]
        B2 --> B3[저장]
    end
    B --> T
    subgraph T["TEST"]
        T1[실행] --> T2{통과?}
        T2 -->|YES| T3[기록]
    end
    subgraph Outer["OUTER"]
        O1[시작]
        subgraph Inner["INNER"]
            I1[하나]
        end
    end
    O1 --> Inner
"""


def test_links_between_subgraphs_are_drawn_and_their_stages_run_across() -> None:
    from nanosheet.render.mermaid import mermaid_source

    flow, _ = parse_mermaid(_STAGES, 1, "stages.md")
    assert isinstance(flow, FlowBlock)
    source = mermaid_source(flow)
    ids = {line.split("[")[0].replace("subgraph", "").strip(): line.split('"')[1]
           for line in source.splitlines() if '["' in line}
    sub = {label: sid for sid, label in ids.items()}
    node = {label: nid for nid, label in ids.items()}
    # `P --> B` and `B --> T` join the stages in order (without them the layout may put them right to left).
    assert f"{node['코드 Push']} --> {sub['BUILD']}" in source
    assert f"{sub['BUILD']} --> {sub['TEST']}" in source
    # Each stage holds a chart of its own, so it runs across the outer flow and the drawing stays compact.
    build = source[source.index(f'subgraph {sub["BUILD"]}'):]
    assert build.splitlines()[1].strip() == "direction TB"
    # A link into a subgraph nested in another is not drawn: mermaid's layout fails on it.
    assert f"--> {sub['INNER']}" not in source
    assert mermaid_source(flow) == source
