"""Light from shading: fitting a key, a fill and ambient light to a face's brightness.

With a normal ``n`` per pixel (:mod:`lightrig.verify.shape`), a matte face's linear luminance is
modelled as ``Y = A + K·v(k)·max(0, n·k) + F·v(f)·max(0, n·f)``: ambient ``A``, a key of strength
``K`` from the unit direction ``k`` and a fill of strength ``F`` from ``f`` (Lambert's cosine law,
each light cut off where it grazes the surface), each dimmed by its visibility ``v`` from the pixel
— the cast shadows of the nose, brows and chin, where a visibility is given
(:mod:`lightrig.verify.occlusion`). The key is the stronger light — unless it reaches under 15 %
of the face (a light from behind catching its edge) — and of two within 10 % of each other, the
one standing at least 15° higher (fills sit at or below eye level, keys above it).
For each candidate direction the strengths follow by non-negative least squares in closed form,
so the directions are searched exhaustively — a coarse grid over the sphere, then a fine one
around the best — first for the key alone with ambient, then for a fill beside it, then for the
key again with that fill held; residuals are reweighted (Huber) so that what the model cannot
explain (eyes, highlights, shadows it places wrongly) weighs less. Pixels may also carry weights
of their own (how far their linear value can be trusted), and a simpler model of one light and
ambient can be fitted instead (:func:`fit_shading` with ``lights=1``), whose error the caller
may weigh against the two lights' (both report it in the same units).

Directions are unit vectors in the camera frame (x camera-right, y up, z toward the camera);
strengths are in the units of the luminance given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "ShadingFit",
    "Visibility",
    "direction_angles",
    "fit_shading",
    "one_light_error",
    "unit",
]

FloatArray = npt.NDArray[np.float64]

_COARSE_DEG = 10.0
_FINE_DEG = 1.0
_FINE_SPAN_DEG = 6.0
_HUBER = 1.5
#: Key directions whose best coarse fit errs by at most this factor more count as "almost as
#: good" for the uncertainty.
_NEAR_ERROR = 1.03
#: At most this many pixels enter the fit (an even subsample of the face).
_MAX_PIXELS = 2500
#: Refinement starts from this many of the best coarse pairs whose keys are over 20° apart.
_STARTS = 1
#: A key and a fill stand at least 60° apart (closer, they act as one broad source).
_PAIR_COS = float(np.cos(np.radians(60.0)))
_DISTINCT_COS = float(np.cos(np.radians(20.0)))
#: Of a key and a fill at least this share of its strength, the higher (by this many degrees)
#: is taken for the key.
_TIE = 0.9
_TIE_HIGHER_DEG = 15.0
#: A key lights (above 5 % of its strength) at least this share of the face's pixels.
_KEY_REACH = 0.15
#: About this many pixels enter the coarse search over every pair of directions.
_PAIR_PIXELS = 700


def unit(azimuth_deg: float, elevation_deg: float) -> FloatArray:
    """The unit vector toward azimuth, elevation (degrees), camera frame."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    return np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])


def direction_angles(direction: FloatArray) -> tuple[float, float]:
    """Azimuth (−180…180) and elevation (−90…90), degrees, of a unit vector."""
    x, y, z = (float(c) for c in direction)
    return math.degrees(math.atan2(x, z)), math.degrees(math.asin(max(-1.0, min(1.0, y))))


def _grid(
    az_range: tuple[float, float], el_range: tuple[float, float], step: float
) -> tuple[FloatArray, FloatArray]:
    az = np.arange(az_range[0], az_range[1] + 1e-9, step)
    el = np.arange(el_range[0], el_range[1] + 1e-9, step)
    a, e = np.meshgrid(np.radians(az), np.radians(el))
    vectors = np.stack([np.sin(a) * np.cos(e), np.sin(e), np.cos(a) * np.cos(e)], axis=-1)
    angles = np.stack([np.degrees(a), np.degrees(e)], axis=-1)
    return vectors.reshape(-1, 3), angles.reshape(-1, 2)


class Visibility(Protocol):
    """How visible directions are from each of a face's pixels (see
    :class:`lightrig.verify.occlusion.Occlusion`)."""

    def take(self, index: npt.NDArray[np.intp]) -> Visibility:
        """The same for a subset of the pixels."""
        ...

    def __call__(self, directions: FloatArray) -> FloatArray:
        """Visibility 0–1 (N × C) of C unit directions (C × 3)."""
        ...


@dataclass(frozen=True)
class _Surface:
    """The face's pixels as the fit sees them: unit normals (N × 3) and, when known, the
    visibility of directions from each."""

    normals: FloatArray
    visibility: Visibility | None

    def take(self, index: npt.NDArray[np.intp]) -> _Surface:
        return _Surface(
            self.normals[index], None if self.visibility is None else self.visibility.take(index)
        )

    def lit(self, directions: FloatArray) -> FloatArray:
        """The light (N × C) each of C unit directions (C × 3) of unit strength gives."""
        cosine = np.maximum(self.normals @ directions.T, 0.0)
        if self.visibility is not None:
            cosine = cosine * self.visibility(directions)
        return np.asarray(cosine, dtype=np.float64)

    def one(self, direction: FloatArray) -> FloatArray:
        """The light (N) a unit-strength light from ``direction`` gives."""
        return self.lit(direction[None, :])[:, 0]


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


@dataclass(frozen=True)
class ShadingFit:
    """The fitted light: key and fill directions (unit vectors), strengths, ambient, fit quality.

    ``residual``: robust RMS of the residuals relative to the brightest modelled luminance (0
    is a perfect fit); ``explained``: the share of the luminance variance the model explains
    (0–1); ``spread_deg``: how far (degrees) key directions fitting almost as well reach from
    the best one — an uncertainty; ``error``: the weighted mean squared residual with the
    luminance divided by its 98th percentile (comparable between fits of the same pixels with
    the same weights).
    """

    key: FloatArray
    key_strength: float
    fill: FloatArray | None
    fill_strength: float
    ambient: float
    residual: float
    explained: float
    spread_deg: float
    error: float = 0.0

    def irradiance(self, normal: FloatArray) -> float:
        """The model's light on a surface of unit ``normal`` (camera frame)."""
        value = self.ambient + self.key_strength * max(0.0, float(normal @ self.key))
        if self.fill is not None:
            value += self.fill_strength * max(0.0, float(normal @ self.fill))
        return value


def _solve_one(
    n: _Surface, y: FloatArray, w: FloatArray, dirs: FloatArray, fixed: FloatArray | None
) -> tuple[FloatArray, FloatArray]:
    """Least squares of ``y ≈ a + b·L(fixed) + c·L(d)`` for every direction ``d``, ``L`` the
    light a unit-strength source from a direction gives each pixel (:meth:`_Surface.lit`).

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
    n: _Surface,
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
    fine, _ = _grid(
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


def _coarse_pick(count: int, coarse: int | None) -> npt.NDArray[np.intp]:
    """The pixels the coarse searches read: every k-th so that about 700 remain (k whole), or
    ``coarse`` of them evenly spread when given."""
    if coarse is None:
        return np.arange(0, count, max(1, count // _PAIR_PIXELS))
    return np.unique(np.linspace(0, count - 1, min(count, coarse)).round().astype(np.intp))


def _pairs(
    n: _Surface,
    y: FloatArray,
    w: FloatArray,
    coarse_pixels: int | None = None,
    coarse_deg: float = _COARSE_DEG,
) -> tuple[list[FloatArray], FloatArray, FloatArray]:
    """The best pair of lights on a coarse grid, every pair considered at once.

    Each pair's fit ``y ≈ a + b·s_i + c·s_j`` (``b, c ≥ 0``; the ambient ``a`` left free at this
    stage) is solved in closed form after taking out the weighted means. Returns the two
    directions (stronger first), the coarse grid, and per coarse direction the least error of any
    pair that holds it (for the uncertainty).
    """
    dirs, _ = _coarse_grid(coarse_deg)
    pick = _coarse_pick(y.shape[0], coarse_pixels)
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


def _model(n: _Surface, key: FloatArray, fill: FloatArray, coef: FloatArray) -> FloatArray:
    """Modelled luminance with coefficients (ambient, key, fill)."""
    return np.asarray(coef[0] + coef[1] * n.one(key) + coef[2] * n.one(fill), dtype=np.float64)


def _huber_loss(size: FloatArray) -> float:
    magnitude = np.abs(size)
    return float(
        np.where(magnitude <= _HUBER, 0.5 * size**2, _HUBER * (magnitude - 0.5 * _HUBER)).sum()
    )


def _refine(
    n: _Surface, y: FloatArray, start: FloatArray, base: FloatArray, span: float = _COARSE_DEG
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
        w = base * _huber(y - _model(n, key, fill, coef))
    key, coef, _ = _local(n, y, w, around=key, fixed=fill, span=2.0, step=_FINE_DEG)
    # with a direction held, _local's coefficients are (ambient, held, searched)
    return key, fill, np.array([coef[0], coef[2], coef[1]])


def _coarse_grid(step: float) -> tuple[FloatArray, FloatArray]:
    """The coarse searches' directions ``step`` degrees apart (azimuth all round, elevation
    −60° to 80°) and their angles."""
    return _grid((-180.0, 180.0 - step), (-60.0, 80.0), step)


def _coarse_one(
    n: _Surface, y: FloatArray, w: FloatArray, coarse_pixels: int | None, coarse_deg: float
) -> tuple[FloatArray, FloatArray]:
    """One light with ambient from every direction of the coarse grid, on the pixels the coarse
    searches read: the grid and each direction's weighted squared error."""
    coarse, _ = _coarse_grid(coarse_deg)
    pick = _coarse_pick(y.shape[0], coarse_pixels)
    err, _ = _solve_one(n.take(pick), y[pick], w[pick], coarse, None)
    return coarse, err


def _normalised(luminance: FloatArray, base: FloatArray) -> tuple[FloatArray, float] | None:
    """The luminance over its 98th percentile, and that percentile; None when there is nothing
    to fit (no light, no weight, no variation)."""
    scale = float(np.percentile(luminance, 98.0))
    if scale <= 0.0 or float(base.sum()) <= 0.0:
        return None
    y = luminance / scale
    if float(np.std(y)) < 1e-3:
        return None
    return y, scale


def _one_light(
    n: _Surface,
    y: FloatArray,
    w: FloatArray,
    coarse_pixels: int | None = None,
    coarse_deg: float = _COARSE_DEG,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The best single light with ambient: an exhaustive coarse grid (on about 700 of the
    pixels), then finer ones around the best. Returns its direction, coefficients (ambient, key),
    and the coarse grid with each direction's error (for the uncertainty)."""
    coarse, coarse_err = _coarse_one(n, y, w, coarse_pixels, coarse_deg)
    best = coarse[int(np.argmin(coarse_err))]
    found = np.zeros(2)
    for span, step in ((coarse_deg, 2.0), (3.0, _FINE_DEG)):
        best, found, _ = _local(n, y, w, around=best, fixed=None, span=span, step=step)
    return best, found, coarse, coarse_err


def one_light_error(
    normals: FloatArray,
    luminance: FloatArray,
    *,
    visibility: Visibility | None = None,
    weights: FloatArray | None = None,
    coarse_pixels: int | None = None,
    coarse_deg: float = _COARSE_DEG,
) -> float | None:
    """How well one light and ambient can explain the shading at best, judged on the coarse
    grid alone: the least weighted mean squared residual (luminance over its 98th percentile)
    over the grid's directions, on the pixels the coarse search reads (as :func:`fit_shading`
    picks them). Comparable between shapes given the same pixels and weights; None when
    :func:`fit_shading` would fit nothing."""
    count = luminance.shape[0]
    if count < 40:
        return None
    base = np.ones(count) if weights is None else np.asarray(weights, dtype=np.float64)
    normalised = _normalised(luminance, base)
    if normalised is None:
        return None
    y = normalised[0]
    _, err = _coarse_one(_Surface(normals, visibility), y, base, coarse_pixels, coarse_deg)
    return float(err.min()) / float(base[_coarse_pick(count, coarse_pixels)].sum())


def fit_shading(
    normals: FloatArray,
    luminance: FloatArray,
    *,
    visibility: Visibility | None = None,
    weights: FloatArray | None = None,
    lights: int = 2,
    seed: int = 0,
    coarse_pixels: int | None = None,
    coarse_deg: float = _COARSE_DEG,
) -> ShadingFit | None:
    """Fit the key, fill and ambient light to a face (normals N × 3, linear luminance N; the
    visibility of directions from the same N pixels, when known; each pixel's weight, when
    some count less). ``lights=1`` fits the key and ambient alone. The coarse searches read
    every k-th pixel (about 700 of them), or ``coarse_pixels`` of them evenly spread.

    Returns None when there are too few pixels (under 40) or no variation to explain.
    """
    count = luminance.shape[0]
    if count < 40:
        return None
    n = _Surface(normals, visibility)
    base = np.ones(count) if weights is None else np.asarray(weights, dtype=np.float64)
    if count > _MAX_PIXELS:
        pick = np.random.default_rng(seed).choice(count, _MAX_PIXELS, replace=False)
        n, luminance, base = n.take(pick), luminance[pick], base[pick]
    normalised = _normalised(luminance, base)
    if normalised is None:
        return None
    y, scale = normalised
    if lights == 1:
        key, coef, coarse, coarse_err = _one_light(n, y, base, coarse_pixels, coarse_deg)
        return _summary(
            n,
            y,
            base,
            key=key,
            fill=None,
            coef=(float(coef[0]), float(coef[1]), 0.0),
            scale=scale,
            coarse=coarse,
            coarse_err=coarse_err,
        )
    starts, coarse, coarse_err = _pairs(n, y, base, coarse_pixels, coarse_deg)
    best: tuple[float, FloatArray, FloatArray, FloatArray] | None = None
    scale_of_error: float | None = None
    for start in starts:
        key, fill, coef = _refine(n, y, start, base, coarse_deg)
        residual = np.sqrt(base) * (y - _model(n, key, fill, coef))
        if scale_of_error is None:  # one yardstick for every start: the first's spread
            scale_of_error = 1.4826 * float(np.median(np.abs(residual))) + 1e-9
        loss = _huber_loss(residual / scale_of_error)
        if best is None or loss < best[0]:
            best = (loss, key, fill, coef)
    if best is None:
        return None
    _, key, fill, coef = best
    ambient, key_strength, fill_strength = float(coef[0]), float(coef[1]), float(coef[2])
    key_light, fill_light = n.one(key), n.one(fill)
    swap = fill_strength > key_strength or (
        fill_strength >= _TIE * key_strength
        and direction_angles(fill)[1] > direction_angles(key)[1] + _TIE_HIGHER_DEG
    )
    # a light that reaches only the face's edge is no key, however strong it is there
    reach = {True: float(np.mean(fill_light > 0.05)), False: float(np.mean(key_light > 0.05))}
    if min(key_strength, fill_strength) > 1e-6 and reach[swap] < _KEY_REACH < reach[not swap]:
        swap = not swap
    if swap:
        key, fill = fill, key
        key_strength, fill_strength = fill_strength, key_strength
    return _summary(
        n,
        y,
        base,
        key=key,
        fill=fill if fill_strength > 1e-6 else None,
        coef=(ambient, key_strength, fill_strength),
        scale=scale,
        coarse=coarse,
        coarse_err=coarse_err,
    )


def _summary(
    n: _Surface,
    y: FloatArray,
    base: FloatArray,
    *,
    key: FloatArray,
    fill: FloatArray | None,
    coef: tuple[float, float, float],
    scale: float,
    coarse: FloatArray,
    coarse_err: FloatArray,
) -> ShadingFit:
    """The fit's figures: strengths back in the luminance's units, how well it explains."""
    ambient, key_strength, fill_strength = coef
    prediction = ambient + key_strength * n.one(key)
    if fill is not None:
        prediction = prediction + fill_strength * n.one(fill)
    residual = y - prediction
    robust = 1.4826 * float(np.median(np.abs(residual)))
    peak = max(float(prediction.max()), 1e-9)
    variance = float(np.var(y))
    explained = max(0.0, 1.0 - float(np.mean(residual**2)) / max(variance, 1e-12))
    near = coarse[coarse_err <= coarse_err.min() * _NEAR_ERROR + 1e-12]
    spread = float(np.degrees(np.arccos(np.clip(near @ key, -1.0, 1.0))).max())
    return ShadingFit(
        key=key,
        key_strength=key_strength * scale,
        fill=fill,
        fill_strength=fill_strength * scale if fill is not None else 0.0,
        ambient=ambient * scale,
        residual=robust / peak,
        explained=explained,
        spread_deg=spread,
        error=float(np.sum(base * residual**2) / np.sum(base)),
    )
