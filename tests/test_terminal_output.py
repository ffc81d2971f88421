"""What reaches the terminal: Rich markup in file names printed as written, escape sequences never passed on."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from nanosheet.cli import app
from nanosheet.terminal import for_terminal, json_for_terminal, safe_text

runner = CliRunner()

# A title that would clear the screen, plant a hyperlink, write the clipboard and turn the text red.
HOSTILE_TITLE = "A \x1b[2J\x1b]8;;http://evil.test/\x07link\x1b]8;;\x1b\\ \x1b]52;c;aGk=\x07 \x9b31mred\r\x07\x7f"
HOSTILE = f"# {HOSTILE_TITLE}\n\n## [bold]x[/] q[/x] :100:\n\n본문 한 줄입니다.\n"
CONTROLS = ("\x1b", "\x07", "\x9b", "\r", "\x7f")


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(("text", "clean"), [
    ("\x1b[2Jgone", "gone"),
    ("\x1b[38;5;196mred\x1b[0m", "red"),
    ("\x1b]8;;http://x/\x07link\x1b]8;;\x07", "link"),
    ("\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\", "link"),
    ("a\x1b]52;c;aGk=\x07b", "ab"),
    ("\x9b31mred", "red"),
    ("\x9d0;title\x9c!", "!"),
    ("\x1bcreset", "reset"),
    ("\x1b(Bx", "x"),
    ("lone \x1b", "lone "),
    ("\x1b]unterminated", "unterminated"),
    ("bell\x07 back\x08 cr\r del\x7f nul\x00", "bell back cr del nul"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("한국어 🍌 ❤️ — [bold]", "한국어 🍌 ❤️ — [bold]"),
])
def test_for_terminal_strips_every_control(text: str, clean: str) -> None:
    assert for_terminal(text) == clean


def test_safe_text_escapes_markup_and_strips_controls() -> None:
    from rich.text import Text

    for raw in ("q[/x].md", "[bold]e.md", "a\\[b]", "[/]", "x[link=http://e/]y"):
        assert Text.from_markup(safe_text(raw)).plain == raw
    assert Text.from_markup(safe_text("\x1b[2J[red]x")).plain == "[red]x"


def test_json_for_terminal_escapes_c1_and_keeps_the_values() -> None:
    data = {"title": HOSTILE_TITLE, "n": [1, "é"]}
    text = json_for_terminal(data)
    assert json.loads(text) == data
    assert not any(c in text for c in CONTROLS)


# --------------------------------------------------------------------------- through the commands


def test_error_naming_a_path_with_closing_markup(tmp_path: Path) -> None:
    path = tmp_path / "q[" / "x].md"  # the '/tmp/q[/x].md': a MarkupError traceback before
    line = _one_error_line(runner.invoke(app, ["inspect", str(path)]))
    assert line == f"error: {path}: no such file"


def test_error_naming_a_path_with_a_style_tag(tmp_path: Path) -> None:
    path = tmp_path / "[bold]e.md"  # printed as ".../e.md" before
    line = _one_error_line(runner.invoke(app, ["inspect", str(path)]))
    assert line == f"error: {path}: no such file"


def test_error_text_is_stripped_of_escape_sequences(tmp_path: Path) -> None:
    path = tmp_path / "\x1b]52;c;aGk=\x07clip.md"
    line = _one_error_line(runner.invoke(app, ["repair", str(path)]))
    assert line == f"error: {tmp_path}/clip.md: no such file"


def test_inspect_prints_titles_without_their_escape_sequences(tmp_path: Path) -> None:
    short = Path(tempfile.mkdtemp(prefix="q", dir="/tmp"))  # the tree wraps at 80 columns: keep the path short
    path = short / "[bold]e.md"
    path.write_text(HOSTILE, encoding="utf-8")
    try:
        result = runner.invoke(app, ["inspect", str(path)])
    finally:
        shutil.rmtree(short)
    assert result.exit_code == 0, result.output
    assert not any(c in result.stdout for c in CONTROLS), repr(result.stdout)
    first = result.stdout.splitlines()[0]
    assert first.startswith("A link  red"), first
    assert str(path) in result.stdout  # the markup-looking name as written
    assert "[bold]x[/] q[/x] :100" in result.stdout  # markup and emoji codes as written


def test_inspect_json_keeps_the_title_and_escapes_its_controls(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text(HOSTILE, encoding="utf-8")
    result = runner.invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert not any(c in result.stdout for c in CONTROLS)
    assert json.loads(result.stdout)["title"].startswith("A \x1b[2J\x1b]8;;http://evil.test/\x07link")


def test_repair_summary_names_the_file_as_written(tmp_path: Path) -> None:
    path = tmp_path / "[red]r[x].md"
    path.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "fixed.md"
    result = runner.invoke(app, ["repair", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"{path}: no mojibake"), result.stderr
    assert out.read_text(encoding="utf-8") == HOSTILE.replace("\r", "\n")  # the file keeps its bytes


def test_prompt_messages_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "\x1b[2Jp.md"
    path.write_text(HOSTILE, encoding="utf-8")
    result = runner.invoke(app, ["prompt", str(path), "-o", str(tmp_path / "out.md")])
    assert result.exit_code == 0, result.output
    assert not any(c in result.stderr for c in CONTROLS), repr(result.stderr)
    assert f"{tmp_path}/p.md → " in result.stderr
