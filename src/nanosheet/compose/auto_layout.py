"""Default layout for a prompt or chapter without a wireframe: content sections in, rows of panels out.

The shape is the origin's lecture template: title 10 %, two panels 25 %, a wide centre 40 %, three
panels 25 %. A row with no section to show is left out and its share goes to the others, so no
panel is drawn empty.
"""

from __future__ import annotations

from nanosheet.model import Block, Panel, Prompt, Row, RowKind, Section, TextBlock, Unplaced

# (row kind, ratio %, panel slots)
TEMPLATE: tuple[tuple[RowKind, float, int], ...] = (
    ("panels", 25.0, 2),
    ("band", 40.0, 1),
    ("panels", 25.0, 3),
)
TITLE_RATIO = 10.0


def default_rows(prompt: Prompt) -> tuple[list[Row], list[Unplaced]]:
    """Fill the template with the prompt's content sections; list the ones that do not fit.

    The wide centre takes the section that most needs width — the first mind map, else the first
    flowchart, else the longest section — and the others keep their order above and below it.
    """
    sections = [s for s in prompt.sections if s.kind == "content" and (s.blocks or s.text.strip())]
    rows = [_title_row(prompt)]
    if not sections:
        return rows, []
    centre = _centre_section(sections)
    others = [s for s in sections if s is not centre]
    top_count = min(TEMPLATE[0][2], (len(others) + 1) // 2)
    bottom_count = min(TEMPLATE[2][2], len(others) - top_count)
    chunks = [others[:top_count], [centre], others[top_count: top_count + bottom_count]]
    for (kind, ratio, _), chunk in zip(TEMPLATE, chunks, strict=True):
        if not chunk:
            continue
        panels = [_panel_from(section, f"r{len(rows) + 1}p{i}") for i, section in enumerate(chunk, start=1)]
        flags = ["widest"] if kind == "band" else []
        rows.append(Row(kind=kind, ratio=ratio, panels=panels, widths=[1.0] * len(panels), flags=flags))
    _normalise(rows)
    left = others[top_count + bottom_count:]
    unplaced = [Unplaced(section=s.title, reason=f"the default layout has {1 + top_count + bottom_count} "
                                                 "content panels and this section came later", line=s.line_start)
                for s in left]
    return rows, unplaced


def _centre_section(sections: list[Section]) -> Section:
    for wanted in ({"mindmap"}, {"flow", "diagram"}):
        for section in sections:
            if any(b.type in wanted for b in section.blocks):
                return section
    return max(sections, key=lambda s: (len(s.text), -s.line_start))


def _title_row(prompt: Prompt) -> Row:
    blocks: list[Block] = [TextBlock(text=prompt.subtitle)] if prompt.subtitle else []
    panel = Panel(id="r1p1", title=prompt.title, blocks=blocks)
    return Row(kind="title", ratio=TITLE_RATIO, panels=[panel], widths=[1.0])


def _panel_from(section: Section, panel_id: str) -> Panel:
    # The section's content goes in `extra`, as for a matched section: the renderer may leave it out
    # (and report it) when it cannot stay legible, which it never does with the wireframe's own lines.
    blocks: list[Block] = section.blocks or [TextBlock(text=section.text.strip(), line=section.line_start)]
    return Panel(id=panel_id, icon=section.icon, title=section.title, extra=list(blocks),
                 sections=[section.title], line=section.line_start)


def _normalise(rows: list[Row]) -> None:
    total = sum(r.ratio for r in rows)
    for row in rows:
        row.ratio = round(row.ratio * 100.0 / total, 3)
