"""Broken and enormous prompts through the whole pipeline (ingest → compose → browser → files): each one renders
or fails with a NanosheetError (a one-line reason) — never a traceback — and a render is checked: the PNG is
the size the report states, every panel of the sheet is in the report or listed as left out, and the PDF has
one page or more. Timing is bench/fuzz_render.py's job."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from fuzz_render_cases import big_cases, mutated
from nanosheet.errors import NanosheetError
from nanosheet.export import SheetBrowser, export_sheet

BIG = big_cases()


def _render(data: bytes, tmp: Path, name: str, browser: SheetBrowser) -> str:
    """``rendered`` or ``rejected`` (a NanosheetError with a one-line reason); anything else fails."""
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt

    src = tmp / f"{name}.md"
    src.write_bytes(data)
    try:
        sheet = compose_sheet(read_prompt(src))
    except NanosheetError as exc:
        assert "\n" not in exc.describe() and exc.describe()
        return "rejected"
    # Low DPI keeps CI quick; the drawing and fitting in the page are the same at any DPI.
    result = export_sheet(sheet, tmp / "out", browser=browser, formats=["png", "pdf", "html"], dpi=48,
                          source=str(src))
    report = json.loads(result.paths["report"].read_text(encoding="utf-8"))
    assert report["stem"] == name
    with Image.open(result.paths["png"]) as png:
        assert list(png.size) == report["page"]["png_px"]
    reported = {p["id"] for p in report["panels"]}
    left_out = " ".join(report["left_out"])
    for row in sheet.rows:
        for panel in row.panels:
            assert panel.id in reported or panel.id in left_out or row.kind == "title", panel.id
    assert len(PdfReader(result.paths["pdf"]).pages) >= 1
    return "rendered"


@pytest.mark.parametrize("name", sorted(BIG))
def test_size_and_depth_extremes(name: str, sheet_browser: SheetBrowser, tmp_path: Path) -> None:
    assert _render(BIG[name], tmp_path, name, sheet_browser) in {"rendered", "rejected"}


@settings(max_examples=16, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(index=st.integers(0, 7), seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 4))
def test_mutated_examples(index: int, seed: int, rounds: int, sheet_browser: SheetBrowser,
                          tmp_path_factory: pytest.TempPathFactory) -> None:
    outcome = _render(mutated(index, seed, rounds), tmp_path_factory.mktemp("fuzz"), f"m{index}-{seed}",
                      sheet_browser)
    assert outcome in {"rendered", "rejected"}
