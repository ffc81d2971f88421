"""The footer's QR code: only http(s) links of a printable length; anything else no QR and a warning (B7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.footer import QR_MAX_CHARS
from nanosheet.ingest import read_prompt
from nanosheet.model import Sheet
from nanosheet.render.html import render_fragment

ROOT = Path(__file__).resolve().parents[1]
LONG = "https://example.com/" + "a" * 4980  # 5000 characters: a segno DataOverflowError traceback before


def _chapter(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "chapter.md"
    path.write_text(f'---\ntitle: "QR 시험"\nsource_url: "{url}"\n---\n\n# QR 시험\n\n## 개요\n\n본문 한 줄입니다.\n\n'
                    "## 핵심\n\n- 하나\n- 둘\n\n## 정리\n\n끝.\n", encoding="utf-8")
    return path


def _sheet(tmp_path: Path, url: str) -> Sheet:
    return compose_sheet(read_prompt(_chapter(tmp_path, url)))


def _qr_warnings(sheet: Sheet) -> list[str]:
    return [w.message for w in sheet.warnings if w.code == "qr-skipped"]


@pytest.mark.parametrize("url", ["https://www.promptingguide.ai/techniques/fewshot", "http://example.com/a?b=c",
                                 "HTTPS://EXAMPLE.COM/", "https://example.com/" + "a" * (QR_MAX_CHARS - 20)])
def test_an_http_link_gets_a_qr_code(tmp_path: Path, url: str) -> None:
    sheet = _sheet(tmp_path, url)
    assert sheet.footer.qr_url == url
    assert _qr_warnings(sheet) == []
    assert 'class="foot-qr"><svg' in render_fragment(sheet)


@pytest.mark.parametrize(("url", "why"), [
    (LONG, "is 5000 characters (at most 1000"),
    ("https://example.com/" + "a" * (QR_MAX_CHARS - 19), "is 1001 characters"),
    ("javascript:alert(document.cookie)", "is a javascript: link, not an http(s) one"),
    ("JavaScript:alert(1)", "is a javascript: link"),
    ("file:///etc/passwd", "is a file: link"),
    ("data:text/html,<script>alert(1)</script>", "is a data: link"),
    ("www.example.com/page", "is a link without http(s)://"),
    ("https:///no-host", "is not a well-formed http(s) link"),
    ("https://exa mple.com/", "is not a well-formed http(s) link"),
    ("http://[::1", "is not a valid URL"),
])
def test_any_other_link_gets_no_qr_and_a_warning(tmp_path: Path, url: str, why: str) -> None:
    sheet = _sheet(tmp_path, url)
    assert sheet.footer.qr_url is None
    assert sheet.footer.source_url == url  # the link is still printed as text
    [message] = _qr_warnings(sheet)
    assert why in message and message.endswith("no QR code drawn")
    assert "foot-qr" not in render_fragment(sheet)


def test_a_youtube_link_that_grows_past_the_limit_with_its_timestamp(tmp_path: Path) -> None:
    url = "https://www.youtube.com/watch?v=abc&x=" + "a" * (QR_MAX_CHARS - 40)
    path = _chapter(tmp_path, url)
    path.write_text(path.read_text(encoding="utf-8") + "\n[3:10:00] 이 부분\n", encoding="utf-8")
    sheet = compose_sheet(read_prompt(path))
    assert sheet.footer.qr_url is None and _qr_warnings(sheet)


def test_the_renderer_survives_a_sheet_built_without_compose(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "https://example.com/")
    sheet.footer.qr_url = LONG  # e.g. a sheet edited by hand: no traceback, just no QR
    html = render_fragment(sheet)
    assert "foot-qr" not in html and "QR 시험" in html


def test_render_with_a_5000_character_link_writes_the_sheet_and_warns(tmp_path: Path) -> None:
    src = _chapter(tmp_path, LONG)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "300"}
    result = subprocess.run([sys.executable, "-m", "nanosheet", "render", str(src), "-o", str(out), "--format",
                             "html"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "source_url is 5000 characters" in result.stderr and "no QR code drawn" in result.stderr
    html = (out / "chapter.html").read_text(encoding="utf-8")
    assert "foot-qr" not in html
