"""One exception family for the whole pipeline; the CLI turns these into `error: …` and an exit code."""

from __future__ import annotations


class NanosheetError(Exception):
    """Base class. ``exit_code`` 2 means bad input, 1 means the tool failed to produce output."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 col: int | None = None, hint: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.col = col
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """``file:line:col: message (hint)`` with whatever parts are known."""
        place = ":".join(str(p) for p in (self.file, self.line, self.col) if p is not None)
        text = f"{place}: {self.message}" if place else self.message
        return f"{text} — {self.hint}" if self.hint else text


class InputError(NanosheetError):
    """The input cannot be read as a prompt or chapter (empty, binary, truncated, malformed)."""

    exit_code = 2


class LayoutError(InputError):
    """The wireframe or ratio spec is broken beyond repair."""


class RenderError(NanosheetError):
    """The browser could not draw or export the sheet."""


class StrictOverflowError(RenderError):
    """Content did not fit at the minimum legible size and --strict was given."""


class BackendError(NanosheetError):
    """An optional AI backend (LLM, image model, OCR) failed or is not configured."""


class ConfigError(NanosheetError):
    """A missing key, tool or setting the user must provide."""

    exit_code = 2


class OutputError(NanosheetError):
    """An output could not be written (full disk, read-only place, a directory in the way)."""
