"""Obey the prompt's directives: DirectiveBlocks in (in sections or panels), the drawings they ask for out.

A directive's payload is turned into what it names — a fenced arrow chain or numbered steps into a flow,
``"quote" - 풀이`` items into quote cards with their gloss, a ``Columns:`` spec and example rows into a
table, nested items into bullets — and its own wording is dropped. One with no payload is fulfilled by
the panel's content of the kind it asks for, or reported as ``unfulfilled-directive``. Either way no
directive text reaches the sheet.
"""

from __future__ import annotations

import re

from nanosheet.compose.draft import Draft
from nanosheet.compose.matching import normalise_title
from nanosheet.ingest.directives import is_directive, read_directive, strip_imperative
from nanosheet.ingest.line_blocks import is_flow_line, parse_flow_text
from nanosheet.ingest.prose_mindmap import has_prose_mindmap, parse_prose_mindmap
from nanosheet.model import (
    Block,
    ChainBlock,
    CodeBlock,
    Diagnostic,
    DirectiveBlock,
    FlowBlock,
    GraphEdge,
    GraphNode,
    HeadingBlock,
    Item,
    ListBlock,
    MindMapBlock,
    MindNode,
    Panel,
    Prompt,
    QuoteBlock,
    Row,
    TableBlock,
    TextBlock,
)

# What already on a panel satisfies a directive that came without a payload.
_SATISFIED_BY: dict[str, set[str]] = {
    "flow": {"flow", "diagram", "chain"},
    "sequence": {"flow", "diagram", "chain"},
    "diagram": {"flow", "diagram", "chain", "mindmap", "table"},
    "mindmap": {"mindmap"},
    "table": {"table"},
    "bullets": {"list"},
    "checklist": {"list"},
    "quotes": {"quote", "callout"},
    "code": {"code"},
    "note": set(),
}
_STEP = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•▪◦]|step\s*\d+\s*[:.)-]?)\s*", re.IGNORECASE)
_QUOTE_GLOSS = re.compile(r'^\s*(["“][^"”]+["”])\s*(?:[-–—:→]+\s*(.+))?$')
_PIPE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_COLUMNS = re.compile(r"^(?:columns?|열|컬럼)\s*[:：]\s*(.+)$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:example\s+rows?|rows?|예시|예)\b.*[:：]?$", re.IGNORECASE)
_INCLUDE = re.compile(r"^(?:include|list|cover)\b", re.IGNORECASE)


# --------------------------------------------------------------------------- sections, then panels


def fulfil_sections(prompt: Prompt) -> Prompt:
    """A copy of the prompt whose content sections hold fulfilled directives (pending ones stay for the panel)."""
    sections = []
    for section in prompt.sections:
        if section.kind == "content" and any(b.type == "directive" for b in section.blocks):
            blocks = fulfil_blocks(section.blocks, section.title)
            section = section.model_copy(update={"blocks": blocks})
        sections.append(section)
    # Notes and the tagline are drawn from the source text too: its directive lines are no notes.
    source = "\n".join(line for line in prompt.source_text.split("\n") if not is_directive(line))
    return prompt.model_copy(update={"sections": sections, "source_text": source})


def fulfil_blocks(blocks: list[Block], topic: str) -> list[Block]:
    """Each directive with a payload becomes its drawing; one without stays unless the blocks around satisfy it."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, DirectiveBlock):
            out.append(block)
            continue
        drawn = fulfil(block, topic)
        if drawn:
            out.extend(drawn)
        elif block.kind in ("icon", "note") or _satisfied(block, blocks):
            continue  # icons are chosen for every title anyway; the blocks already show what it asks for
        else:
            out.append(block)
    return out


def fulfil_panels(rows: list[Row], warnings: list[Diagnostic], file: str) -> None:
    """Directives still pending in panels (and directive lines in the wireframe) are satisfied or reported.

    Then each group a directive drew under a heading that names another panel ("Create two specification
    tables:" with **Input Specification** and **Output Specification**) moves to that panel."""
    for row in rows:
        for panel in row.panels:
            panel.blocks = _settle(panel, panel.blocks, warnings, file)
            panel.extra = _settle(panel, panel.extra, warnings, file)
    _route_by_heading([p for row in rows if row.kind != "title" for p in row.panels])


def _route_by_heading(panels: list[Panel]) -> None:
    by_title = {tuple(normalise_title(p.title)): p for p in panels}
    for panel in panels:
        own = tuple(normalise_title(panel.title))
        kept: list[Block] = []
        target: Panel | None = None
        for block in panel.extra:
            if isinstance(block, HeadingBlock):
                key = tuple(normalise_title(block.text))
                found = by_title.get(key)
                target = found if found is not None and key != own and found is not panel else None
            if target is not None:
                if isinstance(block, HeadingBlock):
                    continue  # the panel's own title says it
                target.extra.append(block)
            else:
                kept.append(block)
        panel.extra = kept


def _settle(panel: Panel, blocks: list[Block], warnings: list[Diagnostic], file: str) -> list[Block]:
    shown = [*panel.blocks, *panel.extra]
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, TextBlock) and is_directive(block.text):
            reading = read_directive(block.text)
            block = DirectiveBlock(line=block.line, text=block.text, kind=reading.kind if reading else "note")
        if not isinstance(block, DirectiveBlock):
            kept.append(block)
            continue
        drawn = fulfil(block, panel.title)
        if drawn:
            kept.extend(drawn)
        elif block.kind not in ("icon", "note") and not _satisfied(block, shown):
            warnings.append(Diagnostic(code="unfulfilled-directive", file=file, line=block.line,
                                       message=f"panel {panel.id} ({panel.title}): the prompt asks "
                                               f"{block.text[:80]!r} but gives nothing to draw it from; "
                                               "left it out"))
    return kept


def _satisfied(block: DirectiveBlock, blocks: list[Block]) -> bool:
    wanted = _SATISFIED_BY.get(block.kind, set())
    return any(b.type in wanted for b in blocks if b is not block)


# --------------------------------------------------------------------------- one directive


def fulfil(block: DirectiveBlock, topic: str) -> list[Block]:
    """The blocks a directive asks for, made from its payload; empty when it brought none."""
    if block.kind == "note" and not block.payload:
        note = strip_imperative(block.text)
        return [TextBlock(line=block.line, text=note)] if note and not note.endswith(":") else []
    if block.kind in ("flow", "sequence", "diagram"):
        return _as_flow(block)
    if block.kind == "mindmap":
        return _as_mindmap(block, topic)
    if block.kind == "table":
        return _as_tables(block)
    if block.kind == "quotes":
        return [q for b in block.payload for q in _as_quotes(b, block)]
    if block.kind == "checklist":
        return [_checklist(b) if isinstance(b, ListBlock) else b for b in block.payload]
    return [b for b in block.payload if not _is_label(b)]


def _as_flow(block: DirectiveBlock) -> list[Block]:
    out: list[Block] = []
    for part in block.payload:
        lines = _lines_of(part)
        drawn = _flow_from_lines(lines, part.line, block.kind == "sequence") if lines is not None else None
        out.append(drawn if drawn is not None else part)
    return out


def _lines_of(block: Block) -> list[str] | None:
    """The step lines of a fence, a text, a flat list or a one-line chain; None for blocks already drawn."""
    if isinstance(block, ChainBlock):
        return [" → ".join(block.steps)] if block.direction == "LR" else ["\n↓\n".join(block.steps)]
    if isinstance(block, CodeBlock) and block.lang in ("", "text", "txt", "plain"):
        return block.text.split("\n")
    if isinstance(block, TextBlock):
        return block.text.split("\n")
    if isinstance(block, ListBlock) and not any(item.children for item in block.items):
        return [item.text for item in block.items]
    return None


def _flow_from_lines(lines: list[str], line: int | None, vertical: bool) -> FlowBlock | None:
    rows = [row for row in lines if row.strip()]
    if not rows:
        return None
    if any(is_flow_line(row) for row in rows):
        return parse_flow_text(rows, line, notation="chain")
    steps = [_STEP.sub("", row, count=1).strip() for row in rows]
    if len(steps) < 2 or any(len(step) > 90 for step in steps):
        return None
    nodes = [GraphNode(id=f"s{k + 1}", label=step) for k, step in enumerate(steps)]
    edges = [GraphEdge(src=a.id, dst=b.id) for a, b in zip(nodes, nodes[1:], strict=False)]
    back = _repeats_from(steps)
    if back is not None:  # ``7. Repeat …``: the sequence is a loop, drawn with its return edge
        edges.append(GraphEdge(src=nodes[-1].id, dst=nodes[back].id, style="dotted"))
    return FlowBlock(line=line, direction="TD" if vertical else "LR", nodes=nodes, edges=edges, notation="chain")


_REPEAT = re.compile(r"^(?:repeat|loop|iterate|go back|back to|반복|다시|되풀이)|(?:반복|repeat)(?:한다|하기)?\W*$",
                     re.IGNORECASE)
_BACK_TO = re.compile(r"(?:step|단계)\s*(\d{1,2})|(\d{1,2})\s*단계", re.IGNORECASE)


def _repeats_from(steps: list[str]) -> int | None:
    """The index the last step sends the sequence back to (``Repeat from step 2``; the first by default),
    or None when the last step does not repeat."""
    if len(steps) < 3 or not _REPEAT.search(steps[-1].strip()):
        return None
    named = _BACK_TO.search(steps[-1])
    target = int(named.group(1) or named.group(2)) - 1 if named else 0
    return target if 0 <= target < len(steps) - 1 else 0


def _as_mindmap(block: DirectiveBlock, topic: str) -> list[Block]:
    out: list[Block] = []
    for part in block.payload:
        if isinstance(part, ListBlock):
            if has_prose_mindmap(part.items):
                found, _ = parse_prose_mindmap(part.items, part.line)
                if found is not None:
                    out.append(found)
                    continue
            out.append(MindMapBlock(line=part.line, root=topic, children=[_mind_node(i) for i in part.items]))
        else:
            out.append(part)
    return out


def _mind_node(item: Item) -> MindNode:
    return MindNode(label=item.text, children=[_mind_node(child) for child in item.children])


def _as_tables(block: DirectiveBlock) -> list[Block]:
    """The payload's tables (with their headings); a ``Columns:`` spec list becomes the table it describes."""
    spec = next((b for b in block.payload if isinstance(b, ListBlock) and _spec_header(b)), None)
    if spec is None:
        return [b for b in block.payload if not _is_label(b)]
    header = _spec_header(spec) or []
    rows = _spec_rows(spec, len(header))
    rows += [_fit(r, len(header)) for b in block.payload if isinstance(b, TableBlock)
             for r in ([b.header] if b.header and b.header != header else []) + b.rows]
    names = [name for item in spec.items if not _COLUMNS.match(item.text) for name in _included(item)]
    have = {r[0].strip().casefold() for r in rows if r}
    rows += [_fit([name], len(header)) for name in names if name.strip().casefold() not in have]
    rest: list[Block] = [b for b in block.payload if b is not spec and not isinstance(b, TableBlock)
                         and not _is_label(b)]
    return [TableBlock(line=block.line, header=header, rows=rows), *rest] if rows else rest


def _spec_header(block: ListBlock) -> list[str] | None:
    for item in block.items:
        match = _COLUMNS.match(item.text.strip())
        if match:
            cells = [c.strip().strip("[]").strip() for c in re.split(r"\||,", match.group(1))]
            return [c for c in cells if c] or None
    return None


def _spec_rows(block: ListBlock, width: int) -> list[list[str]]:
    """``Example row:`` items carry pipe rows in their text."""
    rows: list[list[str]] = []
    for item in block.items:
        for text in item.text.split("\n"):
            match = _PIPE_ROW.match(text)
            if match:
                rows.append(_fit([c.strip() for c in match.group(1).split("|")], width))
    return rows


def _included(item: Item) -> list[str]:
    """``Include the following concepts:`` with sub-items names the rows a table must have."""
    if item.children and (_INCLUDE.match(item.text) or item.text.rstrip().endswith(":")):
        return [child.text for child in item.children]
    return []


def _fit(cells: list[str], width: int) -> list[str]:
    if width <= 0:
        return cells
    return (cells + [""] * width)[:width]


def _is_label(block: Block) -> bool:
    """``Example rows:``-style lines that only introduce the payload."""
    return isinstance(block, TextBlock) and len(block.text) <= 40 and bool(_LABEL.match(block.text.strip()))


def _as_quotes(part: Block, block: DirectiveBlock) -> list[Block]:
    if not isinstance(part, ListBlock):
        return [part]
    cards: list[Block] = []
    for item in part.items:
        match = _QUOTE_GLOSS.match(item.text)
        if match is None:
            cards.append(QuoteBlock(line=part.line, text=item.text))
            continue
        # The card draws its own quote marks; the gloss is its caption, under the words it explains.
        quote, gloss = match.group(1)[1:-1].strip(), (match.group(2) or "").strip()
        cards.append(QuoteBlock(line=part.line, text=quote, attribution=gloss or None))
    return cards


def _checklist(block: ListBlock) -> ListBlock:
    items = [item if item.mark != "bullet" else item.model_copy(update={"mark": "box"}) for item in block.items]
    return block.model_copy(update={"items": items})


def directive_words(blocks: list[Block]) -> list[str]:
    """Lines on these blocks that still read as directives (for tests and the quality check)."""
    found: list[str] = []
    for block in blocks:
        for text in _texts(block):
            found.extend(line for line in text.split("\n") if is_directive(line))
    return found


def _texts(block: Block) -> list[str]:
    if isinstance(block, DirectiveBlock):
        return [block.text]
    if isinstance(block, TextBlock | HeadingBlock | QuoteBlock):
        return [block.text]
    if isinstance(block, ListBlock):
        return [t for item in block.items for t in _item_texts(item)]
    return []


def _item_texts(item: Item) -> list[str]:
    return [item.text, *(t for child in item.children for t in _item_texts(child))]


def settle_directives(draft: Draft) -> Draft:
    """The pass: :func:`fulfil_panels` on a copy of the draft's rows."""
    rows, warnings = draft.copy_rows(), list(draft.warnings)
    fulfil_panels(rows, warnings, draft.prompt.path)
    return draft.revised(rows, warnings)
