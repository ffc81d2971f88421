"""Wireframe lines that only name a block (``• Definition 박스``): panels in, the named block in the line's
place out when the panel's content supplies it, the line as it was when nothing does."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import Draft, compose_sheet
from nanosheet.compose.named_blocks import Named, fulfil_named_lines, parse_named, replace_named_lines
from nanosheet.compose.place import fill_placeholders
from nanosheet.ingest import read_prompt
from nanosheet.model import (
    Block,
    CalloutBlock,
    Diagnostic,
    FlowBlock,
    GraphEdge,
    GraphNode,
    HeadingBlock,
    Item,
    ListBlock,
    Panel,
    PlaceholderBlock,
    Prompt,
    QuoteBlock,
    Row,
    TableBlock,
    TextBlock,
)

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"

FORMS = [
    # line as the wireframe writes it (bullet already read off), what it names
    ("Definition 박스", Named("Definition", "box")),
    ("Definition Box", Named("Definition", "box")),
    ("[Definition Box]", Named("Definition", "box")),
    ("**Definition** box", Named("Definition", "box")),
    ("정의 박스", Named("정의", "box")),
    ("핵심 개념 영역", Named("핵심 개념", "box")),
    ("Summary section:", Named("Summary", "box")),
    ("비교 표", Named("비교", "table")),
    ("비교표", Named("비교", "table")),
    ("[표: 성능 비교]", Named("성능 비교", "table")),
    ("Table: Results", Named("Results", "table")),
    ("Comparison TABLE", Named("Comparison", "table")),
    ("Workflow diagram", Named("Workflow", "drawing")),
    ("[순환 다이어그램]", Named("순환", "drawing")),
    ("흐름 그림", Named("흐름", "drawing")),
    ("성능 차트", Named("성능", "drawing")),
    ("Accuracy chart", Named("Accuracy", "drawing")),
]
NOT_PLACEHOLDERS = [
    "CoT + Tool 통합",            # a point, no kind word
    "Frozen LLM 활용",
    "박스",                        # a kind word alone names nothing
    "Table",
    "목표",                        # ends in 표, but is one word of its own
    "Use a timetable",             # 'table' inside a word
    "Models are compared in one big summary table",  # a sentence, not a label
    "Results, then a table",
    "Box",
]


@pytest.mark.parametrize(("line", "named"), FORMS, ids=[f[0] for f in FORMS])
def test_a_line_of_a_label_and_a_kind_word_names_a_block(line: str, named: Named) -> None:
    assert parse_named(line) == named


@pytest.mark.parametrize("line", NOT_PLACEHOLDERS)
def test_a_line_that_says_something_names_no_block(line: str) -> None:
    assert parse_named(line) is None


def _definition() -> list[Block]:
    return [HeadingBlock(level=4, text="Definition Box"), QuoteBlock(text="ART merges CoT with tools."),
            HeadingBlock(level=4, text="핵심 포인트"), ListBlock(items=[Item(text="Frozen LLM")])]


def _panel(blocks: list[Block], extra: list[Block], title: str = "WHAT IS ART?") -> Panel:
    return Panel(id="p1", title=title, blocks=blocks, extra=extra, line=3)


def _shown(panel: Panel) -> list[str]:
    out: list[str] = []
    for block in panel.blocks:
        if isinstance(block, ListBlock):
            out.extend(f"• {i.text}" for i in block.items)
        else:
            out.append(f"{block.type}: {getattr(block, 'text', '') or getattr(block, 'kind', '')}")
    return out


@pytest.mark.parametrize("bullet", ["Definition 박스", "Definition Box", "[Definition Box]", "정의 박스"])
def test_a_bullet_naming_the_definition_gives_way_to_it(bullet: str) -> None:
    heading = HeadingBlock(level=4, text="정의 박스" if bullet == "정의 박스" else "Definition Box")
    extra = [heading, *_definition()[1:]]
    panel = _panel([ListBlock(items=[Item(text=bullet), Item(text="CoT + Tool 통합")])], extra)
    replace_named_lines(panel)
    assert _shown(panel) == [f"heading: {heading.text}", "quote: ART merges CoT with tools.", "• CoT + Tool 통합"]
    assert [b.type for b in panel.extra] == ["heading", "list"]  # the rest of the content is where it was


def test_a_bullet_further_down_puts_its_block_after_the_list() -> None:
    panel = _panel([ListBlock(items=[Item(text="CoT + Tool 통합"), Item(text="Definition 박스")])], _definition())
    replace_named_lines(panel)
    assert _shown(panel) == ["• CoT + Tool 통합", "heading: Definition Box", "quote: ART merges CoT with tools."]


def test_a_line_and_a_placeholder_take_the_named_block_in_their_place() -> None:
    card = CalloutBlock(title="Key Terms", text="token · embedding")
    table = TableBlock(header=["Model", "Accuracy"], rows=[["A", "90%"]])
    panel = _panel([TextBlock(text="Key Terms 카드"), TextBlock(text="확률 최적화"),
                    PlaceholderBlock(kind="Accuracy Table")], [table, card])
    replace_named_lines(panel)
    assert panel.blocks == [card, TextBlock(text="확률 최적화"), table] and panel.extra == []


def test_a_diagram_line_in_a_panel_whose_title_it_names_gives_way_to_the_drawing() -> None:
    flow = FlowBlock(nodes=[GraphNode(id="a", label="Select"), GraphNode(id="b", label="Run")],
                     edges=[GraphEdge(src="a", dst="b")])
    panel = _panel([ListBlock(items=[Item(text="Workflow 다이어그램")])], [flow], title="ART WORKFLOW")
    replace_named_lines(panel)
    assert panel.blocks == [flow] and panel.extra == []


@pytest.mark.parametrize(("blocks", "extra"), [
    # no block with that label: the bullet is all the panel says of a definition
    ([ListBlock(items=[Item(text="Definition 박스"), Item(text="CoT")])], [QuoteBlock(text="ART merges CoT.")]),
    # a heading with the label, but over nothing
    ([ListBlock(items=[Item(text="Definition 박스")])], [HeadingBlock(text="Definition")]),
    # a table asked for, the labelled block is a quote
    ([TextBlock(text="Definition 표")], [HeadingBlock(text="Definition"), QuoteBlock(text="ART merges CoT.")]),
    # the label named elsewhere, a different one drawn
    ([TextBlock(text="Summary table")], [TableBlock(header=["Model", "Accuracy"], rows=[["A", "1"]])]),
])
def test_a_line_whose_block_is_absent_stays_as_it_was(blocks: list[Block], extra: list[Block]) -> None:
    panel = _panel([b.model_copy(deep=True) for b in blocks], [b.model_copy(deep=True) for b in extra])
    assert replace_named_lines(panel) == []
    assert panel.blocks == blocks and panel.extra == extra


def test_a_fulfilled_placeholder_is_not_reported_as_left_visible() -> None:
    panel = _panel([PlaceholderBlock(kind="Definition Box", line=5)], _definition())
    warnings: list[Diagnostic] = []
    fill_placeholders(panel, "x.md", warnings)
    assert [w.code for w in warnings] == ["placeholder-unfilled"]
    prompt = Prompt(path="x.md", title="ART", rows=[Row(kind="panels", ratio=100, panels=[panel])])
    draft = Draft(prompt=prompt, rows=tuple(prompt.rows), warnings=tuple(warnings))
    after = fulfil_named_lines(draft)
    assert after.warnings == ()
    assert [b.type for b in after.rows[0].panels[0].blocks] == ["heading", "quote"]
    assert [b.type for b in draft.rows[0].panels[0].blocks] == ["placeholder"]  # the draft given is unchanged


def _texts(block: Block) -> list[str]:
    if isinstance(block, ListBlock):
        return [i.text for i in block.items]
    return [str(getattr(block, "text", ""))]


@pytest.mark.parametrize("name", ["art-cheatsheet-prompt.md", "activeprompt-cheatsheet-prompt.md"])
def test_no_sheet_prints_the_definition_placeholder(name: str) -> None:
    sheet = compose_sheet(read_prompt(PROMPTS / name))
    texts = [t for row in sheet.rows for p in row.panels for b in [*p.blocks, *p.extra] for t in _texts(b)]
    assert not any("Definition 박스" in t for t in texts)
    what = next(p for row in sheet.rows for p in row.panels if p.title.startswith("WHAT IS"))
    assert [b.type for b in what.blocks[:2]] == ["heading", "quote"]  # the definition, where the bullet was
