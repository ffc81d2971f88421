"""Notes from the source: a Draft and the chapter's passages in, a Draft whose panels quote them out.

Where the source speaks of a mind-map branch, its words become the branch's note — the chapter's Korean
key points first, then its summary sentences, then the timestamped English transcript (the timestamp
becomes a chip). English branch names meet Korean text through the glossary and loanword sound-alikes
(Multimodal ~ 멀티모달). A panel no content section filled gets what the chapter says about its topic.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nanosheet.compose.curate import block_words
from nanosheet.compose.draft import Draft, Passage
from nanosheet.compose.glossary import TERMS, korean_forms, romanised_match
from nanosheet.compose.icons import choose_icon
from nanosheet.compose.matching import normalise_title
from nanosheet.inline import plain_text
from nanosheet.model import Block, Item, ListBlock, MindMapBlock, Panel, QuoteBlock, TextBlock
from nanosheet.plan.note_style import quick_note

NOTE_CHARS = 44
_TIMESTAMP = re.compile(r"^\s*\[(\d{1,2}(?::\d{2}){1,2})\]\s*(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")
_TIERS = {"keypoint": 3.0, "summary": 2.0, "panel": 1.5, "transcript": 1.0}
_DRAWINGS = {"mindmap", "flow", "diagram"}


def source_passages(source_text: str) -> list[Passage]:
    """Split the chapter into key-point bullets, summary sentences and transcript chunks."""
    passages: list[Passage] = []
    fenced = False
    for raw in source_text.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced  # a fence's lines are code or a diagram's source, never a note
            continue
        if fenced or not line or line.startswith(("#", "|", "---")):
            continue
        stamp = _TIMESTAMP.match(line)
        bullet = _BULLET.match(line)
        if stamp:
            passages.append(Passage(stamp.group(2), "transcript", stamp.group(1)))
        elif bullet and re.search(r"[가-힣]", line):
            passages.append(Passage(_plain(bullet.group(1)), "keypoint"))
        elif re.search(r"[가-힣]", line) and not line.startswith(">"):
            passages.extend(Passage(c, "summary") for c in _clauses(_plain(line)))
    return passages


def panel_passages(lines: list[str]) -> list[Passage]:
    """The wireframe's own panel lines, quotable as notes for a mind map's branches (after the chapter's)."""
    return [Passage(_plain(t), "panel") for t in lines if t.strip()]


def _clauses(paragraph: str) -> list[str]:
    """Sentences, then comma-separated clauses outside brackets: one clause speaks of one branch."""
    out = []
    for sentence in re.split(r"(?<=[.!?다])\s+", paragraph):
        depth, start = 0, 0
        for i, char in enumerate(sentence):
            depth += char in "([" and 1 or (char in ")]" and -1 or 0)
            if char == "," and depth == 0:
                out.append(sentence[start:i])
                start = i + 1
        out.append(sentence[start:])
    return [c.strip() for c in out if len(c.strip()) > 3]


def enrich_mindmap(block: MindMapBlock, passages: list[Passage]) -> MindMapBlock:
    """A copy of the mind map whose branches carry the best-matching passage as a note."""
    used: set[str] = set()
    children = []
    for child in block.children:
        node = child.model_copy(deep=True)
        if node.note is None:
            best = _best_passage(node.label, passages, used)
            if best is not None:
                used.add(best.text)
                node.note = _note_text(node.label, best)
                node.note_ref = best.timestamp
        children.append(node)
    return block.model_copy(update={"children": children})


def _best_passage(label: str, passages: list[Passage], used: set[str]) -> Passage | None:
    # The chapter's own Korean notes come first whenever they surely name the branch; the transcript
    # only when they do not. Within each, how surely the passage names it, then the tier.
    scored = [(p.tier != "transcript" and m >= 0.6, m, _TIERS[p.tier], -i, p)
              for i, p in enumerate(passages) if p.text not in used and (m := _mention(label, p.text)) > 0]
    if not scored:
        return None
    return max(scored, key=lambda s: s[:4])[4]


def _mention(label: str, text: str) -> float:
    """How surely text speaks of label: 1 for the English words, 0.9 for a glossary form, less for a sound-alike."""
    lowered = text.lower()
    words = [w for w in re.findall(r"[a-z]+", label.lower()) if len(w) > 2]
    if words and re.search(r"\b" + r"[\s-]*".join(map(re.escape, words)), lowered):
        return 1.0
    # A multi-word label needs its whole phrase's forms: "학습" alone is not "Test-Time Training".
    forms = korean_forms(label) if len(words) <= 1 else TERMS.get(" ".join(words), TERMS.get(label.lower(), ()))
    for form in forms:
        if len(form) >= 2 and form in text:
            return 0.9 if form.split()[0] in _leading_words(text, 3) else 0.7
    if len(words) == 1:
        sound = max((romanised_match(words[0], k) for k in re.findall(r"[가-힣]{2,}", text)), default=0.0)
        if sound >= 0.8:
            return 0.6
    return 0.0


def _leading_words(text: str, n: int) -> list[str]:
    return re.findall(r"[가-힣A-Za-z]+", text)[:n]


def _note_text(label: str, passage: Passage) -> str:
    text = passage.text
    # "멀티모달: 이미지, 오디오, 비디오" -> the part after the label is the note.
    head, sep, tail = text.partition(":")
    if sep and len(head) <= 20 and tail.strip():
        text = tail.strip()
    # A transcript clause around the label; a Korean note in note form (있습니다 → 있음) where that is exact.
    # Raw speech loses its fillers ("uh", "you know"): a note quotes what was said, not how.
    text = _FILLERS.sub("", _around(text, label)) if passage.tier == "transcript" else quick_note(text) or text
    return _shorten(text)


def _around(text: str, label: str) -> str:
    """The clause of a long transcript chunk that names the label."""
    words = [w for w in re.findall(r"[a-z]+", label.lower()) if len(w) > 2]
    pos = min((text.lower().find(w) for w in words if w in text.lower()), default=0)
    return "…" + text[pos:].strip() if pos > 0 else text


def _shorten(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= NOTE_CHARS:
        return text
    cut = text.rfind(" ", 0, NOTE_CHARS)
    return text[: cut if cut > NOTE_CHARS // 2 else NOTE_CHARS].rstrip(",.;: ") + "…"


def _plain(text: str) -> str:
    return plain_text(text).strip()



_TAGLINE_HEADINGS = (r"이\s*챕터\s*요약", r"챕터\s*요약", r"세션\s*개요", r"^요약$", r"overview", r"summary", r"개요",
                     r"key\s*(concept|insight)", r"introduction")
COURSE_WIDE = re.compile(r"전체\s*강의|tl;dr|이\s*강의|강의\s*(전체|요약|소개)|course|series|시리즈", re.IGNORECASE)
"""Headings of what a lecture series repeats in every chapter file (the course's summary, what the course
teaches): it says nothing about this chapter."""
TAGLINE_CHARS = 160


def chapter_tagline(source_text: str) -> str | None:
    """One sentence saying what the chapter is about, for the title band.

    The chapter's own summary wins (``## 이 챕터 요약``, ``**요약**:``, ``Overview``); a course-wide TL;DR
    repeated in every chapter does not describe this one and is skipped.
    """
    paragraphs = _labelled_paragraphs(source_text)
    for pattern in _TAGLINE_HEADINGS:
        for label, text in paragraphs:
            if label and re.search(pattern, label, re.IGNORECASE) and not COURSE_WIDE.search(label):
                return _first_sentence(text)
    unlabelled = [text for label, text in paragraphs if not (label and COURSE_WIDE.search(label))]
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
    # A sentence cut mid-clause reads as a mistake: end at the last clause boundary that fits, else show none.
    clause = max(sentence.rfind(mark, 0, TAGLINE_CHARS) for mark in (", ", "; ", " — ", " - "))
    return sentence[:clause].rstrip() if clause > TAGLINE_CHARS // 3 else ""


SNIPPET_CHARS = 120


def source_notes(title: str, passages: list[Passage], shown: set[str], used: set[str],
                 limit: int = 1) -> list[Passage]:
    """Passages that speak of a panel's topic and say something the panel does not show yet.

    A wireframe panel with two short lines and no matching content section would be drawn half
    empty; the chapter usually says more about the same topic, and that is what Nano Banana reads too.
    """
    topic = re.sub(r"\([^)]*\)", " ", title)
    picked: list[Passage] = []
    ranked = sorted(((_mention(topic, p.text), _TIERS[p.tier], -i, p) for i, p in enumerate(passages)
                     if p.text not in used), key=lambda s: s[:3], reverse=True)
    for score, _, _, passage in ranked:
        if score < 0.6 or len(picked) == limit:
            break
        if _says_already(passage.text, shown):
            continue
        used.add(passage.text)
        picked.append(passage)
    return picked


def _says_already(text: str, shown: set[str]) -> bool:
    """Whether most of the words of ``text`` are on the panel already."""
    words = set(re.findall(r"[a-z0-9]+|[가-힣]+", text.lower()))
    return bool(words) and len(words & shown) / len(words) >= 0.6


_FILLERS = re.compile(r"\b(?:uh|um|you know|kind of like|sort of like|like uh|basically)\b[ ,]*", re.IGNORECASE)


def snippet(passage: Passage, title: str) -> str:
    """The words around where the passage names the topic, fillers dropped, short enough for a note."""
    return _window(passage, title)[1]


def _window(passage: Passage, title: str) -> tuple[tuple[int, int], str]:
    """:func:`snippet` and where it lies in the passage's text (fillers dropped), as (start, end)."""
    text = re.sub(r"\s+", " ", passage.text).strip()
    if passage.tier != "transcript":
        short = _shorten_to(text, SNIPPET_CHARS)
        return (0, len(short)), short
    text = re.sub(r"\s+", " ", _FILLERS.sub("", text))
    words = [w for w in re.findall(r"[a-z]+", title.lower()) if len(w) > 2]
    pos = min((text.lower().find(w) for w in words if w in text.lower()), default=0)
    start = text.rfind(" ", 0, max(0, pos - SNIPPET_CHARS // 3)) + 1 if pos > SNIPPET_CHARS // 3 else 0
    short = _shorten_to(text[start:], SNIPPET_CHARS)
    return (start, start + len(short)), ("…" if start else "") + short


def _shorten_to(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",.;: ") + "…"


# --------------------------------------------------------------------------- the passes


def note_mindmaps(draft: Draft) -> Draft:
    """Branch notes from the source (and the other panels' wireframe lines), icons from branch labels.

    The passages quoted are kept on the draft, so other panels do not quote them again."""
    rows = draft.copy_rows()
    panel_lines = [getattr(b, "text", "") for row in rows for p in row.panels for b in p.blocks
                   if b.type == "text"]
    passages = [*draft.passages, *panel_passages(panel_lines)]
    quoted = set(draft.quoted)
    for panel in (p for row in rows for p in row.panels):
        for blocks in (panel.blocks, panel.extra):
            for index, block in enumerate(blocks):
                if isinstance(block, MindMapBlock):
                    blocks[index] = _noted(block, passages, quoted)
    return replace(draft.revised(rows), quoted=frozenset(quoted))


def _noted(block: MindMapBlock, passages: list[Passage], quoted: set[str]) -> MindMapBlock:
    enriched = enrich_mindmap(block, passages)
    for node in enriched.children:
        node.icon = node.icon or choose_icon(node.label)
        quoted.update(p.text for p in passages if node.note and node.note in p.text)
    return enriched


def fill_quiet_panels(draft: Draft) -> Draft:
    """Panels no content section filled get what the chapter says about their topic; one whose title the
    chapter never names, what it says about an English term of the panel's own lines (``Operator 예시``)."""
    rows = draft.copy_rows()
    used = set(draft.quoted)
    windows: dict[str, list[tuple[int, int]]] = {}  # transcript passages quoted: the parts quoted
    passages = list(draft.passages)
    quiet = [p for row in rows if row.kind != "title" for p in row.panels
             if not (p.sections or p.extra or any(b.type in _DRAWINGS for b in p.blocks))]
    for panel in quiet:
        panel.extra.extend(_quiet_notes(panel, passages, used, windows))
    for panel in quiet:  # after every title had its turn: a term's quote never takes a title's
        if not panel.extra:
            panel.extra.extend(_term_quote(panel, passages, used, windows))
    return draft.revised(rows)


def _shown(panel: Panel) -> set[str]:
    return set(normalise_title(panel.title)).union(*(block_words(b) for b in panel.blocks))


def _quiet_notes(panel: Panel, passages: list[Passage], used: set[str],
                 windows: dict[str, list[tuple[int, int]]]) -> list[Block]:
    notes = source_notes(panel.title, passages, _shown(panel), used)
    korean = [n for n in notes if n.tier != "transcript"]
    out: list[Block] = [ListBlock(items=[Item(text=snippet(n, panel.title)) for n in korean])] if korean else []
    for n in notes:
        if n.tier == "transcript":
            span, text = _window(n, panel.title)
            windows.setdefault(n.text, []).append(span)
            out.append(QuoteBlock(text=text, attribution=f"🎙 {n.timestamp}"))
    return out


def _term_quote(panel: Panel, passages: list[Passage], used: set[str],
                windows: dict[str, list[tuple[int, int]]]) -> list[Block]:
    """A transcript quote about an English term the panel's lines name (not its title's words): from a
    passage not quoted yet, or from a part of one that no other panel quotes (a transcript passage runs
    ~30 s and often speaks of two panels' topics)."""
    title_words = {w.lower() for w in re.findall(r"[A-Za-z]+", panel.title)}
    lines = " ".join(getattr(b, "text", "") for b in panel.blocks)
    terms = [w for w in dict.fromkeys(re.findall(r"[A-Za-z]{4,}", lines)) if w.lower() not in title_words]
    shown = _shown(panel)
    for term in terms:
        for passage in passages:
            if passage.tier != "transcript" or _mention(term, passage.text) < 1.0:
                continue
            if passage.text in used and passage.text not in windows:
                continue  # quoted whole elsewhere (a mind-map branch's note)
            span, text = _window(passage, term)
            if any(span[0] < end and start < span[1] for start, end in windows.get(passage.text, [])):
                continue
            if _says_already(text, shown):
                continue
            used.add(passage.text)
            windows.setdefault(passage.text, []).append(span)
            return [QuoteBlock(text=text, attribution=f"🎙 {passage.timestamp}")]
    return []


def add_tagline(draft: Draft) -> Draft:
    """The pass: the title band in note form — its subtitle, and the chapter's one-sentence summary under
    the title (drawn only if it fits)."""
    prompt = draft.prompt
    draft = replace(draft, subtitle=_as_note(prompt.subtitle))
    tagline = chapter_tagline(prompt.source_text)
    titles = [p for row in draft.rows if row.kind == "title" for p in row.panels]
    if not tagline or not titles or titles[0].extra or tagline == prompt.subtitle or prompt.plan is not None:
        return draft
    shown = " ".join(getattr(b, "text", "") for row in draft.rows for p in row.panels for b in [*p.blocks, *p.extra])
    if tagline.rstrip("…") in plain_text(shown):  # a chapter's summary panel already says it
        return draft
    rows = draft.copy_rows()
    title = next(p for row in rows if row.kind == "title" for p in row.panels)
    title.extra.append(TextBlock(text=_as_note(tagline) or tagline))
    return draft.revised(rows)


def _as_note(text: str | None) -> str | None:
    """A title-band sentence in note form (방향입니다 → 방향임) where that needs no dictionary, else as written."""
    return (quick_note(text) or text) if text else text
