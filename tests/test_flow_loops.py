"""Numbered steps whose last one repeats: the directive's steps in, a chain with its return edge out, drawn
as numbered step boxes ending in a ``↺ n.`` mark (the shared neural-network-io prompt end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.fulfil import fulfil_blocks
from nanosheet.ingest import read_prompt
from nanosheet.model import CodeBlock, DirectiveBlock, FlowBlock
from nanosheet.render.html import render_fragment

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def _flow(steps: list[str]) -> FlowBlock:
    directive = DirectiveBlock(line=3, text="Create a flowchart:", kind="flow",
                               payload=[CodeBlock(line=4, lang="", text="\n".join(steps))])
    (flow,) = fulfil_blocks([directive], "topic")
    assert isinstance(flow, FlowBlock)
    return flow


@pytest.mark.parametrize(("last", "back_to"), [
    ("4. Repeat for every batch", "s1"), ("4. Repeat from step 2", "s2"), ("4. 2단계부터 반복", "s2"),
    ("4. 처음부터 다시 반복", "s1")])
def test_a_last_step_that_repeats_returns_to_the_step_it_names(last: str, back_to: str) -> None:
    flow = _flow(["1. Read", "2. Score", "3. Update", last])
    assert [(e.src, e.dst, e.style) for e in flow.edges] == [
        ("s1", "s2", "solid"), ("s2", "s3", "solid"), ("s3", "s4", "solid"), ("s4", back_to, "dotted")]


def test_steps_that_do_not_repeat_get_no_return_edge() -> None:
    flow = _flow(["1. Read", "2. Score", "3. Report the repeated words"])
    assert [(e.src, e.dst) for e in flow.edges] == [("s1", "s2"), ("s2", "s3")]


def test_neural_network_training_loop_is_drawn_as_a_loop() -> None:
    sheet = compose_sheet(read_prompt(PROMPTS / "neural-network-io-cheatsheet-prompt.md"))
    panel = next(p for r in sheet.rows for p in r.panels if p.title == "TRAINING LOOP")
    (flow,) = [b for b in [*panel.blocks, *panel.extra] if isinstance(b, FlowBlock)]
    labels = [n.label for n in flow.nodes]
    assert labels[0] == "Sample Window from Dataset" and labels[-1] == "Repeat in Parallel Batches"
    assert (flow.edges[-1].src, flow.edges[-1].dst) == (flow.nodes[-1].id, flow.nodes[0].id)
    html = render_fragment(sheet)
    panel_at = html.index('data-panel-id="' + panel.id + '"')  # the I/O chain above is drawn as steps too
    start = html.index('<div class="blk steps down">', panel_at)  # a stack: its icons lead their lines
    steps = html[start:html.index("</div>", start)]
    assert "1. Sample Window from Dataset" in steps and "7. Repeat in Parallel Batches" in steps
    assert 'title="back to step 1">↺ 1.</span>' in steps
    assert "➜" not in steps  # a top-down sequence points down
