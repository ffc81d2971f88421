"""The shared seed in, docs/images/studio.png out: a screenshot of the running studio (our own image).

Serves a temporary folder holding the seed (and the shared prompts, for the sidebar) with the studio,
opens it in Chromium at 1440×900, waits for the preview and the thumbnails, and writes the PNG.

Usage: python tools/studio_screenshot.py [OUT.png]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from nanosheet.export.browser import CHROMIUM_ARGS, chromium_path
from nanosheet.studio.server import StudioThread

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WAIT_MS = 300_000


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else ROOT / "docs" / "images" / "studio.png"
    seed = sorted((SHARED / "seed").glob("*.txt"))
    if not seed:
        sys.exit("error: no shared seed found next to the checkout")
    with tempfile.TemporaryDirectory(prefix="studio-shot-") as tmp:
        folder = Path(tmp)
        for src in [*seed, *sorted((SHARED / "examples" / "prompts").glob("*.md"))[:5]]:
            shutil.copy(src, folder / src.name)
        with StudioThread(folder) as st, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{st.url}#file={seed[0].name}")
            page.wait_for_function("() => window.__studio && window.__studio.renders > 0", timeout=WAIT_MS)
            page.wait_for_function("() => document.querySelectorAll('#files img.thumb[src], #files li.broken')"
                                   f".length >= {len(list(folder.iterdir()))}", timeout=WAIT_MS)
            page.evaluate("() => window.__studio.editor.jump(40)")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
