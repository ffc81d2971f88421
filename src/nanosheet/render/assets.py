"""Asset paths in, local files out: the only things a sheet page may load, and where they live.

The page is served from a fake origin (``.invalid`` never resolves) and the exporter fulfils its
requests from disk; any other URL is aborted. ``npm/…`` maps into node_modules (fonts, roughjs,
mermaid — installed by ``npm ci``, never committed); ``fonts/…`` are the parts of Debian's fonts built
by :mod:`nanosheet.render.fonts`; ``static/…`` is our own CSS and JS.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from nanosheet.assets import node_modules
from nanosheet.render import fonts

ORIGIN = "https://nanosheet.invalid/"
SHELL_PATH = "shell.html"
STATIC_DIR = Path(__file__).resolve().parent / "static"

_FONT_CSS = ["gamja-flower/latin-400.css", "gamja-flower/korean-400.css"]
"""Gaegu is declared in static/sheet.css itself (as "Nano Hand", see there)."""
STYLESHEETS = [*(f"npm/@fontsource/{p}" for p in _FONT_CSS), f"fonts/{fonts.STYLESHEET}", "static/sheet.css"]
"""Relative to the base; fonts are lazy, so only the faces a sheet uses are fetched."""
SCRIPTS = [
    "npm/roughjs/bundled/rough.js", "npm/mermaid/dist/mermaid.min.js", "static/diagrams.js", "static/sheet.js",
    "static/rows.js",
]

CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".woff2": "font/woff2",
    ".woff": "font/woff", ".ttf": "font/ttf", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml",
}


def _inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` if it stays inside ``root`` and is a file (no ``..`` escapes)."""
    target = (root / rel).resolve()
    root = root.resolve()
    if root in target.parents and target.is_file():
        return target
    return None


def asset_path(rel: str) -> Path | None:
    """The local file for an asset path relative to the base, or None if it is not ours to serve."""
    rel = unquote(rel).lstrip("/")
    if rel.startswith("npm/"):
        return _inside(node_modules(), rel[4:])
    if rel.startswith("static/"):
        return _inside(STATIC_DIR, rel[7:])
    if rel.startswith("fonts/"):
        return _inside(fonts.font_dir(), rel[6:])
    return None


def local_path(url: str) -> str | None:
    """The asset path (``npm/…``) for a URL on our origin, else None (the request must be blocked)."""
    if not url.startswith(ORIGIN):
        return None
    return urlsplit(url).path.lstrip("/")


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix, "application/octet-stream")
