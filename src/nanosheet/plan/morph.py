"""Text in, its Kiwi morphemes out (typed, analysed once and cached per sentence), plus the shared Kiwi loader.

Kiwi is the slow part of the note pass, so a chapter is analysed block by block, once, with Kiwi's own
sentence split (``tokenize(split_sents=True)`` gives the sentences and their morphemes in one pass); each
sentence's morphemes are kept, and ranking, note style and splitting all read them from here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from nanosheet.ingest.choose_hangul import _kiwi

HANGUL_FIRST, HANGUL_LAST = "\uac00", "\ud7a3"
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
CODE_TAG = "SL"
"""A code span (`` `CLAUDE.md` ``) is one morpheme, tagged as a foreign word: a term, never split."""
_CACHE_LIMIT = 50_000
_cache: dict[str, tuple[Morph, ...]] = {}


def kiwi() -> Any:
    """The process-wide Kiwi: the same object ingest's Hangul repair loads (it costs seconds to load)."""
    return _kiwi()


class Morph(NamedTuple):
    """One morpheme of an analysed text."""

    form: str
    """The morpheme as Kiwi's dictionary spells it (``ᆸ니다``, ``만들``), not the surface; a code span as written."""
    tag: str
    """Sejong-style tag: ``NNG`` noun, ``SL`` foreign letters, ``EF`` final ending, ``VCP`` copula…"""
    start: int
    """Offset of its surface in the analysed text (characters)."""
    end: int
    """End offset; contracted morphemes overlap (``만들``+``ᆸ니다`` is the surface ``만듭니다``)."""


def morphs(text: str) -> tuple[Morph, ...]:
    """Kiwi's best analysis of ``text``, from the cache when a chapter pass has analysed it already."""
    found = _cache.get(text)
    if found is None:
        found = _remember(text, _from_tokens(text, kiwi().tokenize(mask_code(text)), 0))
    return found


@lru_cache(maxsize=8192)
def analyse_block(block: str) -> tuple[tuple[int, int, tuple[Morph, ...]], ...]:
    """Kiwi's sentences of one prose block as (start, end, morphemes), offsets relative to ``block``."""
    return tuple((tokens[0].start, tokens[-1].start + tokens[-1].len, _from_tokens(block, tokens, 0))
                 for tokens in kiwi().tokenize(mask_code(block), split_sents=True) if tokens)


def remember(text: str, ms: tuple[Morph, ...]) -> tuple[Morph, ...]:
    """Keep ``ms`` as the analysis of ``text`` (offsets relative to ``text``)."""
    return _remember(text, ms)


def _remember(text: str, ms: tuple[Morph, ...]) -> tuple[Morph, ...]:
    if len(_cache) >= _CACHE_LIMIT:  # a long batch: start afresh rather than grow without bound
        _cache.clear()
    _cache[text] = ms
    return ms


def clear_cache() -> None:
    """Forget every analysis (for benchmarks that time a cold pass)."""
    _cache.clear()
    analyse_block.cache_clear()


def mask_code(text: str) -> str:
    """``text`` with each code span replaced by as many x's: Kiwi then sees one foreign word (a backtick or a
    dot inside a span misleads its analysis and its sentence split) and its offsets still fit ``text``."""
    chars = list(text)
    for m in CODE_SPAN.finditer(text):
        chars[m.start():m.end()] = "x" * (m.end() - m.start())
    return "".join(chars)


def _from_tokens(text: str, tokens: Any, base: int) -> tuple[Morph, ...]:
    """Kiwi tokens -> morphemes with offsets from ``base``; the tokens of a code span become the span itself."""
    spans = [m.span() for m in CODE_SPAN.finditer(text)]
    out: list[Morph] = []
    taken: set[int] = set()
    for t in tokens:
        start, stop = t.start, t.start + t.len
        span = next((s for s in spans if s[0] <= start < s[1]), None)
        if span is None:
            out.append(Morph(t.form, t.tag, start - base, stop - base))
        elif span[0] not in taken:
            taken.add(span[0])
            out.append(Morph(text[span[0]:span[1]], CODE_TAG, span[0] - base, span[1] - base))
    return tuple(out)


def join(parts: list[tuple[str, str]]) -> str:
    """Morphemes back to surface text, with Kiwi choosing allomorphs and contractions (만들+음 -> 만듦)."""
    return _join(tuple(parts))


@lru_cache(maxsize=4096)
def _join(parts: tuple[tuple[str, str], ...]) -> str:
    return str(kiwi().join(list(parts)))


def hangul_syllables(text: str) -> int:
    """How many precomposed Hangul syllables ``text`` holds (the unit a cheat-sheet line is measured in)."""
    return sum(HANGUL_FIRST <= c <= HANGUL_LAST for c in text)


def is_noun(tag: str) -> bool:
    """Tags that name things: common/proper nouns and foreign (English) words."""
    return tag in ("NNG", "NNP", "SL")
