"""Export stage: drawn sheets to PNG, PDF, HTML and a report, through one capture contract and one browser.

The names below are imported on first use (PEP 562): a batch imports ``nanosheet.export.write`` for its
cache check, and that must not import Playwright, the models and the renderer before Chromium starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nanosheet.export.capture import Capture, Captured
    from nanosheet.export.files import ExportResult, export_sheet
    from nanosheet.export.pool import BrowserPool
    from nanosheet.export.pool import BrowserPool as SheetBrowser

_HOMES = {"Capture": "capture", "Captured": "capture", "ExportResult": "files", "export_sheet": "files",
          "BrowserPool": "pool", "SheetBrowser": "pool"}
"""Where each name lives; ``SheetBrowser`` is the name tests and tools know the browser pool by."""

__all__ = ["BrowserPool", "Capture", "Captured", "ExportResult", "SheetBrowser", "export_sheet"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{home}")
    return getattr(module, "BrowserPool" if name == "SheetBrowser" else name)
