"""The shading fit's result (:class:`ShadingFit`): the key and fill directions, their strengths
and the ambient in the luminance's units, and how well and how surely the model explains the
face."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lightrig.verify.shading_directions import FloatArray
from lightrig.verify.shading_surface import Surface

__all__ = ["NEAR_ERROR", "ShadingFit", "summarise"]

#: Key directions whose best coarse fit errs by at most this factor more count as "almost as
#: good" for the uncertainty.
NEAR_ERROR = 1.03


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


def summarise(
    n: Surface,
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
    near = coarse[coarse_err <= coarse_err.min() * NEAR_ERROR + 1e-12]
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
