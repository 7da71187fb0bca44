"""FIBO-Edit's structured instruction: a photo's caption in FIBO's ten keys plus
``edit_instruction``, the one sentence that says what to change.

:func:`structured_instruction` makes one from a caption and the edit in words;
:func:`check_instruction` refuses what is not one (lenient about the ten keys, as Bria's own
captions are); :func:`caption_of` takes the ten keys back out (what FIBO's schema checks);
:func:`scene_of` reads the setup the instruction asks for — its lighting parsed back
(:func:`lightrig.fibo.parse.parse_lighting`) on the subject the caption describes (its first
object's description, which the bust is dressed from).
"""

from __future__ import annotations

from typing import Any

from lightrig.errors import FieldError, InvalidStructuredPromptError
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.schema import validate_prompt
from lightrig.models.scene import SceneRequest

__all__ = [
    "EDIT_INSTRUCTION",
    "MAX_SUBJECT_CHARS",
    "caption_of",
    "check_instruction",
    "scene_of",
    "structured_instruction",
    "subject_of",
]

#: The key that holds the edit in words.
EDIT_INSTRUCTION = "edit_instruction"
#: The longest subject description a scene takes, in characters.
MAX_SUBJECT_CHARS = 500


def caption_of(instruction: dict[str, Any]) -> dict[str, Any]:
    """``instruction`` without ``edit_instruction``: the caption in FIBO's ten keys."""
    return {key: value for key, value in instruction.items() if key != EDIT_INSTRUCTION}


def structured_instruction(caption: dict[str, Any], edit: str) -> dict[str, Any]:
    """``caption`` (FIBO's ten keys) with ``edit`` as its ``edit_instruction``, last."""
    return {**caption_of(caption), EDIT_INSTRUCTION: edit}


def check_instruction(instruction: object) -> list[FieldError]:
    """What keeps ``instruction`` from being a structured instruction (empty: nothing): a JSON
    object whose ten keys pass FIBO's lenient schema and whose ``edit_instruction`` is a
    sentence. Fields are named ``structured_instruction.<path>``."""
    if not isinstance(instruction, dict):
        return [
            FieldError(
                "structured_instruction",
                f"must be a JSON object, got {type(instruction).__name__}",
            )
        ]
    problems: list[FieldError] = []
    edit = instruction.get(EDIT_INSTRUCTION)
    if not isinstance(edit, str) or not edit.strip():
        problems.append(
            FieldError(
                f"structured_instruction.{EDIT_INSTRUCTION}",
                f"must be a sentence saying what to change, got {edit!r}",
            )
        )
    try:
        validate_prompt(caption_of(instruction), strict=False)
    except InvalidStructuredPromptError as exc:
        problems += [
            FieldError(
                f"structured_instruction.{e.loc}" if e.loc else "structured_instruction",
                e.message,
            )
            for e in exc.errors
        ] or [FieldError("structured_instruction", exc.message)]
    return problems


def subject_of(caption: dict[str, Any]) -> str | None:
    """The subject a caption describes: its first object's description (at most
    :data:`MAX_SUBJECT_CHARS` characters), ``None`` when it has none."""
    objects = caption.get("objects")
    if not isinstance(objects, list) or not objects or not isinstance(objects[0], dict):
        return None
    description = objects[0].get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    return description.strip()[:MAX_SUBJECT_CHARS]


def scene_of(instruction: dict[str, Any]) -> SceneRequest:
    """The setup ``instruction`` asks for: its lighting read back, on its subject.

    Raises :class:`~lightrig.errors.InvalidStructuredPromptError` (a ``ValueError``) when the
    lighting cannot be read.
    """
    parsed = parse_lighting(instruction)
    subject = subject_of(instruction)
    return parsed.request(**({"subject_description": subject} if subject else {}))
