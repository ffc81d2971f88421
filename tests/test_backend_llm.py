"""complete_json and enrich_sheet through the real openai / google-genai SDKs against loopback servers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from fake_http import FakeServer, Reply, Seen
from nanosheet.backends.gemini_sdk import gemini_client
from nanosheet.backends.llm import GeminiChat, LLMClient, OpenAIChat, complete_json, make_chat
from nanosheet.backends.llm_compose import (
    PanelContent,
    enrich_sheet,
    estimate_capacity,
    layout_signature,
    overflow,
)
from nanosheet.backends.openai_sdk import map_openai_error, openai_client
from nanosheet.backends.retry import TransientBackendError
from nanosheet.cli import _reports_errors
from nanosheet.errors import BackendError, ConfigError
from nanosheet.model import Footer, Item, ListBlock, Page, Panel, Row, Sheet


class Term(BaseModel):
    term: str
    meaning: str


def _chat_reply(content: str) -> Reply:
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "m",
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


def _client(server: FakeServer, tmp_path: Path, **kw: Any) -> tuple[LLMClient, list[float]]:
    slept: list[float] = []
    chat = OpenAIChat(openai_client("k", base_url=server.url + "/v1", timeout=10), "local-model")
    return LLMClient(chat, cache_dir=tmp_path / "cache", sleep=slept.append, **kw), slept


def _last_user(seen: Seen) -> str:
    return str(seen.json()["messages"][-1]["content"])


ASK = [{"role": "user", "content": "Define few-shot in Korean."}]
GOOD = json.dumps({"term": "few-shot", "meaning": "예시 몇 개로 학습"}, ensure_ascii=False)


def test_valid_json_answer_and_request_shape(tmp_path: Path) -> None:
    with FakeServer([_chat_reply(GOOD)]) as server:
        client, _ = _client(server, tmp_path)
        term = complete_json(ASK, Term, client=client)  # type: ignore[arg-type]
    assert term == Term(term="few-shot", meaning="예시 몇 개로 학습")
    (seen,) = server.seen
    assert seen.path == "/v1/chat/completions"
    body = seen.json()
    assert body["model"] == "local-model" and body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system" and '"meaning"' in body["messages"][0]["content"]
    assert body["messages"][-1] == ASK[0]


def test_invalid_json_is_sent_back_with_the_error(tmp_path: Path) -> None:
    with FakeServer([_chat_reply('{"term": "few-shot", "meaning": '), _chat_reply(GOOD)]) as server:
        client, _ = _client(server, tmp_path)
        assert client.complete_json(ASK, Term).meaning == "예시 몇 개로 학습"  # type: ignore[arg-type]
    assert len(server.seen) == 2
    second = server.seen[1].json()["messages"]
    assert second[-2] == {"role": "assistant", "content": '{"term": "few-shot", "meaning": '}
    assert "invalid JSON" in _last_user(server.seen[1])


def test_schema_invalid_answer_is_sent_back_with_the_path(tmp_path: Path) -> None:
    with FakeServer([_chat_reply('{"term": "few-shot"}'), _chat_reply("```json\n" + GOOD + "\n```")]) as server:
        client, _ = _client(server, tmp_path)
        assert client.complete_json(ASK, Term).term == "few-shot"  # type: ignore[arg-type]
    assert "meaning: Field required" in _last_user(server.seen[1])


def test_never_valid_gives_up_with_the_last_problem(tmp_path: Path) -> None:
    with FakeServer([_chat_reply("not json")] * 2) as server:
        client, _ = _client(server, tmp_path, retries=1)
        with pytest.raises(BackendError, match="no acceptable answer in 2 attempts: invalid JSON"):
            client.complete_json(ASK, Term)  # type: ignore[arg-type]


def test_malformed_http_body_is_a_backend_error(tmp_path: Path) -> None:
    with FakeServer([Reply(200, b'{"choices": [')]) as server:
        client, _ = _client(server, tmp_path)
        with pytest.raises(BackendError, match="malformed"):
            client.complete_json(ASK, Term)  # type: ignore[arg-type]


def test_500_then_success_is_retried_with_backoff(tmp_path: Path) -> None:
    with FakeServer([Reply(500, {"error": {"message": "boom", "type": "server_error"}}),
                     _chat_reply(GOOD)]) as server:
        client, slept = _client(server, tmp_path)
        assert client.complete_json(ASK, Term).term == "few-shot"  # type: ignore[arg-type]
    assert len(server.seen) == 2 and slept == [2.0]


def test_cache_hit_sends_nothing(tmp_path: Path) -> None:
    with FakeServer([_chat_reply(GOOD)]) as server:
        first, _ = _client(server, tmp_path)
        again, _ = _client(server, tmp_path)
        assert first.complete_json(ASK, Term) == again.complete_json(ASK, Term)  # type: ignore[arg-type]
        assert len(server.seen) == 1 and again.requests == 0
        other = [{"role": "user", "content": "Define zero-shot."}]
        with pytest.raises(BackendError):  # a different question is a miss: the server has no more answers
            again.complete_json(other, Term)  # type: ignore[arg-type]
    assert first.requests == 1 and again.requests > 0 and len(server.seen) > 1
    assert json.loads(server.seen[0].body)["messages"][-1] == ASK[0]
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1


def test_gemini_text_path(tmp_path: Path) -> None:
    reply = Reply(200, {"candidates": [{"content": {"role": "model", "parts": [{"text": GOOD}]},
                                        "finishReason": "STOP"}]})
    with FakeServer([reply]) as server:
        chat = GeminiChat(gemini_client("k", base_url=server.url, timeout=10), "gemini-2.5-flash")
        term = LLMClient(chat, cache_dir=None).complete_json(ASK, Term)  # type: ignore[arg-type]
    assert term.term == "few-shot"
    body = server.seen[0].json()
    assert server.seen[0].path == "/v1beta/models/gemini-2.5-flash:generateContent"
    assert body["generationConfig"]["responseMimeType"] == "application/json"
    assert '"meaning"' in body["systemInstruction"]["parts"][0]["text"]
    assert body["contents"][-1]["parts"][0]["text"] == ASK[0]["content"]


# --------------------------------------------------------------------------- enrich_sheet


def _sheet() -> Sheet:
    return Sheet(stem="active", title="Active-Prompt", page=Page(), footer=Footer(title="Active-Prompt"), rows=[
        Row(kind="title", ratio=10, panels=[Panel(id="r1p1", title="Active-Prompt")]),
        Row(kind="panels", ratio=45, widths=[1, 2], panels=[
            Panel(id="r2p1", icon="💡", title="핵심 아이디어",
                  blocks=[ListBlock(items=[Item(text="불확실성 기반 예시 선택")])]),
            Panel(id="r2p2", icon="⚙️", title="작동 방식"),
        ]),
        Row(kind="band", ratio=45, panels=[Panel(id="r3p1", title="📊 CoT 비교")]),
    ])


def _blocks(*lines: str) -> str:
    return json.dumps({"blocks": [{"type": "list", "items": [{"text": t} for t in lines]}]}, ensure_ascii=False)


def test_enrich_keeps_layout_and_asks_again_on_overflow(tmp_path: Path) -> None:
    too_long = _blocks("불확실성 측정", "k개 답 생성", "disagreement 계산", "사람이 주석", "예시로 사용")
    script = [_chat_reply(too_long), _chat_reply(_blocks("불확실성 측정", "사람이 주석")),
              _chat_reply(_blocks("1. 질문마다 k개 답", "2. 불일치 큰 질문 선택")),
              _chat_reply(json.dumps({"blocks": [{"type": "keyvalue", "key": "CoT", "value": "고정 예시"}]},
                                     ensure_ascii=False))]
    sheet = _sheet()
    capacity = {"r2p1": (3, 12), "r2p2": (6, 20), "r3p1": (5, 40)}
    with FakeServer(script) as server:
        client, _ = _client(server, tmp_path)
        out = enrich_sheet(sheet, "Active-Prompt: uncertainty-based selection …", client=client,
                           capacity=capacity)
    assert len(server.seen) == 4
    assert "too long: it needs 5 lines but the panel holds 2 lines" in _last_user(server.seen[1])
    first_ask = _last_user(server.seen[0])
    assert "핵심 아이디어" in first_ask and "불확실성 기반 예시 선택" in first_ask
    assert "at most 2 lines of at most 12 characters" in first_ask  # one line is the wireframe's
    assert "Keep English technical terms" in server.seen[0].json()["messages"][1]["content"]
    assert layout_signature(out) == layout_signature(sheet)
    assert [r.panels[i].id for r in out.rows for i in range(len(r.panels))] == ["r1p1", "r2p1", "r2p2", "r3p1"]
    left = out.rows[1].panels[0]
    assert left.blocks == sheet.rows[1].panels[0].blocks
    assert [i.text for i in left.extra[0].items] == ["불확실성 측정", "사람이 주석"]  # type: ignore[union-attr]
    assert out.rows[2].panels[0].extra[0].type == "keyvalue"
    assert sheet.rows[1].panels[0].extra == []  # the input sheet is not modified


def test_overflow_check_counts_wrapped_lines() -> None:
    fits = PanelContent.model_validate_json(_blocks("짧은 줄", "Chain-of-Thought"))
    assert overflow(fits, lines=2, chars=8) is None
    assert "wider than 4 characters: Chain-of-Thought" in (overflow(fits, lines=2, chars=4) or "")


def test_estimate_capacity_follows_ratios_and_widths() -> None:
    cap = estimate_capacity(_sheet())
    assert set(cap) == {"r1p1", "r2p1", "r2p2", "r3p1"}
    assert cap["r2p2"][1] > cap["r2p1"][1] * 1.8  # twice as wide
    assert cap["r3p1"][0] > cap["r2p1"][0] > 5  # the band has no title line


def test_missing_keys_are_config_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY is not set"):
        make_chat("openai:gpt-4o-mini")
    with pytest.raises(ConfigError, match="GEMINI_API_KEY is not set"):
        make_chat("gemini:gemini-2.5-flash")
    with pytest.raises(ConfigError, match="PROVIDER:MODEL"):
        make_chat("openai")
    assert make_chat("openai:qwen", "http://127.0.0.1:9/v1").name.startswith("openai:qwen@")  # local: no key


def test_cli_reports_missing_key_with_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from nanosheet.backends.llm_compose import apply_llm

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    app = typer.Typer()

    @app.command()
    @_reports_errors
    def render(llm: str = "openai:gpt-4o-mini") -> None:  # stands in for `render --llm` until it lands
        apply_llm(_sheet(), llm, None, "source")

    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert "error:" in result.output and "OPENAI_API_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_every_openai_error_maps_to_backend_error() -> None:
    import httpx2
    import openai

    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")

    def status(code: int, cls: type[openai.APIStatusError]) -> openai.APIStatusError:
        return cls(f"Error code: {code}", response=httpx2.Response(code, request=request), body=None)

    cases: list[tuple[BaseException, str, bool]] = [
        (status(429, openai.RateLimitError), "HTTP 429", True),
        (status(500, openai.InternalServerError), "HTTP 500", True),
        (status(401, openai.AuthenticationError), "HTTP 401", False),
        (status(400, openai.BadRequestError), "HTTP 400", False),
        (openai.APITimeoutError(request=request), "timed out", False),
        (openai.APIConnectionError(request=request), "could not reach", False),
        (openai.APIResponseValidationError(httpx2.Response(200, request=request), None), "malformed", False),
        (json.JSONDecodeError("x", "y", 0), "malformed", False),
        (openai.OpenAIError("odd"), "failed", False),
        (RuntimeError("surprise"), "unexpectedly", False),
    ]
    for exc, words, transient in cases:
        mapped = map_openai_error(exc, what="chat")
        assert isinstance(mapped, BackendError) and words in mapped.message, (exc, mapped.message)
        assert isinstance(mapped, TransientBackendError) is transient, exc
