"""How much of a face the shading fit reads: the most pixels it fits, the pixels its coarse
searches read and the spacing of their directions (:class:`FitBudget`), and the even
subsamples it takes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "COARSE_DEG",
    "MAX_PIXELS",
    "PAIR_PIXELS",
    "QUICK",
    "FitBudget",
    "coarse_pick",
    "evenly_spread",
]

#: The coarse searches' directions lie this many degrees apart, unless a budget says otherwise.
COARSE_DEG = 10.0
#: At most this many pixels enter the fit (an even subsample of the face).
MAX_PIXELS = 2500
#: About this many pixels enter the coarse search over every pair of directions.
PAIR_PIXELS = 700


@dataclass(frozen=True)
class FitBudget:
    """How much of a face a fit reads: at most ``pixels`` of its pixels, evenly spread (see
    :func:`evenly_spread`), ``coarse_pixels`` of them in its coarse searches, over directions
    ``coarse_deg`` apart."""

    pixels: int
    coarse_pixels: int
    coarse_deg: float


#: The budget of the fits on a face found by its landmarks (more pixels, or the classical fit's
#: 10° searches, read no better there, at twice the time).
QUICK = FitBudget(pixels=1200, coarse_pixels=400, coarse_deg=15.0)


def evenly_spread(count: int, most: int) -> npt.NDArray[np.intp]:
    """Indices of at most ``most`` of ``count`` items, evenly spread."""
    if count <= most:
        return np.arange(count, dtype=np.intp)
    return np.unique(np.linspace(0, count - 1, most).round().astype(np.intp))


def coarse_pick(count: int, coarse: int | None) -> npt.NDArray[np.intp]:
    """The pixels the coarse searches read: every k-th so that about 700 remain (k whole), or
    ``coarse`` of them evenly spread when given."""
    if coarse is None:
        return np.arange(0, count, max(1, count // PAIR_PIXELS))
    return np.unique(np.linspace(0, count - 1, min(count, coarse)).round().astype(np.intp))
