"""Angles said in the grammar's own words."""

from __future__ import annotations

from lightrig.lighting.geometry import wrap_degrees


def _angle(value: float) -> str:
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    return f"{text}°"


def describe_direction(azimuth: float, elevation: float | None = None) -> str:
    """The canonical phrase for an azimuth and optional elevation (degrees).

    ``parse_direction(describe_direction(a, e))`` gives back ``a`` and ``e`` to 0.05°.
    """
    azimuth = wrap_degrees(azimuth)
    if abs(azimuth) < 0.05:
        horizontal = "front"
    elif abs(azimuth) > 179.95:
        horizontal = "behind"
    else:
        horizontal = f"{_angle(azimuth)} camera-{'right' if azimuth > 0 else 'left'}"
    if elevation is None:
        return horizontal
    if abs(elevation) < 0.05:
        vertical = "eye level"
    elif elevation > 89.95:
        vertical = "overhead"
    else:
        vertical = f"{_angle(elevation)} {'above' if elevation > 0 else 'below'}"
    return f"{horizontal}, {vertical}"
