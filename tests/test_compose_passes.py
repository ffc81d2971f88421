"""Compose as a line of passes: a Draft in, the next Draft out, the draft given left as it was."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType

import pytest

import nanosheet.compose.enrich as enrich
from nanosheet.compose import Draft, compose_sheet
from nanosheet.compose.draft import Passage
from nanosheet.compose.enrich import add_tagline, fill_quiet_panels, note_mindmaps, source_passages
from nanosheet.compose.footer import add_footer
from nanosheet.compose.fulfil import fulfil_sections, settle_directives
from nanosheet.compose.icons import give_icons
from nanosheet.compose.named_blocks import fulfil_named_lines
from nanosheet.compose.place import lay_out
from nanosheet.compose.richer import keep_richer
from nanosheet.compose.spares import add_spares
from nanosheet.compose.step_icons import give_step_icons
from nanosheet.ingest import read_prompt
from nanosheet.model import (
    ChainBlock,
    FlowBlock,
    Frontmatter,
    GraphEdge,
    GraphNode,
    Item,
    ListBlock,
    MindMapBlock,
    MindNode,
    Panel,
    Prompt,
    QuoteBlock,
    Row,
    Section,
    TextBlock,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"
SOURCE = "\n".join([
    "## 이 챕터 요약",
    "",
    "미래의 모델은 멀티모달과 에이전트로 나아간다.",
    "",
    "**핵심 포인트:**",
    "- 멀티모달: 이미지, 오디오, 비디오",
    "- 에이전트: 장시간 자율 작업",
    "[3:13:00] one example of that is something along the lines of test time training so remember",
])


def _prompt(**changes: object) -> Prompt:
    """A wireframe with a title band, a mind map, a quiet panel, a panel holding a directive line and one
    drawing a flow twice (a chain sketch in the wireframe, the full flow from its section)."""
    mind = MindMapBlock(root="Future", children=[MindNode(label="Multimodal"), MindNode(label="Agents")])
    flow = FlowBlock(nodes=[GraphNode(id=f"n{i}", label=w) for i, w in enumerate(("Sample", "Feed", "Compare"))],
                     edges=[GraphEdge(src="n0", dst="n1"), GraphEdge(src="n1", dst="n2", label="again")])
    rows = [
        Row(kind="title", ratio=10, panels=[Panel(id="r1p1", title="FUTURE MODELS")]),
        Row(kind="panels", ratio=45, panels=[Panel(id="r2p1", title="FUTURE", blocks=[mind]),
                                             Panel(id="r2p2", title="Test-Time Training")]),
        Row(kind="panels", ratio=45, panels=[
            Panel(id="r3p1", title="LOOP", blocks=[ChainBlock(steps=["Sample", "Feed"])]),
            Panel(id="r3p2", title="STEPS", blocks=[TextBlock(text="Create a table of the steps:")])]),
    ]
    loop = Section(kind="content", title="LOOP", line_start=20, line_end=24, blocks=[flow])
    fields: dict[str, object] = {"path": "x.md", "title": "FUTURE MODELS", "rows": rows, "sections": [loop],
                                 "source_text": SOURCE}
    return Prompt.model_validate({**fields, **changes})


Pass = Callable[[Draft], Draft]
PASSES: tuple[Pass, ...] = (settle_directives, fulfil_named_lines, keep_richer, give_icons, give_step_icons,
                            note_mindmaps, fill_quiet_panels, add_tagline, add_spares, add_footer)
"""compose_sheet's passes after the layout, in its order (the last test holds the two together)."""


def _drafts(prompt: Prompt) -> list[Draft]:
    """The draft before each pass, and the last one after them all."""
    prompt = fulfil_sections(prompt)
    drafts = [lay_out(Draft.start(prompt, source_passages(prompt.source_text)), place_extras=False)]
    for step in PASSES:
        drafts.append(step(drafts[-1]))
    return drafts


def _before(step: Pass, prompt: Prompt | None = None) -> Draft:
    return _drafts(prompt or _prompt())[PASSES.index(step)]


def _state(draft: Draft) -> list[object]:
    """Everything a draft holds, as plain data: equal states mean nothing was changed in place."""
    return [draft.prompt.model_dump(), [r.model_dump() for r in draft.rows], [u.model_dump() for u in draft.unplaced],
            list(draft.left_out), [w.model_dump() for w in draft.warnings], draft.passages, sorted(draft.quoted),
            draft.footer.model_dump() if draft.footer else None]


def _panel(draft: Draft, panel_id: str) -> Panel:
    return next(p for row in draft.rows for p in row.panels if p.id == panel_id)


# --------------------------------------------------------------------------- what the issue counted


def test_one_compose_reads_the_chapters_passages_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = enrich.source_passages

    def counting(source_text: str) -> list[Passage]:
        calls.append(source_text)
        return original(source_text)

    # compose/spares.py reads its own passages, from the chapter less its course-wide sections.
    holders = [m for m in list(sys.modules.values()) if m is not None and m.__name__.startswith("nanosheet")
               and m.__name__ != "nanosheet.compose.spares" and getattr(m, "source_passages", None) is original]
    for module in holders:
        monkeypatch.setattr(module, "source_passages", counting)
    sheet = compose_sheet(_prompt())
    assert len(calls) == 1
    # ...and both passes that need them quoted from them: the mind map and the quiet panel.
    mind = sheet.rows[1].panels[0].blocks[0]
    assert isinstance(mind, MindMapBlock) and [n.note for n in mind.children] == ["이미지, 오디오, 비디오",
                                                                                   "장시간 자율 작업"]
    quiet = sheet.rows[1].panels[1].extra
    assert [type(b) for b in quiet] == [QuoteBlock] and isinstance(quiet[0], QuoteBlock)
    assert quiet[0].attribution == "🎙 3:13:00"


def test_compose_enters_its_package_module_once() -> None:
    """compose/__init__.py only runs the line: no pass, helper or generator of it is called back into."""
    here = str(Path(enrich.__file__).with_name("__init__.py"))
    entered: list[str] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code.co_filename == here:
            entered.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        compose_sheet(_prompt())
    finally:
        sys.setprofile(None)
    assert entered == ["compose_sheet"]


# --------------------------------------------------------------------------- every pass


@pytest.mark.parametrize("step", PASSES, ids=lambda s: s.__name__)
def test_a_pass_leaves_the_draft_it_was_given_as_it_was(step: Pass) -> None:
    draft = _before(step)
    state = _state(draft)
    after = step(draft)
    assert isinstance(after, Draft)
    assert _state(draft) == state
    assert all(a is not b for a, b in zip(after.rows, draft.rows, strict=True)) or after.rows == draft.rows


@pytest.mark.parametrize("name", ["prompts/activeprompt-cheatsheet-prompt.md",
                                  "prompts/grand-summary-cheatsheet-prompt.md", "chapters/mcp-introduction.md"])
def test_no_pass_changes_a_block_it_shares_with_the_draft_before(name: str) -> None:
    """Passes copy rows and panels, not blocks: on real inputs too, every draft stays as its pass found it."""
    drafts = _drafts(read_prompt(EXAMPLES / name))
    states = [_state(d) for d in drafts]  # taken after the whole line ran
    prompt = fulfil_sections(read_prompt(EXAMPLES / name))
    again = lay_out(Draft.start(prompt, source_passages(prompt.source_text)), place_extras=False)
    for step, state in zip(PASSES, states, strict=False):
        assert _state(again) == state, step.__name__
        again = step(again)


def test_lay_out_places_the_matched_section_and_keeps_the_prompts_rows() -> None:
    prompt = fulfil_sections(_prompt())
    start = Draft.start(prompt, [])
    draft = lay_out(start, place_extras=False)
    assert start.rows == () and _panel(draft, "r3p1").sections == ["LOOP"]
    assert [b.type for b in _panel(draft, "r3p1").extra] == ["flow"]
    assert prompt.rows[2].panels[0].extra == []  # the prompt's own rows are copied, not filled


def test_lay_out_without_a_wireframe_uses_the_default_rows() -> None:
    sections = [Section(kind="content", title=t, line_start=i, line_end=i + 1,
                        blocks=[ListBlock(items=[Item(text=f"{t} note")])])
                for i, t in enumerate(("Alpha", "Beta"), start=1)]
    draft = lay_out(Draft.start(Prompt(path="x.md", title="T", sections=sections), []), place_extras=False)
    assert draft.rows[0].kind == "title" and draft.unplaced == ()
    assert sorted(s for row in draft.rows[1:] for p in row.panels for s in p.sections) == ["Alpha", "Beta"]


def test_settle_directives_reports_a_directive_with_nothing_to_draw() -> None:
    draft = _before(settle_directives)
    after = settle_directives(draft)
    assert _panel(draft, "r3p2").blocks != [] and _panel(after, "r3p2").blocks == []
    assert [w.code for w in after.warnings][len(draft.warnings):] == ["unfulfilled-directive"]


def test_keep_richer_keeps_the_full_flow_in_place_of_the_sketch() -> None:
    draft = _before(keep_richer)
    after = keep_richer(draft)
    assert [b.type for b in _panel(draft, "r3p1").blocks] == ["chain"]
    assert [b.type for b in _panel(after, "r3p1").blocks] == ["flow"] and _panel(after, "r3p1").extra == []
    assert [w.code for w in after.warnings][len(draft.warnings):] == ["richer-version"]


def test_give_icons_gives_every_panel_but_the_title_band_an_icon() -> None:
    draft = _before(give_icons)
    after = give_icons(draft)
    assert all(p.icon is None for row in draft.rows for p in row.panels)
    assert [p.icon is not None for row in after.rows for p in row.panels] == [False, True, True, True, True]


def test_note_mindmaps_quotes_the_chapter_and_remembers_what_it_quoted() -> None:
    draft = _before(note_mindmaps)
    after = note_mindmaps(draft)
    before_mind, after_mind = _panel(draft, "r2p1").blocks[0], _panel(after, "r2p1").blocks[0]
    assert isinstance(before_mind, MindMapBlock) and isinstance(after_mind, MindMapBlock)
    assert [n.note for n in before_mind.children] == [None, None]
    assert all(n.note and n.icon for n in after_mind.children)
    assert draft.quoted == frozenset()
    assert after.quoted == {"멀티모달: 이미지, 오디오, 비디오", "에이전트: 장시간 자율 작업"}


def test_fill_quiet_panels_quotes_nothing_a_mind_map_already_quoted() -> None:
    draft = _before(fill_quiet_panels)
    after = fill_quiet_panels(draft)
    assert _panel(draft, "r2p2").extra == [] and [b.type for b in _panel(after, "r2p2").extra] == ["quote"]
    # The same panel titled after a branch the mind map quoted: that key point is not quoted twice.
    rows = [r.model_copy(deep=True) for r in draft.rows]
    rows[1].panels[1].title = "Multimodal"

    def notes(quoted: frozenset[str]) -> list[str]:
        extra = fill_quiet_panels(replace(draft, rows=tuple(rows), quoted=quoted)).rows[1].panels[1].extra
        return [item.text for b in extra if isinstance(b, ListBlock) for item in b.items]

    assert notes(frozenset()) == ["멀티모달: 이미지, 오디오, 비디오"]
    assert notes(draft.quoted) == ["미래의 모델은 멀티모달과 에이전트로 나아간다."]


def test_add_tagline_says_the_chapter_summary_under_the_title() -> None:
    draft = _before(add_tagline)
    after = add_tagline(draft)
    assert draft.rows[0].panels[0].extra == []
    summary = "미래의 모델은 멀티모달과 에이전트로 나아간다."
    # in note form: the sentence's full stop goes
    assert [getattr(b, "text", None) for b in after.rows[0].panels[0].extra] == [summary.rstrip(".")]
    subtitled = _before(add_tagline, _prompt(subtitle=summary))
    again = add_tagline(subtitled)  # the subtitle says it already: no tagline, the subtitle in note form
    assert again.rows == subtitled.rows and again.subtitle == summary.rstrip(".")


def test_add_footer_comes_last_and_reports_a_link_it_will_not_encode() -> None:
    prompt = _prompt(frontmatter=Frontmatter(source_url="javascript:alert(1)"))
    draft = _before(add_footer, prompt)
    after = add_footer(draft)
    assert draft.footer is None and after.footer is not None and after.footer.qr_url is None
    assert [w.code for w in after.warnings][len(draft.warnings):] == ["qr-skipped"]
    with pytest.raises(ValueError, match="no footer"):
        draft.sheet()
    assert after.sheet().footer == after.footer


def test_add_footer_opens_a_video_link_where_the_chapters_transcript_starts() -> None:
    draft = _before(add_footer, _prompt(frontmatter=Frontmatter(source_url="https://youtu.be/abc?t=5")))
    assert draft.first_timestamp() == "3:13:00"  # read from the passages, not the source again
    footer = add_footer(draft).footer
    assert footer is not None and footer.qr_url == "https://youtu.be/abc?t=11580s"


@pytest.mark.parametrize("name", ["prompts/activeprompt-cheatsheet-prompt.md", "chapters/mcp-introduction.md"])
def test_the_line_of_passes_makes_the_sheet_compose_makes(name: str) -> None:
    prompt = read_prompt(EXAMPLES / name)
    assert _drafts(prompt)[-1].sheet() == compose_sheet(prompt)
    assert _drafts(_prompt())[-1].sheet() == compose_sheet(_prompt())


_OVERVIEW_PROMPT = """# Layout Structure

```
┌──────────────────────────────────────────────────────┐
│  🗄️ CACHING CHEAT SHEET                               │
├──────────────────────────────────────────────────────┤
│  ┌────────────────────────┐  ┌──────────────────────┐ │
│  │ 📖 BASICS              │  │ 🎯 GOALS             │ │
│  │ • 자주 읽는 값 보관     │  │ • 지연 시간 감소      │ │
│  └────────────────────────┘  └──────────────────────┘ │
├──────────────────────────────────────────────────────┤
│  ⚡ REQUEST PATH (이 섹션이 가장 넓어야 함!)            │
│  ┌──────────────────────────────────────────────────┐ │
│  │  Flowchart: Client → Cache → Origin → Response   │ │
│  └──────────────────────────────────────────────────┘ │
└──────────────────────────────────────────────────────┘
```

# Output Structure Plan

## 1. Topic Overview (Mind Map)
- Create a Mermaid mindmap with the following structure:
  - Root: "Caching"
  - Level 1: Read, Write
  - Level 2:
    - Read: Hit, Miss
    - Write: Write-through, Write-back
"""


def test_an_overview_mind_map_no_title_matched_is_drawn_in_the_widest_panel(tmp_path: Path) -> None:
    path = tmp_path / "overview.md"
    path.write_text(_OVERVIEW_PROMPT, encoding="utf-8")
    sheet = compose_sheet(read_prompt(path))
    band = next(p for row in sheet.rows for p in row.panels if p.title == "REQUEST PATH")
    maps = [b for b in [*band.blocks, *band.extra] if b.type == "mindmap"]
    assert len(maps) == 1 and maps[0].root == "Caching"
    assert [c.label for c in maps[0].children] == ["Read", "Write"]
    assert "Topic Overview" not in [u.section for u in sheet.unplaced]
    # The panel that already draws a diagram keeps the overview out of it (reported as unplaced instead).
    drawn = _OVERVIEW_PROMPT.replace("Flowchart: Client → Cache → Origin → Response",
                                     "Mind Map: Cache → Hit, Miss, Expiry")
    path.write_text(drawn, encoding="utf-8")
    again = compose_sheet(read_prompt(path))
    band = next(p for row in again.rows for p in row.panels if p.title == "REQUEST PATH")
    assert [b.root for b in [*band.blocks, *band.extra] if b.type == "mindmap"] == ["Cache"]
    assert "Topic Overview" in [u.section for u in again.unplaced]


def test_a_mind_map_note_quoting_speech_drops_its_fillers() -> None:
    from nanosheet.compose.draft import Passage
    from nanosheet.compose.enrich import enrich_mindmap
    from nanosheet.model import MindMapBlock, MindNode

    block = MindMapBlock(root="NN", children=[MindNode(label="Processing"), MindNode(label="Training")])
    passages = [Passage("so processing uh basically reads you know long windows", "transcript", "16:00"),
                Passage("training nudges the network toward the right token", "transcript", "17:00")]
    notes = {c.label: c.note for c in enrich_mindmap(block, passages).children}
    assert notes["Processing"] == "…processing reads long windows"
    assert notes["Training"] and "nudges" in notes["Training"]


def test_a_quiet_panel_its_title_never_named_quotes_what_the_transcript_says_of_its_own_terms() -> None:
    """One 30-second transcript passage speaks of two quiet panels' topics: the panel whose title it names
    quotes that part; the other, whose title it never names, quotes the part about its line's English term."""
    said = ("[1:02:00] um if you saw the new operator demo then that's one early example where you hand the "
            "mouse and the keyboard over to the model so it clicks through the page for you and that is "
            "something I find very interesting and the last point I have here is just that there's still a "
            "lot of research to do in this domain for example on training at test time")
    panels = [Panel(id="r1p1", title="COMPUTER USE", blocks=[TextBlock(text="키보드/마우스 제어"),
                                                           TextBlock(text="Operator 예시")]),
              Panel(id="r1p2", title="RESEARCH", blocks=[TextBlock(text="무한 컨텍스트 도전")])]
    rows = (Row(kind="title", ratio=10, ratio_spec=10, panels=[Panel(id="r0p1", title="FUTURE")]),
            Row(kind="panels", ratio=90, ratio_spec=90, widths=[1, 1], panels=panels))
    prompt = Prompt(path="future.md", title="FUTURE", frontmatter=Frontmatter(), rows=list(rows), sections=[])
    draft = replace(Draft.start(prompt, source_passages(said)), rows=rows)
    after = fill_quiet_panels(draft)
    computer, research = (_panel(after, pid).extra for pid in ("r1p1", "r1p2"))
    assert [b.type for b in computer] == ["quote"] and [b.type for b in research] == ["quote"]
    assert "operator" in computer[0].text and "research" in research[0].text
    assert "research" not in computer[0].text and "operator" not in research[0].text  # two parts, no overlap
    assert computer[0].attribution == research[0].attribution == "🎙 1:02:00"
    assert _panel(draft, "r1p1").extra == []  # the draft given is left as it was
