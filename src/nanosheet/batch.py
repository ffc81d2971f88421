"""Many inputs in, a rendered series out: one browser, sheets in parallel, resumable, with a gallery.

``run_batch`` collects the inputs (files, folders → their ``*.md``/``*.txt``, globs), gives each a safe
output stem from its *file name*, skips those the cache says are done, and renders the rest: a loader
thread reads and composes the next sheets while the browser draws and captures up to ``jobs`` sheets
at once (one lane each), and a writer thread stamps and writes the files, the thumbnail and the
manifest entry. A bad input is reported (``on_event``) and the others go on. The browser work runs on
an event loop in its own thread, so callers (the CLI, tests with a sync browser open) need no loop.
"""

from __future__ import annotations

import asyncio
import glob
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nanosheet.cache import Manifest, remove_stale_temp_files, sheet_key
from nanosheet.errors import InputError, NanosheetError, RenderError
from nanosheet.gallery import THUMB_DIR, Card, combine_pdfs, make_thumbnail, write_gallery
from nanosheet.safety import safe_stem, unique_stems

if TYPE_CHECKING:
    from nanosheet.plan.llm_plan import LLMOptions

log = logging.getLogger(__name__)

INPUT_SUFFIXES = (".md", ".txt")
Status = Literal["rendered", "cached", "failed"]


@dataclass
class Job:
    """One input: where it comes from, the stem its outputs get, and its cache key."""

    path: Path
    stem: str
    key: str = ""
    status: Status | None = None
    seconds: float = 0.0
    error: NanosheetError | None = None
    card: Card | None = None


@dataclass
class BatchResult:
    jobs: list[Job] = field(default_factory=list)
    seconds: float = 0.0
    gallery: Path | None = None
    combined: Path | None = None

    def with_status(self, status: Status) -> list[Job]:
        return [j for j in self.jobs if j.status == status]


EventFn = Callable[[str, Job], None]
"""``on_event(kind, job)`` with kind ``start`` (rendering begins), ``done``, ``cached`` or ``failed``;
called from worker threads."""


# ---------------------------------------------------------------------------------------------- inputs


def collect_inputs(args: Sequence[str | Path]) -> list[Path]:
    """Files as given, folders as their ``*.md``/``*.txt`` (sorted), anything else as a glob; no duplicates."""
    out: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix.lower() in INPUT_SUFFIXES:
                    add(child)
        elif path.is_file():
            add(path)
        else:
            matches = sorted(Path(m) for m in glob.glob(str(arg), recursive=True))
            files = [m for m in matches if m.is_file()]
            for m in matches:
                if m.is_dir():
                    files += sorted(c for c in m.iterdir() if c.is_file() and c.suffix.lower() in INPUT_SUFFIXES)
            if not files:
                raise InputError(f"no such file or folder, and no file matches: {arg}",
                                 hint="give files, folders (their *.md and *.txt are read) or quoted globs")
            for m in files:
                add(m)
    if not out:
        raise InputError("no inputs found", hint="folders are searched for *.md and *.txt files")
    return out


def plan_jobs(paths: Sequence[Path]) -> list[Job]:
    """A job per path; stems come from the file names, made safe and unique."""
    stems = unique_stems([safe_stem(p.stem) for p in paths])
    return [Job(path=p, stem=s) for p, s in zip(paths, stems, strict=True)]


# ---------------------------------------------------------------------------------------------- run


@dataclass
class Options:
    formats: list[str]
    dpi: float = 300.0
    orientation: str | None = None
    place_extras: bool = False
    plan: bool = True
    llm: LLMOptions | None = None
    """``--llm``: chapters are planned by this model."""

    def cache_fields(self) -> dict[str, Any]:
        fields = {"formats": sorted(self.formats), "dpi": self.dpi, "orientation": self.orientation,
                  "place_extras": self.place_extras, "plan": self.plan}
        if self.llm is not None:  # only then: an offline series keeps the keys it was cached under
            fields["llm"] = [self.llm.spec, self.llm.base_url]
        return fields


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def run_batch(inputs: Sequence[str | Path], outdir: Path, *, formats: Sequence[str] = ("png", "pdf", "html"),
              dpi: float = 300.0, orientation: str | None = None, force: bool = False,
              combine: Path | None = None, jobs: int | None = None, place_extras: bool = False,
              on_event: EventFn | None = None, plan: bool = True, llm: LLMOptions | None = None) -> BatchResult:
    """Render every input not already done into ``outdir``, then write the gallery (and combined PDF)."""
    from nanosheet.export.files import check_export_options
    from nanosheet.export.run import check_orientation

    t0 = time.perf_counter()
    opts = Options(formats=check_export_options(formats, dpi), dpi=dpi, orientation=check_orientation(orientation),
                   place_extras=place_extras, plan=plan, llm=llm)
    if not opts.formats:
        raise InputError("no output format chosen", hint="use a subset of png,pdf,html")
    todo = plan_jobs(collect_inputs(inputs))
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in remove_stale_temp_files(outdir):
        log.info("removed %s (left by an interrupted run)", stale)
    manifest = Manifest.load(outdir)
    notify = on_event or (lambda kind, job: None)
    pending: list[Job] = []
    for job in todo:
        try:
            data = job.path.read_bytes()
        except OSError as exc:
            _fail(job, InputError(f"cannot read: {exc.strerror or exc}", file=str(job.path)), notify)
            continue
        job.key = sheet_key(data, job.stem, opts.cache_fields())
        if not force and manifest.up_to_date(job.stem, job.key):
            job.status = "cached"
            job.card = _card_from_manifest(job, manifest.entries[job.stem])
            notify("cached", job)
        else:
            pending.append(job)
    if pending:
        _in_thread(lambda: asyncio.run(_render_all(pending, outdir, opts, manifest, jobs or default_jobs(),
                                                   notify)))
    result = BatchResult(jobs=todo)
    cards = [j.card or Card(stem=j.stem, title=j.path.name, source=str(j.path),
                            error=j.error.describe() if j.error else "not rendered") for j in todo]
    result.gallery = write_gallery(outdir, cards)
    if combine is not None:
        result.combined = combine_pdfs(outdir, [c for c in cards if c.error is None], combine)
    result.seconds = time.perf_counter() - t0
    return result


def _fail(job: Job, exc: NanosheetError, notify: EventFn) -> None:
    job.status, job.error = "failed", exc
    notify("failed", job)


def _in_thread(fn: Callable[[], None]) -> None:
    """Run ``fn`` on a fresh thread and wait; its exceptions come back here."""
    box: list[BaseException] = []

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            box.append(exc)

    worker = threading.Thread(target=target, name="nanosheet-batch", daemon=True)
    worker.start()
    worker.join()
    if box:
        raise box[0]


def _card_from_manifest(job: Job, entry: dict[str, Any]) -> Card:
    info = entry.get("info", {})
    return Card(stem=job.stem, title=str(info.get("title") or job.stem), source=str(job.path),
                chapter=info.get("chapter"), outputs={k: v["name"] for k, v in entry["outputs"].items()},
                warnings=[str(w) for w in info.get("warnings", [])])


@dataclass
class Prepared:
    sheet: Any
    fragment: str
    chapter: int | None


def read_job(job: Job, opts: Options) -> Any:
    """Read and plan one input (on the loader thread): the Prompt to compose."""
    from nanosheet.ingest import read_prompt
    from nanosheet.plan import plan_if_needed

    return plan_if_needed(read_prompt(job.path, orientation=opts.orientation), opts.plan, llm=opts.llm)


def prepare_job(job: Job, opts: Options, prompt: Any = None) -> Prepared:
    """Read, compose and build the HTML fragment of one input, or of ``prompt`` (on the loader thread)."""
    from nanosheet.compose import compose_sheet
    from nanosheet.render.html import render_fragment

    prompt = prompt if prompt is not None else read_job(job, opts)
    sheet = compose_sheet(prompt, place_extras=opts.place_extras)
    sheet.stem = job.stem  # outputs are named after the file, whatever the content says
    chapter = prompt.frontmatter.chapter
    return Prepared(sheet=sheet, fragment=render_fragment(sheet), chapter=chapter if isinstance(chapter, int)
                     else None)


def finish_job(job: Job, prep: Prepared, cap: Any, outdir: Path, opts: Options, served: set[str],
            manifest: Manifest) -> None:
    """Write the files, the thumbnail and the manifest entry (on the writer thread)."""
    from nanosheet.export.files import write_outputs
    from nanosheet.render.html import FitOptions

    png = cap.png
    result = write_outputs(prep.sheet, outdir, cap, served=set(served), dpi=opts.dpi, fit=FitOptions(),
                           source=str(job.path))
    outputs = dict(result.paths)
    if png is not None:
        outputs["thumb"] = make_thumbnail(png, outdir / THUMB_DIR / f"{job.stem}.png")
    warnings = [f"{w.line}: {w.message}" if w.line else w.message for w in result.warnings]
    info = {"title": prep.sheet.title, "chapter": prep.chapter, "source": str(job.path), "warnings": warnings,
            "overflow": result.overflow}
    manifest.record(job.stem, job.key, outputs, info)
    job.card = _card_from_manifest(job, manifest.entries[job.stem])


async def _render_all(jobs: list[Job], outdir: Path, opts: Options, manifest: Manifest, lanes: int,
                      notify: EventFn) -> None:
    from nanosheet.export.lanes import LaneBrowser, tame_malloc
    from nanosheet.plan.refit import arender_with_refit

    tame_malloc()
    loop = asyncio.get_running_loop()
    loader = ThreadPoolExecutor(1, thread_name_prefix="nanosheet-load")
    writer = ThreadPoolExecutor(1, thread_name_prefix="nanosheet-write")
    ahead = asyncio.Semaphore(lanes + 1)  # sheets read ahead of the browser, bounding memory
    browser = LaneBrowser(min(lanes, len(jobs)))
    started = asyncio.create_task(browser.__aenter__())  # Chromium starts while the first input is read

    async def one(job: Job) -> None:
        async with ahead:
            t0 = time.perf_counter()
            notify("start", job)
            try:
                async def once(prompt: Any) -> tuple[Prepared, Any]:
                    prep = await loop.run_in_executor(loader, prepare_job, job, opts, prompt)
                    await started
                    return prep, await browser.capture(prep.fragment, prep.sheet.page, title=prep.sheet.title,
                                                       formats=opts.formats, dpi=opts.dpi)

                prompt = await loop.run_in_executor(loader, read_job, job, opts)
                prep, cap = await arender_with_refit(once, prompt, lambda done: done[1].measured)
                await loop.run_in_executor(writer, finish_job, job, prep, cap, outdir, opts, browser.served, manifest)
            except NanosheetError as exc:
                if exc.file is None:
                    exc.file = str(job.path)
                job.seconds = time.perf_counter() - t0
                manifest.forget(job.stem)
                _fail(job, exc, notify)
                return
            except Exception as exc:  # a bug, not bad input: this file fails, the batch goes on
                log.debug("internal error on %s", job.path, exc_info=True)
                job.seconds = time.perf_counter() - t0
                _fail(job, RenderError(f"internal error: {type(exc).__name__}: {exc}"[:300], file=str(job.path)),
                      notify)
                return
            job.seconds = time.perf_counter() - t0
            job.status = "rendered"
            notify("done", job)

    try:
        await asyncio.gather(*(one(job) for job in jobs))
    finally:
        if started.done() and not started.cancelled() and started.exception() is None:
            await browser.close()
        else:
            started.cancel()
            await browser.close()
        loader.shutdown(wait=True)
        writer.shutdown(wait=True)
