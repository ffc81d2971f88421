"""Pure parts of the renderer: page geometry, mermaid source, inline markup, PNG/PDF stamping."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from nanosheet.export.stamp import pdf_without_clock, png_size, png_with_dpi
from nanosheet.model import FlowBlock, GraphEdge, GraphGroup, GraphNode, Page, Panel, Row
from nanosheet.render.geometry import PANEL_GAP_MM, content_box, layout_rows, normalized_ratios, split_widths
from nanosheet.render.inline import inline_html, inline_lines, plain, unquoted
from nanosheet.render.mermaid import escape_label, label_lines, mermaid_source


def _rows(ratios: list[float], panels: list[int]) -> list[Row]:
    return [Row(kind="panels", ratio=r, panels=[Panel(id=f"r{i}p{j}", title="t") for j in range(n)])
            for i, (r, n) in enumerate(zip(ratios, panels, strict=True))]


@pytest.mark.parametrize(("total", "weights", "gap", "expected"), [
    (100.0, [1, 1], 0.0, [(0.0, 50.0), (50.0, 50.0)]),
    (103.0, [1, 1, 1], 1.5, [(0.0, 33.333), (34.833, 33.333), (69.667, 33.333)]),
    (90.0, [2, 1], 0.0, [(0.0, 60.0), (60.0, 30.0)]),
    (10.0, [0, 1], 0.0, [(0.0, 5.0), (5.0, 5.0)]),  # a zero weight counts as 1, never a zero-width panel
])
def test_split_widths_table(total: float, weights: list[float], gap: float,
                            expected: list[tuple[float, float]]) -> None:
    got = split_widths(total, weights, gap)
    assert [(round(o, 3), round(w, 3)) for o, w in got] == expected


def test_rows_take_their_ratio_of_the_content_height() -> None:
    page = Page()
    rows = _rows([10, 25, 40, 25], [1, 2, 1, 3])
    geo = layout_rows(page, rows)
    area = content_box(page)
    assert [round(100 * g.band.h / area.h, 6) for g in geo] == [10, 25, 40, 25]
    assert geo[0].band.y == area.y
    assert abs(geo[-1].band.y + geo[-1].band.h - (area.y + area.h)) < 1e-9
    three = geo[3].panels
    assert len(three) == 3 and three[1].x - (three[0].x + three[0].w) == pytest.approx(PANEL_GAP_MM)


@given(st.lists(st.floats(min_value=0.5, max_value=80), min_size=1, max_size=7),
       st.sampled_from(["portrait", "landscape"]))
def test_any_ratios_tile_the_content_area(ratios: list[float], orientation: str) -> None:
    page = Page(orientation=orientation)  # type: ignore[arg-type]
    rows = _rows(ratios, [1 + i % 3 for i in range(len(ratios))])
    geo = layout_rows(page, rows)
    area = content_box(page)
    assert sum(g.band.h for g in geo) == pytest.approx(area.h)
    for g, share in zip(geo, normalized_ratios(rows), strict=True):
        assert 100 * g.band.h / area.h == pytest.approx(share)
        for p in g.panels:  # every panel inside its band and the page's content area
            assert g.band.y <= p.y and p.y + p.h <= g.band.y + g.band.h + 1e-9
            assert area.x - 1e-9 <= p.x and p.x + p.w <= area.x + area.w + 1e-9


def test_mermaid_source_shapes_edges_and_groups() -> None:
    block = FlowBlock(direction="LR", nodes=[
        GraphNode(id="q", label="질문", shape="round"), GraphNode(id="end", label="실패?", shape="diamond"),
        GraphNode(id="s", label="끝", shape="stadium"), GraphNode(id="c", label="원", shape="circle"),
    ], edges=[GraphEdge(src="q", dst="end", label="예"), GraphEdge(src="end", dst="s", style="dotted"),
              GraphEdge(src="s", dst="c", style="thick"), GraphEdge(src="q", dst="missing")],
        groups=[GraphGroup(id="G", label="묶음", nodes=["q", "end"]),
                GraphGroup(id="H", label="안쪽", nodes=["s"], parent="G")])
    src = mermaid_source(block).splitlines()
    assert src[0] == "flowchart LR"
    assert '  n0("질문")' in src and '  n1{"실패?"}' in src and '  n2(["끝"])' in src and '  n3(("원"))' in src
    assert '  n0 -->|"예"| n1' in src and "  n1 -.-> n2" in src and "  n2 ==> n3" in src
    assert not any("missing" in line for line in src)  # an edge to an unknown node is not emitted
    g = src.index('  subgraph g0["묶음"]')
    h = src.index('    subgraph g1["안쪽"]')
    assert g < h and src[h + 1] == "      n2"
    assert mermaid_source(block, "TD").startswith("flowchart TD\n")


def test_mermaid_nested_boxes_become_subgraphs() -> None:
    block = FlowBlock(nodes=[GraphNode(id="a", label="바깥", children=[GraphNode(id="b", label="안", lines=["x"])])])
    src = mermaid_source(block)
    assert 'subgraph n0["바깥"]' in src and 'n1["안<br/>x"]' in src


@pytest.mark.parametrize(("text", "expected"), [
    ('say "hi"', "say #quot;hi#quot;"),
    ("<img src=x>", "#lt;img src=x#gt;"),
    ("#1; a|b", "#35;1; a#124;b"),
    ("{x} & `y`", "#123;x#125; #amp; #96;y#96;"),
])
def test_mermaid_labels_are_escaped(text: str, expected: str) -> None:
    assert escape_label(text) == expected


def test_inline_markup_is_safe() -> None:
    assert str(inline_html("**굵게** `x`")) == "<strong>굵게</strong> <code>x</code>"
    hostile = str(inline_html('<script>alert(1)</script> ![i](http://h/x) [l](javascript:alert(1))'))
    assert "<script" not in hostile and "<img" not in hostile and "<a " not in hostile
    assert "&lt;script&gt;" in hostile and "http://h/x" in hostile
    assert plain("**굵게** 텍스트") == "굵게 텍스트"


def _png(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("dpi", [96, 150, 300, 600])
def test_png_dpi_is_recorded(dpi: int) -> None:
    stamped = png_with_dpi(_png(7, 5), dpi)
    with Image.open(io.BytesIO(stamped)) as im:
        im.load()
        assert im.size == (7, 5) and png_size(stamped) == (7, 5)
        assert im.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)  # pHYs stores whole pixels per metre
    assert png_with_dpi(stamped, dpi) == stamped  # stamping twice replaces, never duplicates


def test_png_chunks_have_valid_crc() -> None:
    data = png_with_dpi(_png(3, 3), 300)
    i = 8
    while i < len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        assert struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        i += 12 + n


def test_pdf_dates_are_fixed_without_moving_bytes() -> None:
    pdf = b"%PDF-1.4\n<< /CreationDate (D:20261129030538+00'00')\n/ModDate (D:20270101010101+00'00') >>"
    fixed = pdf_without_clock(pdf)
    assert len(fixed) == len(pdf)
    assert fixed.count(b"D:20000101000000+00'00'") == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("Task-specific 적응: 각 task에", '<span class="en">Task-specific</span> 적응: 각 <span class="en">task</span>에'),
    ("효율적인 human annotation 활용", '효율적인 <span class="en">human annotation</span> 활용'),
    ("English only, no Hangul", "English only, no Hangul"),
    ("a 한 글자 x", "a 한 글자 x"),
    ("✓ 좋음 ✗ 나쁨", '<span class="ok">✓</span> 좋음 <span class="no">✗</span> 나쁨'),
    ("<b>굵게</b> & 토큰", "&lt;b&gt;굵게&lt;/b&gt; &amp; 토큰"),  # one letter is not a term; all escaped
    ("<em>강조</em>", '&lt;<span class="en">em</span>&gt;강조&lt;/<span class="en">em</span>&gt;'),
])
def test_english_terms_and_marks_are_wrapped_safely(text: str, expected: str) -> None:
    assert str(inline_html(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('"Active-Prompt adapts LLMs."', "Active-Prompt adapts LLMs."),
    ("“인용”", "인용"),
    ('"a" and "b"', '"a" and "b"'),
    ("no quotes", "no quotes"),
])
def test_quotes_lose_their_own_marks(text: str, expected: str) -> None:
    assert unquoted(text) == expected


def test_text_lines_become_breaks() -> None:
    # each line is its own run: the English line has no Hangul, so it is not marked as a term
    assert str(inline_lines("장시간 자율 작업\nHuman-to-Agent Ratio")) == "장시간 자율 작업<br>Human-to-Agent Ratio"


@pytest.mark.parametrize(("label", "lines", "expected"), [
    ("1.", ["Uncertainty", "Estimation"], ["1. Uncertainty Estimation"]),
    ("Step 3", ["Selection"], ["Step 3 Selection"]),
    ("ChatGPT (OpenAI)", ["가장 대중적"], ["ChatGPT (OpenAI)", "가장 대중적"]),
    ("Claude", ["(Anthropic)", "안전+성능 균형"], ["Claude (Anthropic)", "안전+성능 균형"]),
    ("🌐 API 호출", ["→ 인터넷 필요", "→ 비용 발생"], ["🌐 API 호출", "→ 인터넷 필요", "→ 비용 발생"]),
])
def test_box_labels_join_step_numbers_and_wrapped_phrases(label: str, lines: list[str],
                                                          expected: list[str]) -> None:
    assert label_lines(label, lines) == expected


def test_pdf_media_box_is_set_to_the_exact_paper_in_the_same_bytes() -> None:
    from nanosheet.export.stamp import pdf_exact_page

    pdf = b"%PDF-1.4\n1 0 obj << /MediaBox [0 0 594.95996 841.91998] >> endobj\nxref 0 1\n"
    fixed = pdf_exact_page(pdf, 210.0, 297.0)
    assert b"/MediaBox [0 0 595.27559 841.88976]" in fixed and len(fixed) == len(pdf)
    landscape = pdf_exact_page(pdf.replace(b"594.95996 841.91998", b"841.91998 594.95996"), 297.0, 210.0)
    assert b"/MediaBox [0 0 841.88976 595.27559]" in landscape


def test_a_branching_flow_is_written_one_path_a_line_and_a_chain_is_not() -> None:
    from nanosheet.model import FlowBlock, GraphEdge, GraphNode
    from nanosheet.render.html import _flow_paths

    nodes = [GraphNode(id=k, label=v) for k, v in (("a", "시작"), ("b", "검사\n통과"), ("c", "수정"), ("d", "끝"))]
    branching = FlowBlock(nodes=nodes, edges=[GraphEdge(src="a", dst="b", label="예"), GraphEdge(src="a", dst="c"),
                                              GraphEdge(src="b", dst="d"), GraphEdge(src="c", dst="d"),
                                              GraphEdge(src="d", dst="a")])  # a loop back is not followed twice
    assert _flow_paths(branching) == ["시작 → 예: 검사 통과 → 끝", "시작 → 수정 → 끝"]
    chain = FlowBlock(nodes=nodes, edges=[GraphEdge(src="a", dst="b"), GraphEdge(src="b", dst="c"),
                                          GraphEdge(src="c", dst="d")])
    assert _flow_paths(chain) is None
