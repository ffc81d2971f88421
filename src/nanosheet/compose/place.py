"""Place content sections in panels: a Draft with no panels in, one with the panels and their extra blocks out.

Sections are matched to panels (matching.py); one that matches nothing as a whole is split at its
headings and each part tried on its own (a "필수 시각 요소" section holds one diagram per panel). A
placeholder the wireframe left in a panel (``[표: …]``, ``[비유 다이어그램]``) is filled with the matched
content of its kind, or stays visible and is reported.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nanosheet.compose.auto_layout import default_rows
from nanosheet.compose.curate import (
    as_card,
    block_words,
    is_duplicate,
    is_instruction,
    order_by_priority,
    redraws_diagram,
    without_repeated_items,
)
from nanosheet.compose.draft import Draft
from nanosheet.compose.matching import Match, match_sections, normalise_title
from nanosheet.compose.richer import is_richer_version
from nanosheet.model import (
    Block,
    CalloutBlock,
    Diagnostic,
    HeadingBlock,
    ListBlock,
    Panel,
    PlaceholderBlock,
    Prompt,
    Row,
    Section,
    Unplaced,
)

_PLACEHOLDER_KINDS = {
    "table": re.compile(r"표|table|matrix|비교", re.IGNORECASE),
    "diagram": re.compile(r"다이어그램|diagram|흐름|순환|flow|cycle|도식|그림", re.IGNORECASE),
}
_FILLS = {"table": {"table"}, "diagram": {"flow", "diagram", "mindmap"}}


def lay_out(draft: Draft, *, place_extras: bool) -> Draft:
    """The panels: the wireframe's rows with the matched sections placed, or the default layout's."""
    prompt, left_out, warnings = draft.prompt, list(draft.left_out), list(draft.warnings)
    if prompt.rows:
        rows = [row.model_copy(deep=True) for row in prompt.rows]
        unplaced = place_sections(prompt, rows, left_out, warnings, place_extras=place_extras)
    else:
        rows, unplaced = default_rows(prompt)
        for panel in (p for row in rows for p in row.panels if row.kind != "title"):
            panel.extra = curate_blocks(panel.extra, panel.model_copy(update={"extra": []}), left_out)
    return replace(draft.revised(rows, warnings), unplaced=(*draft.unplaced, *unplaced), left_out=tuple(left_out))


def place_sections(prompt: Prompt, rows: list[Row], left_out: list[str], warnings: list[Diagnostic], *,
                   place_extras: bool) -> list[Unplaced]:
    """Matched sections' blocks join their panel after the wireframe's own lines."""
    panels = {p.id: p for row in rows for p in row.panels if row.kind != "title"}
    sections = [s for s in prompt.sections if s.kind == "content"]
    unplaced: list[Unplaced] = []
    for match in match_sections(sections, rows):
        section = match.section
        if match.panel_id is not None:
            _put(panels[match.panel_id], section, left_out)
            continue
        parts = [m for m in match_sections(split_at_headings(section), rows)]
        placed = [m for m in parts if m.panel_id is not None]
        for part in placed:
            _put(panels[part.panel_id or ""], part.section, left_out)
        rest = [m.section for m in parts if m.panel_id is None]
        if not placed:
            unplaced.append(Unplaced(section=section.title, reason=match.reason, line=section.line_start))
        elif rest:
            names = ", ".join(repr(r.title) for r in rest)
            unplaced.append(Unplaced(section=section.title, line=section.line_start,
                                     reason=f"parts {names} matched no panel ({_best(parts)})"))
    unplaced = _overview_to_focus(prompt, rows, unplaced)
    if place_extras and unplaced:
        unplaced = _place_extras(prompt, rows, panels, unplaced, left_out)
    for panel in panels.values():
        fill_placeholders(panel, prompt.path, warnings)
    return unplaced


_OVERVIEW = re.compile(r"overview|개요|전체\s*(?:구조|주제)|topic\s*(?:map|structure)|mind\s*map|마인드\s*맵",
                       re.IGNORECASE)


def _overview_to_focus(prompt: Prompt, rows: list[Row], unplaced: list[Unplaced]) -> list[Unplaced]:
    """An overview mind map no panel title matched ("Topic Overview (Mind Map)") is drawn in the widest panel,
    the one the prompt marks as the centre of the page, if that panel draws no diagram of its own (a chain
    of steps is not one): the page's big panel is where a mind map belongs, not the unplaced list."""
    focus = next((p for row in rows if row.kind != "title" for p in row.panels
                  if "widest" in row.flags or "widest" in p.flags), None)
    if focus is None or any(_draws_diagram(b) for b in [*focus.blocks, *focus.extra]):
        return unplaced
    by_title = {s.title: s for s in prompt.sections if s.kind == "content"}
    out: list[Unplaced] = []
    for item in unplaced:
        section = by_title.get(item.section)
        maps = [b for b in section.blocks if b.type == "mindmap"] if section and _OVERVIEW.search(section.title) else []
        if not section or not maps or any(b.type == "mindmap" for b in focus.extra):
            out.append(item)
            continue
        focus.extra.append(maps[0])
        focus.sections.append(section.title)
        if any(b.type not in ("mindmap", "directive", "heading") for b in section.blocks):
            out.append(item.model_copy(update={"reason": f"its mind map went to the widest panel {focus.id}; "
                                                         f"the rest {item.reason}"}))
    return out


def _draws_diagram(block: Block) -> bool:
    """A mind map or a flow that branches or nests (a plain chain is drawn as step boxes)."""
    if block.type == "mindmap":
        return True
    if block.type not in ("flow", "diagram"):
        return False
    fanout: dict[str, int] = {}
    for edge in getattr(block, "edges", []):
        fanout[edge.src] = fanout.get(edge.src, 0) + 1
    nested = any(n.children for n in getattr(block, "nodes", [])) or bool(getattr(block, "groups", []))
    return nested or any(v > 1 for v in fanout.values())


def _put(panel: Panel, section: Section, left_out: list[str]) -> None:
    panel.extra.extend(curate_blocks(section.blocks, panel, left_out))
    panel.sections.append(section.title)


def _best(parts: list[Match]) -> str:
    misses = [m for m in parts if m.panel_id is None]
    return misses[0].reason if misses else ""


def split_at_headings(section: Section) -> list[Section]:
    """A section's heading groups as sections of their own (blocks before the first heading stay together)."""
    parts: list[Section] = []
    for block in section.blocks:
        if isinstance(block, HeadingBlock) or not parts:
            title = block.text if isinstance(block, HeadingBlock) else section.title
            line = block.line or section.line_start
            parts.append(Section(kind="content", title=title, line_start=line, line_end=section.line_end,
                                 icon=section.icon if not parts else None))
            if isinstance(block, HeadingBlock):
                continue
        parts[-1].blocks.append(block)
    return [p for p in parts if p.blocks] if len(parts) > 1 else []


def fill_placeholders(panel: Panel, file: str, warnings: list[Diagnostic]) -> None:
    """Swap each wireframe placeholder for matched content of its kind, or report it as left visible."""
    for index, block in enumerate(panel.blocks):
        if not isinstance(block, PlaceholderBlock):
            continue
        wanted = _placeholder_kind(block)
        fill = next((b for b in panel.extra if wanted and b.type in _FILLS[wanted]), None)
        if fill is None:
            warnings.append(Diagnostic(code="placeholder-unfilled", file=file, line=block.line,
                                       message=f"panel {panel.id} ({panel.title}): nothing in the prompt fills "
                                               f"[{block.kind}{': ' + block.text if block.text else ''}]; "
                                               "it is drawn as a labelled placeholder"))
            continue
        panel.extra.remove(fill)
        panel.blocks[index] = fill


def _placeholder_kind(block: PlaceholderBlock) -> str | None:
    text = f"{block.kind} {block.text}"
    return next((kind for kind, pattern in _PLACEHOLDER_KINDS.items() if pattern.search(text)), None)


def curate_blocks(blocks: list[Block], panel: Panel, left_out: list[str]) -> list[Block]:
    """A section's blocks minus instructions and repeats of what the panel shows, most important first."""
    shown = set(normalise_title(panel.title)).union(*(block_words(b) for b in [*panel.blocks, *panel.extra]))
    has_mindmap = any(b.type == "mindmap" for b in [*panel.blocks, *panel.extra])
    drawn: list[Block] = [b for b in panel.blocks if b.type in {"flow", "diagram"}]
    kept: list[Block] = []
    for block in map(as_card, blocks):
        reason = None
        if block.type == "directive":
            kept.append(block)  # pending until the panel is known (compose/fulfil.py settles it)
            continue
        if is_instruction(block):
            reason = "an instruction to the image model"
        elif has_mindmap and block.type == "mindmap":
            reason = "a second mind map (the panel draws the wireframe's)"
        elif redraws_diagram(block, drawn) and not is_richer_version(block, drawn):
            reason = "it redraws the panel's diagram"  # a fuller redraw stays: compose/richer.py keeps it
        elif isinstance(block, ListBlock):
            trimmed = without_repeated_items(block, shown)
            if trimmed is None:
                reason = "it repeats the panel's lines"
            else:
                block = trimmed
        elif block.type != "heading" and is_duplicate(block, shown):
            reason = "it repeats the panel's lines"
        if reason:
            left_out.append(f"{panel.id} ({panel.title}): {_describe(block)} — {reason}")
            continue
        kept.append(block)
        shown |= block_words(block)
    return order_by_priority(_fold_card_headings(_drop_empty_headings(kept)))


def _fold_card_headings(blocks: list[Block]) -> list[Block]:
    """A heading over a single card becomes part of the card's title: one line less, nothing lost."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        prev = out[-1] if out else None
        alone = i + 1 == len(blocks) or blocks[i + 1].type == "heading"
        if isinstance(block, CalloutBlock) and isinstance(prev, HeadingBlock) and alone:
            out[-1] = block.model_copy(update={"title": f"{prev.text} — {block.title}"})
        else:
            out.append(block)
    return out


def _drop_empty_headings(blocks: list[Block]) -> list[Block]:
    return [b for i, b in enumerate(blocks)
            if not (b.type == "heading" and (i + 1 == len(blocks) or blocks[i + 1].type == "heading"))]


def _describe(block: Block) -> str:
    words = " ".join(sorted(block_words(block)))[:60]
    text = getattr(block, "text", None)
    return f"{block.type} {text[:60]!r}" if isinstance(text, str) else f"{block.type} ({words})"


def _place_extras(prompt: Prompt, rows: list[Row], panels: dict[str, Panel], unplaced: list[Unplaced],
                  left_out: list[str]) -> list[Unplaced]:
    """--place-extras: each unmatched section goes to the panel with the most room left.

    Room is the panel's share of the page (row ratio over its panel count) per word it already shows.
    A mind map needs a panel of its own: it goes only to a panel with no diagram yet, else it is left
    out (and reported) — squeezed beside another drawing it would be illegible."""
    by_title = {s.title: s for s in prompt.sections if s.kind == "content"}
    area = {p.id: row.ratio / len(row.panels) for row in rows if row.kind != "title" for p in row.panels}

    def room(panel: Panel) -> float:
        words = sum(len(block_words(b)) for b in [*panel.blocks, *panel.extra])
        return area[panel.id] / (10 + words)

    for item in unplaced:
        section = by_title.get(item.section)
        if section is None:
            continue
        blocks: list[Block] = list(section.blocks)
        target = max(panels.values(), key=lambda p: (room(p), p.id))
        if any(b.type in {"mindmap", "flow", "diagram"} for b in [*target.blocks, *target.extra]):
            kept: list[Block] = [b for b in blocks if b.type != "mindmap"]
            if len(kept) < len(blocks):
                left_out.append(f"{target.id} ({target.title}): mindmap from {section.title!r} — the panel "
                                "already draws a diagram")
            blocks = kept
        target.extra.extend(curate_blocks(blocks, target, left_out))
        target.sections.append(section.title)
    return []
