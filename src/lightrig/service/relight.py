"""Re-lighting a photograph: the photo made again by FIBO-Edit under a lighting setup.

The backend (an :class:`~lightrig.backends.base.ImageEditor`) captions the photo in FIBO's
structured form; the caption is re-lit (:func:`lightrig.fibo.edit.relight_instruction`: the
``lighting`` object and the sentences the light changes rewritten, the rest kept word for word,
and an ``edit_instruction`` saying the new light); the photo is stored beside the results and
the relight is recorded as a generation whose ``source`` is the photo, then run while the caller
waits or queued as a job, exactly as a generation is — checked against the setup, priced,
cached, resumed after a crash by collecting the host's job rather than sending it again.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PIL import Image, UnidentifiedImageError

from lightrig.backends.base import ASPECT_RATIOS, SourceImage
from lightrig.errors import (
    FieldError,
    InvalidLightingSetupError,
    InvalidStructuredPromptError,
    LightingGenerationError,
)
from lightrig.fibo.edit import relight_instruction, relight_words
from lightrig.models.gate import GatePolicy
from lightrig.models.scene import SceneRequest
from lightrig.records.record import GenerationRecord, StoredImage
from lightrig.service.adapters import Adapters
from lightrig.service.generate import Generating
from lightrig.service.retries import failure_text

__all__ = ["MAX_PHOTO_PIXELS", "PHOTO_TYPES", "Relighting", "photo_of"]

#: The photo formats hosts take as they are (PIL's format name → media type); others are sent
#: as PNG.
PHOTO_TYPES: dict[str, str] = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
#: The most pixels a photo to re-light may have (a 64-megapixel frame).
MAX_PHOTO_PIXELS = 64_000_000


def photo_of(data: bytes) -> SourceImage:
    """``data`` as a photo to edit: PNG, JPEG and WebP as they are, any other format PIL reads
    re-encoded as PNG. :class:`InvalidLightingSetupError` on field ``image`` for bytes that are
    no picture, or a picture of more than :data:`MAX_PHOTO_PIXELS`."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > MAX_PHOTO_PIXELS:
                raise InvalidLightingSetupError(
                    [
                        FieldError(
                            "image",
                            f"{width} × {height} pixels is more than the "
                            f"{MAX_PHOTO_PIXELS // 1_000_000} megapixels accepted",
                        )
                    ]
                )
            kind = PHOTO_TYPES.get(picture.format or "")
            if kind is not None:
                picture.verify()
                return SourceImage(data, kind, width, height)
            buffer = io.BytesIO()
            picture.convert("RGB").save(buffer, format="PNG")
            return SourceImage(buffer.getvalue(), "image/png", width, height)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, InvalidLightingSetupError):
            raise
        raise InvalidLightingSetupError(
            [FieldError("image", "not a picture PNG, JPEG, WebP or another common format")]
        ) from None


def nearest_aspect_ratio(width: int, height: int) -> str:
    """The aspect ratio of :data:`ASPECT_RATIOS` nearest a ``width`` × ``height`` frame (by
    the logarithm of width over height)."""
    target = math.log(width / height)

    def distance(ratio: str) -> float:
        w, h = (int(part) for part in ratio.split(":"))
        return abs(math.log(w / h) - target)

    return min(ASPECT_RATIOS, key=distance)


class Relighting:
    """Makes relights of photographs; ``generating`` records and runs them."""

    def __init__(self, parts: Adapters, generating: Generating) -> None:
        self.parts = parts
        self._generating = generating

    async def relight(
        self,
        image: bytes,
        lighting: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        steps: int | None = None,
        guidance_scale: float | None = None,
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationRecord:
        """``image`` re-lit to ``lighting`` (see
        :meth:`~lightrig.service.LightingGenerationService.relight_image`)."""
        scene = self._generating.scene(lighting)
        photo = photo_of(image)
        editor = self.parts.editor(backend)
        params = self._generating.params(
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            aspect_ratio=nearest_aspect_ratio(photo.width, photo.height),
            model=model,
        )
        self._generating.check_model(editor, params, edits=True)  # before the paid caption
        try:
            caption = await editor.caption(photo, relight_words(scene))
        except Exception as exc:
            raise LightingGenerationError(
                f"{editor.name} could not caption the photo: {failure_text(exc)}"
            ) from exc
        try:
            instruction = relight_instruction(caption, scene)
        except InvalidStructuredPromptError as exc:
            raise LightingGenerationError(
                f"{editor.name} captioned the photo in a form FIBO-Edit does not take: {exc}"
            ) from exc
        stored = await self.parts.storage.put(photo.data, photo.media_type)
        source = StoredImage(
            url=stored.url,
            key=stored.key,
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
        )
        draft = self._generating.draft(
            scene, params, user_id=user_id, backend=editor.name, prompt=instruction
        )
        return await self._generating.produce(
            replace(draft, source=source), background=background, gate=gate
        )
