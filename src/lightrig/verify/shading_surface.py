"""The face as the shading fit sees it: each pixel's unit normal (camera frame) and, when known,
how visible each direction is from it (the cast shadows of the nose, brows and chin) and where
it lies on the head; and the light a unit-strength source from a direction gives each pixel
(Lambert's cosine law, cut off where it grazes the surface, dimmed by its visibility).

A source is distant unless the pixels' places are known. Then it is a point
:data:`STAND_M` from the head's centre in the given direction, as a studio light stands: each
pixel sees it from its own place (a little further round and higher on a face standing in
front of the head's centre than the direction from the centre) and nearer or further by inverse
square, normalised to 1 at the centre. The direction fitted is then the light's from the head's
centre, as lightrig measures a light's azimuth and elevation (:mod:`lightrig.lighting.geometry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lightrig.verify.shading_directions import FloatArray

__all__ = ["STAND_M", "Surface", "Visibility"]

#: How far from the head's centre (metres) a light is assumed to stand when the pixels' places
#: are known: a common distance in a studio (the preview's lights stand 1.0–2.5 m away; fitted
#: on a render's own normals, assuming 2 m instead moved the keys read by 2° at most).
STAND_M = 1.5


class Visibility(Protocol):
    """How visible directions are from each of a face's pixels (see
    :class:`lightrig.verify.occlusion.Occlusion`)."""

    def take(self, index: npt.NDArray[np.intp]) -> Visibility:
        """The same for a subset of the pixels."""
        ...

    def __call__(self, directions: FloatArray) -> FloatArray:
        """Visibility 0–1 (N × C) of C unit directions (C × 3)."""
        ...


@dataclass(frozen=True)
class Surface:
    """The face's pixels as the fit sees them: unit normals (N × 3), when known the visibility
    of directions from each, and, when known, their places (N × 3, metres, camera frame, from
    the head's centre at eye level, the point lights are placed around)."""

    normals: FloatArray
    visibility: Visibility | None
    points: FloatArray | None = None

    def take(self, index: npt.NDArray[np.intp]) -> Surface:
        return Surface(
            self.normals[index],
            None if self.visibility is None else self.visibility.take(index),
            None if self.points is None else self.points[index],
        )

    def lit(self, directions: FloatArray) -> FloatArray:
        """The light (N × C) each of C unit directions (C × 3) of unit strength gives."""
        if self.points is None:
            cosine = np.maximum(self.normals @ directions.T, 0.0)
        else:
            # the light at D·k seen from p: n·(D k − p) / |D k − p|, times D² / |D k − p|², i.e.
            # max(0, n·k − n·p / D) / s³ with s² = 1 − 2 p·k / D + |p|² / D² (in place: the fine
            # searches light a thousand pixels from hundreds of directions at a time)
            stand = STAND_M
            cosine = self.normals @ directions.T
            cosine -= np.sum(self.normals * self.points, axis=1, keepdims=True) / stand
            np.maximum(cosine, 0.0, out=cosine)
            reach = self.points @ (directions.T * (-2.0 / stand))
            reach += 1.0 + np.sum(self.points * self.points, axis=1, keepdims=True) / stand**2
            np.sqrt(reach, out=reach)
            cosine /= reach * reach * reach
        if self.visibility is not None:
            cosine = cosine * self.visibility(directions)
        return np.asarray(cosine, dtype=np.float64)

    def one(self, direction: FloatArray) -> FloatArray:
        """The light (N) a unit-strength light from ``direction`` gives."""
        return self.lit(direction[None, :])[:, 0]
