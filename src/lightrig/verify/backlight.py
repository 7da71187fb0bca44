"""A key behind the face: a lit rim on the head's edge that the fitted light cannot have made.

The shading fit (:mod:`lightrig.verify.shading`) reads the face's own skin, clipped pixels left
out. A key behind the head lights only its edge — a thin rim along the cheek, the temple and the
hair, usually clipped — so the fit never sees it: it reads the fill on the front of the face as
the key (a warm sun behind the shoulder read as a soft light in front on the other side), or,
when nothing lights the front, puts a key anywhere.

Here the picture itself is read at the face's two edges: in each, the brightest pixels (95th
percentile of linear luminance) of a band straddling the edge of the face's box — a quarter of
the box's width outside it to a fifth inside — over the brightest of the face's own readable
skin (its 95th percentile). A band at least :data:`RIM_STOPS` brighter than the face — or
:data:`SEEN_RIM_STOPS` when the fitted lights themselves hold one behind the face on the band's
side, which the fit names the fill when it reaches little of the face (a low sun whose bounce
lights the face well leaves a rim under 2 stops over it) — and at least :data:`BACKDROP_STOPS`
brighter than the backdrop beyond it (so a bright backdrop is no rim), is a lit rim. The key is
read behind the face on the rim's side when:

* the fit's key is already behind the face (|azimuth| > :data:`BEHIND_FROM_DEG`): the brighter
  rim names its side (a second light behind on the other side makes the dimmer one); or
* the fit's key is on the other side of the face from a rim at least :data:`OTHER_SIDE_STOPS`
  brighter than that side's band: a key in front on one side does not light the far edge.

The direction is then given as :data:`BEHIND_AZIMUTH_DEG` round on the rim's side — the middle of
the range behind the face's edge, as a rim shows only that the light is behind the edge, not how
far — at the height of the rim's centre of brightness over the box's middle (its sine: the
offset over half the box's height), with modest confidences that are not calibrated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.image import LinearImage
from lightrig.verify.models import DirectionEstimate, KeySide, KeySideEstimate
from lightrig.verify.readings import ShadedFace
from lightrig.verify.shading import ShadingFit, direction_angles

__all__ = [
    "BACKDROP_STOPS",
    "BEHIND_AZIMUTH_DEG",
    "BEHIND_FROM_DEG",
    "OTHER_SIDE_STOPS",
    "RIM_STOPS",
    "SEEN_RIM_STOPS",
    "RimLight",
    "behind_estimate",
    "behind_reading",
    "rim_light",
]

#: A band this many stops brighter than the face's brightest skin is a lit rim…
RIM_STOPS = 2.0
#: …or this many, when the fitted lights themselves hold one behind the face on the band's side
#: (the golden-hour preset's low sun: 1.7–1.8 stops; the real development set's highest band
#: with such a fit, a strobe at 85° grazing the cheek: 1.5).
SEEN_RIM_STOPS = 1.6
#: …and this many stops brighter than the backdrop beyond it.
BACKDROP_STOPS = 1.0
#: A rim this many stops brighter than the other edge's band overrides a key fitted there.
OTHER_SIDE_STOPS = 1.5
#: A fitted key this far round from the lens axis (degrees) is behind the face.
BEHIND_FROM_DEG = 100.0
#: The azimuth (degrees from the lens axis) given to a key read from its rim.
BEHIND_AZIMUTH_DEG = 135.0
#: The confidences of a direction and a side read from a rim: modest, and not calibrated (the
#: calibration pool of :mod:`lightrig.verify.calibration` holds no key behind the face).
_DIRECTION_CONFIDENCE = 0.3
_SIDE_CONFIDENCE = 0.6
#: The band straddling each edge of the box: this share of its width outside, this inside.
_OUTSIDE, _INSIDE = 0.25, 0.2
#: The backdrop: from this share of the box's width outside the edge to the band.
_BACKDROP_FROM = 0.5
_PERCENTILE = 95.0
_MIN_PIXELS = 20


@dataclass(frozen=True)
class RimLight:
    """The face's edges read: ``left``, ``right``: stops each edge's band is brighter than the
    face's brightest skin (None when the band holds no pixels); ``left_over_backdrop``,
    ``right_over_backdrop``: stops it is brighter than the backdrop beyond (inf where there is
    no backdrop in the picture); ``left_height``, ``right_height``: the band's bright pixels'
    centre over the box's middle, −1 (its bottom) … 1 (its top)."""

    left: float | None
    right: float | None
    left_over_backdrop: float
    right_over_backdrop: float
    left_height: float
    right_height: float

    def rim(self, side: int, stops: float = RIM_STOPS) -> bool:
        """Is the edge on ``side`` (−1 camera-left, +1 camera-right) a lit rim, at least
        ``stops`` brighter than the face?"""
        level = self.right if side > 0 else self.left
        over = self.right_over_backdrop if side > 0 else self.left_over_backdrop
        return level is not None and level >= stops and over >= BACKDROP_STOPS


def _level(values: npt.NDArray[np.float32]) -> float | None:
    if values.size < _MIN_PIXELS:
        return None
    return float(np.percentile(values, _PERCENTILE))


def rim_light(picture: LinearImage, face: ShadedFace) -> RimLight | None:
    """The face's two edges read in ``picture`` (see the module's docstring); None when the face
    has no box or no readable skin."""
    box = face.subject.box
    skin = face.face_luminance
    if box is None or skin is None or skin.size < _MIN_PIXELS:
        return None
    top, left, bottom, right = (round(v * picture.scale) for v in box)
    top, bottom = max(0, top), min(picture.height, bottom)
    width = right - left
    if width <= 0 or bottom - top < 4:
        return None
    face_level = max(float(np.percentile(skin, _PERCENTILE)), 1e-6)
    rows = picture.luminance[top:bottom]
    middle = 0.5 * (top + bottom)
    half_height = 0.5 * (bottom - top)

    def columns(start: float, stop: float) -> npt.NDArray[np.float32]:
        a, z = max(0, round(start)), min(picture.width, round(stop))
        return rows[:, a:z] if z > a else rows[:, :0]

    def edge(
        start: float, stop: float, beyond: tuple[float, float]
    ) -> tuple[float | None, float, float]:
        band = columns(start, stop)
        level = _level(band)
        if level is None:
            return None, math.inf, 0.0
        backdrop = _level(columns(*beyond))
        # a black band (level 0) is no rim: its level over the backdrop's is taken at 1e-6
        over = math.inf if backdrop is None else math.log2(max(level, 1e-6) / max(backdrop, 1e-6))
        bright = band >= 0.5 * level
        picked = np.nonzero(bright)[0]
        height = (middle - (top + float(picked.mean()) + 0.5)) / half_height if picked.size else 0.0
        return math.log2(max(level, 1e-6) / face_level), over, max(-1.0, min(1.0, height))

    left_level, left_over, left_height = edge(
        left - _OUTSIDE * width,
        left + _INSIDE * width,
        (left - _BACKDROP_FROM * width, left - _OUTSIDE * width),
    )
    right_level, right_over, right_height = edge(
        right - _INSIDE * width,
        right + _OUTSIDE * width,
        (right + _OUTSIDE * width, right + _BACKDROP_FROM * width),
    )
    return RimLight(
        left=left_level,
        right=right_level,
        left_over_backdrop=left_over,
        right_over_backdrop=right_over,
        left_height=left_height,
        right_height=right_height,
    )


def _fitted_behind(fit: ShadingFit | None, side: int) -> bool:
    """Does the fit hold a light behind the face (beyond :data:`BEHIND_FROM_DEG`) on ``side``,
    however little of the face it reaches (the fit may have named it the fill for that)?"""
    if fit is None:
        return False
    lights = [(fit.key, fit.key_strength), (fit.fill, fit.fill_strength)]
    for direction, strength in lights:
        if direction is None or strength <= 0.0:
            continue
        azimuth = direction_angles(direction)[0]
        if abs(azimuth) > BEHIND_FROM_DEG and azimuth * side > 0.0:
            return True
    return False


def behind_reading(
    picture: LinearImage, face: ShadedFace, direction: DirectionEstimate
) -> tuple[DirectionEstimate, KeySideEstimate] | None:
    """The key read behind the face from a lit rim, when the picture shows one the fitted
    ``direction`` cannot have made (see the module's docstring); None otherwise."""
    rims = rim_light(picture, face)
    if rims is None:
        return None
    left = rims.left if rims.left is not None else -math.inf
    right = rims.right if rims.right is not None else -math.inf
    side = 1 if right > left else -1
    if not rims.rim(side, SEEN_RIM_STOPS if _fitted_behind(face.fit, side) else RIM_STOPS):
        return None
    fitted_behind = abs(direction.azimuth) > BEHIND_FROM_DEG
    other = left if side > 0 else right
    level = right if side > 0 else left
    across = direction.azimuth * side < 0.0 and level - other >= OTHER_SIDE_STOPS
    if not (fitted_behind or across):
        return None
    height = rims.right_height if side > 0 else rims.left_height
    return behind_estimate(side, height)


def behind_estimate(side: int, height: float) -> tuple[DirectionEstimate, KeySideEstimate]:
    """The key behind the face on ``side`` (−1 camera-left, +1 camera-right), at
    :data:`BEHIND_AZIMUTH_DEG` round and at the height of its rim's centre (``height``: −1 the
    face's bottom … 1 its top; the elevation is its arcsine), with the modest confidences of a
    reading from a rim."""
    elevation = math.degrees(math.asin(max(-1.0, min(1.0, height))))
    read = DirectionEstimate(
        azimuth=side * BEHIND_AZIMUTH_DEG,
        elevation=round(elevation, 2),
        confidence=_DIRECTION_CONFIDENCE,
    )
    key_side = KeySideEstimate(
        side=KeySide.CAMERA_RIGHT if side > 0 else KeySide.CAMERA_LEFT,
        confidence=_SIDE_CONFIDENCE,
    )
    return read, key_side
