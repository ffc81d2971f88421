"""Prompt sections (+ an optional CLI override) in, the ``Page`` (A4, orientation and why) out.

A4 portrait unless the prompt says otherwise. Every clause that mentions an orientation becomes a
*statement* with a strength; the strongest wins and any statement it overrules becomes a warning.

Strength ordering (why): a CLI flag beats everything (the user at the keyboard knows best). In the
prompt, a prohibition ("세로(Portrait) 방향은 사용하지 마세요") or a statement naming the page
("가로 A4", "A4 landscape") is deliberate: 3. A bare orientation word ("Landscape", "가로형", "16:9")
may describe a layout rather than the page: 2. A plain "A4" without orientation only implies the
portrait default: 1. The image request is what the image model acts on, so its statements get +0.5.
Ties go to the later statement, since prompts refine themselves towards the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nanosheet.errors import InputError
from nanosheet.inline import plain_text
from nanosheet.model import Diagnostic, Page, Section

Orientation = Literal["portrait", "landscape"]

# "가로세로" (aspect, literally "width-height") names neither orientation, hence the look-arounds.
_LANDSCAPE = re.compile(
    r"(?<!세로)가로(?!\s*세로)(?:\s*\([^)]*\))?\s*(?=형|방향|모드|레이아웃|배치|A4|용지|페이지|로\b|는|\s*$)"
    r"|\blandscape\b|(?<![\d:])(?:16\s*:\s*9|4\s*:\s*3|√2\s*:\s*1)(?![\d:])",
    re.IGNORECASE,
)
_PORTRAIT = re.compile(
    r"(?<!가로)세로(?!\s*가로)(?:\s*\([^)]*\))?\s*(?=형|방향|모드|레이아웃|배치|A4|용지|페이지|로\b|는|\s*$)"
    r"|\bportrait\b|(?<![\d:])(?:9\s*:\s*16|3\s*:\s*4|1\s*:\s*√2)(?![\d:])",
    re.IGNORECASE,
)
_A4 = re.compile(r"(?<![A-Za-z0-9])A4(?![0-9])")
_NEG_AFTER = re.compile(
    r"사용하지\s*마|쓰지\s*마|하지\s*마|지\s*마세요|말고|말\s*것|금지|않|아니|아닌|안\s*(?:됨|돼|되)"
    r"|\b(?:not|never)\b|n't\b|\bavoid|forbid|prohibit|disallow",
    re.IGNORECASE,
)
_NEG_BEFORE = re.compile(r"\b(?:no|not|never|avoid|don'?t|instead of|rather than|without)\b(?:\W+\w+){0,2}\W*$",
                         re.IGNORECASE)
_CLAUSE = re.compile(r"[.!?;,\n。]+(?!\d)")
_SCANNED_KINDS = {"role", "style", "layout", "instructions", "image_request", "meta", "other"}
_BOX_LINE = re.compile(r"^\s*[┌│├└╔║╚╠┏┃┗┣]")


@dataclass(frozen=True)
class Statement:
    orientation: Orientation
    strength: float
    phrase: str
    line: int


def detect_page(sections: list[Section], file: str, *,
                override: str | None = None) -> tuple[Page, list[Diagnostic]]:
    """Decide the page orientation from the prompt's statements; ``override`` (CLI) wins over all."""
    statements = orientation_statements(sections)
    if override is not None:
        return Page(orientation=_checked(override), orientation_source="cli"), []
    explicit = [s for s in statements if s.strength >= 2]
    if not statements:
        return Page(), []
    winner = max(statements, key=lambda s: (s.strength, s.line))
    source = f"prompt: {_clip(winner.phrase)!r} (line {winner.line})" if explicit else "default"
    page = Page(orientation=winner.orientation, orientation_source=source)
    return page, _conflicts(statements, winner, file)


def orientation_statements(sections: list[Section]) -> list[Statement]:
    """Every clause outside the source and content that says something about the page, in order."""
    found: list[Statement] = []
    for section in sections:
        if section.kind not in _SCANNED_KINDS:
            continue
        bonus = 0.5 if section.kind == "image_request" else 0.0
        first = section.line_end - section.text.count("\n") if section.text else section.line_start
        for offset, line in enumerate(section.text.split("\n")):
            if _BOX_LINE.match(line):
                continue  # wireframe text is sheet content, not an instruction
            for clause in _CLAUSE.split(plain_text(line)):
                statement = read_clause(clause, first + offset)
                if statement is not None:
                    found.append(Statement(statement.orientation, statement.strength + bonus,
                                           statement.phrase, statement.line))
    return found


def read_clause(clause: str, line: int) -> Statement | None:
    """The strongest orientation statement in one clause, or None if it says nothing about the page."""
    mentions = _mentions(clause)
    has_a4 = _A4.search(clause) is not None
    best: Statement | None = None
    for index, (start, end, said) in enumerate(mentions):
        before = clause[mentions[index - 1][1] if index else 0 : start]
        after = clause[end : mentions[index + 1][0] if index + 1 < len(mentions) else len(clause)]
        negated = bool(_NEG_AFTER.search(after) or _NEG_BEFORE.search(before))
        orientation: Orientation = said if not negated else _flip(said)  # type: ignore[assignment]
        strength = 3.0 if negated or has_a4 else 2.0
        candidate = Statement(orientation, strength, clause.strip(), line)
        if best is None or candidate.strength > best.strength:
            best = candidate
    if best is None and has_a4:
        best = Statement("portrait", 1.0, clause.strip(), line)
    return best


def _mentions(clause: str) -> list[tuple[int, int, str]]:
    found = sorted([(m.start(), m.end(), "landscape") for m in _LANDSCAPE.finditer(clause)]
                   + [(m.start(), m.end(), "portrait") for m in _PORTRAIT.finditer(clause)])
    kept: list[tuple[int, int, str]] = []
    for mention in found:
        # "세로(Portrait)" is one mention, not two: drop matches inside an earlier one.
        if kept and mention[0] < kept[-1][1]:
            continue
        kept.append(mention)
    return kept


def _clip(phrase: str, limit: int = 60) -> str:
    return phrase if len(phrase) <= limit else phrase[: limit - 1] + "…"


def _flip(orientation: str) -> Orientation:
    return "portrait" if orientation == "landscape" else "landscape"


def _checked(value: str) -> Orientation:
    lowered = value.strip().lower()
    if lowered in ("portrait", "landscape"):
        return lowered  # type: ignore[return-value]
    raise InputError(f"unknown orientation {value!r}", hint="use 'portrait' or 'landscape'")


def _conflicts(statements: list[Statement], winner: Statement, file: str) -> list[Diagnostic]:
    losers = [s for s in statements if s.orientation != winner.orientation]
    seen: set[int] = set()
    diags: list[Diagnostic] = []
    for loser in losers:
        if loser.line in seen:
            continue
        seen.add(loser.line)
        diags.append(Diagnostic(
            code="orientation-conflict", file=file, line=loser.line,
            message=f"{_clip(loser.phrase)!r} asks for {loser.orientation}, but {_clip(winner.phrase)!r} "
                    f"(line {winner.line}) is a stronger statement; using {winner.orientation}"))
    return diags
