"""Numbers said the way a photographer says them.

FIBO has no numeric field for light: every angle, ratio, size and colour temperature reaches it as
words. These functions choose those words; they are deterministic (the same numbers always give
the same text) and keep the figures a photographer would quote ("45° camera-left", "3200 K",
"two stops under").
"""

from __future__ import annotations

import math
from functools import lru_cache

from lightrig.lighting.colour import ColourCast, colour_cast, kelvin_source_name, srgb_to_linear
from lightrig.lighting.lens import lens_class
from lightrig.lighting.modifiers import Modifier, modifier_phrase
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.rig import PlacedLight
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.vocabulary import HARDNESS_PHRASES, NUMBER_WORDS, PATTERNS, ROLES

__all__ = [
    "backdrop_phrase",
    "colour_name",
    "depth_of_field_phrase",
    "direction_phrase",
    "hardness_phrase",
    "is_sun",
    "kelvin_phrase",
    "lens_phrase",
    "pattern_signature",
    "ratio_phrase",
    "role_name",
    "shadow_side_phrase",
    "size_adjective",
    "source_phrase",
    "stops_phrase",
]

#: Zero to ten in words, each number's longest word ("one", not "a").
_NUMBERS = tuple(
    max((word for word, value in NUMBER_WORDS.items() if value == n), key=len) for n in range(11)
)


def _degrees(value: float) -> str:
    return f"{round(abs(value)):d}°"


def stops_phrase(stops_under: float) -> str:
    """``"two stops under"``, ``"half a stop over"``, ``"matching the key"``; to the half stop."""
    halves = round(abs(stops_under) * 2)
    if halves == 0:
        return "matching the key"
    whole, half = divmod(halves, 2)
    if whole == 0:
        amount = "half a stop"
    else:
        unit = "stop" if whole == 1 and not half else "stops"
        amount = f"{_NUMBERS[min(whole, 10)]}{' and a half' if half else ''} {unit}"
    return f"{amount} {'under' if stops_under > 0 else 'over'}"


def ratio_phrase(ratio: float, stops: float) -> str:
    """``"4.4:1, 2.1 stops"``."""
    return f"{ratio:.1f}:1, {stops:.1f} stops"


def _horizontal(azimuth: float) -> str:
    size = abs(azimuth)
    side = "camera-right" if azimuth > 0 else "camera-left"
    if size < 5.0:
        return "directly in front"
    if size > 175.0:
        return "directly behind"
    if size > 100.0:
        return f"behind, {side} ({_degrees(azimuth)})"
    return f"{_degrees(azimuth)} {side}"


def _vertical(elevation: float) -> str:
    if elevation > 85.0:
        return "directly overhead"
    if abs(elevation) < 5.0:
        return "at eye level"
    if elevation > 0:
        return f"{_degrees(elevation)} above eye level"
    return f"{_degrees(elevation)} below eye level"


def direction_phrase(light: PlacedLight) -> str:
    """``"from 45° camera-left and 30° above eye level"`` (angles from the camera axis)."""
    vertical = _vertical(light.elevation)
    if vertical == "directly overhead":
        return "from directly overhead"
    return f"from {_horizontal(light.azimuth)}, {vertical}"


def size_adjective(angle: float) -> str:
    """How big a source looks from the subject, by its apparent angle in degrees."""
    if angle > 45.0:
        return "very large, wrapping"
    if angle > 25.0:
        return "large soft"
    if angle > 10.0:
        return "medium"
    if angle > 3.0:
        return "small hard"
    return "pinpoint hard"


#: A bare source smaller than this apparent angle (degrees) is spoken of as the sun.
SUN_ANGLE_DEG = 1.2


def _sun_name(kelvin: float) -> str:
    if kelvin < 3600:
        return "low golden sun"
    if kelvin < 5000:
        return "afternoon sun"
    return "midday sun"


@lru_cache(maxsize=512)
def kelvin_phrase(kelvin: float, white_balance: float, *, sun: bool = False) -> str:
    """``"warm 3200 K tungsten"``: the rendered cast, the figure and the source it suggests."""
    cast = colour_cast(kelvin, white_balance)
    source = _sun_name(kelvin) if sun else kelvin_source_name(kelvin)
    figure = f"{round(kelvin / 50) * 50:d} K {source}"
    if cast is ColourCast.NEUTRAL:
        return f"neutral {figure}"
    return f"{cast} {figure}"


def source_phrase(light: PlacedLight, white_balance: float) -> str:
    """``"a large soft warm 3200 K tungsten source (a 90 cm softbox)"``; size by apparent angle."""
    adjective = size_adjective(light.apparent_angle)
    if is_sun(light):
        return f"a hard {kelvin_phrase(light.kelvin, white_balance, sun=True)}"
    colour = kelvin_phrase(light.kelvin, white_balance)
    if light.modifier is Modifier.WINDOW:
        return f"a {adjective} {colour} window"
    modifier = "" if light.modifier is None else f" ({modifier_phrase(light.modifier, light.size)})"
    return f"a {adjective} {colour} source{modifier}"


def is_sun(light: PlacedLight) -> bool:
    """A bare source as small in the sky as the sun (under 1.2°) is spoken of as the sun."""
    return light.modifier in (None, Modifier.BARE) and light.apparent_angle < SUN_ANGLE_DEG


_ROLE_NAMES: dict[str, str] = {role.value: role.written for role in ROLES}


def role_name(role: LightType) -> str:
    """``"hair light"``, ``"fill"``, ``"ambient light"``."""
    return _ROLE_NAMES[role]


_SIGNATURES: dict[str, str] = {pattern.value: pattern.signature for pattern in PATTERNS}


def pattern_signature(pattern: Pattern, *, face_lit: bool = False) -> str:
    """What the pattern looks like on a face, in words.

    ``face_lit``: for rim-lit setups, whether the front of the face gets light within 3 stops of
    the key (a reflector or fill in front): then the rim outlines a face that stays visible.
    """
    if pattern is Pattern.RIM_LIT and face_lit:
        return (
            "a bright rim of light outlining the hair, jaw and shoulders, the face lit softly "
            "from the front"
        )
    return _SIGNATURES[pattern]


def hardness_phrase(hardness: ShadowHardness) -> str:
    """``"soft and gradual"``, ``"crisp and hard-edged"``."""
    return HARDNESS_PHRASES[hardness]


def shadow_side_phrase(stops: float) -> str:
    """``"the shadow side falls two stops under the lit side"`` (``stops``: lit over shadow)."""
    if abs(stops) < 0.25:
        return "the shadow side is as bright as the lit side"
    return f"the shadow side falls {stops_phrase(stops)} the lit side"


def backdrop_phrase(backdrop_stops: float) -> str:
    """How bright the background renders relative to the face's lit side (stops)."""
    if backdrop_stops >= 1.5:
        return "lit to pure white"
    if backdrop_stops >= 0.5:
        return "lit brighter than the subject"
    if backdrop_stops >= -0.5:
        return "lit to about the subject's brightness"
    if backdrop_stops >= -2.0:
        return "a little darker than the subject"
    if backdrop_stops >= -4.0:
        return "falling off into deep shadow"
    return "falling off to near black"


@lru_cache(maxsize=256)
def colour_name(hex_colour: str) -> str:
    """A plain name for an sRGB ``#rrggbb`` backdrop colour: ``"dark grey"``, ``"deep blue"``."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5))
    high, low = max(r, g, b), min(r, g, b)
    lightness = 0.2126 * srgb_to_linear(r) + 0.7152 * srgb_to_linear(g) + 0.0722 * srgb_to_linear(b)
    if high - low < 0.08:
        for limit, name in ((0.012, "black"), (0.06, "charcoal"), (0.15, "dark grey")):
            if lightness < limit:
                return name
        for limit, name in ((0.35, "mid-grey"), (0.75, "light grey")):
            if lightness < limit:
                return name
        return "white"
    delta = high - low
    if high == r:
        hue = ((g - b) / delta) % 6.0
    elif high == g:
        hue = (b - r) / delta + 2.0
    else:
        hue = (r - g) / delta + 4.0
    hue *= 60.0
    names = (
        (15, "red"),
        (45, "orange"),
        (70, "yellow"),
        (160, "green"),
        (200, "teal"),
        (255, "blue"),
        (290, "purple"),
        (335, "pink"),
        (360, "red"),
    )
    base = next(name for limit, name in names if hue < limit)
    if lightness < 0.05:
        return f"deep {base}"
    if lightness > 0.5:
        return f"pale {base}"
    return base


def lens_phrase(focal_length: float, lens_type: str | None) -> str:
    """``"85 mm portrait telephoto lens (portrait)"``: the focal length (mm), its class, and the
    user's label unless the label names a focal range the lens is outside of (a "20 mm
    ultra-wide lens (portrait)" would contradict itself; the analysis warns instead)."""
    if focal_length < 24:
        kind = "ultra-wide"
    elif focal_length < 35:
        kind = "wide-angle"
    elif focal_length < 70:
        kind = "standard"
    elif focal_length <= 135:
        kind = "portrait telephoto"
    else:
        kind = "telephoto"
    named = lens_class(lens_type)
    fits = named is None or named.holds(focal_length)
    label = f" ({lens_type})" if lens_type and fits else ""
    return f"{round(focal_length):d} mm {kind} lens{label}"


#: Height of the frame in metres for each framing (the subject fills it).
FRAME_HEIGHT_M: dict[str, float] = {
    "extreme close-up": 0.12,
    "close-up": 0.3,
    "medium close-up": 0.5,
    "medium shot": 0.9,
    "cowboy shot": 1.3,
    "full shot": 2.0,
    "wide shot": 4.0,
}
_SENSOR_HEIGHT_MM = 24.0
_CIRCLE_OF_CONFUSION_MM = 0.03


def depth_of_field_phrase(shot: str, focal_length: float, aperture: float) -> str:
    """``"shallow (about 6 cm in focus at f/2.8, 85 mm), background softly blurred"``.

    The camera distance follows from the framing and focal length; the depth of field from the
    usual approximation ``2·N·c·s² / f²`` for a full-frame circle of confusion of 0.03 mm.
    """
    distance_mm = FRAME_HEIGHT_M[shot] * 1000.0 * focal_length / _SENSOR_HEIGHT_MM
    depth_m = 2.0 * aperture * _CIRCLE_OF_CONFUSION_MM * distance_mm**2 / focal_length**2 / 1000.0
    setting = f"f/{aperture:g}, {round(focal_length):d} mm"
    if depth_m < 0.05:
        return (
            f"very shallow (about {depth_m * 100:.0f} cm in focus at {setting}), background melted"
        )
    if depth_m < 0.25:
        return (
            f"shallow (about {depth_m * 100:.0f} cm in focus at {setting}), "
            "background softly blurred"
        )
    if depth_m < 1.5:
        return f"moderate (about {depth_m:.1f} m in focus at {setting}), background gently soft"
    if math.isinf(depth_m) or depth_m > 10.0:
        return f"deep ({setting}), everything sharp"
    return f"deep (about {depth_m:.0f} m in focus at {setting}), background mostly sharp"
