"""What every image editor (:class:`~lightrig.backends.base.ImageEditor`) shares: the check on
an edit's input, the photo as a data URL, and lightrig's own caption of a photo.

:func:`check_caption_input` and :func:`check_edit_input` refuse what no editor can use, before
any work is done or paid for, with one line naming each field
(:class:`~lightrig.errors.InvalidLightingSetupError`, a ``ValueError``).

:func:`read_caption` is the caption for editors with no caption model (the preview, a local
pipeline, fal): lightrig reads the light on the photo's subject
(:func:`lightrig.verify.estimate_lighting`), matches a setup to it
(:func:`lightrig.verify.match.match_estimate`) and compiles that setup's ten keys
(:func:`lightrig.fibo.compile.compile_prompt`), with the edit in words as
``edit_instruction``. It describes the light lightrig reads and a generic subject ("a person"),
not the photo's scene, clothes or colours: a caption model sees those, this does not.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from lightrig.backends.base import MAX_SEED, MIN_SIDE, GenerationParams, SourceImage
from lightrig.errors import FIBOGenerationError, FieldError, InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.instruction import check_instruction, structured_instruction

__all__ = [
    "SOURCE_MEDIA_TYPES",
    "check_caption_input",
    "check_edit_input",
    "data_url",
    "not_editing",
    "read_caption",
]

#: The encodings a photo to edit may come in.
SOURCE_MEDIA_TYPES: tuple[str, ...] = ("image/png", "image/jpeg", "image/webp")


def data_url(image: SourceImage) -> str:
    """``image`` as a base64 ``data:`` URL, the form the hosts take a photo in."""
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def _source_problems(image: SourceImage) -> list[FieldError]:
    problems: list[FieldError] = []
    if image.media_type not in SOURCE_MEDIA_TYPES:
        problems.append(
            FieldError(
                "image",
                f"must be one of {', '.join(SOURCE_MEDIA_TYPES)}, got {image.media_type!r}",
            )
        )
    if not image.data:
        problems.append(FieldError("image", "is empty"))
    if min(image.width, image.height) < MIN_SIDE:
        problems.append(
            FieldError(
                "image",
                f"must be at least {MIN_SIDE} pixels a side, got {image.width} × {image.height}",
            )
        )
    return problems


def check_caption_input(image: SourceImage, instruction: str) -> None:
    """Refuse a photo no host takes, or an empty edit instruction."""
    problems = _source_problems(image)
    if not isinstance(instruction, str) or not instruction.strip():
        problems.append(
            FieldError(
                "instruction", f"must be a sentence saying what to change, got {instruction!r}"
            )
        )
    if problems:
        raise InvalidLightingSetupError(problems)


def check_edit_input(image: SourceImage, instruction: object, params: GenerationParams) -> None:
    """Refuse a photo no host takes, a structured instruction that is not one
    (:func:`lightrig.fibo.instruction.check_instruction`) or a seed outside 0 – 2³¹−1."""
    problems = _source_problems(image) + check_instruction(instruction)
    if not 0 <= params.seed <= MAX_SEED:
        problems.append(FieldError("seed", f"must be 0–{MAX_SEED}, got {params.seed}"))
    if problems:
        raise InvalidLightingSetupError(problems)


def not_editing(backend: str, why: str) -> FIBOGenerationError:
    """The error an editor that cannot edit raises (not retryable): ``why`` says why."""
    return FIBOGenerationError(f"the {backend} backend cannot edit photos: {why}", backend=backend)


def _caption_sync(image: SourceImage, instruction: str) -> dict[str, Any]:
    from lightrig.verify.estimate import estimate_lighting  # noqa: PLC0415 - NumPy, numba
    from lightrig.verify.image import ImageDecodeError  # noqa: PLC0415
    from lightrig.verify.match import UnmatchableError, match_estimate  # noqa: PLC0415

    try:
        estimate = estimate_lighting(image.data)
        matched = match_estimate(estimate)
    except (ImageDecodeError, UnmatchableError) as exc:
        raise InvalidLightingSetupError([FieldError("image", str(exc))]) from None
    return structured_instruction(compile_prompt(matched.request), instruction.strip())


async def read_caption(image: SourceImage, instruction: str) -> dict[str, Any]:
    """The structured instruction of ``image`` as lightrig reads it (see the module), in a
    worker thread. :class:`~lightrig.errors.InvalidLightingSetupError` on field ``image`` when
    the bytes are not a picture or show no face whose light can be read."""
    check_caption_input(image, instruction)
    return await asyncio.to_thread(_caption_sync, image, instruction)
