"""Match content sections to wireframe panels: sections and rows in, an assignment plus reasons out.

A section belongs to a panel when their titles agree (after dropping emoji, hints and punctuation,
with truncation, abbreviation and Korean/English naming allowed), their emoji agree, the section's
position hint (좌측 상단, 중앙 - 가장 넓게!) points at the panel, or their words overlap. Each signal is
a number in 0..1; the score is their weighted sum and the best panel above a threshold wins.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from nanosheet.compose.curate import block_text
from nanosheet.compose.glossary import english_terms, korean_forms
from nanosheet.model import Panel, Row, Section

MATCH_THRESHOLD = 0.45

_WEIGHTS = {"title": 1.0, "emoji": 0.35, "position": 0.8, "words": 0.35, "kind": 0.25}
_STOP = frozenset({"the", "a", "an", "of", "and", "vs", "is", "in", "to", "for", "what", "nano", "banana"})
_KIND_WORDS = {
    "mindmap": ("mind map", "마인드맵"),
    "flow": ("flowchart", "플로우차트", "workflow", "pipeline", "흐름"),
    "diagram": ("flowchart", "diagram", "다이어그램", "pipeline", "workflow"),
    "table": ("table", "표", "matrix", "비교표", "comparison"),
    "placeholder": ("table", "표", "diagram", "다이어그램"),
}


@dataclass(frozen=True)
class Match:
    section: Section
    panel_id: str | None
    score: float
    reason: str


@dataclass(frozen=True)
class _Slot:
    """A panel with where it sits: vertical 0 (top) .. 1 (bottom), horizontal 0 (left) .. 1 (right)."""

    panel: Panel
    row_kind: str
    vertical: float
    horizontal: float
    widest: bool


def match_sections(sections: list[Section], rows: list[Row]) -> list[Match]:
    """Best panel for every content section (or None with the reason it matched nothing)."""
    slots = _slots(rows)
    matches = []
    for section in sections:
        scored = sorted(((_score(section, slot), slot) for slot in slots),
                        key=lambda pair: (-pair[0][0], pair[1].panel.id))
        if scored and scored[0][0][0] >= MATCH_THRESHOLD:
            (score, why), slot = scored[0]
            matches.append(Match(section, slot.panel.id, score, why))
        else:
            best = f"best was {scored[0][1].panel.title!r} at {scored[0][0][0]:.2f}" if scored else "no panels"
            matches.append(Match(section, None, scored[0][0][0] if scored else 0.0,
                                 f"no panel title, emoji or position hint matched ({best})"))
    return matches


def _slots(rows: list[Row]) -> list[_Slot]:
    content = [r for r in rows if r.kind != "title"]
    slots = []
    for index, row in enumerate(content):
        vertical = index / (len(content) - 1) if len(content) > 1 else 0.5
        for col, panel in enumerate(row.panels):
            horizontal = col / (len(row.panels) - 1) if len(row.panels) > 1 else 0.5
            widest = "widest" in row.flags or "widest" in panel.flags
            slots.append(_Slot(panel, row.kind, vertical, horizontal, widest))
    return slots


def _score(section: Section, slot: _Slot) -> tuple[float, str]:
    signals = {
        "title": title_similarity(section.title, slot.panel.title),
        "emoji": 1.0 if section.icon and section.icon.rstrip("\ufe0f") == (slot.panel.icon or "").rstrip("\ufe0f")
        else 0.0,
        "position": _position_fit(section.hints, slot),
        "words": _word_overlap(section, slot.panel),
        "kind": _kind_fit(section.title, slot.panel),
    }
    score = sum(_WEIGHTS[k] * v for k, v in signals.items())
    reason = ", ".join(f"{k} {v:.2f}" for k, v in signals.items() if v > 0)
    return score, reason or "nothing in common"


def normalise_title(title: str) -> list[str]:
    """Title words in lower case without emoji, parenthesised hints or punctuation."""
    title = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", title)
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*|[가-힣]+", title.lower())
    return [w for w in words if w not in _STOP]


@lru_cache(maxsize=4096)  # a pure function of two titles; the studio asks again on every keystroke
def title_similarity(a: str, b: str) -> float:
    """0..1; 1 when one title's words contain the other's (TAKEAWAYS ~ KEY TAKEAWAYS)."""
    wa, wb = normalise_title(a), normalise_title(b)
    if not wa or not wb:
        return 0.0
    ea, eb = _expand(wa), _expand(wb)
    shared = len(ea & eb)
    containment = shared / min(len(ea), len(eb))
    jaccard = shared / len(ea | eb)
    fuzzy = SequenceMatcher(None, " ".join(wa), " ".join(wb)).ratio()
    # Abbreviations (ACTIVE vs STANDARD CoT vs "Active-Prompt vs CoT") need the fuzzy part too.
    return max(0.6 * containment + 0.4 * jaccard, fuzzy if fuzzy > 0.6 else 0.0)


def _expand(words: list[str]) -> set[str]:
    """Words plus their other-language glossary forms, so 한계 and Limitations meet."""
    out = set(words)
    text = " ".join(words)
    for term in english_terms(text):
        out.update(term.split())
    for word in words:
        for form in korean_forms(word):
            out.update(form.split())
        if word.endswith("s") and len(word) > 3:
            out.add(word[:-1])
        out.update(part for part in word.split("-") if len(part) > 2)
    return out


_VERTICAL = {"상단": 0.0, "중상단": 0.25, "중앙": 0.5, "중단": 0.5, "중하단": 0.75, "하단": 1.0,
             "top": 0.0, "middle": 0.5, "center": 0.5, "bottom": 1.0}
_HORIZONTAL = {"좌측": 0.0, "왼쪽": 0.0, "좌": 0.0, "중앙": 0.5, "가운데": 0.5, "우측": 1.0, "오른쪽": 1.0, "우": 1.0,
               "left": 0.0, "right": 1.0}


def _position_fit(hints: list[str], slot: _Slot) -> float:
    """1 when the hint names the slot's place; 0 without a hint."""
    text = " ".join(hints).lower()
    if not text:
        return 0.0
    if ("가장 넓" in text or "widest" in text) and slot.widest:
        return 1.0
    vertical = [v for k, v in _VERTICAL.items() if re.search(rf"(?<![가-힣]){k}", text)]
    horizontal = [v for k, v in _HORIZONTAL.items() if re.search(rf"{k}(?=\s|측|$)", text) or k + " " in text]
    fits = []
    if vertical:
        fits.append(1.0 - min(abs(v - slot.vertical) for v in vertical))
    if horizontal and not (len(horizontal) == 1 and horizontal[0] == 0.5 and vertical):
        fits.append(1.0 - min(abs(h - slot.horizontal) for h in horizontal))
    # Both axes must agree: 좌측 하단 says nothing good about the top-left panel.
    return float(math.prod(fits)) if fits else 0.0


def _panel_words(panel: Panel) -> set[str]:
    return set(normalise_title(" ".join(block_text(b) for b in panel.blocks)))


def _word_overlap(section: Section, panel: Panel) -> float:
    panel_words = _panel_words(panel) | set(normalise_title(panel.title))
    section_words = set(normalise_title(section.text[:3000]))
    if not panel_words or not section_words:
        return 0.0
    return len(panel_words & section_words) / len(panel_words)


def _kind_fit(section_title: str, panel: Panel) -> float:
    """A "(Mind Map)" section suits the panel that draws a mind map, a "(Table)" one a [표] slot."""
    title = section_title.lower()
    kinds = {b.type for b in panel.blocks}
    return 1.0 if any(any(w in title for w in _KIND_WORDS.get(k, ())) for k in kinds) else 0.0
