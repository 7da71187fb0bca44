"""Bria's own parts of photo editing, against the mock Bria server over real HTTP: the caption
(``/v2/structured_instruction/generate``, inline or polled) and the preset relight
(``/v2/image/edit/relight``). The edit itself is ``test_editor_contract.py``'s."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lightrig.backends.base import GenerationParams
from lightrig.backends.bria import BriaBackend
from lightrig.errors import FIBOGenerationError, InvalidLightingSetupError
from lightrig.fibo.instruction import EDIT_INSTRUCTION, caption_of
from lightrig.fibo.relight import nearest_relight_preset
from lightrig.fibo.schema import validate_prompt
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.testing.mock_bria import MockBriaServer
from tests.editing_fixtures import EDIT_WORDS, RELIT, photo
from tests.test_bria_backend import settings_for

PARAMS = GenerationParams(seed=9)


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(latency_s=0.15, image_size=48, timeout_sleep_s=2.0) as server:
        yield server


def _run(server: MockBriaServer, work: Any, **settings: Any) -> Any:
    async def run() -> Any:
        backend = BriaBackend(settings_for(server, **settings), MemoryRateLimiter())
        try:
            return await work(backend)
        finally:
            await backend.aclose()

    return asyncio.run(run())


@pytest.mark.parametrize("sync", [False, True])
def test_the_caption_is_bria_s_structured_instruction(bria: MockBriaServer, sync: bool) -> None:
    caption = _run(bria, lambda b: b.caption(photo(), EDIT_WORDS), bria_sync=sync)
    assert caption[EDIT_INSTRUCTION] == EDIT_WORDS
    validate_prompt(caption_of(caption), strict=False)
    sent = bria.submissions[0]
    assert sent["instruction"] == EDIT_WORDS
    assert sent["images"][0].startswith("data:image/png;base64,")
    assert sent["sync"] is sync
    assert (bria.requests_by_endpoint["status"] == 0) is sync


def test_a_caption_that_is_not_an_instruction_is_an_error(bria: MockBriaServer) -> None:
    bria.script("structured_instruction", "malformed")
    with pytest.raises(FIBOGenerationError):
        _run(bria, lambda b: b.caption(photo(), EDIT_WORDS))
    with pytest.raises(InvalidLightingSetupError, match="instruction"):
        _run(bria, lambda b: b.caption(photo(), ""))


def test_the_preset_relight_sends_bria_s_words(bria: MockBriaServer) -> None:
    preset = nearest_relight_preset(RELIT)
    made = _run(
        bria,
        lambda b: b.relight_preset(photo(), preset.light_type, preset.light_direction, PARAMS),
    )
    assert made.width == 48
    assert made.request_id
    sent = bria.submissions[0]
    assert sent["light_type"] == preset.light_type
    assert sent["light_direction"] == "side"
    assert sent["image"].startswith("data:image/png;base64,")
    assert bria.accepted == 1


def test_a_preset_bria_does_not_have_is_refused_before_sending(bria: MockBriaServer) -> None:
    with pytest.raises(InvalidLightingSetupError) as caught:
        _run(bria, lambda b: b.relight_preset(photo(), "golden hour", "left", PARAMS))
    assert "light_type: must be one of midday" in str(caught.value)
    assert "light_direction: must be one of front, side, bottom, top-down" in str(caught.value)
    assert bria.requests_by_endpoint["relight"] == 0


def test_the_mock_relight_validates_as_bria_documents(bria: MockBriaServer) -> None:
    answer = httpx.post(
        f"{bria.url}/v2/image/edit/relight",
        json={"image": "https://example.com/a.png", "light_type": "noon", "extra": 1},
        headers={"api_token": "test-token"},
        timeout=5.0,
    )
    assert answer.status_code == 422
    fields = {d["field"] for d in answer.json()["error"]["details"]}
    assert fields == {"light_type", "light_direction", "extra"}


def test_the_mock_times_out_a_synchronous_edit_as_bria_s_gateway_does(
    bria: MockBriaServer,
) -> None:
    body = {"images": ["https://example.com/a.png"], "instruction": "relight", "sync": True}
    answer = httpx.post(
        f"{bria.url}/v2/image/edit", json=body, headers={"api_token": "test-token"}, timeout=5.0
    )
    assert answer.status_code == 504
    assert json.loads(answer.text)["error"]["code"] == 504
