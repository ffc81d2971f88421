"""Capacity-aware fill: a planned sheet's typed page measurements in, the right panel changed (or nothing) out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nanosheet.ingest import read_prompt
from nanosheet.model import Measured, PlanChoice, Prompt
from nanosheet.plan import plan_prompt
from nanosheet.plan.layout import add_chunk
from nanosheet.plan.refit import join_chunks, needs_refit, refit, render_with_refit, split_chunks

CHAPTERS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"


@pytest.fixture(scope="module")
def planned() -> Prompt:
    return plan_prompt(read_prompt(CHAPTERS / "how-openai-uses-codex.md"))


def _report(prompt: Prompt, **panels: dict[str, Any]) -> Measured:
    """What the page measures, validated as at the browser seam: every panel 85 % full at 11 pt unless
    ``panels`` says otherwise."""
    out: list[dict[str, Any]] = [{"id": None, "row": 0, "box_mm": [8, 8, 194, 20], "fill": 0.9, "body_pt": 30.0,
                                  "font_pt": 30.0, "overflow": False, "left_out": []}]
    for index, row in enumerate(prompt.rows[1:], start=1):
        for panel in row.panels:
            entry = {"id": panel.id, "row": index, "box_mm": [8.0, 40.0, 95.0, 70.0], "fill": 0.85,
                     "body_pt": 11.0, "font_pt": 9.0, "overflow": False, "left_out": []}
            entry.update(panels.get(panel.id, {}))
            out.append(entry)
    return Measured.model_validate({"rows": [], "panels": out})


def _with_spare(prompt: Prompt) -> PlanChoice:
    assert prompt.plan is not None
    return next(c for c in prompt.plan.choices if c.spare and c.kind not in ("mindmap", "flow", "loop"))


def _section(prompt: Prompt, title: str) -> str:
    return next(s.text for s in prompt.sections if s.kind == "content" and s.title == title)


def test_a_sheet_that_fits_is_kept(planned: Prompt) -> None:
    assert not needs_refit(_report(planned))
    assert refit(planned, _report(planned)) is None


def test_an_under_full_panel_takes_its_spares_and_no_other_panel_changes(planned: Prompt) -> None:
    choice = _with_spare(planned)
    again = refit(planned, _report(planned, **{choice.panel: {"fill": 0.35, "body_pt": 14.0}}))
    assert again is not None and again.plan is not None and again.plan.refits == 1
    before, after = _section(planned, choice.title), _section(again, choice.title)
    assert after.startswith(before) and len(after) > len(before)
    assert choice.spare[0].markdown in after  # the best spare first
    new_choice = next(c for c in again.plan.choices if c.panel == choice.panel)
    assert len(new_choice.spare) < len(choice.spare)
    others = [s.title for s in planned.sections if s.kind == "content" and s.title != choice.title]
    assert all(_section(again, t) == _section(planned, t) for t in others)
    assert refit(again, _report(again, **{choice.panel: {"fill": 0.35}})) is None  # one refit only


def test_an_overflowing_panel_gives_back_its_last_items(planned: Prompt) -> None:
    assert planned.plan is not None
    choice = max((c for c in planned.plan.choices if c.kind not in ("mindmap", "flow", "loop")),
                 key=lambda c: len(split_chunks(_section(planned, c.title))))
    before = split_chunks(_section(planned, choice.title))
    assert len(before) >= 3
    again = refit(planned, _report(planned, **{choice.panel: {"overflow": True, "fill": 1.0, "body_pt": 7.0}}))
    assert again is not None and again.plan is not None
    after = split_chunks(_section(again, choice.title))
    assert 2 <= len(after) < len(before) and after == before[: len(after)]
    new_choice = next(c for c in again.plan.choices if c.panel == choice.panel)
    assert new_choice.spare[0].markdown == before[len(after)][1]  # kept as the first candidate
    crowded_row = next(r for r in again.rows if any(p.id == choice.panel for p in r.panels))
    assert crowded_row.ratio >= next(r for r in planned.rows if any(p.id == choice.panel for p in r.panels)).ratio


def test_a_short_panel_beside_a_full_one_gets_narrower_and_its_row_shorter() -> None:
    # the first chapter whose plan has a row of two panels (which ones do depends on the notes' lengths)
    plans = (plan_prompt(read_prompt(c)) for c in sorted(CHAPTERS.glob("*.md")))
    prompt, row_index, row = next((p, i, r) for p in plans for i, r in enumerate(p.rows) if len(r.panels) == 2)
    short, full = row.panels
    assert prompt.plan is not None
    prompt = prompt.model_copy(update={"plan": prompt.plan.model_copy(update={
        "choices": [c.model_copy(update={"spare": []}) for c in prompt.plan.choices]})})
    again = refit(prompt, _report(prompt, **{short.id: {"fill": 0.4, "body_pt": 14.0},
                                             full.id: {"fill": 0.75, "body_pt": 14.0}}))
    assert again is not None
    new = again.rows[row_index]
    assert new.widths[0] < new.widths[1] and new.ratio < row.ratio
    assert abs(sum(r.ratio for r in again.rows) - sum(r.ratio for r in prompt.rows)) < 0.05


@pytest.mark.parametrize("markdown", [
    "- a\n- b\n- c",
    "| h | i |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |",
    "> one\n> — 🎙 1:00\n\n> two\n> — 🎙 2:00",
    "1. a\n2. b\n\n### 예시\n\n- c",
])
def test_chunks_split_and_join_back(markdown: str) -> None:
    assert join_chunks(split_chunks(markdown)) == markdown


def test_a_numbered_spare_takes_the_next_number() -> None:
    assert add_chunk("1. a\n2. b", "1. c") == "1. a\n2. b\n3. c"
    assert add_chunk("> q\n> — 🎙 1:00", "> r\n> — 🎙 2:00") == "> q\n> — 🎙 1:00\n\n> r\n> — 🎙 2:00"


def test_render_with_refit_renders_at_most_twice(planned: Prompt) -> None:
    choice = _with_spare(planned)
    seen: list[Prompt] = []

    def sparse_every_time(prompt: Prompt) -> Measured:
        seen.append(prompt)
        return _report(prompt, **{choice.panel: {"fill": 0.3, "body_pt": 14.0}})

    render_with_refit(sparse_every_time, planned)
    assert len(seen) == 2 and seen[1].plan is not None and seen[1].plan.refits == 1
    seen.clear()

    def fits(prompt: Prompt) -> Measured:
        seen.append(prompt)
        return _report(prompt)

    render_with_refit(fits, planned)
    assert seen == [planned]


def test_a_planned_chapter_measures_at_least_60_percent_full_after_refit(sheet_browser: object,
                                                                        tmp_path: Path) -> None:
    from nanosheet.export import SheetBrowser
    from nanosheet.pipeline import Options, render_file

    assert isinstance(sheet_browser, SheetBrowser)
    # A short talk: the first plan leaves a sparse example beside its notes and a tall takeaways strip.
    done = render_file(CHAPTERS / "warp-full-overview.md", tmp_path, capture=sheet_browser,
                       options=Options.checked(["pdf"], 96))
    report = done.report
    # Rows now grow their drawings and spacing in the page (rows.js), so the first plan may already fit;
    # either way at most one refit, and the outcome below is what counts.
    assert report["planned"] and report["plan"]["refits"] <= 1
    panels = [p for p in report["panels"] if p["row"] != 0]
    assert len(panels) >= 4
    assert all(0.6 <= p["fill"] <= 1.0 for p in panels), [(p["id"], p["fill"]) for p in panels]
    assert not report["overflow"] and all(p["body_pt"] >= 9 for p in panels)
    assert all(p["fill"] <= 1.0 and isinstance(p["fill"], float) for p in report["panels"])


def test_a_refit_whose_page_is_worse_is_not_kept() -> None:
    from nanosheet.model import Measured
    from nanosheet.plan.refit import fit_faults, refit_helped

    def page(fill: float, left_out: list[str]) -> Measured:
        panel = {"id": "r1p1", "row": 1, "box_mm": [0, 0, 90, 40], "font_pt": 10, "body_pt": 10, "fill": fill,
                 "left_out": left_out}
        return Measured.model_validate({"rows": [], "panels": [panel]})

    sparse, cut = page(0.5, []), page(0.9, ["a table"])
    assert fit_faults(sparse) == (0, 1) and fit_faults(cut) == (2, 0)
    assert not refit_helped(sparse, cut)  # content left out is worse than a sparse panel
    assert refit_helped(cut, sparse) and refit_helped(sparse, page(0.8, []))
