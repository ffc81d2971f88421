"""Degenerate inputs: content only in the Source Text is planned from it; no content at all is drawn with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nanosheet.cli import app
from nanosheet.ingest import read_prompt
from nanosheet.plan import needs_plan, plan_if_needed, plan_prompt

FIXTURES = Path(__file__).parent / "fixtures" / "plan"
runner = CliRunner()


def test_source_text_only_prompt_is_planned_from_its_source() -> None:
    prompt = read_prompt(FIXTURES / "source-only.md")
    assert not prompt.rows and not [s for s in prompt.sections if s.kind == "content"]
    planned = plan_prompt(prompt)
    assert planned.plan is not None and len(planned.rows) >= 3
    kinds = {c.kind for c in planned.plan.choices}
    assert "loop" in kinds  # "이 과정을 … 반복합니다" after four numbered steps
    text = " ".join(s.text for s in planned.sections if s.kind == "content")
    assert "멱등성" in text and "지터" in text
    # Lines point into the file, not into the source text alone.
    assert min(line for c in planned.plan.choices for line in c.lines) > 5


def test_which_inputs_are_planned(tmp_path: Path) -> None:
    """A chapter and a Source-Text-only prompt are planned; a prompt that plans its own content is not."""
    chapter = tmp_path / "chapter.md"
    chapter.write_text("# 제목\n\n## 개념\n\n- 하나: 설명\n- 둘: 설명\n", encoding="utf-8")
    own_plan = tmp_path / "own-plan.md"
    own_plan.write_text("# Role Definition\n\nYou draw cheat sheets.\n\n# Output Structure Plan\n\n"
                        "## 1. 🧭 개념\n\n- 하나: 설명\n- 둘: 설명\n\n## 2. ✅ 정리\n\n- 셋\n", encoding="utf-8")
    assert needs_plan(read_prompt(chapter)) and needs_plan(read_prompt(FIXTURES / "source-only.md"))
    kept = read_prompt(own_plan)
    assert not needs_plan(kept) and plan_if_needed(kept) is kept


def test_no_content_input_keeps_its_title_and_warns() -> None:
    planned = plan_prompt(read_prompt(FIXTURES / "no-content.md"))
    assert [w.code for w in planned.warnings if w.code == "no-content"] == ["no-content"]
    assert planned.plan is None


def test_plan_command_writes_a_prompt_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    result = runner.invoke(app, ["plan", str(FIXTURES / "source-only.md"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "re-parses to the same plan" in result.output
    back = read_prompt(out)
    assert back.rows and not back.auto_layout and back.title == "지수 백오프 재시도"
    assert [s.title for s in back.sections if s.kind == "content"] == [p.title for r in back.rows[1:] for p in r.panels]


def test_plan_command_on_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "nope.md"), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "x.md").exists()


@pytest.mark.usefixtures("cli_uses_session_browser")
def test_render_plans_reports_it_and_strict_fails_on_no_content(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok = runner.invoke(app, ["render", str(FIXTURES / "source-only.md"), str(FIXTURES / "no-content.md"),
                             "-o", str(out), "--format", "pdf"])
    assert ok.exit_code == 0, ok.output
    report = json.loads((out / "source-only.report.json").read_text(encoding="utf-8"))
    assert report["planned"] is True and report["plan"]["chapter_kind"]
    assert [c["panel"] for c in report["plan"]["choices"]] == [p["id"] for p in report["panels"] if p["row"] > 0]
    empty = json.loads((out / "no-content.report.json").read_text(encoding="utf-8"))
    assert empty["planned"] is False and "no-content" in {w["code"] for w in empty["warnings"]}
    assert "no content" in ok.output
    strict = runner.invoke(app, ["render", str(FIXTURES / "no-content.md"), "-o", str(out), "--format", "pdf",
                                 "--strict"])
    assert strict.exit_code == 1 and "have no content" in strict.output
    plain = runner.invoke(app, ["render", str(FIXTURES / "source-only.md"), "-o", str(out / "np"), "--format", "pdf",
                                "--no-plan"])
    assert plain.exit_code == 0
    assert json.loads((out / "np" / "source-only.report.json").read_text(encoding="utf-8"))["planned"] is False
