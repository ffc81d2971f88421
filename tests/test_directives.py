"""Directives to the image model are recognised with their payload (ingest) and obeyed, not printed (compose)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.fulfil import directive_words, fulfil, fulfil_blocks
from nanosheet.ingest import read_prompt
from nanosheet.ingest.directives import fold_directives, read_directive
from nanosheet.ingest.markdown import parse_blocks
from nanosheet.model import Block, DirectiveBlock, FlowBlock, GraphNode, ListBlock, QuoteBlock, Sheet

FIXTURE = Path(__file__).parent / "fixtures" / "directives.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = sorted((SHARED / "examples" / "prompts").glob("*.md")) + sorted((SHARED / "seed").glob("*.txt"))
# The quality tool's own pattern (../shared/tools/sheet_quality.py), for the figure it prints.
TOOL_DIRECTIVES = re.compile(r"(?i)\bcreate (a|an|two) (mermaid|table|flowchart|diagram)|bullet points summari[sz]ing|"
                             r"extract key quotes|please generate")


def _cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for raw in FIXTURE.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            kind, count, drawn, markdown = raw.split("\t")
            rows.append((kind, count, drawn, markdown.replace("\\n", "\n")))
    return rows


CASES = _cases()


def test_fixture_has_enough_forms() -> None:
    positive = [c for c in CASES if c[0] != "-"]
    assert len(positive) >= 40 and len(CASES) - len(positive) >= 15
    assert sum(1 for c in positive if re.search(r"[가-힣]", c[3].split("\n")[0])) >= 12
    assert sum(1 for c in positive if c[2]) >= 25 and sum(1 for c in positive if not c[2]) >= 10


def _folded(markdown: str) -> list[Block]:
    blocks, _ = parse_blocks(markdown, 1, "case.md")
    return fold_directives(blocks)


@pytest.mark.parametrize(("kind", "count", "drawn", "markdown"), CASES, ids=[c[3].split("\n")[0][:40] for c in CASES])
def test_directive_form(kind: str, count: str, drawn: str, markdown: str) -> None:
    blocks = _folded(markdown)
    directives = [b for b in blocks if isinstance(b, DirectiveBlock)]
    if kind == "-":
        assert directives == []
        assert [b.type for b in blocks] == drawn.split(",")
        return
    assert len(directives) == 1, [b.type for b in blocks]
    directive = directives[0]
    assert directive.kind == kind
    assert directive.count == (int(count) if count else None)
    made = fulfil(directive, "Topic")
    assert [b.type for b in made] == (drawn.split(",") if drawn else [])
    # Nothing the directive said is drawn: the first line is gone from every fulfilled block.
    assert directive_words(made) == []
    assert not any(directive.text in text for b in made for text in _strings(b))


def _strings(block: Block) -> list[str]:
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(block.model_dump())
    return out


def test_payload_becomes_the_drawing() -> None:
    steps = _folded("Create a Mermaid sequence diagram or flowchart:\n```\n1. Pick a batch\n2. Run it\n3. Update\n```")
    [flow] = fulfil(steps[0], "t")  # type: ignore[arg-type]
    assert isinstance(flow, FlowBlock) and [n.label for n in flow.nodes] == ["Pick a batch", "Run it", "Update"]
    assert [(e.src, e.dst) for e in flow.edges] == [("s1", "s2"), ("s2", "s3")]
    quotes = _folded('- Extract key quotes with Korean annotations:\n  - "less is more" - 적을수록 좋다')
    [card] = fulfil(quotes[0], "t")  # type: ignore[arg-type]
    assert isinstance(card, QuoteBlock) and card.text == "less is more" and card.attribution == "적을수록 좋다"
    table = _folded("- Columns: [Term] | [Meaning]\n- Include the following terms:\n  - Token\n  - Vocab\n"
                    "- Example row:\n  | Token | 조각 |")
    [made] = fulfil(table[0], "t")  # type: ignore[arg-type]
    assert made.type == "table" and made.header == ["Term", "Meaning"]
    assert made.rows == [["Token", "조각"], ["Vocab", ""]]


def test_directive_without_payload_is_satisfied_or_reported() -> None:
    satisfied = fulfil_blocks(_folded("Create a Mermaid flowchart:\n\nA → B → C"), "t")
    assert [b.type for b in satisfied] == ["flow"]
    alone = fulfil_blocks(_folded("Create a comparison table:"), "t")
    assert [b.type for b in alone] == ["directive"]  # left for the panel to satisfy or report


def test_unfulfilled_directive_is_warned(tmp_path: Path) -> None:
    source = tmp_path / "p.md"
    source.write_text(
        "# Layout Structure\n\n```\n┌──────────────────┐\n│ 🍌 TITLE 🍌       │\n├──────────────────┤\n"
        "│ ┌──────────────┐ │\n│ │ 📊 RESULTS   │ │\n│ │ fast, cheap  │ │\n│ └──────────────┘ │\n"
        "└──────────────────┘\n```\n\n# Content Details\n\n## 📊 RESULTS\n\nCreate a comparison table:\n\n"
        "Speed matters most.\n", encoding="utf-8")
    sheet = compose_sheet(read_prompt(source))
    codes = [w for w in sheet.warnings if w.code == "unfulfilled-directive"]
    assert len(codes) == 1 and codes[0].line == 18
    assert _sheet_directives(sheet) == []


def _sheet_blocks(sheet: Sheet) -> list[Block]:
    return [b for row in sheet.rows for p in row.panels for b in [*p.blocks, *p.extra]]


def _sheet_directives(sheet: Sheet) -> list[str]:
    blocks = _sheet_blocks(sheet)
    text = " ".join(t for b in blocks for t in _strings(b))
    return [b.type for b in blocks if b.type == "directive"] + directive_words(blocks) + \
        [m.group(0) for m in TOOL_DIRECTIVES.finditer(text)]


@pytest.mark.parametrize("path", PROMPTS, ids=[p.stem[:30] for p in PROMPTS])
def test_shared_prompts_print_no_directive(path: Path) -> None:
    assert _sheet_directives(compose_sheet(read_prompt(path))) == []


def _panel(sheet: Sheet, title: str) -> list[Block]:
    panel = next(p for row in sheet.rows for p in row.panels if p.title == title)
    return [*panel.blocks, *panel.extra]


def test_neural_network_io_obeys_its_directives() -> None:
    sheet = compose_sheet(read_prompt(SHARED / "examples" / "prompts" / "neural-network-io-cheatsheet-prompt.md"))
    flow = [b for b in _panel(sheet, "NEURAL NETWORK I/O FLOW") if isinstance(b, FlowBlock)]
    assert flow and len(flow[0].nodes) >= 5
    loop = [b for b in _panel(sheet, "TRAINING LOOP") if isinstance(b, FlowBlock)]
    assert any(len(b.nodes) == 7 and "Sample Window from Dataset" in b.nodes[0].label for b in loop)
    quotes = [b for b in _panel(sheet, "KEY INSIGHT") if isinstance(b, QuoteBlock) and b.attribution]
    assert len(quotes) == 3 and all(re.search(r"[가-힣]", q.attribution or "") for q in quotes)
    takeaways = [b for b in _panel(sheet, "KEY TAKEAWAYS") if isinstance(b, ListBlock)]
    # the content's four takeaways, then the wireframe's one line they do not say, as a fifth bullet
    assert any(len(b.items) == 5 and b.items[0].text.startswith("입력") and b.items[4].text == "확률 최적화"
               for b in takeaways)


def test_reading_is_by_grammar_not_by_sentence() -> None:
    # Same grammar, wordings that appear nowhere else in the project.
    assert read_directive("Sketch a cycle diagram for the feedback loop") is not None
    assert read_directive("Produce three tables comparing vendors:") is not None
    assert read_directive("위 과정을 순서도로 나타내 주세요") is not None
    assert read_directive("Sketching is a skill worth practising") is None


def test_richer_version_takes_the_wireframe_sketch_place() -> None:
    from nanosheet.compose.richer import prefer_richer
    from nanosheet.model import ChainBlock, Diagnostic, GraphEdge, Panel, Row

    steps = ["Plan", "Build", "Test", "Deploy"]
    rich = FlowBlock(nodes=[GraphNode(id=f"n{k}", label=label) for k, label in enumerate(steps)],
                     edges=[GraphEdge(src=f"n{k}", dst=f"n{k + 1}") for k in range(3)])
    panel = Panel(id="r2p1", title="LOOP", blocks=[ChainBlock(steps=["Plan", "Build", "Ship"])], extra=[rich])
    warnings: list[Diagnostic] = []
    prefer_richer([Row(kind="panels", ratio=100, panels=[panel])], warnings, "x.md")
    assert panel.blocks[0] == rich and panel.extra == []
    assert [b.text for b in panel.blocks[1:] if b.type == "text"] == ["Ship"]  # only the sketch had it
    assert [w.code for w in warnings] == ["richer-version"]


def _names(nodes: list[GraphNode]) -> list[str]:
    return [x for n in nodes for x in [n.label, n.caption or "", *_names(n.children)]]


def test_art_draws_the_fuller_workflow_and_core_concept() -> None:
    from nanosheet.model import DiagramBlock

    sheet = compose_sheet(read_prompt(SHARED / "examples" / "prompts" / "art-cheatsheet-prompt.md"))
    workflow = next(p for r in sheet.rows for p in r.panels if p.title == "ART WORKFLOW")
    drawn = [b for b in workflow.blocks if isinstance(b, DiagramBlock)]
    shown = _names(drawn[0].nodes) if drawn else []
    assert "New Task" in shown and sum(1 for x in shown if x.startswith("STEP")) == 3
    assert not any(b.type in ("chain", "placeholder") for b in workflow.blocks)
    assert any(b.type == "table" for b in workflow.extra)  # the step table stays with it
    core = next(p for r in sheet.rows for p in r.panels if p.title == "CORE CONCEPT")
    labels = " ".join(x for b in core.blocks if isinstance(b, DiagramBlock) for x in _names(b.nodes))
    assert "Chain-of-" in labels and not any(b.type == "diagram" for b in core.extra)


def test_a_drawing_of_loose_boxes_does_not_replace_a_joined_one() -> None:
    """More parts is not richer when the boxes stand alone: the wireframe's chain stays."""
    from nanosheet.compose.richer import prefer_richer
    from nanosheet.model import ChainBlock, GraphEdge, Panel, Row

    chain = ChainBlock(steps=["Data", "Tokenization", "Training Loop", "Inference"])
    labels = ["Data 준비", "Tokenization 단계", "Training Loop 반복", "Inference 시연", "기타"]
    loose = FlowBlock(nodes=[GraphNode(id=f"n{i}", label=label) for i, label in enumerate(labels)],
                      edges=[GraphEdge(src="n0", dst="n1")])
    joined = loose.model_copy(update={"edges": [GraphEdge(src=f"n{i}", dst=f"n{i + 1}") for i in range(4)]})
    for rich, kept in ((loose, chain), (joined, joined)):
        panel = Panel(id="r2p1", title="Pipeline", blocks=[chain], extra=[rich])
        prefer_richer([Row(kind="band", ratio=40, panels=[panel])], [], "x.md")
        assert kept in [*panel.blocks, *panel.extra]
