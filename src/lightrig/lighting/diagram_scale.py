"""The lighting diagram's scale: how far from the subject a light is drawn, and how big its icon.

Both diagrams — the SVG the API draws (:mod:`lightrig.render.diagram`) and the studio's, drawn in
the page from ``GET /v1/conventions`` — use these numbers, so a light stands at the same place in
each. Lengths on the drawing are in pixels of the SVG's ``viewBox`` (which are screen pixels at
the API diagram's default width of 720), distances in metres.

Distance: ``s(d) = 46 + 42·d`` px up to 3 m (so a light never touches the subject, and 1 m reads
as 42 px), then ``s(d) = 172 + 40·log10(d / 3)`` px beyond (40 px per tenfold distance, so the
100 m maximum still fits). Icons: 40 px per metre of modifier diameter, within 12–52 px.
"""

from __future__ import annotations

import math

__all__ = [
    "BASE_PX",
    "ICON_MAX_PX",
    "ICON_MIN_PX",
    "ICON_PX_PER_M",
    "LINEAR_LIMIT_M",
    "MAX_DISTANCE_M",
    "MIN_BACKGROUND_LIGHT_M",
    "PX_PER_DECADE",
    "PX_PER_M",
    "diagram_radius",
    "distance_for_radius",
]

#: Radius in px of a light 0 m away: clears the subject's shoulders and a small icon.
BASE_PX = 46.0
#: Pixels per metre on the linear part of the scale.
PX_PER_M = 42.0
#: Metres up to which the scale is linear.
LINEAR_LIMIT_M = 3.0
#: Pixels per tenfold distance beyond :data:`LINEAR_LIMIT_M`.
PX_PER_DECADE = 40.0
#: Metres beyond which every light is drawn at the same radius.
MAX_DISTANCE_M = 100.0
#: The least distance in metres from the subject at which a background light behind the subject
#: is drawn (its own distance is to the backdrop).
MIN_BACKGROUND_LIGHT_M = 0.25
#: Pixels of icon per metre of modifier diameter, and the icon's smallest and largest size (px).
ICON_PX_PER_M = 40.0
ICON_MIN_PX = 12.0
ICON_MAX_PX = 52.0


def diagram_radius(distance_m: float) -> float:
    """Pixels (viewBox units) from the subject's centre at which a light ``distance_m`` metres
    away is drawn: linear, 46 px + 42 px per metre, up to 3 m; beyond, 40 px more per tenfold
    distance. Distances are clamped to 0–100 m, so the result lies within 46–233 px."""
    d = min(max(distance_m, 0.0), MAX_DISTANCE_M)
    if d <= LINEAR_LIMIT_M:
        return BASE_PX + PX_PER_M * d
    return BASE_PX + PX_PER_M * LINEAR_LIMIT_M + PX_PER_DECADE * math.log10(d / LINEAR_LIMIT_M)


def distance_for_radius(radius_px: float) -> float:
    """Metres from the subject of a light drawn ``radius_px`` pixels from its centre: the inverse
    of :func:`diagram_radius` on 0–100 m (a radius inside the 0 m circle is 0 m)."""
    linear_end = BASE_PX + PX_PER_M * LINEAR_LIMIT_M
    if radius_px <= linear_end:
        d = (radius_px - BASE_PX) / PX_PER_M
    else:
        d = LINEAR_LIMIT_M * 10.0 ** ((radius_px - linear_end) / PX_PER_DECADE)
    return min(max(d, 0.0), MAX_DISTANCE_M)
