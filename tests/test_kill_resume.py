"""SIGKILL `nanosheet batch` mid-run, run it again: every output complete and valid, no temp files, and the
sheets finished before the kill are not rendered twice."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
MANIFEST = ".nanosheet-cache.json"


_IN_CLOSE_WRITE, _IN_MOVED_TO = 0x8, 0x80


class _Watch:
    """Waits for a change in a folder through inotify (no polling, no sleep): the batch renames each finished
    file into place, so every new report wakes the wait; the batch's stdout closing wakes it if it exits."""

    def __init__(self, folder: Path) -> None:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self._fd >= 0, os.strerror(ctypes.get_errno())
        watch = self._libc.inotify_add_watch(self._fd, str(folder).encode(), _IN_CLOSE_WRITE | _IN_MOVED_TO)
        assert watch >= 0, os.strerror(ctypes.get_errno())

    def __enter__(self) -> _Watch:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)

    def wait_for(self, done: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float) -> bool:
        """True once ``done()`` holds; False if the process ended first or the time ran out."""
        deadline = time.monotonic() + timeout
        assert proc.stdout is not None
        while not done():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self._fd, proc.stdout], [], [], left)
            if self._fd in ready:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._fd, 65536)
            if proc.stdout in ready and not os.read(proc.stdout.fileno(), 65536):  # EOF: the batch has exited
                return done()
        return True


def _argv(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "nanosheet", "batch", str(src), "-o", str(out), "--jobs", "2"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_kill_mid_batch_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    prompts = sorted(PROMPTS.glob("*.md"))
    for i in range(10):
        shutil.copyfile(prompts[i % len(prompts)], src / f"{i:02d}-{prompts[i % len(prompts)].name}")
    out = tmp_path / "out"
    out.mkdir()
    with _Watch(out) as watch:
        proc = subprocess.Popen(_argv(src, out), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            finished = watch.wait_for(lambda: bool(list(out.glob("*.report.json"))), proc, timeout=240)
            assert finished and proc.poll() is None, "the batch finished before it could be killed"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the browser we started through it, if still there
            if proc.stdout is not None:
                proc.stdout.close()
    done_before = set(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["sheets"]) \
        if (out / MANIFEST).exists() else set()
    assert len(done_before) < 10
    kept = {stem: (out / f"{stem}.png").stat().st_mtime_ns for stem in done_before}

    again = subprocess.run(_argv(src, out), env=_env(), capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    counts = re.search(r"(\d+) rendered, (\d+) cached, (\d+) failed", again.stdout)
    assert counts, again.stdout
    rendered, cached, failed = map(int, counts.groups())
    assert (rendered + cached, failed) == (10, 0) and cached >= len(done_before)
    assert {stem: (out / f"{stem}.png").stat().st_mtime_ns for stem in done_before} == kept  # not redone

    for path in sorted(src.iterdir()):
        stem = path.stem
        with Image.open(out / f"{stem}.png") as im:
            im.load()
            assert im.size in ((2480, 3508), (3508, 2480))
        assert len(PdfReader(out / f"{stem}.pdf").pages) == 1
        report = json.loads((out / f"{stem}.report.json").read_text(encoding="utf-8"))
        assert report["outputs"]["png"] == f"{stem}.png"
        assert (out / f"{stem}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p for p in out.rglob("*") if ".tmp" in p.name] == []
    assert (out / "index.html").exists()
