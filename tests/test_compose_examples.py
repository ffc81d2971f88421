"""Compose on the real corpus: sections land in the panels that carry their titles, diagrams, notes, footer."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.matching import title_similarity
from nanosheet.ingest import read_prompt
from nanosheet.model import Block, DiagramBlock, FlowBlock, GraphNode, MindMapBlock, Sheet

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"
SEED = next((SHARED / "seed").glob("*.txt"))


def _sheet(name: str) -> Sheet:
    return compose_sheet(read_prompt(PROMPTS / f"{name}-cheatsheet-prompt.md"))


def _panels(sheet: Sheet) -> dict[str, list[str]]:
    return {p.title: p.sections for r in sheet.rows if r.kind != "title" for p in r.panels}


@pytest.mark.parametrize("name", ["grand-summary", "activeprompt", "fewshot", "gpt2-training-inference"])
def test_sections_carrying_a_panel_title_land_in_that_panel(name: str) -> None:
    prompt = read_prompt(PROMPTS / f"{name}-cheatsheet-prompt.md")
    sheet = compose_sheet(prompt)
    panels = [p for r in sheet.rows if r.kind != "title" for p in r.panels]
    checked = 0
    for section in (s for s in prompt.sections if s.kind == "content"):
        ranked = sorted(((title_similarity(section.title, p.title), p.id) for p in panels), reverse=True)
        if ranked[0][0] >= 0.8 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            carrier = next(p for p in panels if p.id == ranked[0][1])
            checked += 1
            assert section.title in carrier.sections, (section.title, carrier.title)
    assert checked >= 3


def test_activeprompt_sections_follow_their_position_hints() -> None:
    assert _panels(_sheet("activeprompt")) == {
        "WHAT IS ACTIVE-PROMPT": ["WHAT IS ACTIVE-PROMPT?"],
        "PROBLEM & SOLUTION": ["PROBLEM & SOLUTION"],
        "5-STEP WORKFLOW": ["5-STEP WORKFLOW"],
        "ACTIVE vs STANDARD CoT": ["ACTIVE vs STANDARD CoT"],
        "KEY TAKEAWAYS": ["KEY TAKEAWAYS"],
    }


def test_unplaced_sections_are_reported_with_reasons() -> None:
    sheet = _sheet("where-to-find-llms")
    assert sheet.unplaced, "where-to-find-llms has sections no panel names"
    for item in sheet.unplaced:
        assert item.reason and item.line and item.line > 0


def test_instructions_to_the_image_model_are_obeyed_not_printed() -> None:
    sheet = _sheet("how-openai-uses-codex")
    blocks = [b for r in sheet.rows for p in r.panels for b in [*p.blocks, *p.extra]]
    texts = [getattr(b, "text", "") for b in blocks]
    assert not any(t.startswith(("Create a Mermaid", "Group the", "Summarize the")) for t in texts)
    assert "directive" not in {b.type for b in blocks}
    # What they asked for is drawn: the mind map, the workflow, the golden prompts' code blocks.
    assert {"mindmap", "flow", "code"} <= {b.type for b in blocks}


def test_codex_without_wireframe_gets_the_default_layout_from_its_sections() -> None:
    sheet = _sheet("how-openai-uses-codex")
    assert sheet.auto_layout
    assert [r.kind for r in sheet.rows] == ["title", "panels", "band", "panels"]
    assert [round(r.ratio) for r in sheet.rows] == [10, 25, 40, 25]
    centre = sheet.rows[2].panels[0]  # the mind map takes the widest panel
    assert centre.title == "Executive Summary" and any(b.type == "mindmap" for b in centre.extra)
    assert [p.title for r in sheet.rows[1::2] for p in r.panels] == [
        "Engineering Use Case Matrix", "Best Practices Workflow", "Quick Reference: Golden Prompts", "Key Takeaways"]
    assert sheet.unplaced == []


def test_fewshot_table_placeholder_is_filled_from_its_section() -> None:
    band = _sheet("fewshot").rows[-1].panels[0]
    assert band.blocks[0].type == "table"
    assert not any(b.type == "placeholder" for b in band.blocks)


def test_honesty_metaphor_placeholder_is_filled_from_a_sub_section() -> None:
    sheet = _sheet("honesty-personas-metaphors")
    metaphor = next(p for r in sheet.rows if r.kind != "title" for p in r.panels if "METAPHOR" in p.title)
    assert metaphor.blocks[0].type == "flow"
    assert any("비유" in s for s in metaphor.sections)


def _diamonds(block: Block) -> list[GraphNode]:
    return [n for n in getattr(block, "nodes", []) if n.shape == "diamond"]


def test_tokenization_flow_has_a_decision_diamond() -> None:
    sheet = _sheet("tokenization-spelling")
    flows = [b for r in sheet.rows for p in r.panels for b in p.blocks if isinstance(b, FlowBlock)]
    assert flows and any(n.label.endswith("?") for f in flows for n in _diamonds(f))


def _depth(nodes: list[GraphNode]) -> int:
    return 1 + max((_depth(n.children) for n in nodes), default=0) if nodes else 0


def test_where_to_find_nested_boxes_stay_a_nested_diagram() -> None:
    sheet = _sheet("where-to-find-llms")
    band = next(r for r in sheet.rows if r.kind == "band").panels[0]
    diagrams = [b for b in band.blocks if isinstance(b, DiagramBlock)]
    assert diagrams and _depth(diagrams[0].nodes) >= 2  # band -> trick box -> model boxes


def test_seed_mindmap_branches_carry_source_notes() -> None:
    sheet = compose_sheet(read_prompt(SEED))
    mind = next(b for r in sheet.rows for p in r.panels for b in p.blocks if isinstance(b, MindMapBlock))
    assert [c.label for c in mind.children] == ["Multimodal", "Agents", "Computer Use", "Longer Context",
                                                "Test-Time Training", "Robotics"]
    notes = {c.label: c for c in mind.children}
    assert sum(1 for c in mind.children if c.note) >= 5
    assert "이미지" in (notes["Multimodal"].note or "")
    assert "자율" in (notes["Agents"].note or "")
    assert notes["Test-Time Training"].note_ref == "3:13:00"
    assert all(c.icon for c in mind.children)


def test_seed_footer_points_at_the_chapter_in_the_video() -> None:
    footer = compose_sheet(read_prompt(SEED)).footer
    assert footer.chapter == "21/24"
    assert footer.qr_url == "https://www.youtube.com/watch?v=7xTGNNLPyMI&t=11400s"  # [3:10:00]
    assert footer.title == "21. 앞으로의 전망" and footer.title_en == "21. Preview of Things to Come"


def test_place_extras_places_every_section_and_never_squeezes_a_second_drawing() -> None:
    for name in ("where-to-find-llms", "tokenization-spelling", "honesty-personas-metaphors"):
        sheet = compose_sheet(read_prompt(PROMPTS / f"{name}-cheatsheet-prompt.md"), place_extras=True)
        assert sheet.unplaced == [], name
        for row in sheet.rows:
            for panel in row.panels:
                drawings = [b for b in [*panel.blocks, *panel.extra] if b.type in {"mindmap", "flow", "diagram"}]
                assert sum(b.type == "mindmap" for b in drawings) <= 1 or len(drawings) == 1, (name, panel.id)
