"""The title band's tagline: a Draft in, one whose title band says in a sentence what the chapter is about out."""

from __future__ import annotations

import re

from nanosheet.compose.draft import Draft
from nanosheet.inline import plain_text
from nanosheet.model import TextBlock


def add_tagline(draft: Draft) -> Draft:
    """The pass: the chapter's one-sentence summary under the title (drawn only if it fits)."""
    prompt = draft.prompt
    tagline = chapter_tagline(prompt.source_text)
    titles = [p for row in draft.rows if row.kind == "title" for p in row.panels]
    if not tagline or not titles or titles[0].extra or tagline == prompt.subtitle or prompt.plan is not None:
        return draft
    shown = " ".join(getattr(b, "text", "") for row in draft.rows for p in row.panels for b in [*p.blocks, *p.extra])
    if tagline.rstrip("…") in plain_text(shown):  # a chapter's summary panel already says it
        return draft
    rows = draft.copy_rows()
    next(p for row in rows if row.kind == "title" for p in row.panels).extra.append(TextBlock(text=tagline))
    return draft.revised(rows)


_TAGLINE_HEADINGS = (r"이\s*챕터\s*요약", r"챕터\s*요약", r"세션\s*개요", r"^요약$", r"overview", r"summary", r"개요",
                     r"key\s*(concept|insight)", r"introduction")
_COURSE_WIDE = re.compile(r"전체\s*강의|tl;dr", re.IGNORECASE)
TAGLINE_CHARS = 160


def chapter_tagline(source_text: str) -> str | None:
    """One sentence saying what the chapter is about, for the title band.

    The chapter's own summary wins (``## 이 챕터 요약``, ``**요약**:``, ``Overview``); a course-wide TL;DR
    repeated in every chapter does not describe this one and is skipped.
    """
    paragraphs = _labelled_paragraphs(source_text)
    for pattern in _TAGLINE_HEADINGS:
        for label, text in paragraphs:
            if label and re.search(pattern, label, re.IGNORECASE) and not _COURSE_WIDE.search(label):
                return _first_sentence(text)
    unlabelled = [text for label, text in paragraphs if not (label and _COURSE_WIDE.search(label))]
    return _first_sentence(unlabelled[0]) if unlabelled else None


def _labelled_paragraphs(source_text: str) -> list[tuple[str | None, str]]:
    """(the heading or ``**label**:`` it sits under, paragraph text) for each prose paragraph."""
    out: list[tuple[str | None, str]] = []
    label: str | None = None
    for block in re.split(r"\n\s*\n", source_text):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        first = lines[0]
        heading = re.match(r"^#{1,6}\s+(.*)$", first)
        if heading:
            label = heading.group(1).strip()
            lines = lines[1:]
        inline = re.match(r"^\*\*([^*]{1,20})\*\*\s*:\s*(.*)$", lines[0]) if lines else None
        if inline:
            label, lines = inline.group(1), [inline.group(2), *lines[1:]]
        prose = [ln for ln in lines if not ln.startswith((">", "-", "*", "|", "[", "```", "#")) and ln]
        if prose and re.search(r"[A-Za-z가-힣]{3}", prose[0]) and not prose[0].startswith("---"):
            out.append((label, _plain(" ".join(prose))))
    return out


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s+|(?<=다\.)\s*", text.strip())[0]
    if len(sentence) <= TAGLINE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, TAGLINE_CHARS)
    return sentence[: cut if cut > TAGLINE_CHARS // 2 else TAGLINE_CHARS].rstrip(",.;: ") + "…"


def _plain(text: str) -> str:
    return plain_text(text).strip()
