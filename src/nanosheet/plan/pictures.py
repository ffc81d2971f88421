"""An Analysis in, candidate panels (``Piece``) out: the chapter's structure drawn as pictures.

Ordered steps become a flow (a loop when the text says it repeats), the section tree a mind map,
parallel lists and the chapter's own tables a comparison table, numbers key-figure chips, transcript
sentences quote cards with their timestamp, advantages a ✓ list and limitations a ⚠ list. Each piece
is markdown in the prompt format ingest reads, so the plan file shows exactly what will be drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nanosheet.model import Block, ChainBlock, CodeBlock, FlowBlock, HeadingBlock, ListBlock, TableBlock, TextBlock
from nanosheet.plan import notes as ko
from nanosheet.plan.analyse import Analysis, SectionInfo, squash_term
from nanosheet.plan.distil import Note, best_notes, block_notes, paragraph_notes, plain, short_label
from nanosheet.render.mermaid import mermaid_source

_CYCLE = re.compile(r"사이클|루프|반복|순환|되풀이|cycle|loop|iterat|repeat", re.IGNORECASE)
_ARROW = re.compile(r"\s*(?:->|→|⟶|➜|=>)\s*")
_FIGURE = re.compile(r"(?<![\w.])(?:\$\s?\d[\d,.]*\s?[kKmMbB]?|\d[\d,.]*\s?(?:%|배|×|x\b|만|억|천|GB|MB|KB|TB|ms|초|분|"
                     r"시간|년|개월|개|명|토큰|tokens?|달러|원|점|단계|k\b|K\b|B\b|M\b))")


@dataclass
class Piece:
    """One panel the plan may place: its kind, a short title, its markdown and where it came from."""

    kind: str
    title: str
    markdown: str
    weight: float
    """How much the sheet loses without it (the layout keeps the heaviest)."""
    lines: list[int] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    visual: bool = False
    wide: bool = False
    """Wants the full page width (a mind map, a long flow, a table of three or more columns)."""
    size: float = 0.0
    """Estimated content in display cells (labels and notes), for sizing rows."""
    need: float = 0.0
    """Height in mm a drawing needs at a legible size (0: measure the text instead)."""
    spare: list[tuple[str, int | None]] = field(default_factory=list)
    """Further ranked candidates (markdown chunk, source line), best first: what a sparse panel may add."""


SPARE = 6
"""Candidates kept per panel beyond those placed (enough to fill a box twice the estimate)."""


def _lines_of(notes: list[Note]) -> list[int]:
    return sorted({n.line for n in notes if n.line is not None})


def _bullets(notes: list[Note], mark: str = "-") -> str:
    return "\n".join(_bullet(n, mark) for n in notes)


def _bullet(note: Note, mark: str = "-") -> str:
    """One list item; a split item's further pieces are its sub-bullets."""
    indent = " " * (len(mark.split()[0]) + 1)
    return "\n".join([f"{mark} {note.text}", *(f"{indent}- {r}" for r in note.rest)])


def _spares(notes: list[Note], used: set[str], mark: str = "-") -> list[tuple[str, int | None]]:
    """The next-best notes after those chosen, as list items (``used`` is not changed: nothing is placed yet)."""
    ranked = best_notes(notes, SPARE, set(used))
    ranked.sort(key=lambda n: (n.text.endswith("…"), -n.terms, n.order))
    return [(_bullet(n, mark), n.line) for n in ranked]


def _size(text: str) -> float:
    return float(sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in text))


# --------------------------------------------------------------------------- diagrams


def mind_map(analysis: Analysis, used: set[str]) -> Piece | None:
    """Root = the topic, branches = the main sections (or the digest's labelled points), leaves = key phrases."""
    branches: list[tuple[str, list[str], list[int], str]] = []
    body = [s for s in analysis.body if s.role != "title" and not _lists_siblings(s, analysis)]
    if len(body) >= 3:
        for info in body[:6]:
            label = short_label(info.title)
            branches.append((label, _leaves(info, label), [info.section.line_start], info.title))
    else:
        digest = [n for s in analysis.with_role("summary") for n in block_notes(s.blocks, analysis.key_terms)]
        labelled = [n for n in digest if n.label]
        for note in labelled[:6]:
            label = short_label(note.label or "")
            branches.append((label, [], [note.line or 0], "digest"))
    if len(branches) < 3:  # no section tree and no labelled digest: the chapter's most repeated terms
        text = " ".join(plain(s.section.text) for s in analysis.sections if s.role != "boilerplate")
        topic = analysis.topic.lower()
        words = [w for w in ko.keywords(text, 12) if w.lower() not in topic and len(w) <= 16][:5]
        first = analysis.sections[0].section.line_start if analysis.sections else 1
        branches = [(w, [], [first], "keywords") for w in words]
    branches = [(_ko_label(b[0]), [_ko_label(x) for x in b[1]], b[2], b[3]) for b in branches if b[0]]
    if len(branches) < 3:
        return None
    root = short_label(analysis.topic, max_words=5, max_chars=20)
    branch_note = branch_notes(analysis, [(b[0], b[3]) for b in branches], used)
    lines = ["```mermaid", "mindmap", f"  root(({_mm(root)}))"]
    for (label, leaves, _, _), said in zip(branches, branch_note, strict=True):
        lines.append(f"    {_mm(label)}")
        if said:  # our own decoration line, like mermaid's ::icon(): the branch's one-line note
            lines.append(f"    ::note({_note_arg(said)})")
        lines.extend(f"      {_mm(leaf)}" for leaf in leaves[:2])
    lines.append("```")
    size = sum(_size(label) + sum(_size(x) for x in leaves[:2]) for label, leaves, _, _ in branches)
    # A branch draws its label, its leaves and the note compose gives it (about two lines).
    per_side = max(sum(3 + len(b[1][:2]) for b in branches[k::2]) for k in (0, 1))
    return Piece(kind="mindmap", title="한눈에 보기", markdown="\n".join(lines),
                 weight=3.0, lines=sorted({n for b in branches for n in b[2]}), visual=True, wide=True,
                 sections=sorted({b[3] for b in branches}), size=size + 400,
                 need=24.0 + 5.2 * per_side)


def branch_notes(analysis: Analysis, branches: list[tuple[str, str]], used: set[str]) -> list[str | None]:
    """A short note per branch: its section's best note, or for a digest or keyword branch, the best note
    elsewhere in the chapter that names the label (never the digest itself, which the takeaways show)."""
    by_title = {info.title: info for info in analysis.sections}
    pool: list[Note] | None = None
    out: list[str | None] = []
    for label, source in branches:
        info = by_title.get(source)
        if info is not None:
            candidates = block_notes(info.blocks, analysis.key_terms)
        else:
            pool = _note_pool(analysis) if pool is None else pool
            key = max((squash_term(w) for w in plain(label).split()), key=len, default="")
            candidates = [n for n in pool if len(key) >= 2 and key in squash_term(n.text)]
        chosen = best_notes([n for n in candidates if squash_term(n.text) != squash_term(label)], 1, used)
        out.append(_short_note(chosen[0].text, label) if chosen else None)
    return out


def _note_pool(analysis: Analysis) -> list[Note]:
    """Every note of the body (not the digest, nor the transcript: its spoken asides read badly as a
    branch's note), in document order."""
    pool = [n for info in analysis.body for n in block_notes(info.blocks, analysis.key_terms)]
    for order, note in enumerate(pool):
        note.order = order
    return pool


def _short_note(text: str, label: str) -> str:
    """A mind-map note: one short line, without the ``label:`` lead-in the branch already shows."""
    text = re.sub(r"^\*\*[^*]+\*\*\s*[:：]\s*", "", text)
    if text.lower().startswith(label.lower()):
        text = text[len(label):].lstrip(" :：-—=")
    pieces = ko.split_note(text, max_syllables=28, max_words=10)
    return pieces[0] if pieces else text


def _note_arg(note: str) -> str:
    return " ".join(note.split())


def _leaves(info: SectionInfo, label: str) -> list[str]:
    heads = [short_label(b.text, 3, 16) for b in info.blocks if isinstance(b, HeadingBlock)]
    labels = [short_label(i.text.split(":")[0], 3, 16) for b in info.blocks if isinstance(b, ListBlock)
              for i in b.items if "**" in i.text or ":" in i.text]
    picked = [x for x in [*heads, *labels] if x and x != label]
    return _unique(picked)[:2]


def _ko_label(text: str) -> str:
    """A label that is a sentence ("대신 이렇게 해보세요") ends in a noun like the notes."""
    return ko.to_note(text) if ko.is_formal(text) else text


def _lists_siblings(info: SectionInfo, analysis: Analysis) -> bool:
    """A section whose list names the other sections (a "four kinds of failure" overview) is no branch."""
    titles = {short_label(s.title).lower() for s in analysis.body if s is not info}
    items = [short_label(i.text.split(":")[0]).lower() for b in info.blocks if isinstance(b, ListBlock)
             for i in b.items]
    return len(items) >= 3 and sum(1 for i in items if i in titles) * 2 >= len(items)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x.lower() in seen or seen.add(x.lower()))]  # type: ignore[func-returns-value]


def _mm(label: str) -> str:
    return re.sub(r"[()\[\]{}:]", " ", plain(label)).strip() or "…"


def flow(analysis: Analysis) -> Piece | None:
    """Ordered steps of the chapter as a flow; a loop (return edge) when the text says the steps repeat."""
    best: tuple[list[str], SectionInfo, int | None, str | None, FlowBlock | None] | None = None
    for info in analysis.sections:
        if info.role in ("boilerplate", "transcript"):
            continue
        for steps, line, label, drawn in _step_runs(info.blocks):
            if 3 <= len(steps) <= 7 and (best is None or _flow_rank(info) > _flow_rank(best[1])):
                best = (steps, info, line, label, drawn)
    if best is None:
        return None
    steps, info, line, label, drawn = best
    text = " ".join(getattr(b, "text", "") for b in info.blocks) + " " + info.title
    cycle = bool(_CYCLE.search(text))
    if drawn is not None and not _plain_chain(drawn):
        # The chapter drew this flow itself, with its decisions, branch labels and return edges: it is kept
        # as drawn (laid out as a chain of shortened steps it lost them, and a formula cut at its 4th word).
        out = ["```mermaid", mermaid_source(drawn, icons=False).rstrip("\n"), "```"]
        cycle = False
    else:
        out = ["```mermaid", "flowchart LR" if len(steps) <= 5 else "flowchart TD"]
        for k, step in enumerate(steps, start=1):
            out.append(f'  s{k}["{step}"]')
        out.extend(f"  s{k} --> s{k + 1}" for k in range(1, len(steps)))
        if cycle:
            out.append(f"  s{len(steps)} -.->|반복| s1")
        out.append("```")
    title = label or (short_label(info.title, 4, 22) if info.role in ("process", "concept") else "흐름")
    lr = len(steps) <= 5
    return Piece(kind="loop" if cycle else "flow", title=title or "흐름", markdown="\n".join(out),
                 weight=2.8, lines=[line or info.section.line_start], sections=[info.title], visual=True,
                 wide=len(steps) >= 4, size=sum(_size(s) for s in steps) + 300,
                 need=(26.0 + 6.0 * any("<br>" in s for s in steps)) if lr else 16.0 + 12.0 * len(steps),
                 spare=_flow_notes(analysis, info, steps))


def _flow_notes(analysis: Analysis, info: SectionInfo, steps: list[str]) -> list[tuple[str, int | None]]:
    """Notes that explain the steps (the flow's own section first, then any note naming a step), for a
    short flow whose panel has room below the drawing."""
    own = [] if info.role == "summary" else [  # a digest's items are the takeaways strip's
        n for n in block_notes(info.blocks, analysis.key_terms) if not _ARROW.search(n.text)]
    keys = [max((squash_term(w) for w in plain(s.split("<br>")[0]).split()), key=len, default="") for s in steps]
    named = [n for n in _note_pool(analysis) if any(len(k) >= 2 and k in squash_term(n.text) for k in keys)]
    notes = [*own, *named]
    for order, note in enumerate(notes):
        note.order = order
    return _spares(notes, set())


def _flow_rank(info: SectionInfo) -> int:
    return {"process": 3, "summary": 2, "concept": 1}.get(info.role, 0)


def _step(text: str) -> str:
    """``사전학습(지식 습득)`` → ``사전학습<br>지식 습득``: the step and its gloss on two lines."""
    match = re.match(r"^\s*([^()]{1,24}?)\s*\(([^()]{1,24})\)\s*$", plain(text))
    if match:
        return f"{short_label(match.group(1), 3, 16)}<br>{short_label(match.group(2), 4, 18)}"
    return short_label(text, 4, 18)


def _plain_chain(block: FlowBlock) -> bool:
    """a → b → c in the order written: no decision, no branch label, no edge that skips or returns."""
    order = {n.id: i for i, n in enumerate(block.nodes)}
    pairs = sorted((order.get(e.src, -9), order.get(e.dst, -9)) for e in block.edges)
    return (not any(n.shape == "diamond" or n.children for n in block.nodes) and not any(e.label for e in block.edges)
            and pairs == [(i, i + 1) for i in range(len(block.nodes) - 1)])


def _step_runs(blocks: list[Block]) -> list[tuple[list[str], int | None, str | None, FlowBlock | None]]:
    """Runs of steps a flow could show: each with its line, its label and the flow the chapter drew, if any."""
    runs: list[tuple[list[str], int | None, str | None, FlowBlock | None]] = []
    for block in blocks:
        if isinstance(block, ChainBlock):
            runs.append(([_step(s) for s in block.steps], block.line, None, None))
        elif isinstance(block, FlowBlock) and not block.groups and len(block.nodes) <= 7:
            runs.append(([_step(n.label) for n in block.nodes], block.line, None, block))
        elif isinstance(block, ListBlock):
            for item in block.items:  # "**3단계 훈련**: 사전학습 -> SFT -> RL" carries its own chain
                head, _, tail = item.text.rpartition(":")
                parts = [_step(p) for p in _ARROW.split(tail) if p.strip()]
                if len(parts) >= 3 and _ARROW.search(tail):
                    runs.append((parts, block.line, short_label(head, 3, 16) or None, None))
            if len(block.items) >= 3 and all(i.mark == "number" for i in block.items):
                runs.append(([short_label(i.text.split(":")[0], 4, 18) for i in block.items], block.line, None, None))
    return [run for run in runs if all(run[0])]


# --------------------------------------------------------------------------- tables and figures


def table(analysis: Analysis, used: set[str] | None = None) -> Piece | None:
    """The chapter's own table with the most key terms, trimmed; else two parallel headed lists side by side."""
    tables = [(info, b) for info in analysis.body for b in info.blocks if isinstance(b, TableBlock) and b.rows]
    if tables:
        info, block = max(tables, key=lambda t: (_table_terms(t[1], analysis.key_terms), -len(t[1].rows)))
        header = block.header or ["항목", *[""] * (len(block.rows[0]) - 1)]
        return _table_piece(short_label(info.title, 3, 16) or "비교", header, block.rows, info, block.line)
    for info in analysis.body:
        defs = _definitions(info.blocks)
        if defs is not None:
            if used is not None:  # the table shows these items: no list repeats them
                best_notes(block_notes(info.blocks, analysis.key_terms), 99, used)
            return _table_piece(short_label(info.title, 3, 16) or "핵심 개념", ["개념", "설명"], defs, info,
                                info.section.line_start)
    for info in analysis.body:
        pair = _parallel_lists(info.blocks)
        if pair is not None:
            (left, a), (right, b) = pair
            rows = [[x, y] for x, y in zip(a, b, strict=False)]
            title = short_label(info.title, 3, 16) or "비교"
            return _table_piece(title, [left, right], rows, info, info.section.line_start)
    return None


def _table_piece(title: str, header: list[str], rows: list[list[str]], info: SectionInfo,
                 line: int | None) -> Piece:
    cols = min(len(header), 3)
    head = [_ko_label(short_label(h, 3, 18)) or "—" for h in header[:cols]]
    body = [[_cell(c) for c in (r + [""] * cols)[:cols]] for r in rows[:6]]
    more = [[_cell(c) for c in (r + [""] * cols)[:cols]] for r in rows[6 : 6 + SPARE]]
    md = "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * cols,
                    *("| " + " | ".join(r) + " |" for r in body)])
    return Piece(kind="table", title=title, markdown=md, weight=2.5, lines=[line or info.section.line_start],
                 sections=[info.title], visual=True, wide=cols >= 3,
                 size=sum(_size(c) for r in body for c in r) + 30 * len(body),
                 spare=[("| " + " | ".join(r) + " |", line) for r in more])


def _cell(text: str) -> str:
    first = next(iter(ko.sentences(plain(text))), "")
    pieces = ko.split_note(ko.to_note(first), max_syllables=18, max_words=7)
    return (pieces[0] if pieces else "").replace("|", "/")


def _table_terms(block: TableBlock, terms: list[str]) -> int:
    text = " ".join(c for r in block.rows for c in r)
    return sum(1 for t in terms if t.lower() in text.lower())


def _definitions(blocks: list[Block]) -> list[list[str]] | None:
    """A list of three or more ``term: meaning`` items is a definition table."""
    for block in blocks:
        if isinstance(block, ListBlock) and len(block.items) >= 3:
            pairs = [plain(i.text).split(":", 1) for i in block.items]
            if all(len(p) == 2 and 0 < len(p[0].split()) <= 4 and p[1].strip() for p in pairs):
                return [[p[0].strip(), p[1].strip()] for p in pairs]
    return None


def _parallel_lists(blocks: list[Block]) -> tuple[tuple[str, list[str]], tuple[str, list[str]]] | None:
    """``### 패턴`` + list, ``### 안티패턴`` + list: two columns of one comparison."""
    found: list[tuple[str, list[str]]] = []
    for k, block in enumerate(blocks[:-1]):
        nxt = blocks[k + 1]
        if isinstance(block, HeadingBlock) and isinstance(nxt, ListBlock):
            found.append((block.text, [i.text.split(":")[0] for i in nxt.items]))
    if len(found) == 2 and min(len(found[0][1]), len(found[1][1])) >= 2:
        return found[0], found[1]
    return None


def figures(analysis: Analysis, used: set[str]) -> Piece | None:
    """Sentences with numbers (%, ×, $, sizes, counts) as key-figure chips: **figure** and what it measures."""
    chips: list[Note] = []
    seen: set[str] = set()
    pools = [*analysis.with_role("summary"), *analysis.body]
    for info in pools:
        for note in block_notes(info.blocks, analysis.key_terms, per_paragraph=4):
            match = _FIGURE.search(note.text)
            if not match or match.group(0) in seen or re.fullmatch(r"\d+\s*단계", match.group(0)):
                continue
            seen.add(match.group(0))
            figure = match.group(0).strip()
            rest = note.text.replace("**", "")
            chips.append(Note(text=f"**{figure}** — {_around(rest, figure)}", line=note.line, terms=note.terms + 1,
                              order=len(chips)))
    chosen = best_notes(chips, 5, used)
    if len(chosen) < 3:
        return None
    return Piece(kind="figures", title="핵심 수치", markdown=_bullets(chosen), weight=2.0, lines=_lines_of(chosen),
                 sections=["numbers"], size=sum(_size(n.text) for n in chosen), spare=_spares(chips, used))


def _around(text: str, figure: str) -> str:
    pieces = ko.split_note(text, max_syllables=26, max_words=9)
    return next((p for p in pieces if figure in p), pieces[0] if pieces else text)


# --------------------------------------------------------------------------- notes panels


def quotes(analysis: Analysis, used: set[str], k: int = 2) -> Piece | None:
    """Transcript sentences worth quoting, with their timestamp: short, and rich in key terms."""
    candidates: list[tuple[str, str, int | None]] = []
    for timed in analysis.transcript:
        for sentence in ko.sentences(timed.text):
            words = len(sentence.split())
            if 6 <= words <= 22 and not sentence.endswith("?"):
                candidates.append((sentence, timed.stamp, timed.line))
    if not candidates:
        return None
    picked = ko.key_sentences([c[0] for c in candidates], k + 2 + SPARE // 2)
    fresh = [candidates[i] for i in picked if candidates[i][0][:30] not in used]
    chosen, rest = fresh[:k], fresh[k:]
    if not chosen:
        return None
    used.update(c[0][:30] for c in chosen)
    # The speaker's words, with the ending shortened like every other note on the sheet.
    md = "\n\n".join(_quote(text, stamp) for text, stamp, _ in chosen)
    return Piece(kind="quotes", title="강의 속 한마디", markdown=md, weight=1.6,
                 lines=[c[2] for c in chosen if c[2] is not None], sections=["전체 번역"],
                 size=sum(_size(c[0]) for c in chosen) + 60,
                 spare=[(_quote(text, stamp), line) for text, stamp, line in rest])


def _quote(text: str, stamp: str) -> str:
    return f"> {ko.to_note(text)}\n> — 🎙 {stamp}"


def notes_piece(kind: str, title: str, infos: list[SectionInfo], analysis: Analysis, used: set[str], k: int,
                mark: str = "-", weight: float = 1.5) -> Piece | None:
    """Up to ``k`` notes from these sections, as a list (``mark``: ``-``, ``- ✓``, ``- ⚠️``, ``1.``)."""
    notes = [n for info in infos for n in block_notes(info.blocks, analysis.key_terms)]
    for order, note in enumerate(notes):
        note.order = order
    chosen = best_notes(notes, k, used)
    if not chosen:
        return None
    numbered = "\n".join(_bullet(n, f"{i}.") for i, n in enumerate(chosen, start=1))
    md = numbered if mark == "1." else _bullets(chosen, mark)
    return Piece(kind=kind, title=title, markdown=md, weight=weight, lines=_lines_of(chosen),
                 sections=[i.title for i in infos], size=sum(_size(" ".join([n.text, *n.rest])) + 8 * (1 + len(n.rest))
                                                             for n in chosen),
                 spare=_spares(notes, used, mark))


def transcript_notes(analysis: Analysis, used: set[str], k: int) -> Piece | None:
    """Untimed translation paragraphs (a short talk) distilled like any prose."""
    infos = analysis.with_role("transcript")
    notes = [n for info in infos for b in info.blocks if isinstance(b, TextBlock)
             for n in paragraph_notes(b.text, b.line, analysis.key_terms, 2)]
    for order, note in enumerate(notes):
        note.order = order
    chosen = best_notes(notes, k, used)
    if not chosen:
        return None
    return Piece(kind="notes", title="핵심 내용", markdown=_bullets(chosen), weight=1.7, lines=_lines_of(chosen),
                 sections=[i.title for i in infos], size=sum(_size(n.text) + 8 for n in chosen),
                 spare=_spares(notes, used))


_EXAMPLE = re.compile(r"예를 들어|예를 들면|예시|예컨대|가령|for example|e\.g\.", re.IGNORECASE)


def mined_examples(analysis: Analysis, used: set[str], k: int = 3) -> Piece | None:
    """Sentences that give an example, wherever they are (the transcript included)."""
    notes: list[Note] = []
    for info in analysis.sections:
        if info.role == "boilerplate":
            continue
        for block in info.blocks:
            text = getattr(block, "text", "")
            if isinstance(block, TextBlock) and _EXAMPLE.search(text):
                hits = [x for x in ko.sentences(text) if _EXAMPLE.search(x)]
                for hit in hits[:1]:
                    notes.extend(paragraph_notes(re.sub(r"^.*?(예를 들어|예를 들면|예컨대|가령),?\s*", "", hit),
                                                 block.line, analysis.key_terms, 1))
    for order, note in enumerate(notes):
        note.order = order
    chosen = best_notes(notes, k, used)
    if not chosen:
        return None
    return Piece(kind="example", title="예시", markdown=_bullets(chosen), weight=1.4, lines=_lines_of(chosen),
                 sections=["examples"], size=sum(_size(n.text) + 8 for n in chosen), spare=_spares(notes, used))


def code(analysis: Analysis) -> Piece | None:
    """The shortest illustrative snippet (2–8 lines), only when the chapter is about code."""
    blocks = [(info, b) for info in analysis.body for b in info.blocks
              if isinstance(b, CodeBlock) and 2 <= len(b.text.splitlines()) <= 8 and b.lang != "mermaid"]
    if not blocks:
        return None
    info, block = min(blocks, key=lambda t: (len(t[1].text), t[1].line or 0))
    lines = [ln[:48] for ln in block.text.splitlines()]
    md = "\n".join([f"```{block.lang}", *lines, "```"])
    return Piece(kind="code", title="명령어 예시" if analysis.kind == "tutorial" else "코드 예시", markdown=md,
                 weight=1.2, lines=[block.line or info.section.line_start], sections=[info.title],
                 size=sum(len(ln) + 10 for ln in lines))
