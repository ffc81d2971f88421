"""Every HTTP request in; a 403 or the request with security headers added out (ASGI middleware).

The studio renders untrusted notes on a local port, so: a Host that is not loopback is refused (a
DNS-rebinding page would send its own name); every ``/api/`` call must carry the page's per-session
token in ``X-Studio-Token``; a request that changes something must also come from our own origin
(``Origin`` equal to the Host it was sent to). Responses are never cached, never framed by others,
and carry the Content-Security-Policy of their kind (the app, or the sheet preview).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
TOKEN_HEADER = "x-studio-token"
SAFE_METHODS = frozenset({"GET", "HEAD"})

PREVIEW_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'none'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'self'")
"""The sheet preview: only our own scripts, styles and fonts; no fetch; inline handlers blocked."""


def app_csp(script_hashes: list[str]) -> str:
    """The studio page: our scripts plus the import map (by hash), fetch to ourselves only."""
    hashes = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def host_of(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            return str(value.decode("latin-1"))
    return ""


def header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


def loopback_host(host: str) -> bool:
    """``127.0.0.1:8765``, ``localhost``, ``[::1]:8765`` — a name a rebinding attacker cannot send."""
    host = host.strip().lower()
    name = host[: host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    return name in LOOPBACK_HOSTS


def refusal(scope: Scope, token: str) -> str | None:
    """Why this request is refused, or None when it may pass."""
    host = host_of(scope)
    if not loopback_host(host):
        return "foreign Host"
    path: str = scope.get("path", "")
    method: str = scope.get("method", "GET")
    if path.startswith("/api/"):
        sent = header(scope, TOKEN_HEADER.encode()) or ""
        if not hmac.compare_digest(sent.encode(), token.encode()):
            return "missing or wrong session token"
    if method not in SAFE_METHODS:
        origin = header(scope, b"origin")
        if origin is None or origin != f"http://{host}":
            return "foreign or missing Origin"
    return None


class Guard:
    """ASGI middleware: refuse (403, JSON) or pass on with security headers."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        why = refusal(scope, self.token)
        if why is not None:
            await _forbidden(send, why)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in _SECURITY_HEADERS:
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
]


async def _forbidden(send: Send, why: str) -> None:
    body = json.dumps({"error": f"forbidden: {why}"}).encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *_SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
