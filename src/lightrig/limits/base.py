"""The rate-limiter contract.

``acquire(key, per_minute)`` waits until one more request under ``key`` keeps the rate at or
below ``per_minute`` and then records it; ``try_acquire`` answers at once with how long to wait.
Keys name a budget: ``"bria:generate"``, ``"bria:status"``, ``"api:user:42"``...

``burst`` lets up to that many requests go at once after a quiet spell; the long-run rate stays
``per_minute`` whatever the burst. ``burst=1`` (the default) spaces every request evenly, which
is what a host's sliding-window limit needs.
"""

from __future__ import annotations

import asyncio
import math
from abc import ABC, abstractmethod
from typing import Protocol, runtime_checkable

__all__ = ["RateLimiter", "SlotReserver", "check_limit"]


def check_limit(per_minute: float, burst: int) -> None:
    """Raise :class:`ValueError` unless ``per_minute`` (requests per minute) is positive and
    finite and ``burst`` (requests) is an integer of at least 1."""
    if not (math.isfinite(per_minute) and per_minute > 0):
        raise ValueError(f"per_minute must be a positive number, not {per_minute}")
    if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
        raise ValueError(f"burst must be an integer of at least 1, not {burst!r}")


@runtime_checkable
class RateLimiter(Protocol):
    """Shares a requests-per-minute budget among everything that uses the same key."""

    async def acquire(self, key: str, per_minute: float, *, burst: int = 1) -> float:
        """Reserve the next slot under ``key`` (at most ``per_minute`` requests per minute, up to
        ``burst`` at once), wait for it and return the seconds waited."""
        ...

    async def try_acquire(self, key: str, per_minute: float, *, burst: int = 1) -> float:
        """Take a slot if one is free now and return 0, else take nothing and return the seconds
        until one is."""
        ...

    async def health(self) -> str:
        """Check the limiter works (a real round trip where there is a server); return a short
        description."""
        ...

    async def aclose(self) -> None:
        """Release connections, if any."""
        ...


class SlotReserver(ABC):
    """A limiter built on one primitive, :meth:`_reserve` (a generic cell rate: each key's next
    free slot, ``burst`` slots early at most); waiting for a slot and taking one only if it is
    free are the same on every store."""

    @abstractmethod
    async def _reserve(self, key: str, per_minute: float, burst: int, *, wait: bool) -> float:
        """Seconds until ``key``'s next slot. With ``wait`` the slot is reserved whatever the
        delay; without it, only when the delay is 0."""

    async def acquire(self, key: str, per_minute: float, *, burst: int = 1) -> float:
        """Reserve the next slot under ``key`` (``per_minute`` requests per minute, ``burst`` at
        once), sleep until it comes and return the seconds waited.

        The slot is reserved before the sleep: cancelling the wait does not give it back.
        """
        delay = await self._reserve(key, per_minute, burst, wait=True)
        if delay > 0:
            await asyncio.sleep(delay)
        return delay

    async def try_acquire(self, key: str, per_minute: float, *, burst: int = 1) -> float:
        """Take a slot if one is free now (return 0), else take nothing and return the seconds
        until one is."""
        return await self._reserve(key, per_minute, burst, wait=False)
