"""A 1–10 rating whose parts explain it, ranking setups as a photographer would.

Five components, each scored against what the setup's own pattern and tonal key ask for (so a
moody low-key portrait is not marked down for being dark) and each losing points continuously for
what a photographer would flag, with a reason that says what and by how much:

============== ===== ====================================================================
contrast        3.0  the lit-to-shadow ratio inside the band the pattern / tonal key wants;
                     a fill that flattens the pattern the key is placed for; a rim drowned
                     by the light on the front of the face
key placement   2.0  the key leads (no fill or ambient outshines it), stands 10–60° above the
                     eyes (under them the face is lit from the chin), and far enough off that
                     the near cheek does not run hot
colour          2.0  the face's lit and shadow sides take the key's colour; an accent (rim,
                     kicker, hair) of another colour is deliberate and costs nothing
shadow quality  1.5  the key as soft as the pattern wants; no second hard light casting a
                     second set of shadows
separation      1.5  a rim, hair or kicker light, or a backdrop bright enough to hold dark hair
                     and shoulders; no accent so hot it burns out, none aimed into the lens
============== ===== ====================================================================

Each component starts at its maximum and loses a penalty for each fault (0 when none), never
going below 0; its reason names every fault, or says why the part holds when there is none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.measure import LightMeasure, Measurements
from lightrig.lighting.patterns import Pattern, TonalKey, classify_pattern
from lightrig.lighting.reading import Reading
from lightrig.lighting.rig import PlacedLight
from lightrig.lighting.roles import LightType
from lightrig.lighting.targets import SIDE_PATTERNS, ratio_band, softest_angle, wanted_band

__all__ = ["HALF_HEAD_M", "Component", "near_cheek_stops", "rate", "total"]

_ACCENTS = (LightType.RIM, LightType.KICKER, LightType.HAIR)
_FRONT_FILLS = (LightType.FILL, LightType.AMBIENT)
#: Half a head's width, metres: the near cheek stands about this much closer to the key than the
#: middle of the face.
HALF_HEAD_M = 0.08

# contrast
_CONTRAST = 3.0
_PER_STOP_OUTSIDE = 2.0  # points lost per stop outside the band
_RIM_DROWNED_STOPS = -1.0  # a front within this of the rim (stops) drowns it
_IN_BAND_TOP = 0.5  # points lost at the top of the band, from its top quarter
# key placement
_PLACEMENT = 2.0
_LOW_KEY_DEG, _HIGH_KEY_DEG = 10.0, 60.0
_UNDER_FULL_DEG = 20.0  # a key this far under the eyes loses everything
_KEY_LEADS_STOPS = 1.0  # the key should stand this far over any fill; as far under loses all
_TOP_FULL_DEG = 80.0
_NEAR_CHEEK_FREE, _NEAR_CHEEK_FULL = 0.25, 0.6  # stops of near-cheek gain
# colour
_COLOUR = 2.0
_SHIFT_FREE_MIRED, _SHIFT_FULL_MIRED = 10.0, 70.0
# shadow quality
_SHADOWS = 1.5
_HARD_DEG = 10.0
_DOUBLE_SHADOW_STOPS = 2.0  # a second hard light within this many stops casts visible shadows
# separation
_SEPARATION = 1.5
_BACKDROP_HOLDS, _BACKDROP_MERGES = -1.5, -4.0  # stops under the face
_ACCENT_SEPARATES, _ACCENT_LOST = -3.0, -5.0  # an accent's stops from the key
_ACCENT_HOT_FREE, _ACCENT_HOT_FULL = 1.0, 3.0  # stops an accent stands over the key
_FLARE_AZIMUTH, _FLARE_ELEVATION = 160.0, 15.0


@dataclass(slots=True)
class Component:
    """One part of the rating."""

    name: str
    score: float
    max_score: float
    reason: str


def _ramp(value: float, free: float, full: float) -> float:
    """0 at ``free``, 1 at ``full`` (either way round), linear between and clamped."""
    return min(1.0, max(0.0, (value - free) / (full - free)))


def _component(name: str, maximum: float, faults: list[tuple[float, str]], holds: str) -> Component:
    """A component from its faults (penalty, words): the maximum less their sum, at least 0."""
    real = [(p, words) for p, words in faults if p > 0.005]
    if not real:
        return Component(name, maximum, maximum, holds)
    score = round(max(0.0, maximum - sum(p for p, _ in real)), 2)
    return Component(name, score, maximum, "; ".join(words for _, words in real))


def _stops(numerator: float, denominator: float) -> float:
    """log2 of the quotient, ±10 stops at the extremes."""
    if denominator <= 0.0:
        return 10.0
    if numerator <= 0.0:
        return -10.0
    quotient = numerator / denominator
    if not 0.0 < quotient < math.inf:  # two extreme values: the difference of their logs
        return max(-10.0, min(10.0, math.log2(numerator) - math.log2(denominator)))
    return max(-10.0, min(10.0, math.log2(quotient)))


def near_cheek_stops(light: PlacedLight, half_head: float = HALF_HEAD_M) -> float:
    """Stops the near cheek, ``half_head`` metres closer to the light, gets over the middle of
    the face from the round-source formula: about ⅛ stop for a softbox at 1.5 m, more than
    half a stop for a bare head at 45 cm."""
    d, r2 = light.distance, light.radius**2
    nearer = max(0.01, d - half_head)
    return math.log2((d * d + r2) / (nearer * nearer + r2))


def _key_pattern(m: Measurements) -> Pattern | None:
    """The pattern the key alone is placed for (before any fill flattens it)."""
    key = m.key
    if key is None:
        return None
    return classify_pattern(
        key.face_azimuth, key.elevation, 1024.0, m.fill_below_stops, m.backdrop_stops
    ).pattern


def _contrast(r: Reading) -> Component:
    m = r.measurements
    pattern = r.pattern.pattern
    if pattern is Pattern.SILHOUETTE:
        return Component("contrast", _CONTRAST, _CONTRAST, "a silhouette: a dark face is the point")
    if pattern is Pattern.RIM_LIT:
        return _rim_contrast(m)
    placed_for = _key_pattern(m)
    flattened = (
        pattern in (Pattern.FLAT, Pattern.CROSS)
        and placed_for in SIDE_PATTERNS
        and r.tonal_key is not TonalKey.HIGH
    )
    judged = placed_for if flattened and placed_for is not None else pattern
    band = wanted_band(judged, r.tonal_key, m.backdrop_stops)
    if band is None:  # only rim-lit and silhouette have no band, and they are handled above
        return Component("contrast", _CONTRAST, _CONTRAST, f"{judged}: any ratio suits it")
    low, high = band
    stops = m.stops
    under, over = max(0.0, low - stops), max(0.0, stops - high)
    names = " ".join(r.names) if not flattened else f"the {judged} the key is placed for"
    dark_set = band != ratio_band(judged, r.tonal_key)
    if dark_set:
        names = f"{judged} against a backdrop {-m.backdrop_stops:.1f} stops under the face"
    said = m.contrast
    wants = f"the {low:g}–{high:g} stops {names} wants"
    if under or over:
        if m.shadow_unlit:  # no ratio to compare: say what it is, then what is wanted
            text = f"{said}, deeper than {wants}"
        else:
            text = f"{said} is {'under' if under else 'over'} {wants}"
        if under and (flattened or dark_set or r.tonal_key is TonalKey.LOW):
            text += ": the fill flattens it"
        return _component("contrast", _CONTRAST, [(_PER_STOP_OUTSIDE * (under + over), text)], text)
    # inside the band, the top quarter costs up to half a point: the shadows are as deep as allowed
    top = _IN_BAND_TOP * _ramp(stops, high - (high - low) / 4.0, high)
    deep = (
        "the shadow side is close to black"
        if stops >= 4.0
        else "the shadows are as deep as it allows"
    )
    return _component(
        "contrast",
        _CONTRAST,
        [(top, f"{said} is near the top of {wants}: {deep}")],
        f"{said} is within {wants}",
    )


def _rim_contrast(m: Measurements) -> Component:
    if m.lit <= 0.0 or m.key_facing <= 0.0:
        return Component(
            "contrast",
            1.5,
            _CONTRAST,
            "rim-lit with nothing on the front of the face: it will be black",
        )
    front = _stops(m.lit, m.key_facing)
    text = f"rim-lit, the front of the face {-front:.1f} stops under its rim"
    penalty = _PER_STOP_OUTSIDE * max(0.0, front - _RIM_DROWNED_STOPS)
    return _component(
        "contrast",
        _CONTRAST,
        [(penalty, f"{text}: the front light drowns the rim")],
        text,
    )


def _strongest_fill(r: Reading) -> LightMeasure | None:
    """The fill or ambient light that competes with the key on the face: not a reflector under
    the chin (a clamshell's fill is meant to be near the key), and none in high-key, which is
    meant to be flat."""
    m = r.measurements
    if r.tonal_key is TonalKey.HIGH:
        return None
    rivals = [
        x
        for x in m.lights
        if x.light is not m.key
        and x.light.role in _FRONT_FILLS
        and x.facing > 0.0
        and not (x.light.elevation <= -10.0 and abs(x.light.face_azimuth) <= 35.0)
    ]
    return max(rivals, key=lambda x: x.facing, default=None)


def _key_placement(r: Reading) -> Component:
    m = r.measurements
    key = m.key
    pattern = r.pattern.pattern
    if pattern is Pattern.SILHOUETTE:
        return Component(
            "key placement", _PLACEMENT, _PLACEMENT, "a silhouette needs no light on the face"
        )
    if key is None:
        return Component("key placement", 0.5, _PLACEMENT, "no directional light to act as key")
    faults: list[tuple[float, str]] = []
    rival = _strongest_fill(r)
    if rival is not None and m.key_facing > 0.0:
        lead = _stops(m.key_facing, rival.facing)
        if lead < -0.05:
            words = (
                f"the {rival.light.role} is {-lead:.1f} stops brighter than the key at the "
                "subject, so the shadows fall the wrong way"
            )
        elif lead < 0.05:
            words = f"the {rival.light.role} is within 0.1 stop of the key, so no side leads"
        else:
            words = (
                f"the {rival.light.role} is only {lead:.1f} stops under the key, which barely leads"
            )
        faults.append((_PLACEMENT * _ramp(lead, _KEY_LEADS_STOPS, -_KEY_LEADS_STOPS), words))
    if pattern is Pattern.RIM_LIT:
        holds = "the key leads from behind, as intended"
        if abs(key.azimuth) > _FLARE_AZIMUTH and key.elevation < _FLARE_ELEVATION:
            faults.append(
                (
                    1.0,
                    f"the key at {key.azimuth:.0f}° and {key.elevation:.0f}° high points almost "
                    "into the lens and will flare",
                )
            )
        return _component("key placement", _PLACEMENT, faults, holds)
    elevation = key.elevation
    if elevation < 0.0:
        faults.append(
            (
                _PLACEMENT * min(1.0, 0.25 + 0.75 * -elevation / _UNDER_FULL_DEG),
                f"the key is {-elevation:.0f}° below the eyes, so shadows climb up the face",
            )
        )
    elif elevation < _LOW_KEY_DEG and pattern is not Pattern.SPLIT:
        faults.append(
            (
                0.5 * _ramp(elevation, _LOW_KEY_DEG, 0.0),
                f"the key at {elevation:.0f}° is under 10°: catchlights sit mid-iris and the "
                "face loses its downward modelling",
            )
        )
    elif elevation > _HIGH_KEY_DEG:
        faults.append(
            (
                _PLACEMENT * _ramp(elevation, _HIGH_KEY_DEG, _TOP_FULL_DEG),
                f"the key at {elevation:.0f}° is over 60°: the eye sockets go dark and the "
                "catchlights vanish",
            )
        )
    cheek = near_cheek_stops(key)
    if cheek > _NEAR_CHEEK_FREE:
        faults.append(
            (
                _PLACEMENT * _ramp(cheek, _NEAR_CHEEK_FREE, _NEAR_CHEEK_FULL),
                f"the key {key.distance:.2f} m away ({key.size:.2f} m source) puts the near "
                f"cheek {cheek:.1f} stops over the middle of the face: it runs hot",
            )
        )
    holds = (
        f"the key leads from {elevation:.0f}° above the eyes, {key.distance:.1f} m away"
        if pattern is not Pattern.SPLIT or elevation >= _LOW_KEY_DEG
        else f"the key sits at {elevation:.0f}°, near eye level, as split light wants"
    )
    return _component("key placement", _PLACEMENT, faults, holds)


def _on(x: LightMeasure, side: str) -> float:
    return x.on_shadow if side == "shadow" else x.on_lit


def _side_shift(m: Measurements, key: PlacedLight, side: str) -> tuple[float, LightMeasure | None]:
    """Mireds the lights other than the accents pull one side of the face (``"lit"`` or
    ``"shadow"``) off the key's colour, and the light that pulls most."""
    front = [x for x in m.lights if x.light.lights_subject and x.light.role not in _ACCENTS]
    total = sum(_on(x, side) for x in front)
    if total <= 0.0:
        return 0.0, None
    pulls = [
        (_on(x, side) / total * (x.light.mired - key.mired), x) for x in front if x.light is not key
    ]
    if not pulls:
        return 0.0, None
    return sum(p for p, _ in pulls), max(pulls, key=lambda p: abs(p[0]))[1]


def _colour(r: Reading) -> Component:
    c = r.colour
    m = r.measurements
    key = m.key
    spread = f"{c.spread:.0f} mired"
    if key is None:
        return Component("colour", _COLOUR, _COLOUR, f"one light, or lights {spread} apart")
    accents = [
        lt
        for lt in c.lights
        if lt.role in _ACCENTS and lt is not key and abs(lt.mired - key.mired) > 25.0
    ]
    (shift, worst), side = max(
        ((_side_shift(m, key, side), side) for side in ("shadow", "lit")),
        key=lambda s: abs(s[0][0]),
    )
    if accents:
        roles = ", ".join(str(lt.role) for lt in accents)
        holds = f"a deliberate colour contrast on the accents ({roles}, {spread})"
    elif c.spread <= 10.0:
        holds = f"lights matched ({spread} apart at most)"
    else:
        holds = f"the face stays within {abs(shift):.0f} mired of the key's {key.kelvin:.0f} K"
    if worst is None:
        return Component("colour", _COLOUR, _COLOUR, holds)
    warmer = "warmer" if shift > 0 else "cooler"
    light = worst.light
    if r.pattern.pattern is Pattern.RIM_LIT:
        fault = (
            f"the {light.kelvin:.0f} K {light.role} lights the face {abs(shift):.0f} mired "
            f"{warmer} than the {key.kelvin:.0f} K key that rims it: a mix that looks accidental"
        )
    else:
        fault = (
            f"the {light.kelvin:.0f} K {light.role} turns the {side} side {abs(shift):.0f} "
            f"mired {warmer} than the {key.kelvin:.0f} K key: a mix that looks accidental"
        )
    penalty = _COLOUR * _ramp(abs(shift), _SHIFT_FREE_MIRED, _SHIFT_FULL_MIRED)
    return _component("colour", _COLOUR, [(penalty, fault)], holds)


def _too_hard(angle: float, wanted: float) -> float:
    """The share of the shadow-quality points a source of ``angle`` degrees loses where
    ``wanted`` degrees or more suit: all of them at a quarter of the angle."""
    if wanted <= 0.0 or angle >= wanted:
        return 0.0
    return min(1.0, math.log2(wanted / max(angle, 0.1)) / 2.0)


def _shadows(r: Reading) -> Component:
    m = r.measurements
    key = m.key
    pattern = r.pattern.pattern
    if key is None:
        return Component("shadow quality", _SHADOWS, _SHADOWS, "no key, so no key shadows")
    angle = key.apparent_angle
    faults: list[tuple[float, str]] = []
    if pattern is Pattern.RIM_LIT:
        # the face is modelled by whatever lights its front
        front = max(
            (x for x in m.lights if x.light.role is LightType.FILL and x.on_lit > 0.0),
            key=lambda x: x.on_lit,
            default=None,
        )
        holds = f"{r.hardness} key ({angle:.0f}° wide) rims the subject"
        if front is not None:
            light = front.light
            holds += f"; the {light.role} on the face spans {light.apparent_angle:.0f}°"
            faults.append(
                (
                    _SHADOWS * _too_hard(light.apparent_angle, _HARD_DEG),
                    f"the face is lit by a hard {light.role} ({light.apparent_angle:.0f}° wide): "
                    "snapshot shadows on it",
                )
            )
        return _component("shadow quality", _SHADOWS, faults, holds)
    wanted = softest_angle(pattern, r.tonal_key)
    holds = f"{r.hardness} key ({angle:.0f}° wide) suits {r.names[0]}"
    faults.append(
        (
            _SHADOWS * _too_hard(angle, wanted),
            f"{r.hardness} key ({angle:.0f}° wide) where {r.names[0]} wants {wanted:.0f}° or more",
        )
    )
    if angle < _HARD_DEG and pattern is not Pattern.SILHOUETTE and m.key_facing > 0.0:
        for x in m.lights:
            light = x.light
            if (
                light is key
                or light.role is not LightType.FILL
                or light.apparent_angle >= _HARD_DEG
                or x.facing <= 0.0
            ):
                continue
            under = -_stops(x.facing, m.key_facing)
            strength = (
                f"{under:.1f} stops under the hard key"
                if under >= 0.05
                else "as strong as the hard key"
                if under > -0.05
                else f"{-under:.1f} stops over the hard key"
            )
            faults.append(
                (
                    _SHADOWS * _ramp(under, _DOUBLE_SHADOW_STOPS, 0.0),
                    f"the hard {light.role} ({light.apparent_angle:.0f}° wide), {strength}, "
                    "casts a second set of nose shadows",
                )
            )
    return _component("shadow quality", _SHADOWS, faults, holds)


def _separation(r: Reading) -> Component:
    m = r.measurements
    pattern = r.pattern.pattern
    if pattern is Pattern.SILHOUETTE:
        return Component(
            "separation", _SEPARATION, _SEPARATION, "the bright backdrop outlines the subject"
        )
    accents = [
        x for x in m.lights if x.light.role in _ACCENTS and x.light is not m.key and x.facing > 0.0
    ]
    faults: list[tuple[float, str]] = []
    key_facing = m.key_facing
    if pattern is Pattern.RIM_LIT:
        holds = "the key itself rims the subject from behind"
    else:
        best = max((_stops(x.facing, key_facing) for x in accents), default=-10.0)
        by_accent = 1.0 - _ramp(best, _ACCENT_SEPARATES, _ACCENT_LOST)
        by_backdrop = 1.0 - _ramp(m.backdrop_stops, _BACKDROP_HOLDS, _BACKDROP_MERGES)
        if by_accent >= 1.0:
            named = ", ".join(
                str(x.light.role)
                for x in accents
                if _stops(x.facing, key_facing) >= _ACCENT_SEPARATES
            )
            holds = f"separated by the {named} light"
        else:
            holds = (
                f"the backdrop sits {m.backdrop_stops:+.1f} stops from the face, so the subject "
                "holds"
            )
        lost = 1.0 - max(by_accent, by_backdrop)
        if lost > 0.0:
            accent_words = (
                "no rim or hair light"
                if not accents
                else f"the {', '.join(str(x.light.role) for x in accents)} {-best:.1f} stops "
                "under the key barely shows"
            )
            faults.append(
                (
                    _SEPARATION * lost,
                    f"{accent_words} and the backdrop is {-m.backdrop_stops:.1f} stops under the "
                    f"face: dark hair and shoulders {'merge' if lost >= 0.5 else 'may merge'} "
                    "with it",
                )
            )
    for x in accents:
        light = x.light
        over = _stops(x.facing, key_facing) if key_facing > 0.0 else 0.0
        if over > _ACCENT_HOT_FREE:
            faults.append(
                (
                    _SEPARATION * _ramp(over, _ACCENT_HOT_FREE, _ACCENT_HOT_FULL),
                    f"the {light.role} is {over:.1f} stops over the key: hair and shoulders burn "
                    "out",
                )
            )
        if abs(light.azimuth) > _FLARE_AZIMUTH and light.elevation < _FLARE_ELEVATION:
            faults.append(
                (
                    0.5,
                    f"the {light.role} at {light.azimuth:.0f}° and {light.elevation:.0f}° high "
                    "points almost into the lens and will flare",
                )
            )
    return _component("separation", _SEPARATION, faults, holds)


def rate(reading: Reading) -> list[Component]:
    """The five components of the rating."""
    return [
        _contrast(reading),
        _key_placement(reading),
        _colour(reading),
        _shadows(reading),
        _separation(reading),
    ]


def total(components: list[Component]) -> float:
    """The rating: the components' sum, rounded to a tenth and kept within 1–10."""
    return min(10.0, max(1.0, round(sum(c.score for c in components), 1)))
