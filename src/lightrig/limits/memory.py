"""An in-process rate limiter: the generic cell rate algorithm (GCRA).

Each key keeps a *theoretical arrival time* (TAT): when its budget would be back to full had
every request so far been spaced exactly ``60 / per_minute`` seconds apart. A request may go
once ``TAT - (burst - 1) × interval`` has come, and it pushes the TAT on by one interval. So
after a quiet spell up to ``burst`` requests go at once, and over any stretch of time no more
than ``burst`` plus one per interval go — the long-run rate is ``per_minute`` whatever the burst.

With ``burst=1`` requests leave at most one per interval, the strict spacing that keeps a host's
sliding-window limit from ever answering 429. ``safety`` (0–1) runs a little under the limit to
absorb clock and network jitter.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from lightrig.limits.base import SlotReserver, check_limit

__all__ = ["MemoryRateLimiter"]

#: Past this many keys, keys whose budget is back to full are forgotten (they hold no state).
_PRUNE_ABOVE = 4096
#: Seconds of floating-point error forgiven when a burst is measured (``burst - 1`` intervals
#: against a TAT that is the sum of as many intervals); ``burst=1`` involves no such sum.
_ROUNDING_S = 1e-9


class MemoryRateLimiter(SlotReserver):
    """Rate limits for one process (the embedded default)."""

    def __init__(
        self, *, safety: float = 0.97, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``safety`` scales every rate down (``per_minute × safety``); ``clock`` gives seconds."""
        if not 0.0 < safety <= 1.0:
            raise ValueError("safety must be in (0, 1]")
        self._safety = safety
        self._clock = clock
        self._next: dict[str, float] = {}
        self._prune_at = _PRUNE_ABOVE
        self._lock = asyncio.Lock()

    def _interval(self, per_minute: float) -> float:
        """Seconds between requests at ``per_minute`` requests per minute, with the margin."""
        return 60.0 / (per_minute * self._safety)

    def _prune(self, now: float) -> None:
        # amortised: a sweep happens only once the table has doubled since the last one
        if len(self._next) >= self._prune_at:
            self._next = {key: tat for key, tat in self._next.items() if tat > now}
            self._prune_at = max(_PRUNE_ABOVE, 2 * len(self._next))

    async def _reserve(self, key: str, per_minute: float, burst: int, *, wait: bool) -> float:
        check_limit(per_minute, burst)
        interval = self._interval(per_minute)
        async with self._lock:
            now = self._clock()
            tat = max(self._next.get(key, now), now)
            delay = tat - (burst - 1) * interval - now
            if delay < (_ROUNDING_S if burst > 1 else 0.0):
                delay = 0.0
            if delay > 0 and not wait:
                return delay
            self._prune(now)
            self._next[key] = tat + interval
            return delay

    async def health(self) -> str:
        """Describe the limiter (nothing can fail in memory)."""
        return f"in-process rate limits, {len(self._next)} keys"

    async def aclose(self) -> None:
        """Nothing to release."""
