"""The result cache ``settings`` name: Redis when ``redis_url`` is set, else this process's
memory."""

from __future__ import annotations

from lightrig.cache.base import Cache
from lightrig.cache.memory import MemoryCache
from lightrig.config import Settings

__all__ = ["create_cache"]


def create_cache(settings: Settings) -> Cache:
    """A :class:`RedisCache` at ``settings.redis_url`` when it is set, else a
    :class:`MemoryCache`. Nothing is contacted here: ``health()`` does that."""
    if settings.redis_url:
        from lightrig.cache.redis import RedisCache  # noqa: PLC0415 - redis: the fleet extra

        return RedisCache(settings.redis_url)
    return MemoryCache()
