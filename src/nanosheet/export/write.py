"""Bytes and a target path in, the file on disk out — whole or not at all, never through a planted link.

Every output is written to a fresh temporary sibling created with ``O_CREAT | O_EXCL`` and an
unguessable name (``tempfile.mkstemp``), then renamed over the target. ``os.replace`` replaces a
symlink at the target itself and never follows it, and an exclusive create never opens a file an
attacker placed in a shared directory. On any failure the temporary file is removed and the error
becomes one :class:`OutputError` naming the path and the cause. Temporary names end in
``.tmp<pid>`` so a later run can remove what a killed one left (:func:`remove_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from nanosheet.errors import ConfigError, OutputError

TMP_MARK = ".tmp"
_TEMP = re.compile(r"^\..+" + re.escape(TMP_MARK) + r"(\d+)$")
_BAD_TARGET = {errno.EISDIR, errno.ENOTDIR, errno.ENOENT}
"""Errors that mean the path itself is wrong (a directory, a file where a directory should be)."""


def cause(exc: OSError) -> str:
    """``No space left on device`` rather than ``[Errno 28] …: '/x/.a.png.tmp12'``."""
    return exc.strerror or type(exc).__name__


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through an exclusive temporary sibling and a rename."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:80]}.", suffix=f"{TMP_MARK}{os.getpid()}")
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _error(path, exc) from None


def write_text(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))


def _error(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.EISDIR or path.is_dir():
        err = OutputError(f"cannot write {path}: it is a directory", hint="give a file name")
        err.exit_code = 2
        return err
    err = OutputError(f"cannot write {path}: {cause(exc)}")
    if exc.errno in _BAD_TARGET:
        err.exit_code = 2
    return err


def prepare_outdir(path: Path, option: str = "-o") -> Path:
    """Create the output directory; a path that cannot be one is a usage error (exit 2)."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{option} {path} is a file, not a directory", hint="give a directory for the outputs")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot create the directory: {cause(exc)}") from None
    return path


def ensure_subdir(outdir: Path, rel: str) -> Path:
    """``OUTDIR/rel`` created as real directories: a symlink planted at ``assets`` or ``thumbs`` in a shared
    output directory must not send our files elsewhere."""
    path = outdir
    for part in Path(rel).parts:
        path = path / part
        if path.is_symlink():
            raise OutputError(f"cannot write into {path}: it is a symbolic link",
                              hint="remove it; outputs are only written into real directories")
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise _error(path, exc) from None
    return path


def remove_stale_temp_files(outdir: Path) -> list[Path]:
    """Delete temporary files a killed run left behind (not those of a process still running)."""
    removed: list[Path] = []
    if not outdir.is_dir():
        return removed
    for path in outdir.rglob(f".*{TMP_MARK}*"):
        match = _TEMP.match(path.name)
        if not match or path.is_symlink() or not path.is_file() or _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers can only be from an earlier, failed attempt in this process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
