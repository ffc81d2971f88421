"""Section blocks in, short notes out: every sentence and list item of a chapter as cheat-sheet notes.

A ``Note`` keeps its source line and how many of the chapter's key terms it carries, so the pictures
can pick the notes that matter and the report can say where each came from. Nothing here decides
where a note goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanosheet.model import Block, CalloutBlock, Item, ListBlock, QuoteBlock, TextBlock
from nanosheet.plan import notes as ko
from nanosheet.plan.analyse import squash_term

_TIMESTAMP = re.compile(r"^\s*[\[(]\d{1,2}(?::\d{2}){1,2}[\])]\s*")
_LABELLED = re.compile(r"^\*\*([^*]{1,40})\*\*\s*[:：]?\s*(.*)$")
_SKIP = re.compile(r"^(영상\s*바로\s*가기|원본\s*링크|https?://)", re.IGNORECASE)
_BOLD_SPAN = re.compile(r"\*\*([^*]+)\*\*")
_ASIDE = re.compile(r"\s*[(（][^()（）]{12,}[)）]|\s*—[^—]{12,}—")
"""A long parenthetical or dash aside: the sentence reads without it, and a note must."""


@dataclass
class Note:
    """One cheat-sheet line and where it came from."""

    text: str
    line: int | None
    label: str | None = None
    """The ``**label**`` the item led with (a mind-map branch or a table key), when it had one."""
    terms: int = 0
    order: int = 0
    rest: tuple[str, ...] = ()
    """The item's further pieces when it was split (drawn as sub-bullets, so a kept point keeps its end)."""

    @property
    def words(self) -> int:
        return len(self.text.split())


def block_notes(blocks: list[Block], terms: list[str], *, per_paragraph: int = 2) -> list[Note]:
    """The notes of a run of blocks: list items one by one, paragraphs by their key sentences."""
    out: list[Note] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                out.extend(_item_notes(item, block.line, terms))
        elif isinstance(block, TextBlock):
            out.extend(paragraph_notes(block.text, block.line, terms, per_paragraph))
        elif isinstance(block, CalloutBlock):
            out.extend(paragraph_notes(f"{block.title} {block.text}", block.line, terms, per_paragraph))
        elif isinstance(block, QuoteBlock):
            out.extend(paragraph_notes(block.text, block.line, terms, 1))
    for order, note in enumerate(out):
        note.order = order
    return out


def _item_notes(item: Item, line: int | None, terms: list[str]) -> list[Note]:
    text = " ".join(item.text.split())
    if not text or _SKIP.match(text):
        return []
    label = _label(text)
    pieces = [p.rstrip(" ,;") for p in ko.note_lines(text)][:3]
    if not pieces:
        return []
    notes = [Note(text=pieces[0], line=line, label=label, terms=count_terms(" ".join(pieces), terms),
                  rest=tuple(pieces[1:]))]
    for child in item.children[:2]:
        notes.extend(_item_notes(child, line, terms)[:1])
    return notes


def _label(text: str) -> str | None:
    match = _LABELLED.match(text)
    if match:
        return match.group(1).strip().rstrip(":：")
    head, sep, _ = text.partition(":")
    return head.strip().replace("**", "") if sep and 1 <= len(head.split()) <= 4 and len(head) <= 24 else None


def paragraph_notes(text: str, line: int | None, terms: list[str], k: int) -> list[Note]:
    """The ``k`` key sentences of a paragraph as notes (a ``**label**:`` lead-in stays as the label)."""
    text = _ASIDE.sub("", _TIMESTAMP.sub("", " ".join(text.split())))
    if not text or _SKIP.match(text):
        return []
    label = None
    match = _LABELLED.match(text)
    if match and match.group(2):
        label, text = match.group(1).strip().rstrip(":："), match.group(2)
    sentences = [s for s in ko.sentences(text) if re.search(r"[\w가-힣]{2}", s) and not ko.is_boilerplate(s)]
    if not sentences:
        return []
    # The first sentence of a paragraph usually says what it is about; the rest compete for the other places.
    picked = sorted({0, *[i + 1 for i in ko.key_sentences(sentences[1:], k - 1)]}) if len(sentences) > k and k > 1 \
        else list(range(min(k, len(sentences))))
    out: list[Note] = []
    for index in picked:
        pieces = [p.rstrip(" ,;") for p in ko.note_lines(sentences[index]) if len(p.strip("…. ")) >= 4][:3]
        if pieces:  # a split sentence keeps its end as sub-bullets
            out.append(Note(text=pieces[0], line=line, label=label, terms=count_terms(" ".join(pieces), terms),
                            rest=tuple(pieces[1:])))
    return out


def count_terms(text: str, terms: list[str]) -> int:
    squashed = squash_term(text)
    return sum(1 for key in map(squash_term, terms) if key and key in squashed)


def best_notes(notes: list[Note], k: int, used: set[str]) -> list[Note]:
    """The ``k`` notes carrying the most key terms (document order kept), skipping ones already shown."""
    fresh = [n for n in notes if _key(n.text) not in used]
    ranked = sorted(fresh, key=lambda n: (n.text.endswith("…"), -n.terms, n.order))[:k]
    chosen = sorted(ranked, key=lambda n: n.order)
    used.update(_key(n.text) for n in chosen)
    return chosen


def _key(text: str) -> str:
    return squash_term(text)[:40]


def plain(text: str) -> str:
    """Text without bold markers or brackets that would read as notation in a diagram label."""
    text = _BOLD_SPAN.sub(r"\1", text)
    return " ".join(re.sub(r"[\[\]{}<>\"`|]", " ", text).split())


def short_label(text: str, max_words: int = 4, max_chars: int = 22) -> str:
    """A heading or label cut to a few words: numbering, parentheses and trailing colons dropped."""
    text = plain(text)
    text = re.sub(r"^\s*(?:\d{1,2}[.)]|활용\s*사례\s*\d+\s*:|사례\s*\d+\s*:|step\s*\d+\s*:)\s*", "", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" :：-–—")
    words = text.split()
    out: list[str] = []
    for word in words:
        if len(out) >= max_words or len(" ".join([*out, word])) > max_chars:
            break
        out.append(word)
    return (" ".join(out) or (words[0][:max_chars] if words else "")).rstrip(" :：-–—,")
