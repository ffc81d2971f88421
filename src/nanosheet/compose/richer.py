"""When a panel holds two versions of one diagram or table, keep the richer: panels in, panels with one version out.

The wireframe sketches a panel's diagram in a line (``Sample → Feed → Compare → Update``); the content
section often draws it in full (seven steps, a decision, a return arrow). Both describe the same thing
when most of the poorer one's words reappear in the richer; then the richer takes the poorer's place
(a wireframe line keeps its position in the panel) and any label only the poorer had is kept as a note.
"""

from __future__ import annotations

import re

from nanosheet.compose.curate import block_words
from nanosheet.compose.draft import Draft
from nanosheet.model import (
    Block,
    ChainBlock,
    Diagnostic,
    DiagramBlock,
    FlowBlock,
    GraphNode,
    HeadingBlock,
    Panel,
    PlaceholderBlock,
    Row,
    TableBlock,
    TextBlock,
)

_DRAWN = {"flow", "diagram", "chain"}
_SAME = 0.6
"""Share of the poorer version's words the richer must show to count as the same diagram."""
_ARROWS = re.compile(r"→|->|⟶|➔|➜|↓|⟷")
_NUMBERS = {str(n) for n in range(100)}


def richness(block: Block) -> int:
    """How much a version says: nodes, edges and box lines of a drawing; cells of a table."""
    if isinstance(block, FlowBlock | DiagramBlock):
        return sum(_node_weight(n) for n in block.nodes) + len(block.edges) + sum(1 for e in block.edges if e.label)
    if isinstance(block, ChainBlock):
        return 2 * len(block.steps) - 1
    if isinstance(block, TableBlock):
        width = max([len(block.header or []), *(len(r) for r in block.rows)], default=0)
        return width * (len(block.rows) + (1 if block.header else 0))
    return 0


def _node_weight(node: GraphNode) -> int:
    return 1 + len(node.lines) + sum(_node_weight(child) for child in node.children)


def is_richer_version(block: Block, drawn: list[Block]) -> bool:
    """The block redraws one of ``drawn`` with more to say (so it must not be dropped as a repeat)."""
    return any(_family(block) == _family(other) and richness(block) > richness(other)
               and _covers(block, other) and _connected(block) for other in drawn)


def prefer_richer(rows: list[Row], warnings: list[Diagnostic], file: str) -> None:
    """Each panel keeps one version of each diagram and table: the one that says most."""
    for row in rows:
        for panel in row.panels:
            while (pair := _redundant(panel)) is not None:
                poor, rich = pair
                _replace(panel, poor, rich)
                warnings.append(Diagnostic(
                    code="richer-version", file=file, line=rich.line,
                    message=f"panel {panel.id} ({panel.title}): drew the fuller {rich.type} "
                            f"({richness(rich)} parts) in place of the {poor.type} with {richness(poor)}"))
            _drop_sketch_lines(panel)
            panel.extra = _without_orphan_headings(panel.extra, panel.title)


def _family(block: Block) -> str:
    return "drawing" if block.type in _DRAWN else block.type


def _covers(rich: Block, poor: Block) -> bool:
    words = {_stem(w) for w in _label_words(poor)}
    shown = _shown_forms(rich)
    return bool(words) and len(words & shown) / len(words) >= _SAME


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _shown_forms(block: Block) -> set[str]:
    """The block's words (stemmed) and the acronyms of its word runs: ``CoT`` for Chain-of-Thought."""
    runs = re.findall(r"[a-z]+", " ".join(_texts(block)).lower())
    acronyms = {"".join(w[0] for w in runs[i : i + n]) for n in (2, 3, 4) for i in range(len(runs) - n + 1)}
    return {_stem(w) for w in block_words(block)} | acronyms


def _texts(block: Block) -> list[str]:
    nodes = getattr(block, "nodes", [])
    out = [t for n in nodes for t in _node_texts(n)] + list(getattr(block, "steps", []))
    return out + [c for row in getattr(block, "rows", []) for c in row] + list(getattr(block, "header", None) or [])


def _node_texts(node: GraphNode) -> list[str]:
    return [node.label, *node.lines, *(t for child in node.children for t in _node_texts(child))]


def _label_words(block: Block) -> set[str]:
    return {w for w in block_words(block) if w not in _NUMBERS and len(w) > 1}


def _redundant(panel: Panel) -> tuple[Block, Block] | None:
    candidates = [b for b in [*panel.blocks, *panel.extra] if b.type in _DRAWN or b.type == "table"]
    for poor in candidates:
        for rich in candidates:
            if rich is not poor and _family(rich) == _family(poor) and richness(rich) > richness(poor) \
                    and _covers(rich, poor) and _connected(rich):
                return poor, rich
    return None


def _connected(block: Block) -> bool:
    """A drawing whose boxes are all joined (or nested): boxes left standing alone are a sketch read badly
    (e.g. ``[a] [b] [c]`` on one line), more parts but less said than the version they would replace."""
    if not isinstance(block, FlowBlock | DiagramBlock) or len(block.nodes) < 2:
        return True
    joined = {e.src for e in block.edges} | {e.dst for e in block.edges}
    return all(n.id in joined or n.children for n in block.nodes)


def _replace(panel: Panel, poor: Block, rich: Block) -> None:
    """The poorer goes; a richer extra takes the place of a poorer wireframe block, else stays where it is."""
    note: list[Block] = [TextBlock(text=" · ".join(labels))] if (labels := _labels_only_in(poor, rich)) else []
    poor_own = any(b is poor for b in panel.blocks)
    rich_own = any(b is rich for b in panel.blocks)
    if poor_own and not rich_own:
        panel.extra = [b for b in panel.extra if b is not rich]
        index = next(i for i, b in enumerate(panel.blocks) if b is poor)
        panel.blocks[index : index + 1] = [rich, *note]
        return
    if poor_own:
        panel.blocks = [b for b in panel.blocks if b is not poor] + note
    else:
        panel.extra = [b for b in panel.extra if b is not poor] + note


def _labels_only_in(poor: Block, rich: Block) -> list[str]:
    """The poorer version's labels none of whose words the richer shows: kept, not lost."""
    shown = _shown_forms(rich)
    labels = [n.label for n in getattr(poor, "nodes", [])] or list(getattr(poor, "steps", []))
    out = []
    for label in labels:
        words = {_stem(w) for w in block_words(TextBlock(text=label)) - _NUMBERS}
        if words and not words & shown:
            out.append(label)
    return out


def _drop_sketch_lines(panel: Panel) -> None:
    """A wireframe arrow line whose words the panel's drawing all shows is a sketch of that drawing."""
    drawings = [b for b in [*panel.blocks, *panel.extra] if b.type in _DRAWN]
    if not drawings:
        return
    shown = set().union(*(block_words(b) for b in drawings))

    def sketch(block: Block) -> bool:
        # An arrow line, or a bracketed step of the sketch ("↑ [Integration]" reads as a placeholder);
        # a line of arrows alone pointed at the sketch's steps.
        if isinstance(block, TextBlock) and _ARROWS.search(block.text) or isinstance(block, PlaceholderBlock):
            words = _label_words(block)
            return words <= shown
        return isinstance(block, TextBlock) and not re.search(r"\w", block.text)

    panel.blocks = [b for b in panel.blocks if not sketch(b)]


def _without_orphan_headings(blocks: list[Block], title: str) -> list[Block]:
    """Headings left over a moved drawing (or repeating the panel's title) head nothing now."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if isinstance(block, HeadingBlock):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is None or isinstance(nxt, HeadingBlock) or _same_title(block.text, title):
                continue
        out.append(block)
    return out


def _same_title(text: str, title: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"\W+", "", value).casefold()

    return norm(text) == norm(title)


def keep_richer(draft: Draft) -> Draft:
    """The pass: :func:`prefer_richer` on a copy of the draft's rows."""
    rows, warnings = draft.copy_rows(), list(draft.warnings)
    prefer_richer(rows, warnings, draft.prompt.path)
    return draft.revised(rows, warnings)
