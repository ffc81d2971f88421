"""verify, done-when: our render of the seed read back with tesseract, and a real Nano Banana image.

Measured on this machine (tesseract 5, kor+eng, 300 dpi render, 8 readings per panel):
seed — every title found; Hangul CER 0 % in every panel (the kor+eng readings alone: r1p1 10 %, the 의
of "LLM의" read as "o", r3p1 1.9 %; the kor-only readings judge Hangul, see verify.match_string);
page CER 0.5 %.
activeprompt.jpg against its prompt — page mode; title, PROBLEM & SOLUTION and 5-STEP WORKFLOW found;
WHAT IS ACTIVE-PROMPT and ACTIVE vs STANDARD CoT garbled (table rows, "Definition 박스" missing);
KEY TAKEAWAYS found with "불확실성 측정으로 예시 선택" missing; Hangul CER ~43 %.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.ingest import read_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_56a30bed481ece40.txt"
ACTIVE_IMAGE = SHARED / "examples" / "look" / "activeprompt.jpg"
ACTIVE_PROMPT = SHARED / "examples" / "prompts" / "activeprompt-cheatsheet-prompt.md"
MAX_HANGUL_CER = 0.05


@pytest.fixture(scope="module")
def seed_png(render_sheet: Callable[..., Any]) -> Path:
    # The session's browser (conftest): Playwright's sync API allows one browser per process.
    from nanosheet.compose import compose_sheet

    result = render_sheet(compose_sheet(read_prompt(SEED)), key="verify-seed", formats=["png"])
    png: Path = result.paths["png"]
    return png


@pytest.fixture(scope="module")
def seed_verdict(seed_png: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["verify", str(seed_png), "--against", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_seed_render_every_panel_title_is_found(seed_verdict: dict[str, Any]) -> None:
    panels = {p["id"]: p for p in seed_verdict["panels"]}
    assert set(panels) == {"r1p1", "r2p1", "r2p2", "r3p1", "r4p1", "r4p2", "r4p3"}
    assert all(p["found"] for p in panels.values()), [p["title"] for p in panels.values() if not p["found"]]
    assert seed_verdict["cer"] <= 0.05


def test_seed_render_text_panels_read_back_within_5_percent(seed_verdict: dict[str, Any]) -> None:
    # The panels whose body is plain lines in the body font: list and text blocks.
    for panel in seed_verdict["panels"]:
        if panel["id"] in ("r2p1", "r2p2", "r4p1", "r4p2", "r4p3"):
            assert panel["cer_hangul"] is not None and panel["cer_hangul"] <= MAX_HANGUL_CER, panel


def test_seed_render_every_panel_hangul_cer_at_most_5_percent(seed_verdict: dict[str, Any]) -> None:
    for panel in seed_verdict["panels"]:
        assert panel["cer_hangul"] is None or panel["cer_hangul"] <= MAX_HANGUL_CER, panel


def test_verify_surfaces_a_bad_against_as_one_line(seed_png: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.md"
    blank.write_text(" \n", encoding="utf-8")
    for against in (tmp_path / "missing.md", blank):
        # A report sits beside the PNG, yet a broken --against is still an error, not ignored.
        result = CliRunner().invoke(app, ["verify", str(seed_png), "--against", str(against), "--json"])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("error: ") and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "nope.png"), "--against", str(SEED)])
    assert result.exit_code == 2 and "image not found" in result.output


def test_activeprompt_image_report_names_what_it_lacks() -> None:
    result = CliRunner().invoke(app, ["verify", str(ACTIVE_IMAGE), "--against", str(ACTIVE_PROMPT), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    wireframe = [p.title for row in read_prompt(ACTIVE_PROMPT).rows for p in row.panels]
    assert [p["title"] for p in data["panels"]] == wireframe
    for panel in data["panels"]:
        assert {"title", "found", "cer", "missing", "garbled", "status"} <= set(panel)
        assert 0.0 <= panel["cer"] <= 1.0
    flawed = [p for p in data["panels"] if p["status"] != "found" or p["missing"]]
    assert flawed, "a 1024-px painted sheet always loses some wireframe text"
    assert any(p["missing"] for p in flawed)
    assert any(p["found"] for p in data["panels"])  # and it does show most titles

    text = CliRunner().invoke(app, ["verify", str(ACTIVE_IMAGE), "--against", str(ACTIVE_PROMPT)])
    assert text.exit_code == 0
    assert "missing:" in text.stdout and flawed[0]["title"] in text.stdout
