"""A call that may fail transiently -> its result, after bounded retries with exponential backoff.

Both SDKs can retry by themselves, but we switch that off and retry here: one policy for every
backend, a sleep the tests can replace, and a log line per retry the CLI can show.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from nanosheet.errors import BackendError

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], None]


class TransientBackendError(BackendError):
    """A failure worth retrying (HTTP 429, 5xx): the same request may succeed a little later."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        self.status = status
        super().__init__(message, hint=hint)


def backoff_delays(retries: int, *, base: float = 2.0, cap: float = 60.0) -> list[float]:
    """The waits before each retry: base, 2·base, 4·base … capped (no jitter: one client, one user)."""
    return [min(cap, base * 2**i) for i in range(retries)]


def call_with_retries(call: Callable[[], T], *, retries: int, sleep: Sleep = time.sleep,
                      base_delay: float = 2.0, what: str = "request") -> T:
    """Run ``call``; on TransientBackendError wait and try again, at most ``retries`` more times."""
    delays = backoff_delays(retries, base=base_delay)
    for attempt in range(retries + 1):
        try:
            return call()
        except TransientBackendError as exc:
            if attempt >= retries:
                raise BackendError(f"{exc.message} (gave up after {retries + 1} attempts)",
                                   hint=exc.hint) from exc
            log.info("%s: %s; retrying in %.0f s (attempt %d of %d)", what, exc.message,
                     delays[attempt], attempt + 2, retries + 1)
            sleep(delays[attempt])
    raise AssertionError("unreachable")  # pragma: no cover
