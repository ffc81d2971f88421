"""A sentence in, its Kiwi morphemes out (typed, cached per sentence), plus the shared Kiwi loader."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from nanosheet.ingest.choose_hangul import _kiwi

HANGUL_FIRST, HANGUL_LAST = "\uac00", "\ud7a3"


def kiwi() -> Any:
    """The process-wide Kiwi: the same object ingest's Hangul repair loads (it costs seconds to load)."""
    return _kiwi()


class Morph(NamedTuple):
    """One morpheme of an analysed sentence."""

    form: str
    """The morpheme as Kiwi's dictionary spells it (``ᆸ니다``, ``만들``), not the surface text."""
    tag: str
    """Sejong-style tag: ``NNG`` noun, ``SL`` foreign letters, ``EF`` final ending, ``VCP`` copula…"""
    start: int
    """Offset of its surface in the analysed text (characters)."""
    end: int
    """End offset; contracted morphemes overlap (``만들``+``ᆸ니다`` is the surface ``만듭니다``)."""


@lru_cache(maxsize=8192)
def morphs(text: str) -> tuple[Morph, ...]:
    """Kiwi's best analysis of ``text``; cached because a chapter's sentences are analysed by several passes."""
    return tuple(Morph(t.form, t.tag, t.start, t.start + t.len) for t in kiwi().tokenize(text))


def join(parts: list[tuple[str, str]]) -> str:
    """Morphemes back to surface text, with Kiwi choosing allomorphs and contractions (만들+음 -> 만듦)."""
    return str(kiwi().join(parts))


def hangul_syllables(text: str) -> int:
    """How many precomposed Hangul syllables ``text`` holds (the unit a cheat-sheet line is measured in)."""
    return sum(HANGUL_FIRST <= c <= HANGUL_LAST for c in text)


def is_noun(tag: str) -> bool:
    """Tags that name things: common/proper nouns and foreign (English) words."""
    return tag in ("NNG", "NNP", "SL")
