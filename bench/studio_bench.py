"""Print the studio's edit-to-preview latency and its memory; the last line is one JSON object.

latency  50 scripted edits (one keystroke each) spread over the seed (/work/shared/seed/*.txt) and the
         shared prompts, each typed into the studio's editor in a real Chromium; measured in the page,
         from the keystroke event to the preview drawn (render's sheet.js done in the iframe), one edit
         at a time. Targets: p50 <= 150 ms, p95 <= 300 ms.
memory   PSS of the studio process tree (``nanosheet studio`` as a subprocess: Python, Playwright's
         driver and the export Chromium) right after the sidebar thumbnails (browser warm), idle once the
         export browser has closed itself, and the peak while it exports one sheet as PNG 300 DPI + PDF + HTML
         (the browser started again).

Usage: ``python bench/studio_bench.py [--edits 50]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from pss import PeakSampler, tree, tree_pss_mb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHROMIUM = os.environ.get("NANOSHEET_CHROMIUM", "/usr/bin/chromium")
WAIT_MS = 120_000
IDLE_S = 5
"""The studio closes its export browser after this many idle seconds (60 by default; shorter here)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_studio(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NANOSHEET_STUDIO_BROWSER_IDLE_S": str(IDLE_S)}
    proc = subprocess.Popen([sys.executable, "-m", "nanosheet", "studio", str(folder), "--port", str(port),
                             "--no-open"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the studio did not start")


def edit_line(page: Page) -> None:
    """Put the cursor at the end of a list item the sheet shows (its last words are in the preview's text),
    from the middle of the file on; else at the end of the text. An edit the sheet does not show (the
    wireframe's notes, the role) would be drawn by nothing."""
    page.evaluate("""() => { const v = window.__studio.editor.view; const doc = v.state.doc;
        const shown = document.getElementById('preview').contentDocument.getElementById('sheet').textContent
          .replace(/\\s+/g, ' ');
        let at = doc.length;
        const order = [];
        for (let n = Math.floor(doc.lines / 2); n <= doc.lines; n++) order.push(n);
        for (let n = 1; n < Math.floor(doc.lines / 2); n++) order.push(n);
        for (const n of order) {
          const l = doc.line(n);
          if (!/^\\s*[-*] \\S/.test(l.text) || l.text.length >= 160) continue;
          const tail = l.text.replace(/[*`_~\\[\\]()]/g, '').replace(/\\s+/g, ' ').trim().slice(-12);
          if (tail.length >= 6 && shown.includes(tail)) { at = l.to; break; } }
        v.dispatch({selection: {anchor: at}}); v.focus(); }""")


def measure_edits(page: Page, url: str, files: list[str], edits: int, timings: list[dict[str, Any]],
                  settles: list[float]) -> list[float]:
    out: list[float] = []
    per_file = [edits // len(files) + (1 if i < edits % len(files) else 0) for i in range(len(files))]
    for name, count in zip(files, per_file, strict=True):
        if not count:
            continue
        page.goto(f"{url}#file={name}")
        page.reload()
        page.wait_for_function(f"() => window.__studio && window.__studio.renders > 0 && "
                               f"window.__studio.state.path === {json.dumps(name)}", timeout=WAIT_MS)
        edit_line(page)
        for k in range(count):
            before = page.evaluate("() => window.__studio.latencies.length")
            page.keyboard.type("xyz"[k % 3])
            page.wait_for_function(f"() => window.__studio.latencies.length > {before} && "
                                   "!window.__studio.state.inflight", timeout=WAIT_MS)
            out.extend(page.evaluate(f"() => window.__studio.latencies.slice({before})"))
        page.wait_for_function("() => document.getElementById('preview').contentWindow.studioPreview.stale()"
                               ".length === 0", timeout=WAIT_MS)  # typing paused: seed-only units redrawn
        mine = page.evaluate("() => window.__studio.timings.slice(1)")  # the first is the file's opening
        timings.extend({**t, "file": name} for t in mine)
        settles.extend(page.evaluate("() => window.__studio.settles"))
    return out


def wait_thumbnails(page: Page, count: int) -> None:
    page.wait_for_function(f"() => document.querySelectorAll('#files img.thumb[src], #files li.broken').length >= "
                           f"{count}", timeout=WAIT_MS * 3)


def wait_browser_closed(pid: int) -> float:
    """The studio's PSS once its idle export browser has closed (only Python left in its tree)."""
    for _ in range(IDLE_S * 20 + 600):
        if not tree(pid)[1:]:
            break
        time.sleep(0.1)
    return tree_pss_mb(pid)


def export_peak(page: Page, pid: int) -> tuple[float, float]:
    with PeakSampler(pid) as sampler:
        t0 = time.perf_counter()
        page.evaluate("() => { window.__studio.lastExport = null; }")
        page.click("#export-toggle")
        page.click("#export-go")
        page.wait_for_function("() => window.__studio.lastExport && window.__studio.lastExport.state !== 'running'",
                               timeout=WAIT_MS * 2)
        seconds = time.perf_counter() - t0
    return sampler.peak_mb, seconds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def breakdown(timings: list[dict[str, Any]]) -> dict[str, float]:
    """Median ms of each step of a draw: the server's answer, then the page's own steps (sheet.js timings)."""
    if not timings:
        return {}
    keys = ["server_ms", "draw_ms"] + sorted({k for t in timings for k in (t.get("page") or {})})
    def value(t: dict[str, Any], k: str) -> float:
        return float(t[k] if k in t else (t.get("page") or {}).get(k, 0.0))
    return {k: statistics.median(value(t, k) for t in timings) for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edits", type=int, default=50)
    args = ap.parse_args()
    sources = sorted((SHARED / "seed").glob("*.txt")) + sorted((SHARED / "examples" / "prompts").glob("*.md"))
    if not sources:
        raise SystemExit("no shared seed or prompts found next to the checkout")
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        folder = Path(tmp)
        for src in sources:
            shutil.copy(src, folder / src.name)
        proc, url = start_studio(folder)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{url}#file={sources[0].name}")
                wait_thumbnails(page, len(sources))
                warm = tree_pss_mb(proc.pid)
                idle = wait_browser_closed(proc.pid)
                timings: list[dict[str, Any]] = []
                settles: list[float] = []
                latencies = measure_edits(page, url, [s.name for s in sources], args.edits, timings, settles)
                peak, export_s = export_peak(page, proc.pid)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    p50, p95 = statistics.median(latencies), percentile(latencies, 95)
    print(f"edits       {len(latencies)} over {len(sources)} files (seed + shared prompts)")
    print(f"latency     p50 {p50:.0f} ms   p95 {p95:.0f} ms   max {max(latencies):.0f} ms   "
          f"(targets 150 / 300 ms)")
    steps = "   ".join(f"{k} {v:.0f}" for k, v in breakdown(timings).items())
    partial = sum(1 for t in timings if t.get("incremental"))
    print(f"where       {steps}   (median ms per draw; {partial}/{len(timings)} draws redrew only changed rows)")
    slow = sorted(timings, key=lambda t: -(t["server_ms"] + t["draw_ms"]))[:4]
    print("slowest     " + "; ".join(f"{t['file'][:24]} server {t['server_ms']:.0f} + draw {t['draw_ms']:.0f} ms "
                                     f"({(t.get('incremental') or {}).get('redrawn', 'all')} redrawn)" for t in slow))
    settle = statistics.median(settles) if settles else 0.0
    print(f"settle      {len(settles)} redraws of seed-only units after typing paused, median {settle:.0f} ms "
          "(not in the latency: the edit was drawn before)")
    print(f"memory      idle {idle:.0f} MB (export browser closed after {IDLE_S} s idle; {warm:.0f} MB while warm)   "
          f"exporting peak {peak:.0f} MB   (Python + export browser, PSS)")
    print(f"export      one sheet PNG 300 DPI + PDF + HTML in {export_s:.1f} s (warm browser)")
    print(json.dumps({"studio_edits": len(latencies), "studio_latency_p50_ms": round(p50, 1),
                      "studio_latency_p95_ms": round(p95, 1), "studio_latency_max_ms": round(max(latencies), 1),
                      "studio_settles": len(settles), "studio_settle_p50_ms": round(settle, 1),
                      "studio_idle_mb": round(idle, 1),
                      "studio_idle_warm_mb": round(warm, 1), "studio_export_peak_mb": round(peak, 1),
                      "studio_export_s": round(export_s, 2)}))


if __name__ == "__main__":
    main()
