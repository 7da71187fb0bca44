"""An in-process rate limiter: requests spaced evenly (GCRA with no burst).

Each key keeps a *theoretical arrival time*: the earliest moment its next request may go. A
request takes that slot and pushes it on by ``60 / per_minute`` seconds, so requests leave at
most one per interval and never more than ``per_minute`` in any minute — the strict spacing that
keeps a host's sliding-window limit from ever answering 429. ``safety`` (0–1) runs a little under
the limit to absorb clock and network jitter.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

__all__ = ["MemoryRateLimiter"]


class MemoryRateLimiter:
    """Rate limits for one process (the embedded default)."""

    def __init__(
        self, *, safety: float = 0.97, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not 0.0 < safety <= 1.0:
            raise ValueError("safety must be in (0, 1]")
        self._safety = safety
        self._clock = clock
        self._next: dict[str, float] = {}
        self._lock = asyncio.Lock()

    def _interval(self, per_minute: float) -> float:
        if per_minute <= 0:
            raise ValueError(f"per_minute must be positive, not {per_minute}")
        return 60.0 / (per_minute * self._safety)

    async def _reserve(self, key: str, per_minute: float, *, wait: bool) -> float:
        async with self._lock:
            now = self._clock()
            slot = max(self._next.get(key, now), now)
            delay = slot - now
            if delay > 0 and not wait:
                return delay
            self._next[key] = slot + self._interval(per_minute)
            return delay

    async def acquire(self, key: str, per_minute: float) -> float:
        """Wait for a slot under ``key``; return the seconds waited."""
        delay = await self._reserve(key, per_minute, wait=True)
        if delay > 0:
            await asyncio.sleep(delay)
        return delay

    async def try_acquire(self, key: str, per_minute: float) -> float:
        """Take a slot if one is free now (return 0), else return the seconds until one is."""
        return await self._reserve(key, per_minute, wait=False)

    async def aclose(self) -> None:
        """Nothing to release."""
