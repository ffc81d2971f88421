"""A symbol or a Hangul string in, its genre prior out: how likely it is in technical Korean Markdown.

The table (``repair_priors.json``, built by ``tools/build_repair_priors.py``) counts symbols in
cheat-sheet prompts and our own Markdown, smoothed with general emoji usage, so ``🎯`` is far likelier
than ``🍯`` and ``═`` than ``╁`` when the document itself says nothing. Emoji are looked up without
their variation selector; a symbol the table does not list gets the share of an unseen symbol, less
for a box-drawing glyph that mixes line weights. For Hangul it holds syllable pair and triple counts
(runs of syllables bounded by ``#``) from the same files and from technical Korean installed on the
build machine, read as a trigram model backing off to pairs and syllables (``hangul_log_prob``). The
bench swaps in a table rebuilt without the prompt it measures (``use_table``).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

_WEIGHTS = ("LIGHT", "HEAVY", "DOUBLE", "SINGLE")


_BOUNDARY = "#"
_SYLLABLES = 11172
_override: list[_Table] = []


@dataclass(frozen=True)
class _Table:
    symbols: dict[str, float]
    other: float
    box_mixed: float
    syllables: Mapping[str, int]
    """Count of each syllable (and of ``#``) as the left half of a pair."""
    pairs: Mapping[str, int]
    triples: Mapping[str, int]
    smoothing: float
    total: int

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> _Table:
        hangul = raw.get("hangul", {})
        syllables = {str(k): int(v) for k, v in hangul.get("syllables", {}).items()}
        return cls({str(k): float(v) for k, v in raw["symbols"].items()}, float(raw["other"]),
                   float(raw["box_mixed"]), syllables, _ints(hangul.get("pairs", {})), _ints(hangul.get("triples", {})),
                   float(hangul.get("smoothing", 10.0)), sum(syllables.values()))


def _ints(raw: Mapping[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def _packaged() -> _Table:
    raw = json.loads(resources.files("nanosheet.ingest").joinpath("repair_priors.json").read_text("utf-8"))
    return _Table.of(raw)


def _table() -> _Table:
    return _override[-1] if _override else _packaged()


@contextmanager
def use_table(raw: Mapping[str, Any]) -> Iterator[None]:
    """Use ``raw`` (a table as ``tools/build_repair_priors.py`` builds it) instead of the packaged one,
    within the block: the bench measures each tuning prompt with priors built without it."""
    _override.append(_Table.of(raw))
    try:
        yield
    finally:
        _override.pop()


def symbol_log_prior(char: str) -> float:
    """Natural log of the symbol's probability among the symbols of technical Markdown."""
    table = _table()
    base = char.replace("\ufe0f", "") or char
    if base in table.symbols:
        return table.symbols[base]
    return table.box_mixed if _mixes_weights(base) else table.other


def _mixes_weights(char: str) -> bool:
    name = unicodedata.name(char, "") if len(char) == 1 else ""
    if not name.startswith("BOX DRAWINGS "):
        return False
    return len({w for w in name.split() if w in _WEIGHTS}) > 1


def hangul_log_prob(text: str) -> float:
    """Natural log of the Hangul of ``text`` under the genre's syllable trigram: each run of syllables
    from its start to its end, whatever else stands between runs counting as one boundary."""
    table = _table()
    if not table.total:
        return 0.0
    total = 0.0
    before = prev = _BOUNDARY
    for char in [*text, _BOUNDARY]:
        cur = char if "\uac00" <= char <= "\ud7a3" else _BOUNDARY
        if cur == _BOUNDARY == prev:
            continue
        total += math.log(_next_prob(table, before, prev, cur))
        before, prev = prev, cur
    return total


def _next_prob(table: _Table, before: str, prev: str, cur: str) -> float:
    """P(cur | before, prev): the triple's count smoothed towards the pair's probability, which is in
    turn smoothed towards cur's own (add-half) frequency. A run's first syllable has only the boundary
    before it, so it is read from the pair alone."""
    unigram = (table.syllables.get(cur, 0) + 0.5) / (table.total + 0.5 * (_SYLLABLES + 1))
    k = table.smoothing
    pair = (table.pairs.get(prev + cur, 0) + k * unigram) / (table.syllables.get(prev, 0) + k)
    if prev == _BOUNDARY:
        return pair
    return (table.triples.get(before + prev + cur, 0) + k * pair) / (table.pairs.get(before + prev, 0) + k)
