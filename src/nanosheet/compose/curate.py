"""Curate a matched section's blocks for its panel: blocks in, the blocks worth showing (in keep order) out.

Three decisions, each reported rather than silent:
- sentences that instruct the image model ("Create a Mermaid mindmap with the following structure:")
  are prompt plumbing, not notes, and are left out;
- blocks that repeat what the wireframe already shows in the panel are left out;
- the rest is ordered by what matters most when space runs short — key points and bold statements,
  then other text and lists, then diagrams and tables, then examples — because the renderer leaves out
  trailing extra blocks first. A heading always travels with the blocks under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nanosheet.inline import plain_text
from nanosheet.model import Block, CalloutBlock, DiagramBlock, HeadingBlock, Item, ListBlock

_INSTRUCTION = re.compile(
    r"^(?:please\s+)?(?:create|draw|include|show|use|make|group|summari[sz]e|add|design|render|highlight|"
    r"visuali[sz]e|present|place|display|depict|illustrate|generate|list)\b.*(?::|following.*)$",
    re.IGNORECASE | re.DOTALL,
)
_KOREAN_INSTRUCTION = re.compile(
    r"(?:해\s*주세요|그려\s*주세요|표시하세요|배치하세요|넣어\s*주세요|만들어\s*주세요)[.!:]?$"
)
_WORD = re.compile(r"[a-z0-9]+|[가-힣]+")
_DUPLICATE = 0.7


_SPEC_ITEM = re.compile(r"^(?:columns?|rows?|format|style|layout|열|행)\s*:", re.IGNORECASE)


def is_instruction(block: Block) -> bool:
    """A sentence addressed to the image model rather than to the reader (or a list of table specs)."""
    if isinstance(block, ListBlock):
        return all(_SPEC_ITEM.match(item.text.strip()) for item in block.items)
    text = getattr(block, "text", None)
    if block.type != "text" or not isinstance(text, str):
        return False
    text = plain_text(text).strip()
    return bool(_INSTRUCTION.match(text) or _KOREAN_INSTRUCTION.search(text)) and len(text) < 160


def block_text(block: Block) -> str:
    """Every string a block shows (labels, cells, items), space-joined."""
    return " ".join(_strings(block.model_dump()))


def block_words(block: Block) -> set[str]:
    """The words a block shows, lower-cased."""
    return set(_WORD.findall(block_text(block).lower()))


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in {"type", "line", "mark", "shape", "style", "id", "src", "dst", "direction", "notation",
                           "lang", "align", "level"}:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def is_duplicate(block: Block, shown: set[str]) -> bool:
    """Most of the block's words are already on the panel (short ``Label:`` lines head what follows: kept)."""
    text = getattr(block, "text", None)
    if block.type == "text" and isinstance(text, str) and text.rstrip().endswith(":") and len(text) <= 40:
        return False
    words = block_words(block)
    return bool(words) and len(words & shown) / len(words) >= _DUPLICATE


def redraws_diagram(block: Block, drawn: list[Block]) -> bool:
    """A second drawing of a diagram the panel already draws: most of its nodes' labels reappear."""
    if block.type not in {"flow", "diagram"}:
        return False
    words = block_words(block)
    for other in drawn:
        labels = [set(_WORD.findall(" ".join([n.label, *n.lines]).lower())) for n in getattr(other, "nodes", [])]
        labels = [label for label in labels if label - _NUMBERS]
        if len(labels) >= 2 and sum(1 for label in labels if label - _NUMBERS <= words) / len(labels) >= 0.6:
            return True
    return False


_NUMBERS = {str(n) for n in range(100)}


def without_repeated_items(block: ListBlock, shown: set[str]) -> ListBlock | None:
    """A list keeps only items that add something; None when every item is a repeat."""
    kept = [item for item in block.items if not _item_repeats(item, shown)]
    if not kept:
        return None
    return block if len(kept) == len(block.items) else block.model_copy(update={"items": kept})


def _item_repeats(item: Item, shown: set[str]) -> bool:
    words = set(_WORD.findall(item.text.lower()))
    return bool(words) and not item.children and len(words & shown) / len(words) >= _DUPLICATE


def as_card(block: Block) -> Block:
    """A box drawn alone (one node, no arrows, nothing nested) is a card of notes, not a diagram.

    Content sections draw such boxes to frame a list (``❌ Standard CoT의 한계`` with bullets under it);
    as a callout the list reads as one, where a diagram node would centre and shrink every line.
    """
    if not isinstance(block, DiagramBlock) or block.edges or len(block.nodes) != 1 or block.nodes[0].children:
        return block
    node = block.nodes[0]
    lines: list[str] = []
    for raw in node.lines:
        text = raw.strip()
        if lines and not re.match(r"^[•\-*✓✗□→]|^\d+[.)]", text):
            lines[-1] = f"{lines[-1]} {text}"  # a wrapped line continues the item above it
        else:
            lines.append(text)
    return CalloutBlock(line=block.line, title=node.label, text="\n".join(lines))


def priority(block: Block) -> int:
    """0 key points and bold statements, 1 text and lists, 2 diagrams and tables, 3 examples."""
    text = getattr(block, "text", "") or ""
    if block.type in {"callout", "quote", "keyvalue"} or (block.type == "text" and "**" in text):
        return 0
    if block.type == "list" and isinstance(block, ListBlock) and any("**" in i.text for i in block.items):
        return 0
    if block.type in {"text", "list", "chain"}:
        return 1
    if block.type in {"flow", "diagram", "table", "mindmap", "placeholder"}:
        return 2
    return 3  # code and anything else: examples


def order_by_priority(blocks: list[Block]) -> list[Block]:
    """Stable sort of heading groups (a heading and the blocks under it) by their most important block."""
    groups: list[list[Block]] = []
    for block in blocks:
        if not isinstance(block, HeadingBlock) and groups and isinstance(groups[-1][0], HeadingBlock):
            groups[-1].append(block)
        else:
            groups.append([block])
    ranked = sorted(enumerate(groups), key=lambda pair: (_group_priority(pair[1]), pair[0]))
    return [block for _, group in ranked for block in group]


def _group_priority(group: list[Block]) -> int:
    return min((priority(b) for b in group if not isinstance(b, HeadingBlock)), default=3)
