"""The openai SDK behind one door: client construction and its errors -> ours.

Used for any OpenAI-compatible chat server (OpenAI, Ollama, vLLM, llama.cpp). Every exception the
SDK raises is translated in ``map_openai_error`` and nowhere else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from nanosheet.backends.retry import TransientBackendError
from nanosheet.errors import BackendError, ConfigError

if TYPE_CHECKING:
    import openai

KEY_VAR = "OPENAI_API_KEY"
LOCAL_KEY = "not-needed"
"""Local servers ignore the key, but the SDK insists on one."""


def openai_key(base_url: str | None, env: Mapping[str, str] | None = None) -> str:
    """OPENAI_API_KEY; optional when a --base-url points at a local or self-hosted server."""
    key = (os.environ if env is None else env).get(KEY_VAR, "").strip()
    if key:
        return key
    if base_url and "api.openai.com" not in base_url:
        return LOCAL_KEY
    raise ConfigError(f"{KEY_VAR} is not set",
                      hint=f"export {KEY_VAR}=…, or give --base-url for a local server (Ollama, vLLM…)")


DEFAULT_TIMEOUT = 30.0
"""Seconds per request: a server that accepts and never answers fails in this, not in two minutes."""


def openai_client(api_key: str, *, base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> openai.OpenAI:
    """A client with SDK retries off: retries happen in one place (backends.retry)."""
    try:
        import openai
    except ImportError as exc:
        raise ConfigError("the openai package is not installed", hint="pip install 'nanosheet[ai]'") from exc
    return openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0)


def map_openai_error(exc: BaseException, *, what: str = "chat request", timeout: float | None = None) -> BackendError:
    """Translate anything the SDK raised into BackendError (TransientBackendError for 429 and 5xx)."""
    import openai

    if isinstance(exc, BackendError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        after = f" after {timeout:g} s" if timeout is not None else ""
        return BackendError(f"{what} timed out{after}",
                            hint="is the server answering? a slow local model needs a larger --timeout SECONDS")
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"{what} could not reach the server ({exc.message})",
                            hint="is the server running? check --base-url")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message = f"{what} failed: HTTP {status}: {_short(exc.message)}"
        if status == 429 or status >= 500:
            return TransientBackendError(message, status=status)
        hint = {401: f"check {KEY_VAR}", 404: "unknown model or wrong --base-url"}.get(status)
        return BackendError(message, hint=hint)
    if isinstance(exc, (openai.APIResponseValidationError, json.JSONDecodeError, ValueError)):
        return BackendError(f"{what} returned a malformed response ({type(exc).__name__}: {_short(exc)})")
    if isinstance(exc, openai.OpenAIError):
        return BackendError(f"{what} failed ({type(exc).__name__}: {_short(exc)})")
    return BackendError(f"{what} failed unexpectedly ({type(exc).__name__}: {_short(exc)})")


def _short(value: object, limit: int = 300) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
