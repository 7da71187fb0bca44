"""The camera: framing, angle, lens, aperture, ISO, shutter and white balance."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from enum import StrEnum
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

from lightrig.lighting.lens import lens_class
from lightrig.models.base import RequestModel
from lightrig.models.values import NUMBER

__all__ = [
    "CameraAngle",
    "CameraSettings",
    "ShotType",
    "focal_length_for_fov",
    "fov_for_focal_length",
    "shutter_seconds",
    "shutter_text",
]

#: Width in millimetres of the full-frame sensor that focal lengths are equivalent to.
FULL_FRAME_WIDTH_MM = 36.0
DEFAULT_FOCAL_LENGTH_MM = 85.0
_FOV_TOLERANCE_DEG = 1.0
#: The focal lengths (mm) and fields of view (degrees) accepted. Their ends are not exactly each
#: other's (an 800 mm lens sees 2.58°, an 8 mm one 132.08°), so a value derived from the other
#: is kept within its own range — less than the 1° the two may disagree by — and a validated
#: camera always validates again.
_FOCAL_MM = (8.0, 800.0)
_FOV_DEG = (2.5, 132.0)


def _within(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def fov_for_focal_length(focal_length_mm: float) -> float:
    """Horizontal field of view in degrees of a full-frame-equivalent focal length in mm."""
    return math.degrees(2.0 * math.atan(FULL_FRAME_WIDTH_MM / (2.0 * focal_length_mm)))


def focal_length_for_fov(fov_deg: float) -> float:
    """Full-frame-equivalent focal length in mm of a horizontal field of view in degrees."""
    return FULL_FRAME_WIDTH_MM / (2.0 * math.tan(math.radians(fov_deg) / 2.0))


class ShotType(StrEnum):
    """How much of the subject the frame holds."""

    EXTREME_CLOSE_UP = "extreme close-up"
    CLOSE_UP = "close-up"
    MEDIUM_CLOSE_UP = "medium close-up"
    MEDIUM_SHOT = "medium shot"
    COWBOY_SHOT = "cowboy shot"
    FULL_SHOT = "full shot"
    WIDE_SHOT = "wide shot"


class CameraAngle(StrEnum):
    """Where the camera looks from, relative to the subject's eyes."""

    EYE_LEVEL = "eye-level"
    HIGH_ANGLE = "high angle"
    LOW_ANGLE = "low angle"
    OVERHEAD = "overhead"
    DUTCH_ANGLE = "dutch angle"


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


_SHOT_ALIASES: dict[str, ShotType] = {
    **{_key(s.value): s for s in ShotType},
    "ecu": ShotType.EXTREME_CLOSE_UP,
    "extreme closeup": ShotType.EXTREME_CLOSE_UP,
    "cu": ShotType.CLOSE_UP,
    "closeup": ShotType.CLOSE_UP,
    "close up": ShotType.CLOSE_UP,
    "headshot": ShotType.CLOSE_UP,
    "head shot": ShotType.CLOSE_UP,
    "mcu": ShotType.MEDIUM_CLOSE_UP,
    "medium closeup": ShotType.MEDIUM_CLOSE_UP,
    "head and shoulders": ShotType.MEDIUM_CLOSE_UP,
    "portrait": ShotType.MEDIUM_CLOSE_UP,
    "ms": ShotType.MEDIUM_SHOT,
    "medium": ShotType.MEDIUM_SHOT,
    "mid shot": ShotType.MEDIUM_SHOT,
    "waist up": ShotType.MEDIUM_SHOT,
    "half body": ShotType.MEDIUM_SHOT,
    "american shot": ShotType.COWBOY_SHOT,
    "three quarter": ShotType.COWBOY_SHOT,
    "fs": ShotType.FULL_SHOT,
    "full body": ShotType.FULL_SHOT,
    "full length": ShotType.FULL_SHOT,
    "ws": ShotType.WIDE_SHOT,
    "wide": ShotType.WIDE_SHOT,
    "long shot": ShotType.WIDE_SHOT,
    "establishing shot": ShotType.WIDE_SHOT,
}

_ANGLE_ALIASES: dict[str, CameraAngle] = {
    **{_key(a.value): a for a in CameraAngle},
    "eye level": CameraAngle.EYE_LEVEL,
    "eyelevel": CameraAngle.EYE_LEVEL,
    "straight on": CameraAngle.EYE_LEVEL,
    "high": CameraAngle.HIGH_ANGLE,
    "low": CameraAngle.LOW_ANGLE,
    "worm's eye": CameraAngle.LOW_ANGLE,
    "worms eye": CameraAngle.LOW_ANGLE,
    "top down": CameraAngle.OVERHEAD,
    "bird's eye": CameraAngle.OVERHEAD,
    "birds eye": CameraAngle.OVERHEAD,
    "flat lay": CameraAngle.OVERHEAD,
    "dutch": CameraAngle.DUTCH_ANGLE,
    "canted": CameraAngle.DUTCH_ANGLE,
    "dutch tilt": CameraAngle.DUTCH_ANGLE,
}

_APERTURE = re.compile(r"^\s*(?:f\s*/?\s*)?(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)
#: An f-number in words as the request schema names it: "f/2.8", "f2.8", "F/16" or "2.8", the
#: number within 0.95–64 (the validator also reads spaces around it and leading zeros).
_APERTURE_TEXT = (
    r"^(?:[fF]/?)?(?:0\.9[5-9][0-9]*|[1-9](?:\.[0-9]+)?|[1-5][0-9](?:\.[0-9]+)?"
    r"|6[0-3](?:\.[0-9]+)?|64(?:\.0+)?)$"
)

#: A shutter time in words as the request schema names it: "1/125" (1/1 to 1/8000 s) or whole
#: seconds "2" (1–60), either optionally followed by "s" or " s"; the validator also reads
#: spaces around it and "sec".
_SHUTTER_TEXT = r"^(?:1/(?:[1-9][0-9]{0,2}|[1-7][0-9]{3}|8000)|[1-9]|[1-5][0-9]|60)(?: ?s)?$"
#: The shutter times accepted, seconds.
_SHUTTER_RANGE = (1.0 / 8000.0, 60.0)
_SHUTTER = re.compile(
    r"^\s*(?:(1)\s*/\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?))\s*(?:s|sec|secs|seconds?)?\s*$",
    re.IGNORECASE,
)


def shutter_seconds(text: str) -> float:
    """A shutter time written as "1/125", "1/125 s", "2s" or "0.5" in seconds; ValueError with
    what is accepted when it is none of these (the range is the field's to check)."""
    match = _SHUTTER.match(text)
    if match is None:
        raise ValueError(f"cannot read shutter {text!r}; write it as '1/125', '2 s' or 0.008")
    if match.group(3) is not None:
        return float(match.group(3))
    denominator = float(match.group(2))
    if denominator <= 0.0:
        raise ValueError(f"cannot read shutter {text!r}; write it as '1/125', '2 s' or 0.008")
    return 1.0 / denominator


def shutter_text(seconds: float) -> str:
    """A shutter time as photographers write it: "1/125 s" below a second, else "2 s"."""
    if seconds < 1.0:
        return f"1/{round(1.0 / seconds):d} s"
    return f"{seconds:g} s"


def _spellings(aliases: Mapping[str, StrEnum]) -> list[str]:
    """The other names of an enum's members the validator reads (the members' own values are
    the enum's; the validator also ignores case and reads "-", "_" and spaces alike)."""
    values = {member.value for member in aliases.values()}
    return sorted(alias for alias in aliases if alias not in values)


def _choice(value: object, aliases: Mapping[str, StrEnum], kind: str) -> object:
    if isinstance(value, str):
        found = aliases.get(_key(value))
        if found is None:
            accepted = ", ".join(f'"{v}"' for v in dict.fromkeys(aliases.values()))
            raise ValueError(f"unknown {kind} {value!r}; accepted: {accepted}")
        return found
    return value


class CameraSettings(RequestModel):
    """The camera. Focal lengths are full-frame equivalents; give ``focal_length`` or ``fov``."""

    model_config = ConfigDict(extra="forbid")

    shot_type: Annotated[
        ShotType,
        Field(
            description="Framing: "
            + ", ".join(s.value for s in ShotType)
            + " (common aliases too).",
        ),
    ] = ShotType.MEDIUM_CLOSE_UP
    camera_angle: Annotated[
        CameraAngle,
        Field(
            description="Camera height and tilt: " + ", ".join(a.value for a in CameraAngle) + ".",
        ),
    ] = CameraAngle.EYE_LEVEL
    focal_length: Annotated[
        float | None,
        Field(
            ge=_FOCAL_MM[0],
            le=_FOCAL_MM[1],
            description=(
                "Full-frame-equivalent focal length in millimetres, 8–800. "
                f"Default {DEFAULT_FOCAL_LENGTH_MM:g} mm when neither this nor fov is given."
            ),
        ),
        NUMBER,
    ] = None
    fov: Annotated[
        float | None,
        Field(
            ge=_FOV_DEG[0],
            le=_FOV_DEG[1],
            description=(
                "Horizontal field of view in degrees, 2.5–132 (an 85 mm lens sees 23.9°, "
                "a 24 mm 73.7°). Must agree with focal_length if both are given. Given alone "
                "with a lens_type that names a focal range (portrait 50–200 mm, telephoto "
                "70–800, standard 35–70, wide-angle 8–35, ultra-wide 8–24) which the angle's "
                "lens falls outside of but the number as millimetres falls inside, the number "
                "is read as a focal length in mm: fov=85 with lens_type='portrait' is an 85 mm "
                "lens (23.9°), not a 20 mm ultra-wide one; the analysis warns that it did so."
            ),
        ),
        NUMBER,
    ] = None
    lens_type: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=40,
            description=(
                "A label for the lens, e.g. 'portrait', 'macro', 'wide-angle'. A label naming a "
                "focal range (see fov) that the lens falls outside of is kept here but not "
                "written into the prompt (it would contradict the focal length), and the "
                "analysis warns."
            ),
        ),
    ] = None
    aperture: Annotated[
        float,
        Field(
            ge=0.95,
            le=64.0,
            description="f-number, 0.95–64; 'f/2.8', 'f2.8' and 2.8 are all accepted.",
        ),
    ] = 4.0
    iso: Annotated[
        float,
        Field(
            ge=25.0,
            le=409600.0,
            description="The ISO speed the meter reads for, 25–409600.",
        ),
        NUMBER,
    ] = 100.0
    shutter: Annotated[
        float,
        Field(
            ge=_SHUTTER_RANGE[0],
            le=_SHUTTER_RANGE[1],
            description=(
                "Shutter time in seconds, 1/8000–60; '1/125', '1/125 s' and 0.008 are all "
                "accepted. A strobe's exposure does not depend on it; continuous light's does."
            ),
        ),
    ] = 1.0 / 125.0
    white_balance: Annotated[
        float,
        Field(
            ge=2000.0,
            le=10000.0,
            description=(
                "The camera's white balance in kelvin, 2000–10000. A light at this temperature "
                "renders neutral; lower-kelvin lights render warm, higher ones cool."
            ),
        ),
        NUMBER,
    ] = 5600.0

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The request's schema says what the validators read beyond the types — the framing's
        and angle's common aliases, the f-number in words — and gives the lens one way: a
        JSON schema cannot say "focal_length and fov agree", so it names the subset that always
        does (one of them). A validated camera (the response's schema) carries both."""
        schema = handler(core_schema)
        if handler.mode != "validation":
            return schema
        found = handler.resolve_ref_schema(schema)
        properties: dict[str, Any] = found["properties"]
        for name, aliases in (("shot_type", _SHOT_ALIASES), ("camera_angle", _ANGLE_ALIASES)):
            field = properties[name]
            reference = {"$ref": field.pop("$ref")}
            field["anyOf"] = [reference, {"type": "string", "enum": _spellings(aliases)}]
        aperture = properties["aperture"]
        number = {key: aperture.pop(key) for key in ("type", "minimum", "maximum")}
        aperture["anyOf"] = [number, {"type": "string", "pattern": _APERTURE_TEXT}]
        shutter = properties["shutter"]
        number = {key: shutter.pop(key) for key in ("type", "minimum", "maximum")}
        shutter["anyOf"] = [number, {"type": "string", "pattern": _SHUTTER_TEXT}]
        given = {"not": {"type": "null"}}
        found["not"] = {
            "required": ["focal_length", "fov"],
            "properties": {"focal_length": given, "fov": given},
        }
        return schema

    @field_validator("shot_type", mode="before")
    @classmethod
    def _shot(cls, value: object) -> object:
        return _choice(value, _SHOT_ALIASES, "shot type")

    @field_validator("camera_angle", mode="before")
    @classmethod
    def _angle(cls, value: object) -> object:
        return _choice(value, _ANGLE_ALIASES, "camera angle")

    @field_validator("aperture", mode="before")
    @classmethod
    def _aperture(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError(f"expected an f-number, got {value!r}; write it as 'f/2.8' or 2.8")
        if isinstance(value, str):
            match = _APERTURE.match(value)
            if match is None:
                raise ValueError(f"cannot read aperture {value!r}; write it as 'f/2.8' or 2.8")
            return float(match.group(1))
        return value

    @field_validator("shutter", mode="before")
    @classmethod
    def _shutter(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError(
                f"expected a shutter time, got {value!r}; write it as '1/125' or 0.008"
            )
        seconds = shutter_seconds(value) if isinstance(value, str) else value
        if (
            isinstance(seconds, int | float)
            and not _SHUTTER_RANGE[0] <= seconds <= _SHUTTER_RANGE[1]
        ):
            raise ValueError(f"got {value!r}; accepted: a shutter time from 1/8000 s to 60 s")
        return seconds

    _notes: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _lens(self) -> Self:
        focal = self.focal_length
        named = lens_class(self.lens_type)
        if (
            focal is None
            and self.fov is not None
            and named is not None
            and not named.holds(focal_length_for_fov(self.fov))
            and named.holds(self.fov)
        ):
            given = self.fov
            focal = given
            self.fov = None
            self._notes = (
                f"camera_settings.fov {given:g} was read as focal_length {given:g} mm: "
                f"{given:g}° is a {focal_length_for_fov(given):.0f} mm lens, outside the "
                f"{named.shortest:g}–{named.longest:g} mm of a {named.name} lens_type "
                f"({self.lens_type!r}); give focal_length: {given:g} to say so, or fov in "
                "degrees to keep the angle",
            )
            self.focal_length = focal
        if focal is None:
            if self.fov is None:
                focal = DEFAULT_FOCAL_LENGTH_MM
            else:
                focal = _within(focal_length_for_fov(self.fov), _FOCAL_MM)
            self.focal_length = focal
        expected = fov_for_focal_length(focal)
        if self.fov is None:
            self.fov = _within(expected, _FOV_DEG)
        elif abs(self.fov - expected) > _FOV_TOLERANCE_DEG:
            raise ValueError(
                f"fov {self.fov:g}° disagrees with focal_length {focal:g} mm "
                f"({expected:.1f}°); give one or make them agree"
            )
        return self

    @property
    def notes(self) -> tuple[str, ...]:
        """How validation read the lens, when it reinterpreted what was given (the fov rule in
        the field's description); empty otherwise. The analysis passes these on as warnings."""
        return self._notes

    @property
    def label_contradicts(self) -> bool:
        """Whether ``lens_type`` names a focal range the resolved focal length is outside of."""
        named = lens_class(self.lens_type)
        return named is not None and not named.holds(self.focal_length_mm)

    @property
    def focal_length_mm(self) -> float:
        """The resolved focal length in millimetres."""
        return self.focal_length if self.focal_length is not None else DEFAULT_FOCAL_LENGTH_MM
