"""Shared fixtures: one Chromium per test session, and rendered sheets cached across tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The team's shared inputs (examples, seed) beside the repo checkout."""


@pytest.fixture(scope="session")
def sheet_browser() -> Iterator[object]:
    from nanosheet.export import SheetBrowser

    with SheetBrowser() as browser:
        yield browser


@pytest.fixture(scope="session")
def render_sheet(sheet_browser: object, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., object]:
    """``render_sheet(sheet, key=...)`` → ExportResult, rendered once per key for the whole session."""
    from nanosheet.export import ExportResult, SheetBrowser, export_sheet
    from nanosheet.model import Sheet

    cache: dict[str, ExportResult] = {}

    def render(sheet: Sheet, key: str | None = None, **kwargs: object) -> ExportResult:
        key = key or sheet.stem
        if key not in cache:
            assert isinstance(sheet_browser, SheetBrowser)
            out = tmp_path_factory.mktemp(f"render-{key}")
            cache[key] = export_sheet(sheet, out, browser=sheet_browser, **kwargs)  # type: ignore[arg-type]
        return cache[key]

    return render


@pytest.fixture
def cli_uses_session_browser(monkeypatch: pytest.MonkeyPatch, sheet_browser: object) -> None:
    """In-process CLI runs borrow the session's browser: Playwright's sync API allows one per process."""
    from contextlib import contextmanager

    @contextmanager
    def shared() -> Iterator[object]:
        yield sheet_browser

    monkeypatch.setattr("nanosheet.export.run.BrowserPool", shared)
