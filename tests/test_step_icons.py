"""Step icons: the step boxes of a flow get the concept table's icon for what they do; decisions,
emoji-led boxes, joints, pairs and a box's options do not; the page draws the icon above the words."""

from __future__ import annotations

from typing import Any

from nanosheet.compose.step_icons import step_icons, step_name, with_step_icons
from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.mermaid import parse_mermaid
from nanosheet.model import DiagramBlock, FlowBlock, Footer, GraphEdge, GraphNode, Page, Panel, Row, Sheet
from nanosheet.render.html import render_fragment
from nanosheet.render.mermaid import mermaid_source

_MERMAID = """flowchart LR
  A[Search the knowledge base] --> B[Select top examples]
  B --> C{Enough examples?}
  C -->|yes| D[Annotate answers]
  C -->|no| A
  D --> E[🧪 Unit tests]
  E --> F[Run inference]
  F --> G[Evaluation]
"""

_ASCII = [
    "┌──────────────┐    ┌──────────────┐    ┌──────────────┐",
    "│ Uncertainty  │───▶│  Selection   │───▶│  Annotation  │",
    "│ Estimation   │    │              │    │              │",
    "└──────────────┘    └──────────────┘    └──────────────┘",
]


def _flow(source: str) -> FlowBlock:
    block, _ = parse_mermaid(source, 1, "t.md")
    assert isinstance(block, FlowBlock)
    return block


def _icons_by_label(block: FlowBlock | DiagramBlock) -> dict[str, str | None]:
    out: dict[str, str | None] = {}

    def walk(nodes: list[GraphNode]) -> None:
        for n in nodes:
            out[step_name(n)] = n.icon
            walk(n.children)

    walk(with_step_icons(block).nodes)  # type: ignore[union-attr]
    return out


def test_mermaid_steps_get_icons_by_meaning_and_decisions_and_emoji_led_boxes_do_not() -> None:
    icons = _icons_by_label(_flow(_MERMAID))
    assert icons == {"Search the knowledge base": "🔍", "Select top examples": "☑️", "Enough examples?": None,
                     "Annotate answers": "🏷️", "🧪 Unit tests": None, "Run inference": "🚀",
                     "Evaluation": "📊"}


def test_ascii_chain_steps_get_icons() -> None:
    diagram = parse_ascii_diagram(_ASCII, 1)
    assert diagram is not None and len(diagram.nodes) == 3
    assert _icons_by_label(diagram) == {"Uncertainty Estimation": "📏", "Selection": "☑️", "Annotation": "🏷️"}


def test_two_boxes_are_a_pair_not_a_process() -> None:
    assert step_icons(_flow("flowchart LR\n  A[Search] --> B[Annotation]\n").nodes,
                      _flow("flowchart LR\n  A[Search] --> B[Annotation]\n").edges) == {}


def test_the_options_a_box_fans_out_to_are_not_steps() -> None:
    block = _flow("flowchart TD\n  A[Write the prompt] --> B[Offer a tip]\n  A --> C[Search first]\n"
                  "  B --> D[Result one]\n  C --> E[Result two]\n")
    assert with_step_icons(block) is block


def test_a_decisions_branches_stay_steps_and_a_joint_is_skipped() -> None:
    block = _flow("flowchart LR\n  A[Retrieve documents] --> J((+))\n  J --> B[Generate answer]\n"
                  "  B --> C[Evaluate]\n")
    icons = _icons_by_label(block)
    assert icons["Retrieve documents"] is None  # only linked through a '+' joint: not on the chain
    assert icons["Generate answer"] is None  # a pair after the joint
    assert icons["+"] is None


def test_one_icon_per_concept_in_a_diagram() -> None:
    block = _flow("flowchart LR\n  A[Search the web] --> B[Search the docs] --> C[Annotation]\n")
    icons = _icons_by_label(block)
    assert icons == {"Search the web": "🔍", "Search the docs": None, "Annotation": "🏷️"}


def test_a_numbered_step_is_named_by_its_words() -> None:
    assert step_name(GraphNode(id="a", label="STAGE 1", lines=["Pre-training", "인터넷 데이터"])) == "Pre-training"
    assert step_name(GraphNode(id="a", label="STEP 1: SELECTION")) == "SELECTION"


def test_korean_steps_get_icons() -> None:
    icons = _icons_by_label(_flow("flowchart TD\n  A[문서 검색] --> B[예시 선별] --> C[결과 평가]\n"))
    assert icons == {"문서 검색": "🔍", "예시 선별": "☑️", "결과 평가": "📊"}


def test_where_a_step_stands_is_not_what_it_does() -> None:
    icons = _icons_by_label(_flow("flowchart TD\n  A[생성 시작] --> B{도구 필요?}\n  B --> C[도구 호출]\n"
                                  "  C --> D[결과 출력]\n"))
    assert icons == {"생성 시작": "✨", "도구 필요?": None, "도구 호출": "🛠️", "결과 출력": "📤"}


def test_a_box_of_many_lines_is_no_joint_however_short_its_name() -> None:
    stages = DiagramBlock(nodes=[GraphNode(id="a", label="STAGE 1", lines=["Pre-training", "인터넷 데이터"]),
                                 GraphNode(id="b", label="STAGE 2", lines=["SFT", "대화 데이터"]),
                                 GraphNode(id="c", label="STAGE 3", lines=["RL", "추론 최적화"])],
                          edges=[GraphEdge(src="a", dst="b"), GraphEdge(src="b", dst="c")])
    assert step_icons(stages.nodes, stages.edges) == {"a": "🏋️", "b": "🧑‍🏫", "c": "🎯"}


def _sheet(block: FlowBlock) -> Sheet:
    rows = [Row(kind="title", ratio=10, panels=[]),
            Row(kind="panels", ratio=90, widths=[1], panels=[Panel(id="r1p0", title="WORKFLOW", blocks=[block])])]
    return Sheet(stem="steps", title="Steps", page=Page(), rows=rows, footer=Footer(title="steps"), seed=7)


def test_mermaid_source_puts_the_icon_on_its_own_line_and_keeps_a_plain_version() -> None:
    block = with_step_icons(_flow(_MERMAID))
    assert isinstance(block, FlowBlock)
    source = mermaid_source(block)
    assert "<span class='node-icon'>🔍</span><br/>Search the knowledge base" in source
    assert "node-icon" not in mermaid_source(block, icons=False)
    html = render_fragment(_sheet(block))
    assert "data-src-plain=" in html


def test_linear_steps_draw_the_icon_above_the_words() -> None:
    chain = _flow("flowchart LR\n  A[Search] --> B[Select examples] --> C[Annotation] --> D[Inference]\n")
    html = render_fragment(_sheet(with_step_icons(chain)))  # type: ignore[arg-type]
    assert '<span class="step-icon" aria-hidden="true">🔍</span>Search' in html
    assert '<span class="step-icon" aria-hidden="true">🚀</span>Inference' in html


def test_the_drawn_flow_shows_its_icons(render_sheet: Any) -> None:
    block = with_step_icons(_flow(_MERMAID))
    result = render_sheet(_sheet(block), key="step-icons")  # type: ignore[arg-type]
    html = result.paths["html"].read_text(encoding="utf-8")
    svg = html[html.index("<svg"):]
    assert 'class="node-icon">🔍</span>' in svg and 'class="node-icon">🚀</span>' in svg
    panel = next(p for p in result.report["panels"] if p["id"] == "r1p0")
    assert not panel["overflow"] and panel["clipped_labels"] == 0
