"""A composed Sheet + its source text -> the same Sheet with panel content written by an LLM.

Only ``panel.extra`` (what compose added) is rewritten; rows, panels, ids, ratios, widths and the
wireframe's own lines never change. Each panel is asked once with its title, current lines, the
source, the prompt's language policy and its measured capacity; an answer that overflows is sent
back with what overflowed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from nanosheet.backends.blocktext import block_lines
from nanosheet.backends.llm import LLMClient, Message, UnacceptableAnswerError, default_cache_dir, make_chat
from nanosheet.backends.openai_sdk import DEFAULT_TIMEOUT
from nanosheet.errors import BackendError
from nanosheet.model import Block, Diagnostic, Panel, Sheet
from nanosheet.textwidth import display_width

log = logging.getLogger(__name__)

Capacity = tuple[int, int]
"""(lines, characters per line) a panel's body holds at a legible size; a Hangul syllable is one character."""

MAX_SOURCE_CHARS = 12_000
"""Long transcripts are cut so small local models keep the instructions in their context."""

POLICY = """You write the content of one panel of a printed A4 cheat sheet.
Rules:
- Explanations in Korean (한국어). Keep English technical terms exactly as written (Chain-of-Thought, \
few-shot, token, RLHF …); never translate or transliterate them.
- Short lines: keywords and phrases, not paragraphs. Every line must fit the stated width.
- Only facts found in the source text. No greetings, no commentary.
- Do not repeat the panel title or the fixed wireframe lines; add what they lack.
- Prefer these block types: list, keyvalue, chain, text, and a small table when the source compares things.
- Leave "line" out of every block."""


class PanelContent(BaseModel):
    """What the model returns for one panel."""

    model_config = ConfigDict(extra="forbid")
    blocks: list[Block]


def enrich_sheet(sheet: Sheet, source_text: str, *, client: LLMClient, capacity: dict[str, Capacity],
                 rules: Sequence[str] = ()) -> Sheet:
    """A copy of ``sheet`` whose panels' ``extra`` blocks were written by the model; layout untouched."""
    out = sheet.model_copy(deep=True)
    for row in out.rows:
        if row.kind == "title":
            continue
        for panel in row.panels:
            if panel.id not in capacity:
                log.info("no capacity measured for %s; left as composed", panel.id)
                continue
            _enrich_panel(out, panel, source_text, client, capacity[panel.id], rules)
    if layout_signature(out) != layout_signature(sheet):  # cannot happen: only panel.extra is assigned
        raise BackendError("internal: LLM enrichment changed the layout")
    return out


def _enrich_panel(sheet: Sheet, panel: Panel, source: str, client: LLMClient, cap: Capacity,
                  rules: Sequence[str]) -> None:
    lines, chars = cap
    fixed = [line for block in panel.blocks for line in block_lines(block)]
    room = lines - wrapped_lines(fixed, chars)
    if room <= 0:
        sheet.warnings.append(Diagnostic(code="llm-no-room", message=f"panel {panel.id} ({panel.title}) is "
                                         "full with its wireframe lines; the LLM was not asked"))
        return
    messages = panel_messages(sheet, panel, source, (room, chars), rules)
    try:
        answer = client.complete_json(messages, PanelContent, check=partial(overflow, lines=room, chars=chars))
    except UnacceptableAnswerError as exc:  # one stubborn panel keeps compose's content, the rest go on
        sheet.warnings.append(Diagnostic(code="llm-rejected", message=f"panel {panel.id}: {exc.message}; "
                                         "kept the composed content"))
        return
    panel.extra = [block.model_copy(update={"line": None}) for block in answer.blocks]


def panel_messages(sheet: Sheet, panel: Panel, source: str, cap: Capacity,
                   rules: Sequence[str] = ()) -> list[Message]:
    lines, chars = cap
    fixed = [ln for b in panel.blocks for ln in block_lines(b)]
    current = [ln for b in panel.extra for ln in block_lines(b)]
    clipped = source if len(source) <= MAX_SOURCE_CHARS else source[:MAX_SOURCE_CHARS] + "\n[…]"
    parts = [
        f"Sheet: {sheet.title}",
        f"Panel: {panel.icon + ' ' if panel.icon else ''}{panel.title}",
        *([f"Hints: {'; '.join(panel.hints)}"] if panel.hints else []),
        "Fixed wireframe lines (stay as they are):\n" + ("\n".join(fixed) or "(none)"),
        "Current content (rewrite or enrich):\n" + ("\n".join(current) or "(empty)"),
        f"Capacity: at most {lines} lines of at most {chars} characters (a Hangul syllable counts 1, a "
        "Latin letter, digit or space ½; longer lines wrap and use more lines).",
        *(["Style rules from the prompt:\n" + "\n".join(f"- {r}" for r in rules)] if rules else []),
        'Answer as {"blocks": [...]} using the block schema.',
        "Source text:\n" + clipped,
    ]
    return [Message(role="system", content=POLICY), Message(role="user", content="\n\n".join(parts))]


def overflow(content: PanelContent, *, lines: int, chars: int) -> str | None:
    """None when the answer fits; else what overflowed, phrased for the model."""
    text = [ln for b in content.blocks for ln in block_lines(b)]
    if not text:
        return "the answer has no text; give the panel's content"
    used = wrapped_lines(text, chars)
    if used <= lines:
        return None
    long = [ln for ln in text if text_width(ln) > chars]
    detail = f" These lines are wider than {chars} characters: " + " | ".join(long[:5]) + "." if long else ""
    return (f"too long: it needs {used} lines but the panel holds {lines} lines of {chars} characters."
            f"{detail} Shorten lines and drop the least important ones.")


def text_width(line: str) -> float:
    """Width in Hangul syllables: wide characters count 1, narrow ones ½."""
    return display_width(line) / 2


def wrapped_lines(lines: Sequence[str], chars: int) -> int:
    return sum(max(1, math.ceil(text_width(line) / max(chars, 1))) for line in lines)


def layout_signature(sheet: Sheet) -> list[tuple[object, ...]]:
    """Everything about the layout that the LLM must never change."""
    return [(row.kind, row.ratio, tuple(row.widths), tuple((p.id, p.title, p.icon) for p in row.panels),
             tuple(tuple(b.model_dump_json() for b in p.blocks) for p in row.panels))
            for row in sheet.rows]


# --------------------------------------------------------------------------- capacity and wiring

MM_TO_PT = 72 / 25.4


def estimate_capacity(sheet: Sheet, *, font_pt: float = 8.5, line_height: float = 1.35,
                      margin_mm: float = 10.0, footer_mm: float = 10.0, padding_mm: float = 4.0
                      ) -> dict[str, Capacity]:
    """Lines and Hangul characters per panel body at ``font_pt``, from the row ratios and widths.

    An estimate for when no measured capacity (from a render) is at hand.
    """
    usable_w = sheet.page.width_mm - 2 * margin_mm
    usable_h = sheet.page.height_mm - 2 * margin_mm - footer_mm
    title_pt = font_pt * 1.3 * line_height
    out: dict[str, Capacity] = {}
    for row in sheet.rows:
        widths = row.widths if len(row.widths) == len(row.panels) else [1.0] * len(row.panels)
        total = sum(widths) or 1.0
        height_pt = (usable_h * row.ratio / 100 - 2 * padding_mm) * MM_TO_PT
        for panel, share in zip(row.panels, widths, strict=True):
            width_pt = (usable_w * share / total - 2 * padding_mm) * MM_TO_PT
            body_pt = height_pt - (title_pt if row.kind == "panels" else 0)
            out[panel.id] = (max(0, int(body_pt // (font_pt * line_height))), max(1, int(width_pt // font_pt)))
    return out


def measure_capacity(sheet: Sheet, *, font_pt: float = 8.5, line_height: float = 1.3,
                     pad_x_mm: float = 3.0, pad_y_mm: float = 4.6, head_pt: float = 13.0) -> dict[str, Capacity]:
    """Lines and Hangul characters per panel body at ``font_pt``, from the boxes render will draw.

    ``render.geometry.layout_rows`` is the arithmetic the page itself uses (the report's ``box_mm``
    repeats it), so no first render is needed. The body is the box minus the panel's padding
    (``sheet.css``: 2.4/3/2.2 mm) and its heading line (13 pt × 1.1 + 1.2 mm).
    """
    from nanosheet.render.geometry import layout_rows

    head_mm = head_pt * 1.1 / MM_TO_PT + 1.2
    out: dict[str, Capacity] = {}
    for row, geometry in zip(sheet.rows, layout_rows(sheet.page, sheet.rows), strict=True):
        for panel, box in zip(row.panels, geometry.panels, strict=True):
            body_w = (box.w - 2 * pad_x_mm) * MM_TO_PT
            body_h = (box.h - pad_y_mm - head_mm) * MM_TO_PT
            out[panel.id] = (max(0, int(body_h // (font_pt * line_height))), max(1, int(body_w // font_pt)))
    return out


def apply_llm(sheet: Sheet, spec: str, base_url: str | None, source_text: str, *,
              capacity: dict[str, Capacity] | None = None, rules: Sequence[str] = (),
              cache_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT) -> Sheet:
    """What ``render --llm PROVIDER:MODEL [--base-url URL] [--timeout S]`` calls between compose and render."""
    client = LLMClient(make_chat(spec, base_url, timeout=timeout), cache_dir=cache_dir or default_cache_dir())
    result = enrich_sheet(sheet, source_text, client=client, capacity=capacity or estimate_capacity(sheet),
                          rules=rules)
    log.info("llm %s: %d requests", spec, client.requests)
    return result
