"""The text lines inside one wireframe panel in, typed blocks out (lists, chains, mind maps, diagrams…).

Lines arrive as written between the panel's borders, nested boxes included. Runs of lines that draw
boxes go to ``ascii_diagram``; ``│``/``┼`` grids become tables; every other line is classified on
its own (bullet, check item, ``key: value``, chain, quote, placeholder, ``Mind Map:``,
``Flowchart:``) and indented lines continue the block above them. Nothing is dropped: a line that
fits no pattern is text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.boxes import tokenize
from nanosheet.model import (
    Block,
    ChainBlock,
    Diagnostic,
    FlowBlock,
    GraphEdge,
    GraphNode,
    Item,
    KeyValueBlock,
    ListBlock,
    MindMapBlock,
    MindNode,
    PlaceholderBlock,
    QuoteBlock,
    TableBlock,
    TextBlock,
)

_Mark = Literal["bullet", "number", "check", "cross", "box", "box-checked"]
_MARKS: dict[str, _Mark] = {"✓": "check", "✔": "check", "✅": "check", "✗": "cross", "✘": "cross",
                          "❌": "cross", "□": "box", "☐": "box", "☑": "box-checked", "■": "box-checked"}
_BULLET = re.compile(r"^[•\-*·▪◦‣]\s+(?P<text>\S.*)$")
_NUMBER = re.compile(r"^(?P<num>\d{1,2}|[a-z])[.)]\s+(?P<text>\S.*)$")
_MARK = re.compile(r"^(?P<mark>[" + "".join(_MARKS) + r"])\ufe0f?\s+(?P<text>\S.*)$")
_MIND = re.compile(r"^(?:mind\s*map|마인드\s*맵)\s*[:：]\s*(?P<rest>.*)$", re.I)
_FLOW = re.compile(r"^(?:flow\s*chart|플로우\s*차트|흐름도)\s*[:：]\s*(?P<rest>.*)$", re.I)
_PLACEHOLDER = re.compile(r"^\[(?P<body>[^\[\]]+)\]$")
_KEYVALUE = re.compile(r"^(?P<key>[^:：→\"“]{1,30}?)\s*[:：](?:\s+(?P<value>\S.*))?$")
_QUOTE = re.compile(r'^["“‘\'「](?P<text>.+?)["”’\'」](?:\s*[-–—]\s*(?P<by>.+))?$')
_ARROW = re.compile(r"\s*(?:→|->|⟶|➜|⇒)\s*")
_DOWN_ONLY = re.compile(r"^[↓▼⬇]$")
_ARROW_ONLY = re.compile(r"^[↓▼⬇↑▲→←]$")
_TABLE_RULE = re.compile(r"^[─━\-]*[┼+][─━\-┼+]*$")


def parse_panel_lines(lines: list[str], first_line: int,
                      diagnostics: list[Diagnostic] | None = None) -> list[Block]:
    """Classify a panel's lines (``first_line`` is the 1-based file line of ``lines[0]``)."""
    return _Reader(lines, first_line, diagnostics).read()


class _Reader:
    def __init__(self, lines: list[str], first_line: int, diagnostics: list[Diagnostic] | None) -> None:
        self.lines = [line.rstrip() for line in lines]
        indent = min((len(s) - len(s.lstrip()) for s in self.lines if s.strip()), default=0)
        self.lines = [s[indent:] for s in self.lines]
        self.first = first_line
        self.diagnostics = diagnostics
        self.blocks: list[Block] = []
        self.i = 0

    def read(self) -> list[Block]:
        steps: list[Callable[[], bool]] = [self._diagram, self._table, self._mind_map, self._flowchart,
                                           self._column_chains, self._down_chain, self._line]
        while self.i < len(self.lines):
            if not self.lines[self.i].strip():
                self.i += 1
                continue
            next(step for step in steps if step())
        return self.blocks

    # ---------------------------------------------------------------- multi-line shapes

    def _diagram(self) -> bool:
        start = self.i
        if _has_top(self.lines[start]):
            caption = 0
        elif start + 1 < len(self.lines) and _has_top(self.lines[start + 1]) and _is_caption(self.lines[start]):
            caption = 1
        else:
            return False
        end = _diagram_end(self.lines, start + caption)
        block = parse_ascii_diagram(self.lines[start:end], self.first + start, self.diagnostics)
        if block is None:
            return False
        self.blocks.append(block)
        self.i = end
        return True

    def _table(self) -> bool:
        end = self.i
        while end < len(self.lines) and ("│" in self.lines[end] or _TABLE_RULE.match(self.lines[end].strip())):
            end += 1
        rows = [self.lines[k] for k in range(self.i, end)]
        if len(rows) < 2 or not any("│" in r for r in rows):
            return False
        header: list[str] | None = None
        cells: list[list[str]] = []
        for k, row in enumerate(rows):
            if _TABLE_RULE.match(row.strip()):
                if k == 1 and cells:
                    header = cells.pop()
                continue
            cells.append([c.strip() for c in row.split("│")])
        self.blocks.append(TableBlock(line=self.first + self.i, header=header, rows=cells))
        self.i = end
        return True

    def _mind_map(self) -> bool:
        m = _MIND.match(self.lines[self.i].strip())
        if m is None:
            return False
        start = self.i
        text = " ".join([m["rest"], *self._continuation(start)])
        root, rest = _split_root(text)
        children = [MindNode(label=c) for c in (s.strip() for s in rest.split(",")) if c]
        self.blocks.append(MindMapBlock(line=self.first + start, root=root, children=children))
        return True

    def _flowchart(self) -> bool:
        m = _FLOW.match(self.lines[self.i].strip())
        if m is None:
            return False
        start = self.i
        text = " → ".join([m["rest"], *(c.lstrip("→->⟶ ").strip() for c in self._continuation(start))])
        steps = [s for s in _ARROW.split(text) if s.strip()]
        nodes = [GraphNode(id=f"s{k}", label=s.strip(), shape="diamond" if s.strip().endswith("?") else "box")
                 for k, s in enumerate(steps, start=1)]
        edges = [GraphEdge(src=a.id, dst=b.id) for a, b in zip(nodes, nodes[1:], strict=False)]
        self.blocks.append(FlowBlock(line=self.first + start, direction="LR", nodes=nodes, edges=edges,
                                     notation="flowchart-line"))
        return True

    def _column_chains(self) -> bool:
        """``[a]   [b]`` / ``↓   ↓`` / ``[c]   [d]``: side-by-side vertical chains, one per column."""
        rows, k = [_cells(self.lines[self.i])], self.i + 1
        while k + 1 < len(self.lines) and all(_DOWN_ONLY.match(c) for c in _cells(self.lines[k])) \
                and len(_cells(self.lines[k])) == len(rows[0]) == len(_cells(self.lines[k + 1])):
            rows.append(_cells(self.lines[k + 1]))
            k += 2
        if len(rows) < 2 or len(rows[0]) < 2:
            return False
        for column in zip(*rows, strict=True):
            self.blocks.append(ChainBlock(line=self.first + self.i, steps=list(column), direction="TD"))
        self.i = k
        return True

    def _down_chain(self) -> bool:
        """``a`` / ``↓`` / ``b`` / ``↓`` / ``c`` stacked on lines: a vertical chain."""
        if not (self.i + 2 < len(self.lines) and _DOWN_ONLY.match(self.lines[self.i + 1].strip())
                and self.lines[self.i + 2].strip() and _plain(self.lines[self.i])
                and _structure(self.lines[self.i].strip()) == "text"):
            return False
        start, steps, k = self.i, [self.lines[self.i].strip()], self.i + 1
        while k + 1 < len(self.lines) and _DOWN_ONLY.match(self.lines[k].strip()) and self.lines[k + 1].strip():
            steps.append(self.lines[k + 1].strip())
            k += 2
        while k < len(self.lines) and self.lines[k].strip() and _plain(self.lines[k]):
            steps[-1] += " " + self.lines[k].strip()  # the last step wraps onto following lines
            k += 1
        self.blocks.append(ChainBlock(line=self.first + start, steps=steps, direction="TD"))
        self.i = k
        return True

    # ---------------------------------------------------------------- one line at a time

    def _line(self) -> bool:
        start, raw = self.i, self.lines[self.i]
        line, line_no = raw.strip(), self.first + self.i
        # Text continues the paragraph above only when no blank line or drawing separates them.
        touching = start > 0 and bool(self.lines[start - 1].strip()) and not _has_top(self.lines[start - 1])
        more = self._continuation(start)
        block = _classify(line, more, line_no)
        previous = self.blocks[-1] if self.blocks else None
        if isinstance(block, ListBlock) and isinstance(previous, ListBlock):
            previous.items.extend(block.items)
        elif isinstance(block, TextBlock) and isinstance(previous, TextBlock) and touching \
                and not _ARROW_ONLY.match(line) and not _ARROW_ONLY.match(previous.text):
            previous.text += "\n" + block.text
        else:
            self.blocks.append(block)
        return True

    def _continuation(self, start: int) -> list[str]:
        """Following lines indented deeper than line ``start`` (and not blank); consumes them."""
        base = _indent(self.lines[start])
        k, out = start + 1, []
        while k < len(self.lines) and self.lines[k].strip() and _indent(self.lines[k]) > base \
                and not _has_top(self.lines[k]) and _structure(self.lines[k].strip()) in ("text", "chain") \
                and not _ARROW_ONLY.match(self.lines[k].strip()):
            out.append(self.lines[k].strip())
            k += 1
        self.i = k
        return out


def _classify(line: str, more: list[str], line_no: int) -> Block:
    for pattern in (_BULLET, _NUMBER, _MARK):
        m = pattern.match(line)
        if m is not None:
            return ListBlock(line=line_no, items=_items(line, more))
    m = _PLACEHOLDER.match(line)
    if m is not None and not more:
        kind, sep, text = m["body"].partition(":")
        return PlaceholderBlock(line=line_no, kind=kind.strip(), text=text.strip() if sep else "")
    m = _QUOTE.match(" ".join([line, *more]))
    if m is not None and '"' not in m["text"]:
        return QuoteBlock(line=line_no, text=m["text"].strip(), attribution=m["by"])
    m = _KEYVALUE.match(line)
    if m is not None and (m["value"] or more) and "://" not in line:
        value = "\n".join([m["value"] or "", *more]).strip()
        return KeyValueBlock(line=line_no, key=m["key"].strip(), value=value)
    steps = _ARROW.split(line)
    if len(steps) > 1 and all(s.strip() for s in steps) and not more:
        if all(_PLACEHOLDER.match(s.strip()) for s in steps):
            nodes = [GraphNode(id=f"s{k}", label=s.strip()[1:-1]) for k, s in enumerate(steps, start=1)]
            edges = [GraphEdge(src=a.id, dst=b.id) for a, b in zip(nodes, nodes[1:], strict=False)]
            return FlowBlock(line=line_no, nodes=nodes, edges=edges, notation="chain")
        return ChainBlock(line=line_no, steps=[s.strip() for s in steps])
    return TextBlock(line=line_no, text="\n".join([line, *more]))


def _items(line: str, more: list[str]) -> list[Item]:
    """One list line may hold several check items side by side (``✓ a  ✗ b``)."""
    parts = re.split(r"\s{2,}(?=[" + "".join(_MARKS) + r"]\s)", line)
    items: list[Item] = []
    for part in parts:
        m = _MARK.match(part)
        if m is not None:
            items.append(Item(text=m["text"].strip(), mark=_MARKS[m["mark"]]))
        elif (n := _NUMBER.match(part)) is not None:
            items.append(Item(text=n["text"].strip(), mark="number", number=n["num"]))
        elif (b := _BULLET.match(part)) is not None:
            items.append(Item(text=b["text"].strip()))
        else:
            items.append(Item(text=part.strip()))
    if more:
        items[-1].text = " ".join([items[-1].text, *more])
    return items


def _split_root(text: str) -> tuple[str, str]:
    parts = _ARROW.split(text, maxsplit=1)
    return (parts[0].strip(), parts[1] if len(parts) > 1 else "")


def _structure(line: str) -> str:
    if any(p.match(line) for p in (_BULLET, _NUMBER, _MARK, _MIND, _FLOW, _PLACEHOLDER)):
        return "structured"
    return "chain" if _ARROW.search(line) else "text"


def _plain(line: str) -> bool:
    return _structure(line.strip()) != "structured" and not _has_top(line) and "│" not in line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _has_top(line: str) -> bool:
    return any(t.kind == "top" for t in tokenize(line))


def _is_caption(line: str) -> bool:
    return _structure(line.strip()) != "structured" and "│" not in line


def _diagram_end(lines: list[str], start: int) -> int:
    """Past the last line of the drawing that starts at ``start``: boxes, connectors, and further
    boxes after blank lines or a caption line."""
    end, k = start, start
    while k < len(lines):
        line = lines[k]
        if any(ch in line for ch in "│┃║┌┐└┘├┤┬┴┼▼▲◀▶"):
            k += 1
            end = k
        elif _connector_or_blank(line) or (k + 1 < len(lines) and _has_top(lines[k + 1]) and _is_caption(line)):
            k += 1
        else:
            break
    return end


def _connector_or_blank(line: str) -> bool:
    return set(line.strip()) <= set("↓↑→←▼ ")


def _cells(line: str) -> list[str]:
    """A line cut at runs of 3+ spaces (columns of a side-by-side layout)."""
    return [c for c in re.split(r"\s{3,}", line.strip()) if c]
