"""A file's bytes in; clean text (UTF-8 decoded, LF line endings, mojibake undone) plus what was done out.

Bad input raises ``InputError`` (exit 2) pointing at file:line:col: empty, binary, too large, or bytes
that are neither UTF-8 nor Korean legacy text. Recoverable oddities become ``Diagnostic`` warnings.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nanosheet.errors import InputError
from nanosheet.ingest.repair import repair_mojibake
from nanosheet.model import Diagnostic, Repairs

MAX_BYTES = 8 * 1024 * 1024
"""Prompts and chapters are tens of kilobytes; past this the file is almost surely not one."""

_SIGNATURES = {
    b"\x89PNG": "a PNG image", b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or .docx)",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "a program",
}
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")


@dataclass(frozen=True)
class Intake:
    """Decoded, normalised text and the record of how it got that way."""

    text: str
    """Clean text with ``\\n`` line endings and no BOM."""
    repairs: Repairs = field(default_factory=Repairs)
    warnings: list[Diagnostic] = field(default_factory=list)


def read_text(path: Path) -> Intake:
    """Read ``path`` and decode it (see ``decode_bytes``); unreadable paths are ``InputError`` too."""
    return decode_bytes(read_limited(path), str(path))


def read_limited(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, else ``InputError`` (exit 2).

    Devices, FIFOs and sockets are refused before they are read: ``st_size`` is 0 for them, so a size
    check alone lets ``/dev/zero`` fill memory and a FIFO block forever. The file is opened with
    O_NONBLOCK (a FIFO swapped in after the stat must not block the open) and checked again with fstat,
    and the read stops at ``limit + 1`` bytes whatever the size said (a file may grow while read).
    """
    name = str(path)
    try:
        _check_regular(os.stat(path), name, limit)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            _check_regular(os.fstat(fd), name, limit)
            data = _read_at_most(fd, limit + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a text file", file=name) from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO/device with nothing on the other end
            raise _not_regular(name, "a socket or device") from None
        raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if len(data) > limit:
        raise _too_large(name, f"more than {limit // 2**20} MB", limit)
    return data


def _check_regular(st: os.stat_result, name: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory, expected a text file", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(name, _KINDS.get(stat.S_IFMT(st.st_mode), "not a file"))
    if st.st_size > limit:
        raise _too_large(name, f"{st.st_size / 2**20:.1f} MB", limit)


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket"}


def _not_regular(name: str, kind: str) -> InputError:
    return InputError(f"not a regular file ({kind})", file=name, hint="expected a text file on disk")


def _too_large(name: str, size: str, limit: int) -> InputError:
    return InputError(f"file is {size}; the limit is {limit // 2**20} MB", file=name,
                      hint="is this really a prompt or chapter?")


def _read_at_most(fd: int, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def decode_bytes(data: bytes, file: str) -> Intake:
    """Decode a file's bytes: UTF-8 (BOM allowed), UTF-16 with BOM, or CP949 as a legacy fallback."""
    if len(data) > MAX_BYTES:
        raise InputError(f"input is {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB", file=file)
    if not data:
        raise _empty(file, "file is empty")
    warnings: list[Diagnostic] = []
    text, encoding = _decode(data, file, warnings)
    if not text.strip():
        raise _empty(file, "file holds only whitespace")
    _reject_binary(text, data, file)
    text, endings = _normalise_newlines(text)
    repaired, repairs = repair_mojibake(text)
    repairs.encoding = encoding
    repairs.bom = encoding in ("utf-8-sig", "utf-16")
    repairs.line_endings = endings
    warnings += _repair_warnings(repairs, file)
    return Intake(text=repaired, repairs=repairs, warnings=warnings)


def _empty(file: str, message: str) -> InputError:
    return InputError(message, file=file, line=1, col=1, hint="expected a cheat-sheet prompt or a markdown chapter")


def _decode(data: bytes, file: str, warnings: list[Diagnostic]) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(data, exc.start, file, "UTF-16 (it starts with a UTF-16 byte-order mark)") from None
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise _binary(data, file, at)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        error = exc
    if error.end >= len(data) and error.reason == "unexpected end of data":
        # The file was cut inside its last character; everything before it is fine.
        line, col = _position(data, error.start)
        warnings.append(Diagnostic(code="truncated-char", file=file, line=line, col=col,
                                   message="the file ends inside a character; it was replaced with U+FFFD"))
        return data.decode(encoding, errors="replace"), encoding
    legacy = _try_cp949(data)
    if legacy is not None:
        warnings.append(Diagnostic(code="legacy-encoding", file=file, line=1, col=1,
                                   message="not UTF-8; read as CP949 (Korean Windows) instead"))
        return legacy, "cp949"
    raise _bad_bytes(data, error.start, file, "UTF-8")


def _try_cp949(data: bytes) -> str | None:
    """Korean text saved by older Windows tools is CP949; accept it only if it decodes cleanly and
    actually contains Hangul, so random bytes are not mistaken for it."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in text)
    return text if hangul >= 2 and not any(c < " " and c not in _TEXT_CONTROLS for c in text) else None


def _reject_binary(text: str, data: bytes, file: str) -> None:
    """C0 control characters other than tab/newline/escape do not occur in prompts; many mean a binary
    file. (C1 controls U+0080–U+009F are left alone: Latin-1 mojibake is full of them.)"""
    sample = text[:65536]
    controls = sum(1 for c in sample if (c < " " or c == "\x7f") and c not in _TEXT_CONTROLS)
    if controls > max(8, len(sample) // 100):
        first = next(i for i, c in enumerate(text) if (c < " " or c == "\x7f") and c not in _TEXT_CONTROLS)
        line = text.count("\n", 0, first) + 1
        col = first - (text.rfind("\n", 0, first) + 1) + 1
        kind = _kind(data)
        raise InputError(f"looks like binary data ({kind}), not text: control character "
                         f"U+{ord(text[first]):04X}", file=file, line=line, col=col,
                         hint="expected a UTF-8 text file")


def _binary(data: bytes, file: str, at: int) -> InputError:
    line, col = _position(data, at)
    return InputError(f"looks like binary data ({_kind(data)}), not text: NUL byte at offset {at}",
                      file=file, line=line, col=col, hint="expected a UTF-8 text file")


def _bad_bytes(data: bytes, at: int, file: str, expected: str) -> InputError:
    line, col = _position(data, at)
    return InputError(f"invalid {expected} byte 0x{data[at]:02X} at offset {at}", file=file, line=line, col=col,
                      hint="save the file as UTF-8 and try again")


def _kind(data: bytes) -> str:
    return next((kind for magic, kind in _SIGNATURES.items() if data.startswith(magic)), "unknown format")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset (the line's prefix decoded leniently)."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", errors="replace")) + 1


def _normalise_newlines(text: str) -> tuple[str, Literal["lf", "crlf", "cr", "mixed"]]:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    endings: Literal["lf", "crlf", "cr", "mixed"] = "mixed" if len(kinds) > 1 else (
        "crlf" if kinds == ["crlf"] else "cr" if kinds == ["cr"] else "lf")
    if crlf or cr:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, endings


def _repair_warnings(repairs: Repairs, file: str) -> list[Diagnostic]:
    warnings: list[Diagnostic] = []
    if repairs.mojibake:
        warnings.append(Diagnostic(
            code="mojibake", file=file,
            message=f"text had been through {repairs.mojibake}; {repairs.changed_chars} characters restored, "
                    f"{len(repairs.recovered)} rebuilt from lost bytes"))
    for rec in repairs.unrecoverable:
        warnings.append(Diagnostic(code="unrecoverable-char", file=file, line=rec.line, col=rec.col,
                                   message="a character lost too many bytes to rebuild; left as U+FFFD"))
    for rec in repairs.recovered:
        if rec.guessed:
            warnings.append(Diagnostic(
                code="guessed-char", file=file, line=rec.line, col=rec.col,
                message=f"rebuilt {rec.chosen!r} without evidence against {', '.join(rec.candidates[1:4])}"))
    return warnings
