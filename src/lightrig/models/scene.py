"""A scene request: the subject, its surroundings, the lighting setup and the camera."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, core_schema

from lightrig.lighting.colour import relative_luminance_of_hex
from lightrig.lighting.power import CONTINUOUS_MODIFIERS, REFERENCE_EXPOSURE, exposure_at_1m
from lightrig.lighting.rig import MID_GREY_REFLECTANCE, PlacedLight, Rig
from lightrig.lighting.roles import DEFAULT_ELEVATION_DEG, LightType
from lightrig.lighting.stands import (
    DEFAULT_EYE_HEIGHT_M,
    HEIGHT_TOLERANCE_M,
    MAX_EYE_HEIGHT_M,
    MIN_EYE_HEIGHT_M,
    elevation_for_height,
    light_height,
)
from lightrig.models.base import RequestModel, did_you_mean, explained_error, line_errors, shown
from lightrig.models.camera import CameraSettings
from lightrig.models.lights import LUX_OR_NOTHING, LightSettings
from lightrig.models.values import NUMBER

__all__ = [
    "HEX_COLOUR",
    "LightingSetup",
    "SceneRequest",
    "looks_like_a_setup",
    "parse_scene_request",
]

#: A backdrop colour: sRGB hex ``#rrggbb`` (a regular expression, for the whole text).
HEX_COLOUR = "#[0-9a-fA-F]{6}"
_HEX_COLOUR = re.compile(HEX_COLOUR)
#: Words that hold something besides white space (JSON Schema, unanchored).
_NOT_BLANK = r"\S"
#: Every role's name, in order.
_ROLES = tuple(role.value for role in LightType)
#: What an empty setup is told.
NO_LIGHTS = (
    'no lights; give at least a key, e.g. {"key": {"direction": "45 degrees camera-left", '
    '"intensity": 0.8}}'
)


def _unknown_role(name: object) -> str:
    hint = did_you_mean(name, _ROLES)
    if not hint:
        field = did_you_mean(name, SceneRequest.model_fields).removeprefix(" (did you mean ")
        if field:  # a scene request's field among the lights (the shorthand takes none)
            hint = f" (a field of the scene request, {field[:-2]}, goes beside lighting_setup)"
    return f"unknown role {shown(name)}{hint}; roles: " + ", ".join(_ROLES)


def _role_like(name: object, fields: Mapping[str, Any]) -> bool:
    """Whether ``name`` is a role, or closer to one than to any of ``fields`` (a misspelt
    role: "kye", "fil", "keylight")."""
    if not isinstance(name, str):
        return False
    word = name.strip().lower()
    if word in _ROLES:
        return True
    if not did_you_mean(word, _ROLES):
        return False

    def nearest(choices: Any) -> float:
        return max(difflib.SequenceMatcher(None, word, choice).ratio() for choice in choices)

    return nearest(_ROLES) > nearest(fields)


def looks_like_a_setup(data: object) -> bool:
    """Whether ``data`` is the shorthand of a scene request — its lighting setup alone, keyed by
    role (``{"key": {...}, "fill": {...}}``): a mapping that names no field of a scene request
    and has a key that is a role or close to one."""
    fields = SceneRequest.model_fields
    return (
        isinstance(data, Mapping)
        and bool(data)
        and not any(isinstance(name, str) and name in fields for name in data)
        and any(_role_like(name, fields) for name in data)
    )


class _SetupSchema:
    """What a lighting setup's JSON schema says besides its types, as the scene's validator
    checks it: at least one light, and one of them on (enabled — the default — with intensity
    above 0); every light but the ambient placed, by a direction or an azimuth; the ambient
    given no height.

    It also reads the setup first: an empty one, and each unknown role (with a "did you mean"),
    is refused in words, and the lights of the known roles are checked all the same.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(_read_setup, handler(source))

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        light = schema["additionalProperties"]
        placed = {
            "anyOf": [
                {"required": ["direction"], "properties": {"direction": {"not": {"type": "null"}}}},
                {"required": ["azimuth"], "properties": {"azimuth": {"type": "number"}}},
            ]
        }
        on = {"properties": {"intensity": {"exclusiveMinimum": 0}, "enabled": {"const": True}}}
        # at least one light (the field's min_length, which a wrapped dict also spells minLength)
        schema.pop("minLength", None)
        schema["minProperties"] = max(1, schema.get("minProperties", 0))
        # the ambient light stands nowhere: it takes no height,
        # and shines continuously: its power, when stated, is in lux
        unstood = {"properties": {"height": {"type": "null"}, "power": LUX_OR_NOTHING}}
        schema["properties"] = {LightType.AMBIENT.value: {"allOf": [light, unstood]}}
        schema["additionalProperties"] = {"allOf": [light, placed]}
        # "some light is on": not every light is off
        schema["not"] = {"additionalProperties": {"not": on}}
        return schema


def _read_setup(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
    if not isinstance(value, Mapping):
        return handler(value)
    if not value:
        raise ValidationError.from_exception_data(
            "LightingSetup", [explained_error((), NO_LIGHTS, value, "too_short")]
        )
    errors: list[InitErrorDetails] = [
        explained_error((str(name),), _unknown_role(name), name, "enum")
        for name in value
        if name not in _ROLES
    ]
    known = {name: light for name, light in value.items() if name in _ROLES}
    found: Any = None
    if known:
        try:
            found = handler(known)
        except ValidationError as exc:
            errors.extend(line_errors(exc))
    if errors:
        raise ValidationError.from_exception_data("LightingSetup", errors)
    return found


#: Role → light, as a scene holds them: the JSON schema says what the scene's validator checks
#: (at least one light on; every light but the ambient has a direction or an azimuth).
LightingSetup = Annotated[dict[LightType, LightSettings], _SetupSchema()]


class SceneRequest(RequestModel):
    """What to make: a subject in an environment, lit by a setup, seen by a camera.

    ``lighting_setup`` maps each role to one light; at least one light must be on (enabled with
    intensity above 0). After validation every light has numeric ``azimuth`` and ``elevation``: a
    direction that names no height gets its role's usual height. A light given a ``height`` in
    metres instead gets the elevation that puts it there, from ``subject_eye_height`` and its
    distance (:mod:`lightrig.lighting.stands`); every light but the ambient then carries both.

    The lighting setup alone, keyed by role (``{"key": {...}, "fill": {...}}``), is read as a
    scene request with that setup and every other field at its default (the shorthand; see
    :func:`looks_like_a_setup`). Bad values raise
    :class:`~lightrig.errors.InvalidLightingSetupError`.
    """

    subject_description: Annotated[
        str,
        StringConstraints(strip_whitespace=True),
        Field(
            min_length=1,
            max_length=500,
            description="Who or what is lit, in words (1–500 characters).",
            examples=["Professional portrait", "a perfume bottle on black acrylic"],
        ),
    ] = "a person"
    environment: Annotated[
        str,
        StringConstraints(strip_whitespace=True),
        Field(
            min_length=1,
            max_length=300,
            description="Where the subject is, in words (1–300 characters).",
            examples=["studio", "a loft with large windows"],
        ),
    ] = "a photo studio"
    lighting_setup: Annotated[
        LightingSetup,
        Field(
            min_length=1,
            description="One light per role: "
            + ", ".join(t.value for t in LightType)
            + "; at least one on, and every one but the ambient placed by a direction or an "
            "azimuth.",
        ),
    ]
    camera_settings: Annotated[
        CameraSettings,
        Field(default_factory=CameraSettings, description="The camera; defaults to an 85 mm."),
    ]
    subject_yaw: Annotated[
        float,
        Field(
            ge=-90.0,
            le=90.0,
            description=(
                "Degrees the subject's face is turned from the camera, −90…90, positive toward "
                "camera-right. Patterns follow the face; broad and short lighting need a turn."
            ),
        ),
        NUMBER,
    ] = 0.0
    subject_eye_height: Annotated[
        float,
        Field(
            ge=MIN_EYE_HEIGHT_M,
            le=MAX_EYE_HEIGHT_M,
            description=(
                f"Metres from the floor to the subject's eyes, {MIN_EYE_HEIGHT_M:g}–"
                f"{MAX_EYE_HEIGHT_M:g} (1.6 standing, about 1.2 seated, 0.1 lying on the "
                "floor); the lights' elevations are measured from it and their heights above "
                f"the floor follow. Default {DEFAULT_EYE_HEIGHT_M:g}."
            ),
        ),
        NUMBER,
    ] = DEFAULT_EYE_HEIGHT_M
    background_distance: Annotated[
        float,
        Field(
            ge=0.3,
            le=30.0,
            description="Metres from the subject to the backdrop or background, 0.3–30.",
        ),
        NUMBER,
    ] = 1.5
    backdrop_color: Annotated[
        str | None,
        Field(
            description=(
                "Colour of a seamless backdrop as sRGB hex '#rrggbb'; none for a scene "
                "described only by the environment (then an 18% grey is assumed for tones)."
            ),
            examples=["#808080", "#f4f4f4", "#1a1a1a"],
        ),
    ] = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema says what the validator checks beyond the types: the backdrop's colour
        is ``#rrggbb`` and the words are not blank (they are stripped before their length is
        counted); and a request may be the shorthand, its lighting setup alone (the request's
        schema is then "a scene request, or a lighting setup")."""
        schema = handler(core_schema)
        found = handler.resolve_ref_schema(schema)
        properties = found["properties"]
        properties["backdrop_color"]["anyOf"][0]["pattern"] = f"^{HEX_COLOUR}$"
        for name in ("subject_description", "environment"):
            properties[name]["pattern"] = _NOT_BLANK
        if handler.mode == "validation":
            setup = copy.deepcopy(properties["lighting_setup"])
            setup["title"] = "Lighting Setup (shorthand)"
            setup["description"] = (
                "The lighting setup alone, keyed by role: a scene request with this setup and "
                "every other field at its default."
            )
            whole = {key: found.pop(key) for key in list(found) if key not in ("title",)}
            found["description"] = whole.pop("description", "")
            found["anyOf"] = [whole, setup]
        return schema

    @classmethod
    def _explain(cls, error: Any) -> InitErrorDetails:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden" and len(loc) == 1 and loc[0] in _ROLES:
            message = (
                f"a light given beside the scene request's fields; put it under lighting_setup "
                f'({{"lighting_setup": {{"{loc[0]}": {{...}}}}}})'
            )
            return explained_error(loc, message, error.get("input"), "extra_forbidden")
        if error["type"] == "missing" and loc == ("lighting_setup",):
            return explained_error(
                ("lighting_setup",),
                "missing; " + NO_LIGHTS.removeprefix("no lights; "),
                None,
                "missing",
            )
        return super()._explain(error)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if looks_like_a_setup(data):
            return {"lighting_setup": data}
        return data

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.backdrop_color is not None and not _HEX_COLOUR.fullmatch(self.backdrop_color):
            raise ValueError(
                f"backdrop_color {self.backdrop_color!r} is not a colour; write it as '#rrggbb'"
            )
        if not any(light.is_on for light in self.lighting_setup.values()):
            raise ValueError(
                "no light is on: enable at least one light with intensity above 0 "
                "(a request with every light off or at zero would be black)"
            )
        for role, light in self.lighting_setup.items():
            power = light.power
            if role is LightType.AMBIENT and power is not None and not power.is_continuous:
                raise ValueError(
                    f"lighting_setup.ambient.power: ambient light is continuous; give its "
                    f"lux_at_1m (the illuminance on the subject) instead of {power.kind}"
                )
            if light.azimuth is None:
                if role is not LightType.AMBIENT:
                    raise ValueError(
                        f"lighting_setup.{role.value}: give a direction (e.g. '45 degrees "
                        "camera-left') or an azimuth in degrees"
                    )
                light.azimuth, light.elevation = 0.0, 90.0  # ambient comes from everywhere
            self._resolve_height(role, light)
        return self

    def _resolve_height(self, role: LightType, light: LightSettings) -> None:
        """The light's elevation from its height when it was given only the height (else the
        role's usual one when it has none), then its height from its elevation; when it was
        given both, the two checked to agree. The ambient light stands nowhere: it takes no
        height."""
        where = f"lighting_setup.{role.value}.height"
        given = light.given_placement
        if role is LightType.AMBIENT:
            if "height" in given:
                raise ValueError(
                    f"{where}: the ambient light comes from everywhere and stands nowhere; "
                    "give it no height"
                )
            if light.elevation is None:
                light.elevation = DEFAULT_ELEVATION_DEG[role]
            return
        eye = self.subject_eye_height
        height = light.height
        if "height" in given and "elevation" not in given and height is not None:
            try:
                light.elevation = elevation_for_height(height, eye, light.distance)
            except ValueError as exc:
                raise ValueError(f"{where}: {str(exc).removeprefix('height ')}") from None
        elif light.elevation is None:
            light.elevation = DEFAULT_ELEVATION_DEG[role]
        expected = light_height(eye, light.elevation, light.distance)
        if "height" not in given or height is None:
            light.height = expected
        elif abs(height - expected) > HEIGHT_TOLERANCE_M:
            raise ValueError(
                f"{where}: {height:g} m disagrees with elevation {light.elevation:g}° "
                f"({expected:.2f} m at {light.distance:g} m from eyes at {eye:g} m); "
                "give one or make them agree"
            )

    def rig(self) -> Rig:
        """The setup as numbers: the lights that give light, the head turn and the backdrop."""
        placed = tuple(
            PlacedLight(
                role=role,
                azimuth=_resolved(light.azimuth),
                elevation=_resolved(light.elevation),
                distance=light.distance,
                intensity=light.intensity,
                kelvin=light.color_temperature,
                size=_resolved(light.modifier_size),
                softness=_resolved(light.softness),
                modifier=light.modifier,
                subject_yaw=self.subject_yaw,
                output=self._output(role, light),
                power_stated=light.power is not None,
            )
            for role, light in self.lighting_setup.items()
            if light.is_on
        )
        reflectance = (
            MID_GREY_REFLECTANCE
            if self.backdrop_color is None
            else relative_luminance_of_hex(self.backdrop_color)
        )
        return Rig(
            lights=placed,
            subject_yaw=self.subject_yaw,
            background_distance=self.background_distance,
            backdrop_reflectance=reflectance,
            white_balance=self.camera_settings.white_balance,
            shot_type=str(self.camera_settings.shot_type),
            iso=self.camera_settings.iso,
            shutter=self.camera_settings.shutter,
            aperture=self.camera_settings.aperture,
        )

    def _output(self, role: LightType, light: LightSettings) -> float:
        """The light's full-power exposure in units of the reference light's."""
        power = light.power
        exposure = exposure_at_1m(
            None if power is None else power.kind,
            None if power is None else power.value,
            light.modifier,
            self.camera_settings.shutter,
            continuous=role is LightType.AMBIENT or light.modifier in CONTINUOUS_MODIFIERS,
        )
        return exposure / REFERENCE_EXPOSURE


def _resolved(value: float | None) -> float:
    if value is None:  # validation fills every one of these
        raise RuntimeError("SceneRequest.rig() called on an unvalidated light")
    return value


def parse_scene_request(data: Any) -> SceneRequest:
    """Validate ``data`` — a scene request, or the shorthand: its lighting setup alone, keyed by
    role — into a :class:`SceneRequest`; :class:`~lightrig.errors.InvalidLightingSetupError`
    with every failing field path (and what each got and accepts) if it is not one."""
    return SceneRequest.model_validate(data)
