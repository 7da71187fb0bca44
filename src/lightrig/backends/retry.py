"""Retrying HTTP calls to image hosts: exponential backoff with full jitter, Retry-After honoured.

Whether a failed call may be sent again depends on what the host may already have done:

* a status poll or an image download is idempotent — it can always be repeated;
* a generation submit is not: once the request may have reached the host (a read timeout, a
  dropped connection, an unreadable 2xx answer) it may have been accepted and billed, so it is
  never sent again blindly. It is repeated only when the host certainly did not take it: it
  refused (429, 5xx with an error answer) or the request never left (connection refused, no
  free connection, connect timeout).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

__all__ = ["RetryPolicy", "never_sent", "retry_after_seconds"]

#: Exceptions that mean the request never reached the host.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteTimeout,
)


def never_sent(exc: Exception) -> bool:
    """Whether an httpx error means the request certainly never reached the host."""
    return isinstance(exc, _NOT_SENT)


def retry_after_seconds(response: httpx.Response, *, now: float | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (``None`` when absent/unreadable).

    Both forms are read: delta-seconds (``Retry-After: 3``) and an HTTP date.
    """
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: ``attempts`` tries in all, backoff starting at
    ``initial_s`` and doubling up to ``max_s`` (seconds), each wait drawn uniformly from zero to
    the backoff ("full jitter") so that many clients do not retry in step."""

    attempts: int = 5
    initial_s: float = 0.5
    max_s: float = 20.0

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1)."""
        ceiling: float = min(self.max_s, self.initial_s * 2.0 ** (attempt - 1))
        return ceiling * rng()

    def wait(
        self,
        attempt: int,
        response: httpx.Response | None,
        rng: Callable[[], float] = random.random,
    ) -> float:
        """The wait before the next attempt: the host's Retry-After when it gives one (plus
        up to a second of jitter, so that waiting clients do not all return together), else the
        jittered backoff."""
        asked = None if response is None else retry_after_seconds(response)
        if asked is None:
            return self.backoff(attempt, rng)
        return asked + min(1.0, self.initial_s) * rng()
