"""Ingest stage: a prompt or chapter file in, a validated ``Prompt`` (page, rows, sections, warnings) out.

``read_prompt`` is the whole stage in a few steps: bytes -> repaired text (intake) -> sections ->
frontmatter, wireframe rows, ratios, page -> Prompt. Submodules are imported inside the function so
that importing one ingest module never drags in the others.
"""

from __future__ import annotations

import re
from pathlib import Path

import emoji

from nanosheet.errors import InputError
from nanosheet.model import Diagnostic, Frontmatter, Prompt, Row, Section

_BOILERPLATE = re.compile(
    r"^\W*(?:nano\s*banana|나노\s*바나나)\s*(?:pro\s*)?"
    r"(?:(?:cheat\s*-?\s*sheet|치트\s*시트)(?:\s*(?:prompt|프롬프트))?\s*[:：\-–—|]?|[:：\-–—|])\s*",
    re.IGNORECASE,
)
_BOX_START = re.compile(r"^\s*[┌╔┏]")
_BOX_END = re.compile(r"^\s*[└╚┗]")


def read_prompt(path: Path, *, orientation: str | None = None) -> Prompt:
    """Read one prompt or chapter; ``orientation`` (from the CLI) overrides what the prompt says."""
    from nanosheet.ingest.intake import read_text
    from nanosheet.ingest.markdown import drop_html_comments
    from nanosheet.ingest.page import detect_page
    from nanosheet.ingest.sections import split_sections

    file = str(path)
    intake = read_text(path)
    text = drop_html_comments(intake.text)  # before anything reads it: compose quotes the source text too
    if not text.strip():
        raise InputError("the file has no text", file=file, line=1, col=1,
                         hint="give a cheat-sheet prompt or a markdown chapter")
    sections, warnings = split_sections(text, file)
    warnings = list(intake.warnings) + warnings
    frontmatter, source_text = _frontmatter(sections, warnings, file)
    rows, auto_layout = _layout(sections, warnings, file)
    page, page_diags = detect_page(sections, file, override=orientation)
    warnings.extend(page_diags)
    title, subtitle = _title(rows, frontmatter, sections)
    return Prompt(
        path=file,
        title=title,
        subtitle=subtitle,
        page=page,
        frontmatter=frontmatter,
        rows=rows,
        auto_layout=auto_layout,
        sections=sections,
        style_rules=_style_rules(sections),
        image_request="\n".join(s.text.strip() for s in sections if s.kind == "image_request") or None,
        source_text=source_text,
        warnings=sorted(warnings, key=lambda d: (d.line is None, d.line or 0)),
        repairs=intake.repairs,
    )


# --------------------------------------------------------------------------- steps


def _frontmatter(sections: list[Section], warnings: list[Diagnostic], file: str) -> tuple[Frontmatter, str]:
    from nanosheet.ingest.frontmatter import parse_frontmatter, parse_meta_list, split_frontmatter
    from nanosheet.ingest.sections import section_lines

    chapter_fm = next((s for s in sections if s.kind == "meta" and s.title == "frontmatter"), None)
    meta = [s for s in sections if s.kind == "meta" and s is not chapter_fm]
    # Without YAML, a family-A "콘텐츠 정보" list is the next best record of title and author.
    fallback = parse_meta_list("\n".join(s.text for s in meta)) if meta else Frontmatter()
    sources = [s for s in sections if s.kind == "source"]
    if sources:
        first, _ = section_lines(sources[0])
        split = split_frontmatter(sources[0].text, first, file)
        warnings.extend(split.diagnostics)
        body = "\n\n".join([split.body.strip(), *(s.text.strip() for s in sources[1:])])
        return (split.frontmatter if split.span is not None else fallback), body.strip()
    frontmatter = fallback
    if chapter_fm is not None:
        frontmatter, diags = parse_frontmatter(chapter_fm.text, chapter_fm.line_start + 1, file)
        warnings.extend(diags)
    # A chapter is its own source: everything but the frontmatter.
    body = "\n\n".join(_with_heading(s) for s in sections if s is not chapter_fm and s.kind == "content")
    return frontmatter, body.strip()


def _with_heading(section: Section) -> str:
    return f"## {section.title}\n\n{section.text.strip()}" if section.title else section.text.strip()


def _layout(sections: list[Section], warnings: list[Diagnostic], file: str) -> tuple[list[Row], bool]:
    from nanosheet.ingest.ratios import apply_ratios, parse_ratio_spec
    from nanosheet.ingest.sections import section_lines
    from nanosheet.ingest.wireframe import parse_wireframe

    layout = next((s for s in sections if s.kind == "layout" and wireframe_span(s) is not None), None)
    if layout is None:
        empty = next((s for s in sections if s.kind == "layout"), None)
        warnings.append(Diagnostic(code="no-wireframe", file=file, line=empty.line_start if empty else None,
                                   message="no ASCII layout wireframe in the input; the layout will be "
                                           "chosen automatically"))
        for ratio in (s for s in sections if s.kind == "ratio"):
            warnings.append(Diagnostic(code="ratio-unused", file=file, line=ratio.line_start,
                                       message="the ratio spec has no wireframe rows to apply to; ignored it"))
        return [], True
    box_text, box_line = wireframe_span(layout) or ("", 1)
    rows, diags = parse_wireframe(box_text, box_line, file)
    warnings.extend(diags)
    if not rows:
        warnings.append(Diagnostic(code="no-wireframe", file=file, line=box_line,
                                   message="the ASCII layout has no readable rows; the layout will be chosen "
                                           "automatically"))
        return [], True
    spec = [s for s in sections if s.kind == "ratio"] or [layout]
    entries = []
    for section in spec:
        first, lines = section_lines(section)
        found, ratio_diags = parse_ratio_spec("\n".join(lines), first, file)
        entries.extend(found)
        warnings.extend(ratio_diags)
    rows, ratio_diags = apply_ratios(rows, entries, file, spec[0].line_start)
    warnings.extend(ratio_diags)
    return rows, False


def wireframe_span(section: Section) -> tuple[str, int] | None:
    """The box drawing inside a layout section: from the first ``┌`` line to the last ``└`` line."""
    from nanosheet.ingest.sections import section_lines

    first, lines = section_lines(section)
    start = next((i for i, line in enumerate(lines) if _BOX_START.match(line)), None)
    if start is None:
        return None
    ends = [i for i, line in enumerate(lines) if i > start and _BOX_END.match(line)]
    end = ends[-1] if ends else _last_box_line(lines, start)
    return "\n".join(lines[start : end + 1]), first + start


def _last_box_line(lines: list[str], start: int) -> int:
    # A truncated drawing has no closing corner: keep everything up to the fence or the last text.
    end = start
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            break
        if lines[i].strip():
            end = i
    return end


def _title(rows: list[Row], fm: Frontmatter, sections: list[Section]) -> tuple[str, str | None]:
    if rows and rows[0].kind == "title" and rows[0].panels:
        panel = rows[0].panels[0]
        title = clean_title(panel.title)
        subtitle = next((getattr(b, "text", None) for b in panel.blocks if b.type == "text"), None)
        if title:
            return title, subtitle
    for candidate in (fm.title_kr, fm.title):
        if candidate and candidate.strip():
            return candidate.strip(), None
    for section in sections:
        if section.kind in ("content", "other") and section.title and not section.title.startswith("("):
            cleaned = clean_title(section.title)
            if cleaned:
                return cleaned, None
    return "Cheat Sheet", None


def clean_title(raw: str) -> str:
    """``🍌 NANO BANANA CHEAT SHEET: GPT-2 Training 🍌`` -> ``GPT-2 Training``; decorations go, words stay."""
    text = _strip_edge_emoji(raw.strip())
    text = _BOILERPLATE.sub("", text, count=1)
    text = _strip_edge_emoji(text.strip())
    return re.sub(r"\s{2,}", " ", text).strip(" :：-–—|")


def _strip_edge_emoji(text: str) -> str:
    # The title row frames its words with the same emoji on both ends (🍌 … 🍌, 🧠 … 🧠); a single
    # leading emoji may be meaningful, so only a matching pair (or a trailing repeat) is dropped.
    found = emoji.emoji_list(text)
    if len(found) >= 2:
        head, tail = found[0], found[-1]
        if head["match_start"] == 0 and tail["match_end"] == len(text) and head["emoji"] == tail["emoji"]:
            return text[head["match_end"] : tail["match_start"]].strip()
    return text


def _style_rules(sections: list[Section]) -> list[str]:
    rules: list[str] = []
    for section in sections:
        if section.kind != "style":
            continue
        for line in section.text.split("\n"):
            stripped = line.strip()
            if stripped and not stripped.startswith("#") and not re.fullmatch(r"[-*_]{3,}", stripped):
                rules.append(stripped)
    return rules
