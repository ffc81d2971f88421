"""Wireframe lines that only name a block (``• Definition 박스``, ``[Summary Table]``): a Draft in, one out
where each such line the panel's content fulfils is replaced by the block it names.

A wireframe marks where a block goes by its label and kind: ``Definition 박스`` says "the definition,
in a box". The content section then supplies it (``**Definition Box:**`` over the quote). Printed, the
line is a placeholder, not a point; so when the panel draws the named block, that block takes the
line's place. A line whose block nothing supplies is left as it is (it may be all the panel says).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanosheet.compose.draft import Draft
from nanosheet.compose.said import content_words, covered
from nanosheet.model import (
    Block,
    CalloutBlock,
    Diagnostic,
    HeadingBlock,
    ListBlock,
    Panel,
    PlaceholderBlock,
    TableBlock,
    TextBlock,
)

_KIND_WORDS = {
    "box": "box", "박스": "box", "상자": "box", "card": "box", "카드": "box", "영역": "box", "section": "box",
    "area": "box", "table": "table", "표": "table", "diagram": "drawing", "다이어그램": "drawing",
    "그림": "drawing", "도식": "drawing", "figure": "drawing", "chart": "drawing", "차트": "drawing",
}
"""The block-kind words a placeholder line ends in (or opens with, before a colon), by the kind they ask for."""
_FITS = {"box": None, "table": {"table"}, "drawing": {"flow", "diagram", "chain", "mindmap", "table"}}
"""Block types that fulfil each kind (None: any); a chart may be drawn as a table."""
_ENGLISH = "|".join(k for k in _KIND_WORDS if k.isascii())
_KOREAN = "|".join(k for k in _KIND_WORDS if not k.isascii())
_LABEL_THEN_KIND = re.compile(rf"(?P<label>.+?)(?:\s+(?P<en>{_ENGLISH})|\s*(?P<ko>{_KOREAN}))", re.IGNORECASE)
_KIND_THEN_LABEL = re.compile(rf"(?P<kind>{_ENGLISH}|{_KOREAN})\s*:\s*(?P<label>.+)", re.IGNORECASE)
_LABEL_WORDS = 4
"""A label longer than this is a sentence that happens to end in ``table``, not a placeholder."""


@dataclass(frozen=True)
class Named:
    """What a placeholder line names: a label and the kind of block."""

    label: str
    kind: str


def parse_named(text: str) -> Named | None:
    """``Definition 박스``, ``[Summary Table]``, ``표: 비교``, ``**Key Terms** box`` -> (label, kind); None
    for a line that is more than a label and a kind word."""
    text = re.sub(r"\*\*|__", "", text).strip().rstrip(":").strip()
    text = re.sub(r"^\[(.*)\]$", r"\1", text).strip()
    match = _KIND_THEN_LABEL.fullmatch(text)
    if match:
        label, kind = match["label"], match["kind"]
    elif match := _LABEL_THEN_KIND.fullmatch(text):
        label, kind = match["label"], match["en"] or match["ko"]
    else:
        return None
    label = label.strip(" :-—[]")
    words = content_words(label)
    if not words or len(label.split()) > _LABEL_WORDS or re.search(r"[.!?,;]", label) \
            or all(w in _KIND_WORDS for w in words):
        return None
    return Named(label=label, kind=_KIND_WORDS[kind.lower()])


def fulfil_named_lines(draft: Draft) -> Draft:
    """The pass: each panel's placeholder lines whose named block the panel draws give way to it."""
    rows, warnings = draft.copy_rows(deep=True), list(draft.warnings)
    for panel in (p for row in rows if row.kind != "title" for p in row.panels):
        for gone in replace_named_lines(panel):
            if isinstance(gone, PlaceholderBlock):
                warnings = _without_unfilled(warnings, panel, gone)
    return draft.revised(rows, warnings)


def replace_named_lines(panel: Panel) -> list[Block]:
    """Replace each fulfilled placeholder line of the panel by its block; returns the blocks that held them."""
    changed: list[Block] = []
    index = 0
    while index < len(panel.blocks):
        block = panel.blocks[index]
        if isinstance(block, ListBlock):
            for item in list(block.items):
                named = parse_named(item.text) if not item.children else None
                found = _named_block(panel, named, block) if named else None
                if found is not None:
                    _replace_item(panel, block, item.text, found)
                    changed.append(block)
                    break  # the list was re-spliced: read this position again
            else:
                index += 1
            continue
        text = _line_text(block)
        named = parse_named(text) if text else None
        found = _named_block(panel, named, block) if named else None
        if found is None:
            index += 1
            continue
        _splice(panel, block, found, before=True, drop=True)
        changed.append(block)
    return changed


def _line_text(block: Block) -> str | None:
    if isinstance(block, PlaceholderBlock):
        return f"{block.kind}: {block.text}" if block.text else block.kind
    if isinstance(block, TextBlock) and "\n" not in block.text.strip():
        return block.text
    return None


def _named_block(panel: Panel, named: Named, own: Block) -> list[Block] | None:
    """The content block the line names (with the heading that labels it), [] when it is already one of
    the wireframe's blocks, None when the panel has none."""
    fits = _FITS[named.kind]
    label = content_words(named.label)
    for where in (panel.extra, panel.blocks):
        for i, block in enumerate(where):
            if block is own:
                continue
            nxt = where[i + 1] if i + 1 < len(where) else None
            if isinstance(block, HeadingBlock) and _labels(block.text, label) and nxt is not None \
                    and not isinstance(nxt, HeadingBlock) and nxt is not own and _fits(nxt, fits):
                return [block, nxt]
            if _fits(block, fits) and _labels(_own_label(block), label):
                return [block]
    if named.kind != "box" and _labels(panel.title, label):
        drawn = [b for b in panel.extra if _fits(b, fits)]
        if drawn:
            return drawn[:1]
        if any(_fits(b, fits) for b in panel.blocks if b is not own):
            return []
    return None


def _fits(block: Block, fits: set[str] | None) -> bool:
    return not isinstance(block, HeadingBlock | PlaceholderBlock) and (fits is None or block.type in fits)


def _own_label(block: Block) -> str:
    """The label a block carries itself: a card's title, a table's header."""
    if isinstance(block, CalloutBlock):
        return block.title
    if isinstance(block, TableBlock):
        return " ".join(block.header or [])
    return ""


def _labels(text: str, label: set[str]) -> bool:
    """``text`` says every content word of the label (``Definition Box`` for ``Definition``)."""
    return bool(label) and covered(label, content_words(text)) == len(label)


def _replace_item(panel: Panel, block: ListBlock, text: str, found: list[Block]) -> None:
    """The item goes; its block stands before the list when the item opened it, else after."""
    position = next(i for i, it in enumerate(block.items) if it.text == text)
    items = [it for i, it in enumerate(block.items) if i != position]
    rest = block.model_copy(update={"items": items})
    index = next(i for i, b in enumerate(panel.blocks) if b is block)
    panel.blocks[index] = rest
    _splice(panel, rest, found, before=position == 0, drop=not items)


def _splice(panel: Panel, anchor: Block, found: list[Block], *, before: bool, drop: bool) -> None:
    """Move ``found`` next to ``anchor`` (out of wherever it was); ``drop`` removes the anchor too."""
    moved = [b for b in found if not any(b is o for o in panel.blocks)]
    panel.extra = [b for b in panel.extra if not any(b is m for m in moved)]
    index = next(i for i, b in enumerate(panel.blocks) if b is anchor)
    if drop:
        panel.blocks[index : index + 1] = moved
    elif before:
        panel.blocks[index:index] = moved
    else:
        panel.blocks[index + 1 : index + 1] = moved


def _without_unfilled(warnings: list[Diagnostic], panel: Panel, gone: PlaceholderBlock) -> list[Diagnostic]:
    """The placeholder was fulfilled after all: its 'left visible' warning goes."""
    return [w for w in warnings if not (w.code == "placeholder-unfilled" and w.line == gone.line
                                        and w.message.startswith(f"panel {panel.id} "))]
