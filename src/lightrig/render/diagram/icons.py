"""The lights' glyphs: an icon per modifier, drawn roughly to scale, and the beam from the light
to what it lights.

An icon is drawn in the light's own frame (origin at the light, +x toward its target) and placed
by the caller's ``translate`` and ``rotate``; a beam is drawn in the diagram's frame. Lengths are
viewBox units; a light that is off is drawn in grey with dashed strokes.
"""

from __future__ import annotations

import math

from lightrig.lighting.modifiers import Modifier
from lightrig.render.diagram.placement import Placed
from lightrig.render.diagram.svg import num, tag

__all__ = ["beam", "icon"]


def icon(p: Placed) -> list[str]:
    """The modifier's icon in the light's own frame: origin at the light, +x toward its target."""
    stroke = p.accent
    fill = p.accent
    half = p.face / 2.0
    line: dict[str, str | float] = {"stroke": stroke, "stroke-width": 1.5}
    if not p.on:
        line["stroke-dasharray"] = "3 2"
    soft: dict[str, str | float] = {**line, "fill": fill, "fill-opacity": 0.18}
    face_line: dict[str, str | float] = {**line, "stroke-width": 3.0}
    modifier = p.light.modifier
    out: list[str] = []
    if modifier is Modifier.SOFTBOX:
        depth = max(6.0, 0.45 * half)
        out.append(tag("rect", {"x": -depth, "y": -half, "width": depth, "height": p.face, **soft}))
        out.append(tag("line", {"x1": 0.0, "y1": -half, "x2": 0.0, "y2": half, **face_line}))
        out.append(tag("circle", {"cx": -depth - 3.0, "cy": 0.0, "r": 3.0, **soft}))
    elif modifier is Modifier.OCTABOX:
        points = " ".join(
            f"{num(half * math.cos(math.radians(22.5 + 45 * k)))},"
            f"{num(half * math.sin(math.radians(22.5 + 45 * k)))}"
            for k in range(8)
        )
        out.append(tag("polygon", {"points": points, **soft}))
        edge = half * math.cos(math.radians(22.5))
        rise = half * math.sin(math.radians(22.5))
        out.append(tag("line", {"x1": edge, "y1": -rise, "x2": edge, "y2": rise, **face_line}))
    elif modifier is Modifier.STRIP_BOX:
        depth = max(5.0, p.face / 6.0)
        out.append(tag("rect", {"x": -depth, "y": -half, "width": depth, "height": p.face, **soft}))
        out.append(tag("line", {"x1": 0.0, "y1": -half, "x2": 0.0, "y2": half, **face_line}))
    elif modifier is Modifier.BEAUTY_DISH:
        out.append(tag("circle", {"cx": 0.0, "cy": 0.0, "r": half, **soft}))
        dot = max(1.5, half / 5.0)
        out.append(tag("circle", {"cx": 0.0, "cy": 0.0, "r": dot, "fill": fill}))
    elif modifier is Modifier.UMBRELLA:
        bow = 0.6 * half
        arc = f"M 0 {num(-half)} Q {num(-2.0 * bow)} 0 0 {num(half)}"
        out.append(tag("path", {"d": arc, **soft}))
        out.append(tag("line", {"x1": -bow, "y1": 0.0, "x2": 0.35 * half, "y2": 0.0, **line}))
        out.append(tag("circle", {"cx": 0.35 * half, "cy": 0.0, "r": 2.5, "fill": fill}))
    elif modifier is Modifier.REFLECTOR:
        bar: dict[str, str | float] = {**line, "fill": fill, "fill-opacity": 0.55}
        out.append(tag("rect", {"x": -4.0, "y": -half, "width": 4.0, "height": p.face, **bar}))
    elif modifier is Modifier.WINDOW:
        pane: dict[str, str | float] = {**line, "fill": "#e7f5ff", "fill-opacity": 0.9}
        out.append(tag("rect", {"x": -8.0, "y": -half, "width": 8.0, "height": p.face, **pane}))
        for k in (1, 2, 3):
            y = -half + p.face * k / 4.0
            out.append(tag("line", {"x1": -8.0, "y1": y, "x2": 0.0, "y2": y, **line}))
        out.append(tag("line", {"x1": -4.0, "y1": -half, "x2": -4.0, "y2": half, **line}))
    elif modifier is Modifier.SCRIM:
        dashed: dict[str, str | float] = {**soft, "stroke-dasharray": "4 2"}
        out.append(tag("rect", {"x": -6.0, "y": -half, "width": 6.0, "height": p.face, **dashed}))
    elif modifier is Modifier.OVERCAST:
        cloud: dict[str, str | float] = {**soft, "stroke-dasharray": "5 3"}
        out.append(tag("ellipse", {"cx": 0.0, "cy": 0.0, "rx": 0.45 * half, "ry": half, **cloud}))
    elif modifier is Modifier.BARE:
        out.append(tag("path", {"d": "M -1 -4 L 7 -9 L 7 9 L -1 4 Z", **soft}))
        out.append(tag("circle", {"cx": -5.0, "cy": 0.0, "r": 5.0, **soft}))
    elif modifier is Modifier.FRESNEL:
        out.append(tag("rect", {"x": -10.0, "y": -6.0, "width": 12.0, "height": 12.0, **soft}))
        out.append(tag("line", {"x1": 3.0, "y1": -6.0, "x2": 3.0, "y2": 6.0, **face_line}))
    elif modifier is Modifier.SNOOT:
        out.append(tag("circle", {"cx": -6.0, "cy": 0.0, "r": 5.0, **soft}))
        out.append(tag("rect", {"x": -1.0, "y": -2.5, "width": 11.0, "height": 5.0, **soft}))
    else:  # no modifier named: a generic lamp
        out.append(tag("circle", {"cx": 0.0, "cy": 0.0, "r": max(6.0, half), **soft}))
        out.append(tag("circle", {"cx": 0.0, "cy": 0.0, "r": 2.5, "fill": fill}))
    return out


def beam(p: Placed) -> str:
    """A wedge from the light's face to what it lights, with its axis as a thin line."""
    dx, dy = p.target_x - p.x, p.target_y - p.y
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    half = min(p.face / 2.0, 14.0)
    axis: dict[str, str | float] = {
        "x1": p.x,
        "y1": p.y,
        "x2": p.target_x,
        "y2": p.target_y,
        "stroke": p.accent,
        "stroke-width": 1.0,
        "stroke-opacity": 0.6 if p.on else 0.8,
    }
    attrs = {"id": f"beam-{p.role.value}", "data-role": p.role.value}
    if not p.on:
        axis["stroke-dasharray"] = "3 3"
        return tag("g", attrs, tag("line", axis))
    points = " ".join(
        f"{num(x)},{num(y)}"
        for x, y in (
            (p.x + nx * half, p.y + ny * half),
            (p.target_x, p.target_y),
            (p.x - nx * half, p.y - ny * half),
        )
    )
    wedge = tag("polygon", {"points": points, "fill": p.accent, "fill-opacity": 0.1})
    return tag("g", attrs, wedge + tag("line", axis))
