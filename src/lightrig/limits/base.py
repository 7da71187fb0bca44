"""The rate-limiter contract.

``acquire(key, per_minute)`` waits until one more request under ``key`` keeps the rate at or
below ``per_minute`` and then records it; ``try_acquire`` answers at once with how long to wait.
Keys name a budget: ``"bria:generate"``, ``"bria:status"``, ``"api:user:42"``...
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["RateLimiter"]


@runtime_checkable
class RateLimiter(Protocol):
    """Shares a requests-per-minute budget among everything that uses the same key."""

    async def acquire(self, key: str, per_minute: float) -> float:
        """Wait for a slot under ``key``; return the seconds waited."""
        ...

    async def try_acquire(self, key: str, per_minute: float) -> float:
        """Take a slot if one is free now and return 0, else return the seconds until one is."""
        ...

    async def aclose(self) -> None:
        """Release connections, if any."""
        ...
