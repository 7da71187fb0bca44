"""The colour of the light, read from skin: known albedo, the Planckian locus, the white balance.

A matte surface of known reflectance shows the light's colour once its reflectance is divided out:
``light ∝ pixel / albedo`` per linear channel. The reflectance assumed is a mid skin tone (linear
sRGB 0.456, 0.265, 0.191; luminance 0.3 — the preview bust's). The light's colour as the camera
recorded it is then matched to the Planckian locus *as the camera would record it* under its white
balance (:func:`lightrig.lighting.colour.kelvin_to_linear_srgb`), by the nearest point in CIE 1960
``uv``; the colour temperature is that point's. Distances ``Δuv`` off the locus say how far the
colour is from any black body (a coloured gel, a wrong albedo, or not skin at all).

The white balance must be known or assumed: the same picture means a 5600 K light under a 5600 K
white balance and a 3200 K light under a 3200 K one. lightrig's cameras default to 5600 K.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from lightrig.lighting.colour import kelvin_to_linear_srgb

__all__ = [
    "DEFAULT_WHITE_BALANCE",
    "SKIN_ALBEDO",
    "Locus",
    "locus",
    "log_chroma",
]

#: Linear sRGB diffuse reflectance of the mid skin tone assumed (the preview bust's skin).
SKIN_ALBEDO = np.array([0.456, 0.265, 0.191], dtype=np.float64)
#: The camera white balance assumed when none is given, kelvin (lightrig's camera default).
DEFAULT_WHITE_BALANCE = 5600.0
#: The locus is tabulated every mired from 40 to 599 mired (25000–1669 K).
_MIRED_STEP = 1.0
_MIRED_MIN = 40.0
_MIRED_MAX = 599.0

#: The Δuv table spans log chroma −3…3 on both axes in steps of 0.025.
_LUT_SPAN = (-3.0, 3.0)
_LUT_STEP = 0.025
#: The coarse search for the nearest locus point looks every this many table points.
_COARSE_EVERY = 10

_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)

FloatArray = npt.NDArray[np.float64]


def _uv(rgb: FloatArray) -> FloatArray:
    """CIE 1960 ``uv`` of linear sRGB colours (… × 3 → … × 2)."""
    xyz = rgb @ _SRGB_TO_XYZ.T
    denominator = xyz[..., 0] + 15.0 * xyz[..., 1] + 3.0 * xyz[..., 2]
    denominator = np.where(np.abs(denominator) < 1e-12, 1e-12, denominator)
    return np.stack([4.0 * xyz[..., 0] / denominator, 6.0 * xyz[..., 1] / denominator], axis=-1)


def log_chroma(rgb: npt.NDArray[np.floating]) -> FloatArray:
    """``(ln R/G, ln B/G)`` of linear RGB colours (… × 3 → … × 2); channels floored at 1e-6."""
    safe = np.maximum(np.asarray(rgb, dtype=np.float64), 1e-6)
    green = np.log(safe[..., 1])
    return np.stack([np.log(safe[..., 0]) - green, np.log(safe[..., 2]) - green], axis=-1)


class Locus:
    """The Planckian locus as a camera with a given white balance records it.

    ``mireds``: the table's colour temperatures in mired (ascending); ``uv``: each one's CIE 1960
    chromaticity in the camera's colour space; ``chroma``: each one's log chroma.
    """

    def __init__(self, white_balance: float) -> None:
        self.white_balance = white_balance
        self.mireds = np.arange(_MIRED_MIN, _MIRED_MAX + 0.5 * _MIRED_STEP, _MIRED_STEP)
        rgb = np.array([kelvin_to_linear_srgb(1_000_000.0 / m, white_balance) for m in self.mireds])
        self.uv = _uv(rgb)
        self.chroma = log_chroma(np.maximum(rgb, 1e-4))

    def nearest(self, light_rgb: npt.NDArray[np.floating]) -> tuple[FloatArray, FloatArray]:
        """Mired and ``Δuv`` (distance off the locus) of each linear light colour (… × 3).

        A search every 10 mired, then every mired around the best, then a parabola through the
        best point's neighbours.
        """
        rgb = np.asarray(light_rgb, dtype=np.float64)
        uv = _uv(rgb.reshape(-1, 3))
        rows = np.arange(uv.shape[0])
        last = len(self.mireds) - 1
        coarse = np.arange(0, len(self.mireds), _COARSE_EVERY)
        first = ((uv[:, None, :] - self.uv[None, coarse, :]) ** 2).sum(axis=2)
        centre = coarse[np.argmin(first, axis=1)]
        window = np.clip(centre[:, None] + np.arange(-_COARSE_EVERY, _COARSE_EVERY + 1), 0, last)
        squared = ((uv[:, None, :] - self.uv[window]) ** 2).sum(axis=2)
        index = window[rows, np.argmin(squared, axis=1)]
        inner = np.clip(index, 1, last - 1)

        def at(k: npt.NDArray[np.intp]) -> FloatArray:
            return np.asarray(((uv - self.uv[k]) ** 2).sum(axis=1), dtype=np.float64)

        left, mid, right = at(inner - 1), at(inner), at(inner + 1)
        curvature = left - 2.0 * mid + right
        offset = np.where(curvature > 1e-18, 0.5 * (left - right) / curvature, 0.0)
        offset = np.where(index == inner, np.clip(offset, -1.0, 1.0), 0.0)
        mired = self.mireds[index] + offset * _MIRED_STEP
        distance = np.sqrt(at(index))
        shape = rgb.shape[:-1]
        return mired.reshape(shape), distance.reshape(shape)

    @functools.cached_property
    def _off_locus_table(self) -> FloatArray:
        """Δuv off the locus on a grid of log chroma (``_LUT_STEP`` apart over ``_LUT_SPAN``)."""
        axis = np.arange(_LUT_SPAN[0], _LUT_SPAN[1] + 0.5 * _LUT_STEP, _LUT_STEP)
        cr, cb = np.meshgrid(axis, axis, indexing="ij")
        rgb = np.stack([np.exp(cr), np.ones_like(cr), np.exp(cb)], axis=-1)
        _, distance = self.nearest(rgb)
        return distance

    def off_locus(self, chroma: npt.NDArray[np.floating]) -> FloatArray:
        """Δuv off the locus of light colours given by their log chroma (… × 2), from a table
        (nearest grid point, 0.025 apart; colours beyond ±3 take the table's edge)."""
        table = self._off_locus_table
        index = np.rint((np.asarray(chroma, dtype=np.float64) - _LUT_SPAN[0]) / _LUT_STEP)
        index = np.clip(index, 0, table.shape[0] - 1).astype(np.intp)
        return table[index[..., 0], index[..., 1]]


@functools.lru_cache(maxsize=16)
def _locus(white_balance: float) -> Locus:
    return Locus(white_balance)


def locus(white_balance: float = DEFAULT_WHITE_BALANCE) -> Locus:
    """The locus for a camera white balance in kelvin (tables kept for 16 white balances)."""
    return _locus(round(float(white_balance), 1))
