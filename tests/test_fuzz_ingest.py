"""Fuzz: mutated real prompts either parse or raise InputError — never another exception — and each
outcome is checked: a rejection names the file and a line that exists; a parse invents nothing (its
titles come from the text); damage that leaves valid text (cut, shuffled, lost lines or borders,
stray fences) still parses, and invalid UTF-8 is rejected."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_mutations import MUTATIONS, flip_bytes, mutate
from nanosheet.errors import InputError
from nanosheet.ingest import read_prompt
from nanosheet.ingest.intake import read_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = [*sorted((SHARED / "examples" / "prompts").glob("*.md")), SHARED / "seed" / "000_56a30bed481ece40.txt"]
DATA = [p.read_bytes() for p in INPUTS]


def _read(data: bytes) -> str:
    """``parsed`` or ``rejected`` (an InputError naming the file and one of its lines); any other
    exception, a place outside the file, or a title that is not in the text fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_bytes(data)
        try:
            prompt = read_prompt(path)
        except InputError as exc:
            message = exc.describe()
            assert message.startswith(f"{path}"), message
            if exc.line is not None:
                assert 1 <= exc.line <= data.count(b"\n") + 1, message
            return "rejected"
        text = read_text(path).text  # what ingest read, mojibake repaired
        assert prompt.title == _FALLBACK_TITLE or _words(prompt.title) <= _words(text), prompt.title
        for row in prompt.rows:
            for panel in row.panels:
                assert _words(panel.title) <= _words(text), panel.title
        if not prompt.auto_layout:
            assert sum(r.ratio for r in prompt.rows) == pytest.approx(100, abs=0.1)
        return "parsed"


_FALLBACK_TITLE = "Cheat Sheet"
"""The title ingest gives a prompt that names none (documented in ``ingest._title``)."""


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(DATA) - 1), seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 3))
def test_mutated_prompts_parse_or_fail_cleanly(index: int, seed: int, rounds: int) -> None:
    assert _read(mutate(DATA[index], random.Random(seed), rounds)) in {"parsed", "rejected"}


@pytest.mark.parametrize("mutation", [m for m in MUTATIONS if m is not flip_bytes], ids=lambda m: m.__name__)
def test_damage_that_leaves_valid_text_still_parses(mutation: object) -> None:
    """Cut anywhere, lines reversed or lost, borders missing, fences stray: degraded, never refused."""
    rng = random.Random(20260126)
    for data in DATA:
        broken = mutation(data, rng)  # type: ignore[operator]
        if broken.strip():
            assert _read(broken) == "parsed"


@pytest.mark.parametrize("seed", range(6))
def test_flipped_bits_are_rejected_exactly_when_the_bytes_are_not_utf8(seed: int) -> None:
    rng = random.Random(seed)
    for data in DATA:
        broken = flip_bytes(data, rng)
        outcome = _read(broken)
        if not _valid_utf8(broken):
            assert outcome == "rejected"


@given(st.text(alphabet=st.sampled_from(list("#*-|`~ \n┌┐└┘├┤│─가🍌1.%()배치 비율A4")), max_size=400))
@settings(max_examples=150, deadline=None)
def test_random_prompt_like_text(text: str) -> None:
    assert _read(text.encode("utf-8")) in {"parsed", "rejected"}
