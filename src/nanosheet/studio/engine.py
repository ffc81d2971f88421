"""Editor text in; the parsed prompt, the composed sheet, its preview fragment and exported files out.

The studio's only seam to the pipeline: every call into ingest, compose, render and export goes
through here, so the preview is drawn from exactly what ``render`` would draw, and the calls can be
re-pointed at ``pipeline.py`` in one place. The editor's text is parsed from a file in a private
temporary folder (``read_prompt`` reads paths), named like the real file so stems and seeds match.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nanosheet.compose import compose_sheet
from nanosheet.export import SheetBrowser
from nanosheet.export.browser import page_rule
from nanosheet.export.files import ExportResult, export_sheet
from nanosheet.ingest import read_prompt
from nanosheet.ingest.intake import decode_bytes
from nanosheet.model import Diagnostic, Panel, Prompt, Section, Sheet
from nanosheet.options import FitOptions
from nanosheet.promptgen import write_prompt
from nanosheet.render.html import render_fragment

PROMPT_KINDS = frozenset({"role", "layout", "ratio", "style", "image_request"})
"""Sections only a cheat-sheet prompt has; a file with none of them is a chapter."""


@dataclass(frozen=True)
class Parsed:
    """One editor buffer after ingest and compose."""

    prompt: Prompt
    sheet: Sheet


@lru_cache(maxsize=1)
def _scratch_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="nanosheet-studio-"))
    os.chmod(root, 0o700)  # only this user reads the notes parked here
    return root


@contextmanager
def scratch_file(name: str) -> Iterator[Path]:
    """A path named ``name`` in a fresh private folder, removed afterwards (one per call: threads never share)."""
    folder = Path(tempfile.mkdtemp(dir=_scratch_root()))
    try:
        yield folder / Path(name).name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_text(data: bytes, name: str) -> tuple[str, int]:
    """A file's bytes as the text the editor shows (decoded, mojibake repaired) and how many repairs that took."""
    intake = decode_bytes(data, name)
    return intake.text, intake.repairs.changed_chars


def parse_text(text: str, name: str, *, orientation: str | None = None, seed: int | None = None) -> Parsed:
    """Ingest and compose the editor's text; bad input raises ``InputError`` as ``render`` would."""
    with scratch_file(name) as path:
        path.write_text(text, encoding="utf-8")
        prompt = read_prompt(path, orientation=orientation)
    prompt = prompt.model_copy(update={"path": Path(name).name})
    sheet = compose_sheet(prompt)
    if seed is not None:
        sheet = sheet.model_copy(update={"seed": seed})
    return Parsed(prompt, sheet)


def release_models() -> None:
    """Let go of the Korean morphology model the mojibake repair loads (~500 MB, about a second to load again).

    An idle studio needs it no more: the editor holds the repaired text, which parses without it."""
    from nanosheet.ingest import choose_hangul

    choose_hangul._kiwi.cache_clear()  # noqa: SLF001 - the cache is the only reference; the model goes with it
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand the freed arenas back to the system


def is_chapter(prompt: Prompt) -> bool:
    return not any(s.kind in PROMPT_KINDS for s in prompt.sections)


# --------------------------------------------------------------------------- preview


class PreviewCache:
    """The last few preview answers by the sha256 of what they were drawn from (path, text, orientation, seed).

    Undo, redo, typing a character and deleting it, toggling the orientation back: the editor often asks
    again for a text it drew a moment ago, and the answer is a pure function of those inputs."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(path: str, text: str, orientation: str | None, seed: int | None) -> str:
        return hashlib.sha256(json.dumps([path, text, orientation, seed]).encode("utf-8")).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)



def preview(parsed: Parsed) -> dict[str, Any]:
    """What the page needs to draw and annotate the sheet: the fragment, page rule, diagnostics, source lines."""
    sheet, prompt = parsed.sheet, parsed.prompt
    return {
        "fragment": render_fragment(sheet, fit=FitOptions()),
        "page": {"width_mm": sheet.page.width_mm, "height_mm": sheet.page.height_mm,
                 "orientation": sheet.page.orientation, "source": sheet.page.orientation_source},
        "page_rule": page_rule(sheet.page),
        "title": sheet.title,
        "seed": sheet.seed,
        "diagnostics": [diagnostic(d) for d in sheet.warnings],
        "panels": {p.id: panel_source(p, prompt) for row in sheet.rows for p in row.panels},
        "rows": [{"index": i, "kind": r.kind, "ratio": r.ratio, "widths": r.widths, "line": r.line,
                  "panels": [p.id for p in r.panels]} for i, r in enumerate(sheet.rows)],
        "auto_layout": sheet.auto_layout,
        "chapter": is_chapter(prompt),
        "unplaced": [{"section": u.section, "reason": u.reason, "line": u.line} for u in sheet.unplaced],
        "left_out": sheet.left_out,
    }


def diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "message": d.message, "line": d.line, "col": d.col}


def panel_source(panel: Panel, prompt: Prompt) -> dict[str, Any]:
    """The source line ranges a panel shows (its wireframe box and the content sections placed in it)."""
    spans: list[tuple[int, int]] = []
    lines = [b.line for b in panel.blocks if b.line is not None]
    if panel.line is not None:
        spans.append((panel.line, max([panel.line, *lines])))
    by_title = {s.title: s for s in prompt.sections if s.kind == "content"}
    placed = [by_title[t] for t in panel.sections if t in by_title]
    spans.extend((s.line_start, s.line_end) for s in placed)
    extra = [b.line for b in panel.extra if b.line is not None]
    if not placed and extra:
        spans.extend(_section_span(prompt.sections, line) for line in extra[:1])
    jump = placed[0].line_start if placed else (panel.line or (extra[0] if extra else None))
    return {"title": panel.title, "lines": sorted(set(spans)), "jump": jump}


def _section_span(sections: Sequence[Section], line: int) -> tuple[int, int]:
    for s in sections:
        if s.line_start <= line <= s.line_end:
            return s.line_start, s.line_end
    return line, line


# --------------------------------------------------------------------------- chapters


def plan_text(parsed: Parsed) -> tuple[str, str]:
    """A chapter's plan as an editable prompt (the plan render would draw), and who made it."""
    from nanosheet.plan import plan_prompt

    return write_prompt(plan_prompt(parsed.prompt)), "plan"


# --------------------------------------------------------------------------- export


def export(parsed: Parsed, outdir: Path, *, browser: SheetBrowser, formats: Sequence[str],
           dpi: float = 300.0, source: str | None = None) -> ExportResult:
    """The real export path: PNG/PDF/HTML and the report, written atomically into ``outdir``."""
    return export_sheet(parsed.sheet, outdir, browser=browser, formats=formats, dpi=dpi, source=source)


def thumbnail(parsed: Parsed, *, browser: SheetBrowser, dpi: float = 24.0) -> bytes:
    """A small PNG of the drawn sheet for the folder sidebar."""
    sheet = parsed.sheet
    png = browser.capture(render_fragment(sheet, fit=FitOptions()), sheet.page, title=sheet.title,
                          formats=["png"], dpi=dpi).png
    assert png is not None  # asked for
    return png
