"""Rate limits shared by every process and machine: the GCRA of :mod:`lightrig.limits.memory`,
kept in Redis and decided by one Lua script.

The script reads the clock of the Redis server (``TIME``), not the caller's, so machines whose
clocks disagree still share one timeline; and a script runs atomically, so any number of
processes reserving slots under one key never exceed its budget together. A key's state is
dropped (``PX``) as soon as its budget is back to full, when it carries no information.
"""

from __future__ import annotations

import math
import secrets

from lightrig.cache.redis import describe_redis, open_redis, reaching_redis
from lightrig.limits.base import SlotReserver, check_limit

__all__ = ["RedisRateLimiter"]

# KEYS[1]  the key's theoretical arrival time (TAT): microseconds on Redis's clock
# ARGV[1]  interval between requests, whole microseconds
# ARGV[2]  burst tolerance, microseconds: (burst - 1) x interval
# ARGV[3]  "1": reserve the next slot even if it is in the future (acquire);
#          "0": reserve only a slot that is free now (try_acquire)
# returns  microseconds until the slot; it was reserved if ARGV[3] is "1" or the answer is 0
_GCRA = """
if redis.replicate_commands then redis.replicate_commands() end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local delay = tat - tolerance - now
if delay < 0 then delay = 0 end
if delay > 0 and ARGV[3] == '0' then return delay end
local after = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.ceil((after - now) / 1000))
return delay
"""


class RedisRateLimiter(SlotReserver):
    """Rate limits in Redis: one budget per key for every process that uses the server.

    ``safety`` (0–1) scales every rate down (``per_minute × safety``) to absorb network jitter.
    Keys are stored under ``prefix``. A Redis that cannot be reached is a
    :class:`~lightrig.errors.DependencyUnavailableError` naming ``LIGHTRIG_REDIS_URL``.
    """

    def __init__(self, url: str, *, prefix: str = "lightrig:limit:", safety: float = 0.97) -> None:
        """``url`` is ``redis://[user:password@]host:port/db`` (or ``rediss://``, ``unix://``)."""
        if not 0.0 < safety <= 1.0:
            raise ValueError("safety must be in (0, 1]")
        self._safety = safety
        self._prefix = prefix
        self._client = open_redis(url)
        # EVALSHA, loading the script again when the server has forgotten it (NOSCRIPT)
        self._script = self._client.register_script(_GCRA)

    @property
    def prefix(self) -> str:
        """What every key is stored under."""
        return self._prefix

    async def _reserve(self, key: str, per_minute: float, burst: int, *, wait: bool) -> float:
        check_limit(per_minute, burst)
        # rounded up to whole microseconds: never faster than the rate
        interval_us = math.ceil(60_000_000 / (per_minute * self._safety))
        with reaching_redis(self._client, service="the rate limits"):
            delay_us = await self._script(
                keys=[self._prefix + key],
                args=[interval_us, (burst - 1) * interval_us, 1 if wait else 0],
            )
        return int(delay_us) / 1_000_000

    async def health(self) -> str:
        """Run the limiter's script on a probe key and remove it; return where Redis is."""
        probe = f"health:{secrets.token_hex(8)}"
        try:
            if await self._reserve(probe, 60.0, 1, wait=False) != 0:
                raise OSError("a fresh rate-limit key was not free")
        finally:
            with reaching_redis(self._client, service="the rate limits"):
                await self._client.delete(self._prefix + probe)
        return describe_redis(self._client)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()
