"""The face's shape, assumed: surface normals from its outline and a generic head.

Shading says where light comes from only once the surface's orientation is known. The face found
in a picture is mapped onto a generic head: each face pixel gets coordinates relative to the
face's outline — ``across``, from −1 at the row's left edge to +1 at its right, and ``down``, the
distance below the hairline in face widths — and takes the normal the generic head has there.

The generic head is lightrig's own preview bust (:mod:`lightrig.render.bust`), seen frontally at
eye level as lightrig frames a portrait by default (medium close-up, 85 mm): its normals are
measured once per process from a 512-pixel render of it (under a second), binned on the same
outline coordinates the estimator uses and smoothed lightly (about 1/40 of the face's width).
The bust rendered turned (:func:`bust_render`) gives a turned head's normals
(:mod:`lightrig.verify.generic_face`). Because it *is* the preview's subject, previews framed
that way are read with nearly their true normals; a real face differs from the bust, other
framings differ in perspective, and a face turned away from the camera differs most — directions
read from them are less accurate (the framing figures of ``benchmarks/verify.py``). That is why
a generated picture is judged against the preview of its request read the same way, not against
the request's numbers.

Normals are unit vectors in the camera's frame: x toward camera-right, y up, z toward the camera
— the frame of lightrig's azimuth and elevation (:mod:`lightrig.lighting.geometry`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.subject import FaceOutline, outline_of

__all__ = [
    "BustRender",
    "HeadMap",
    "bust_render",
    "face_normals",
    "frontal_bust",
    "head_map",
    "outline_coordinates",
    "surface_normals",
    "turn_about_vertical",
]

FloatArray = npt.NDArray[np.float64]

#: The table spans ``across`` −1…1 and ``down`` 0…1.2 face widths, in this many bins.
_ACROSS_BINS = 41
_DOWN_BINS = 49
_DOWN_SPAN = 1.2
#: Side of the render the table is measured on, pixels.
_RENDER_SIZE = 512
#: Smoothing of the table, bins (Gaussian sigma).
_SMOOTH_BINS = 0.5


@dataclass(frozen=True)
class HeadMap:
    """Mean unit normals of the generic head on a grid of outline coordinates.

    ``normals[i, j]``: the normal at ``down = i · step_down`` and ``across = −1 + j ·
    step_across``.
    """

    normals: FloatArray
    step_across: float
    step_down: float
    #: ``points[i, j]``: the head's surface there (the bust's frame, metres), where shadow rays
    #: start (:mod:`lightrig.verify.occlusion`).
    points: FloatArray

    def corners(
        self, across: FloatArray, down: FloatArray
    ) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """The four table bins around each of N outline coordinates, as flat indices (N × 4),
        and their bilinear weights (N × 4, rows summing to 1)."""
        fj = np.clip((across + 1.0) / self.step_across, 0.0, _ACROSS_BINS - 1.0001)
        fi = np.clip(down / self.step_down, 0.0, _DOWN_BINS - 1.0001)
        i0, j0 = np.floor(fi).astype(np.intp), np.floor(fj).astype(np.intp)
        ti, tj = fi - i0, fj - j0
        flat = i0 * _ACROSS_BINS + j0
        index = np.stack([flat, flat + _ACROSS_BINS, flat + 1, flat + _ACROSS_BINS + 1], axis=1)
        weights = np.stack([(1 - ti) * (1 - tj), ti * (1 - tj), (1 - ti) * tj, ti * tj], axis=1)
        return index, weights

    def lookup(self, across: FloatArray, down: FloatArray) -> FloatArray:
        """Bilinearly interpolated unit normals (N × 3) at outline coordinates."""
        index, weights = self.corners(across, down)
        value = np.einsum("nk,nkc->nc", weights, self.normals.reshape(-1, 3)[index])
        length = np.maximum(np.linalg.norm(value, axis=1, keepdims=True), 1e-9)
        return np.asarray(value / length, dtype=np.float64)

    def places(self, across: FloatArray, down: FloatArray) -> FloatArray:
        """Bilinearly interpolated surface points (N × 3, the bust's frame, metres from its
        centre at eye level) at outline coordinates."""
        index, weights = self.corners(across, down)
        return np.asarray(
            np.einsum("nk,nkc->nc", weights, self.points.reshape(-1, 3)[index]), dtype=np.float64
        )


def surface_normals(local: FloatArray, inside: npt.NDArray[np.bool_]) -> FloatArray:
    """Unit normals from a render's per-pixel surface positions (H × W × 3, metres), by central
    differences; NaN outside ``inside``, on its edge and across depth jumps. The normals are in
    the positions' frame (for the preview's ``local`` buffer: the bust's own, the face's frame)."""
    right = np.zeros_like(local)
    up = np.zeros_like(local)
    right[:, 1:-1] = local[:, 2:] - local[:, :-2]
    up[1:-1, :] = local[:-2, :] - local[2:, :]  # rows run downward
    normals = np.cross(right, up)
    length = np.linalg.norm(normals, axis=2, keepdims=True)
    normals = normals / np.maximum(length, 1e-12)
    usable = inside.copy()
    usable[0, :] = usable[-1, :] = usable[:, 0] = usable[:, -1] = False
    usable[1:-1, 1:-1] &= (
        inside[2:, 1:-1] & inside[:-2, 1:-1] & inside[1:-1, 2:] & inside[1:-1, :-2]
    )
    step = np.maximum(np.linalg.norm(right, axis=2), np.linalg.norm(up, axis=2))
    if usable.any():
        usable &= step < 4.0 * float(np.median(step[usable]))
    normals[~usable] = np.nan
    return np.asarray(normals, dtype=np.float64)


def _blur(table: FloatArray, sigma: float) -> FloatArray:
    radius = max(1, int(np.ceil(3 * sigma)))
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    taps /= taps.sum()
    out = table
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in range(3)], "edge")
        out = sum(
            taps[k] * np.take(padded, np.arange(k, k + out.shape[axis]), axis=axis)
            for k in range(taps.size)
        )
    return np.asarray(out)


@dataclass(frozen=True)
class BustRender:
    """lightrig's bust at eye level (medium close-up, 85 mm), turned ``yaw`` degrees (+: its nose
    toward camera-right), lit from the camera: ``srgb`` its picture (H × W × 3), ``skin`` its skin
    pixels, ``local`` each pixel's surface point (the bust's frame, metres; NaN-free),
    ``normals`` each pixel's unit normal in the camera frame (NaN off the bust, on its edges and
    across depth jumps)."""

    yaw: int
    srgb: npt.NDArray[np.uint8]
    skin: npt.NDArray[np.bool_]
    local: FloatArray
    normals: FloatArray


def turn_about_vertical(yaw_deg: float) -> FloatArray:
    """The rotation (3 × 3) that turns a head ``yaw_deg`` degrees about the vertical, its nose
    toward camera-right for positive angles: bust frame to camera frame."""
    yaw = np.radians(yaw_deg)
    c, s = float(np.cos(yaw)), float(np.sin(yaw))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def bust_render(yaw: int = 0) -> BustRender:
    """The generic head's render turned ``yaw`` whole degrees (a 512-pixel render, under a
    second; the callers keep what they need of it)."""
    from lightrig.lighting.roles import LightType  # noqa: PLC0415 - the renderer loads lazily
    from lightrig.models.camera import CameraSettings, ShotType  # noqa: PLC0415
    from lightrig.models.lights import LightSettings  # noqa: PLC0415
    from lightrig.models.scene import SceneRequest  # noqa: PLC0415
    from lightrig.render.bust import SKIN  # noqa: PLC0415
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415

    request = SceneRequest(
        lighting_setup={LightType.KEY: LightSettings(azimuth=0.0, elevation=0.0, intensity=1.0)},
        camera_settings=CameraSettings(shot_type=ShotType.MEDIUM_CLOSE_UP, focal_length=85.0),
        subject_yaw=float(yaw),
    )
    picture = PreviewRenderer(geometry_cache=1).render(request, _RENDER_SIZE, shadows=False)
    skin = np.asarray(picture.material == SKIN)
    local = np.asarray(picture.local, dtype=np.float64)
    # the surface's own normals are in the bust's frame; the picture's are turned with it
    normals = surface_normals(local, skin) @ turn_about_vertical(yaw).T
    return BustRender(
        yaw=yaw,
        srgb=np.asarray(picture.srgb, dtype=np.uint8),
        skin=skin,
        local=local,
        normals=np.asarray(normals, dtype=np.float64),
    )


@functools.cache
def frontal_bust() -> BustRender:
    """The generic head's frontal render, made once per process (see :func:`bust_render`)."""
    return bust_render(0)


@functools.cache
def head_map() -> HeadMap:
    """The generic head's normal table, measured from a frontal render of lightrig's bust."""
    bust = frontal_bust()
    skin = bust.skin
    outline = outline_of(skin)
    if outline is None:  # the bust always shows a face; this guards a changed bust
        raise RuntimeError("the generic head's render shows no face")
    local = bust.local
    normals = bust.normals
    rows, cols = np.nonzero(skin & np.isfinite(normals[..., 0]))
    inside = (rows >= outline.top) & (rows < outline.bottom)
    rows, cols = rows[inside], cols[inside]
    k = rows - outline.top
    across = (cols + 0.5 - outline.centre[k]) / outline.half_width[k]
    down = (rows + 0.5 - outline.top) / outline.width
    step_across = 2.0 / (_ACROSS_BINS - 1)
    step_down = _DOWN_SPAN / (_DOWN_BINS - 1)
    i = np.clip(np.rint(down / step_down).astype(np.intp), 0, _DOWN_BINS - 1)
    j = np.clip(np.rint((across + 1.0) / step_across).astype(np.intp), 0, _ACROSS_BINS - 1)
    table = _binned(i, j, normals[rows, cols])
    table = _blur(table, _SMOOTH_BINS)
    table /= np.maximum(np.linalg.norm(table, axis=2, keepdims=True), 1e-9)
    return HeadMap(
        normals=table,
        step_across=step_across,
        step_down=step_down,
        points=_binned(i, j, local[rows, cols]),
    )


def _binned(i: npt.NDArray[np.intp], j: npt.NDArray[np.intp], values: FloatArray) -> FloatArray:
    """The mean of ``values`` (N × 3) per table bin; empty bins (eyes, lips, beyond the
    outline) take the nearest filled bin's."""
    sums = np.zeros((_DOWN_BINS, _ACROSS_BINS, 3))
    counts = np.zeros((_DOWN_BINS, _ACROSS_BINS))
    np.add.at(sums, (i, j), values)
    np.add.at(counts, (i, j), 1.0)
    filled = counts > 0
    table = np.zeros_like(sums)
    table[filled] = sums[filled] / counts[filled][:, None]
    fi, fj = np.nonzero(filled)
    ei, ej = np.nonzero(~filled)
    if ei.size:
        nearest = np.argmin((ei[:, None] - fi[None, :]) ** 2 + (ej[:, None] - fj[None, :]) ** 2, 1)
        table[ei, ej] = table[fi[nearest], fj[nearest]]
    return table


def outline_coordinates(
    outline: FaceOutline, rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    """``across`` and ``down`` (see above) of the pixels at ``rows``, ``cols``."""
    k = np.clip(rows - outline.top, 0, outline.height - 1)
    across = (cols + 0.5 - outline.centre[k]) / outline.half_width[k]
    down = (rows + 0.5 - outline.top) / outline.width
    return across.astype(np.float64), down.astype(np.float64)


def face_normals(
    outline: FaceOutline, rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp]
) -> FloatArray:
    """Unit normals (N × 3, camera frame) of the face pixels at ``rows``, ``cols``."""
    return head_map().lookup(*outline_coordinates(outline, rows, cols))
