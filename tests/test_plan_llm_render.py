"""render/batch --llm: a chapter is planned by the (fake, loopback) model; a prompt with a wireframe is not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fake_http import FakeServer, Reply
from nanosheet.cli import app

SHARED = Path(__file__).resolve().parents[2] / "shared" / "examples"
CHAPTER = SHARED / "chapters" / "fewshot.md"
ANSWER = Path(__file__).parent / "fixtures" / "llm_plan" / "fewshot_answer.md"


def _chat(content: str) -> Reply:
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


def _answer(prompt: str) -> Reply:
    return _chat(json.dumps({"chapter_type": "article", "analysis": "a", "plan": "p", "prompt": prompt},
                            ensure_ascii=False))


def _report(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / f"{CHAPTER.stem}.report.json").read_text(encoding="utf-8"))
    return report


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_render_llm_plans_a_chapter_and_skips_the_panel_fill(tmp_path: Path,
                                                             cli_uses_session_browser: None) -> None:
    good = ANSWER.read_text(encoding="utf-8")
    with FakeServer([_answer(good)]) as server:
        result = CliRunner().invoke(app, ["render", str(CHAPTER), "-o", str(tmp_path / "llm"), "--format", "html",
                                          "--llm", "openai:fake", "--base-url", server.url + "/v1"])
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 1  # the plan only: its panels are not asked for again one by one
    report = _report(tmp_path / "llm")
    assert report["planned"] is True
    assert report["plan"]["source"] == "llm" and report["plan"]["model"] == "openai:fake"
    titles = [p["title"] for p in report["panels"]]
    assert "Few-shot 프롬프트 구조" in titles and "Zero-shot vs Few-shot" in titles
    structure = next(p for p in report["panels"] if p["title"] == "Few-shot 프롬프트 구조")
    assert "Example 1" in structure["text"]
    assert not any(p["overflow"] or p["left_out"] for p in report["panels"])  # the dry fit held on the page
    assert min(p["body_pt"] for p in report["panels"]) >= 7


def test_render_llm_failure_draws_the_offline_plan(tmp_path: Path, cli_uses_session_browser: None) -> None:
    with FakeServer([_chat("not json")] * 3) as server:
        result = CliRunner().invoke(app, ["render", str(CHAPTER), "-o", str(tmp_path / "llm"), "--format", "html",
                                          "--llm", "openai:fake", "--base-url", server.url + "/v1"])
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 3  # three tries at the plan, then no panel-fill requests to a failing model
    report = _report(tmp_path / "llm")
    assert report["plan"]["source"] == "local" and report["plan"]["model"] == "openai:fake"
    assert [w["code"] for w in report["warnings"]].count("llm-plan-failed") == 1
    assert "llm-plan-failed" not in result.output and "was not used" in result.output


def test_batch_llm_plans_chapters_and_caches(tmp_path: Path) -> None:
    good = ANSWER.read_text(encoding="utf-8")
    out = tmp_path / "series"
    with FakeServer([_answer(good)]) as server:
        args = ["batch", str(CHAPTER), "-o", str(out), "--format", "html", "--llm", "openai:fake",
                "--base-url", server.url + "/v1", "-j", "1"]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        forced = CliRunner().invoke(app, [*args, "--force"])  # rendered again: the plan comes from the cache
    assert forced.exit_code == 0, forced.output
    assert len(server.seen) == 1
    assert _report(out)["plan"]["source"] == "llm"
