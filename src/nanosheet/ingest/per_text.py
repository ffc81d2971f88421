"""A parse of one piece of a file, cached by its text and first line: a parser ``(text, first_line, file)``
in, the same call out that parses each distinct text once.

The studio reads every keystroke's text from a fresh scratch path, so a cache that kept the file name in
its key never hit; the cached parse runs under a stand-in name, and each caller gets copies whose
diagnostics name its own file (the callers change what they get, and the cached answer must not change).
A parse that raises is run again under the caller's name, so the error names the right file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Generic, TypeVar

from pydantic import BaseModel

from nanosheet.errors import NanosheetError
from nanosheet.model import Diagnostic

T = TypeVar("T", bound=BaseModel)

ANY_FILE = "\0cached"
"""The file name the cached parse writes into its diagnostics, replaced by each caller's."""


class PerText(Generic[T]):
    """``parse(text, first_line, file)`` through a cache keyed on ``(text, first_line)``; ``cached`` is the
    cache itself (``cached.cache_info()``)."""

    def __init__(self, parse: Callable[[str, int, str], tuple[list[T], list[Diagnostic]]], maxsize: int) -> None:
        self.parse = parse
        self.cached = lru_cache(maxsize=maxsize)(lambda text, first_line: parse(text, first_line, ANY_FILE))

    def __call__(self, text: str, first_line: int, file: str) -> tuple[list[T], list[Diagnostic]]:
        try:
            items, diagnostics = self.cached(text, first_line)
        except NanosheetError:
            self.parse(text, first_line, file)  # raises again, naming the file
            raise
        return ([item.model_copy(deep=True) for item in items],
                [d.model_copy(update={"file": file}) if d.file == ANY_FILE else d.model_copy() for d in diagnostics])
