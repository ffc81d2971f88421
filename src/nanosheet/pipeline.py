"""One input file in, its sheet's files out — the whole pipeline in one function, :func:`render_file`.

``read → plan → compose → enrich → html → capture (→ refit a plan the page says does not fit, draw once
more) → write``. ``nanosheet render``, ``nanosheet batch`` (and the studio) call :func:`render_file`
with the same :class:`Options` and a :class:`~nanosheet.export.capture.Capture`, so the same input
gives the same bytes whoever asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanosheet.compose import compose_sheet
from nanosheet.export.capture import FORMATS, Capture, Captured
from nanosheet.export.files import ExportResult, check_export_options, write_outputs
from nanosheet.ingest import read_prompt
from nanosheet.model import Prompt, Sheet
from nanosheet.plan import plan_if_needed
from nanosheet.plan.refit import refit, refit_helped
from nanosheet.render.html import FitOptions, render_fragment
from nanosheet.safety import safe_stem

if TYPE_CHECKING:
    from nanosheet.plan.llm_plan import LLMOptions

_ONE_AT_A_TIME = threading.Lock()
"""Reading, composing and building HTML run one sheet at a time (a batch's workers overlap them only with
drawing): they are pure Python, so the GIL serialises them anyway, and libraries they use build tables
lazily without a lock — emoji's search tree, filled by two threads at once, lost two sheets' icons."""

Enrich = Callable[[Sheet, Path], Sheet]
"""A step between compose and html (``render --llm``): the composed sheet and its input path in."""


@dataclass(frozen=True)
class Options:
    """How every sheet of a run is drawn (the cache key holds the fields that change the files)."""

    formats: tuple[str, ...] = FORMATS
    dpi: float = 300.0
    orientation: str | None = None
    place_extras: bool = False
    fit: FitOptions = field(default_factory=FitOptions)
    enrich: Enrich | None = None
    plan: bool = True
    """Chapters without a wireframe are planned first (``--no-plan``: the default layout)."""
    llm: LLMOptions | None = None
    """``--llm``: chapters are planned by this model."""

    @classmethod
    def checked(cls, formats: Sequence[str] = FORMATS, dpi: float = 300.0, **kw: Any) -> Options:
        """Options with the formats in canonical order and the DPI validated (bad values exit 2)."""
        return cls(formats=tuple(check_export_options(formats, dpi)), dpi=dpi, **kw)

    def cache_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "formats": sorted(self.formats), "dpi": self.dpi, "orientation": self.orientation,
            "place_extras": self.place_extras, "plan": self.plan,
            "fit": [self.fit.min_pt, self.fit.base_pt, self.fit.max_pt, self.fit.drop_extra]}
        if self.llm is not None:  # only then: an offline series keeps the keys it was cached under
            fields["llm"] = [self.llm.spec, self.llm.base_url]
        return fields


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
