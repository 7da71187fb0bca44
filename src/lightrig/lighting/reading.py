"""A reading of a rig: its measurements plus the names they earn.

This is the step between numbers and words: :func:`read` measures the rig, classifies its pattern,
broad/short and tonal key, judges its shadows and its colour balance, and finds its mood. The
rating, the advice and the prompt's words are all computed from a :class:`Reading`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.colour import ColourCast, colour_cast
from lightrig.lighting.consistency import (
    ColourConsistency,
    GelAdvice,
    classify_spread,
    gel_advice,
    mean_kelvin,
    spread,
)
from lightrig.lighting.measure import Measurements, measure, stops_between
from lightrig.lighting.mood import mood_words
from lightrig.lighting.patterns import (
    SILHOUETTE_STOPS,
    Facing,
    Pattern,
    PatternCall,
    TonalKey,
    classify_facing,
    classify_pattern,
    classify_two_sided,
)
from lightrig.lighting.rig import FACE_REFLECTANCE, PlacedLight, Rig
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness, hardness_for_angle
from lightrig.lighting.tonality import tonal_balance

__all__ = ["ColourStats", "Reading", "read"]


@dataclass(slots=True)
class ColourStats:
    """The colour of the light on the subject (kelvin, mireds)."""

    lights: tuple[PlacedLight, ...]
    spread: float
    consistency: ColourConsistency
    mean_kelvin: float
    cast: ColourCast
    gels: tuple[GelAdvice, ...]


@dataclass(slots=True)
class Reading:
    """Measurements and the names they earn."""

    measurements: Measurements
    pattern: PatternCall
    facing: Facing | None
    tonal_key: TonalKey
    hardness: ShadowHardness
    colour: ColourStats
    names: list[str]
    mood: list[str]
    #: Why each name applies: the pattern, broad or short, the tonal key.
    explanation: str = ""


def _names(pattern: Pattern, facing: Facing | None, tonal_key: TonalKey) -> list[str]:
    """Every name that applies, pattern first."""
    names = [str(pattern)]
    if facing is not None:
        names.append(str(facing))
    if tonal_key is not TonalKey.MID:
        names.append(str(tonal_key))
    return names


def _colour(m: Measurements) -> ColourStats:
    on_subject = [x for x in m.lights if x.light.lights_subject]
    lights = [x.light for x in on_subject]
    weights = [x.facing for x in on_subject]
    spread_mired = spread(lights)
    mean = mean_kelvin(lights, weights) if lights else m.rig.white_balance
    key = m.key
    gels: list[GelAdvice] = []
    if key is not None:
        correctable = [
            lt for lt in lights if lt is not key and lt.role in (LightType.FILL, LightType.AMBIENT)
        ]
        gels = gel_advice(key, correctable)
    return ColourStats(
        lights=tuple(lights),
        spread=spread_mired,
        consistency=classify_spread(spread_mired),
        mean_kelvin=mean,
        cast=colour_cast(mean, m.rig.white_balance),
        gels=tuple(gels),
    )


#: Patterns a second light on the other side of the nose can turn flat or cross.
_ONE_SIDED = frozenset({Pattern.LOOP, Pattern.REMBRANDT, Pattern.SPLIT, Pattern.FLAT})
#: Lights that light the face from a side (the background light and ambient do not).
_FACE_ROLES = frozenset({LightType.FILL, LightType.RIM, LightType.KICKER, LightType.HAIR})


def _two_sided(m: Measurements, key: PlacedLight) -> PatternCall | None:
    """Flat or cross lighting when the strongest other light on the face stands on the other
    side of the nose within a stop of the key (see :func:`classify_two_sided`)."""
    others = [
        x for x in m.lights if x.light is not key and x.light.role in _FACE_ROLES and x.facing > 0.0
    ]
    if not others or m.key_facing <= 0.0:
        return None
    other = max(others, key=lambda x: x.facing)
    stops = math.log2(m.key_facing / other.facing)
    return classify_two_sided(
        key.face_azimuth,
        other.light.face_azimuth,
        abs(stops),
        height_apart=other.light.elevation - key.elevation,
    )


def _facing_reason(facing: Facing, subject_yaw: float) -> str:
    """Why a turned face is broad- or short-lit."""
    turned = f"the face turns {abs(subject_yaw):.0f}° toward camera-{_side_word(subject_yaw)}"
    if facing is Facing.SHORT:
        return f"short: {turned}, into the key, which lights the side turned away from the camera"
    return f"broad: {turned}, away from the key, which lights the side turned to the camera"


def _side_word(value: float) -> str:
    return "right" if value > 0 else "left"


def read(rig: Rig) -> Reading:
    """Measure and classify a rig."""
    m = measure(rig)
    key = m.key
    if key is None:
        pattern = (
            PatternCall(Pattern.SILHOUETTE, "no light falls on the face; only the backdrop is lit")
            if m.backdrop_stops >= SILHOUETTE_STOPS
            else PatternCall(Pattern.FLAT, "only ambient light: no direction, so no pattern")
        )
    else:
        pattern = classify_pattern(
            key.face_azimuth,
            key.elevation,
            m.ratio,
            m.fill_below_stops,
            m.backdrop_stops,
            backdrop_over_key_stops=stops_between(
                m.backdrop * rig.backdrop_reflectance, m.key_facing * FACE_REFLECTANCE
            ),
        )
        if pattern.pattern in _ONE_SIDED:
            pattern = _two_sided(m, key) or pattern
    facing = None if key is None else classify_facing(rig.subject_yaw, key.face_azimuth)
    hardness = ShadowHardness.SOFT if key is None else hardness_for_angle(key.apparent_angle)
    balance = tonal_balance(
        pattern=pattern.pattern,
        shadow_stops=m.stops,
        backdrop_stops=m.backdrop_stops,
        shot_type=rig.shot_type,
    )
    # a dark shape on a bright ground is neither high- nor low-key
    tonal_key = TonalKey.MID if pattern.pattern is Pattern.SILHOUETTE else balance.tonal_key
    reasons = [pattern.reason]
    if facing is not None and key is not None:
        reasons.append(_facing_reason(facing, rig.subject_yaw))
    if tonal_key is not TonalKey.MID:
        reasons.append(balance.reason)
    colour = _colour(m)
    mood = mood_words(
        pattern=pattern.pattern,
        tonal_key=tonal_key,
        stops=m.stops,
        hardness=hardness,
        cast=colour.cast,
        consistency=colour.consistency,
        face_lit=m.face_lit,
    )
    return Reading(
        measurements=m,
        pattern=pattern,
        facing=facing,
        tonal_key=tonal_key,
        hardness=hardness,
        colour=colour,
        names=_names(pattern.pattern, facing, tonal_key),
        mood=mood,
        explanation="; ".join(reasons),
    )
