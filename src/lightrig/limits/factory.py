"""The rate limiter ``settings`` name: Redis when ``redis_url`` is set (limits shared by every
process), else this process's memory."""

from __future__ import annotations

from lightrig.config import Settings
from lightrig.limits.base import RateLimiter
from lightrig.limits.memory import MemoryRateLimiter

__all__ = ["create_limiter"]


def create_limiter(settings: Settings) -> RateLimiter:
    """A :class:`RedisRateLimiter` at ``settings.redis_url`` when it is set, else a
    :class:`MemoryRateLimiter`. Nothing is contacted here: ``health()`` does that."""
    if settings.redis_url:
        from lightrig.limits.redis import RedisRateLimiter  # noqa: PLC0415 - the fleet extra

        return RedisRateLimiter(settings.redis_url)
    return MemoryRateLimiter()
