"""HTML comments in notes are notes to the author: never printed on the sheet, line numbers kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from nanosheet.compose import compose_sheet
from nanosheet.ingest import read_prompt
from nanosheet.ingest.markdown import drop_html_comments
from nanosheet.render.html import render_fragment

PROMPT = Path(__file__).resolve().parents[2] / "shared" / "examples" / "prompts" / "fewshot-cheatsheet-prompt.md"


@pytest.mark.parametrize(("text", "expected"), [
    ("본문 <!-- 메모 --> 한 줄", "본문 한 줄"),
    ("<!-- 한 줄 -->\n다음", "\n다음"),
    ("앞\n<!--\n여러\n줄\n-->\n뒤", "앞\n\n\n\n\n뒤"),  # four newlines in, four out: lines stay put
    ("- <!-- 항목 --> 하나\n- 둘", "- 하나\n- 둘"),
    ("a <!-- x --> b <!-- y --> c", "a b c"),
    ("`<!-- code span -->` 그대로", "`<!-- code span -->` 그대로"),
    ("```html\n<!-- 예시 -->\n```\n뒤 <!-- 메모 -->", "```html\n<!-- 예시 -->\n```\n뒤"),
    ("~~~~\n<!-- a -->\n~~~\n<!-- b -->\n~~~~\n<!-- c -->", "~~~~\n<!-- a -->\n~~~\n<!-- b -->\n~~~~\n"),
    ("열림 <!-- 닫히지 않음", "열림 <!-- 닫히지 않음"),
    ("비교 a <!- b -> c", "비교 a <!- b -> c"),
    ("주석 없음", "주석 없음"),
])
def test_drop_html_comments(text: str, expected: str) -> None:
    assert drop_html_comments(text) == expected
    assert drop_html_comments(text).count("\n") == text.count("\n")


def test_a_chapter_loses_its_comments_and_keeps_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text("# 주석 시험\n\n## 개요\n\n본문 <!-- 숨긴메모1 --> 한 줄입니다.\n\n"
                    "<!--\n숨긴메모2\n여러 줄\n-->\n\n"
                    "- 항목 <!-- 숨긴메모3 -->\n- 둘\n\n<!-- 숨긴메모4 -->\n\n## 정리\n\n끝 `<!-- 코드 -->`.\n",
                    encoding="utf-8")
    prompt = read_prompt(path)
    dump = prompt.model_dump_json()
    assert "숨긴메모" not in dump
    blocks = [b for s in prompt.sections for b in s.blocks]
    assert [b.line for b in blocks] == [5, 12, 19]  # as in the file: removed comments left their newlines
    assert blocks[0].type == "text" and blocks[0].text == "본문 한 줄입니다."
    assert "<!-- 코드 -->" in dump  # a code span keeps its comment


def test_comments_in_a_prompt_are_not_printed(tmp_path: Path) -> None:
    text = PROMPT.read_text(encoding="utf-8")
    text = text.replace("## Overview\n",
                        "## Overview\n\n<!-- 숨긴메모A: 출처 확인 -->\n\nInline <!-- 숨긴메모B --> text.\n")
    text = text.replace("**연구 기반 핵심 원칙:**", "**연구 기반 핵심 원칙:** <!-- 숨긴메모C -->")
    text = text.replace("**한계점:**", "<!--\n숨긴메모D\n-->\n**한계점:**")
    path = tmp_path / "fewshot.md"
    path.write_text(text, encoding="utf-8")
    html = render_fragment(compose_sheet(read_prompt(path)))
    assert "숨긴메모" not in html and "&lt;!--" not in html
    assert "핵심 원칙" in html and "한계점" in html  # the text around the comments is still there
