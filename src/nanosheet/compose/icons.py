"""Pick an emoji for a label that has none: a panel or branch title in, one fully-qualified emoji out.

Candidates come from Unicode CLDR annotations (keywords and short names, English and Korean), loaded
once by ``ingest.emoji_keywords`` — the same table that tells a damaged 🎨 from 🍨 — not from a
hand-written table. Every word of the label (stemmed the same way, plus its glossary forms) is looked up
among the keywords of all emoji; the emoji whose keywords cover the label best, weighted by how specific
each keyword is (``strawberry`` says more than ``face``), wins. The `emoji` package tells which sequences
are fully qualified.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import emoji

from nanosheet.compose.glossary import english_terms, korean_forms
from nanosheet.ingest.emoji_keywords import cldr_keywords, words

FALLBACK_ICON = "📝"
_PART = 0.3
"""Weight of a match on one word of a multi-word CLDR phrase, against 1 for a whole keyword."""

# Words that name nearly every emoji's category rather than its meaning.
_NOISE = frozenset({"the", "and", "for", "with", "button", "sign", "symbol", "mark", "face", "key", "vs"})


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[str, bool]]]:
    """keyword word -> fully-qualified emoji carrying it (flags, skin tones and keycaps left out).

    CLDR phrases (``test tube``) are split into their words too, flagged as parts: a part alone is weak
    evidence (``long`` of ``long drum`` says nothing about "Longer Context")."""
    qualified = {e.replace("\ufe0f", ""): e for e, d in emoji.EMOJI_DATA.items()
                 if d.get("status") == emoji.STATUS["fully_qualified"]}
    index: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for key, keywords in cldr_keywords().of.items():
        char = qualified.get(key.replace("\ufe0f", ""))
        if char is None or _is_flag_or_modified(char):
            continue
        whole = {k for k in keywords if " " not in k}
        for part in sorted({w for keyword in keywords for w in keyword.split()}):
            index[part].append((char, part in whole))
    return index


def _forms(word: str) -> list[str]:
    """The word, then shorter forms CLDR may use instead (robotic -> robot, limitation -> limit)."""
    forms = [word]
    for suffix in ("ics", "ic", "ation", "al", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)])
    return forms


def _is_flag_or_modified(char: str) -> bool:
    # Skin tones, flags and keycaps are variants; a label never asks for them.
    return any(0x1F3FB <= ord(c) <= 0x1F3FF or 0x1F1E6 <= ord(c) <= 0x1F1FF or c == "\u20e3" for c in char)


def choose_icon(label: str) -> str:
    """The emoji whose CLDR keywords best cover the label's words; a pencil memo when nothing matches."""
    terms = [label, *english_terms(label)]
    # Loanwords and translations widen the search into CLDR's Korean keywords (Multimodal -> 비디오).
    terms += [form for word in label.split() for form in korean_forms(word)]
    weight = cldr_keywords().weight
    index = _index()
    score: dict[str, float] = defaultdict(float)
    parts: dict[str, set[str]] = defaultdict(set)
    whole_hits: set[str] = set()
    for position, term in enumerate(terms):
        closeness = 1.0 / (1 + 0.15 * position)  # the label itself names the topic more surely than its forms
        for word in (w for w in words(term) if " " not in w and w not in _NOISE):
            form = next((f for f in _forms(word) if f in index), None)
            for char, whole in index.get(form or "", ()):
                score[char] += closeness * weight.get(form or "", 1.0) * (1.0 if whole else _PART)
                if whole:
                    whole_hits.add(char)
                else:
                    parts[char].add(form or "")
    # An emoji found only through single words of its phrases needs two of them (test + tube, not long).
    sure = {c: v for c, v in score.items() if v > 0 and (c in whole_hits or len(parts[c]) >= 2)}
    if not sure:
        return FALLBACK_ICON
    return min(sure, key=lambda c: (-sure[c], c))

