"""The Korean note-style API the plan uses (``plan/korean.py``), behind typed, cached wrappers."""

from __future__ import annotations

import re
from functools import lru_cache

from nanosheet.plan import korean as _K

MAX_WORDS = 14
MAX_SYLLABLES = 40


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    # The pictures read the same paragraphs more than once; analysing each once keeps a plan fast.
    return tuple(_K.sentences(text))


@lru_cache(maxsize=8192)
def to_note(sentence: str) -> str:
    return _K.to_note(sentence)


def split_note(note: str, max_syllables: int = MAX_SYLLABLES, max_words: int = MAX_WORDS) -> list[str]:
    return _K.split_note(note, max_syllables=max_syllables, max_words=max_words)


def key_sentences(items: list[str], k: int) -> list[int]:
    return _K.key_sentences(items, k)


def keywords(text: str, k: int) -> list[str]:
    return _K.keywords(text, k)


def notes_from_text(text: str, max_notes: int, max_words: int = MAX_WORDS) -> list[str]:
    return _K.notes_from_text(text, max_notes, max_words=max_words)


def is_boilerplate(sentence: str) -> bool:
    return _K.is_boilerplate(sentence)


def is_formal(sentence: str) -> bool:
    return bool(_K.is_formal(sentence))


_LABEL = re.compile(r"^(\*\*[^*]{1,40}\*\*)\s*[:：]\s*(.+)$|^([^:：]{1,24})[:：]\s+(.+)$")


def note_lines(text: str, max_words: int = MAX_WORDS) -> list[str]:
    return list(_note_lines(text, max_words))


@lru_cache(maxsize=8192)
def _note_lines(text: str, max_words: int) -> tuple[str, ...]:
    """One list item or sentence as notes: a ``**label**: explanation`` keeps its label and shortens the rest."""
    text = " ".join(text.split())
    match = _LABEL.match(text)
    if match:
        label = match.group(1) or match.group(3)
        body = match.group(2) or match.group(4)
        head_words = len(label.split())
        pieces = split_note(to_note(body), max_words=max(4, max_words - head_words))
        return (f"{label}: {pieces[0]}", *pieces[1:]) if pieces else (label,)
    return tuple(split_note(to_note(text), max_words=max_words))


def backend() -> str:
    """Which note engine wrote the notes, for the report (``korean``: kiwipiepy, plan/korean.py)."""
    return "korean"
