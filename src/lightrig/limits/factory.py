"""The rate limiters by name in one ``{name: lazy factory}`` registry: ``memory`` (this
process's limits, the default) and ``redis`` (limits shared by every process; chosen by
``settings.redis_url``'s scheme; the ``fleet`` extra, imported only then).

The names are :data:`lightrig.config.LIMITERS`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lightrig.config import LIMITER_BY_URL, Settings
from lightrig.extras import needs_extra
from lightrig.limits.base import RateLimiter
from lightrig.registry import choose

__all__ = ["LIMITER_FACTORIES", "LimiterFactory", "create_limiter", "limiter_name"]

#: Makes a rate limiter from the settings.
LimiterFactory = Callable[[Settings], RateLimiter]


def _memory(settings: Settings) -> RateLimiter:
    from lightrig.limits.memory import MemoryRateLimiter  # noqa: PLC0415 - by need

    return MemoryRateLimiter()


def _redis(settings: Settings) -> RateLimiter:
    if not settings.redis_url:
        raise ValueError("the redis rate limiter needs LIGHTRIG_REDIS_URL (redis://host:port/db)")
    with needs_extra("the redis rate limiter", "fleet"):
        from lightrig.limits.redis import RedisRateLimiter  # noqa: PLC0415 - the fleet extra

    return RedisRateLimiter(settings.redis_url)


#: Every rate limiter's factory, by name.
LIMITER_FACTORIES: Mapping[str, LimiterFactory] = {"memory": _memory, "redis": _redis}


def limiter_name(settings: Settings) -> str:
    """The name of the rate limiter the settings choose: ``memory`` without ``redis_url``, else
    the one its scheme names; :class:`ValueError` naming the accepted schemes for any other."""
    return LIMITER_BY_URL.name(settings.redis_url)


def create_limiter(settings: Settings) -> RateLimiter:
    """The rate limiter the settings choose (see :func:`limiter_name`);
    :class:`~lightrig.errors.MissingExtraError` when its extra is not installed. Nothing is
    contacted here: ``health()`` does that."""
    return choose("rate limiter", limiter_name(settings), LIMITER_FACTORIES)(settings)
