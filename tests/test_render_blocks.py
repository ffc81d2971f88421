"""Every block type drawn, fitting (shrink, grow, overflow), diagrams unclipped, hostile text inert."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from nanosheet.export import ExportResult, SheetBrowser, export_sheet
from render_sheets import all_blocks_sheet, hostile_sheet, huge_sheet


@pytest.fixture(scope="module")
def blocks(render_sheet: Any) -> ExportResult:
    result: ExportResult = render_sheet(all_blocks_sheet(), key="all-blocks")
    return result


def _panel(result: ExportResult, pid: str) -> dict[str, Any]:
    return next(p for p in result.report["panels"] if p["id"] == pid)


def test_every_block_type_shows_its_text(blocks: ExportResult) -> None:
    text = {p["id"]: p["text"] for p in blocks.report["panels"]}
    assert "소제목 Heading" in text["r1p0"] and "다음 토큰" in text["r1p0"]
    for item in ("체크된 항목", "틀린 접근", "중첩된 하위 항목", "두 번째 단계"):
        assert item in text["r1p0"]
    for piece in ("사전학습", "RLHF", "배포", "Temperature", "샘플링", 'return f"안녕, {name}"', "비유 다이어그램",
                  "도서관 사서 비유"):
        assert piece in text["r1p1"], piece
    assert "synthetic piece of brain tissue" in text["r1p2"] and "Andrej Karpathy" in text["r1p2"]
    assert "핵심 포인트" in text["r1p2"] and "매번 새로 계산한다" in text["r1p2"]
    for label in ("사용자 질문", "모델 직접 처리", "실패?", "Code Interpreter 사용", "정답", "예", "아니오"):
        assert label in text["r2p0"], label
    for cell in ("Standard CoT", "동적 (Dynamic)", "적음 (선별적)"):
        assert cell in text["r3p0"]
    for label in ("사전학습 Pretraining", "토큰화", "BPE 100K vocab", "SFT 미세조정", "RL 강화학습"):
        assert label in text["r3p1"], label
    for label in ("LLM", "Tokens", "텍스트 조각", "0:42", "Weights", "수십억 개"):
        assert label in text["r3p2"], label


def test_blocks_fit_legibly_with_no_clipped_labels(blocks: ExportResult) -> None:
    for p in blocks.report["panels"]:
        assert not p["overflow"], p["id"]
        assert p["font_pt"] >= 7, p["id"]
        assert p["clipped_labels"] == 0, p["id"]
    assert blocks.report["blocked_requests"] == 0
    html = blocks.paths["html"].read_text(encoding="utf-8")
    assert html.count('class="blk diagram flow drawn"') == 2  # both mermaid blocks drawn, not the fallback list
    assert "handDrawn" in html or "rough" in html


def test_huge_content_is_reported_not_cut(render_sheet: Any) -> None:
    result: ExportResult = render_sheet(huge_sheet(), key="huge")
    big, small = _panel(result, "r1p0"), _panel(result, "r1p1")
    assert big["overflow"] and result.overflow and big["body_pt"] == 7
    assert "0. 아주 긴 내용" in big["text"] and "399. 아주 긴 내용" not in big["text"]
    assert "399. 아주 긴 내용" in big["hidden_text"]  # what did not fit is listed, not silently cut
    assert any(w.code == "overflow" and "r1p0" in w.message for w in result.warnings)
    assert result.report["warnings"] and result.report["overflow"]
    assert not small["overflow"] and small["body_pt"] > 10  # short content grows above the 10 pt base


def test_hostile_text_is_shown_and_fetches_nothing(sheet_browser: SheetBrowser, tmp_path: Any,
                                                    hits_server: tuple[str, list[str]]) -> None:
    url, hits = hits_server
    before = len(sheet_browser.aborted)
    result = export_sheet(hostile_sheet(url), tmp_path, browser=sheet_browser)
    assert hits == [] and len(sheet_browser.aborted) == before and result.report["blocked_requests"] == 0
    text = "\n".join(p["text"] for p in result.report["panels"])
    assert f"<img src={url}/img>" in text and "<script>alert(1)</script>" in text
    assert f"<iframe src={url}/frame>" in text and "<b onmouseover=x>e</b>" in text
    html = result.paths["html"].read_text(encoding="utf-8")
    assert "<img" not in html and "<iframe" not in html and "<script" not in html
    assert "<a " not in html and "<b onmouseover" not in html  # shown as escaped text only


@pytest.fixture()
def hits_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_outside_requests_are_blocked_and_counted(sheet_browser: SheetBrowser,
                                                  hits_server: tuple[str, list[str]]) -> None:
    """The route really blocks: a fetch forced from the page is aborted, counted, and never arrives."""
    url, hits = hits_server
    before = len(sheet_browser.aborted)
    outcome = sheet_browser.page.evaluate("u => fetch(u).then(() => 'loaded', () => 'blocked')", url + "/probe")
    assert outcome == "blocked" and hits == []
    assert sheet_browser.aborted[before:] == [url + "/probe"]


def test_added_content_is_left_out_first_and_reported(sheet_browser: SheetBrowser, tmp_path: Any) -> None:
    sheet = huge_sheet()
    panel = sheet.rows[1].panels[0]
    panel.extra, panel.blocks = panel.blocks[1:], panel.blocks[:1]  # one wireframe line, 399 added lines
    result = export_sheet(sheet, tmp_path, browser=sheet_browser, formats=["png"])
    got = _panel(result, "r1p0")
    assert not got["overflow"] and got["body_pt"] >= 7
    assert got["text"].splitlines()[2].startswith("0. 아주 긴 내용")  # the wireframe's own line stays
    kept = sum(1 for line in got["text"].splitlines() if "아주 긴 내용" in line)
    assert 10 < kept < 400 and len(got["left_out"]) == 400 - kept
    assert got["left_out"][-1].startswith("399.")  # the tail goes first
    assert any(w.code == "left-out" and "r1p0" in w.message for w in result.warnings)
    assert result.report["left_out"][0].startswith("r1p0: ")
