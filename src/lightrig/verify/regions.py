"""Pixel regions: connected components and small morphological clean-ups of boolean masks.

Labelling is a two-pass union-find over 8-connected neighbours, compiled with numba (cached on
disk, so only the first run in a fresh environment pays for compiling).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from lightrig.render.numba_cache import use_numba_cache

use_numba_cache()

__all__ = ["close", "dilate", "erode", "label", "open_"]

Mask = npt.NDArray[np.bool_]


@njit(cache=True)
def _find(parent: npt.NDArray[np.int32], i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:
        following = parent[i]
        parent[i] = root
        i = following
    return root


@njit(cache=True)
def _label(mask: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int32], int]:
    height, width = mask.shape
    provisional = np.zeros((height, width), dtype=np.int32)
    parent = np.zeros(height * width // 2 + 2, dtype=np.int32)
    count = 0
    for row in range(height):
        for col in range(width):
            if not mask[row, col]:
                continue
            best = 0
            for dr, dc in ((-1, -1), (-1, 0), (-1, 1), (0, -1)):
                r = row + dr
                c = col + dc
                if r < 0 or c < 0 or c >= width:
                    continue
                other = provisional[r, c]
                if other == 0:
                    continue
                if best == 0:
                    best = _find(parent, other)
                else:
                    a = _find(parent, other)
                    if a != best:
                        if a < best:
                            parent[best] = a
                            best = a
                        else:
                            parent[a] = best
            if best == 0:
                count += 1
                if count >= parent.shape[0]:
                    grown = np.zeros(parent.shape[0] * 2, dtype=np.int32)
                    grown[: parent.shape[0]] = parent
                    parent = grown
                parent[count] = count
                best = count
            provisional[row, col] = best
    final = np.zeros(count + 1, dtype=np.int32)
    labels = 0
    for i in range(1, count + 1):
        root = _find(parent, i)
        if final[root] == 0:
            labels += 1
            final[root] = labels
        final[i] = final[root]
    for row in range(height):
        for col in range(width):
            if provisional[row, col] != 0:
                provisional[row, col] = final[provisional[row, col]]
    return provisional, labels


def label(mask: Mask) -> tuple[npt.NDArray[np.int32], int]:
    """8-connected components of ``mask``: a label image (0 outside, 1…n inside) and n."""
    labels, count = _label(np.ascontiguousarray(mask, dtype=np.bool_))
    return np.asarray(labels, dtype=np.int32), int(count)


def _shifted_any(mask: Mask, radius: int) -> Mask:
    """Each pixel: is any pixel within a square of ``radius`` set? A square is a row segment
    swept along a column segment, so the rows are grown first and then the columns."""
    rows = mask.copy()
    width = mask.shape[1]
    for d in range(1, radius + 1):
        rows[:, d:] |= mask[:, : width - d]
        rows[:, : width - d] |= mask[:, d:]
    out = rows.copy()
    height = mask.shape[0]
    for d in range(1, radius + 1):
        out[d:] |= rows[: height - d]
        out[: height - d] |= rows[d:]
    return out


def dilate(mask: Mask, radius: int = 1) -> Mask:
    """``mask`` grown by a square of ``radius`` pixels."""
    return _shifted_any(mask, radius) if radius > 0 else mask.copy()


def erode(mask: Mask, radius: int = 1) -> Mask:
    """``mask`` shrunk by a square of ``radius`` pixels (the image border counts as outside)."""
    if radius <= 0:
        return mask.copy()
    padded = np.pad(~mask, radius, constant_values=True)
    grown = _shifted_any(padded, radius)
    return ~grown[radius:-radius, radius:-radius]


def open_(mask: Mask, radius: int = 1) -> Mask:
    """Erosion then dilation: removes specks thinner than ``2·radius + 1`` pixels."""
    return dilate(erode(mask, radius), radius)


def close(mask: Mask, radius: int = 1) -> Mask:
    """Dilation then erosion: fills gaps narrower than ``2·radius + 1`` pixels."""
    return erode(dilate(mask, radius), radius)
