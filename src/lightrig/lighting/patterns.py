"""Lighting patterns: what the key does to the face, how the head turn reads, and the tonal key.

Patterns follow the face, not the camera: the key's azimuth is measured from the nose
(``face_azimuth``). Three independent names describe a setup:

* the *pattern* from the key's position — butterfly (on the nose axis, high), clamshell (butterfly
  with a fill or reflector below), loop (20–40° round, raised), Rembrandt (40–60° round, high
  enough that the nose shadow joins the cheek shadow), split (about 90°, near eye level), rim-lit
  (behind the face), top-light (above 65°), under-light (below the eyes), flat (on-axis at eye
  level, or any side pattern whose fill matches the key), silhouette (a face left dark against a
  brighter backdrop);
* *broad* or *short* when the head is turned: broad lights the side of the face turned toward
  the camera, short the side turned away;
* the *tonal key* — high-, mid- or low-key — from the frame's tonal balance
  (:mod:`lightrig.lighting.tonality`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "SILHOUETTE_STOPS",
    "Facing",
    "Pattern",
    "PatternCall",
    "TonalKey",
    "classify_facing",
    "classify_pattern",
    "classify_two_sided",
]


class Pattern(StrEnum):
    """The shape the key's light and shadow make on the face."""

    BUTTERFLY = "butterfly"
    CLAMSHELL = "clamshell"
    LOOP = "loop"
    REMBRANDT = "rembrandt"
    SPLIT = "split"
    RIM_LIT = "rim-lit"
    TOP_LIGHT = "top-light"
    UNDER_LIGHT = "under-light"
    FLAT = "flat"
    CROSS = "cross"
    SILHOUETTE = "silhouette"


class Facing(StrEnum):
    """Which side of a turned face the key lights."""

    BROAD = "broad"
    SHORT = "short"


class TonalKey(StrEnum):
    """The overall tonality of the picture."""

    HIGH = "high-key"
    MID = "mid-key"
    LOW = "low-key"


#: Centres of the side patterns in (azimuth from the nose, elevation), degrees.
_PROTOTYPES: tuple[tuple[Pattern, float, float], ...] = (
    (Pattern.BUTTERFLY, 0.0, 40.0),
    (Pattern.LOOP, 30.0, 30.0),
    (Pattern.REMBRANDT, 52.0, 42.0),
    (Pattern.SPLIT, 88.0, 10.0),
)
#: Elevation differences weigh less than azimuth differences when matching a prototype.
_ELEVATION_WEIGHT = 0.6
#: A lit-to-shadow ratio at or under this (⅓ stop) leaves no visible pattern.
_FLAT_RATIO = 2 ** (1 / 3)
#: A fill below within this many stops of the key turns butterfly into clamshell.
_CLAMSHELL_FILL_STOPS = 3.0
#: How much brighter (stops) the backdrop must be than a key-less face for a silhouette.
SILHOUETTE_STOPS = 2.0
#: …and how near (stops) the brightest light on the subject, the key's rim: a head lit only
#: from behind against an unlit backdrop is rim-lit, not a silhouette.
SILHOUETTE_BACKDROP_UNDER_KEY_STOPS = 1.0
_TURN_DEG = 10.0
#: A light on the other side of the nose within this many stops of the key (both facing the
#: face) and within TWO_SIDED_HEIGHT_DEG of its height makes the lighting two-sided — two equal
#: lights, each filling the other's shadow: flat when both stand near the camera, cross lighting
#: when both stand at least CROSS_DEG round the face. A weaker or much lower light is a fill.
TWO_SIDED_STOPS = 0.5
TWO_SIDED_HEIGHT_DEG = 20.0
CROSS_DEG = 60.0
#: A light further round than this (a rim behind the head) lights its edge, not a side of it.
TWO_SIDED_MAX_DEG = 110.0


@dataclass(slots=True)
class PatternCall:
    """A classification and the reason for it, in words."""

    pattern: Pattern
    reason: str


def _side(face_azimuth: float) -> str:
    return "camera-right" if face_azimuth > 0 else "camera-left"


def classify_pattern(
    face_azimuth: float,
    elevation: float,
    ratio: float,
    fill_below_stops: float | None,
    backdrop_over_face_stops: float,
    *,
    backdrop_over_key_stops: float = 0.0,
) -> PatternCall:
    """Classify the key's pattern.

    ``face_azimuth`` and ``elevation``: the key's angles in degrees, azimuth from the nose.
    ``ratio``: lit-to-shadow illuminance ratio. ``fill_below_stops``: how many stops under the key
    the strongest light from below the eyes on the nose axis is (``None`` if there is none).
    ``backdrop_over_face_stops``: the backdrop's luminance over the face's lit side, in stops;
    ``backdrop_over_key_stops``: over the subject lit squarely by the key (its rim), in stops.
    """
    off_axis = abs(face_azimuth)
    if off_axis > 100.0:
        if (
            backdrop_over_face_stops >= SILHOUETTE_STOPS
            and backdrop_over_key_stops >= -SILHOUETTE_BACKDROP_UNDER_KEY_STOPS
        ):
            return PatternCall(
                Pattern.SILHOUETTE,
                f"the key is behind the face ({off_axis:.0f}° from the nose) and the backdrop is "
                f"{backdrop_over_face_stops:.1f} stops brighter than the face",
            )
        return PatternCall(
            Pattern.RIM_LIT,
            f"the key is behind the face, {off_axis:.0f}° from the nose, and the backdrop is "
            f"{-backdrop_over_key_stops:.1f} stops darker than its rim: rim-lit, not a silhouette"
            if backdrop_over_face_stops >= SILHOUETTE_STOPS
            else f"the key is behind the face, {off_axis:.0f}° from the nose",
        )
    if elevation < -15.0:
        return PatternCall(Pattern.UNDER_LIGHT, f"the key is {-elevation:.0f}° below eye level")
    if elevation > 65.0:
        return PatternCall(Pattern.TOP_LIGHT, f"the key is {elevation:.0f}° above eye level")
    if off_axis <= 15.0 and elevation < 15.0:
        return PatternCall(
            Pattern.FLAT, f"the key is on the nose axis at eye level ({elevation:.0f}°)"
        )

    def distance(proto: tuple[Pattern, float, float]) -> float:
        return math.hypot(off_axis - proto[1], _ELEVATION_WEIGHT * (elevation - proto[2]))

    pattern = min(_PROTOTYPES, key=distance)[0]
    where = f"key {off_axis:.0f}° {_side(face_azimuth)} of the nose, {elevation:.0f}° high"
    if off_axis <= 15.0:
        where = f"key on the nose axis, {elevation:.0f}° high"
    if pattern is Pattern.BUTTERFLY:
        if fill_below_stops is not None and fill_below_stops <= _CLAMSHELL_FILL_STOPS:
            return PatternCall(
                Pattern.CLAMSHELL,
                f"{where}, with a fill from below {fill_below_stops:.1f} stops under it",
            )
        return PatternCall(Pattern.BUTTERFLY, where)
    if ratio <= _FLAT_RATIO:
        return PatternCall(
            Pattern.FLAT,
            f"{where}, but the shadow side is within ⅓ stop of the lit side ({ratio:.2f}:1)",
        )
    return PatternCall(pattern, where)


def classify_two_sided(
    key_azimuth: float,
    other_azimuth: float,
    stops_under_key: float,
    *,
    height_apart: float = 0.0,
) -> PatternCall | None:
    """Flat or cross lighting when a second light, ``stops_under_key`` stops under the key
    (facing each) and ``height_apart`` degrees above or below it, stands on the other side of the
    nose (azimuths from the nose, degrees); None when the lighting is one-sided."""
    if stops_under_key > TWO_SIDED_STOPS or key_azimuth * other_azimuth >= 0.0:
        return None
    if abs(height_apart) > TWO_SIDED_HEIGHT_DEG:
        return None
    if (
        min(abs(key_azimuth), abs(other_azimuth)) < 5.0
        or max(abs(key_azimuth), abs(other_azimuth)) > TWO_SIDED_MAX_DEG
    ):
        return None
    where = (
        f"two lights {stops_under_key:.1f} stop apart and at about the same height either "
        "side of the nose "
        f"({abs(key_azimuth):.0f}° {_side(key_azimuth)}, {abs(other_azimuth):.0f}° "
        f"{_side(other_azimuth)})"
    )
    if min(abs(key_azimuth), abs(other_azimuth)) >= CROSS_DEG:
        return PatternCall(Pattern.CROSS, f"{where}: cross lighting, each side of the face edged")
    return PatternCall(Pattern.FLAT, f"{where}: each fills the other's shadow, so the face is flat")


def classify_facing(subject_yaw: float, face_azimuth: float) -> Facing | None:
    """Broad or short lighting for a face turned ``subject_yaw`` degrees (``None`` if not turned).

    The key lights the short side when it stands on the side the face is turned toward.
    """
    if abs(subject_yaw) < _TURN_DEG or abs(face_azimuth) < 5.0 or abs(face_azimuth) > 100.0:
        return None
    return Facing.SHORT if (face_azimuth > 0) == (subject_yaw > 0) else Facing.BROAD
