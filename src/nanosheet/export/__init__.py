"""Export stage: drawn sheets to PNG, PDF, HTML and a report, through one capture contract and one browser."""

from nanosheet.export.capture import Capture, Captured
from nanosheet.export.files import ExportResult, export_sheet
from nanosheet.export.pool import BrowserPool

SheetBrowser = BrowserPool
"""The name tests and tools know the browser by."""

__all__ = ["BrowserPool", "Capture", "Captured", "ExportResult", "SheetBrowser", "export_sheet"]
