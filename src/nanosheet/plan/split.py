"""A long note in, bullets that each fit a cheat-sheet line out (split at connectives, then at words).

A piece that ends in a connective (수집하고, 연결하며, 분석하여) is given the nominal ending the note
style uses (수집함); one ending in 지만 becomes nominal too and the next piece opens with 하지만, so the
contrast survives. Only when no connective or comma helps is a piece cut between words, preferring a
word that ends in a particle or a comma, never after a modifier (연결하는, 의) that needs its noun.
"""

from __future__ import annotations

import re

from nanosheet.plan.morph import Morph, hangul_syllables, join, morphs

_JOINING = {"고", "며", "으며", "면서", "으면서", "여", "어서", "아서", "여서", "지만", "는데", "ᆫ데", "은데"}
"""Connective endings (EC) a note may be split after."""
_CONTRAST = {"지만", "는데", "ᆫ데", "은데"}
_BAD_BEFORE_CUT = {"ETM", "MM", "JKG", "XPN", "SSO"}
"""A word ending in one of these leans on the next word (a modifier, 의, an open bracket)."""
_BAD_WORDS = {"및", "또는", "혹은", "그리고", "and", "or", "the", "a", "an", "of", "to", "vs.", "vs", "등의"}


def fits(piece: str, max_syllables: int, max_words: int) -> bool:
    """True when ``piece`` holds at most ``max_syllables`` Hangul syllables and ``max_words`` words."""
    return hangul_syllables(piece) <= max_syllables and len(piece.split()) <= max_words


def split_note(note: str, max_syllables: int = 40, max_words: int = 14) -> list[str]:
    """``note`` as bullets within the limits: at connectives, commas and ``and`` first, then between words."""
    note = note.strip()
    if not note:
        return []
    if fits(note, max_syllables, max_words):
        return [note]
    halves = _connective_cut(note)
    if halves is None:
        return _word_cut(note, max_syllables, max_words)
    left, right = halves
    return split_note(left, max_syllables, max_words) + split_note(right, max_syllables, max_words)


def _word_ends(text: str) -> list[int]:
    """Offsets where the words of ``text`` end (each followed by whitespace)."""
    return [m.end() for m in re.finditer(r"\S+(?=\s)", text)]


def _last_morph(ms: tuple[Morph, ...], end: int) -> Morph | None:
    before = [m for m in ms if m.end <= end and m.start < end]
    return before[-1] if before else None


def _connective_cut(note: str) -> tuple[str, str] | None:
    """The most balanced split at a connective, a comma or ``and``; None when there is none to make."""
    ms = morphs(note)
    best: tuple[float, str, str] | None = None
    for end in _word_ends(note):
        left, right = note[:end], note[end:].strip()
        if len(left.split()) < 2 or len(right.split()) < 2:
            continue
        last = _last_morph(ms, end)
        if last is None:
            continue
        if last.tag == "EC" and last.form in _JOINING and last.end == end:
            left, right = _nominal_left(note, ms, last), (f"하지만 {right}" if last.form in _CONTRAST else right)
            rank = 0.0
        elif note[end - 1] == ",":
            left, rank = left[:-1], 1.0
        elif left.endswith(" and") or note[:end].endswith("때문에"):
            rank = 1.0 if left.endswith("때문에") else 2.0
        else:
            continue
        balance = abs(len(left) - len(right)) / len(note)
        score = rank + balance
        if best is None or score < best[0]:
            best = (score, left, right)
    return (best[1], best[2]) if best else None


def _nominal_left(note: str, ms: tuple[Morph, ...], connective: Morph) -> str:
    """The text before ``connective`` with its predicate given the nominal ending (수집하고 -> 수집함)."""
    index = ms.index(connective)
    start = index
    while start > 0 and (ms[start - 1].end > ms[start].start or (
            ms[start - 1].tag[:2] in ("VV", "VA", "VX", "VC", "XS", "EP") and ms[start - 1].end == ms[start].start)):
        start -= 1
    if start == index:
        return note[:connective.end]
    return note[:ms[start].start] + join([(m.form, m.tag) for m in ms[start:index]] + [("음", "ETN")])


def _word_cut(note: str, max_syllables: int, max_words: int) -> list[str]:
    """Pack whole words into pieces within the limits, cutting after a word that does not lean forward."""
    spans = [m.span() for m in re.finditer(r"\S+", note)]
    ms = morphs(note)
    words = [note[a:b] for a, b in spans]
    cuttable = [_cuttable(w, _last_morph(ms, b)) for w, (_, b) in zip(words, spans, strict=True)]
    pieces: list[str] = []
    start = 0
    while start < len(words):
        end = start + 1
        while end < len(words) and fits(" ".join(words[start:end + 1]), max_syllables, max_words):
            end += 1
        if end < len(words):
            good = [i for i in range(max(start + 1, (start + end + 1) // 2), end + 1) if cuttable[i - 1]]
            if good:
                end = good[-1]
        pieces.append(" ".join(words[start:end]))
        start = end
    return pieces


def _cuttable(word: str, last: Morph | None) -> bool:
    """A word a line may end on: not a modifier (연결하는, 의), a conjunction (및, and) or an open bracket."""
    return word.lower() not in _BAD_WORDS and (last is None or last.tag not in _BAD_BEFORE_CUT)
