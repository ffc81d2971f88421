"""YAML frontmatter (bare ``---`` or fenced ```yaml) in, a ``Frontmatter`` plus the body after it out.

Malformed YAML is a warning with its line, never a crash: the footer simply has less to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from nanosheet.model import Diagnostic, Frontmatter

_FENCE_YAML = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*(ya?ml)\s*$", re.IGNORECASE)
_DASHES = re.compile(r"^---\s*$")

# Each model field and the spellings the corpus uses for it (snake_case and camelCase).
_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "title_kr": ("titleKr", "title_kr", "titleKR"),
    "source_url": ("source_url", "sourceUrl", "url"),
    "source_type": ("source_type", "sourceType"),
    "author": ("author",),
    "chapter": ("chapter",),
    "total_chapters": ("totalChapters", "total_chapters"),
}
_INT_FIELDS = {"chapter", "total_chapters"}


@dataclass
class FrontmatterSplit:
    """Where the frontmatter was and what followed it."""

    frontmatter: Frontmatter
    body: str
    body_line: int
    """1-based line of the first body line in the whole file."""
    span: tuple[int, int] | None = None
    """Inclusive 1-based lines of the frontmatter block (delimiters included), or None if absent."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def split_frontmatter(text: str, first_line: int, file: str) -> FrontmatterSplit:
    """Lift a leading YAML block (after blank lines) off ``text``; ``first_line`` is text's first line."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return FrontmatterSplit(Frontmatter(), text, first_line)
    opener = lines[start]
    fence = _FENCE_YAML.match(opener)
    if fence is None and not _DASHES.match(opener):
        return FrontmatterSplit(Frontmatter(), text, first_line)
    end = _closing_line(lines, start, fence.group(1) if fence else None)
    if end is None:
        return FrontmatterSplit(Frontmatter(), text, first_line)
    yaml_text = "\n".join(lines[start + 1 : end])
    fm, diags = parse_frontmatter(yaml_text, first_line + start + 1, file)
    body = "\n".join(lines[end + 1 :])
    return FrontmatterSplit(fm, body, first_line + end + 1, (first_line + start, first_line + end), diags)


def _closing_line(lines: list[str], start: int, fence: str | None) -> int | None:
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if fence is None and _DASHES.match(lines[i]):
            return i
        if fence is not None and stripped.startswith(fence[0] * 3) and stripped.strip(fence[0]) == "":
            return i
    return None


def parse_frontmatter(yaml_text: str, first_line: int, file: str) -> tuple[Frontmatter, list[Diagnostic]]:
    """YAML mapping -> Frontmatter; unknown keys go to ``extra`` as strings, in source order."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        col = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Frontmatter(), [Diagnostic(code="frontmatter-yaml", file=file, line=line, col=col,
                                          message=f"frontmatter is not valid YAML ({problem}); ignored it")]
    if data is None:
        return Frontmatter(), []
    if not isinstance(data, dict):
        return Frontmatter(), [Diagnostic(code="frontmatter-yaml", file=file, line=first_line,
                                          message="frontmatter is not a YAML mapping; ignored it")]
    return _to_model(data, first_line, file)


def _to_model(data: dict[object, object], first_line: int, file: str) -> tuple[Frontmatter, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    values: dict[str, str | int] = {}
    used: set[str] = set()
    for name, spellings in _KEYS.items():
        key = next((k for k in spellings if data.get(k) is not None), None)
        if key is None:
            continue
        raw = data[key]
        if name in _INT_FIELDS:
            number = _as_int(raw)
            if number is None:
                # Not dropped: it stays in ``extra`` under its own key.
                diags.append(Diagnostic(code="frontmatter-value", file=file, line=first_line,
                                        message=f"frontmatter {key}: {raw!r} is not a whole number; kept as text"))
                continue
            values[name] = number
        else:
            values[name] = _as_text(raw)
        used.add(key)
    extra = {str(k): _as_text(v) for k, v in data.items() if str(k) not in used and v is not None}
    return Frontmatter.model_validate({**values, "extra": extra}), diags


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _as_text(value: object) -> str:
    # Dates and numbers come back typed from YAML; the footer wants them as written.
    return value if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------- "- **키**: 값" meta lists

_META_LINE = re.compile(r"^\s*[-*]\s+\*\*(?P<key>[^*]+?)\*\*\s*[:：]\s*(?P<value>.+?)\s*$")
_META_KEYS: dict[str, str] = {
    "원본": "source", "출처": "source", "source": "source",
    "챕터": "chapter", "chapter": "chapter",
    "패널": "author", "저자": "author", "작성자": "author", "author": "author", "발표자": "author",
    "유형": "source_type", "type": "source_type",
    "url": "source_url", "링크": "source_url", "원본 url": "source_url",
}
_CHAPTER = re.compile(r"^(?P<number>\d+)\s*[.:)]\s*(?P<title>.+)$")


def parse_meta_list(text: str) -> Frontmatter:
    """Family A prompts carry no YAML but a ``## 콘텐츠 정보`` list of ``- **키**: 값`` lines; read it."""
    values: dict[str, str | int] = {}
    extra: dict[str, str] = {}
    for line in text.split("\n"):
        match = _META_LINE.match(line)
        if match is None:
            continue
        key, value = match.group("key").strip(), match.group("value").strip()
        field_name = _META_KEYS.get(key.lower())
        if field_name == "chapter":
            chapter = _CHAPTER.match(value)
            if chapter:
                values["chapter"] = int(chapter.group("number"))
                values["title"] = chapter.group("title").strip()
                continue
        if field_name in ("author", "source_type", "source_url"):
            values[field_name] = value
            continue
        extra[key] = value
    return Frontmatter.model_validate({**values, "extra": extra})
