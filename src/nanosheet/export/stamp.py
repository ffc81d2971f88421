"""Exported bytes in, the same bytes with fixed metadata out: DPI in the PNG, no clock time in the PDF.

Both edits are byte splices rather than a decode/re-encode: re-encoding a 2480×3508 PNG with Pillow
costs ~0.5 s per sheet (the batch issue's budget is 1 s), and rewriting the PDF with pypdf would
change its structure. Chromium writes neither DPI nor a fixed date, so these are the only changes.
"""

from __future__ import annotations

import re
import struct
import zlib

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IHDR_END = 8 + 4 + 4 + 13 + 4
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")
FIXED_PDF_DATE = b"20000101000000"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_dpi(png: bytes, dpi: float) -> bytes:
    """Insert (or replace) the pHYs chunk so viewers and printers know the resolution."""
    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("not a PNG with an IHDR chunk")
    body = _strip_chunks(png[_IHDR_END:], {b"pHYs", b"tIME"})
    ppm = round(dpi / 0.0254)
    return png[:_IHDR_END] + _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)) + body


def _strip_chunks(data: bytes, kinds: set[bytes]) -> bytes:
    out, i = bytearray(), 0
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        end = i + 12 + length
        if data[i + 4:i + 8] not in kinds:
            out += data[i:end]
        i = end
    return bytes(out)


def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def pdf_without_clock(pdf: bytes) -> bytes:
    """Creation/modification dates set to a fixed value of the same length (xref offsets stay valid)."""
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + FIXED_PDF_DATE, pdf)


_MEDIA_BOX = re.compile(rb"/MediaBox \[0 0 (\d+\.\d+) (\d+\.\d+)\]")


def pdf_exact_page(pdf: bytes, width_mm: float, height_mm: float) -> bytes:
    """MediaBox set to the exact paper size, written in the same number of bytes (xref offsets stay valid).

    Chromium rounds the page to whole CSS pixels (A4 comes out 594.96 x 841.92 pt, 209.9 mm wide); the
    difference is a fraction of a point at the page's blank right or bottom margin.
    """
    def exact(match: re.Match[bytes]) -> bytes:
        old_w, old_h = match.group(1), match.group(2)
        new_w = _same_width(width_mm * 72 / 25.4, len(old_w))
        new_h = _same_width(height_mm * 72 / 25.4, len(old_h))
        if new_w is None or new_h is None:
            return match.group(0)
        return b"/MediaBox [0 0 " + new_w + b" " + new_h + b"]"

    return _MEDIA_BOX.sub(exact, pdf)


def _same_width(value: float, width: int) -> bytes | None:
    """``value`` as decimal text of exactly ``width`` bytes, or None if it cannot be written so."""
    whole = len(str(int(value)))
    decimals = width - whole - 1
    if decimals < 1:
        return None
    text = f"{value:.{decimals}f}".encode()
    return text if len(text) == width else None
