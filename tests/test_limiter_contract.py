"""The rate-limiter contract, run against every limiter of the registry: in memory and in Redis;
then how the settings choose one.

Checks count admissions rather than time them: the only wall-clock bounds are lower bounds (a
limiter may never let requests go faster than its rate; a slow machine only makes them slower).
Each Redis test has its own key prefix, and its keys are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from lightrig.config import LIMITERS, Settings
from lightrig.errors import InvalidSettingError
from lightrig.limits.base import RateLimiter
from lightrig.limits.factory import LIMITER_FACTORIES, create_limiter, limiter_name
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.limits.redis import RedisRateLimiter
from lightrig.registry import choose
from tests.services import redis_prefix, require_redis
from tests.test_cache_contract import delete_keys, redis_keys

SAFETY = 0.97


def interval(per_minute: float, safety: float = SAFETY) -> float:
    """Seconds between requests at ``per_minute`` with the default safety margin."""
    return 60.0 / (per_minute * safety)


@dataclass
class Kind:
    """One implementation under test."""

    name: str
    make: Callable[[], RateLimiter]
    #: the Redis URL and key prefix the limiter uses (``None`` in memory)
    redis: tuple[str, str] | None = None

    def run(self, body: Callable[[RateLimiter], Awaitable[None]]) -> None:
        async def main() -> None:
            limiter = self.make()
            try:
                await body(limiter)
            finally:
                await limiter.aclose()
                if self.redis is not None:
                    await delete_keys(*self.redis)

        asyncio.run(main())


def memory_kind() -> Kind:
    return Kind("memory", MemoryRateLimiter)


def redis_kind() -> Kind:
    """Limits on the test Redis under a key prefix of their own."""
    url = require_redis()
    prefix = redis_prefix()
    return Kind("redis", lambda: RedisRateLimiter(url, prefix=prefix), (url, prefix))


#: How the contract sets up each rate limiter of the registry (one registered without a set-up
#: here fails every contract test), and the settings that choose it.
SET_UPS: dict[str, Callable[[], Kind]] = {"memory": memory_kind, "redis": redis_kind}
CHOSEN_BY: dict[str, str | None] = {"memory": None, "redis": "redis://127.0.0.1:6379/5"}


@pytest.fixture(params=LIMITERS)
def kind(request: pytest.FixtureRequest) -> Kind:
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} rate limiter has no contract set-up in SET_UPS")
    return set_up()


def test_the_registry_holds_every_limiter_named_in_the_settings() -> None:
    assert tuple(LIMITER_FACTORIES) == LIMITERS
    assert LIMITERS[0] == "memory"  # the embedded default
    assert set(SET_UPS) == set(CHOSEN_BY) == set(LIMITERS)


@pytest.mark.parametrize("name", LIMITERS)
def test_the_settings_choose_each_limiter_and_the_factory_makes_what_the_contract_holds(
    name: str,
) -> None:
    settings = Settings(redis_url=CHOSEN_BY[name])
    assert limiter_name(settings) == name
    made, held = create_limiter(settings), SET_UPS[name]().make()
    try:
        assert type(made) is type(held)
    finally:
        asyncio.run(made.aclose())
        asyncio.run(held.aclose())


# ------------------------------------------------------------------------------- the contract
def test_the_limiter_is_a_rate_limiter(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        assert isinstance(limiter, RateLimiter)

    kind.run(body)


def test_without_a_burst_the_second_request_waits_one_interval(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        assert await limiter.try_acquire("k", 600) == 0.0
        assert 0 < await limiter.try_acquire("k", 600) <= 0.11

    kind.run(body)


def test_a_burst_goes_at_once_and_then_requests_are_spaced(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        waits = [await limiter.try_acquire("k", 600, burst=5) for _ in range(6)]
        assert waits[:5] == [0.0] * 5
        assert 0 < waits[5] <= 0.11

    kind.run(body)


@pytest.mark.parametrize("burst", [1, 2, 7])
def test_exactly_a_burst_is_admitted_at_once(kind: Kind, burst: int) -> None:
    async def body(limiter: RateLimiter) -> None:
        # one every ~10 s: nothing frees up while the test runs
        waits = await asyncio.gather(*(limiter.try_acquire("k", 6, burst=burst) for _ in range(20)))
        assert waits.count(0.0) == burst
        assert all(0 < wait <= interval(6) for wait in waits if wait)

    kind.run(body)


def test_a_refused_try_takes_nothing(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        assert await limiter.try_acquire("k", 6, burst=2) == 0.0
        assert await limiter.try_acquire("k", 6, burst=2) == 0.0
        refused = [await limiter.try_acquire("k", 6, burst=2) for _ in range(5)]
        # had the refusals reserved slots, each would wait ~10 s longer than the one before
        assert all(0 < wait <= interval(6) for wait in refused)
        assert max(refused) - min(refused) < 1.0
        assert refused == sorted(refused, reverse=True)  # time passes, nothing is added

    kind.run(body)


def test_acquire_reserves_slots_in_the_future_and_waits_for_them(kind: Kind) -> None:
    per_minute, burst = 600, 2
    gap = interval(per_minute)

    async def body(limiter: RateLimiter) -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        waited = await asyncio.gather(
            *(limiter.acquire("k", per_minute, burst=burst) for _ in range(5))
        )
        elapsed = loop.time() - start
        assert sorted(waited)[:2] == [0.0, 0.0]
        later = sorted(waited)[2:]
        assert all(0 < wait <= (n + 1) * gap for n, wait in enumerate(later))
        assert later == sorted(set(later))  # one slot each
        assert elapsed >= max(waited) - 0.01  # it did wait
        assert await limiter.try_acquire("k", per_minute, burst=burst) > 0  # budget used

    kind.run(body)


def test_the_long_run_rate_holds_whatever_the_burst(kind: Kind) -> None:
    per_minute, burst, admitted = 3000, 4, 30
    gap = interval(per_minute)  # ~21 ms

    async def body(limiter: RateLimiter) -> None:
        await limiter.health()  # connected (and the script loaded) before timing starts
        refusals = 0
        # each admission happened between the moment its call began and the one it returned
        began: list[float] = []
        returned: list[float] = []
        while len(returned) < admitted:
            before = time.monotonic()
            wait = await limiter.try_acquire("k", per_minute, burst=burst)
            if wait:
                refusals += 1
                await asyncio.sleep(wait)
            else:
                began.append(before)
                returned.append(time.monotonic())
        assert refusals > 0  # (not one per request: a late wake-up leaves budget to catch up)
        # GCRA: the n-th admission comes no sooner than (n - burst + 1) intervals after the
        # first (1 ms allowed for the limiter's clock ticking apart from this one)
        for n in range(burst, admitted):
            assert returned[n] - began[0] >= (n - burst + 1) * gap - 0.001, n

    kind.run(body)


def test_keys_have_separate_budgets(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        assert await limiter.try_acquire("bria:generate", 6) == 0.0
        assert await limiter.try_acquire("bria:generate", 6) > 0
        assert await limiter.try_acquire("bria:status", 6) == 0.0
        assert await limiter.try_acquire("api:user:42", 6, burst=3) == 0.0
        assert await limiter.acquire("api:user:43", 6) == 0.0

    kind.run(body)


@pytest.mark.parametrize(
    ("per_minute", "burst"),
    [(0, 1), (-5, 1), (math.nan, 1), (math.inf, 1), (60, 0), (60, -2), (60, 1.5), (60, True)],
)
def test_invalid_limits_are_refused(kind: Kind, per_minute: float, burst: int) -> None:
    async def body(limiter: RateLimiter) -> None:
        with pytest.raises(ValueError, match=r"per_minute|burst"):
            await limiter.try_acquire("k", per_minute, burst=burst)
        with pytest.raises(ValueError, match=r"per_minute|burst"):
            await limiter.acquire("k", per_minute, burst=burst)
        assert await limiter.try_acquire("k", 6) == 0.0  # nothing was taken

    kind.run(body)


def test_health_is_a_short_description_and_leaves_nothing(kind: Kind) -> None:
    async def body(limiter: RateLimiter) -> None:
        described = await limiter.health()
        assert described
        assert len(described) < 200
        if kind.redis is not None:
            assert described.startswith("redis ")
            assert await redis_keys(*kind.redis) == []
        assert await limiter.try_acquire("k", 6) == 0.0

    kind.run(body)


@pytest.mark.parametrize("safety", [0.0, -0.5, 1.01])
def test_safety_must_be_a_fraction(safety: float) -> None:
    with pytest.raises(ValueError, match="safety"):
        MemoryRateLimiter(safety=safety)
    with pytest.raises(ValueError, match="safety"):
        RedisRateLimiter("redis://127.0.0.1:6379/0", safety=safety)


# ------------------------------------------------------------------------------- Redis only
@pytest.fixture
def redis_url() -> str:
    return require_redis()


def test_redis_limiters_on_two_connections_share_one_budget(redis_url: str) -> None:
    """Two limiters, each in its own thread with its own event loop and connections, as two
    processes would be: together they admit exactly one burst."""
    prefix = redis_prefix()
    burst, tries = 5, 15
    start = threading.Barrier(2, timeout=30)
    results: list[list[float]] = []
    failures: list[BaseException] = []

    def worker() -> None:
        async def main() -> list[float]:
            limiter = RedisRateLimiter(redis_url, prefix=prefix)
            try:
                await limiter.health()  # connected before the race
                start.wait()
                return list(
                    await asyncio.gather(
                        *(
                            limiter.try_acquire("bria:generate", 6, burst=burst)
                            for _ in range(tries)
                        )
                    )
                )
            finally:
                await limiter.aclose()

        try:
            results.append(asyncio.run(main()))
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
            start.abort()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not failures, failures
        waits = results[0] + results[1]
        assert waits.count(0.0) == burst
        assert all(0 < wait <= interval(6) for wait in waits if wait)
    finally:
        asyncio.run(delete_keys(redis_url, prefix))


def test_redis_acquires_from_two_limiters_get_distinct_slots(redis_url: str) -> None:
    prefix = redis_prefix()
    gap = interval(600)

    async def main() -> None:
        first = RedisRateLimiter(redis_url, prefix=prefix)
        second = RedisRateLimiter(redis_url, prefix=prefix)
        try:
            waited = sorted(
                await asyncio.gather(
                    *(limiter.acquire("k", 600) for limiter in (first, second) * 3)
                )
            )
            assert waited[0] == 0.0
            # one slot each, an interval apart less the moments between the calls (the upper
            # bound allows for the interval being kept to the microsecond)
            steps = [later - earlier for earlier, later in itertools.pairwise(waited)]
            assert all(gap / 2 <= step <= gap + 2e-6 for step in steps), steps
        finally:
            await first.aclose()
            await second.aclose()
            await delete_keys(redis_url, prefix)

    asyncio.run(main())


def test_redis_keys_expire_once_the_budget_is_full_again(redis_url: str) -> None:
    prefix = redis_prefix()
    gap_ms = interval(600) * 1000

    async def main() -> None:
        limiter = RedisRateLimiter(redis_url, prefix=prefix)
        raw = RedisRateLimiter(redis_url, prefix=prefix)._client
        try:
            assert limiter.prefix == prefix
            for _ in range(3):
                assert await limiter.try_acquire("k", 600, burst=3) == 0.0
            # three requests pushed the key's time three intervals ahead: it lives that long
            assert 2 * gap_ms < await raw.pttl(prefix + "k") <= 3 * gap_ms + 2
            await asyncio.sleep(3 * gap_ms / 1000 + 0.1)
            assert await raw.exists(prefix + "k") == 0
            assert await limiter.try_acquire("k", 600, burst=3) == 0.0
        finally:
            await limiter.aclose()
            await raw.aclose()
            await delete_keys(redis_url, prefix)

    asyncio.run(main())


# ------------------------------------------------------------------------------- memory only
class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_memory_long_run_rate_with_a_burst_in_simulated_time() -> None:
    """Ten simulated minutes of a client that sends whenever it may: at most ``burst`` plus one
    per interval in any minute, and over the whole run the rate itself."""
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    per_minute, burst = 120, 10
    gap = interval(per_minute)
    sent: list[float] = []

    async def run() -> None:
        start = clock.now
        while clock.now < start + 600:
            wait = await limiter.try_acquire("k", per_minute, burst=burst)
            if wait:
                clock.now += wait
            else:
                sent.append(clock.now)

    asyncio.run(run())
    assert sent[:burst] == [100.0] * burst
    assert abs(len(sent) - (burst + 600 / gap)) <= 1  # the burst, then the rate (~1164)
    most = max(sum(1 for t in sent if begin <= t < begin + 60.0) for begin in sent)
    assert most <= burst + math.ceil(60 / gap)
    steady = sent[burst:]
    assert all(b - a == pytest.approx(gap) for a, b in itertools.pairwise(steady))


def test_memory_burst_of_one_is_the_even_spacing_of_old() -> None:
    """``burst=1``, given or not, spaces requests exactly ``60 / (per_minute × safety)`` apart,
    with no burst after a quiet spell (what the batch benchmark relies on)."""
    gap = interval(120)

    def sent_times(burst: int | None) -> list[float]:
        clock = FakeClock()
        limiter = MemoryRateLimiter(clock=clock)
        sent: list[float] = []

        async def run() -> None:
            for quiet in (0.0, 0.0, 0.0, 5.0, 0.0, 0.0):
                clock.now += quiet
                wait = await (
                    limiter.try_acquire("k", 120)
                    if burst is None
                    else limiter.try_acquire("k", 120, burst=burst)
                )
                while wait > 0:
                    clock.now += wait
                    wait = await limiter.try_acquire("k", 120)
                sent.append(clock.now)

        asyncio.run(run())
        return sent

    sent = sent_times(None)
    assert sent_times(1) == sent
    assert sent[:3] == pytest.approx([100.0, 100.0 + gap, 100.0 + 2 * gap])
    assert sent[3] == pytest.approx(100.0 + 2 * gap + 5.0)  # after a quiet spell: one at once
    assert sent[4] - sent[3] == pytest.approx(gap)


def test_memory_forgets_keys_whose_budget_is_full_again() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)

    async def run() -> None:
        for n in range(5000):
            await limiter.try_acquire(f"api:user:{n}", 60)
        assert await limiter.health() == "in-process rate limits, 5000 keys"
        clock.now += 10.0
        for n in range(5000, 13000):
            await limiter.try_acquire(f"api:user:{n}", 60)
        assert "13000 keys" not in await limiter.health()
        assert await limiter.try_acquire("api:user:12999", 60) > 0  # live keys are kept

    asyncio.run(run())


# ------------------------------------------------------------------------------- the factory
@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/5", "rediss://h:6380/0", "unix:///run/redis.sock?db=2"]
)
def test_every_redis_url_form_makes_a_redis_limiter(url: str) -> None:
    shared = create_limiter(Settings(redis_url=url))
    assert isinstance(shared, RedisRateLimiter)
    assert shared.prefix == "lightrig:limit:"
    asyncio.run(shared.aclose())


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "memory://", "memcached://u:hunter2@h"])
def test_an_unknown_scheme_is_one_line_naming_the_accepted_ones(url: str) -> None:
    scheme = url.split(":", maxsplit=1)[0]
    line = f"unsupported Redis URL scheme {scheme!r}; accepted: redis://, rediss://, unix://"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        Settings(redis_url=url)
    assert str(refused.value) == f"setting LIGHTRIG_REDIS_URL: {line}"
    assert "hunter2" not in str(refused.value)
    with pytest.raises(ValueError, match="scheme") as raised:  # the factory, unchecked settings
        create_limiter(Settings.model_construct(redis_url=url))
    assert str(raised.value) == line


def test_an_unknown_limiter_name_is_one_line_naming_the_limiters() -> None:
    with pytest.raises(ValueError, match=r"^unknown") as raised:
        choose("rate limiter", "token-bucket", LIMITER_FACTORIES)
    assert str(raised.value) == (
        f"unknown rate limiter 'token-bucket'; accepted: {', '.join(LIMITERS)}"
    )
