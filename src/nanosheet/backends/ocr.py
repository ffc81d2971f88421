"""An image -> the text tesseract reads in it (``kor+eng``), behind one narrow seam for fakes.

tesseract runs with ``OMP_THREAD_LIMIT=1``: on two cores its OpenMP threads fight each other and
a page takes 6–8× longer. pytesseract hands ``os.environ`` to the subprocess, so the limit is set
there for the duration of each call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Protocol

from PIL import Image, ImageOps

from nanosheet.errors import BackendError, ConfigError

DEFAULT_LANG = "kor+eng"
_env_lock = threading.Lock()


class OcrEngine(Protocol):
    def read(self, image: Image.Image, *, psm: int = 6) -> str:
        """The text in ``image``; ``psm`` is tesseract's page segmentation mode (6 block, 3 auto, 11 sparse)."""
        ...


class TesseractOcr:
    """``OcrEngine`` over pytesseract and the tesseract binary."""

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        check_tesseract(lang)
        self.lang = lang

    def read(self, image: Image.Image, *, psm: int = 6) -> str:
        import pytesseract

        gray = ImageOps.grayscale(image)
        try:
            with _single_thread():
                return str(pytesseract.image_to_string(gray, lang=self.lang, config=f"--psm {psm}"))
        except pytesseract.TesseractNotFoundError as exc:
            raise _missing_tesseract() from exc
        except (pytesseract.TesseractError, OSError, RuntimeError) as exc:
            raise BackendError(f"tesseract failed: {' '.join(str(exc).split())[:300]}") from exc


def check_tesseract(lang: str = DEFAULT_LANG) -> None:
    """ConfigError naming what to install when pytesseract, tesseract or a language is missing."""
    missing = sorted(set(lang.split("+")) - _installed_languages())
    if missing:
        packages = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise ConfigError(f"tesseract has no language data for {', '.join(missing)}",
                          hint=f"apt-get install {packages}")


@lru_cache(maxsize=1)
def _installed_languages() -> frozenset[str]:
    try:
        import pytesseract
    except ImportError as exc:
        raise ConfigError("the pytesseract package is not installed", hint="pip install 'nanosheet[ai]'") from exc
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise _missing_tesseract() from exc


def _missing_tesseract() -> ConfigError:
    return ConfigError("the tesseract program is not installed or not on PATH",
                       hint="apt-get install tesseract-ocr tesseract-ocr-kor")


@contextmanager
def _single_thread() -> Iterator[None]:
    with _env_lock:
        before = os.environ.get("OMP_THREAD_LIMIT")
        os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        with _env_lock:
            if before is None:
                os.environ.pop("OMP_THREAD_LIMIT", None)
            else:
                os.environ["OMP_THREAD_LIMIT"] = before
