"""Softness is apparent size: a light's angular size at the subject sets its shadows' edges.

The apparent angle of a source of diameter ``D`` at distance ``d`` is ``θ = 2·atan(D / 2d)``
(a 60 cm softbox at 1 m is 33°, the sun 0.53°). lightrig's 0–1 ``softness`` names a modifier size
through the angle it has at a reference distance of 1 m: ``softness = θ(1 m) / 75°``, so
softness 0.45 is a 60 cm box and 1.0 a 1.5 m octa. Moving a light away therefore makes its
shadows harder, as it does in a studio.
"""

from __future__ import annotations

import math
from enum import StrEnum

__all__ = [
    "FULL_SOFTNESS_ANGLE_DEG",
    "REFERENCE_DISTANCE_M",
    "ShadowHardness",
    "apparent_angle",
    "hardness_for_angle",
    "penumbra_width",
    "size_from_softness",
    "softness_from_size",
]

#: The apparent angle, in degrees at the reference distance, that softness 1.0 stands for.
FULL_SOFTNESS_ANGLE_DEG = 75.0
#: The distance in metres at which softness is defined.
REFERENCE_DISTANCE_M = 1.0
#: Below this apparent angle (degrees) shadows read as hard; above the second, as soft.
HARD_BELOW_DEG = 10.0
SOFT_ABOVE_DEG = 25.0


class ShadowHardness(StrEnum):
    """How a shadow edge reads."""

    HARD = "hard"
    MEDIUM = "medium"
    SOFT = "soft"


def apparent_angle(size_m: float, distance_m: float) -> float:
    """Apparent angle in degrees of a source ``size_m`` metres across at ``distance_m`` metres."""
    return math.degrees(2.0 * math.atan(size_m / (2.0 * distance_m)))


def size_from_softness(softness: float) -> float:
    """Modifier diameter in metres named by a 0–1 ``softness``."""
    half = math.radians(softness * FULL_SOFTNESS_ANGLE_DEG / 2.0)
    return 2.0 * REFERENCE_DISTANCE_M * math.tan(half)


def softness_from_size(size_m: float) -> float:
    """The 0–1 softness of a modifier ``size_m`` metres across (1.0 for anything 1.53 m or more)."""
    return min(1.0, apparent_angle(size_m, REFERENCE_DISTANCE_M) / FULL_SOFTNESS_ANGLE_DEG)


def hardness_for_angle(angle_deg: float) -> ShadowHardness:
    """Hard below 10°, soft above 25°, medium between (apparent angle in degrees)."""
    if angle_deg < HARD_BELOW_DEG:
        return ShadowHardness.HARD
    if angle_deg > SOFT_ABOVE_DEG:
        return ShadowHardness.SOFT
    return ShadowHardness.MEDIUM


def penumbra_width(
    size_m: float, source_to_occluder_m: float, occluder_to_surface_m: float
) -> float:
    """Width in metres of a shadow's soft edge: ``D · (occluder→surface) / (source→occluder)``."""
    return size_m * occluder_to_surface_m / source_to_occluder_m
