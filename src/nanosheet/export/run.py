"""Input paths in, rendered files out: the pipeline ``read_prompt → compose_sheet → export_sheet`` per file.

The CLI's ``render`` command is a thin wrapper around :func:`render_paths`; one browser serves every
input. A bad input does not stop the others: each failure is collected with its one-line reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nanosheet.errors import ConfigError, NanosheetError
from nanosheet.export.browser import SheetBrowser
from nanosheet.export.files import FORMATS, ExportResult, export_sheet
from nanosheet.model import Prompt, Sheet

if TYPE_CHECKING:
    from nanosheet.plan.llm_plan import LLMOptions

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    done: list[tuple[Path, ExportResult]] = field(default_factory=list)
    failed: list[tuple[Path, NanosheetError]] = field(default_factory=list)

    @property
    def overflow(self) -> list[tuple[Path, ExportResult]]:
        return [(p, r) for p, r in self.done if r.overflow]


def parse_formats(text: str) -> list[str]:
    """``png,pdf`` → ``["png", "pdf"]``; unknown names are a usage error (exit 2)."""
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ConfigError(f"unknown --format {', '.join(unknown) or text!r}",
                          hint=f"use a comma-separated subset of {','.join(FORMATS)}")
    return wanted


def check_orientation(orientation: str | None) -> str | None:
    if orientation is not None and orientation not in ("portrait", "landscape"):
        raise ConfigError(f"unknown --orientation {orientation!r}", hint="use portrait or landscape")
    return orientation


def load_prompt(path: Path, orientation: str | None, *, plan: bool = True,
                llm: LLMOptions | None = None) -> Prompt:
    """Ingest and plan (a chapter without a wireframe; by ``llm`` when given) one input."""
    from nanosheet.ingest import read_prompt
    from nanosheet.plan import plan_if_needed

    return plan_if_needed(read_prompt(path, orientation=orientation), plan, llm=llm)


def load_sheet(path: Path, orientation: str | None, *, place_extras: bool = False, plan: bool = True,
               llm: LLMOptions | None = None, prompt: Prompt | None = None) -> Sheet:
    """Ingest, plan and compose one input, or compose ``prompt`` read before (the seam tests replace)."""
    from nanosheet.compose import compose_sheet

    prompt = prompt if prompt is not None else load_prompt(path, orientation, plan=plan, llm=llm)
    return compose_sheet(prompt, place_extras=place_extras)


Enrich = Callable[[Sheet, Path], Sheet]
"""A step between compose and export (``render --llm``): the composed sheet and its input path in."""


def render_one(path: Path, outdir: Path, *, browser: SheetBrowser, formats: Sequence[str], dpi: float,
               orientation: str | None, enrich: Enrich | None = None, place_extras: bool = False,
               plan: bool = True, llm: LLMOptions | None = None) -> ExportResult:
    from nanosheet.plan.refit import render_with_refit

    def once(prompt: Prompt | None) -> ExportResult:
        sheet = load_sheet(path, orientation, place_extras=place_extras, plan=plan, prompt=prompt)
        if enrich is not None:
            sheet = enrich(sheet, path)
        return export_sheet(sheet, outdir, browser=browser, formats=formats, dpi=dpi, source=str(path))

    # a plan is re-fitted once if needed
    return render_with_refit(once, load_prompt(path, orientation, plan=plan, llm=llm))


def render_paths(paths: Sequence[Path], outdir: Path, *, formats: Sequence[str], dpi: float = 300.0,
                 orientation: str | None = None,
                 on_step: Callable[[Path, ExportResult | NanosheetError], None] | None = None,
                 enrich: Enrich | None = None, place_extras: bool = False, plan: bool = True,
                 llm: LLMOptions | None = None) -> RunResult:
    """Render each path with one browser; ``on_step`` is told after each file (for progress output)."""
    result = RunResult()
    with SheetBrowser() as browser:
        for path in paths:
            try:
                done = render_one(path, outdir, browser=browser, formats=formats, dpi=dpi,
                                  orientation=orientation, enrich=enrich, place_extras=place_extras, plan=plan,
                                  llm=llm)
            except NanosheetError as exc:
                log.info("%s failed: %s", path, exc.describe())
                result.failed.append((path, exc))
                if on_step:
                    on_step(path, exc)
                continue
            result.done.append((path, done))
            if on_step:
                on_step(path, done)
    return result
