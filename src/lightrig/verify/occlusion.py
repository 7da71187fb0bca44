"""Cast shadows on the generic head: which directions each part of the face can see.

Lambert's law alone (:mod:`lightrig.verify.shading`) lights the cheek beside the nose as brightly
as the open cheek; a real key above and to one side darkens it with the nose's shadow, and a high
key puts the eye sockets and the upper lip in shadow. Left out, those shadows pull a fitted key
toward wherever the unshadowed face is brightest — a high butterfly key is read as a low side
light. So the fit multiplies each light's cosine by the visibility of its direction from each
face pixel.

The visibility is measured once per process on lightrig's bust (the generic head of
:mod:`lightrig.verify.shape`): from the surface point of every bin of the head's outline table,
a shadow ray is marched through the bust's distance field toward every direction of a 10° grid
over the whole sphere (:func:`lightrig.render.kernel.soft_shadow`, for a source of
:data:`SOURCE_RADIUS_DEG`; some 0.6 million rays, under half a second once numba has compiled
the kernel, which it caches on disk). Between grid directions the
visibility is interpolated bilinearly in azimuth and elevation, so penumbrae come out a little
wider than the grid's own — real sources are seldom smaller than that.

Directions are unit vectors in the camera frame (x camera-right, y up, z toward the camera).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from lightrig.render.field import bake_field
from lightrig.render.kernel import SURFACE_OFFSET_M, soft_shadow
from lightrig.render.numba_cache import use_numba_cache
from lightrig.verify.shape import head_map

use_numba_cache()

__all__ = [
    "SOURCE_RADIUS_DEG",
    "Occlusion",
    "from_half_grid",
    "grid_directions",
    "half_grid_directions",
    "occlusion_for",
]

FloatArray = npt.NDArray[np.float64]

#: The angular radius, degrees, of the source the visibility is measured for.
SOURCE_RADIUS_DEG = 6.0
#: The direction grid's step, degrees; azimuth −180…180, elevation −90…90.
_STEP_DEG = 10.0
_AZIMUTHS = round(360.0 / _STEP_DEG) + 1
_ELEVATIONS = round(180.0 / _STEP_DEG) + 1
#: A shadow ray is followed this far, metres (past the whole bust).
_REACH_M = 2.0


@functools.cache
def grid_directions() -> FloatArray:
    """The grid's unit directions, elevation-major ((E · A) × 3): the columns of the
    visibility tables :class:`Occlusion` interpolates."""
    az = np.radians(np.linspace(-180.0, 180.0, _AZIMUTHS))
    el = np.radians(np.linspace(-90.0, 90.0, _ELEVATIONS))
    a, e = np.meshgrid(az, el)
    grid = np.stack([np.sin(a) * np.cos(e), np.sin(e), np.cos(a) * np.cos(e)], axis=-1)
    flat = np.ascontiguousarray(grid.reshape(-1, 3))
    flat.flags.writeable = False
    return flat


@functools.cache
def half_grid_directions() -> FloatArray:
    """Every other direction of the grid both ways (20° apart): the directions whose visibility
    :func:`from_half_grid` fills the whole grid from."""
    grid = grid_directions().reshape(_ELEVATIONS, _AZIMUTHS, 3)
    half = np.ascontiguousarray(grid[::2, ::2].reshape(-1, 3))
    half.flags.writeable = False
    return half


def from_half_grid(half: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Visibility on the whole grid (N × grid directions) from that on every other direction
    (N × :func:`half_grid_directions`), the directions between filled linearly."""
    count = half.shape[0]
    coarse = half.reshape(count, (_ELEVATIONS + 1) // 2, (_AZIMUTHS + 1) // 2)
    full = np.empty((count, _ELEVATIONS, _AZIMUTHS), dtype=np.float32)
    full[:, ::2, ::2] = coarse
    full[:, ::2, 1::2] = 0.5 * (coarse[:, :, :-1] + coarse[:, :, 1:])
    full[:, 1::2, :] = 0.5 * (full[:, :-1:2, :] + full[:, 2::2, :])
    return full.reshape(count, -1)


@njit(parallel=True, cache=True)
def _visibility(
    grid: npt.NDArray[np.float32],
    origin: npt.NDArray[np.float64],
    step: float,
    points: npt.NDArray[np.float64],
    normals: npt.NDArray[np.float64],
    directions: npt.NDArray[np.float64],
    sharpness: float,
) -> npt.NDArray[np.float32]:
    """Visibility 0–1 (P × D) of each direction from each surface point; 0 where the surface
    faces away from it."""
    count, total = points.shape[0], directions.shape[0]
    out = np.zeros((count, total), dtype=np.float32)
    for p in prange(count):
        nx, ny, nz = normals[p, 0], normals[p, 1], normals[p, 2]
        px = points[p, 0] + nx * SURFACE_OFFSET_M
        py = points[p, 1] + ny * SURFACE_OFFSET_M
        pz = points[p, 2] + nz * SURFACE_OFFSET_M
        for d in range(total):
            lx, ly, lz = directions[d, 0], directions[d, 1], directions[d, 2]
            if nx * lx + ny * ly + nz * lz <= 0.0:
                continue
            out[p, d] = soft_shadow(
                grid,
                origin[0],
                origin[1],
                origin[2],
                step,
                px,
                py,
                pz,
                lx,
                ly,
                lz,
                _REACH_M,
                sharpness,
            )
    return out


@functools.cache
def _bin_visibility() -> npt.NDArray[np.float32]:
    """Visibility (bins × grid directions) of the generic head, measured once per process."""
    table = head_map()
    field = bake_field()
    return _visibility(
        field.grid,
        np.asarray(field.origin, dtype=np.float64),
        field.step,
        table.points.reshape(-1, 3),
        table.normals.reshape(-1, 3),
        grid_directions(),
        1.0 / math.tan(math.radians(SOURCE_RADIUS_DEG)),
    )


@dataclass(frozen=True)
class Occlusion:
    """The visibility of directions from N face pixels, each pixel a bilinear mix of four bins
    of the head's table: ``rows`` holds the visibility table's rows of the U bins the pixels
    use (U × grid directions), ``index`` (N × 4) points into them, ``weights`` (N × 4) mixes
    them."""

    rows: npt.NDArray[np.float32]
    index: npt.NDArray[np.intp]
    weights: FloatArray

    @classmethod
    def of_bins(cls, bins: npt.NDArray[np.intp], weights: FloatArray) -> Occlusion:
        """The visibility seen from pixels mixing table bins ``bins`` (flat, N × 4) by
        ``weights``."""
        used, inverse = np.unique(bins, return_inverse=True)
        return cls(_bin_visibility()[used], inverse.reshape(bins.shape), weights)

    def take(self, index: npt.NDArray[np.intp]) -> Occlusion:
        """The same for a subset of the pixels."""
        return Occlusion(self.rows, self.index[index], self.weights[index])

    def __call__(self, directions: FloatArray) -> FloatArray:
        """Visibility 0–1 (N × C) of C unit directions (C × 3), interpolated between the
        grid's directions and between the table's bins."""
        x, y, z = directions[:, 0], directions[:, 1], directions[:, 2]
        fa = (np.degrees(np.arctan2(x, z)) + 180.0) / _STEP_DEG
        fe = (np.degrees(np.arcsin(np.clip(y, -1.0, 1.0))) + 90.0) / _STEP_DEG
        a0 = np.clip(np.floor(fa).astype(np.intp), 0, _AZIMUTHS - 2)
        e0 = np.clip(np.floor(fe).astype(np.intp), 0, _ELEVATIONS - 2)
        ta, te = np.clip(fa - a0, 0.0, 1.0), np.clip(fe - e0, 0.0, 1.0)
        corner = e0 * _AZIMUTHS + a0
        rows = self.rows
        # first between directions, for every bin the pixels use (a grid direction is read
        # as it is) ...
        if not (ta.any() or te.any()):
            mixed = rows[:, corner]
        else:
            mixed = (
                rows[:, corner] * ((1 - te) * (1 - ta)).astype(np.float32)
                + rows[:, corner + 1] * ((1 - te) * ta).astype(np.float32)
                + rows[:, corner + _AZIMUTHS] * (te * (1 - ta)).astype(np.float32)
                + rows[:, corner + _AZIMUTHS + 1] * (te * ta).astype(np.float32)
            )
        # ... then between bins, for every pixel
        weights = self.weights.astype(np.float32)
        value = weights[:, 0, None] * mixed[self.index[:, 0]]
        for k in range(1, 4):
            value += weights[:, k, None] * mixed[self.index[:, k]]
        return np.asarray(value, dtype=np.float64)


def occlusion_for(across: FloatArray, down: FloatArray) -> Occlusion:
    """The visibility seen from face pixels at outline coordinates ``across``, ``down`` (see
    :mod:`lightrig.verify.shape`), interpolated between the head table's bins."""
    return Occlusion.of_bins(*head_map().corners(across, down))
