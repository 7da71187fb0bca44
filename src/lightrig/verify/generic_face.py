"""A generic 3D face posed to a picture's landmarks: the second shape the light is fitted on.

The mesh a face model places on a picture (:mod:`lightrig.verify.faceshape`) follows that face,
but coarsely: 468 points, their depth guessed by the model, the face only from brow to chin. The
generic face is lightrig's own bust, whose shape is known exactly — the normals and cast shadows of
its head, measured once per process on a frontal render and tabulated by position within its
face's outline (:mod:`lightrig.verify.shape`, :mod:`lightrig.verify.occlusion`). The same face model
places its mesh on that render once per process; a picture's face is then carried onto the bust
by its landmarks — each pixel to the same barycentric coordinates of the same triangle on the bust
(a piecewise-affine warp) — and takes the bust's normal and visibility there, turned by the
head's pose — the rotation under which the bust's landmarks, in true 3-D, best project onto the
picture's (:func:`head_pose`) — so a turned head keeps them turned. (Reading also the pixels
beyond the mesh that an affine map of the landmarks lays on the bust's forehead, temples and jaw
was tried: on renders of heads turned 15–35° it pulled the key toward the face's own axis, key
side right on 79 % of them against 91 % without.)

Which shape fits a face's shading better is the estimator's to decide
(:mod:`lightrig.verify.landmarked`): a real face is nearer its own mesh, a render of the bust is
the bust.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.faceshape import FaceSurface, camera_points
from lightrig.verify.landmarks import FaceLandmarks, Landmarker
from lightrig.verify.occlusion import Occlusion, occlusion_for
from lightrig.verify.shape import frontal_bust, head_map
from lightrig.verify.subject import FaceOutline, outline_of

__all__ = ["GenericFace", "PosedFace", "generic_face", "head_pose", "pose"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class GenericFace:
    """The bust as the face model sees it: its landmarks (V × 3, its render's pixels, as a
    :class:`~lightrig.verify.landmarks.FaceLandmarks` holds them), the same in the camera frame
    for finding a head's pose (V × 3; NaN for those that follow the face's silhouette), and
    its face's outline in that render (rows from the hairline down 1.2 face widths, each row's
    middle and half-width)."""

    points: FloatArray
    model: FloatArray
    outline: FaceOutline


@functools.cache
def generic_face(landmarker: Landmarker) -> GenericFace | None:
    """The generic face as ``landmarker`` sees it, once per process and landmarker; None when
    it finds no face on the bust (a changed bust or model)."""
    bust = frontal_bust()
    found = landmarker.find(bust.srgb)
    outline = outline_of(bust.skin)
    if found is None or outline is None:
        return None
    model = camera_points(found.points)
    # the oval's landmarks follow the face's silhouette, not fixed points of it: a turned head
    # moves them, so they do not tell its pose
    model[found.regions.get("oval", np.zeros(0, dtype=np.int32))] = np.nan
    return GenericFace(points=found.points, model=model, outline=outline)


def head_pose(source: FloatArray, target: FloatArray) -> FloatArray:
    """The rotation (3 × 3) that best turns the landmarks ``source`` (N × 3, camera frame) onto
    ``target`` (N × 3) once both are centred, by least squares (Kabsch's method); landmarks with
    a NaN in ``source`` are left out. (Fitting a scaled orthographic camera to the bust's true
    3-D points and the picture's x and y alone was tried: on renders of turned heads it missed
    the turn by more.)"""
    usable = np.isfinite(source).all(axis=1)
    a = source[usable] - source[usable].mean(axis=0)
    b = target[usable] - target[usable].mean(axis=0)
    u, _, vt = np.linalg.svd(a.T @ b)
    flip = np.sign(np.linalg.det(vt.T @ u.T))
    return np.asarray(vt.T @ np.diag([1.0, 1.0, flip]) @ u.T, dtype=np.float64)


@dataclass(frozen=True)
class _Turned:
    """A visibility measured on the frontal bust, for the bust turned by ``rotation``."""

    occlusion: Occlusion
    rotation: FloatArray

    def take(self, index: IntArray) -> _Turned:
        return _Turned(self.occlusion.take(index), self.rotation)

    def __call__(self, directions: FloatArray) -> FloatArray:
        # a direction in the camera frame is rotation.T @ d in the frontal bust's
        return self.occlusion(directions @ self.rotation)


@dataclass(frozen=True)
class PosedFace:
    """The generic face posed on a picture: for each of some of the mesh's pixels (``rows``,
    ``cols``) the bust's unit normal (N × 3, camera frame) and its place on the
    bust's outline table (``across``, ``down``); the head's pose (``rotation``, bust to camera);
    the visibility of directions from them (:meth:`visibility`)."""

    rows: IntArray
    cols: IntArray
    normals: FloatArray
    across: FloatArray
    down: FloatArray
    rotation: FloatArray

    @property
    def yaw(self) -> float:
        """Degrees the head is turned about the vertical (+: its nose toward camera-right)."""
        return float(np.degrees(np.arctan2(self.rotation[0, 2], self.rotation[2, 2])))

    @property
    def places(self) -> FloatArray:
        """The bust's surface points there (N × 3, metres from the head's centre at eye level,
        camera frame): the bust turns about that centre, as the head does on its neck."""
        return np.asarray(head_map().places(self.across, self.down) @ self.rotation.T)

    def visibility(self, index: IntArray) -> _Turned:
        """The bust's cast shadows as seen from the pixels at ``index``."""
        return _Turned(occlusion_for(self.across[index], self.down[index]), self.rotation)


def _to_outline(
    outline: FaceOutline, u: FloatArray, v: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Outline coordinates (``across``, ``down``; :mod:`lightrig.verify.shape`) of points of the
    bust's render (pixels, x right, y down)."""
    k = np.clip(np.floor(v).astype(np.intp) - outline.top, 0, outline.height - 1)
    return (u - outline.centre[k]) / outline.half_width[k], (v - outline.top) / outline.width


def pose(
    face: GenericFace, landmarks: FaceLandmarks, surface: FaceSurface, index: IntArray
) -> PosedFace:
    """The generic face on a picture whose face's ``landmarks`` and mesh ``surface`` are given
    (the picture's pixels), at the surface's pixels ``index``, in that order."""
    turn = head_pose(face.model, camera_points(landmarks.points))
    # the same barycentric coordinates of the same triangle on the bust
    corners = surface.corners[index]
    where = np.einsum("nk,nkc->nc", surface.weights[index], face.points[corners, :2])
    rows, cols = surface.rows[index], surface.cols[index]
    across, down = _to_outline(face.outline, where[:, 0], where[:, 1])
    return PosedFace(
        rows=rows,
        cols=cols,
        normals=np.asarray(head_map().lookup(across, down) @ turn.T, dtype=np.float64),
        across=across,
        down=down,
        rotation=turn,
    )
