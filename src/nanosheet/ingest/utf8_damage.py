"""Mojibake text in, UTF-8 byte sequences out: which runs were UTF-8, which lost bytes, what they could be.

Mojibake here means UTF-8 bytes decoded with a single-byte code page (Windows-1252/1254, Latin-1) and
saved again. Each mojibake character stands for one byte, so ``ì•ˆ`` is ``EC 95 88`` = ``안``.
Sloppy tools also *drop* bytes: the ones the code page leaves undefined, and 0xAD (it became U+00AD,
a soft hyphen, which sanitisers strip). Every dropped byte lies in 0x80–0xBF, i.e. it is a UTF-8
continuation byte; lead bytes and ASCII always survive, so each character's start is still known and a
damaged character is just "this lead byte plus fewer continuation bytes than it announces". The
candidates are every way of putting lost bytes back into the missing slots.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-* codecs we read the tables from)

# ftfy's sloppy codecs map every byte, filling code-page holes with the same-numbered C1 control,
# so together they give one char -> byte table for everything these code pages can produce.
_CODECS = ("sloppy-windows-1254", "sloppy-windows-1252", "latin-1")
BYTE_OF: dict[str, int] = {}
for _codec in _CODECS:
    for _byte, _char in enumerate(bytes(range(256)).decode(_codec)):
        BYTE_OF.setdefault(_char, _byte)

# Bytes a strict decoder drops: undefined in Windows-1252 or -1254 (0x8E/0x9E are defined only in
# 1252), plus 0xAD whose soft hyphen gets stripped.
_DROPPABLE = (0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD)
_ONLY_1254 = frozenset("ĞİŞğış")
_ONLY_1252 = frozenset("ÐÝÞðýþŽž")
_C1 = frozenset(chr(c) for c in range(0x80, 0xA0))


def _char_class(lo: int, hi: int) -> str:
    chars = sorted((c for c, b in BYTE_OF.items() if lo <= b <= hi), key=ord)
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_CONT = _char_class(0x80, 0xBF)
# A lead character followed by as many continuation characters as are there, up to what it needs.
SEQUENCE_RE = re.compile(
    f"{_char_class(0xC2, 0xDF)}{_CONT}?|{_char_class(0xE0, 0xEF)}{_CONT}{{0,2}}|{_char_class(0xF0, 0xF4)}{_CONT}{{0,3}}"
)
STRAY_RE = re.compile(_CONT)


def sequence_length(lead: int) -> int:
    """Bytes a UTF-8 character starting with ``lead`` has in total."""
    return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


@dataclass(frozen=True)
class Codepage:
    """What the text went through: the code page's name and the bytes that were lost on the way."""

    name: str
    lost: tuple[int, ...]


def detect_codepage(text: str) -> Codepage:
    """Name the code page from characters only it produces, and infer which bytes were dropped.

    A byte is taken as lost only if its character never appears in the text: a file that still holds
    ``ž`` went through Windows-1252, where 0x9E is defined, so 0x9E cannot be a lost byte.
    """
    present = set(text)
    if present & _ONLY_1254:
        name = "windows-1254"
    elif present & _ONLY_1252:
        name = "windows-1252"
    elif present & _C1:
        name = "latin-1"
    else:
        name = "windows-1252"
    seen = {BYTE_OF[c] for c in present if c in BYTE_OF}
    lost = tuple(b for b in _DROPPABLE if b not in seen)
    return Codepage(name, lost)


def _usable(char: str) -> bool:
    """A character a real document can contain: assigned, not a control, surrogate or noncharacter."""
    cp = ord(char)
    if unicodedata.category(char) in ("Cn", "Cs", "Cc"):
        return False
    return not (0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE)


@lru_cache(maxsize=65536)
def candidates(lead: int, kept: tuple[int, ...], lost: tuple[int, ...]) -> tuple[str, ...]:
    """Every usable character whose UTF-8 is ``lead`` + ``kept`` with lost bytes put back, in code point order."""
    need = sequence_length(lead) - 1
    missing = need - len(kept)
    found: set[str] = set()
    for slots in itertools.combinations(range(need), missing):
        for fill in itertools.product(lost, repeat=missing):
            filled, rest = iter(fill), iter(kept)
            tail = bytes(next(filled) if i in slots else next(rest) for i in range(need))
            try:
                char = (bytes([lead]) + tail).decode("utf-8")
            except UnicodeDecodeError:
                continue  # overlong forms, surrogates and code points past U+10FFFF
            if _usable(char):
                found.add(char)
    return tuple(sorted(found, key=ord))


def is_hangul_syllable(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


@lru_cache(maxsize=65536)
def in_ksx1001(char: str) -> bool:
    """True for characters in KS X 1001, the Korean national character set (2,350 common syllables,
    symbols, box drawing, Hanja). Python's euc_kr writes the other 8,822 syllables as 8-byte jamo
    sequences, so a 2-byte encoding means the character is really in the set."""
    try:
        return len(char.encode("euc_kr")) <= 2
    except UnicodeEncodeError:
        return False
