"""Hand-built Sheets for the renderer tests: the seed's layout, one of every block type, and edge cases.

Built directly from the model so render tests do not depend on ingest or compose.
"""

from __future__ import annotations

import zlib

from nanosheet.model import (
    CalloutBlock,
    ChainBlock,
    CodeBlock,
    DiagramBlock,
    FlowBlock,
    Footer,
    GraphEdge,
    GraphNode,
    HeadingBlock,
    Item,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    MindNode,
    Page,
    Panel,
    PlaceholderBlock,
    QuoteBlock,
    Row,
    Sheet,
    TableBlock,
    TextBlock,
)


def _seeded(sheet: Sheet) -> Sheet:
    sheet.seed = zlib.adler32(sheet.model_dump_json(exclude={"seed", "plan"}).encode()) & 0x7FFFFFFF
    return sheet


def _lines(*texts: str) -> list[TextBlock]:
    return [TextBlock(text=t) for t in texts]


def seed_sheet(orientation: str = "portrait") -> Sheet:
    """The seed prompt's wireframe: title 10, two panels 25, mind-map band 40, three panels 25."""
    title = "NANO BANANA CHEAT SHEET: PREVIEW OF THINGS TO COME"
    rows = [
        Row(kind="title", ratio=10, ratio_spec=10, panels=[Panel(id="r0p0", icon="🍌", title=title)]),
        Row(kind="panels", ratio=25, ratio_spec=25, widths=[1, 1], panels=[
            Panel(id="r1p0", icon="🎨", title="MULTIMODAL",
                  blocks=_lines("이미지, 오디오, 비디오", "토큰화해서 통합 처리")),
            Panel(id="r1p1", icon="🤖", title="AGENTS", blocks=_lines("장시간 자율 작업", "Human-to-Agent Ratio")),
        ]),
        Row(kind="band", ratio=40, ratio_spec=40, flags=["widest"], panels=[
            Panel(id="r2p0", icon="⚡", title="FUTURE LLM CAPABILITIES", flags=["widest"],
                  hints=["이 섹션이 가장 넓어야 함!"], blocks=[MindMapBlock(root="Future", children=[
                      MindNode(label=t) for t in ("Multimodal", "Agents", "Computer Use", "Longer Context",
                                                  "Test-Time Training", "Robotics")])]),
        ]),
        Row(kind="panels", ratio=25, ratio_spec=25, widths=[1, 1, 1], panels=[
            Panel(id="r3p0", icon="🖥️", title="COMPUTER USE", blocks=_lines("키보드/마우스 제어", "Operator 예시")),
            Panel(id="r3p1", icon="🔬", title="RESEARCH", blocks=_lines("Test-Time Train", "무한 컨텍스트 도전")),
            Panel(id="r3p2", icon="📌", title="KEY TAKEAWAYS", blocks=_lines("더 자율적인 AI", "멀티모달 통합")),
        ]),
    ]
    footer = Footer(title="21. 앞으로의 전망", title_en="21. Preview of Things to Come", author="Andrej Karpathy",
                    chapter="21/24", source_url="https://www.youtube.com/watch?v=7xTGNNLPyMI",
                    qr_url="https://www.youtube.com/watch?v=7xTGNNLPyMI")
    return _seeded(Sheet(stem="seed", title=title, page=Page(orientation=orientation), rows=rows, footer=footer))  # type: ignore[arg-type]


def all_blocks_sheet() -> Sheet:
    """Every block type in model.py, in a 10/30/35/25 layout."""
    items = [
        Item(text="**굵게** 강조와 `code` 스팬", mark="bullet"),
        Item(text="체크된 항목", mark="check"),
        Item(text="틀린 접근", mark="cross"),
        Item(text="할 일", mark="box", children=[Item(text="중첩된 하위 항목", mark="bullet")]),
        Item(text="완료", mark="box-checked"),
        Item(text="첫 번째 단계", mark="number", number="1"),
        Item(text="두 번째 단계", mark="number", number="2"),
    ]
    flow = FlowBlock(direction="LR", nodes=[
        GraphNode(id="q", label="사용자 질문", shape="round"),
        GraphNode(id="m", label="모델 직접 처리"),
        GraphNode(id="f", label="실패?", shape="diamond"),
        GraphNode(id="t", label="Code Interpreter 사용"),
        GraphNode(id="ok", label="정답", shape="stadium"),
    ], edges=[GraphEdge(src="q", dst="m"), GraphEdge(src="m", dst="f"),
              GraphEdge(src="f", dst="t", label="예"), GraphEdge(src="f", dst="ok", label="아니오", style="dotted")])
    diagram = DiagramBlock(direction="TD", nodes=[
        GraphNode(id="pre", label="사전학습 Pretraining", children=[
            GraphNode(id="tok", label="토큰화", lines=["BPE 100K vocab"]),
            GraphNode(id="nn", label="신경망 학습"),
        ]),
        GraphNode(id="sft", label="SFT 미세조정"),
        GraphNode(id="rl", label="RL 강화학습"),
    ], edges=[GraphEdge(src="nn", dst="sft"), GraphEdge(src="sft", dst="rl", style="thick")])
    rows = [
        Row(kind="title", ratio=8, panels=[Panel(id="r0p0", title="모든 블록 ALL BLOCKS")]),
        Row(kind="panels", ratio=30, widths=[1, 1, 1], panels=[
            Panel(id="r1p0", icon="📝", title="텍스트 & 목록", blocks=[
                HeadingBlock(text="소제목 Heading"),
                TextBlock(text="LLM은 **다음 토큰**을 예측하는 거대한 함수입니다."),
                ListBlock(items=items)]),
            Panel(id="r1p1", icon="🔗", title="체인 · 키값 · 코드", blocks=[
                ChainBlock(steps=["사전학습", "SFT", "RLHF", "배포"]),
                KeyValueBlock(key="Temperature", value="샘플링 무작위성 (0 = 결정적)"),
                CodeBlock(lang="python", text='def greet(name: str) -> str:\n    return f"안녕, {name}"'),
                PlaceholderBlock(kind="비유 다이어그램", text="도서관 사서 비유")]),
            Panel(id="r1p2", icon="💬", title="인용 · 콜아웃", blocks=[
                QuoteBlock(text="You can still loosely think of this as a synthetic piece of brain tissue.",
                           attribution="Andrej Karpathy"),
                CalloutBlock(title="핵심 포인트", text="모델은 기억이 없다\n매번 새로 계산한다")]),
        ]),
        Row(kind="band", ratio=27, flags=["widest"], panels=[
            Panel(id="r2p0", icon="🔀", title="FLOWCHART", flags=["widest"],
                  blocks=[TextBlock(text="실패하면 **도구**를 쓴다"), flow]),
        ]),
        Row(kind="panels", ratio=35, widths=[1.6, 1.2, 1], panels=[
            Panel(id="r3p0", icon="📊", title="비교 표", blocks=[TableBlock(
                header=["항목", "Standard CoT", "Active-Prompt"],
                rows=[["예시 선택", "고정 (Fixed)", "동적 (Dynamic)"], ["효율성", "낮음", "높음"],
                      ["Human 노력", "많음", "적음 (선별적)"]], align=["left", "center", "center"])]),
            Panel(id="r3p1", icon="🧱", title="DIAGRAM", blocks=[diagram]),
            Panel(id="r3p2", icon="🧠", title="MINI MAP", blocks=[MindMapBlock(root="LLM", children=[
                MindNode(label="Tokens", note="텍스트 조각", note_ref="0:42"),
                MindNode(label="Weights", children=[MindNode(label="수십억 개")])])]),
        ]),
    ]
    footer = Footer(title="블록 견본", author="nanosheet tests", chapter="1/1")
    return _seeded(Sheet(stem="all-blocks", title="모든 블록 ALL BLOCKS", page=Page(), rows=rows, footer=footer))


def huge_sheet() -> Sheet:
    """One panel with far more text than fits even at 7 pt, beside a nearly empty one."""
    long = [TextBlock(text=f"{i}. 아주 긴 내용이 계속 이어집니다 — a very long line of content number {i}")
            for i in range(400)]
    rows = [
        Row(kind="title", ratio=10, panels=[]),
        Row(kind="panels", ratio=90, widths=[1, 1], panels=[
            Panel(id="r1p0", icon="📚", title="TOO MUCH", blocks=list(long)),
            Panel(id="r1p1", icon="🌱", title="SHORT", blocks=[TextBlock(text="짧은 내용")]),
        ]),
    ]
    return _seeded(Sheet(stem="huge", title="Overflow test", page=Page(), rows=rows, footer=Footer(title="huge")))


def hostile_sheet(url: str) -> Sheet:
    """Markup and URLs in every kind of field; all must show as text and fetch nothing."""
    img = f"<img src={url}/img>"
    rows = [
        Row(kind="title", ratio=15, panels=[]),
        Row(kind="panels", ratio=85, widths=[1, 1], panels=[
            Panel(id="r1p0", icon="🧪", title=f"<script>alert(1)</script>{img}", blocks=[
                TextBlock(text=img), TextBlock(text=f"![x]({url}/md-image) [link]({url}/md-link) <{url}/auto>"),
                ListBlock(items=[Item(text=f'<a href="javascript:alert(1)">js</a> {img}')]),
                CodeBlock(text=f"<style>@import url({url}/css);</style>"),
                TableBlock(header=[img], rows=[[f"<div style=\"background:url({url}/bg)\">x</div>"]]),
            ]),
            Panel(id="r1p1", icon="🧪", title="FLOW", blocks=[FlowBlock(nodes=[
                GraphNode(id="a", label=img), GraphNode(id="b", label='"quoted" #1; end'),
            ], edges=[GraphEdge(src="a", dst="b", label="<b onmouseover=x>e</b>")]),
                MindMapBlock(root=img, children=[MindNode(label=f"<iframe src={url}/frame>")])]),
        ]),
    ]
    return _seeded(Sheet(stem="hostile", title=f"Hostile {img}", page=Page(), rows=rows,
                         footer=Footer(title=img, source_url=f"{url}/src")))
