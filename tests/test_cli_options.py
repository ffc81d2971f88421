"""Option validation in the CLI: a bad value is one ``error:`` line naming the option and its range, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanosheet.cli import DPI_RANGE, _check_dpi, app
from nanosheet.errors import ConfigError

runner = CliRunner()
PROMPT = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts" / "fewshot-cheatsheet-prompt.md"


@pytest.mark.parametrize("command", ["render", "batch"])
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "0", "-300", "71.9", "1200.5", "5000"])
def test_a_bad_dpi_is_refused_before_any_work(command: str, value: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, [command, str(PROMPT), "-o", str(out), f"--dpi={value}"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --dpi "), result.stderr
    assert "out of range — use a number from 72 to 1200" in lines[0]
    assert not out.exists()  # refused before the browser started or the folder was made


@pytest.mark.parametrize("dpi", [DPI_RANGE[0], 96.0, 300.0, DPI_RANGE[1]])
def test_the_range_includes_its_ends(dpi: float) -> None:
    assert _check_dpi(dpi) is None  # no ConfigError at the ends of the range


def test_nan_is_named_in_the_message() -> None:
    with pytest.raises(ConfigError, match=r"^--dpi nan is out of range"):
        _check_dpi(float("nan"))
