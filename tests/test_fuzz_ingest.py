"""Fuzz: mutated real prompts either parse or raise InputError — never another exception."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_mutations import MUTATIONS, mutate
from nanosheet.errors import InputError
from nanosheet.ingest import read_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = [*sorted((SHARED / "examples" / "prompts").glob("*.md")), SHARED / "seed" / "000_56a30bed481ece40.txt"]
DATA = [p.read_bytes() for p in INPUTS]


def _read(data: bytes) -> str:
    """``parsed`` or ``rejected`` (an InputError with a message); any other exception fails the test."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_bytes(data)
        try:
            prompt = read_prompt(path)
        except InputError as exc:
            assert exc.describe()  # a message, with a place when one is known
            return "rejected"
        assert prompt.title
        if not prompt.auto_layout:
            assert sum(r.ratio for r in prompt.rows) == pytest.approx(100, abs=0.1)
        return "parsed"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(DATA) - 1), seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 3))
def test_mutated_prompts_parse_or_fail_cleanly(index: int, seed: int, rounds: int) -> None:
    assert _read(mutate(DATA[index], random.Random(seed), rounds)) in {"parsed", "rejected"}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_on_each_prompt(mutation: object) -> None:
    rng = random.Random(20260126)
    outcomes = [_read(mutation(data, rng)) for data in DATA]  # type: ignore[operator]
    assert len(outcomes) == len(DATA)


@given(st.text(alphabet=st.sampled_from(list("#*-|`~ \n┌┐└┘├┤│─가🍌1.%()배치 비율A4")), max_size=400))
@settings(max_examples=150, deadline=None)
def test_random_prompt_like_text(text: str) -> None:
    assert _read(text.encode("utf-8")) in {"parsed", "rejected"}
