"""One pipeline: `render` and `batch` give the same bytes for the same input; the report keeps every key;
reports are validated where they are read back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.export.report import load_report
from nanosheet.model import Report

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"
V1_REPORT = Path(__file__).parent / "fixtures" / "report-v1-art.json"
"""A report.json written by the code before the one pipeline (art-cheatsheet-prompt, main at 87b0d90)."""
runner = CliRunner()


def key_paths(data: Any, prefix: str = "") -> set[str]:
    """Every key path in a JSON value (``panels[].box_mm``); list items pooled under ``[]``."""
    out: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            out.add(prefix + key)
            out |= key_paths(value, f"{prefix}{key}.")
    elif isinstance(data, list):
        for item in data:
            out |= key_paths(item, prefix.rstrip(".") + "[].")
    return out


def _inputs(tmp: Path) -> Path:
    src = tmp / "in"
    src.mkdir()
    names = ["art-cheatsheet-prompt.md", "fewshot-cheatsheet-prompt.md", "how-openai-uses-codex-cheatsheet-prompt.md"]
    for name in names:
        shutil.copyfile(PROMPTS / name, src / name)
    return src


def _without_timings(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "timings_ms"}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The same three inputs drawn by `render` (its own browser, one lane) and by `batch` (two lanes)."""
    tmp = tmp_path_factory.mktemp("pipeline")
    src = _inputs(tmp)
    files = sorted(str(p) for p in src.iterdir())
    rendered = runner.invoke(app, ["render", *files, "-o", str(tmp / "r"), "--dpi", "72"])
    assert rendered.exit_code == 0, rendered.output
    batched = runner.invoke(app, ["batch", str(src), "-o", str(tmp / "b"), "--dpi", "72", "--jobs", "2"])
    assert batched.exit_code == 0, batched.output
    return src, tmp / "r", tmp / "b"


def test_render_and_batch_give_the_same_bytes(drawn: tuple[Path, Path, Path]) -> None:
    src, r, b = drawn
    for path in sorted(src.iterdir()):
        for ext in ("png", "pdf", "html"):
            ours, theirs = (r / f"{path.stem}.{ext}").read_bytes(), (b / f"{path.stem}.{ext}").read_bytes()
            assert ours == theirs, f"{path.stem}.{ext} differs between render and batch"
        reports = [json.loads((d / f"{path.stem}.report.json").read_text(encoding="utf-8")) for d in (r, b)]
        assert _without_timings(reports[0]) == _without_timings(reports[1])


def test_report_keeps_every_key_of_the_old_report(drawn: tuple[Path, Path, Path]) -> None:
    _, r, _ = drawn
    old = json.loads(V1_REPORT.read_text(encoding="utf-8"))
    new = json.loads((r / "art-cheatsheet-prompt.report.json").read_text(encoding="utf-8"))
    missing = key_paths(old) - key_paths(new)
    assert not missing, f"keys dropped from report.json: {sorted(missing)}"
    assert len(key_paths(old)) > 40  # the fixture really is a full report
    assert isinstance(load_report(V1_REPORT), Report)  # and old reports still read back


def test_a_damaged_report_is_one_clear_error(tmp_path: Path) -> None:
    data = json.loads(V1_REPORT.read_text(encoding="utf-8"))
    data["page"]["width_mm"] = 0
    bad = tmp_path / "zero.report.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(Exception, match=r"page\.width_mm: Input should be greater than 0"):
        load_report(bad)
    image = tmp_path / "zero.png"
    from PIL import Image

    Image.new("RGB", (60, 80), "white").save(image)
    result = runner.invoke(app, ["verify", str(image), "--report", str(bad)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("error: ") and str(bad) in lines[0] and "page.width_mm" in lines[0]
    assert "Traceback" not in result.output and "ZeroDivision" not in result.output
