"""Hostile inputs to the commands that read one file: devices, FIFOs, sockets, sizes — one error line, exit 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nanosheet.errors import InputError
from nanosheet.ingest.intake import MAX_BYTES, read_limited, read_text

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child, so a regression (a read that never ends) is a timeout, not a hang."""
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "300", **(env or {})}
    return subprocess.run([sys.executable, "-m", "nanosheet", *args], capture_output=True, text=True, env=full,
                          timeout=120, check=False)


def _one_error_line(result: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    yield path


# --------------------------------------------------------------------------- the reader


def test_a_device_is_refused_before_it_is_read() -> None:
    with pytest.raises(InputError, match=r"not a regular file \(a character device\)") as caught:
        read_text(Path("/dev/zero"))
    assert caught.value.file == "/dev/zero"
    assert caught.value.exit_code == 2


def test_a_fifo_is_refused_without_blocking(fifo: Path) -> None:
    # Nobody writes to the FIFO: an open without O_NONBLOCK, or any read, would block this test forever.
    with pytest.raises(InputError, match=r"not a regular file \(a FIFO\)"):
        read_limited(fifo)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        with pytest.raises(InputError, match=r"not a regular file \(a socket\)"):
            read_limited(path)


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "notes.md"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        read_limited(link)


def test_the_read_is_bounded_even_when_the_size_lies(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * 101)
    with pytest.raises(InputError, match="limit"):
        read_limited(path, limit=100)
    path.write_bytes(b"a" * 100)
    assert read_limited(path, limit=100) == b"a" * 100


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as f:  # sparse: 8 MB + 1 byte without writing them
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError, match="8.0 MB; the limit is 8 MB"):
        read_limited(path)


# --------------------------------------------------------------------------- every command that reads one file


@pytest.mark.parametrize("command", [["inspect"], ["inspect", "--json"], ["repair"], ["prompt"]])
def test_commands_refuse_a_device(command: list[str]) -> None:
    line = _one_error_line(_cli(*command, "/dev/zero"), "/dev/zero: not a regular file (a character device)")
    assert line.startswith("error: /dev/zero")


@pytest.mark.parametrize("command", [["inspect"], ["repair"], ["prompt"]])
def test_commands_refuse_a_fifo(command: list[str], fifo: Path) -> None:
    line = _one_error_line(_cli(*command, str(fifo)), f"{fifo}: not a regular file (a FIFO)")
    assert line.startswith(f"error: {fifo}")


def test_render_refuses_a_device_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "o"
    result = _cli("render", "/dev/zero", "-o", str(out), "--format", "html")
    _one_error_line(result, "/dev/zero: not a regular file")
    assert not out.exists() or not any(out.iterdir())


def test_generate_refuses_a_style_image_that_is_a_device(tmp_path: Path) -> None:
    src = tmp_path / "p.md"
    src.write_text("# 제목\n\n본문 한 줄입니다.\n", encoding="utf-8")
    style = tmp_path / "style.png"
    style.symlink_to("/dev/zero")
    # A closed loopback port: should the check regress, the request fails here and never leaves the machine.
    result = _cli("generate", str(src), "-o", str(tmp_path / "g"), "--style-image", str(style),
                  "--base-url", "http://127.0.0.1:9", "--retries", "0", env={"GEMINI_API_KEY": "test-key"})
    _one_error_line(result, f"{style}: not a regular file (a character device)")
    assert not (tmp_path / "g").exists()
