"""Ratio spec text + wireframe rows in, rows with ``ratio`` (percent, summing to 100) and flags out.

Three written forms occur: a 4-column table (영역/비율/내용/배치), a 3-column table whose split is
written in 내용 (``좌우 분할 - …``, ``3등분 - …``), and bullets (``- 상단 (10%): …``). Each entry is
checked against its wireframe row (one entry per row, the stated split against the panel count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanosheet.model import Diagnostic, Row

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*%")
_BULLET_PAREN = re.compile(
    r"^\s*(?:[-*•+]|\d+[.)])?\s*(?P<area>[^()（:：|%]*?)\s*[(（]\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*[)）]"
    r"\s*[:：]?\s*(?P<rest>.*)$"
)
_BULLET_COLON = re.compile(
    r"^\s*(?:[-*•+]|\d+[.)])\s*(?P<area>[^()（:：|%]+?)\s*[:：]\s*(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*[-–—:：,]?\s*"
    r"(?P<rest>.*)$"
)
_SPLIT_DIGIT = re.compile(r"([1-5])\s*(?:등분|분할|열|단(?!계)|columns?|cols?|panels?)", re.IGNORECASE)
_SPLIT_WORD = re.compile(r"좌우|양분|반반|side[- ]by[- ]side|two columns", re.IGNORECASE)
_FULL_WIDTH = re.compile(r"전체\s*(너비|폭)|full[- ]width", re.IGNORECASE)
_WIDEST = re.compile(r"가장\s*넓|widest|largest", re.IGNORECASE)
_WIDTHS = re.compile(r"(?:너비|widths?)\s*[:：=]?\s*(\d{1,3}(?:\.\d+)?(?:\s*:\s*\d{1,3}(?:\.\d+)?)+)", re.IGNORECASE)
"""Uneven panel widths in the 배치 cell, ``너비 60:40`` (written by ``promptgen``, e.g. after a studio drag)."""

# Default shares when the prompt states none: the title is a strip, the focus row is the largest.
_DEFAULT_SHARE = {"title": 10.0, "panels": 25.0, "band": 30.0}
_WIDEST_BONUS = 1.4


@dataclass
class RatioEntry:
    """One line of the ratio spec."""

    area: str
    percent: float
    content: str
    placement: str
    line: int
    panels: int | None = None
    """The split it states (``좌우 2등분`` → 2, ``3등분`` → 3, ``전체 너비`` → 1), if any."""
    widest: bool = False
    widths: list[float] | None = None
    """Relative panel widths the entry states (``너비 60:40``), if any."""


# --------------------------------------------------------------------------- reading


def parse_ratio_spec(text: str, first_line: int, file: str) -> tuple[list[RatioEntry], list[Diagnostic]]:
    """Read a ratio table or bullet list; ``first_line`` is the 1-based line of ``text``'s first line."""
    lines = text.split("\n")
    entries = _table_entries(lines, first_line)
    if not entries:
        entries = _bullet_entries(lines, first_line)
    diags: list[Diagnostic] = []
    for entry in entries:
        if entry.percent <= 0 or entry.percent > 100:
            diags.append(Diagnostic(code="ratio-value", file=file, line=entry.line,
                                    message=f"ratio {entry.percent:g}% for {entry.area or 'a row'} is out of "
                                            "range; used the default for that row"))
    return entries, diags


def _table_entries(lines: list[str], first_line: int) -> list[RatioEntry]:
    header: list[str] | None = None
    entries: list[RatioEntry] = []
    for offset, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            if header is not None and entries:
                break
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        entry = _table_row(header, cells, first_line + offset)
        if entry is not None:
            entries.append(entry)
    return entries


def _table_row(header: list[str], cells: list[str], line: int) -> RatioEntry | None:
    def column(*names: str) -> str:
        for i, head in enumerate(header):
            if i < len(cells) and any(n in head for n in names):
                return cells[i]
        return ""

    ratio_cell = column("비율", "ratio", "%", "높이", "height")
    match = _PERCENT.search(ratio_cell) or next(filter(None, (_PERCENT.search(c) for c in cells)), None)
    if match is None:
        return None
    area = column("영역", "area", "위치", "row", "구역") or (cells[0] if cells else "")
    content = column("내용", "content", "섹션")
    placement = column("배치", "layout", "placement", "분할")
    return _entry(area, float(match.group(1)), content, placement, line)


def _bullet_entries(lines: list[str], first_line: int) -> list[RatioEntry]:
    entries: list[RatioEntry] = []
    for offset, line in enumerate(lines):
        clean = line.replace("**", "")
        match = _BULLET_PAREN.match(clean) or _BULLET_COLON.match(clean)
        if match is None:
            continue
        entries.append(_entry(match.group("area").strip(), float(match.group("pct")), match.group("rest").strip(),
                              "", first_line + offset))
    return entries


def _entry(area: str, percent: float, content: str, placement: str, line: int) -> RatioEntry:
    said = f"{placement} {content}"
    return RatioEntry(area=_plain(area), percent=percent, content=_plain(content), placement=_plain(placement),
                      line=line, panels=_stated_split(said), widest=bool(_WIDEST.search(said)),
                      widths=_stated_widths(placement))


def _stated_widths(text: str) -> list[float] | None:
    match = _WIDTHS.search(text)
    if match is None:
        return None
    values = [float(v) for v in match.group(1).split(":")]
    return values if all(v > 0 for v in values) else None


def _stated_split(text: str) -> int | None:
    digit = _SPLIT_DIGIT.search(text)
    if digit:
        return int(digit.group(1))
    if _SPLIT_WORD.search(text):
        return 2
    if _FULL_WIDTH.search(text):
        return 1
    return None


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _plain(text: str) -> str:
    return re.sub(r"\s{2,}", " ", text.replace("**", "")).strip()


# --------------------------------------------------------------------------- applying


def apply_ratios(rows: list[Row], entries: list[RatioEntry], file: str,
                 spec_line: int | None = None) -> tuple[list[Row], list[Diagnostic]]:
    """Give each row its share of the page height; copies, never mutates ``rows``."""
    diags: list[Diagnostic] = []
    if not rows:
        return [], diags
    if entries and len(entries) != len(rows):
        diags.append(Diagnostic(
            code="ratio-mismatch", file=file, line=entries[0].line if entries else spec_line,
            message=f"the ratio spec lists {len(entries)} rows but the wireframe has {len(rows)}; "
                    f"matched them top to bottom and used defaults for the rest"))
    matched: list[RatioEntry | None] = [entries[i] if i < len(entries) else None for i in range(len(rows))]
    out: list[Row] = []
    for row, entry in zip(rows, matched, strict=True):
        flags = list(row.flags)
        if (entry is not None and entry.widest) or any("widest" in p.flags for p in row.panels):
            flags.append("widest")
        usable = entry is not None and 0 < entry.percent <= 100
        update: dict[str, object] = {
            "ratio_spec": entry.percent if usable and entry is not None else None,
            "flags": sorted(set(flags), key=flags.index),
        }
        if entry is not None and entry.widths is not None:
            if len(entry.widths) == len(row.panels):
                update["widths"] = entry.widths
            else:
                diags.append(Diagnostic(code="ratio-widths", file=file, line=entry.line,
                                        message=f"the ratio spec gives {len(entry.widths)} widths for a row of "
                                                f"{len(row.panels)} panel(s); kept equal widths"))
        out.append(row.model_copy(update=update))
        if entry is not None:
            diags.extend(_check_split(row, entry, file))
    diags.extend(_normalise(out, file, entries[0].line if entries else spec_line))
    return out, diags


def _check_split(row: Row, entry: RatioEntry, file: str) -> list[Diagnostic]:
    if entry.panels is None or row.kind == "title":
        return []
    have = max(len(row.panels), 1)
    if have == entry.panels:
        return []
    return [Diagnostic(code="ratio-split-mismatch", file=file, line=entry.line,
                       message=f"the ratio spec splits {entry.area or 'this row'} into {entry.panels} but the "
                               f"wireframe row on line {row.line} has {have} panel(s); kept the wireframe's")]


def default_share(row: Row) -> float:
    """The share a row gets when the prompt states none (before normalising)."""
    share = _DEFAULT_SHARE[row.kind]
    return share * _WIDEST_BONUS if "widest" in row.flags else share


def _normalise(rows: list[Row], file: str, line: int | None) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    stated = [r.ratio_spec for r in rows if r.ratio_spec is not None]
    if len(stated) == len(rows):
        total = sum(stated)
        if abs(total - 100) > 0.5:
            diags.append(Diagnostic(code="ratio-sum", file=file, line=line,
                                    message=f"the stated ratios add up to {total:g}%, not 100%; scaled them"))
    raw = [r.ratio_spec if r.ratio_spec is not None else default_share(r) for r in rows]
    if len(stated) not in (0, len(rows)):
        # Defaults fill what the spec leaves, at the scale the spec uses.
        left = max(100.0 - sum(stated), 0.0)
        missing = [default_share(r) for r in rows if r.ratio_spec is None]
        scale = left / sum(missing) if left > 0 else 1.0
        raw = [r.ratio_spec if r.ratio_spec is not None else default_share(r) * scale for r in rows]
    total = sum(raw) or 1.0
    for row, value in zip(rows, raw, strict=True):
        row.ratio = round(value * 100.0 / total, 2)
    widest = [r for r in rows if "widest" in r.flags]
    if widest and line is not None and max(r.ratio for r in rows) > widest[0].ratio + 0.01:
        diags.append(Diagnostic(code="ratio-widest", file=file, line=line,
                                message="the row marked widest is not the tallest in the ratio spec; kept the "
                                        "stated ratios"))
    return diags
