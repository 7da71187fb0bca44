"""Verification wired into the service: every generated image carries its adherence."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lightrig import LightingGenerationService, SceneRequest
from lightrig.backends.base import BackendHealth, BackendImage, GenerationParams
from lightrig.config import Settings
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.generation import GenerationResponse
from lightrig.presets import get_preset
from lightrig.render.preview import PreviewRenderer
from lightrig.verify.checker import ImageVerifier


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(data_dir=tmp_path, preview_size=160, **values)


def mirrored(request: SceneRequest) -> SceneRequest:
    """The same setup with every light moved to the other side of the camera axis."""
    data = request.model_dump(mode="json")
    for light in data["lighting_setup"].values():
        light["direction"] = None
        light["azimuth"] = -light["azimuth"]
    return SceneRequest.model_validate(data)


class MirroringBackend:
    """A host that gets the light backwards: it renders the mirror image of the setup."""

    name = "mirroring"

    def __init__(self) -> None:
        self.renderer = PreviewRenderer()

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        image = self.renderer.render(mirrored(request), params.size)
        return BackendImage(image.png(), "image/png", params.seed, params.size, params.size)

    async def health(self) -> BackendHealth:
        return BackendHealth("healthy", 1.0, "mirroring")

    async def aclose(self) -> None:
        return None


def test_a_preview_generation_follows_its_own_light_and_the_score_is_stored(
    tmp_path: Path,
) -> None:
    request = get_preset("loop").request()

    async def run() -> tuple[GenerationResponse, GenerationResponse, GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path)) as service:
            made = await service.generate_from_lighting_setup(request, seed=3)
            again = await service.generate_from_lighting_setup(request, seed=3)
            stored = await service.get_generation(made.generation_id)
            return made, again, stored

    made, again, stored = asyncio.run(run())
    assert made.adherence is not None
    assert made.adherence.overall is not None
    assert made.adherence.overall >= 0.8
    assert made.adherence.verdict == "follows the requested light"
    assert {score.attribute for score in made.adherence.scores} >= {"key_side", "colour"}
    assert stored.adherence == made.adherence  # kept in the metadata store
    assert again.cached
    assert again.adherence is not None
    assert again.adherence.overall == made.adherence.overall


def test_an_image_lit_from_the_wrong_side_is_flagged(tmp_path: Path) -> None:
    request = get_preset("rembrandt").request()  # key camera-left

    async def run() -> GenerationResponse:
        backend = MirroringBackend()
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            return await service.generate_from_lighting_setup(request, seed=1)

    result = asyncio.run(run())
    assert result.adherence is not None
    side = next(s for s in result.adherence.scores if s.attribute == "key_side")
    assert side.score == 0.0
    assert side.finding == "key came from camera-right, asked camera-left"
    assert result.adherence.verdict.startswith("does not follow the requested light")


def test_checking_can_be_switched_off(tmp_path: Path) -> None:
    async def run() -> GenerationResponse:
        async with LightingGenerationService(settings(tmp_path, verify_images=False)) as service:
            return await service.generate_from_lighting_setup(get_preset("loop").request())

    assert asyncio.run(run()).adherence is None


def test_an_image_too_small_to_read_says_so_instead_of_scoring() -> None:
    tiny = io.BytesIO()
    Image.new("RGB", (16, 16), (120, 90, 80)).save(tiny, "PNG")
    request = get_preset("loop").request()
    adherence = asyncio.run(ImageVerifier().adherence(tiny.getvalue(), request))
    assert adherence is not None
    assert adherence.overall is None
    assert adherence.verdict.startswith("cannot tell: ")
    assert "16 × 16 pixels" in adherence.verdict


def test_verify_image_reads_a_picture_and_refuses_bytes_that_are_not_one(tmp_path: Path) -> None:
    renderer = PreviewRenderer()
    asked = get_preset("loop").request()
    picture = renderer.render(asked, 192).png()

    async def run() -> Any:
        async with LightingGenerationService(settings(tmp_path)) as service:
            alone = await service.verify_image(picture)
            checked = await service.verify_image(picture, asked)
            with pytest.raises(InvalidLightingSetupError) as refused:
                await service.verify_image(b"GIF89a not really")
            return alone, checked, refused.value

    alone, checked, refused = asyncio.run(run())
    assert alone.adherence is None
    assert alone.estimate.subject.found
    assert checked.adherence is not None
    assert checked.adherence.overall >= 0.8
    assert [error.loc for error in refused.errors] == ["image"]
    assert isinstance(refused, ValueError)
