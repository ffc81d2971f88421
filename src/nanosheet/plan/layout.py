"""Candidate pieces in, rows of panels out: a template per chapter type, sized by what each panel holds.

The richest visual takes the widest band in the middle (the origin's lecture template: title, two
panels, a wide centre, two or three panels, a takeaways strip). Row heights follow each row's
measured need — display cells of its notes at the panel's width, or the drawing's own height — so a
short list does not get a tall empty box. 4–7 content panels; panel titles of at most ~4 words.
"""

from __future__ import annotations

import math
import re
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
MIN_PANELS = 4
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
    overview = lambda: _with_body_spares(notes_piece("overview", "개요", intro, a, used, 3, weight=1.8), a, used)  # noqa: E731
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
        # examples before the spoken notes: a sentence that gives an example belongs in the examples panel
        "tutorial": [overview, examples, spoken, steps_list, lambda: code(a) if _about_code(a) else None, cautions,
                     checks,
                     lambda: table(a, used), examples, *concepts],
        "article": [overview, lambda: table(a, used), visual, checks, cautions, lambda: figures(a, used), examples,
                    *concepts],
        "usecase": [overview, lambda: table(a, used), visual, examples, checks, cautions, lambda: figures(a, used),
                    *concepts],
    }
    return common[a.kind]


def _with_body_spares(piece: Piece | None, a: Analysis, used: set[str]) -> Piece | None:
    """A short intro may run out of notes: the chapter's best notes elsewhere are its further candidates."""
    if piece is None or len(piece.spare) >= 3:
        return piece
    from nanosheet.plan.distil import best_notes, block_notes

    pool = [n for info in a.body if info.role in ("concept", "overview", "process")
            for n in block_notes(info.blocks, a.key_terms)]
    for order, note in enumerate(pool):
        note.order = order
    ranked = sorted(best_notes(pool, 4, set(used)), key=lambda n: (n.text.endswith("…"), -n.terms, n.order))
    piece.spare += [(f"- {n.text}", n.line) for n in ranked]
    return piece


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
    fill_rows(rows)
    if merge_sparse(rows):
        _size_rows(rows)
        fill_rows(rows)
    return rows


SPARSE = 0.45
"""A text panel whose estimate stays under this share of its row, with nothing left to add, is merged."""


def merge_sparse(rows: list[RowPlan]) -> bool:
    """A panel too short for its row (one example beside a full table) joins its shorter neighbour
    under its own title as a sub-heading, so the row holds fewer, fuller boxes. True if any merged."""
    merged = False
    for row in rows:
        if row.kind != "panels" or len(row.pieces) < 2 or sum(len(r.pieces) for r in rows) <= MIN_PANELS:
            continue
        height = row.ratio / 100.0 * CONTENT_H_MM
        width = CONTENT_W_MM / len(row.pieces)
        for piece in list(row.pieces):
            if piece.visual or piece.need or piece.spare or need_mm(piece, width) >= SPARSE * height:
                continue
            others = [p for p in row.pieces if p is not piece and not p.visual and not p.need]
            if not others:
                continue
            host = min(others, key=lambda p: need_mm(p, width))
            host.markdown = f"{host.markdown.rstrip()}\n\n### {piece.title}\n\n{piece.markdown.strip()}"
            host.lines = sorted({*host.lines, *piece.lines})
            host.sections = [*host.sections, *(t for t in piece.sections if t not in host.sections)]
            host.spare = []  # its spares would land under the merged heading
            row.pieces.remove(piece)
            merged = True
            break
    return merged


FILL_LOW, FILL_HIGH = 0.8, 0.95
"""The share of its box a panel's estimated content should reach (the fitter then sets the size)."""


def fill_rows(rows: list[RowPlan], shown: set[str] | None = None) -> None:
    """Capacity-aware fill: a panel whose content is well short of its row's height takes its next
    spare candidates (best first) while the estimate stays within the box, so a row's short panel is
    not a half-empty box beside a full one."""
    seen = set(shown or ()) | {_key(line) for r in rows for p in r.pieces for line in p.markdown.splitlines()}
    for row in rows:
        height = row.ratio / 100.0 * CONTENT_H_MM
        width = CONTENT_W_MM / len(row.pieces)
        for piece in row.pieces:
            if not piece.spare or (piece.need and (row.kind == "band" or piece.kind not in ("flow", "loop"))):
                continue
            while piece.spare and _need_with(piece, piece.markdown, width) < FILL_LOW * height:
                chunk, line = piece.spare.pop(0)
                if _key(chunk) in seen:
                    continue
                grown = add_chunk(piece.markdown, chunk)
                if _need_with(piece, grown, width) > FILL_HIGH * height:
                    piece.spare.insert(0, (chunk, line))
                    break
                piece.markdown = grown
                seen.add(_key(chunk))
                if line is not None and line not in piece.lines:
                    piece.lines = sorted([*piece.lines, line])


def _need_with(piece: Piece, markdown: str, width: float) -> float:
    """The estimate for ``markdown`` as this piece's content: a drawing's own height plus any notes under it."""
    if not piece.need:
        return _need_of(markdown, piece.kind, width)
    notes = markdown.rsplit("```", 1)[-1]
    return piece.need + (_need_of(notes, "notes", width) - 12.0 if notes.strip() else 0.0)


def add_chunk(markdown: str, chunk: str) -> str:
    """``markdown`` with one more list item, table row or quote; a numbered item takes the next number."""
    numbered = re.match(r"^\d+\.\s", chunk)
    if numbered:
        count = sum(1 for ln in markdown.splitlines() if re.match(r"^\d+\.\s", ln))
        chunk = f"{count + 1}. {chunk[numbered.end():]}"
    last = markdown.rstrip("\n").rsplit("\n", 1)[-1]
    run = last.startswith(("-", "|")) or bool(re.match(r"^\d+\.\s", last))
    joiner = "\n" if run and (chunk.startswith(("-", "|")) or numbered) else "\n\n"
    return markdown.rstrip("\n") + joiner + chunk


def _key(text: str) -> str:
    from nanosheet.plan.analyse import squash_term

    return squash_term(re.sub(r"^\s*(?:[-|>]|\d+\.)\s*(?:✓|⚠️)?\s*", "", text))[:40]


CENTRE_SHARE = {"mindmap": 30.0, "flow": 22.0, "loop": 22.0}
"""The least share of the page the main drawing's band takes: it is the sheet's visual centre."""


def _size_rows(rows: list[RowPlan]) -> None:
    needs = [max(need_mm(p, CONTENT_W_MM / len(r.pieces)) for p in r.pieces) for r in rows]
    total = sum(needs) or 1.0
    share = 100.0 - TITLE_RATIO
    ratios = [max(MIN_ROW, share * n / total) for n in needs]
    ratios = [r * share / sum(ratios) for r in ratios]
    centre = next((i for i, r in enumerate(rows) if r.kind == "band" and r.pieces[0].visual), None)
    if centre is not None and len(rows) > 1:
        floor = CENTRE_SHARE.get(rows[centre].pieces[0].kind, 0.0)
        if ratios[centre] < floor:  # the other rows share what the centre leaves, in proportion
            rest = sum(r for i, r in enumerate(ratios) if i != centre)
            ratios = [floor if i == centre else r * (share - floor) / rest for i, r in enumerate(ratios)]
    for row, ratio in zip(rows, ratios, strict=True):
        row.ratio = round(ratio, 1)
    drift = round(share - sum(r.ratio for r in rows), 1)
    if rows:
        max(rows, key=lambda r: r.ratio).ratio = round(max(rows, key=lambda r: r.ratio).ratio + drift, 1)


def need_mm(piece: Piece, width_mm: float) -> float:
    """How tall the panel wants to be at about 10 pt: its lines at this width, or its drawing's height."""
    if piece.need:
        return piece.need
    return _need_of(piece.markdown, piece.kind, width_mm)


def _need_of(markdown: str, kind: str, width_mm: float) -> float:
    cells_per_line = max(10.0, (width_mm - 8.0) / 1.85)
    lines = 0
    for line in markdown.splitlines():
        text = line.strip()
        if not text or text.startswith(("```", "|---")):
            continue
        cells = sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in text)
        lines += math.ceil(cells / cells_per_line)
    extra = 1.6 if kind == "table" else 1.15
    return 12.0 + lines * 4.9 * extra
