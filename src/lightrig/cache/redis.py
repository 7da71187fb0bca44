"""A cache shared by every process: bytes in Redis under a key prefix, with millisecond expiry.

Also the helpers the Redis-backed parts of lightrig share: :func:`open_redis` (a client with
timeouts), :func:`describe_redis` (where a client points, without its password) and
:func:`reaching_redis` (a Redis that cannot be reached becomes one
:class:`~lightrig.errors.DependencyUnavailableError` naming the setting).
"""

from __future__ import annotations

import contextlib
import math
import secrets
from collections.abc import Iterator
from typing import cast

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from lightrig.errors import DependencyUnavailableError

__all__ = [
    "COMMAND_TIMEOUT_S",
    "CONNECT_TIMEOUT_S",
    "REDIS_SETTING",
    "RedisCache",
    "describe_redis",
    "open_redis",
    "reaching_redis",
]

#: The setting that names the Redis of the cache and the rate limits.
REDIS_SETTING = "LIGHTRIG_REDIS_URL"

#: Seconds to wait for a connection to Redis.
CONNECT_TIMEOUT_S = 5.0
#: Seconds to wait for an answer to one command.
COMMAND_TIMEOUT_S = 5.0
#: Seconds an idle connection may sit before it is checked with a PING on next use.
_HEALTH_CHECK_INTERVAL_S = 30


def open_redis(url: str) -> Redis:
    """A client for ``redis://[user:password@]host:port/db`` (also ``rediss://``, ``unix://``)
    that answers bytes, with connect and command timeouts (URL options override them).

    Connections are made lazily, in the event loop that first uses the client: use one client
    within one event loop, and close it with ``aclose``.
    """
    client = Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT_S,
        socket_timeout=COMMAND_TIMEOUT_S,
        health_check_interval=_HEALTH_CHECK_INTERVAL_S,
    )
    if client.connection_pool.connection_kwargs.get("decode_responses"):
        raise ValueError("the Redis URL must not set decode_responses: lightrig stores bytes")
    return client


def describe_redis(client: Redis) -> str:
    """``redis host:port/db`` (or ``redis /socket/path/db``) — never the password."""
    options = client.connection_pool.connection_kwargs
    where = options.get("path") or f"{options.get('host', 'localhost')}:{options.get('port', 6379)}"
    return f"redis {where}/{options.get('db', 0)}"


@contextlib.contextmanager
def reaching_redis(
    client: Redis, setting: str = REDIS_SETTING, service: str = "Redis"
) -> Iterator[None]:
    """Redis unreachable, refusing, or not answering in time (redis-py's connection and
    timeout errors, or the operating system's) inside the block becomes a
    :class:`~lightrig.errors.DependencyUnavailableError` naming ``setting``, where Redis is
    (never its password) and why; any other error passes unchanged."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
        where = describe_redis(client).removeprefix("redis ")
        raise DependencyUnavailableError.from_exception(
            setting, exc, where=where, service=service
        ) from exc


class RedisCache:
    """Bytes under ``<prefix><key>`` in Redis, shared by every process that uses the server.

    A Redis that cannot be reached is a :class:`~lightrig.errors.DependencyUnavailableError`
    (a ``ConnectionError``) naming ``LIGHTRIG_REDIS_URL``.
    """

    def __init__(self, url: str, *, prefix: str = "lightrig:cache:") -> None:
        """``url`` as for :func:`open_redis`; every key is stored under ``prefix``."""
        self._client = open_redis(url)
        self._prefix = prefix

    @property
    def prefix(self) -> str:
        """What every key is stored under."""
        return self._prefix

    async def get(self, key: str) -> bytes | None:
        """The value under ``key``, or ``None`` when absent or expired."""
        with reaching_redis(self._client, service="the cache"):
            return cast("bytes | None", await self._client.get(self._prefix + key))

    async def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        """Keep ``value`` under ``key`` for ``ttl_s`` seconds (kept to the millisecond, rounded
        up; forever when ``None``; 0 or less keeps nothing, and forgets what was there)."""
        name = self._prefix + key
        with reaching_redis(self._client, service="the cache"):
            if ttl_s is None:
                await self._client.set(name, value)
            elif ttl_s <= 0:
                await self._client.delete(name)
            else:
                await self._client.set(name, value, px=max(1, math.ceil(ttl_s * 1000)))

    async def delete(self, key: str) -> None:
        """Forget ``key`` (no error when it is absent)."""
        with reaching_redis(self._client, service="the cache"):
            await self._client.delete(self._prefix + key)

    async def health(self) -> str:
        """Store, read back and remove a probe (three round trips); return where Redis is."""
        name = f"{self._prefix}health:{secrets.token_hex(8)}"
        probe = secrets.token_bytes(16)
        with reaching_redis(self._client, service="the cache"):
            await self._client.set(name, probe, px=10_000)
            try:
                found = await self._client.get(name)
            finally:
                await self._client.delete(name)
        if found != probe:
            raise OSError("the cache probe read back differently")
        return describe_redis(self._client)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()
