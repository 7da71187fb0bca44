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

The fit's rooms: :mod:`~lightrig.verify.shading_budget` (how much of the face it reads),
:mod:`~lightrig.verify.shading_directions` (unit vectors and the grids searched),
:mod:`~lightrig.verify.shading_surface` (the pixels' normals and visibility, the light a direction
gives them), :mod:`~lightrig.verify.shading_search` (the least squares and the searches over
directions) and :mod:`~lightrig.verify.shading_result` (:class:`ShadingFit`); here the two entry
points, which also decide which of the two lights is the key. Every name the other modules use is
importable from here.
"""

from __future__ import annotations

import numpy as np

from lightrig.verify.shading_budget import (
    COARSE_DEG,
    MAX_PIXELS,
    QUICK,
    FitBudget,
    coarse_pick,
    evenly_spread,
)
from lightrig.verify.shading_directions import FloatArray, direction_angles, unit
from lightrig.verify.shading_result import ShadingFit, summarise
from lightrig.verify.shading_search import (
    best_pairs,
    coarse_errors,
    huber_loss,
    modelled,
    one_light,
    refine_pair,
)
from lightrig.verify.shading_surface import Surface, Visibility

__all__ = [
    "QUICK",
    "FitBudget",
    "ShadingFit",
    "Visibility",
    "direction_angles",
    "evenly_spread",
    "fit_shading",
    "one_light_error",
    "unit",
]

#: Of a key and a fill at least this share of its strength, the higher (by this many degrees)
#: is taken for the key.
_TIE = 0.9
_TIE_HIGHER_DEG = 15.0
#: A key lights (above 5 % of its strength) at least this share of the face's pixels.
_KEY_REACH = 0.15


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


def one_light_error(
    normals: FloatArray,
    luminance: FloatArray,
    *,
    visibility: Visibility | None = None,
    points: FloatArray | None = None,
    weights: FloatArray | None = None,
    coarse_pixels: int | None = None,
    coarse_deg: float = COARSE_DEG,
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
    surface = Surface(normals, visibility, points)
    _, err = coarse_errors(surface, y, base, coarse_pixels, coarse_deg)
    return float(err.min()) / float(base[coarse_pick(count, coarse_pixels)].sum())


def fit_shading(
    normals: FloatArray,
    luminance: FloatArray,
    *,
    visibility: Visibility | None = None,
    points: FloatArray | None = None,
    weights: FloatArray | None = None,
    lights: int = 2,
    seed: int = 0,
    coarse_pixels: int | None = None,
    coarse_deg: float = COARSE_DEG,
) -> ShadingFit | None:
    """Fit the key, fill and ambient light to a face (normals N × 3, linear luminance N; the
    visibility of directions from the same N pixels, when known; their places on the head, when
    known, for lights standing near it (:class:`~lightrig.verify.shading_surface.Surface`);
    each pixel's weight, when some count less). ``lights=1`` fits the key and ambient alone. The
    coarse searches read every k-th pixel (about 700 of them), or ``coarse_pixels`` of them
    evenly spread.

    Returns None when there are too few pixels (under 40) or no variation to explain.
    """
    count = luminance.shape[0]
    if count < 40:
        return None
    n = Surface(normals, visibility, points)
    base = np.ones(count) if weights is None else np.asarray(weights, dtype=np.float64)
    if count > MAX_PIXELS:
        pick = np.random.default_rng(seed).choice(count, MAX_PIXELS, replace=False)
        n, luminance, base = n.take(pick), luminance[pick], base[pick]
    normalised = _normalised(luminance, base)
    if normalised is None:
        return None
    y, scale = normalised
    if lights == 1:
        key, coef, coarse, coarse_err = one_light(n, y, base, coarse_pixels, coarse_deg)
        return summarise(
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
    starts, coarse, coarse_err = best_pairs(n, y, base, coarse_pixels, coarse_deg)
    best: tuple[float, FloatArray, FloatArray, FloatArray] | None = None
    scale_of_error: float | None = None
    for start in starts:
        key, fill, coef = refine_pair(n, y, start, base, coarse_deg)
        residual = np.sqrt(base) * (y - modelled(n, key, fill, coef))
        if scale_of_error is None:  # one yardstick for every start: the first's spread
            scale_of_error = 1.4826 * float(np.median(np.abs(residual))) + 1e-9
        loss = huber_loss(residual / scale_of_error)
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
    return summarise(
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
