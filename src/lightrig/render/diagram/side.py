"""The side (elevation) view of a setup, as a standalone SVG document: the floor, the subject at
its eye height, every light on its stand labelled with the stand's height in metres, the camera
at its angle's height on its tripod, the backdrop, and a height scale.

Where things stand is :mod:`.side_frame`'s (lights unfolded onto one plane at their floor
distances, one scale both ways); the numbers are :mod:`lightrig.lighting.stands`'s. Labels go
where :func:`~.layout.place_label` finds them room, as on the plan, and never overlap one
another. The document uses only what :func:`~.raster.rasterise_diagram` draws, so the same view
can be a picture (:func:`~.raster.diagram_png`). The same request always gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import ACCENTS, FONT, INK, MUTED, OFF_GREY
from lightrig.render.diagram.labels import label_plate
from lightrig.render.diagram.layout import place_label
from lightrig.render.diagram.measure import text_width
from lightrig.render.diagram.side_frame import (
    SIDE_BOTTOM,
    SIDE_H,
    SIDE_LEFT,
    SIDE_RIGHT,
    SIDE_TOP,
    SIDE_W,
    SideFrame,
    SideLight,
    SideScene,
    side_scene,
)
from lightrig.render.diagram.svg import esc, num, tag
from lightrig.render.diagram.wording import distance_text, role_title, signed_degrees

__all__ = ["side_view_svg", "stand_label"]

_LABEL_FONT = 10.5  # px
_LINE_H = 13.0  # px
_PAD = 3.0  # px
#: The half-size (px) of a light's head drawn on its stand, and the longest its face is drawn.
_HEAD_PX = 5.0
_FACE_MAX_PX = 36.0
_FACE_MIN_PX = 8.0
_STAND = "#868e96"
_GRID = "#e9ecef"


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A light's head on the drawing, for the label layout."""

    x: float
    y: float
    extent: float
    outward: tuple[float, float]


def stand_label(light: SideLight) -> tuple[str, str]:
    """The two lines of a light's label: ``"Key · 2.35 m"`` (its centre's height above the
    floor) and ``"+30° · 1.3 m from subject"`` (its elevation and its floor distance)."""
    height = light.stand.height
    first = f" · {distance_text(height)}" if height >= 0.0 else " · below the floor"
    if not light.on:
        first += " · off"
    second = (
        f"{signed_degrees(light.light.elevation or 0.0)} · "
        f"{distance_text(abs(light.along))} from subject"
    )
    return first, second


def _height_scale(frame: SideFrame, eye_height: float) -> tuple[str, list[Box]]:
    """Faint lines every so many metres up (the first of 0.25, 0.5, 1, 2, 5, 10, 20, 50 m that
    keeps them 28 px apart), each named on the left but where the eyes' height is."""
    step = next(
        (s for s in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0) if s * frame.scale >= 28.0),
        100.0,
    )
    parts, boxes = [], []
    k = math.ceil(frame.bottom_m / step - 1e-9)
    while k * step <= frame.top_m + 1e-9:
        metres = k * step
        y = frame.y(metres)
        if SIDE_TOP - 0.5 <= y <= SIDE_BOTTOM + 0.5 and abs(y - frame.y(eye_height)) >= 11.0:
            line = {"x1": SIDE_LEFT, "y1": y, "x2": SIDE_RIGHT, "y2": y}
            parts.append(tag("line", {**line, "stroke": _GRID, "stroke-width": 0.75}))
            words = distance_text(metres) if metres >= 0 else f"−{distance_text(-metres)}"
            parts.append(
                tag(
                    "text",
                    {
                        "x": SIDE_LEFT - 5.0,
                        "y": y + 3.5,
                        "font-size": 9.0,
                        "fill": MUTED,
                        "text-anchor": "end",
                    },
                    esc(words),
                )
            )
            width = text_width(words, 9.0)
            boxes.append(Box(SIDE_LEFT - 6.0 - width, y - 7.0, SIDE_LEFT - 4.0, y + 5.0))
        k += 1
    attrs = {"id": "height-scale", "data-step": f"{step:g}"}
    return tag("g", attrs, "".join(parts)), boxes


def _floor(frame: SideFrame) -> tuple[str, list[Box]]:
    """The floor: a line across with hatching under it, and its name at the right."""
    y = frame.y(0.0)
    parts = [
        tag(
            "line",
            {
                "x1": SIDE_LEFT,
                "y1": y,
                "x2": SIDE_RIGHT,
                "y2": y,
                "stroke": INK,
                "stroke-width": 1.5,
            },
        )
    ]
    x = SIDE_LEFT + 4.0
    while x < SIDE_RIGHT:
        parts.append(
            tag(
                "line",
                {
                    "x1": x,
                    "y1": y + 1.0,
                    "x2": x - 5.0,
                    "y2": y + 6.0,
                    "stroke": "#adb5bd",
                    "stroke-width": 0.75,
                },
            )
        )
        x += 10.0
    parts.append(
        tag(
            "text",
            {"x": SIDE_RIGHT, "y": y + 15.0, "font-size": 9.0, "fill": MUTED, "text-anchor": "end"},
            "floor",
        )
    )
    boxes = [
        Box(SIDE_LEFT, y - 2.0, SIDE_RIGHT, y + 7.0),
        Box(SIDE_RIGHT - text_width("floor", 9.0) - 2.0, y + 7.0, SIDE_RIGHT, y + 18.0),
    ]
    return tag("g", {"id": "floor", "data-y": num(y)}, "".join(parts)), boxes


def _backdrop(request: SceneRequest, frame: SideFrame) -> tuple[str, list[Box]]:
    """The backdrop standing ``background_distance`` metres behind the subject, in its colour
    (dashed and empty when it has none), named at its top."""
    x = frame.x(-request.background_distance)
    top = SIDE_TOP
    bottom = frame.y(0.0)
    band: dict[str, str | float] = {
        "x": x - 5.0,
        "y": top,
        "width": 5.0,
        "height": max(bottom - top, 1.0),
        "stroke": "#868e96",
        "stroke-width": 1.0,
    }
    if request.backdrop_color is None:
        band.update({"fill": "none", "stroke-dasharray": "6 3"})
        words = "background"
    else:
        band["fill"] = request.backdrop_color
        words = "backdrop"
    text = tag("text", {"x": x + 4.0, "y": top + 9.0, "font-size": 9.0, "fill": MUTED}, esc(words))
    boxes = [
        Box(x - 6.0, top, x + 1.0, bottom),
        Box(x + 2.0, top, x + 6.0 + text_width(words, 9.0), top + 12.0),
    ]
    attrs = {"id": "side-backdrop", "data-distance": f"{request.background_distance:g}"}
    return tag("g", attrs, tag("rect", band) + text), boxes


def _subject(scene: SideScene, frame: SideFrame) -> tuple[str, list[Box]]:
    """The subject in profile facing the camera, scaled to its eye height (neck, shoulders and
    hips at fixed fractions of it), with the eye level dashed across and named on the height
    scale."""
    eye = scene.eye_height

    def at(across: float, up: float) -> str:
        return f"{num(frame.x(across * eye))},{num(frame.y(up * eye))}"

    body = [
        (-0.028, 0.945),
        (0.028, 0.945),
        (0.075, 0.875),
        (0.08, 0.55),
        (0.05, 0.0),
        (-0.05, 0.0),
        (-0.08, 0.55),
        (-0.088, 0.875),
    ]
    head_x, head_y = frame.x(0.0), frame.y(1.01 * eye)
    rx, ry = 0.053 * eye * frame.scale, 0.072 * eye * frame.scale
    nose = [(0.05, 1.005), (0.072, 0.985), (0.05, 0.97)]
    eye_y = frame.y(eye)
    eye_words = f"eyes {distance_text(eye)}"
    parts = [
        tag(
            "line",
            {
                "x1": SIDE_LEFT,
                "y1": eye_y,
                "x2": SIDE_RIGHT,
                "y2": eye_y,
                "stroke": "#ced4da",
                "stroke-width": 0.75,
                "stroke-dasharray": "4 4",
            },
        ),
        tag(
            "polygon",
            {
                "points": " ".join(at(a, u) for a, u in body),
                "fill": "#dee2e6",
                "stroke": "#868e96",
                "stroke-width": 1.0,
            },
        ),
        tag(
            "ellipse",
            {
                "cx": head_x,
                "cy": head_y,
                "rx": max(rx, 1.5),
                "ry": max(ry, 2.0),
                "fill": "#f8f9fa",
                "stroke": "#495057",
                "stroke-width": 1.25,
            },
        ),
        tag("polygon", {"points": " ".join(at(a, u) for a, u in nose), "fill": "#495057"}),
        tag(
            "text",
            {
                "x": SIDE_LEFT - 5.0,
                "y": eye_y + 3.5,
                "font-size": 9.0,
                "fill": INK,
                "text-anchor": "end",
            },
            esc(eye_words),
        ),
    ]
    half = max(0.09 * eye * frame.scale, rx, 3.0)
    boxes = [
        Box(head_x - half - 2.0, head_y - max(ry, 2.0) - 2.0, head_x + half + 2.0, frame.y(0.0)),
        Box(
            SIDE_LEFT - 6.0 - text_width(eye_words, 9.0), eye_y - 7.0, SIDE_LEFT - 4.0, eye_y + 5.0
        ),
    ]
    attrs = {"id": "side-subject", "data-eye-height": f"{eye:g}", "data-eye-y": num(eye_y)}
    return tag("g", attrs, "".join(parts)), boxes


def _camera(
    request: SceneRequest, scene: SideScene, frame: SideFrame
) -> tuple[str, list[Box], _Anchor]:
    """The camera at its angle's height on a tripod, its lens toward the subject and the line
    of sight to the eyes dashed; the boxes labels keep clear of, and where its label goes
    around."""
    x, y = frame.x(scene.camera_distance), frame.y(scene.camera_height)
    floor = frame.y(0.0)
    eye_x, eye_y = frame.x(0.0), frame.y(scene.eye_height)
    body: dict[str, str | float] = {"fill": INK, "stroke": "none"}
    leg: dict[str, str | float] = {"stroke": "#495057", "stroke-width": 1.25}
    parts = [
        tag(
            "line",
            {
                "x1": x - 14.0,
                "y1": y,
                "x2": eye_x,
                "y2": eye_y,
                "stroke": "#adb5bd",
                "stroke-width": 0.75,
                "stroke-dasharray": "5 4",
            },
        )
    ]
    for foot in (-9.0, 0.0, 9.0):
        parts.append(tag("line", {"x1": x, "y1": y + 6.0, "x2": x + foot, "y2": floor, **leg}))
    parts.append(tag("rect", {"x": x - 8.0, "y": y - 6.0, "width": 16.0, "height": 12.0, **body}))
    parts.append(tag("rect", {"x": x - 14.0, "y": y - 4.0, "width": 6.0, "height": 8.0, **body}))
    boxes = [Box(x - 15.0, y - 7.0, x + 9.0, y + 7.0), Box(x - 10.0, y + 7.0, x + 10.0, floor)]
    return "".join(parts), boxes, _Anchor(x, y, 15.0, (1.0, 0.0))


def _camera_lines(request: SceneRequest, scene: SideScene) -> tuple[str, str]:
    """The camera's label: ``" · 1.6 m"`` (its height) and ``"eye-level · 1.77 m away"``."""
    return (
        f" · {distance_text(scene.camera_height)}",
        f"{request.camera_settings.camera_angle} · {distance_text(scene.camera_distance)} away",
    )


def _accent(light: SideLight) -> str:
    return ACCENTS[light.role] if light.on else OFF_GREY


def _light_svg(light: SideLight, frame: SideFrame) -> tuple[str, list[Box], _Anchor]:
    """A light's stand (a vertical line with feet) and its head facing what it lights."""
    x, y = frame.x(light.along), frame.y(light.stand.height)
    floor = frame.y(0.0)
    accent = _accent(light)
    size = light.light.modifier_size or 0.0
    face = min(max(size * frame.scale, _FACE_MIN_PX), _FACE_MAX_PX)
    aim = math.degrees(math.atan2(frame.y(light.aim_height) - y, frame.x(light.aim_along) - x))
    stroke: dict[str, str | float] = {"stroke": _STAND, "stroke-width": 1.5}
    parts = []
    if light.stand.below_floor:
        line = {"x1": x, "y1": y, "x2": x, "y2": floor}
        parts.append(tag("line", {**line, **stroke, "stroke-dasharray": "2 3"}))
    else:
        parts.append(tag("line", {"x1": x, "y1": y + _HEAD_PX, "x2": x, "y2": floor, **stroke}))
        for foot in (-7.0, 7.0):
            feet = {"x1": x, "y1": max(floor - 7.0, y + _HEAD_PX), "x2": x + foot, "y2": floor}
            parts.append(tag("line", {**feet, **stroke, "stroke-width": 1.0}))
    line_style: dict[str, str | float] = {"stroke": accent, "stroke-width": 1.5}
    if not light.on:
        line_style["stroke-dasharray"] = "3 2"
    head = tag(
        "rect",
        {
            "x": -9.0,
            "y": -4.0,
            "width": 9.0,
            "height": 8.0,
            "fill": accent,
            "fill-opacity": 0.25,
            **line_style,
        },
    ) + tag(
        "line",
        {
            "x1": 0.0,
            "y1": -face / 2.0,
            "x2": 0.0,
            "y2": face / 2.0,
            **line_style,
            "stroke-width": 3.0,
        },
    )
    parts.append(
        tag(
            "g",
            {"class": "head", "transform": f"translate({num(x)} {num(y)}) rotate({num(aim)})"},
            head,
        )
    )
    extent = max(face / 2.0, 9.0) + 1.0
    boxes = [Box.around(x, y, extent), Box(x - 2.0, y + extent, x + 2.0, floor)]
    # labels go above the light first, in the air over the stands, then turned to its sides
    outward = (0.0, -1.0)
    return "".join(parts), boxes, _Anchor(x, y, extent, outward)


def _label_size(lines: tuple[str, str], name: str) -> tuple[float, float]:
    """Width and height (px) of a label whose first line is ``name`` in bold then
    ``lines[0]``, its second ``lines[1]``, with its padding."""
    first = text_width(name, _LABEL_FONT, bold=True) + text_width(lines[0], _LABEL_FONT)
    second = text_width(lines[1], _LABEL_FONT - 1.0)
    return max(first, second) + 2 * _PAD, 2 * _LINE_H + 2 * _PAD


def _label_svg(
    name: str, lines: tuple[str, str], anchor: _Anchor, box: Box, *, accent: str, colour: str
) -> str:
    """A label drawn in ``box``: ``name`` bold in ``accent`` then ``lines[0]``, ``lines[1]``
    below, in ``colour``; a leader line to the ``anchor`` when the label sits away from it."""
    parts = label_plate(box, anchor.x, anchor.y, anchor.extent, accent)
    x = box.x0 + _PAD
    base = box.y0 + _PAD + 10.0
    head = tag("tspan", {"font-weight": "bold", "fill": accent}, esc(name))
    parts.append(
        tag(
            "text",
            {"x": x, "y": base, "font-size": _LABEL_FONT, "fill": colour},
            head + tag("tspan", {"class": "stand-height"}, esc(lines[0])),
        )
    )
    parts.append(
        tag(
            "text",
            {"x": x, "y": base + _LINE_H, "font-size": _LABEL_FONT - 1.0, "fill": colour},
            esc(lines[1]),
        )
    )
    attrs = {
        "class": "label",
        "data-x0": num(box.x0),
        "data-y0": num(box.y0),
        "data-x1": num(box.x1),
        "data-y1": num(box.y1),
    }
    return tag("g", attrs, "".join(parts))


def _describe(request: SceneRequest, scene: SideScene) -> str:
    """The side view in sentences, for the SVG's ``<desc>``."""
    parts = [
        "Side view: the floor at the bottom, the backdrop on the left, the camera on the right; "
        "every light on its stand at its floor distance from the subject (toward the camera "
        "for a light in front, toward the backdrop for one behind).",
        f"Subject's eyes {distance_text(scene.eye_height)} above the floor.",
    ]
    for light in scene.lights:
        state = "" if light.on else " (off)"
        height = light.stand.height
        where = "in front of" if light.in_front else "behind"
        standing = (
            f"centre {distance_text(height)} above the floor"
            if height >= 0.0
            else f"centre {distance_text(-height)} below the floor"
        )
        parts.append(
            f"{role_title(light.role)}{state}: {standing}, "
            f"{distance_text(abs(light.along))} {where} the subject along the floor, "
            f"elevation {signed_degrees(light.light.elevation or 0.0)}."
        )
    parts.append(
        f"Camera ({request.camera_settings.camera_angle}): "
        f"{distance_text(scene.camera_height)} high, "
        f"{distance_text(scene.camera_distance)} in front of the subject."
    )
    return " ".join(parts)


def side_view_svg(request: SceneRequest, *, width: int = 720) -> str:
    """The side (elevation) view of ``request``'s setup, as a complete standalone SVG document.

    The floor, the subject at ``subject_eye_height``, each positioned light (the ambient has no
    stand) on its stand at its height above the floor and its floor distance from the subject,
    labelled ``"Key · 2.35 m"`` (the stand's height, metres) and ``"+30° · 1.3 m from subject"``;
    the camera at its angle's height and its framing's working distance; the backdrop; a
    height scale. ``width`` is the rendered width in pixels; the height is ``width`` × 300 / 720
    and the ``viewBox`` is always 720 × 300.

    Each light's group carries ``id="side-light-<role>"`` and ``data-role``, ``data-height``
    and ``data-floor-distance`` (metres), ``data-along`` (metres along the floor, positive toward
    the camera), ``data-elevation`` (degrees), ``data-enabled`` and ``data-x`` / ``data-y``
    (where its head is drawn, viewBox units). The same request always gives the same bytes.
    """
    if width <= 0:
        raise ValueError(f"width must be a positive number of pixels, not {width}")
    scene = side_scene(request)
    frame = SideFrame.fitted(scene)
    scale_svg, scale_boxes = _height_scale(frame, scene.eye_height)
    floor_svg, floor_boxes = _floor(frame)
    backdrop_svg, backdrop_boxes = _backdrop(request, frame)
    subject_svg, subject_boxes = _subject(scene, frame)
    camera_svg, camera_boxes, camera_anchor = _camera(request, scene, frame)
    drawn = [(light, *_light_svg(light, frame)) for light in scene.lights]
    obstacles = [
        *scale_boxes,
        *floor_boxes,
        *backdrop_boxes,
        *subject_boxes,
        *camera_boxes,
        *(box for _, _, boxes, _ in drawn for box in boxes),
    ]
    bounds = Box(SIDE_LEFT, 4.0, SIDE_W - 4.0, SIDE_H - 4.0)
    placed: list[Box] = []

    # the camera's words first (they are short and belong by it), then the lights', key first:
    # the most important light gets the best place
    lines = _camera_lines(request, scene)
    box = place_label(camera_anchor, *_label_size(lines, "Camera"), obstacles, bounds=bounds)
    placed.append(box)
    camera_label = _label_svg("Camera", lines, camera_anchor, box, accent=INK, colour=INK)
    camera_attrs = {
        "id": "side-camera",
        "data-height": f"{scene.camera_height:.4f}",
        "data-distance": f"{scene.camera_distance:.4f}",
        "data-angle": str(request.camera_settings.camera_angle),
        "data-x": num(camera_anchor.x),
        "data-y": num(camera_anchor.y),
    }
    groups = []
    for light, svg, _, anchor in drawn:
        lines = stand_label(light)
        name = role_title(light.role)
        box = place_label(anchor, *_label_size(lines, name), obstacles, placed, bounds=bounds)
        placed.append(box)
        attrs = {
            "id": f"side-light-{light.role.value}",
            "class": "light" if light.on else "light off",
            "data-role": light.role.value,
            "data-height": f"{light.stand.height:.4f}",
            "data-floor-distance": f"{light.stand.floor_distance:.4f}",
            "data-along": f"{light.along:.4f}",
            "data-elevation": f"{light.light.elevation or 0.0:g}",
            "data-enabled": "true" if light.on else "false",
            "data-x": num(anchor.x),
            "data-y": num(anchor.y),
        }
        colour = INK if light.on else OFF_GREY
        label = _label_svg(name, lines, anchor, box, accent=_accent(light), colour=colour)
        groups.append(tag("g", attrs, svg + label))

    title = f"Side view: subject's eyes at {distance_text(scene.eye_height)}"
    height = round(width * SIDE_H / SIDE_W)
    svg_attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "version": "1.1",
        "width": str(width),
        "height": str(height),
        "viewBox": f"0 0 {num(SIDE_W)} {num(SIDE_H)}",
        "role": "img",
        "aria-labelledby": "side-title side-desc",
        "font-family": FONT,
        "data-scale": f"{frame.scale:.4f}",
    }
    body = "\n".join(
        [
            tag("title", {"id": "side-title"}, esc(title)),
            tag("desc", {"id": "side-desc"}, esc(_describe(request, scene))),
            tag("rect", {"x": 0.0, "y": 0.0, "width": SIDE_W, "height": SIDE_H, "fill": "#fff"}),
            scale_svg,
            floor_svg,
            backdrop_svg,
            subject_svg,
            tag("g", camera_attrs, camera_svg + camera_label),
            tag("g", {"id": "side-lights"}, "\n".join(groups)),
        ]
    )
    document = tag("svg", svg_attrs, f"\n{body}\n")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n'
