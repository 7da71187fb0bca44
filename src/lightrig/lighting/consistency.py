"""Colour balance between the lights on the subject, judged in mireds.

The spread is the largest difference in mireds between any two lights that reach the subject, so it
does not depend on which light has which temperature. Within 10 mired the lights read as matched,
up to 25 a slight mix, up to 50 a visible mix, beyond that a deliberate mix (warm key and cool rim,
say). The colour the subject takes is the illuminance-weighted mean in mireds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lightrig.lighting.colour import kelvin_from_mired
from lightrig.lighting.gels import GelSuggestion, gelled_kelvin, suggest_gel
from lightrig.lighting.rig import PlacedLight
from lightrig.lighting.roles import LightType

__all__ = [
    "ColourConsistency",
    "GelAdvice",
    "classify_spread",
    "gel_advice",
    "mean_kelvin",
    "spread",
]


class ColourConsistency(StrEnum):
    """How well the lights' colours match."""

    MATCHED = "matched"
    SLIGHT_MIX = "slight mix"
    MIXED = "mixed"
    DELIBERATE_MIX = "deliberate mix"


@dataclass(slots=True)
class GelAdvice:
    """A gel for one light so that it matches the key."""

    role: LightType
    suggestion: GelSuggestion
    from_kelvin: float
    to_kelvin: float


def spread(lights: list[PlacedLight]) -> float:
    """Largest difference in mireds between the given lights (0 for fewer than two)."""
    if len(lights) < 2:
        return 0.0
    values = [light.mired for light in lights]
    return max(values) - min(values)


def classify_spread(spread_mired: float) -> ColourConsistency:
    """Matched ≤10, slight mix ≤25, mixed ≤50, deliberate mix beyond (mireds)."""
    if spread_mired <= 10.0:
        return ColourConsistency.MATCHED
    if spread_mired <= 25.0:
        return ColourConsistency.SLIGHT_MIX
    if spread_mired <= 50.0:
        return ColourConsistency.MIXED
    return ColourConsistency.DELIBERATE_MIX


def mean_kelvin(lights: list[PlacedLight], weights: list[float]) -> float:
    """The colour temperature (kelvin) of the mix: weights are each light's illuminance."""
    total = sum(weights)
    if total <= 0.0:
        return lights[0].kelvin
    return kelvin_from_mired(
        sum(lt.mired * w for lt, w in zip(lights, weights, strict=True)) / total
    )


def gel_advice(key: PlacedLight, others: list[PlacedLight]) -> list[GelAdvice]:
    """Gels that bring each light to the key's colour; lights already matched get none."""
    advice = []
    for light in others:
        suggestion = suggest_gel(key.mired - light.mired)
        if suggestion is not None:
            advice.append(
                GelAdvice(
                    role=light.role,
                    suggestion=suggestion,
                    from_kelvin=light.kelvin,
                    to_kelvin=gelled_kelvin(light.kelvin, suggestion.gels),
                )
            )
    return advice
