"""Repaired input text -> the text sent to an image model.

By default the repaired prompt goes out as it is (the prompts were written for Nano Banana), with
its whitespace tidied; ``generate --clean`` hands this same function the prompt ``nanosheet prompt``
writes (``promptgen.write_prompt``: explicit wireframe, ratio table and orientation).
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from nanosheet.errors import InputError


def image_prompt_text(repaired_text: str) -> str:
    """The prompt as sent: trailing spaces dropped, runs of blank lines collapsed, one final newline."""
    lines = [line.rstrip() for line in repaired_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    text = "\n".join(out).strip("\n")
    if not text:
        raise InputError("the prompt is empty", hint="give a cheat-sheet prompt or a markdown chapter")
    return text + "\n"


def prompt_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_repaired_text(path: Path) -> str:
    """The input as clean UTF-8, via ingest's intake (mojibake undone) when that stage is present."""
    try:  # looked up by name: intake is being built alongside this module
        intake = importlib.import_module("nanosheet.ingest.intake")
    except ImportError:  # intake not there yet: plain UTF-8 is the best we can do
        return _read_utf8(path)
    return str(intake.read_text(path).text)


def _read_utf8(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("file not found", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from exc
