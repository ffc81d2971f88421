"""A symbol in, its genre prior out: the log-probability of that symbol in technical Markdown.

The table (``repair_priors.json``, built by ``tools/build_repair_priors.py``) counts symbols in
cheat-sheet prompts and our own Markdown, smoothed with general emoji usage, so ``🎯`` is far likelier
than ``🍯`` and ``═`` than ``╁`` when the document itself says nothing. Emoji are looked up without
their variation selector; a symbol the table does not list gets the share of an unseen symbol, less
for a box-drawing glyph that mixes line weights.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_WEIGHTS = ("LIGHT", "HEAVY", "DOUBLE", "SINGLE")


@dataclass(frozen=True)
class _Table:
    symbols: dict[str, float]
    other: float
    box_mixed: float


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = json.loads(resources.files("nanosheet.ingest").joinpath("repair_priors.json").read_text("utf-8"))
    return _Table({str(k): float(v) for k, v in raw["symbols"].items()}, float(raw["other"]),
                  float(raw["box_mixed"]))


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
