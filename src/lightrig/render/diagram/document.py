"""The diagram as one standalone SVG document: every part placed, labelled and written in a
fixed order, so the same request always gives the same bytes."""

from __future__ import annotations

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.diagram_scale import diagram_radius
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import (
    CX,
    CY,
    FONT,
    HEIGHT_PER_WIDTH,
    ROLE_ORDER,
    SUBJECT_R,
    VIEW_H,
    VIEW_W,
)
from lightrig.render.diagram.description import describe
from lightrig.render.diagram.figures import camera, subject
from lightrig.render.diagram.icons import beam, icon
from lightrig.render.diagram.labels import label_for, label_svg
from lightrig.render.diagram.layout import place_label
from lightrig.render.diagram.legend import legend
from lightrig.render.diagram.placement import place
from lightrig.render.diagram.stage import backdrop, orientation_hints, scale_rings
from lightrig.render.diagram.svg import esc, num, tag

__all__ = ["lighting_diagram"]


def lighting_diagram(
    request: SceneRequest, analysis: LightingAnalysis | None = None, *, width: int = 720
) -> str:
    """A top-down SVG diagram of ``request``'s setup, as a complete standalone document.

    Lights are placed by azimuth (degrees, 0 at the camera, positive camera-right) and distance
    (metres, through :func:`~lightrig.lighting.diagram_scale.diagram_radius`); labels give each
    light's angle, height (degrees above eye level), distance, modifier and size (cm), and
    colour temperature (kelvin) with a swatch as the camera's white balance renders it.
    ``analysis`` is computed when not given. ``width`` is the rendered width in pixels; the
    height is 0.8 × width and the ``viewBox`` is always 720 × 576. The same request always gives
    the same bytes.

    Each light's group carries ``id="light-<role>"`` and ``data-role``, ``data-azimuth``
    (degrees), ``data-elevation`` (degrees), ``data-distance`` (metres), ``data-kelvin``,
    ``data-enabled`` and ``data-x`` / ``data-y`` (where it is drawn, viewBox units).
    """
    if width <= 0:
        raise ValueError(f"width must be a positive number of pixels, not {width}")
    if analysis is None:
        analysis = LightingAnalyzer().analyze(request)
    white_balance = request.camera_settings.white_balance
    height = round(width * HEIGHT_PER_WIDTH)

    positioned = sorted(
        (
            (role, light)
            for role, light in request.lighting_setup.items()
            if role is not LightType.AMBIENT
        ),
        key=lambda item: ROLE_ORDER.index(item[0]),
    )
    placed = [place(role, light, request) for role, light in positioned]

    backdrop_svg, backdrop_boxes = backdrop(request)
    camera_svg, camera_boxes = camera(request)
    hints_svg, hint_boxes = orientation_hints()
    subject_box = Box.around(CX, CY, SUBJECT_R + 4.0)
    obstacles: list[Box] = [
        subject_box,
        *backdrop_boxes,
        *camera_boxes,
        *hint_boxes,
        *(p.icon_box for p in placed),
    ]
    labels: dict[LightType, str] = {}
    label_boxes: list[Box] = []
    for p in placed:  # key first: the most important light gets the best place
        label = label_for(p, white_balance)
        w, h = label.size
        box = place_label(p, w, h, obstacles, label_boxes)
        label_boxes.append(box)
        labels[p.role] = label_svg(p, label, box)

    # higher lights are drawn over lower ones, as seen from above
    drawing_order = sorted(
        placed,
        key=lambda p: (
            p.light.elevation if p.light.elevation is not None else 0.0,
            ROLE_ORDER.index(p.role),
        ),
    )
    groups = []
    for p in drawing_order:
        light = p.light
        attrs = {
            "id": f"light-{p.role.value}",
            "class": "light" if p.on else "light off",
            "data-role": p.role.value,
            "data-azimuth": f"{light.azimuth or 0.0:g}",
            "data-elevation": f"{light.elevation or 0.0:g}",
            "data-distance": f"{light.distance:g}",
            "data-kelvin": f"{light.color_temperature:g}",
            "data-enabled": "true" if p.on else "false",
            "data-x": num(p.x),
            "data-y": num(p.y),
        }
        icon_attrs: dict[str, str | float] = {
            "class": "icon",
            "transform": f"translate({num(p.x)} {num(p.y)}) rotate({num(p.rotation)})",
        }
        if not p.on:
            icon_attrs["opacity"] = 0.7
        icon_svg = tag("g", icon_attrs, "".join(icon(p)))
        groups.append(tag("g", attrs, icon_svg + labels[p.role]))

    title = "Lighting diagram: " + (" · ".join(analysis.pattern_names) or str(analysis.pattern))
    svg_attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "version": "1.1",
        "width": str(width),
        "height": str(height),
        "viewBox": f"0 0 {num(VIEW_W)} {num(VIEW_H)}",
        "role": "img",
        "aria-labelledby": "diagram-title diagram-desc",
        "font-family": FONT,
    }
    body = "\n".join(
        [
            tag("title", {"id": "diagram-title"}, esc(title)),
            tag("desc", {"id": "diagram-desc"}, esc(describe(request, analysis))),
            tag("rect", {"x": 0.0, "y": 0.0, "width": VIEW_W, "height": VIEW_H, "fill": "#fff"}),
            scale_rings(placed, CY - diagram_radius(request.background_distance)),
            backdrop_svg,
            tag("g", {"id": "beams"}, "".join(beam(p) for p in drawing_order)),
            camera_svg,
            subject(request),
            tag("g", {"id": "lights"}, "\n".join(groups)),
            hints_svg,
            legend(request, analysis, white_balance),
        ]
    )
    document = tag("svg", svg_attrs, f"\n{body}\n")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n'
