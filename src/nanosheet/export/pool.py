"""Sheet fragments in, :class:`Captured` out — the one browser behind ``render``, ``batch`` and tests.

:class:`BrowserPool` is one Chromium with a *lane* per concurrent sheet: its own context and page
holding the shell (fonts, roughjs, mermaid, our script), into which each sheet is swapped with
``nanosheet.mount`` — reloading the scripts per sheet would cost time. Lanes draw in separate renderer
processes and share no state; within a sheet the PNG and the PDF are captured at once. Playwright's
async API drives it on an event loop in a thread of its own, so :meth:`BrowserPool.capture` is a plain
blocking call that any number of threads may make at once (one sheet per lane at a time).

The page may only load our own assets: every request is routed, assets are served from disk, anything
else is aborted and recorded. If Chromium dies (killed, out of memory) the pool starts it once more and
draws the interrupted sheets again; if it dies twice, every waiting and later sheet fails at once with
the reason — nothing waits forever.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import ctypes
import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from playwright.async_api import Browser, BrowserContext, CDPSession, Error, Page, Playwright, Route, async_playwright

from nanosheet.errors import RenderError
from nanosheet.export.browser import (
    ASSET_HEADERS,
    CHROMIUM_ARGS,
    MOUNT_JS,
    SNAPSHOT_JS,
    chromium_path,
    context_options,
    give_driver_env,
    page_rule,
    pdf_params,
    png_params,
    route_target,
    shell_html,
    viewport_for,
)
from nanosheet.export.capture import Captured
from nanosheet.render import assets

if TYPE_CHECKING:  # the models are imported once Chromium is starting (cold start: they take ~0.2 s)
    from nanosheet.model import Measured
    from nanosheet.model import Page as SheetPage

log = logging.getLogger(__name__)

T = TypeVar("T")
SHEET_TIMEOUT_S = 60.0
"""A sheet whose drawing or capture takes longer fails (its lane is replaced); the others go on."""
START_TIMEOUT_S = 60.0
RESTARTS = 1
"""How often a dead Chromium is started again within one pool."""
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8


def tame_malloc() -> None:
    """This process's glibc malloc (``DRIVER_ENV`` does the driver's): buffers over 1 MB — screenshots,
    PDFs — are mapped and unmapped instead of staying in arenas (batch peak: Python 110 → 80 MB)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        for option, value in ((M_TRIM_THRESHOLD, 1 << 20), (M_MMAP_THRESHOLD, 1 << 20), (M_ARENA_MAX, 2)):
            libc.mallopt(option, value)


@dataclass
class Lane:
    """One context + page with the shell loaded; ``aborted`` collects blocked URLs for the current sheet."""

    index: int
    generation: int
    """Which Chromium (0 the first, 1 after a restart) the lane lives in."""
    context: BrowserContext
    page: Page
    cdp: CDPSession
    viewport: tuple[int, int] = (794, 1123)
    aborted: list[str] = field(default_factory=list)


class BrowserPool:
    """``with BrowserPool(lanes=2) as pool: captured = pool.capture(fragment, page, title=…, formats=…, dpi=…)``."""

    def __init__(self, lanes: int = 1, *, timeout_s: float = SHEET_TIMEOUT_S) -> None:
        self.lanes = max(1, lanes)
        self.timeout_s = timeout_s
        self.served: set[str] = set()
        """Asset paths served so far, in any lane (the snapshot HTML copies these next to itself)."""
        self.aborted: list[str] = []
        """Every blocked URL of the run."""
        self.startup_ms = 0.0
        self._shell: concurrent.futures.Future[str] = concurrent.futures.Future()
        """The shell page, rendered by :meth:`start` once Chromium is on its way."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started: concurrent.futures.Future[None] | None = None
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._idle: asyncio.Queue[Lane | None] | None = None
        self._lanes: list[Lane] = []
        self._opening: list[asyncio.Task[None]] = []
        self._generation = 0
        self._restart: asyncio.Task[None] | None = None
        self._restarts_left = RESTARTS
        self._broken: str | None = None
        self._closing = False

    # ------------------------------------------------------------------ lifecycle (caller's thread)

    def __enter__(self) -> BrowserPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start Chromium in the background: the first sheet can be read and composed meanwhile."""
        exe = chromium_path()  # a missing browser is a ConfigError now, before any work
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="nanosheet-browser", daemon=True)
        self._thread.start()
        self._started = asyncio.run_coroutine_threadsafe(self._launch(exe), loop)
        # While Playwright's driver and Chromium start (their own processes), this thread renders the
        # shell: the templates and models it imports are needed by the first sheet anyway.
        try:
            self._shell.set_result(shell_html())
        except BaseException as exc:
            self._shell.set_exception(exc)
            self.close()
            raise

    def close(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._closing = True
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        if not thread.is_alive():
            loop.close()
        self._loop = self._thread = None

    def _call(self, make: Callable[[], Awaitable[T]], timeout: float) -> T:
        """Run ``make()`` on the pool's loop and wait for it (``timeout`` is a last guard: nothing hangs)."""
        if self._loop is None:
            raise RenderError("the browser is not running (use BrowserPool as a context manager)")

        async def run() -> T:
            return await make()

        future = asyncio.run_coroutine_threadsafe(run(), self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise RenderError(f"the browser did not answer within {timeout:g} s") from None

    # ------------------------------------------------------------------ the contract

    def capture(self, fragment: str, page: SheetPage, *, title: str, formats: Sequence[str],
                dpi: float) -> Captured:
        """Draw ``fragment`` in the next free lane and capture ``formats`` (PNG and PDF at once)."""
        wanted = list(formats)
        return self._call(lambda: self._capture_sheet(fragment, page, title, wanted, dpi),
                          START_TIMEOUT_S + 3 * self.timeout_s)

    def draw(self, fragment: str, page: SheetPage, *, title: str = "nanosheet") -> Measured:
        """Draw and measure only (tests and layout probes): no PNG, PDF or snapshot."""
        return self.capture(fragment, page, title=title, formats=[], dpi=96).measured

    @property
    def page(self) -> Any:
        """The first lane's page, driven synchronously — for tests and tools with a one-lane pool."""
        lane = self._call(self._first_lane, START_TIMEOUT_S)
        return _Sync(lane.page, self)

    # ------------------------------------------------------------------ on the loop

    async def _launch(self, exe: str) -> None:
        t0 = time.perf_counter()
        self._idle = asyncio.Queue()
        try:
            give_driver_env()
            self._pw = await async_playwright().start()
            await self._open_browser(exe, first_lane_only=True)
        except Error as exc:
            raise RenderError(f"could not start Chromium: {exc.message.splitlines()[0]}") from None
        self.startup_ms = (time.perf_counter() - t0) * 1000

    async def _open_browser(self, exe: str, *, first_lane_only: bool) -> None:
        assert self._pw is not None
        browser = await self._pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        self._browser = browser
        generation = self._generation
        browser.on("disconnected", lambda _: self._on_disconnect(generation))
        await self._add_lane(0, generation)  # the first sheet waits for one lane only
        others = [self._add_lane(i, generation) for i in range(1, self.lanes)]
        if first_lane_only:
            self._opening = [asyncio.ensure_future(c) for c in others]
        else:
            await asyncio.gather(*others)
        if not self._lanes:
            raise RenderError("no browser lane could be opened")

    async def _shutdown(self) -> None:
        # A pool closed while it starts (a bad input found meanwhile) lets the start finish first: stopped in
        # the middle, the driver's process was left behind, its pipes never closed ("Event loop is closed").
        if self._started is not None and not self._started.done():
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.wrap_future(self._started), START_TIMEOUT_S)
        for task in [*self._opening, *([self._restart] if self._restart else [])]:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        if self._browser is not None:
            with contextlib.suppress(Error):
                await self._browser.close()
        if self._pw is not None:
            with contextlib.suppress(Error):
                await self._pw.stop()
        self._pw = self._browser = None

    async def _first_lane(self) -> Lane:
        await self._wait_started()
        return self._lanes[0]

    async def _wait_started(self) -> None:
        assert self._started is not None
        await asyncio.wrap_future(self._started)

    async def _new_lane(self, index: int, generation: int) -> Lane:
        assert self._browser is not None
        context = await self._browser.new_context(**context_options())
        lane_box: list[Lane] = []

        async def route(r: Route) -> None:
            await self._route(r, lane_box[0] if lane_box else None)

        await context.route("**/*", route)
        page = await context.new_page()
        page.on("console", lambda msg: log.info("page %s: %s", msg.type, msg.text[:300])
                if msg.type in ("error", "warning") else None)
        cdp = await context.new_cdp_session(page)
        lane = Lane(index=index, generation=generation, context=context, page=page, cdp=cdp)
        lane_box.append(lane)
        await page.goto(assets.ORIGIN + assets.SHELL_PATH, wait_until="load")
        return lane

    async def _add_lane(self, index: int, generation: int) -> None:
        try:
            lane = await self._new_lane(index, generation)
        except Error as exc:
            if not self._closing:  # a pool closed while it started (bad input found meanwhile) is no fault
                log.warning("could not open browser lane %d: %s", index, exc.message.splitlines()[0])
            return
        if generation != self._generation:  # Chromium was replaced while this lane opened
            with contextlib.suppress(Error):
                await lane.context.close()
            return
        self._lanes.append(lane)
        assert self._idle is not None
        self._idle.put_nowait(lane)

    async def _route(self, route: Route, lane: Lane | None) -> None:
        url = route.request.url
        rel, path = route_target(url)
        with contextlib.suppress(Error):  # the page may be gone (lane replaced) before we answer
            if rel == assets.SHELL_PATH:
                shell = await asyncio.wrap_future(self._shell)
                await route.fulfill(status=200, body=shell, content_type="text/html; charset=utf-8")
            elif rel is None or path is None:
                log.warning("blocked request from the page: %s", url[:200])
                self.aborted.append(url)
                if lane is not None:
                    lane.aborted.append(url)
                await route.abort("blockedbyclient")
            else:
                self.served.add(rel)
                await route.fulfill(status=200, path=str(path), content_type=assets.content_type(path),
                                    headers=ASSET_HEADERS)

    # ------------------------------------------------------------------ crashes

    def _on_disconnect(self, generation: int) -> None:
        if not self._closing:
            self._begin_restart(generation)

    def _begin_restart(self, generation: int) -> asyncio.Task[None] | None:
        """Start Chromium again (once per dead generation); lanes of the dead one are dropped."""
        if generation == self._generation and not self._broken and not self._closing:
            self._generation += 1
            self._lanes = []
            self._restart = asyncio.ensure_future(self._relaunch())
        return self._restart

    async def _relaunch(self) -> None:
        assert self._idle is not None
        while not self._idle.empty():
            self._idle.get_nowait()
        if self._restarts_left <= 0:
            self._give_up("Chromium quit unexpectedly again (killed or out of memory); this sheet was not drawn")
            return
        self._restarts_left -= 1
        log.warning("Chromium quit unexpectedly (killed or out of memory); starting it again")
        try:
            await self._open_browser(chromium_path(), first_lane_only=False)
        except (Error, RenderError) as exc:
            reason = exc.message.splitlines()[0] if isinstance(exc, Error) else exc.message
            self._give_up(f"Chromium quit unexpectedly and could not be started again ({reason})")

    def _give_up(self, reason: str) -> None:
        self._broken = reason
        assert self._idle is not None
        self._idle.put_nowait(None)  # wakes one waiter, which passes it on

    # ------------------------------------------------------------------ one sheet

    def _busy_opening(self) -> bool:
        tasks = [*self._opening, *([self._restart] if self._restart else [])]
        return any(not t.done() for t in tasks)

    async def _take_lane(self) -> Lane:
        assert self._idle is not None
        while True:
            if not self._lanes and not self._busy_opening() and not self._broken:
                raise RenderError("no browser lane could be opened")
            lane = await self._idle.get()
            if lane is None:
                self._idle.put_nowait(None)
                raise RenderError(self._broken or "the browser is closed")
            if lane.generation == self._generation:
                return lane

    async def _capture_sheet(self, fragment: str, page: SheetPage, title: str, formats: list[str],
                             dpi: float) -> Captured:
        await self._wait_started()
        for attempt in range(RESTARTS + 1):
            lane = await self._take_lane()
            try:
                cap = await asyncio.wait_for(self._draw_and_capture(lane, fragment, page, title, formats, dpi),
                                             self.timeout_s)
            except TimeoutError:
                await self._replace(lane)
                raise RenderError(f"drawing the sheet took longer than {self.timeout_s:g} s",
                                  hint="the content is too large to lay out; split it") from None
            except Error as exc:
                if await self._replace(lane):
                    raise RenderError(f"the browser failed on this sheet: {exc.message.splitlines()[0]}") from None
                restart = self._begin_restart(lane.generation)  # the browser itself is gone
                if restart is not None:
                    await asyncio.shield(restart)
                if self._broken or attempt == RESTARTS:
                    raise RenderError(self._broken or "Chromium quit unexpectedly while drawing this sheet") \
                        from None
                continue
            self._idle_put(lane)
            return cap
        raise AssertionError("unreachable")

    def _idle_put(self, lane: Lane) -> None:
        assert self._idle is not None
        if lane.generation == self._generation:
            self._idle.put_nowait(lane)

    async def _replace(self, lane: Lane) -> bool:
        """After a failure or a timeout: a fresh context for the lane. False if the browser is gone."""
        if lane in self._lanes:
            self._lanes.remove(lane)
        with contextlib.suppress(Error, TimeoutError):
            await asyncio.wait_for(lane.context.close(), 10)
        if lane.generation != self._generation or self._browser is None or not self._browser.is_connected():
            return False
        before = len(self._lanes)
        await self._add_lane(lane.index, lane.generation)
        return len(self._lanes) > before

    async def _draw_and_capture(self, lane: Lane, fragment: str, page: SheetPage, title: str, formats: list[str],
                                dpi: float) -> Captured:
        lane.aborted = []
        timings: dict[str, float] = {}
        size = viewport_for(page)
        if size != lane.viewport:
            await lane.page.set_viewport_size({"width": size[0], "height": size[1]})
            lane.viewport = size
        from pydantic import ValidationError

        from nanosheet.model import Measured

        t0 = time.perf_counter()
        raw = await lane.page.evaluate(MOUNT_JS, {"html": fragment, "pageRule": page_rule(page), "title": title})
        timings["layout_fit"] = (time.perf_counter() - t0) * 1000
        try:
            measured = Measured.model_validate(raw)
        except ValidationError as exc:
            raise RenderError(f"the page returned measurements of an unexpected shape: {exc.errors()[0]['msg']}") \
                from None
        t0 = time.perf_counter()

        async def timed(name: str, coro: Awaitable[T]) -> T:
            start = time.perf_counter()
            out = await coro
            timings[name] = (time.perf_counter() - start) * 1000
            return out

        async def nothing() -> None:
            return None

        # All three at once: the snapshot is a DOM read on the page's main thread, while the PNG is
        # rastered by the compositor; the PDF is asked for in one message on our CDP session (Playwright's
        # page.pdf asks for a stream and reads it back chunk by chunk; same arguments, same bytes).
        snapshot, shot, pdf = await asyncio.gather(
            timed("html", lane.page.evaluate(SNAPSHOT_JS)) if "html" in formats else nothing(),
            timed("png", lane.cdp.send("Page.captureScreenshot", png_params(page, dpi))) if "png" in formats
            else nothing(),
            timed("pdf", lane.cdp.send("Page.printToPDF", pdf_params(page))) if "pdf" in formats else nothing())
        if formats:
            timings["capture"] = (time.perf_counter() - t0) * 1000
        return Captured(measured=measured, png=base64.b64decode(shot["data"]) if shot else None,
                        pdf=base64.b64decode(pdf["data"]) if pdf else None, snapshot=snapshot,
                        aborted=list(lane.aborted), served=frozenset(self.served), timings=timings)


class _Sync:
    """A Playwright async object used from another thread: each call runs on the pool's loop and waits."""

    def __init__(self, obj: Any, pool: BrowserPool) -> None:
        self._obj = obj
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if not callable(value):
            return self._wrap(value)

        def call(*args: Any, **kwargs: Any) -> Any:
            async def run() -> Any:
                out = value(*args, **kwargs)
                return await out if inspect.isawaitable(out) else out

            return self._wrap(self._pool._call(run, self._pool.timeout_s))

        return call

    def _wrap(self, value: Any) -> Any:
        return _Sync(value, self._pool) if type(value).__module__.startswith("playwright.") else value
