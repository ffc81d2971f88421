"""Sheet fragments in, captures (measurements, PNG, PDF, snapshot) out — several sheets at a time.

:class:`LaneBrowser` is the batch's browser: one Chromium, and a *lane* per concurrent sheet — its own
context and page holding the shell, so sheets draw in separate renderer processes and share no state.
(Two pages of one context measured about as fast here; sharing one renderer with ``--process-per-site``
saved 140 MB but was slower.) Within a sheet, the PNG and the PDF are captured at once; the capture
code and arguments are those of :class:`~nanosheet.export.browser.SheetBrowser`, so ``render`` and
``batch`` draw the same page: the PDFs have the same text and images, and in the PNG a few hundred edge
pixels of 8.7 M differ by ≤ 7/255 because the PDF prints while the PNG is captured (measured; capturing
one after the other would cost 0.12 s per sheet). Playwright's async API drives it (the sync API waits
for each call in turn, so nothing could overlap); it runs on whatever event loop calls it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ctypes
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Browser, BrowserContext, CDPSession, Error, Page, Playwright, Route, async_playwright

from nanosheet.errors import RenderError
from nanosheet.export.browser import (
    ASSET_HEADERS,
    CHROMIUM_ARGS,
    MOUNT_JS,
    SNAPSHOT_JS,
    chromium_path,
    context_options,
    driver_env,
    page_rule,
    pdf_kwargs,
    png_params,
    route_target,
    shell_html,
    viewport_for,
)
from nanosheet.export.files import Capture
from nanosheet.model import Page as SheetPage
from nanosheet.render import assets

log = logging.getLogger(__name__)

SHEET_TIMEOUT_S = 60.0
"""A sheet whose drawing or capture takes longer fails (its lane is replaced); the batch goes on."""
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
    context: BrowserContext
    page: Page
    cdp: CDPSession
    viewport: tuple[int, int] = (794, 1123)
    aborted: list[str] = field(default_factory=list)


class LaneBrowser:
    """``async with LaneBrowser(lanes=2) as b: cap = await b.capture(sheet, fragment, ...)``."""

    def __init__(self, lanes: int = 2, *, timeout_s: float = SHEET_TIMEOUT_S) -> None:
        self.lanes = max(1, lanes)
        self.timeout_s = timeout_s
        self.served: set[str] = set()
        """Asset paths served so far, in any lane (the snapshot HTML copies these next to itself)."""
        self.aborted: list[str] = []
        """Every blocked URL of the run."""
        self.startup_ms = 0.0
        self._shell = shell_html()
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._idle: asyncio.Queue[Lane] = asyncio.Queue()
        self._all: list[Lane] = []
        self._starting: list[asyncio.Task[None]] = []

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> LaneBrowser:
        t0 = time.perf_counter()
        exe = chromium_path()
        try:
            with driver_env():
                self._pw = await async_playwright().start()
            self._browser = await self._pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            await self._add_lane(0)  # the first sheet waits for one lane only; the others start meanwhile
        except Error as exc:
            await self.close()
            raise RenderError(f"could not start Chromium: {exc.message.splitlines()[0]}") from None
        self._starting = [asyncio.create_task(self._add_lane(i)) for i in range(1, self.lanes)]
        self.startup_ms = (time.perf_counter() - t0) * 1000
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        for task in self._starting:
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

    async def _new_lane(self, index: int) -> Lane:
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
        lane = Lane(index=index, context=context, page=page, cdp=cdp)
        lane_box.append(lane)
        await page.goto(assets.ORIGIN + assets.SHELL_PATH, wait_until="load")
        return lane

    async def _add_lane(self, index: int) -> None:
        try:
            lane = await self._new_lane(index)
        except Error as exc:
            log.warning("could not open browser lane %d: %s", index, exc.message.splitlines()[0])
            return
        self._all.append(lane)
        self._idle.put_nowait(lane)

    async def _replace(self, lane: Lane) -> None:
        """After a crash or a timeout: throw the lane's context away and open a fresh one."""
        self._all.remove(lane)
        with contextlib.suppress(Error):
            await asyncio.wait_for(lane.context.close(), 10)
        await self._add_lane(lane.index)

    async def _route(self, route: Route, lane: Lane | None) -> None:
        url = route.request.url
        rel, path = route_target(url)
        with contextlib.suppress(Error):  # the page may be gone (lane replaced) before we answer
            if rel == assets.SHELL_PATH:
                await route.fulfill(status=200, body=self._shell, content_type="text/html; charset=utf-8")
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

    # ------------------------------------------------------------------ one sheet

    async def capture(self, fragment: str, page: SheetPage, *, title: str, formats: list[str],
                      dpi: float) -> Capture:
        """Draw ``fragment`` in the next free lane and capture the wanted formats (PNG and PDF at once)."""
        if not self._all and not self._starting:
            raise RenderError("no browser lane could be opened")
        lane = await self._idle.get()
        try:
            return await asyncio.wait_for(self._capture(lane, fragment, page, title, formats, dpi), self.timeout_s)
        except (TimeoutError, Error) as exc:
            await self._replace(lane)
            lane = None  # type: ignore[assignment]
            if isinstance(exc, TimeoutError):
                raise RenderError(f"drawing the sheet took longer than {self.timeout_s:g} s",
                                  hint="the content is too large to lay out; split it") from None
            raise RenderError(f"the browser failed on this sheet: {exc.message.splitlines()[0]}") from None
        finally:
            if lane is not None:
                self._idle.put_nowait(lane)

    async def _capture(self, lane: Lane, fragment: str, page: SheetPage, title: str, formats: list[str],
                       dpi: float) -> Capture:
        lane.aborted = []
        timings: dict[str, float] = {}
        size = viewport_for(page)
        if size != lane.viewport:
            await lane.page.set_viewport_size({"width": size[0], "height": size[1]})
            lane.viewport = size
        t0 = time.perf_counter()
        measured: dict[str, Any] = await lane.page.evaluate(
            MOUNT_JS, {"html": fragment, "pageRule": page_rule(page), "title": title})
        timings["layout_fit"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()

        async def timed(name: str, coro: Any) -> Any:
            start = time.perf_counter()
            out = await coro
            timings[name] = (time.perf_counter() - start) * 1000
            return out

        async def nothing() -> None:
            return None

        snapshot = await timed("html", lane.page.evaluate(SNAPSHOT_JS)) if "html" in formats else None
        shot, pdf = await asyncio.gather(
            timed("png", lane.cdp.send("Page.captureScreenshot", png_params(page, dpi))) if "png" in formats
            else nothing(),
            timed("pdf", lane.page.pdf(**pdf_kwargs(page))) if "pdf" in formats else nothing())
        timings["capture"] = (time.perf_counter() - t0) * 1000
        return Capture(measured=measured, png=base64.b64decode(shot["data"]) if shot else None, pdf=pdf,
                       snapshot=snapshot, aborted=list(lane.aborted), timings=timings)
