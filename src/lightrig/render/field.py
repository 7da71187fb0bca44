"""The bust's distance field baked into a grid, for fast sphere tracing.

Far from the surface a trilinear look-up in a 4 mm grid gives the step; within a few millimetres of
the surface the analytic function of :mod:`lightrig.render.bust` takes over, so features are exact
where it matters (shadow edges, the nose, the lips) and empty space is crossed cheaply.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from lightrig.render.bust import BOUNDS_MAX, BOUNDS_MIN, Form, bust_distance
from lightrig.render.figure import Figure
from lightrig.render.numba_cache import kept_folder, use_numba_cache

use_numba_cache()

_LOG = logging.getLogger(__name__)

__all__ = [
    "GRID_STEP_M",
    "BustField",
    "bake_field",
    "field_distance",
    "grid_distance",
    "load_or_bake",
]

#: Grid spacing in metres.
GRID_STEP_M = 0.004
#: Within this distance (metres) of the surface the analytic function is used.
NEAR_SURFACE_M = 0.008
#: A safe lower bound on the distance from the grid's box to the bust, in metres.
_BOX_MARGIN_M = 0.004


@dataclass(frozen=True)
class BustField:
    """A baked distance grid: values in metres at ``origin + index · step``, of the bust whose
    figure ``form`` describes (what the bust's distance functions take)."""

    grid: npt.NDArray[np.float32]
    origin: tuple[float, float, float]
    step: float
    form: Form


@njit(parallel=True, cache=True)
def _bake(
    ox: float,
    oy: float,
    oz: float,
    step: float,
    nx: int,
    ny: int,
    nz: int,
    form: Form,
) -> npt.NDArray[np.float32]:
    grid = np.empty((nx, ny, nz), dtype=np.float32)
    for i in prange(nx):
        x = ox + i * step
        for j in range(ny):
            y = oy + j * step
            for k in range(nz):
                grid[i, j, k] = bust_distance(x, y, oz + k * step, form)
    return grid


def _kept(path: Path, shape: tuple[int, ...]) -> npt.NDArray[np.float32] | None:
    """The grid kept at ``path`` when it is there and has the expected shape; else ``None``."""
    try:
        grid = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if grid.shape != shape or grid.dtype != np.float32 or not np.isfinite(grid).all():
        return None
    return np.ascontiguousarray(grid)


def _keep(path: Path, grid: npt.NDArray[np.float32]) -> None:
    """Write ``grid`` to ``path`` whole or not at all (a temporary file, then renamed)."""
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npy", delete=False) as out:
            np.save(out, grid, allow_pickle=False)
        os.replace(out.name, path)
    except OSError as exc:  # a read-only cache costs the next process a bake, nothing more
        _LOG.debug("could not keep the baked field at %s: %s", path, exc)


def _kept_name(step: float, figure: Figure) -> str:
    """The kept grid's file name: the step, and for a variant its name and a digest of its
    form (the values live outside the fingerprinted modules, so a change to them is a new
    name)."""
    if figure.is_default:
        return f"field-{step * 1000:g}mm.npy"
    digest = hashlib.sha256(repr(figure.form()).encode()).hexdigest()[:12]
    return f"field-{figure.name}-{digest}-{step * 1000:g}mm.npy"


def load_or_bake(step: float = GRID_STEP_M, figure: Figure | None = None) -> BustField:
    """The distance field of the bust ``figure`` describes (the default bust when ``None``)
    over its bounding box: read from the kept copy (a few milliseconds) or baked (about 0.9 s
    on two cores) and kept for the next process.

    The copy sits in :func:`~lightrig.render.numba_cache.kept_folder`, named by the fingerprint
    of the modules that define the bust (and, for a variant, by its name and form), so an edit
    to the bust bakes afresh.
    """
    figure = figure if figure is not None else Figure()
    form = figure.form()
    nx, ny, nz = (
        int(np.ceil((hi - lo) / step)) + 1 for lo, hi in zip(BOUNDS_MIN, BOUNDS_MAX, strict=True)
    )
    folder = kept_folder()
    path = folder / _kept_name(step, figure) if folder is not None else None
    grid = _kept(path, (nx, ny, nz)) if path is not None else None
    if grid is None:
        grid = _bake(BOUNDS_MIN[0], BOUNDS_MIN[1], BOUNDS_MIN[2], step, nx, ny, nz, form)
        if path is not None:
            _keep(path, grid)
    grid.flags.writeable = False
    return BustField(grid=grid, origin=BOUNDS_MIN, step=step, form=form)


def bake_field(step: float = GRID_STEP_M, figure: Figure | None = None) -> BustField:
    """:func:`load_or_bake`, once per process for each figure and step: the bust never changes
    within a process, so each grid is made once and shared, read-only, by every renderer."""
    return _field_once(step, figure if figure is not None else Figure())


@functools.cache
def _field_once(step: float, figure: Figure) -> BustField:
    return load_or_bake(step, figure)


@njit(cache=True)
def grid_distance(
    grid: npt.NDArray[np.float32],
    ox: float,
    oy: float,
    oz: float,
    step: float,
    px: float,
    py: float,
    pz: float,
) -> float:
    """Distance in metres from a point (bust coordinates) to the bust, from the grid alone.

    Outside the grid: a lower bound (the larger of the distance to the grid's box plus a margin,
    and the nearest grid value less that distance). Inside: the trilinear grid value, good to
    about a millimetre near the surface — enough for shadows and occlusion.
    """
    nx, ny, nz = grid.shape
    fx = (px - ox) / step
    fy = (py - oy) / step
    fz = (pz - oz) / step
    cx = min(max(fx, 0.0), nx - 1.0)
    cy = min(max(fy, 0.0), ny - 1.0)
    cz = min(max(fz, 0.0), nz - 1.0)
    dx = (fx - cx) * step
    dy = (fy - cy) * step
    dz = (fz - cz) * step
    outside = math.sqrt(dx * dx + dy * dy + dz * dz)
    value = _trilinear(grid, cx, cy, cz)
    if outside > 0.0:
        # two lower bounds on the true distance; their larger is the better estimate
        return max(outside + _BOX_MARGIN_M, value - outside)
    return value


@njit(cache=True, inline="always")
def field_distance(
    grid: npt.NDArray[np.float32],
    ox: float,
    oy: float,
    oz: float,
    step: float,
    px: float,
    py: float,
    pz: float,
    form: Form,
) -> float:
    """Distance in metres from a point (bust coordinates) to the bust, exact near the surface.

    The grid gives the step far away; within a few millimetres the analytic function of the
    bust ``form`` describes (the grid's own) takes over.
    """
    value = grid_distance(grid, ox, oy, oz, step, px, py, pz)
    if value < NEAR_SURFACE_M:
        return bust_distance(px, py, pz, form)
    return value


@njit(cache=True, inline="always")
def _trilinear(grid: npt.NDArray[np.float32], cx: float, cy: float, cz: float) -> float:
    """The grid value at fractional index (cx, cy, cz), inside the grid."""
    nx, ny, nz = grid.shape
    i = min(int(cx), nx - 2)
    j = min(int(cy), ny - 2)
    k = min(int(cz), nz - 2)
    tx = cx - i
    ty = cy - j
    tz = cz - k
    c00 = grid[i, j, k] * (1 - tx) + grid[i + 1, j, k] * tx
    c10 = grid[i, j + 1, k] * (1 - tx) + grid[i + 1, j + 1, k] * tx
    c01 = grid[i, j, k + 1] * (1 - tx) + grid[i + 1, j, k + 1] * tx
    c11 = grid[i, j + 1, k + 1] * (1 - tx) + grid[i + 1, j + 1, k + 1] * tx
    c0 = c00 * (1 - ty) + c10 * ty
    c1 = c01 * (1 - ty) + c11 * ty
    return float(c0 * (1 - tz) + c1 * tz)
