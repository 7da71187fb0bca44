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

A head turned :data:`TURNED_FROM_DEG` or more takes its normals from a render of the bust turned
as far instead (to the nearest :data:`TURN_STEP_DEG`, at most :data:`TURNED_TO_DEG`; made and
landmarked in about a second, the 12 angles last used kept), carried there by the same warp and
turned by what remains of the pose. The frontal warp lays a turned face's broad side on the frontal
cheek, whose normal, turned with the head, points too near the camera: on the short preset's
render (the head turned 30°) the broad half's normals pointed 23° from the camera on average
where the surface's point 34°, and the key was read 43° from the nose for 35°. Measured against
the render's own normals on heads turned 20–40°, the turned render's err 4–8° at the median
against the frontal warp's 9–19° (11–14° against 24–26° where the model reads the turn 10° too
large); the short preset's key is read 35° from the nose. Visibility and places still come
from the frontal tables.

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
from lightrig.verify.shape import bust_render, frontal_bust, head_map
from lightrig.verify.subject import FaceOutline, outline_of

__all__ = [
    "TURNED_FROM_DEG",
    "TURNED_TO_DEG",
    "TURN_STEP_DEG",
    "GenericFace",
    "PosedFace",
    "TurnedFace",
    "generic_face",
    "head_pose",
    "pose",
    "turned_face",
]

#: A head posed at least this many degrees from the camera takes a turned render's normals.
TURNED_FROM_DEG = 10.0
#: … rendered at the nearest multiple of this many degrees …
TURN_STEP_DEG = 5
#: … and at most this far round (the face model loses a head turned further).
TURNED_TO_DEG = 60

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
    #: The model that placed them, for the turned renders' landmarks (:func:`turned_face`).
    landmarker: Landmarker


def _pose_model(found: FaceLandmarks) -> FloatArray:
    """A render's landmarks in the camera frame for finding a head's pose: the oval's, which
    follow the face's silhouette and not fixed points of it (a turned head moves them), NaN."""
    model = camera_points(found.points)
    model[found.regions.get("oval", np.zeros(0, dtype=np.int32))] = np.nan
    return model


@functools.cache
def generic_face(landmarker: Landmarker) -> GenericFace | None:
    """The generic face as ``landmarker`` sees it, once per process and landmarker; None when
    it finds no face on the bust (a changed bust or model)."""
    bust = frontal_bust()
    found = landmarker.find(bust.srgb)
    outline = outline_of(bust.skin)
    if found is None or outline is None:
        return None
    return GenericFace(
        points=found.points, model=_pose_model(found), outline=outline, landmarker=landmarker
    )


@dataclass(frozen=True)
class TurnedFace:
    """The bust turned ``yaw`` degrees as the face model sees it: its landmarks (V × 3, its
    render's pixels) and the same in the camera frame for the pose (as
    :class:`GenericFace`'s), and each pixel's unit normal (H × W × 3, camera frame; NaN off its
    skin)."""

    yaw: int
    points: FloatArray
    model: FloatArray
    normals: npt.NDArray[np.floating]

    def normals_at(self, where: FloatArray) -> FloatArray:
        """The unit normals at points of the render (N × 2, pixels, x right, y down),
        bilinearly from the pixels around each that have one; NaN where none has."""
        height, width = self.normals.shape[:2]
        x = np.clip(where[:, 0] - 0.5, 0.0, width - 1.0001)
        y = np.clip(where[:, 1] - 0.5, 0.0, height - 1.0001)
        col, row = np.floor(x).astype(np.intp), np.floor(y).astype(np.intp)
        tx, ty = x - col, y - row
        total = np.zeros((where.shape[0], 3))
        weight = np.zeros(where.shape[0])
        for dr, dc, w in (
            (0, 0, (1 - ty) * (1 - tx)),
            (0, 1, (1 - ty) * tx),
            (1, 0, ty * (1 - tx)),
            (1, 1, ty * tx),
        ):
            value = self.normals[row + dr, col + dc].astype(np.float64)
            known = np.isfinite(value).all(axis=1)
            total[known] += w[known, None] * value[known]
            weight[known] += w[known]
        length = np.linalg.norm(total, axis=1, keepdims=True)
        out = np.full_like(total, np.nan)
        usable = (weight > 0.0) & (length[:, 0] > 1e-9)
        out[usable] = total[usable] / length[usable]
        return out


@functools.lru_cache(maxsize=12)  # ~3 MB each: a service reading many turns keeps the latest
def turned_face(landmarker: Landmarker, yaw: int) -> TurnedFace | None:
    """The bust turned ``yaw`` whole degrees as ``landmarker`` sees it (kept for the 12 model and
    angle pairs last asked for); None when it finds no face there."""
    bust = bust_render(yaw)
    found = landmarker.find(bust.srgb)
    if found is None:
        return None
    normals = bust.normals.astype(np.float32)
    return TurnedFace(yaw=yaw, points=found.points, model=_pose_model(found), normals=normals)


def _turned_normals(
    face: GenericFace,
    landmarks: FaceLandmarks,
    corners: npt.NDArray[np.integer],
    weights: FloatArray,
    yaw: float,
) -> FloatArray | None:
    """The normals (N × 3, camera frame) a picture's pixels (their mesh triangles' ``corners``
    and barycentric ``weights``) take on the bust turned as far as the head (``yaw``, degrees);
    NaN where the turned render has none; None when the head is not turned that far, or too
    far, or the model finds no face on the turned render."""
    if abs(yaw) < TURNED_FROM_DEG:
        return None
    step = round(yaw / TURN_STEP_DEG) * TURN_STEP_DEG
    turned = turned_face(face.landmarker, int(np.clip(step, -TURNED_TO_DEG, TURNED_TO_DEG)))
    if turned is None:
        return None
    # what remains of the pose once the render is turned
    rest = head_pose(turned.model, camera_points(landmarks.points))
    where = np.einsum("nk,nkc->nc", weights, turned.points[corners, :2])
    return np.asarray(turned.normals_at(where) @ rest.T, dtype=np.float64)


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
    normals = np.asarray(head_map().lookup(across, down) @ turn.T, dtype=np.float64)
    yaw = float(np.degrees(np.arctan2(turn[0, 2], turn[2, 2])))
    turned = _turned_normals(face, landmarks, corners, surface.weights[index], yaw)
    if turned is not None:
        known = np.isfinite(turned).all(axis=1)
        normals[known] = turned[known]
    return PosedFace(
        rows=rows,
        cols=cols,
        normals=normals,
        across=across,
        down=down,
        rotation=turn,
    )
