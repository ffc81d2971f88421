"""A cheat-sheet image + what it should say -> per panel: found / garbled / missing strings and the CER.

Two ways to know where text should be. With a render report (``<stem>.report.json``: page size and
each panel's ``box_mm``) every panel is cropped and read on its own, since whole-page OCR scrambles
multi-column reading order. Without one (a foreign image, e.g. Nano Banana's own output) the page
is read whole in a few segmentation modes and each expected string is searched anywhere.

Strings are compared on letters and digits only (NFC, case folded): OCR's punctuation and spacing
noise says nothing about whether a reader can read the sheet. CER = Levenshtein distance between
an expected string and the best-matching stretch of OCR text, over the expected length.
"""

from __future__ import annotations

import json
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageOps
from pydantic import ValidationError
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from nanosheet.backends.blocktext import panel_lines
from nanosheet.backends.ocr import OcrEngine, TesseractOcr
from nanosheet.errors import InputError
from nanosheet.model import Prompt, ReportBoxes

FOUND_CER = 0.15
"""At most this share of characters wrong still counts as found (one slip in a short Korean phrase)."""
MISSING_CER = 0.5
"""Beyond this the string is not in the image at all; in between it is there but garbled."""
PAGE_PSMS = (3, 11, 6)
"""Whole-page modes tried on foreign images: automatic layout, sparse text, one block."""
PANEL_READS = ((6, 1.0, None), (3, 1.0, None), (11, 1.0, None), (6, 0.5, None), (3, 0.5, None),
               (11, 0.5, None), (6, 1.0, 200), (3, 1.0, 200))
"""(psm, scale, grey threshold) readings of each panel crop; every string is judged on its best reading.

One block (6) keeps a list's lines in order, automatic layout (3) and sparse text (11) separate the
columns of a mind map; at half size (150 dpi) the handwriting font's strokes merge into shapes
tesseract's printed-font model knows better; a threshold at grey 200 drops pastel fills and the
blue grid. On the seed render this took the mind-map panel's
Hangul CER from 50 % (psm 6 alone) to about 12 %."""
Status = Literal["found", "garbled", "missing"]


@dataclass
class Expected:
    title: str
    lines: list[str]
    id: str | None = None
    box_mm: tuple[float, float, float, float] | None = None


@dataclass
class StringResult:
    text: str
    status: Status
    cer: float
    read: str
    """The stretch of OCR text it was matched to (normalised)."""
    errors: int
    length: int
    hangul_errors: int
    hangul_length: int


@dataclass
class PanelResult:
    title: str
    id: str | None
    found: bool
    """The panel's title was read (possibly with slips)."""
    status: Status
    cer: float
    cer_hangul: float | None
    title_status: Status
    missing: list[str] = field(default_factory=list)
    garbled: list[str] = field(default_factory=list)
    strings: list[StringResult] = field(default_factory=list)


@dataclass
class VerifyResult:
    image: str
    mode: Literal["panels", "page"]
    cer: float
    cer_hangul: float | None
    panels: list[PanelResult]
    ocr_seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- expected text


def expected_from_report(report: dict[str, Any]) -> tuple[tuple[float, float], list[Expected]]:
    """Page size (mm) and each panel's title, lines and box from a render report (validated first)."""
    boxes = _validated(report)
    panels = [Expected(p.title, [ln for ln in p.text.splitlines() if ln.strip()], p.id,
                       (p.box_mm[0], p.box_mm[1], p.box_mm[2], p.box_mm[3])) for p in boxes.panels]
    return (boxes.page.width_mm, boxes.page.height_mm), panels


def _validated(report: dict[str, Any]) -> ReportBoxes:
    """The report's page and boxes, or one InputError naming the first bad field (a zero-width page…)."""
    try:
        return ReportBoxes.model_validate(report)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the top level"
        raise InputError(f"not a nanosheet render report: {where}: {first['msg']}",
                         hint="render the sheet again for a fresh report") from None


def expected_from_prompt(prompt: Prompt) -> list[Expected]:
    """Titles and wireframe lines of every panel, as the prompt asked for them."""
    return [Expected(panel.title, panel_lines(panel), panel.id)
            for row in prompt.rows for panel in row.panels if panel.title.strip()]


# --------------------------------------------------------------------------- matching


def normalise(text: str) -> str:
    """Letters and digits only, NFC, case folded."""
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def _hangul(text: str) -> str:
    return "".join(ch for ch in text if "\uac00" <= ch <= "\ud7a3")


def match_string(expected: str, haystacks: list[str], korean: list[str] | None = None) -> StringResult | None:
    """The best match of ``expected`` in any haystack (already normalised); None when too short to judge.

    ``korean`` holds readings by the Korean-only model. Tesseract's kor+eng model misreads the syllable
    right after an English word (``LLM의`` -> ``llm9``, ``token이`` -> ``token0``) and the kor model the
    English word itself, so each script is judged on the model for that script: the Hangul error count
    is the smallest over all readings, the overall one over the mixed readings and the Korean ones.
    """
    needle = normalise(expected)
    if len(needle) < 2:
        return None
    every = haystacks + (korean or [])
    cuts = _word_cuts(expected)
    windows = [_best_window_wrapped(needle, hay, cuts) for hay in every]
    errors, read = min(windows, default=(len(needle), ""))
    cer = errors / len(needle)
    status: Status = "found" if cer <= FOUND_CER else "garbled" if cer <= MISSING_CER else "missing"
    h_need = _hangul(needle)
    h_err = min((Levenshtein.distance(h_need, _hangul(window)) for _, window in windows),
                default=len(h_need)) if h_need else 0
    return StringResult(expected, status, round(cer, 4), read, errors, len(needle), h_err, len(h_need))


def _word_cuts(text: str) -> list[int]:
    """Where, in the normalised text, one word ends and the next begins (where a line may wrap)."""
    cuts, at = [], 0
    for word in text.split()[:-1]:
        at += len(normalise(word))
        cuts.append(at)
    return [c for c in cuts if 0 < c < len(normalise(text))]


def _best_window_wrapped(needle: str, hay: str, cuts: list[int]) -> tuple[int, str]:
    """:func:`_best_window`, or a string wrapped onto two lines with another column's text read in
    between (a mind map's nodes side by side): its two parts in order, errors added up."""
    best = _best_window(needle, hay)
    for cut in cuts:
        if best[0] == 0:
            break
        head, tail = needle[:cut], needle[cut:]
        if min(len(head), len(tail)) < 2:
            continue
        h_err, h_read = _best_window(head, hay)
        at = hay.find(h_read) + len(h_read) if h_read else 0
        t_err, t_read = _best_window(tail, hay[at:])
        if h_err + t_err < best[0]:
            best = (h_err + t_err, h_read + t_read)
    return best


def _best_window(needle: str, hay: str) -> tuple[int, str]:
    """Smallest edit distance between ``needle`` and any substring of ``hay`` near the fuzzy best spot."""
    if not hay:
        return len(needle), ""
    spot = fuzz.partial_ratio_alignment(needle, hay)
    start, end = (spot.dest_start, spot.dest_end) if spot else (0, min(len(hay), len(needle)))
    slack = max(2, len(needle) // 4)
    best = (Levenshtein.distance(needle, hay[start:end]), hay[start:end])
    for s in range(max(0, start - slack), min(len(hay), start + slack) + 1):
        for e in range(max(s + 1, end - slack), min(len(hay), end + slack) + 1):
            window = hay[s:e]
            dist = Levenshtein.distance(needle, window, score_cutoff=best[0])
            if dist < best[0]:
                best = (dist, window)
    return best


def judge_panel(expected: Expected, haystacks: list[str], korean: list[str] | None = None) -> PanelResult:
    title = match_string(expected.title, haystacks, korean)
    strings = [r for r in (match_string(line, haystacks, korean) for line in expected.lines) if r is not None]
    every = ([title] if title else []) + strings
    errors, length = sum(r.errors for r in every), sum(r.length for r in every)
    h_err, h_len = sum(r.hangul_errors for r in every), sum(r.hangul_length for r in every)
    cer = errors / length if length else 0.0
    title_status: Status = title.status if title else "found"
    status: Status = ("missing" if title_status == "missing" and all(r.status == "missing" for r in strings)
                      else "found" if cer <= FOUND_CER and title_status == "found" else "garbled")
    return PanelResult(expected.title, expected.id, title_status != "missing", status, round(cer, 4),
                       round(h_err / h_len, 4) if h_len else None, title_status,
                       [r.text for r in every if r.status == "missing"],
                       [r.text for r in every if r.status == "garbled"], every)


# --------------------------------------------------------------------------- verify


def verify_image(image_path: Path, expected: list[Expected], *, page_mm: tuple[float, float] | None = None,
                 ocr: OcrEngine | None = None) -> VerifyResult:
    """OCR ``image_path`` panel by panel when boxes and page size are known, else as a whole page."""
    image = _open(image_path)
    engine = ocr or TesseractOcr()
    started = time.perf_counter()
    boxed = page_mm is not None and all(e.box_mm for e in expected)
    korean = _korean_engine(engine)
    if boxed and page_mm is not None:
        panels = []
        for e in expected:
            crop = _crop(image, e, page_mm)
            hangul = [normalise(korean.read(crop, psm=psm)) for psm in KOREAN_PSMS] if korean else None
            panels.append(judge_panel(e, _panel_readings(engine, crop), hangul))
    else:
        page = _enlarge(image)
        haystacks = [normalise(engine.read(page, psm=psm)) for psm in PAGE_PSMS]
        panels = [judge_panel(e, haystacks) for e in expected]
    seconds = time.perf_counter() - started
    every = [s for p in panels for s in p.strings]
    length, h_len = sum(s.length for s in every), sum(s.hangul_length for s in every)
    return VerifyResult(str(image_path), "panels" if boxed else "page",
                        round(sum(s.errors for s in every) / length, 4) if length else 0.0,
                        round(sum(s.hangul_errors for s in every) / h_len, 4) if h_len else None,
                        panels, round(seconds, 2))


def verify_against(image_path: Path, against: Path | None, *, report_path: Path | None = None,
                   ocr: OcrEngine | None = None) -> VerifyResult:
    """``nanosheet verify``: expected text from the report beside the image (or --report), else the input."""
    report_path = report_path or _sibling_report(image_path)
    if against is not None:
        from nanosheet.ingest import read_prompt

        prompt = read_prompt(against)  # a bad --against is an error even when a report has the boxes
        if report_path is None:
            return verify_image(image_path, expected_from_prompt(prompt), ocr=ocr)
    if report_path is not None:
        try:
            page_mm, expected = expected_from_report(_load_json(report_path))
        except InputError as exc:
            exc.file = exc.file or str(report_path)
            raise
        return verify_image(image_path, expected, page_mm=page_mm, ocr=ocr)
    raise InputError("nothing to verify against", hint="give --against INPUT or --report PATH")


KOREAN_PSMS = (6, 11)
"""Korean-only readings of each panel (block and sparse text), for the Hangul the mixed model misreads."""


def _korean_engine(engine: OcrEngine) -> OcrEngine | None:
    """A kor-only tesseract beside a kor+eng one; None for other engines (fakes in tests)."""
    if isinstance(engine, TesseractOcr) and engine.lang != "kor" and "kor" in engine.lang.split("+"):
        return TesseractOcr("kor")
    return None


def _panel_readings(engine: OcrEngine, crop: Image.Image) -> list[str]:
    out = []
    for psm, scale, threshold in PANEL_READS:
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        image = crop if scale == 1.0 else crop.resize(size, Image.Resampling.LANCZOS)
        if threshold is not None:
            table = [255 if v > threshold else 0 for v in range(256)]
            image = ImageOps.grayscale(image).point(table).convert("RGB")
        out.append(normalise(engine.read(image, psm=psm)))
    return out


def _sibling_report(image_path: Path) -> Path | None:
    candidate = image_path.with_name(image_path.stem + ".report.json")
    return candidate if candidate.is_file() else None


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the report ({exc})", file=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("the report is not a JSON object", file=str(path))
    return data


def _open(path: Path) -> Image.Image:
    try:
        image = Image.open(path)
        image.load()
    except FileNotFoundError as exc:
        raise InputError("image not found", file=str(path)) from exc
    except Exception as exc:  # Pillow raises several kinds for undecodable files
        raise InputError(f"not an image Pillow can read ({exc})", file=str(path)) from exc
    return image.convert("RGB")


def _crop(image: Image.Image, expected: Expected, page_mm: tuple[float, float]) -> Image.Image:
    assert expected.box_mm is not None
    sx, sy = image.width / page_mm[0], image.height / page_mm[1]
    x, y, w, h = expected.box_mm
    pad = 1.0  # mm: strokes and descenders sit on the box edge
    box = (max(0, round((x - pad) * sx)), max(0, round((y - pad) * sy)),
           min(image.width, round((x + w + pad) * sx)), min(image.height, round((y + h + pad) * sy)))
    return image.crop(box)


def _enlarge(image: Image.Image, min_width: int = 2000) -> Image.Image:
    """Small screenshots (1024 px) carry ~10 px letters; tesseract wants ~30."""
    if image.width >= min_width:
        return image
    factor = min_width / image.width
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)
