"""Untrusted names in, safe file stems out: input file names never steer where outputs are written.

Output stems come from the input *file name* only (never from titles or frontmatter), and are cleaned:
no path separators or ``..``, no control or shell-special characters, no Windows device names
(``CON``, ``NUL``, ``COM1`` …), bounded length (long names keep a short content hash so they stay unique).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path

_BAD = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
RESERVED_STEMS = frozenset({"index"})
"""Stems a batch's own files use (the gallery is ``index.html``): a sheet named so gets a suffix."""
MAX_STEM_BYTES = 120
"""Room for ``.report.json``, a temp prefix and a pid within the usual 255-byte name limit."""


def safe_stem(stem: str) -> str:
    """A file stem from an untrusted name: ``"../../etc/passwd"`` → ``"etc_passwd"``, ``"NUL"`` → ``"_NUL"``."""
    clean = unicodedata.normalize("NFC", stem)
    clean = _BAD.sub("_", clean)
    clean = re.sub(r"\.{2,}", ".", clean)  # no ".." anywhere, even between underscores
    clean = re.sub(r"_{2,}", "_", clean).strip(" ._")
    if clean.split(".")[0].upper().rstrip(" ") in _RESERVED:
        clean = "_" + clean
    if len(clean.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cut = clean.encode("utf-8")[:MAX_STEM_BYTES - 11].decode("utf-8", "ignore").rstrip(" ._")
        clean = f"{cut}-{digest}"
    return clean or "sheet"


def unique_stems(stems: list[str], reserved: Collection[str] = ()) -> list[str]:
    """Each stem made unique (case-insensitively, for case-folding file systems) by ``-2``, ``-3`` … suffixes;
    a ``reserved`` stem is never handed out."""
    seen: set[str] = {r.casefold() for r in reserved}
    out = []
    for stem in stems:
        candidate, n = stem, 1
        while candidate.casefold() in seen:
            n += 1
            candidate = f"{stem}-{n}"
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def output_stems(paths: Sequence[Path]) -> list[str]:
    """The output stem of each input, from its file name: safe, unique, never a reserved name."""
    return unique_stems([safe_stem(p.stem) for p in paths], reserved=RESERVED_STEMS)
