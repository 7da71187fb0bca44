"""Matching a photograph's light: the setup that reproduces what the verifier reads in it.

:func:`match_estimate` turns a :class:`~lightrig.verify.models.LightingEstimate` into a
:class:`~lightrig.models.scene.SceneRequest`, part by part, each part with the confidence of the
reading it comes from (0–1) and a line saying how it was placed:

* **the key** stands where the light was read (azimuth and elevation, degrees), at
  :data:`KEY_DISTANCE_M`; its modifier follows the shadows' hardness — a bare reflector for hard
  shadows, a beauty dish for medium, a softbox for soft (:data:`MODIFIER_FOR`) — and its colour
  the colour temperature read on the lit skin, under the white balance the reading assumed;
* **the fill** stands opposite the key beside the camera (:data:`FILL_AZIMUTH_DEG` from the axis,
  a little above eye level, a reflector) at the intensity that makes the analyzer's ratio the
  one read in the picture (solved by bisection, to :data:`RATIO_TOLERANCE_STOPS`; a ratio flatter
  than a full-power fill there gives is said in ``notes``); a ratio of :data:`NO_FILL_STOPS` or
  more is read as no fill;
* **a key behind the head** (a rim the verifier read past 100° from the nose) is matched as a
  rim-lit setup: the key stands there, no fill is solved for.

What is not read is not invented: the backdrop's colour, the lights' distances and a second
accent light are left at their defaults and named in ``notes``.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.colour import MAX_KELVIN, MIN_KELVIN
from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.modifiers import TYPICAL_SIZE_M, Modifier, modifier_phrase
from lightrig.lighting.softness import ShadowHardness
from lightrig.models.scene import SceneRequest
from lightrig.verify.models import LightingEstimate

__all__ = [
    "FILL_AZIMUTH_DEG",
    "KEY_DISTANCE_M",
    "MODIFIER_FOR",
    "NO_FILL_STOPS",
    "RATIO_TOLERANCE_STOPS",
    "MatchPart",
    "MatchedSetup",
    "UnmatchableError",
    "match_estimate",
]

#: The key's distance from the subject, metres (a picture does not say it).
KEY_DISTANCE_M = 1.5
#: The fill's angle from the camera axis, on the side away from the key, degrees.
FILL_AZIMUTH_DEG = 20.0
#: The fill's height above eye level, degrees.
FILL_ELEVATION_DEG = 5.0
#: The key's modifier for each hardness read.
MODIFIER_FOR = {
    ShadowHardness.HARD: Modifier.BARE,
    ShadowHardness.MEDIUM: Modifier.BEAUTY_DISH,
    ShadowHardness.SOFT: Modifier.SOFTBOX,
}
#: A ratio read this high (stops) or higher is matched with no fill.
NO_FILL_STOPS = 5.0
#: How closely the solved fill reproduces the ratio read, stops.
RATIO_TOLERANCE_STOPS = 0.05
#: A key read this far round from the nose (degrees) is behind the head.
_BEHIND_DEG = 100.0
_KEY_INTENSITY = 0.8
#: A solved fill weaker than this (of full power) is no fill.
_LEAST_FILL = 0.005


class UnmatchableError(ValueError):
    """The picture gives no key direction to build a setup on (no face, or too little of it);
    the estimate's reasons say why."""


class MatchPart(BaseModel):
    """One part of a matched setup: how sure the reading behind it is (0–1) and how it was
    placed."""

    model_config = ConfigDict(frozen=True)

    confidence: Annotated[float, Field(ge=0.0, le=1.0)]
    how: str


class MatchedSetup(BaseModel):
    """A setup built from a picture's light: the request, each part's confidence and how it
    was placed, and what the picture does not tell (left at defaults)."""

    model_config = ConfigDict(frozen=True)

    request: SceneRequest
    parts: dict[str, MatchPart]
    notes: list[str]
    estimate: LightingEstimate


def _fill_for(base: dict[str, Any], stops: float, analyzer: LightingAnalyzer) -> float:
    """The fill intensity (0–1) whose analysed ratio is ``stops`` (full power when even that
    leaves more): bisection on the analyzer's own ratio, which falls as the fill rises."""

    def ratio_with(intensity: float) -> float:
        data = {**base, "lighting_setup": dict(base["lighting_setup"])}
        data["lighting_setup"]["fill"] = {**data["lighting_setup"]["fill"], "intensity": intensity}
        return float(analyzer.analyze(SceneRequest.model_validate(data)).ratio.stops)

    low, high = 1e-3, 1.0
    if ratio_with(high) >= stops:
        return high
    if ratio_with(low) <= stops:
        return low
    for _ in range(40):
        middle = math.sqrt(low * high)  # the ratio is smooth in the fill's log
        if ratio_with(middle) > stops:
            low = middle
        else:
            high = middle
        if math.log2(high / low) < 0.01:
            break
    return math.sqrt(low * high)


def match_estimate(
    estimate: LightingEstimate, *, analyzer: LightingAnalyzer | None = None
) -> MatchedSetup:
    """The setup that reproduces ``estimate`` (see the module's docstring).

    :class:`UnmatchableError` when the estimate has no key direction.
    """
    if estimate.direction is None:
        why = estimate.reasons.get("direction") or estimate.reasons.get("subject") or "not read"
        raise UnmatchableError(f"no key direction to match: {why}")
    analyzer = analyzer or LightingAnalyzer()
    direction = estimate.direction
    azimuth = wrap_degrees(direction.azimuth)
    elevation = max(-85.0, min(85.0, direction.elevation))
    parts: dict[str, MatchPart] = {}
    notes = [
        f"the lights' distances are not read from a picture: the key stands "
        f"{KEY_DISTANCE_M:g} m away",
        "the backdrop's colour is not read: none is set",
    ]
    key: dict[str, Any] = {
        "azimuth": round(azimuth, 1),
        "elevation": round(elevation, 1),
        "intensity": _KEY_INTENSITY,
        "distance": KEY_DISTANCE_M,
    }
    side = "camera-right" if azimuth > 0 else "camera-left"
    parts["key_direction"] = MatchPart(
        confidence=direction.confidence,
        how=f"read at {abs(azimuth):.0f}° {side if abs(azimuth) >= 1 else 'on the axis'}, "
        f"{elevation:+.0f}° from eye level",
    )
    if estimate.hardness is not None:
        modifier = MODIFIER_FOR[estimate.hardness.hardness]
        key["modifier"] = modifier.value
        parts["key_size"] = MatchPart(
            confidence=estimate.hardness.confidence,
            how=f"{estimate.hardness.hardness.value} shadows: "
            f"{modifier_phrase(modifier, TYPICAL_SIZE_M[modifier])}",
        )
    else:
        notes.append(f"the shadows' hardness is not read ({estimate.reasons.get('hardness')})")
    camera: dict[str, Any] = {}
    if estimate.colour is not None:
        kelvin = max(MIN_KELVIN, min(MAX_KELVIN, estimate.colour.kelvin))
        key["color_temperature"] = round(kelvin)
        camera["white_balance"] = round(estimate.colour.white_balance)
        parts["colour"] = MatchPart(
            confidence=estimate.colour.confidence,
            how=f"{kelvin:.0f} K on the lit skin under a {estimate.colour.white_balance:.0f} K "
            "white balance",
        )
    else:
        notes.append(f"the light's colour is not read ({estimate.reasons.get('colour')})")
    base: dict[str, Any] = {"lighting_setup": {"key": key}}
    if camera:
        base["camera_settings"] = camera
    behind = abs(azimuth) > _BEHIND_DEG
    if behind:
        notes.append("the key is behind the head: a rim-lit setup, with no fill solved for")
    elif estimate.ratio is None:
        notes.append(f"the ratio is not read ({estimate.reasons.get('ratio')}): no fill")
    elif estimate.ratio.stops >= NO_FILL_STOPS:
        parts["fill"] = MatchPart(
            confidence=estimate.ratio.confidence,
            how=f"a ratio of {estimate.ratio.stops:.1f} stops: no fill",
        )
    else:
        fill_azimuth = -math.copysign(FILL_AZIMUTH_DEG, azimuth if azimuth != 0 else 1.0)
        base["lighting_setup"]["fill"] = {
            "azimuth": fill_azimuth,
            "elevation": FILL_ELEVATION_DEG,
            "intensity": _KEY_INTENSITY,
            "modifier": "reflector",
            "distance": KEY_DISTANCE_M,
        }
        intensity = _fill_for(base, estimate.ratio.stops, analyzer)
        if intensity < _LEAST_FILL:
            # the key alone lights both probes as evenly as the picture shows: no fill
            del base["lighting_setup"]["fill"]
            alone = analyzer.analyze(SceneRequest.model_validate(base)).ratio.stops
            parts["fill"] = MatchPart(
                confidence=estimate.ratio.confidence,
                how=f"none: the key alone gives {alone:.1f} stops, as even as the "
                f"{estimate.ratio.stops:.1f} read",
            )
        else:
            base["lighting_setup"]["fill"]["intensity"] = round(intensity, 4)
            reached = analyzer.analyze(SceneRequest.model_validate(base)).ratio.stops
            if reached > estimate.ratio.stops + 2 * RATIO_TOLERANCE_STOPS:
                notes.append(
                    f"a fill at full power beside the camera gives {reached:.1f} stops at the "
                    f"flattest, not the {estimate.ratio.stops:.1f} read: move it nearer or add one"
                )
            parts["fill"] = MatchPart(
                confidence=estimate.ratio.confidence,
                how=f"a reflector {abs(fill_azimuth):.0f}° the other side of the camera at "
                f"{intensity:.0%} of the key's power, for the {estimate.ratio.stops:.1f} stops "
                "read",
            )
    request = SceneRequest.model_validate(base)
    return MatchedSetup(request=request, parts=parts, notes=notes, estimate=estimate)
