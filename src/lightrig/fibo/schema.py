"""FIBO's structured prompt: ten top-level keys, in order, every leaf free text.

``short_description``, ``objects``, ``background_setting``, ``lighting``, ``aesthetics`` and
``context`` are required; ``photographic_characteristics`` (all four sub-keys when present),
``style_medium``, ``text_render`` and ``artistic_style`` are optional. Bria's pipelines drop any
other key and every empty value, so lightrig's own prompts carry neither: :func:`validate_prompt`
with ``strict=True`` (the default) rejects them, and checks the key order too. ``strict=False``
accepts captions as Bria publishes them, with ``null`` and empty values.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from lightrig.errors import FieldError, InvalidStructuredPromptError

__all__ = ["TOP_LEVEL_KEYS", "StructuredPrompt", "validate_prompt"]

TOP_LEVEL_KEYS: tuple[str, ...] = (
    "short_description",
    "objects",
    "background_setting",
    "lighting",
    "aesthetics",
    "photographic_characteristics",
    "style_medium",
    "text_render",
    "context",
    "artistic_style",
)
MAX_OBJECTS = 5
MAX_SHORT_DESCRIPTION_WORDS = 200
MAX_ARTISTIC_STYLE_WORDS = 3

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PromptObject(_Part):
    """One object in the scene (people get pose, expression, clothing and the like too)."""

    description: Text
    location: Text
    relationship: Text
    relative_size: Text | None = None
    shape_and_color: Text | None = None
    texture: Text | None = None
    appearance_details: Text | None = None
    orientation: Text | None = None
    number_of_objects: int | None = None
    pose: Text | None = None
    expression: Text | None = None
    clothing: Text | None = None
    action: Text | None = None
    gender: Text | None = None
    skin_tone_and_texture: Text | None = None


class PromptLighting(_Part):
    """The light, in words: the only place FIBO reads it from."""

    conditions: Text
    direction: Text
    shadows: Text | None = None


class PromptAesthetics(_Part):
    """Composition, colour and mood; post-processing may add the two scores."""

    composition: Text
    color_scheme: Text
    mood_atmosphere: Text
    aesthetic_score: Text | None = None
    preference_score: Text | None = None


class PhotographicCharacteristics(_Part):
    """The camera, in words; all four or none."""

    depth_of_field: Text
    focus: Text
    camera_angle: Text
    lens_focal_length: Text


class TextRender(_Part):
    """Text to draw into the image exactly."""

    text: Text
    location: Text
    size: Text
    color: Text
    font: Text
    appearance_details: Text | None = None


class StructuredPrompt(_Part):
    """The ten-key structured prompt."""

    short_description: Text
    objects: Annotated[list[PromptObject], Field(max_length=MAX_OBJECTS)]
    background_setting: Text
    lighting: PromptLighting
    aesthetics: PromptAesthetics
    photographic_characteristics: PhotographicCharacteristics | None = None
    style_medium: Text | None = None
    text_render: list[TextRender] | None = None
    context: Text
    artistic_style: Text | None = None


def _empty_paths(value: Any, path: str) -> list[str]:
    if value is None or value in ("", [], {}):
        return [path]
    if isinstance(value, str) and not value.strip():
        return [path]
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _empty_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _empty_paths(item, f"{path}.{index}")
    return found


def validate_prompt(data: Any, *, strict: bool = True) -> StructuredPrompt:
    """Check ``data`` against the ten-key schema; raise :class:`InvalidStructuredPromptError`.

    Strict mode (for prompts lightrig sends) also forbids empty values anywhere, requires the
    top-level keys in their canonical order, and holds ``short_description`` to 200 words and
    ``artistic_style`` to 3.
    """
    if not isinstance(data, dict):
        raise InvalidStructuredPromptError(
            [FieldError("", f"a structured prompt is a JSON object, not {type(data).__name__}")]
        )
    problems: list[FieldError] = []
    if strict:
        problems += [FieldError(p, "empty values never reach FIBO") for p in _empty_paths(data, "")]
        order = [key for key in data if key in TOP_LEVEL_KEYS]
        if order != sorted(order, key=TOP_LEVEL_KEYS.index):
            problems.append(
                FieldError(
                    "", "top-level keys must follow FIBO's order: " + ", ".join(TOP_LEVEL_KEYS)
                )
            )
        words = len(str(data.get("short_description", "")).split())
        if words > MAX_SHORT_DESCRIPTION_WORDS:
            problems.append(
                FieldError(
                    "short_description", f"{words} words; at most {MAX_SHORT_DESCRIPTION_WORDS}"
                )
            )
        style_words = len(str(data.get("artistic_style", "")).split())
        if style_words > MAX_ARTISTIC_STYLE_WORDS:
            problems.append(
                FieldError(
                    "artistic_style", f"{style_words} words; at most {MAX_ARTISTIC_STYLE_WORDS}"
                )
            )
    try:
        prompt = StructuredPrompt.model_validate(data)
    except ValidationError as exc:
        problems += list(InvalidStructuredPromptError.from_validation_error(exc).errors)
        raise InvalidStructuredPromptError(problems) from None
    if problems:
        raise InvalidStructuredPromptError(problems)
    return prompt
