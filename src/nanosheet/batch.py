"""Many inputs in, a rendered series out: one browser, sheets in parallel, resumable, with a gallery.

``run_batch`` collects the inputs (files, folders → their ``*.md``/``*.txt``, globs), gives each a safe
output stem from its *file name*, skips those the cache says are done, and sends the rest through
:func:`nanosheet.pipeline.render_file` — the same pipeline ``render`` uses — on ``jobs + 1`` worker
threads sharing one :class:`~nanosheet.export.pool.BrowserPool` with ``jobs`` lanes: while a lane
draws one sheet, the next is read and composed and the last is written. Each finished sheet gets a
thumbnail and a manifest entry. A bad input is reported (``on_event``) and the others go on.
"""

from __future__ import annotations

import glob
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from nanosheet.cache import Manifest, output_lock, sheet_key
from nanosheet.errors import ConfigError, InputError, NanosheetError, RenderError
from nanosheet.export.write import ensure_subdir, prepare_outdir, remove_stale_temp_files
from nanosheet.gallery import THUMB_DIR, Card, combine_pdfs, make_thumbnail, write_gallery
from nanosheet.options import Options, check_orientation
from nanosheet.safety import output_stems

if TYPE_CHECKING:
    from nanosheet.export.files import ExportResult
    from nanosheet.export.pool import BrowserPool
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
    stems = output_stems(paths)
    return [Job(path=p, stem=s) for p, s in zip(paths, stems, strict=True)]


# ---------------------------------------------------------------------------------------------- run


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def run_batch(inputs: Sequence[str | Path], outdir: Path, *, formats: Sequence[str] = ("png", "pdf", "html"),
              dpi: float = 300.0, orientation: str | None = None, force: bool = False,
              combine: Path | None = None, jobs: int | None = None, place_extras: bool = False,
              on_event: EventFn | None = None, plan: bool = True, llm: LLMOptions | None = None) -> BatchResult:
    """Render every input not already done into ``outdir``, then write the gallery (and combined PDF)."""
    t0 = time.perf_counter()
    options = Options.checked(formats, dpi, orientation=check_orientation(orientation), place_extras=place_extras,
                              plan=plan, llm=llm)
    if not options.formats:
        raise InputError("no output format chosen", hint="use a subset of png,pdf,html")
    if combine is not None and combine.is_dir():
        raise ConfigError(f"--combine {combine} is a directory", hint="give the combined PDF's file name")
    todo = plan_jobs(collect_inputs(inputs))
    prepare_outdir(outdir)
    notify = on_event or (lambda kind, job: None)
    with output_lock(outdir):  # a second batch into the same folder would mix its files with ours
        for stale in remove_stale_temp_files(outdir):
            log.info("removed %s (left by an interrupted run)", stale)
        manifest = Manifest.load(outdir)
        pending = [job for job in todo if not _cached(job, options, manifest, force, notify)]
        if pending:
            _render_all(pending, outdir, options, manifest, jobs or default_jobs(), notify)
        result = BatchResult(jobs=todo)
        cards = [j.card or Card(stem=j.stem, title=j.path.name, source=str(j.path),
                                error=j.error.describe() if j.error else "not rendered") for j in todo]
        result.gallery = write_gallery(outdir, cards)
        if combine is not None:
            result.combined = combine_pdfs(outdir, [c for c in cards if c.error is None], combine)
    result.seconds = time.perf_counter() - t0
    return result


def _cached(job: Job, options: Options, manifest: Manifest, force: bool, notify: EventFn) -> bool:
    """Key the job; True when it needs no drawing: its outputs are on disk (the card comes from the
    manifest), or its input cannot even be read (it failed)."""
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        _fail(job, InputError(f"cannot read: {exc.strerror or exc}", file=str(job.path)), notify)
        return True
    job.key = sheet_key(data, job.stem, options.cache_fields())
    if force or not manifest.up_to_date(job.stem, job.key):
        return False
    job.status = "cached"
    job.card = _card_from_manifest(job, manifest.entries[job.stem])
    notify("cached", job)
    return True


def _fail(job: Job, exc: NanosheetError, notify: EventFn) -> None:
    job.status, job.error = "failed", exc
    notify("failed", job)


def _card_from_manifest(job: Job, entry: dict[str, Any]) -> Card:
    info = entry.get("info", {})
    return Card(stem=job.stem, title=str(info.get("title") or job.stem), source=str(job.path),
                chapter=info.get("chapter"), outputs={k: v["name"] for k, v in entry["outputs"].items()},
                warnings=[str(w) for w in info.get("warnings", [])])


def _render_all(jobs: list[Job], outdir: Path, options: Options, manifest: Manifest, lanes: int,
                notify: EventFn) -> None:
    """``lanes`` sheets drawn at once; one more worker than lanes reads, composes and writes meanwhile."""
    from nanosheet.export.pool import BrowserPool, tame_malloc

    tame_malloc()
    lanes = min(lanes, len(jobs))
    pool = BrowserPool(lanes)
    workers = ThreadPoolExecutor(lanes + 1, thread_name_prefix="nanosheet-sheet")
    futures: list[Future[None]] = []
    try:
        pool.start()  # Chromium starts before the pipeline is even imported, and while the first inputs are read
        import nanosheet.pipeline  # noqa: F401  (here, once, while Chromium starts; not in each worker)
        futures = [workers.submit(_run_job, job, outdir, options, pool, manifest, notify) for job in jobs]
        for future in futures:
            future.result()
    finally:
        for future in futures:
            future.cancel()  # after Ctrl-C: nothing new starts
        pool.close()  # sheets still drawing fail at once instead of finishing
        workers.shutdown(wait=True)


def _run_job(job: Job, outdir: Path, options: Options, pool: BrowserPool, manifest: Manifest,
             notify: EventFn) -> None:
    from nanosheet.pipeline import render_file  # imported while Chromium starts (see _render_all)

    t0 = time.perf_counter()
    notify("start", job)
    try:
        result = render_file(job.path, outdir, capture=pool, options=options, stem=job.stem)
        _record(job, result, outdir, manifest)
    except NanosheetError as exc:
        if exc.file is None:
            exc.file = str(job.path)
        manifest.forget(job.stem)
        job.seconds = time.perf_counter() - t0
        _fail(job, exc, notify)
        return
    except Exception as exc:  # a bug, not bad input: this file fails, the batch goes on
        log.debug("internal error on %s", job.path, exc_info=True)
        job.seconds = time.perf_counter() - t0
        _fail(job, RenderError(f"internal error: {type(exc).__name__}: {exc}"[:300], file=str(job.path)), notify)
        return
    job.seconds = time.perf_counter() - t0
    job.status = "rendered"
    notify("done", job)


def _record(job: Job, result: ExportResult, outdir: Path, manifest: Manifest) -> None:
    """The thumbnail and the manifest entry of a finished sheet."""
    outputs = dict(result.paths)
    if result.png is not None:
        outputs["thumb"] = make_thumbnail(result.png, ensure_subdir(outdir, THUMB_DIR) / f"{job.stem}.png")
    warnings = [f"{w.line}: {w.message}" if w.line else w.message for w in result.warnings]
    title = result.model.title if result.model else job.stem
    info = {"title": title, "chapter": result.chapter, "source": str(job.path), "warnings": warnings,
            "overflow": result.overflow}
    manifest.record(job.stem, job.key, outputs, info)
    job.card = _card_from_manifest(job, manifest.entries[job.stem])
