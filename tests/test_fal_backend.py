"""The fal.ai backend against the mock fal server, over real HTTP: what is fal's own — the
prompt as an object, the queue's URLs under the app path, the result fetched after the status,
``X-Fal-Retryable``. What every hosted backend keeps is ``test_hosted_contract.py``."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from pydantic import SecretStr

from lightrig.backends.base import GenerationParams
from lightrig.backends.fal import FalBackend
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import compile_prompt
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.presets import PRESETS
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


def test_transient_failures_are_retried(fal: MockFalServer) -> None:
    fal.script("submit", "429")
    fal.script("status", "5xx", "malformed")
    fal.script("result", "5xx", "drop", "malformed")
    image = generate(settings_for(fal))
    assert image.width == 48
    assert fal.accepted == 1
    assert fal.requests_by_endpoint["result"] == 4


def test_the_queue_is_followed_under_the_app_path_from_the_id_alone(fal: MockFalServer) -> None:
    image = generate(settings_for(fal))
    assert image.request_id in fal.job_ids
    # every status and result request went to /bria/fibo/requests/{id}: the mock serves no
    # other route for them (the model's /generate path is not part of it)
    assert fal.requests_by_endpoint["status"] >= 1
    assert fal.requests_by_endpoint["result"] == 1


def test_a_5xx_fal_marks_not_retryable_is_never_sent_again() -> None:
    sent: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(503, json={"detail": "down"}, headers={"X-Fal-Retryable": "false"})

    settings = Settings(fal_key=SecretStr("k"), fal_base_url="http://fal", retry_initial_s=0.0)
    settings = settings.model_copy(update={"fal_resubmit_unknown": True})

    async def run() -> None:
        backend = FalBackend(settings, None, transport=httpx.MockTransport(respond))
        try:
            await backend.generate(PROMPT, REQUEST, GenerationParams(seed=1))
        finally:
            await backend.aclose()

    with pytest.raises(FIBOGenerationError, match="may have accepted the generation") as caught:
        asyncio.run(run())
    assert len(sent) == 1  # even with re-sending allowed: fal said not to
    assert caught.value.possible_duplicates == 0


def test_a_backend_needs_its_credentials() -> None:
    with pytest.raises(FIBOGenerationError, match="LIGHTRIG_FAL_KEY"):
        FalBackend(Settings(fal_key=None), None)
