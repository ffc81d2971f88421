"""Possibly-mojibake text in, repaired text and a record of every change (``Repairs``) out.

Clean text comes back unchanged without loading any language model. Mojibake (UTF-8 read as
Windows-1252/1254 or Latin-1 and saved again) is turned back into bytes and decoded; characters that
lost bytes on the way are rebuilt from their candidates — Hangul by a Korean language model and the
document's own vocabulary (``choose_hangul``), everything else from the document's own evidence and a
genre prior for technical Markdown (``choose_symbol``, ``priors``) — and any
that have no candidate at all become U+FFFD and are listed in ``Repairs.unrecoverable``.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

from nanosheet.ingest.choose_hangul import choose_hangul, hangul_candidates
from nanosheet.ingest.choose_symbol import choose_symbols
from nanosheet.ingest.draft import HOLE, Draft, Gap
from nanosheet.ingest.utf8_damage import (
    BYTE_OF,
    SEQUENCE_RE,
    STRAY_RE,
    candidates,
    detect_codepage,
    sequence_length,
)
from nanosheet.model import Recovery, Repairs

__all__ = ["make_mojibake", "repair_mojibake"]
_log = logging.getLogger(__name__)


def make_mojibake(text: str, codec: str = "windows-1254") -> str:
    """Do to ``text`` what the seed went through: UTF-8 bytes decoded with ``codec`` by a strict
    decoder that drops the bytes the code page leaves undefined, then every soft hyphen removed."""
    return text.encode("utf-8").decode(codec, errors="ignore").replace("\u00ad", "")


def repair_mojibake(text: str) -> tuple[str, Repairs]:
    """Undo mojibake if ``text`` has it; otherwise return it unchanged with empty ``Repairs``."""
    scan = _scan(text)
    if not scan.is_mojibake:
        return text, Repairs()
    codepage = detect_codepage(text)
    pieces: list[str] = []
    holes: list[tuple[int, tuple[str, ...]]] = []  # (offset in the draft, candidates)
    size = 0
    pos = 0
    for match in SEQUENCE_RE.finditer(text):
        piece = text[pos:match.start()]
        pieces.append(piece)
        size += len(piece)
        pos = match.end()
        raw = [BYTE_OF[c] for c in match.group()]
        if len(raw) == sequence_length(raw[0]):
            try:
                char = bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                char = match.group()  # not UTF-8 after all (e.g. an overlong form): keep as written
        else:
            holes.append((size, candidates(raw[0], tuple(raw[1:]), codepage.lost)))
            char = HOLE
        pieces.append(char)
        size += len(char)
    pieces.append(text[pos:])
    draft = Draft("".join(pieces))
    gaps = _place(holes, draft)
    _choose(gaps, draft)
    repaired = draft.text()
    repairs = Repairs(mojibake=codepage.name, changed_chars=scan.complete + len(gaps))
    for gap in gaps:
        recovery = Recovery(line=gap.line + 1, col=gap.col + 1, chosen=gap.chosen, candidates=gap.ranked,
                            guessed=gap.tied)
        (repairs.recovered if gap.ranked else repairs.unrecoverable).append(recovery)
    return repaired, repairs


@dataclass(frozen=True)
class _Scan:
    complete: int
    incomplete: int
    strays: int

    @property
    def is_mojibake(self) -> bool:
        """Whole UTF-8 sequences spelt in code-page characters almost never occur in clean text
        (``Ã©`` for ``é``), while in mojibake they outnumber damaged ones several times over; lone
        continuation characters (``•``, ``—`` typed as such) are evidence of clean text. Sequences cut
        short by a lost byte count against a lone whole one only where such strays exist: a short line
        whose ``교`` and emoji each lost a byte (1 whole, 3 cut, no strays) is mojibake too."""
        return (self.complete >= 1 and self.complete >= self.strays
                and (2 * self.complete >= self.incomplete or self.strays == 0))


def _scan(text: str) -> _Scan:
    complete = incomplete = consumed = 0
    for match in SEQUENCE_RE.finditer(text):
        seq = match.group()
        consumed += len(seq) - 1
        if len(seq) == sequence_length(BYTE_OF[seq[0]]):
            complete += 1
        else:
            incomplete += 1
    strays = len(STRAY_RE.findall(text)) - consumed if complete else 0
    return _Scan(complete, incomplete, strays)


def _place(holes: list[tuple[int, tuple[str, ...]]], draft: Draft) -> list[Gap]:
    """Turn draft offsets into (line, col) gaps."""
    starts = [0]
    for text in draft.lines[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    gaps = []
    for offset, cands in holes:
        line = bisect.bisect_right(starts, offset) - 1
        gaps.append(Gap(line=line, col=offset - starts[line], candidates=cands))
    return gaps


def _choose(gaps: list[Gap], draft: Draft) -> None:
    """Symbols first (they do not depend on words), then Hangul with symbols already in place."""
    hangul: list[Gap] = []
    symbols: list[Gap] = []
    for gap in gaps:
        syllables = hangul_candidates(gap.candidates)
        if syllables:
            gap.candidates = syllables
            hangul.append(gap)
            draft.wide.add((gap.line, gap.col))  # every syllable is two cells wide
        elif gap.candidates:
            symbols.append(gap)
    choose_symbols(symbols, draft)
    if hangul and (unscored := choose_hangul(hangul, draft)):
        _log.warning("%d damaged syllables past the language-model budget were decided from the file's "
                     "earlier choices", unscored)
