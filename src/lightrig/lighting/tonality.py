"""The tonal key of a picture from its tonal balance: how much of the frame is light or dark.

Photographers call a picture high-key when light tones fill it and its shadows stay open, and
low-key when dark tones do; the face's ratio alone cannot say which (a 4:1 portrait on white
paper is not low-key). The balance is read as a photographer exposing for the lit skin would
see it: every part of the frame is given a level in stops from the lit side of the face
(0; lighter is positive), clamped to what a print holds (5 stops under is black, 2 over is
paper white), and weighted by the share of the frame it fills:

* the backdrop, at its measured level, over the share the framing leaves it
  (:data:`FRAME_SHARES`: half a medium close-up, most of a full-length shot);
* the face and the rest of the subject (hair, clothes, lit like the face), split between the lit
  side and the shadow side — the shadow side's share follows the pattern
  (:data:`SHADOW_SHARE`: a tenth of a butterfly-lit face, half of a split-lit one).

The mean level decides: −0.6 stop or lighter with shadows no more than 1.6 stops (3:1) down is
high-key; −1.75 stops or darker is low-key; anything between is mid-key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.measure import MAX_RATIO
from lightrig.lighting.patterns import Pattern, TonalKey

__all__ = ["FRAME_SHARES", "SHADOW_SHARE", "TonalBalance", "tonal_balance"]

#: Share of the frame the backdrop fills, by framing (the subject fills the rest).
FRAME_SHARES: dict[str, float] = {
    "extreme close-up": 0.05,
    "close-up": 0.35,
    "medium close-up": 0.5,
    "medium shot": 0.55,
    "cowboy shot": 0.6,
    "full shot": 0.7,
    "wide shot": 0.85,
}
#: Share of the lit face (and body) that lies in the key's shadow, by pattern.
SHADOW_SHARE: dict[Pattern, float] = {
    Pattern.BUTTERFLY: 0.1,
    Pattern.CLAMSHELL: 0.05,
    Pattern.LOOP: 0.25,
    Pattern.REMBRANDT: 0.4,
    Pattern.SPLIT: 0.5,
    Pattern.RIM_LIT: 0.9,
    Pattern.TOP_LIGHT: 0.4,
    Pattern.UNDER_LIGHT: 0.4,
    Pattern.FLAT: 0.0,
    Pattern.CROSS: 0.2,
    Pattern.SILHOUETTE: 1.0,
}
#: The shadow side at the ratio's cap gets no light at all.
_UNLIT_STOPS = math.log2(MAX_RATIO)
_BLACK_STOPS = -5.0
_WHITE_STOPS = 2.0
#: The mean level (stops from the lit skin) at or over which a picture with open shadows is
#: high-key, and at or under which any picture is low-key.
HIGH_KEY_MEAN = -0.6
LOW_KEY_MEAN = -1.75
#: The deepest shadow (stops under the lit side) a high-key picture keeps: 3:1.
HIGH_KEY_SHADOW_STOPS = 1.6


@dataclass(frozen=True, slots=True)
class TonalBalance:
    """The frame's mean level in stops from the lit skin, the tonal key it earns and why."""

    mean_stops: float
    tonal_key: TonalKey
    reason: str


def _clamped(stops: float) -> float:
    return min(_WHITE_STOPS, max(_BLACK_STOPS, stops))


def tonal_balance(
    *,
    pattern: Pattern,
    shadow_stops: float,
    backdrop_stops: float,
    shot_type: str = "medium close-up",
) -> TonalBalance:
    """The tonal balance of a frame (module docstring).

    ``shadow_stops``: how far the shadow side of the face falls under the lit side (≥ 0);
    ``backdrop_stops``: the backdrop's level from the lit skin (negative: darker);
    ``shot_type``: a :class:`~lightrig.models.camera.ShotType` value.
    """
    backdrop_share = FRAME_SHARES.get(shot_type, FRAME_SHARES["medium close-up"])
    subject_share = 1.0 - backdrop_share
    shadow_share = SHADOW_SHARE[pattern]
    shadow = _clamped(-abs(shadow_stops))
    backdrop = _clamped(backdrop_stops)
    mean = backdrop_share * backdrop + subject_share * (shadow_share * shadow)
    where = (
        f"the frame averages {abs(mean):.1f} stops {'under' if mean < 0 else 'over'} the lit "
        f"skin (backdrop {_level(backdrop_stops)} over {backdrop_share:.0%} of a "
        f"{shot_type}, {shadow_share:.0%} of the subject "
        f"{_shadow_level(shadow_stops)})"
    )
    if mean >= HIGH_KEY_MEAN and abs(shadow_stops) <= HIGH_KEY_SHADOW_STOPS:
        return TonalBalance(mean, TonalKey.HIGH, f"high-key: {where}, light tones throughout")
    if mean <= LOW_KEY_MEAN:
        return TonalBalance(mean, TonalKey.LOW, f"low-key: {where}, dark tones dominate")
    return TonalBalance(mean, TonalKey.MID, f"mid-key: {where}")


def _shadow_level(shadow_stops: float) -> str:
    """The shadow side's level in words: unlit at the 10-stop cap (no light reaches it)."""
    if abs(shadow_stops) >= _UNLIT_STOPS:
        return "in unlit shadow"
    return f"in shadow {abs(shadow_stops):.1f} stops down"


def _level(stops: float) -> str:
    if abs(stops) < 0.05:
        return "level with the skin"
    return f"{abs(stops):.1f} stops {'under' if stops < 0 else 'over'} the skin"
