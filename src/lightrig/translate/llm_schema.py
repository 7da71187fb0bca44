"""The JSON Schema of a large language model's answer, generated from lightrig's models.

The answer is one JSON object (``lighting_setup`` by role, ``subject_yaw``, ``backdrop_color``,
``understood``, ``ignored``, ``no_lighting``); its ranges are those the models declare (degrees,
metres, 0–1, kelvin). One schema source serves both APIs, in two dialects (:func:`output_schema`):

- ``"gemini"`` (``response_json_schema``): optional fields are simply not required; no
  ``pattern``, which Gemini's JSON-schema subset does not list;
- ``"openai"`` (``response_format`` ``json_schema`` with ``strict: true``): Structured Outputs
  needs every property listed in ``required`` and ``additionalProperties: false`` on every object,
  so optional values are ``anyOf [..., null]`` and the model writes ``null`` for what it omits.

Both inline the light's schema under each role rather than using ``$ref``: local
OpenAI-compatible servers (Ollama, vLLM, LM Studio) convert schemas to grammars with uneven
``$ref`` support.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel

from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import ROLES
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest

__all__ = ["ANSWER_FIELDS", "LIGHT_FIELDS", "OUTPUT_SCHEMA_NAME", "SchemaDialect", "output_schema"]

SchemaDialect = Literal["gemini", "openai"]

#: The schema's name in OpenAI's ``response_format`` (a-z, 0-9, ``_`` and ``-``; ≤ 64 chars).
OUTPUT_SCHEMA_NAME = "lightrig_lighting_setup"
#: The fields of one light in an answer, in the schema's order.
LIGHT_FIELDS: tuple[str, ...] = (
    "azimuth",
    "elevation",
    "distance",
    "intensity",
    "color_temperature",
    "softness",
    "modifier",
    "enabled",
)
#: The top-level fields of an answer, in the schema's order.
ANSWER_FIELDS: tuple[str, ...] = (
    "lighting_setup",
    "subject_yaw",
    "backdrop_color",
    "understood",
    "ignored",
    "no_lighting",
)


def _bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The (minimum, maximum) a model's field declares: one source for the schema's ranges."""
    low = high = math.nan
    for item in model.model_fields[name].metadata:
        if isinstance(item, Ge):
            low = float(item.ge)  # type: ignore[arg-type]  # a number for every field used here
        elif isinstance(item, Le):
            high = float(item.le)  # type: ignore[arg-type]
    if math.isnan(low) or math.isnan(high):
        raise RuntimeError(f"{model.__name__}.{name} declares no range")
    return low, high


def _number(model: type[BaseModel], name: str, description: str | None = None) -> dict[str, Any]:
    low, high = _bounds(model, name)
    schema: dict[str, Any] = {"type": "number", "minimum": low, "maximum": high}
    if description is not None:
        schema["description"] = description
    return schema


def output_schema(dialect: SchemaDialect) -> dict[str, Any]:
    """The JSON Schema of the answer, as a new dict, for ``dialect``:

    - ``"gemini"``: for ``GenerateContentConfig.response_json_schema``; only ``lighting_setup``,
      ``understood``, ``ignored`` and ``no_lighting`` are required (and ``intensity`` in a light).
    - ``"openai"``: for ``response_format={"type": "json_schema", "json_schema": {"name":
      OUTPUT_SCHEMA_NAME, "strict": True, "schema": ...}}``; every property is required and the
      optional ones accept ``null``; ``backdrop_color`` carries a ``pattern``.

    Ranges come from :class:`~lightrig.models.lights.LightSettings` and
    :class:`~lightrig.models.scene.SceneRequest`: degrees, metres, 0–1, kelvin.
    """
    strict = dialect == "openai"

    def optional(schema: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [schema, {"type": "null"}]} if strict else schema

    def obj(properties: dict[str, Any], required: Sequence[str]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties) if strict else list(required),
            "additionalProperties": False,
        }

    def light(role: LightType) -> dict[str, Any]:
        # units are the system prompt's; the light's schema stays terse, repeated for 7 roles
        properties: dict[str, Any] = {
            "azimuth": optional(_number(LightSettings, "azimuth")),
            "elevation": optional(_number(LightSettings, "elevation")),
            "distance": optional(_number(LightSettings, "distance")),
            "intensity": _number(LightSettings, "intensity"),
            "color_temperature": optional(_number(LightSettings, "color_temperature")),
            "softness": optional(_number(LightSettings, "softness")),
            "modifier": optional({"type": "string", "enum": [m.value for m in Modifier]}),
            "enabled": optional({"type": "boolean"}),
        }
        required = ["intensity"] if role is LightType.AMBIENT else ["azimuth", "intensity"]
        return obj(properties, required)

    role_help = {role.value: role.hint for role in ROLES}
    roles: dict[str, Any] = {}
    for role in LightType:
        schema = light(role)
        schema["description"] = role_help[role]
        roles[role.value] = optional(schema)

    backdrop: dict[str, Any] = {
        "type": "string",
        "description": "The backdrop's colour as sRGB hex '#rrggbb'.",
    }
    if strict:
        backdrop["pattern"] = "^#[0-9a-fA-F]{6}$"
    properties = {
        "lighting_setup": obj(roles, ()),
        "subject_yaw": optional(
            _number(
                SceneRequest,
                "subject_yaw",
                "Degrees the face is turned from the camera, positive toward camera-right.",
            )
        ),
        "backdrop_color": optional(backdrop),
        "understood": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Phrases of the description turned into light.",
        },
        "ignored": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Words that say nothing about light, listed and not guessed.",
        },
        "no_lighting": {
            "type": "boolean",
            "description": "True only when the description says nothing about light.",
        },
    }
    return obj(properties, ("lighting_setup", "understood", "ignored", "no_lighting"))
