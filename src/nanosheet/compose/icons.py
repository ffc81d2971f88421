"""Pick an emoji for a label that has none: a panel or branch title in, one fully-qualified emoji out.

Candidates come from Unicode CLDR annotations (keywords and short names, English and Korean, from the
npm package ``cldr-annotations-modern``), not a hand-written table: every word of the label is looked
up among the keywords of all emoji, and the emoji whose keywords cover the most label words (fewest
keywords breaking ties, so specific emoji beat generic ones, then code point) wins. The `emoji` package
tells which sequences are fully qualified.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache

import emoji

from nanosheet.assets import node_modules
from nanosheet.compose.glossary import english_terms, korean_forms

FALLBACK_ICON = "📝"

_WORD = re.compile(r"[A-Za-z]{3,}|[가-힣]{2,}")
# Words that name nearly every emoji's category rather than its meaning.
_NOISE = frozenset({"the", "and", "for", "with", "button", "sign", "symbol", "mark", "face", "key", "vs"})


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[str, int]]]:
    """keyword -> [(emoji, keyword count)] over fully-qualified emoji that CLDR annotates."""
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for lang in ("en", "ko"):
        for char, words in _annotations(lang).items():
            if _is_flag_or_modified(char):
                continue
            for word in words:
                index[word].append((char, len(words)))
    return index


def _annotations(lang: str) -> dict[str, list[str]]:
    path = node_modules() / "cldr-annotations-modern" / "annotations" / lang / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))["annotations"]["annotations"]
    qualified = {e.replace("\ufe0f", ""): e for e, d in emoji.EMOJI_DATA.items()
                 if d.get("status") == emoji.STATUS["fully_qualified"]}
    result: dict[str, list[str]] = {}
    for key, entry in data.items():
        char = qualified.get(key.replace("\ufe0f", ""))
        if char is None:
            continue
        words = {w for phrase in entry.get("default", []) + entry.get("tts", [])
                 for w in re.split(r"[\s:_-]+", phrase.lower()) if w}
        result[char] = sorted(words)
    return result


def _is_flag_or_modified(char: str) -> bool:
    # Skin tones, flags and keycaps are variants; a label never asks for them.
    return any(0x1F3FB <= ord(c) <= 0x1F3FF or 0x1F1E6 <= ord(c) <= 0x1F1FF or c == "\u20e3" for c in char)


def _stems(word: str) -> list[str]:
    word = word.lower()
    forms = [word]
    for suffix in ("ies", "es", "s", "ing", "ics", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + ("y" if suffix == "ies" else ""))
    return forms


def choose_icon(label: str) -> str:
    """The emoji whose CLDR name best covers the label's words; a pencil memo when nothing matches."""
    words = [w for w in _WORD.findall(label) if w.lower() not in _NOISE]
    words += [t for t in english_terms(label) if t not in words]
    # Loanwords and translations widen the search into CLDR's Korean keywords (Multimodal -> 비디오).
    words += [f for w in list(words) for f in korean_forms(w) if f not in words]
    index = _index()
    score: dict[str, float] = defaultdict(float)
    name_len: dict[str, int] = {}
    for position, word in enumerate(words):
        weight = 1.0 / (1 + 0.15 * position)  # earlier words name the topic more often than later ones
        for form in _stems(word):
            for char, length in index.get(form, ()):
                score[char] += weight
                name_len[char] = min(name_len.get(char, 99), length)
            if form in index:
                break
    if not score:
        return FALLBACK_ICON
    return min(score, key=lambda c: (-score[c], name_len[c], c))


def leading_icon(text: str) -> str | None:
    """The emoji a label starts with, if any (VS16, keycaps and ZWJ sequences kept whole)."""
    found = emoji.emoji_list(text.lstrip())
    if found and found[0]["match_start"] == 0:
        return str(found[0]["emoji"])
    return None
