"""Command line: argv in, files and a one-line verdict out. Only NanosheetError is caught here.

Each command is a thin wrapper: parse options, call one stage function, print. Exit codes:
0 ok, 1 the tool failed (or --strict found overflow), 2 bad input.
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from nanosheet.errors import NanosheetError
from nanosheet.terminal import for_terminal, json_for_terminal, safe_text

if TYPE_CHECKING:
    from nanosheet.pipeline import Enrich
    from nanosheet.plan.llm_plan import LLMOptions

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn Nano Banana cheat-sheet prompts and lecture notes into print-quality A4 cheat sheets.",
)
# emoji=False: ":100:" in a note prints as written. User text in a message goes through safe_text()
# (control characters stripped, Rich markup escaped); plain writes through for_terminal().
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(func: F) -> F:
    """Turn a NanosheetError into ``error: …`` on stderr and its exit code — never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NanosheetError as exc:
            err_console.print(f"[bold red]error:[/] {safe_text(exc.describe())}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each step.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_TerminalFormatter("%(levelname)s %(message)s"))


class _TerminalFormatter(logging.Formatter):
    """Log lines quote file names and titles: strip their control characters as for any other output."""

    def format(self, record: logging.LogRecord) -> str:
        return for_terminal(super().format(record))


@app.command()
@_reports_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="A cheat-sheet prompt or a chapter in markdown.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the parsed spec as JSON.")] = False,
) -> None:
    """Parse FILE and show the sheet spec: page, rows, panels, blocks, sections, warnings, repairs."""
    from nanosheet.ingest import read_prompt
    from nanosheet.ingest.show import prompt_tree

    prompt = read_prompt(file)
    if as_json:
        sys.stdout.write(json_for_terminal(prompt.model_dump(mode="json")) + "\n")
    else:
        console.print(prompt_tree(prompt))


@app.command()
@_reports_errors
def repair(
    file: Annotated[Path, typer.Argument(help="A text file, possibly mojibake.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the repaired text here.")] = None,
) -> None:
    """Write FILE as clean UTF-8 (mojibake undone, lost bytes rebuilt) and say what changed."""
    from nanosheet.ingest.intake import read_text

    intake = read_text(file)
    r = intake.repairs
    if out is None:
        sys.stdout.write(_to_stdout(intake.text))
    else:
        from nanosheet.export.write import write_text

        write_text(out, intake.text)
    summary = safe_text(
        f"{file}: {'mojibake (' + r.mojibake + ') undone' if r.mojibake else 'no mojibake'}; "
        f"{r.changed_chars} characters changed, {len(r.recovered)} rebuilt from lost bytes, "
        f"{len(r.unrecoverable)} unrecoverable"
    )
    err_console.print(summary, highlight=False, soft_wrap=True)
    for rec in r.recovered[:20]:
        err_console.print(safe_text(f"  {file}:{rec.line}:{rec.col}: rebuilt {rec.chosen!r} "
                                    f"(from {', '.join(rec.candidates[:5])})"), highlight=False, soft_wrap=True)
    for rec in r.unrecoverable:
        err_console.print(safe_text(f"  {file}:{rec.line}:{rec.col}: could not rebuild a character"),
                          highlight=False, soft_wrap=True)


@app.command()
@_reports_errors
def prompt(
    file: Annotated[Path, typer.Argument(help="A cheat-sheet prompt or a chapter in markdown.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the prompt here (default: stdout).")]
    = None,
    no_plan: Annotated[bool, typer.Option("--no-plan", help="A chapter gets the fixed default layout, unplanned.")]
    = False,
) -> None:
    """Write a clean Nano Banana prompt for FILE: repaired text, redrawn wireframe, ratio table, orientation.

    A chapter (no wireframe) is planned first, as render does, so the prompt asks for the sheet render draws."""
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt
    from nanosheet.plan import plan_if_needed
    from nanosheet.promptgen import round_trip_differences, write_prompt

    parsed = plan_if_needed(read_prompt(file), not no_plan)
    text = write_prompt(parsed, None if parsed.rows else compose_sheet(parsed).rows)
    if out is None:
        sys.stdout.write(_to_stdout(text))
    else:
        from nanosheet.export.write import prepare_outdir, write_text

        prepare_outdir(out.parent, "-o")
        write_text(out, text)
    differences = round_trip_differences(parsed, text)
    for difference in differences[:20]:
        err_console.print(for_terminal(f"warning: round trip differs at {difference}"), highlight=False,
                          soft_wrap=True, markup=False)
    layout = ("planned" if parsed.plan else "automatic layout drawn as a wireframe") if parsed.auto_layout \
        or not parsed.rows else f"{len(parsed.rows)} rows"
    verdict = "re-parses to the same spec" if not differences else f"{len(differences)} spec difference(s)"
    err_console.print(for_terminal(f"{file} → {out or 'stdout'}: {layout}, {parsed.page.orientation}; {verdict}"),
                      highlight=False, soft_wrap=True, markup=False)


@app.command()
@_reports_errors
def plan(
    file: Annotated[Path, typer.Argument(help="A chapter (or a prompt without a wireframe) in markdown.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the plan here (default: stdout).")]
    = None,
    llm: Annotated[str | None, typer.Option("--llm", help="PROVIDER:MODEL (openai:…, ollama:…, gemini:…) writes "
                                            "the plan; off by default (nothing leaves the machine).")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint for --llm "
                                                 "(Ollama, vLLM, llama.cpp…).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds per --llm request "
                                           "(a slow local model may need more).")] = 30.0,
) -> None:
    """Plan a cheat sheet for FILE and write it as an editable prompt (wireframe, ratios, # Content Details)."""
    from nanosheet.export.write import write_atomic
    from nanosheet.ingest import read_prompt
    from nanosheet.plan import plan_prompt
    from nanosheet.promptgen import round_trip_differences, write_prompt

    planned = plan_prompt(read_prompt(file), llm=_llm_plan_options(llm, base_url, timeout))
    text = write_prompt(planned)
    if out is None:
        sys.stdout.write(_to_stdout(text))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, text.encode("utf-8"))
    for w in planned.warnings:
        if w.code in ("no-content", "llm-plan-failed"):
            err_console.print(for_terminal(f"warning: {file}: {w.message}"), highlight=False, soft_wrap=True,
                              markup=False)
    differences = round_trip_differences(planned, text)
    for difference in differences[:20]:
        err_console.print(for_terminal(f"warning: round trip differs at {difference}"), highlight=False,
                          soft_wrap=True, markup=False)
    kind = planned.plan.chapter_kind if planned.plan else "no content"
    if planned.plan and planned.plan.source == "llm":
        kind += f", planned by {planned.plan.model}"
    verdict = "re-parses to the same plan" if not differences else f"{len(differences)} plan difference(s)"
    err_console.print(for_terminal(f"{file} → {out or 'stdout'}: {kind}, {len(planned.rows)} rows; {verdict}"),
                      highlight=False, soft_wrap=True, markup=False)


@app.command()
@_reports_errors
def generate(
    file: Annotated[Path, typer.Argument(help="A cheat-sheet prompt (sent to the image model as repaired).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory for <stem>.png and <stem>.generate.json.")]
    = Path("out"),
    backend: Annotated[str, typer.Option("--backend", help="Image backend (only 'gemini').")] = "gemini",
    model: Annotated[str, typer.Option("--model", help="gemini-3-pro-image-preview, gemini-2.5-flash-image, "
                                       "gemini-3.1-flash-image…")] = "gemini-3-pro-image-preview",
    style_image: Annotated[Path | None, typer.Option("--style-image", help="A reference image for the look.")]
    = None,
    aspect: Annotated[str | None, typer.Option("--aspect", help="3:4, 2:3, 4:3, 16:9 … (default: 3:4 for a "
                                               "portrait prompt, 4:3 for a landscape one)")] = None,
    size: Annotated[str, typer.Option("--size", help="1K, 2K or 4K (where the model accepts it).")] = "2K",
    base_url: Annotated[str | None, typer.Option("--base-url", help="Override the API endpoint.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds per request "
                                           "(a 4K image may need 120).")] = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries on HTTP 429/503.")] = 4,
    clean: Annotated[bool, typer.Option("--clean", help="Send the prompt `nanosheet prompt` writes (explicit "
                                        "wireframe, ratios and orientation) instead of the input as written.")]
    = False,
) -> None:
    """Paint FILE with a Nano Banana image model (needs GEMINI_API_KEY; sends the prompt to Google)."""
    _check_timeout(timeout)
    from nanosheet.backends.gemini_sdk import gemini_key
    from nanosheet.backends.image import generate_image, save_image
    from nanosheet.backends.prompt_text import image_prompt_text, read_repaired_text
    from nanosheet.errors import ConfigError

    if backend != "gemini":
        raise ConfigError(f"unknown image backend {backend!r}", hint="use --backend gemini")
    key = gemini_key()  # before any work: a missing key is the commonest mistake
    from nanosheet.ingest import read_prompt

    parsed = read_prompt(file)
    aspect = aspect or ("4:3" if parsed.page.orientation == "landscape" else "3:4")
    if clean:
        from nanosheet.compose import compose_sheet
        from nanosheet.promptgen import write_prompt

        text = image_prompt_text(write_prompt(parsed, None if parsed.rows else compose_sheet(parsed).rows))
    else:
        text = image_prompt_text(read_repaired_text(file))
    result = generate_image(text, model=model, style_image=style_image, aspect=aspect, size=size,
                            api_key=key, base_url=base_url, timeout=timeout, retries=retries)
    for warning in result.warnings:
        err_console.print(f"warning: {safe_text(warning)}", highlight=False, soft_wrap=True)
    saved = save_image(result, out, file.stem)
    cost = f"${result.cost_usd:.3f}" if result.cost_usd is not None else "unknown"
    console.print(safe_text(f"wrote {saved.png} ({saved.source_px[0]}×{saved.source_px[1]} padded to "
                            f"{saved.page_px[0]}×{saved.page_px[1]}) and {saved.sidecar}; estimated cost {cost}"),
                  highlight=False, soft_wrap=True)


@app.command()
@_reports_errors
def verify(
    image: Annotated[Path, typer.Argument(help="A cheat-sheet image (our render or any other).")],
    against: Annotated[Path | None, typer.Option("--against", help="The input the image was made from.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Render report with panel boxes "
                                                "(default: <image stem>.report.json beside the image).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Read IMAGE back with OCR and say, per panel, which expected text is found, garbled or missing."""
    from nanosheet.backends.verify import verify_against

    result = verify_against(image, against, report_path=report)
    if as_json:
        sys.stdout.write(json_for_terminal(result.to_json()) + "\n")
        return
    hangul = f", Hangul {result.cer_hangul:.1%}" if result.cer_hangul is not None else ""
    console.print(safe_text(f"{image}: {result.mode} OCR in {result.ocr_seconds:.1f} s; CER {result.cer:.1%}{hangul}"),
                  highlight=False, soft_wrap=True)
    for p in result.panels:
        console.print(safe_text(f"  {p.status:8} {p.title} (CER {p.cer:.1%})"), highlight=False, soft_wrap=True)
        for text in p.missing:
            console.print(f"    missing: {safe_text(text)}", highlight=False, soft_wrap=True)
        for text in p.garbled:
            console.print(f"    garbled: {safe_text(text)}", highlight=False, soft_wrap=True)


@app.command()
@_reports_errors
def render(
    inputs: Annotated[list[Path], typer.Argument(help="Cheat-sheet prompts or chapters in markdown.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory for <stem>.png/.pdf/.html/.report.json.")]
    = Path("out"),
    formats: Annotated[str, typer.Option("--format", help="Comma-separated subset of png,pdf,html.")]
    = "png,pdf,html",
    dpi: Annotated[float, typer.Option("--dpi", help="PNG resolution (300 → 2480×3508 for A4).")] = 300.0,
    orientation: Annotated[str | None, typer.Option("--orientation", help="portrait or landscape "
                                                    "(overrides what the prompt asks for).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any panel does not fit at 7 pt.")] = False,
    llm: Annotated[str | None, typer.Option("--llm", help="PROVIDER:MODEL (openai:…, ollama:…, gemini:…) plans "
                                            "chapters, or writes panel content from the source for a prompt "
                                            "with a wireframe; off by default (nothing leaves the machine).")]
    = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint for --llm "
                                                 "(Ollama, vLLM, llama.cpp…).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds per --llm request "
                                           "(a slow local model may need more).")] = 30.0,
    place_extras: Annotated[bool, typer.Option("--place-extras", help="Put content sections no panel matches "
                                               "into the panels with the most room (else they are only "
                                               "listed as unplaced in the report).")] = False,
    no_plan: Annotated[bool, typer.Option("--no-plan", help="Chapters without a wireframe get the plain default "
                                          "layout instead of a planned cheat sheet.")] = False,
) -> None:
    """Draw each INPUT as an A4 cheat sheet: PNG (300 DPI), vector PDF, offline HTML and a report."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from nanosheet.errors import StrictOverflowError
    from nanosheet.export.run import check_orientation, parse_formats, render_paths
    from nanosheet.options import Options

    wanted = parse_formats(formats)
    _check_dpi(dpi)
    _check_timeout(timeout)
    check_orientation(orientation)
    enrich = _llm_step(llm, base_url, orientation, timeout)
    planner = None if no_plan else _llm_plan_options(llm, base_url, timeout)  # chapters: the model plans them
    options = Options.checked(wanted, dpi, orientation=orientation, place_extras=place_extras, enrich=enrich,
                              plan=not no_plan, llm=planner)

    def said(path: Path, outcome: Any) -> None:
        if isinstance(outcome, NanosheetError):
            what = outcome.describe() if outcome.file else f"{path}: {outcome.describe()}"
            err_console.print(f"[bold red]error:[/] {safe_text(what)}", highlight=False, soft_wrap=True)
            return
        for w in outcome.warnings:
            place = ":".join(str(p) for p in (w.file or path, w.line) if p is not None)
            err_console.print(f"[yellow]warning:[/] {safe_text(place)}: {safe_text(w.message)}", highlight=False,
                              soft_wrap=True)
        names = ", ".join(p.name for p in outcome.paths.values())
        seconds = outcome.report["timings_ms"].get("total", 0) / 1000
        console.print(safe_text(f"{path} → {out}/ {names} ({seconds:.1f} s)"), highlight=False, soft_wrap=True)

    if len(inputs) > 1:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeRemainingColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task("rendering", total=len(inputs))

            def step(path: Path, outcome: Any) -> None:
                said(path, outcome)
                bar.update(task, advance=1, description=f"rendering {safe_text(path.name)}")

            result = render_paths(inputs, out, options=options, on_step=step)
    else:
        result = render_paths(inputs, out, options=options, on_step=said)
    if result.failed:
        raise typer.Exit(max(exc.exit_code for _, exc in result.failed))
    empty = [p for p, r in result.done if any(w.code == "no-content" for w in r.warnings)]
    if strict and empty:
        raise StrictOverflowError(f"{len(empty)} input(s) have no content: {', '.join(map(str, empty))}",
                                  hint="add the chapter text or drop --strict (the files were written)")
    if strict and result.overflow:
        panels = [p["id"] for _, r in result.overflow for p in r.report["panels"] if p["overflow"]]
        raise StrictOverflowError(f"{len(panels)} panel(s) do not fit at the minimum size: {', '.join(panels)}",
                                  hint="shorten their content or drop --strict (the files were written)")


@app.command()
@_reports_errors
def batch(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (their *.md and *.txt) or quoted globs.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Directory for the sheets, thumbs/ and index.html.")]
    = Path("out/series"),
    force: Annotated[bool, typer.Option("--force", help="Render again even what the cache says is done.")] = False,
    combine: Annotated[Path | None, typer.Option("--combine", help="Also write one PDF of the whole series "
                                                 "(a bookmark per sheet) here.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Sheets drawn at once (default: the number "
                                             "of cores).")] = None,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated subset of png,pdf,html.")]
    = "png,pdf,html",
    dpi: Annotated[float, typer.Option("--dpi", help="PNG resolution (300 → 2480×3508 for A4).")] = 300.0,
    orientation: Annotated[str | None, typer.Option("--orientation", help="portrait or landscape.")] = None,
    place_extras: Annotated[bool, typer.Option("--place-extras", help="Put content sections no panel matches "
                                               "into the panels with the most room (else they are only "
                                               "listed as unplaced in the report).")] = False,
    no_plan: Annotated[bool, typer.Option("--no-plan", help="Chapters without a wireframe get the plain default "
                                          "layout instead of a planned cheat sheet.")] = False,
    llm: Annotated[str | None, typer.Option("--llm", help="PROVIDER:MODEL (openai:…, ollama:…, gemini:…) plans "
                                            "the chapters; off by default (nothing leaves the machine).")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible endpoint for --llm "
                                                 "(Ollama, vLLM, llama.cpp…).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", help="Seconds per --llm request "
                                           "(a slow local model may need more).")] = 30.0,
) -> None:
    """Render a whole series with one browser: parallel, resumable (content-hash cache), with a gallery."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table

    from nanosheet.batch import Job, collect_inputs, run_batch
    from nanosheet.errors import ConfigError
    from nanosheet.options import parse_formats

    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs {jobs} must be at least 1")
    _check_dpi(dpi)
    wanted = parse_formats(formats)
    planner = _llm_plan_options(llm, base_url, timeout)
    total = len(collect_inputs(inputs))
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("starting", total=total)

        def event(kind: str, job: Job) -> None:
            if kind == "start":
                bar.update(task, description=for_terminal(job.path.name))
                return
            if kind == "failed" and job.error is not None:
                what = job.error.describe() if job.error.file else f"{job.path}: {job.error.describe()}"
                bar.console.print(f"[bold red]failed:[/] {safe_text(what)}", highlight=False, soft_wrap=True)
            bar.update(task, advance=1)

        result = run_batch(inputs, out, formats=wanted, dpi=dpi, orientation=orientation, force=force,
                           combine=combine, jobs=jobs, place_extras=place_extras, on_event=event,
                           plan=not no_plan, llm=planner)
    table = Table(title=f"{out}/index.html", title_justify="left")
    for col in ("input", "status", "seconds", "warnings", "stem"):
        table.add_column(col, justify="right" if col in ("seconds", "warnings") else "left")
    for job in result.jobs:
        warns = len(job.card.warnings) if job.card else 0
        colour = {"rendered": "green", "cached": "cyan", "failed": "red"}.get(job.status or "", "")
        table.add_row(safe_text(job.path), f"[{colour}]{job.status}[/]", f"{job.seconds:.1f}" if job.seconds
                      else "-", str(warns or ""), safe_text(job.stem))
    console.print(table)
    counts = {s: len(result.with_status(s)) for s in ("rendered", "cached", "failed")}
    combined = f"; combined PDF {result.combined}" if result.combined else ""
    console.print(safe_text(f"{counts['rendered']} rendered, {counts['cached']} cached, {counts['failed']} failed "
                            f"in {result.seconds:.1f} s → {result.gallery}{combined}"), highlight=False, soft_wrap=True)
    if counts["failed"]:
        raise typer.Exit(1)


@app.command()
@_reports_errors
def doctor() -> None:
    """Check Chromium, fonts, tesseract, the font cache and built assets; print the apt-get line for what is
    missing. Exit 0 when everything required is there, 1 otherwise."""
    from nanosheet.doctor import report, run_checks

    code = report(run_checks(), console)
    if code:
        raise typer.Exit(code)


@app.command()
@_reports_errors
def studio(
    target: Annotated[Path, typer.Argument(help="A prompt, a chapter, or a folder of them.")] = Path("."),
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1 (0: any free port).")] = 8765,
    no_open: Annotated[bool, typer.Option("--no-open", help="Print the URL only; do not open a browser.")] = False,
) -> None:
    """Edit sheets in the browser beside a live preview; drag the layout; export (serves 127.0.0.1 only)."""
    from nanosheet.studio.server import serve

    serve(target, port=port, open_browser=not no_open)


DPI_RANGE = (72.0, 1200.0)
"""Below 72 DPI an A4 page is under 600 px wide and its 7 pt text unreadable; at 1200 it is 9921×14031 px."""


def _check_dpi(dpi: float) -> None:
    """``--dpi`` must be a finite number in ``DPI_RANGE`` ("nan" parses as a float and passes ``<``/``>``)."""
    from nanosheet.errors import ConfigError

    low, high = DPI_RANGE
    if not math.isfinite(dpi) or not low <= dpi <= high:
        raise ConfigError(f"--dpi {dpi:g} is out of range", hint=f"use a number from {low:g} to {high:g}")


def _check_timeout(timeout: float) -> None:
    from nanosheet.errors import ConfigError

    if not math.isfinite(timeout) or timeout <= 0:
        raise ConfigError(f"--timeout {timeout:g} must be a positive number of seconds", hint="e.g. --timeout 60")


def _llm_step(llm: str | None, base_url: str | None, orientation: str | None, timeout: float) -> Enrich | None:
    """The ``--llm`` step between compose and export, or None (then no backend code is even imported)."""
    from nanosheet.errors import ConfigError

    if llm is None:
        if base_url is not None:
            raise ConfigError("--base-url needs --llm", hint="e.g. --llm openai:qwen2.5 --base-url http://…/v1")
        return None
    from nanosheet.backends.llm import make_chat
    from nanosheet.backends.llm_compose import apply_llm, measure_capacity
    from nanosheet.ingest import read_prompt
    from nanosheet.model import Sheet

    make_chat(llm, base_url, timeout=timeout)  # a bad spec or a missing key fails here, before any rendering

    def enrich(sheet: Sheet, path: Path) -> Sheet:
        if sheet.plan is not None:  # a planned chapter: its panels were written by the plan (--llm's, if it passed)
            return sheet
        prompt = read_prompt(path, orientation=orientation)
        return apply_llm(sheet, llm, base_url, prompt.source_text, capacity=measure_capacity(sheet),
                         rules=prompt.style_rules, timeout=timeout)

    return enrich


def _llm_plan_options(llm: str | None, base_url: str | None, timeout: float) -> LLMOptions | None:
    """``--llm`` for planning, checked before any work (a bad spec or a missing key is exit 2); None: offline."""
    from nanosheet.errors import ConfigError

    if llm is None:
        if base_url is not None:
            raise ConfigError("--base-url needs --llm", hint="e.g. --llm openai:qwen2.5 --base-url http://…/v1")
        return None
    _check_timeout(timeout)
    from nanosheet.plan.llm_plan import LLMOptions

    options = LLMOptions(spec=llm, base_url=base_url, timeout=timeout)
    options.client()
    return options


def _to_stdout(text: str) -> str:
    """A document for stdout: as it is when piped (it is data), without control codes on a terminal."""
    return for_terminal(text) if sys.stdout.isatty() else text


def main() -> None:
    app()


if __name__ == "__main__":
    main()
