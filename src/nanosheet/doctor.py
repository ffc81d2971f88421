"""The machine in, a checklist out: is every program, font and built asset a render needs here, and what to
``apt-get install`` for those that are not (``nanosheet doctor``).

Required: Chromium (it draws every page), the Debian fonts the font parts are cut from, a writable font
cache, the front-end assets and the CLDR keyword table. Optional: tesseract with Korean and English data
(only ``verify`` reads pages back), pdftotext and zbarimg (the test suite reads PDFs and QR codes), DejaVu
Sans (a fallback for list marks). Each check is a small function returning a ``Check``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from nanosheet.errors import NanosheetError

Status = Literal["ok", "warn", "missing"]
_MARK = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "missing": ("✗", "red")}
_TIMEOUT_S = 20


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    name: str
    status: Status
    detail: str
    """What was found (a version, a path) or what is wrong."""
    packages: tuple[str, ...] = ()
    """Debian packages that fix it when it is missing."""
    fix: str = ""
    """What to run when no package fixes it (``make setup``)."""
    required: bool = True


def _which(program: str) -> str | None:
    return shutil.which(program)


def _output(args: list[str]) -> str | None:
    """stdout of a short command, or None if it cannot run or fails."""
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def check_chromium() -> Check:
    path = os.environ.get("NANOSHEET_CHROMIUM", "/usr/bin/chromium")
    version = _output([path, "--version"]) if os.path.isfile(path) else None
    if version is None:
        return Check("Chromium", "missing", f"{path} does not run `--version`", ("chromium",),
                     "or set NANOSHEET_CHROMIUM")
    return Check("Chromium", "ok", version.strip())


def check_fonts() -> list[Check]:
    """The source files render/fonts.py cuts parts from, then the families fontconfig must know."""
    from nanosheet.render import fonts

    out = []
    for face in [fonts.HANGUL_FACES[0], fonts.HANGUL_FACES[1], fonts.CODE_FACE, fonts.EMOJI_FACE]:
        path = fonts.DEBIAN_FONTS / face.source
        found = path.is_file()
        out.append(Check(f"font {face.source}", "ok" if found else "missing", "found" if found else
                         f"{path} not found", () if found else (_FONT_PACKAGES[face.source],)))
    listed = _output(["fc-list", ":", "family"]) if _which("fc-list") else None
    if listed is None:
        out.append(Check("fontconfig (fc-list)", "missing", "fc-list does not run", ("fontconfig",)))
        return out
    names = {name.strip().lower() for line in listed.splitlines() for name in line.split(",")}
    for family, package, required in _FAMILIES:
        found = family.lower() in names
        out.append(Check(f"family {family}", "ok" if found else "missing",
                         "known to fontconfig" if found else "not in fc-list", () if found else (package,),
                         required=required))
    return out


_FONT_PACKAGES = {"nanum/NanumBarunpenR.ttf": "fonts-nanum-extra", "nanum/NanumBarunpenB.ttf": "fonts-nanum-extra",
                  "nanum/NanumGothicCoding.ttf": "fonts-nanum", "noto/NotoColorEmoji.ttf": "fonts-noto-color-emoji"}
_FAMILIES = [("NanumBarunpen", "fonts-nanum-extra", True), ("NanumGothicCoding", "fonts-nanum", True),
             ("NanumGothic", "fonts-nanum", True), ("Noto Color Emoji", "fonts-noto-color-emoji", True),
             ("DejaVu Sans", "fonts-dejavu-core", False)]


def check_font_cache() -> Check:
    """Built means a render starts at once; writable but unbuilt means the first render splits (~15 s)."""
    from nanosheet.render import fonts

    root = fonts.cache_root()
    try:
        built = root / fonts.build_key() / fonts.STYLESHEET
    except OSError:
        return Check("font cache", "warn", "needs the fonts above", fix="install them, then `make setup`")
    if built.is_file():
        return Check("font cache", "ok", str(built.parent))
    try:  # the only honest test of writable (root may write /proc by access(), not in fact)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=root):
            pass
    except OSError as exc:
        return Check("font cache", "missing", f"{root} is not writable ({exc.strerror or exc})",
                     fix="set NANOSHEET_FONT_CACHE to a writable folder")
    return Check("font cache", "warn", f"not built yet in {root} (the first render takes ~15 s)",
                 fix="make setup")


def check_frontend() -> Check:
    from nanosheet.assets import node_modules
    from nanosheet.render import assets

    try:
        root = node_modules()
    except NanosheetError as exc:
        return Check("front-end assets", "missing", exc.message, fix="make setup (npm ci)")
    missing = [p for p in [*assets.SCRIPTS, *assets.STYLESHEETS] if p.startswith("npm/")
               and assets.asset_path(p) is None]
    if missing:
        return Check("front-end assets", "missing", f"{missing[0][4:]} not in {root}", fix="make setup (npm ci)")
    return Check("front-end assets", "ok", str(root))


def check_cldr() -> Check:
    from nanosheet.ingest.emoji_keywords import cldr_keywords, table_path

    try:
        count = len(cldr_keywords().of)
    except NanosheetError as exc:
        return Check("CLDR emoji keywords", "missing", exc.message, fix="make setup")
    return Check("CLDR emoji keywords", "ok", f"{count} emoji in {table_path().name}")


def check_tesseract() -> list[Check]:
    if not _which("tesseract"):
        return [Check("tesseract", "missing", "not on PATH (only `verify` needs it)",
                      ("tesseract-ocr", "tesseract-ocr-kor", "tesseract-ocr-eng"), required=False)]
    listed = _output(["tesseract", "--list-langs"]) or ""
    langs = {line.strip() for line in listed.splitlines()[1:]}
    out = [Check("tesseract", "ok", (_output(["tesseract", "--version"]) or "").split("\n")[0], required=False)]
    for lang in ("kor", "eng"):
        found = lang in langs
        out.append(Check(f"tesseract {lang}", "ok" if found else "missing",
                         "language data found" if found else "no language data", () if found else
                         (f"tesseract-ocr-{lang}",), required=False))
    return out


def check_tools() -> list[Check]:
    out = []
    for program, package in (("pdftotext", "poppler-utils"), ("zbarimg", "zbar-tools")):
        path = _which(program)
        out.append(Check(program, "ok" if path else "missing", path or "not on PATH (the tests use it)",
                         () if path else (package,), required=False))
    return out


CHECKS: list[Callable[[], Check | list[Check]]] = [
    check_chromium, check_fonts, check_font_cache, check_frontend, check_cldr, check_tesseract, check_tools]


def run_checks() -> list[Check]:
    out: list[Check] = []
    for check in CHECKS:
        found = check()
        out.extend(found if isinstance(found, list) else [found])
    return out


def apt_line(checks: list[Check]) -> str | None:
    """The one command that installs every missing package, or None when nothing is missing."""
    packages = sorted({p for c in checks if c.status == "missing" for p in c.packages})
    return f"apt-get install -y --no-install-recommends {' '.join(packages)}" if packages else None


def report(checks: list[Check], console: Console) -> int:
    """Print the table and the fixes; 0 when every required check passed, else 1."""
    table = Table("", "check", "found", "fix", show_edge=False, pad_edge=False)
    for column in table.columns:
        column.overflow = "fold"  # paths are the point: wrap them, never cut them
    for c in checks:
        mark, colour = _MARK[c.status]
        fix = " ".join([*c.packages, c.fix]).strip() if c.status != "ok" else ""
        name = c.name if c.required else f"{c.name} (optional)"
        table.add_row(Text(mark, style=colour), Text(name), Text(c.detail), Text(fix))
    console.print(table)
    line = apt_line(checks)
    failed = [c for c in checks if c.status == "missing" and c.required]
    if line:
        console.print(Text("install what is missing:"))
        console.print(Text(f"  {line}"), soft_wrap=True)  # one line, to copy as it is
    for c in checks:
        if c.status != "ok" and not c.packages and c.fix:
            console.print(Text(f"{c.name}: {c.fix}"), soft_wrap=True)
    if failed:
        console.print(Text(f"{len(failed)} required check(s) failed: {', '.join(c.name for c in failed)}"))
        return 1
    console.print(Text("everything a render needs is here"))
    return 0
