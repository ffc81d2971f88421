"""A process id in, the peak memory of it and all its descendants out (PSS from /proc/*/smaps_rollup).

PSS (proportional set size) splits shared pages among the processes sharing them, so the sum over
Python, Playwright's driver and every Chromium process is the memory the run really costs.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(pid: int) -> float:
    return sum(pss_kb(p) for p in tree(pid)) / 1024


def kind(pid: int) -> str:
    """A short name for a process: ``python``, ``node``, ``browser``, ``renderer``, ``gpu-process``, or
    a Chromium utility's service (``PrintCompositor``, ``NetworkService``, ...)."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"
    sub = re.search(r"--utility-sub-type=\S*?(\w+)(?:\s|$)", cmd)
    typ = re.search(r"--type=(\S+)", cmd)
    if sub:
        return sub.group(1)
    if typ:
        return typ.group(1)
    if comm.startswith("node"):
        return "node"
    return "browser" if comm.startswith("chrom") else comm


def tree_breakdown_mb(pid: int) -> dict[str, float]:
    """PSS per process of the tree, keyed ``kind`` (numbered when a kind repeats: ``renderer#2``)."""
    out: dict[str, float] = {}
    for p in tree(pid):
        kb = pss_kb(p)
        if kb == 0:
            continue
        name, n = kind(p), 1
        while (f"{name}#{n}" if n > 1 else name) in out:
            n += 1
        out[f"{name}#{n}" if n > 1 else name] = kb / 1024
    return out


class PeakSampler:
    """Samples the PSS of a process tree every ``interval`` seconds on a thread; ``peak_mb`` is the maximum
    and ``peak_breakdown`` the PSS of each process at that moment."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self.peak_breakdown: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            parts = tree_breakdown_mb(self.pid)
            total = sum(parts.values())
            if total > self.peak_mb:
                self.peak_mb, self.peak_breakdown = total, parts
            time.sleep(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
