"""The studio's server without a browser: layout write-back, the JSON API, and its security guard."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from nanosheet.studio.engine import parse_text
from nanosheet.studio.guard import loopback_host
from nanosheet.studio.layout_edit import set_layout
from nanosheet.studio.server import StudioThread
from studio_helpers import Client, studio_prompt, table_ratios

SHARED = Path(__file__).resolve().parents[2] / "shared"


# --------------------------------------------------------------------------- layout write-back


def test_dragged_ratios_and_widths_are_written_into_the_ratio_table_and_read_back() -> None:
    text = studio_prompt()
    new = set_layout(text, "sheet.md", ratios=[12, 30, 58], widths={1: [65, 35]})
    assert table_ratios(new) == [12, 30, 58]
    assert "너비 65:35" in new
    rows = parse_text(new, "sheet.md").sheet.rows
    assert [r.ratio for r in rows] == [12, 30, 58]
    assert rows[1].widths == [65, 35]
    # Only the table changed: every other line is as it was.
    old_lines, new_lines = text.split("\n"), new.split("\n")
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed and all(new_lines[i].startswith("|") for i in changed)


def test_a_prompt_without_a_wireframe_gets_a_layout_section_that_reparses_to_the_same_panels() -> None:
    path = SHARED / "examples/prompts/how-openai-uses-codex-cheatsheet-prompt.md"
    if not path.is_file():
        pytest.skip("shared examples not present")
    text = path.read_text(encoding="utf-8")
    before = parse_text(text, path.name).sheet
    assert before.auto_layout
    ratios = [r.ratio for r in before.rows]
    ratios[1], ratios[2] = ratios[1] + 8, ratios[2] - 8
    after = parse_text(set_layout(text, path.name, ratios=ratios), path.name).sheet
    assert not after.auto_layout
    assert [[p.title for p in r.panels] for r in after.rows] == [[p.title for p in r.panels] for r in before.rows]
    assert [round(r.ratio, 1) for r in after.rows] == [round(x, 1) for x in ratios]


def test_a_wrong_number_of_ratios_is_refused() -> None:
    from nanosheet.errors import InputError

    with pytest.raises(InputError, match="3 positive row ratios"):
        set_layout(studio_prompt(), "s.md", ratios=[50, 50])


@pytest.mark.parametrize(("host", "ok"), [("127.0.0.1:8765", True), ("localhost:1", True), ("[::1]:9", True),
                                          ("localhost", True), ("evil.example:8765", False),
                                          ("127.0.0.1.evil.example", False), ("", False), ("[::2]:80", False)])
def test_only_loopback_hosts_pass(host: str, ok: bool) -> None:
    assert loopback_host(host) is ok


# --------------------------------------------------------------------------- the server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[StudioThread, Client, Path]]:
    root = tmp_path / "notes"
    root.mkdir()
    (root / "sheet.md").write_text(studio_prompt(), encoding="utf-8")
    (tmp_path / "secret.md").write_text("outside the folder", encoding="utf-8")
    os.symlink(tmp_path / "secret.md", root / "link.md")
    with StudioThread(root) as st:
        yield st, Client(st.port, st.studio.token), root


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_page_carries_its_token_and_a_csp_allowing_only_its_own_import_map(
        served: tuple[StudioThread, Client, Path]) -> None:
    st, client, _ = served
    status, page = client.request("GET", "/")
    assert status == 200
    html = page.decode()
    assert st.studio.token in html and "@codemirror/view" in html
    status, shell = client.request("GET", "/preview")
    assert status == 200 and b"<script>" not in shell and b"/asset/static/sheet.js" in shell
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", st.port)
    conn.request("GET", "/preview")
    csp = conn.getresponse().getheader("content-security-policy") or ""
    conn.close()
    assert "script-src 'self';" in csp and "connect-src 'none'" in csp and "unsafe-inline'; img" in csp
    assert client.request("GET", "/vendor/mermaid/package.json")[0] == 404  # only the editor is served
    assert client.request("GET", "/vendor/@codemirror/view/dist/index.js")[0] == 200


@pytest.mark.parametrize("rel", ["../secret.md", "link.md", "/etc/passwd", "sub/../../secret.md", "%2e%2e/secret.md"])
def test_paths_outside_the_folder_are_refused_and_nothing_is_written(
        served: tuple[StudioThread, Client, Path], rel: str) -> None:
    _, client, root = served
    secret = root.parent / "secret.md"
    before = secret.read_text(encoding="utf-8")
    status, _ = client.request("GET", f"/api/file?path={rel}")
    assert status in (403, 404)
    assert client.request("GET", f"/api/file?path={rel}")[0] != 200
    status, _ = client.request("POST", "/api/save", {"path": rel, "text": "pwned", "base": None})
    assert status == 403
    assert secret.read_text(encoding="utf-8") == before
    assert not (root.parent / "pwned").exists()


def test_traversal_gets_403(served: tuple[StudioThread, Client, Path]) -> None:
    _, client, _ = served
    assert client.request("GET", "/api/file?path=../secret.md")[0] == 403
    assert client.request("GET", "/api/file?path=link.md")[0] == 403
    assert client.request("GET", "/api/download?path=../secret.md")[0] == 403


def test_foreign_host_missing_token_and_foreign_origin_get_403_and_write_nothing(
        served: tuple[StudioThread, Client, Path]) -> None:
    st, client, root = served
    target = root / "sheet.md"
    base = _sha(target)
    body = {"path": "sheet.md", "text": "overwritten", "base": base}
    assert client.request("GET", "/", host=f"evil.example:{st.port}")[0] == 403
    assert client.request("POST", "/api/save", body, host=f"evil.example:{st.port}",
                          origin=f"http://evil.example:{st.port}")[0] == 403
    assert client.request("POST", "/api/save", body, token=False)[0] == 403
    assert client.request("POST", "/api/save", body, token="wrong")[0] == 403
    assert client.request("GET", "/api/file?path=sheet.md", token=False)[0] == 403
    assert client.request("POST", "/api/save", body, origin="http://evil.example")[0] == 403
    assert client.request("POST", "/api/save", body, origin=False)[0] == 403
    assert client.request("POST", "/api/export", {"path": "sheet.md", "text": "x"}, token=False)[0] == 403
    assert _sha(target) == base
    assert sorted(p.name for p in root.iterdir()) == ["link.md", "sheet.md"]


def test_save_is_atomic_and_an_external_change_is_a_409_not_an_overwrite(
        served: tuple[StudioThread, Client, Path]) -> None:
    _, client, root = served
    target = root / "sheet.md"
    status, data = client.request("GET", "/api/file?path=sheet.md")
    assert status == 200 and data["text"] == target.read_text(encoding="utf-8")
    base = data["state"]["sha256"]
    status, saved = client.request("POST", "/api/save", {"path": "sheet.md", "text": "mine 1\n", "base": base})
    assert status == 200 and target.read_text(encoding="utf-8") == "mine 1\n"
    target.write_text("another program\n", encoding="utf-8")
    status, conflict = client.request("POST", "/api/save", {"path": "sheet.md", "text": "mine 2\n",
                                                            "base": saved["sha256"]})
    assert status == 409
    assert conflict["state"]["sha256"] == _sha(target)
    assert target.read_text(encoding="utf-8") == "another program\n"
    assert client.request("GET", "/api/state?path=sheet.md")[1]["sha256"] == _sha(target)
    assert not [p for p in root.iterdir() if ".tmp" in p.name]


def test_render_reports_a_parse_error_at_its_line(served: tuple[StudioThread, Client, Path]) -> None:
    _, client, _ = served
    text = studio_prompt()
    frame_line = next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith("┌"))
    status, good = client.request("POST", "/api/render", {"path": "sheet.md", "text": text})
    assert status == 200 and good["ok"] and 'data-panel-id="r2p1"' in good["fragment"]
    assert good["panels"]["r2p1"]["jump"] == text.split("\n").index("## 1. 📘 Alpha Notes") + 1
    status, bad = client.request("POST", "/api/render", {"path": "sheet.md", "text": text.replace("┐", "─")})
    assert status == 200 and not bad["ok"]
    assert bad["error"]["line"] == frame_line
    assert re.search("no box starts", bad["error"]["message"])


def test_a_text_drawn_before_is_answered_from_the_cache(served: tuple[StudioThread, Client, Path]) -> None:
    st, client, _ = served
    text = studio_prompt()
    body = {"path": "sheet.md", "text": text}
    first = client.request("POST", "/api/render", body)[1]
    other = client.request("POST", "/api/render", {**body, "text": studio_prompt(alpha="alpha says another thing")})[1]
    key = st.studio.previews.key("sheet.md", text, None, None)
    assert json.loads(json.dumps(st.studio.previews.get(key))) == first  # what a second ask is answered with
    assert client.request("POST", "/api/render", body)[1] == first
    assert other["fragment"] != first["fragment"] and "another thing" in other["fragment"]
    seeded = client.request("POST", "/api/render", {**body, "seed": 7})[1]
    assert seeded["seed"] == 7 and first["seed"] != 7  # the seed is part of the key


def test_the_export_browser_closes_when_idle_and_starts_again_on_demand() -> None:
    from nanosheet.studio.exports import BrowserWorker

    released: list[bool] = []
    worker = BrowserWorker(idle_s=0.5, on_idle=lambda: released.append(True))
    try:
        assert worker.submit(lambda browser: browser.startup_ms >= 0).result(timeout=120)
        assert worker.running and worker.started == 1
        assert worker.idle_closed.wait(timeout=60)
        assert not worker.running and released == [True]  # the studio lets go of its models then too
        assert worker.submit(lambda browser: browser.startup_ms >= 0).result(timeout=120)
        assert worker.started == 2
    finally:
        worker.close()
    assert not worker.running
