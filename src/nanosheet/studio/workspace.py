"""A folder and relative paths in; file listings, reads and conflict-checked atomic writes inside it out.

Every path the browser sends is relative to the opened folder and is refused (``Forbidden``) if it is
absolute, has a ``..`` part, or resolves — through any symlink — outside the folder. A save states the
hash of the text it was based on; if the file on disk changed since, the save is a ``Conflict`` and
nothing is written (the page offers to reload instead of overwriting another program's edit).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from nanosheet.export.files import write_atomic

SOURCE_SUFFIXES = (".md", ".txt", ".markdown")
MAX_FILES = 500
"""A sidebar of more than this is not a series of sheets; the listing stops there."""


class Forbidden(Exception):
    """A path outside the opened folder (or not a source file)."""


class Conflict(Exception):
    """The file changed on disk since the editor loaded it."""

    def __init__(self, state: FileState) -> None:
        super().__init__("the file changed on disk")
        self.state = state


@dataclass(frozen=True)
class FileState:
    """What the editor compares against to notice an outside change."""

    path: str
    mtime_ns: int
    sha256: str
    size: int

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "mtime_ns": str(self.mtime_ns), "sha256": self.sha256, "size": self.size}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Workspace:
    """The opened folder; ``first`` is the file to open first (the CLI's FILE argument), if any."""

    def __init__(self, root: Path, first: str | None = None) -> None:
        self.root = root.resolve()
        self.first = first

    @classmethod
    def open(cls, target: Path) -> Workspace:
        target = target.resolve()
        if target.is_file():
            return cls(target.parent, target.name)
        return cls(target)

    def resolve(self, rel: str, *, must_exist: bool = True) -> Path:
        """The real path for ``rel`` inside the folder; anything else is ``Forbidden``."""
        pure = PurePosixPath(rel.replace("\\", "/"))
        if not rel or pure.is_absolute() or ".." in pure.parts or "\x00" in rel or rel.startswith("~"):
            raise Forbidden(f"not a path inside the folder: {rel!r}")
        candidate = self.root.joinpath(*pure.parts)
        real = candidate.resolve()
        if real != self.root and self.root not in real.parents:
            raise Forbidden(f"{rel!r} leads outside the folder")
        if must_exist and not real.is_file():
            raise FileNotFoundError(rel)
        return real

    def source(self, rel: str) -> Path:
        path = self.resolve(rel)
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            raise Forbidden(f"{rel!r} is not a prompt or chapter (.md, .txt)")
        return path

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def files(self) -> list[str]:
        """Source files directly in the folder and one level down, sorted; symlinks out are skipped."""
        found: list[str] = []
        for pattern in ("*", "*/*"):
            for path in sorted(self.root.glob(pattern)):
                if len(found) >= MAX_FILES:
                    return found
                if path.suffix.lower() not in SOURCE_SUFFIXES or path.name.startswith("."):
                    continue
                try:
                    found.append(self.rel(self.resolve(path.relative_to(self.root).as_posix())))
                except (Forbidden, FileNotFoundError, ValueError):
                    continue
        return sorted(set(found))

    def state(self, rel: str) -> FileState:
        path = self.source(rel)
        data = path.read_bytes()
        return FileState(rel, path.stat().st_mtime_ns, digest(data), len(data))

    def read(self, rel: str) -> tuple[bytes, FileState]:
        path = self.source(rel)
        data = path.read_bytes()
        return data, FileState(rel, path.stat().st_mtime_ns, digest(data), len(data))

    def save(self, rel: str, text: str, base_sha256: str | None) -> FileState:
        """Write ``text`` atomically if the file is still what the editor loaded (``base_sha256``)."""
        path = self.resolve(rel, must_exist=False)
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            raise Forbidden(f"{rel!r} is not a prompt or chapter (.md, .txt)")
        if path.exists():
            current = self.state(rel)
            if base_sha256 is not None and current.sha256 != base_sha256:
                raise Conflict(current)
        elif base_sha256 is not None:
            raise Conflict(FileState(rel, 0, "", 0))
        if not path.parent.is_dir():
            raise Forbidden(f"{rel!r}: no such folder in the workspace (the studio creates files, not folders)")
        data = text.encode("utf-8")
        write_atomic(path, data)
        return FileState(rel, path.stat().st_mtime_ns, digest(data), len(data))

    def outdir(self, rel: str | None) -> Path:
        """Where exports go: a folder inside the workspace (default: next to the sources)."""
        if not rel:
            return self.root
        path = self.resolve(rel, must_exist=False)
        if path.exists() and not path.is_dir():
            raise Forbidden(f"{rel!r} is not a folder")
        return path

