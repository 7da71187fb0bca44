"""Illuminance: how much light each source delivers to a surface.

Illuminance is relative: 1.0 is what the full-power reference light (intensity 1, no stated
power; see :mod:`lightrig.lighting.power`) delivers 1 m away to a surface facing it; a light
that states its power delivers ``strength = intensity × output`` in those units. A directional
source of strength ``I``, radius ``R`` (metres) at distance ``d`` delivers
``E = I / (d² + R²) · max(0, n·l)`` to a surface of normal ``n``: the exact on-axis illuminance
of a uniform round source, which is inverse square (``I / d²``) once ``d`` is well beyond the
source's size and falls off more gently closer in. Ambient light reaches every surface equally
(``E = I``). A background light lights the backdrop, not the subject.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from lightrig.lighting.geometry import Vec3, position

if TYPE_CHECKING:
    from lightrig.lighting.rig import PlacedLight, Rig

__all__ = ["backdrop_illuminance", "disc_illuminance", "facing_illuminance", "illuminance_on"]


def disc_illuminance(intensity: float, distance: float, radius: float) -> float:
    """On-axis illuminance of a uniform round source: ``I / (d² + R²)`` (metres)."""
    return intensity / (distance * distance + radius * radius)


def facing_illuminance(light: PlacedLight) -> float:
    """Illuminance from ``light`` on a surface at the subject that faces it squarely.

    Computed once when the light is placed (:attr:`PlacedLight.facing`).
    """
    return light.facing


def illuminance_on(light: PlacedLight, normal: Vec3) -> float:
    """Illuminance from ``light`` on a surface of the face whose unit normal is ``normal``.

    ``normal`` is in the face's frame (the nose along +z).
    """
    if not light.lights_subject:
        return 0.0
    if not light.is_directional:
        return light.strength
    d = light.face_direction
    cosine = normal[0] * d[0] + normal[1] * d[1] + normal[2] * d[2]
    return light.facing * cosine if cosine > 0.0 else 0.0


def backdrop_illuminance(rig: Rig) -> float:
    """Illuminance on the backdrop just behind the subject's head.

    A background light is aimed at the backdrop and its ``distance`` is measured to it. Every other
    directional light is aimed at the subject and emits like a diffuser (intensity falling with
    the cosine off its axis), so it reaches the backdrop only as spill, and not at all when the
    backdrop is behind it. The subject's own shadow on the backdrop is ignored.
    """
    total = 0.0
    depth = rig.background_distance
    for light in rig.lights:
        if not light.is_directional:
            total += light.strength
            continue
        if not light.lights_subject:
            total += light.facing
            continue
        px, py, pz = position(light.azimuth, light.elevation, light.distance)
        # ray from the light to the backdrop point (0, 0, -depth)
        rx, ry, rz = -px, -py, -depth - pz
        squared = rx * rx + ry * ry + rz * rz
        reach = math.sqrt(squared)
        # the light's axis points at the subject: -p / |p|
        emit_cosine = -(rx * px + ry * py + rz * pz) / (reach * light.distance)
        land_cosine = -rz / reach  # the backdrop faces +z
        if emit_cosine <= 0.0 or land_cosine <= 0.0:
            continue
        total += light.strength * emit_cosine * land_cosine / (squared + light.radius**2)
    return total
