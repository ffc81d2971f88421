"""plan on the 15 shared chapters: cheat-sheet shape, note style, and the written plan reads back the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nanosheet.backends.blocktext import block_lines
from nanosheet.ingest import read_prompt
from nanosheet.model import Prompt
from nanosheet.plan import plan_if_needed, plan_prompt
from nanosheet.plan.notes import is_formal, sentences
from nanosheet.promptgen import round_trip_differences, write_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared" / "examples"
CHAPTERS = sorted((SHARED / "chapters").glob("*.md"))


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.stem)
def planned(request: pytest.FixtureRequest) -> Prompt:
    return plan_prompt(read_prompt(request.param))


def test_plan_has_four_to_eight_panels_and_a_diagram(planned: Prompt) -> None:
    panels = [p for row in planned.rows[1:] for p in row.panels]
    assert 4 <= len(panels) <= 8
    assert planned.rows[0].kind == "title" and abs(sum(r.ratio for r in planned.rows) - 100) < 0.5
    blocks = [b for s in planned.sections if s.kind == "content" for b in s.blocks]
    assert any(b.type in ("mindmap", "flow") for b in blocks)
    titles = [p.title for p in panels]
    assert len(set(titles)) == len(titles) and all(len(t.split()) <= 5 for t in titles)


def test_notes_are_short_and_end_in_nouns(planned: Prompt) -> None:
    lines = [line for s in planned.sections if s.kind == "content" for b in s.blocks for line in block_lines(b)]
    assert max(len(line.split()) for line in lines) <= 45
    korean = [s for line in lines for s in sentences(line) if re.search(r"[가-힣]", s)]
    assert sum(map(is_formal, korean)) <= max(1, 0.1 * len(korean))
    words = sum(len(line.split()) for line in lines)
    assert 60 <= words <= 450


def test_plan_says_what_it_chose_and_from_where(planned: Prompt) -> None:
    assert planned.plan is not None and planned.auto_layout
    ids = [p.id for row in planned.rows[1:] for p in row.panels]
    assert [c.panel for c in planned.plan.choices] == ids
    assert all(c.lines for c in planned.plan.choices)


def test_written_plan_reads_back_to_the_same_plan(planned: Prompt) -> None:
    text = write_prompt(planned)
    assert "# Content Details" in text and "| 영역 | 비율 | 내용 | 배치 |" in text
    assert round_trip_differences(planned, text) == []


def test_a_prompt_with_a_wireframe_is_not_planned() -> None:
    prompt = read_prompt(SHARED / "prompts" / "grand-summary-cheatsheet-prompt.md")
    assert plan_if_needed(prompt) is prompt
    chapter = read_prompt(CHAPTERS[0])
    assert plan_if_needed(chapter, enabled=False) is chapter
