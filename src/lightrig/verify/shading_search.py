"""The searches of the shading fit: for each candidate direction the strengths follow by
non-negative least squares in closed form (:func:`_solve_one`), so directions are searched
exhaustively — a coarse grid over the sphere, every pair of its directions at once
(:func:`best_pairs`) or one light with ambient (:func:`coarse_errors`), then finer grids around
the best (:func:`refine_pair`, :func:`one_light`), each light with the other held and the
residuals reweighted (Huber) so that what the model cannot explain weighs less.

Luminance here is normalised (over its 98th percentile); errors are weighted sums of squared
residuals in those units; directions are unit vectors in the camera frame.
"""

from __future__ import annotations

import numpy as np

from lightrig.verify.shading_budget import COARSE_DEG, coarse_pick
from lightrig.verify.shading_directions import FloatArray, coarse_grid, direction_angles, grid
from lightrig.verify.shading_surface import Surface

__all__ = ["best_pairs", "coarse_errors", "huber_loss", "modelled", "one_light", "refine_pair"]

_FINE_DEG = 1.0
_HUBER = 1.5
#: Refinement starts from this many of the best coarse pairs whose keys are over 20° apart.
_STARTS = 1
#: A key and a fill stand at least 60° apart (closer, they act as one broad source).
_PAIR_COS = float(np.cos(np.radians(60.0)))
_DISTINCT_COS = float(np.cos(np.radians(20.0)))


def _solve_one(
    n: Surface, y: FloatArray, w: FloatArray, dirs: FloatArray, fixed: FloatArray | None
) -> tuple[FloatArray, FloatArray]:
    """Least squares of ``y ≈ a + b·L(fixed) + c·L(d)`` for every direction ``d``, ``L`` the
    light a unit-strength source from a direction gives each pixel (:meth:`Surface.lit`).

    Returns the weighted squared error and the coefficients (a, b, c) per direction; all
    coefficients are kept non-negative (an active-set pass over the few combinations).
    """
    s = n.lit(dirs)
    columns = [np.ones_like(y)] + ([n.one(fixed)] if fixed is not None else [])
    base = np.stack(columns, axis=1)  # P × m
    m = base.shape[1]
    wb = base * w[:, None]
    gram_bb = base.T @ wb  # m × m
    gram_bs = wb.T @ s  # m × C
    gram_ss = (w[:, None] * s * s).sum(axis=0)  # C
    rhs_b = wb.T @ y  # m
    rhs_s = (w * y) @ s  # C
    yy = float((w * y * y).sum())
    count = dirs.shape[0]
    size = m + 1
    gram = np.zeros((count, size, size))
    gram[:, :m, :m] = gram_bb
    gram[:, :m, m] = gram_bs.T
    gram[:, m, :m] = gram_bs.T
    gram[:, m, m] = gram_ss
    rhs = np.zeros((count, size))
    rhs[:, :m] = rhs_b
    rhs[:, m] = rhs_s
    best_err = np.full(count, np.inf)
    best_coef = np.zeros((count, size))
    # every subset of active columns (ambient always kept): 2 or 4 combinations
    subsets = [s_ for s_ in range(1 << size) if s_ & 1]
    for subset in subsets:
        idx = [i for i in range(size) if subset >> i & 1]
        g = gram[:, idx][:, :, idx] + np.eye(len(idx)) * 1e-9
        r = rhs[:, idx]
        coef = np.linalg.solve(g, r[..., None])[..., 0]
        ok = (coef >= 0.0).all(axis=1)
        err = yy - 2.0 * (coef * r).sum(axis=1) + np.einsum("ci,cij,cj->c", coef, g, coef)
        better = ok & (err < best_err)
        best_err = np.where(better, err, best_err)
        full = np.zeros((count, size))
        full[:, idx] = coef
        best_coef = np.where(better[:, None], full, best_coef)
    return best_err, best_coef


def _local(
    n: Surface,
    y: FloatArray,
    w: FloatArray,
    *,
    around: FloatArray,
    fixed: FloatArray | None,
    span: float,
    step: float,
) -> tuple[FloatArray, FloatArray, float]:
    """The best direction on a fine grid around ``around``, its coefficients and error."""
    az0, el0 = direction_angles(around)
    fine, _ = grid(
        (az0 - span, az0 + span),
        (max(-89.0, el0 - span), min(89.0, el0 + span)),
        step,
    )
    err, coef = _solve_one(n, y, w, fine, fixed)
    if fixed is not None:
        # two lights closer than this are one broad light, not a key and a fill
        err = np.where(fine @ fixed > _PAIR_COS, np.inf, err)
    i = int(np.argmin(err))
    return fine[i], coef[i], float(err[i])


def best_pairs(
    n: Surface,
    y: FloatArray,
    w: FloatArray,
    coarse_pixels: int | None = None,
    coarse_deg: float = COARSE_DEG,
) -> tuple[list[FloatArray], FloatArray, FloatArray]:
    """The best pair of lights on a coarse grid, every pair considered at once.

    Each pair's fit ``y ≈ a + b·s_i + c·s_j`` (``b, c ≥ 0``; the ambient ``a`` left free at this
    stage) is solved in closed form after taking out the weighted means. Returns the two
    directions (stronger first), the coarse grid, and per coarse direction the least error of any
    pair that holds it (for the uncertainty).
    """
    dirs, _ = coarse_grid(coarse_deg)
    pick = coarse_pick(y.shape[0], coarse_pixels)
    n, y, w = n.take(pick), y[pick], w[pick]
    s = n.lit(dirs).astype(np.float32)
    total = float(w.sum())
    ws = s * w[:, None].astype(np.float32)
    mean_s = ws.sum(axis=0, dtype=np.float64) / total
    mean_y = float((w * y).sum()) / total
    yc = y - mean_y
    cross = (s.T @ ws).astype(np.float64) - total * np.outer(mean_s, mean_s)
    rhs = ws.T.astype(np.float64) @ yc  # centred Σ w s_i y
    yy = float((w * yc * yc).sum())
    count = dirs.shape[0]
    i, j = np.triu_indices(count, k=1)
    gii, gjj, gij = cross[i, i], cross[j, j], cross[i, j]
    ri, rj = rhs[i], rhs[j]
    tiny = 1e-12
    det = gii * gjj - gij * gij
    b = (ri * gjj - rj * gij) / np.maximum(det, tiny)
    c = (rj * gii - ri * gij) / np.maximum(det, tiny)
    both = yy - (b * ri + c * rj)
    apart = (dirs[i] * dirs[j]).sum(axis=1) <= _PAIR_COS
    both = np.where((b >= 0.0) & (c >= 0.0) & (det > tiny) & apart, both, np.inf)
    only_i = np.where(ri > 0.0, yy - ri * ri / np.maximum(gii, tiny), yy)
    only_j = np.where(rj > 0.0, yy - rj * rj / np.maximum(gjj, tiny), yy)
    err = np.minimum(both, np.minimum(only_i, only_j))
    # which of the pair is the key (the stronger light)
    key_is_i = np.where(both <= np.minimum(only_i, only_j), b >= c, only_i <= only_j)
    table = np.full((count, count), np.inf)
    table[i, j] = np.where(key_is_i, err, np.inf)
    table[j, i] = np.where(key_is_i, np.inf, err)
    # the best pairs whose keys lie well apart: the basins worth refining
    starts: list[FloatArray] = []
    for k in np.argsort(err)[: 50 * _STARTS]:
        first, second = (dirs[i[k]], dirs[j[k]]) if key_is_i[k] else (dirs[j[k]], dirs[i[k]])
        if all(float(first @ other[0]) < _DISTINCT_COS for other in starts):
            starts.append(np.stack([first, second]))
            if len(starts) == _STARTS:
                break
    return starts, dirs, table.min(axis=1)


def _huber(residual: FloatArray) -> FloatArray:
    """Huber weights of residuals, scaled by their median absolute deviation."""
    scale = 1.4826 * float(np.median(np.abs(residual))) + 1e-9
    size = np.abs(residual) / (_HUBER * scale)
    return np.where(size <= 1.0, 1.0, 1.0 / np.maximum(size, 1e-9))


def modelled(n: Surface, key: FloatArray, fill: FloatArray, coef: FloatArray) -> FloatArray:
    """Modelled luminance with coefficients (ambient, key, fill)."""
    return np.asarray(coef[0] + coef[1] * n.one(key) + coef[2] * n.one(fill), dtype=np.float64)


def huber_loss(size: FloatArray) -> float:
    """The Huber loss summed over residuals already divided by their scale (unitless)."""
    magnitude = np.abs(size)
    return float(
        np.where(magnitude <= _HUBER, 0.5 * size**2, _HUBER * (magnitude - 0.5 * _HUBER)).sum()
    )


def refine_pair(
    n: Surface, y: FloatArray, start: FloatArray, base: FloatArray, span: float = COARSE_DEG
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Refine a pair: each light with the other held, on finer grids, reweighting residuals
    (``base``: the pixels' own weights).

    Returns key, fill and the coefficients (ambient, key, fill).
    """
    key, fill = start[0], start[1]
    w = base
    for reach, step in ((span, 2.0), (3.0, _FINE_DEG)):
        key, coef, _ = _local(n, y, w, around=key, fixed=fill, span=reach, step=step)
        fill, coef, _ = _local(n, y, w, around=fill, fixed=key, span=reach, step=step)
        w = base * _huber(y - modelled(n, key, fill, coef))
    key, coef, _ = _local(n, y, w, around=key, fixed=fill, span=2.0, step=_FINE_DEG)
    # with a direction held, _local's coefficients are (ambient, held, searched)
    return key, fill, np.array([coef[0], coef[2], coef[1]])


def coarse_errors(
    n: Surface, y: FloatArray, w: FloatArray, coarse_pixels: int | None, coarse_deg: float
) -> tuple[FloatArray, FloatArray]:
    """One light with ambient from every direction of the coarse grid, on the pixels the coarse
    searches read: the grid and each direction's weighted squared error."""
    coarse, _ = coarse_grid(coarse_deg)
    pick = coarse_pick(y.shape[0], coarse_pixels)
    err, _ = _solve_one(n.take(pick), y[pick], w[pick], coarse, None)
    return coarse, err


def one_light(
    n: Surface,
    y: FloatArray,
    w: FloatArray,
    coarse_pixels: int | None = None,
    coarse_deg: float = COARSE_DEG,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The best single light with ambient: an exhaustive coarse grid (on about 700 of the
    pixels), then finer ones around the best. Returns its direction, coefficients (ambient, key),
    and the coarse grid with each direction's error (for the uncertainty)."""
    coarse, coarse_err = coarse_errors(n, y, w, coarse_pixels, coarse_deg)
    best = coarse[int(np.argmin(coarse_err))]
    found = np.zeros(2)
    for span, step in ((coarse_deg, 2.0), (3.0, _FINE_DEG)):
        best, found, _ = _local(n, y, w, around=best, fixed=None, span=span, step=step)
    return best, found, coarse, coarse_err
