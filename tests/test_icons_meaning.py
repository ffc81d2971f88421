"""Icons by meaning: the concept table picks what a reviewer accepts for the shared sheets' titles."""

from __future__ import annotations

from pathlib import Path

import emoji
import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.icons import choose_icon, cldr_icon, concept_icon, concept_table
from nanosheet.ingest import read_prompt

REVIEWED = Path(__file__).parent / "fixtures" / "icons_reviewed.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = sorted((SHARED / "examples" / "prompts").glob("*.md")) + sorted((SHARED / "seed").glob("*.txt"))


def _reviewed() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for raw in REVIEWED.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            label, icons = raw.split("\t")
            out[label] = set(icons.split())
    return out


def _acceptance(pick: object) -> float:
    reviewed = _reviewed()
    assert callable(pick)
    return sum(1 for label, ok in reviewed.items() if pick(label) in ok) / len(reviewed)


def test_reviewed_fixture_covers_every_title_and_branch_of_the_shared_sheets() -> None:
    reviewed = _reviewed()
    labels = set()
    for path in INPUTS:
        sheet = compose_sheet(read_prompt(path))
        for row in sheet.rows[1:]:
            for panel in row.panels:
                labels.add(panel.title)
                labels.update(n.label for b in [*panel.blocks, *panel.extra] if b.type == "mindmap"
                              for n in getattr(b, "children", []))
    assert labels <= set(reviewed), sorted(labels - set(reviewed))
    assert len(reviewed) >= 60


def test_chosen_icons_are_accepted_by_a_reviewer() -> None:
    after, before = _acceptance(choose_icon), _acceptance(cldr_icon)
    print(f"\nicon acceptance on {len(_reviewed())} reviewed titles: concept table {after:.1%}, "
          f"CLDR keywords alone {before:.1%}")
    assert after >= 0.9
    assert after > before


@pytest.mark.parametrize(("label", "wanted", "not_this"), [
    ("Test-Time Training", {"📈", "🏋️"}, "🚂"),
    ("MULTIMODAL", {"🖼️", "🎧"}, "📼"),
    ("Training", {"🏋️", "📈"}, "🚂"),
    ("멀티모달 입력", {"🖼️", "📥"}, "📼"),
    ("Reinforcement Learning", {"🎯"}, ""),
    ("안전과 정렬", {"🛡️"}, ""),
])
def test_course_terms_get_their_concept_icon(label: str, wanted: set[str], not_this: str) -> None:
    assert choose_icon(label) in wanted and choose_icon(label) != not_this


def test_concept_table_is_well_formed() -> None:
    table = concept_table()
    keys = [key for key, _, _, _ in table]
    assert len(set(icon for _, icon, _, _ in table)) >= 140 and len(keys) >= 600
    assert len(keys) == len(set(keys)), "a key names one concept"
    fully = emoji.STATUS["fully_qualified"]
    assert all(emoji.EMOJI_DATA.get(icon, {}).get("status") == fully for _, icon, _, _ in table)
    # Both languages are keys: a Korean title finds its concept as an English one does.
    assert concept_icon("토큰화와 철자") == concept_icon("Tokenization") == "🔤"


def test_unknown_label_falls_back_to_cldr() -> None:
    assert choose_icon("Strawberry Jam Recipes") == "🍓"  # a table concept, found inside a longer title
    assert concept_icon("Zebra Crossing") is None and choose_icon("Zebra Crossing") == cldr_icon("Zebra Crossing")
