"""Many processes, one budget: services that share a Redis rate limiter keep together to the
image host's requests per minute, where services with limiters of their own each spend the
whole budget and provoke 429s. (Two services with separate clients stand for two processes.)"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from lightrig.config import Settings
from lightrig.limits.base import RateLimiter
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.limits.redis import RedisRateLimiter
from lightrig.models.generation import GenerationResponse
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.testing.mock_bria import MockBriaServer
from tests.services import redis_prefix, require_redis

PER_MINUTE = 240  # 4 per second per endpoint, enforced over any 3 s window (12 in it): strict
# enough that two processes spending the budget each are caught at once, loose enough that a
# few tens of milliseconds of scheduling delay on a loaded machine do not count as overrun
EACH = 6  # generations per service


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(
        latency_s=0.3, image_size=64, requests_per_minute=PER_MINUTE, rate_window_s=3.0
    ) as server:
        yield server


def settings(tmp_path: Path, bria: MockBriaServer, name: str) -> Settings:
    return Settings(
        data_dir=tmp_path / name,
        backend="bria",
        bria_base_url=f"{bria.url}/v2",
        bria_api_token=SecretStr("test-token"),
        bria_requests_per_minute=PER_MINUTE,
        bria_poll_initial_s=0.2,
        bria_poll_max_s=0.3,
        retry_initial_s=0.05,
        retry_max_s=0.5,
        total_timeout_s=120.0,
    )


async def two_services(
    tmp_path: Path, bria: MockBriaServer, limiters: tuple[RateLimiter, RateLimiter]
) -> list[GenerationResponse]:
    requests = [PRESETS["loop"].request()] * EACH

    async def one(name: str, limiter: RateLimiter) -> list[GenerationResponse]:
        async with LightingGenerationService(
            settings(tmp_path, bria, name), limiter=limiter
        ) as service:
            return await service.batch_generate(requests, concurrency=EACH)

    first, second = await asyncio.gather(one("a", limiters[0]), one("b", limiters[1]))
    return first + second


def test_a_shared_redis_limiter_keeps_the_fleet_under_the_hosts_limit(
    tmp_path: Path, bria: MockBriaServer
) -> None:
    url = require_redis()
    prefix = redis_prefix()
    limiters = (RedisRateLimiter(url, prefix=prefix), RedisRateLimiter(url, prefix=prefix))
    results = asyncio.run(two_services(tmp_path, bria, limiters))
    assert [r.status.value for r in results] == ["success"] * (2 * EACH)
    assert bria.accepted == 2 * EACH
    assert bria.rejected_429 == 0


def test_limiters_of_their_own_overrun_the_host(tmp_path: Path, bria: MockBriaServer) -> None:
    """The control: the same load with a limiter per process makes the host answer 429."""
    limiters = (MemoryRateLimiter(), MemoryRateLimiter())
    results = asyncio.run(two_services(tmp_path, bria, limiters))
    assert bria.rejected_429 > 0
    assert all(r.status.value == "success" for r in results)  # retried after Retry-After
