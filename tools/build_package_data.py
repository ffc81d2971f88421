"""node_modules in, the package data nanosheet ships out (build output under src/nanosheet/data/, never committed).

``cldr``: Unicode CLDR's English and Korean emoji annotations, only the fields ingest reads (``default``
and ``tts`` keyword lists), as compact gzipped JSON plus CLDR's licence (Unicode License v3, which permits
redistribution with the notice). ``make setup`` runs it: ingest reads this file, never node_modules.

``frontend``: the npm files a sheet page loads (``render.assets`` SCRIPTS and STYLESHEETS, and every
``url(...)`` those stylesheets and our own CSS name, woff2 only) and the studio's editor modules (CodeMirror:
each package's entry and what it imports), with each package's package.json and licence, into ``data/npm`` —
the node_modules an installed wheel falls back to. ``make dist`` runs it before building.

Usage: python tools/build_package_data.py [cldr] [frontend]   (both when none is named)
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "nanosheet" / "data"
CLDR_TABLE = "cldr_annotations.json.gz"
CLDR_PACKAGE = "cldr-annotations-modern"
LANGUAGES = ("en", "ko")
FIELDS = ("default", "tts")
_URL_RE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_IMPORT_RE = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}/[^'"]+)['"]""")


def node_modules() -> Path:
    override = os.environ.get("NANOSHEET_NODE_MODULES")
    path = Path(override) if override else ROOT / "node_modules"
    if not path.is_dir():
        sys.exit(f"error: {path} not found — run `npm ci` (make setup) first")
    return path


def build_cldr(modules: Path, out: Path = DATA) -> Path:
    """Write the keyword table and CLDR's licence; the gzip carries no timestamp, so the bytes repeat."""
    package = modules / CLDR_PACKAGE
    tables: dict[str, dict[str, dict[str, list[str]]]] = {}
    for lang in LANGUAGES:
        raw = json.loads((package / "annotations" / lang / "annotations.json").read_text(encoding="utf-8"))
        entries = raw["annotations"]["annotations"]
        tables[lang] = {char: {f: entry[f] for f in FIELDS if f in entry} for char, entry in sorted(entries.items())}
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    doc = {"source": f"{CLDR_PACKAGE}@{version}", "fields": list(FIELDS), "annotations": tables}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    out.mkdir(parents=True, exist_ok=True)
    target = out / CLDR_TABLE
    _write(target, gzip.compress(body, compresslevel=9, mtime=0))
    _write(out / "LICENSE-cldr.txt", (package / "LICENSE").read_bytes())
    return target


def frontend_files(modules: Path) -> list[str]:
    """Paths relative to node_modules that a page loads: the listed assets and what their CSS names."""
    sys.path.insert(0, str(ROOT / "src"))
    from nanosheet.render import assets

    wanted = [p[4:] for p in [*assets.SCRIPTS, *assets.STYLESHEETS] if p.startswith("npm/")]
    for css in sorted(assets.STATIC_DIR.glob("*.css")):
        wanted += [u[len("../npm/"):] for u in _URL_RE.findall(css.read_text(encoding="utf-8"))
                   if u.startswith("../npm/")]
    def css_urls(rel: str) -> list[str]:
        if not rel.endswith(".css"):
            return []
        text = (modules / rel).read_text(encoding="utf-8")
        return [os.path.join(os.path.dirname(rel), u) for u in _URL_RE.findall(text) if "://" not in u]

    found = _closure(modules, wanted, css_urls) | set(editor_files(modules))
    # Chromium always takes the woff2 a @font-face lists first; its woff fallback would only weigh the wheel.
    found = {rel for rel in found if not (rel.endswith(".woff") and rel + "2" in found)}
    packages = {_package_of(rel) for rel in found}
    for name in sorted(packages):
        found |= {str(p.relative_to(modules)) for p in (modules / name).iterdir()
                  if p.is_file() and (p.name == "package.json" or p.name.upper().startswith(("LICENSE", "OFL")))}
    return sorted(found)


def editor_files(modules: Path) -> list[str]:
    """The studio editor's ES modules (``studio.app`` EDITOR_PACKAGES): each package's entry and the files it
    imports by relative path; its bare imports are the other editor packages, served the same way."""
    from nanosheet.studio.app import EDITOR_PACKAGES, package_entry

    def imports(rel: str) -> list[str]:
        text = (modules / rel).read_text(encoding="utf-8")
        return [os.path.join(os.path.dirname(rel), u) for u in _IMPORT_RE.findall(text)]

    entries = [os.path.join(name, package_entry(modules / name)) for name in EDITOR_PACKAGES]
    return sorted(_closure(modules, entries, imports))


def _closure(modules: Path, start: list[str], refs: Callable[[str], list[str]]) -> set[str]:
    """Every file under ``modules`` reachable from ``start`` through ``refs`` (paths relative to it)."""
    found: set[str] = set()
    wanted = list(start)
    while wanted:
        rel = os.path.normpath(wanted.pop())
        if rel in found:
            continue
        if not (modules / rel).is_file():
            sys.exit(f"error: {modules / rel} not found — run `npm ci` (make setup) first")
        found.add(rel)
        wanted += refs(rel)
    return found


def _package_of(rel: str) -> str:
    parts = rel.split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def build_frontend(modules: Path, out: Path = DATA) -> Path:
    """Copy the page's npm files into ``out/npm`` (emptied first, so nothing stale is shipped)."""
    target = out / "npm"
    shutil.rmtree(target, ignore_errors=True)
    for rel in frontend_files(modules):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / rel, dest)
    return target


def _write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return  # unchanged: keep the mtime, so make and the cache see nothing new
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def main(argv: list[str]) -> None:
    steps = argv or ["cldr", "frontend"]
    unknown = sorted(set(steps) - {"cldr", "frontend"})
    if unknown:
        sys.exit(f"error: unknown step {unknown[0]!r} (expected cldr or frontend)")
    modules = node_modules()
    if "cldr" in steps:
        path = build_cldr(modules)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    if "frontend" in steps:
        path = build_frontend(modules)
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        print(f"{path.relative_to(ROOT)}: {sum(1 for p in path.rglob('*') if p.is_file())} files, {size} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
