"""SIGKILL `nanosheet batch` mid-run, run it again: every output complete and valid, no temp files, and the
sheets finished before the kill are not rendered twice."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
MANIFEST = ".nanosheet-cache.json"


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
    proc = subprocess.Popen(_argv(src, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not list(out.glob("*.report.json")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the browser we started through it, if still there
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
