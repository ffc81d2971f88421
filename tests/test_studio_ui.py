"""The studio in a real Chromium against its server on 127.0.0.1: typing, errors, drag, export, safety, clients.

The pages are opened in fresh contexts of the session's Chromium (Playwright's sync API allows one per
thread); the studio's own export browser runs in its worker thread, as it does when served for real.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Frame, Page, sync_playwright
from pypdf import PdfReader

from fake_http import Recorder, start_recorder
from hostile_prompt import hostile_prompt
from nanosheet.export.browser import CHROMIUM_ARGS, chromium_path
from nanosheet.studio.server import StudioThread
from studio_helpers import studio_prompt, table_ratios
from test_spares import _PROMPT as SPARES_PROMPT

WAIT_MS = 90_000
"""Generous: this machine is shared, and the first draw loads fonts and mermaid."""


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    srv = start_recorder()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory, recorder: Recorder) -> Iterator[StudioThread]:
    root = tmp_path_factory.mktemp("studio-ui")
    (root / "sheet.md").write_text(studio_prompt(), encoding="utf-8")
    (root / "drag.md").write_text(studio_prompt("DRAG ME"), encoding="utf-8")
    (root / "hostile.md").write_text(hostile_prompt(f"127.0.0.1:{recorder.server_address[1]}"), encoding="utf-8")
    (root / "flows.md").write_text(flow_prompt(), encoding="utf-8")
    (root / "spares.md").write_text(tight_spares_prompt(), encoding="utf-8")
    for name in "abcd":
        (root / f"client-{name}.md").write_text(studio_prompt(f"CLIENT {name.upper()} SHEET"), encoding="utf-8")
    with StudioThread(root) as st:
        yield st


@pytest.fixture(scope="module")
def ui_browser() -> Iterator[Browser]:
    """A Chromium driven synchronously, as a user's browser would open the studio (the studio draws with its own)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(ui_browser: Browser) -> Iterator[BrowserContext]:
    browser = ui_browser
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    yield ctx
    ctx.close()


def open_studio(ctx: BrowserContext, st: StudioThread, file: str) -> Page:
    page = ctx.new_page()
    page.goto(f"{st.url}#file={file}")
    page.wait_for_function(f"() => window.__studio && window.__studio.renders > 0 && "
                           f"window.__studio.state.path === {json.dumps(file)}", timeout=WAIT_MS)
    return page


def preview(page: Page) -> Frame:
    frame = page.frame(url=re.compile(r"/preview$"))
    assert frame is not None
    return frame


def sheet_text(page: Page) -> str:
    text: str = preview(page).evaluate("() => document.getElementById('sheet').innerText")
    return text


def put_cursor_after(page: Page, line_text: str) -> None:
    """Place the editor's cursor at the end of the first line that reads ``line_text``."""
    page.evaluate("""(want) => { const v = window.__studio.editor.view; const doc = v.state.doc;
        for (let n = 1; n <= doc.lines; n++) { const l = doc.line(n);
          if (l.text === want) { v.dispatch({selection: {anchor: l.to}}); v.focus(); return; } }
        throw new Error('no line ' + want); }""", line_text)


def editor_text(page: Page) -> str:
    text: str = page.evaluate("() => window.__studio.editor.text()")
    return text


def test_typing_changes_the_preview(context: BrowserContext, studio: StudioThread) -> None:
    page = open_studio(context, studio, "sheet.md")
    assert "alpha keeps the first idea" in sheet_text(page)
    assert "ZQXV" not in sheet_text(page)
    put_cursor_after(page, "- alpha keeps the first idea")
    page.keyboard.type(" ZQXV")
    preview(page).wait_for_function("() => document.getElementById('sheet').innerText.includes('ZQXV')",
                                    timeout=WAIT_MS)
    assert "alpha keeps the first idea ZQXV" in sheet_text(page)
    assert (studio.studio.workspace.root / "sheet.md").read_text(encoding="utf-8") == studio_prompt()  # not saved


def drawn(page: Page) -> None:
    page.wait_for_function("() => { const s = window.__studio.state; return !s.inflight && s.drawn === s.version; }",
                           timeout=WAIT_MS)


def flow_prompt() -> str:
    """The studio test sheet with a mermaid flow in each row of panels and a list item in each panel."""
    flow = "```mermaid\nflowchart LR\n  A[{0}] --> B[draft] --> C[ship]\n```\n\n"
    return (studio_prompt()
            .replace("## 2. 📗 Beta Notes\n\n", "## 2. 📗 Beta Notes\n\n" + flow.format("plan"))
            .replace("Gamma sums the sheet up in one sentence.\n",
                     "- gamma sums the sheet up\n\n" + flow.format("sum up")))


def edit_and_draw(page: Page, line: str, typed: str) -> dict[str, Any]:
    """Type at the end of source line ``line`` and wait for the preview; the draw's timings record."""
    before = page.evaluate("() => window.__studio.timings.length")
    put_cursor_after(page, line)
    page.keyboard.type(typed)
    drawn(page)
    timings: list[dict[str, Any]] = page.evaluate(f"() => window.__studio.timings.slice({before})")
    return timings[-1]


def same_as_full_mount(page: Page) -> list[dict[str, Any]]:
    """The preview's measured panels, asserted equal to a full mount of the same render result (returned)."""
    frame = preview(page)
    ids = frame.evaluate("() => [...document.querySelectorAll('#sheet [id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids))  # flows redrawn under the ids a full mount gives them, never twice
    (inc_panels, inc_flows), (full_panels, full_flows) = frame.evaluate("""async () => { const p = window.studioPreview;
        // Each flow's drawing: mermaid's hand-drawn strokes move its bounding box with the seed.
        const flows = () => [...document.querySelectorAll('#sheet .flow.drawn')].map((f) =>
          [f.querySelector(':scope > svg').id, f.dataset.vbW, f.dataset.vbH]);
        await p.settle();  // what typing's pause would do: units drawn with an older seed drawn again
        if (p.stale().length) throw new Error('not settled: ' + p.stale());
        const inc = [p.current().measured.panels, flows()];
        const out = await p.draw(p.current().res, { full: true });
        return [inc, [out.measured.panels, flows()]]; }""")
    assert inc_flows == full_flows  # every flow drawn with the sheet's seed, as a full mount draws it
    assert inc_panels == full_panels
    return list(full_panels)


def test_incremental_edits_draw_what_a_full_mount_draws(context: BrowserContext, studio: StudioThread) -> None:
    page = open_studio(context, studio, "flows.md")
    assert preview(page).locator("#sheet .flow.drawn").count() == 2
    # An edit redraws its own panel only. The content seed changes with every edit: the panels with flows
    # (beta, gamma) are drawn again with it once typing pauses.
    first = edit_and_draw(page, "- alpha keeps the second idea", " QZA")
    second = edit_and_draw(page, "- gamma sums the sheet up", " QZB")
    assert first["incremental"] == {"redrawn": 1, "units": 9}  # alpha: not the title, footer or beta
    assert second["incremental"] == {"redrawn": 1, "units": 9}
    panels = same_as_full_mount(page)
    text = "\n".join(p["text"] for p in panels)
    assert "alpha keeps the second idea QZA" in text and "gamma sums the sheet up QZB" in text
    # A fixed seed: an edit redraws its own panel only, its flow drawn as the sheet's second (mmd1a).
    page.fill("#seed", "4242")
    page.dispatch_event("#seed", "change")
    drawn(page)
    third = edit_and_draw(page, "- gamma sums the sheet up QZB", " QZC")
    assert third["incremental"] == {"redrawn": 1, "units": 9}
    assert preview(page).locator("#sheet .flow.drawn svg#mmd1a").count() == 1
    panels = same_as_full_mount(page)
    assert "gamma sums the sheet up QZB QZC" in "\n".join(p["text"] for p in panels)


def tight_spares_prompt() -> str:
    """test_spares' cache sheet with two more rows of panels: KEY POINTS is short, and spare notes fill it up."""
    rows = ("│ ┌────────────────┐ ┌───────────────┐ │\n"
            "│ │ 🧭 MISS PATH   │ │ 🧹 EVICTION   │ │\n"
            "│ │ 메모리에서 읽음│ │ LRU 교체      │ │\n"
            "│ └────────────────┘ └───────────────┘ │\n") * 2
    end = "└──────────────────────────────────────┘"
    return SPARES_PROMPT.replace(end, rows + end, 1)


def test_fitting_a_fitted_row_again_gives_what_the_first_fit_gave(context: BrowserContext,
                                                                   studio: StudioThread) -> None:
    # The preview refits every panel of a row holding an edited one: the panels beside it must come out as
    # they were, spare notes included (the first fit removes the spares it does not show).
    page = open_studio(context, studio, "spares.md")
    first, again = preview(page).evaluate("""() => { const ns = window.nanosheet;
        const sheet = document.getElementById('sheet');
        const state = () => { const origin = sheet.getBoundingClientRect();
          return [...sheet.querySelectorAll('.panel')].map((p) =>
            [ns.measurePanel(p, origin, new Map()), p.innerHTML]); };
        const first = state();
        sheet.querySelectorAll('.row').forEach((row) => ns.fitRow(row));
        return [first, state()]; }""")
    assert any(measured["spares"] and measured["fill"] >= 0.7 for measured, _ in first)  # spares fill a panel
    assert [m for m, _ in again] == [m for m, _ in first]
    assert [html for _, html in again] == [html for _, html in first]


def test_a_parse_error_is_marked_at_its_line_and_the_last_preview_stays(context: BrowserContext,
                                                                      studio: StudioThread) -> None:
    page = open_studio(context, studio, "sheet.md")
    good = sheet_text(page)
    text = editor_text(page)
    frame_line = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("┌"))
    page.evaluate("(t) => window.__studio.editor.replace(t)", text.replace("┐", "─"))
    page.wait_for_selector("#preview-error:not([hidden])", timeout=WAIT_MS)
    assert "no box starts" in page.inner_text("#preview-error")
    assert page.evaluate("() => window.__studio.editor.diagnosticLines('error')") == [frame_line]
    assert page.locator(".cm-lint-marker-error").count() >= 1
    assert sheet_text(page) == good  # the last good preview is kept
    page.evaluate("() => window.__studio.editor.view.focus()")
    page.keyboard.press("Control+z")  # the editor's own undo brings the good text back
    page.wait_for_selector("#preview-error", state="hidden", timeout=WAIT_MS)
    assert editor_text(page) == text


def test_dragging_a_row_border_rewrites_the_ratio_table_and_export_matches(context: BrowserContext,
                                                                           studio: StudioThread) -> None:
    page = open_studio(context, studio, "drag.md")
    original = editor_text(page)
    assert table_ratios(original) == [12, 44, 44]
    handle = preview(page).locator('.ns-row-handle[data-row="1"]')
    box = handle.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x, y + 6 * k)
    page.mouse.up()
    page.wait_for_function("(t) => window.__studio.editor.text() !== t", arg=original, timeout=WAIT_MS)
    after = table_ratios(editor_text(page))
    assert len(after) == 3 and abs(sum(after) - 100) < 0.05
    assert after[0] == 12 and after[1] > 47 and after[2] < 41
    page.wait_for_function("() => { const s = window.__studio.state; return !s.inflight && s.drawn === s.version; }",
                           timeout=WAIT_MS)

    page.click("#export-toggle")
    page.uncheck('input[name="fmt"][value="html"]')
    page.click("#export-go")
    page.wait_for_function("() => window.__studio.lastExport && window.__studio.lastExport.state !== 'running'",
                           timeout=WAIT_MS * 2)
    job: dict[str, Any] = page.evaluate("() => window.__studio.lastExport")
    assert job["state"] == "done", job
    files = job["sheets"][0]["files"]
    root = studio.studio.workspace.root
    report = json.loads((root / files["report"]).read_text(encoding="utf-8"))
    rendered = [r["ratio_rendered"] for r in report["rows"]]
    assert all(abs(a - b) <= 0.5 for a, b in zip(after, rendered, strict=True)), (after, rendered)
    with Image.open(root / files["png"]) as png:
        assert png.size == (2480, 3508)
    pdf = PdfReader(root / files["pdf"])
    assert len(pdf.pages) == 1
    w, h = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(w - 595.28) < 1 and abs(h - 841.89) < 1
    assert page.locator("#export-files button", has_text="PNG").count() == 1  # offered for download
    with page.expect_download() as dl:
        page.locator("#export-files button", has_text="PDF").click()
    assert dl.value.suggested_filename == "drag.pdf"


def test_hostile_content_stays_inert_and_fetches_nothing(context: BrowserContext, studio: StudioThread,
                                                         recorder: Recorder) -> None:
    page = open_studio(context, studio, "hostile.md")
    frame = preview(page)
    state = frame.evaluate("""() => ({pwned: typeof window.__pwned, title: document.title,
        active: document.querySelectorAll('#sheet script, #sheet iframe, #sheet object, #sheet embed').length,
        handlers: [...document.querySelectorAll('#sheet *')].filter(e => [...e.attributes]
            .some(a => a.name.startsWith('on'))).length})""")
    assert state["pwned"] == "undefined" and state["active"] == 0 and state["handlers"] == 0
    assert "<script>" in sheet_text(page)  # shown as text, not dropped
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    preview(page).hover("#sheet .panel")
    page.wait_for_function("() => document.querySelectorAll('#files img.thumb[src]').length >= 1", timeout=WAIT_MS)
    assert recorder.hits == []


def test_four_clients_editing_four_files_each_get_their_own_preview(ui_browser: Browser,
                                                                   studio: StudioThread) -> None:
    browser = ui_browser
    contexts = [browser.new_context(viewport={"width": 1280, "height": 860}) for _ in range(4)]
    try:
        pages = {name: open_studio(ctx, studio, f"client-{name}.md") for name, ctx in zip("abcd", contexts,
                                                                                          strict=True)}
        for name, page in pages.items():
            put_cursor_after(page, "- alpha keeps the first idea")
            page.keyboard.type(f" MARK{name.upper()}{name.upper()}")
        for name, page in pages.items():
            preview(page).wait_for_function(
                f"() => document.getElementById('sheet').innerText.includes('MARK{name.upper() * 2}')",
                timeout=WAIT_MS)
        for name, page in pages.items():
            text = sheet_text(page)
            assert f"CLIENT {name.upper()} SHEET" in text
            others = [o for o in "abcd" if o != name]
            assert not any(f"MARK{o.upper() * 2}" in text or f"CLIENT {o.upper()} SHEET" in text for o in others)
    finally:
        for ctx in contexts:
            ctx.close()


def test_an_external_edit_is_detected_and_offered_for_reload(context: BrowserContext, studio: StudioThread) -> None:
    page = open_studio(context, studio, "sheet.md")
    path = studio.studio.workspace.root / "sheet.md"
    changed = studio_prompt(alpha="alpha was edited by another program")
    path.write_text(changed, encoding="utf-8")
    page.wait_for_selector("#conflict", timeout=WAIT_MS)
    put_cursor_after(page, "- alpha keeps the first idea")
    page.keyboard.type(" mine")
    page.click("#save")  # a save now must not overwrite the other program's edit
    page.wait_for_timeout(300)
    assert path.read_text(encoding="utf-8") == changed
    page.click("#conflict >> text=Reload from disk")
    page.wait_for_function("(t) => window.__studio.editor.text() === t", arg=changed, timeout=WAIT_MS)
    preview(page).wait_for_function(
        "() => document.getElementById('sheet').innerText.includes('edited by another program')", timeout=WAIT_MS)
    path.write_text(studio_prompt(), encoding="utf-8")


def test_the_studio_looks_right(context: BrowserContext, studio: StudioThread, tmp_path: Path) -> None:
    page = open_studio(context, studio, "sheet.md")
    preview(page).hover('#sheet .panel[data-panel-id="r2p1"]')
    page.wait_for_selector(".cm-source-hl", timeout=WAIT_MS)  # hovering a panel highlights its source lines
    preview(page).click('#sheet .panel[data-panel-id="r2p1"]')
    line = page.evaluate("() => { const v = window.__studio.editor.view;"
                         " return v.state.doc.lineAt(v.state.selection.main.head).text; }")
    assert line == "## 1. 📘 Alpha Notes"  # clicking jumps to the panel's source
    page.screenshot(path=str(tmp_path / "studio.png"))
    assert (tmp_path / "studio.png").stat().st_size > 20_000
