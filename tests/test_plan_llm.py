"""plan --llm: the plan a (fake, loopback) OpenAI-compatible model writes, checked, retried, cached, or replaced.

Every request goes to a FakeServer on 127.0.0.1 through the real openai SDK; without --llm no client is made
and no socket is opened.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fake_http import FakeServer, Reply, Seen
from nanosheet.cli import app
from nanosheet.ingest import read_prompt
from nanosheet.plan import llm_plan, plan_prompt
from nanosheet.plan.llm_plan import LLMOptions, PlanAnswer, plan_messages, plan_problems, template
from nanosheet.promptgen import round_trip_differences, write_prompt

SHARED = Path(__file__).resolve().parents[2] / "shared" / "examples"
CHAPTER = SHARED / "chapters" / "fewshot.md"
ANSWER = Path(__file__).parent / "fixtures" / "llm_plan" / "fewshot_answer.md"


def _answer(prompt: str, chapter_type: str = "article") -> str:
    return json.dumps({"chapter_type": chapter_type, "analysis": "Few-shot: 시연으로 in-context learning",
                       "plan": "10 타이틀 / 34 구조 / 28 원칙+한계 / 28 비교+요약", "prompt": prompt},
                      ensure_ascii=False)


def _chat(content: str) -> Reply:
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "fake",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


def _good() -> str:
    return ANSWER.read_text(encoding="utf-8")


def _without_section(text: str, heading: str) -> str:
    """The answer with one panel's content section cut out (a panel left without content)."""
    start = text.index(heading)
    end = text.index("\n## ", start + 1)
    return text[:start] + text[end + 1:]


def _messages(seen: Seen) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = seen.json()["messages"]
    return messages


def _plan(server: FakeServer, tmp_path: Path, *extra: str) -> tuple[Any, str]:
    out = tmp_path / "plan.md"
    result = CliRunner().invoke(app, ["plan", str(CHAPTER), "-o", str(out), "--llm", "openai:fake",
                                      "--base-url", server.url + "/v1", *extra])
    return result, out.read_text(encoding="utf-8") if out.exists() else ""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own answer cache, and no key: --base-url servers need none."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_good_answer_is_the_plan(tmp_path: Path) -> None:
    with FakeServer([_chat(_answer(_good()))]) as server:
        result, written = _plan(server, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 1 and server.seen[0].path == "/v1/chat/completions"
    system, user = _messages(server.seen[0])[-2:]
    assert "[template v1]" in system["content"] and "# Content Details" in system["content"]
    assert "Chapter file: fewshot.md" in user["content"] and "인컨텍스트 학습" in user["content"]
    assert "planned by openai:fake" in result.output and "re-parses to the same plan" in result.output
    back = read_prompt(tmp_path / "plan.md")
    titles = [p.title for r in back.rows for p in r.panels]
    assert titles == ["Few-shot 프롬프팅", "Few-shot 프롬프트 구조", "설계 원칙", "한계와 대안",
                      "Zero-shot vs Few-shot", "핵심 요약"]
    assert [r.ratio for r in back.rows] == [10, 34, 28, 28]
    assert "source_url" in written and "https://www.promptingguide.ai/techniques/fewshot" in written  # the chapter's
    assert "모델이 충분한 규모에 도달하면서" in written  # the chapter's own text stays the Source Text


def test_llm_plan_is_reported_and_round_trips(tmp_path: Path) -> None:
    chapter = read_prompt(CHAPTER)
    with FakeServer([_chat(_answer(_good(), "Tutorial "))]) as server:
        planned = plan_prompt(chapter, llm=LLMOptions("openai:fake", base_url=server.url + "/v1",
                                                      cache_dir=tmp_path / "c"))
    assert planned.plan is not None
    assert (planned.plan.source, planned.plan.model, planned.plan.llm_requests) == ("llm", "openai:fake", 1)
    assert planned.plan.chapter_kind == "tutorial" and planned.plan.template == "llm-v1"
    kinds = {c.title: c.kind for c in planned.plan.choices}
    assert kinds["Few-shot 프롬프트 구조"] == "flow" and kinds["Zero-shot vs Few-shot"] == "table"
    assert all(c.sections for c in planned.plan.choices)
    assert round_trip_differences(planned, write_prompt(planned)) == []
    assert planned.source_text == chapter.source_text and planned.frontmatter == chapter.frontmatter
    assert "practitioners learning Few-shot prompting" in write_prompt(planned)  # the model's role sentence


def test_malformed_then_good_is_retried_with_the_error(tmp_path: Path) -> None:
    broken = _without_section(_good(), "## 4. 📊 Zero-shot vs Few-shot")
    with FakeServer([_chat("this is not json"), _chat(_answer(broken)), _chat(_answer(_good()))]) as server:
        result, written = _plan(server, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 3
    second, third = _messages(server.seen[1]), _messages(server.seen[2])
    assert second[-2] == {"role": "assistant", "content": "this is not json"}
    assert "invalid JSON" in second[-1]["content"]
    assert "panel 'Zero-shot vs Few-shot' (row 4) has no content section" in third[-1]["content"]
    assert "Zero-shot vs Few-shot" in written and "llm-plan-failed" not in result.output
    assert "warning" not in result.output


def test_always_malformed_falls_back_with_a_warning(tmp_path: Path) -> None:
    no_ratios = _good().replace("| 하단 | 28% |", "| 하단 | 48% |")
    with FakeServer([_chat(_answer(no_ratios))] * 3) as server:
        result, written = _plan(server, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 3  # the first try and two retries, no more
    assert all("the ratios add up to 120 %, not 100 %" in _messages(s)[-1]["content"] for s in server.seen[1:])
    assert "warning:" in result.output and "openai:fake was not used" in result.output
    assert "no acceptable answer in 3 attempts" in result.output and "120 %" in result.output
    offline = write_prompt(plan_prompt(read_prompt(CHAPTER)))
    assert written == offline  # the offline plan, whole


def test_always_malformed_warning_reaches_the_prompt(tmp_path: Path) -> None:
    with FakeServer([_chat(_answer("# Role Definition\n\nno layout at all\n"))] * 3) as server:
        planned = plan_prompt(read_prompt(CHAPTER), llm=LLMOptions("openai:fake", base_url=server.url + "/v1",
                                                                   cache_dir=tmp_path / "c"))
    (warning,) = [w for w in planned.warnings if w.code == "llm-plan-failed"]
    assert warning.file == str(CHAPTER) and "draw the wireframe under # Layout Structure" in warning.message
    assert planned.plan is not None and planned.plan.source == "local" and planned.plan.model == "openai:fake"
    assert not list((tmp_path / "c").rglob("*.json"))  # nothing rejected is cached


def test_timeout_falls_back(tmp_path: Path) -> None:
    # The server never answers within its lifetime: "timed out" can only come from --timeout 0.3.
    with FakeServer([Reply(200, {}, delay=30.0)], lifetime=20) as server:
        result, written = _plan(server, tmp_path, "--timeout", "0.3")
    assert result.exit_code == 0, result.output
    assert "timed out" in result.output and "offline plan" in result.output
    assert len(server.seen) == 1  # a timeout is not retried: the next try would wait as long
    assert "# Content Details" in written


def test_429_then_ok_backs_off_and_succeeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(llm_plan, "backoff_sleep", slept.append)
    limited = Reply(429, {"error": {"message": "slow down", "type": "rate_limit"}}, headers={"retry-after": "0"})
    with FakeServer([limited, limited, _chat(_answer(_good()))]) as server:
        result, written = _plan(server, tmp_path)
    assert result.exit_code == 0, result.output
    assert len(server.seen) == 3 and slept == [2.0, 4.0]
    assert "Few-shot 프롬프트 구조" in written and "warning" not in result.output


def test_gemini_provider_plans_through_the_same_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "k")
    reply = Reply(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": _answer(_good())}]},
                                        "finishReason": "STOP"}]})
    with FakeServer([reply]) as server:
        planned = plan_prompt(read_prompt(CHAPTER), llm=LLMOptions("gemini:gemini-2.5-flash", base_url=server.url,
                                                                   cache_dir=tmp_path / "c"))
    assert server.seen[0].path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert "[template v1]" in server.seen[0].json()["systemInstruction"]["parts"][0]["text"]
    assert planned.plan is not None and planned.plan.source == "llm"
    assert "Zero-shot vs Few-shot" in [p.title for r in planned.rows for p in r.panels]


def test_cache_hit_sends_nothing(tmp_path: Path) -> None:
    with FakeServer([_chat(_answer(_good()))]) as server:
        first, written = _plan(server, tmp_path)
        again, rewritten = _plan(server, tmp_path)
    assert first.exit_code == again.exit_code == 0, again.output
    assert len(server.seen) == 1 and rewritten == written
    assert len(list((tmp_path / "xdg" / "nanosheet" / "llm").rglob("*.json"))) == 1


def test_cache_key_changes_with_the_chapter_and_the_template(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from nanosheet.backends.llm import cache_key

    chapter = read_prompt(CHAPTER)
    other = read_prompt(SHARED / "chapters" / "activeprompt.md")
    key = cache_key("openai:fake", plan_messages(chapter))
    assert key == cache_key("openai:fake", plan_messages(chapter))
    assert key != cache_key("openai:other", plan_messages(chapter))
    assert key != cache_key("openai:fake", plan_messages(other))
    monkeypatch.setattr(llm_plan, "TEMPLATE_VERSION", 2)
    assert key != cache_key("openai:fake", plan_messages(chapter))


def test_without_llm_nothing_leaves_the_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openai

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a client or socket was made without --llm")

    monkeypatch.setattr(openai.OpenAI, "__init__", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(llm_plan, "plan_with_llm", refuse)
    result = CliRunner().invoke(app, ["plan", str(CHAPTER), "-o", str(tmp_path / "plan.md")])
    assert result.exit_code == 0, result.output
    assert "# Content Details" in (tmp_path / "plan.md").read_text(encoding="utf-8")


def test_llm_option_errors_are_one_line(tmp_path: Path) -> None:
    cases = [(["--llm", "openai"], "PROVIDER:MODEL"), (["--llm", "acme:x"], "unknown LLM provider"),
             (["--llm", "openai:gpt-4o-mini"], "OPENAI_API_KEY"),
             (["--base-url", "http://127.0.0.1:9/v1"], "--base-url needs --llm"),
             (["--llm", "openai:x", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "0"], "--timeout 0")]
    for extra, words in cases:
        result = CliRunner().invoke(app, ["plan", str(CHAPTER), "-o", str(tmp_path / "p.md"), *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert words in result.output and "Traceback" not in result.output
        assert not (tmp_path / "p.md").exists()


def test_the_templates_own_example_is_an_acceptable_plan() -> None:
    text = template()
    example = text[text.index("# Role Definition\n\nYou are"):]
    answer = PlanAnswer(chapter_type="article", analysis="", plan="", prompt=example)
    assert plan_problems(read_prompt(CHAPTER), answer) is None


def test_checks_name_what_is_wrong() -> None:
    chapter = read_prompt(CHAPTER)
    good = _good()
    wordy = good.replace("- ✓ 예시로 모델 성능 향상", "- " + " ".join(["token"] * 50))
    formal = good.replace("- ✓ 형식과 분포가 정확도보다 중요",
                          "- 형식과 분포가 정확도보다 중요합니다\n- 추론에는 CoT가 필요합니다")
    stuffed = good.replace("- ✓ 추론 작업엔 CoT 필요",
                           "\n".join(f"- 추가 메모 {k}번째 줄로 상자를 넘치게 만듦" for k in range(40)))
    two_panels = good[:good.index("├──")] + good[good.rindex("└──"):]
    expected = [(wordy, "has a block of 50 words"), (formal, "end in formal style"),
                (stuffed, "needs about"), (stuffed, "give row 4 a larger share"),
                (two_panels, "the wireframe has no rows below the title")]
    for prompt, words in expected:
        problems = plan_problems(chapter, PlanAnswer(chapter_type="article", analysis="", plan="", prompt=prompt))
        assert problems is not None and words in problems, (words, problems)
    assert plan_problems(chapter, PlanAnswer(chapter_type="article", analysis="", plan="", prompt=good)) is None
