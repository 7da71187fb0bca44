"""Photo edits (:class:`~lightrig.backends.base.ImageEditor`) through every backend that edits
here: Bria and fal against their mock hosts over real HTTP, and the preview. The contract: an
edit is checked before anything is sent, submitted once, resumable, retried and failed as a
generation is, and its picture renders the light the structured instruction asks for on the
subject it describes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from lightrig.backends.base import GenerationParams, ImageEditor
from lightrig.backends.bria import BriaBackend
from lightrig.backends.fal import FalBackend
from lightrig.backends.hosted import HostedBackend
from lightrig.backends.preview import PreviewBackend
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError, InvalidLightingSetupError
from lightrig.fibo.instruction import EDIT_INSTRUCTION, caption_of, scene_of
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.render.preview import PreviewRenderer
from lightrig.testing.image_host import ImageHostServer
from lightrig.testing.mock_bria import MockBriaServer
from lightrig.testing.mock_fal import MockFalServer
from tests.editing_fixtures import EDIT_WORDS, instruction, photo

SIZE = 48
PARAMS = GenerationParams(seed=41, steps=30, guidance_scale=4.0)


@dataclass
class Host:
    """A mock host and the backend settings that point at it."""

    name: str
    server: ImageHostServer
    settings: Settings

    def backend(self) -> HostedBackend:
        if self.name == "bria":
            return BriaBackend(self.settings, MemoryRateLimiter())
        return FalBackend(self.settings, MemoryRateLimiter())


_COMMON: dict[str, Any] = {
    "request_timeout_s": 1.0,
    "total_timeout_s": 10.0,
    "retry_initial_s": 0.05,
    "retry_max_s": 0.2,
}


@pytest.fixture(params=["bria", "fal"])
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    if request.param == "bria":
        with MockBriaServer(latency_s=0.15, image_size=SIZE, timeout_sleep_s=2.0) as bria:
            settings = Settings(
                bria_base_url=f"{bria.url}/v2",
                bria_api_token=SecretStr("test-token"),
                bria_poll_initial_s=0.05,
                bria_poll_max_s=0.2,
                bria_requests_per_minute=6000,
                **_COMMON,
            )
            yield Host("bria", bria, settings)
    else:
        with MockFalServer(latency_s=0.15, image_size=SIZE, timeout_sleep_s=2.0) as fal:
            settings = Settings(
                fal_base_url=fal.url,
                fal_key=SecretStr("test-key"),
                fal_poll_initial_s=0.05,
                fal_poll_max_s=0.2,
                fal_requests_per_minute=6000,
                **_COMMON,
            )
            yield Host("fal", fal, settings)


def _run(host: Host, work: Any) -> Any:
    async def run() -> Any:
        backend = host.backend()
        try:
            return await work(backend)
        finally:
            await backend.aclose()

    return asyncio.run(run())


def test_hosted_backends_are_editors(host: Host) -> None:
    backend = host.backend()
    assert isinstance(backend, ImageEditor)
    assert backend.edits
    asyncio.run(backend.aclose())


def test_an_edit_renders_the_light_asked_for_on_the_subject_described(host: Host) -> None:
    asked = instruction()
    made = _run(host, lambda b: b.edit(photo(), asked, PARAMS))
    assert (made.width, made.height) == (SIZE, SIZE)
    assert made.request_id
    assert made.seed == PARAMS.seed
    assert made.structured_prompt == asked
    assert made.possible_duplicates == 0
    expected = PreviewRenderer().render(scene_of(asked), SIZE).png()
    assert made.data == expected  # the mock drew the relit setup on the dark-skinned subject
    assert host.server.accepted == 1
    sent = host.server.submissions[0]
    assert "aspect_ratio" not in sent
    assert sent["seed"] == PARAMS.seed
    assert sent["steps_num"] == 30
    assert sent["guidance_scale"] == 4
    if host.name == "bria":
        assert sent["images"][0].startswith("data:image/png;base64,")
        assert isinstance(sent["structured_instruction"], str)  # a JSON string, as Bria wants
        assert json.loads(sent["structured_instruction"]) == asked
    else:
        assert sent["image_url"].startswith("data:image/png;base64,")
        assert sent["structured_instruction"] == asked  # an object, as fal wants


def test_an_edit_is_resumed_by_collecting_never_by_submitting_again(host: Host) -> None:
    submission = _run(host, lambda b: b.submit_edit(photo(), instruction(), PARAMS))
    assert host.server.accepted == 1
    made = _run(host, lambda b: b.collect_edit(submission.request_id, PARAMS))
    assert made.request_id == submission.request_id
    assert (made.width, made.height) == (SIZE, SIZE)
    assert host.server.accepted == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda i: {k: v for k, v in i.items() if k != EDIT_INSTRUCTION}, EDIT_INSTRUCTION),
        (lambda i: {k: v for k, v in i.items() if k != "lighting"}, "lighting"),
        (lambda i: "a sentence", "structured_instruction"),
    ],
)
def test_bad_instructions_are_refused_before_sending(host: Host, change: Any, field: str) -> None:
    with pytest.raises(InvalidLightingSetupError) as caught:
        _run(host, lambda b: b.edit(photo(), change(instruction()), PARAMS))
    assert field in str(caught.value)
    assert host.server.accepted == 0
    assert host.server.requests_by_endpoint["edit"] == 0


def test_a_bad_photo_or_seed_is_refused_before_sending(host: Host) -> None:
    gif = replace(photo(), media_type="image/gif")
    with pytest.raises(InvalidLightingSetupError, match="image: must be one of image/png"):
        _run(host, lambda b: b.edit(gif, instruction(), PARAMS))
    with pytest.raises(InvalidLightingSetupError, match="seed"):
        _run(host, lambda b: b.edit(photo(), instruction(), GenerationParams(seed=-1)))
    assert host.server.requests_by_endpoint["edit"] == 0


def test_a_429_on_an_edit_is_retried(host: Host) -> None:
    host.server.script("edit", "429", "429")
    backend = host.backend()

    async def run() -> Any:
        try:
            return await backend.edit(photo(), instruction(), PARAMS), backend.retries_seen
        finally:
            await backend.aclose()

    made, retried = asyncio.run(run())
    assert made.width == SIZE
    assert host.server.accepted == 1
    assert retried.get("429") == 2


def test_a_5xx_on_an_edit_is_not_sent_again_unless_allowed(host: Host) -> None:
    host.server.script("edit", "5xx")
    with pytest.raises(FIBOGenerationError) as caught:
        _run(host, lambda b: b.edit(photo(), instruction(), PARAMS))
    assert "may have accepted" in str(caught.value)
    assert host.server.requests_by_endpoint["edit"] == 1
    host.server.script("edit", "5xx")
    host.settings = host.settings.model_copy(update={f"{host.name}_resubmit_unknown": True})
    made = _run(host, lambda b: b.edit(photo(), instruction(), PARAMS))
    assert made.possible_duplicates == 1  # counted: the 5xx left acceptance unknown
    assert host.server.accepted == 1


def test_an_edit_accepted_then_unanswered_ends_as_an_error_saying_so(host: Host) -> None:
    host.server.script("edit", "accept_5xx")
    with pytest.raises(FIBOGenerationError) as caught:
        _run(host, lambda b: b.edit(photo(), instruction(), PARAMS))
    assert "may have accepted" in str(caught.value)
    assert host.server.accepted == 1  # sent once: never re-submitted on its own


def test_an_edit_the_host_fails_is_an_error_naming_its_job(host: Host) -> None:
    host.server.script("edit", "error")
    with pytest.raises(FIBOGenerationError) as caught:
        _run(host, lambda b: b.edit(photo(), instruction(), PARAMS))
    assert "on purpose" in str(caught.value)  # the host's own failure, passed on
    assert not caught.value.retryable
    assert host.server.accepted == 1


def test_the_mock_refuses_what_the_host_documents_as_bad(host: Host) -> None:
    if host.name == "bria":
        url, headers = f"{host.server.url}/v2/image/edit", {"api_token": "test-token"}
        body: dict[str, Any] = {
            "images": ["data:image/png;base64,bm90IGFuIGltYWdl"],
            "structured_instruction": {"lighting": {}},
            "seed": "7",
        }
    else:
        url, headers = f"{host.server.url}/bria/fibo-edit/edit", {"Authorization": "Key test-key"}
        body = {
            "image_url": "data:image/png;base64,bm90IGFuIGltYWdl",
            "structured_instruction": "{}",
            "seed": "7",
        }
    answer = httpx.post(url, json=body, headers=headers, timeout=5.0)
    assert answer.status_code == 422
    text = answer.text
    assert "not a PNG, JPEG or WebP image" in text
    assert "structured_instruction" in text
    assert "seed" in text
    assert host.server.accepted == 0


def test_a_host_without_an_edit_endpoint_says_it_cannot_edit(host: Host) -> None:
    if host.name == "bria":  # Bria's API always has its edit endpoint
        assert host.backend().edit_url().endswith("/v2/image/edit")
        return
    host.settings = host.settings.model_copy(update={"fal_edit_model": ""})
    backend = host.backend()
    assert not backend.edits
    with pytest.raises(FIBOGenerationError, match="cannot edit photos"):
        asyncio.run(backend.edit(photo(), instruction(), PARAMS))
    asyncio.run(backend.aclose())


# --- the preview -------------------------------------------------------------------------------


def test_the_preview_edits_with_no_host() -> None:
    preview = PreviewBackend(supersample=1)
    assert isinstance(preview, ImageEditor)
    assert preview.edits
    asked = instruction()
    made = asyncio.run(preview.edit(photo(), asked, replace(PARAMS, size=SIZE)))
    assert (made.width, made.height) == (SIZE, SIZE)
    renderer = PreviewRenderer()
    expected = renderer.render(scene_of(asked), SIZE, antialias=True, coarse_backdrop=True).png()
    assert made.data == expected
    with pytest.raises(InvalidLightingSetupError, match=EDIT_INSTRUCTION):
        asyncio.run(preview.edit(photo(), caption_of(asked), PARAMS))


def test_the_preview_captions_with_lightrig_s_own_reading() -> None:
    caption = asyncio.run(PreviewBackend().caption(photo(), EDIT_WORDS))
    assert caption[EDIT_INSTRUCTION] == EDIT_WORDS
    assert list(caption_of(caption))[:4] == [
        "short_description",
        "objects",
        "background_setting",
        "lighting",
    ]
    scene = scene_of(caption)  # the caption reads back as a setup: its light is the photo's
    assert "key" in scene.lighting_setup
    with pytest.raises(InvalidLightingSetupError, match="instruction"):
        asyncio.run(PreviewBackend().caption(photo(), " "))


def test_fal_captions_with_lightrig_s_own_reading(host: Host) -> None:
    caption = _run(host, lambda b: b.caption(photo(), EDIT_WORDS))
    assert caption[EDIT_INSTRUCTION] == EDIT_WORDS
    assert "key" in scene_of(caption).lighting_setup
    if host.name == "bria":  # Bria's caption is its host's
        assert host.server.requests_by_endpoint["structured_instruction"] == 1
    else:  # fal has no caption endpoint: nothing was sent
        assert sum(host.server.requests_by_endpoint.values()) == 0
