"""Where a live frame's samples go: edges sampled again, the open backdrop sampled less.

**Anti-aliased edges** for one-sample-a-pixel renders: only the pixels on an edge are sampled
again.

An edge pixel is one whose neighbour (of eight) sees another material — the bust's outline
against the backdrop, hair against skin, the lips, the eyes — or a surface more than
:data:`DEPTH_STEP_M` nearer or farther (the nose's outline over the cheek, the chin over the
neck). Each is traced again at four points of a rotated grid inside it (:data:`SAMPLES`, the
pattern of "rotated-grid supersampling", which resolves near-horizontal and near-vertical edges
into four levels each) and lit; the pixel takes the four samples' mean. Interior pixels keep
their one sample, so an outline is smooth for the cost of a few per cent more rays, where
supersampling the whole frame costs four times as many.

**A coarse backdrop** (:func:`coarse_backdrop`): the open backdrop — half of a portrait frame —
is smooth (its light falls off slowly; the bust's shadow on it is soft), so a live frame may
light it on every other row and column only and fill the rest from their lit neighbours,
keeping every pixel within two of the bust's outline, and the frame's border, lit in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit

from lightrig.render.numba_cache import use_numba_cache

use_numba_cache()

__all__ = [
    "DEPTH_STEP_M",
    "SAMPLES",
    "CoarseBackdrop",
    "EdgeSamples",
    "coarse_backdrop",
    "edge_pixels",
    "edge_samples",
]

#: Sub-pixel offsets (row, column) of the four samples, pixel units from the pixel's corner.
SAMPLES = np.array([(0.125, 0.625), (0.375, 0.125), (0.625, 0.875), (0.875, 0.375)])
#: A jump in surface position (metres) between neighbours that makes an edge.
DEPTH_STEP_M = 0.015


@dataclass(frozen=True)
class EdgeSamples:
    """The edge pixels of a frame (their rows and columns) and where their samples fall
    (``rows``/``cols`` in pixel units, :data:`SAMPLES` per pixel, in pixel order)."""

    pixel_rows: npt.NDArray[np.intp]
    pixel_cols: npt.NDArray[np.intp]
    rows: npt.NDArray[np.float64]
    cols: npt.NDArray[np.float64]

    @property
    def count(self) -> int:
        """How many samples (four an edge pixel)."""
        return int(self.rows.shape[0])


def edge_pixels(
    material: npt.NDArray[np.int8], world: npt.NDArray[np.float32]
) -> npt.NDArray[np.bool_]:
    """The pixels on an edge (see the module's docstring), from the geometry pass's material
    ids and world positions (metres)."""
    edge = np.zeros(material.shape, dtype=bool)
    height, width = material.shape
    step2 = DEPTH_STEP_M * DEPTH_STEP_M
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        # each pixel against its neighbour at (dr, dc); both of a differing pair are edges
        a = (slice(0, height - dr), slice(max(0, -dc), width - max(0, dc)))
        b = (slice(dr, height), slice(max(0, dc), width - max(0, -dc)))
        jump = np.sum((world[a] - world[b]) ** 2, axis=-1) > step2
        differs = (material[a] != material[b]) | jump
        edge[a] |= differs
        edge[b] |= differs
    return edge


def edge_samples(edge: npt.NDArray[np.bool_]) -> EdgeSamples:
    """Where the samples of each ``edge`` pixel fall."""
    pixel_rows, pixel_cols = np.nonzero(edge)
    rows = (pixel_rows[:, None] + SAMPLES[None, :, 0]).ravel()
    cols = (pixel_cols[:, None] + SAMPLES[None, :, 1]).ravel()
    return EdgeSamples(pixel_rows, pixel_cols, rows, cols)


@dataclass(frozen=True)
class CoarseBackdrop:
    """The backdrop pixels a frame may shade at half resolution: every backdrop pixel off the
    even rows' even columns whose neighbours (two pixels round) are backdrop too and which is
    off the frame's border. ``material``: the frame's material ids with those pixels marked
    ``empty`` (what the light pass then skips); the index arrays say which pixels to fill
    from which two (along a row or a column) or four (diagonal) shaded neighbours."""

    material: npt.NDArray[np.int8]
    across: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]
    down: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]
    diagonal: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]

    def fill(self, linear: npt.NDArray[np.float32]) -> None:
        """Fill the skipped pixels of ``linear`` (height × width × 3) from their shaded
        neighbours, in place."""
        _fill(linear, *self.across, *self.down, *self.diagonal)


@njit(cache=True)
def _fill(  # noqa: PLR0917 - compiled code takes flat arguments
    linear: npt.NDArray[np.float32],
    across_rows: npt.NDArray[np.intp],
    across_cols: npt.NDArray[np.intp],
    down_rows: npt.NDArray[np.intp],
    down_cols: npt.NDArray[np.intp],
    diagonal_rows: npt.NDArray[np.intp],
    diagonal_cols: npt.NDArray[np.intp],
) -> None:
    """:meth:`CoarseBackdrop.fill`: the pixels between two shaded ones along a row or a column
    (both on even rows or columns, shaded) first, then those between four diagonal ones. One
    thread: under a millisecond for a 610 px frame, where a parallel loop waited tens of
    milliseconds for its slowest thread on a busy machine."""
    half = np.float32(0.5)
    quarter = np.float32(0.25)
    for i in range(across_rows.shape[0]):
        r, c = across_rows[i], across_cols[i]
        for k in range(3):
            linear[r, c, k] = half * (linear[r, c - 1, k] + linear[r, c + 1, k])
    for i in range(down_rows.shape[0]):
        r, c = down_rows[i], down_cols[i]
        for k in range(3):
            linear[r, c, k] = half * (linear[r - 1, c, k] + linear[r + 1, c, k])
    for i in range(diagonal_rows.shape[0]):
        r, c = diagonal_rows[i], diagonal_cols[i]
        for k in range(3):
            corners = (
                linear[r - 1, c - 1, k]
                + linear[r - 1, c + 1, k]
                + linear[r + 1, c - 1, k]
                + linear[r + 1, c + 1, k]
            )
            linear[r, c, k] = quarter * corners


def coarse_backdrop(material: npt.NDArray[np.int8], backdrop: int, empty: int) -> CoarseBackdrop:
    """Which backdrop pixels of a frame (its material ids; ``backdrop`` and ``empty`` the ids
    of the backdrop and of nothing) to shade at half resolution (see :class:`CoarseBackdrop`)."""
    height, width = material.shape
    open_backdrop = material == backdrop
    clear = open_backdrop.copy()
    for _ in range(2):  # two pixels round: an outline's neighbours stay shaded
        grown = clear.copy()
        grown[1:] &= clear[:-1]
        grown[:-1] &= clear[1:]
        grown[:, 1:] &= clear[:, :-1]
        grown[:, :-1] &= clear[:, 1:]
        clear = grown
    clear[0, :] = clear[-1, :] = False
    clear[:, 0] = clear[:, -1] = False
    rows, cols = np.indices((height, width))
    odd_row, odd_col = rows % 2 == 1, cols % 2 == 1
    skipped = clear & (odd_row | odd_col)
    marked = material.copy()
    marked[skipped] = empty

    def where(mask: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        found_rows, found_cols = np.nonzero(mask)
        return found_rows, found_cols

    return CoarseBackdrop(
        material=marked,
        across=where(skipped & ~odd_row & odd_col),
        down=where(skipped & odd_row & ~odd_col),
        diagonal=where(skipped & odd_row & odd_col),
    )
