"""Turn the text of a mermaid block (``flowchart``/``graph`` or ``mindmap``) into a FlowBlock or MindMapBlock.

Hand-written rather than a dependency: the only PyPI mermaid parsers are 0.0.x wrappers around the
JavaScript grammar (they need Node at run time). We only need the flowchart and mindmap subset the
prompts use, and we want line numbers on every warning. Lines we understand but cannot draw
(``style``, ``classDef``, ``click`` …) are skipped with a warning that names the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from nanosheet.errors import InputError
from nanosheet.model import Diagnostic, FlowBlock, GraphEdge, GraphGroup, GraphNode, MindMapBlock, MindNode

Direction = Literal["LR", "RL", "TD", "BT"]
Shape = Literal["box", "round", "circle", "diamond", "stadium"]
EdgeStyle = Literal["solid", "dotted", "thick"]

_DIRECTIONS: dict[str, Direction] = {"LR": "LR", "RL": "RL", "TD": "TD", "TB": "TD", "BT": "BT"}
_UNSUPPORTED = ("style", "classDef", "class", "linkStyle", "click", "direction")
# Ids may hold inner dashes (`my-node`) but never a dash run, which starts an arrow (`A---B`).
_ID_RE = re.compile(r"\w+(?:-\w+)*")
# Openers longest first, so ``((`` wins over ``(`` and ``([`` over ``(``.
_SHAPES: list[tuple[str, str, Shape]] = [
    ("(((", ")))", "circle"),
    ("((", "))", "circle"),
    ("([", "])", "stadium"),
    ("[[", "]]", "box"),
    ("[(", ")]", "box"),
    ("[/", "/]", "box"),
    ("[\\", "\\]", "box"),
    ("{{", "}}", "diamond"),
    ("[", "]", "box"),
    ("(", ")", "round"),
    ("{", "}", "diamond"),
    (">", "]", "box"),
]
_ARROW = (
    r"<?(?:-{2,}>|-{3,}|-\.+->|-\.+-|={2,}>|={3,}|--[ox]|~{3,})"
)
_LINK_RE = re.compile(
    rf"\s*(?:(?P<arrow>{_ARROW})|(?P<open><?(?:--|==|-\.))\s+(?P<text>[^|>]+?)\s+"
    r"(?P<close>-{2,}>|={2,}>|\.-+>|-{3,}|={3,}|\.-+))"
    r"\s*(?:\|(?P<label>[^|]*)\|)?\s*"
)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def clean_label(text: str) -> str:
    """Mermaid label text as plain text: ``<br>`` → newline, ``#quot;`` → ``"``, markdown-string ticks off."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        text = text[1:-1]
    text = _BR_RE.sub("\n", text).replace("#quot;", '"').replace("#35;", "#")
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def parse_mermaid(code: str, first_line: int, file: str) -> tuple[FlowBlock | MindMapBlock, list[Diagnostic]]:
    """Parse one mermaid block; ``first_line`` is the file line of the code's first line.

    Raises InputError when the block is empty or is a diagram kind we cannot draw (sequence, gantt …):
    the caller keeps such blocks as code.
    """
    lines = code.split("\n")
    for index, raw in enumerate(lines):
        head = raw.strip()
        if not head or head.startswith("%%") or head.startswith("---"):
            continue
        keyword = head.split()[0].lower()
        if keyword == "mindmap":
            block, diags = _parse_mindmap(lines[index + 1 :], first_line + index + 1, file)
            return block.model_copy(update={"line": first_line + index}), diags
        if keyword in ("flowchart", "graph"):
            return _FlowParser(file).parse(lines, first_line, index)
        raise InputError(
            f"mermaid diagram kind {keyword!r} is not supported",
            file=file, line=first_line + index, col=len(raw) - len(raw.lstrip()) + 1,
            hint="expected `flowchart`, `graph` or `mindmap`; the block is kept as code",
        )
    raise InputError("empty mermaid block", file=file, line=first_line, col=1,
                     hint="expected `flowchart`, `graph` or `mindmap` on its first line")


# --------------------------------------------------------------------------- flowchart


@dataclass
class _Group:
    id: str
    label: str
    parent: str | None
    nodes: list[str] = field(default_factory=list)


class _FlowParser:
    """One pass over the statements; state is the open subgraph stack and what was seen so far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.nodes: dict[str, GraphNode] = {}
        self.declared: set[str] = set()
        self.edges: list[GraphEdge] = []
        self.groups: list[_Group] = []
        self.stack: list[_Group] = []
        self.diags: list[Diagnostic] = []

    def parse(self, lines: list[str], first_line: int, header_index: int) -> tuple[FlowBlock, list[Diagnostic]]:
        header_line = first_line + header_index
        words = lines[header_index].strip().split(None, 2)[1:]
        direction: Direction = "TD"  # mermaid's own default
        if words and words[0].rstrip(";").upper() in _DIRECTIONS:
            direction = _DIRECTIONS[words.pop(0).rstrip(";").upper()]
        if words:  # `graph LR A-->B` on one line: the rest is a statement
            self._statement(" ".join(words), header_line)
        for index in range(header_index + 1, len(lines)):
            self._statement(lines[index].strip(), first_line + index)
        if self.stack:
            self._warn("mermaid-unclosed-subgraph",
                       f"subgraph {self.stack[-1].id!r} has no `end`; closed at the end of the block",
                       first_line + len(lines) - 1)
        return self._block(direction, header_line), self.diags

    def _warn(self, code: str, message: str, line: int) -> None:
        self.diags.append(Diagnostic(code=code, message=message, file=self.file, line=line))

    def _statement(self, text: str, line: int) -> None:
        if text.lstrip().startswith("%%"):
            return
        parts = _split_statements(text)
        if len(parts) > 1:
            for part in parts:
                self._statement(part, line)
            return
        text = text.strip().rstrip(";").strip()
        if not text:
            return
        keyword = text.split()[0]
        if keyword == "subgraph":
            self._open_group(text[len("subgraph"):].strip(), line)
        elif keyword == "end":
            if self.stack:
                self.stack.pop()
            else:
                self._warn("mermaid-syntax", "`end` without an open subgraph; ignored", line)
        elif keyword in _UNSUPPORTED or keyword.startswith("classDef"):
            self._warn("mermaid-unsupported", f"skipped `{text}` ({keyword} is not drawn)", line)
        else:
            self._chain(text, line)

    def _open_group(self, spec: str, line: int) -> None:
        match = re.match(r"^([\w\-]+)\s*\[\s*(.*?)\s*\]$", spec)
        if match:
            gid, label = match.group(1), clean_label(match.group(2).strip('"'))
        else:
            label = clean_label(spec.strip('"')) or f"group{len(self.groups) + 1}"
            gid = label
        group = _Group(gid, label, self.stack[-1].id if self.stack else None)
        self.groups.append(group)
        self.stack.append(group)

    def _chain(self, text: str, line: int) -> None:
        """Read ``a & b --> c -->|x| d``; all or nothing, so a line of prose adds no stray nodes."""
        nodes: list[_NodeRef] = []
        edges: list[GraphEdge] = []
        pos, sources = _node_group(text, 0)
        nodes += sources
        while sources and pos < len(text):
            link = _LINK_RE.match(text, pos)
            if not link:
                break
            style = _edge_style(link.group("arrow") or (link.group("open") or "") + (link.group("close") or ""))
            label_text = link.group("label") if link.group("label") is not None else link.group("text")
            label = clean_label(label_text.strip('"')) if label_text else None
            pos, targets = _node_group(text, link.end())
            if not targets:
                pos = link.start()
                break
            nodes += targets
            edges += [GraphEdge(src=a.id, dst=b.id, label=label or None, style=style)
                      for a in sources for b in targets]
            sources = targets
        if not sources or pos < len(text):
            self._warn("mermaid-syntax", f"could not read `{text[pos:].strip() or text}` in `{text}`; "
                       "the line is skipped", line)
            return
        for ref in nodes:
            self._add_node(ref)
        self.edges += edges

    def _add_node(self, ref: _NodeRef) -> None:
        node_id, shape, label = ref.id, ref.shape, ref.label
        if node_id not in self.nodes:
            self.nodes[node_id] = GraphNode(id=node_id, label=node_id)
            if self.stack:
                self.stack[-1].nodes.append(node_id)
        if label is not None and shape is not None:
            self.nodes[node_id].label = label
            self.nodes[node_id].shape = shape
            self.declared.add(node_id)

    def _block(self, direction: Direction, first_line: int) -> FlowBlock:
        group_ids = {g.id for g in self.groups}
        # A bare name that is a subgraph id stands for the subgraph (`Old --> New`), not a new node.
        ghost = {n for n in self.nodes if n in group_ids and n not in self.declared}
        groups = [
            GraphGroup(id=g.id, label=g.label, nodes=[n for n in g.nodes if n not in ghost], parent=g.parent)
            for g in self.groups
        ]
        nodes = [n for key, n in self.nodes.items() if key not in ghost]
        return FlowBlock(line=first_line, direction=direction, nodes=nodes, edges=self.edges,
                         groups=groups, notation="mermaid")


@dataclass
class _NodeRef:
    id: str
    shape: Shape | None
    label: str | None


def _node_group(text: str, pos: int) -> tuple[int, list[_NodeRef]]:
    """``a & b[x] & c``: one or more nodes joined by ``&``."""
    refs: list[_NodeRef] = []
    while True:
        pos, ref = _node(text, pos)
        if ref is None:
            return pos, refs
        refs.append(ref)
        amp = re.compile(r"\s*&\s*").match(text, pos)
        if not amp:
            return pos, refs
        pos = amp.end()


def _node(text: str, pos: int) -> tuple[int, _NodeRef | None]:
    pos = _skip_space(text, pos)
    match = _ID_RE.match(text, pos)
    if not match:
        return pos, None
    shape, label, end = _shape(text, match.end())
    return _skip_class(text, end), _NodeRef(match.group(0), shape, label)


def _split_statements(line: str) -> list[str]:
    """``A-->B; B-->C`` → two statements; a ``;`` inside quotes or brackets is label text."""
    parts, depth, quoted, current = [], 0, False, ""
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[({":
            depth += 1
        elif not quoted and ch in "])}":
            depth = max(depth - 1, 0)
        if ch == ";" and not quoted and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [part for part in parts if part.strip()]


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _skip_class(text: str, pos: int) -> int:
    match = re.compile(r":::[\w\-]+").match(text, pos)
    return match.end() if match else pos


def _shape(text: str, pos: int) -> tuple[Shape | None, str | None, int]:
    """Read a shape and its label right after a node id, if there is one."""
    for opener, closer, shape in _SHAPES:
        if not text.startswith(opener, pos):
            continue
        start = pos + len(opener)
        # A quoted label may hold the closing bracket; only a quote followed by the closer ends it.
        if text.startswith('"', start):
            quoted = re.compile(r'"(.*?)"\s*' + re.escape(closer)).match(text, start)
            if quoted:
                return shape, clean_label(quoted.group(1)), quoted.end()
        end = text.find(closer, start)
        if end < 0:
            continue
        return shape, clean_label(text[start:end]), end + len(closer)
    return None, None, pos


def _edge_style(arrow: str) -> EdgeStyle:
    if "." in arrow:
        return "dotted"
    if "=" in arrow:
        return "thick"
    return "solid"


# --------------------------------------------------------------------------- mindmap

_MIND_SHAPES = [("((", "))"), ("))", "(("), (")", "("), ("{{", "}}"), ("[", "]"), ("(", ")")]


def _mind_label(text: str) -> str:
    """``root((LLM 플랫폼))`` → ``LLM 플랫폼``; ``id[Text]`` → ``Text``; plain text stays."""
    text = re.sub(r":::.*$", "", text).strip()
    for opener, closer in _MIND_SHAPES:
        start = text.find(opener)
        if start >= 0 and text.endswith(closer) and re.fullmatch(r"[\w\-]*", text[:start]):
            return clean_label(text[start + len(opener) : len(text) - len(closer)].strip('"'))
    return clean_label(text.strip('"'))


def _parse_mindmap(lines: list[str], first_line: int, file: str) -> tuple[MindMapBlock, list[Diagnostic]]:
    """Indentation is the tree: each line is a child of the nearest less-indented line above it."""
    diags: list[Diagnostic] = []
    root: MindNode | None = None
    root_line = first_line
    stack: list[tuple[int, MindNode]] = []
    for index, raw in enumerate(lines):
        text = raw.strip()
        if not text or text.startswith("%%"):
            continue
        if text.startswith("::icon("):
            if stack:
                stack[-1][1].icon = text[len("::icon(") :].rstrip(")").strip()
            continue
        if text.startswith("::note(") and text.endswith(")"):  # ours: the node's one-line note (plan writes it)
            if stack:
                stack[-1][1].note = text[len("::note(") : -1].strip() or None
            continue
        indent = len(raw) - len(raw.lstrip())
        node = MindNode(label=_mind_label(text))
        if root is None:
            root, root_line = node, first_line + index
            stack = [(indent, node)]
            continue
        while len(stack) > 1 and stack[-1][0] >= indent:
            stack.pop()
        if stack[-1][0] >= indent:
            diags.append(Diagnostic(code="mermaid-mindmap-root",
                                    message=f"`{text}` is not indented under the root; attached to it",
                                    file=file, line=first_line + index))
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    if root is None:
        raise InputError("mindmap has no root node", file=file, line=first_line, col=1,
                         hint="expected an indented line such as `root((Topic))` after `mindmap`")
    return MindMapBlock(line=root_line, root=root.label, children=root.children), diags
