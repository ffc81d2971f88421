"""Export and thumbnail requests in; files, PNG bytes and job progress out — through one warm Chromium.

Playwright's sync API ties a browser to the thread that started it, so one worker thread owns the
``SheetBrowser`` (started on first use, kept warm) and runs every browser task in turn. A *job* is a
list of sheets to export; its progress (done / total, per-sheet files and warnings) is polled by the page.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from nanosheet.errors import NanosheetError
from nanosheet.export import SheetBrowser

log = logging.getLogger(__name__)
T = TypeVar("T")


IDLE_ENV = "NANOSHEET_STUDIO_BROWSER_IDLE_S"
IDLE_S = 60.0
"""Seconds without a browser task after which the export browser is closed (started again on the next one)."""


def idle_seconds() -> float:
    """``$NANOSHEET_STUDIO_BROWSER_IDLE_S`` if it is a number (0: never close), else :data:`IDLE_S`."""
    try:
        return max(0.0, float(os.environ.get(IDLE_ENV, IDLE_S)))
    except ValueError:
        return IDLE_S


class BrowserWorker:
    """One thread, one browser: ``submit(fn)`` runs ``fn(browser)`` there and returns a Future.

    The browser (Chromium and Playwright's driver: most of the studio's memory) starts with the first task
    and is closed once no task came for ``idle_s`` seconds — the preview is drawn by the user's own browser,
    so an idle studio needs none."""

    def __init__(self, idle_s: float | None = None, on_idle: Callable[[], None] | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-browser")
        self._browser: SheetBrowser | None = None
        self._pending: list[Future[Any]] = []
        self._idle_s = idle_seconds() if idle_s is None else idle_s
        self._on_idle_hook = on_idle
        """Also run when the idle browser is closed (the studio lets go of its models then)."""
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.started = 0
        """How many times the browser was started (tests and the benchmark read it)."""
        self.idle_closed = threading.Event()
        """Set each time the idle browser is closed; cleared when one starts."""

    def submit(self, fn: Callable[[SheetBrowser], T]) -> Future[T]:
        with self._lock:
            self._disarm()
            future = self._pool.submit(self._call, fn)
            self._pending = [f for f in self._pending if not f.done()] + [future]
        return future

    @property
    def running(self) -> bool:
        return self._browser is not None

    def _call(self, fn: Callable[[SheetBrowser], T]) -> T:
        try:
            if self._browser is None:
                self.idle_closed.clear()
                self._browser = SheetBrowser().__enter__()
                self.started += 1
            return fn(self._browser)
        finally:
            self._arm()

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self) -> None:
        with self._lock:
            self._disarm()
            if self._closed or not self._idle_s:
                return
            self._timer = threading.Timer(self._idle_s, self._on_idle)
            self._timer.daemon = True
            self._timer.start()

    def _on_idle(self) -> None:
        with self._lock:
            self._timer = None
            if self._closed or any(not f.done() for f in self._pending):
                return  # a task came meanwhile: the last one to finish arms the timer again
            self._pool.submit(self._stop_browser, True)

    def _stop_browser(self, idle: bool = False) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
            if idle and self._on_idle_hook is not None:
                self._on_idle_hook()
            if idle:
                self.idle_closed.set()

    def browser_pids(self) -> list[int]:
        """Process ids of the browser and its driver (children of this process), for memory figures."""
        return _descendants(os.getpid())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._disarm()
            for future in self._pending:
                future.cancel()  # queued thumbnails and exports: the server is stopping
        self._pool.submit(self._stop_browser).result(timeout=60)
        self._pool.shutdown(wait=True)


@dataclass
class SheetOutcome:
    path: str
    files: dict[str, str] = field(default_factory=dict)
    """Format → path relative to the workspace (``png``, ``pdf``, ``html``, ``report``)."""
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    overflow: bool = False


@dataclass
class Job:
    id: str
    kind: str
    total: int
    done: int = 0
    state: str = "running"
    current: str | None = None
    sheets: list[SheetOutcome] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "total": self.total, "done": self.done, "state": self.state,
                "current": self.current,
                "sheets": [{"path": s.path, "files": s.files, "warnings": s.warnings, "error": s.error,
                            "overflow": s.overflow} for s in self.sheets]}


Step = Callable[[SheetBrowser, str], SheetOutcome]
"""Export one sheet (named by its workspace path) with the warm browser."""


class Jobs:
    """Running and finished jobs by id; each job's sheets run on the worker, one after another."""

    def __init__(self, worker: BrowserWorker) -> None:
        self.worker = worker
        self._jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def start(self, kind: str, paths: list[str], step: Step) -> Job:
        with self._lock:
            job = Job(id=f"j{next(self._ids)}", kind=kind, total=len(paths))
            self._jobs[job.id] = job
        self.worker.submit(lambda browser: self._run(job, paths, step, browser))
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    @staticmethod
    def _run(job: Job, paths: list[str], step: Step, browser: SheetBrowser) -> None:
        for path in paths:
            job.current = path
            try:
                outcome = step(browser, path)
            except NanosheetError as exc:
                outcome = SheetOutcome(path=path, error=exc.message if exc.line is None
                                       else f"line {exc.line}: {exc.message}")
            except Exception as exc:  # noqa: BLE001 - one bad sheet must not stop the series or kill the worker
                log.exception("export of %s failed", path)
                outcome = SheetOutcome(path=path, error=f"export failed: {exc}")
            job.sheets.append(outcome)
            job.done += 1
        job.current = None
        job.state = "failed" if job.sheets and all(s.error for s in job.sheets) else "done"


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(worker: BrowserWorker) -> dict[str, float | bool]:
    """Python's RSS and the browser's (all child processes) in MB, and whether the export browser is running."""
    py = rss_mb(os.getpid())
    browser = sum(rss_mb(p) for p in worker.browser_pids())
    return {"python_mb": round(py, 1), "browser_mb": round(browser, 1), "total_mb": round(py + browser, 1),
            "browser_running": worker.running}
