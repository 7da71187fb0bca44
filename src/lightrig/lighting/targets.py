"""What each pattern and tonal key asks of contrast and shadow quality.

Bands are lit-to-shadow ratios in stops; they follow the usual studio practice (flat and high-key
within about 1⅓ stops, standard portrait patterns 1–2½, butterfly — a glamour light — 1–2, dramatic
side light and low-key 2 and more). A side-lit face against a near-black backdrop is a low-key
picture even when its fill has lifted the shadows, so it is held to the low-key band
(:func:`wanted_band`). Hardness is wanted as a smallest apparent angle of the key
(:func:`softest_angle`): beauty (clamshell) and flat light want soft sources, loop, top light and
high-key at least medium ones, dramatic patterns and low-key any.
"""

from __future__ import annotations

from lightrig.lighting.patterns import Pattern, TonalKey
from lightrig.lighting.softness import HARD_BELOW_DEG, SOFT_ABOVE_DEG, ShadowHardness

__all__ = [
    "DARK_SET_STOPS",
    "LOW_KEY_BAND",
    "preferred_hardness",
    "ratio_band",
    "softest_angle",
    "wanted_band",
]

_PATTERN_BANDS: dict[Pattern, tuple[float, float]] = {
    Pattern.BUTTERFLY: (1.0, 2.0),
    Pattern.CLAMSHELL: (0.3, 1.5),
    Pattern.LOOP: (1.0, 2.5),
    Pattern.REMBRANDT: (1.5, 3.0),
    Pattern.SPLIT: (1.5, 4.0),
    Pattern.FLAT: (0.0, 1.0),
    Pattern.CROSS: (0.0, 1.5),
    Pattern.TOP_LIGHT: (1.0, 3.0),
    Pattern.UNDER_LIGHT: (1.0, 3.0),
}
HIGH_KEY_BAND = (0.0, 1.3)
LOW_KEY_BAND = (2.0, 5.0)
#: A backdrop this many stops or more under the face's lit side is near-black: the picture is
#: low-key whatever the fill does to the face.
DARK_SET_STOPS = -4.0
#: The patterns a key placed to the side makes; a fill can flatten them.
SIDE_PATTERNS = frozenset({Pattern.LOOP, Pattern.REMBRANDT, Pattern.SPLIT})

_ALL = frozenset(ShadowHardness)
_SOFTISH = frozenset({ShadowHardness.SOFT, ShadowHardness.MEDIUM})
#: The smallest apparent angle (degrees) of the key each pattern wants; 0: any.
_SOFTEST: dict[Pattern, float] = {
    Pattern.FLAT: SOFT_ABOVE_DEG,
    Pattern.CLAMSHELL: SOFT_ABOVE_DEG,
    Pattern.LOOP: HARD_BELOW_DEG,
    Pattern.TOP_LIGHT: HARD_BELOW_DEG,  # hard light from overhead is the noon sun
}


def ratio_band(pattern: Pattern, tonal_key: TonalKey) -> tuple[float, float] | None:
    """The lit-to-shadow range in stops that suits a pattern and tonal key (None: any)."""
    if pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return None
    if tonal_key is TonalKey.HIGH:
        return HIGH_KEY_BAND
    if tonal_key is TonalKey.LOW:
        return LOW_KEY_BAND
    return _PATTERN_BANDS[pattern]


def wanted_band(
    pattern: Pattern, tonal_key: TonalKey, backdrop_stops: float
) -> tuple[float, float] | None:
    """The band a setup is held to: :func:`ratio_band`, and the low-key band for a side pattern
    (loop, Rembrandt, split) against a near-black backdrop (``backdrop_stops`` at or under
    :data:`DARK_SET_STOPS`). ``pattern`` is the pattern the key is placed for."""
    if (
        tonal_key is not TonalKey.HIGH
        and pattern in SIDE_PATTERNS
        and backdrop_stops <= DARK_SET_STOPS
    ):
        return LOW_KEY_BAND
    return ratio_band(pattern, tonal_key)


def softest_angle(pattern: Pattern, tonal_key: TonalKey) -> float:
    """The smallest apparent angle of the key, in degrees, that suits a pattern and tonal key
    (0: any hardness suits it). Beauty (clamshell) and flat light want soft sources, loop, top
    light and high-key at least medium ones; low-key and the dramatic patterns take any."""
    if tonal_key is TonalKey.LOW:
        return 0.0
    wanted = _SOFTEST.get(pattern, 0.0)
    if tonal_key is TonalKey.HIGH:
        return max(wanted, HARD_BELOW_DEG)
    return wanted


def preferred_hardness(pattern: Pattern, tonal_key: TonalKey) -> frozenset[ShadowHardness]:
    """The shadow qualities that suit a pattern and tonal key (from :func:`softest_angle`)."""
    angle = softest_angle(pattern, tonal_key)
    if angle >= SOFT_ABOVE_DEG:
        return frozenset({ShadowHardness.SOFT})
    if angle >= HARD_BELOW_DEG:
        return _SOFTISH
    return _ALL
