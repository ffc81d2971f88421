"""Box drawings whose boxes hold free-form flowcharts: fixture drawings in, nodes and edges out; then the
two shared prompts that draw such charts, composed end to end (every label drawn, no glyph in a label)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.ascii_flow import trace_flow
from nanosheet.model import Block, DiagramBlock, FlowBlock, GraphEdge, GraphNode, Sheet
from nanosheet.render.html import render_fragment
from nanosheet.render.mermaid import label_lines, mermaid_source

FIXTURES = Path(__file__).parent / "fixtures" / "ascii_flow" / "cases.txt"
PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
_GLYPHS = set("─━│┃┌┐└┘├┤┬┴┼▶◀▼▲")


def _cases() -> list[tuple[str, list[str], list[str]]]:
    cases: list[tuple[str, list[str], list[str]]] = []
    for chunk in FIXTURES.read_text(encoding="utf-8").split("\n~~~ ")[1:]:
        title, _, body = chunk.partition("\n")
        drawing, _, expected = body.partition("\n---\n")
        cases.append((title.strip(), drawing.split("\n"), [e for e in expected.strip().split("\n") if e]))
    return cases


def _text(node: GraphNode) -> str:
    return " ".join(label_lines(node.label, node.lines))


def _described(diagram: DiagramBlock) -> list[str]:
    """The drawing in the fixtures' own words: one line per node and per edge."""
    names: dict[str, str] = {}
    out: list[str] = []

    def walk(nodes: list[GraphNode]) -> None:
        for node in nodes:
            names[node.id] = _text(node)
            if node.children:
                out.append(f"group {_text(node)}: " + " | ".join(_text(c) for c in node.children))
                walk(node.children)
            else:
                out.append(f"{node.shape} {_text(node)}")

    walk(diagram.nodes)
    for edge in diagram.edges:
        arrow = f"--{edge.label}-->" if edge.label else "-->"
        out.append(f"{names[edge.src]} {arrow} {names[edge.dst]}")
    return out


@pytest.mark.parametrize(("title", "drawing", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_fixture_drawing_reads_as_its_nodes_and_edges(title: str, drawing: list[str], expected: list[str]) -> None:
    diagram = parse_ascii_diagram(drawing, 1)
    assert diagram is not None, title
    assert sorted(_described(diagram)) == sorted(expected), title


def test_fixtures_cover_the_shapes_asked_for() -> None:
    described = "\n".join(e for _, _, expected in _cases() for e in expected)
    assert "diamond" in described and "--YES-->" in described and "--NO-->" in described
    assert "group " in described and "circle +" in described
    assert len(_cases()) >= 6


def test_words_joined_by_nothing_are_not_a_chart() -> None:
    # Glyphs that touch one run of words (or none) draw no edge: the text stays text.
    assert trace_flow({0: [(0, "total ──▶")], 1: [(0, "│")]}, "n1") is None
    assert trace_flow({0: [(0, "alpha    beta")]}, "n1") is None


def test_a_long_word_between_two_lines_is_a_node_not_a_label() -> None:
    chart = trace_flow({0: [(0, "in ──▶ a rather long middle step ──▶ out")]}, "n1")
    assert chart is not None
    nodes, edges = chart
    assert [n.label for n in nodes] == ["in", "a rather long middle step", "out"]
    assert [(e.src, e.dst, e.label) for e in edges] == [("n1f1", "n1f2", None), ("n1f2", "n1f3", None)]


# --------------------------------------------------------------------------- the shared prompts


def _sheet(name: str) -> Sheet:
    return compose_sheet(read_prompt(PROMPTS / f"{name}-cheatsheet-prompt.md"))


def _panel_blocks(sheet: Sheet, title: str) -> list[Block]:
    panel = next(p for r in sheet.rows for p in r.panels if title in p.title)
    return [*panel.blocks, *panel.extra]


def _labels(block: FlowBlock | DiagramBlock) -> list[str]:
    out: list[str] = []

    def walk(nodes: list[GraphNode]) -> None:
        for n in nodes:
            out.extend([n.label, *n.lines, *([n.caption] if n.caption else [])])
            walk(n.children)

    walk(block.nodes)
    return out + [e.label for e in block.edges if e.label]


def _drawings(sheet: Sheet) -> list[FlowBlock | DiagramBlock]:
    return [b for r in sheet.rows for p in r.panels for b in [*p.blocks, *p.extra]
            if isinstance(b, FlowBlock | DiagramBlock)]


@pytest.mark.parametrize("name", ["art", "neural-network-io"])
def test_no_line_glyph_is_printed_as_a_label(name: str) -> None:
    drawings = _drawings(_sheet(name))
    assert drawings
    for block in drawings:
        for label in _labels(block):
            assert not set(label) & _GLYPHS, (name, label)


def test_art_workflow_draws_three_titled_steps_and_the_tool_call_decision() -> None:
    (workflow,) = [b for b in _panel_blocks(_sheet("art"), "WORKFLOW") if isinstance(b, DiagramBlock)]
    by_label = {n.label: n for n in workflow.nodes}
    assert {"STEP 1: SELECTION", "STEP 2: EXECUTION (with Tool Calls)", "STEP 3: INTEGRATION"} <= set(by_label)
    chart = {n.label: n for n in by_label["STEP 2: EXECUTION (with Tool Calls)"].children}
    assert chart["도구 필요?"].shape == "diamond"
    name = {n.id: label for label, n in chart.items()}
    inner = sorted((name[e.src], name[e.dst], e.label) for e in workflow.edges if e.src in name and e.dst in name)
    assert inner == [("Tool Output", "계속 생성", None), ("도구 필요?", "계속 생성", "NO"),
                     ("도구 필요?", "🔧 Tool Call", "YES"), ("생성 시작", "도구 필요?", None),
                     ("🔧 Tool Call", "Tool Output", None)]
    source = mermaid_source(workflow)
    # The group's title, led by its step icon (🛠️: the step calls tools).
    assert 'subgraph' in source and '"🛠️ STEP 2: EXECUTION (with Tool Calls)"' in source
    assert '-->|"YES"|' in source and '{"도구 필요?"}' in source


def test_art_core_concept_draws_both_inputs_meeting_at_art() -> None:
    (core,) = [b for b in _panel_blocks(_sheet("art"), "CORE CONCEPT") if isinstance(b, DiagramBlock)]
    name = {n.id: n.label for n in core.nodes}
    assert sorted((name[e.src], name[e.dst]) for e in core.edges) == [
        ("+", "ART"), ("Chain-of-", "+"), ("Tool", "+")]


@pytest.mark.parametrize(("outer", "inner"), [("TD", "LR"), ("LR", "TB")])
def test_a_chart_inside_a_step_runs_across_the_outer_flow(outer: str, inner: str) -> None:
    (_, drawing, _) = next(c for c in _cases() if c[0].startswith("steps titled"))
    diagram = parse_ascii_diagram(drawing, 1)
    assert diagram is not None
    source = mermaid_source(diagram, outer)
    check = source[source.index('"STEP 2: CHECK"'):]
    assert check.split("\n")[1].strip() == f"direction {inner}"
    # a group something links into keeps the outer direction (mermaid would ignore it anyway)
    read = source[source.index('"STEP 1: READ"'):]
    assert "direction" not in read.split("\n")[1]


def test_boxes_of_a_group_with_no_link_among_them_keep_their_drawn_order() -> None:
    stack = DiagramBlock(nodes=[GraphNode(id="s", label="", children=[
        GraphNode(id="a", label="Task"), GraphNode(id="b", label="Example 1"), GraphNode(id="c", label="Example 2")]),
        GraphNode(id="note", label="predicts")], edges=[GraphEdge(src="note", dst="c", style="dotted")])
    source = mermaid_source(stack)
    assert [line.strip() for line in source.strip().split("\n")[-2:]] == ["n1 ~~~ n2", "n2 ~~~ n3"]
    linked = DiagramBlock(nodes=stack.nodes, edges=[GraphEdge(src="a", dst="b")])
    assert "~~~" not in mermaid_source(linked)


@pytest.mark.parametrize(("name", "wanted"), [
    ("art", ["STEP 1: SELECTION", "STEP 2: EXECUTION (with Tool Calls)", "STEP 3: INTEGRATION", "도구 필요?",
             "Tool Output", "계속 생성", "Chain-of-Thought Prompting", "Tool Integration"]),
    ("neural-network-io", ["Token Seq", "Next Token Prediction"])])
def test_the_page_source_draws_every_label_and_no_glyph(name: str, wanted: list[str]) -> None:
    fragment = render_fragment(_sheet(name))
    page = html.unescape(fragment)
    sources = re.findall(r'data-src="([^"]*)"', fragment)
    labels = [html.unescape(label) for s in sources for label in re.findall(r'"([^"]*)"', html.unescape(s))]
    # Mermaid draws what branches; a plain chain of 4+ boxes is drawn as step boxes (render/html.py).
    assert (sources and labels) or 'class="blk steps"' in fragment
    for label in labels:
        assert not set(label) & _GLYPHS, (name, label)
    for text in wanted:
        assert text in page, (name, text)
