"""Chromium killed during a batch: the pool starts it once more and the batch finishes; killed again, the
remaining sheets fail at once with the reason — the batch never hangs."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from nanosheet.batch import BatchResult, Job, run_batch

PROMPTS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts"
BOUND_S = 240.0
"""Far above a 6-sheet batch at 20 DPI; a hang (the old Thread.join) would hit it."""


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def _chromium_mains() -> set[int]:
    """Browser processes (not renderers, GPU or zygotes) started by this test process."""
    mains = set()
    for pid in _descendants(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--remote-debugging-pipe" in argv and not any(a.startswith(b"--type=") for a in argv):
            mains.add(pid)
    return mains


@pytest.mark.parametrize("kills", [1, 2])
def test_killed_chromium_never_hangs_the_batch(tmp_path: Path, kills: int) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i, path in enumerate(sorted(PROMPTS.glob("*.md"))[:6]):
        shutil.copyfile(path, src / f"{i}-{path.name}")
    before = _chromium_mains()  # e.g. the session's browser: not ours to kill
    killed: list[int] = []
    lock = threading.Lock()

    def on_event(kind: str, job: Job) -> None:
        with lock:
            if kind == "done" and len(killed) < kills:
                for pid in _chromium_mains() - before - set(killed):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)

    box: list[BatchResult | BaseException] = []

    def run() -> None:
        try:
            box.append(run_batch([src], tmp_path / "out", formats=["png"], dpi=72, jobs=2, on_event=on_event))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            box.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(BOUND_S)
    assert not worker.is_alive(), "the batch hung after Chromium was killed"
    result = box[0]
    assert isinstance(result, BatchResult), result
    assert len(killed) == kills
    rendered, failed = result.with_status("rendered"), result.with_status("failed")
    assert len(rendered) + len(failed) == 6
    if kills == 1:  # started again once: everything drawn
        assert failed == [] and len(list((tmp_path / "out").glob("*.png"))) == 6
    else:
        assert failed, "a second death must fail the remaining sheets"
        for job in failed:
            assert job.error is not None and "Chromium quit unexpectedly" in job.error.describe()
    assert [p for p in (tmp_path / "out").rglob("*") if ".tmp" in p.name] == []
