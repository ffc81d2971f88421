"""Prompt text in, ``Section`` list out: role, source, layout, ratio, style, content, instructions, request.

Sections are delimited by the *known* instruction headings, never by heading level alone: the source
text brings its own ``#`` headings, fences, quotes and tables. Prompt families order the parts
differently, so a heading's title decides its kind, wherever it sits. A plain markdown chapter (no
prompt headings at all) is read as frontmatter + one content section per ``##`` heading.

Unclosed fences (real prompts leave ```mermaid open) are closed at the next known heading, with a
warning, so they cannot swallow the sections after them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import emoji

from nanosheet.model import Diagnostic, Section, SectionKind

# --------------------------------------------------------------------------- heading vocabulary

# Title prefixes (lower-cased, after stripping ``#``/``**``) and the section kind they start.
_KNOWN_TITLES: list[tuple[SectionKind, re.Pattern[str]]] = [
    ("role", re.compile(r"^(role definition|role\b|역할|프롬프트$)")),
    ("source", re.compile(r"^(source text|source$|원문|원본 텍스트|소스 텍스트|토론 내용|강의 내용)")),
    ("layout", re.compile(r"^(layout structure|layout$|레이아웃 구조|레이아웃$)")),
    ("ratio", re.compile(r"^(배치 비율|layout ratio|ratio\b|비율$)")),
    ("style", re.compile(r"^(output style|style guide|스타일 가이드|스타일$)")),
    ("content", re.compile(r"^(content details|output structure plan|content$|콘텐츠 상세|섹션별 내용)")),
    ("instructions", re.compile(r"^(instructions?\b|추가 요청|치트시트 생성 지시|지시사항|생성 지시)")),
    ("image_request", re.compile(r"^(이미지 생성 요청|image (generation )?request)")),
    ("meta", re.compile(r"^(메타 정보|콘텐츠 정보|meta\b)")),
]
# Kinds whose presence makes a file a prompt rather than a plain chapter.
_PROMPT_KINDS = {"role", "source", "layout", "style", "content", "instructions", "image_request"}

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*:?\s*$")
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(.+)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_BREAK = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_CLOSING_REQUEST = re.compile(r"^please generate the cheat ?sheet", re.IGNORECASE)
_REQUEST_WORDS = re.compile(r"please generate|생성해|cheat ?sheet|치트시트", re.IGNORECASE)

_POSITION_WORDS = re.compile(
    r"좌측|우측|왼쪽|오른쪽|상단|하단|중앙|전체 너비|가장 넓|\b(left|right|top|bottom|center|centre|full width)\b",
    re.IGNORECASE,
)
_FORMAT_HINT = re.compile(
    r"^(comparison\s+)?(mind ?map|table|flow ?chart|visual|quote|checklist|diagram|chart|graph|list|timeline)$",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\(([^()]*)\)")


@dataclass
class _Heading:
    kind: SectionKind
    title: str
    level: int
    container: bool = False
    """A ``# Content Details``-style heading: the H2s under it are content sections."""


@dataclass
class _Builder:
    kind: SectionKind
    title: str
    start: int
    """0-based index of the first line (the heading, if any)."""
    level: int = 0
    has_heading: bool = True
    container: bool = False
    unclosed_fence: str | None = None
    """The opener of a fence left open in this section (closed by us), to close it for parse_blocks."""


@dataclass
class _Fence:
    char: str
    length: int
    line: int
    info: str


# --------------------------------------------------------------------------- public


def split_sections(text: str, file: str) -> tuple[list[Section], list[Diagnostic]]:
    """Split ``text`` into typed sections; content sections get their blocks from ``parse_blocks``."""
    from nanosheet.ingest.directives import fold_directives
    from nanosheet.ingest.markdown import parse_blocks

    sections, diags, patched = _split(text, file)
    for section in sections:
        if section.kind == "content":
            blocks, block_diags = parse_blocks(patched.get(section.line_start, section.text),
                                               _body_line(section), file)
            section.blocks = fold_directives(list(blocks))
            diags.extend(block_diags)
    return sections, diags


def is_prompt(text: str) -> bool:
    """True when the text has at least one prompt heading (role, source, layout, …)."""
    return any(h is not None and h.kind in _PROMPT_KINDS for h in map(_known_heading, text.split("\n")))


def section_lines(section: Section) -> tuple[int, list[str]]:
    """The body of a section as (1-based first line, lines), heading excluded when it has one."""
    return _body_line(section), section.text.split("\n") if section.text else []


# --------------------------------------------------------------------------- the scanner


def _split(text: str, file: str) -> tuple[list[Section], list[Diagnostic], dict[int, str]]:
    lines = [line.rstrip("\r") for line in text.split("\n")]
    prompt_mode = is_prompt(text)
    scanner = _Scanner(lines, file, prompt_mode)
    scanner.run()
    return scanner.sections, scanner.diags, scanner.patched


class _Scanner:
    """One pass over the lines: track fences, start a section at each boundary, close the last."""

    def __init__(self, lines: list[str], file: str, prompt_mode: bool) -> None:
        self.lines = lines
        self.file = file
        self.prompt_mode = prompt_mode
        self.sections: list[Section] = []
        self.diags: list[Diagnostic] = []
        self.patched: dict[int, str] = {}
        self.current: _Builder | None = None
        self.fence: _Fence | None = None
        self.in_container = False
        self.seen_h1 = False
        self._bare_fences = _bare_fence_index(lines)

    # -- driving

    def run(self) -> None:
        start = 0
        if not self.prompt_mode:
            start = self._chapter_frontmatter()
        for i in range(start, len(self.lines)):
            self._step(i)
        if self.fence is not None:
            self._warn_unclosed(self.fence, None)
            if self.current is not None:
                self.current.unclosed_fence = self.fence.char * self.fence.length
        self._close(len(self.lines) - 1)

    def _step(self, i: int) -> None:
        line = self.lines[i]
        if self.fence is not None:
            if _closes(line, self.fence):
                self.fence = None
                return
            heading = self._boundary(line)
            if heading is None or not self._may_break_fence(i):
                return
            self._warn_unclosed(self.fence, i)
            if self.current is not None:
                self.current.unclosed_fence = self.fence.char * self.fence.length
            self.fence = None
            self._start(i, heading)
            return
        fence = _FENCE.match(line)
        if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            self.fence = _Fence(fence.group(1)[0], len(fence.group(1)), i, fence.group(2).strip())
            if self.current is None:
                self._start_untitled(i, "other", "(preamble)")
            return
        heading = self._boundary(line)
        if heading is not None:
            self._start(i, heading)
        elif self.prompt_mode:
            self._soft_boundary(i, line)
        if self.current is None and line.strip():
            self._start_untitled(i, "other", "(preamble)")

    def _may_break_fence(self, i: int) -> bool:
        # A prompt's known headings never belong inside a fence. In a chapter a "## x" line may be
        # fenced sample markdown, so it only ends a fence that is never closed anyway.
        if self.prompt_mode or self.fence is None:
            return True
        return _next_close(self._bare_fences, self.fence, i) is None

    # -- boundaries

    def _boundary(self, line: str) -> _Heading | None:
        if not self.prompt_mode:
            return self._chapter_heading(line)
        source_level = self.current.level if self.current is not None and self.current.kind == "source" else 0
        in_source = source_level > 0
        known = _known_heading(line)
        if known is not None:
            # Inside the source only a heading at the source's own level (or above) ends it.
            if not in_source or known.level <= source_level or known.kind == "image_request":
                return known
            return None
        if in_source:
            return None
        return self._content_heading(line)

    def _content_heading(self, line: str) -> _Heading | None:
        atx = _ATX.match(line)
        if atx:
            level, title = len(atx.group(1)), atx.group(2)
            numbered = _NUMBERED.match(title) is not None and level in (2, 3)
            if numbered or (level == 2 and (self.in_container or _leading_emoji(title) is not None)):
                return _Heading("content", title, level)
            return None
        bold = _BOLD_LINE.match(line)
        if bold and _NUMBERED.match(bold.group(1).strip()):
            return _Heading("content", bold.group(1).strip(), 5)
        return None

    def _chapter_heading(self, line: str) -> _Heading | None:
        atx = _ATX.match(line)
        if atx is None:
            return None
        level, title = len(atx.group(1)), atx.group(2)
        if level == 2 or (level == 1 and not self.seen_h1):
            return _Heading("content", title, level)
        return None

    def _soft_boundary(self, i: int, line: str) -> None:
        cur = self.current
        if cur is None:
            return
        prev_blank = i == 0 or not self.lines[i - 1].strip()
        if cur.kind == "content" and _BREAK.match(line) and prev_blank:
            # A rule after the last content section separates it from the closing request.
            self._close(i - 1)
            self.current = _Builder("instructions", "(after content)", i, has_heading=False)
        elif _CLOSING_REQUEST.match(line.strip()) and cur.kind not in ("instructions", "image_request", "source"):
            self._close(i - 1)
            self.current = _Builder("instructions", "(closing request)", i, has_heading=False)

    # -- building

    def _start(self, i: int, heading: _Heading) -> None:
        self._close(i - 1)
        if heading.level == 1:
            self.seen_h1 = True
        if heading.kind == "content" or heading.container:
            self.in_container = True
        else:
            self.in_container = False
        kind: SectionKind = "other" if heading.container else heading.kind
        self.current = _Builder(kind, heading.title, i, heading.level, container=heading.container)

    def _start_untitled(self, i: int, kind: SectionKind, title: str) -> None:
        heading = _ATX.match(self.lines[i])
        if heading:
            self.current = _Builder(kind, heading.group(2), i, len(heading.group(1)))
        else:
            self.current = _Builder(kind, title, i, has_heading=False)

    def _close(self, last: int) -> None:
        cur = self.current
        if cur is None:
            return
        self.current = None
        if cur.has_heading:
            body_from = cur.start + 1
        else:
            # An untitled section starts at its first real line (not at a separator rule).
            body_from = cur.start
            while body_from <= last and (not self.lines[body_from].strip() or _BREAK.match(self.lines[body_from])):
                body_from += 1
            if body_from > last:
                return
            cur.start = body_from
        end = _trim_end(self.lines, body_from, last)
        body = self.lines[body_from : end + 1]
        kind = cur.kind
        if cur.title == "(after content)" and _REQUEST_WORDS.search("\n".join(body)):
            cur.title = "(closing request)"
        elif cur.title == "(after content)":
            kind = "other"
        section = _make_section(kind, cur, max(end, cur.start), body)
        if cur.unclosed_fence is not None and section.kind == "content":
            self.patched[section.line_start] = section.text + "\n" + cur.unclosed_fence
        self.sections.append(section)

    # -- chapters

    def _chapter_frontmatter(self) -> int:
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for j in range(1, len(self.lines)):
            if self.lines[j].strip() == "---":
                self.sections.append(Section(kind="meta", title="frontmatter", line_start=1, line_end=j + 1,
                                             text="\n".join(self.lines[1:j])))
                return j + 1
        return 0

    # -- diagnostics

    def _warn_unclosed(self, fence: _Fence, closed_at: int | None) -> None:
        opener = fence.char * fence.length + fence.info
        where = (f"closed it before line {closed_at + 1} ({self.lines[closed_at].strip()[:40]})"
                 if closed_at is not None else "closed it at the end of the file")
        self.diags.append(Diagnostic(code="unclosed-fence", file=self.file, line=fence.line + 1, col=1,
                                     message=f"fence {opener!r} opened on line {fence.line + 1} is never closed; "
                                             f"{where}"))


# --------------------------------------------------------------------------- helpers


def _known_heading(line: str) -> _Heading | None:
    atx = _ATX.match(line)
    if atx:
        level, title = len(atx.group(1)), atx.group(2)
    else:
        bold = _BOLD_LINE.match(line)
        if bold is None:
            return None
        level, title = 6, bold.group(1)
        # Only "**배치 비율**:" stands as a section of its own in the corpus.
        if not title.strip().startswith("배치 비율"):
            return None
    key = title.strip().strip("*").strip().lower()
    for kind, pattern in _KNOWN_TITLES:
        if pattern.match(key):
            return _Heading(kind, title.strip().strip("*").strip(), level, container=kind == "content")
    return None


def _leading_emoji(text: str) -> str | None:
    found = emoji.emoji_list(text[:16])
    if found and found[0]["match_start"] == 0:
        return str(found[0]["emoji"])
    return None


def parse_title(raw: str) -> tuple[str, str | None, int | None, list[str]]:
    """``1. 🗺️ Topic Overview (Mind Map)`` -> (``Topic Overview``, ``🗺️``, 1, [``Mind Map``])."""
    text = raw.strip().strip("*").strip().rstrip(":").strip()
    number: int | None = None
    numbered = _NUMBERED.match(text)
    if numbered:
        number, text = int(numbered.group(1)), numbered.group(2).strip()
    icon = _leading_emoji(text)
    if icon is not None:
        text = text[len(icon):].strip()
    hints: list[str] = []

    def lift(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _POSITION_WORDS.search(inner) or _FORMAT_HINT.match(inner):
            hints.append(inner)
            return ""
        return match.group(0)

    text = _PAREN.sub(lift, text).strip()
    return re.sub(r"\s{2,}", " ", text) or raw.strip(), icon, number, hints


def _make_section(kind: SectionKind, cur: _Builder, end: int, body: list[str]) -> Section:
    title, icon, number, hints = parse_title(cur.title) if kind == "content" else (cur.title, None, None, [])
    if cur.level == 1 and number is not None:
        # A chapter's own H1 ("24. 전체 요약") is its title, not a numbered section.
        title, number = cur.title.strip(), None
    return Section(kind=kind, title=title, icon=icon, number=number, hints=hints,
                   line_start=cur.start + 1, line_end=end + 1, text="\n".join(body))


def _trim_end(lines: list[str], first: int, last: int) -> int:
    """Last index worth keeping: trailing blanks and separator rules (after a blank) dropped."""
    end = last
    while end >= first:
        stripped = lines[end].strip()
        if not stripped or _BREAK.match(lines[end]) and (end == first or not lines[end - 1].strip()):
            end -= 1
        else:
            break
    return end


def _body_line(section: Section) -> int:
    # Titled sections' text starts after the heading line, untitled ones' at line_start; the line
    # count tells which without a flag in the model.
    if not section.text:
        return section.line_start + 1
    return section.line_end - section.text.count("\n")


def _closes(line: str, fence: _Fence) -> bool:
    stripped = line.strip()
    run = len(stripped) - len(stripped.lstrip(fence.char))
    return run >= fence.length and stripped == fence.char * run and len(line) - len(line.lstrip(" ")) <= 3


def _bare_fence_index(lines: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Lines that could close a fence, per fence character, as sorted (index, run length)."""
    index: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}
    for i, line in enumerate(lines):
        stripped = line.strip()
        if len(stripped) >= 3 and stripped[0] in "`~" and stripped == stripped[0] * len(stripped):
            index[stripped[0]].append((i, len(stripped)))
    return index


def _next_close(index: dict[str, list[tuple[int, int]]], fence: _Fence, after: int) -> int | None:
    candidates = index[fence.char]
    for i, run in candidates[bisect.bisect_right(candidates, (after, 1 << 30)):]:
        if run >= fence.length:
            return i
    return None
