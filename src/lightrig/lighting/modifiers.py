"""Light modifiers and their typical sizes.

The size that matters for shadows is the modifier's diameter as the subject sees it, in metres:
for a strip box the equivalent-area circle, for the sky the part of it that lights the subject.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["TYPICAL_SIZE_M", "Modifier", "modifier_phrase"]


class Modifier(StrEnum):
    """What is on the front of a light (or what the light is, for windows and the sky)."""

    BARE = "bare"
    SNOOT = "snoot"
    FRESNEL = "fresnel"
    BEAUTY_DISH = "beauty_dish"
    SOFTBOX = "softbox"
    OCTABOX = "octabox"
    STRIP_BOX = "strip_box"
    UMBRELLA = "umbrella"
    REFLECTOR = "reflector"
    SCRIM = "scrim"
    WINDOW = "window"
    OVERCAST = "overcast"


#: Typical effective diameter of each modifier, in metres.
TYPICAL_SIZE_M: dict[Modifier, float] = {
    Modifier.BARE: 0.18,  # a standard 7-inch reflector
    Modifier.SNOOT: 0.05,
    Modifier.FRESNEL: 0.15,
    Modifier.BEAUTY_DISH: 0.55,
    Modifier.SOFTBOX: 0.9,
    Modifier.OCTABOX: 1.2,
    Modifier.STRIP_BOX: 0.6,  # a 30 × 120 cm strip, as its equivalent-area circle
    Modifier.UMBRELLA: 1.05,
    Modifier.REFLECTOR: 1.0,  # a bounce board or 107 cm round reflector
    Modifier.SCRIM: 1.8,
    Modifier.WINDOW: 1.2,
    Modifier.OVERCAST: 6.0,  # the bright part of an overcast sky, at a few metres
}

_NAMES: dict[Modifier, str] = {
    Modifier.BARE: "bare reflector",
    Modifier.SNOOT: "snoot",
    Modifier.FRESNEL: "fresnel spot",
    Modifier.BEAUTY_DISH: "beauty dish",
    Modifier.SOFTBOX: "softbox",
    Modifier.OCTABOX: "octabox",
    Modifier.STRIP_BOX: "strip box",
    Modifier.UMBRELLA: "umbrella",
    Modifier.REFLECTOR: "reflector",
    Modifier.SCRIM: "diffusion scrim",
    Modifier.WINDOW: "window",
    Modifier.OVERCAST: "overcast sky",
}


def modifier_phrase(modifier: Modifier, size_m: float) -> str:
    """``"a 120 cm octabox"``; sizes are said only where photographers say them."""
    name = _NAMES[modifier]
    if modifier in (Modifier.OVERCAST, Modifier.SNOOT, Modifier.BARE, Modifier.FRESNEL):
        article = "an" if name[0] in "aeiou" else "a"
        return f"{article} {name}"
    return f"a {round(size_m * 100):d} cm {name}"
