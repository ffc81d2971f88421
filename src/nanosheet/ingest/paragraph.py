"""Read one paragraph line by line into blocks: a paragraph in a prompt often packs several notations.

Markdown joins consecutive lines into one paragraph, but prompt authors write a ``**Label:**`` line, a
run of ✓/✗/□ items, a ``Flowchart:`` with ``↓`` rows, ``| a | b |`` rows without a delimiter row, a
``Mind Map:`` line or a ``[표: …]`` placeholder one after another. Each line is tried against these
notations; lines that fit none are text, so nothing is dropped.
"""

from __future__ import annotations

import re

from nanosheet.ingest import line_blocks as lb
from nanosheet.ingest.prose_mindmap import parse_mindmap_line
from nanosheet.model import Block, HeadingBlock, Item, ListBlock, MindMapBlock, TableBlock, TextBlock

# The label must end on a non-space: a lazy `[^*]+?` before `\s*` backtracks quadratically on long blanks.
BOLD_LINE_RE = re.compile(r"^\*\*([^*]*[^*\s:])\s*(:?)\*\*\s*(:?)$")
"""A line that is only ``**Label**`` or ``**Label:**``: a sub-heading in prompt prose."""
CONTAINER_RE = re.compile(r"(?<=\S)(?:\s+(?:box|card)|\s*(?:박스|상자|카드))$", re.IGNORECASE)
"""``Definition Box``, ``요약 박스``: the label names the drawing's container, which the sheet draws anyway;
the heading keeps what is in it (``Definition``)."""


class ParagraphLines:
    """Reads one paragraph line by line: a paragraph in a prompt often packs a label, a ✓ list and a flow."""

    def __init__(self, text: list[str], raw: list[str], line: int, last: int | None = None) -> None:
        """``text``: the rendered lines (inline markup reduced); ``raw``: the same lines as written;
        ``last``: the last source line, when ``<br>`` made more lines than the source has."""
        self.text, self.raw, self.line = text, raw, line
        self.last = line + max(len(text) - 1, 0) if last is None else last
        self.out: list[Block] = []
        self.pending: list[str] = []
        self.pending_line = line

    def _line(self, i: int) -> int:
        return min(self.line + i, self.last)

    def blocks(self) -> list[Block]:
        i = 0
        while i < len(self.text):
            i = self._step(i)
        self._flush()
        return self.out

    def _emit(self, block: Block) -> None:
        self._flush()
        self.out.append(block)

    def _flush(self) -> None:
        if self.pending:
            self.out.append(TextBlock(line=self.pending_line, text=_join_lines(self.pending)))
            self.pending = []

    def _step(self, i: int) -> int:
        text, raw, line = self.text[i].strip(), self.raw[i], self._line(i)
        bold = BOLD_LINE_RE.match(text)
        if (bold and lb.is_flow_label(text)) or (not bold and lb.is_flow_label(raw) and lb.is_flow_line(raw)):
            end = self._flow_end(i + 1, labeled=True)
            flow = lb.parse_flow_text(self.raw[i:end], line)
            if flow is not None:
                self._emit(flow)
                return end
        if bold:
            self._emit(HeadingBlock(line=line, level=4, text=CONTAINER_RE.sub("", bold.group(1).strip())))
            return i + 1
        if raw.strip().startswith("|") and raw.strip().endswith("|") and len(raw.strip()) > 1:
            return self._pipe_rows(i)
        if (mind := self._mindmap_line(i)) is not None:
            self._emit(mind[0])
            return mind[1]
        placeholder = lb.parse_placeholder(text, line)
        if placeholder is not None:
            self._emit(placeholder)
            return i + 1
        if lb.split_mark(text):
            return self._marked(i)
        if lb.split_chain(text) and i + 1 < len(self.raw) and lb.continues_flow(self.raw[i + 1], False):
            end = self._flow_end(i + 1, labeled=False)
            flow = lb.parse_flow_text(self.raw[i:end], line)
            if flow is not None:
                self._emit(flow)
                return end
        chain = lb.parse_chain(text, line)
        if chain is not None:
            self._emit(chain)
            return i + 1
        if not self.pending:
            self.pending_line = line
        self.pending.append(self.text[i])
        return i + 1

    def _mindmap_line(self, i: int) -> tuple[MindMapBlock, int] | None:
        """``Mind Map: Root → A, B,`` continued on the next lines while a line ends with a comma."""
        joined, end = self.text[i].strip(), i + 1
        while joined.endswith(",") and end < len(self.text):
            joined, end = f"{joined} {self.text[end].strip()}", end + 1
        block = parse_mindmap_line(joined, self._line(i))
        return (block, end) if block is not None else None

    def _flow_end(self, i: int, labeled: bool) -> int:
        """A labeled flow takes every arrow line; an unlabeled chain only its continuation lines."""
        while i < len(self.raw):
            after_down = lb.is_down_line(self.raw[i - 1])
            if not (lb.is_flow_line(self.raw[i]) if labeled else lb.continues_flow(self.raw[i], after_down)):
                break
            i += 1
        return i

    def _pipe_rows(self, i: int) -> int:
        """``Example rows:`` followed by ``| a | b |`` lines without a delimiter row: a header-less table."""
        start = i
        rows: list[list[str]] = []
        while i < len(self.raw) and self.raw[i].strip().startswith("|"):
            rows.append(split_pipe_row(self.raw[i]))
            i += 1
        self._emit(TableBlock(line=self._line(start), header=None, rows=rows))
        return i

    def _marked(self, i: int) -> int:
        start = i
        items: list[Item] = []
        while i < len(self.text) and (marked := lb.split_mark(self.text[i].strip())):
            items.append(Item(text=marked[1], mark=marked[0]))
            i += 1
        self._emit(ListBlock(line=self._line(start), items=items))
        return i


def split_pipe_row(raw: str) -> list[str]:
    """Cells of one ``| a | b \\| c |`` row: GFM escapes kept as literal pipes, ``<br>`` as newlines."""
    body = raw.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [re.sub(r"<br\s*/?>", "\n", c.replace("\\|", "|"), flags=re.IGNORECASE).strip() for c in cells]


PROSE_LINE = 50
"""A paragraph with a line at least this long is wrapped prose; shorter lines are notes, one per line."""


def _join_lines(lines: list[str]) -> str:
    """Soft line breaks of wrapped prose become spaces; a paragraph of short lines keeps one note per line.

    CommonMark would join every soft break, but cheat-sheet prompts write short lines (``ChatGPT = …`` /
    ``≠ 마법 같은 AI``) meaning them as separate notes; hard breaks (``<br>``) arrive as "\n" in a line.
    """
    if all(len(line) < PROSE_LINE for line in lines):
        return "\n".join(lines)
    return " ".join(line.strip() for line in lines)
