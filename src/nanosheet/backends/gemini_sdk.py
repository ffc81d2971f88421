"""The google-genai SDK behind one door: key lookup, client construction, and its errors -> ours.

Every exception the SDK (or the httpx2 transport under it) can raise is translated in
``map_genai_error`` and nowhere else, so callers only ever see BackendError or ConfigError.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nanosheet.backends.retry import TransientBackendError
from nanosheet.errors import BackendError, ConfigError

if TYPE_CHECKING:
    from google import genai

KEY_VAR = "GEMINI_API_KEY"
RETRY_STATUSES = frozenset({429, 503})
"""Google's own advice: 429 (quota) and 503 (overloaded) are worth retrying; 500 usually is not."""


def gemini_key(env: Mapping[str, str] | None = None) -> str:
    """The API key from GEMINI_API_KEY, or a ConfigError that names the variable."""
    key = (os.environ if env is None else env).get(KEY_VAR, "").strip()
    if not key:
        raise ConfigError(f"{KEY_VAR} is not set",
                          hint=f"export {KEY_VAR}=… (a Google AI Studio key); nothing is sent without it")
    return key


DEFAULT_TIMEOUT = 30.0
"""Seconds per request by default, for chat and images alike; a 4K image may need ``--timeout 120``."""


def gemini_client(api_key: str, *, base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> genai.Client:
    """A client with SDK retries off (we retry ourselves) and the timeout in the SDK's milliseconds."""
    try:
        from google import genai
        from google.genai import types
    except ImportError as exc:  # the optional 'ai' extra is missing
        raise ConfigError("the google-genai package is not installed",
                          hint="pip install 'nanosheet[ai]'") from exc
    # v1beta: where the preview image models and image_config live.
    options = types.HttpOptions(base_url=base_url, api_version="v1beta", timeout=int(timeout * 1000))
    return genai.Client(api_key=api_key, vertexai=False, http_options=options)


def map_genai_error(exc: BaseException, *, what: str = "Gemini request", timeout: float | None = None) -> BackendError:
    """Translate anything the SDK raised into BackendError (TransientBackendError when worth retrying)."""
    from google.genai import errors as gerrors

    if isinstance(exc, BackendError):
        return exc
    if isinstance(exc, gerrors.APIError):
        status = int(exc.code) if exc.code else None
        detail = _api_message(exc)
        message = f"{what} failed: HTTP {status} {exc.status or ''}".rstrip() + (f": {detail}" if detail else "")
        if status in RETRY_STATUSES:
            return TransientBackendError(message, status=status)
        return BackendError(message, hint=_status_hint(status))
    name = type(exc).__name__
    if "Timeout" in name:
        after = f" after {timeout:g} s" if timeout is not None else ""
        return BackendError(f"{what} timed out{after} ({name})",
                            hint="a large image can take a minute or more: raise --timeout SECONDS, or try later")
    if "Connect" in name or name in {"NetworkError", "RemoteProtocolError", "ReadError", "WriteError"}:
        return BackendError(f"{what} could not reach the server ({name}: {exc})",
                            hint="check the network or --base-url")
    if isinstance(exc, (json.JSONDecodeError, gerrors.UnknownApiResponseError, ValueError)):
        return BackendError(f"{what} returned a malformed response ({name}: {_short(exc)})")
    return BackendError(f"{what} failed unexpectedly ({name}: {_short(exc)})")


def _api_message(exc: Any) -> str:
    message = getattr(exc, "message", None)
    return _short(message) if message else ""


def _status_hint(status: int | None) -> str | None:
    return {
        400: "the request was rejected; check --model, --aspect and --size",
        401: f"check {KEY_VAR}",
        403: f"check {KEY_VAR} and that the model is enabled for it",
        404: "unknown model id or base URL",
    }.get(status or 0)


def _short(value: object, limit: int = 300) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
