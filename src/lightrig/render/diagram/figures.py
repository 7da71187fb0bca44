"""The two figures at fixed places: the subject at the centre seen from above (shoulders, head
and a nose that shows where the face points) and the camera at the bottom with its field of
view.

The subject's yaw uses the lights' azimuth convention (degrees, positive toward camera-right);
the camera's angle of view is its ``fov`` in degrees. Lengths are viewBox units.
"""

from __future__ import annotations

import math

from lightrig.lighting.diagram_scale import ICON_MAX_PX, MAX_DISTANCE_M, diagram_radius
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import CX, CY, INK
from lightrig.render.diagram.measure import text_width
from lightrig.render.diagram.svg import esc, num, tag

__all__ = ["camera", "camera_y", "subject"]

_HEAD_RX = 14.0
_HEAD_RY = 17.0
_SHOULDER_RX = 30.0
_SHOULDER_RY = 11.0
_CAMERA_GAP_PX = 14.0  # between the farthest possible icon and the camera


def camera_y() -> float:
    """The camera's fixed place: straight below the subject, beyond the farthest light."""
    return CY + diagram_radius(MAX_DISTANCE_M) + ICON_MAX_PX / 2.0 + _CAMERA_GAP_PX


def camera(request: SceneRequest) -> tuple[str, list[Box]]:
    """The camera below the subject, its angle of view dashed, with its focal length (mm) and
    aperture beside it; and the boxes labels must keep clear of."""
    settings = request.camera_settings
    y = camera_y()
    lens_top = y - 18.0
    half_fov = math.radians((settings.fov or 0.0) / 2.0)
    reach = (lens_top - CY) / max(math.cos(half_fov), 0.2)
    parts = []
    for side in (-1.0, 1.0):
        parts.append(
            tag(
                "line",
                {
                    "x1": CX,
                    "y1": lens_top,
                    "x2": CX + side * reach * math.sin(half_fov),
                    "y2": lens_top - reach * math.cos(half_fov),
                    "stroke": "#adb5bd",
                    "stroke-width": 0.75,
                    "stroke-dasharray": "5 4",
                },
            )
        )
    body: dict[str, str | float] = {"fill": INK, "stroke": "none"}
    parts.append(
        tag("rect", {"x": CX - 17, "y": y - 8, "width": 34, "height": 20, "rx": 3, **body})
    )
    parts.append(tag("rect", {"x": CX - 8, "y": y - 18, "width": 16, "height": 11, **body}))
    parts.append(tag("circle", {"cx": CX, "cy": y + 2, "r": 5.0, "fill": "#868e96"}))
    words = f"{round(settings.focal_length_mm):d} mm · f/{settings.aperture:g}"
    parts.append(
        tag(
            "text",
            {"x": CX + 24.0, "y": y + 1.0, "font-size": 11.0, "fill": INK, "font-weight": "bold"},
            "Camera",
        )
    )
    parts.append(
        tag(
            "text",
            {"x": CX + 24.0, "y": y + 14.0, "font-size": 10.5, "fill": INK},
            esc(words),
        )
    )
    attrs = {
        "id": "camera",
        "data-focal-length": f"{settings.focal_length_mm:g}",
        "data-aperture": f"{settings.aperture:g}",
    }
    width = max(text_width("Camera", 11.0, bold=True), text_width(words, 10.5))
    boxes = [
        Box(CX - 19.0, y - 20.0, CX + 19.0, y + 14.0),
        Box(CX + 22.0, y - 10.0, CX + 26.0 + width, y + 18.0),
    ]
    return tag("g", attrs, "".join(parts)), boxes


def _rotate(x: float, y: float, degrees: float) -> tuple[float, float]:
    """(``x``, ``y``) turned ``degrees`` clockwise on screen about the origin."""
    t = math.radians(degrees)
    return x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)


def subject(request: SceneRequest) -> str:
    """The subject from above, turned by ``request.subject_yaw`` (degrees, positive toward
    camera-right)."""
    yaw = request.subject_yaw
    turn = -yaw  # SVG rotates clockwise on screen; the nose (+y) must swing toward +x for +yaw
    transform = f"rotate({num(turn)} {num(CX)} {num(CY)})"
    shoulders = tag(
        "ellipse",
        {
            "cx": CX,
            "cy": CY - 2.0,
            "rx": _SHOULDER_RX,
            "ry": _SHOULDER_RY,
            "fill": "#dee2e6",
            "stroke": "#868e96",
            "stroke-width": 1.0,
            "transform": transform,
        },
    )
    head = tag(
        "ellipse",
        {
            "cx": CX,
            "cy": CY,
            "rx": _HEAD_RX,
            "ry": _HEAD_RY,
            "fill": "#f8f9fa",
            "stroke": "#495057",
            "stroke-width": 1.5,
            "transform": transform,
        },
    )
    nose_points = []
    for lx, ly in ((-4.0, _HEAD_RY - 2.0), (0.0, _HEAD_RY + 6.0), (4.0, _HEAD_RY - 2.0)):
        rx, ry = _rotate(lx, ly, turn)
        nose_points.append(f"{num(CX + rx)},{num(CY + ry)}")
    nose = tag(
        "polygon",
        {"class": "nose", "points": " ".join(nose_points), "fill": "#495057"},
    )
    attrs = {
        "id": "subject",
        "data-x": num(CX),
        "data-y": num(CY),
        "data-yaw": f"{yaw:g}",
    }
    return tag("g", attrs, shoulders + head + nose)
