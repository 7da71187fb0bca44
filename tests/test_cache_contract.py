"""The cache contract, run against every cache of the registry: in memory and in Redis; then how
the settings choose one.

Each test runs its body in one event loop with a fresh cache, closed at the end; each Redis test
has its own key prefix, and its keys are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lightrig.cache.base import Cache
from lightrig.cache.factory import CACHE_FACTORIES, cache_name, create_cache
from lightrig.cache.memory import MemoryCache
from lightrig.cache.redis import RedisCache, describe_redis, open_redis
from lightrig.cli import main
from lightrig.config import CACHES, Settings
from lightrig.errors import DependencyUnavailableError, InvalidSettingError
from lightrig.registry import choose
from tests.services import redis_prefix, require_redis

TTL_S = 0.2


@dataclass
class Kind:
    """One implementation under test."""

    name: str
    make: Callable[[], Cache]
    #: the Redis URL and key prefix the cache uses (``None`` in memory)
    redis: tuple[str, str] | None = None

    def run(self, body: Callable[[Cache], Awaitable[None]]) -> None:
        async def main() -> None:
            cache = self.make()
            try:
                await body(cache)
            finally:
                await cache.aclose()
                if self.redis is not None:
                    await delete_keys(*self.redis)

        asyncio.run(main())


async def redis_keys(url: str, prefix: str) -> list[bytes]:
    client = open_redis(url)
    try:
        return [key async for key in client.scan_iter(match=prefix + "*")]
    finally:
        await client.aclose()


async def delete_keys(url: str, prefix: str) -> None:
    client = open_redis(url)
    try:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def memory_kind() -> Kind:
    return Kind("memory", MemoryCache)


def redis_kind() -> Kind:
    """A cache on the test Redis under a key prefix of its own."""
    url = require_redis()
    prefix = redis_prefix()
    return Kind("redis", lambda: RedisCache(url, prefix=prefix), (url, prefix))


#: How the contract sets up each cache of the registry (one registered without a set-up here
#: fails every contract test), and the settings that choose it.
SET_UPS: dict[str, Callable[[], Kind]] = {"memory": memory_kind, "redis": redis_kind}
CHOSEN_BY: dict[str, str | None] = {"memory": None, "redis": "redis://127.0.0.1:6379/5"}


@pytest.fixture(params=CACHES)
def kind(request: pytest.FixtureRequest) -> Kind:
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} cache has no contract set-up in SET_UPS")
    return set_up()


def test_the_registry_holds_every_cache_named_in_the_settings() -> None:
    assert tuple(CACHE_FACTORIES) == CACHES
    assert CACHES[0] == "memory"  # the embedded default
    assert set(SET_UPS) == set(CHOSEN_BY) == set(CACHES)


@pytest.mark.parametrize("name", CACHES)
def test_the_settings_choose_each_cache_and_the_factory_makes_what_the_contract_holds(
    name: str,
) -> None:
    settings = Settings(redis_url=CHOSEN_BY[name])
    assert cache_name(settings) == name
    made, held = create_cache(settings), SET_UPS[name]().make()
    try:
        assert type(made) is type(held)
    finally:
        asyncio.run(made.aclose())
        asyncio.run(held.aclose())


# ------------------------------------------------------------------------------- the contract
def test_the_cache_is_a_cache(kind: Kind) -> None:
    async def body(cache: Cache) -> None:
        assert isinstance(cache, Cache)

    kind.run(body)


def test_set_get_overwrite_delete(kind: Kind) -> None:
    async def body(cache: Cache) -> None:
        assert await cache.get("a") is None
        await cache.set("a", b"1")
        await cache.set("b", b"2")
        assert await cache.get("a") == b"1"
        await cache.set("a", b"one")
        assert await cache.get("a") == b"one"
        await cache.delete("a")
        assert await cache.get("a") is None
        assert await cache.get("b") == b"2"  # keys are independent
        await cache.delete("a")  # already gone: no error
        await cache.delete("never-set")

    kind.run(body)


def test_entries_expire_after_their_ttl(kind: Kind) -> None:
    async def body(cache: Cache) -> None:
        await cache.set("short", b"x", ttl_s=TTL_S)
        await cache.set("kept", b"y")
        await cache.set("renewed", b"z", ttl_s=TTL_S)
        await cache.set("renewed", b"z")  # set again with no TTL: kept for good
        await cache.set("long", b"w", ttl_s=60.0)
        assert await cache.get("short") == b"x"  # present right after setting
        await asyncio.sleep(3 * TTL_S)
        assert await cache.get("short") is None
        assert await cache.get("kept") == b"y"
        assert await cache.get("renewed") == b"z"
        assert await cache.get("long") == b"w"

    kind.run(body)


@pytest.mark.parametrize("ttl_s", [0.0, -1.0])
def test_a_ttl_of_zero_or_less_keeps_nothing(kind: Kind, ttl_s: float) -> None:
    async def body(cache: Cache) -> None:
        await cache.set("k", b"before")
        await cache.set("k", b"after", ttl_s=ttl_s)
        assert await cache.get("k") is None

    kind.run(body)


def test_a_ttl_shorter_than_a_millisecond_still_keeps_the_value_briefly(kind: Kind) -> None:
    async def body(cache: Cache) -> None:
        await cache.set("k", b"v", ttl_s=0.0001)
        await asyncio.sleep(3 * TTL_S)
        assert await cache.get("k") is None

    kind.run(body)


def test_binary_empty_and_large_values(kind: Kind) -> None:
    binary = bytes(range(256)) * 4
    large = os.urandom(8 * 1024 * 1024)

    async def body(cache: Cache) -> None:
        await cache.set("binary", binary)
        await cache.set("empty", b"")
        await cache.set("large", large, ttl_s=60.0)
        assert await cache.get("binary") == binary
        assert await cache.get("empty") == b""  # empty, not absent
        assert await cache.get("large") == large

    kind.run(body)


def test_keys_may_hold_any_characters(kind: Kind) -> None:
    keys = ["", "a b", "x:y:z", "ключ", "*", "[a-z]?", "line\nbreak", "k" * 1000]

    async def body(cache: Cache) -> None:
        for number, key in enumerate(keys):
            await cache.set(key, str(number).encode())
        for number, key in enumerate(keys):
            assert await cache.get(key) == str(number).encode(), key
        await cache.delete("*")  # not a pattern
        assert await cache.get("a b") == b"1"

    kind.run(body)


def test_health_is_a_short_description_and_leaves_nothing(kind: Kind) -> None:
    async def body(cache: Cache) -> None:
        await cache.set("k", b"v")
        described = await cache.health()
        assert described
        assert len(described) < 200
        assert await cache.get("k") == b"v"
        if kind.redis is not None:
            assert described.startswith("redis ")
            assert await redis_keys(*kind.redis) == [(kind.redis[1] + "k").encode()]

    kind.run(body)


# ------------------------------------------------------------------------------- Redis only
@pytest.fixture
def redis_url() -> str:
    return require_redis()


def test_redis_keys_live_under_the_prefix_with_millisecond_expiry(redis_url: str) -> None:
    prefix = redis_prefix()

    async def main() -> None:
        cache = RedisCache(redis_url, prefix=prefix)
        raw = open_redis(redis_url)
        try:
            assert cache.prefix == prefix
            await cache.set("k", b"v", ttl_s=2.5)
            await cache.set("forever", b"v")
            assert await raw.get(prefix + "k") == b"v"
            assert 0 < await raw.pttl(prefix + "k") <= 2500
            assert await raw.pttl(prefix + "forever") == -1  # no expiry
        finally:
            await cache.aclose()
            await raw.aclose()
            await delete_keys(redis_url, prefix)

    asyncio.run(main())


def test_redis_caches_with_one_prefix_share_entries(redis_url: str) -> None:
    prefix = redis_prefix()

    async def main() -> None:
        first = RedisCache(redis_url, prefix=prefix)
        second = RedisCache(redis_url, prefix=prefix)
        elsewhere = RedisCache(redis_url, prefix=redis_prefix())
        try:
            await first.set("k", b"shared")
            assert await second.get("k") == b"shared"
            assert await elsewhere.get("k") is None
            await second.delete("k")
            assert await first.get("k") is None
        finally:
            for cache in (first, second, elsewhere):
                await cache.aclose()
            await delete_keys(redis_url, prefix)

    asyncio.run(main())


def test_redis_health_names_the_server_but_never_the_password() -> None:
    async def main() -> None:
        client = open_redis("redis://lightrig:hunter2@db.example:6380/3")
        socket = open_redis("unix:///run/redis.sock?db=2&password=hunter2")
        try:
            assert describe_redis(client) == "redis db.example:6380/3"
            assert describe_redis(socket) == "redis /run/redis.sock/2"
        finally:
            await client.aclose()  # never connected: nothing is sent
            await socket.aclose()

    asyncio.run(main())


def test_redis_health_is_a_round_trip(redis_url: str) -> None:
    async def main() -> str:
        cache = RedisCache(redis_url, prefix=redis_prefix())
        try:
            return await cache.health()
        finally:
            await cache.aclose()

    assert asyncio.run(main()) == "redis " + redis_url.removeprefix("redis://")


def test_redis_health_fails_when_the_server_is_down() -> None:
    async def main() -> None:
        cache = RedisCache("redis://127.0.0.1:1/0")  # nothing listens on port 1
        try:
            with pytest.raises(DependencyUnavailableError, match="LIGHTRIG_REDIS_URL"):
                await cache.health()
        finally:
            await cache.aclose()

    asyncio.run(main())


def test_redis_urls_that_decode_responses_are_refused() -> None:
    with pytest.raises(ValueError, match="decode_responses"):
        RedisCache("redis://127.0.0.1:6379/0?decode_responses=True")


# ------------------------------------------------------------------------------- memory only
def test_memory_cache_expires_evicts_and_counts() -> None:
    now = [0.0]
    cache = MemoryCache(max_entries=2, clock=lambda: now[0])

    async def run() -> None:
        await cache.set("a", b"1", ttl_s=10)
        await cache.set("b", b"2")
        assert await cache.get("a") == b"1"
        await cache.set("c", b"3")  # evicts b, the least recently used
        assert await cache.get("b") is None
        now[0] = 11.0
        assert await cache.get("a") is None  # expired
        assert await cache.get("c") == b"3"
        assert await cache.health() == "in-process cache, 1 of 2 entries"

    asyncio.run(run())
    assert (cache.hits, cache.misses) == (2, 2)
    with pytest.raises(ValueError, match="max_entries"):
        MemoryCache(max_entries=0)


# ------------------------------------------------------------------------------- the factory
@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/5", "rediss://h:6380/0", "unix:///run/redis.sock?db=2"]
)
def test_every_redis_url_form_makes_a_redis_cache(url: str) -> None:
    shared = create_cache(Settings(redis_url=url))
    assert isinstance(shared, RedisCache)
    assert shared.prefix == "lightrig:cache:"
    asyncio.run(shared.aclose())


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "memory://", "memcached://u:hunter2@h"])
def test_an_unknown_scheme_is_one_line_naming_the_accepted_ones(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme = url.split(":", maxsplit=1)[0]
    line = f"unsupported Redis URL scheme {scheme!r}; accepted: redis://, rediss://, unix://"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        Settings(redis_url=url)
    assert str(refused.value) == f"setting LIGHTRIG_REDIS_URL: {line}"
    assert "hunter2" not in str(refused.value)
    with pytest.raises(ValueError, match="scheme") as raised:  # the factory, unchecked settings
        create_cache(Settings.model_construct(redis_url=url))
    assert str(raised.value) == line
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))  # the command line
    monkeypatch.setenv("LIGHTRIG_REDIS_URL", url)
    with pytest.raises(SystemExit) as exited:
        main(["history", "list"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"lightrig: error: setting LIGHTRIG_REDIS_URL: {line}\n"


def test_an_unknown_cache_name_is_one_line_naming_the_caches() -> None:
    with pytest.raises(ValueError, match=r"^unknown") as raised:
        choose("cache", "memcached", CACHE_FACTORIES)
    assert str(raised.value) == f"unknown cache 'memcached'; accepted: {', '.join(CACHES)}"
