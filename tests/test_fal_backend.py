"""The fal.ai backend against the mock fal server, over real HTTP."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from pydantic import SecretStr

from lightrig.backends.base import GenerationParams
from lightrig.backends.fal import FalBackend
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.presets import PRESETS
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.testing.mock_fal import MockFalServer

REQUEST = PRESETS["split"].request()
PROMPT = compile_prompt(REQUEST)


@pytest.fixture
def fal() -> Iterator[MockFalServer]:
    with MockFalServer(latency_s=0.2, image_size=48) as server:
        yield server


def settings_for(server: MockFalServer, **values: Any) -> Settings:
    base: dict[str, Any] = {
        "fal_base_url": server.url,
        "fal_key": SecretStr("test-key"),
        "fal_poll_initial_s": 0.05,
        "fal_poll_max_s": 0.2,
        "fal_requests_per_minute": 6000,
        "request_timeout_s": 1.0,
        "retry_initial_s": 0.05,
        "retry_max_s": 0.2,
    }
    base.update(values)
    return Settings(**base)


def generate(settings: Settings, prompt: dict[str, Any] | None = None) -> Any:
    async def run() -> Any:
        backend = FalBackend(settings, MemoryRateLimiter())
        try:
            return await backend.generate(prompt or PROMPT, REQUEST, GenerationParams(seed=21))
        finally:
            await backend.aclose()

    return asyncio.run(run())


def test_queue_status_result_and_download(fal: MockFalServer) -> None:
    image = generate(settings_for(fal))
    with Image.open(io.BytesIO(image.data)) as picture:
        assert picture.size == (48, 48)
    assert image.seed == 21
    assert image.structured_prompt == PROMPT
    assert fal.accepted == 1
    assert fal.submissions[0]["structured_prompt"] == PROMPT  # an object, as fal wants
    assert fal.requests_by_endpoint["status"] >= 1


def test_a_refused_key(fal: MockFalServer) -> None:
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(fal, fal_key=SecretStr("wrong")))
    assert caught.value.status_code == 401
    assert not caught.value.retryable


def test_validation_errors_name_the_field(fal: MockFalServer) -> None:
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(fal), prompt={"short_description": "a cat"})
    assert caught.value.status_code == 422
    assert "body.structured_prompt" in str(caught.value)


def test_transient_failures_are_retried(fal: MockFalServer) -> None:
    fal.script("submit", "5xx", "429")
    fal.script("status", "5xx", "malformed")
    fal.script("result", "5xx")
    image = generate(settings_for(fal))
    assert image.width == 48
    assert fal.accepted == 1


def test_a_failed_job_is_reported(fal: MockFalServer) -> None:
    fal.script("submit", "error")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(settings_for(fal))
    assert caught.value.status_code == 422


def test_health(fal: MockFalServer) -> None:
    async def run(settings: Settings) -> Any:
        backend = FalBackend(settings, None)
        try:
            return await backend.health()
        finally:
            await backend.aclose()

    assert asyncio.run(run(settings_for(fal))).status == "healthy"
    assert asyncio.run(run(settings_for(fal, fal_key=SecretStr("x")))).status == "unhealthy"


def test_a_backend_needs_its_credentials() -> None:
    with pytest.raises(FIBOGenerationError, match="LIGHTRIG_FAL_KEY"):
        FalBackend(Settings(fal_key=None), None)
