"""plan/analyse: chapter types and section roles on the shared chapters and on hand-made sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.ingest import read_prompt
from nanosheet.model import Item, ListBlock, Section, TextBlock
from nanosheet.plan.analyse import Analysis, analyse, key_terms, section_role

CHAPTERS = Path(__file__).resolve().parents[2] / "shared" / "examples" / "chapters"


def _analysis(stem: str) -> Analysis:
    prompt = read_prompt(CHAPTERS / f"{stem}.md")
    return analyse(prompt, [s for s in prompt.sections if s.kind == "content"])


@pytest.mark.parametrize(("stem", "kind"), [
    ("grand-summary", "lecture"), ("gpt2-training-inference", "lecture"), ("how-contexts-fail", "article"),
    ("warp-full-overview", "tutorial"), ("how-openai-uses-codex", "usecase"), ("owasp-top-ten", "article"),
])
def test_chapter_type_follows_its_markers(stem: str, kind: str) -> None:
    assert _analysis(stem).kind == kind


def test_lecture_digest_and_transcript_are_kept_apart() -> None:
    a = _analysis("grand-summary")
    roles = {s.title: s.role for s in a.sections}
    assert roles["요약"] == "summary" and roles["전체 번역"] == "transcript"
    assert len(a.transcript) >= 10 and a.transcript[0].stamp == "3:39:00"
    # The H1 holds only the video link: dropped, and said so.
    assert [(t, r) for t, r, _ in a.dropped] == [("24. 전체 요약", "nothing but a link")]


def test_boilerplate_sections_are_dropped_with_a_reason() -> None:
    a = _analysis("owasp-top-ten")
    dropped = {t for t, _, _ in a.dropped}
    assert {"번역 현황", "프로젝트 후원", "프로젝트 정보"} <= dropped
    assert all(s.role != "boilerplate" for s in a.body)
    assert "목차" in {t for t, _, _ in _analysis("how-openai-uses-codex").dropped}


@pytest.mark.parametrize(("title", "role"), [
    ("주요 장점", "advantages"), ("한계점", "limitations"), ("ReAct vs CoT", "comparison"),
    ("설치 단계", "process"), ("실제 예시", "example"), ("핵심 요약", "summary"), ("TL;DR", "summary"),
    ("영상 바로가기", "boilerplate"), ("감사의 말", "boilerplate"), ("라이선스", "boilerplate"),
    ("전체 번역", "transcript"), ("벤치마크 결과", "numbers"), ("Few-shot이란?", "overview"),
])
def test_section_role_from_its_title(title: str, role: str) -> None:
    section = Section(kind="content", title=title, line_start=1, line_end=2, blocks=[TextBlock(text="내용")])
    assert section_role(section, "다른 제목") == role


def test_section_role_from_its_blocks_when_the_title_says_nothing() -> None:
    steps = ListBlock(items=[Item(text=t, mark="number", number=str(k)) for k, t in enumerate("abc", 1)])
    section = Section(kind="content", title="ReAct", line_start=1, line_end=5, blocks=[steps])
    assert section_role(section, "다른 제목") == "process"
    timed = [TextBlock(text=f"[0:0{k}] 문장") for k in range(3)]
    assert section_role(Section(kind="content", title="녹취", line_start=1, line_end=5, blocks=timed),
                        "x") == "transcript"


def test_key_terms_are_bold_spans_then_repeated_english() -> None:
    terms = key_terms("**지터**는 중요하다. Backoff and Backoff, Retry once. **지터** again")
    assert terms == ["지터", "Backoff"]
