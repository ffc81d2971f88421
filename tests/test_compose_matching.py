"""Section -> panel matching on synthetic prompts: renamed, truncated, reordered and unmatched sections."""

from __future__ import annotations

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.compose.matching import match_sections, title_similarity
from nanosheet.model import ListBlock, MindMapBlock, MindNode, Panel, Prompt, Row, Section, TextBlock


def _panel(pid: str, title: str, icon: str | None = None, lines: tuple[str, ...] = ()) -> Panel:
    return Panel(id=pid, title=title, icon=icon, blocks=[TextBlock(text=t) for t in lines])


def _rows() -> list[Row]:
    return [
        Row(kind="title", ratio=10, panels=[_panel("r1p1", "TEST SHEET")]),
        Row(kind="panels", ratio=25, panels=[_panel("r2p1", "WHAT IS ACTIVE-PROMPT", "📖", ("Definition 박스",)),
                                             _panel("r2p2", "PROBLEM & SOLUTION", "🎯")]),
        Row(kind="band", ratio=40, flags=["widest"], panels=[_panel("r3p1", "5-STEP WORKFLOW", "⚡")]),
        Row(kind="panels", ratio=25, panels=[_panel("r4p1", "ACTIVE vs STANDARD CoT", "🔄"),
                                             _panel("r4p2", "KEY TAKEAWAYS", "🎓")]),
    ]


def _section(title: str, icon: str | None = None, hints: tuple[str, ...] = (), line: int = 1,
             text: str = "") -> Section:
    return Section(kind="content", title=title, icon=icon, hints=list(hints), line_start=line, line_end=line + 3,
                   text=text, blocks=[ListBlock(items=[{"text": f"from {title}"}])])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("a", "b", "expect_high"),
    [
        ("🎓 TAKEAWAYS", "KEY TAKEAWAYS", True),
        ("WHAT IS ACTIVE-PROMPT?", "WHAT IS ACTIVE-PROMPT", True),
        ("⚠️ 한계 (Limitations)", "LIMITATIONS", True),
        ("한계", "LIMITATIONS", True),
        ("KEY TAKEAWAYS", "PROBLEM & SOLUTION", False),
        ("5-STEP WORKFLOW", "ACTIVE vs STANDARD CoT", False),
    ],
)
def test_title_similarity(a: str, b: str, expect_high: bool) -> None:
    score = title_similarity(a, b)
    assert (score >= 0.6) is expect_high, score


def test_exact_titles_in_any_order_match_their_panels() -> None:
    sections = [_section("KEY TAKEAWAYS", "🎓", line=50), _section("5-STEP WORKFLOW", "⚡", line=10),
                _section("WHAT IS ACTIVE-PROMPT?", "📖", line=1)]
    got = {m.section.title: m.panel_id for m in match_sections(sections, _rows())}
    assert got == {"KEY TAKEAWAYS": "r4p2", "5-STEP WORKFLOW": "r3p1", "WHAT IS ACTIVE-PROMPT?": "r2p1"}


def test_truncated_renamed_and_position_hinted_sections() -> None:
    sections = [
        _section("TAKEAWAYS", "🎓"),                                   # truncated
        _section("문제와 해결", None, ("우측 상단",)),                     # Korean name + position hint
        _section("흐름 요약", "🌀", ("중앙 - 가장 넓게!",)),                # only the hint says where
        _section("Active-Prompt vs CoT 비교", "📊", ("좌측 하단",)),        # abbreviated + other emoji
    ]
    got = {m.section.title: m.panel_id for m in match_sections(sections, _rows())}
    assert got == {"TAKEAWAYS": "r4p2", "문제와 해결": "r2p2", "흐름 요약": "r3p1",
                   "Active-Prompt vs CoT 비교": "r4p1"}


def test_unmatched_section_is_reported_with_reason() -> None:
    prompt = Prompt(path="x.md", title="T", rows=_rows(),
                    sections=[_section("Bibliography of unrelated things", line=77)])
    sheet = compose_sheet(prompt)
    assert [u.section for u in sheet.unplaced] == ["Bibliography of unrelated things"]
    assert sheet.unplaced[0].line == 77
    assert "matched" in sheet.unplaced[0].reason


def test_place_extras_puts_unmatched_section_somewhere_visible() -> None:
    prompt = Prompt(path="x.md", title="T", rows=_rows(), sections=[_section("Bibliography of unrelated things")])
    sheet = compose_sheet(prompt, place_extras=True)
    assert sheet.unplaced == []
    holders = [p for r in sheet.rows for p in r.panels if "Bibliography of unrelated things" in p.sections]
    assert len(holders) == 1 and holders[0].extra


def test_matched_blocks_follow_the_wireframe_lines() -> None:
    prompt = Prompt(path="x.md", title="T", rows=_rows(), sections=[_section("WHAT IS ACTIVE-PROMPT?", "📖")])
    panel = compose_sheet(prompt).rows[1].panels[0]
    assert panel.blocks[0].type == "text"  # the wireframe's own line stays the lead
    assert panel.extra and panel.extra[0].type == "list"
    assert panel.sections == ["WHAT IS ACTIVE-PROMPT?"]


def test_every_panel_gets_an_icon() -> None:
    rows = _rows()
    rows[3].panels[0].icon = None
    sheet = compose_sheet(Prompt(path="x.md", title="T", rows=rows))
    assert all(p.icon for r in sheet.rows if r.kind != "title" for p in r.panels)


def test_mindmap_branches_get_source_notes_and_timestamps() -> None:
    mind = MindMapBlock(root="Future", children=[MindNode(label=x) for x in
                                                 ("Multimodal", "Agents", "Test-Time Training", "Robotics")])
    rows = [Row(kind="band", ratio=100, panels=[Panel(id="r1p1", title="FUTURE", blocks=[mind])])]
    source = "\n".join([
        "**핵심 포인트:**",
        "- 멀티모달: 이미지, 오디오, 비디오",
        "- 에이전트: 장시간 자율 작업",
        "로봇공학 통합 등이 활발히 연구되고 있습니다.",
        "[3:13:00] one example of that is something along the lines of test time training so remember",
    ])
    sheet = compose_sheet(Prompt(path="x.md", title="T", rows=rows, source_text=source))
    notes = {n.label: (n.note, n.note_ref) for n in sheet.rows[0].panels[0].blocks[0].children}  # type: ignore[union-attr]
    assert notes["Multimodal"] == ("이미지, 오디오, 비디오", None)
    assert notes["Agents"] == ("장시간 자율 작업", None)
    assert notes["Test-Time Training"][1] == "3:13:00"
    assert "test time training" in (notes["Test-Time Training"][0] or "")
    assert "로봇공학" in (notes["Robotics"][0] or "")


def test_seed_is_content_derived_and_stable() -> None:
    a = compose_sheet(Prompt(path="a.md", title="T", rows=_rows()))
    b = compose_sheet(Prompt(path="a.md", title="T", rows=_rows()))
    c = compose_sheet(Prompt(path="a.md", title="T2", rows=_rows()))
    assert a.seed == b.seed != c.seed
