"""FIBO-Edit's structured instruction for re-lighting a photograph.

FIBO-Edit takes the photo, its caption in FIBO's ten keys, and ``edit_instruction``: one sentence
saying what to change. To re-light a photo, its caption (from the host, or lightrig's own reading)
is re-lit the way refine re-lights a generation (:func:`lightrig.fibo.refine.refine_prompt`: the
``lighting`` object and every sentence the light changes are rewritten, everything else is kept
word for word) and the instruction says the new light in the compiler's words and asks for the
rest to stay as it is.
"""

from __future__ import annotations

from typing import Any

from lightrig.errors import FieldError, InvalidStructuredPromptError
from lightrig.fibo.compile import lighting_sentences
from lightrig.fibo.instruction import EDIT_INSTRUCTION, caption_of, structured_instruction
from lightrig.fibo.refine import refine_prompt
from lightrig.fibo.schema import TOP_LEVEL_KEYS
from lightrig.lighting.reading import read
from lightrig.models.scene import SceneRequest

__all__ = ["relight_instruction", "relight_words"]

_KEEP = (
    "Keep the subject, their pose and expression, the clothing, the background and the framing "
    "exactly as they are."
)


def relight_words(request: SceneRequest) -> str:
    """The edit in words: re-light the photograph with ``request``'s light, keep the rest."""
    lighting = lighting_sentences(request, read(request.rig()))
    return f"Relight the photograph. {lighting} {_KEEP}"


def relight_instruction(caption: dict[str, Any], request: SceneRequest) -> dict[str, Any]:
    """The structured instruction that re-lights the photograph ``caption`` describes with
    ``request``'s light: the caption re-lit (its ``edit_instruction``, if any, replaced by
    :func:`relight_words`). Keys that are neither FIBO's ten nor ``edit_instruction`` are
    refused (:class:`~lightrig.errors.InvalidStructuredPromptError`, a ``ValueError``), as is a
    caption that fails the lenient ten-key schema."""
    if not isinstance(caption, dict):
        raise InvalidStructuredPromptError(
            [FieldError("", f"a caption is a JSON object, not {type(caption).__name__}")]
        )
    unknown = [key for key in caption if key not in TOP_LEVEL_KEYS and key != EDIT_INSTRUCTION]
    if unknown:
        raise InvalidStructuredPromptError(
            [FieldError(key, "not a key of FIBO-Edit's structured instruction") for key in unknown]
        )
    return structured_instruction(
        refine_prompt(caption_of(caption), request), relight_words(request)
    )
