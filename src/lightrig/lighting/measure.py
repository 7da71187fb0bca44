"""The measurements an analysis rests on: what each light delivers to the face and the backdrop.

The ratio is measured as a photographer's incident meter would at two points of the face: a probe
leaning 45° from the nose toward the key (the lit side) and one leaning 45° away from it (the
shadow side). Every light that reaches the subject adds ``E = I / (d² + R²) · cos θ`` to each
(see :mod:`lightrig.lighting.photometry`), so distance, angle of incidence and spill all count —
unlike the key-intensity / fill-intensity quotient naive tools report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.geometry import Vec3, probe_normals
from lightrig.lighting.photometry import backdrop_illuminance, facing_illuminance, illuminance_on
from lightrig.lighting.rig import FACE_REFLECTANCE, PlacedLight, Rig
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import penumbra_width
from lightrig.lighting.vocabulary import NO_FILL

__all__ = ["MAX_RATIO", "LightMeasure", "Measurements", "measure", "stops_between"]

#: Ratios are capped at 10 stops: beyond that the shadow side is simply black.
MAX_RATIO = 1024.0
_MAX_STOPS = 10.0
#: Nose-shadow geometry for the penumbra estimate: the nose tip stands about 3 cm off the cheek.
_NOSE_TO_CHEEK_M = 0.03


@dataclass(slots=True)
class LightMeasure:
    """What one light delivers: facing it, and on the lit and shadow probes (relative lux)."""

    light: PlacedLight
    facing: float
    on_lit: float
    on_shadow: float


@dataclass(slots=True)
class Measurements:
    """Every number the analysis is built from (illuminance relative, angles in degrees).

    ``key_facing``: the key's illuminance on a surface facing it (0 without a key).
    """

    rig: Rig
    key: PlacedLight | None
    lights: tuple[LightMeasure, ...]
    lit_normal: Vec3
    lit: float
    shadow: float
    ratio: float
    key_on_lit: float
    others_on_shadow: float
    backdrop: float
    backdrop_stops: float
    fill_below_stops: float | None
    key_facing: float
    by_role: dict[LightType, LightMeasure]

    @property
    def stops(self) -> float:
        """The lit-to-shadow ratio in stops."""
        return math.log2(self.ratio)

    @property
    def shadow_unlit(self) -> bool:
        """Whether the shadow side gets (next to) no light at all."""
        return self.ratio >= MAX_RATIO

    @property
    def contrast(self) -> str:
        """The lit-to-shadow contrast as every face says it: ``"4.3:1 (2.1 stops)"``, or
        :data:`~lightrig.lighting.vocabulary.NO_FILL` when no light reaches the shadow side (the
        1024:1 cap is a number for black, not a ratio to print)."""
        if self.shadow_unlit:
            return NO_FILL
        return f"{self.ratio:.1f}:1 ({self.stops:.1f} stops)"

    @property
    def asc_ratio(self) -> float:
        """(key + fill) : fill, from the key alone on the lit side and the rest on the shadow
        side."""
        if self.others_on_shadow <= 0.0:
            return MAX_RATIO
        return min(MAX_RATIO, 1.0 + self.key_on_lit / self.others_on_shadow)

    @property
    def key_over_fill_stops(self) -> float | None:
        """Stops the key alone stands over the rest on the shadow side.

        ``None`` when the key misses the front of the face (it is behind it).
        """
        if self.key_on_lit <= 0.0:
            return None
        if self.others_on_shadow <= 0.0:
            return _MAX_STOPS
        return max(-_MAX_STOPS, min(_MAX_STOPS, math.log2(self.key_on_lit / self.others_on_shadow)))

    @property
    def face_lit(self) -> bool:
        """Whether the front of the face gets light within 3 stops of the key's full strength."""
        return self.key_facing <= 0.0 or self.lit >= self.key_facing / 8.0

    @property
    def lit_side(self) -> str:
        """Where the lit probe leans, as seen from the camera."""
        if self.key is None or abs(self.ratio - 1.0) < 1e-9:
            return "none"
        x, y, _ = self.lit_normal
        lean = math.sin(math.radians(45.0)) * math.sin(math.radians(22.5))  # 22.5° off a side
        vertical = "upper" if y > lean else ("lower" if y < -lean else "")
        horizontal = "camera-right" if x > lean else ("camera-left" if x < -lean else "")
        if vertical and horizontal:
            return f"{vertical} {horizontal}"
        return horizontal or ("top" if y > 0 else "bottom")

    @property
    def nose_shadow_edge_mm(self) -> float:
        """Soft-edge width in millimetres of the key's nose shadow on the cheek."""
        if self.key is None:
            return 0.0
        return 1000.0 * penumbra_width(self.key.size, self.key.distance, _NOSE_TO_CHEEK_M)

    def measure_of(self, light: PlacedLight) -> LightMeasure:
        """The measurements of one of the rig's lights (a rig holds one light per role)."""
        return self.by_role[light.role]


def stops_between(numerator: float, denominator: float) -> float:
    """log2(numerator / denominator), kept within ±10 stops (0 and infinity included)."""
    if denominator <= 0.0:
        return _MAX_STOPS if numerator > 0.0 else 0.0
    if numerator <= 0.0:
        return -_MAX_STOPS
    quotient = numerator / denominator
    if not 0.0 < quotient < math.inf:  # two extreme values: the difference of their logs
        return max(-_MAX_STOPS, min(_MAX_STOPS, math.log2(numerator) - math.log2(denominator)))
    return max(-_MAX_STOPS, min(_MAX_STOPS, math.log2(quotient)))


def measure(rig: Rig) -> Measurements:
    """Measure a rig: per-light illuminance, the lit and shadow sides, the backdrop."""
    key = rig.key()
    if key is None:
        lit_normal, shadow_normal = probe_normals(0.0, 0.0)
    else:
        lit_normal, shadow_normal = probe_normals(key.face_azimuth, key.elevation)

    lights = tuple(
        LightMeasure(
            light=light,
            facing=facing_illuminance(light) if light.lights_subject else 0.0,
            on_lit=illuminance_on(light, lit_normal),
            on_shadow=illuminance_on(light, shadow_normal),
        )
        for light in rig.lights
    )
    lit = sum(m.on_lit for m in lights)
    shadow = sum(m.on_shadow for m in lights)
    key_reaches_front = any(m.light is key and m.on_lit > 0.0 for m in lights)
    if not key_reaches_front and shadow > lit:
        # a key behind the face leaves only the front lights: call their brighter side "lit"
        lit_normal, shadow_normal = shadow_normal, lit_normal
        lit, shadow = shadow, lit
        lights = tuple(
            LightMeasure(m.light, m.facing, on_lit=m.on_shadow, on_shadow=m.on_lit) for m in lights
        )
    if shadow <= lit / MAX_RATIO:
        ratio = MAX_RATIO if lit > 0.0 else 1.0
    else:
        ratio = max(1.0 / MAX_RATIO, lit / shadow)
    key_on_lit = 0.0
    others_on_shadow = 0.0
    key_facing = 0.0
    for m in lights:
        if m.light is key:
            key_on_lit = m.on_lit
            key_facing = m.facing
        else:
            others_on_shadow += m.on_shadow

    fill_below: float | None = None
    for m in lights:
        light = m.light
        if (
            light is not key
            and light.is_directional
            and light.lights_subject
            and light.elevation <= -10.0
            and abs(light.face_azimuth) <= 35.0
            and m.facing > 0.0
        ):
            stops_under = stops_between(key_facing, m.facing)
            fill_below = stops_under if fill_below is None else min(fill_below, stops_under)

    backdrop = backdrop_illuminance(rig)
    backdrop_stops = stops_between(
        backdrop * rig.backdrop_reflectance, max(lit, 0.0) * FACE_REFLECTANCE
    )
    return Measurements(
        rig=rig,
        key=key,
        lights=lights,
        lit_normal=lit_normal,
        lit=lit,
        shadow=shadow,
        ratio=ratio,
        key_on_lit=key_on_lit,
        others_on_shadow=others_on_shadow,
        backdrop=backdrop,
        backdrop_stops=backdrop_stops,
        fill_below_stops=fill_below,
        key_facing=key_facing,
        by_role={m.light.role: m for m in lights},
    )
