"""One input file in, its sheet's files out — the whole pipeline in one function, :func:`render_file`.

``read → plan → compose → enrich → html → capture (→ refit a plan the page says does not fit, draw once
more) → write``. ``nanosheet render``, ``nanosheet batch`` (and the studio) call :func:`render_file`
with the same :class:`Options` and a :class:`~nanosheet.export.capture.Capture`, so the same input
gives the same bytes whoever asks.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from nanosheet.compose import compose_sheet
from nanosheet.export.capture import Capture, Captured
from nanosheet.export.files import ExportResult, write_outputs
from nanosheet.ingest import read_prompt
from nanosheet.model import Prompt, Sheet
from nanosheet.options import Enrich, Options
from nanosheet.plan import plan_if_needed
from nanosheet.plan.refit import refit, refit_helped
from nanosheet.render.html import render_fragment
from nanosheet.safety import safe_stem

__all__ = ["Enrich", "Options", "render_file"]

_ONE_AT_A_TIME = threading.Lock()
"""Reading, composing and building HTML run one sheet at a time (a batch's workers overlap them only with
drawing): they are pure Python, so the GIL serialises them anyway, and libraries they use build tables
lazily without a lock — emoji's search tree, filled by two threads at once, lost two sheets' icons."""


def render_file(path: Path, outdir: Path, *, capture: Capture, options: Options,
                stem: str | None = None) -> ExportResult:
    """The whole pipeline for one input; outputs are named ``stem`` (default: the file's name, made safe)."""
    with _ONE_AT_A_TIME:
        prompt = read_prompt(path, orientation=options.orientation)    # bytes → text → Prompt
        prompt = _plan(prompt, options)                                 # a chapter → a planned Prompt
    sheet, captured, html_ms = _draw(prompt, path, capture, options, stem)  # compose → html → capture
    again = refit(prompt, captured.measured) if prompt.plan is not None else None
    if again is not None:                                               # a plan that does not fit: once more
        drawn = _draw(again, path, capture, options, stem)
        if refit_helped(captured.measured, drawn[1].measured):          # else the first page stands
            sheet, captured, html_ms = drawn
    result = write_outputs(sheet, outdir, captured, dpi=options.dpi, fit=options.fit, source=str(path),
                           timings={"html_build": html_ms})             # → files and the report
    result.chapter = prompt.frontmatter.chapter
    return result


def _plan(prompt: Prompt, options: Options) -> Prompt:
    """The planning stage: a chapter without a wireframe becomes a planned Prompt (by ``--llm`` if given)."""
    return plan_if_needed(prompt, options.plan, llm=options.llm)


def _draw(prompt: Prompt, path: Path, capture: Capture, options: Options,
          stem: str | None) -> tuple[Sheet, Captured, float]:
    """compose → enrich → html → capture: the drawn sheet, what the browser captured, the HTML build time."""
    with _ONE_AT_A_TIME:
        sheet = compose_sheet(prompt, place_extras=options.place_extras)  # Prompt → Sheet
        sheet.stem = stem or safe_stem(path.stem)                       # named after the file, not the content
        if options.enrich is not None:
            sheet = options.enrich(sheet, path)                         # --llm writes panel content
        t0 = time.perf_counter()
        fragment = render_fragment(sheet, fit=options.fit)              # Sheet → HTML
        html_ms = (time.perf_counter() - t0) * 1000
    captured = capture.capture(fragment, sheet.page, title=sheet.title, formats=options.formats,
                               dpi=options.dpi)                         # HTML → measurements, PNG, PDF, DOM
    return sheet, captured, html_ms
