"""When a panel holds two versions of one diagram or table, keep the richer: panels in, panels with one version out.

The wireframe sketches a panel's diagram in a line (``Sample → Feed → Compare → Update``); the content
section often draws it in full (seven steps, a decision, a return arrow). Both describe the same thing
when most of the poorer one's words reappear in the richer; then the richer takes the poorer's place
(a wireframe line keeps its position in the panel) and any label only the poorer had is kept as a note.
"""

from __future__ import annotations

import re

from nanosheet.compose.curate import block_text, block_words
from nanosheet.compose.draft import Draft
from nanosheet.compose.said import nearly_said
from nanosheet.model import (
    Block,
    ChainBlock,
    Diagnostic,
    DiagramBlock,
    FlowBlock,
    GraphNode,
    HeadingBlock,
    Item,
    ListBlock,
    Panel,
    PlaceholderBlock,
    QuoteBlock,
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
    return any(_family(block) == _family(other) and _fuller(block, other)
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
            for gone in _drop_sketch_lines(panel):
                # a placeholder the drawing says in full was not left visible after all
                warnings[:] = [w for w in warnings if not (w.code == "placeholder-unfilled" and w.line == gone.line
                                                           and w.message.startswith(f"panel {panel.id} "))]
            for what in (_fold_sketched_quotes(panel), _fold_sketched_lines(panel)):
                if what:
                    warnings.append(Diagnostic(
                        code="richer-version", file=file, line=panel.line,
                        message=f"panel {panel.id} ({panel.title}): the content's fuller {what} "
                                f"in place of the wireframe's sketch of it"))
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
            if rich is not poor and _family(rich) == _family(poor) and _fuller(rich, poor) \
                    and _covers(rich, poor) and _connected(rich):
                return poor, rich
    return None


def _fuller(rich: Block, poor: Block) -> bool:
    """More parts, or as many with fuller names (``Neural Network`` for ``Neural Net``)."""
    if richness(rich) != richness(poor):
        return richness(rich) > richness(poor)
    return len(" ".join(_texts(rich))) > len(" ".join(_texts(poor))) and len(block_words(rich)) > len(block_words(poor))


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


def _drop_sketch_lines(panel: Panel) -> list[PlaceholderBlock]:
    """A wireframe arrow line whose words the panel's drawing all shows is a sketch of that drawing;
    returns the placeholders dropped that way."""
    drawings = [b for b in [*panel.blocks, *panel.extra] if b.type in _DRAWN]
    if not drawings:
        return []
    shown = set().union(*(block_words(b) for b in drawings))

    def sketch(block: Block) -> bool:
        # An arrow line, or a bracketed step of the sketch ("↑ [Integration]" reads as a placeholder);
        # a line of arrows alone pointed at the sketch's steps.
        if isinstance(block, TextBlock) and _ARROWS.search(block.text) or isinstance(block, PlaceholderBlock):
            words = _label_words(block)
            return words <= shown
        return isinstance(block, TextBlock) and not re.search(r"\w", block.text)

    gone = [b for b in panel.blocks if isinstance(b, PlaceholderBlock) and sketch(b)]
    panel.blocks = [b for b in panel.blocks if not sketch(b)]
    return gone


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


# --------------------------------------------------------------------------- quotes and takeaways

_HANGUL = re.compile(r"^[가-힣]+$")
_SKETCH_WORDS = 6
"""A wireframe line of at most this many words can be a sketch of a fuller content block."""


def _said(word: str, shown: set[str]) -> bool:
    """``word`` is among ``shown``; a Korean word also when a shown word starts with it (a particle
    added: 신경망 / 신경망을) or when it is a compound of shown stems (가변입력 = 가변 + 입력)."""
    if word in shown or _stem(word) in shown:
        return True
    if not _HANGUL.match(word):
        return False
    stems = {w for w in shown if _HANGUL.match(w)}
    if any(w.startswith(word) for w in stems):
        return True
    reach = {0}
    for end in range(2, len(word) + 1):
        if any(start in reach and end - start >= 2 and any(w.startswith(word[start:end]) for w in stems)
               for start in range(end - 1)):
            reach.add(end)
    return len(word) in reach and len(word) >= 4


def _said_in(block: Block, shown: set[str]) -> bool:
    words = _label_words(block)
    return bool(words) and len(words) <= _SKETCH_WORDS and all(_said(w, shown) for w in words)


def _fold_sketched_quotes(panel: Panel) -> str | None:
    """A wireframe quote a content quote says in full (``"nudging"`` beside ``"nudging the neural
    network" — 신경망을 살짝 조정하는 개념``) goes, and so does the gloss line under it when the fuller
    quote's gloss says it too; a gloss it lacks becomes its gloss."""
    fuller = [b for b in panel.extra if isinstance(b, QuoteBlock)]
    changed = False
    for sketch in [b for b in panel.blocks if isinstance(b, QuoteBlock)]:
        rich = next((q for q in fuller if q is not sketch and _said_in(TextBlock(text=sketch.text), block_words(q))
                     and len(block_words(q)) > len(block_words(TextBlock(text=sketch.text)))), None)
        if rich is None:
            continue
        index = next(i for i, b in enumerate(panel.blocks) if b is sketch)
        gloss = panel.blocks[index + 1] if index + 1 < len(panel.blocks) else None
        drop = 1
        if isinstance(gloss, TextBlock) and not sketch.attribution and len(gloss.text) <= 40:
            drop = 2
            if not _said_in(gloss, block_words(TextBlock(text=rich.attribution or ""))):
                if rich.attribution:
                    drop = 1  # a gloss only the sketch has stays where it was
                else:
                    rich.attribution = gloss.text
        panel.blocks[index:index + drop] = []
        _promote(panel, rich, index)
        changed = True
    return "quote" if changed else None


def _fold_sketched_lines(panel: Panel) -> str | None:
    """Wireframe takeaways a content list or table says in full (``✓ CoT + Tool 자동 결합`` beside ``✓ **CoT
    + Tool 자동 결합**: 추론과 …``; ``• Extensibility`` beside a table row of it) go; the fuller block takes
    the place of the first one."""
    fuller = [b for b in panel.extra if isinstance(b, ListBlock | TableBlock)]
    if not fuller:
        return None
    rich = max(fuller, key=lambda b: len(block_words(b)))
    shown = block_words(rich)
    said = [item.text for item in rich.items] if isinstance(rich, ListBlock) else [" ".join(r) for r in rich.rows]
    per_item = [block_words(TextBlock(text=text)) for text in said]
    first = None
    for index in range(len(panel.blocks) - 1, -1, -1):
        block = panel.blocks[index]
        if isinstance(block, ListBlock):
            elsewhere = [*said, *_other_texts(panel, block, rich)]
            kept = [it for it in block.items if it.children or not _item_said(it, per_item, elsewhere)]
            if len(kept) == len(block.items):
                continue
            panel.blocks[index:index + 1] = [block.model_copy(update={"items": kept})] if kept else []
        elif isinstance(block, ChainBlock | TextBlock) and _said_in(block, shown):
            panel.blocks[index:index + 1] = []
        else:
            continue
        first = index
    if first is None:
        return None
    if isinstance(rich, ListBlock):
        rich = _with_leftover_lines(panel, rich, said)
    _promote(panel, rich, first + 1 if _mostly_kept(panel, first, rich) else first)
    return "list" if isinstance(rich, ListBlock) else "table"


def _mostly_kept(panel: Panel, index: int, rich: Block) -> bool:
    """The sketched list at ``index`` survives and leads, the fuller block follows it: when the list kept
    more items than the fuller list has (a content list whose other items curation dropped as repeats
    is the tail of the wireframe's), or when a ``Label:`` line heads the list (they stay together)."""
    kept = panel.blocks[index] if index < len(panel.blocks) else None
    if not isinstance(kept, ListBlock):
        return False
    label = panel.blocks[index - 1] if index > 0 else None
    if isinstance(label, TextBlock) and label.text.rstrip().endswith(":"):
        return True
    return isinstance(rich, ListBlock) and len(kept.items) > len(rich.items)


def _with_leftover_lines(panel: Panel, rich: ListBlock, said: list[str]) -> ListBlock:
    """Short wireframe lines the list does not say (``확률 최적화``) join it as bullets: kept, and drawn
    like the takeaways they sit with. One an item nearly says in other words goes (it adds nothing)."""
    leftover = [b for b in panel.blocks if isinstance(b, TextBlock) and "\n" not in b.text.strip()
                and 0 < len(_label_words(b)) <= _SKETCH_WORDS]
    if not leftover:
        return rich
    mark = rich.items[0].mark if rich.items else "bullet"
    new = [Item(text=b.text.strip(), mark=mark) for b in leftover if not nearly_said(b.text, said)]
    items = [*rich.items, *new]
    panel.blocks = [b for b in panel.blocks if not any(b is o for o in leftover)]
    merged = rich.model_copy(update={"items": items})
    panel.extra = [merged if b is rich else b for b in panel.extra]
    return merged


def _item_said(item: Item, per_item: list[set[str]], elsewhere: list[str]) -> bool:
    """Every word of the item is in one fuller item, or most of them are in one item or other text
    of the panel (a near-duplicate in other words)."""
    return any(_said_in(TextBlock(text=item.text), words) for words in per_item) \
        or nearly_said(item.text, elsewhere)


def _other_texts(panel: Panel, sketch: Block, rich: Block) -> list[str]:
    """The text of each of the panel's own blocks but the sketched list and the fuller block (whose items
    count apiece); not the extra blocks, which the fit may yet leave out."""
    return [block_text(b) for b in panel.blocks if b is not sketch and b is not rich]


def _promote(panel: Panel, rich: Block, index: int) -> None:
    """A content block that replaced the wireframe's own is the wireframe's now (never left out), and so
    is the heading over it (``연구 기반 핵심 원칙``): left behind, it would head nothing and be dropped."""
    at = next((i for i, b in enumerate(panel.extra) if b is rich), None)
    if at is None:
        return
    heading = panel.extra[at - 1] if at > 0 else None
    moved = [heading, rich] if isinstance(heading, HeadingBlock) and not _same_title(heading.text, panel.title) \
        else [rich]
    panel.extra = [b for b in panel.extra if not any(b is m for m in moved)]
    index = min(index, len(panel.blocks))
    panel.blocks[index:index] = moved


def keep_richer(draft: Draft) -> Draft:
    """The pass: :func:`prefer_richer` on a deep copy of the draft's rows (it sets a quote's gloss in place)."""
    rows, warnings = draft.copy_rows(deep=True), list(draft.warnings)
    prefer_richer(rows, warnings, draft.prompt.path)
    return draft.revised(rows, warnings)
