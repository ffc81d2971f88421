"""Korean chapter prose in, cheat-sheet notes out: sentences, note style, splitting, key sentences, key terms.

The public face of the note engine; the pieces live beside it (``note_style``: the nominal ending,
``split``: bullets that fit a line, ``rank``: TextRank and key terms, ``prose``: markdown to prose,
``morph``: the one Kiwi per process and its per-sentence cache). Kiwi analyses each sentence once; the
ranking, the note style and the splitting all read the same cached morphemes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nanosheet.plan.morph import Morph, analyse_block, clear_cache, hangul_syllables, remember
from nanosheet.plan.note_style import is_formal, to_note
from nanosheet.plan.prose import prose_blocks
from nanosheet.plan.rank import by_rank, centrality, key_sentences, keywords_of, nouns
from nanosheet.plan.split import split_note

__all__ = ["is_boilerplate", "is_formal", "key_sentences", "keywords", "notes_from_text", "sentences", "split_note",
           "to_note"]

_BRIEF = 60
"""Syllables a key sentence may have before its length counts against it (a note of one or two lines)."""
_MIN_WORDS = 4
"""Shorter sentences are list labels or asides (``zh_TW - 중국어 번체``), not notes."""
_REPEAT = 0.6
"""Share of their nouns (Jaccard) two sentences must have in common for one to restate the other."""
_AFTER_ENDING = re.compile(r"(?:니다|세요|어요|아요|에요|예요|[)]|함|음|됨|임)[.!?][\"”']?(?=\s+\S)")
_BOILERPLATE = re.compile(r"https?://|www\.|바로가기|원본 링크|구독|스폰서|sponsor|후원|광고 문의|유료 광고|"
                          r"좋아요와|좋아요 버튼|좋아요를 눌러|알림 설정|뉴스레터|^(?:게시일|번역|원문|출처)\s*:",
                          re.IGNORECASE)
"""Navigation, sponsor and publishing lines: true of the page, not of the topic."""
_ANNOUNCE = re.compile(r"(살펴보|알아보|둘러보)(겠|ᆸ시다|봅시다|도록)|다음과 같|아래와 같|다음을 |다음 내용")
"""Sentences that only announce what follows (``다음과 같습니다:``)."""
_GREETING = re.compile(r"^(?:여러분[,\s]*)?(?:안녕하세요|안녕하십니까|반갑습니다|감사합니다|고맙습니다)[.!]?"
                       r"|소개하게 되어 (?:기쁩|기쁘|반갑)"
                       r"|^(?:오늘|이번)\s.{0,20}(?:소개하겠|소개해 드리겠|소개합니다)")
"""Greetings and self-introductions of a talk: said to the audience, not about the topic."""


def sentences(text: str) -> list[str]:
    """Korean/English prose (markdown allowed) -> sentences, by Kiwi's split; markup removed, code spans kept.

    Each sentence's morphemes come from the same Kiwi pass and are cached, so the later steps do not
    analyse it again."""
    return list(_sentences(text))


@lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[str, ...]:
    """``sentences``, remembered per text: the plan asks for the same chapter's sentences more than once."""
    out: list[str] = []
    for block in prose_blocks(text):
        analysis = analyse_block(block)
        every = tuple(m for _, _, ms in analysis for m in ms)
        for start, end in _sentence_spans(block, [(a, b) for a, b, _ in analysis]):
            sentence = block[start:end]
            remember(sentence, tuple(Morph(m.form, m.tag, m.start - start, m.end - start)
                                     for m in every if start <= m.start and m.end <= end))
            out.append(sentence)
    return tuple(out)


def _sentence_spans(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kiwi's sentence spans, mended: two that touch (no space between: ``"ubiquitous"`` + ``는 …``) are one
    sentence, and one holding a formal ending, a stop and more text (``… 있습니다. `gh`가 …``) is two."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not block[merged[-1][1]:start].strip() and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    out: list[tuple[int, int]] = []
    for start, end in merged:
        cuts = [start, *(m.end() for m in _AFTER_ENDING.finditer(block, start, end)), end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            while a < b and block[a].isspace():
                a += 1
            while b > a and block[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b))
    return out


def clear_caches() -> None:
    """Forget every sentence split and analysis (for benchmarks that time a cold pass)."""
    _sentences.cache_clear()
    clear_cache()


def keywords(text: str, k: int) -> list[str]:
    """Top-``k`` key terms (nouns, English terms) of ``text`` by frequency times spread."""
    return keywords_of(sentences(text), k)


def is_boilerplate(sentence: str) -> bool:
    """Links, sponsor lines, announcements of what follows: sentences with nothing to learn."""
    return bool(_BOILERPLATE.search(sentence) or _ANNOUNCE.search(sentence) or _GREETING.search(sentence.strip())) \
        or not re.search(r"\w{2}", sentence)


def notes_from_text(text: str, max_notes: int, max_words: int = 14) -> list[str]:
    """The ``max_notes`` best notes of ``text`` in document order: key sentences in note style, split to fit.

    Sentences are taken by TextRank score, damped for length (a cheat sheet wants what fits a line or
    two), skipping boilerplate, sentences with fewer than two nouns, and any that mostly repeat the nouns
    of one already taken (chapters often end with a summary of themselves)."""
    candidates = [s for s in sentences(text) if not is_boilerplate(s) and len(set(nouns(s))) >= 2
                  and len(s.split()) >= _MIN_WORDS and not s.endswith(",")]  # a cut-off clause of a transcript
    scores = [score * _brevity(s) for s, score in zip(candidates, centrality(candidates), strict=True)]
    chosen: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    taken: list[frozenset[str]] = []
    for index in by_rank(scores):
        if len(chosen) >= max_notes:
            break
        bag = frozenset(nouns(candidates[index]))
        if any(_repeats(bag, other) for other in taken):
            continue
        pieces = [p for p in split_note(to_note(candidates[index]), max_words=max_words) if _key(p) not in seen]
        if not pieces or len(chosen) + len(pieces) > max_notes:
            continue
        taken.append(bag)
        for n, piece in enumerate(pieces):
            seen.add(_key(piece))
            chosen.append((index, n, piece))
    return [note for _, _, note in sorted(chosen)]


def _brevity(sentence: str) -> float:
    """1 for a sentence of up to ``_BRIEF`` syllables, falling in proportion beyond."""
    return min(1.0, _BRIEF / max(1, hangul_syllables(sentence)))


def _repeats(bag: frozenset[str], other: frozenset[str]) -> bool:
    """The two sets of nouns are mostly the same (a restatement, not a new point): Jaccard similarity."""
    return len(bag & other) >= _REPEAT * len(bag | other)


def _key(note: str) -> str:
    """Notes that differ only in spacing or punctuation are the same note."""
    return re.sub(r"[\W_]+", "", note).lower()
