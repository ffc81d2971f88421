"""Panel layout measured from the drawn DOM: mind map regions, columns in wide bands, line breaks, title band."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nanosheet.export import SheetBrowser
from nanosheet.model import (
    FlowBlock,
    Footer,
    GraphEdge,
    GraphNode,
    Item,
    ListBlock,
    MindMapBlock,
    MindNode,
    Page,
    Panel,
    Row,
    Sheet,
    TextBlock,
)
from nanosheet.render.html import render_fragment

REPO = Path(__file__).resolve().parents[1]

_BOXES = """pid => {
  const panel = document.querySelector(`[data-panel-id="${pid}"]`);
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const mm = panel.querySelector(".mindmap");
  return {
    panel: box(panel), mindmap: mm ? box(mm) : null,
    nodes: Array.from(panel.querySelectorAll(".mm-root, .mm-node")).map(box),
    side: Array.from(panel.querySelectorAll(".mm-side > .blk:not(.left-out)")).map(box),
    cols: panel.querySelector(".panel-body").dataset.cols || "",
    overflow: panel.classList.contains("overflow"),
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _inside(a: list[float], outer: list[float]) -> bool:
    return a[0] >= outer[0] - 0.5 and a[1] >= outer[1] - 0.5 and a[2] <= outer[2] + 0.5 and a[3] <= outer[3] + 0.5


def _draw(browser: SheetBrowser, sheet: Sheet, pid: str) -> dict[str, Any]:
    browser.draw(render_fragment(sheet), sheet.page)
    boxes: dict[str, Any] = browser.page.evaluate(_BOXES, pid)
    return boxes


def _sheet(rows: list[Row]) -> Sheet:
    return Sheet(stem="layout", title="레이아웃 Layout", page=Page(), rows=rows, footer=Footer(title="t"), seed=7)


def _mindmap_band() -> Sheet:
    mm = MindMapBlock(root="Self-Attention", children=[
        MindNode(label=label, icon="📝", note="짧은 설명 note 한 줄", note_ref="1:23" if i == 2 else None)
        for i, label in enumerate(["Query", "Key", "Value", "Multi-Head", "Positional Encoding", "Causal Mask"])])
    flow = FlowBlock(direction="LR", nodes=[GraphNode(id=c, label=f"단계 {c}") for c in "ABCDE"],
                     edges=[GraphEdge(src=a, dst=b) for a, b in zip("ABCD", "BCDE", strict=True)])
    return _sheet([
        Row(kind="title", ratio=12, panels=[Panel(id="r0p0", title="레이아웃 Layout")]),
        Row(kind="band", ratio=48, panels=[Panel(id="r1p0", icon="⚡", title="MIND MAP + FLOW", blocks=[mm],
                                                extra=[flow, TextBlock(text="흐름 설명 한 줄")])]),
        Row(kind="panels", ratio=40, panels=[Panel(id="r2p0", icon="📌", title="A", blocks=[TextBlock(text="a")])]),
    ])


def _assert_mindmap_region(boxes: dict[str, Any]) -> None:
    assert not boxes["overflow"]
    nodes, side = boxes["nodes"], boxes["side"]
    assert len(nodes) == 7 and side
    for i, a in enumerate(nodes):
        assert _inside(a, boxes["mindmap"]) and _inside(a, boxes["panel"]), a
        for b in nodes[i + 1:]:
            assert not _overlap(a, b), (a, b)
        for s in side:
            assert not _overlap(a, s), (a, s)
    for s in side:
        assert _inside(s, boxes["panel"]), s


def test_mindmap_sharing_a_band_gets_its_own_region(sheet_browser: SheetBrowser) -> None:
    _assert_mindmap_region(_draw(sheet_browser, _mindmap_band(), "r1p0"))


def test_mindmap_region_in_the_transformer_example(sheet_browser: SheetBrowser) -> None:
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt

    sheet = compose_sheet(read_prompt(REPO / "examples" / "transformer-attention.md"))
    pid = next(p.id for r in sheet.rows for p in r.panels if any(b.type == "mindmap" for b in p.blocks))
    boxes = _draw(sheet_browser, sheet, pid)
    assert boxes["mindmap"][2] - boxes["mindmap"][0] > 0.5 * (boxes["panel"][2] - boxes["panel"][0])
    nodes = boxes["nodes"]
    for i, a in enumerate(nodes):
        assert _inside(a, boxes["panel"])
        assert not any(_overlap(a, b) for b in nodes[i + 1:])
        assert not any(_overlap(a, s) for s in boxes["side"])


@pytest.mark.parametrize("n_items", [12])
def test_a_wide_band_of_short_lists_uses_columns(sheet_browser: SheetBrowser, n_items: int) -> None:
    lists = [ListBlock(items=[Item(text=f"항목 {g}-{i} item") for i in range(n_items)]) for g in range(3)]
    sheet = _sheet([
        Row(kind="title", ratio=10, panels=[Panel(id="r0p0", title="레이아웃 Layout")]),
        Row(kind="band", ratio=30, panels=[Panel(id="r1p0", title="BAND", blocks=lists)]),
        Row(kind="panels", ratio=60, panels=[Panel(id="r2p0", title="A", blocks=[TextBlock(text="a")])]),
    ])
    boxes = _draw(sheet_browser, sheet, "r1p0")
    assert boxes["cols"] in ("2", "3") and not boxes["overflow"]


def test_text_lines_keep_their_breaks(sheet_browser: SheetBrowser) -> None:
    sheet = _sheet([
        Row(kind="title", ratio=20, panels=[Panel(id="r0p0", title="레이아웃 Layout",
                                                extra=[TextBlock(text="한 줄 요약 tagline")])]),
        Row(kind="panels", ratio=80, panels=[Panel(id="r1p0", title="AGENTS",
                                                 blocks=[TextBlock(text="장시간 자율 작업\nHuman-to-Agent Ratio")])]),
    ])
    measured = sheet_browser.draw(render_fragment(sheet), sheet.page)
    texts = {p.id: p.text for p in measured.panels}
    assert "장시간 자율 작업\nHuman-to-Agent Ratio" in texts["r1p0"]
    assert "한 줄 요약 tagline" in texts[None]  # the title band shows the title panel's extra line
    tops: list[float] = sheet_browser.page.evaluate(
        """() => { const p = document.querySelector('[data-panel-id="r1p0"] p.text');
                   const r = document.createRange(); r.selectNodeContents(p);
                   return Array.from(r.getClientRects()).map(x => Math.round(x.top)); }""")
    assert len(set(tops)) == 2  # two lines, not one run-on line


def test_a_top_down_chain_keeps_each_arrow_on_its_steps_line(sheet_browser: SheetBrowser) -> None:
    """A ⬇ wrapped alone to the start of the next line read as pointing at nothing (a long step filled its
    line): each arrow sits right of its own step, on the step's line, and inside the panel."""
    labels = ["1. Sample a window", "2. Feed the context to the network", "3. Read the distribution",
              "4. Calculate the update (raise the right token, lower the others)", "5. Apply it", "6. Repeat"]
    chain = FlowBlock(direction="TD", nodes=[GraphNode(id=f"s{i}", label=t) for i, t in enumerate(labels)],
                      edges=[GraphEdge(src=f"s{i}", dst=f"s{i + 1}") for i in range(len(labels) - 1)])
    sheet = _sheet([
        Row(kind="title", ratio=12, panels=[Panel(id="r0p0", title="레이아웃 Layout")]),
        Row(kind="panels", ratio=30, widths=[1, 2], panels=[
            Panel(id="r1p0", title="LOOP", blocks=[chain]),
            Panel(id="r1p1", title="B", blocks=[TextBlock(text=t) for t in ("하나", "둘", "셋", "넷")])]),
        Row(kind="panels", ratio=58, panels=[Panel(id="r2p0", title="C", blocks=[TextBlock(text="c")])]),
    ])
    sheet_browser.draw(render_fragment(sheet), sheet.page)
    pairs: list[dict[str, Any]] = sheet_browser.page.evaluate("""() => {
      const body = document.querySelector('.panel[data-panel-id="r1p0"] .panel-body').getBoundingClientRect();
      const chain = document.querySelector('.panel[data-panel-id="r1p0"] .steps');
      return Array.from(chain.querySelectorAll(':scope > .arrow:not(.loop)')).map((a) => {
        const s = a.previousElementSibling.getBoundingClientRect(), g = document.createRange();
        g.selectNodeContents(a);
        const r = g.getBoundingClientRect();
        return { stepTop: s.top, stepBottom: s.bottom, stepRight: s.right, top: r.top, bottom: r.bottom,
                 left: r.left, right: r.right, bodyRight: body.right }; }); }""")
    assert len(pairs) == len(labels) - 1
    for p in pairs:
        assert p["stepTop"] - 0.5 <= p["top"] and p["bottom"] <= p["stepBottom"] + 0.5, p  # on its step's line
        assert p["left"] >= p["stepRight"] - 0.5 and p["right"] <= p["bodyRight"] + 0.5, p  # beside it, inside
