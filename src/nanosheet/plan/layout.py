"""Candidate pieces in, rows of panels out: a template per chapter type, sized by what each panel holds.

The richest visual takes the widest band in the middle (the origin's lecture template: title, two
panels, a wide centre, two or three panels, a takeaways strip). Row heights follow each row's
measured need — display cells of its notes at the panel's width, or the drawing's own height — so a
short list does not get a tall empty box. 4–7 content panels; panel titles of at most ~4 words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from nanosheet.plan.analyse import Analysis
from nanosheet.plan.pictures import (
    Piece,
    code,
    figures,
    flow,
    mind_map,
    mined_examples,
    notes_piece,
    quotes,
    table,
    transcript_notes,
)

TITLE_RATIO = 8.0
MIN_ROW = 11.0
CONTENT_W_MM = 186.0
CONTENT_H_MM = 262.0
MAX_PANELS = 7
WORD_BUDGET = 330


@dataclass
class RowPlan:
    """One row of the plan: ``band`` for a full-width drawing, else side-by-side panels."""

    kind: str
    pieces: list[Piece]
    ratio: float = 0.0


def choose_pieces(analysis: Analysis) -> tuple[Piece | None, list[Piece], Piece | None, str]:
    """(main visual, secondary panels in order, takeaways, template name) for this chapter."""
    used: set[str] = set()
    template = analysis.kind
    mind = mind_map(analysis, used)
    steps = flow(analysis)
    if template == "tutorial":
        main, other_visual = (steps, mind) if steps else (mind, None)
    else:
        main, other_visual = (mind, steps) if mind else (steps, None)
    digest = analysis.with_role("summary")
    listed = [replace(s, blocks=[b for b in s.blocks if b.type == "list"]) for s in digest]
    takeaways = notes_piece("takeaways", "핵심 요약", listed if any(s.blocks for s in listed) else digest,
                            analysis, used, 5, mark="- ✓", weight=2.6)
    slots: list[Callable[[], Piece | None]] = _slots(analysis, used, other_visual)
    secondaries: list[Piece] = []
    words = _words(main) + _words(takeaways)
    for slot in slots:
        if len(secondaries) >= MAX_PANELS - 1 - (takeaways is not None) or words > WORD_BUDGET:
            break
        piece = slot()
        if piece is not None and piece.title not in {p.title for p in secondaries}:
            secondaries.append(piece)
            words += _words(piece)
    if main is None and secondaries:
        main = next((p for p in secondaries if p.visual), None)
        if main is not None:
            secondaries.remove(main)
    return main, secondaries, takeaways, template


def _slots(analysis: Analysis, used: set[str], other_visual: Piece | None) -> list[Callable[[], Piece | None]]:
    a = analysis
    # Without an intro section, a digest's paragraph introduces (its list items are the takeaways).
    intro = a.with_role("title", "overview") or [replace(s, blocks=[b for b in s.blocks if b.type == "text"])
                                                 for s in a.with_role("summary")[:1]]
    overview = lambda: notes_piece("overview", "개요", intro, a, used, 3, weight=1.8)  # noqa: E731
    cautions = lambda: notes_piece("cautions", "주의할 점" if a.kind != "tutorial" else "문제 해결",  # noqa: E731
                                   a.with_role("limitations"), a, used, 4, mark="- ⚠️", weight=2.0)
    checks = lambda: notes_piece("checklist", "장점" if a.with_role("advantages") else "실천 팁",  # noqa: E731
                                 a.with_role("advantages") or a.with_role("tips"), a, used, 4, mark="- ✓",
                                 weight=1.9)
    steps_list = lambda: notes_piece("steps", "단계별 진행", a.with_role("process"), a, used, 5, mark="1.",  # noqa: E731
                                     weight=1.9)
    examples = lambda: (notes_piece("example", "예시", a.with_role("example"), a, used, 3, weight=1.5)  # noqa: E731
                        or mined_examples(a, used))
    visual = lambda: other_visual  # noqa: E731
    concepts = [_concept_slot(a, used, k) for k in range(4)]
    spoken = lambda: transcript_notes(a, used, 4)  # noqa: E731
    common = {
        "lecture": [overview, visual, lambda: table(a, used), lambda: quotes(a, used), spoken, lambda: figures(a, used),
                    cautions, examples, *concepts],
        "tutorial": [overview, spoken, examples, steps_list, lambda: code(a) if _about_code(a) else None, cautions,
                     checks,
                     lambda: table(a, used), examples, *concepts],
        "article": [overview, lambda: table(a, used), visual, checks, cautions, lambda: figures(a, used), examples,
                    *concepts],
        "usecase": [overview, lambda: table(a, used), visual, examples, checks, cautions, lambda: figures(a, used),
                    *concepts],
    }
    return common[a.kind]


def _concept_slot(a: Analysis, used: set[str], k: int) -> Callable[[], Piece | None]:
    def slot() -> Piece | None:
        concepts = [s for s in a.body if s.role in ("concept", "process", "example", "numbers", "code")]
        ranked = sorted(concepts, key=lambda s: -sum(1 for t in a.key_terms if t.lower() in s.section.text.lower()))
        if k >= len(ranked):
            return None
        from nanosheet.plan.distil import short_label

        info = ranked[k]
        return notes_piece("notes", short_label(info.title, 4, 18) or "핵심 개념", [info], a, used, 3, weight=1.4)
    return slot


def _about_code(a: Analysis) -> bool:
    return a.kind == "tutorial" or len(a.with_role("code")) >= 2


def _words(piece: Piece | None) -> int:
    if piece is None:
        return 0
    return len([w for w in piece.markdown.replace("```", " ").split() if w not in ("-", "|", ">", "---|")])


def arrange(main: Piece | None, secondaries: list[Piece], takeaways: Piece | None) -> list[RowPlan]:
    """The rows: two panels above the wide centre, the rest below, the takeaways strip last."""
    wide = [p for p in secondaries if p.wide]
    narrow = [p for p in secondaries if not p.wide]
    top_count = 2 if len(narrow) >= 4 else min(len(narrow), 2) if len(narrow) >= 3 else 0
    top, bottom = narrow[:top_count], narrow[top_count:]
    rows: list[RowPlan] = []
    if top:
        rows.append(RowPlan("panels", top))
    if main is not None:
        rows.append(RowPlan("band", [main]))
    rows.extend(RowPlan("band", [p]) for p in wide)
    for start in range(0, len(bottom), 3):
        chunk = bottom[start : start + 3]
        if len(bottom) == 4:
            chunk = bottom[start : start + 2] if start < 4 else []
        if chunk:
            rows.append(RowPlan("panels", chunk))
    if len(bottom) == 4:
        rows = [r for r in rows if r.pieces]
    if takeaways is not None:
        rows.append(RowPlan("band", [takeaways]))
    _size_rows(rows)
    return rows


def _size_rows(rows: list[RowPlan]) -> None:
    needs = [max(need_mm(p, CONTENT_W_MM / len(r.pieces)) for p in r.pieces) for r in rows]
    total = sum(needs) or 1.0
    share = 100.0 - TITLE_RATIO
    ratios = [max(MIN_ROW, share * n / total) for n in needs]
    scale = share / sum(ratios)
    for row, ratio in zip(rows, ratios, strict=True):
        row.ratio = round(ratio * scale, 1)
    drift = round(share - sum(r.ratio for r in rows), 1)
    if rows:
        max(rows, key=lambda r: r.ratio).ratio = round(max(rows, key=lambda r: r.ratio).ratio + drift, 1)


def need_mm(piece: Piece, width_mm: float) -> float:
    """How tall the panel wants to be at about 10 pt: its lines at this width, or its drawing's height."""
    if piece.need:
        return piece.need
    cells_per_line = max(10.0, (width_mm - 8.0) / 1.85)
    lines = 0
    for line in piece.markdown.splitlines():
        text = line.strip()
        if not text or text.startswith(("```", "|---")):
            continue
        cells = sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in text)
        lines += math.ceil(cells / cells_per_line)
    extra = 1.6 if piece.kind == "table" else 1.15
    return 12.0 + lines * 4.9 * extra
