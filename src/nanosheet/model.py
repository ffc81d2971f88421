"""The typed document at the centre of the pipeline: Prompt (what ingest reads) and Sheet (what render draws).

This module imports nothing from the project. Every stage speaks these types:
``bytes -> text -> Prompt (sections, layout rows, blocks) -> Sheet -> HTML -> files``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- diagnostics


class Diagnostic(_Model):
    """A recoverable problem, with the place in the input it came from."""

    code: str
    """Stable machine-readable kind, e.g. ``unclosed-fence``, ``ratio-mismatch``, ``overflow``."""
    message: str
    """One human sentence: what, and what was done about it."""
    file: str | None = None
    line: int | None = None
    """1-based line in the (repaired) input text, when known."""
    col: int | None = None


class Recovery(_Model):
    """One character rebuilt from mojibake whose bytes were partly lost."""

    line: int
    col: int
    chosen: str
    candidates: list[str] = Field(default_factory=list)
    """Every character the surviving bytes allow, best first."""
    guessed: bool = False
    """True when no evidence preferred ``chosen`` over the runner-up (picked by code point only)."""


class Repairs(_Model):
    """What intake did to the bytes before parsing."""

    encoding: str = "utf-8"
    """How the file was decoded (``utf-8``, ``utf-8-sig``)."""
    mojibake: str | None = None
    """The wrong codec the text had been through (e.g. ``windows-1254``), or None when it was clean."""
    changed_chars: int = 0
    recovered: list[Recovery] = Field(default_factory=list)
    """Characters rebuilt from partial bytes (each chosen among candidates)."""
    unrecoverable: list[Recovery] = Field(default_factory=list)
    """Places left as U+FFFD because no candidate fitted."""
    line_endings: Literal["lf", "crlf", "cr", "mixed"] = "lf"
    bom: bool = False


# --------------------------------------------------------------------------- blocks


class _Block(_Model):
    line: int | None = None
    """Source line (1-based) the block starts on, for error messages."""


class TextBlock(_Block):
    type: Literal["text"] = "text"
    text: str


class HeadingBlock(_Block):
    """A sub-heading inside a content section (``### …``)."""

    type: Literal["heading"] = "heading"
    level: int = 3
    text: str


class Item(_Model):
    """One list entry. ``mark`` says how it was written, so ✓/✗/□ survive."""

    text: str
    mark: Literal["bullet", "number", "check", "cross", "box", "box-checked"] = "bullet"
    number: str | None = None
    """The label of a numbered item (``1``, ``a``), when ``mark`` is ``number``."""
    children: list[Item] = Field(default_factory=list)


class ListBlock(_Block):
    """Bullets, numbered lists and checklists (``•``, ``-``, ``1.``, ``✓``, ``✗``, ``□``, ``- [ ]``)."""

    type: Literal["list"] = "list"
    items: list[Item]


class ChainBlock(_Block):
    """``a → b → c`` on one line."""

    type: Literal["chain"] = "chain"
    steps: list[str]
    direction: Literal["LR", "TD"] = "LR"
    """``TD`` when the steps are stacked on lines joined by ``↓``."""


class KeyValueBlock(_Block):
    type: Literal["keyvalue"] = "keyvalue"
    key: str
    value: str


class QuoteBlock(_Block):
    type: Literal["quote"] = "quote"
    text: str
    attribution: str | None = None


class CalloutBlock(_Block):
    """``> **title**`` followed by quoted lines."""

    type: Literal["callout"] = "callout"
    title: str
    text: str = ""
    attribution: str | None = None
    """Who said it, from a trailing ``— name`` / ``- name`` line."""


class CodeBlock(_Block):
    type: Literal["code"] = "code"
    lang: str = ""
    text: str


class TableBlock(_Block):
    type: Literal["table"] = "table"
    header: list[str] | None = None
    """None for header-less tables (e.g. ``Example rows:``)."""
    rows: list[list[str]]
    align: list[Literal["left", "center", "right"] | None] = Field(default_factory=list)


class PlaceholderBlock(_Block):
    """``[표: …]`` or ``[순환 다이어그램]``: something the prompt asks to be drawn here."""

    type: Literal["placeholder"] = "placeholder"
    kind: str
    """The word before the colon (``표``) or the whole bracket text."""
    text: str = ""


class MindNode(_Model):
    label: str
    icon: str | None = None
    note: str | None = None
    """A short source-derived explanation (filled by compose)."""
    note_ref: str | None = None
    """Where the note came from, e.g. a transcript timestamp ``3:13``."""
    children: list[MindNode] = Field(default_factory=list)


class MindMapBlock(_Block):
    type: Literal["mindmap"] = "mindmap"
    root: str
    children: list[MindNode] = Field(default_factory=list)


class GraphNode(_Model):
    id: str
    label: str
    shape: Literal["box", "round", "circle", "diamond", "stadium"] = "box"
    children: list[GraphNode] = Field(default_factory=list)
    """Boxes nested inside this one (ASCII diagrams nest up to depth 4)."""
    lines: list[str] = Field(default_factory=list)
    """Text lines inside the box other than its label."""
    caption: str | None = None
    """Text written just above the box in an ASCII diagram (``STEP 1``, ``Cloud``)."""
    icon: str | None = None
    """An emoji saying what the step does, drawn on its own line above the label (compose's step icons)."""


class GraphEdge(_Model):
    src: str
    dst: str
    label: str | None = None
    style: Literal["solid", "dotted", "thick"] = "solid"


class GraphGroup(_Model):
    """A mermaid subgraph."""

    id: str
    label: str
    nodes: list[str]
    parent: str | None = None
    """The id of the enclosing subgraph, when subgraphs nest."""


class FlowBlock(_Block):
    """A directed graph: ``Flowchart: a → b?``, mermaid flowchart/graph, or a chain of bracketed steps."""

    type: Literal["flow"] = "flow"
    direction: Literal["LR", "RL", "TD", "BT"] = "LR"
    nodes: list[GraphNode]
    edges: list[GraphEdge] = Field(default_factory=list)
    groups: list[GraphGroup] = Field(default_factory=list)
    notation: Literal["flowchart-line", "mermaid", "chain", "prose"] = "flowchart-line"


class DiagramBlock(_Block):
    """A nested ASCII box drawing inside a panel, kept as nodes and edges plus its raw lines."""

    type: Literal["diagram"] = "diagram"
    direction: Literal["LR", "RL", "TD", "BT"] = "TD"
    nodes: list[GraphNode]
    edges: list[GraphEdge] = Field(default_factory=list)
    raw: list[str] = Field(default_factory=list)


DirectiveKind = Literal[
    "flow", "sequence", "mindmap", "table", "bullets", "checklist", "quotes", "code", "diagram", "icon", "note"
]


class DirectiveBlock(_Block):
    """A line addressed to the image model (``Create a Mermaid flowchart showing:``) with what it asks for.

    Ingest folds the line and its payload (the nested list, the fence, the tables under it) into one
    block; compose replaces it by the drawing it asks for, so its wording never reaches the sheet."""

    type: Literal["directive"] = "directive"
    text: str
    """The directive as written (bullet and bold markers stripped)."""
    kind: DirectiveKind
    """What it asks to be drawn; ``note`` is an instruction whose object is itself the content."""
    count: int | None = None
    """How many it asks for (``two tables`` -> 2, ``3-5 bullet points`` -> 5), when it says."""
    gloss: bool = False
    """It asks for annotations (``with Korean annotations``): quotes keep their gloss."""
    payload: list[Block] = Field(default_factory=list)
    """The blocks it introduces, as parsed."""


Block = Annotated[
    TextBlock
    | HeadingBlock
    | ListBlock
    | ChainBlock
    | KeyValueBlock
    | QuoteBlock
    | CalloutBlock
    | CodeBlock
    | TableBlock
    | PlaceholderBlock
    | MindMapBlock
    | FlowBlock
    | DiagramBlock
    | DirectiveBlock,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- layout

RowKind = Literal["title", "panels", "band"]


class Panel(_Model):
    """One titled box of the wireframe. A band row has one panel whose title is the band's label."""

    id: str
    """Stable id, ``r{row}p{index}`` (e.g. ``r2p1``)."""
    icon: str | None = None
    """Leading emoji of the title, as written (VS16, keycaps and ZWJ sequences kept whole)."""
    title: str
    flags: list[str] = Field(default_factory=list)
    """Hints lifted out of the title, e.g. ``widest`` for "(이 섹션이 가장 넓어야 함!)"."""
    hints: list[str] = Field(default_factory=list)
    """The hint texts as written, for the report."""
    blocks: list[Block] = Field(default_factory=list)
    """The wireframe's own lines inside the box."""
    extra: list[Block] = Field(default_factory=list)
    """Blocks added by compose from matched content sections."""
    sections: list[str] = Field(default_factory=list)
    """Titles of the content sections compose placed here."""
    spares: list[Block] = Field(default_factory=list)
    """Notes from the source the page may add while the panel stays under-filled (best first; not drawn, and
    not reported as left out, when there is no room)."""
    line: int | None = None


class Row(_Model):
    kind: RowKind
    ratio: float
    """Share of the page height in percent, after normalisation (all rows sum to 100)."""
    ratio_spec: float | None = None
    """The percentage as the prompt wrote it, or None when defaulted."""
    panels: list[Panel] = Field(default_factory=list)
    widths: list[float] = Field(default_factory=list)
    """Relative panel widths (equal unless the wireframe says otherwise); same length as panels."""
    flags: list[str] = Field(default_factory=list)
    line: int | None = None


class Page(_Model):
    size: Literal["A4"] = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    orientation_source: str = "default"
    """Why: ``default``, ``prompt`` (with the phrase) or ``cli``."""

    @property
    def width_mm(self) -> float:
        return 210.0 if self.orientation == "portrait" else 297.0

    @property
    def height_mm(self) -> float:
        return 297.0 if self.orientation == "portrait" else 210.0


class Frontmatter(_Model):
    """The source's YAML header, with the keys the footer uses lifted out."""

    title: str | None = None
    title_kr: str | None = None
    source_url: str | None = None
    source_type: str | None = None
    author: str | None = None
    chapter: int | None = None
    total_chapters: int | None = None
    extra: dict[str, str] = Field(default_factory=dict)


SectionKind = Literal[
    "role", "source", "style", "layout", "ratio", "content", "instructions", "image_request", "meta", "other"
]


class Section(_Model):
    """A part of the prompt, delimited by the known instruction headings."""

    kind: SectionKind
    title: str
    icon: str | None = None
    number: int | None = None
    """The ``N`` of ``## N. emoji Title`` or ``**N. …**``."""
    hints: list[str] = Field(default_factory=list)
    """Position hints such as ``좌측 상단`` or ``중앙 - 가장 넓게!``."""
    line_start: int
    line_end: int
    """Inclusive, 1-based."""
    text: str = ""
    blocks: list[Block] = Field(default_factory=list)


class PlanSpare(_Model):
    """Content the plan ranked for a panel but did not place: what a refit may add when the panel is sparse."""

    markdown: str
    """One list item, table row or quote, in the prompt format (appended to the panel's content as is)."""
    line: int | None = None


class PlanChoice(_Model):
    """One panel the plan stage drew for a chapter, and the source lines it came from."""

    panel: str
    title: str
    kind: str
    """``mindmap``, ``flow``, ``loop``, ``table``, ``figures``, ``quotes``, ``takeaways``, ``notes`` …"""
    sections: list[str] = Field(default_factory=list)
    lines: list[int] = Field(default_factory=list)
    spare: list[PlanSpare] = Field(default_factory=list)
    """Further candidates for this panel, best first (a refit adds from the front)."""


class PlanDrop(_Model):
    """A chapter section the plan left out, and why."""

    section: str
    reason: str
    line: int | None = None


class PlanInfo(_Model):
    """What the plan stage chose for a chapter without a wireframe (for the report)."""

    chapter_kind: str
    template: str
    notes_backend: str
    source: str = "local"
    """``local`` (the offline planner) or ``llm`` (written by ``--llm PROVIDER:MODEL``)."""
    model: str | None = None
    """The ``--llm`` spec asked, also when its plan was not used."""
    llm_requests: int | None = None
    """Chat requests sent for the plan (0: a cache hit)."""
    choices: list[PlanChoice] = Field(default_factory=list)
    dropped: list[PlanDrop] = Field(default_factory=list)
    refits: int = 0
    """How many times the plan was changed from a rendered sheet's measurements (0 or 1)."""


class Prompt(_Model):
    """Everything ingest learned from one input file."""

    path: str
    title: str
    """The sheet title (from the wireframe's title row, else the frontmatter, else the first heading)."""
    subtitle: str | None = None
    page: Page = Field(default_factory=Page)
    frontmatter: Frontmatter = Field(default_factory=Frontmatter)
    rows: list[Row] = Field(default_factory=list)
    auto_layout: bool = False
    """True when the prompt had no usable wireframe and the layout was chosen for it."""
    sections: list[Section] = Field(default_factory=list)
    style_rules: list[str] = Field(default_factory=list)
    image_request: str | None = None
    source_text: str = ""
    """The chapter's own text (frontmatter stripped), for compose to draw notes from."""
    warnings: list[Diagnostic] = Field(default_factory=list)
    repairs: Repairs = Field(default_factory=Repairs)
    plan: PlanInfo | None = None
    """Set when the plan stage chose the rows and content (the input had no wireframe)."""


# --------------------------------------------------------------------------- composed sheet


class Unplaced(_Model):
    section: str
    reason: str
    line: int | None = None


class Footer(_Model):
    title: str
    title_en: str | None = None
    author: str | None = None
    chapter: str | None = None
    """``21/24`` when the frontmatter says so."""
    source_url: str | None = None
    qr_url: str | None = None
    """What the QR code opens (a YouTube link carries the chapter's first timestamp)."""


class Sheet(_Model):
    """A Prompt after compose: every panel holds what it will show. Render draws exactly this."""

    stem: str
    title: str
    subtitle: str | None = None
    page: Page
    rows: list[Row]
    footer: Footer
    auto_layout: bool = False
    unplaced: list[Unplaced] = Field(default_factory=list)
    left_out: list[str] = Field(default_factory=list)
    """Blocks compose dropped to stay legible, described for the report."""
    warnings: list[Diagnostic] = Field(default_factory=list)
    seed: int = 0
    """Derived from the content; makes sketchy strokes reproducible."""
    plan: PlanInfo | None = None
    """What the plan stage chose, when it planned this sheet."""


Item.model_rebuild()
MindNode.model_rebuild()
GraphNode.model_rebuild()
DirectiveBlock.model_rebuild()


# --------------------------------------------------------------------------- measured page and report


class _Read(BaseModel):
    """A record that crosses from outside (the page, a report file): unknown keys are ignored, not fatal."""

    model_config = ConfigDict(extra="ignore")


class RowMeasure(_Read):
    """One row band as the page drew it."""

    index: int
    kind: str
    y_mm: float
    h_mm: float


class PanelMeasure(_Read):
    """One drawn box (a panel, or the title band with ``id`` None) as the page measured it."""

    id: str | None
    row: int
    box_mm: list[float]
    """``[x, y, w, h]`` from the sheet's top-left corner."""
    font_pt: float | None
    """The smallest text on the box, diagram labels included; None for an empty box."""
    body_pt: float | None = None
    """The size the fitter chose for the body text."""
    overflow: bool = False
    text: str = ""
    """The text a reader sees, one line per block."""
    hidden_text: str = ""
    """Blocks hidden because the box edge cut them (overflow only)."""
    left_out: list[str] = Field(default_factory=list)
    """Optional (compose-added) blocks left out so the rest stays legible."""
    clipped_labels: int = 0
    fill: float = 0.0
    """How far down the box the visible text reaches, 0–1 (what a plan refit reads)."""
    spares: int = 0
    """Spare notes from the source the page added because the panel had room (compose/spares.py)."""


class Measured(_Read):
    """What ``nanosheet.mount`` returns for one sheet, validated once where it leaves the browser."""

    rows: list[RowMeasure]
    panels: list[PanelMeasure]
    sheet_mm: list[float] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)


class PageSize(_Read):
    """A report's page as far as reading boxes back needs it."""

    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)


class PanelBox(_Read):
    """A report's panel as far as reading its text back needs it: where it is and what it says."""

    id: str | None = None
    title: str = ""
    box_mm: Annotated[list[float], Field(min_length=4, max_length=4)]
    text: str = ""


class ReportBoxes(_Read):
    """The part of a :class:`Report` that ``verify`` reads (a report of another tool may hold just this);
    a full Report always validates as one."""

    page: PageSize
    panels: list[PanelBox]


class ReportPage(_Read):
    size: str
    orientation: str
    orientation_source: str
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    dpi: float = Field(gt=0)
    png_px: list[int] | None = None
    content_mm: list[float]
    ratio_definition: str


class ReportRow(_Read):
    index: int
    kind: str
    ratio_spec: float | None
    ratio: float
    ratio_rendered: float
    """The band's height in percent of the content height (see ``ReportPage.ratio_definition``)."""
    y_mm: float
    h_mm: float
    panels: list[str]
    flags: list[str]


class ReportPanel(_Read):
    id: str
    row: int
    title: str
    icon: str | None
    box_mm: Annotated[list[float], Field(min_length=4, max_length=4)]
    font_pt: float | None
    body_pt: float | None
    overflow: bool
    clipped_labels: int
    flags: list[str]
    line: int | None
    text: str
    hidden_text: str = ""
    left_out: list[str] = Field(default_factory=list)
    fill: float = 0.0
    spares: int = 0
    """Spare notes from the source added because the panel had room."""


class Report(_Read):
    """``<stem>.report.json``: an interface other tools read — keys are added, never renamed or dropped."""

    version: int
    stem: str
    title: str
    page: ReportPage
    auto_layout: bool
    seed: int
    rows: list[ReportRow]
    panels: list[ReportPanel]
    overflow: bool
    unplaced: list[Unplaced]
    left_out: list[str]
    warnings: list[Diagnostic]
    blocked_requests: int
    outputs: dict[str, str]
    timings_ms: dict[str, float]
    planned: bool = False
    plan: PlanInfo | None = None

    def to_json(self) -> dict[str, object]:
        """The report as written: every key present, ``None`` kept (warnings omit their unknown places)."""
        data = self.model_dump(mode="json")
        data["warnings"] = [w.model_dump(mode="json", exclude_none=True) for w in self.warnings]
        return data
