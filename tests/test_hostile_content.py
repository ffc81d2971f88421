"""Untrusted notes: a prompt file full of script/link/image/url()/@import payloads renders as text — nothing runs,
nothing is fetched. A loopback HTTP server stands in for the outside world and records every request."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from fake_http import Recorder, start_recorder
from hostile_prompt import hostile_prompt
from nanosheet.export import SheetBrowser, export_sheet

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server() -> Iterator[Recorder]:
    srv = start_recorder()
    yield srv
    srv.shutdown()
    srv.server_close()


def _host(srv: Recorder) -> str:
    return f"127.0.0.1:{srv.server_address[1]}"


class _Tags(HTMLParser):
    """Every start tag with its attributes, to look for anything active."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _active_markup(html: str, host: str) -> list[str]:
    found = []
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag in ("script", "iframe", "object", "embed", "video", "audio", "base") or (
                tag == "meta" and any(name == "http-equiv" for name, _ in attrs)):
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if value and (host in value or "javascript:" in value.lower()) and name in ("src", "href", "style",
                                                                                      "data", "action"):
                found.append(f"{tag}[{name}={value[:40]}]")
    found += [f"@import/url() in <style>: {m[:60]}" for m in re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
              if host in m]
    return found


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "nanosheet", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def test_hostile_file_through_batch_and_render_fetches_and_runs_nothing(server: Recorder, tmp_path: Path) -> None:
    host = _host(server)
    src = tmp_path / "hostile-notes.md"
    src.write_text(hostile_prompt(host), encoding="utf-8")
    batch = _cli("batch", str(src), "-o", str(tmp_path / "b"))
    render = _cli("render", str(src), "-o", str(tmp_path / "r"), "--format", "png,pdf,html")
    assert batch.returncode == 0, batch.stderr
    assert render.returncode == 0, render.stderr
    assert "Traceback" not in batch.stderr + render.stderr
    assert server.hits == []
    for out in (tmp_path / "b", tmp_path / "r"):
        report = json.loads((out / "hostile-notes.report.json").read_text(encoding="utf-8"))
        assert report["blocked_requests"] == 0  # the page never even tried to load anything outside
        html = (out / "hostile-notes.html").read_text(encoding="utf-8")
        assert _active_markup(html, host) == []
        assert "&lt;script&gt;" in html  # shown as text, not dropped silently
        text = " ".join(p.extract_text() for p in PdfReader(out / "hostile-notes.pdf").pages)
        assert "<script>" in text or "script" in text
    gallery = (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert _active_markup(gallery, host) == [] and "<script" not in gallery.lower()


def test_hostile_sheet_leaves_no_trace_in_the_page(server: Recorder, sheet_browser: SheetBrowser,
                                                  tmp_path: Path) -> None:
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt

    host = _host(server)
    src = tmp_path / "hostile.md"
    src.write_text(hostile_prompt(host), encoding="utf-8")
    before = len(sheet_browser.aborted)
    result = export_sheet(compose_sheet(read_prompt(src)), tmp_path / "out", browser=sheet_browser,
                          formats=["png", "html"], dpi=40)
    page = sheet_browser.page
    state = page.evaluate("""() => ({pwned: typeof window.__pwned, title: document.title,
        scripts: document.querySelectorAll('#sheet script, #sheet iframe, #sheet object, #sheet embed').length,
        handlers: [...document.querySelectorAll('#sheet *')].filter(e => [...e.attributes]
            .some(a => a.name.startsWith('on'))).length,
        links: [...document.querySelectorAll('#sheet a[href], #sheet img[src], #sheet [style*="url("]')]
            .filter(e => /javascript:|127\\.0\\.0\\.1/.test(e.outerHTML)).length})""")
    assert state == {"pwned": "undefined", "title": state["title"], "scripts": 0, "handlers": 0, "links": 0}
    assert "PWNED" not in state["title"]
    assert sheet_browser.aborted[before:] == [] and result.report["blocked_requests"] == 0

    # The offline HTML, opened as a user would (scripts allowed), runs and fetches nothing either.
    assert page.context.browser is not None
    viewer = page.context.browser.new_context()
    try:
        tab = viewer.new_page()
        tab.goto(result.paths["html"].as_uri(), wait_until="load")
        tab.wait_for_timeout(200)
        assert tab.evaluate("() => typeof window.__pwned") == "undefined"
        assert "PWNED" not in tab.title()
    finally:
        viewer.close()
    assert server.hits == []
