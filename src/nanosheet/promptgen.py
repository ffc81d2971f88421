"""A parsed Prompt in, a clean Nano Banana prompt (markdown text) out — what ``nanosheet prompt`` writes.

The written prompt says explicitly what the input left implicit or wrote inconsistently: repaired
text, one frontmatter block, the wireframe redrawn with even widths (or the automatic layout drawn
as one), a 4-column ratio table, the page orientation, style rules, content sections under
``# Content Details`` and an image request. It is written so that ``read_prompt`` reads back the
same sheet spec (``spec_differences`` says where it does not).

Intentional normalisations (the spec is unchanged, the text is tidier):
- frontmatter is always a bare ``---`` YAML block at the top of the source (a ```` ```yaml ```` fence
  becomes dashes; a family-A "콘텐츠 정보" list is also written as YAML);
- fences a section leaves open are closed at its end (the parser closed them there anyway);
- ratios are the normalised shares (summing to 100), one table row per wireframe row;
- lines that state the opposite page orientation are dropped from the style rules and image
  request, and every ``A4 …`` line of the image request is replaced by one explicit sentence;
- content headings are all ``## N. icon Title (hints)`` under ``# Content Details`` (a chapter's
  ``# 24. 전체 요약`` is read back as section 24 titled ``전체 요약``);
- a role sentence implying the other orientation (e.g. "A4 한 장" in a landscape prompt's role) is kept
  as written: the explicit page statements outrank it, and ``read_prompt`` warns about it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from nanosheet.ingest.frontmatter import split_frontmatter
from nanosheet.ingest.page import read_clause
from nanosheet.ingest.wireframe_draw import draw_wireframe
from nanosheet.model import Frontmatter, Prompt, Row, Section

_ROLE = ('You are an expert Technical Communicator and Information Architect specialized in creating '
         '"Nano Banana" style cheat sheets.')
_STYLE = ["- 보기 좋게 정리된 **실제 펜 노트필기** 같은 느낌 (모눈종이 배경, 손글씨, 아이콘)",
          "- 용어 및 고유명사는 **영어 원문** 유지", "- 설명 및 필기 내용은 **한국어**로 작성"]
_REQUEST = ["**이미지 스타일 요구사항:**", "- 보기 좋게 정리된 **실제 펜 노트필기** 같은 느낌",
            "- 용어 및 고유명사는 **영어 원문** 유지", "- 설명 및 필기 내용은 **한국어**로 작성",
            "- Mermaid 다이어그램은 **시각적 도식**으로 변환", "- 표는 깔끔한 **테이블 형식**으로 렌더링"]
_ORIENTATION_WORDS = {"portrait": "세로 방향 (Portrait)", "landscape": "가로 방향 (Landscape)"}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
"""A thematic break, as ingest/sections.py reads it (there it ends a prompt's last content section)."""
_A4 = re.compile(r"(?<![A-Za-z0-9])A4(?![0-9])")
_FM_KEYS = (("title", "title"), ("title_kr", "titleKr"), ("source_url", "source_url"),
            ("source_type", "source_type"), ("author", "author"), ("chapter", "chapter"),
            ("total_chapters", "totalChapters"))


def write_prompt(prompt: Prompt, layout_rows: list[Row] | None = None) -> str:
    """The prompt as clean markdown; ``layout_rows`` draws a layout the input did not have (auto layout)."""
    rows = prompt.rows or layout_rows or []
    orientation = prompt.page.orientation
    parts = [
        _section("Role Definition", _texts(prompt, "role") or _ROLE),
        *(_section(s.title, _closed(s.text)) for s in prompt.sections if s.kind == "meta"
          and s.title != "frontmatter"),
        _section("Source Text", _source(prompt)),
    ]
    if rows:
        parts.append(_layout(rows, orientation))
    parts.append(_section('Output Style: "Nano Banana" Cheat Sheet', _style(prompt, orientation)))
    parts.append(_content(prompt))
    instructions = _texts(prompt, "instructions")
    if instructions:
        parts.append(_section("Instructions", instructions))
    parts.append(_section("이미지 생성 요청", _request(prompt, orientation)))
    return "\n\n".join(p.strip("\n") for p in parts if p) + "\n"


# --------------------------------------------------------------------------- parts


def _section(title: str, body: str, level: int = 1) -> str:
    return f"{'#' * level} {title}\n\n{body.strip()}"


def _texts(prompt: Prompt, kind: str) -> str:
    return "\n\n".join(_closed(s.text).strip() for s in prompt.sections if s.kind == kind and s.text.strip())


def _source(prompt: Prompt) -> str:
    raw = _raw_frontmatter(prompt)
    yaml_text = raw if raw is not None else _yaml(prompt.frontmatter)
    head = f"---\n{yaml_text.strip()}\n---\n\n" if yaml_text.strip() else ""
    return head + _closed(prompt.source_text)


def _raw_frontmatter(prompt: Prompt) -> str | None:
    """The YAML as the input wrote it (source section or chapter header), so no key is lost."""
    for section in prompt.sections:
        if section.kind == "meta" and section.title == "frontmatter":
            return section.text
        if section.kind == "source":
            split = split_frontmatter(section.text, 1, prompt.path)
            if split.span is None:
                return None
            lines = section.text.split("\n")
            return "\n".join(lines[split.span[0] : split.span[1] - 1])
    return None


def _yaml(fm: Frontmatter) -> str:
    data: dict[str, Any] = {key: getattr(fm, field) for field, key in _FM_KEYS if getattr(fm, field) is not None}
    data.update(fm.extra)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) if data else ""


def _layout(rows: list[Row], orientation: str) -> str:
    lines = [f"**용지**: A4 {_ORIENTATION_WORDS[orientation]} 한 장 — 아래 구조대로 배치해주세요.", "",
             "```", draw_wireframe(rows).rstrip("\n"), "```", "", "## 배치 비율", "", *ratio_table(rows)]
    return _section("Layout Structure (이 구조대로 배치해주세요)", "\n".join(lines))


def layout_section(rows: list[Row], orientation: str) -> str:
    """The ``# Layout Structure`` section (wireframe and ratio table) as ``write_prompt`` writes it."""
    return _layout(rows, orientation)


def ratio_table(rows: list[Row]) -> list[str]:
    """The 4-column ratio table (영역/비율/내용/배치), one line per row; uneven panel widths go in 배치."""
    lines = ["| 영역 | 비율 | 내용 | 배치 |", "|------|------|------|------|"]
    names = _area_names(len(rows))
    for name, row in zip(names, rows, strict=True):
        lines.append(f"| {name} | {row.ratio:.4g}% | {_cell(_row_content(row))} | {_placement(row)} |")
    return lines


def _area_names(count: int) -> list[str]:
    if count == 1:
        return ["전체"]
    middle = ["중단"] if count == 3 else [f"중단 {k}" for k in range(1, count - 1)]
    return ["상단", *middle, "하단"]


def _row_content(row: Row) -> str:
    titles = [p.title for p in row.panels]
    return "타이틀" if row.kind == "title" else " + ".join(titles)


def _placement(row: Row) -> str:
    count = len(row.panels)
    split = {1: "전체 너비", 2: "좌우 2등분"}.get(count, f"{count}등분")
    said = split if row.kind == "panels" else "전체 너비"
    return said + _widths(row) + (" · **가장 넓게!**" if "widest" in row.flags else "")


def _widths(row: Row) -> str:
    """`` · 너비 60:40`` when the panels of a row are not equally wide (read back by ``ingest.ratios``)."""
    if row.kind != "panels" or len(row.widths) != len(row.panels) or len(row.widths) < 2:
        return ""
    total = sum(row.widths) or 1.0
    shares = [w * 100.0 / total for w in row.widths]
    if max(shares) - min(shares) < 0.5:
        return ""
    return " · 너비 " + ":".join(f"{s:.3g}" for s in shares)


def _cell(text: str) -> str:
    # Words the ratio reader takes as a split or a width must not come from a panel title.
    text = re.sub(r"가장\s*넓|widest|largest|전체\s*(너비|폭)|full[- ]width", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", text.replace("|", "/")).strip()


def _style(prompt: Prompt, orientation: str) -> str:
    rules = [r for r in prompt.style_rules if not _contradicts(r, orientation)] or _STYLE
    return "\n".join([f"- **용지**: A4 {_ORIENTATION_WORDS[orientation]}", *rules])


def _content(prompt: Prompt) -> str:
    out: list[str] = []
    for section in prompt.sections:
        if section.kind == "other" and section.title.lower().startswith(("content details", "output structure")):
            if section.text.strip():
                out.append(_closed(section.text).strip())
        elif section.kind == "content":
            out.append(_section(_heading(section), _without_rules(_closed(section.text)), level=2))
    return "\n\n".join(["# Content Details", *out]) if out else ""


def _heading(section: Section) -> str:
    parts = [f"{section.number}." if section.number is not None else "", section.icon or "", section.title,
             *(f"({hint})" for hint in section.hints)]
    return " ".join(p for p in parts if p)


def _request(prompt: Prompt, orientation: str) -> str:
    lines = [f"위의 구조와 내용을 바탕으로 **A4 {_ORIENTATION_WORDS[orientation]} 한 장** 분량의 치트시트 이미지를 "
             "생성해주세요.", ""]
    kept = [line for line in (prompt.image_request or "").split("\n")
            if not _A4.search(line) and not _contradicts(line, orientation)]
    body = "\n".join(kept).strip()
    lines.extend(body.split("\n") if body else _REQUEST)
    return "\n".join(lines)


def _contradicts(line: str, orientation: str) -> bool:
    statement = read_clause(line.replace("**", ""), 0)
    return statement is not None and statement.orientation != orientation


def _without_rules(text: str) -> str:
    """``text`` without its thematic breaks outside fences: in a prompt a rule ends the content section
    (what follows is the closing request), while in a chapter it only separates paragraphs and draws nothing."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and match and match.group(1).startswith(fence) and not match.group(2).strip():
            fence = None
        elif fence is None and _RULE.match(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def _closed(text: str) -> str:
    """``text`` with a fence it leaves open closed at its end."""
    fence: tuple[str, int] | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = (match.group(1)[0], len(match.group(1)))
        elif match and not match.group(2).strip() and match.group(1)[0] == fence[0] \
                and len(match.group(1)) >= fence[1]:
            fence = None
    return text.rstrip() + (f"\n{fence[0] * fence[1]}" if fence else "")


# --------------------------------------------------------------------------- round trip

RATIO_TOLERANCE = 0.5
"""Percentage points a row's share may move between the input and the written prompt."""


def sheet_spec(prompt: Prompt) -> dict[str, Any]:
    """The meaningful parts of a parsed prompt: what must survive ``write_prompt`` -> ``read_prompt``."""
    return {
        "title": prompt.title,
        "orientation": prompt.page.orientation,
        "rows": layout_spec(prompt.rows),
        "content": [_content_spec(s) for s in prompt.sections if s.kind == "content"],
        "frontmatter": prompt.frontmatter.model_dump(),
    }


def _content_spec(section: Section) -> dict[str, Any]:
    title, number = section.title, section.number
    numbered = re.match(r"(\d{1,2})\.\s+(.+)$", title)
    if number is None and numbered:
        # A chapter's H1 "24. 전체 요약" keeps its number in the title; written as an H2 it is read as
        # number 24 titled "전체 요약" — the same heading.
        number, title = int(numbered.group(1)), numbered.group(2).strip()
    return {"title": title, "icon": section.icon, "number": number, "hints": section.hints,
            "blocks": [b.type for b in section.blocks]}


def layout_spec(rows: list[Row], *, with_extra: bool = False) -> list[dict[str, Any]]:
    """Rows as kind, ratio, flags and panels (icon, title, flags, block types and texts)."""
    return [{"kind": row.kind, "ratio": row.ratio, "flags": row.flags,
             "panels": [{"icon": p.icon, "title": p.title, "flags": p.flags, "hints": p.hints,
                         "blocks": [_block_spec(b) for b in (p.blocks + p.extra if with_extra else p.blocks)]}
                        for p in row.panels]}
            for row in rows]


def _block_spec(block: Any) -> Any:
    return _without_positions(block.model_dump(mode="json"))


def _without_positions(value: Any) -> Any:
    # Source lines and generated ids differ between two files with the same content.
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k not in ("line", "id", "src", "dst")}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    return value


def spec_differences(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Every place two specs differ (``ratio`` compared within ``RATIO_TOLERANCE``), as ``path: a != b``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in expected or key not in actual:
                out.append(f"{where}.{key}: only in {'written' if key in actual else 'input'}")
            elif key == "ratio" and isinstance(expected[key], float) and isinstance(actual[key], float):
                if abs(expected[key] - actual[key]) > RATIO_TOLERANCE:
                    out.append(f"{where}.ratio: {expected[key]:g} != {actual[key]:g}")
            else:
                out.extend(spec_differences(expected[key], actual[key], f"{where}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items != {len(actual)} items"]
        return [d for k, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in spec_differences(e, a, f"{where}[{k}]")]
    return [] if expected == actual else [f"{where}: {expected!r:.80} != {actual!r:.80}"]


def round_trip_differences(prompt: Prompt, written: str) -> list[str]:
    """Parse ``written`` again and list where its spec differs from ``prompt``'s.

    Without a wireframe in the input, the written prompt carries the automatic layout, so the two are
    compared as composed sheets (rows, panels and the block types each panel ends up showing).
    """
    from nanosheet.compose import compose_sheet
    from nanosheet.ingest import read_prompt

    with tempfile.TemporaryDirectory(prefix="nanosheet-prompt-") as tmp:
        path = Path(tmp) / (Path(prompt.path).stem + ".md")
        path.write_text(written, encoding="utf-8")
        back = read_prompt(path)
    expected, actual = sheet_spec(prompt), sheet_spec(back)
    if prompt.rows:
        return spec_differences(expected, actual)
    for spec in (expected, actual):
        spec.pop("rows")
    return spec_differences(expected, actual) + spec_differences(
        layout_spec(compose_sheet(prompt).rows, with_extra=True),
        layout_spec(compose_sheet(back).rows, with_extra=True), "$.sheet")
