"""Photo edits on the local diffusers backend: FIBO-Edit (``BriaFiboEditPipeline``) loaded from
``LIGHTRIG_DIFFUSERS_EDIT_MODEL``, one pipeline in memory at a time, and relights through the
service with it.

Like ``tests/test_diffusers_backend.py``, the pipelines are tiny and randomly initialised (FIBO's
component classes at toy sizes), saved with ``save_pretrained`` and loaded back through the
backend's own loading path: nothing is downloaded, and the pictures are noise — what is checked
is that the photo, the instruction and the seed reach the model, the shape, and the refusals.
"""

from __future__ import annotations

import asyncio
import gc
import io
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from lightrig import LightingGenerationService
from lightrig.backends.base import GenerationParams, ImageEditor, SourceImage
from lightrig.backends.diffusers_backend import DiffusersBackend
from lightrig.backends.diffusers_placement import EDIT_PIPELINE_CLASS
from lightrig.backends.editing import read_caption
from lightrig.config import DEFAULT_NEGATIVE_PROMPT, Settings
from lightrig.errors import FIBOGenerationError, InvalidLightingSetupError
from lightrig.fibo.instruction import EDIT_INSTRUCTION, caption_of
from lightrig.models.generation import GenerationStatus
from lightrig.presets import PRESETS
from tests.editing_fixtures import EDIT_WORDS, instruction, photo
from tests.test_diffusers_backend import build_tiny_fibo, decode_png, scene

PARAMS = GenerationParams(seed=41, steps=2, size=64)


@pytest.fixture(scope="module")
def tiny_fibo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_fibo(tmp_path_factory.mktemp("fibo") / "tiny-fibo")


@pytest.fixture(scope="module")
def tiny_edit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fibo-edit") / "tiny-fibo-edit"
    return build_tiny_fibo(folder, EDIT_PIPELINE_CLASS)


def settings_for(edit_model: str | Path, model: str | Path = "/never-loaded") -> Settings:
    return Settings(
        diffusers_model=str(model),
        diffusers_edit_model=str(edit_model),
        diffusers_device="cpu",
        diffusers_dtype="float32",
    )


def run(backend: DiffusersBackend, work: Any) -> Any:
    async def go() -> Any:
        try:
            return await work
        finally:
            await backend.aclose()

    return asyncio.run(go())


def cropped(source: SourceImage, width: int, height: int) -> SourceImage:
    """``source``'s top-left ``width`` × ``height`` pixels, as a PNG photo."""
    with Image.open(io.BytesIO(source.data)) as picture:
        buffer = io.BytesIO()
        picture.crop((0, 0, width, height)).save(buffer, format="PNG")
    return SourceImage(buffer.getvalue(), "image/png", width, height)


# --- without FIBO-Edit --------------------------------------------------------------------------


def test_without_the_setting_nothing_edits(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for("", tiny_fibo))
    assert isinstance(backend, ImageEditor)
    assert not backend.edits
    for work in (
        backend.caption(photo(), EDIT_WORDS),
        backend.edit(photo(), instruction(), PARAMS),
        backend.load(edit=True),
    ):
        with pytest.raises(FIBOGenerationError) as caught:
            asyncio.run(work)
        assert str(caught.value) == (
            "the diffusers backend cannot edit photos: LIGHTRIG_DIFFUSERS_EDIT_MODEL is not set"
        )
        assert not caught.value.retryable
    assert not backend.loaded
    health = asyncio.run(backend.health())
    assert health.status == "healthy", health.detail  # generations run all the same
    assert "photo edits are off (LIGHTRIG_DIFFUSERS_EDIT_MODEL is not set)" in health.detail
    assert health.extra["edit_model"] is None


def test_a_bad_edit_is_refused_in_one_line_before_loading(tmp_path: Path) -> None:
    backend = DiffusersBackend(settings_for(tmp_path / "never-read"))
    assert backend.edits
    with pytest.raises(InvalidLightingSetupError) as caught:
        asyncio.run(backend.edit(photo(), caption_of(instruction()), PARAMS))
    message = str(caught.value)
    assert "\n" not in message
    assert [e.loc for e in caught.value.errors] == ["structured_instruction.edit_instruction"]
    with pytest.raises(InvalidLightingSetupError) as caught:
        asyncio.run(backend.edit(photo(), instruction(), replace(PARAMS, seed=-1, size=8)))
    assert [e.loc for e in caught.value.errors] == ["seed", "size"]
    assert "\n" not in str(caught.value)
    assert "size: must be 16–4096 pixels, got 8" in str(caught.value)
    no_picture = SourceImage(b"not a picture", "image/png", 160, 160)
    with pytest.raises(InvalidLightingSetupError) as caught:
        asyncio.run(backend.edit(no_picture, instruction(), PARAMS))
    assert [e.loc for e in caught.value.errors] == ["image"]
    assert not backend.loaded


def test_the_caption_is_lightrig_s_reading_of_the_photo(tmp_path: Path) -> None:
    backend = DiffusersBackend(settings_for(tmp_path / "never-read"))
    caption = asyncio.run(backend.caption(photo(), EDIT_WORDS))
    assert caption == asyncio.run(read_caption(photo(), EDIT_WORDS))
    assert caption[EDIT_INSTRUCTION] == EDIT_WORDS
    assert caption["lighting"]  # the light lightrig read on the photo, compiled
    assert not backend.loaded  # no model captions here


# --- a tiny random BriaFiboEditPipeline --------------------------------------------------------


def test_an_edit_is_a_png_of_the_photo_s_shape(tiny_edit: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_edit))
    asked = instruction()
    made = run(backend, backend.edit(photo(), asked, PARAMS))
    assert (made.media_type, made.seed, made.width, made.height) == ("image/png", 41, 64, 64)
    picture = decode_png(made.data)
    assert picture.size == (64, 64)
    lo, hi = picture.convert("L").getextrema()
    assert hi > lo  # a picture, not a flat fill
    assert made.structured_prompt == asked
    # a wide photo gives a wide picture, whatever the aspect ratio asked (the photo's is kept)
    wide = cropped(photo(), 160, 96)
    backend = DiffusersBackend(settings_for(tiny_edit))
    made = run(backend, backend.edit(wide, asked, replace(PARAMS, aspect_ratio="9:16")))
    assert (made.width, made.height) == (64, 32)
    assert decode_png(made.data).size == (64, 32)


def test_the_seed_the_photo_and_the_instruction_decide_the_edit(tiny_edit: Path) -> None:
    asked = instruction()
    other_words = {**asked, EDIT_INSTRUCTION: "make the light warmer"}
    negative = replace(PARAMS, negative_prompt=dict(DEFAULT_NEGATIVE_PROMPT))
    other_photo = cropped(photo(), 128, 128)
    backend = DiffusersBackend(settings_for(tiny_edit))

    async def edits() -> list[bytes]:
        made = [
            await backend.edit(photo(), asked, PARAMS),
            await backend.edit(photo(), asked, PARAMS),
            await backend.edit(photo(), asked, replace(PARAMS, seed=42)),
            await backend.edit(other_photo, asked, PARAMS),
            await backend.edit(photo(), other_words, PARAMS),
            await backend.edit(photo(), asked, negative),
        ]
        return [image.data for image in made]

    first, again, other_seed, from_other_photo, other_edit, with_negative = run(backend, edits())
    assert first == again
    assert len({first, other_seed, from_other_photo, other_edit, with_negative}) == 5


def test_one_pipeline_in_memory_at_a_time(
    tiny_fibo: Path, tiny_edit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diffusers

    prompt, request = scene()
    backend = DiffusersBackend(settings_for(tiny_edit, tiny_fibo))
    held: list[weakref.ref[Any]] = []
    alive_while_loading: list[bool] = []
    load_edit = diffusers.BriaFiboEditPipeline.from_pretrained

    def spy(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        alive_while_loading.append(any(ref() is not None for ref in held))
        return load_edit(*args, **kwargs)

    monkeypatch.setattr(diffusers.BriaFiboEditPipeline, "from_pretrained", spy)

    async def swap() -> tuple[bytes, bytes, bytes]:
        generated = await backend.generate(prompt, request, PARAMS)
        assert type(backend.pipeline).__name__ == "BriaFiboPipeline"
        held.append(weakref.ref(backend.pipeline))
        edited = await backend.edit(photo(), instruction(), PARAMS)
        assert type(backend.pipeline).__name__ == "BriaFiboEditPipeline"
        health = await backend.health()
        assert health.extra["loaded_pipeline"] == "BriaFiboEditPipeline"
        assert "FIBO-Edit pipeline loaded" in health.detail
        again = await backend.generate(prompt, request, PARAMS)
        assert type(backend.pipeline).__name__ == "BriaFiboPipeline"
        return generated.data, edited.data, again.data

    generated, edited, again = run(backend, swap())
    # FIBO's pipeline was gone before FIBO-Edit's began to load
    assert alive_while_loading == [False]
    assert generated == again  # swapping changes nothing the pipelines make
    alone = DiffusersBackend(settings_for(tiny_edit))
    assert edited == run(alone, alone.edit(photo(), instruction(), PARAMS)).data


def test_a_fibo_folder_is_not_fibo_edit(tiny_fibo: Path) -> None:
    backend = DiffusersBackend(settings_for(tiny_fibo, tiny_fibo))
    with pytest.raises(FIBOGenerationError) as caught:
        asyncio.run(backend.edit(photo(), instruction(), PARAMS))
    assert str(caught.value) == (
        f"cannot load the FIBO-Edit pipeline from {str(tiny_fibo)!r}: "
        "it holds a BriaFiboPipeline, not a BriaFiboEditPipeline"
    )
    assert not caught.value.retryable
    health = asyncio.run(backend.health())
    assert health.status == "degraded"  # FIBO still generates
    assert "photo edits will fail: cannot load the FIBO-Edit pipeline" in health.detail


def test_health_says_fibo_edit_is_ready(tiny_fibo: Path, tiny_edit: Path) -> None:
    health = asyncio.run(DiffusersBackend(settings_for(tiny_edit, tiny_fibo)).health())
    assert health.status == "healthy", health.detail
    assert f"FIBO-Edit ready to load from {str(tiny_edit)!r}" in health.detail
    assert health.extra["edit_model"] == str(tiny_edit)
    assert health.extra["loaded"] is False


# --- relights through the service ---------------------------------------------------------------


def test_the_service_relights_a_photo_on_diffusers(tmp_path: Path, tiny_edit: Path) -> None:
    rendered = photo()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(rendered.data)).save(buffer, format="JPEG", quality=92)
    photo_bytes = buffer.getvalue()
    settings = settings_for(tiny_edit).model_copy(update={"data_dir": tmp_path, "preview_size": 64})

    async def go() -> None:
        async with LightingGenerationService(settings) as service:
            result = await service.relight_image(
                photo_bytes, PRESETS["split"].request(), backend="diffusers", seed=5, steps=2
            )
            assert result.status is GenerationStatus.SUCCESS, result.error
            assert result.backend == "diffusers"
            assert result.source is not None
            assert result.structured_prompt is not None
            assert "split" in result.structured_prompt[EDIT_INSTRUCTION].lower()
            assert result.image_key is not None
            assert (result.width, result.height) == (64, 64)
            assert decode_png(await service.storage.get(result.image_key)).size == (64, 64)
            assert await service.storage.get(result.source.key) == photo_bytes

        off = settings.model_copy(update={"diffusers_edit_model": ""})
        async with LightingGenerationService(off) as service:
            with pytest.raises(InvalidLightingSetupError) as caught:
                await service.relight_image(
                    photo_bytes, PRESETS["split"].request(), backend="diffusers"
                )
            assert str(caught.value) == (
                "backend: diffusers cannot edit photographs: relighting needs a backend with "
                "FIBO-Edit (preview, bria or fal; diffusers once LIGHTRIG_DIFFUSERS_EDIT_MODEL "
                "is set)"
            )

    asyncio.run(go())
