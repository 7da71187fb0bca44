"""Light modifiers and their typical sizes.

The size that matters for shadows is the modifier's diameter as the subject sees it, in metres:
for a strip box the equivalent-area circle, for the sky the part of it that lights the subject.
Names and sizes come from the vocabulary (:data:`lightrig.lighting.vocabulary.MODIFIERS`).
"""

from __future__ import annotations

from enum import StrEnum

from lightrig.lighting.vocabulary import MODIFIERS, ModifierWords

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


#: Typical effective diameter of each modifier, in metres (the vocabulary's figures).
TYPICAL_SIZE_M: dict[Modifier, float] = {Modifier(m.value): m.size_m for m in MODIFIERS}
_WORDS: dict[Modifier, ModifierWords] = {Modifier(m.value): m for m in MODIFIERS}


def modifier_phrase(modifier: Modifier, size_m: float) -> str:
    """``"a 120 cm octabox"``; sizes are said only where photographers say them."""
    words = _WORDS[modifier]
    name = words.written
    if not words.sized:
        article = "an" if name[0] in "aeiou" else "a"
        return f"{article} {name}"
    return f"a {round(size_m * 100):d} cm {name}"
