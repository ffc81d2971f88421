"""verify: OCR a sheet image back and judge each panel's text, on images drawn here with a Nanum font."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from typer.testing import CliRunner

from nanosheet.backends import ocr as ocr_module
from nanosheet.backends.verify import (
    Expected,
    expected_from_prompt,
    expected_from_report,
    match_string,
    normalise,
    verify_against,
    verify_image,
)
from nanosheet.cli import app
from nanosheet.model import Item, ListBlock, Panel, Prompt, Row, TextBlock

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
SHARED = Path(__file__).resolve().parents[2] / "shared"
PX_PER_MM = 150 / 25.4  # a 150 dpi page keeps the test quick; text is drawn at ~13 pt
PAGE_MM = (210.0, 100.0)
PANELS = [
    {"id": "r2p1", "title": "핵심 아이디어", "icon": "💡", "box_mm": [8.0, 8.0, 93.0, 84.0],
     "text": "불확실성 기반 예시 선택\nChain-of-Thought 예시\n사람이 주석을 단다"},
    {"id": "r2p2", "title": "작동 방식", "icon": "⚙️", "box_mm": [109.0, 8.0, 93.0, 84.0],
     "text": "질문마다 k개 답 생성\ndisagreement 계산\n가장 불확실한 질문 선택"},
]


def _garble(text: str) -> str:
    """Every fourth letter swapped for a different one: a quarter of the characters wrong."""
    out, n = [], 0
    for ch in text:
        if ch.isalpha():
            n += 1
            if n % 4 == 0:
                ch = "뷁" if "\uac00" <= ch <= "\ud7a3" else ("q" if ch != "q" else "z")
        out.append(ch)
    return "".join(out)


def _draw(path: Path, panels: list[dict[str, object]], *, garble: bool = False) -> Path:
    """Boxes with a title and lines, like a render: dark text on warm paper."""
    size = (round(PAGE_MM[0] * PX_PER_MM), round(PAGE_MM[1] * PX_PER_MM))
    image = Image.new("RGB", size, (252, 249, 240))
    draw = ImageDraw.Draw(image)
    title_font, body_font = ImageFont.truetype(str(FONT), 34), ImageFont.truetype(str(FONT), 28)
    for p in panels:
        x, y, w, h = (v * PX_PER_MM for v in p["box_mm"])  # type: ignore[attr-defined]
        draw.rectangle((x, y, x + w, y + h), outline=(40, 40, 40), width=3)
        lines = [str(p["title"]), *str(p["text"]).splitlines()]
        for i, line in enumerate(lines):
            text = _garble(line) if garble else line
            draw.text((x + 24, y + 24 + i * 58), text, font=title_font if i == 0 else body_font, fill=(25, 25, 25))
    image.save(path)
    return path


def _report(path: Path, panels: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"page": {"width_mm": PAGE_MM[0], "height_mm": PAGE_MM[1]}, "panels": panels},
                               ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("verify")
    _report(folder / "sheet.report.json", PANELS)
    return _draw(folder / "sheet.png", PANELS)


def test_panels_found_with_low_cer(sheet: Path) -> None:
    result = verify_against(sheet, None)  # the report beside the image is picked up
    assert result.mode == "panels"
    assert [p.id for p in result.panels] == ["r2p1", "r2p2"]
    for panel in result.panels:
        assert panel.found and panel.title_status == "found", panel
        assert panel.status == "found" and panel.missing == [] and panel.garbled == []
        assert panel.cer <= 0.05 and panel.cer_hangul is not None and panel.cer_hangul <= 0.05, panel
        assert len(panel.strings) == 4
    assert result.cer <= 0.05


def test_garbled_image_is_reported_garbled(tmp_path: Path) -> None:
    image = _draw(tmp_path / "bad.png", PANELS, garble=True)
    result = verify_against(image, None, report_path=_report(tmp_path / "elsewhere.json", PANELS))
    for panel in result.panels:
        assert panel.status == "garbled", panel
        assert panel.garbled, panel
        assert 0.15 < panel.cer <= 0.5, panel
    assert result.cer > 0.15


def test_page_mode_reports_what_a_foreign_image_lacks(sheet: Path) -> None:
    expected = [Expected("핵심 아이디어", ["불확실성 기반 예시 선택"]),
                Expected("작동 방식", ["disagreement 계산"]),
                Expected("KEY TAKEAWAYS", ["Human-in-the-loop 활용"])]
    result = verify_image(sheet, expected)  # no page size: whole-page search
    assert result.mode == "page"
    found = {p.title: p.found for p in result.panels}
    assert found == {"핵심 아이디어": True, "작동 방식": True, "KEY TAKEAWAYS": False}
    lacking = result.panels[2]
    assert lacking.status == "missing" and lacking.missing == ["KEY TAKEAWAYS", "Human-in-the-loop 활용"]


def test_cli_json_shape(sheet: Path) -> None:
    result = CliRunner().invoke(app, ["verify", str(sheet), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data["cer"], float)
    assert [p["title"] for p in data["panels"]] == ["핵심 아이디어", "작동 방식"]
    assert all(p["found"] is True and p["missing"] == [] and "cer" in p for p in data["panels"])


def test_cli_text_output_and_missing_language(sheet: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(app, ["verify", str(sheet)])
    assert result.exit_code == 0 and "found" in result.output and "핵심 아이디어" in result.output
    monkeypatch.setattr(ocr_module, "_installed_languages", lambda: frozenset({"eng", "osd"}))
    result = CliRunner().invoke(app, ["verify", str(sheet)])
    assert result.exit_code == 2
    assert "no language data for kor" in result.output and "tesseract-ocr-kor" in result.output


def test_bad_report_is_input_error(tmp_path: Path, sheet: Path) -> None:
    bad = tmp_path / "r.json"
    bad.write_text('{"panels": []}', encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(sheet), "--report", str(bad)])
    assert result.exit_code == 2 and "not a nanosheet render report" in result.output


def test_expected_from_report_and_prompt() -> None:
    page, panels = expected_from_report({"page": {"width_mm": 210, "height_mm": 297}, "panels": PANELS})
    assert page == (210.0, 297.0) and panels[1].lines[1] == "disagreement 계산"
    prompt = Prompt(path="p.md", title="Active-Prompt", rows=[
        Row(kind="title", ratio=20, panels=[Panel(id="r1p1", title="Active-Prompt")]),
        Row(kind="panels", ratio=80, panels=[
            Panel(id="r2p1", title="핵심", blocks=[ListBlock(items=[Item(text="동적 예시 선택")])]),
            Panel(id="r2p2", title="방식", blocks=[TextBlock(text="k개 답\n불일치 계산")])])])
    expected = expected_from_prompt(prompt)
    assert [(e.id, e.title, e.lines) for e in expected] == [
        ("r1p1", "Active-Prompt", []),
        ("r2p1", "핵심", ["동적 예시 선택"]),
        ("r2p2", "방식", ["k개 답", "불일치 계산"]),
    ]


@pytest.mark.parametrize(("expected", "hay", "status"), [
    ("불확실성 기반", "xx불확실성기반yy", "found"),
    ("불확실성 기반 예시 선택", "불확실성기반예시선텍", "found"),   # one slip in ten
    ("Chain-of-Thought", "chainofth0ughtzz", "found"),
    ("가장 불확실한 질문", "가장불뷁실한질뷁", "garbled"),
    ("KEY TAKEAWAYS", "nothing like it here", "missing"),
    # wrapped onto two lines, the node beside it read in between (psm 11 on a mind map)
    ("로봇공학 통합 등이 활발히 연구되고 있습니다.",
     "로봇공학통합등이활발히연구되고키보드마우스제어있습니다", "found"),
    # the same parts in the wrong order are not the string
    ("로봇공학 통합 등이 활발히 연구되고 있습니다.",
     "있습니다키보드마우스제어로봇공학통합등이활발히연구되고", "garbled"),
])
def test_match_string_table(expected: str, hay: str, status: str) -> None:
    result = match_string(expected, [normalise(hay)])
    assert result is not None and result.status == status, result


def test_real_nano_banana_image_structure() -> None:
    image = SHARED / "examples" / "look" / "activeprompt.jpg"
    expected = [Expected("WHAT IS ACTIVE-PROMPT", ["핵심: 동적 예시 선택"]),
                Expected("5-STEP WORKFLOW", ["Annotation", "Inference"])]
    result = verify_image(image, expected)
    assert result.mode == "page" and len(result.panels) == 2
    for panel in result.panels:
        assert panel.status in {"found", "garbled", "missing"} and 0.0 <= panel.cer <= 1.0
        assert len(panel.strings) == 1 + len(expected[result.panels.index(panel)].lines)


def test_real_image_against_its_prompt() -> None:
    pytest.importorskip("nanosheet.ingest.intake")  # runs once ingest's read_prompt is complete
    image = SHARED / "examples" / "look" / "activeprompt.jpg"
    prompt = SHARED / "examples" / "prompts" / "activeprompt-cheatsheet-prompt.md"
    result = CliRunner().invoke(app, ["verify", str(image), "--against", str(prompt), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["panels"]) >= 5 and all({"title", "found", "cer", "missing"} <= set(p) for p in data["panels"])
