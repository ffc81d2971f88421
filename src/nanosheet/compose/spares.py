"""A composed sheet's rows and its source text in, the same rows with spare notes offered per panel out.

A wireframe panel often holds two short lines while the chapter behind it says more. Spares are what the
page may add to a panel its row leaves under-filled (sheet.js, after the row's body size is chosen): the
chapter's Korean key points and summary sentences that the sheet does not show yet — on the panel's topic
first; a summary panel (핵심, takeaways …) takes the best of the rest. A spare the page has no room for is
dropped silently: it never was content the prompt asked for, so it is not reported as left out.
"""

from __future__ import annotations

import re

from nanosheet.compose.curate import block_text
from nanosheet.compose.draft import Draft, Passage
from nanosheet.compose.enrich import COURSE_WIDE, source_notes, source_passages
from nanosheet.model import Block, Item, ListBlock, Row
from nanosheet.plan.note_style import quick_note

MAX_SPARES = 4
"""Per panel: the page adds them one at a time while they fit, so more would only weigh on the HTML."""
MIN_NOTE_CHARS, MAX_NOTE_CHARS = 12, 64
"""Shorter is a fragment of a list the source wrote inline; longer would need cutting, and a cut sentence
reads worse than a shorter panel."""
_FRAGMENT = re.compile(r"(?:면|고|며|서|지만|는데|니까|도록|려고|거나|든지|\s후|\s때|\s동안|[:：,])$|[\"“”]")
"""A clause the comma split left open (…들어가면), a label line (핵심 포인트:), or a quotation (quote cards
hold those)."""
_LABEL = re.compile(r"^(?:요약|정리|핵심|summary|tl;?dr)\s*[:：]\s*", re.IGNORECASE)
"""``**요약**: …`` — the label repeats what every summary sentence is."""
_SUMMARY_TITLE = re.compile(r"핵심|요약|정리|결론|takeaway|summary|key\s*points?|highlights?|insights?",
                            re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_WORDS = re.compile(r"[a-z0-9]+|[가-힣]+")
_DRAWN = {"mindmap"}
"""A mind map takes its whole panel; notes beside it would crowd its branches."""


def offer_spares(rows: list[Row], source_text: str, shown_text: list[str]) -> list[Row]:
    """Copies of ``rows`` whose panels carry ``spares`` (each a one-item list, best first); ``shown_text`` is
    what the sheet shows outside its panels (title, subtitle), which no spare may repeat."""
    passages = _chapter_passages(source_text)
    if not passages:
        return rows
    shown = _shown_words(rows, shown_text)
    used: set[str] = set()
    out: list[Row] = []
    for row in rows:
        if row.kind == "title":
            out.append(row)
            continue
        panels = []
        for panel in row.panels:
            blocks = [*panel.blocks, *panel.extra]
            if any(b.type in _DRAWN for b in blocks):
                panels.append(panel)
                continue
            notes = _panel_notes(panel.title, passages, shown, used)
            panels.append(panel.model_copy(update={"spares": [_as_block(n) for n in notes]}))
        out.append(row.model_copy(update={"panels": panels}))
    return out


def _chapter_passages(source_text: str) -> list[Passage]:
    """The source's Korean key points and summary sentences in note form, series-wide sections skipped."""
    kept: list[str] = []
    skipping = False
    for line in source_text.splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            skipping = bool(COURSE_WIDE.search(heading.group(1)))
        if not skipping:
            kept.append(line)
    out = []
    for passage in source_passages("\n".join(kept)):
        note = quick_note(_LABEL.sub("", passage.text)) if passage.tier in ("keypoint", "summary") else None
        if (note and MIN_NOTE_CHARS <= len(note) <= MAX_NOTE_CHARS and re.search(r"[가-힣]", note)
                and not _FRAGMENT.search(note)):
            out.append(Passage(note, passage.tier))
    return out


def _panel_notes(title: str, passages: list[Passage], shown: set[str], used: set[str]) -> list[str]:
    fresh = [p for p in passages if p.text not in used and not _already_said(p.text, shown)]
    picked = [p.text for p in source_notes(title, fresh, shown, used, limit=MAX_SPARES)]
    if _SUMMARY_TITLE.search(title):
        for passage in sorted(fresh, key=lambda p: p.tier != "keypoint"):  # key points before sentences
            if len(picked) == MAX_SPARES:
                break
            if passage.text not in used:
                used.add(passage.text)
                picked.append(passage.text)
    return picked


def _already_said(text: str, shown: set[str]) -> bool:
    grams = _grams(text)
    return not grams or len(grams & shown) / len(grams) >= 0.6


def _grams(text: str) -> set[str]:
    """English words whole, Korean as syllable pairs: 방향을 and 방향입니다 share 방향 though no word matches."""
    out: set[str] = set()
    for word in _WORDS.findall(text.lower()):
        if word.isascii():
            out.add(word)
        else:
            out.update(word[i:i + 2] for i in range(max(1, len(word) - 1)))
    return out


def _shown_words(rows: list[Row], extra: list[str]) -> set[str]:
    grams: set[str] = set()
    for text in extra:
        grams |= _grams(text)
    for row in rows:
        for panel in row.panels:
            grams |= _grams(panel.title)
            for block in [*panel.blocks, *panel.extra]:
                grams |= _grams(block_text(block))
    return grams


def _as_block(note: str) -> Block:
    return ListBlock(items=[Item(text=note)])


def add_spares(draft: Draft) -> Draft:
    """The pass: :func:`offer_spares` on the draft's rows (it returns copies)."""
    prompt = draft.prompt
    return draft.revised(offer_spares(list(draft.rows), prompt.source_text, [prompt.title, draft.subtitle or ""]))
