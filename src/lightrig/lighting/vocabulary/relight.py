"""The words of Bria's preset relighting (``POST /v2/image/edit/relight``): its fourteen light
types and four light directions, exactly as the host accepts them.

Each :class:`RelightType` also says what lightrig takes the words to mean, so that a setup can
be mapped to the nearest preset (:func:`lightrig.fibo.relight.nearest_relight_preset`): the
light's colour in kelvin, its softness (0 a bare bulb's hard shadows – 1 the softest wrap, as
:attr:`~lightrig.models.lights.LightSettings.softness`), whether it is a night light, a studio
light (rather than daylight) and the one that names a light from the side. The figures are
lightrig's reading of the words, not Bria's: Bria publishes the words only.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RELIGHT_DIRECTIONS", "RELIGHT_TYPES", "RelightType"]


@dataclass(frozen=True, slots=True)
class RelightType:
    """One of Bria's preset light types: ``words`` as sent, and lightrig's reading of them —
    ``kelvin``, ``softness`` (0–1), ``night`` (a dark scene lit by a dim light), ``studio`` (a
    studio light, not daylight) and ``side`` (a light from the side, whatever the direction)."""

    words: str
    kelvin: float
    softness: float
    night: bool = False
    studio: bool = False
    side: bool = False


#: Bria's fourteen light types, in the order its documentation lists them.
RELIGHT_TYPES: tuple[RelightType, ...] = (
    RelightType("midday", 5600.0, 0.1),
    RelightType("blue hour light", 9000.0, 0.8),
    RelightType("low-angle sunlight", 3500.0, 0.15),
    RelightType("sunrise light", 2800.0, 0.3),
    RelightType("spotlight on subject", 4500.0, 0.05, studio=True),
    RelightType("overcast light", 6500.0, 0.85),
    RelightType("soft overcast daylight lighting", 6000.0, 0.7),
    RelightType("cloud-filtered lighting", 6200.0, 0.55),
    RelightType("fog-diffused lighting", 7000.0, 0.95),
    RelightType("side lighting", 5200.0, 0.35, studio=True, side=True),
    RelightType("moonlight lighting", 7000.0, 0.3, night=True),
    RelightType("starlight nighttime", 8500.0, 0.9, night=True),
    RelightType("soft bokeh lighting", 3800.0, 0.75, studio=True),
    RelightType("harsh studio lighting", 5600.0, 0.2, studio=True),
)

#: Bria's four light directions, as sent: the light from the front, from the side, from below
#: and from above (the order :mod:`lightrig.fibo.relight` unpacks them in).
RELIGHT_DIRECTIONS: tuple[str, ...] = ("front", "side", "bottom", "top-down")
