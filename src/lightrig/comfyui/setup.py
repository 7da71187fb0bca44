"""The ``LIGHTRIG_SETUP`` socket type and the three nodes that make one: from a preset, from
words (the offline rules translator) and from per-light numbers (key, fill and rim).

A ``LIGHTRIG_SETUP`` value is the scene request's JSON text
(:class:`~lightrig.models.scene.SceneRequest`, ``None`` fields left out): plain data, so ComfyUI
can compare it between runs and a user can read it; each node that takes one validates it again
with :func:`setup_request`.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from lightrig.errors import FieldError, InvalidLightingSetupError
from lightrig.lighting.colour import MAX_KELVIN, MIN_KELVIN
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.presets import PRESETS, get_preset

__all__ = [
    "CATEGORY",
    "SETUP",
    "LightsSetupNode",
    "PresetSetupNode",
    "WordsSetupNode",
    "setup_json",
    "setup_request",
]

#: The socket type between lightrig's nodes.
SETUP = "LIGHTRIG_SETUP"
#: Where the nodes sit in ComfyUI's node menu.
CATEGORY = "lightrig"
#: The lights :class:`LightsSetupNode` sets, each with its default placement: azimuth and
#: elevation (degrees), intensity (0–1), modifier, kelvin, distance (metres), on.
_LIGHTS: dict[LightType, tuple[float, float, float, Modifier, float, float, bool]] = {
    LightType.KEY: (-45.0, 30.0, 0.9, Modifier.SOFTBOX, 5600.0, 1.5, True),
    LightType.FILL: (30.0, 0.0, 0.3, Modifier.REFLECTOR, 5600.0, 2.0, True),
    LightType.RIM: (150.0, 20.0, 0.5, Modifier.STRIP_BOX, 5600.0, 1.5, True),
}


def setup_json(request: SceneRequest) -> str:
    """``request`` as a ``LIGHTRIG_SETUP`` value."""
    return request.model_dump_json(exclude_none=True)


def setup_request(setup: str) -> SceneRequest:
    """The scene request a ``LIGHTRIG_SETUP`` value holds;
    :class:`~lightrig.errors.InvalidLightingSetupError` (a :class:`ValueError`) naming each
    failing field when it holds none."""
    try:
        data = json.loads(setup)
    except (TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"setup: not a scene request's JSON ({exc})") from None
    return parse_scene_request(data)


class PresetSetupNode:
    """A built-in preset, optionally with another subject."""

    CATEGORY = CATEGORY
    DESCRIPTION = "A lighting setup from one of lightrig's presets."
    RETURN_TYPES = (SETUP,)
    RETURN_NAMES = ("setup",)
    FUNCTION = "make"
    OUTPUT_NODE = False

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {
            "required": {"preset": (list(PRESETS), {"default": "rembrandt"})},
            "optional": {
                "subject": ("STRING", {"default": "", "tooltip": "Blank keeps the preset's."})
            },
        }

    def make(self, preset: str, subject: str = "") -> tuple[str]:
        request = get_preset(preset).request()
        if subject.strip():
            request = parse_scene_request(
                {**request.model_dump(exclude_none=True), "subject_description": subject}
            )
        return (setup_json(request),)


class WordsSetupNode:
    """A setup read from a description in words by the offline rules translator."""

    CATEGORY = CATEGORY
    DESCRIPTION = "A lighting setup from words, e.g. 'moody Rembrandt, warm key'."
    RETURN_TYPES = (SETUP, "STRING")
    RETURN_NAMES = ("setup", "reading")
    FUNCTION = "make"
    OUTPUT_NODE = False

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {
            "required": {
                "words": ("STRING", {"multiline": True, "default": "moody Rembrandt, warm key"})
            },
            "optional": {"base": (SETUP, {"tooltip": "Its subject, setting and camera kept."})},
        }

    async def make(self, words: str, base: str | None = None) -> tuple[str, str]:
        """(ComfyUI runs a coroutine function on its own event loop.)"""
        from lightrig.translate.rules import RulesTranslator  # noqa: PLC0415 - by need

        scene = None if base is None else setup_request(base)
        translation = await RulesTranslator().translate(words, base=scene)
        reading = json.dumps(
            {
                "understood": list(translation.understood),
                "ignored": list(translation.ignored),
                "assumptions": list(translation.assumptions),
            },
            ensure_ascii=False,
            indent=2,
        )
        return setup_json(translation.request), reading


def _light_inputs(role: LightType) -> dict[str, Any]:
    azimuth, elevation, intensity, modifier, kelvin, distance, on = _LIGHTS[role]
    name = role.value
    return {
        f"{name}_on": ("BOOLEAN", {"default": on}),
        f"{name}_azimuth": (
            "FLOAT",
            {
                "default": azimuth,
                "min": -180.0,
                "max": 180.0,
                "step": 1.0,
                "tooltip": "Degrees from the camera axis; positive toward camera-right.",
            },
        ),
        f"{name}_elevation": (
            "FLOAT",
            {
                "default": elevation,
                "min": -90.0,
                "max": 90.0,
                "step": 1.0,
                "tooltip": "Degrees above the subject's eye level.",
            },
        ),
        f"{name}_intensity": (
            "FLOAT",
            {"default": intensity, "min": 0.0, "max": 1.0, "step": 0.01},
        ),
        f"{name}_modifier": ([m.value for m in Modifier], {"default": modifier.value}),
        f"{name}_kelvin": (
            "FLOAT",
            {"default": kelvin, "min": MIN_KELVIN, "max": MAX_KELVIN, "step": 100.0},
        ),
        f"{name}_distance": (
            "FLOAT",
            {
                "default": distance,
                "min": 0.1,
                "max": 100.0,
                "step": 0.1,
                "tooltip": "Metres to the subject.",
            },
        ),
    }


class LightsSetupNode:
    """A setup of a key, a fill and a rim light, each placed by numbers."""

    CATEGORY = CATEGORY
    DESCRIPTION = "A lighting setup from per-light numbers: key, fill and rim."
    RETURN_TYPES = (SETUP,)
    RETURN_NAMES = ("setup",)
    FUNCTION = "make"
    OUTPUT_NODE = False
    ROLES: ClassVar[tuple[LightType, ...]] = tuple(_LIGHTS)

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        required: dict[str, Any] = {
            "subject": ("STRING", {"default": "a person"}),
            "subject_yaw": ("FLOAT", {"default": 0.0, "min": -90.0, "max": 90.0, "step": 1.0}),
        }
        for role in cls.ROLES:
            required.update(_light_inputs(role))
        return {"required": required}

    def make(self, subject: str, subject_yaw: float, **lights: Any) -> tuple[str]:
        setup: dict[str, Any] = {}
        for role in self.ROLES:
            name = role.value
            if f"{name}_azimuth" not in lights:
                missing = FieldError(f"lighting_setup.{name}", "got no inputs; accepted: all seven")
                raise InvalidLightingSetupError([missing])
            setup[name] = {
                "enabled": bool(lights[f"{name}_on"]),
                "azimuth": lights[f"{name}_azimuth"],
                "elevation": lights[f"{name}_elevation"],
                "intensity": lights[f"{name}_intensity"],
                "modifier": lights[f"{name}_modifier"],
                "color_temperature": lights[f"{name}_kelvin"],
                "distance": lights[f"{name}_distance"],
            }
        request = parse_scene_request(
            {"subject_description": subject, "subject_yaw": subject_yaw, "lighting_setup": setup}
        )
        return (setup_json(request),)
