"""The Bria backend against the mock Bria server, over real HTTP: what is Bria's own — its wire
format, its synchronous mode, its per-endpoint limits, its statuses — and the service's records
of Bria's jobs. What every hosted backend keeps is ``test_hosted_contract.py``."""

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
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.models.generation import GenerationStatus
from lightrig.presets import PRESETS
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
            # out of Bria's ranges: steps clamped to 20–50, guidance to a whole 3–5
            await backend.generate(PROMPT, REQUEST, GenerationParams(seed=2, steps=5))
            await backend.generate(
                PROMPT, REQUEST, GenerationParams(seed=3, steps=90, guidance_scale=9.6)
            )
        finally:
            await backend.aclose()

    asyncio.run(run())
    sent = bria.submissions[0]
    assert (sent["seed"], sent["steps_num"], sent["guidance_scale"]) == (9, 30, 4)
    assert sent["aspect_ratio"] == "4:5"
    assert json.loads(sent["negative_prompt"]) == {"style_medium": "digital illustration"}
    assert [(s["steps_num"], s["guidance_scale"]) for s in bria.submissions[1:]] == [
        (20, 5),
        (50, 5),
    ]


def test_sync_mode_answers_inline(bria: MockBriaServer) -> None:
    image = generate(settings_for(bria, bria_sync=True))
    assert image.width == 64
    assert bria.requests_by_endpoint.get("status", 0) == 0
    assert not BriaBackend(settings_for(bria, bria_sync=True), None).resumable


def test_sync_mode_is_charged_once_too(bria: MockBriaServer) -> None:
    bria.script("generate", "accept_5xx")
    with pytest.raises(FIBOGenerationError, match="may have accepted the generation"):
        generate(settings_for(bria, bria_sync=True))
    assert bria.accepted == 1
    bria.script("generate", "accept_5xx")
    image = generate(settings_for(bria, bria_sync=True, bria_resubmit_unknown=True), seed=6)
    assert image.possible_duplicates == 1
    assert bria.accepted_by_seed[6] == 2


def test_the_backend_needs_its_token() -> None:
    with pytest.raises(FIBOGenerationError, match="set LIGHTRIG_BRIA_API_TOKEN"):
        BriaBackend(Settings(bria_api_token=None), None)


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
    bria.script("generate", "error", "5xx", "timeout", "drop", "429")
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
    assert reasons.count("may have accepted the generation") == 3  # the 5xx, timeout and drop
    assert len(failed) == 4  # the 429 was waited out
    assert all(r.image_url for r in results if r.status is GenerationStatus.SUCCESS)
    assert bria.accepted == 6  # 8 asked; the 5xx and the drop never reached a job


def test_records_note_and_price_every_possible_duplicate(
    bria: MockBriaServer, tmp_path: Path
) -> None:
    settings = settings_for(
        bria, tmp_path, verify_images=False, retry_attempts=3, bria_resubmit_unknown=True
    )

    async def run() -> list[Any]:
        async with LightingGenerationService(settings) as service:
            bria.script("generate", "accept_5xx", "drop")
            made = await service.generate_from_lighting_setup(REQUEST, seed=1)
            bria.script("generate", "accept_5xx", "accept_5xx", "accept_drop")
            with pytest.raises(FIBOGenerationError, match="after 3 tries"):
                await service.generate_from_lighting_setup(REQUEST, seed=2)
            return [made, *(await service.history(limit=2))]

    made, *stored = asyncio.run(run())
    failed = next(r for r in stored if r.status is GenerationStatus.ERROR)
    assert made.status is GenerationStatus.SUCCESS
    assert made.possible_duplicates == 2
    assert made.cost_usd == pytest.approx(0.03 * 3)
    assert failed.possible_duplicates == 2  # three submissions Bria may have billed
    assert failed.cost_usd == pytest.approx(0.03 * 3)
    assert failed.backend_request_id in bria.job_ids  # the last 502 named its job
    assert "may have accepted the generation" in (failed.error or "")
    assert bria.accepted_by_seed == {1: 2, 2: 3}
