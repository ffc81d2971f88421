"""Spare notes: what compose offers an under-filled panel from the source, and what the page shows of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from nanosheet.compose import compose_sheet
from nanosheet.compose.spares import offer_spares
from nanosheet.export import ExportResult
from nanosheet.ingest import read_prompt
from nanosheet.model import ListBlock, Row
from nanosheet.plan.note_style import quick_note

_PROMPT = """# Role
You draw cheat sheets.

# Layout Structure
```
┌──────────────────────────────────────┐
│ 🍌 CACHE BASICS                      │
├──────────────────────────────────────┤
│ ┌────────────────┐ ┌───────────────┐ │
│ │ 💾 CACHE HIT   │ │ 📌 KEY POINTS │ │
│ │ 빠른 응답      │ │ 캐시 = 복사본 │ │
│ │ 메모리 조회    │ │               │ │
│ └────────────────┘ └───────────────┘ │
└──────────────────────────────────────┘
```

# Source Text

## 전체 강의 요약
이 강의는 컴퓨터 구조 전체를 다룹니다.

## 이 챕터 요약
캐시는 자주 쓰는 데이터를 가까운 곳에 복사해 두는 장치입니다.

**핵심 포인트:**
- 캐시 적중률이 높을수록 평균 지연 시간이 줄어듦
- 쓰기 정책: write-through와 write-back으로 나뉨
- 교체 정책은 LRU가 가장 흔하게 쓰임
- 캐시 일관성 문제는 멀티코어에서 생김
- 지역성 원리 덕분에 작은 캐시도 효과적임

데이터가 캐시에 없으면, 메모리에서 읽어 옵니다.
캐시 라인은 보통 64바이트 단위로 채웁니다.
"""


@pytest.fixture(scope="module")
def prompt_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spares") / "cache.md"
    path.write_text(_PROMPT, encoding="utf-8")
    return path


def _spares(rows: list[Row]) -> dict[str, list[str]]:
    return {p.title: [i.text for b in p.spares if isinstance(b, ListBlock) for i in b.items]
            for r in rows for p in r.panels if p.spares}


@pytest.mark.parametrize(("sentence", "note"), [
    ("캐시는 데이터를 복사하는 장치입니다.", "캐시는 데이터를 복사하는 장치임"),
    ("적중률이 중요합니다", "적중률이 중요함"),
    ("그래서 지연 시간이 줄어들고 있습니다.", "지연 시간이 줄어들고 있음"),
    ("값이 같습니다.", "값이 같음"),
    ("이미 계산했습니다.", "이미 계산했음"),
    ("캐시 라인: 64바이트", "캐시 라인: 64바이트"),  # already a note
    ("메모리에서 읽어 옵니다.", None),  # ㅂ니다 after a stem only a dictionary can rebuild
    ("캐시를 만듭니다.", None),  # 만듦, not 만듬
    ("설정이 쉽습니다.", None),  # 쉬움, not 쉽음
    ("확인해 보세요.", None),
])
def test_quick_note_is_exact_or_declines(sentence: str, note: str | None) -> None:
    assert quick_note(sentence) == note


def test_spares_come_from_the_chapter_not_the_course(prompt_file: Path) -> None:
    prompt = read_prompt(prompt_file)
    rows = offer_spares(compose_sheet(prompt).rows, prompt.source_text, [prompt.title])
    offered = _spares(rows)
    notes = offered["KEY POINTS"]
    assert "캐시 적중률이 높을수록 평균 지연 시간이 줄어듦" in notes
    assert 1 <= len(notes) <= 4
    everything = " ".join(n for ns in offered.values() for n in ns)
    assert "컴퓨터 구조" not in everything  # the course-wide summary says nothing about this chapter
    assert "읽어 옵니다" not in everything and "없으면" not in everything  # no formal ending, no open clause
    assert all(not n.endswith(("다", "다.", ":")) for ns in offered.values() for n in ns)


def test_spares_never_repeat_what_the_sheet_shows(prompt_file: Path) -> None:
    prompt = read_prompt(prompt_file)
    rows = compose_sheet(prompt).rows
    offered = [n for ns in _spares(rows).values() for n in ns]
    assert len(offered) == len(set(offered))  # no note offered to two panels
    said = "캐시 적중률이 높을수록 평균 지연 시간이 줄어듦"
    assert said in offered
    again = [n for ns in _spares(offer_spares(rows, prompt.source_text, [prompt.title, said])).values() for n in ns]
    assert said not in again and again  # shown elsewhere (a subtitle): the next note takes its place


def test_page_shows_spares_only_where_there_is_room(prompt_file: Path, render_sheet: Any,
                                                    tmp_path: Path) -> None:
    sheet = compose_sheet(read_prompt(prompt_file))
    offered = _spares(sheet.rows)["KEY POINTS"]
    result: ExportResult = render_sheet(sheet, key="spares-cache")
    panel = next(p for p in result.report["panels"] if p["title"] == "📌 KEY POINTS" or "KEY POINTS" in p["title"])
    assert panel["spares"] >= 1 and not panel["left_out"] and not panel["overflow"]
    shown = [n for n in offered if n in panel["text"]]
    assert len(shown) == panel["spares"]  # the report counts exactly what the reader sees
    pdf_text = "".join("".join(page.extract_text().split()) for page in PdfReader(result.paths["pdf"]).pages)
    for note in offered:
        assert ("".join(note.split()) in pdf_text) == (note in shown), note  # the rest is not in the PDF either


def test_a_full_panel_takes_no_spares(prompt_file: Path, render_sheet: Any) -> None:
    sheet = compose_sheet(read_prompt(prompt_file))
    crowded = sheet.model_copy(deep=True)
    for row in crowded.rows:
        for panel in row.panels:
            if "KEY POINTS" in panel.title:
                panel.blocks.append(ListBlock.model_validate(
                    {"items": [{"text": f"꽉 찬 패널의 {i}번째 줄, 충분히 긴 설명을 붙여 둠"} for i in range(40)]}))
    result: ExportResult = render_sheet(crowded, key="spares-crowded")
    panel = next(p for p in result.report["panels"] if "KEY POINTS" in p["title"])
    assert panel["spares"] == 0
    assert not any(n in panel["text"] for n in _spares(sheet.rows)["KEY POINTS"])



def test_lines_inside_a_fence_are_never_notes() -> None:
    from nanosheet.compose.enrich import source_passages

    text = "## 흐름\n\n```mermaid\nflowchart LR\n    P[코드 Push] --> B[빌드 단계]\n```\n\n- 빌드는 자동으로 돈다\n"
    assert [p.text for p in source_passages(text)] == ["빌드는 자동으로 돈다"]
