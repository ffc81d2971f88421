"""A backend that accepts and never answers: ``render --llm`` and ``generate`` give up in ``--timeout`` seconds
(30 by default) with one error line that names a flag the command has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from fake_http import SilentServer
from nanosheet.backends.llm import OpenAIChat, make_chat
from nanosheet.cli import app

runner = CliRunner()


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A small clean chapter: reading the (mojibake) seed would cost more than the timeout under test."""
    path = tmp_path / "notes.md"
    path.write_text("# 시간 제한\n\n## 개요\n\n본문 한 줄입니다.\n\n## 핵심\n\n- 하나\n- 둘\n\n## 정리\n\n끝.\n",
                    encoding="utf-8")
    return path


def _error_line(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip().startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_render_llm_against_a_silent_server_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      notes: Path, cli_uses_session_browser: None) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = tmp_path / "out"
    with SilentServer() as server:
        # --no-plan: the model fills panels (an error); planning with it falls back instead (test below)
        result = runner.invoke(app, ["render", str(notes), "-o", str(out), "--format", "html", "--no-plan",
                                     "--llm", "openai:fake", "--base-url", server.url + "/v1", "--timeout", "0.5"])
    line = _error_line(result, 1)
    assert f"{notes}: chat with fake timed out after 0.5 s" in line
    assert "--timeout SECONDS" in line
    assert not list(out.glob("*.html")) and not list(out.glob("*.report.json"))
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.json"))


def test_planning_with_a_silent_model_falls_back_to_the_offline_plan(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes: Path, cli_uses_session_browser: None) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    with SilentServer() as server:
        result = runner.invoke(app, ["render", str(notes), "-o", str(out), "--format", "html", "--llm",
                                     "openai:fake", "--base-url", server.url + "/v1", "--timeout", "0.5"])
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if "was not used" in line)
    assert "timed out after 0.5 s" in warning and "--timeout SECONDS" in warning
    assert (out / "notes.html").is_file()


def test_generate_against_a_silent_server_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    notes: Path) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    out = tmp_path / "g"
    with SilentServer() as server:
        result = runner.invoke(app, ["generate", str(notes), "-o", str(out), "--base-url", server.url,
                                     "--timeout", "0.5", "--retries", "0"])
    line = _error_line(result, 1)
    assert "image generation with gemini-3-pro-image-preview timed out after 0.5 s" in line
    assert "raise --timeout SECONDS" in line
    assert not out.exists() or not any(out.iterdir())


def _commands() -> dict[str, Any]:
    commands: dict[str, Any] = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    return commands


def test_every_command_that_talks_to_a_model_has_a_short_default_timeout() -> None:
    talking = {name: cmd for name, cmd in _commands().items()
               if any(opt in ("--llm", "--base-url") for p in cmd.params for opt in p.opts)}
    assert {"render", "generate"} <= set(talking)
    for name, cmd in talking.items():
        timeout = next((p for p in cmd.params if "--timeout" in p.opts), None)
        assert timeout is not None, f"{name} has --llm/--base-url but no --timeout"
        assert isinstance(timeout.default, float) and 0 < timeout.default <= 30, (name, timeout.default)


def test_the_chat_made_for_llm_gives_up_within_30_seconds() -> None:
    chat = make_chat("openai:m", "http://127.0.0.1:9/v1")
    assert isinstance(chat, OpenAIChat)
    assert chat._client.timeout == 30.0
    assert chat._client.max_retries == 0  # one attempt of 30 s, not the SDK's three


@pytest.mark.parametrize("command", [["render", "--llm", "openai:m"], ["generate"]])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_a_bad_timeout_is_refused(command: list[str], value: str, tmp_path: Path, notes: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    result = runner.invoke(app, [*command, str(notes), "-o", str(tmp_path / "o"), f"--timeout={value}"])
    line = _error_line(result, 2)
    assert line.startswith(f"error: --timeout {value.lstrip('+')}") and "positive number of seconds" in line
    assert not (tmp_path / "o").exists()
