"""The layout section's text (an ASCII wireframe of the page) in, layout rows and warnings out.

The frame's ``├──┤`` lines cut it into rows. A row with no box is the title row (when first); a label
line above a single untitled box is a band; otherwise each box is a titled panel whose first line
(leading emoji, hints such as "(이 섹션이 가장 넓어야 함!)") is its title and whose other lines go to
``panel_blocks``. Borders are matched by token order in ``boxes``; ratios are left at 0 for the
ratio parser to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import emoji

from nanosheet.errors import LayoutError
from nanosheet.ingest.box_limits import simplify_drawing
from nanosheet.ingest.boxes import BOX_CHARS, Box, BoxTracker, tokenize
from nanosheet.ingest.panel_blocks import parse_panel_lines
from nanosheet.ingest.per_text import PerText
from nanosheet.ingest.wireframe_draw import draw_wireframe
from nanosheet.model import Block, Diagnostic, Panel, Row, RowKind, TextBlock

__all__ = ["draw_wireframe", "parse_title", "parse_wireframe"]

_HINT_WORDS = ("넓", "너비", "이 섹션", "영역", "크게", "wide", "widest", "full width", "full-width")
_TRAILING_PAREN = re.compile(r"^(?P<head>.*?)\s*\((?P<hint>[^()]*)\)\s*$")
_TRAILING_DASH = re.compile(r"^(?P<head>.*\S)\s+[-–—]\s+(?P<hint>[^-–—]+)$")
_CONTINUES = ("-", "–", "&", "+", ",", "/", "(", ":")
_MAX_LINES, _MAX_CHARS = 1500, 300_000


@dataclass
class Title:
    icon: str | None
    text: str
    flags: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)


def _parse_wireframe(text: str, first_line: int, file: str) -> tuple[list[Row], list[Diagnostic]]:
    """Rows of the wireframe in ``text``; ``first_line`` is the 1-based file line of its first line."""
    lines = text.splitlines()
    diagnostics: list[Diagnostic] = []
    start = next((k for k, line in enumerate(lines) if any(t.kind == "top" for t in tokenize(line))), None)
    if start is None:
        if any(ch in text for ch in BOX_CHARS):
            where = next(k for k, line in enumerate(lines) if any(ch in line for ch in BOX_CHARS))
            raise LayoutError("the layout has box-drawing characters but no box starts with ┌──┐",
                              file=file, line=first_line + where, col=1,
                              hint="draw the page as a ┌──┐ frame with one box per panel")
        diagnostics.append(Diagnostic(code="no-wireframe", message="the layout section has no ASCII "
                                      "wireframe; the layout will be chosen automatically",
                                      file=file, line=first_line))
        return [], diagnostics
    if len(lines) - start > _MAX_LINES or len(text) > _MAX_CHARS:
        raise LayoutError(f"the wireframe is too large ({len(lines) - start} lines, {len(text)} characters)",
                          file=file, line=first_line + start, col=1,
                          hint=f"a one-page layout fits in {_MAX_LINES} lines; check for a missing fence")
    drawing, simplified = simplify_drawing(lines[start:])
    lines = lines[:start] + drawing
    diagnostics.extend(Diagnostic(code="layout-simplified", message=message, file=file,
                                  line=first_line + start + index) for index, message in simplified)
    tracker = BoxTracker(first_line + start, file)
    fed = _feed(tracker, lines, start, first_line, file, diagnostics)
    tracker.finish()
    diagnostics.extend(tracker.diagnostics)
    frame = _frame(tracker.root, file, first_line + start)
    rows = _Rows(lines[start:start + fed], first_line + start, file, diagnostics).build(frame)
    if not rows:
        raise LayoutError("the wireframe frame holds no rows or panels", file=file,
                          line=first_line + start, col=1, hint="put the title and panels inside the frame")
    return rows, diagnostics


parse_wireframe = PerText(_parse_wireframe, maxsize=16)  # the studio parses it again on every keystroke
_parse_wireframe_cached = parse_wireframe.cached


def _feed(tracker: BoxTracker, lines: list[str], start: int, first_line: int, file: str,
          diagnostics: list[Diagnostic]) -> int:
    """Feed the drawing to the tracker until its boxes are closed; returns the lines consumed."""
    index = 0
    for k in range(start, len(lines)):
        line = lines[k]
        if line.lstrip().startswith("```"):
            break
        if not any(ch in line for ch in BOX_CHARS):
            if line.strip():
                break  # text glued under an unterminated frame (e.g. "**배치 비율**:") ends it
            diagnostics.append(Diagnostic(code="blank-line-in-frame", message="empty line inside the "
                                          "wireframe frame; skipped", file=file, line=first_line + k))
        tracker.feed(index, line)
        index += 1
        if not tracker.open_boxes:
            break
    return index


def _frame(root: Box, file: str, line: int) -> Box:
    """The outer frame; a layout drawn without one (boxes stacked on the page) uses the root."""
    if len(root.children) == 1:
        return root.children[0]
    if not root.children:
        raise LayoutError("no box in the wireframe", file=file, line=line, col=1)
    return root


class _Rows:
    def __init__(self, lines: list[str], first_line: int, file: str, diagnostics: list[Diagnostic]) -> None:
        self.lines, self.first, self.file, self.diagnostics = lines, first_line, file, diagnostics

    def build(self, frame: Box) -> list[Row]:
        rows: list[Row] = []
        for group in self._groups(frame):
            row = self._row(group, len(rows) + 1)
            if row is not None:
                rows.append(row)
        return rows

    def _groups(self, frame: Box) -> list[_Group]:
        """Cut the frame at its ├──┤ lines, then at boxes stacked with no overlap in lines."""
        bounds = sorted(frame.seps)
        groups: list[_Group] = []
        for k, lo in enumerate([frame.top, *bounds]):
            end = frame.bottom if frame.bottom is not None else max(frame.items, default=0) + 1
            hi = bounds[k] if k < len(bounds) else end
            current = _Group()
            groups.append(current)
            for ln in range(lo + 1, hi):
                for child in (c for c in frame.children if c.top == ln):
                    if current.boxes and all((b.bottom or 0) < ln for b in current.boxes):
                        current = _Group(label=current.pending)
                        groups[-1].pending = []
                        groups.append(current)
                    current.boxes.append(child)
                if ln not in frame.items:
                    continue
                text = " ".join(p.text.strip() for p in frame.pieces(ln) if p.text.strip())
                if text:
                    target = current.pending if current.boxes else current.label
                    target.append((ln, text))
        return groups

    def _row(self, group: _Group, number: int) -> Row | None:
        line = self.first + (group.label[0][0] if group.label else group.boxes[0].top if group.boxes else 0)
        stray = group.pending
        if not group.boxes:
            if not group.label:
                return None
            kind: RowKind = "title" if number == 1 else "band"
            panel = self._text_panel(f"r{number}p1", group.label, kind)
            return Row(kind=kind, ratio=0, panels=[panel], widths=[1.0], line=line)
        if group.label and len(group.boxes) == 1:
            panel = self._text_panel(f"r{number}p1", group.label[:1], "band")
            panel.blocks = [*panel.blocks, *self._label_rest(group.label[1:]),
                            *self._blocks(group.boxes[0], 0)]
            panels, kind = [panel], "band"
        else:
            panels = [self._panel(box, f"r{number}p{k}") for k, box in enumerate(group.boxes, start=1)]
            kind = "panels"
            stray = [*group.label, *stray]
        for ln, text in stray:
            self._warn("text-outside-panel", f"text {text[:30]!r} sits in the frame outside any panel; "
                       "kept in the nearest panel", ln)
            panels[-1 if ln > group.boxes[0].top else 0].blocks.append(TextBlock(line=self.first + ln, text=text))
        return Row(kind=kind, ratio=0, panels=panels, widths=[1.0] * len(panels), line=line)

    def _text_panel(self, pid: str, label: list[tuple[int, str]], kind: str) -> Panel:
        title = parse_title(label[0][1])
        panel = Panel(id=pid, icon=title.icon, title=title.text, flags=title.flags, hints=title.hints,
                      line=self.first + label[0][0])
        panel.blocks = self._label_rest(label[1:]) if kind == "title" else \
            parse_panel_lines([t for _, t in label[1:]], self.first + label[0][0] + 1, self.diagnostics)
        return panel

    def _label_rest(self, label: list[tuple[int, str]]) -> list[Block]:
        return [TextBlock(line=self.first + ln, text=text) for ln, text in label]

    def _panel(self, box: Box, pid: str) -> Panel:
        content = self._content(box)
        at = next((k for k, (_, text, nested) in enumerate(content) if text.strip()), None)
        if at is None or content[at][2]:
            self._warn("untitled-panel", "panel has no title line; left untitled", box.top)
            return Panel(id=pid, title="", blocks=self._blocks(box, 0), line=self.first + box.top)
        title_text, used = content[at][1].strip(), at + 1
        while used < len(content) and _continues_title(title_text, content[used][1], content[used][2]):
            title_text += " " + content[used][1].strip()
            used += 1
        title = parse_title(title_text)
        return Panel(id=pid, icon=title.icon, title=title.text, flags=title.flags, hints=title.hints,
                     blocks=self._blocks(box, used), line=self.first + content[at][0])

    def _content(self, box: Box) -> list[tuple[int, str, bool]]:
        """(line, raw text between the borders, whether a nested box is drawn on it) per inner line."""
        out = []
        for ln in sorted(box.spans):
            a, b = box.spans[ln]
            nested = any(isinstance(item, Box) for item in box.items.get(ln, []))
            out.append((ln, self.lines[ln][a:b], nested))
        return out

    def _blocks(self, box: Box, skip: int) -> list[Block]:
        content = self._content(box)[skip:]
        if not content:
            return []
        return parse_panel_lines([text for _, text, _ in content], self.first + content[0][0], self.diagnostics)

    def _warn(self, code: str, message: str, index: int) -> None:
        self.diagnostics.append(Diagnostic(code=code, message=message, file=self.file, line=self.first + index))


@dataclass
class _Group:
    label: list[tuple[int, str]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    pending: list[tuple[int, str]] = field(default_factory=list)
    """Frame-level text after the boxes opened (a note beside or below them, or the next label)."""


def _continues_title(title: str, nxt: str, nested: bool) -> bool:
    """A title wraps when it ends mid-phrase, or when both lines are upper-case Latin."""
    line = nxt.strip()
    if not line or nested or tokenize(line)[0].kind != "text":
        return False
    if title.endswith(_CONTINUES):
        return True
    return _all_caps(title) and _all_caps(line) and not emoji.emoji_list(line[:2])


def _all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() or not ch.isascii() for ch in letters) and \
        any(ch.isascii() for ch in letters)


def parse_title(text: str) -> Title:
    """Split ``⚡ 5-STEP WORKFLOW (이 섹션이 가장 넓어야 함 - 핵심!)`` into icon, title, flags, hints."""
    text = text.strip()
    icon = None
    found = emoji.emoji_list(text)
    if found and found[0]["match_start"] == 0:
        icon = text[: found[0]["match_end"]]
        text = text[found[0]["match_end"]:].strip()
    flags: list[str] = []
    if icon and text.endswith(icon):
        text = text[: -len(icon)].rstrip()
        flags.append("icon-both-ends")  # "🍌 TITLE 🍌": the renderer may repeat the icon
    hints: list[str] = []
    while True:
        m = _TRAILING_PAREN.match(text) or _TRAILING_DASH.match(text)
        if m is None or not m["head"].strip() or not _is_hint(m["hint"]):
            break
        hints.insert(0, m["hint"].strip())
        text = m["head"].strip()
    for hint in hints:
        flags.extend(_hint_flags(hint))
    return Title(icon=icon, text=text, flags=sorted(set(flags)), hints=hints)


def _is_hint(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _HINT_WORDS) or text.strip().endswith("!")


def _hint_flags(hint: str) -> list[str]:
    lowered = hint.lower()
    flags = []
    if "넓" in hint or "크게" in hint or "wide" in lowered:
        flags.append("widest")
    if "너비" in hint or "full" in lowered:
        flags.append("full-width")
    if "핵심" in hint or "key" in lowered or "core" in lowered:
        flags.append("key")
    return flags
