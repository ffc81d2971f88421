"""Turn a mind map described in words (`Root:`, `Level 1:`, `Branch 1: "x" → "a", "b"` items) into a MindMapBlock.

Prompts ask an image model to "create a mermaid mindmap with the following structure" and then give
the structure as list items instead of mermaid. Two spellings occur:

* ``Root: "X"`` then ``Branch N: "x" → "a", "b"`` (one branch per item, children after the arrow);
* ``Root: "X"``, ``Level 1 …:`` with the first-level nodes as sub-items (or after the colon), then
  ``Level 2 …:`` with sub-items ``Name → a, b`` (or ``Name: a, b``) whose Name refers to a level-1 node,
  often shortened (``Refactoring`` for ``Refactoring & Migrations``).

Also reads the one-line form ``Mind Map: Root → A, B, C`` used inside wireframes.
"""

from __future__ import annotations

import re

from nanosheet.ingest.line_blocks import ARROW_RE
from nanosheet.inline import plain_text
from nanosheet.model import Diagnostic, Item, MindMapBlock, MindNode

_ROOT_RE = re.compile(r"^\s*(?:root|루트|중심)\s*:\s*(.+)$", re.IGNORECASE)
_LEVEL_RE = re.compile(r"^\s*level\s*(\d+)\b[^:]*:?\s*(.*)$", re.IGNORECASE)
_BRANCH_RE = re.compile(r"^\s*branch\s*\d*\s*:\s*(.+)$", re.IGNORECASE)
_ONE_LINE_RE = re.compile(r"^\s*(?:mind\s*map|마인드\s*맵)\s*:\s*(.+)$", re.IGNORECASE)


def unquote(text: str) -> str:
    text = plain_text(text).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'“”":
        return text[1:-1].strip()
    return text.strip("“”\"'").strip()


def split_names(text: str) -> list[str]:
    """``"a", "b, c"`` → [a, b, c] honouring quotes; otherwise split on commas outside parentheses."""
    quoted = re.findall(r'"([^"]*)"|“([^”]*)”', text)
    if quoted:
        return [(a or b).strip() for a, b in quoted if (a or b).strip()]
    names, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth <= 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    return [unquote(n) for n in names if unquote(n)]


def has_prose_mindmap(items: list[Item]) -> bool:
    """True when a ``Root:`` item sits among these items (the list describes a mind map)."""
    return any(_ROOT_RE.match(item.text) for item in items)


def parse_prose_mindmap(items: list[Item], line: int | None, file: str | None = None
                        ) -> tuple[MindMapBlock | None, list[Diagnostic]]:
    """Read the sibling items of one list; None when no item names the root."""
    root = next((m.group(1) for item in items if (m := _ROOT_RE.match(item.text))), None)
    if root is None:
        return None, []
    diags: list[Diagnostic] = []
    top: list[MindNode] = []
    for item in items:
        if _ROOT_RE.match(item.text):
            continue
        if branch := _BRANCH_RE.match(item.text):
            top.append(_branch(branch.group(1), item.children))
        elif level := _LEVEL_RE.match(item.text):
            _add_level(top, int(level.group(1)), level.group(2), item.children, diags, line, file)
        else:
            diags.append(Diagnostic(code="mindmap-extra", file=file, line=line,
                                    message=f"mind map item `{item.text}` is neither a level nor a branch; "
                                    "kept as a first-level node"))
            top.append(_branch(item.text, item.children))
    return MindMapBlock(line=line, root=unquote(root), children=top), diags


def parse_mindmap_line(text: str, line: int | None = None) -> MindMapBlock | None:
    """``Mind Map: Future → Multimodal, Agents`` (continuation lines already joined)."""
    match = _ONE_LINE_RE.match(" ".join(text.split()))
    if not match:
        return None
    parts = ARROW_RE.split(match.group(1), maxsplit=1)
    if len(parts) != 2:
        return None
    return MindMapBlock(line=line, root=unquote(parts[0]),
                        children=[MindNode(label=name) for name in split_names(parts[1])])


def _branch(text: str, children: list[Item]) -> MindNode:
    """``"x" → "a", "b"`` or ``x`` with sub-items."""
    parts = ARROW_RE.split(text, maxsplit=1)
    node = MindNode(label=unquote(parts[0]))
    if len(parts) == 2:
        node.children = [MindNode(label=name) for name in split_names(parts[1])]
    node.children += [_branch(child.text, child.children) for child in children]
    return node


def _add_level(top: list[MindNode], level: int, rest: str, children: list[Item],
               diags: list[Diagnostic], line: int | None, file: str | None) -> None:
    entries = [child.text for child in children] or ([rest] if ARROW_RE.search(rest) else split_names(rest))
    if level <= 1:
        for entry in entries:
            top.append(_branch(entry, []))
        return
    parents = _nodes_at(top, level - 1)
    for entry in entries:
        parts = ARROW_RE.split(entry, maxsplit=1)
        if len(parts) != 2:
            parts = _colon_parts(entry, parents)
        if len(parts) != 2:
            diags.append(Diagnostic(code="mindmap-level", file=file, line=line,
                                    message=f"level-{level} entry `{entry}` has no `Parent → …`; skipped"))
            continue
        parent = _match(parents, unquote(parts[0]))
        if parent is None:
            diags.append(Diagnostic(code="mindmap-level", file=file, line=line,
                                    message=f"no level-{level - 1} node matches `{parts[0].strip()}`; "
                                    "added as a new first-level node"))
            parent = MindNode(label=unquote(parts[0]))
            top.append(parent)
        parent.children += [MindNode(label=name) for name in split_names(parts[1])]


def _colon_parts(entry: str, parents: list[MindNode]) -> list[str]:
    """``Input: Token Sequence, Context Window`` — a colon instead of the arrow, taken only when the name
    before it is one of the level above (else the colon is just part of the entry's text)."""
    name, colon, rest = entry.partition(":")
    if colon and rest.strip() and _match(parents, unquote(name)) is not None:
        return [name, rest]
    return [entry]


def _nodes_at(nodes: list[MindNode], depth: int) -> list[MindNode]:
    if depth <= 1:
        return nodes
    return [grand for node in nodes for grand in _nodes_at(node.children, depth - 1)]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _match(nodes: list[MindNode], name: str) -> MindNode | None:
    """Exact label first, then a node whose words include all of the name's (``Flow`` → ``Staying in Flow``)."""
    key = name.casefold()
    for node in nodes:
        if node.label.casefold() == key:
            return node
    wanted = _words(name)
    for node in nodes:
        if wanted and wanted <= _words(node.label):
            return node
    return None
