"""Inputs and options in, "already rendered?" out: the batch's content-hash cache and its manifest.

A sheet's key hashes the input's bytes, its output stem, the options that change the files (formats,
dpi, orientation, placement, fit sizes), the nanosheet version and every file of the package (code, templates, CSS, JS —
the theme) plus the versions of the front-end packages it loads (fonts, roughjs, mermaid). A sheet is
skipped when the manifest holds the same key *and* every output it recorded is still on disk with the
same size and SHA-256. The manifest is rewritten atomically after each finished sheet, so a killed
run keeps what it finished. A batch holds ``OUTDIR/.nanosheet-lock`` while it runs: a second batch
into the same folder (say with another ``--dpi``) fails at once rather than interleave its files and
manifest entries with the first one's.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import nanosheet
from nanosheet.errors import OutputError
from nanosheet.export.write import cause, write_atomic

MANIFEST = ".nanosheet-cache.json"
LOCK = ".nanosheet-lock"
MANIFEST_VERSION = 1
_PACKAGE = Path(nanosheet.__file__).resolve().parent
_FRONTEND = ("@fontsource/gaegu", "@fontsource/gamja-flower", "roughjs", "mermaid")


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """What every sheet's look depends on besides its input: version, package files, front-end versions."""
    h = hashlib.sha256(f"nanosheet {nanosheet.__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".js", ".json", ".html"):
            h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    with contextlib.suppress(Exception):  # no node_modules: the browser will say so; the key still works
        from nanosheet.assets import node_modules

        for name in _FRONTEND:
            pkg = node_modules() / name / "package.json"
            version = json.loads(pkg.read_text(encoding="utf-8")).get("version") if pkg.is_file() else None
            h.update(f"{name}@{version}\n".encode())
    return h.hexdigest()


def sheet_key(data: bytes, stem: str, options: dict[str, Any]) -> str:
    """The cache key of one input: its bytes, where it goes, how it is drawn, and the environment."""
    h = hashlib.sha256(environment_digest().encode())
    h.update(json.dumps({"stem": stem, **options}, sort_keys=True).encode())
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def file_digest(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"name": path.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@dataclass
class Manifest:
    """``OUTDIR/.nanosheet-cache.json``: per stem, the key it was rendered with and its outputs."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def load(cls, outdir: Path) -> Manifest:
        path = outdir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)  # missing or damaged: everything is rendered again
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            return cls(path)
        entries = data.get("sheets")
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict)
                   else {})

    def up_to_date(self, stem: str, key: str) -> bool:
        """Same key, and every recorded output still there, byte for byte."""
        entry = self.entries.get(stem)
        if not entry or entry.get("key") != key or not entry.get("outputs"):
            return False
        base = self.path.parent
        for out in entry["outputs"].values():
            path = base / out["name"]
            try:
                if path.stat().st_size != out["size"] or file_digest(path)["sha256"] != out["sha256"]:
                    return False
            except OSError:
                return False
        return True

    def record(self, stem: str, key: str, outputs: dict[str, Path], info: dict[str, Any]) -> None:
        """Remember a finished sheet and save the manifest (atomically) right away."""
        base = self.path.parent
        entry = {"key": key, "info": info, "outputs": {
            kind: {**file_digest(path), "name": path.relative_to(base).as_posix()}
            for kind, path in sorted(outputs.items())}}
        with self._lock:
            self.entries[stem] = entry
            self._save()

    def forget(self, stem: str) -> None:
        with self._lock:
            if self.entries.pop(stem, None) is not None:
                self._save()

    def _save(self) -> None:
        body = {"version": MANIFEST_VERSION, "sheets": dict(sorted(self.entries.items()))}
        write_atomic(self.path, (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


@contextlib.contextmanager
def output_lock(outdir: Path) -> Iterator[None]:
    """Hold ``OUTDIR/.nanosheet-lock`` while a batch writes there: a second batch into the same folder
    (say with another ``--dpi``) fails at once instead of mixing its files and cache entries with ours."""
    path = outdir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot open the lock file {path}: {cause(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{outdir} is in use by another nanosheet batch",
                              hint="wait for it to finish or give another -o") from None
        yield
    finally:
        os.close(fd)
