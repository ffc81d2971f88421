"""Give the steps of a flow an icon by meaning: a sheet's flow and diagram blocks in, their step boxes with
``GraphNode.icon`` set out (the renderer draws it on its own line above the label).

Nano Banana draws a workflow as big boxes each led by an icon saying what the step does (🔍 estimate,
🏷️ annotate, 🚀 infer). Only a box that is a step gets one: a box (or a linked group) on a directed path of
three or more boxes, not a decision diamond, not a ``+`` joint, not a box whose label already starts with
an emoji, not one of the options a box fans out to. Only the concept table decides (``icons.concept_icon``
in its step mode): a weak CLDR keyword hit would put 🚂 on "Training"; a step the table does not know stays
plain. One icon per concept in a diagram: a second box meaning the same keeps its words alone, so the
icons tell the steps apart. The page leaves the icons out where they would shrink the words (sheet.js,
diagrams.js).
"""

from __future__ import annotations

import re
from collections import defaultdict

import emoji

from nanosheet.compose.draft import Draft
from nanosheet.compose.icons import concept_icon
from nanosheet.model import Block, DiagramBlock, FlowBlock, GraphEdge, GraphNode
from nanosheet.node_lines import label_lines
from nanosheet.textwidth import display_width

MIN_CHAIN = 3
"""Boxes a directed path needs before its boxes read as steps (two boxes are a pair, not a process)."""
_STEP_SHAPES = frozenset({"box", "round", "stadium"})
_MIN_LETTERS = 3
"""A box with fewer letter cells (``+``, ``Q``, ``…``; a Hangul syllable is two) is a joint, not a step."""


def give_step_icons(draft: Draft) -> Draft:
    """The pass: the step boxes of every flow and diagram get the icon their name means."""
    rows = draft.copy_rows()
    for row in rows:
        for panel in row.panels:
            panel.blocks = [with_step_icons(b) for b in panel.blocks]
            panel.extra = [with_step_icons(b) for b in panel.extra]
    return draft.revised(rows)


def with_step_icons(block: Block) -> Block:
    """The block with icons on its step boxes (a changed copy), or the block itself when none gets one."""
    if not isinstance(block, FlowBlock | DiagramBlock):
        return block
    icons = step_icons(block.nodes, block.edges)
    if not icons:
        return block
    return block.model_copy(update={"nodes": [_iconed(n, icons) for n in block.nodes]})


def step_icons(nodes: list[GraphNode], edges: list[GraphEdge]) -> dict[str, str]:
    """node id -> icon for the step boxes that the concept table names, first box of each concept only."""
    boxes = [n for n in _walk(nodes) if _is_link(n)]
    on_chain = _on_long_path([n.id for n in boxes], _sequence_edges(boxes, edges))
    icons: dict[str, str] = {}
    used: set[str] = set()
    for node in boxes:
        if node.id not in on_chain or not _is_step_box(node):
            continue
        icon = concept_icon(step_name(node), step=True)
        if icon is not None and icon not in used:
            icons[node.id] = icon
            used.add(icon)
    return icons


_NUMBERING = re.compile(r"^(?:step|stage|phase|단계)\s*\d{1,2}\s*[.:)\-]?\s*", re.IGNORECASE)


def step_name(node: GraphNode) -> str:
    """What the box calls its step: its first display line without its number (``STEP 1: SELECTION`` is
    ``SELECTION``; a ``STAGE 1`` alone on its line is named by the line under it), never its notes."""
    for line in label_lines(node.label, node.lines):
        name = _NUMBERING.sub("", line).strip()
        if name:
            return name
    return ""


def _is_link(node: GraphNode) -> bool:
    """A box the chain can run through: a step or a decision, not a ``+`` joint."""
    letters = "".join(ch for line in label_lines(node.label, node.lines) for ch in line if ch.isalpha())
    return node.shape != "circle" and display_width(letters) >= _MIN_LETTERS  # 성공? is two wide syllables


def _is_step_box(node: GraphNode) -> bool:
    return node.shape in _STEP_SHAPES and not _starts_with_emoji(node.label)


def _starts_with_emoji(text: str) -> bool:
    found = emoji.emoji_list(text.lstrip())
    return bool(found) and found[0]["match_start"] == 0


def _walk(nodes: list[GraphNode]) -> list[GraphNode]:
    """Every box in drawing order, the boxes a box holds after it (a linked group is a step too)."""
    out: list[GraphNode] = []
    for node in nodes:
        out += [node, *_walk(node.children)]
    return out


def _sequence_edges(boxes: list[GraphNode], edges: list[GraphEdge]) -> list[GraphEdge]:
    """The edges among the boxes, less those out of a plain box that fans out: what a box leads to
    several of are its options ("write the prompt" -> three ways to word it), not the next steps.
    A decision diamond's branches stay (its outcomes carry on the process)."""
    shape = {n.id: n.shape for n in boxes}
    inside = [e for e in edges if e.src in shape and e.dst in shape]
    fan: dict[str, int] = defaultdict(int)
    for edge in inside:
        fan[edge.src] += 1
    return [e for e in inside if fan[e.src] < 2 or shape[e.src] == "diamond"]


def _on_long_path(ids: list[str], edges: list[GraphEdge]) -> set[str]:
    """The boxes lying on a directed path of MIN_CHAIN or more boxes (a loop's edge back is left out)."""
    after: dict[str, list[str]] = defaultdict(list)
    before: dict[str, list[str]] = defaultdict(list)
    for edge in _forward(ids, edges):
        after[edge.src].append(edge.dst)
        before[edge.dst].append(edge.src)
    down, up = _longest(ids, after), _longest(ids, before)
    return {i for i in ids if up[i] + down[i] - 1 >= MIN_CHAIN}


def _forward(ids: list[str], edges: list[GraphEdge]) -> list[GraphEdge]:
    """The edges without those closing a cycle (found depth-first from the boxes in drawing order)."""
    out_of: dict[str, list[GraphEdge]] = defaultdict(list)
    for edge in edges:
        out_of[edge.src].append(edge)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    kept: list[GraphEdge] = []

    def visit(node: str) -> None:
        state[node] = 1
        for edge in out_of[node]:
            if state.get(edge.dst) == 1:
                continue  # back to a box on the current path: the loop's return, not a further step
            kept.append(edge)
            if edge.dst not in state:
                visit(edge.dst)
        state[node] = 2

    for node in ids:
        if node not in state:
            visit(node)
    return kept


def _longest(ids: list[str], nxt: dict[str, list[str]]) -> dict[str, int]:
    """Boxes on the longest path starting at each box, the box included (the graph has no cycle left)."""
    memo: dict[str, int] = {}

    def length(node: str) -> int:
        if node not in memo:
            memo[node] = 1 + max((length(n) for n in nxt.get(node, ())), default=0)
        return memo[node]

    return {i: length(i) for i in ids}


def _iconed(node: GraphNode, icons: dict[str, str]) -> GraphNode:
    children = [_iconed(c, icons) for c in node.children]
    return node.model_copy(update={"icon": icons.get(node.id, node.icon), "children": children})
