"""`nanosheet render` in-process: files written, exit codes 0/1/2 with one-line reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.errors import InputError
from nanosheet.model import Sheet
from render_sheets import huge_sheet, seed_sheet

runner = CliRunner()


@pytest.fixture(autouse=True)
def _shared_browser(cli_uses_session_browser: None) -> None:
    """The CLI uses the session's browser: Playwright's sync API cannot start a second one in-process."""


def _feed(monkeypatch: pytest.MonkeyPatch, sheets: dict[str, Sheet]) -> None:
    """Replace ingest+compose with hand-built sheets keyed by input file name."""

    def load(path: Path, orientation: str | None, **_: object) -> Sheet:
        if path.name not in sheets:
            raise InputError("not a prompt", file=str(path), line=1, col=1, hint="expected a cheat-sheet prompt")
        sheet = sheets[path.name].model_copy(deep=True)
        if orientation:
            sheet.page.orientation = orientation  # type: ignore[assignment]
        return sheet

    monkeypatch.setattr("nanosheet.export.run.load_sheet", load)
    monkeypatch.setattr("nanosheet.export.run.load_prompt", lambda *_, **__: None)  # load() reads nothing


def test_render_writes_all_formats_and_strict_fails_on_overflow(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    _feed(monkeypatch, {"seed.md": seed_sheet(), "huge.md": huge_sheet()})
    out = tmp_path / "out"
    ok = runner.invoke(app, ["render", "seed.md", "huge.md", "-o", str(out), "--format", "png,pdf", "--dpi", "100"])
    assert ok.exit_code == 0, ok.output
    assert sorted(p.name for p in out.iterdir()) == ["huge.pdf", "huge.png", "huge.report.json", "seed.pdf",
                                                      "seed.png", "seed.report.json"]
    report = json.loads((out / "seed.report.json").read_text(encoding="utf-8"))
    assert report["page"]["png_px"] == [827, 1169] and report["outputs"] == {"png": "seed.png", "pdf": "seed.pdf"}
    assert "r1p0" in ok.output and "does not fit" in ok.output  # the overflow warning is shown

    strict = runner.invoke(app, ["render", "huge.md", "-o", str(out), "--format", "png", "--strict"])
    assert strict.exit_code == 1
    lines = [line for line in strict.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "r1p0" in lines[0]


def test_bad_input_and_bad_options_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _feed(monkeypatch, {"seed.md": seed_sheet()})
    bad = runner.invoke(app, ["render", "broken.md", "-o", str(tmp_path), "--format", "png"])
    assert bad.exit_code == 2 and "broken.md:1:1: not a prompt" in bad.output and "Traceback" not in bad.output
    fmt = runner.invoke(app, ["render", "seed.md", "-o", str(tmp_path), "--format", "png,gif"])
    assert fmt.exit_code == 2 and "unknown --format 'gif'" in fmt.output
    orient = runner.invoke(app, ["render", "seed.md", "-o", str(tmp_path), "--orientation", "sideways"])
    assert orient.exit_code == 2 and "sideways" in orient.output
    assert not list(tmp_path.iterdir())


def test_orientation_option_reaches_the_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _feed(monkeypatch, {"seed.md": seed_sheet()})
    done = runner.invoke(app, ["render", "seed.md", "-o", str(tmp_path), "--format", "png", "--dpi", "72",
                               "--orientation", "landscape"])
    assert done.exit_code == 0, done.output
    report = json.loads((tmp_path / "seed.report.json").read_text(encoding="utf-8"))
    assert report["page"]["orientation"] == "landscape" and report["page"]["png_px"] == [842, 595]
