"""The seed's layout rendered for real: geometry from the report and the PDF, PNG size/DPI, determinism."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from nanosheet.export import ExportResult, SheetBrowser, export_sheet
from nanosheet.model import Sheet, TextBlock
from nanosheet.render.geometry import content_box
from render_sheets import seed_sheet

MM_PER_PT = 25.4 / 72


@pytest.fixture(scope="module")
def seed(render_sheet: Any) -> ExportResult:
    result: ExportResult = render_sheet(seed_sheet(), key="seed-portrait")
    return result


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sheet_lines(sheet: Sheet) -> list[str]:
    return [b.text for row in sheet.rows for p in row.panels for b in p.blocks if isinstance(b, TextBlock)]


def test_rows_hold_their_ratio(seed: ExportResult) -> None:
    rows = seed.report["rows"]
    assert [r["ratio_spec"] for r in rows] == [10, 25, 40, 25]
    for r in rows:
        assert abs(r["ratio_rendered"] - r["ratio_spec"]) <= 1.0
    assert seed.report["page"]["width_mm"] == 210 and seed.report["page"]["orientation"] == "portrait"


def test_panels_sit_inside_their_row_band_without_overlap(seed: ExportResult) -> None:
    rows = {r["index"]: r for r in seed.report["rows"]}
    panels = seed.report["panels"]
    assert [p["id"] for p in panels] == ["r0p0", "r1p0", "r1p1", "r2p0", "r3p0", "r3p1", "r3p2"]
    for p in panels:
        x, y, w, h = p["box_mm"]
        band = rows[p["row"]]
        assert band["y_mm"] - 0.05 <= y and y + h <= band["y_mm"] + band["h_mm"] + 0.05
        assert x >= 0 and x + w <= 210 and w > 20 and h > 10
    for a in panels:
        for b in panels:
            if a is b:
                continue
            ax, ay, aw, ah = a["box_mm"]
            bx, by, bw, bh = b["box_mm"]
            overlap_x = min(ax + aw, bx + bw) - max(ax, bx)
            overlap_y = min(ay + ah, by + bh) - max(ay, by)
            assert overlap_x <= 0.01 or overlap_y <= 0.01, (a["id"], b["id"])


def test_every_line_is_drawn_legibly_and_nothing_overflows(seed: ExportResult) -> None:
    sheet = seed_sheet()
    panels = {p["id"]: p for p in seed.report["panels"]}
    assert not seed.report["overflow"] and not seed.warnings
    for row in sheet.rows[1:]:
        for panel in row.panels:
            got = panels[panel.id]
            assert panel.title in got["text"] and got["icon"] == panel.icon
            assert got["font_pt"] >= 7 and got["clipped_labels"] == 0
            for b in panel.blocks:
                if isinstance(b, TextBlock):
                    assert b.text in got["text"]
    mind = panels["r2p0"]["text"]
    for label in ("Future", "Multimodal", "Agents", "Computer Use", "Longer Context", "Test-Time Training", "Robotics"):
        assert label in mind
    # short content grows above the base size rather than leaving the panel half empty
    assert panels["r1p0"]["body_pt"] > 10


def test_png_is_a4_at_300_dpi(seed: ExportResult) -> None:
    with Image.open(seed.paths["png"]) as im:
        assert im.size == (2480, 3508)
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.05)
        assert im.mode in ("RGB", "RGBA")
    assert seed.report["page"]["png_px"] == [2480, 3508]


def test_pdf_is_one_a4_page_with_every_title_and_line(seed: ExportResult) -> None:
    reader = PdfReader(seed.paths["pdf"])
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) * MM_PER_PT == pytest.approx(210, abs=0.01)
    assert float(box.height) * MM_PER_PT == pytest.approx(297, abs=0.01)
    text = _squash(subprocess.run(["pdftotext", "-enc", "UTF-8", str(seed.paths["pdf"]), "-"],
                                  capture_output=True, text=True, check=True).stdout)
    sheet = seed_sheet()
    for row in sheet.rows[1:]:
        for panel in row.panels:
            assert _squash(panel.title) in text
    for line in _sheet_lines(sheet):
        assert _squash(line) in text, line
    assert "CreationDate" not in (reader.metadata or {}) or "20000101" in str(reader.metadata["/CreationDate"])
    fonts = subprocess.run(["pdffonts", str(seed.paths["pdf"])], capture_output=True, text=True, check=True).stdout
    assert "Gaegu" in fonts and all(" yes " in line for line in fonts.splitlines()[2:] if "Gaegu" in line)


def _pdf_words(pdf: Path) -> list[tuple[str, float, float]]:
    """(word, x_mm, y_mm of its centre) from ``pdftotext -bbox``."""
    html = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pat = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [(m[5], (float(m[1]) + float(m[3])) / 2 * MM_PER_PT, (float(m[2]) + float(m[4])) / 2 * MM_PER_PT)
            for m in pat.finditer(html)]


def test_pdf_text_falls_in_its_row_band(seed: ExportResult) -> None:
    words = _pdf_words(seed.paths["pdf"])
    rows = seed.report["rows"]
    expect = {"MULTIMODAL": 1, "AGENTS": 1, "CAPABILITIES": 2, "Robotics": 2, "RESEARCH": 3, "TAKEAWAYS": 3,
              "Operator": 3, "오디오": 1, "자율": 1, "컨텍스트": 3}
    for word, row_index in expect.items():
        hits = [(x, y) for w, x, y in words if w == word]
        assert hits, f"{word!r} not found in the PDF"
        band = rows[row_index]
        assert any(band["y_mm"] <= y <= band["y_mm"] + band["h_mm"] for _, y in hits), (word, hits, band)
    area = content_box(seed_sheet().page)
    assert all(area.x - 1 <= x <= area.x + area.w + 1 for _, x, _ in words)


def test_same_sheet_same_bytes(sheet_browser: SheetBrowser, seed: ExportResult, tmp_path: Path) -> None:
    again = export_sheet(seed_sheet(), tmp_path, browser=sheet_browser, formats=["png", "pdf", "html"])
    assert again.paths["png"].read_bytes() == seed.paths["png"].read_bytes()
    assert again.paths["pdf"].read_bytes() == seed.paths["pdf"].read_bytes()
    assert again.paths["html"].read_bytes() == seed.paths["html"].read_bytes()


def test_landscape_and_dpi(sheet_browser: SheetBrowser, tmp_path: Path) -> None:
    result = export_sheet(seed_sheet("landscape"), tmp_path, browser=sheet_browser, formats=["png"], dpi=150)
    with Image.open(io.BytesIO(result.paths["png"].read_bytes())) as im:
        assert im.size == (1754, 1240)
        assert im.info["dpi"] == pytest.approx((150, 150), abs=0.05)
    assert result.report["page"]["orientation"] == "landscape"
    assert all(abs(r["ratio_rendered"] - r["ratio_spec"]) <= 1 for r in result.report["rows"])
    assert not result.overflow and set(result.paths) == {"png", "report"}


def test_html_opens_offline(seed: ExportResult) -> None:
    html = seed.paths["html"].read_text(encoding="utf-8")
    assert "<script" not in html and "nanosheet.invalid" not in html
    out = seed.paths["html"].parent
    refs = re.findall(r'(?:href|src)="([^"#]+)"', html)
    assert refs and all((out / r).is_file() for r in refs if not r.startswith("data:"))
    css = (out / "assets/static/sheet.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\((\.\./[^)]+\.woff2)\)", css):
        assert (out / "assets/static" / font).resolve().is_file() or "700" in font
