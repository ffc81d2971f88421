"""Ways to get a sheet's 300 DPI PNG, measured side by side on the shared examples; prints a table (no assertions).

Each example goes through the whole pipeline once in a one-lane ``BrowserPool`` (``render``'s browser), is
mounted again and stays mounted; then every option makes the PNG of that same drawn sheet. Reference:
today's capture (CDP ``Page.captureScreenshot``, ``png_params``, on the pool's own CDP session), taken
alone. Options:

  today          today's capture again (the control: how much two captures of one page differ)
  today, through the pool
                 ``BrowserPool.capture`` with formats png: the sheet mounted again and fitted, then captured
  speed=false    the same without ``optimizeForSpeed`` (Chromium's default zlib level)
  webp→png       CDP ``format: "webp", quality: 100``, decoded and re-encoded as PNG (level 1) by Pillow
  mupdf:*        Chromium writes only the PDF (``pdf()``, needed anyway); PyMuPDF rasters it at the exact
                 2480×3508 matrix in this process: ``+tobytes`` MuPDF's own PNG writer, ``alpha=False``;
                 ``+annots=False``; ``+PIL l1`` Pillow's PNG at compress_level=1; ``raster only`` no encode
  rawcdp         no Playwright, no node driver: Chromium on ``--remote-debugging-pipe`` driven from Python,
                 loading the sheet's offline HTML snapshot (same DOM, fonts, CSS) and capturing with the
                 same ``png_params`` (its pixel differences are the snapshot's against the live page, not
                 the transport's: on the first example they are identical)
  rawcdp, headless shell
                 the same on Debian's chromium-headless-shell (the old headless mode)
  beginframe     ``HeadlessExperimental.beginFrame`` with a screenshot on the headless shell's raw pipe (only
                 the old headless mode has it), at the scale whose viewport covers 2480×3508, cropped and
                 re-encoded

Columns: wall seconds and CPU-seconds of this process tree (Python, node driver, every Chromium process)
per PNG, median over the timed examples × rounds; PNG size; against the reference on every example: the
largest mean difference of a 32×32 tile (per pixel the largest channel difference, 0–255), the largest
single pixel difference and the share of pixels that differ at all. mupdf's CPU column is on top of the
PDF, which today's path also makes; today's column is on top of it too, but in another process.

Usage: ``python bench/capture_options.py [--rounds N] [--timed K] [--examples M]`` (the first K examples
timed, default 4, N rounds, default 2; all diffed, or the first M).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pss import tree_breakdown_mb  # noqa: E402
from run import drawn_sheet  # noqa: E402
from soak import sources, tree_cpu_s  # noqa: E402

from nanosheet.export.browser import CHROMIUM_ARGS, chromium_path, pdf_kwargs, png_params  # noqa: E402
from nanosheet.export.pool import BrowserPool, _Sync  # noqa: E402

DPI = 300
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
TILE = 32


@dataclass
class Row:
    """What one option measured: times on the timed examples, differences on all of them."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    size: list[int] = field(default_factory=list)
    tile_max: float = 0.0
    px_max: int = 0
    differ: list[float] = field(default_factory=list)
    note: str = ""
    worst: str = ""
    """The example with the largest tile difference."""


def pixels(png: bytes) -> np.ndarray[Any, np.dtype[np.int16]]:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def compare(ref: np.ndarray[Any, np.dtype[np.int16]], png: bytes) -> tuple[float, int, float]:
    """(largest 32×32 tile mean, largest pixel difference, share of differing pixels) of ``png`` vs ``ref``."""
    other = pixels(png)
    if other.shape != ref.shape:
        raise ValueError(f"size {other.shape[1]}×{other.shape[0]}, reference {ref.shape[1]}×{ref.shape[0]}")
    d = np.abs(ref - other).max(axis=2)
    h, w = (d.shape[0] // TILE) * TILE, (d.shape[1] // TILE) * TILE
    tiles = d[:h, :w].reshape(h // TILE, TILE, w // TILE, TILE).mean(axis=(1, 3))
    return float(tiles.max()), int(d.max()), float((d > 0).mean())


def measure(row: Row, make: Callable[[], bytes], ref: np.ndarray[Any, np.dtype[np.int16]], timed: int,
            name: str = "") -> None:
    """Run ``make`` ``timed`` times (at least once), time each, compare the first result with ``ref``."""
    first: bytes | None = None
    for _ in range(max(timed, 1)):
        cpu0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
        out = make()
        wall, cpu = time.perf_counter() - t0, tree_cpu_s(os.getpid()) - cpu0
        if timed:
            row.wall.append(wall)
            row.cpu.append(cpu)
            row.size.append(len(out))
        first = first or out
    assert first is not None
    try:
        tile, px, share = compare(ref, first)
    except ValueError as exc:
        row.note = str(exc)
        return
    if tile > row.tile_max:
        row.worst = name
    row.tile_max, row.px_max = max(row.tile_max, tile), max(row.px_max, px)
    row.differ.append(share)


# ---------------------------------------------------------------------------------- PyMuPDF


def mupdf_pixmap(pdf: bytes, size: tuple[int, int], annots: bool = True) -> pymupdf.Pixmap:
    """The PDF's first page at exactly ``size`` pixels (2480×3508 for A4 at 300 DPI), RGB, no alpha."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:  # type: ignore[no-untyped-call]
        page = doc[0]
        w_px, h_px = size  # Chromium's page is a little smaller than 210 mm (595.0 pt): scale to the PNG's size
        matrix = pymupdf.Matrix(w_px / page.rect.width, h_px / page.rect.height)  # type: ignore[no-untyped-call]
        # 300/72 on both axes would give 2481 px across (MuPDF rounds the transformed rect outwards)
        pix: pymupdf.Pixmap = page.get_pixmap(matrix=matrix, alpha=False, annots=annots)
    return pix


def mupdf_png(pdf: bytes, size: tuple[int, int], annots: bool = True) -> bytes:
    """MuPDF's own PNG writer on :func:`mupdf_pixmap`."""
    png: bytes = mupdf_pixmap(pdf, size, annots).tobytes("png")  # type: ignore[no-untyped-call]
    return png


def pil_png(pix: pymupdf.Pixmap, level: int = 1) -> bytes:
    img = Image.frombuffer("RGB", (pix.width, pix.height), pix.samples_mv, "raw", "RGB", pix.stride, 1)
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=level)
    return buf.getvalue()


def mupdf_options(pdf: bytes, size: tuple[int, int]) -> dict[str, Callable[[], bytes]]:
    return {
        "mupdf: raster +tobytes": lambda: mupdf_png(pdf, size),
        "mupdf: +annots=False": lambda: mupdf_png(pdf, size, annots=False),
        "mupdf: +annots=False +PIL l1": lambda: pil_png(mupdf_pixmap(pdf, size, annots=False)),
    }


# ---------------------------------------------------------------------------------- CDP without node


class PipeCDP:
    """Chromium on ``--remote-debugging-pipe`` (fd 3 in, fd 4 out), NUL-framed JSON, driven synchronously."""

    def __init__(self, extra_args: list[str], exe: str | None = None) -> None:
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child: our two pipe ends become fds 3 and 4, whatever numbers they had
            high_r, high_w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [a for a in CHROMIUM_ARGS if a != "--headless"]
        self.proc = subprocess.Popen([exe or chromium_path(), "--headless", "--remote-debugging-pipe",
                                      "--user-data-dir=" + tempfile.mkdtemp(prefix="nanosheet-cdp-"), *args,
                                      *extra_args, "about:blank"],
                                     preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, close_fds=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for reply in self._read():
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                    result: dict[str, Any] = reply.get("result", {})
                    return result
                self.events.append(reply)
        raise TimeoutError(method)

    def _read(self) -> list[dict[str, Any]]:
        while b"\0" not in self._buf:
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        *done, self._buf = self._buf.split(b"\0")
        return [json.loads(m) for m in done]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._w)
        os.close(self._r)


def pipe_page(cdp: PipeCDP, begin_frames: bool = False) -> str:
    target = cdp.send("Target.createTarget", {"url": "about:blank", "enableBeginFrameControl": begin_frames})
    session = cdp.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
    cdp.send("Page.enable", session=session)
    cdp.send("Emulation.setDeviceMetricsOverride", {"width": 794, "height": 1123, "deviceScaleFactor": 1,
                                                    "mobile": False}, session=session)
    return str(session)


def pipe_load(cdp: PipeCDP, session: str, html: Path, pump: Callable[[], None] | None = None) -> None:
    """Open ``html`` and wait until it has loaded and its fonts are ready (``pump`` issues frames meanwhile)."""
    cdp.send("Page.navigate", {"url": html.as_uri()}, session=session)
    deadline = time.monotonic() + 30
    while cdp.send("Runtime.evaluate", {"expression": "document.readyState"},
                   session=session)["result"].get("value") != "complete":
        if time.monotonic() > deadline:
            raise TimeoutError(f"{html.name} did not load")
        if pump is not None:
            pump()
        else:
            time.sleep(0.02)
    cdp.send("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => 1)", "awaitPromise": True},
             session=session)


def crop_png(png: bytes, size: tuple[int, int]) -> bytes:
    img = Image.open(io.BytesIO(png)).convert("RGB").crop((0, 0, *size))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


# ---------------------------------------------------------------------------------- the run


@dataclass
class Drawn:
    name: str
    page: Any
    ref: bytes
    html: Path
    timed: bool


def lane_cdp(pool: BrowserPool) -> Any:
    """The one lane's CDP session, driven synchronously (the pool's own ``Page.captureScreenshot`` channel)."""
    lane = pool._call(pool._first_lane, 60)
    return _Sync(lane.cdp, pool)


def browser_rows(rows: dict[str, Row], rounds: int, n_timed: int, tmp: Path, limit: int | None) -> list[Drawn]:
    drawn: list[Drawn] = []
    with BrowserPool(lanes=1) as pool:
        cdp = lane_cdp(pool)

        def shot(**override: Any) -> Callable[[], bytes]:
            def run() -> bytes:
                return base64.b64decode(cdp.send("Page.captureScreenshot", {**params, **override})["data"])
            return run

        def pool_png() -> bytes:
            png = pool.capture(sheet.fragment, page, title=sheet.title, formats=("png",), dpi=DPI).png
            assert png is not None
            return png

        for k, path in enumerate(sources()[:limit]):
            sheet = drawn_sheet(pool, path, tmp / path.stem)
            page = sheet.page
            pool.draw(sheet.fragment, page, title=sheet.title)  # mounted, stays mounted for the options
            params = png_params(page, DPI)
            shot()()  # the first capture after a draw is not what is compared
            ref_png = shot()()
            ref = pixels(ref_png)
            timed = rounds if k < n_timed else 0
            measure(rows["today (CDP png, optimizeForSpeed)"], shot(), ref, timed, path.name)
            measure(rows["speed=false"], shot(optimizeForSpeed=False), ref, timed, path.name)
            measure(rows["webp q100 → PNG l1"], lambda: pil_png_from(shot(format="webp", quality=100)()), ref,
                    timed, path.name)
            pdf_row = rows["(PDF alone, today's pdf())"]
            for _ in range(max(timed, 1)):
                cpu0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
                pdf: bytes = pool.page.pdf(**pdf_kwargs(page))
                if timed:
                    pdf_row.wall.append(time.perf_counter() - t0)
                    pdf_row.cpu.append(tree_cpu_s(os.getpid()) - cpu0)
                    pdf_row.size.append(len(pdf))
            size = (ref.shape[1], ref.shape[0])
            for name, make in mupdf_options(pdf, size).items():
                measure(rows[name], make, ref, timed, path.name)
            raster = rows["mupdf: raster only (no PNG)"]
            for _ in range(timed):
                cpu0, t0 = tree_cpu_s(os.getpid()), time.perf_counter()
                mupdf_pixmap(pdf, size, annots=False)
                raster.wall.append(time.perf_counter() - t0)
                raster.cpu.append(tree_cpu_s(os.getpid()) - cpu0)
            a, b = (mupdf_png(pdf, size) for _ in range(2))
            if a != b:
                rows["mupdf: raster +tobytes"].note = "NOT deterministic"
            # last: it mounts the sheet again (the mount and fit are outside its clock, as in the pipeline)
            measure(rows["today, through the pool (remount)"], pool_png, ref, timed, path.name)
            assert sheet.html is not None
            drawn.append(Drawn(path.name, page, ref_png, sheet.html, bool(timed)))
            print(f"  {path.name}: drawn and captured", file=sys.stderr, flush=True)
        parts = tree_breakdown_mb(os.getpid())
        print("  PSS after the Playwright options (MB): " + ", ".join(
            f"{k} {v:.0f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])[:6]), file=sys.stderr)
    return drawn


def pil_png_from(data: bytes) -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def rawcdp_rows(rows: dict[str, Row], drawn: list[Drawn], rounds: int, shell: bool = False) -> None:
    name = "rawcdp, headless shell" if shell else "rawcdp (pipe, no node), snapshot HTML"
    if shell and not Path(HEADLESS_SHELL).exists():
        rows[name].note = f"{HEADLESS_SHELL} not installed (Debian's chromium-headless-shell)"
        return
    cdp = PipeCDP([], HEADLESS_SHELL if shell else None)
    try:
        session = pipe_page(cdp)
        for d in drawn:
            pipe_load(cdp, session, d.html)
            params = png_params(d.page, DPI)

            def run(params: dict[str, Any] = params) -> bytes:
                return base64.b64decode(cdp.send("Page.captureScreenshot", params, session=session)["data"])

            run()
            measure(rows[name], run, pixels(d.ref), rounds if d.timed else 0, d.name)
        rows[name].note += f"PSS {sum(tree_breakdown_mb(cdp.proc.pid).values()):.0f} MB (no node driver)"
    finally:
        cdp.close()


def beginframe_rows(rows: dict[str, Row], drawn: list[Drawn], rounds: int) -> None:
    """beginFrame screenshots cover the viewport at the window's scale (``Emulation``'s scale is ignored):
    the browser runs at 300/96 = 3.125, so 794×1123 CSS px give 2481×3509, cropped to the page."""
    row = rows["beginframe screenshot (cropped, PIL l1)"]
    # beginFrame exists only in the old headless mode: Debian's chromium-headless-shell
    if not Path(HEADLESS_SHELL).exists():
        row.note = f"{HEADLESS_SHELL} not installed (Debian's chromium-headless-shell)"
        return
    cdp = PipeCDP(["--enable-begin-frame-control", "--run-all-compositor-stages-before-draw",
                   f"--force-device-scale-factor={DPI / 96}"], HEADLESS_SHELL)
    try:
        session = pipe_page(cdp, begin_frames=True)
        cdp.send("HeadlessExperimental.enable", session=session)
        cdp.send("Emulation.setDeviceMetricsOverride", {"width": 794, "height": 1123, "deviceScaleFactor": 0,
                                                        "mobile": False}, session=session)

        def pump() -> None:
            cdp.send("HeadlessExperimental.beginFrame", {"noDisplayUpdates": False}, session=session)

        for d in drawn:
            pipe_load(cdp, session, d.html, pump=pump)
            height, width = pixels(d.ref).shape[:2]

            def run(size: tuple[int, int] = (width, height)) -> bytes:
                for _ in range(100):
                    res = cdp.send("HeadlessExperimental.beginFrame",
                                   {"screenshot": {"format": "png", "optimizeForSpeed": True}}, session=session)
                    if res.get("screenshotData"):
                        return crop_png(base64.b64decode(res["screenshotData"]), size)
                raise RuntimeError("beginFrame gave no screenshot in 100 frames")

            run()
            measure(row, run, pixels(d.ref), rounds if d.timed else 0, d.name)
        row.note += f"PSS {sum(tree_breakdown_mb(cdp.proc.pid).values()):.0f} MB"
    except (RuntimeError, TimeoutError) as exc:
        row.note = f"failed: {str(exc)[:90]}"
    finally:
        cdp.close()


def main(argv: list[str]) -> None:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 2
    n_timed = int(argv[argv.index("--timed") + 1]) if "--timed" in argv else 4
    limit = int(argv[argv.index("--examples") + 1]) if "--examples" in argv else None
    names = ["today (CDP png, optimizeForSpeed)", "today, through the pool (remount)", "speed=false",
             "webp q100 → PNG l1",
             "(PDF alone, today's pdf())", "mupdf: raster +tobytes", "mupdf: +annots=False",
             "mupdf: +annots=False +PIL l1", "mupdf: raster only (no PNG)", "rawcdp (pipe, no node), snapshot HTML",
             "rawcdp, headless shell", "beginframe screenshot (cropped, PIL l1)"]
    rows = {n: Row() for n in names}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nanosheet-capture-") as name:
        drawn = browser_rows(rows, rounds, n_timed, Path(name), limit)
        for step in (rawcdp_rows, partial(rawcdp_rows, shell=True), beginframe_rows):
            try:
                step(rows, drawn, rounds)
            except (RuntimeError, TimeoutError, OSError) as exc:
                print(f"  {step}: {exc}", file=sys.stderr)
    print(f"{len(drawn)} examples diffed, {min(n_timed, len(drawn))} timed × {rounds}; load {load:.1f} → "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'option':42} {'wall s':>7} {'CPU s':>7} {'PNG MB':>7} {'tile max':>9} {'px max':>7} "
          f"{'differ %':>9}  note")
    out: dict[str, Any] = {}
    for n, r in rows.items():
        med = {k: statistics.median(v) if v else float("nan") for k, v in (("wall", r.wall), ("cpu", r.cpu))}
        size = statistics.median(r.size) / 1e6 if r.size else float("nan")
        differ = max(r.differ) * 100 if r.differ else float("nan")
        cells = (f"{r.tile_max:9.2f} {r.px_max:7d} {differ:9.3f}" if r.differ else f"{'–':>9} {'–':>7} {'–':>9}")
        worst = f" worst: {r.worst}" if r.tile_max > 0 else ""
        print(f"{n:42} {med['wall']:7.3f} {med['cpu']:7.3f} {size:7.2f} {cells}  {r.note}{worst}")
        out[n] = {"wall_s": round(med["wall"], 3), "cpu_s": round(med["cpu"], 3), "png_mb": round(size, 2),
                  "tile_max": round(r.tile_max, 2), "px_max": r.px_max, "differ_max_pct": round(differ, 3),
                  "note": r.note, "worst_example": r.worst}
    print(json.dumps({"bench": "capture_options", "load_before": round(load, 2), "options": out},
                     ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
