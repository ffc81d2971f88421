"""A planned Prompt and what the page measured of it in, a refitted plan (or None: keep it) out.

The plan sizes panels from an estimate of the renderer (``layout.need_mm``); the page measures what
really happened: each panel's ``fill`` (how far down its box the text reaches), its body size and
whether it overflowed or left blocks out — the typed :class:`~nanosheet.model.Measured` the browser
returned, read once into a :class:`PanelFit` per panel. ``refit`` decides from those and changes the plan once:

- a panel under 70 % full takes its next spare candidates (kept on the plan, best first) — as many as
  the measured fill says the box holds at a body size near 10 pt, so it lands at 70–95 %;
- a panel that overflowed, left content out or set its body under 9 pt gives back its last items;
- a row whose panels stay sparse with nothing more to add gives height to the crowded rows (or the
  widest band's drawing, which grows into it).

``render_with_refit`` is the one loop: render, refit from the measurements, render again at most once.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nanosheet.model import Measured, PanelMeasure, PlanChoice, PlanSpare, Prompt, Row, Section

R = TypeVar("R")
P = TypeVar("P", bound=Prompt | None)

REFIT_BELOW = 0.6
"""A panel whose text reaches less than this far down its box triggers the one refit."""
TARGET_LOW, TARGET, TARGET_HIGH = 0.7, 0.85, 0.95
MIN_BODY_PT, GOOD_BODY_PT, LARGE_BODY_PT = 9.0, 10.5, 13.0
SHRINK_TO_PT = 12.0
"""A shrinking row plans for its text at this size (height goes between linearly and as the square of
the size, so the fitter lands near 10–11 pt, never under 9)."""
HEAD_MM = 11.0
"""A panel's title and padding above its body: the part of the box content never reaches."""
MIN_ROW = 11.0
_DRAWN = {"mindmap", "flow", "loop"}
"""Panels that hold one drawing: the renderer grows it; the plan has nothing to add or drop."""
_ITEM = re.compile(r"^(?:\s*[-*+]\s|\s*\d+\.\s|\|(?!\s*-+\s*\|))")


@dataclass(frozen=True)
class PanelFit:
    """What refit decides from of one drawn panel: its box height, how full it is, whether it is crowded."""

    id: str
    box_h: float
    fill: float
    body_pt: float | None
    crowded: bool
    """It overflowed, left content out, or set its body under ``MIN_BODY_PT``."""

    @classmethod
    def of(cls, panel: PanelMeasure, panel_id: str) -> PanelFit:
        body_pt = panel.body_pt
        crowded = panel.overflow or bool(panel.left_out) or (body_pt is not None and body_pt < MIN_BODY_PT - 0.05)
        return cls(id=panel_id, box_h=panel.box_mm[3], fill=panel.fill, body_pt=body_pt, crowded=crowded)


def panel_fits(measured: Measured) -> dict[str, PanelFit]:
    """The measured panels by id (the title band left out), each read once."""
    return {p.id: PanelFit.of(p, p.id) for p in measured.panels if p.id is not None and p.row != 0}


def needs_refit(measured: Measured) -> bool:
    """True when a panel overflowed, left content out, or stays under 60 % full."""
    return any(m.crowded or m.fill < REFIT_BELOW for m in panel_fits(measured).values())


def fit_faults(measured: Measured) -> tuple[int, int]:
    """(panels that overflowed or left content out, panels under 60 % full): lower is better."""
    fits = panel_fits(measured).values()
    return (sum(1 for m in fits if m.crowded and m.body_pt is not None and m.body_pt >= MIN_BODY_PT - 0.05)
            + sum(1 for p in measured.panels if p.overflow or p.left_out),
            sum(1 for m in fits if m.fill < REFIT_BELOW))


def refit_helped(before: Measured, after: Measured) -> bool:
    """Whether the refitted plan's page is no worse than the first one: the page, not the plan's estimate of
    it, decides — a row the refit shrank for its large type may no longer hold its table."""
    return fit_faults(after) <= fit_faults(before)


def refit(planned: Prompt, page: Measured) -> Prompt | None:
    """The plan changed to fit what the page measured, or None when it fits (or is not a plan)."""
    if planned.plan is None or planned.plan.refits or not needs_refit(page):
        return None
    measured = panel_fits(page)
    sections = list(planned.sections)
    by_title = {s.title: i for i, s in enumerate(sections) if s.kind == "content"}
    choices: list[PlanChoice] = []
    changed: set[str] = set()
    for choice in planned.plan.choices:
        m = measured.get(choice.panel)
        index = by_title.get(choice.title)
        if m is None or index is None or (choice.kind in _DRAWN and not (choice.kind == "mindmap" and m.crowded)):
            choices.append(choice)
            continue
        if choice.kind == "mindmap":  # too many nodes for legible labels: the branches keep their notes
            text, spare = _without_leaves(sections[index].text), list(choice.spare)
        else:
            text, spare = _refit_text(sections[index].text, list(choice.spare), m)
        if text != sections[index].text:
            sections[index] = _reparse(sections[index], text, planned.path)
            changed.add(choice.panel)
            added = {s.line for s in choice.spare if s.line is not None and s not in spare}
            choice = choice.model_copy(update={"spare": spare, "lines": sorted({*choice.lines, *added})})
        choices.append(choice)
    kinds = {c.panel: c.kind for c in planned.plan.choices}
    rows = _refit_rows([_refit_widths(r, measured, changed, kinds) for r in planned.rows], measured, changed,
                       kinds)
    if not changed and rows == planned.rows:
        return None
    plan = planned.plan.model_copy(update={"choices": choices, "refits": planned.plan.refits + 1})
    return planned.model_copy(update={"sections": sections, "rows": rows, "plan": plan})


# --------------------------------------------------------------------------- one panel


def _refit_text(text: str, spare: list[PlanSpare], m: PanelFit) -> tuple[str, list[PlanSpare]]:
    chunks = split_chunks(text)
    if not chunks:
        return text, spare
    body = m.body_pt or GOOD_BODY_PT
    reach = max(0.05, min(1.0, (m.fill * m.box_h - HEAD_MM) / max(m.box_h - HEAD_MM, 1.0)))
    if m.crowded:
        # Content area grows with the square of the type size: at 9 pt the body needs (body/9)² as much.
        keep = _cells(chunks) * min(0.9, (body / MIN_BODY_PT) ** 2 if body < MIN_BODY_PT else 0.85)
        while len(chunks) > 2 and _cells(chunks) > keep:
            spare.insert(0, PlanSpare(markdown=chunks.pop()[1]))
        return join_chunks(chunks), spare
    if m.fill >= TARGET_LOW or not spare:
        return text, spare
    size = max(MIN_BODY_PT + 0.5, min(body, GOOD_BODY_PT))
    want = _cells(chunks) * (TARGET / reach) * (body / size) ** 2
    added = 0
    shown = {_key(c[1]) for c in chunks}
    while spare and (_cells(chunks) < want or added == 0):
        candidate = spare.pop(0)
        if _key(candidate.markdown) in shown:
            continue
        grown = [*chunks, _chunk(candidate.markdown, chunks)]
        if added and _cells(grown) > want * TARGET_HIGH / TARGET:
            spare.insert(0, candidate)
            break
        chunks, added = grown, added + 1
        shown.add(_key(candidate.markdown))
    return join_chunks(chunks), spare


def _without_leaves(markdown: str) -> str:
    """A mermaid mind map without its third level (the plan writes leaves six spaces in)."""
    return "\n".join(ln for ln in markdown.split("\n") if not ln.startswith("      ") or ln.strip() == "")


def split_chunks(markdown: str) -> list[tuple[str, str]]:
    """The markdown as (joiner, chunk) pieces: list items and table rows by line, quotes and paragraphs
    by blank line; a table's head (header and rule) stays one chunk that is never dropped."""
    out: list[tuple[str, str]] = []
    for k, para in enumerate(markdown.strip("\n").split("\n\n")):
        lines = para.split("\n")
        if lines[0].startswith("|") and len(lines) >= 2:
            out.append(("\n\n" if k else "", "\n".join(lines[:2])))
            out.extend(("\n", line) for line in lines[2:])
        elif all(_ITEM.match(line) or line.startswith("  ") for line in lines):
            items: list[str] = []
            for line in lines:  # an item's sub-bullets stay with it: dropped or added together
                if line.startswith("  ") and items:
                    items[-1] += "\n" + line
                else:
                    items.append(line)
            out.extend(("\n\n" if k and i == 0 else ("\n" if i else ""), item) for i, item in enumerate(items))
        else:
            out.append(("\n\n" if k else "", para))
    return out


def join_chunks(chunks: Sequence[tuple[str, str]]) -> str:
    return "".join(j + c for j, c in chunks)


def _chunk(markdown: str, chunks: list[tuple[str, str]]) -> tuple[str, str]:
    last = chunks[-1][1].split("\n")[-1]
    numbered = re.match(r"^\d+\.\s", markdown)
    if numbered:
        count = sum(1 for _, c in chunks if re.match(r"^\d+\.\s", c))
        markdown = f"{count + 1}. {markdown[numbered.end():]}"
    same_run = (markdown.startswith("|") and last.startswith("|")) or (
        bool(_ITEM.match(markdown)) and bool(_ITEM.match(last)) and not markdown.startswith("|"))
    return ("\n" if same_run else "\n\n", markdown)


def _cells(chunks: Sequence[tuple[str, str]]) -> float:
    """Display cells, each line rounded up to a third of a narrow panel's line (a short item still takes a line)."""
    total = 0.0
    for _, chunk in chunks:
        for line in chunk.split("\n"):
            if line.strip() and not re.match(r"^\|[-| ]+\|$", line):
                cells = sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in line)
                total += max(cells, 20)
    return total


def _key(text: str) -> str:
    return re.sub(r"\W+", "", re.sub(r"^\s*(?:[-|>]|\d+\.)\s*", "", text)).lower()[:40]


def _reparse(section: Section, text: str, path: str) -> Section:
    from nanosheet.ingest.markdown import parse_blocks

    blocks, _ = parse_blocks(text, section.line_start, path)
    return section.model_copy(update={"text": text, "blocks": blocks})


# --------------------------------------------------------------------------- rows


def _reach(m: PanelFit) -> float:
    return max(0.05, min(1.0, (m.fill * m.box_h - HEAD_MM) / max(m.box_h - HEAD_MM, 1.0)))


def _refit_widths(row: Row, measured: Mapping[str, PanelFit], changed: set[str], kinds: Mapping[str, str]) -> Row:
    """Side by side, a sparse text panel gives width to a fuller neighbour: narrower, its lines wrap
    more and reach further down; wider, the full one gets shorter (text height goes as 1 / width)."""
    ms = [measured.get(p.id) for p in row.panels]
    if len(row.panels) < 2 or any(m is None for m in ms):
        return row
    # Only text already at the largest size is short: a small body size means something wide (code, a
    # table) holds it back, and a narrower box would make that worse.
    sparse = [m for m in ms if m is not None and m.fill < REFIT_BELOW and m.id not in changed
              and kinds.get(m.id) not in _DRAWN and (m.body_pt or 0) >= LARGE_BODY_PT]
    if not sparse:
        return row
    widths = list(row.widths) if len(row.widths) == len(row.panels) else [1.0] * len(row.panels)
    # Relative to the row's mean reach: the fuller panel widens, the sparser narrows.
    reaches = [1.3 * TARGET if m.crowded else _reach(m) for m in ms if m is not None]
    mean = sum(reaches) / len(reaches)
    new = []
    for w, m, reach in zip(widths, ms, reaches, strict=True):
        assert m is not None
        fixed = kinds.get(m.id) in _DRAWN or m.id in changed
        new.append(w if fixed else w * max(0.7, min(1.4, reach / mean)))
    scale = sum(widths) / sum(new)
    return row.model_copy(update={"widths": [round(w * scale, 3) for w in new]})


def _height_needed(m: PanelFit, kind: str) -> float:
    """The share of its height a panel keeps at a good size: text set above 12 pt may shrink to it,
    a drawing keeps what it reaches; never under 62 % in one refit."""
    body = m.body_pt or SHRINK_TO_PT
    text_mm = _reach(m) * max(m.box_h - HEAD_MM, 1.0) * min(1.0, SHRINK_TO_PT / body)
    # A flow is drawn at the height its labels need and centred: its box may shrink further.
    floor = 0.45 if kind in ("flow", "loop") else 0.62
    return max(floor, min(1.0, (HEAD_MM + text_mm / TARGET) / max(m.box_h, 1.0)))


def _refit_rows(rows: list[Row], measured: Mapping[str, PanelFit], changed: set[str],
                kinds: Mapping[str, str]) -> list[Row]:
    """A row with a sparse panel (and nothing more to add) shrinks to what its panels need at a good
    size, giving the height to crowded rows, else to rows in small type, else to the widest band (its
    drawing grows), else to every other row; ratios keep their sum."""
    freed = 0.0
    out = [r.model_copy() for r in rows]
    takers: list[int] = []
    for i, row in enumerate(out):
        ms = [measured[p.id] for p in row.panels if p.id in measured]
        if row.kind == "title" or not ms:
            continue
        if any(m.crowded for m in ms):
            takers.append(i)
        elif any(m.fill < REFIT_BELOW for m in ms) and not any(p.id in changed for p in row.panels):
            keep = max(_height_needed(m, kinds.get(m.id, "")) for m in ms)
            if keep < 0.9:
                new = max(MIN_ROW, row.ratio * keep)
                freed += row.ratio - new
                out[i] = row.model_copy(update={"ratio": round(new, 1)})
    if freed < 0.5:
        return rows
    if not takers:  # rows set in small type next, then the widest band
        takers = [i for i, r in enumerate(out) if r.ratio == rows[i].ratio and any(
            (m := measured.get(p.id)) is not None and (m.body_pt or 99) < GOOD_BODY_PT for p in r.panels)]
    if not takers:  # a mind map grows into height; a flow drawn left to right would only float in it
        takers = [i for i, r in enumerate(out) if "widest" in r.flags
                  and any(kinds.get(p.id) == "mindmap" for p in r.panels)] or [
            i for i, r in enumerate(out) if r.kind != "title" and r.ratio == rows[i].ratio]
    if not takers:
        return rows
    base = sum(out[i].ratio for i in takers)
    for i in takers:
        out[i] = out[i].model_copy(update={"ratio": round(out[i].ratio + freed * out[i].ratio / base, 1)})
    drift = round(sum(r.ratio for r in rows) - sum(r.ratio for r in out), 1)
    out[takers[0]] = out[takers[0]].model_copy(update={"ratio": round(out[takers[0]].ratio + drift, 1)})
    return out


# --------------------------------------------------------------------------- the loop


def _measured_of(result: object) -> Measured:
    """The measurements themselves, or what a capture (``.measured``) holds."""
    if isinstance(result, Measured):
        return result
    measured = getattr(result, "measured", None)
    if isinstance(measured, Measured):
        return measured
    raise TypeError(f"render_once returned {type(result).__name__}, not a page's measurements")


def render_with_refit(render_once: Callable[[P], R], prompt: P,
                      measured_of: Callable[[R], Measured] = _measured_of) -> R:
    """Render ``prompt``; if it is a plan the page says does not fit, refit it and render once more.

    ``render_once`` is called at most twice; anything but a planned Prompt is rendered once."""
    first = render_once(prompt)
    again = refit(prompt, measured_of(first)) if isinstance(prompt, Prompt) and prompt.plan is not None else None
    return first if again is None else render_once(again)  # type: ignore[arg-type]


async def arender_with_refit(render_once: Callable[[P], Awaitable[R]], prompt: P,
                             measured_of: Callable[[R], Measured] = _measured_of) -> R:
    """:func:`render_with_refit` for an async renderer (the batch's browser lanes)."""
    first = await render_once(prompt)
    again = refit(prompt, measured_of(first)) if isinstance(prompt, Prompt) and prompt.plan is not None else None
    return first if again is None else await render_once(again)  # type: ignore[arg-type]
