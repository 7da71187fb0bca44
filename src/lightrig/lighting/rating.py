"""A 1–10 rating whose parts explain it.

Five components, each scored against what the setup's own pattern and tonal key ask for, so a
moody low-key portrait is not marked down for being dark:

============== ===== ====================================================================
contrast        3.0  the lit-to-shadow ratio inside the band the pattern / tonal key wants
colour          2.0  lights matched, or deliberately contrasted on accents only
shadow quality  2.0  the key's hardness suits the pattern
separation      1.5  a rim, hair or background light, or a backdrop bright enough to hold
key placement   1.5  the key is the strongest light on the face and high enough for catchlights
============== ===== ====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.reading import Reading
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.targets import preferred_hardness, ratio_band

__all__ = ["Component", "rate", "total"]

_ACCENTS = (LightType.RIM, LightType.KICKER, LightType.HAIR, LightType.BACKGROUND)
_SOFTNESS_ORDER = (ShadowHardness.HARD, ShadowHardness.MEDIUM, ShadowHardness.SOFT)


@dataclass(slots=True)
class Component:
    """One part of the rating."""

    name: str
    score: float
    max_score: float
    reason: str


def _contrast(r: Reading) -> Component:
    m = r.measurements
    pattern = r.pattern.pattern
    band = ratio_band(pattern, r.tonal_key)
    if band is None:
        if pattern is Pattern.SILHOUETTE:
            return Component("contrast", 3.0, 3.0, "a silhouette: a dark face is the point")
        if m.lit <= 0.0:
            return Component(
                "contrast",
                1.5,
                3.0,
                "rim-lit with nothing on the front of the face: it will be black",
            )
        return Component("contrast", 3.0, 3.0, "rim-lit, with light on the front of the face")
    low, high = band
    stops = m.stops
    outside = max(0.0, low - stops, stops - high)
    score = round(max(0.0, 3.0 - 1.5 * outside), 2)
    names = " ".join(r.names)
    where = "within" if outside == 0.0 else ("under" if stops < low else "over")
    return Component(
        "contrast",
        score,
        3.0,
        f"{m.ratio:.1f}:1 ({stops:.1f} stops) is {where} the {low:g}–{high:g} stops {names} wants",
    )


def _colour(r: Reading) -> Component:
    c = r.colour
    spread = f"{c.spread:.0f} mired"
    if c.consistency is ColourConsistency.MATCHED:
        return Component("colour", 2.0, 2.0, f"lights matched ({spread} apart at most)")
    if c.consistency is ColourConsistency.SLIGHT_MIX:
        return Component("colour", 1.5, 2.0, f"a slight mix ({spread}) that may read as a cast")
    key = r.measurements.key
    if c.consistency is ColourConsistency.DELIBERATE_MIX and key is not None:
        off = [lt for lt in c.lights if abs(lt.mired - key.mired) > 25.0]
        if all(lt.role in _ACCENTS for lt in off):
            roles = ", ".join(lt.role for lt in off)
            return Component(
                "colour",
                2.0,
                2.0,
                f"a deliberate colour contrast on the accents ({roles}, {spread})",
            )
        return Component(
            "colour", 1.0, 2.0, f"the fill or ambient differs from the key by up to {spread}"
        )
    return Component("colour", 0.75, 2.0, f"a visible mix ({spread}) that looks accidental")


def _shadows(r: Reading) -> Component:
    preferred = preferred_hardness(r.pattern.pattern, r.tonal_key)
    hardness = r.hardness
    key = r.measurements.key
    angle = 0.0 if key is None else key.apparent_angle
    if hardness in preferred:
        return Component(
            "shadow quality", 2.0, 2.0, f"{hardness} key ({angle:.0f}°) suits {r.names[0]}"
        )
    steps = min(abs(_SOFTNESS_ORDER.index(hardness) - _SOFTNESS_ORDER.index(p)) for p in preferred)
    score = 1.0 if steps == 1 else 0.5
    wanted = " or ".join(sorted(preferred))
    return Component(
        "shadow quality",
        score,
        2.0,
        f"{hardness} key ({angle:.0f}°) where {r.names[0]} wants {wanted} light",
    )


def _separation(r: Reading) -> Component:
    m = r.measurements
    if r.pattern.pattern is Pattern.SILHOUETTE:
        return Component("separation", 1.5, 1.5, "the bright backdrop outlines the subject")
    if r.pattern.pattern is Pattern.RIM_LIT:
        return Component("separation", 1.5, 1.5, "the key itself rims the subject from behind")
    key_facing = m.key_facing
    accents = [
        str(x.light.role)
        for x in m.lights
        if x.light.role in _ACCENTS[:3] and x.facing > 0.0 and x.facing >= key_facing / 16.0
    ]
    if accents:
        return Component("separation", 1.5, 1.5, f"separated by the {', '.join(accents)} light")
    if m.backdrop_stops >= -1.5:
        return Component(
            "separation",
            1.5,
            1.5,
            f"the backdrop sits {m.backdrop_stops:+.1f} stops from the face, so the subject holds",
        )
    return Component(
        "separation",
        0.5,
        1.5,
        f"no rim or hair light and the backdrop is {-m.backdrop_stops:.1f} stops under the face: "
        "dark hair and shoulders may merge with it",
    )


def _key_placement(r: Reading) -> Component:
    m = r.measurements
    key = m.key
    if key is None:
        return Component("key placement", 0.5, 1.5, "no directional light to act as key")
    rivals = [
        x
        for x in m.lights
        if x.light is not key
        and x.light.role in (LightType.FILL, LightType.AMBIENT)
        and x.facing > m.key_facing
    ]
    if rivals:
        return Component("key placement", 0.5, 1.5, f"the {rivals[0].light.role} outshines the key")
    if r.pattern.pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return Component("key placement", 1.5, 1.5, "the key leads from behind, as intended")
    if key.elevation < 0.0:
        return Component(
            "key placement", 0.5, 1.5, f"the key is {-key.elevation:.0f}° below the eyes"
        )
    if r.pattern.pattern is Pattern.SPLIT and key.elevation <= 40.0:
        return Component(
            "key placement", 1.5, 1.5, f"the key sits at {key.elevation:.0f}°, near eye level"
        )
    if key.elevation < 10.0 or key.elevation > 60.0:
        return Component(
            "key placement",
            1.0,
            1.5,
            f"the key at {key.elevation:.0f}° is outside 10–60°, where catchlights sit in the "
            "upper iris and shadows fall naturally",
        )
    return Component(
        "key placement", 1.5, 1.5, f"the key leads from {key.elevation:.0f}° above the eyes"
    )


def rate(reading: Reading) -> list[Component]:
    """The five components of the rating."""
    return [
        _contrast(reading),
        _colour(reading),
        _shadows(reading),
        _separation(reading),
        _key_placement(reading),
    ]


def total(components: list[Component]) -> float:
    """The rating: the components' sum, rounded to a tenth and kept within 1–10."""
    return min(10.0, max(1.0, round(sum(c.score for c in components), 1)))
