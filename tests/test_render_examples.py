"""The whole pipeline on the real corpus: every example renders, keeps its ratios, does not overflow,
and the seed's footer QR opens the video at the chapter."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared"
INPUTS = sorted((SHARED / "examples" / "prompts").glob("*.md")) + sorted((SHARED / "seed").glob("*.txt"))
DEMO = Path(__file__).resolve().parents[1] / "examples" / "transformer-attention.md"


def _report(render_sheet: Callable[..., object], path: Path) -> dict[str, object]:
    result = render_sheet(compose_sheet(read_prompt(path)), key=path.stem)
    return result.report  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("path", [*INPUTS, DEMO], ids=lambda p: p.stem[:24])
def test_example_renders_with_its_ratios_and_without_overflow(render_sheet: Callable[..., object],
                                                                path: Path) -> None:
    report = _report(render_sheet, path)
    rows = report["rows"]
    assert isinstance(rows, list) and rows
    for row in rows:
        assert abs(row["ratio_rendered"] - row["ratio"]) <= 1.0, row
    overflowing = [p["id"] for p in report["panels"] if p["overflow"]]  # type: ignore[attr-defined]
    assert overflowing == [], f"{path.name}: {overflowing} overflow"
    assert all(p["font_pt"] >= 7.0 for p in report["panels"])  # type: ignore[attr-defined]
    assert all(not p.get("clipped_labels") for p in report["panels"])  # type: ignore[attr-defined]


def test_landscape_examples_render_landscape(render_sheet: Callable[..., object]) -> None:
    report = _report(render_sheet, SHARED / "examples" / "prompts" / "tokenization-spelling-cheatsheet-prompt.md")
    assert report["page"]["orientation"] == "landscape"  # type: ignore[index]
    assert report["page"]["png_px"] == [3508, 2480]  # type: ignore[index]


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is installed by make setup")
def test_seed_footer_qr_decodes_to_the_video_at_the_chapter(render_sheet: Callable[..., object]) -> None:
    seed = next((SHARED / "seed").glob("*.txt"))
    result = render_sheet(compose_sheet(read_prompt(seed)), key=seed.stem)
    png = result.paths["png"]  # type: ignore[attr-defined]
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=False)
    assert out.stdout.strip().splitlines() == ["https://www.youtube.com/watch?v=7xTGNNLPyMI&t=11400s"]


def test_seed_mind_map_notes_reach_the_page(render_sheet: Callable[..., object]) -> None:
    seed = next((SHARED / "seed").glob("*.txt"))
    report = _report(render_sheet, seed)
    band = next(p for p in report["panels"] if "FUTURE" in p["title"])  # type: ignore[attr-defined]
    text = band["text"]
    for label in ("Multimodal", "Agents", "Computer Use", "Longer Context", "Test-Time Training", "Robotics"):
        assert label in text
    assert "3:13:00" in text and "장시간 자율 작업" in text
    json.dumps(report)  # the report stays plain JSON


def _squash(text: str) -> str:
    return "".join(text.split())


def test_seed_pdf_holds_every_panel_title_and_wireframe_line(render_sheet: Callable[..., object]) -> None:
    seed = next((SHARED / "seed").glob("*.txt"))
    prompt = read_prompt(seed)
    result = render_sheet(compose_sheet(prompt), key=seed.stem)
    pdf = result.paths["pdf"]  # type: ignore[attr-defined]
    text = _squash(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    expected = ["이미지, 오디오, 비디오", "토큰화해서 통합 처리", "장시간 자율 작업", "Human-to-Agent Ratio",
                "키보드/마우스 제어", "Operator 예시", "Test-Time Train", "무한 컨텍스트 도전", "더 자율적인 AI",
                "멀티모달 통합"]
    for row in prompt.rows[1:]:
        for panel in row.panels:
            expected.append(panel.title)
            for block in panel.blocks:
                expected.extend(getattr(block, "text", "").splitlines())
    for line in filter(None, expected):
        assert _squash(line) in text, line
