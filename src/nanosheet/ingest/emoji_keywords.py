"""Emoji and the text around it in, keyword evidence out: how much the text talks about what the emoji shows.

The keywords are Unicode CLDR's annotations (English and Korean), the list phone keyboards search when you
type "paint" or "딸기". A damaged 🎨/🍨 is 🎨 in a transcript that says "see and paint", and 🍓 in a
document about spelling "strawberry". Evidence is weighted by distance (the emoji's own line or box
cell, then its section, then the whole document) and each keyword by how specific it is across all
emoji (``face`` tells little, ``strawberry`` a lot), so no weight needs tuning per document. The table is
package data (``nanosheet/data``, built from CLDR's npm package by ``tools/build_package_data.py``).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from nanosheet.errors import ConfigError
from nanosheet.ingest.draft import Draft, Gap
from nanosheet.textwidth import index_at_column

_LINE, _SECTION, _DOCUMENT = 4, 2, 1
"""Weights of the scopes: the emoji's line (or box cell), its section, the whole file. Scopes nest, so a
keyword on the emoji's own line counts 4 + 2 + 1 = 7 times what one elsewhere in the file does."""
_SECTION_REACH = 12
"""Lines searched above and below for the section, which also ends at headings, fences and box borders."""
_STOP = frozenset({"and", "with", "the", "for", "sign", "symbol", "mark", "button", "black", "white", "small",
                   "large", "medium"})
PARTICLES = ("으로", "에서", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "만")
"""Case particles stripped from Korean words, so ``그림을`` counts for the keyword ``그림``."""
_PHRASE = 3
"""Longest keyword phrase matched, in words; longer ones are full names that prose rarely repeats."""
_WORD_RE = re.compile(r"[A-Za-z]{3,}|[\uac00-\ud7a3]{2,}")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]+")
_FENCE = ("```", "~~~")


def stem(word: str) -> str:
    """A crude English stem, the same for keyword and text: painting/paints -> paint, images -> image."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str, keep: frozenset[str] | None = None) -> Counter[str]:
    """Stemmed English words, Korean words (also without a trailing particle), and runs of up to
    ``_PHRASE`` consecutive words in a line joined by a space, so ``table tennis`` counts as a whole;
    only those in ``keep`` if given (a long document need not count every phrase it has)."""
    found: Counter[str] = Counter()
    for line in text.split("\n"):
        forms = [_forms(w) for w in _WORD_RE.findall(line)]
        for i in range(len(forms)):
            for n in range(1, min(_PHRASE, len(forms) - i) + 1):
                head = " ".join(f[0] for f in forms[i : i + n - 1])
                if keep is not None and n > 1 and head not in keep:
                    break  # every phrase keyword's first words are kept too (see ``Keywords.vocabulary``)
                for last in forms[i + n - 1]:
                    key = f"{head} {last}" if head else last
                    if keep is None or key in keep:
                        found[key] += 1
    return found


def _forms(word: str) -> tuple[str, ...]:
    if not _HANGUL_RE.fullmatch(word):
        return (stem(word),)
    bare = without_particle(word)
    return (word, bare) if bare != word else (word,)


def without_particle(word: str, particles: tuple[str, ...] = PARTICLES) -> str:
    """A Korean word without its trailing case particle (``그림을`` -> ``그림``), if two syllables or more stay."""
    for particle in particles:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


@dataclass
class Keywords:
    """CLDR keywords per emoji, each with its specificity (log inverse document frequency over all emoji)."""

    of: dict[str, frozenset[str]]
    weight: dict[str, float]

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every keyword and every first part of a phrase keyword (``table`` for ``table tennis``)."""
        parts = {" ".join(k.split(" ")[:n]) for keys in self.of.values() for k in keys
                 for n in range(1, k.count(" ") + 2)}
        return frozenset(parts)

    def score(self, char: str, near: Iterable[tuple[Counter[str], int]]) -> float:
        """Sum over the emoji's keywords of specificity x scope weight x log(1 + occurrences in the scope),
        for ``near`` = (word counts, weight) scopes: several different keywords beat one repeated, and
        one keyword on the emoji's own line beats several far away."""
        total = 0.0
        scopes = list(near)
        for key in sorted(self.of.get(char, ())):
            total += self.weight[key] * sum(weight * math.log2(1 + counts[key]) for counts, weight in scopes)
        return total


TABLE = "cldr_annotations.json.gz"
"""Package data built by ``tools/build_package_data.py`` (``make setup``) from CLDR's npm package."""


def table_path() -> Path:
    """Where the keyword table lives: ``nanosheet/data`` beside this package, in a checkout or a wheel."""
    return Path(__file__).resolve().parents[1] / "data" / TABLE


@lru_cache(maxsize=1)
def cldr_keywords() -> Keywords:
    """Load the annotations once from the package data (never node_modules, so a wheel repairs the same)."""
    of: dict[str, set[str]] = {}
    for table in _read(table_path()).values():
        for char, entry in table.items():
            phrases = [*entry.get("default", []), *entry.get("tts", [])]
            of.setdefault(char, set()).update(k for p in phrases if (k := _keyword(p)))
    df = Counter(k for keys in of.values() for k in keys)
    weight = {k: math.log(len(of) / n) for k, n in df.items()}
    return Keywords({c: frozenset(k) for c, k in of.items()}, weight)


def _read(path: Path) -> dict[str, dict[str, dict[str, list[str]]]]:
    """language -> emoji -> {"default": [...], "tts": [...]}; a missing or broken table is a ConfigError."""
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        tables: dict[str, dict[str, dict[str, list[str]]]] = doc["annotations"]
        if not {"en", "ko"} <= tables.keys():
            raise KeyError("en/ko")
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else f"unreadable ({type(exc).__name__})"
        raise ConfigError(f"the CLDR emoji keyword table {path} is {reason}",
                          hint="run `make setup` in the nanosheet checkout "
                               "(it runs tools/build_package_data.py cldr), or reinstall the wheel") from None
    return tables


def _keyword(phrase: str) -> str | None:
    """The phrase as ``words`` counts it (stemmed, space-joined), or None if it is too long or says nothing."""
    parts = [w if _HANGUL_RE.fullmatch(w) else stem(w) for w in _WORD_RE.findall(phrase)]
    if not parts or len(parts) > _PHRASE or (len(parts) == 1 and parts[0] in _STOP):
        return None
    return " ".join(parts)


def context_words(draft: Draft, gap: Gap, document: Counter[str],
                  keep: frozenset[str] | None = None) -> list[tuple[Counter[str], int]]:
    """The scopes around ``gap`` as (word counts, weight): its line, its section, the document.

    Scopes nest, so a word on the emoji's own line counts in all three. In a wireframe the line and the
    section are the emoji's box cell (text between box-drawing characters, followed down the same
    display column until a border), so the panel beside it does not speak for it."""
    text = draft.line(gap.line)
    line = _cell(text, gap.col)
    column = draft.column_of(gap.line, gap.col)
    section = [line]
    for step in (-1, 1):
        for k in range(1, _SECTION_REACH + 1):
            index = gap.line + step * k
            other = draft.line(index)
            stripped = other.lstrip()
            if not 0 <= index < len(draft.lines) or stripped.startswith(_FENCE):
                break
            if stripped.startswith("#"):
                if step < 0:
                    section.append(other)  # the section's own heading
                break
            if not any(_is_box(c) for c in other):
                section.append(other)
                continue
            at = index_at_column(other, column)
            if at is None or _is_box(other[at]):
                break
            section.append(_cell(other, at))
    return [(words(line, keep), _LINE), (words("\n".join(section), keep), _SECTION), (document, _DOCUMENT)]


def _is_box(char: str) -> bool:
    return "\u2500" <= char <= "\u257f"


def _cell(line: str, col: int) -> str:
    """The run of ``line`` around ``col`` between box-drawing characters (the whole line if it has none)."""
    start = col
    while start > 0 and not _is_box(line[start - 1]):
        start -= 1
    end = col
    while end < len(line) and not _is_box(line[end]):
        end += 1
    return line[start:end]

