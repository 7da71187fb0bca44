"""Recommendations and warnings, each tied to a measured number.

A recommendation says what to move and by how much: the fill distance or power that brings the
ratio into the pattern's band is solved from the same illuminance model the analysis uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.lens import lens_class
from lightrig.lighting.measure import LightMeasure, Measurements, stops_between
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.reading import Reading
from lightrig.lighting.rig import PlacedLight
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.targets import preferred_hardness, ratio_band
from lightrig.lighting.vocabulary import NO_FILL

__all__ = ["LensInfo", "recommendations", "warnings"]

_PROBE_COSINE = math.cos(math.radians(45.0))  # an on-axis light on either 45° probe
_NEW_FILL_DISTANCE_M = 2.0
_ACCENT_ROLES = (LightType.RIM, LightType.KICKER, LightType.HAIR)


@dataclass(frozen=True, slots=True)
class LensInfo:
    """What the advice needs of the camera: focal length (mm), the user's lens label and how
    validation read an ambiguous lens (``notes``, passed on as warnings)."""

    focal_length: float
    lens_type: str | None
    notes: tuple[str, ...] = ()


def _fill_of(m: Measurements) -> LightMeasure | None:
    """The light in the fill role, unless it is acting as the key."""
    for x in m.lights:
        if x.light.role is LightType.FILL and x.light is not m.key:
            return x
    return None


def _fill_scale(m: Measurements, fill: LightMeasure, target_ratio: float) -> float | None:
    """The factor on the fill's illuminance that gives ``target_ratio`` (None: unreachable)."""
    others_lit = m.lit - fill.on_lit
    others_shadow = m.shadow - fill.on_shadow
    denominator = fill.on_lit - target_ratio * fill.on_shadow
    if abs(denominator) < 1e-12:
        return None
    scale = (target_ratio * others_shadow - others_lit) / denominator
    return scale if scale > 0.0 else None


def _ratio_advice(r: Reading) -> list[str]:
    m = r.measurements
    band = ratio_band(r.pattern.pattern, r.tonal_key)
    if band is None or m.key is None:
        return []
    low, high = band
    stops = m.stops
    if low <= stops <= high:
        return []
    target_stops = (low + high) / 2.0
    target = 2.0**target_stops
    name = " ".join(r.names)
    if m.shadow_unlit:
        head = f"{NO_FILL[:1].upper()}{NO_FILL[1:]}; {name} wants {low:g}–{high:g} stops"
    else:
        head = (
            f"The shadow side is {stops:.1f} stops under the lit side ({m.ratio:.1f}:1); "
            f"{name} wants {low:g}–{high:g} stops"
        )
    fill = _fill_of(m)
    if fill is None:
        # add a fill on the camera axis, 2 m out: it adds the same to both 45° probes
        per_unit = _PROBE_COSINE / _NEW_FILL_DISTANCE_M**2
        needed = (m.lit - target * m.shadow) / (per_unit * (target - 1.0))
        if needed <= 0.0:
            return [f"{head}: reduce the ambient light and spill to deepen the shadows."]
        if needed > 1.0:
            return [
                f"{head}: add a large reflector or a fill beside the camera, close in (about "
                f"{_NEW_FILL_DISTANCE_M / math.sqrt(needed):.1f} m at full power)."
            ]
        return [
            f"{head}: add a fill beside the camera at {_NEW_FILL_DISTANCE_M:g} m and "
            f"intensity {needed:.2f} for {target_stops:.1f} stops."
        ]
    light = fill.light
    role = str(light.role)
    scale = _fill_scale(m, fill, target)
    if scale is None:
        verb = "deepen" if stops < low else "open"
        return [f"{head}: the {role} alone cannot {verb} the shadows enough; move the key instead."]
    new_distance = math.sqrt(
        max(0.0, (light.distance**2 + light.radius**2) / scale - light.radius**2)
    )
    new_intensity = light.intensity * scale
    if stops < low:
        return [
            f"{head}: move the {role} back from {light.distance:.1f} m to {new_distance:.1f} m, "
            f"or lower it from {light.intensity:.2f} to {new_intensity:.2f}."
        ]
    if new_intensity <= 1.0:
        return [
            f"{head}: raise the {role} from {light.intensity:.2f} to {new_intensity:.2f}, "
            f"or bring it in from {light.distance:.1f} m to {new_distance:.1f} m."
        ]
    return [
        f"{head}: bring the {role} in from {light.distance:.1f} m to {new_distance:.1f} m "
        "(its power alone cannot do it)."
    ]


def _hardness_advice(r: Reading) -> list[str]:
    key = r.measurements.key
    preferred = preferred_hardness(r.pattern.pattern, r.tonal_key)
    if key is None or r.hardness in preferred:
        return []
    if ShadowHardness.SOFT in preferred and r.hardness is not ShadowHardness.SOFT:
        # the size that spans 30° at the current distance
        size = 2.0 * key.distance * math.tan(math.radians(15.0))
        return [
            f"The key spans {key.apparent_angle:.0f}° ({r.hardness}); for soft "
            f"{r.names[0]} light use a source of about {size:.1f} m at {key.distance:.1f} m "
            f"(30°), or bring the current one closer."
        ]
    return [
        f"The key spans {key.apparent_angle:.0f}° ({r.hardness}); for crisper "
        f"{r.names[0]} shadows move it back or use a smaller modifier."
    ]


def _colour_advice(r: Reading) -> list[str]:
    key = r.measurements.key
    lines = []
    for advice in r.colour.gels:
        if key is None:
            break
        lines.append(
            f"Add {advice.suggestion.label} to the {advice.role} "
            f"({advice.from_kelvin:.0f} K → {advice.to_kelvin:.0f} K) to match the key at "
            f"{key.kelvin:.0f} K ({abs(advice.suggestion.residual):.0f} mired left)."
        )
    return lines


def _separation_advice(r: Reading) -> list[str]:
    m = r.measurements
    key = m.key
    if key is None or r.pattern.pattern in (Pattern.SILHOUETTE, Pattern.RIM_LIT):
        return []
    has_accent = any(x.light.role in _ACCENT_ROLES for x in m.lights)
    if has_accent or m.backdrop_stops >= -1.5:
        return []
    side = "camera-left" if key.azimuth > 0 else "camera-right"
    return [
        f"The backdrop is {-m.backdrop_stops:.1f} stops under the face with no rim or hair "
        f"light: add a rim from behind, {side} (about 135°), a stop under the key, or a "
        "background light, to separate the subject."
    ]


def _elevation_advice(r: Reading) -> list[str]:
    key = r.measurements.key
    pattern = r.pattern.pattern
    if key is None or pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE, Pattern.SPLIT):
        return []
    if pattern is Pattern.TOP_LIGHT:
        return [
            f"A key {key.elevation:.0f}° high leaves the eye sockets dark: lower it to about "
            "45°, or add a fill or reflector below the face."
        ]
    if 0.0 <= key.elevation < 10.0 and pattern is not Pattern.FLAT:
        return [
            f"Raise the key from {key.elevation:.0f}° to 30–45° above the eyes for catchlights "
            "in the upper iris and a natural downward shadow."
        ]
    return []


def recommendations(reading: Reading) -> list[str]:
    """What to change, with numbers; a line saying the setup holds when nothing needs changing."""
    lines = [
        *_ratio_advice(reading),
        *_hardness_advice(reading),
        *_colour_advice(reading),
        *_separation_advice(reading),
        *_elevation_advice(reading),
    ]
    if not lines:
        m = reading.measurements
        lines.append(
            f"The setup holds together as {' '.join(reading.names)}: {m.ratio:.1f}:1 "
            f"({m.stops:.1f} stops), {reading.hardness} key, "
            f"{reading.colour.consistency} colour."
        )
    return lines


def _near_field_warning(r: Reading) -> list[str]:
    close = [x.light for x in r.measurements.lights if x.light.near_field]
    if not close:
        return []
    parts = [
        f"the {lt.role} ({lt.size:.2f} m source at {lt.distance:.1f} m, "
        f"inside {lt.near_field_limit:.1f} m)"
        for lt in close
    ]
    return [
        "Inverse square is only approximate within 5 source diameters: "
        + "; ".join(parts)
        + ". Light falls off more gently there; lightrig uses the round-source formula."
    ]


def _colour_warning(r: Reading) -> list[str]:
    c = r.colour
    if c.consistency not in (ColourConsistency.MIXED, ColourConsistency.DELIBERATE_MIX):
        return []
    temps = ", ".join(f"{lt.role} {lt.kelvin:.0f} K" for lt in c.lights)
    return [f"Mixed colour temperatures on the subject: {temps} (spread {c.spread:.0f} mired)."]


def _key_weaker_warning(r: Reading) -> list[str]:
    m = r.measurements
    if m.key is None:
        return []
    lines = []
    for x in m.lights:
        if x.light.role in (LightType.FILL, LightType.AMBIENT) and x.facing > m.key_facing:
            over = stops_between(x.facing, m.key_facing)
            lines.append(
                f"The {x.light.role} is {over:.1f} stops brighter than the key at the "
                "subject: it becomes the key and the pattern will not read as intended."
            )
    return lines


def _geometry_warnings(r: Reading) -> list[str]:
    m = r.measurements
    lines = []
    if r.pattern.pattern is Pattern.UNDER_LIGHT:
        lines.append("The key comes from below the eyes: faces read as unsettling (horror light).")
    if m.shadow_unlit and r.pattern.pattern not in (Pattern.SILHOUETTE, Pattern.RIM_LIT):
        lines.append("No light reaches the shadow side: it will render pure black.")
    for x in m.lights:
        light = x.light
        if light.role in _ACCENT_ROLES and abs(light.azimuth) > 160.0 and light.elevation < 15.0:
            lines.append(
                f"The {light.role} at {light.azimuth:.0f}° and {light.elevation:.0f}° high "
                "points almost into the lens: flag it or raise it to avoid flare."
            )
    return lines


def _where(light: PlacedLight) -> str:
    """``"at 30° camera-right"``, ``"behind at 135° camera-left"``, ``"in front"``."""
    size = abs(light.azimuth)
    if size < 0.5:
        return "in front"
    side = "camera-right" if light.azimuth > 0 else "camera-left"
    return f"{'behind ' if size > 90.0 else ''}at {size:.0f}° {side}"


def _no_key_warning(r: Reading) -> list[str]:
    """A setup without a key light says which light the analysis takes for it, or that none."""
    m = r.measurements
    if m.rig.light(LightType.KEY) is not None:
        return []
    key = m.key
    if key is None:
        roles = " and ".join(str(x.light.role) for x in m.lights)
        plural = "s" if len(m.lights) > 1 else ""
        return [
            f"No key: no directional light reaches the face (only the {roles} light{plural}), "
            "so the analysis "
            "has no key to measure from: the face is lit flat or not at all."
        ]
    alone = all(x.light is key or x.facing <= 0.0 for x in m.lights)
    what = "the only light" if alone else "the strongest light on the face"
    return [
        f"No key: the {key.role} {_where(key)} is {what} and acts as the key "
        "(the 'key' in this analysis is this light)."
    ]


def _lens_warning(lens: LensInfo) -> list[str]:
    """The camera's own notes, then a label that names a focal range the lens is outside of."""
    lines = list(lens.notes)
    named = lens_class(lens.lens_type)
    focal = lens.focal_length
    if named is not None and not named.holds(focal):
        hint = ""
        if named.name == "portrait" and focal < named.shortest:
            hint = " and faces distort at it (did you mean focal_length rather than fov?)"
        lines.append(
            f"A {focal:.0f} mm lens is not a {named.name} lens ({named.shortest:g}–"
            f"{named.longest:g} mm){hint}: the label '{lens.lens_type}' is left out of the prompt."
        )
    return lines


def warnings(reading: Reading, lens: LensInfo) -> list[str]:
    """Physics and craft warnings: near field, mixed colour, key weaker than fill, and more."""
    return [
        *_no_key_warning(reading),
        *_near_field_warning(reading),
        *_colour_warning(reading),
        *_key_weaker_warning(reading),
        *_geometry_warnings(reading),
        *_lens_warning(lens),
    ]
