"""Chat messages + a pydantic schema -> a validated instance, from an OpenAI-compatible or Gemini model.

The seam is ``ChatModel.chat(messages, schema) -> str`` (one raw answer). ``complete_json`` wraps it:
ask for JSON, validate, ask again with the validation error (bounded), retry 429/5xx with backoff,
and cache accepted answers on disk by content hash so a re-run sends nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict, TypeVar

from pydantic import BaseModel, ValidationError

from nanosheet.backends.gemini_sdk import gemini_client, gemini_key, map_genai_error
from nanosheet.backends.openai_sdk import DEFAULT_TIMEOUT, map_openai_error, openai_client, openai_key
from nanosheet.backends.retry import Sleep, call_with_retries
from nanosheet.errors import BackendError, ConfigError

if TYPE_CHECKING:
    import openai
    from google import genai

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


class ChatModel(Protocol):
    @property
    def name(self) -> str:
        """``provider:model@base_url``: part of every cache key."""
        ...

    def chat(self, messages: Sequence[Message], *, schema: dict[str, Any] | None) -> str: ...


# --------------------------------------------------------------------------- implementations


class OpenAIChat:
    """Any server speaking OpenAI chat completions (OpenAI, Ollama, vLLM, llama.cpp)."""

    def __init__(self, client: openai.OpenAI, model: str, *,
                 json_mode: Literal["json_schema", "json_object"] = "json_object",
                 timeout: float | None = None) -> None:
        self._client, self._model, self._json_mode = client, model, json_mode
        self._timeout = timeout
        """Only for the message: the client enforces it."""

    @property
    def name(self) -> str:
        return f"openai:{self._model}@{self._client.base_url}"

    def chat(self, messages: Sequence[Message], *, schema: dict[str, Any] | None) -> str:
        fmt: Any = {"type": "json_object"}
        if schema is not None and self._json_mode == "json_schema":
            fmt = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": False}}
        try:
            response = self._client.chat.completions.create(
                model=self._model, messages=[dict(m) for m in messages],  # type: ignore[misc]
                response_format=fmt, temperature=0)
        except Exception as exc:  # every SDK/transport error goes through the one mapping
            raise map_openai_error(exc, what=f"chat with {self._model}", timeout=self._timeout) from exc
        if not response.choices:
            raise BackendError(f"chat with {self._model} returned no choices")
        message = response.choices[0].message
        if getattr(message, "refusal", None):
            raise BackendError(f"{self._model} refused: {message.refusal}")
        return message.content or ""


class GeminiChat:
    """Gemini text models through google-genai, JSON requested by MIME type."""

    def __init__(self, client: genai.Client, model: str, *, timeout: float | None = None) -> None:
        self._client, self._model, self._timeout = client, model, timeout

    @property
    def name(self) -> str:
        return f"gemini:{self._model}"

    def chat(self, messages: Sequence[Message], *, schema: dict[str, Any] | None) -> str:
        from google.genai import types

        system = "\n\n".join(m["content"] for m in messages if m["role"] == "system") or None
        contents = [types.Content(role="model" if m["role"] == "assistant" else "user",
                                  parts=[types.Part(text=m["content"])])
                    for m in messages if m["role"] != "system"]
        config = types.GenerateContentConfig(system_instruction=system, temperature=0,
                                             response_mime_type="application/json")
        try:
            response = self._client.models.generate_content(model=self._model, contents=contents,
                                                            config=config)
            return response.text or ""
        except Exception as exc:
            raise map_genai_error(exc, what=f"chat with {self._model}", timeout=self._timeout) from exc


def make_chat(spec: str, base_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> ChatModel:
    """``PROVIDER:MODEL`` -> a ChatModel. Providers: openai (any compatible server), ollama, gemini."""
    provider, _, model = spec.partition(":")
    provider = provider.strip().lower()
    if not model.strip():
        raise ConfigError(f"--llm {spec!r} needs PROVIDER:MODEL", hint="e.g. openai:gpt-4o-mini, "
                          "ollama:qwen2.5:7b, gemini:gemini-2.5-flash")
    if provider == "gemini":
        return GeminiChat(gemini_client(gemini_key(), base_url=base_url, timeout=timeout), model, timeout=timeout)
    if provider == "ollama":
        base_url = base_url or "http://127.0.0.1:11434/v1"
    if provider in {"openai", "ollama", "vllm", "llamacpp", "local"}:
        # json_schema only where we know it is understood; json_object works on every compatible server.
        mode: Literal["json_schema", "json_object"] = "json_schema" if base_url is None else "json_object"
        client = openai_client(openai_key(base_url), base_url=base_url, timeout=timeout)
        return OpenAIChat(client, model, json_mode=mode, timeout=timeout)
    raise ConfigError(f"unknown LLM provider {provider!r}", hint="use openai, ollama or gemini")


# --------------------------------------------------------------------------- complete_json


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nanosheet" / "llm"


Check = Callable[[T], str | None]
"""Returns None when the answer is acceptable, else what is wrong with it (sent back to the model)."""


@dataclass
class LLMClient:
    model: ChatModel
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    """None disables the cache."""
    retries: int = 2
    """Extra attempts when the answer is invalid (bad JSON, schema errors, a failed check)."""
    transient_retries: int = 3
    """Extra attempts per call on HTTP 429/5xx."""
    sleep: Sleep = time.sleep
    requests: int = 0
    """How many chat calls were actually sent (for reports and tests)."""

    def complete_json(self, messages: Sequence[Message], schema: type[T], *,
                      check: Check[T] | None = None) -> T:
        return complete_json(messages, schema, client=self, check=check)


def complete_json(messages: Sequence[Message], schema: type[T], *, client: LLMClient,
                  check: Check[T] | None = None) -> T:
    """Ask until the answer parses, validates and passes ``check``; raise BackendError when it never does."""
    json_schema = schema.model_json_schema()
    convo: list[Message] = [_schema_message(json_schema), *messages]
    key = cache_key(client.model.name, convo)
    cached = _cache_read(client.cache_dir, key)
    if cached is not None:
        value, problem = _accept(cached, schema, check)
        if value is not None and problem is None:
            log.info("llm cache hit %s", key[:12])
            return value

    def send(sent: list[Message]) -> str:
        client.requests += 1
        return client.model.chat(sent, schema=json_schema)

    problem = "no answer"
    for attempt in range(client.retries + 1):
        raw = call_with_retries(partial(send, list(convo)), retries=client.transient_retries,
                                sleep=client.sleep, what=client.model.name)
        value, problem = _accept(raw, schema, check)
        if value is not None and problem is None:
            _cache_write(client.cache_dir, key, value.model_dump_json())
            return value
        log.info("llm answer %d rejected: %s", attempt + 1, problem)
        convo += [Message(role="assistant", content=raw),
                  Message(role="user", content=f"Your answer was not accepted: {problem}\n"
                                               "Reply again with only the corrected JSON object.")]
    raise UnacceptableAnswerError(f"{client.model.name} gave no acceptable answer in {client.retries + 1} "
                                  f"attempts: {problem}")


class UnacceptableAnswerError(BackendError):
    """The model answered every time, but never with valid JSON that passed the check."""


def _accept(raw: str, schema: type[T], check: Check[T] | None) -> tuple[T | None, str | None]:
    try:
        value = schema.model_validate_json(_strip_fences(raw))
    except ValidationError as exc:
        return None, describe_validation_error(exc)
    return value, check(value) if check else None


def describe_validation_error(exc: ValidationError) -> str:
    """A short, model-readable account: invalid JSON, or the first few schema violations with paths."""
    errors = exc.errors(include_url=False)
    if errors and errors[0]["type"] == "json_invalid":
        return f"invalid JSON ({errors[0]['msg']})"
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in errors[:5]]
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return "schema validation failed: " + "; ".join(parts) + more


def _strip_fences(raw: str) -> str:
    """Some models wrap JSON in a ```json fence even in JSON mode."""
    match = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", raw, flags=re.S)
    return match.group(1) if match else raw


def _schema_message(json_schema: dict[str, Any]) -> Message:
    return Message(role="system", content="Answer with one JSON object and nothing else. It must match this "
                   "JSON Schema:\n" + json.dumps(json_schema, ensure_ascii=False, separators=(",", ":")))


# --------------------------------------------------------------------------- cache


def cache_key(model_name: str, messages: Sequence[Message]) -> str:
    payload = json.dumps({"model": model_name, "messages": list(messages)}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def _cache_read(cache_dir: Path | None, key: str) -> str | None:
    if cache_dir is None:
        return None
    try:
        return _cache_path(cache_dir, key).read_text(encoding="utf-8")
    except OSError:
        return None


def _cache_write(cache_dir: Path | None, key: str, text: str) -> None:
    if cache_dir is None:
        return
    path = _cache_path(cache_dir, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # atomic: a parallel run never reads half an answer
    except OSError as exc:  # a read-only cache must not fail the render
        log.warning("could not write the LLM cache at %s (%s)", path, exc.strerror)
