"""One light of a setup: where it is, how strong, what colour, how soft."""

from __future__ import annotations

import math
from typing import Annotated, Any, Self

from pydantic import (
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from lightrig.lighting.colour import MAX_KELVIN, MIN_KELVIN
from lightrig.lighting.direction import ACCEPTED_FORMS, describe_direction, parse_direction
from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.modifiers import TYPICAL_SIZE_M, Modifier
from lightrig.lighting.power import CONTINUOUS_MODIFIERS
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import size_from_softness, softness_from_size
from lightrig.lighting.stands import MAX_EYE_HEIGHT_M, MIN_EYE_HEIGHT_M
from lightrig.models.base import RequestModel
from lightrig.models.power import LightPower
from lightrig.models.values import NUMBER, SWITCH

__all__ = [
    "CANONICAL_DIRECTION",
    "DEFAULT_SOFTNESS",
    "LUX_OR_NOTHING",
    "MAX_DISTANCE_M",
    "LightSettings",
    "LightType",
    "Modifier",
]

#: Softness given to a light that names neither a softness, a modifier nor a modifier size.
DEFAULT_SOFTNESS = 0.5
#: How far (degrees) a numeric angle may sit from the angle its direction text names.
_ANGLE_TOLERANCE_DEG = 0.5
#: How far a given softness may sit from the softness of a given modifier size.
_SOFTNESS_TOLERANCE = 0.05
#: The farthest a light may be from its subject, metres.
MAX_DISTANCE_M = 100.0
#: The lowest and highest a light's centre can be, metres above the floor: the lowest eyes less
#: the longest distance (under the floor: an elevation may put a light there), the highest eyes
#: plus it. A height given alone is on or above the floor.
_HEIGHT_RANGE_M = (MIN_EYE_HEIGHT_M - MAX_DISTANCE_M, MAX_EYE_HEIGHT_M + MAX_DISTANCE_M)

_DEGREES = r"(?:180(?:\.0+)?|1[0-7][0-9](?:\.[0-9]+)?|[1-9]?[0-9](?:\.[0-9]+)?)"
_SIDE = "camera-(?:left|right)"
#: The direction phrases the request schema names (a regular expression): the horizontal forms
#: the grammar reads — "front", "behind", "camera-left", "side, camera-right", "behind subject,
#: camera-left", "45 degrees camera-right" (0–180, also "45°" or "45 deg") — and a bare azimuth
#: in degrees, −180…180. The grammar reads many more (heights, clock positions, the subject's own
#: sides; see ``lightrig.lighting.direction``), which no regular expression can say exactly, so
#: the schema promises these and the server accepts them and more.
CANONICAL_DIRECTION = (
    f"^(?:front|behind|(?:behind(?: subject)?, |side, )?{_SIDE}"
    f"|{_DEGREES}(?: degrees| deg|°)? {_SIDE}|-?{_DEGREES})$"
)


#: JSON Schema: no power, or a power stated in lux (continuous light's only unit).
LUX_OR_NOTHING: dict[str, Any] = {
    "anyOf": [
        {"type": "null"},
        {"required": ["lux_at_1m"], "properties": {"lux_at_1m": {"type": "number"}}},
    ]
}


def _not_both(first: str, second: str) -> dict[str, Any]:
    """JSON Schema: ``first`` and ``second`` are not both given (null counts as not given)."""
    given = {"not": {"type": "null"}}
    return {"not": {"required": [first, second], "properties": {first: given, second: given}}}


class LightSettings(RequestModel):
    """A light: its direction, intensity, colour temperature, softness or modifier, and distance.

    Place it in words (``direction="45 degrees camera-right"``), in numbers (``azimuth=45,
    elevation=30``) or both; when both are given they must agree. Its height may be given in
    metres above the floor instead of the elevation (``height=2.2``); the scene, which knows the
    subject's eye height, turns one into the other (:class:`~lightrig.models.scene.SceneRequest`).
    After validation a light placed in words also carries its angles, and its softness and
    modifier size agree. Treat a
    validated light as immutable: build a changed copy with ``LightSettings(**{**old, ...})``.
    Bad values raise :class:`~lightrig.errors.InvalidLightingSetupError`.
    """

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    direction: Annotated[
        str | None,
        Field(
            max_length=120,
            description=(
                "Where the light comes from, in words as seen from the camera: "
                + ACCEPTED_FORMS
                + ". A number is read as an azimuth in degrees. The request schema names the "
                "canonical phrases (the horizontal ones) and numbers; give this or azimuth (both "
                "are read when they agree)."
            ),
            examples=[
                "45 degrees camera-right",
                "behind subject, camera-left",
                "side, camera-left",
            ],
        ),
    ] = None
    azimuth: Annotated[
        float | None,
        Field(
            ge=-180.0,
            le=180.0,
            description=(
                "Horizontal angle in degrees from the camera axis around the subject, "
                "−180…180: 0 at the camera, positive toward camera-right, ±90 side, 180 behind. "
                "Every light but the ambient needs this or a direction."
            ),
        ),
        NUMBER,
    ] = None
    elevation: Annotated[
        float | None,
        Field(
            ge=-90.0,
            le=90.0,
            description=(
                "Height in degrees above the subject's eye level, −90…90 (90 = overhead). "
                "When neither this nor the direction says, the role's usual height is used "
                "(key 30°, fill 0°, rim 20°, kicker 10°, hair 50°)."
            ),
        ),
        NUMBER,
    ] = None
    height: Annotated[
        float | None,
        Field(
            ge=_HEIGHT_RANGE_M[0],
            le=_HEIGHT_RANGE_M[1],
            description=(
                "Height in metres of the light's centre above the floor (what its stand is "
                "raised to); give this or elevation (both are read when they agree within 1 cm). "
                "Given alone it sets the elevation from the scene's subject_eye_height and the "
                "light's distance, so it must be on or above the floor (0 or more) and within "
                "reach: |height − subject_eye_height| ≤ distance. A validated light carries both "
                "(below 0 when its elevation puts it under the floor). Not for the ambient light."
            ),
        ),
        NUMBER,
    ] = None
    intensity: Annotated[
        float,
        Field(
            ge=0.0,
            le=1.0,
            description="Fraction of full power, 0–1 (linear: 0.5 is one stop under 1.0).",
        ),
        NUMBER,
    ]
    color_temperature: Annotated[
        float,
        Field(
            ge=MIN_KELVIN,
            le=MAX_KELVIN,
            description=(
                f"Colour temperature in kelvin, {MIN_KELVIN}–{MAX_KELVIN} "
                "(1900 candle, 3200 tungsten, 5600 daylight / flash, 7000+ shade)."
            ),
        ),
        NUMBER,
    ] = 5600.0
    softness: Annotated[
        float | None,
        Field(
            ge=0.0,
            le=1.0,
            description=(
                "0–1: the modifier's size as its apparent angle at 1 m divided by 75° "
                "(0 a point source, 0.45 a 60 cm softbox, 1.0 a 1.5 m octabox). Shadows harden "
                f"as the light moves away. Default {DEFAULT_SOFTNESS} when no modifier is named."
            ),
        ),
        NUMBER,
    ] = None
    modifier: Annotated[
        Modifier | None,
        Field(description="What shapes the light: softbox, octabox, beauty_dish, ..."),
    ] = None
    modifier_size: Annotated[
        float | None,
        Field(
            ge=0.0,
            le=10.0,
            description=(
                "Diameter of the modifier in metres, 0–10 (a strip box: its equivalent circle). "
                "Overrides the modifier's typical size; must agree with softness if both are given."
            ),
        ),
        NUMBER,
    ] = None
    distance: Annotated[
        float,
        Field(
            ge=0.1,
            le=MAX_DISTANCE_M,
            description=(
                "Metres from the light to the subject, 0.1–100 (for a background light: to the "
                "backdrop). Ignored for ambient light."
            ),
        ),
        NUMBER,
    ] = 1.5
    power: Annotated[
        LightPower | None,
        Field(
            description=(
                "What the light puts out at full power, in absolute units: watt_seconds, "
                "guide_number or lux_at_1m (one of them). Then intensity is the power setting "
                "(0.25 = 1/4 power) and the analysis's meter reads f-numbers from it. Without "
                "it the light is the reference light: f/16 at 1 m, ISO 100, at full power."
            )
        ),
    ] = None
    enabled: Annotated[bool, Field(description="Whether the light is switched on."), SWITCH] = True

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The request's schema says what the validators check beyond the types: a direction
        is one of the canonical phrases or a number of degrees, a height given is on or above
        the floor, and the pairs that must agree (direction and azimuth; softness and
        modifier_size; height and elevation) are given one at a time — a JSON schema cannot say
        "agree", so it names the subset that always does. A validated light (the response's
        schema) carries both of each pair."""
        schema = handler(core_schema)
        if handler.mode != "validation":
            return schema
        found = handler.resolve_ref_schema(schema)
        direction = found["properties"]["direction"]
        direction["anyOf"] = [
            {"type": "string", "maxLength": 120, "pattern": CANONICAL_DIRECTION},
            {"type": "number", "minimum": -180.0, "maximum": 180.0},
            {"type": "null"},
        ]
        heights = found["properties"]["height"]["anyOf"]
        next(part for part in heights if part.get("type") == "number")["minimum"] = 0.0
        daylight = {
            "required": ["modifier"],
            "properties": {"modifier": {"enum": sorted(m.value for m in CONTINUOUS_MODIFIERS)}},
        }
        found["allOf"] = [
            _not_both("direction", "azimuth"),
            _not_both("softness", "modifier_size"),
            _not_both("height", "elevation"),
            # a window or the sky is daylight: its power, when stated, is in lux
            {"anyOf": [{"not": daylight}, {"properties": {"power": LUX_OR_NOTHING}}]},
        ]
        return schema

    @field_validator("direction", mode="before")
    @classmethod
    def _direction_text(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError(f"expected words or a number of degrees; accepted: {ACCEPTED_FORMS}")
        if isinstance(value, int | float):
            if not math.isfinite(value) or not -180.0 <= float(value) <= 180.0:
                raise ValueError(
                    f"a numeric direction is an azimuth in degrees, −180…180, not {value}"
                )
            return describe_direction(float(value))
        if isinstance(value, str):
            parse_direction(value)  # raises with the accepted forms
        return value

    #: Which of height and elevation the light was given (by its fields or its direction's
    #: words), as opposed to worked out by a scene: a scene reads the light from these, so one
    #: light object may go into scenes whose subjects' eyes are at different heights. Set when
    #: the light is first validated (a scene validates the objects it is given again, after an
    #: earlier scene has filled them in).
    _given: frozenset[str] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _resolve(self) -> Self:
        self._resolve_direction()
        self._resolve_softness()
        self._check_power()
        if self._given is None:
            self._given = frozenset(
                name for name in ("height", "elevation") if getattr(self, name) is not None
            )
        return self

    def __eq__(self, other: object) -> bool:
        """Two lights are equal when their fields are: which of height and elevation each was
        given (a private note for the scene) does not count — a light read back from its own
        JSON, which carries both, equals the light it was written from."""
        if not isinstance(other, LightSettings):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like every request model

    @property
    def given_placement(self) -> frozenset[str]:
        """Which of ``height`` and ``elevation`` the light was given (a direction that names a
        height gives the elevation); the scene works out the rest."""
        return self._given or frozenset()

    def _check_power(self) -> None:
        if (
            self.power is not None
            and not self.power.is_continuous
            and self.modifier in CONTINUOUS_MODIFIERS
        ):
            raise ValueError(
                f"power: a {self.modifier} is daylight, not a strobe; give its lux_at_1m "
                f"instead of {self.power.kind}"
            )

    def _resolve_direction(self) -> None:
        if self.direction is None:
            return
        parsed = parse_direction(self.direction)
        if self.azimuth is None:
            self.azimuth = parsed.azimuth
        elif abs(wrap_degrees(self.azimuth - parsed.azimuth)) > _ANGLE_TOLERANCE_DEG:
            raise ValueError(
                f"direction {self.direction!r} means azimuth {parsed.azimuth:g}° "
                f"but azimuth is {self.azimuth:g}°; give one or make them agree"
            )
        if parsed.elevation is not None:
            if self.elevation is None:
                self.elevation = parsed.elevation
            elif abs(self.elevation - parsed.elevation) > _ANGLE_TOLERANCE_DEG:
                raise ValueError(
                    f"direction {self.direction!r} means elevation {parsed.elevation:g}° "
                    f"but elevation is {self.elevation:g}°; give one or make them agree"
                )

    def _resolve_softness(self) -> None:
        if self.modifier_size is not None:
            derived = softness_from_size(self.modifier_size)
            if self.softness is None:
                self.softness = derived
            elif abs(self.softness - derived) > _SOFTNESS_TOLERANCE:
                raise ValueError(
                    f"softness {self.softness:g} disagrees with modifier_size "
                    f"{self.modifier_size:g} m (softness {derived:.2f}); "
                    "give one or make them agree"
                )
        elif self.softness is not None:
            self.modifier_size = size_from_softness(self.softness)
        elif self.modifier is not None:
            self.modifier_size = TYPICAL_SIZE_M[self.modifier]
            self.softness = softness_from_size(self.modifier_size)
        else:
            self.softness = DEFAULT_SOFTNESS
            self.modifier_size = size_from_softness(DEFAULT_SOFTNESS)

    @property
    def is_on(self) -> bool:
        """Enabled and giving light (intensity above 0)."""
        return self.enabled and self.intensity > 0.0
