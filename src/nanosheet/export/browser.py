"""A sheet's page size in, the Chromium settings that draw it out: switches, capture arguments, routing.

Pure settings and small functions shared by every drawing: :mod:`nanosheet.export.pool` is the one
place that starts Chromium and uses them. Chromium loads a *shell* page (fonts, roughjs, mermaid, our
script) once per lane and each sheet is swapped into it with ``nanosheet.mount`` (:data:`MOUNT_JS`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanosheet.errors import ConfigError
from nanosheet.render import assets

if TYPE_CHECKING:
    from nanosheet.model import Page

PLAYWRIGHT_DISABLED_FEATURES = [
    "AimEnabled", "AvoidCorsURLLoaderRestartOnRedirect", "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose", "HttpsFirstBalancedModeAutoEnable", "HttpsUpgrades", "LensOverlay", "MediaRouter",
    "NetworkTimeServiceQuerying", "OptimizationHints", "PaintHolding", "PreconnectToSearch", "TcpPortRandomizationWin",
    "ThirdPartyStoragePartitioning", "msEdgeUpdateLaunchServicesPreferredVersion", "msForceBrowserSignIn",
]
RENDERER_HEAP_MB = 96
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--font-render-hinting=none",  # glyph shapes independent of the screen; PNG and PDF agree
    # Several pages draw at once in a batch; none of them may be throttled as a "background tab".
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # Chromium keeps only the last --disable-features switch, so Playwright's own list (its
    # chromiumSwitches, playwright 1.5x) is repeated here. Ours: every browser context preloaded two
    # hidden omnibox-popup WebUI pages (chrome://omnibox-popup.top-chrome) in a ~60 MB renderer of its own.
    "--disable-features=" + ",".join([*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]),
    # V8 sizes its heap (and the DOM's, which it collects with it) to this limit: a sheet's live heap is
    # ~20 MB, but by default each renderer let ~100 MB of old sheets' garbage pile up before collecting.
    f"--js-flags=--max-old-space-size={RENDERER_HEAP_MB}",
]


def _node_compile_cache() -> str:
    """Where Node keeps the driver's compiled JavaScript between runs (beside the font parts' cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "nanosheet" / "node-compile-cache")


DRIVER_ENV = {
    # Node (>= 22) reuses the driver's compiled code from this folder: each cold start of Playwright's
    # driver spent ~0.15 CPU-s compiling the same JavaScript again (0.45 -> 0.28 user-s for `cli.js --version`).
    "NODE_COMPILE_CACHE": _node_compile_cache(),
    # Playwright's node driver only relays messages, but with V8's default young generation it kept
    # ~250 MB of screenshot strings between collections; with 2 MB semi-spaces it stays near 110 MB.
    "NODE_OPTIONS": "--max-semi-space-size=2",
    # glibc (node and its children): hand freed large buffers back instead of keeping them in arenas.
    "MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": "1048576", "MALLOC_MMAP_THRESHOLD_": "1048576",
}
PX_PER_MM = 96 / 25.4
PDF_OPTIONS: dict[str, Any] = {"print_background": True, "prefer_css_page_size": True,
                               "margin": {"top": "0", "right": "0", "bottom": "0", "left": "0"}}
SNAPSHOT_JS = """() => {
    const s = document.getElementById('sheet').cloneNode(true);
    s.querySelectorAll('[data-src]').forEach(e => { e.removeAttribute('data-src');
                                                     e.removeAttribute('data-src-alt'); });
    return s.outerHTML; }"""
MOUNT_JS = "args => window.nanosheet.mount(args)"


def with_driver_env(base: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
    """``base`` (the environment Playwright hands its driver) with :data:`DRIVER_ENV` on top."""
    def env() -> dict[str, str]:
        return {**base(), **DRIVER_ENV}
    env.nanosheet = True  # type: ignore[attr-defined]
    return env


def give_driver_env() -> None:
    """Every Playwright driver this process starts gets :data:`DRIVER_ENV`; ``os.environ`` is never
    touched. Setting it there while the driver started raced with other threads: a second pool starting
    in the background, or a subprocess spawned meanwhile, saw our Node flags (a CI failure). Playwright
    has no public option for its driver's environment, so its one builder of it is wrapped (idempotent)."""
    from playwright._impl import transport

    current = getattr(transport, "get_driver_env")  # noqa: B009 (private: not in the module's exports)
    if not getattr(current, "nanosheet", False):
        setattr(transport, "get_driver_env", with_driver_env(current))  # noqa: B010


def chromium_path() -> str:
    """``$NANOSHEET_CHROMIUM``, else Debian's chromium (never a downloaded browser)."""
    path = os.environ.get("NANOSHEET_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise ConfigError(f"Chromium not found at {path}",
                          hint="install Debian's `chromium` (make setup) or set NANOSHEET_CHROMIUM")
    return path


def png_params(page: Page, dpi: float) -> dict[str, Any]:
    """CDP ``Page.captureScreenshot`` arguments: a fractional clip and scale give exact pixel sizes
    (Playwright's own screenshot rounds the clip to whole CSS pixels). ``optimizeForSpeed`` picks
    Chromium's fast zlib setting: ~0.2 s less per 300 DPI sheet, ~50% larger files, same pixels."""
    return {"format": "png", "fromSurface": True, "captureBeyondViewport": False, "optimizeForSpeed": True,
            "clip": {"x": 0, "y": 0, "width": page.width_mm * PX_PER_MM, "height": page.height_mm * PX_PER_MM,
                     "scale": dpi / 96}}


def pdf_kwargs(page: Page) -> dict[str, Any]:
    """Playwright ``page.pdf`` arguments: one page exactly the sheet's size."""
    return {"width": f"{page.width_mm}mm", "height": f"{page.height_mm}mm", **PDF_OPTIONS}


_PLAYWRIGHT_PX_PER_MM = 3.78
"""Playwright's own unit table (``crPdf``) turns ``"210mm"`` into inches with 3.78 px/mm, not 96/25.4."""


def pdf_params(page: Page) -> dict[str, Any]:
    """CDP ``Page.printToPDF`` arguments equal to what Playwright sends for :func:`pdf_kwargs` (same
    bytes), but answered in one message: Playwright asks for a stream and reads it back chunk by chunk."""
    inches = {"paperWidth": page.width_mm * _PLAYWRIGHT_PX_PER_MM / 96,
              "paperHeight": page.height_mm * _PLAYWRIGHT_PX_PER_MM / 96}
    return {"landscape": False, "displayHeaderFooter": False, "headerTemplate": "", "footerTemplate": "",
            "printBackground": PDF_OPTIONS["print_background"], "scale": 1, **inches,
            "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0, "pageRanges": "",
            "preferCSSPageSize": PDF_OPTIONS["prefer_css_page_size"], "generateTaggedPDF": False,
            "generateDocumentOutline": False}


def viewport_for(page: Page) -> tuple[int, int]:
    return int(page.width_mm * PX_PER_MM + 0.999), int(page.height_mm * PX_PER_MM + 0.999)


def context_options() -> dict[str, Any]:
    """Pages are drawn at 1×: the 300 DPI capture re-rasters the page at its clip scale either way
    (identical pixels), and every frame drawn at 300 DPI before it was wasted work — 7–11 % of a batch's
    CPU with the sheet also hidden while it is fitted (sheet.js)."""
    return {"viewport": {"width": 794, "height": 1123}, "device_scale_factor": 1,
            "locale": "ko-KR", "timezone_id": "UTC", "service_workers": "block"}


def shell_html() -> str:
    from nanosheet.render.html import render_document  # the templates: not needed to start Chromium

    return render_document("", title="nanosheet", width_mm=210, height_mm=297, base=assets.ORIGIN, scripts=True)


def route_target(url: str) -> tuple[str | None, Path | None]:
    """What to answer a page request with: ``(rel, None)`` for the shell, ``(rel, file)`` for an asset,
    ``(None, None)`` for anything else (to be aborted and recorded)."""
    rel = assets.local_path(url)
    if rel == assets.SHELL_PATH:
        return rel, None
    path = assets.asset_path(rel) if rel is not None else None
    return (rel, path) if path is not None else (None, None)


ASSET_HEADERS = {"cache-control": "public, max-age=31536000, immutable"}


def page_rule(page: Page) -> str:
    w, h = page.width_mm, page.height_mm
    return f"@page {{ size: {w}mm {h}mm; margin: 0; }} html, body {{ width: {w}mm; height: {h}mm; }}"
