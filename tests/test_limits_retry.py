"""The rate limiter's spacing and the retry policy's waits."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from lightrig.backends.retry import RetryPolicy, never_sent, retry_after_seconds
from lightrig.limits.memory import MemoryRateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_are_spaced_evenly_and_keys_are_separate() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(safety=1.0, clock=clock)

    async def run() -> list[float]:
        waits = []
        for _ in range(4):
            waits.append(await limiter.try_acquire("bria:generate", 60))
            clock.now += 0.25
        waits.append(await limiter.try_acquire("bria:status", 60))
        return waits

    waits = asyncio.run(run())
    assert waits[0] == 0.0
    assert waits[1] == pytest.approx(0.75)  # one per second at 60 a minute
    assert waits[4] == 0.0  # another endpoint has its own budget


def test_never_more_than_the_limit_in_any_minute() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(safety=0.97, clock=clock)
    sent: list[float] = []

    async def run() -> None:
        for _ in range(300):
            wait = await limiter.try_acquire("k", 120)
            while wait > 0:
                clock.now += wait
                wait = await limiter.try_acquire("k", 120)
            sent.append(clock.now)

    asyncio.run(run())
    most = max(sum(1 for t in sent if start <= t < start + 60.0) for start in sent)
    assert most <= 120
    assert most >= 115  # and not much under it


def test_acquire_actually_waits() -> None:
    limiter = MemoryRateLimiter(safety=1.0)

    async def run() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(*(limiter.acquire("k", 600) for _ in range(4)))
        return loop.time() - start

    assert 0.28 <= asyncio.run(run()) < 1.0  # three gaps of 0.1 s


def test_retry_after_in_both_forms() -> None:
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "3"})) == 3.0
    dated = httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2026 07:28:10 GMT"})
    waited = retry_after_seconds(dated, now=1792567680.0)  # 10 s before that date
    assert waited == pytest.approx(10.0)
    assert retry_after_seconds(httpx.Response(429)) is None
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"})) is None


def test_backoff_grows_is_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(attempts=6, initial_s=0.5, max_s=4.0)
    assert [policy.backoff(n, lambda: 1.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert policy.backoff(3, lambda: 0.0) == 0.0
    asked = httpx.Response(429, headers={"Retry-After": "7"})
    assert 7.0 <= policy.wait(1, asked, lambda: 0.5) <= 7.5


def test_which_failures_mean_the_request_never_left() -> None:
    request = httpx.Request("POST", "http://x")
    assert never_sent(httpx.ConnectError("refused", request=request))
    assert never_sent(httpx.PoolTimeout("busy", request=request))
    assert not never_sent(httpx.ReadTimeout("slow", request=request))
    assert not never_sent(httpx.RemoteProtocolError("dropped", request=request))
