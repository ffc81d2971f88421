"""``nanosheet doctor`` on this machine (everything installed by make setup: exit 0), and with a program,
a font folder, the font cache or the front-end assets hidden: it names the package and the apt-get line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanosheet import doctor
from nanosheet.assets import node_modules
from nanosheet.cli import app
from nanosheet.render import fonts

APT = "apt-get install -y --no-install-recommends"


def _doctor() -> tuple[int, str]:
    result = CliRunner().invoke(app, ["doctor"])
    return result.exit_code, result.output


def test_this_machine_has_everything() -> None:
    code, out = _doctor()
    assert code == 0, out
    assert "everything a render needs is here" in out
    for name in ("Chromium", "NanumBarunpen", "Noto Color Emoji", "tesseract kor", "font cache",
                 "front-end assets", "CLDR emoji keywords", "zbarimg"):
        assert name in out
    assert "✗" not in out and APT not in out


def test_a_missing_chromium_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NANOSHEET_CHROMIUM", "/nonexistent/chromium")
    code, out = _doctor()
    assert code == 1
    assert f"{APT} chromium\n" in out
    assert "1 required check(s) failed: Chromium" in out


def test_hidden_programs_are_named_optional_ones_do_not_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor._which
    monkeypatch.setattr(doctor, "_which", lambda p: None if p in ("tesseract", "zbarimg") else real(p))
    code, out = _doctor()
    assert code == 0, out  # only `verify` and the tests need them
    assert f"{APT} tesseract-ocr tesseract-ocr-eng tesseract-ocr-kor zbar-tools\n" in out
    monkeypatch.setattr(doctor, "_which", lambda p: None if p == "fc-list" else real(p))
    code, out = _doctor()
    assert code == 1 and f"{APT} fontconfig\n" in out


def test_missing_font_files_name_their_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fonts, "DEBIAN_FONTS", tmp_path)
    code, out = _doctor()
    assert code == 1
    assert f"{APT} fonts-nanum fonts-nanum-extra fonts-noto-color-emoji\n" in out
    assert "needs the fonts above" in out


def test_font_cache_unbuilt_warns_unwritable_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NANOSHEET_FONT_CACHE", str(tmp_path / "cache"))
    code, out = _doctor()
    assert code == 0 and "not built yet" in out
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("NANOSHEET_FONT_CACHE", str(blocker / "cache"))
    code, out = _doctor()
    assert code == 1 and "NANOSHEET_FONT_CACHE" in out and "font cache" in out.split("failed:")[-1]


@pytest.fixture
def no_assets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("NANOSHEET_NODE_MODULES", str(tmp_path))
    node_modules.cache_clear()
    yield
    node_modules.cache_clear()


@pytest.mark.usefixtures("no_assets")
def test_missing_front_end_assets_say_make_setup() -> None:
    code, out = _doctor()
    assert code == 1
    assert "front-end assets: make setup (npm ci)" in out
    assert APT not in out  # npm files are not a Debian package


def test_every_check_reports_at_least_one_line() -> None:
    checks = doctor.run_checks()
    assert len(checks) >= len(doctor.CHECKS)
    assert doctor.apt_line(checks) is None
    assert doctor.apt_line([doctor.Check("x", "missing", "", ("b", "a")), doctor.Check("y", "ok", "", ("c",))]) \
        == f"{APT} a b"
