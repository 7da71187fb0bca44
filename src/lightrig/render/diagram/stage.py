"""The stage around the lights: the dashed range rings of the distance scale, the backdrop band
behind the subject, and the camera-left / camera-right hints at the bottom.

Rings mark 1, 2 and 3 m (and 10 m when a light is beyond 3 m) at
:func:`~lightrig.lighting.diagram_scale.diagram_radius`; the backdrop stands at the scene's
``background_distance`` (metres) behind the subject. Each part that labels must keep clear of
comes with its boxes. Lengths are viewBox units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lightrig.fibo.words import colour_name
from lightrig.lighting.diagram_scale import LINEAR_LIMIT_M, diagram_radius
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import AREA_W, CX, CY, MUTED, VIEW_H
from lightrig.render.diagram.measure import text_width
from lightrig.render.diagram.placement import Placed
from lightrig.render.diagram.svg import esc, tag
from lightrig.render.diagram.wording import distance_text

__all__ = ["backdrop", "orientation_hints", "scale_rings"]


#: Azimuths (degrees) where the range rings may be labelled, in order of preference.
#: Not behind the subject (the backdrop is there) nor at the camera.
_RING_LABEL_AZIMUTHS = (-120.0, 120.0, -60.0, 60.0, -90.0, 90.0, -30.0, 30.0)
#: Angular clearance (degrees) from every light that is good enough for the ring labels.
_RING_LABEL_CLEARANCE = 50.0


def _ring_label_azimuth(
    placed: Sequence[Placed], rings_m: Sequence[float], backdrop_y: float
) -> float:
    """The first candidate azimuth well clear in angle of every drawn light (or, failing that,
    the clearest one) whose labels keep off the backdrop band, for the ring labels."""

    def clearance(azimuth: float) -> float:
        a = math.radians(azimuth)
        for metres in rings_m:
            y = CY + diagram_radius(metres) * math.cos(a)
            if backdrop_y - 16.0 < y < backdrop_y + 18.0:
                return -1.0
        gaps = [_RING_LABEL_CLEARANCE]
        for p in placed:
            ox, oy = p.outward
            drawn = math.degrees(math.atan2(ox, oy))
            gaps.append(abs((azimuth - drawn + 180.0) % 360.0 - 180.0))
        return min(gaps)

    return max(_RING_LABEL_AZIMUTHS, key=clearance)  # max keeps the first of equals


def scale_rings(placed: Sequence[Placed], backdrop_y: float) -> str:
    """The dashed range rings around the subject, each labelled with its distance where no
    drawn light is near in angle and the labels keep off the backdrop band (at ``backdrop_y``,
    viewBox units)."""
    show_far = any(p.light.distance > LINEAR_LIMIT_M for p in placed)
    rings = (1.0, 2.0, 3.0, 10.0) if show_far else (1.0, 2.0, 3.0)
    a = math.radians(_ring_label_azimuth(placed, rings, backdrop_y))
    parts = []
    for metres in rings:
        r = diagram_radius(metres)
        parts.append(
            tag(
                "circle",
                {
                    "cx": CX,
                    "cy": CY,
                    "r": r,
                    "fill": "none",
                    "stroke": "#ced4da",
                    "stroke-width": 0.75,
                    "stroke-dasharray": "2 4",
                },
            )
        )
        parts.append(
            tag(
                "text",
                {
                    "x": CX + r * math.sin(a),
                    "y": CY + r * math.cos(a) + 3.0,
                    "font-size": 9.0,
                    "fill": "#adb5bd",
                    "text-anchor": "middle",
                },
                esc(distance_text(metres)),
            )
        )
    return tag("g", {"id": "scale"}, "".join(parts))


def backdrop(request: SceneRequest) -> tuple[str, list[Box]]:
    """The backdrop as a band across the drawing, ``request.background_distance`` metres behind
    the subject, filled with its colour (dashed and empty when it has none), named below; and
    the boxes labels must keep clear of."""
    y = CY - diagram_radius(request.background_distance)
    colour = request.backdrop_color
    band: dict[str, str | float] = {
        "x": 14.0,
        "y": y - 9.0,
        "width": AREA_W - 28.0,
        "height": 9.0,
        "rx": 2.0,
        "stroke": "#868e96",
        "stroke-width": 1.0,
    }
    if colour is None:
        band.update({"fill": "none", "stroke-dasharray": "6 3"})
        words = f"Background · {distance_text(request.background_distance)}"
    else:
        band["fill"] = colour
        words = f"Backdrop · {colour_name(colour)} · {distance_text(request.background_distance)}"
    text_y = y + 12.0
    boxes = [
        Box(12.0, y - 11.0, AREA_W - 12.0, y + 1.0),
        Box(14.0, y + 1.0, 18.0 + text_width(words, 9.5), text_y + 3.0),
    ]
    text = tag("text", {"x": 16.0, "y": text_y, "font-size": 9.5, "fill": MUTED}, esc(words))
    attrs: dict[str, str | float] = {
        "id": "backdrop",
        "data-distance": f"{request.background_distance:g}",
    }
    if colour is not None:
        attrs["data-color"] = colour
    return tag("g", attrs, tag("rect", band) + text), boxes


def orientation_hints() -> tuple[str, list[Box]]:
    """ "camera-left" and "camera-right" in the bottom corners of the drawing, and their boxes."""
    y = VIEW_H - 10.0
    left = "◂ camera-left"
    right = "camera-right ▸"
    style: dict[str, str | float] = {"font-size": 9.5, "fill": MUTED}
    text = tag("text", {"x": 12.0, "y": y, **style}, esc(left)) + tag(
        "text", {"x": AREA_W - 12.0, "y": y, "text-anchor": "end", **style}, esc(right)
    )
    boxes = [
        Box(10.0, y - 10.0, 14.0 + text_width(left, 9.5), y + 3.0),
        Box(AREA_W - 14.0 - text_width(right, 9.5), y - 10.0, AREA_W - 10.0, y + 3.0),
    ]
    return tag("g", {"id": "orientation"}, text), boxes
