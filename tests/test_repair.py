"""Mojibake repair: the seed, the clean example prompts made into mojibake and back, and round-trip properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nanosheet.ingest.choose_symbol import box_arms
from nanosheet.ingest.repair import make_mojibake, repair_mojibake
from nanosheet.model import Repairs

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"
PROMPTS = sorted((SHARED / "examples" / "prompts").glob("*.md"))
CHAPTERS = sorted((SHARED / "examples" / "chapters").glob("*.md"))
LOST = frozenset(b"\x81\x8d\x8e\x8f\x90\x9d\x9e\xad")


def damaged(char: str) -> bool:
    return bool(LOST & set(char.encode("utf-8")))


@pytest.fixture(scope="module")
def seed() -> tuple[str, Repairs]:
    return repair_mojibake(SEED.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the transformation


def test_make_mojibake_is_the_lossy_windows_1254_round() -> None:
    assert make_mojibake("안") == "ì•ˆ"  # EC 95 88, nothing lost
    assert make_mojibake("🍌") == "ğŸŒ"  # F0 9F 8D 8C: 0x8D is undefined in 1254 and dropped
    assert make_mojibake("┐") == "â”"  # E2 94 90: 0x90 dropped
    assert make_mojibake("a\u00adb") == "aÂb"  # C2 AD: 0xAD became a soft hyphen, which was stripped
    assert make_mojibake("ž", codec="windows-1252") == "Å¾"  # C5 BE, 1252 keeps everything here


# --------------------------------------------------------------------------- the seed


@pytest.mark.parametrize("phrase", ["첨부된 이미지는 스타일", "🍌 NANO BANANA CHEAT SHEET", "┐", "→", "멀티모달",
                                    "에이전트", "앞으로의 전망", "🤖 AGENTS", "🖥️ COMPUTER USE"])
def test_seed_is_repaired(seed: tuple[str, Repairs], phrase: str) -> None:
    assert phrase in seed[0]


def test_seed_repairs_are_reported_where_they_are(seed: tuple[str, Repairs]) -> None:
    text, repairs = seed
    assert repairs.mojibake == "windows-1254"
    assert repairs.changed_chars > 1500
    assert len(repairs.recovered) > 200
    lines = text.split("\n")
    for rec in repairs.recovered + repairs.unrecoverable:
        assert lines[rec.line - 1][rec.col - 1] == rec.chosen
        assert rec.chosen == (rec.candidates[0] if rec.candidates else "\ufffd")
    assert text.count("\ufffd") == len(repairs.unrecoverable)
    assert not any(0x80 <= ord(c) <= 0xFF for c in text if c not in "\u00a0·×")  # no mojibake left


def test_seed_wireframe_lines_keep_their_shape(seed: tuple[str, Repairs]) -> None:
    frame = [ln for ln in seed[0].split("\n") if ln.startswith(("┌", "├", "└"))]
    assert len(frame) >= 5
    assert all(ln.endswith(("┐", "┤", "┘")) for ln in frame)


def test_repaired_seed_is_a_preimage_of_the_seed(seed: tuple[str, Repairs]) -> None:
    """Whatever was chosen, it must turn back into exactly the bytes we were given."""
    assert make_mojibake(seed[0]) == SEED.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- clean input and the measure


@pytest.mark.parametrize("path", PROMPTS + CHAPTERS, ids=lambda p: p.name)
def test_clean_examples_are_left_alone(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    repaired, repairs = repair_mojibake(text)
    assert repaired == text
    assert repairs == Repairs()


def test_restores_at_least_9995_per_ten_thousand_of_the_example_prompts() -> None:
    """Every prompt in the shared folder, however many it holds, made into mojibake and repaired."""
    assert PROMPTS, "no example prompts found in ../shared/examples/prompts"
    total = exact = n_damaged = hit = 0
    for path in PROMPTS:
        original = path.read_text(encoding="utf-8")
        repaired, repairs = repair_mojibake(make_mojibake(original))
        assert len(repaired) == len(original), path.name
        assert repairs.unrecoverable == []
        total += len(original)
        for a, b in zip(original, repaired, strict=True):
            exact += a == b
            n_damaged += damaged(a)
            hit += damaged(a) and a == b
    assert exact / total >= 0.9995, f"{exact}/{total} characters exact over {len(PROMPTS)} prompts"
    assert hit / n_damaged >= 0.95, f"damaged characters rebuilt: {hit}/{n_damaged}"


# --------------------------------------------------------------------------- symbols


@pytest.mark.parametrize("text", [
    "┌────┐\n│ 가 │\n└────┘",
    "╔═══╗\n║ x ║\n╚═══╝",
    "❌ 하지 마세요, ❓ 질문",
    "👁️ HUMAN vs MODEL 가나다",
    "“인용”과 ‘작은 인용’",
    "🍌 NANO BANANA 🍌 가나다",
    "🍓 STRAWBERRY 가나다",
    "가나 ← 다 → 가나다 ↓",
])
def test_symbols_are_rebuilt_from_context(text: str) -> None:
    """Each text has damaged symbols and enough intact UTF-8 (가나다) to be recognised as mojibake."""
    assert any(damaged(c) for c in text)
    assert repair_mojibake(make_mojibake(text))[0] == text


def test_box_arms_come_from_unicode_names() -> None:
    assert box_arms("┐") == {"down": "LIGHT", "left": "LIGHT"}
    assert box_arms("┍") == {"down": "LIGHT", "right": "HEAVY"}
    assert box_arms("╾") == {"left": "HEAVY", "right": "LIGHT"}
    assert box_arms("═") == {"left": "DOUBLE", "right": "DOUBLE"}
    assert box_arms("a") == {}


def test_emoji_without_evidence_is_flagged_as_guessed() -> None:
    # 🎯 and 🍯 differ only in the lost byte (8E vs 8D); nothing in the text prefers either.
    _, repairs = repair_mojibake(make_mojibake("🎯 목표와 결과"))
    [rec] = repairs.recovered
    assert {"🎯", "🍯"} <= set(rec.candidates)
    assert rec.guessed


# --------------------------------------------------------------------------- properties

_HANGUL = st.integers(0xAC00, 0xD7A3).map(chr)
_ASCII = st.sampled_from("abcdefghij XYZ 0123 .,:()-*#|")
_EMOJI = st.sampled_from("🍌🎯🎓🤖📌💡⚡🔥✅❌❓🧠🖥👁🏢🌐📝")
_BOX = st.sampled_from("─│┌┐└┘├┤┬┴┼━┃┏┓┗┛═║╔╗╚╝╭╮╯╰")
_ARROWS = st.sampled_from("→←↑↓⇒▶▼◀•…—“”")
_ANY = st.one_of(_HANGUL, _ASCII, _EMOJI, _BOX, _ARROWS, st.just("\n"))
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.text(_ANY.filter(lambda c: not damaged(c)), max_size=200))
def test_text_without_lossy_bytes_round_trips_exactly(text: str) -> None:
    assert repair_mojibake(make_mojibake(text))[0] == text


@_SETTINGS
@given(st.text(_ANY, min_size=1, max_size=200))
def test_repair_is_a_preimage_and_keeps_undamaged_characters(text: str) -> None:
    broken = make_mojibake(text)
    repaired, repairs = repair_mojibake(broken)
    if repairs.mojibake is None:  # too little intact UTF-8 to call it mojibake: must be untouched
        assert repaired == broken
        return
    assert len(repaired) == len(text)
    for a, b in zip(text, repaired, strict=True):
        if not damaged(a):
            assert a == b
    if "\ufffd" not in repaired:
        assert make_mojibake(repaired) == broken


def _real_lines() -> list[str]:
    """Lines with damage and at least as many intact non-ASCII characters (so that the line on its own
    is recognisably mojibake; a lone damaged 🍓 in English text is not)."""
    def intact(line: str) -> int:
        return sum(ord(c) > 0x7F and not damaged(c) for c in line)

    return [ln for p in PROMPTS for ln in p.read_text(encoding="utf-8").splitlines()
            if 1 <= sum(damaged(c) for c in ln) <= intact(ln) and len(ln) >= 20]


@_SETTINGS
@given(st.lists(st.sampled_from(_real_lines()), min_size=1, max_size=6), st.lists(_EMOJI, max_size=3))
@example(["| 비교 | Standard CoT | Active-Prompt |"], ["🍌", "🍌"])  # 1 whole sequence, 3 cut short
def test_real_korean_lines_round_trip_nearly_exactly(lines: list[str], extras: list[str]) -> None:
    """Real prompt lines (Korean words, wireframe pieces) followed by emoji that nothing identifies:
    the lines come back at least 95% exact, the emoji as characters that give back the same bytes."""
    body = "\n".join(lines)
    text = body + " " + "".join(extras)
    repaired, _ = repair_mojibake(make_mojibake(text))
    assert len(repaired) == len(text)
    assert sum(a == b for a, b in zip(body, repaired, strict=False)) / len(body) >= 0.95
    assert make_mojibake(repaired) == make_mojibake(text)


@_SETTINGS
@given(st.lists(st.tuples(st.text(_ANY.filter(lambda c: not damaged(c)), min_size=1, max_size=30),
                          st.text(st.one_of(_HANGUL, _EMOJI), max_size=3)), min_size=1, max_size=8))
def test_a_few_correct_characters_inside_mojibake_survive(parts: list[tuple[str, str]]) -> None:
    """Mostly mojibake with some characters already right (typed in after the damage)."""
    original = "".join(bad + good for bad, good in parts)
    mixed = "".join(make_mojibake(bad) + good for bad, good in parts)
    if not any(ord(c) > 0x7F for bad, _ in parts for c in bad):
        return  # nothing was mojibake
    assert repair_mojibake(mixed)[0] == original
