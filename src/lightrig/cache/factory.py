"""The result caches by name in one ``{name: lazy factory}`` registry: ``memory`` (this
process's, the default) and ``redis`` (shared by every process; chosen by
``settings.redis_url``'s scheme; the ``fleet`` extra, imported only then).

The names are :data:`lightrig.config.CACHES`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lightrig.cache.base import Cache
from lightrig.config import CACHE_BY_URL, Settings
from lightrig.extras import needs_extra
from lightrig.registry import choose

__all__ = ["CACHE_FACTORIES", "CacheFactory", "cache_name", "create_cache"]

#: Makes a cache from the settings.
CacheFactory = Callable[[Settings], Cache]


def _memory(settings: Settings) -> Cache:
    from lightrig.cache.memory import MemoryCache  # noqa: PLC0415 - by need

    return MemoryCache()


def _redis(settings: Settings) -> Cache:
    if not settings.redis_url:
        raise ValueError("the redis cache needs LIGHTRIG_REDIS_URL (redis://host:port/db)")
    with needs_extra("the redis cache", "fleet"):
        from lightrig.cache.redis import RedisCache  # noqa: PLC0415 - redis: the fleet extra

    return RedisCache(settings.redis_url)


#: Every cache's factory, by name.
CACHE_FACTORIES: Mapping[str, CacheFactory] = {"memory": _memory, "redis": _redis}


def cache_name(settings: Settings) -> str:
    """The name of the cache the settings choose: ``memory`` without ``redis_url``, else the
    one its scheme names; :class:`ValueError` naming the accepted schemes for any other."""
    return CACHE_BY_URL.name(settings.redis_url)


def create_cache(settings: Settings) -> Cache:
    """The cache the settings choose (see :func:`cache_name`);
    :class:`~lightrig.errors.MissingExtraError` when its extra is not installed. Nothing is
    contacted here: ``health()`` does that."""
    return choose("cache", cache_name(settings), CACHE_FACTORIES)(settings)
