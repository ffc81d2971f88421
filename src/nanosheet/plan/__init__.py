"""Plan stage: a Prompt without a wireframe (a chapter) in, a planned Prompt (rows, panels, content) out.

``plan_prompt`` is the stage: analyse the chapter (type, section roles), draw its structure as
pictures, lay them out by content, and write each panel's content as a ``# Content Details`` section
parsed by ingest's own block reader — the Prompt a hand-written cheat-sheet prompt parses to, so
compose and render take it unchanged and ``nanosheet plan`` can write it as an editable prompt file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from nanosheet.model import (
    Block,
    Diagnostic,
    Panel,
    PlanChoice,
    PlanDrop,
    PlanInfo,
    PlanSpare,
    Prompt,
    Row,
    Section,
    TextBlock,
)

if TYPE_CHECKING:
    from nanosheet.plan.llm_plan import LLMOptions

__all__ = ["needs_plan", "plan_if_needed", "plan_prompt"]

_SUFFIX = {"flow": "흐름", "loop": "사이클", "notes": "요점", "table": "비교", "steps": "단계"}
# What a panel is for says more than its (often generic) title: a mind map is a map whatever its topic.
_KIND_ICONS = {"mindmap": "🧠", "flow": "🔄", "loop": "🔁", "table": "📊", "figures": "🔢", "quotes": "💬",
               "takeaways": "🎯", "cautions": "⚠️", "checklist": "✅", "steps": "👣", "overview": "💡",
               "code": "💻", "example": "🧪"}


_PROMPT_PARTS = {"role", "source", "style", "layout", "ratio", "instructions", "image_request"}


def needs_plan(prompt: Prompt) -> bool:
    """True for a chapter, or a prompt without a wireframe whose only content is its Source Text.

    A prompt that already plans its content (``# Output Structure Plan``/``# Content Details`` sections)
    keeps that plan: its sections go to the default layout as written, not distilled again."""
    if prompt.rows:
        return False
    is_prompt = any(s.kind in _PROMPT_PARTS for s in prompt.sections)
    has_content = any(s.kind == "content" and s.blocks for s in prompt.sections)
    return not (is_prompt and has_content)


def plan_if_needed(prompt: Prompt, enabled: bool = True, *, llm: str | LLMOptions | None = None) -> Prompt:
    """The seam render and batch call right after ``read_prompt``: plan a chapter, pass a prompt through."""
    if not enabled or not needs_plan(prompt):
        return prompt
    return plan_prompt(prompt, llm=llm)


def plan_prompt(prompt: Prompt, *, llm: str | LLMOptions | None = None) -> Prompt:
    """Plan ``prompt``'s sheet: by the model ``llm`` names (``PROVIDER:MODEL``), else here, offline."""
    if llm is not None:  # only here does anything leave the machine
        from nanosheet.plan.llm_plan import plan_with_llm

        return plan_with_llm(prompt, llm)
    from nanosheet.plan.analyse import analyse
    from nanosheet.plan.layout import arrange, choose_pieces

    sections = _chapter_sections(prompt)
    if not any(s.blocks for s in sections):
        return _no_content(prompt)
    analysis = analyse(prompt, sections)
    main, secondaries, takeaways, template = choose_pieces(analysis)
    plans = arrange(main, secondaries, takeaways)
    if not plans:
        return _no_content(prompt)
    if not prompt.subtitle:
        prompt = prompt.model_copy(update={"subtitle": tagline(analysis)})
    rows, content, choices = _build(prompt, plans)
    info = PlanInfo(chapter_kind=analysis.kind, template=template, notes_backend=_backend(), choices=choices,
                    dropped=[PlanDrop(section=t, reason=r, line=ln) for t, r, ln in analysis.dropped]
                    + _unused(analysis, choices))
    kept = [s for s in prompt.sections if s.kind not in ("content", "layout", "ratio")]
    warnings = [w for w in prompt.warnings if w.code not in ("no-wireframe", "ratio-unused")]
    return prompt.model_copy(update={"rows": rows, "sections": kept + content, "auto_layout": True, "plan": info,
                                     "warnings": warnings})


def _chapter_sections(prompt: Prompt) -> list[Section]:
    """The chapter's content sections; a prompt whose only content is its Source Text is split like a chapter."""
    sections = [s for s in prompt.sections if s.kind == "content" and s.blocks]
    if sections or not prompt.source_text.strip():
        return sections
    from nanosheet.ingest.sections import split_sections

    source = next((s for s in prompt.sections if s.kind == "source"), None)
    offset = source.line_start if source else 0
    found, _ = split_sections(prompt.source_text, prompt.path)
    shifted = []
    for section in found:
        if section.kind != "content":
            continue
        blocks = [b.model_copy(update={"line": (b.line or 0) + offset}) for b in section.blocks]
        shifted.append(section.model_copy(update={"blocks": blocks, "line_start": section.line_start + offset,
                                                  "line_end": section.line_end + offset}))
    return shifted


def _build(prompt: Prompt, plans: Sequence[object]) -> tuple[list[Row], list[Section], list[PlanChoice]]:
    from nanosheet.compose.icons import choose_icon
    from nanosheet.ingest.markdown import parse_blocks
    from nanosheet.plan.layout import TITLE_RATIO, RowPlan

    title_blocks: list[Block] = [TextBlock(text=prompt.subtitle)] if prompt.subtitle else []
    rows = [Row(kind="title", ratio=TITLE_RATIO, panels=[Panel(id="r1p1", title=prompt.title, blocks=title_blocks)],
                widths=[1.0])]
    content: list[Section] = []
    choices: list[PlanChoice] = []
    number = 0
    widest = max((p.ratio for p in plans if isinstance(p, RowPlan)), default=0.0)
    taken: set[str] = set()
    for plan in plans:
        assert isinstance(plan, RowPlan)
        panels: list[Panel] = []
        for piece in plan.pieces:
            number += 1
            if piece.title in taken:  # two pieces from one section: the panel says what it shows
                piece.title = f"{piece.title.split()[0]} {_SUFFIX.get(piece.kind, '정리')}"
            taken.add(piece.title)
            panel_id = f"r{len(rows) + 1}p{len(panels) + 1}"
            icon = _KIND_ICONS.get(piece.kind) or choose_icon(piece.title)
            panels.append(Panel(id=panel_id, icon=icon, title=piece.title))
            first = piece.lines[0] if piece.lines else 1
            blocks, _ = parse_blocks(piece.markdown, first, prompt.path)
            content.append(Section(kind="content", title=piece.title, icon=icon, number=number, line_start=first,
                                   line_end=piece.lines[-1] if piece.lines else first, text=piece.markdown,
                                   blocks=blocks))
            choices.append(PlanChoice(panel=panel_id, title=piece.title, kind=piece.kind, sections=piece.sections,
                                      lines=piece.lines,
                                      spare=[PlanSpare(markdown=md, line=ln) for md, ln in piece.spare]))
        flags = ["widest"] if plan.kind == "band" and plan.ratio == widest and plan.pieces[0].visual else []
        rows.append(Row(kind="band" if plan.kind == "band" else "panels", ratio=plan.ratio, panels=panels,
                        widths=[1.0] * len(panels), flags=flags))
    return rows, content, choices


def tagline(analysis: object) -> str | None:
    """One short note saying what the chapter is about: the first sentence of its intro or digest."""
    from nanosheet.plan import notes
    from nanosheet.plan.analyse import Analysis

    assert isinstance(analysis, Analysis)
    for info in [*analysis.with_role("title", "overview"), *analysis.with_role("summary")]:
        for block in info.blocks:
            if isinstance(block, TextBlock) and not block.text.startswith(("[", "**")):
                first = next(iter(notes.sentences(block.text)), "")
                note = notes.split_note(notes.to_note(first), max_syllables=30, max_words=10)
                if note and len(note[0]) >= 8:
                    return note[0].replace("**", "")
    return None


def _unused(analysis: object, choices: list[PlanChoice]) -> list[PlanDrop]:
    from nanosheet.plan.analyse import Analysis

    assert isinstance(analysis, Analysis)
    shown = {s for c in choices for s in c.sections}
    out = []
    for info in analysis.sections:
        if info.role == "boilerplate" or info.title in shown:
            continue
        reason = ("the transcript: mined for quotes and figures, not shown whole" if info.role == "transcript"
                  else "less central than the sections shown (the sheet's word budget)")
        out.append(PlanDrop(section=info.title, reason=reason, line=info.section.line_start))
    return out


def _no_content(prompt: Prompt) -> Prompt:
    """Nothing to plan from: render what there is (the title) and say so with a ``no-content`` warning."""
    warning = Diagnostic(code="no-content", file=prompt.path, line=1,
                         message="the input has no content to put on the sheet (no sections, no source text); "
                                 "only the title is drawn — add the chapter text or a # Source Text section")
    return prompt.model_copy(update={"warnings": [*prompt.warnings, warning]})


def _backend() -> str:
    from nanosheet.plan import notes

    return notes.backend()
