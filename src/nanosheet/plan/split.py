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
_BEFORE_COMMA = {"EC", "JKB", "JX", "EF"}
"""A comma after a clause (``…하면,`` ``…경우,`` ``…에서는,``) may end a line; one inside a list of nouns not."""
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
        comma = note[end - 1] == ","
        core = end - 1 if comma else end
        last, following = _last_morph(ms, core), _next_morph(ms, end)
        if len(left.split()) < 2 or len(right.split()) < 2 or last is None or following is None:
            continue
        if following.tag.startswith("VX") or following.tag.startswith("J"):
            continue  # 알고 있음, 해 봄: the auxiliary belongs to the verb before it
        if _enclosed(note, end):
            continue  # inside a quotation or brackets: both halves would be left open
        if last.tag == "EC" and last.form in _JOINING and last.end == core:
            descriptive = _descriptive(ms, last)
            coordinating = last.form not in _CONTRAST  # 지만/는데 never sit inside a relative clause
            if (descriptive and (_ends_in_modifier(ms, end) or _adjective_chain(ms, end))) or (
                    coordinating and _relative_clause(ms, end)):
                continue  # 일관되고 안전한 방식: both predicates describe the noun that follows
            left, right = _nominal_left(note, ms, last), (f"하지만 {right}" if last.form in _CONTRAST else right)
            rank = 0.0
        elif comma and last.tag in _BEFORE_COMMA:
            left, rank = left[:-1], 1.0
        elif note[end - 1] == ":":
            rank = 0.5
        elif left.endswith("때문에"):
            rank = 1.0
        elif left.endswith(" and"):
            rank = 2.0
        else:
            continue
        score = rank + abs(len(left) - len(right)) / len(note)
        if best is None or score < best[0]:
            best = (score, left, right)
    return (best[1], best[2]) if best else None


def _ends_in_modifier(ms: tuple[Morph, ...], end: int) -> bool:
    """True when the word after ``end`` ends in a modifier ending (안전한, 확장 가능한)."""
    following = [m for m in ms if m.start >= end]
    if not following:
        return False
    word_end = following[0].end
    for m in following:
        if m.start > word_end:
            break
        word_end = max(word_end, m.end)
    last = [m for m in following if m.end <= word_end]
    return bool(last) and last[-1].tag == "ETM"


def _descriptive(ms: tuple[Morph, ...], connective: Morph) -> bool:
    """True when the predicate before ``connective`` describes (an adjective, 이다 after 적, 되다) rather
    than acts: 일관되고, 통합적이고 — not 분석하고."""
    index = ms.index(connective)
    before = ms[index - 1] if index else None
    if before is None:
        return False
    return before.tag.startswith(("VA", "XSA")) or (before.tag == "XSV" and before.form == "되") or (
        before.tag == "VCP" and index >= 2 and ms[index - 2].form == "적")


def _adjective_chain(ms: tuple[Morph, ...], end: int) -> bool:
    """``통합적이고 자율적이며 확장 가능한``: more adjectives follow and end in a modifier; together they
    describe one noun, and cutting there would strand it."""
    words = _next_words(ms, end, 2)
    return any(w and w[-1].tag == "ETM" for w in words) or bool(words and words[0] and words[0][-1].tag == "EC")


def _relative_clause(ms: tuple[Morph, ...], end: int) -> bool:
    """``데이터를 수집하고, 이메일을 보내고, 기록을 남기는 작업``: when the verbs after the cut end in a
    modifier (남기는) the 고 joins clauses inside a noun phrase, and a cut would change the meaning."""
    after = [m for m in ms if m.start >= end]
    for prev, m in zip(after, after[1:], strict=False):
        verb = prev.tag.startswith("VV") or (prev.tag == "XSV" and prev.form == "하") or prev.tag == "EP"
        if not verb or not m.tag.startswith("E") or m.tag == "EP":
            continue
        if m.tag == "EC" and m.form in _JOINING:
            continue
        return m.tag == "ETM"
    return False


def _next_words(ms: tuple[Morph, ...], end: int, count: int) -> list[list[Morph]]:
    """The morphemes of the ``count`` words after offset ``end`` (a word: morphemes with no space between)."""
    words: list[list[Morph]] = []
    for m in (m for m in ms if m.start >= end):
        if words and words[-1] and m.start <= max(x.end for x in words[-1]):
            words[-1].append(m)
        elif len(words) < count:
            words.append([m])
        else:
            break
    return words


def _enclosed(note: str, end: int) -> bool:
    """True when offset ``end`` of ``note`` is inside quotes or brackets opened before it."""
    before = note[:end]
    return before.count('"') % 2 == 1 or before.count("(") > before.count(")") or \
        before.count("“") > before.count("”") or before.count("[") > before.count("]")


def _next_morph(ms: tuple[Morph, ...], end: int) -> Morph | None:
    return next((m for m in ms if m.start >= end), None)


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
    """Cut ``note`` between words into the fewest pieces within the limits, after words that do not lean on
    the next one, as even as can be (a small dynamic programme over the cut points)."""
    spans = [m.span() for m in re.finditer(r"\S+", note)]
    ms = morphs(note)
    words = [note[a:b] for a, b in spans]
    n = len(words)
    penalty = [_cut_penalty(w, _last_morph(ms, b)) + (80.0 if _enclosed(note, b) else 0.0)
               + (_lean_back(_next_morph(ms, b)) if i + 1 < n else 0.0)
               for i, (w, (_, b)) in enumerate(zip(words, spans, strict=True))]
    glued = [i > 0 and _bare_particle(ms, a, b) for i, (a, b) in enumerate(spans)]
    pieces_needed = max(hangul_syllables(note) / max_syllables, n / max_words)
    target = hangul_syllables(note) / max(1.0, pieces_needed)
    inf = float("inf")
    best: list[tuple[float, int]] = [(0.0, 0)] + [(inf, 0)] * n
    for i in range(1, n + 1):
        for j in range(i - 1, -1, -1):
            piece = " ".join(words[j:i])
            if not fits(piece, max_syllables, max_words) and i - j > 1:
                break
            if best[j][0] == inf or (i < n and glued[i]):
                continue
            cost = best[j][0] + 1000.0 + (penalty[i - 1] if i < n else 0.0)
            cost += (hangul_syllables(piece) - target) ** 2 / 20.0
            if cost < best[i][0]:
                best[i] = (cost, j)
    cuts = [n]
    while cuts[-1] > 0:
        cuts.append(best[cuts[-1]][1])
    cuts.reverse()
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]


def _bare_particle(ms: tuple[Morph, ...], start: int, end: int) -> bool:
    """True when the word at ``start:end`` is only particles or punctuation (a line must not open with one)."""
    inside = [m for m in ms if start <= m.start < end]
    return bool(inside) and all(m.tag.startswith(("J", "S")) and m.tag not in ("SL", "SN", "SH") for m in inside)


def _lean_back(following: Morph | None) -> float:
    """How badly the next line opens on ``following``: an auxiliary (있지만, 않은) or the light verb 하/되
    (특징으로 | 하는) belongs with the word before it."""
    if following is None:
        return 0.0
    if following.tag.startswith("VX"):
        return 60.0
    if following.form in ("하", "되") and following.tag.startswith(("VV", "XSV")):
        return 40.0
    return 0.0


def _cut_penalty(word: str, last: Morph | None) -> float:
    """How badly a line ends on ``word``: free after an ending or a comma, cheap after a particle; dear after a bare
    noun or an adverb (실패 | 경로, 더 | 나아짐); dearest after a modifier, 의, 및/and or an open bracket."""
    if word.lower() in _BAD_WORDS or (last is not None and last.tag in _BAD_BEFORE_CUT):
        return 60.0
    if last is None or last.tag.startswith("E") or word.endswith((",", ":", ";", ")")):
        return 0.0
    if last.tag.startswith("J"):
        return 5.0  # after a particle is fine, after a clause is better
    return 25.0
