"""Choosing among candidates for a damaged character: CLDR keyword evidence for emoji, the document's own
vocabulary for Hangul, on the seed and on small synthetic mojibake."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from nanosheet.assets import node_modules
from nanosheet.errors import ConfigError
from nanosheet.ingest import emoji_keywords
from nanosheet.ingest.draft import Draft, Gap
from nanosheet.ingest.emoji_keywords import cldr_keywords, context_words, stem, words
from nanosheet.ingest.priors import symbol_log_prior, use_table
from nanosheet.ingest.repair import make_mojibake, repair_mojibake
from nanosheet.model import Repairs

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_56a30bed481ece40.txt"


@pytest.fixture(scope="module")
def seed() -> tuple[str, Repairs]:
    return repair_mojibake(SEED.read_text(encoding="utf-8"))


def _round_trip(text: str) -> str:
    return repair_mojibake(make_mojibake(text))[0]


# --------------------------------------------------------------------------- the seed


def test_seed_panel_icon_is_the_artist_palette(seed: tuple[str, Repairs]) -> None:
    """🎨/🍨 differ only in the lost byte; the transcript says the models will "see and paint"."""
    text, repairs = seed
    assert text.split("\n")[90].startswith("│  │ 🎨 MULTIMODAL")
    assert "🍨" not in text
    [rec] = [r for r in repairs.recovered if (r.line, r.col) == (91, 6)]
    assert rec.candidates[:2] == ["🎨", "🍨"]
    assert not rec.guessed


def test_seed_ratio_table_reads_upper_middle(seed: tuple[str, Repairs]) -> None:
    """상/생 differ only in the lost byte; ``상단`` is in the same table, ``중생`` nowhere."""
    assert "| 중상단 | 25% |" in seed[0]
    assert "중생단" not in seed[0]


# --------------------------------------------------------------------------- emoji keywords


@pytest.mark.parametrize(("text", "emoji"), [
    ("🎯 목표 설정\n모든 팀이 같은 target 을 본다. 가나다", "🎯"),  # 🍯 honey pot
    ("🍓 철자 세기\n모델은 strawberry 의 r 개수를 틀린다. 가나다", "🍓"),  # 🎓 graduation cap
    ("🎓 졸업 요건\n졸업식 전에 논문을 낸다. 가나다", "🎓"),  # Korean keyword 졸업식
    ("🎨 MULTIMODAL 가나다\n\n## 전사\n\nthey can see and they are painting pictures", "🎨"),  # stemmed
    ("🏢 회사 소개 가나다\n본사 건물 과 사무실 위치", "🏢"),  # 🍢 oden
])
def test_damaged_emoji_follows_its_keywords(text: str, emoji: str) -> None:
    assert any(b in emoji.encode() for b in b"\x8d\x8e\x8f\x90\x9d")  # really damaged
    assert _round_trip(text) == text


def test_nearby_keywords_outweigh_the_rest_of_the_document() -> None:
    far = "\n".join(f"문단 {i} 내용" for i in range(20))
    text = f"## 목표\n🎯 이번 분기 가나다\n이번 target 은 하나\n\n## 기타\n{far}\nhoney 이야기"
    assert _round_trip(text) == text


def test_an_emoji_without_evidence_is_still_a_guess() -> None:
    _, repairs = repair_mojibake(make_mojibake("🎯 목표와 결과"))
    [rec] = repairs.recovered
    assert rec.guessed


@pytest.fixture
def no_node_modules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """As if ``npm ci`` had not run (or nanosheet were an installed wheel); cached lookups cleared around it."""
    monkeypatch.setenv("NANOSHEET_NODE_MODULES", str(tmp_path))
    node_modules.cache_clear()
    cldr_keywords.cache_clear()
    yield
    node_modules.cache_clear()
    cldr_keywords.cache_clear()


@pytest.mark.usefixtures("no_node_modules")
def test_without_node_modules_the_seed_still_repairs_to_the_palette() -> None:
    """The keyword table is package data: hiding node_modules changes nothing (it used to turn 🎨 into 🍨)."""
    text, repairs = repair_mojibake(SEED.read_text(encoding="utf-8"))
    assert text.split("\n")[90].startswith("│  │ 🎨 MULTIMODAL")
    [rec] = [r for r in repairs.recovered if (r.line, r.col) == (91, 6)]
    assert not rec.guessed
    assert _round_trip("🎨 그림 그리기 painting 가나다").startswith("🎨")


def test_a_missing_keyword_table_is_a_config_error_naming_make_setup(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(emoji_keywords, "table_path", lambda: tmp_path / "gone.json.gz")
    cldr_keywords.cache_clear()
    try:
        with pytest.raises(ConfigError, match="gone.json.gz is not found") as info:
            repair_mojibake(make_mojibake("🎨 그림 그리기 painting 가나다"))
        assert "make setup" in str(info.value)
        (tmp_path / "gone.json.gz").write_bytes(b"not gzip")
        with pytest.raises(ConfigError, match="unreadable"):
            cldr_keywords()
    finally:
        cldr_keywords.cache_clear()


def test_the_keyword_table_is_built_from_the_npm_package_byte_for_byte(tmp_path: Path) -> None:
    """The generator repeats its bytes (no gzip timestamp) and the shipped table is what it builds now."""
    tool = _load_tool()
    first = tool.build_cldr(node_modules(), tmp_path / "a")
    second = tool.build_cldr(node_modules(), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes() == emoji_keywords.table_path().read_bytes()
    assert (tmp_path / "a" / "LICENSE-cldr.txt").read_text(encoding="utf-8").startswith("UNICODE LICENSE V3")


def _load_tool() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "tools" / "build_package_data.py"
    spec = importlib.util.spec_from_file_location("build_package_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cldr_keywords_are_read_in_both_languages() -> None:
    keywords = cldr_keywords()
    assert {"paint", "palette", "그림"} <= keywords.of["🎨"]
    assert {"strawberry", "딸기"} <= keywords.of["🍓"]
    assert "table tennis" in keywords.of["🏓"]  # phrases stay whole: "table" alone says nothing
    assert keywords.weight["strawberry"] > keywords.weight["open"]  # 28 brackets and arrows are "open"


@pytest.mark.parametrize(("word", "expected"), [
    ("painting", "paint"), ("paints", "paint"), ("painted", "paint"), ("images", "image"), ("image", "image"),
    ("strawberries", "strawberry"), ("glass", "glass"), ("ping", "ping"), ("file", "file"),
])
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_words_count_phrases_and_strip_korean_particles() -> None:
    found = words("Table tennis tables, 그림을 그린다")
    assert found["table tennis"] == 1
    assert found["table"] == 2
    assert found["그림"] == 1 and found["그림을"] == 1


def test_a_wireframe_cell_speaks_only_for_its_own_panel() -> None:
    draft = Draft("┌──────────┐ ┌──────────┐\n"
                  "│ X ARTIST │ │ Y HONEY  │\n"
                  "│ paint    │ │ sweet    │\n"
                  "└──────────┘ └──────────┘\n"
                  "strawberry")
    gap = Gap(line=1, col=2, candidates=("🎨",))
    line, section, document = context_words(draft, gap, words(draft.text()))
    assert set(line[0]) == {"artist"}
    assert set(section[0]) == {"artist", "paint"}
    assert document[0]["strawberry"] == 1 and document[0]["honey"] == 1
    assert line[1] > section[1] > document[1]


# --------------------------------------------------------------------------- Hangul: the document's vocabulary


def test_a_close_call_takes_the_spelling_the_document_uses_elsewhere() -> None:
    table = "| 영역 | 비율 |\n|---|---|\n| 상단 | 10% |\n| 중상단 | 25% |\n| 중단 | 40% |\n| 하단 | 25% |"
    assert _round_trip(table) == table


# --------------------------------------------------------------------------- the genre prior


@pytest.mark.parametrize(("likely", "rare"), [
    ("🎯", "🍯"), ("🎓", "📐"), ("🎓", "🍓"), ("📝", "📭"), ("🔍", "🔐"), ("🏢", "🍢"), ("🎭", "🏭"),
    ("🎨", "🍨"), ("═", "╁"), ("─", "╁"), ("┐", "┒"),
])
def test_the_genre_prior_ranks_technical_symbols_first(likely: str, rare: str) -> None:
    assert symbol_log_prior(likely) > symbol_log_prior(rare)


def test_the_prior_sees_emoji_without_their_variation_selector() -> None:
    assert symbol_log_prior("⚠\ufe0f") == symbol_log_prior("⚠")


def test_the_prior_was_built_without_the_held_out_chapters() -> None:
    table = json.loads(resources.files("nanosheet.ingest").joinpath("repair_priors.json").read_text("utf-8"))
    chapters = {p.name for p in (SEED.parents[1] / "examples" / "chapters").glob("*.md")}
    assert chapters and not chapters & set(table["genre_files"])


@pytest.mark.parametrize("text", [
    "🎯 목표와 결과",  # 🍯 honey pot: nothing in the text prefers either
    "🔍 검색 결과 가나다",  # 🔐 locked with key
    "## 🎓 요약 정리\n가나다",  # 📐 triangular ruler, 🍓 strawberry
])
def test_an_emoji_without_evidence_takes_the_genre_prior_but_stays_a_guess(text: str) -> None:
    repaired, repairs = repair_mojibake(make_mojibake(text))
    assert repaired == text
    assert any(r.guessed for r in repairs.recovered if not "\uac00" <= r.chosen <= "\ud7a3")


def test_a_lone_double_rule_beside_text_is_not_a_mixed_join() -> None:
    """``═`` and ``╁`` differ in the lost byte; beside text, geometry says nothing."""
    text = "가나다 ═ 요약 ═ 라마바"
    assert _round_trip(text) == text


def test_a_border_over_a_row_padded_by_eye_stays_a_double_rule() -> None:
    """The ``║`` of the row drift off the ``╦`` above (Hangul counted one cell wide): they are no
    evidence for a mixed-weight ``╁`` in the border, and the last ``╝`` still closes what ``╚`` opened."""
    text = "╔════════╦══════╗\n║ 질의 모양 ║ 사용함 ║\n╚════════╩══════╝\n가나다 라마 바사"
    assert _round_trip(text) == text


def test_a_damaged_syllable_is_measured_two_cells_wide_until_filled() -> None:
    """Symbols are decided before Hangul, so a hole for a syllable must not shift the ``║`` after it."""
    draft = Draft("║ \ufffd ║")
    assert draft.column_of(0, 4) == 4  # a hole of unknown width counts one cell
    draft.wide.add((0, 2))
    assert draft.column_of(0, 4) == 5
    assert draft.char_at_column(0, 5) == "║"
    assert draft.arrived(0) == "║ \u3000 ║"


def test_a_border_line_ends_the_way_it_began() -> None:
    text = "╔═════╗\n║ 가나다 ║\n╚═════╝"
    assert _round_trip(text) == text


# --------------------------------------------------------------------------- Hangul: one spelling per document

_ODD_CONTEXT = "그래서 대부분의 시스템은 샘플링, 즉 트레이스의 일정 비율만 수집합니다."


@pytest.fixture
def kiwi_alone() -> Iterator[None]:
    """Kiwi without the genre's syllable trigram, which would decide some of these words by itself."""
    table = json.loads(resources.files("nanosheet.ingest").joinpath("repair_priors.json").read_text("utf-8"))
    with use_table({**table, "hangul": {}}):
        yield


def test_alone_the_odd_context_misleads_the_language_model(kiwi_alone: None) -> None:
    """Kiwi reads ``시스템은 샘플말`` (sample + speech) here; the test below needs this to be so."""
    assert _round_trip(_ODD_CONTEXT) != _ODD_CONTEXT


def test_a_long_word_damaged_alike_is_spelt_alike_throughout(kiwi_alone: None) -> None:
    text = f"{_ODD_CONTEXT}\n샘플링 전략을 고른다.\n헤드 기반 샘플링 여부를 정한다."
    assert _round_trip(text) == text


def test_the_genre_trigram_reads_the_odd_context_right_by_itself() -> None:
    """The genre corpora spell ``샘플링`` four times and ``샘플말`` never, which outweighs Kiwi's reading."""
    assert _round_trip(_ODD_CONTEXT) == _ODD_CONTEXT


def test_a_word_followed_by_a_damaged_word_is_decided_with_it() -> None:
    """``각`` alone loses to ``감``; with ``이슈를`` (its ``이`` damaged too) after it, it wins."""
    text = "Claude에게 각 이슈를 살펴보게 합니다."
    assert _round_trip(text) == text


def test_a_syllable_pair_is_not_pruned_on_its_first_half() -> None:
    """``많`` then ``은`` are both damaged; ``많`` alone is a bare verb stem that a beam would drop."""
    text = "Anthropic의 많은 엔지니어가 일한다."
    assert _round_trip(text) == text
