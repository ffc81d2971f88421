"""A chapter Prompt + ``PROVIDER:MODEL`` in, a model-written planned Prompt out (or the offline plan + a warning).

The model analyses the chapter, plans the rows and writes the sheet as a cheat-sheet prompt in the format
``nanosheet plan`` writes (role, source, ASCII wireframe, ratio table, ``# Content Details``). The answer
is accepted only when ingest reads it as a wireframe with rows, ratios adding up to 100 and a content
section for every panel, no printed line is over 45 words, and a dry fit (each panel's text against its
box's capacity at the renderer's smallest size) passes; otherwise the problems go back to the model, at
most twice. ``backends.llm.complete_json`` does the asking, the 429/5xx backoff and the disk cache (keyed
by the chapter text, the model and this module's template). When every try fails the offline plan is
drawn and an ``llm-plan-failed`` warning says why.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, Field

from nanosheet.backends.blocktext import panel_lines
from nanosheet.backends.llm import LLMClient, Message, default_cache_dir, make_chat
from nanosheet.backends.llm_compose import measure_capacity, text_width, wrapped_lines
from nanosheet.backends.retry import Sleep
from nanosheet.errors import BackendError, NanosheetError
from nanosheet.model import Diagnostic, Footer, Page, Panel, PlanChoice, PlanInfo, Prompt, Row, Sheet

log = logging.getLogger(__name__)

TEMPLATE_FILE = "llm_plan_prompt.md"
TEMPLATE_VERSION = 1
"""Part of every request (so of every cache key): bump it when the template's meaning changes."""
MAX_CHAPTER_CHARS = 24_000
"""Long transcripts are cut so a small local model keeps the instructions in its context."""
MAX_WORDS = 45
"""No printed line (a paragraph, a bullet, a table row) over this many words (issue 10)."""
FIT_PT = 7.0
"""The smallest body size the renderer shrinks to: a plan that overflows even there is sent back."""
MAX_PROBLEMS = 12
"""A longer list only drowns the first problems in the model's context."""
CHAPTER_KINDS = ("lecture", "tutorial", "article", "use-case")
_FORMAL = re.compile(r"(?:습니다|습니까|합니다|입니다|됩니다|세요|해요|에요|예요)[.!?…\s]*$")
_HANGUL = re.compile(r"[가-힣]")
backoff_sleep: Sleep = time.sleep
"""The wait between 429/5xx retries when LLMOptions gives none (tests replace it: no sleeping in tests)."""


class PlanAnswer(BaseModel):
    """The model's answer: its analysis and plan first (they are asked for so the prompt is thought out)."""

    chapter_type: str = Field(description="lecture, tutorial, article or use-case")
    analysis: str = Field(description="the topic, the ideas to keep, the structure to draw, what to leave out")
    plan: str = Field(description="one line per row: its share in percent and its panels")
    prompt: str = Field(description="the whole cheat-sheet prompt in markdown, in the stated format")


@dataclass
class LLMOptions:
    """What ``--llm PROVIDER:MODEL [--base-url URL] [--timeout S]`` asks for."""

    spec: str
    base_url: str | None = None
    timeout: float = 120.0
    cache_dir: Path | None = None
    """None: the user's cache (``~/.cache/nanosheet/llm``)."""
    sleep: Sleep | None = None
    """The wait between 429/5xx retries (tests record it instead of sleeping)."""
    retries: int = 2

    def client(self) -> LLMClient:
        """A client for the spec: a bad spec or a missing key raises ConfigError here, before any request."""
        chat = make_chat(self.spec, self.base_url, timeout=self.timeout)
        client = LLMClient(chat, cache_dir=self.cache_dir or default_cache_dir(), retries=self.retries)
        client.sleep = self.sleep if self.sleep is not None else backoff_sleep
        return client


def plan_with_llm(prompt: Prompt, llm: str | LLMOptions) -> Prompt:
    """The model's plan for ``prompt``, checked by ingest and a dry fit; the offline plan when it never passes."""
    options = LLMOptions(spec=llm) if isinstance(llm, str) else llm
    client = options.client()
    if not _chapter_text(prompt):  # nothing to send: the offline planner says so with its no-content warning
        from nanosheet.plan import plan_prompt

        return plan_prompt(prompt)
    try:
        answer = client.complete_json(plan_messages(prompt), PlanAnswer, check=partial(plan_problems, prompt))
    except BackendError as exc:  # unacceptable answers, timeouts, HTTP errors after the retries
        log.info("llm plan from %s failed after %d requests: %s", options.spec, client.requests, exc.message)
        return _fallback(prompt, options.spec, exc.describe())
    log.info("llm plan from %s: %d requests", options.spec, client.requests)
    return planned_prompt(prompt, answer, spec=options.spec, requests=client.requests)


# --------------------------------------------------------------------------- the request


def template() -> str:
    """The instructions the model gets (our own words; versioned by TEMPLATE_VERSION)."""
    return files("nanosheet.plan").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8")


def plan_messages(prompt: Prompt) -> list[Message]:
    """The system template and one user message: the chapter, its page and what a row of the page holds."""
    chapter = _chapter_text(prompt)
    clipped = chapter if len(chapter) <= MAX_CHAPTER_CHARS else chapter[:MAX_CHAPTER_CHARS] + "\n[…]"
    parts = [
        f"Chapter file: {Path(prompt.path).name}",
        f"Chapter title: {prompt.title}",
        f"Page: A4 {prompt.page.orientation}",
        "Room on the page at the usual 9 pt body (a Hangul syllable counts 1 character, a Latin letter, digit or "
        "space ½): " + capacity_guide(prompt.page) + ".",
        'Answer as {"chapter_type": …, "analysis": …, "plan": …, "prompt": …}.',
        "Chapter:\n" + clipped,
    ]
    return [Message(role="system", content=f"[template v{TEMPLATE_VERSION}]\n" + template()),
            Message(role="user", content="\n\n".join(parts))]


def _chapter_text(prompt: Prompt) -> str:
    """The chapter as markdown: its sections' headings and text (the Source Text when that is all it has)."""
    parts = [f"## {s.title}\n\n{s.text.strip()}" for s in prompt.sections if s.kind == "content" and s.text.strip()]
    return "\n\n".join(parts) or prompt.source_text.strip()


def capacity_guide(page: Page) -> str:
    """What 10 % of the page height holds at 9 pt: lines, and characters a line in a band or a row of 2 or 3."""
    rows = [Row(kind="title", ratio=10, panels=[Panel(id="r1p1", title="t")], widths=[1.0])]
    for count in (1, 2, 3):
        rows.append(Row(kind="band" if count == 1 else "panels", ratio=30, widths=[1.0] * count,
                        panels=[Panel(id=f"r{len(rows) + 1}p{k + 1}", title="t") for k in range(count)]))
    sheet = Sheet(stem="guide", title="guide", page=page, rows=rows, footer=Footer(title="guide"))
    capacity = measure_capacity(sheet, font_pt=9.0)
    lines = capacity["r2p1"][0] / 3
    chars = [capacity[row.panels[0].id][1] for row in rows[1:]]
    return (f"each 10 % of the page height holds about {lines:.0f} lines; a line holds about {chars[0]} characters "
            f"in a band, {chars[1]} in each of two panels side by side, {chars[2]} in each of three")


# --------------------------------------------------------------------------- the checks


def parse_plan_text(text: str, original: Prompt) -> Prompt:
    """Read the model's prompt as ingest reads a file (raises InputError when it cannot)."""
    from nanosheet.ingest import read_prompt

    with tempfile.TemporaryDirectory(prefix="nanosheet-llm-plan-") as tmp:
        path = Path(tmp) / (Path(original.path).stem + ".md")
        path.write_text(text, encoding="utf-8")
        return read_prompt(path, orientation=original.page.orientation)


def plan_problems(original: Prompt, answer: PlanAnswer) -> str | None:
    """None when the model's prompt is a plan we can draw; else its problems, phrased for the model."""
    from nanosheet.compose import compose_sheet

    try:
        parsed = parse_plan_text(answer.prompt, original)
    except NanosheetError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        return f"the prompt could not be read: {where}{exc.message}"
    problems = layout_problems(parsed)
    if not problems:
        try:
            sheet = compose_sheet(parsed)
        except Exception as exc:  # noqa: BLE001 - the answer is untrusted input: never a traceback for it
            log.warning("composing the model's plan failed: %r", exc)
            return f"the prompt could not be laid out ({type(exc).__name__}); write it in the stated format"
        problems = content_problems(sheet) + fit_problems(sheet)
    if not problems:
        return None
    more = f"\n(+{len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
    return ("the prompt is not a plan that can be drawn yet:\n"
            + "\n".join(f"- {p}" for p in problems[:MAX_PROBLEMS]) + more)


def layout_problems(parsed: Prompt) -> list[str]:
    """A wireframe with a title row and content rows, a ratio for every row, the ratios adding up to 100."""
    if not parsed.rows or parsed.auto_layout:
        said = [w.message for w in parsed.warnings if w.code in ("no-wireframe", "ratio-unused")]
        return [*said, "draw the wireframe under # Layout Structure: a ``` fence holding one frame of ┌ ┐ └ ┘ ─ │ "
                "├ ┤, the title row first, each row between ├───┤ lines"]
    problems: list[str] = []
    content_rows = [r for r in parsed.rows if r.kind != "title"]
    panels = sum(len(r.panels) for r in content_rows)
    if parsed.rows[0].kind != "title":
        problems.append("the wireframe's first row must be the title row (the sheet title on its first line)")
    if not content_rows:
        problems.append("the wireframe has no rows below the title")
    elif not 3 <= panels <= 10:
        problems.append(f"the wireframe has {panels} panels; plan 4 to 8")
    missing = [k for k, r in enumerate(parsed.rows, 1) if r.ratio_spec is None]
    if missing:
        problems.append(f"the ratio table (## 배치 비율) gives no share for wireframe row(s) "
                        f"{', '.join(map(str, missing))}; give one table line per row, the title row included")
    else:
        total = sum(r.ratio_spec or 0.0 for r in parsed.rows)
        if abs(total - 100) > 0.5:
            problems.append(f"the ratios add up to {total:g} %, not 100 %")
    problems += [w.message for w in parsed.warnings if w.code in ("ratio-mismatch", "ratio-split-mismatch")]
    return problems


def content_problems(sheet: Sheet) -> list[str]:
    """Every panel has its content section, every section a panel; notes short and nominal."""
    problems: list[str] = []
    for row_no, row in enumerate(sheet.rows, 1):
        if row.kind == "title":
            continue
        for panel in row.panels:
            if not panel.sections:
                problems.append(f"panel {panel.title!r} (row {row_no}) has no content section: add "
                                f"'## N. {panel.icon or ''} {panel.title}' under # Content Details")
    problems += [f"the content section {u.section!r} matches no panel of the wireframe ({u.reason}); give it "
                 "the title of the panel it belongs to" for u in sheet.unplaced]
    lines = [(p.title, line) for row in sheet.rows if row.kind != "title" for p in row.panels
             for line in panel_lines(p)]
    for title, line in lines:
        words = len(line.split())
        if words > MAX_WORDS:
            problems.append(f"panel {title!r} has a block of {words} words ({' '.join(line.split()[:8])} …); "
                            f"split it into notes of at most 14 words")
    korean = [line for _, line in lines if _HANGUL.search(line)]
    formal = [line for line in korean if _FORMAL.search(line)]
    if formal and len(formal) > 0.1 * len(korean):
        examples = " | ".join(f"{line[-30:]}" for line in formal[:3])
        problems.append(f"{len(formal)} of {len(korean)} Korean notes end in formal style (…{examples}); end notes "
                        "with a noun or 함/임/음")
    return problems


def fit_problems(sheet: Sheet) -> list[str]:
    """A dry fit: each panel's wrapped lines against what its box holds at the smallest body size."""
    capacity = measure_capacity(sheet, font_pt=FIT_PT)
    problems: list[str] = []
    for row_no, row in enumerate(sheet.rows, 1):
        if row.kind == "title":
            continue
        for panel in row.panels:
            lines, chars = capacity[panel.id]
            text = panel_lines(panel)
            if not text:
                problems.append(f"panel {panel.title!r} (row {row_no}) is empty")
                continue
            needed = wrapped_lines(text, chars)
            if needed > lines:
                wide = max(text, key=text_width)
                problems.append(f"panel {panel.title!r} (row {row_no}) needs about {needed} lines but its box holds "
                                f"{lines} lines of {chars} characters even at {FIT_PT:g} pt (its widest line: "
                                f"{wide[:40]}…); cut its content or give row {row_no} a larger share")
    return problems


# --------------------------------------------------------------------------- the result


def planned_prompt(original: Prompt, answer: PlanAnswer, *, spec: str, requests: int) -> Prompt:
    """The chapter's Prompt with the model's rows and content sections (its frontmatter and source kept)."""
    from nanosheet.compose import compose_sheet

    parsed = parse_plan_text(answer.prompt, original)
    content = [s.model_copy(update={"blocks": [b.model_copy(update={"line": None}) for b in s.blocks]})
               for s in parsed.sections if s.kind == "content"]  # their lines are the answer's, not the chapter's
    kept = [s for s in original.sections if s.kind not in ("content", "layout", "ratio")]
    if not any(s.kind == "role" for s in kept):  # a chapter has none: the model's says what the sheet is for
        kept = [s for s in parsed.sections if s.kind == "role"][:1] + kept
    warnings = [w for w in original.warnings if w.code not in ("no-wireframe", "ratio-unused")]
    out = original.model_copy(update={"rows": parsed.rows, "sections": kept + content, "auto_layout": True,
                                      "title": parsed.title or original.title,
                                      "subtitle": parsed.subtitle or original.subtitle, "warnings": warnings})
    sheet = compose_sheet(out)
    choices = [PlanChoice(panel=p.id, title=p.title, kind=_panel_kind(p), sections=p.sections)
               for row in sheet.rows if row.kind != "title" for p in row.panels]
    kind = answer.chapter_type.strip().lower()
    info = PlanInfo(chapter_kind=kind if kind in CHAPTER_KINDS else "article", template=f"llm-v{TEMPLATE_VERSION}",
                    notes_backend="llm", source="llm", model=spec, llm_requests=requests, choices=choices)
    return out.model_copy(update={"plan": info})


def _panel_kind(panel: Panel) -> str:
    """What a panel mostly shows, as the offline plan names it."""
    types = [b.type for b in [*panel.blocks, *panel.extra]]
    for block_type, kind in (("mindmap", "mindmap"), ("flow", "flow"), ("diagram", "flow"), ("table", "table"),
                             ("quote", "quotes"), ("code", "code")):
        if block_type in types:
            return kind
    return "notes"


def _fallback(prompt: Prompt, spec: str, why: str) -> Prompt:
    """The offline plan, with a warning naming the model and why its plan was not used."""
    from nanosheet.plan import plan_prompt

    local = plan_prompt(prompt)
    why = re.sub(r"\s*\n-\s*", " ", why).strip()  # the problem list, on the warning's one line
    warning = Diagnostic(code="llm-plan-failed", file=prompt.path,
                         message=f"the plan from --llm {spec} was not used ({why}); drew the offline plan instead")
    info = local.plan.model_copy(update={"model": spec}) if local.plan is not None else None
    return local.model_copy(update={"warnings": [*local.warnings, warning], "plan": info})
