"""What each pattern and tonal key asks of contrast and shadow quality.

Bands are lit-to-shadow ratios in stops; they follow the usual studio practice (flat and high-key
within about 1⅓ stops, standard portrait patterns 1–2½, dramatic side light and low-key 2 and more).
"""

from __future__ import annotations

from lightrig.lighting.patterns import Pattern, TonalKey
from lightrig.lighting.softness import ShadowHardness

__all__ = ["preferred_hardness", "ratio_band"]

_PATTERN_BANDS: dict[Pattern, tuple[float, float]] = {
    Pattern.BUTTERFLY: (1.0, 2.5),
    Pattern.CLAMSHELL: (0.3, 1.5),
    Pattern.LOOP: (1.0, 2.5),
    Pattern.REMBRANDT: (1.5, 3.0),
    Pattern.SPLIT: (1.5, 4.0),
    Pattern.FLAT: (0.0, 1.0),
    Pattern.CROSS: (0.0, 1.5),
    Pattern.TOP_LIGHT: (1.0, 3.0),
    Pattern.UNDER_LIGHT: (1.0, 3.0),
}

_ALL = frozenset(ShadowHardness)
_SOFTISH = frozenset({ShadowHardness.SOFT, ShadowHardness.MEDIUM})
_PREFERRED: dict[Pattern, frozenset[ShadowHardness]] = {
    Pattern.CLAMSHELL: _SOFTISH,
    Pattern.LOOP: _SOFTISH,
    Pattern.FLAT: frozenset({ShadowHardness.SOFT}),
}


def ratio_band(pattern: Pattern, tonal_key: TonalKey) -> tuple[float, float] | None:
    """The lit-to-shadow range in stops that suits a pattern and tonal key (None: any)."""
    if pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return None
    if tonal_key is TonalKey.HIGH:
        return (0.0, 1.3)
    if tonal_key is TonalKey.LOW:
        return (2.0, 5.0)
    return _PATTERN_BANDS[pattern]


def preferred_hardness(pattern: Pattern, tonal_key: TonalKey) -> frozenset[ShadowHardness]:
    """The shadow qualities that suit a pattern and tonal key."""
    if tonal_key is TonalKey.HIGH:
        return _SOFTISH
    if tonal_key is TonalKey.LOW:
        return _ALL
    return _PREFERRED.get(pattern, _ALL)
