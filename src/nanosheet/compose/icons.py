"""Pick an emoji for a label that has none: a panel or branch title in, one fully-qualified emoji out.

First the course's own concept table (``concept_icons.tsv``: training 🏋️, multimodal 🖼️, agents 🤖 …),
so an icon shows what the title means rather than a word it happens to contain (🚂 for "Training").
A phrase of the table beats a single word; among single words the title's last one, its head noun,
wins ("Training Cost Evolution" is about evolution). Only when no concept matches do CLDR keywords decide.

CLDR candidates come from Unicode CLDR annotations (keywords and short names, English and Korean), loaded
once by ``ingest.emoji_keywords`` — the same table that tells a damaged 🎨 from 🍨 — not from a
hand-written table. Every word of the label (stemmed the same way, plus its glossary forms) is looked up
among the keywords of all emoji; the emoji whose keywords cover the label best, weighted by how specific
each keyword is (``strawberry`` says more than ``face``), wins. The `emoji` package tells which sequences
are fully qualified.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import emoji

from nanosheet.compose.draft import Draft
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


CONCEPTS = Path(__file__).with_name("concept_icons.tsv")
_COMPARISON = frozenset({"vs", "versus"})
"""A title "A vs B" compares, whatever A and B are: its icon says comparison."""


@lru_cache(maxsize=1)
def concept_table() -> list[tuple[str, str, bool, re.Pattern[str]]]:
    """(key, emoji, generic, pattern) for every key of the concept table.

    Korean keys match inside words (particles glue on); a ``~`` before the emoji marks generic heads
    ("Models") that name the topic only when no other concept does ("Proprietary Models")."""
    table: list[tuple[str, str, bool, re.Pattern[str]]] = []
    for raw in CONCEPTS.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        icon, _, keys = raw.partition("\t")
        generic = icon.startswith("~")
        for key in (k.strip().lower() for k in keys.split(",")):
            if key:
                table.append((key, icon.strip().lstrip("~"), generic, _key_pattern(key)))
    return table


def _key_pattern(key: str) -> re.Pattern[str]:
    body = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", key))
    if re.search(r"[a-z0-9]", key):
        return re.compile(rf"(?<![a-z0-9]){body}(?:s|es)?(?![a-z0-9])")
    return re.compile(body)


def concept_icon(label: str, *, step: bool = False) -> str | None:
    """The concept table's icon for a label: the title before any ``(…)`` first, then the bracketed part.

    ``step``: the label names a step of a flow, so a leading verb says what it does ("Compare with Actual
    Next Token" compares) and a generic head ("모델 직접 처리": a model) is no icon at all."""
    text = emoji.replace_emoji(label, "").lower().replace("’", "'")
    main, _, rest = text.partition("(")
    for part in (main, rest):
        found = _best_concept(part, step=step)
        if found is not None:
            return found
    return None


_FLOW_POSITION = frozenset({"시작", "start", "begin", "end", "finish", "완료", "끝"})
"""Words that say where a step stands in its flow ("생성 시작": generating, at the start), not what it does."""
_LEAD_WORDS = 3
"""A step name of this many words or more reads as an imperative: its first word is the action."""


def _best_concept(text: str, *, step: bool = False) -> str | None:
    phrases: list[tuple[bool, int, str]] = []  # (leads the text, length, icon)
    words: list[tuple[bool, bool, int, int, str]] = []  # (comparison, specific, end, length, icon)
    lead: str | None = None
    text = text.strip()
    for key, icon, generic, pattern in concept_table():
        for match in pattern.finditer(text):
            if " " in key:
                phrases.append((match.start() == 0, len(key), icon))
            elif not (step and (generic or key in _FLOW_POSITION)):
                words.append((key in _COMPARISON, not generic, match.end(), len(key), icon))
                lead = icon if match.start() == 0 and " " not in text[: match.end()] else lead
    imperative = step and lead is not None and len(text.split()) >= _LEAD_WORDS and text.isascii()
    if imperative and not any(first for first, _, _ in phrases):
        return lead  # "Search the knowledge base" searches, whatever it searches
    if phrases:
        return max(phrases, key=lambda p: p[1:])[2]  # the longest phrase, wherever it stands
    return max(words)[4] if words else None


def choose_icon(label: str) -> str:
    """The concept table's icon, else the emoji whose CLDR keywords best cover the label; else a memo."""
    concept = concept_icon(label)
    return concept if concept is not None else cldr_icon(label)


def cldr_icon(label: str) -> str:
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


def give_icons(draft: Draft) -> Draft:
    """The pass: every panel without an icon (the title band aside) gets the one its title means."""
    rows = draft.copy_rows()
    for row in rows:
        for panel in row.panels:
            if panel.icon is None and row.kind != "title":
                panel.icon = choose_icon(panel.title)
    return draft.revised(rows)
