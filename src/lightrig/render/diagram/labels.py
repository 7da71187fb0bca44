"""A light's label: what it says ("Key · 45° R · +30°", "1.5 m · softbox 90 cm", a swatch and
"5600 K"), how big it is, and how it is drawn once :mod:`.layout` has found it a place.

Sizes are viewBox units; the text is 10.5 px on 13 px lines, inside a 3 px padding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.colour import swatch_hex
from lightrig.lighting.roles import LightType
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import INK, OFF_GREY, SWATCH_W
from lightrig.render.diagram.measure import text_width
from lightrig.render.diagram.placement import Placed
from lightrig.render.diagram.svg import esc, tag
from lightrig.render.diagram.wording import (
    azimuth_text,
    distance_text,
    kelvin_text,
    modifier_text,
    role_title,
    signed_degrees,
)

__all__ = ["Label", "label_for", "label_svg"]

_LABEL_FONT = 10.5  # px
_LINE_H = 13.0  # px
_PAD = 3.0  # px


@dataclass(frozen=True, slots=True)
class Label:
    """The words of a light's label, line by line."""

    head: str  # "Key" in bold
    rest: str  # " · 45° R · +30°"
    second: str  # "1.5 m · softbox 90 cm"
    swatch: str  # "#rrggbb"
    kelvin: str  # "5600 K"

    @property
    def size(self) -> tuple[float, float]:
        """Width and height (px) of the label with its padding."""
        first = text_width(self.head, _LABEL_FONT, bold=True) + text_width(self.rest, _LABEL_FONT)
        second = text_width(self.second, _LABEL_FONT)
        third = SWATCH_W + 4.0 + text_width(self.kelvin, _LABEL_FONT)
        return max(first, second, third) + 2 * _PAD, 3 * _LINE_H + 2 * _PAD


def label_for(p: Placed, white_balance: float) -> Label:
    """The label of the placed light ``p``; its swatch as a camera balanced at ``white_balance``
    kelvin renders the light's colour."""
    light = p.light
    elevation = light.elevation if light.elevation is not None else 0.0
    azimuth = light.azimuth if light.azimuth is not None else 0.0
    rest = f" · {azimuth_text(azimuth)} · {signed_degrees(elevation)}"
    if not p.on:
        rest += " · off"
    distance = distance_text(light.distance)
    if p.role is LightType.BACKGROUND:
        distance += " to backdrop"
    return Label(
        head=role_title(p.role),
        rest=rest,
        second=f"{distance} · {modifier_text(light)}",
        swatch=swatch_hex(light.color_temperature, white_balance),
        kelvin=kelvin_text(light.color_temperature),
    )


def label_plate(box: Box, x: float, y: float, extent: float, accent: str) -> list[str]:
    """A label's white plate in ``box`` and, when the box sits away from the thing it names (at
    ``x``, ``y``, drawn ``extent`` px round), a leader line to it in ``accent`` (SVG tags)."""
    parts = [
        tag(
            "rect",
            {
                "class": "label-bg",
                "x": box.x0,
                "y": box.y0,
                "width": box.x1 - box.x0,
                "height": box.y1 - box.y0,
                "rx": 3.0,
                "fill": "#ffffff",
                "fill-opacity": 0.88,
            },
        )
    ]
    nx, ny = box.nearest(x, y)
    reach = math.hypot(nx - x, ny - y)
    if reach > extent + 8.0:
        ux, uy = (nx - x) / reach, (ny - y) / reach
        parts.append(
            tag(
                "line",
                {
                    "x1": x + ux * (extent + 2.0),
                    "y1": y + uy * (extent + 2.0),
                    "x2": nx,
                    "y2": ny,
                    "stroke": accent,
                    "stroke-width": 0.75,
                    "stroke-opacity": 0.7,
                },
            )
        )
    return parts


def label_svg(p: Placed, label: Label, box: Box) -> str:
    """``label`` drawn in ``box``, with a leader line to the light when it sits away from it."""
    colour = INK if p.on else OFF_GREY
    parts = label_plate(box, p.x, p.y, p.extent, p.accent)
    x = box.x0 + _PAD
    base = box.y0 + _PAD + 10.0
    head = tag("tspan", {"font-weight": "bold", "fill": p.accent}, esc(label.head))
    parts.append(
        tag(
            "text",
            {"x": x, "y": base, "font-size": _LABEL_FONT, "fill": colour},
            head + tag("tspan", {}, esc(label.rest)),
        )
    )
    parts.append(
        tag(
            "text",
            {"x": x, "y": base + _LINE_H, "font-size": _LABEL_FONT, "fill": colour},
            esc(label.second),
        )
    )
    swatch: dict[str, str | float] = {
        "class": "swatch",
        "x": x,
        "y": base + 2 * _LINE_H - 8.5,
        "width": SWATCH_W,
        "height": 9.0,
        "fill": label.swatch,
        "stroke": "#495057",
        "stroke-width": 0.5,
    }
    if not p.on:
        swatch["fill-opacity"] = 0.4
    parts.append(tag("rect", swatch))
    parts.append(
        tag(
            "text",
            {
                "x": x + SWATCH_W + 4.0,
                "y": base + 2 * _LINE_H,
                "font-size": _LABEL_FONT,
                "fill": colour,
            },
            esc(label.kelvin),
        )
    )
    return tag("g", {"class": "label"}, "".join(parts))
