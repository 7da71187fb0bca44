"""The conventions document: lightrig's vocabulary and the diagram's conventions and scales, as
``GET /v1/conventions`` serves them to the studio (:func:`lightrig.conventions.conventions`
assembles it from the tables the rest of lightrig reads).

Angles are in degrees, distances and sizes in metres, colour temperatures in kelvin, colour
shifts in mireds (``10⁶ / K``), lengths on the diagram in pixels of its ``viewBox``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.roles import LightType

__all__ = [
    "AzimuthConvention",
    "ColourName",
    "Conventions",
    "DiagramScale",
    "GelConvention",
    "LightSourceConvention",
    "ModifierConvention",
    "PatternConvention",
    "Range",
    "Ranges",
    "RoleConvention",
    "SoftnessConvention",
    "StandsConvention",
]

_HEX = r"^#[0-9a-f]{6}$"
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class RoleConvention(BaseModel):
    """A role a light plays, with its words and colours."""

    model_config = _FROZEN

    value: LightType
    label: Annotated[str, Field(description='Its name in menus and on the diagram ("Key").')]
    blurb: Annotated[str, Field(description="What the role is for, in a sentence.")]
    accent: Annotated[
        str, Field(pattern=_HEX, description="Its colour on the API's diagram (sRGB hex).")
    ]
    accent_on_dark: Annotated[
        str,
        Field(pattern=_HEX, description="A lighter shade of it for a dark page (sRGB hex)."),
    ]
    default_elevation_deg: Annotated[
        float,
        Field(description="Degrees above eye level given to it when a direction names no height."),
    ]


class ModifierConvention(BaseModel):
    """A light modifier and its typical size."""

    model_config = _FROZEN

    value: Modifier
    label: Annotated[str, Field(description='Its name in menus ("Beauty dish").')]
    short: Annotated[str, Field(description='Its name on the diagram ("beauty dish").')]
    typical_size_m: Annotated[
        float,
        Field(
            gt=0.0,
            description="Typical diameter in metres (a strip box: its equal-area circle).",
        ),
    ]
    sized: Annotated[
        bool, Field(description='Whether photographers quote its size ("a 90 cm softbox").')
    ]


class GelConvention(BaseModel):
    """A colour-correction gel."""

    model_config = _FROZEN

    name: Annotated[str, Field(description='"1/2 CTO", "full CTB", ...')]
    mired_shift: Annotated[
        float, Field(description="Mireds it adds to a light (positive warms); gels stack.")
    ]


class PatternConvention(BaseModel):
    """A lighting pattern the analyzer names."""

    model_config = _FROZEN

    value: Pattern
    label: Annotated[str, Field(description='Its name as a prompt writes it ("Rembrandt").')]


class LightSourceConvention(BaseModel):
    """A light source photographers name by its colour."""

    model_config = _FROZEN

    name: str
    kelvin: Annotated[float, Field(gt=0.0, description="Its colour temperature in kelvin.")]


class ColourName(BaseModel):
    """The source a colour temperature is called after: the first entry whose ``below_kelvin``
    is above the colour (or is null: every colour from the previous bound up)."""

    model_config = _FROZEN

    name: str
    below_kelvin: Annotated[
        float | None,
        Field(description="Kelvin under which a colour is called this; null for the last."),
    ]


class Range(BaseModel):
    """The inclusive range the API accepts for a quantity (unit in the field's name)."""

    model_config = _FROZEN

    min: float
    max: float


class Ranges(BaseModel):
    """What the API accepts, as its request models declare it."""

    model_config = _FROZEN

    kelvin: Annotated[Range, Field(description="A light's colour temperature, kelvin.")]
    white_balance_k: Annotated[Range, Field(description="The camera's white balance, kelvin.")]
    distance_m: Annotated[
        Range, Field(description="A light's distance, metres (background light: to the backdrop).")
    ]
    azimuth_deg: Annotated[Range, Field(description="A light's azimuth, degrees.")]
    elevation_deg: Annotated[Range, Field(description="A light's height, degrees.")]
    subject_yaw_deg: Annotated[Range, Field(description="The head's turn, degrees.")]
    background_distance_m: Annotated[
        Range, Field(description="The backdrop's distance behind the subject, metres.")
    ]
    subject_eye_height_m: Annotated[
        Range, Field(description="The subject's eyes above the floor, metres.")
    ]


class SoftnessConvention(BaseModel):
    """How softness follows from a source's apparent size, and how shadow edges read."""

    model_config = _FROZEN

    full_softness_angle_deg: Annotated[
        float,
        Field(description="Apparent angle in degrees at the reference distance of softness 1.0."),
    ]
    reference_distance_m: Annotated[
        float, Field(description="Metres at which softness is defined.")
    ]
    hard_below_deg: Annotated[
        float, Field(description="Apparent angle in degrees under which shadows read hard.")
    ]
    soft_above_deg: Annotated[
        float, Field(description="Apparent angle in degrees over which shadows read soft.")
    ]
    default_softness: Annotated[
        float, Field(ge=0.0, le=1.0, description="The 0–1 softness of a light given no size.")
    ]


class StandsConvention(BaseModel):
    """Heights above the floor (:mod:`lightrig.lighting.stands`): a light's centre stands
    ``eye + distance·sin(elevation)`` high, ``distance·cos(elevation)`` from the subject along
    the floor; the camera stands at the eyes' height plus its angle's offset (at least
    ``min_camera_height_m``), ``frame height × focal length / sensor height`` in front."""

    model_config = _FROZEN

    default_eye_height_m: Annotated[
        float, Field(description="The subject's eyes above the floor when the scene names none.")
    ]
    height_tolerance_m: Annotated[
        float, Field(description="Metres a given height may sit from its elevation's height.")
    ]
    camera_offset_m: Annotated[
        dict[str, float],
        Field(description="Metres the camera stands above (+) or below the eyes, by angle."),
    ]
    min_camera_height_m: Annotated[float, Field(description="The lowest a camera stands.")]
    frame_height_m: Annotated[
        dict[str, float],
        Field(description="Metres of the subject a frame holds top to bottom, by shot type."),
    ]
    sensor_height_mm: Annotated[
        float, Field(description="The frame's height on a full-frame sensor, millimetres.")
    ]


class DiagramScale(BaseModel):
    """The diagram's scale (pixels of its viewBox): a light ``d`` metres away is drawn
    ``base_px + px_per_m·d`` from the subject up to ``linear_limit_m``, then ``px_per_decade``
    more per tenfold distance, ``d`` clamped to 0–``max_distance_m``; a modifier's icon is
    ``icon_px_per_m`` per metre of its diameter within ``icon_min_px``–``icon_max_px``."""

    model_config = _FROZEN

    base_px: Annotated[float, Field(description="Radius in px of a light 0 m away.")]
    px_per_m: Annotated[float, Field(description="Pixels per metre up to the linear limit.")]
    linear_limit_m: Annotated[float, Field(description="Metres up to which the scale is linear.")]
    px_per_decade: Annotated[float, Field(description="Pixels per tenfold distance beyond it.")]
    max_distance_m: Annotated[float, Field(description="Metres beyond which lights stop moving.")]
    min_background_light_m: Annotated[
        float,
        Field(description="Least metres from the subject a background light behind it is drawn."),
    ]
    icon_px_per_m: Annotated[float, Field(description="Icon pixels per metre of modifier.")]
    icon_min_px: Annotated[float, Field(description="The smallest icon, px.")]
    icon_max_px: Annotated[float, Field(description="The largest icon, px.")]


class AzimuthConvention(BaseModel):
    """How azimuths are measured, in the diagram and in every request."""

    model_config = _FROZEN

    zero: Literal["camera"] = "camera"
    positive: Literal["camera-right"] = "camera-right"
    behind_deg: Annotated[float, Field(description="±this many degrees is behind the subject.")] = (
        180.0
    )
    description: str = (
        "Degrees around the subject seen from above: 0 at the camera, positive toward "
        "camera-right, negative camera-left, ±180 straight behind. On the diagram the camera "
        "is at the bottom and camera-right on the right: x = r·sin(a), y = r·cos(a), y down."
    )


class Conventions(BaseModel):
    """lightrig's vocabulary and the diagram's conventions: what the studio draws and names
    with, so that it agrees with the API's diagram and analysis."""

    model_config = _FROZEN

    version: Annotated[
        str,
        Field(
            pattern=r"^[0-9a-f]{16}$",
            description="A hash of the rest of the document: it changes when anything in it does.",
        ),
    ]
    roles: Annotated[tuple[RoleConvention, ...], Field(description="Every role, in order.")]
    modifiers: Annotated[
        tuple[ModifierConvention, ...], Field(description="Every modifier, smallest kinds first.")
    ]
    gels: tuple[GelConvention, ...]
    matched_mired: Annotated[
        float, Field(description="Mireds within which two lights read as matched (no gel).")
    ]
    patterns: tuple[PatternConvention, ...]
    light_sources: tuple[LightSourceConvention, ...]
    colour_names: Annotated[
        tuple[ColourName, ...],
        Field(description="What a colour temperature is called, warmest first."),
    ]
    ranges: Ranges
    softness: SoftnessConvention
    diagram: DiagramScale
    azimuth: AzimuthConvention
    stands: StandsConvention
