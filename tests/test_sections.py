"""Prompt sections: kinds, line ranges and fence repair on the eight real prompts, plus synthetic cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nanosheet.ingest.sections import parse_title, section_lines, split_sections
from nanosheet.model import Section

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROMPTS = SHARED / "examples" / "prompts"
CHAPTERS = SHARED / "examples" / "chapters"


def _split(name: str) -> tuple[list[Section], list[str], list[tuple[int | None, str]]]:
    text = (PROMPTS / name).read_text(encoding="utf-8")
    sections, diags = split_sections(text, name)
    return sections, text.split("\n"), [(d.line, d.code) for d in diags]


# What each prompt holds, in order, read off the files by hand ("content×N" = N content sections).
EXPECTED_KINDS = {
    "activeprompt-cheatsheet-prompt.md": "role source style layout ratio other content×5 instructions",
    "fewshot-cheatsheet-prompt.md": "role source style layout ratio other content×5 instructions",
    "gpt2-training-inference-cheatsheet-prompt.md":
        "role source style layout ratio other content×7 instructions image_request",
    "grand-summary-cheatsheet-prompt.md":
        "role source style layout ratio other content×6 instructions image_request",
    "honesty-personas-metaphors-cheatsheet-prompt.md":
        "other meta role source instructions layout ratio content×7 style instructions meta image_request",
    "how-openai-uses-codex-cheatsheet-prompt.md": "role source style other content×5 instructions",
    "tokenization-spelling-cheatsheet-prompt.md":
        "role source layout ratio style content×7 instructions image_request",
    "where-to-find-llms-cheatsheet-prompt.md":
        "role source style layout ratio other content×7 instructions image_request",
}


def _expand(spec: str) -> list[str]:
    kinds: list[str] = []
    for word in spec.split():
        kind, _, count = word.partition("×")
        kinds.extend([kind] * int(count or 1))
    return kinds


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_section_kinds_in_order(name: str) -> None:
    sections, _, _ = _split(name)
    assert [s.kind for s in sections] == _expand(EXPECTED_KINDS[name])


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_line_ranges_are_ordered_and_point_at_their_headings(name: str) -> None:
    sections, lines, _ = _split(name)
    previous_end = 0
    for section in sections:
        assert previous_end < section.line_start <= section.line_end <= len(lines)
        previous_end = section.line_end
        first, body = section_lines(section)
        # The text is exactly the file's lines at the stated place.
        assert body == lines[first - 1 : first - 1 + len(body)]
        if first == section.line_start + 1 and section.kind == "content":
            heading = lines[section.line_start - 1]
            assert heading.startswith(("#", "**")) and section.title.split()[0] in heading


def test_content_titles_numbers_icons_and_hints() -> None:
    sections, _, _ = _split("gpt2-training-inference-cheatsheet-prompt.md")
    content = [s for s in sections if s.kind == "content"]
    assert [s.number for s in content] == [1, 2, 3, 4, 5, 6, 7]
    assert content[0].title == "GPT-2 vs Modern LLMs" and content[0].icon == "📊"
    assert content[0].hints == ["Comparison Table"]
    assert content[4].icon == "🖥️"  # VS16 kept with its base
    assert (content[0].line_start, content[0].line_end) == (143, 150)

    sections, _, _ = _split("activeprompt-cheatsheet-prompt.md")
    hints = {s.title: s.hints for s in sections if s.kind == "content"}
    assert hints["WHAT IS ACTIVE-PROMPT?"] == ["좌측 상단"]
    assert hints["5-STEP WORKFLOW"] == ["중앙 - 가장 넓게!"]


def test_bold_pseudo_headings_start_at_two_in_family_a() -> None:
    sections, _, _ = _split("honesty-personas-metaphors-cheatsheet-prompt.md")
    content = [s for s in sections if s.kind == "content"]
    assert [s.number for s in content] == [2, 3, 4, 5, 6, 7, 8]
    assert content[0].title == "필수 시각 요소"
    assert [b.type for b in content[0].blocks].count("flow") == 3
    assert [s.title for s in sections if s.kind == "style"] == ["스타일 가이드"]


def test_unclosed_mermaid_does_not_swallow_later_sections() -> None:
    sections, _, diags = _split("tokenization-spelling-cheatsheet-prompt.md")
    assert diags == [(94, "unclosed-fence")]
    by_number = {s.number: s for s in sections if s.kind == "content"}
    assert (by_number[3].line_start, by_number[3].line_end) == (93, 102)
    assert [b.type for b in by_number[3].blocks] == ["flow"]
    assert [b.type for b in by_number[4].blocks] == ["table"]
    assert [b.type for b in by_number[7].blocks] == ["list"]
    request = [s for s in sections if s.kind == "image_request"]
    assert len(request) == 1 and "가로 A4" in request[0].text
    # The stray "# 철자/문자 …" line from a lost fence stays inside section 6.
    assert "# 철자/문자 관련 작업 시 권장 패턴" in by_number[6].text


def test_two_unclosed_fences_are_each_closed_at_the_next_heading() -> None:
    sections, _, diags = _split("where-to-find-llms-cheatsheet-prompt.md")
    assert [d for d in diags if d[1] == "unclosed-fence"] == [(173, "unclosed-fence"), (227, "unclosed-fence")]
    by_number = {s.number: s for s in sections if s.kind == "content"}
    last = by_number[1].blocks[-1]  # "Create a Mermaid mindmap:" over its (closed) fence
    assert last.type == "directive" and [b.type for b in last.payload] == ["mindmap"]
    assert "flow" in [x.type for b in by_number[4].blocks for x in [b, *getattr(b, "payload", [])]]
    assert by_number[5].blocks[0].type == "quote"
    assert [s.kind for s in sections][-1] == "image_request"


@pytest.mark.parametrize("name", sorted(set(EXPECTED_KINDS) - {"tokenization-spelling-cheatsheet-prompt.md",
                                                               "where-to-find-llms-cheatsheet-prompt.md"}))
def test_closed_fences_raise_no_warning(name: str) -> None:
    _, _, diags = _split(name)
    assert not [d for d in diags if d[1] == "unclosed-fence"]


def test_closing_request_after_last_content_is_not_content() -> None:
    sections, _, _ = _split("how-openai-uses-codex-cheatsheet-prompt.md")
    last = sections[-1]
    assert last.kind == "instructions" and last.line_start == 455
    assert "Please generate" in last.text
    takeaways = sections[-2]
    assert takeaways.kind == "content" and takeaways.line_end == 451
    assert "Please generate" not in takeaways.text


def test_source_keeps_its_own_headings_and_fences() -> None:
    sections, _, _ = _split("gpt2-training-inference-cheatsheet-prompt.md")
    source = next(s for s in sections if s.kind == "source")
    assert (source.line_start, source.line_end) == (9, 57)
    assert "## 7. GPT-2: Training and Inference" in source.text  # numbered H2 inside the source
    assert source.text.lstrip().startswith("```yaml")


# --------------------------------------------------------------------------- synthetic


def _kinds(text: str) -> list[tuple[str, str]]:
    sections, _ = split_sections(text, "t.md")
    return [(s.kind, s.title) for s in sections]


def test_known_heading_inside_source_only_ends_it_at_the_same_level() -> None:
    text = "# Role Definition\nbe good\n\n# Source Text\n## Instructions\nnot ours\n# Instructions\ndo it\n"
    assert _kinds(text) == [("role", "Role Definition"), ("source", "Source Text"),
                            ("instructions", "Instructions")]


def test_unclosed_fence_at_end_of_file_is_closed_and_reported() -> None:
    text = "# Content Details\n## 1. 🧠 Map\n```mermaid\nmindmap\n  root((A))\n    B\n"
    sections, diags = split_sections(text, "t.md")
    assert [(d.code, d.line) for d in diags] == [("unclosed-fence", 3)]
    assert sections[-1].blocks[-1].type == "mindmap"


def test_chapter_is_frontmatter_plus_h2_content_sections() -> None:
    text = (CHAPTERS / "activeprompt.md").read_text(encoding="utf-8")
    sections, diags = split_sections(text, "activeprompt.md")
    assert sections[0].kind == "meta" and sections[0].title == "frontmatter"
    assert sections[0].line_start == 1 and 'title: "Active-Prompt"' in sections[0].text
    content = [s for s in sections[1:] if s.kind == "content"]
    assert [s.title for s in content][:3] == ["Active-Prompt", "Active-Prompt의 작동 방식", "핵심 인사이트"]
    assert all(s.kind == "content" for s in sections[1:])
    assert not diags


def test_chapter_code_fence_with_markdown_inside_is_not_split() -> None:
    text = "# T\n\n## A\n```markdown\n## not a section\n```\ntext\n## B\nmore\n"
    sections, diags = split_sections(text, "c.md")
    assert [s.title for s in sections] == ["T", "A", "B"] and not diags


def test_text_after_a_rule_that_is_not_a_request_is_kept_as_other() -> None:
    text = "# Content Details\n## 1. ⚡ A\n- x\n\n---\n\nFootnote: data from 2024.\n"
    assert _kinds(text) == [("other", "Content Details"), ("content", "A"), ("other", "(after content)")]


def test_rule_after_content_splits_off_the_request() -> None:
    text = "# Content Details\n## 1. ⚡ A\n- x\n\n---\nPlease generate the Cheat Sheet now.\n"
    assert _kinds(text) == [("other", "Content Details"), ("content", "A"), ("instructions", "(closing request)")]


@pytest.mark.parametrize(("raw", "expected"), [
    ("1. 🗺️ Topic Overview (Mind Map)", ("Topic Overview", "🗺️", 1, ["Mind Map"])),
    ("📖 WHAT IS ACTIVE-PROMPT? (좌측 상단)", ("WHAT IS ACTIVE-PROMPT?", "📖", None, ["좌측 상단"])),
    ("⚠️ Swiss Cheese Model (한계)", ("Swiss Cheese Model (한계)", "⚠️", None, [])),
    ("3. 페르소나 vs 솔직함 비교 테이블", ("페르소나 vs 솔직함 비교 테이블", None, 3, [])),
    ("🔄 3단계 학습 파이프라인 (중앙 핵심 - 가장 넓게!)",
     ("3단계 학습 파이프라인", "🔄", None, ["중앙 핵심 - 가장 넓게!"])),
])
def test_parse_title(raw: str, expected: tuple[str, str | None, int | None, list[str]]) -> None:
    assert parse_title(raw) == expected


# --------------------------------------------------------------------------- property: nothing is dropped

_LINES = [
    "# Role Definition", "# Source Text", "# Layout Structure", "## 배치 비율", "**배치 비율**:", "# Output Style",
    "# Content Details", "# Output Structure Plan", "# Instructions", "## 이미지 생성 요청", "## 1. 🧠 Map",
    "## 📖 WHAT (좌측 상단)", "**3. 비교**", "### sub", "# Stray heading", "```", "```mermaid", "~~~", "---",
    "- item", "| a | b |", "> quote", "text line", "Please generate the Cheat Sheet now.", "", "---\ntitle: x\n---",
]


@given(st.lists(st.sampled_from(_LINES), max_size=40))
@settings(max_examples=300, deadline=None)
def test_every_non_blank_line_lands_in_a_section(parts: list[str]) -> None:
    text = "\n".join(parts)
    sections, diags = split_sections(text, "p.md")
    lines = text.split("\n")
    covered: set[int] = set()
    previous_end = 0
    for section in sections:
        assert previous_end < section.line_start <= section.line_end <= max(len(lines), 1)
        previous_end = section.line_end
        covered.update(range(section.line_start, section.line_end + 1))
    for number, line in enumerate(lines, 1):
        # Only blank lines and separator rules may fall between sections.
        if line.strip() and line.strip() != "---":
            assert number in covered, f"line {number} {line!r} was dropped"
    assert all(d.line is not None for d in diags if d.code == "unclosed-fence")
