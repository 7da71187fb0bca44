"""The Bria backend against the mock Bria server, over real HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from pydantic import SecretStr

from lightrig.backends.base import GenerationParams
from lightrig.backends.bria import BriaBackend
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.presets import PRESETS
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.models.generation import GenerationStatus
from lightrig.service import LightingGenerationService
from lightrig.testing.mock_bria import MockBriaServer
from tests.test_service import seed_request

REQUEST = PRESETS["loop"].request()
PROMPT = compile_prompt(REQUEST)


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(latency_s=0.15, image_size=64, timeout_sleep_s=2.0) as server:
        yield server


def settings_for(server: MockBriaServer, tmp_path: Path | None = None, **values: Any) -> Settings:
    base: dict[str, Any] = {
        "backend": "bria",
        "bria_base_url": f"{server.url}/v2",
        "bria_api_token": SecretStr("test-token"),
        "bria_poll_initial_s": 0.1,
        "bria_poll_max_s": 0.3,
        "bria_requests_per_minute": 6000,
        "request_timeout_s": 1.0,
        "total_timeout_s": 10.0,
        "retry_initial_s": 0.05,
        "retry_max_s": 0.2,
    }
    if tmp_path is not None:
        base["data_dir"] = tmp_path
    base.update(values)
    return Settings(**base)


def generate(settings: Settings, seed: int = 5, prompt: dict[str, Any] | None = None) -> Any:
    async def run() -> Any:
        backend = BriaBackend(settings, MemoryRateLimiter())
        try:
            return await backend.generate(prompt or PROMPT, REQUEST, GenerationParams(seed=seed))
        finally:
            await backend.aclose()

    return asyncio.run(run())


def test_async_submit_then_polling(bria: MockBriaServer) -> None:
    image = generate(settings_for(bria), seed=77)
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.size == (64, 64)
    assert image.seed == 77
    assert image.request_id
    assert image.structured_prompt == PROMPT
    assert bria.accepted == 1
    sent = bria.submissions[0]
    assert isinstance(sent["structured_prompt"], str)  # a JSON string, as Bria wants
    assert json.loads(sent["structured_prompt"]) == PROMPT
    assert sent["model_version"] == "FIBO"
    assert "negative_prompt" not in sent


def test_parameters_are_sent_as_bria_names_them(bria: MockBriaServer) -> None:
    async def run() -> None:
        backend = BriaBackend(settings_for(bria), MemoryRateLimiter())
        params = GenerationParams(
            seed=9,
            steps=30,
            guidance_scale=4.0,
            aspect_ratio="4:5",
            negative_prompt={"style_medium": "digital illustration"},
        )
        try:
            await backend.generate(PROMPT, REQUEST, params)
        finally:
            await backend.aclose()

    asyncio.run(run())
    sent = bria.submissions[0]
    assert (sent["seed"], sent["steps_num"], sent["guidance_scale"]) == (9, 30, 4)
    assert sent["aspect_ratio"] == "4:5"
    assert json.loads(sent["negative_prompt"]) == {"style_medium": "digital illustration"}


def test_sync_mode_answers_inline(bria: MockBriaServer) -> None:
    image = generate(settings_for(bria, bria_sync=True))
    assert image.width == 64
    assert bria.requests_by_endpoint.get("status", 0) == 0


def test_a_refused_token_is_a_clear_error_and_not_retried(bria: MockBriaServer) -> None:
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(bria, bria_api_token=SecretStr("wrong")))
    assert caught.value.status_code == 401
    assert not caught.value.retryable
    assert "bria answered 401 (the API key or token was refused)" in str(caught.value)
    assert "wrong" not in str(caught.value)
    assert bria.requests_by_endpoint["generate"] == 1


def test_an_invalid_prompt_is_refused_with_the_field(bria: MockBriaServer) -> None:
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(bria), prompt={"short_description": "a cat"})
    assert caught.value.status_code == 422
    assert "structured_prompt" in str(caught.value)
    assert bria.accepted == 0


def test_429_waits_as_asked_then_succeeds(bria: MockBriaServer) -> None:
    bria.script("generate", "429")
    start = time.monotonic()
    generate(settings_for(bria))
    assert time.monotonic() - start >= 1.0  # the mock asks for Retry-After: 1
    assert bria.rejected_429 == 1
    assert bria.accepted == 1


def test_5xx_then_success_submits_once(bria: MockBriaServer) -> None:
    bria.script("generate", "5xx", "5xx")
    bria.script("status", "5xx")
    generate(settings_for(bria))
    assert bria.accepted == 1
    assert bria.requests_by_endpoint["generate"] == 3


def test_giving_up_after_too_many_5xx(bria: MockBriaServer) -> None:
    bria.script("generate", *["5xx"] * 3)
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(bria, retry_attempts=3))
    assert caught.value.retryable
    assert "answered 503 on all 3 tries" in str(caught.value)


def test_a_timed_out_submit_is_never_sent_twice(bria: MockBriaServer) -> None:
    bria.script("generate", "timeout")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(bria, request_timeout_s=0.5))
    assert "may have accepted the generation" in str(caught.value)
    assert not caught.value.retryable
    assert bria.requests_by_endpoint["generate"] == 1
    assert bria.accepted == 1  # Bria took it: exactly one charge, no duplicate


def test_a_dropped_connection_on_submit_is_not_resent(bria: MockBriaServer) -> None:
    bria.script("generate", "drop")
    with pytest.raises(FIBOGenerationError, match="may have accepted the generation"):
        generate(settings_for(bria))
    assert bria.requests_by_endpoint["generate"] == 1


def test_an_unreadable_submit_answer_is_not_resent(bria: MockBriaServer) -> None:
    bria.script("generate", "malformed")
    with pytest.raises(FIBOGenerationError, match="answer was unreadable"):
        generate(settings_for(bria))
    assert bria.requests_by_endpoint["generate"] == 1


def test_polls_survive_timeouts_drops_and_garbage(bria: MockBriaServer) -> None:
    bria.script("status", "timeout", "drop", "malformed", "429")
    image = generate(settings_for(bria, request_timeout_s=0.5))
    assert image.width == 64
    assert bria.accepted == 1


def test_an_error_status_is_reported(bria: MockBriaServer) -> None:
    bria.script("generate", "error")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(bria))
    assert "Bria could not generate request" in str(caught.value)
    assert caught.value.request_id


def test_the_total_timeout_is_kept(bria: MockBriaServer) -> None:
    bria.latency_s = 5.0
    start = time.monotonic()
    with pytest.raises(FIBOGenerationError, match="did not finish within 1 s"):
        generate(settings_for(bria, total_timeout_s=1.0))
    assert time.monotonic() - start < 2.5


def test_concurrent_generations_keep_to_the_rate_limit(bria: MockBriaServer) -> None:
    bria.requests_per_minute = 240  # 4 a second per endpoint
    settings = settings_for(bria, bria_requests_per_minute=240)

    async def run() -> float:
        backend = BriaBackend(settings, MemoryRateLimiter())
        start = time.monotonic()
        try:
            await asyncio.gather(
                *(backend.generate(PROMPT, REQUEST, GenerationParams(seed=s)) for s in range(6))
            )
        finally:
            await backend.aclose()
        return time.monotonic() - start

    elapsed = asyncio.run(run())
    assert bria.rejected_429 == 0
    assert bria.accepted == 6
    assert elapsed >= 5 * 60 / 240 * 0.97  # six submits spaced a quarter second apart


def test_unknown_and_failed_statuses() -> None:
    def handler(status: str) -> httpx.MockTransport:
        def respond(request: httpx.Request) -> httpx.Response:
            if request.method == "POST":
                return httpx.Response(
                    202, json={"request_id": "r1", "status_url": "http://bria/v2/status/r1"}
                )
            return httpx.Response(200, json={"request_id": "r1", "status": status})

        return httpx.MockTransport(respond)

    settings = Settings(
        bria_base_url="http://bria/v2",
        bria_api_token=SecretStr("t"),
        bria_poll_initial_s=0.01,
    )
    for status, message in (
        ("UNKNOWN", "does not know request r1"),
        ("FAILED", "could not generate"),
    ):

        async def run(status: str = status) -> None:
            backend = BriaBackend(settings, None, transport=handler(status))
            try:
                await backend.generate(PROMPT, REQUEST, GenerationParams(seed=1))
            finally:
                await backend.aclose()

        with pytest.raises(FIBOGenerationError, match=message):
            asyncio.run(run())


def test_the_token_goes_to_bria_only() -> None:
    seen: list[httpx.Request] = []
    picture = io.BytesIO()
    Image.new("RGB", (4, 4)).save(picture, "PNG")

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "bria":
            return httpx.Response(
                200,
                json={"request_id": "r", "result": {"image_url": "http://cdn/x.png", "seed": 1}},
            )
        return httpx.Response(
            200, content=picture.getvalue(), headers={"content-type": "image/png"}
        )

    settings = Settings(
        bria_base_url="http://bria/v2", bria_api_token=SecretStr("secret"), bria_sync=True
    )

    async def run() -> None:
        backend = BriaBackend(settings, None, transport=httpx.MockTransport(respond))
        try:
            await backend.generate(PROMPT, REQUEST, GenerationParams(seed=1))
        finally:
            await backend.aclose()

    asyncio.run(run())
    assert seen[0].headers["api_token"] == "secret"
    assert "api_token" not in seen[1].headers
    assert seen[1].url.host == "cdn"


def test_health_probes_for_real(bria: MockBriaServer) -> None:
    async def run(settings: Settings) -> Any:
        backend = BriaBackend(settings, MemoryRateLimiter())
        try:
            return await backend.health()
        finally:
            await backend.aclose()

    assert asyncio.run(run(settings_for(bria))).status == "healthy"
    refused = asyncio.run(run(settings_for(bria, bria_api_token=SecretStr("nope"))))
    assert refused.status == "unhealthy"
    assert "401" in refused.detail
    gone = settings_for(bria)
    bria.stop()
    assert asyncio.run(run(gone)).status == "unhealthy"


def test_seed_usage_example_against_the_mock_bria(bria: MockBriaServer, tmp_path: Path) -> None:
    async def run() -> None:
        service = LightingGenerationService(settings_for(bria, tmp_path))
        result = await service.generate_from_lighting_setup(seed_request(), user_id="user123")
        assert result.status == "success"
        assert result.image_url is not None
        assert result.backend == "bria"
        assert result.cost_usd == pytest.approx(0.03)
        assert result.backend_request_id is not None
        health = await service.health_check()
        assert health.status == "healthy"
        results = await service.batch_generate([seed_request(), seed_request()])
        assert len(results) == 2
        assert all(r.status in ["success", "error"] for r in results)
        await service.close()

    asyncio.run(run())
    assert bria.accepted == 3


def test_a_batch_with_faults_loses_nothing_and_says_why(
    bria: MockBriaServer, tmp_path: Path
) -> None:
    bria.script("generate", "error", "5xx", "timeout", "drop")
    bria.script("status", "429", "malformed")

    async def run() -> list[Any]:
        async with LightingGenerationService(
            settings_for(bria, tmp_path, request_timeout_s=0.5)
        ) as service:
            requests = [PRESETS[name].request() for name in list(PRESETS)[:8]]
            return await service.batch_generate(requests, seed=3, concurrency=1)

    results = asyncio.run(run())
    assert len(results) == 8
    failed = [r for r in results if r.status is GenerationStatus.ERROR]
    assert {r.status for r in results} == {GenerationStatus.SUCCESS, GenerationStatus.ERROR}
    reasons = " | ".join(r.error or "" for r in failed)
    assert "could not generate" in reasons  # the job that ended in ERROR
    assert "may have accepted the generation" in reasons  # the timeout and the drop
    assert len(failed) == 3
    assert all(r.image_url for r in results if r.status is GenerationStatus.SUCCESS)
