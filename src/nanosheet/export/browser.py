"""HTML fragments in, a drawn page, PNG bytes and PDF bytes out — one headless Chromium for a whole run.

``SheetBrowser`` loads a *shell* page once (fonts, roughjs, mermaid, our script) and swaps each sheet
into it with ``nanosheet.mount`` — reloading the scripts per sheet would cost time and fails on
redeclared globals. The page may only load our own assets: every request is routed, assets are
served from disk, anything else is aborted and recorded in ``aborted``.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Error, Playwright, Route, sync_playwright
from playwright.sync_api import Page as PwPage

from nanosheet.errors import ConfigError, RenderError
from nanosheet.model import Page
from nanosheet.render import assets
from nanosheet.render.html import render_document

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--font-render-hinting=none",  # glyph shapes independent of the screen; PNG and PDF agree
]
PX_PER_MM = 96 / 25.4


def chromium_path() -> str:
    """``$NANOSHEET_CHROMIUM``, else Debian's chromium (never a downloaded browser)."""
    path = os.environ.get("NANOSHEET_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise ConfigError(f"Chromium not found at {path}",
                          hint="install Debian's `chromium` (make setup) or set NANOSHEET_CHROMIUM")
    return path


def page_rule(page: Page) -> str:
    w, h = page.width_mm, page.height_mm
    return f"@page {{ size: {w}mm {h}mm; margin: 0; }} html, body {{ width: {w}mm; height: {h}mm; }}"


class SheetBrowser:
    """A context manager around one Chromium with one reusable page holding the shell."""

    def __init__(self) -> None:
        self.aborted: list[str] = []
        """Every URL the page tried to load that is not one of our assets (blocked)."""
        self.served: set[str] = set()
        """Asset paths served so far (the snapshot HTML copies these next to itself)."""
        self.startup_ms = 0.0
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: PwPage | None = None
        self._viewport: tuple[int, int] | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> SheetBrowser:
        t0 = time.perf_counter()
        exe = chromium_path()
        try:
            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            self._context = self._browser.new_context(viewport={"width": 794, "height": 1123},
                                                      device_scale_factor=1, locale="ko-KR",
                                                      timezone_id="UTC", service_workers="block")
            self._page = self._context.new_page()
            self._page.route("**/*", self._route)
            self._page.on("console", self._console)
            self._page.goto(assets.ORIGIN + assets.SHELL_PATH, wait_until="load")
        except Error as exc:
            self.close()
            raise RenderError(f"could not start Chromium: {exc.message.splitlines()[0]}") from None
        self.startup_ms = (time.perf_counter() - t0) * 1000
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        for closer in (self._context, self._browser):
            if closer is not None:
                with contextlib.suppress(Error):
                    closer.close()
        if self._pw is not None:
            self._pw.stop()
        self._pw = self._browser = self._context = self._page = None

    @property
    def page(self) -> PwPage:
        if self._page is None:
            raise RenderError("the browser is not running (use SheetBrowser as a context manager)")
        return self._page

    # ------------------------------------------------------------------ requests

    def _route(self, route: Route) -> None:
        url = route.request.url
        rel = assets.local_path(url)
        if rel == assets.SHELL_PATH:
            body = render_document("", title="nanosheet", width_mm=210, height_mm=297, base=assets.ORIGIN,
                                   scripts=True)
            route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
            return
        path = assets.asset_path(rel) if rel is not None else None
        if path is None:
            log.warning("blocked request from the page: %s", url[:200])
            self.aborted.append(url)
            route.abort("blockedbyclient")
            return
        self.served.add(rel or "")
        route.fulfill(status=200, path=str(path), content_type=assets.content_type(path),
                      headers={"cache-control": "public, max-age=31536000, immutable"})

    def _console(self, msg: Any) -> None:
        if msg.type in ("error", "warning"):
            log.info("page %s: %s", msg.type, msg.text[:300])

    # ------------------------------------------------------------------ drawing and capture

    def _fit_viewport(self, page: Page) -> None:
        size = (int(page.width_mm * PX_PER_MM + 0.999), int(page.height_mm * PX_PER_MM + 0.999))
        if size != self._viewport:
            self.page.set_viewport_size({"width": size[0], "height": size[1]})
            self._viewport = size

    def draw(self, fragment: str, page: Page, *, title: str = "nanosheet") -> dict[str, Any]:
        """Swap ``fragment`` into the shell, draw and fit it; the page's measurements come back."""
        self._fit_viewport(page)
        try:
            result: dict[str, Any] = self.page.evaluate(
                "args => window.nanosheet.mount(args)", {"html": fragment, "pageRule": page_rule(page), "title": title})
        except Error as exc:
            raise RenderError(f"drawing the sheet failed in the browser: {exc.message.splitlines()[0]}") from None
        return result

    def snapshot(self) -> str:
        """The drawn sheet's DOM (no scripts), for the offline HTML file."""
        html: str = self.page.evaluate("""() => {
            const s = document.getElementById('sheet').cloneNode(true);
            s.querySelectorAll('[data-src]').forEach(e => { e.removeAttribute('data-src');
                                                             e.removeAttribute('data-src-alt'); });
            return s.outerHTML; }""")
        return html

    def png(self, page: Page, dpi: float) -> bytes:
        """The page at ``dpi`` via CDP: a fractional clip and scale give exact pixel sizes (Playwright rounds)."""
        cdp = self.page.context.new_cdp_session(self.page)
        try:
            res = cdp.send("Page.captureScreenshot", {
                "format": "png", "fromSurface": True, "captureBeyondViewport": False,
                "clip": {"x": 0, "y": 0, "width": page.width_mm * PX_PER_MM,
                         "height": page.height_mm * PX_PER_MM, "scale": dpi / 96},
            })
        except Error as exc:
            raise RenderError(f"screenshot failed: {exc.message.splitlines()[0]}") from None
        finally:
            cdp.detach()
        return base64.b64decode(res["data"])

    def pdf(self, page: Page) -> bytes:
        """One vector page exactly the sheet's size, backgrounds printed, fonts embedded by Chromium."""
        try:
            return self.page.pdf(width=f"{page.width_mm}mm", height=f"{page.height_mm}mm", print_background=True,
                                 prefer_css_page_size=True, margin={"top": "0", "right": "0", "bottom": "0",
                                                                    "left": "0"})
        except Error as exc:
            raise RenderError(f"PDF export failed: {exc.message.splitlines()[0]}") from None
