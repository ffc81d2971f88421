"""Korean chapter prose in, cheat-sheet notes out: sentences, note style, splitting, key sentences, key terms.

The public face of the note engine; the pieces live beside it (``note_style``: the nominal ending,
``split``: bullets that fit a line, ``rank``: TextRank and key terms, ``prose``: markdown to prose,
``morph``: the one Kiwi per process and its per-sentence cache). Kiwi analyses each sentence once; the
ranking, the note style and the splitting all read the same cached morphemes.
"""

from __future__ import annotations

import re

from nanosheet.plan.morph import kiwi
from nanosheet.plan.note_style import is_formal, to_note
from nanosheet.plan.prose import code_spans, prose_blocks
from nanosheet.plan.rank import by_rank, centrality, key_sentences, keywords_of
from nanosheet.plan.split import split_note

__all__ = ["is_formal", "key_sentences", "keywords", "notes_from_text", "sentences", "split_note", "to_note"]

_AFTER_ENDING = re.compile(r"(?:니다|세요|어요|아요|에요|예요|[)]|함|음|됨|임)[.!?](?=\s+\S)")
_BOILERPLATE = re.compile(r"https?://|www\.|바로가기|원본 링크|원문|구독|스폰서|sponsor|후원|광고|좋아요|댓글|게시일|"
                          r"출처|번역|translated|구독|알림 설정|뉴스레터", re.IGNORECASE)
"""Navigation, sponsor and publishing lines: true of the page, not of the topic."""
_ANNOUNCE = re.compile(r"(살펴보|알아보|둘러보)(겠|ᆸ시다|봅시다|도록)|다음과 같|아래와 같|다음을 |다음 내용")
"""Sentences that only announce what follows (``다음과 같습니다:``)."""


def sentences(text: str) -> list[str]:
    """Korean/English prose (markdown allowed) -> sentences, by Kiwi's split; markup removed, code spans kept."""
    blocks = prose_blocks(text)
    if not blocks:
        return []
    masked = [_mask_code(b) for b in blocks]
    out: list[str] = []
    for block, split in zip(blocks, kiwi().split_into_sents(masked, return_sub_sents=False), strict=True):
        for s in split:
            out.extend(_split_after_endings(block[s.start:s.end].strip()))
    return [s for s in out if s]


def _mask_code(block: str) -> str:
    """``block`` with each code span replaced by as many x's: Kiwi then sees one foreign word (a backtick or a
    dot inside a span misleads its splitter) and its offsets still point into ``block``."""
    chars = list(block)
    for a, b in code_spans(block):
        chars[a:b] = "x" * (b - a)
    return "".join(chars)


def _split_after_endings(sentence: str) -> list[str]:
    """Split where a formal ending and a stop are followed by more text: Kiwi keeps some of those together
    (``… 일반적). `CLAUDE.md`로 …``, ``… 알고 있습니다. `gh`가 …``)."""
    cuts = [0, *(m.end() for m in _AFTER_ENDING.finditer(sentence)), len(sentence)]
    return [sentence[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False) if sentence[a:b].strip()]


def keywords(text: str, k: int) -> list[str]:
    """Top-``k`` key terms (nouns, English terms) of ``text`` by frequency times spread."""
    return keywords_of(sentences(text), k)


def is_boilerplate(sentence: str) -> bool:
    """Links, sponsor lines, announcements of what follows: sentences with nothing to learn."""
    return bool(_BOILERPLATE.search(sentence) or _ANNOUNCE.search(sentence)) or not re.search(r"\w{2}", sentence)


def notes_from_text(text: str, max_notes: int, max_words: int = 14) -> list[str]:
    """The ``max_notes`` best notes of ``text`` in document order: key sentences in note style, split to fit."""
    candidates = [s for s in sentences(text) if not is_boilerplate(s)]
    chosen: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for index in by_rank(centrality(candidates)):
        if len(chosen) >= max_notes:
            break
        pieces = [p for p in split_note(to_note(candidates[index]), max_words=max_words) if _key(p) not in seen]
        if not pieces or len(chosen) + len(pieces) > max_notes:
            continue
        for n, piece in enumerate(pieces):
            seen.add(_key(piece))
            chosen.append((index, n, piece))
    return [note for _, _, note in sorted(chosen)]


def _key(note: str) -> str:
    """Notes that differ only in spacing or punctuation are the same note."""
    return re.sub(r"[\W_]+", "", note).lower()
