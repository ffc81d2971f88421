"""Page orientation: phrases, negations, conflicts between statements, the CLI override."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.errors import InputError
from nanosheet.ingest.page import detect_page, read_clause
from nanosheet.ingest.sections import split_sections

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"


def _page(text: str, override: str | None = None) -> tuple[str, str, list[tuple[str, int | None]]]:
    sections, _ = split_sections(text, "t.md")
    page, diags = detect_page(sections, "t.md", override=override)
    return page.orientation, page.orientation_source, [(d.code, d.line) for d in diags]


def _corpus(name: str) -> tuple[str, str, list[tuple[str, int | None]]]:
    return _page((PROMPTS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("clause", "orientation"), [
    ("가로 A4 한 장 분량의 치트시트", "landscape"),
    ("A4 가로 방향", "landscape"),
    ("Landscape", "landscape"),
    ("16:9 가로형 (Landscape) 레이아웃", "landscape"),
    ("가로세로 비율: 16:9", "landscape"),
    ("세로(Portrait) 방향은 사용하지 마세요", "landscape"),
    ("Do not use portrait", "landscape"),
    ("portrait is not allowed", "landscape"),
    ("Portrait가 아닌 가로 A4", "landscape"),
    ("세로 A4", "portrait"),
    ("A4 portrait", "portrait"),
    ("9:16 세로형", "portrait"),
    ("가로 방향은 금지", "portrait"),
    ("avoid landscape", "portrait"),
    ("A4 한 장 분량", "portrait"),
])
def test_clause_orientation(clause: str, orientation: str) -> None:
    statement = read_clause(clause, 1)
    assert statement is not None and statement.orientation == orientation


@pytest.mark.parametrize("clause", ["가로세로 비율", "표의 가로축", "3:16:9 timestamp", "plain text about cats"])
def test_clauses_that_say_nothing_about_the_page(clause: str) -> None:
    assert read_clause(clause, 1) is None


def test_strength_ordering() -> None:
    weak, word, page_word, negation = (read_clause(c, 1) for c in
                                       ("A4 한 장", "Landscape", "가로 A4", "세로 방향은 사용하지 마세요"))
    assert weak and word and page_word and negation
    assert weak.strength < word.strength < page_word.strength == negation.strength


def test_no_request_means_default_portrait() -> None:
    assert _page("# Role Definition\nYou draw.\n# Instructions\n1. 깔끔하게\n") == ("portrait", "default", [])


def test_image_request_outweighs_an_equal_statement_elsewhere() -> None:
    text = "# Instructions\n- Landscape layout\n\n## 이미지 생성 요청\n세로형으로 만들어주세요.\n"
    orientation, source, diags = _page(text)
    assert orientation == "portrait" and "line 5" in source
    assert diags == [("orientation-conflict", 2)]


def test_source_text_is_not_read_for_orientation() -> None:
    text = "# Source Text\nThe slide was landscape 16:9.\n# Instructions\nA4 한 장\n"
    assert _page(text)[0] == "portrait"


def test_cli_override_wins_and_is_validated() -> None:
    text = "## 이미지 생성 요청\n가로 A4 한 장\n"
    assert _page(text, override="portrait")[:2] == ("portrait", "cli")
    assert _page(text, override="LANDSCAPE")[:2] == ("landscape", "cli")
    with pytest.raises(InputError, match="orientation"):
        _page(text, override="sideways")


def test_tokenization_asks_for_landscape() -> None:
    orientation, source, diags = _corpus("tokenization-spelling-cheatsheet-prompt.md")
    assert orientation == "landscape" and "가로 A4" in source and "line 141" in source
    assert diags == []


def test_honesty_conflict_is_a_warning_and_landscape_wins() -> None:
    orientation, source, diags = _corpus("honesty-personas-metaphors-cheatsheet-prompt.md")
    assert orientation == "landscape" and "line 302" in source
    # Both plain "A4 한 장" requests (prompt intro and image request) are overruled.
    assert diags == [("orientation-conflict", 15), ("orientation-conflict", 292)]


def test_activeprompt_has_no_request_and_stays_portrait() -> None:
    assert _corpus("activeprompt-cheatsheet-prompt.md") == ("portrait", "default", [])


@pytest.mark.parametrize("name", ["gpt2-training-inference-cheatsheet-prompt.md", "grand-summary-cheatsheet-prompt.md",
                                  "where-to-find-llms-cheatsheet-prompt.md", "fewshot-cheatsheet-prompt.md",
                                  "how-openai-uses-codex-cheatsheet-prompt.md"])
def test_plain_a4_or_nothing_is_portrait(name: str) -> None:
    assert _corpus(name) == ("portrait", "default", [])
