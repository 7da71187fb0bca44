"""A face left dark against a bright backdrop: the key behind it, read from the rim it leaves on
the silhouette.

A silhouette (:data:`lightrig.lighting.patterns.SILHOUETTE_STOPS`) shows no skin: the face
model finds no face, the classical way takes the bright backdrop for skin, and a faint rim from
a light behind the head is darker than the backdrop beside it, so the rim reading of
:mod:`lightrig.verify.backlight` does not see it either. Here the dark shape itself is found —
the largest connected region of pixels at least ``SILHOUETTE_STOPS`` under the backdrop (the
median of the frame's border, :func:`~lightrig.verify.subject.border_mask`), at least
:data:`_MIN_AREA` of the frame and reaching into its upper third (a head, not a dark body under a
lit face) — and its head outlined (:func:`~lightrig.verify.subject.outline_of`). At each edge of
the head a band straddles it (a quarter of the head's width outside to a fifth inside, as
:mod:`~lightrig.verify.backlight` reads a face's edges) and its subject's pixels — those at
least :data:`~lightrig.verify.backlight.BACKDROP_STOPS` under the backdrop beyond the band — are
read: their brightest (95th percentile of linear luminance). An edge whose subject is within
:data:`_VISIBLE_STOPS` of the backdrop and at least
:data:`~lightrig.verify.backlight.OTHER_SIDE_STOPS` brighter than the other edge's is lit from
behind on its side; the key is given there as the rim reading gives it (±
:data:`~lightrig.verify.backlight.BEHIND_AZIMUTH_DEG`, at the height of the rim's bright pixels,
with the same modest confidences). Two edges lit alike say nothing of the key's side.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from lightrig.lighting.patterns import SILHOUETTE_STOPS
from lightrig.verify.backlight import BACKDROP_STOPS, OTHER_SIDE_STOPS, behind_estimate
from lightrig.verify.image import LinearImage
from lightrig.verify.models import DirectionEstimate, KeySideEstimate
from lightrig.verify.regions import label
from lightrig.verify.subject import FaceOutline, border_mask, outline_of

__all__ = ["silhouette_reading"]

#: The backdrop: at least this share of the frame's border within a stop of its median.
_UNIFORM_SHARE = 0.8
#: The dark shape covers at least this share of the frame.
_MIN_AREA = 0.05
#: …and reaches above this share of the frame's height.
_REACHES = 1.0 / 3.0
#: A rim is lit: its brightest subject pixels within this many stops of the backdrop beyond.
_VISIBLE_STOPS = 4.0
#: The band straddling each edge of the head: this share of its width outside, this inside.
_OUTSIDE, _INSIDE = 0.25, 0.2
#: The backdrop beyond a band: to this share of the head's width outside the edge.
_BACKDROP_TO = 0.5
_PERCENTILE = 95.0
_MIN_PIXELS = 20

FloatArray = npt.NDArray[np.float32]


def _dark_shape(picture: LinearImage) -> tuple[npt.NDArray[np.bool_], float] | None:
    """The dark shape against the backdrop and the backdrop's level; None when there is none."""
    luminance = picture.luminance
    border = luminance[border_mask(picture.height, picture.width)]
    backdrop = float(np.median(border))
    if backdrop <= 0.0:
        return None
    apart = np.abs(np.log2(np.maximum(border, 1e-6) / backdrop))
    if float(np.mean(apart <= BACKDROP_STOPS)) < _UNIFORM_SHARE:
        return None
    labels, count = label(luminance < backdrop * 2.0**-SILHOUETTE_STOPS)
    if count == 0:
        return None
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    areas[0] = 0
    best = int(np.argmax(areas))
    if areas[best] < _MIN_AREA * picture.height * picture.width:
        return None
    shape = labels == best
    if int(np.flatnonzero(shape.any(axis=1))[0]) > _REACHES * picture.height:
        return None
    return shape, backdrop


def _edge(luminance: FloatArray, head: FaceOutline, side: int) -> tuple[float | None, float, float]:
    """The edge on ``side`` (−1 camera-left, +1 right) of the head: its subject's brightest
    level, the backdrop's level beyond it and the bright pixels' height over the head's middle
    (−1 … 1); level None when the band holds too few of the subject's pixels."""
    rows = np.arange(head.top, head.bottom)
    edge = head.centre + side * head.half_width
    cols = np.arange(luminance.shape[1])[None, :] + 0.5
    offset = side * (cols - edge[:, None])  # + outward
    band = (offset >= -_INSIDE * head.width) & (offset < _OUTSIDE * head.width)
    beyond = (offset >= _OUTSIDE * head.width) & (offset < _BACKDROP_TO * head.width)
    values = luminance[head.top : head.bottom]
    if int(beyond.sum()) < _MIN_PIXELS:
        return None, 0.0, 0.0
    backdrop = float(np.median(values[beyond]))
    subject = band & (values < backdrop * 2.0**-BACKDROP_STOPS)
    if int(subject.sum()) < _MIN_PIXELS:
        return None, backdrop, 0.0
    level = float(np.percentile(values[subject], _PERCENTILE))
    bright_rows = rows[(subject & (values >= 0.5 * level)).any(axis=1)] if level > 0.0 else rows
    middle, half = 0.5 * (head.top + head.bottom), 0.5 * head.height
    height = (middle - (float(bright_rows.mean()) + 0.5)) / half if bright_rows.size else 0.0
    return level, backdrop, max(-1.0, min(1.0, height))


def silhouette_reading(
    picture: LinearImage,
) -> tuple[DirectionEstimate, KeySideEstimate] | None:
    """The key read behind a dark subject from the rim it leaves (see the module's docstring);
    None when the picture shows no silhouette or no one-sided rim on it."""
    found = _dark_shape(picture)
    if found is None:
        return None
    shape, backdrop = found
    head = outline_of(shape)
    if head is None:
        return None
    readings = {side: _edge(picture.luminance, head, side) for side in (-1, 1)}
    levels = {side: reading[0] for side, reading in readings.items()}
    if any(level is None for level in levels.values()):
        return None
    # the backdrop shows on both sides of the head (not a lit half of a face on one)
    if min(reading[1] for reading in readings.values()) < backdrop * 2.0**-BACKDROP_STOPS:
        return None
    floor = 1e-6
    stops = {side: math.log2(max(levels[side] or 0.0, floor)) for side in (-1, 1)}
    side = 1 if stops[1] > stops[-1] else -1
    level, backdrop, height = readings[side]
    if level is None or stops[side] - stops[-side] < OTHER_SIDE_STOPS:
        return None
    if math.log2(max(backdrop, floor) / max(level, floor)) > _VISIBLE_STOPS:
        return None
    return behind_estimate(side, height)
