"""What the analyzer says about a setup, field by field, with units.

Illuminance is relative: 1.0 is what a full-power light delivers 1 m away to a surface facing it.
The parts of an analysis are frozen dataclasses (cheap to build: an analysis is made on every
change in the studio); :class:`LightingAnalysis` itself is a Pydantic model, which validates,
serialises and describes them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lightrig.lighting.colour import ColourCast
from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.patterns import Facing, Pattern, TonalKey
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness

__all__ = [
    "ColourReport",
    "GelReport",
    "LightMeterReport",
    "LightReport",
    "LightingAnalysis",
    "MeterReadingReport",
    "MeterReport",
    "RatingComponent",
    "RatioReport",
    "ShadowReport",
]


@dataclass(frozen=True, slots=True)
class LightReport:
    """One light as it reaches the subject."""

    role: LightType
    azimuth: Annotated[
        float, Field(description="Degrees from the camera axis, positive camera-right.")
    ]
    elevation: Annotated[float, Field(description="Degrees above eye level.")]
    distance: Annotated[
        float, Field(description="Metres to the subject (background light: to the backdrop).")
    ]
    intensity: Annotated[float, Field(description="Fraction of full power, 0–1.")]
    color_temperature: Annotated[float, Field(description="Kelvin.")]
    mired: Annotated[float, Field(description="10⁶ / kelvin.")]
    modifier: Modifier | None
    modifier_size: Annotated[float, Field(description="Modifier diameter in metres.")]
    apparent_angle: Annotated[
        float, Field(description="Degrees the source spans seen from the subject.")
    ]
    hardness: ShadowHardness
    illuminance: Annotated[
        float, Field(description="Relative illuminance on a surface facing the light.")
    ]
    on_lit_side: Annotated[
        float, Field(description="Relative illuminance it adds to the lit-side probe.")
    ]
    on_shadow_side: Annotated[
        float, Field(description="Relative illuminance it adds to the shadow side.")
    ]
    stops_from_key: Annotated[
        float | None,
        Field(
            description="Stops relative to the key at the subject (negative = under); "
            "None for the key."
        ),
    ]
    near_field: Annotated[
        bool,
        Field(
            description="Closer than five modifier diameters, where inverse square "
            "overstates falloff."
        ),
    ]


@dataclass(frozen=True, slots=True)
class RatioReport:
    """Lit side against shadow side, measured where the light falls on the face."""

    ratio: Annotated[float, Field(description="Lit-side / shadow-side illuminance, as N in N:1.")]
    stops: Annotated[float, Field(description="log2 of the ratio.")]
    asc_ratio: Annotated[
        float,
        Field(
            description="The ASC (key+fill):fill form: 1 + key alone on the lit side / fill on the "
            "shadow side. 2:1 means key and fill are equal."
        ),
    ]
    key_over_fill_stops: Annotated[
        float | None,
        Field(
            description="Stops the key alone stands over everything else on the shadow side; None "
            "when the key does not reach the lit side (it is behind the face)."
        ),
    ]
    lit_side: Annotated[
        str, Field(description="Where the lit-side probe points: 'camera-left', 'top', ...")
    ]
    lit_illuminance: Annotated[
        float, Field(description="Relative illuminance on the lit-side probe.")
    ]
    shadow_illuminance: Annotated[
        float, Field(description="Relative illuminance on the shadow-side probe.")
    ]
    shadow_unlit: Annotated[
        bool, Field(description="No light reaches the shadow side (ratio capped).")
    ]
    intensity_ratio: Annotated[
        float | None,
        Field(
            description="Key intensity / fill intensity, what naive tools call the ratio: it "
            "ignores distance, angle and spill. None without a fill (or with one so faint "
            "that the ratio is no number)."
        ),
    ]


@dataclass(frozen=True, slots=True)
class GelReport:
    """A gel that would bring a light to the key's colour."""

    role: LightType
    gel: Annotated[str, Field(description="Gel name(s), e.g. '1/2 CTO'.")]
    mired_shift: Annotated[float, Field(description="Mireds the gel adds (positive warms).")]
    from_kelvin: float
    to_kelvin: float
    residual_mired: Annotated[
        float, Field(description="Mireds still between the gelled light and the key.")
    ]


@dataclass(frozen=True, slots=True)
class ColourReport:
    """The colour of the light on the subject."""

    white_balance: Annotated[float, Field(description="The camera's white balance, kelvin.")]
    key_kelvin: float
    mean_kelvin: Annotated[
        float, Field(description="Illuminance-weighted mean on the subject, kelvin.")
    ]
    spread_mired: Annotated[
        float, Field(description="Largest difference between lights on the subject.")
    ]
    consistency: ColourConsistency
    cast: Annotated[
        ColourCast, Field(description="How the mean light renders against the white balance.")
    ]
    gels: list[GelReport]


@dataclass(frozen=True, slots=True)
class ShadowReport:
    """The key's shadows."""

    hardness: ShadowHardness
    key_apparent_angle: Annotated[
        float, Field(description="Degrees the key spans seen from the subject.")
    ]
    nose_shadow_edge_mm: Annotated[
        float,
        Field(
            description="Width in millimetres of the soft edge of the nose's shadow on the cheek."
        ),
    ]


@dataclass(frozen=True, slots=True)
class RatingComponent:
    """One part of the rating: its score out of its maximum, and why."""

    name: str
    score: float
    max_score: float
    reason: str


@dataclass(frozen=True, slots=True)
class MeterReadingReport:
    """One incident-meter reading at the camera's ISO and shutter."""

    text: Annotated[str, Field(description="As a meter shows it: 'f/8 + 3/10' (tenths of a stop).")]
    f_number: Annotated[float, Field(description="The f-number the reading calls for.")]
    av: Annotated[float, Field(description="Aperture value, 2·log₂ N: one stop a unit.")]
    ev: Annotated[float, Field(description="Exposure value log₂(N²/t) at the camera's shutter.")]
    exposure: Annotated[
        float, Field(description="The exposure metered, lux-seconds (illuminance × time).")
    ]


@dataclass(frozen=True, slots=True)
class LightMeterReport:
    """One light metered alone."""

    role: LightType
    power_stated: Annotated[
        bool,
        Field(description="False: no power given, read as the reference light (f/16 at 1 m)."),
    ]
    power_setting: Annotated[
        str, Field(description="Its intensity as a power setting: '1/4 power (−2.0 stops)'.")
    ]
    power_setting_stops: Annotated[
        float, Field(description="Stops below full power (log₂ of the intensity; 0 at full).")
    ]
    full_power_at_1m: Annotated[
        float,
        Field(
            description="Lux-seconds it gives at full power 1 m away on a surface facing it "
            "(far field), at the camera's shutter for continuous light."
        ),
    ]
    facing: Annotated[
        MeterReadingReport | None,
        Field(description="Its reading at the subject on a surface facing it squarely."),
    ]
    lit: Annotated[
        MeterReadingReport | None, Field(description="Its reading on the face's lit-side probe.")
    ]
    shadow: Annotated[
        MeterReadingReport | None,
        Field(description="Its reading on the shadow-side probe (None: it does not reach it)."),
    ]


@dataclass(frozen=True, slots=True)
class MeterReport:
    """What a light meter would read on set, and what the exposure comes to."""

    iso: Annotated[float, Field(description="The camera's ISO the readings are for.")]
    shutter: Annotated[float, Field(description="The camera's shutter, seconds.")]
    shutter_text: Annotated[str, Field(description="The shutter as written: '1/125 s'.")]
    aperture: Annotated[float, Field(description="The camera's f-number.")]
    lit: Annotated[
        MeterReadingReport | None,
        Field(description="Every light together on the lit-side probe: the exposure reading."),
    ]
    shadow: Annotated[
        MeterReadingReport | None,
        Field(description="Every light together on the shadow-side probe (None: no light)."),
    ]
    backdrop: Annotated[
        MeterReadingReport | None, Field(description="The backdrop behind the head.")
    ]
    ratio_stops: Annotated[
        float | None,
        Field(
            description="lit.av − shadow.av: the analysis's ratio in stops (None: the shadow "
            "side gets no light)."
        ),
    ]
    exposure_stops: Annotated[
        float | None,
        Field(
            description="The lit side against the camera's aperture, stops (positive = over; "
            "None: nothing lights the face)."
        ),
    ]
    exposure: Annotated[
        str, Field(description="In words: 'correct', '1.3 stops over', '0.7 stops under'.")
    ]
    target_aperture: Annotated[
        float, Field(description="The f-number the power change aims the lit side at.")
    ]
    power_change_stops: Annotated[
        float | None,
        Field(description="Stops every light's power must change by to reach the target."),
    ]
    power_change: Annotated[
        str, Field(description="The change in words, per light, as new power settings.")
    ]
    lights: list[LightMeterReport]
    notes: list[str]


class LightingAnalysis(BaseModel):
    """A photographer's reading of a setup: numbers, names, a self-explaining rating, advice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_role: LightType | None = Field(description="The light acting as key (None: ambient only).")
    lights: list[LightReport]
    ratio: RatioReport
    colour: ColourReport
    shadows: ShadowReport
    pattern: Pattern
    pattern_reason: str
    facing: Facing | None = Field(description="Broad or short, when the head is turned.")
    tonal_key: TonalKey
    pattern_names: list[str] = Field(
        description="Every name that applies: pattern, broad/short, high-/low-key."
    )
    backdrop_stops: float = Field(
        description="Backdrop luminance over the face's lit side, in stops (negative = darker)."
    )
    meter: MeterReport = Field(
        description="Incident-meter readings in f-numbers at the camera's ISO and shutter."
    )
    mood: list[str] = Field(description="Mood words, strongest first.")
    rating: float = Field(ge=1.0, le=10.0, description="1–10; the sum of the components.")
    rating_components: list[RatingComponent]
    recommendations: list[str]
    warnings: list[str]
    summary: str
