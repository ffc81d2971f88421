"""Export stage: drawn sheets to PNG, PDF, HTML and a report, through one shared browser."""

from nanosheet.export.browser import SheetBrowser
from nanosheet.export.files import ExportResult, export_sheet

__all__ = ["ExportResult", "SheetBrowser", "export_sheet"]
