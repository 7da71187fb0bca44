"""A large language model's answer read into a :class:`~lightrig.translate.base.Translation`, and
the other way: a scene request written as the answer a model would give (for the mock servers and
tests).

:func:`parse_answer` accepts the answer's JSON bare or in a Markdown code fence, drops the
``null`` values the strict dialect writes for what the model omits, and names every problem it
finds (:class:`AnswerError`), so that the model can be asked to correct them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from lightrig.errors import InvalidLightingSetupError, NaturalLanguageTranslationError
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.translate.base import Translation, no_lighting_error
from lightrig.translate.llm_schema import ANSWER_FIELDS, SchemaDialect

__all__ = ["AnswerError", "answer_for", "no_lighting_answer", "parse_answer"]


class AnswerError(NaturalLanguageTranslationError):
    """The model's answer could not be used: not JSON, not the schema's shape, or a setup that
    fails validation. Asking again with the problem pointed out may fix it."""


_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


def _strings(value: object, name: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{name}: must be a list of strings")
        return ()
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def _lights(value: object, problems: list[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        problems.append("lighting_setup: must be an object mapping roles to lights")
        return {}
    lights: dict[str, dict[str, Any]] = {}
    for role, light in value.items():
        if light is None:  # strict schemas write null for the roles not used
            continue
        if not isinstance(light, dict):
            problems.append(f"lighting_setup.{role}: must be an object")
            continue
        lights[str(role)] = {name: item for name, item in light.items() if item is not None}
    return lights


def parse_answer(
    answer: str, *, text: str, translator: str, base: SceneRequest | None = None
) -> Translation:
    """The model's ``answer`` (JSON text) as a validated :class:`Translation`.

    The lighting replaces ``base``'s, whose subject, environment, camera and background distance
    are kept (and its head turn and backdrop, unless the answer gives them). Raises
    :class:`NaturalLanguageTranslationError` ("found no lighting ...") for ``no_lighting: true``
    and :class:`AnswerError` for an answer that is not JSON, not the schema's shape or fails
    validation (naming the fields).
    """
    fenced = _FENCE.match(answer)
    body = fenced.group(1) if fenced else answer
    try:
        data = json.loads(body)
    except ValueError as exc:
        start = body.strip()[:60]
        raise AnswerError(
            f"the model's answer was not JSON: {exc} (it began {start!r})",
            text=text,
            translator=translator,
        ) from None
    if not isinstance(data, dict):
        raise AnswerError(
            "the model's answer was not a JSON object", text=text, translator=translator
        )
    problems: list[str] = []
    no_lighting = data.get("no_lighting", False)
    if no_lighting is True:
        raise no_lighting_error(text, translator)
    if no_lighting not in (False, None):
        problems.append("no_lighting: must be true or false")
    problems += [f"{name}: not a field of the answer" for name in data if name not in ANSWER_FIELDS]
    understood = _strings(data.get("understood"), "understood", problems)
    ignored = _strings(data.get("ignored"), "ignored", problems)
    lights = _lights(data.get("lighting_setup"), problems)
    if not lights and not any(p.startswith("lighting_setup") for p in problems):
        problems.append("lighting_setup: has no light; give at least one, or no_lighting: true")
    if problems:
        raise AnswerError(
            "the model's answer did not follow the schema: " + "; ".join(problems),
            text=text,
            translator=translator,
        )

    request_data: dict[str, Any] = (
        {} if base is None else base.model_dump(mode="json", exclude={"lighting_setup"})
    )
    request_data["lighting_setup"] = lights
    for name in ("subject_yaw", "backdrop_color"):
        if data.get(name) is not None:
            request_data[name] = data[name]
    try:
        request = parse_scene_request(request_data)
    except InvalidLightingSetupError as exc:
        raise AnswerError(
            f"the model's setup failed validation: {exc}", text=text, translator=translator
        ) from None
    return Translation(
        request=request, understood=understood, ignored=ignored, translator=translator
    )


def answer_for(
    request: SceneRequest,
    *,
    understood: Sequence[str] = (),
    ignored: Sequence[str] = (),
    dialect: SchemaDialect = "gemini",
) -> dict[str, Any]:
    """``request``'s lighting written as an answer in the output schema (what a model would
    answer for it): the ``"openai"`` dialect lists every role and field, ``null`` where unused."""
    strict = dialect == "openai"
    setup: dict[str, Any] = {}
    for role in LightType:
        light = request.lighting_setup.get(role)
        if light is None:
            if strict:
                setup[role.value] = None
            continue
        values = {
            "azimuth": light.azimuth,
            "elevation": light.elevation,
            "distance": light.distance,
            "intensity": light.intensity,
            "color_temperature": light.color_temperature,
            "softness": light.softness,
            "modifier": None if light.modifier is None else light.modifier.value,
            "enabled": light.enabled,
        }
        if role is LightType.AMBIENT:
            values["azimuth"] = values["elevation"] = None
        setup[role.value] = {
            name: value for name, value in values.items() if strict or value is not None
        }
    answer: dict[str, Any] = {"lighting_setup": setup}
    yaw = request.subject_yaw or None
    for name, value in (("subject_yaw", yaw), ("backdrop_color", request.backdrop_color)):
        if strict or value is not None:
            answer[name] = value
    answer["understood"] = list(understood)
    answer["ignored"] = list(ignored)
    answer["no_lighting"] = False
    return answer


def no_lighting_answer(
    ignored: Sequence[str] = (), *, dialect: SchemaDialect = "gemini"
) -> dict[str, Any]:
    """The answer for a description without light: ``no_lighting: true``, no lights, the words
    listed as ignored (the ``"openai"`` dialect lists every role and field as ``null``)."""
    answer: dict[str, Any] = {
        "lighting_setup": {role.value: None for role in LightType} if dialect == "openai" else {}
    }
    if dialect == "openai":
        answer["subject_yaw"] = answer["backdrop_color"] = None
    answer["understood"] = []
    answer["ignored"] = list(ignored)
    answer["no_lighting"] = True
    return answer
