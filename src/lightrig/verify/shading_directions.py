"""Directions for the shading fit: unit vectors in the camera frame (x camera-right, y up, z
toward the camera), their azimuth and elevation in degrees, and the grids of them the fit
searches."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "coarse_grid", "direction_angles", "grid", "unit"]

FloatArray = npt.NDArray[np.float64]


def unit(azimuth_deg: float, elevation_deg: float) -> FloatArray:
    """The unit vector toward azimuth, elevation (degrees), camera frame."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    return np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])


def direction_angles(direction: FloatArray) -> tuple[float, float]:
    """Azimuth (−180…180) and elevation (−90…90), degrees, of a unit vector."""
    x, y, z = (float(c) for c in direction)
    return math.degrees(math.atan2(x, z)), math.degrees(math.asin(max(-1.0, min(1.0, y))))


def grid(
    az_range: tuple[float, float], el_range: tuple[float, float], step: float
) -> tuple[FloatArray, FloatArray]:
    """Unit vectors on a grid of azimuths and elevations ``step`` degrees apart over the given
    ranges (degrees, both ends included), and their angles (azimuth, elevation; degrees)."""
    az = np.arange(az_range[0], az_range[1] + 1e-9, step)
    el = np.arange(el_range[0], el_range[1] + 1e-9, step)
    a, e = np.meshgrid(np.radians(az), np.radians(el))
    vectors = np.stack([np.sin(a) * np.cos(e), np.sin(e), np.cos(a) * np.cos(e)], axis=-1)
    angles = np.stack([np.degrees(a), np.degrees(e)], axis=-1)
    return vectors.reshape(-1, 3), angles.reshape(-1, 2)


def coarse_grid(step: float) -> tuple[FloatArray, FloatArray]:
    """The coarse searches' directions ``step`` degrees apart (azimuth all round, elevation
    −60° to 80°) and their angles."""
    return grid((-180.0, 180.0 - step), (-60.0, 80.0), step)
