"""Row fitting on real pages: one body size per row, `fill` as the PNG shows it, and growth into free room.

Sheets are drawn in Chromium (the session's browser); the PNG is read back with Pillow.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.model import FlowBlock, Footer, GraphEdge, GraphNode, Page, Panel, Row, Sheet, TableBlock, TextBlock
from render_sheets import all_blocks_sheet, seed_sheet

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"

INK_LEVEL = 190
"""Luminance (0–255) below which a pixel is ink, i.e. darker than anything that is only paper: the paper
(~246), its grid lines (~221), panel washes, sticky notes, mind-map tints and the highlighter (225–245), and the
watermark icons at 16 % opacity (207 at their darkest) stay above; the pen colour (~43), the term blue (~80)
and the accent colours of headings and mind-map labels (110–160) fall below."""
INSET_MM = 2.0
"""The hand-drawn border wobbles up to ~1.5 mm around the box; the panel's own padding is 2.2–3 mm."""
TOLERANCE_MM = 3.5
"""`fill` is measured to the last text line box, the ink to the last dark pixel. They differ by the line box's
half-leading below the glyphs (~0.2 em, 1.4 mm at 20 pt) and by ink that is not text: the border and padding of
a step box or table cell under its last line (~0.3 em + 0.45 mm, 2.5 mm at 20 pt)."""


def _sheet(name: str) -> tuple[Sheet, str]:
    if name == "seed":
        return seed_sheet(), "rowfit-seed"
    if name == "all-blocks":
        return all_blocks_sheet(), "rowfit-all-blocks"
    return compose_sheet(read_prompt(PROMPTS / f"{name}.md")), f"rowfit-{name}"


def _render(render_sheet: Callable[..., Any], name: str) -> Any:
    sheet, key = _sheet(name)
    return render_sheet(sheet, key=key)


def _ink_fill(png: Image.Image, box_mm: list[float], px_per_mm: float) -> float | None:
    """How far down the box (share of its height) the lowest row with ink inside the inset box lies."""
    x, y, w, h = box_mm
    left, right = round((x + INSET_MM) * px_per_mm), round((x + w - INSET_MM) * px_per_mm)
    top, bottom = round(y * px_per_mm), round((y + h - INSET_MM) * px_per_mm)
    crop = png.crop((left, top, right, bottom)).convert("L")
    width = crop.width
    data = crop.tobytes()
    for row in range(crop.height - 1, -1, -1):
        line = data[row * width:(row + 1) * width]
        if sum(1 for v in line if v < INK_LEVEL) >= 2:  # two pixels, so one stray anti-aliased dot is not ink
            return (row + 1) / (h * px_per_mm)
    return None


@pytest.mark.parametrize("name", ["seed", "all-blocks", "neural-network-io-cheatsheet-prompt"])
def test_reported_fill_matches_the_ink_in_the_png(render_sheet: Callable[..., Any], name: str) -> None:
    result = _render(render_sheet, name)
    report = result.report
    png = Image.open(result.paths["png"])
    px_per_mm = png.width / report["page"]["width_mm"]
    checked = 0
    for panel in report["panels"]:
        if panel["overflow"]:
            continue  # the red "more…" mark sits at the bottom edge
        ink = _ink_fill(png, panel["box_mm"], px_per_mm)
        assert ink is not None, f"{name} {panel['id']}: no ink at all"
        off_mm = abs(ink - panel["fill"]) * panel["box_mm"][3]
        assert off_mm <= TOLERANCE_MM, (f"{name} {panel['id']}: reported fill {panel['fill']:.3f}, ink reaches "
                                        f"{ink:.3f} ({off_mm:.1f} mm apart)")
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("name", ["seed", "all-blocks", "activeprompt-cheatsheet-prompt",
                                  "tokenization-spelling-cheatsheet-prompt"])
def test_every_row_has_one_body_size(render_sheet: Callable[..., Any], name: str) -> None:
    report = _render(render_sheet, name).report
    sizes: dict[int, set[float]] = defaultdict(set)
    for panel in report["panels"]:
        if panel["body_pt"] is not None:
            sizes[panel["row"]].add(panel["body_pt"])
    rows = [r for r in report["rows"] if r["kind"] != "title"]
    assert len(rows) >= 2
    for row in rows:
        assert len(sizes[row["index"]]) == 1, f"{name} row {row['index']}: body sizes {sorted(sizes[row['index']])}"


def _short_flow_sheet() -> Sheet:
    """A three-box flow alone in a tall panel (95 × 136 mm), next to a panel of a few lines."""
    nodes = [GraphNode(id=k, label=label) for k, label in (("a", "입력"), ("b", "처리"), ("c", "출력"))]
    flow = FlowBlock(direction="TD", nodes=nodes, edges=[GraphEdge(src="a", dst="b"), GraphEdge(src="b", dst="c")])
    rows = [
        Row(kind="title", ratio=10, ratio_spec=10, panels=[Panel(id="r0p0", title="SHORT FLOW")]),
        Row(kind="panels", ratio=50, ratio_spec=50, widths=[1, 1], panels=[
            Panel(id="r1p0", icon="⚡", title="FLOW", blocks=[flow]),
            Panel(id="r1p1", icon="📌", title="NOTES", blocks=[TextBlock(text=t) for t in ("하나", "둘", "셋")]),
        ]),
        Row(kind="panels", ratio=40, ratio_spec=40, widths=[1], panels=[
            Panel(id="r2p0", title="MORE", blocks=[TextBlock(text="마지막 줄")]),
        ]),
    ]
    sheet = Sheet(stem="short-flow", title="SHORT FLOW", page=Page(), rows=rows, footer=Footer(title="short flow"))
    sheet.seed = zlib.adler32(sheet.model_dump_json(exclude={"seed", "plan"}).encode()) & 0x7FFFFFFF
    return sheet


def test_a_short_flow_alone_grows_into_its_tall_box(render_sheet: Callable[..., Any]) -> None:
    report = render_sheet(_short_flow_sheet(), key="rowfit-short-flow").report
    panel = next(p for p in report["panels"] if p["id"] == "r1p0")
    assert not panel["overflow"]
    assert panel["body_pt"] is not None
    # font_pt is the smallest text in the panel: the flow's labels (the title is larger still).
    assert panel["font_pt"] > panel["body_pt"] + 0.5, panel
    assert panel["fill"] >= 0.7, panel
    assert panel["clipped_labels"] == 0




def test_a_band_whose_flow_fills_its_height_keeps_its_table_beside_it(render_sheet: Callable[..., Any]) -> None:
    """A 35 % band holds a pipeline flow as tall as the band (a decision inside a stage) and the content's
    three-row step table; under the flow the table would push its labels below 7 pt (it used to be left out)."""
    sheet = compose_sheet(read_prompt(Path(__file__).parent / "fixtures" / "layout" / "pipeline_band.md"))
    result = render_sheet(sheet, key="rowfit-pipeline-band")
    panel = next(p for p in result.report["panels"] if p["title"] == "PIPELINE FLOW")
    assert panel["left_out"] == [], panel
    assert not panel["overflow"] and panel["clipped_labels"] == 0
    assert panel["font_pt"] >= 7 - 0.05, panel  # the flow's labels and the table's text both stay legible
    for cell in ("Build", "아티팩트를 운영 환경에 배포", "재시도"):
        assert cell in panel["text"], (cell, panel["text"])
    html = Path(result.paths["html"]).read_text(encoding="utf-8")
    assert "flow-beside" in html and "table-wrap stacked" in html
    # The table is right of the flow, not under it: ink in the band's right fifth, below its heading.
    png = Image.open(result.paths["png"]).convert("L")
    px_per_mm = png.width / result.report["page"]["width_mm"]
    x, y, w, h = panel["box_mm"]
    right = png.crop((round((x + w * 0.8) * px_per_mm), round((y + 12) * px_per_mm),
                      round((x + w - 3) * px_per_mm), round((y + h - 3) * px_per_mm)))
    assert sum(1 for v in right.tobytes() if v < INK_LEVEL) > 2000


def _branching_flow() -> FlowBlock:
    labels = [("a", "요청 작성"), ("b", "짧은 질문\n맥락 없음"), ("c", "긴 설명\n배경 포함"),
              ("d", "예시 첨부\n형식 고정"),
              ("e", "❌ 답이 흐림\n다시 묻기"), ("f", "⚠️ 길지만\n방향 맞음"), ("g", "✅ 바로 쓸 답\n형식 일치")]
    nodes = [GraphNode(id=k, label=label) for k, label in labels]
    edges = [GraphEdge(src="a", dst="b", label="빠르게"), GraphEdge(src="a", dst="c", label="자세히"),
             GraphEdge(src="a", dst="d", label="예시로"), GraphEdge(src="b", dst="e"), GraphEdge(src="c", dst="f"),
             GraphEdge(src="d", dst="g")]
    return FlowBlock(direction="TD", nodes=nodes, edges=edges)


def _flow_sheet(title_ratio: float, band_ratio: float, neighbours: bool = True) -> Sheet:
    """A branching flow the content added to a panel `band_ratio` % of the page high, a third of the width (or
    all of it without neighbours)."""
    rows = [
        Row(kind="title", ratio=title_ratio, ratio_spec=title_ratio, panels=[Panel(id="r0p0", title="ASKING")]),
        Row(kind="panels", ratio=100 - title_ratio - band_ratio, ratio_spec=100 - title_ratio - band_ratio,
            widths=[1], panels=[Panel(id="r1p0", title="TOP", blocks=[TextBlock(text="위쪽 줄")])]),
        Row(kind="panels", ratio=band_ratio, ratio_spec=band_ratio, widths=[1, 1, 1] if neighbours else [1], panels=[
            *([Panel(id="r2p0", title="LEFT", blocks=[TextBlock(text=t) for t in ("하나", "둘")])]
              if neighbours else []),
            Panel(id="r2p1", icon="💡", title="EFFECT", blocks=[TextBlock(text="짧게 ❌"), TextBlock(text="자세히 ✅")],
                  extra=[_branching_flow()]),
            *([Panel(id="r2p2", title="RIGHT", blocks=[TextBlock(text="셋")])] if neighbours else []),
        ]),
    ]
    sheet = Sheet(stem=f"flow-{band_ratio}", title="ASKING", page=Page(), rows=rows, footer=Footer(title="asking"))
    sheet.seed = zlib.adler32(sheet.model_dump_json(exclude={"seed", "plan"}).encode()) & 0x7FFFFFFF
    return sheet


def test_a_flow_too_big_to_draw_legibly_is_written_out_path_by_path(render_sheet: Callable[..., Any]) -> None:
    result = render_sheet(_flow_sheet(8, 17), key="rowfit-written-flow")
    panel = next(p for p in result.report["panels"] if p["id"] == "r2p1")
    assert panel["left_out"] == [], panel
    assert not panel["overflow"] and panel["body_pt"] >= 7
    for path in ("요청 작성 → 빠르게: 짧은 질문 맥락 없음 → ❌ 답이 흐림 다시 묻기",
                 "요청 작성 → 예시로: 예시 첨부 형식 고정 → ✅ 바로 쓸 답 형식 일치"):
        assert path in " ".join(panel["text"].split()), panel["text"]
    assert "written" in _flow_tag(result, "r2p1-b2")


def _flow_tag(result: Any, block_id: str) -> str:
    html = Path(result.paths["html"]).read_text(encoding="utf-8")
    return next(t for t in html.split("<div ") if f'id="{block_id}"' in t.split(">")[0]).split(">")[0]


def test_a_flow_with_room_stays_a_drawing(render_sheet: Callable[..., Any]) -> None:
    result = render_sheet(_flow_sheet(8, 40, neighbours=False), key="rowfit-drawn-flow")
    panel = next(p for p in result.report["panels"] if p["id"] == "r2p1")
    assert panel["left_out"] == [] and not panel["overflow"]
    flow_tag = _flow_tag(result, "r2p1-b2")
    assert "drawn" in flow_tag and "written" not in flow_tag, flow_tag


def test_a_chain_wrapped_one_step_a_line_points_down(render_sheet: Callable[..., Any]) -> None:
    labels = ["요청을 받아 검증하기", "캐시에서 먼저 찾아보기", "원본 서버에 다시 묻기", "응답을 저장하고 돌려주기"]
    nodes = [GraphNode(id=f"s{i}", label=label) for i, label in enumerate(labels)]
    chain = FlowBlock(direction="LR", nodes=nodes,
                      edges=[GraphEdge(src=f"s{i}", dst=f"s{i + 1}") for i in range(len(nodes) - 1)])
    wide = FlowBlock(direction="LR", nodes=[GraphNode(id=f"w{i}", label=t) for i, t in enumerate("가나다라")],
                     edges=[GraphEdge(src=f"w{i}", dst=f"w{i + 1}") for i in range(3)])
    rows = [
        Row(kind="title", ratio=10, ratio_spec=10, panels=[Panel(id="r0p0", title="CHAINS")]),
        Row(kind="panels", ratio=60, ratio_spec=60, widths=[1, 3], panels=[
            Panel(id="r1p0", title="NARROW", blocks=[chain]),
            Panel(id="r1p1", title="WIDE", blocks=[wide, TextBlock(text="짧은 상자 넷은 한 줄에 선다")]),
        ]),
        Row(kind="panels", ratio=30, ratio_spec=30, widths=[1], panels=[
            Panel(id="r2p0", title="MORE", blocks=[TextBlock(text="마지막 줄")])]),
    ]
    sheet = Sheet(stem="chains", title="CHAINS", page=Page(), rows=rows, footer=Footer(title="chains"))
    sheet.seed = zlib.adler32(sheet.model_dump_json(exclude={"seed", "plan"}).encode()) & 0x7FFFFFFF
    result = render_sheet(sheet, key="rowfit-chains")
    html = Path(result.paths["html"]).read_text(encoding="utf-8")
    tags = [t.split(">")[0] for t in html.split("<div ") if 'class="blk steps' in t.split(">")[0]]
    assert len(tags) == 2, tags
    assert "in-column" in tags[0] and "in-column" not in tags[1], tags  # the narrow one stacks, the wide one not


def test_a_band_too_small_for_its_diagram_draws_it_smaller_and_reports_it(render_sheet: Callable[..., Any],
                                                                          tmp_path: Path) -> None:
    """art with its workflow band cut from 35 % to 29 % of the page: the flow cannot keep 7 pt labels. It is
    drawn smaller and the panel reported as overflowing — it used to be hidden whole, an empty band."""
    text = (PROMPTS / "art-cheatsheet-prompt.md").read_text(encoding="utf-8")
    text = text.replace("중상단 (25%)", "중상단 (31%)").replace("중앙 (35%)", "중앙 (29%)")
    path = tmp_path / "art-small-band.md"
    path.write_text(text, encoding="utf-8")
    result = render_sheet(compose_sheet(read_prompt(path)), key="rowfit-small-band")
    panel = next(p for p in result.report["panels"] if p["title"] == "ART WORKFLOW")
    assert panel["overflow"] and panel["font_pt"] < 7, panel
    assert panel["fill"] > 0.8, panel
    html = Path(result.paths["html"]).read_text(encoding="utf-8")
    flow = next(t.split(">")[0] for t in html.split("<div ") if 'id="r3p1-b0"' in t.split(">")[0])
    assert "drawn" in flow and " cut" not in flow, flow


def _long_table_sheet() -> Sheet:
    """A short panel (a quarter of the page's height, a third of its width) whose content added a six-row,
    five-column table: too tall to draw whole at 7 pt under the wireframe's two lines."""
    header = ["방법", "예시", "시기", "효과", "이유"]
    rows_ = [[f"방법 {i}", f"\"예시 문장 {i}번은 조금 길게 씁니다\"", "예전" if i % 2 else "현재", "✅ 좋음",
              f"이유 {i}: 출력 스타일에 영향을 줍니다"] for i in range(1, 7)]
    rows = [
        Row(kind="title", ratio=8, ratio_spec=8, panels=[Panel(id="r0p0", title="TABLES")]),
        Row(kind="panels", ratio=70, ratio_spec=70, widths=[1],
            panels=[Panel(id="r1p0", title="TOP", blocks=[TextBlock(text=t) for t in ("위쪽 줄", "둘째 줄")])]),
        Row(kind="panels", ratio=22, ratio_spec=22, widths=[1, 1, 1], panels=[
            Panel(id="r2p0", title="LEFT", blocks=[TextBlock(text=t) for t in ("하나", "둘", "셋")]),
            Panel(id="r2p1", icon="🎭", title="CHANGES", extra=[TableBlock(header=header, rows=rows_)],
                  blocks=[TextBlock(text="예전: 효과적"), TextBlock(text="현재: 덜 필요")]),
            Panel(id="r2p2", title="RIGHT", blocks=[TextBlock(text=t) for t in ("넷", "다섯", "여섯")]),
        ]),
    ]
    sheet = Sheet(stem="long-table", title="TABLES", page=Page(), rows=rows, footer=Footer(title="tables"))
    sheet.seed = zlib.adler32(sheet.model_dump_json(exclude={"seed", "plan"}).encode()) & 0x7FFFFFFF
    return sheet


def test_a_table_too_long_for_its_panel_shows_its_first_rows_and_reports_the_rest(
        render_sheet: Callable[..., Any]) -> None:
    result = render_sheet(_long_table_sheet(), key="rowfit-long-table")
    panel = next(p for p in result.report["panels"] if p["id"] == "r2p1")
    text = " ".join(panel["text"].split())
    shown = [i for i in range(1, 7) if f"이유 {i}:" in text]
    left = [i for i in range(1, 7) if any(f"이유 {i}:" in t for t in panel["left_out"])]
    assert shown and left, panel  # some rows drawn, the others reported: not all out, not clipped
    assert shown == list(range(1, len(shown) + 1)) and sorted(shown + left) == list(range(1, 7))
    assert "방법" in text and "효과" in text  # the header stays over the rows it shows
    assert len(panel["left_out"]) == len(left)  # one entry per row left out, not the whole table
    assert panel["fill"] >= 0.6 and not panel["overflow"], panel
