"""Turn the markdown body of one content section (or a plain chapter) into typed blocks with source lines.

markdown-it-py (CommonMark + GFM tables) finds the block structure; this module maps its syntax tree
to model blocks. Prompts also use notations markdown does not know (``Flowchart: a → b``, ✓/✗/□ lines,
``[표: …]``, header-less ``| a | b |`` rows, prose mind maps); ``paragraph`` reads those line by line,
and list items go to ``prose_mindmap``. Mermaid fences go to ``mermaid``, box drawings to
``ascii_diagram``. Inline text keeps ``**bold**`` and `` `code` `` spans for the renderer; other
inline markup is reduced to its text (``<br>`` becomes a newline).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, cast

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from nanosheet.errors import NanosheetError
from nanosheet.ingest import line_blocks as lb
from nanosheet.ingest.ascii_diagram import parse_ascii_diagram
from nanosheet.ingest.mermaid import parse_mermaid
from nanosheet.ingest.paragraph import BOLD_LINE_RE, ParagraphLines
from nanosheet.ingest.per_text import PerText
from nanosheet.ingest.prose_mindmap import has_prose_mindmap, parse_prose_mindmap
from nanosheet.model import (
    Block,
    CalloutBlock,
    CodeBlock,
    Diagnostic,
    HeadingBlock,
    Item,
    ListBlock,
    QuoteBlock,
    TableBlock,
    TextBlock,
)

Align = Literal["left", "center", "right"] | None

_MD = MarkdownIt("commonmark").enable("table")
_BR = "\u2028"
"""Stands in for ``<br>`` while paragraph lines are split on real newlines."""
_BOX_CHARS = set("┌┐└┘├┤┬┴┼─│╔╗╚╝═║")
_ATTRIBUTION_RE = re.compile(r"^(?:—|–|--|-|―)\s*(\S.{0,60})$")
_CHECKBOX_RE = re.compile(r"^\[([ xX✓])\]\s+")


def _parse_blocks(text: str, first_line: int, file: str) -> tuple[list[Block], list[Diagnostic]]:
    """Parse one markdown fragment; ``first_line`` is the file line of the fragment's first line."""
    converter = _Converter(text.split("\n"), first_line, file)
    tree = SyntaxTreeNode(_MD.parse(text))
    return converter.blocks(tree.children), converter.diags


parse_blocks = PerText(_parse_blocks, maxsize=256)  # the studio re-reads every unchanged section per keystroke
_parse_blocks_cached = parse_blocks.cached


# --------------------------------------------------------------------------- HTML comments

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CLOSING_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")
_COMMENT_OR_CODE_RE = re.compile(r"(`+)(?s:.*?)(?<!`)\1(?!`)|[ \t]*<!--(?s:.*?)-->")


def drop_html_comments(text: str) -> str:
    """``text`` without ``<!-- … -->``: a note to the author is not printed on the sheet.

    Fenced code and inline code spans keep theirs (there it is an example, not a note); an unclosed
    ``<!--`` is left as written; each removed comment leaves its newlines, so line numbers stay right.
    """
    if "<!--" not in text:
        return text
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None:
            opened = _FENCE_RE.match(line)
            if opened is None:
                prose.append(line)
                continue
            out.extend(_drop_comments(prose))
            prose, fence = [], opened.group(1)
        elif _closes(line, fence):
            fence = None
        out.append(line)
    out.extend(_drop_comments(prose))
    return "\n".join(out)


def _closes(line: str, fence: str) -> bool:
    closing = _CLOSING_FENCE_RE.match(line)
    return closing is not None and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence)


def _drop_comments(lines: list[str]) -> list[str]:
    """The prose ``lines`` (as one string, or none) with their comments removed and code spans kept."""
    if not lines:
        return []

    def keep_code(match: re.Match[str]) -> str:
        return match.group(0) if match.group(1) else "\n" * match.group(0).count("\n")

    return [_COMMENT_OR_CODE_RE.sub(keep_code, "\n".join(lines))]


# --------------------------------------------------------------------------- inline text


def render_inline(node: SyntaxTreeNode, br: str = "\n") -> str:
    """Inline markdown as text: ``**bold**`` and `` `code` `` kept, links and emphasis reduced to their text."""
    parts: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            parts.append(child.content)
        elif kind == "strong":
            parts.append(f"**{render_inline(child, br)}**")
        elif kind == "code_inline":
            parts.append(f"`{child.content}`")
        elif kind in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind == "html_inline":
            parts.append(br if re.fullmatch(r"<br\s*/?>", child.content.strip(), re.IGNORECASE) else "")
        else:  # em, link, image, s: their text is the content
            parts.append(render_inline(child, br))
    return "".join(parts)


def _plain(text: str) -> str:
    """Heading text without bold markers."""
    return text.replace("**", "").strip()


# --------------------------------------------------------------------------- converter


class _Converter:
    def __init__(self, lines: list[str], first_line: int, file: str) -> None:
        self.lines = lines
        self.first_line = first_line
        self.file = file
        self.diags: list[Diagnostic] = []

    def line_of(self, node: SyntaxTreeNode) -> int:
        return self.first_line + (node.map[0] if node.map else 0)

    def warn(self, code: str, message: str, line: int) -> None:
        self.diags.append(Diagnostic(code=code, message=message, file=self.file, line=line))

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            handler = self._handlers().get(node.type)
            if handler is None:
                self.warn("markdown-unknown", f"unexpected markdown element `{node.type}`; kept as text",
                          self.line_of(node))
                out.extend(self._raw_text(node))
            else:
                out.extend(handler(node))
        return out

    def _handlers(self) -> dict[str, Callable[[SyntaxTreeNode], list[Block]]]:
        return {
            "paragraph": self._paragraph,
            "heading": self._heading,
            "bullet_list": self._list,
            "ordered_list": self._list,
            "blockquote": self._quote,
            "fence": self._fence,
            "code_block": self._code_block,
            "table": self._table,
            "html_block": self._raw_text,
            "hr": lambda node: [],
        }

    def _raw_text(self, node: SyntaxTreeNode) -> list[Block]:
        start, end = node.map or (0, 0)
        text = re.sub(r"<br\s*/?>", "\n", "\n".join(self.lines[start:end]), flags=re.IGNORECASE)
        text = re.sub(r"<[^>]+>", "", text).strip()
        return [TextBlock(line=self.line_of(node), text=text)] if text else []

    # ----------------------------------------------------------------- simple blocks

    def _heading(self, node: SyntaxTreeNode) -> list[Block]:
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 3
        return [HeadingBlock(line=self.line_of(node), level=level, text=_plain(render_inline(node.children[0])))]

    def _code_block(self, node: SyntaxTreeNode) -> list[Block]:
        return [CodeBlock(line=self.line_of(node), text=node.content.rstrip("\n"))]

    def _fence(self, node: SyntaxTreeNode) -> list[Block]:
        line = self.line_of(node)
        words = node.info.split()
        lang = words[0].lower() if words else ""
        code = node.content.rstrip("\n")
        if lang == "mermaid":
            rest: list[Block] = []
            if not self._closed(node):
                code, rest = self._cut_unclosed(code, line)
            # ```` ```mermaid flowchart TD ```` puts the header on the fence line itself.
            head = " ".join(words[1:])
            return self._mermaid(f"{head}\n{code}" if head else code, line if head else line + 1, line) + rest
        if lang in ("", "text", "txt", "ascii", "plain"):
            rows = code.split("\n")
            if any(ch in _BOX_CHARS for ch in code):
                # The wireframe's box reader, so panels and fenced drawings become the same diagrams.
                diagram = parse_ascii_diagram(rows, line + 1, self.diags)
                if diagram is not None:
                    return [diagram.model_copy(update={"line": line})]
            elif rows and all(lb.is_flow_line(r) or not r.strip() for r in rows):
                flow = lb.parse_flow_text(rows, line, notation="chain")
                if flow is not None:
                    return [flow]
        return [CodeBlock(line=line, lang=lang, text=code)]

    def _closed(self, node: SyntaxTreeNode) -> bool:
        start, end = node.map or (0, 0)
        last = self.lines[end - 1].strip() if end - 1 > start else ""
        return bool(last) and last.startswith(node.markup) and set(last) == {node.markup[0]}

    def _cut_unclosed(self, code: str, fence_line: int) -> tuple[str, list[Block]]:
        """An unclosed mermaid fence ends before the first markdown heading; the rest is markdown again.

        Mermaid has no line starting with ``#``, so such a line can only be the author's next heading.
        """
        rows = code.split("\n")
        cut = next((k for k, row in enumerate(rows) if re.match(r"^#{1,6}\s", row)), None)
        if cut is None:
            return code, []
        rest_line = fence_line + 1 + cut
        self.warn("unclosed-fence", f"the ```mermaid fence opened on line {fence_line} is never closed; "
                  f"closed before line {rest_line}", fence_line)
        blocks, diags = parse_blocks("\n".join(rows[cut:]), rest_line, self.file)
        self.diags.extend(diags)
        return "\n".join(rows[:cut]).rstrip("\n"), blocks

    def _mermaid(self, code: str, code_line: int, fence_line: int) -> list[Block]:
        try:
            block, diags = parse_mermaid(code, code_line, self.file)
        except NanosheetError as exc:
            # An empty block has no code line to point at: point at its fence.
            where = exc.line if code.strip() and exc.line else fence_line
            self.warn("mermaid-kept-as-code", f"{exc.message}; the block is kept as code", where)
            return [CodeBlock(line=fence_line, lang="mermaid", text=code)]
        self.diags.extend(diags)
        return [block.model_copy(update={"line": fence_line})]

    def _table(self, node: SyntaxTreeNode) -> list[Block]:
        header: list[str] | None = None
        align: list[Align] = []
        rows: list[list[str]] = []
        for part in node.children:
            for tr in part.children:
                cells = [render_inline(cell.children[0]) if cell.children else "" for cell in tr.children]
                if part.type == "thead":
                    header = cells
                    align = [_align(cell) for cell in tr.children]
                else:
                    rows.append(cells)
        return [TableBlock(line=self.line_of(node), header=header, rows=rows, align=align)]

    # ----------------------------------------------------------------- lists

    def _list(self, node: SyntaxTreeNode) -> list[Block]:
        moved: list[Block] = []
        out: list[Block] = []
        items: list[Item] = []
        line = self.line_of(node)
        for child in node.children:
            item = self._item(child, node.type == "ordered_list", moved)
            items.append(item)
            lines = item.text.split("\n")
            cut = next((k for k, text in enumerate(lines) if k and BOLD_LINE_RE.match(text.strip())), None)
            if cut is not None:
                # A `**Label:**` line glued under an item is a lazy continuation in CommonMark, but the
                # author meant a new sub-heading: end the list there and read the rest as a paragraph.
                item.text = "\n".join(lines[:cut])
                out.extend(self._list_blocks(items, line))
                # `<br>` splits a source line too: line numbers stop at the item's last source line.
                last = max(self.first_line + (child.map[1] - 1 if child.map else 0), self.line_of(child))
                tail_line = min(self.line_of(child) + cut, last)
                out.extend(ParagraphLines(lines[cut:], lines[cut:], tail_line, last).blocks())
                items, line = [], tail_line + len(lines) - cut
        if items:
            out.extend(self._list_blocks(items, line))
        return out + moved

    def _list_blocks(self, items: list[Item], line: int) -> list[Block]:
        out: list[Block] = []
        if has_prose_mindmap(items):
            out.extend(self._mindmap(items, line))
        elif len(items) == 1 and has_prose_mindmap(items[0].children):
            # `- Create a mindmap with this structure:` whose sub-items are the map.
            out.append(TextBlock(line=line, text=items[0].text))
            out.extend(self._mindmap(items[0].children, line))
        else:
            out.append(ListBlock(line=line, items=items))
        return out

    def _mindmap(self, items: list[Item], line: int) -> list[Block]:
        block, diags = parse_prose_mindmap(items, line, self.file)
        self.diags.extend(diags)
        return [block] if block is not None else [ListBlock(line=line, items=items)]

    def _item(self, node: SyntaxTreeNode, ordered: bool, moved: list[Block]) -> Item:
        texts: list[str] = []
        children: list[Item] = []
        for child in node.children:
            if child.type == "paragraph":
                texts.append(render_inline(child.children[0]))
            elif child.type in ("bullet_list", "ordered_list"):
                children.extend(self._item(sub, child.type == "ordered_list", moved) for sub in child.children)
            else:
                # A fence or table inside an item cannot live in Item.text: keep it, after the list.
                self.warn("list-nested-block", f"{child.type} inside a list item is placed after the list",
                          self.line_of(child))
                moved.extend(self.blocks([child]))
        text = "\n".join(texts).strip()
        if ordered:
            return Item(text=text, mark="number", number=node.info or None, children=children)
        checkbox = _CHECKBOX_RE.match(text)
        if checkbox:
            mark: lb.Mark = "box" if checkbox.group(1) == " " else "box-checked"
            return Item(text=text[checkbox.end():], mark=mark, children=children)
        marked = lb.split_mark(text)
        if marked and marked[0] != "bullet":
            return Item(text=marked[1], mark=marked[0], children=children)
        return Item(text=text, children=children)

    # ----------------------------------------------------------------- quotes

    def _quote(self, node: SyntaxTreeNode) -> list[Block]:
        """``> **title**`` + lines is a callout; a trailing ``— name`` or one-item ``- name`` is attribution."""
        lines: list[str] = []
        attribution: str | None = None
        for index, child in enumerate(node.children):
            last = index == len(node.children) - 1
            if child.type == "paragraph":
                lines.extend(render_inline(child.children[0]).split("\n"))
            elif child.type == "bullet_list" and last and len(child.children) == 1 and lines \
                    and lb.width(name := self._item(child.children[0], False, []).text) <= 40:
                attribution = name
            elif child.type in ("bullet_list", "ordered_list"):
                for n, item in enumerate(child.children, start=1):
                    bullet = f"{item.info or n}." if child.type == "ordered_list" else "-"
                    lines.append(f"{bullet} {self._item(item, False, []).text}")
            else:
                lines.extend(self._raw_lines(child))
        ends_in_text = bool(node.children) and node.children[-1].type == "paragraph"
        if ends_in_text and len(lines) > 1 and (match := _ATTRIBUTION_RE.match(lines[-1].strip())):
            attribution = match.group(1).strip()
            lines.pop()
        line = self.line_of(node)
        title = BOLD_LINE_RE.match(lines[0].strip()) if lines else None
        if title:
            body = "\n".join(lines[1:]).strip()
            return [CalloutBlock(line=line, title=title.group(1).strip(), text=body, attribution=attribution)]
        return [QuoteBlock(line=line, text="\n".join(lines).strip(), attribution=attribution)]

    def _raw_lines(self, node: SyntaxTreeNode) -> list[str]:
        start, end = node.map or (0, 0)
        return [re.sub(r"^\s*(?:>\s?)+", "", raw) for raw in self.lines[start:end]]

    # ----------------------------------------------------------------- paragraphs

    def _paragraph(self, node: SyntaxTreeNode) -> list[Block]:
        rendered = render_inline(node.children[0], br=_BR).split("\n")
        start, end = node.map or (0, 0)
        raw = self.lines[start:end]
        line = self.line_of(node)
        if len(raw) != len(rendered):
            # A code span across lines hides a line break; the line-by-line notations can't be aligned.
            return [TextBlock(line=line, text="\n".join(rendered).replace(_BR, "\n"))]
        return ParagraphLines([r.replace(_BR, "\n") for r in rendered], raw, line).blocks()


def _align(cell: SyntaxTreeNode) -> Align:
    style = str(cell.attrs.get("style", ""))
    for value in ("left", "center", "right"):
        if f"text-align:{value}" in style:
            return cast(Align, value)
    return None


