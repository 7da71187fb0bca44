"""A top-down lighting diagram of a setup, as a standalone SVG document.

The studio is drawn from above, the way photographers sketch a setup: the subject's head at the
centre (its nose marks where the face points), the camera at the bottom centre looking up at it,
the backdrop as a band behind the subject at the top, and every positioned light around the
subject with an icon for its modifier, a beam toward what it lights and a label ("Key · 45° R ·
+30°", "1.5 m · softbox 90 cm", a kelvin swatch and "5600 K"). A panel on the right holds the
pattern names, the lit:shadow ratio, the rating, the ambient light and the camera.

Frame. The drawing works in a fixed 720 × 576 ``viewBox``; ``width`` only sets the rendered size
(height is 0.8 × width). The subject sits at (270, 266), the camera at (270, 539). A light at
azimuth ``a`` (degrees, 0 at the camera, positive toward camera-right, ±180 behind) and distance
``d`` (metres) is drawn at ``x = cx + s(d)·sin(a)``, ``y = cy + s(d)·cos(a)``: SVG's y grows
downward, so azimuth 0 lands below the subject, toward the camera, and camera-right lands on the
right of the drawing (the viewer looks over the camera's shoulder). The subject's yaw uses the
same convention for its nose.

Scale. :func:`diagram_radius` (from :mod:`lightrig.lighting.diagram_scale`, which the studio's
diagram reads too, through ``GET /v1/conventions``) maps metres to pixels: ``s(d) = 46 + 42·d``
up to 3 m (so a light never touches the subject, and 1 m reads as 42 px), then
``s(d) = 172 + 40·log10(d / 3)`` beyond (40 px per tenfold distance, so the 100 m maximum still
fits). Dashed range rings mark 1, 2 and 3 m (and 10 m when something is that far). Icons are
drawn roughly to scale, 40 px per metre of modifier diameter, clamped to 12–52 px and shrunk when
needed to stay clear of the subject.

A background light's distance is measured to the backdrop, not to the subject: it is drawn on
its azimuth where it stands that far in front of the backdrop (at least 0.25 m from the subject),
aimed at the backdrop behind the subject. A background light that is not behind the subject
keeps the general rule. Each role has one accent colour, used for its icon, beam, label and
legend entry; a light that is off is drawn grey and dashed, with "off" in its label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from xml.sax.saxutils import escape

from lightrig.fibo.words import colour_name, role_name
from lightrig.lighting.analyzer import LightingAnalyzer
from lightrig.lighting.colour import swatch_hex
from lightrig.lighting.diagram_scale import (
    ICON_MAX_PX,
    ICON_MIN_PX,
    ICON_PX_PER_M,
    LINEAR_LIMIT_M,
    MAX_DISTANCE_M,
    MIN_BACKGROUND_LIGHT_M,
    diagram_radius,
)
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import MODIFIERS, ROLES
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest

__all__ = ["diagram_radius", "lighting_diagram"]

# --- the canvas (viewBox units, which are pixels at the default width of 720)
_VIEW_W = 720.0
_VIEW_H = 576.0
_HEIGHT_PER_WIDTH = 0.8
_AREA_W = 544.0  # the drawing; the legend panel fills the rest on the right
_CX = 270.0
_CY = 266.0
_FONT = "system-ui, sans-serif"

# --- the subject and the camera
_HEAD_RX = 14.0
_HEAD_RY = 17.0
_SHOULDER_RX = 30.0
_SHOULDER_RY = 11.0
_SUBJECT_R = 31.0  # everything of the subject lies within this radius
_CAMERA_GAP_PX = 14.0  # between the farthest possible icon and the camera

# --- text
_LABEL_FONT = 10.5
_LINE_H = 13.0
_PAD = 3.0
_SWATCH_W = 14.0
_MINUS = "\u2212"

_OFF_GREY = "#adb5bd"
_INK = "#343a40"
_MUTED = "#6c757d"

_ACCENTS: Mapping[str, str] = MappingProxyType({role.value: role.accent for role in ROLES})

_MODIFIER_WORDS: Mapping[str, str] = MappingProxyType({m.value: m.short for m in MODIFIERS})
#: Modifiers whose size photographers do not quote.
_UNSIZED = frozenset(Modifier(m.value) for m in MODIFIERS if not m.sized)
#: Small heads drawn at a fixed size whatever their diameter.
_SMALL_HEADS = frozenset({Modifier.BARE, Modifier.SNOOT, Modifier.FRESNEL})
#: Long side of a 1:4 strip box over the diameter of its equal-area circle: 4w² = πD²/4 gives
#: 4w = √π·D ≈ 1.77·D.
_STRIP_LENGTH_PER_DIAMETER = math.sqrt(math.pi)

_ROLE_ORDER: tuple[LightType, ...] = tuple(LightType)


def _camera_y() -> float:
    """The camera's fixed place: straight below the subject, beyond the farthest light."""
    return _CY + diagram_radius(MAX_DISTANCE_M) + ICON_MAX_PX / 2.0 + _CAMERA_GAP_PX


# --- small helpers


def _num(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0`` or a negative zero."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (controls, lone surrogates)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r"
        or "\x20" <= c <= "\ud7ff"
        or "\ue000" <= c <= "\ufffd"
        or c >= "\U00010000"
    )


def _esc(text: str) -> str:
    return escape(_xml_text(text))


def _attr(text: str) -> str:
    return escape(_xml_text(text), {'"': "&quot;", "\n": "&#10;", "\t": "&#9;", "\r": "&#13;"})


def _tag(name: str, attrs: Mapping[str, str | float], body: str | None = None) -> str:
    parts = [name]
    for key, value in attrs.items():
        shown = _num(value) if isinstance(value, float | int) else _attr(value)
        parts.append(f'{key}="{shown}"')
    opening = " ".join(parts)
    if body is None:
        return f"<{opening}/>"
    return f"<{opening}>{body}</{name}>"


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` at ``size`` px: the widths (in em) of a wide
    sans-serif such as DejaVu Sans, so that narrower system faces only leave more room."""
    units = 0.0
    for c in text:
        if c in " ·.,:;'|!il":
            units += 0.32
        elif c in "frtj()[]/":
            units += 0.42
        elif c in "mwMW%@":
            units += 0.96
        elif c == _MINUS:
            units += 0.84
        elif c.isupper():
            units += 0.72
        elif c.isdigit():
            units += 0.64
        else:
            units += 0.61
    return units * size * (1.1 if bold else 1.0)


def _distance_text(metres: float) -> str:
    shown = f"{metres:.2f}".rstrip("0").rstrip(".") if metres < 10 else f"{metres:.0f}"
    return f"{shown} m"


def _azimuth_text(azimuth: float) -> str:
    degrees = round(abs(azimuth))
    if degrees in (0, 180):
        return f"{degrees}°"
    return f"{degrees}° {'R' if azimuth > 0 else 'L'}"


def _signed_degrees(value: float) -> str:
    degrees = round(value)
    if degrees == 0:
        return "0°"
    return f"{'+' if degrees > 0 else _MINUS}{abs(degrees)}°"


def _kelvin_text(kelvin: float) -> str:
    return f"{round(kelvin):d} K"


def _modifier_text(light: LightSettings) -> str:
    size = light.modifier_size if light.modifier_size is not None else 0.0
    centimetres = f"{round(size * 100):d} cm"
    if light.modifier is None:
        return f"{centimetres} source"
    words = _MODIFIER_WORDS[light.modifier]
    return words if light.modifier in _UNSIZED else f"{words} {centimetres}"


def _title_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _role_title(role: LightType) -> str:
    return _title_case(role_name(role))


# --- boxes for label placement


@dataclass(frozen=True, slots=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, x: float, y: float, radius: float) -> _Box:
        return cls(x - radius, y - radius, x + radius, y + radius)

    def overlap(self, other: _Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0.0 and h > 0.0 else 0.0

    def within(self, bounds: _Box) -> bool:
        return (
            self.x0 >= bounds.x0
            and self.y0 >= bounds.y0
            and self.x1 <= bounds.x1
            and self.y1 <= bounds.y1
        )

    def clamped(self, bounds: _Box) -> _Box:
        dx = max(bounds.x0 - self.x0, 0.0) + min(bounds.x1 - self.x1, 0.0)
        dy = max(bounds.y0 - self.y0, 0.0) + min(bounds.y1 - self.y1, 0.0)
        return _Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


_LABEL_BOUNDS = _Box(6.0, 6.0, _AREA_W - 6.0, _VIEW_H - 4.0)


# --- where each light goes


@dataclass(frozen=True, slots=True)
class _Placed:
    """A positioned light as drawn: its centre, where it points, its icon's size."""

    role: LightType
    light: LightSettings
    on: bool
    x: float
    y: float
    target_x: float
    target_y: float
    face: float  # length of the icon's emitting face, px
    extent: float  # radius enclosing the icon, px

    @property
    def accent(self) -> str:
        return _ACCENTS[self.role] if self.on else _OFF_GREY

    @property
    def rotation(self) -> float:
        """Degrees to rotate the icon (drawn facing +x) so that it faces its target."""
        dx, dy = self.target_x - self.x, self.target_y - self.y
        if math.hypot(dx, dy) < 1e-6:
            return -90.0
        return math.degrees(math.atan2(dy, dx))

    @property
    def outward(self) -> tuple[float, float]:
        """Unit vector from the subject through the light (straight down if they coincide)."""
        dx, dy = self.x - _CX, self.y - _CY
        length = math.hypot(dx, dy)
        return (0.0, 1.0) if length < 1e-6 else (dx / length, dy / length)

    @property
    def icon_box(self) -> _Box:
        return _Box.around(self.x, self.y, self.extent)


def _face_length(light: LightSettings) -> float:
    if light.modifier in _SMALL_HEADS:
        return ICON_MIN_PX
    size = light.modifier_size if light.modifier_size is not None else 0.0
    if light.modifier is Modifier.STRIP_BOX:
        size *= _STRIP_LENGTH_PER_DIAMETER
    return min(max(size * ICON_PX_PER_M, ICON_MIN_PX), ICON_MAX_PX)


def _icon_depth(modifier: Modifier | None, face: float) -> float:
    """How far the icon reaches behind its face (px), for its enclosing radius."""
    half = face / 2.0
    if modifier is Modifier.SOFTBOX:
        return max(6.0, 0.45 * half) + 6.0
    if modifier is Modifier.UMBRELLA:
        return 0.6 * half
    if modifier in (Modifier.OCTABOX, Modifier.BEAUTY_DISH, Modifier.OVERCAST):
        return half
    if modifier in _SMALL_HEADS:
        return 11.0
    return 8.0


def _place(role: LightType, light: LightSettings, request: SceneRequest) -> _Placed:
    azimuth = light.azimuth if light.azimuth is not None else 0.0
    a = math.radians(azimuth)
    backdrop_y = _CY - diagram_radius(request.background_distance)
    radius_m = light.distance
    target = (_CX, _CY)
    if role is LightType.BACKGROUND:
        target = (_CX, backdrop_y)
        if math.cos(a) < -0.2:  # behind the subject: `distance` is to the backdrop
            depth = request.background_distance - light.distance
            radius_m = max(depth / -math.cos(a), MIN_BACKGROUND_LIGHT_M)
    radius = diagram_radius(radius_m)
    x, y = _CX + radius * math.sin(a), _CY + radius * math.cos(a)
    face = _face_length(light)
    depth_px = _icon_depth(light.modifier, face)
    clearance = radius - _SUBJECT_R - 3.0  # the icon must stay clear of the subject
    extent = math.hypot(face / 2.0, depth_px)
    if extent > clearance and light.modifier not in _SMALL_HEADS:
        face *= max(clearance, 6.0) / extent
        extent = math.hypot(face / 2.0, _icon_depth(light.modifier, face))
    return _Placed(role, light, light.is_on, x, y, target[0], target[1], face, extent)


# --- icons


def _icon(p: _Placed) -> list[str]:
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
        out.append(
            _tag("rect", {"x": -depth, "y": -half, "width": depth, "height": p.face, **soft})
        )
        out.append(_tag("line", {"x1": 0.0, "y1": -half, "x2": 0.0, "y2": half, **face_line}))
        out.append(_tag("circle", {"cx": -depth - 3.0, "cy": 0.0, "r": 3.0, **soft}))
    elif modifier is Modifier.OCTABOX:
        points = " ".join(
            f"{_num(half * math.cos(math.radians(22.5 + 45 * k)))},"
            f"{_num(half * math.sin(math.radians(22.5 + 45 * k)))}"
            for k in range(8)
        )
        out.append(_tag("polygon", {"points": points, **soft}))
        edge = half * math.cos(math.radians(22.5))
        rise = half * math.sin(math.radians(22.5))
        out.append(_tag("line", {"x1": edge, "y1": -rise, "x2": edge, "y2": rise, **face_line}))
    elif modifier is Modifier.STRIP_BOX:
        depth = max(5.0, p.face / 6.0)
        out.append(
            _tag("rect", {"x": -depth, "y": -half, "width": depth, "height": p.face, **soft})
        )
        out.append(_tag("line", {"x1": 0.0, "y1": -half, "x2": 0.0, "y2": half, **face_line}))
    elif modifier is Modifier.BEAUTY_DISH:
        out.append(_tag("circle", {"cx": 0.0, "cy": 0.0, "r": half, **soft}))
        dot = max(1.5, half / 5.0)
        out.append(_tag("circle", {"cx": 0.0, "cy": 0.0, "r": dot, "fill": fill}))
    elif modifier is Modifier.UMBRELLA:
        bow = 0.6 * half
        arc = f"M 0 {_num(-half)} Q {_num(-2.0 * bow)} 0 0 {_num(half)}"
        out.append(_tag("path", {"d": arc, **soft}))
        out.append(_tag("line", {"x1": -bow, "y1": 0.0, "x2": 0.35 * half, "y2": 0.0, **line}))
        out.append(_tag("circle", {"cx": 0.35 * half, "cy": 0.0, "r": 2.5, "fill": fill}))
    elif modifier is Modifier.REFLECTOR:
        bar: dict[str, str | float] = {**line, "fill": fill, "fill-opacity": 0.55}
        out.append(_tag("rect", {"x": -4.0, "y": -half, "width": 4.0, "height": p.face, **bar}))
    elif modifier is Modifier.WINDOW:
        pane: dict[str, str | float] = {**line, "fill": "#e7f5ff", "fill-opacity": 0.9}
        out.append(_tag("rect", {"x": -8.0, "y": -half, "width": 8.0, "height": p.face, **pane}))
        for k in (1, 2, 3):
            y = -half + p.face * k / 4.0
            out.append(_tag("line", {"x1": -8.0, "y1": y, "x2": 0.0, "y2": y, **line}))
        out.append(_tag("line", {"x1": -4.0, "y1": -half, "x2": -4.0, "y2": half, **line}))
    elif modifier is Modifier.SCRIM:
        dashed: dict[str, str | float] = {**soft, "stroke-dasharray": "4 2"}
        out.append(_tag("rect", {"x": -6.0, "y": -half, "width": 6.0, "height": p.face, **dashed}))
    elif modifier is Modifier.OVERCAST:
        cloud: dict[str, str | float] = {**soft, "stroke-dasharray": "5 3"}
        out.append(_tag("ellipse", {"cx": 0.0, "cy": 0.0, "rx": 0.45 * half, "ry": half, **cloud}))
    elif modifier is Modifier.BARE:
        out.append(_tag("path", {"d": "M -1 -4 L 7 -9 L 7 9 L -1 4 Z", **soft}))
        out.append(_tag("circle", {"cx": -5.0, "cy": 0.0, "r": 5.0, **soft}))
    elif modifier is Modifier.FRESNEL:
        out.append(_tag("rect", {"x": -10.0, "y": -6.0, "width": 12.0, "height": 12.0, **soft}))
        out.append(_tag("line", {"x1": 3.0, "y1": -6.0, "x2": 3.0, "y2": 6.0, **face_line}))
    elif modifier is Modifier.SNOOT:
        out.append(_tag("circle", {"cx": -6.0, "cy": 0.0, "r": 5.0, **soft}))
        out.append(_tag("rect", {"x": -1.0, "y": -2.5, "width": 11.0, "height": 5.0, **soft}))
    else:  # no modifier named: a generic lamp
        out.append(_tag("circle", {"cx": 0.0, "cy": 0.0, "r": max(6.0, half), **soft}))
        out.append(_tag("circle", {"cx": 0.0, "cy": 0.0, "r": 2.5, "fill": fill}))
    return out


def _beam(p: _Placed) -> str:
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
        return _tag("g", attrs, _tag("line", axis))
    points = " ".join(
        f"{_num(x)},{_num(y)}"
        for x, y in (
            (p.x + nx * half, p.y + ny * half),
            (p.target_x, p.target_y),
            (p.x - nx * half, p.y - ny * half),
        )
    )
    wedge = _tag("polygon", {"points": points, "fill": p.accent, "fill-opacity": 0.1})
    return _tag("g", attrs, wedge + _tag("line", axis))


# --- labels


@dataclass(frozen=True, slots=True)
class _Label:
    head: str  # "Key" in bold
    rest: str  # " · 45° R · +30°"
    second: str  # "1.5 m · softbox 90 cm"
    swatch: str  # "#rrggbb"
    kelvin: str  # "5600 K"

    @property
    def size(self) -> tuple[float, float]:
        first = _text_width(self.head, _LABEL_FONT, bold=True) + _text_width(self.rest, _LABEL_FONT)
        second = _text_width(self.second, _LABEL_FONT)
        third = _SWATCH_W + 4.0 + _text_width(self.kelvin, _LABEL_FONT)
        return max(first, second, third) + 2 * _PAD, 3 * _LINE_H + 2 * _PAD


def _label(p: _Placed, white_balance: float) -> _Label:
    light = p.light
    elevation = light.elevation if light.elevation is not None else 0.0
    azimuth = light.azimuth if light.azimuth is not None else 0.0
    rest = f" · {_azimuth_text(azimuth)} · {_signed_degrees(elevation)}"
    if not p.on:
        rest += " · off"
    distance = _distance_text(light.distance)
    if p.role is LightType.BACKGROUND:
        distance += " to backdrop"
    return _Label(
        head=_role_title(p.role),
        rest=rest,
        second=f"{distance} · {_modifier_text(light)}",
        swatch=swatch_hex(light.color_temperature, white_balance),
        kelvin=_kelvin_text(light.color_temperature),
    )


_TURNS_DEG = (0.0, 35.0, -35.0, 70.0, -70.0, 110.0, -110.0, 150.0, -150.0, 180.0)
_GAPS_PX = (5.0, 20.0, 38.0, 60.0)


def _candidate(p: _Placed, turn: float, gap: float, w: float, h: float) -> _Box:
    ox, oy = p.outward
    t = math.radians(turn)
    ux, uy = ox * math.cos(t) - oy * math.sin(t), ox * math.sin(t) + oy * math.cos(t)
    ax, ay = p.x + ux * (p.extent + gap), p.y + uy * (p.extent + gap)
    x0 = ax if ux > 0.35 else ax - w if ux < -0.35 else ax - w / 2.0
    y0 = ay if uy > 0.35 else ay - h if uy < -0.35 else ay - h / 2.0
    return _Box(x0, y0, x0 + w, y0 + h)


def _place_label(p: _Placed, w: float, h: float, obstacles: Sequence[_Box]) -> _Box:
    """The first box around the icon, outward side first, that stays in the drawing and clear
    of every obstacle; failing that, the one that overlaps least, kept inside the drawing."""
    candidates = sorted(
        (abs(turn) / 35.0 + gap / 12.0, index, turn, gap)
        for index, (turn, gap) in enumerate((t, g) for g in _GAPS_PX for t in _TURNS_DEG)
    )
    best: _Box | None = None
    best_overlap = math.inf
    for _, _, turn, gap in candidates:
        box = _candidate(p, turn, gap, w, h)
        inside = box.within(_LABEL_BOUNDS)
        box = box.clamped(_LABEL_BOUNDS)
        overlap = sum(box.overlap(o) for o in obstacles)
        if inside and overlap == 0.0:
            return box
        if overlap < best_overlap:
            best, best_overlap = box, overlap
    assert best is not None
    return best


def _label_svg(p: _Placed, label: _Label, box: _Box) -> str:
    w, h = box.x1 - box.x0, box.y1 - box.y0
    colour = _INK if p.on else _OFF_GREY
    parts = [
        _tag(
            "rect",
            {
                "class": "label-bg",
                "x": box.x0,
                "y": box.y0,
                "width": w,
                "height": h,
                "rx": 3.0,
                "fill": "#ffffff",
                "fill-opacity": 0.88,
            },
        )
    ]
    # a leader line when the label sits away from its icon
    nx, ny = box.nearest(p.x, p.y)
    reach = math.hypot(nx - p.x, ny - p.y)
    if reach > p.extent + 8.0:
        ux, uy = (nx - p.x) / reach, (ny - p.y) / reach
        parts.append(
            _tag(
                "line",
                {
                    "x1": p.x + ux * (p.extent + 2.0),
                    "y1": p.y + uy * (p.extent + 2.0),
                    "x2": nx,
                    "y2": ny,
                    "stroke": p.accent,
                    "stroke-width": 0.75,
                    "stroke-opacity": 0.7,
                },
            )
        )
    x = box.x0 + _PAD
    base = box.y0 + _PAD + 10.0
    head = _tag("tspan", {"font-weight": "bold", "fill": p.accent}, _esc(label.head))
    parts.append(
        _tag(
            "text",
            {"x": x, "y": base, "font-size": _LABEL_FONT, "fill": colour},
            head + _tag("tspan", {}, _esc(label.rest)),
        )
    )
    parts.append(
        _tag(
            "text",
            {"x": x, "y": base + _LINE_H, "font-size": _LABEL_FONT, "fill": colour},
            _esc(label.second),
        )
    )
    swatch: dict[str, str | float] = {
        "class": "swatch",
        "x": x,
        "y": base + 2 * _LINE_H - 8.5,
        "width": _SWATCH_W,
        "height": 9.0,
        "fill": label.swatch,
        "stroke": "#495057",
        "stroke-width": 0.5,
    }
    if not p.on:
        swatch["fill-opacity"] = 0.4
    parts.append(_tag("rect", swatch))
    parts.append(
        _tag(
            "text",
            {
                "x": x + _SWATCH_W + 4.0,
                "y": base + 2 * _LINE_H,
                "font-size": _LABEL_FONT,
                "fill": colour,
            },
            _esc(label.kelvin),
        )
    )
    return _tag("g", {"class": "label"}, "".join(parts))


# --- the fixed parts of the drawing


#: Azimuths (degrees) where the range rings may be labelled, in order of preference.
#: Not behind the subject (the backdrop is there) nor at the camera.
_RING_LABEL_AZIMUTHS = (-120.0, 120.0, -60.0, 60.0, -90.0, 90.0, -30.0, 30.0)
#: Angular clearance (degrees) from every light that is good enough for the ring labels.
_RING_LABEL_CLEARANCE = 50.0


def _ring_label_azimuth(
    placed: Sequence[_Placed], rings_m: Sequence[float], backdrop_y: float
) -> float:
    """The first candidate azimuth well clear in angle of every drawn light (or, failing that,
    the clearest one) whose labels keep off the backdrop band, for the ring labels."""

    def clearance(azimuth: float) -> float:
        a = math.radians(azimuth)
        for metres in rings_m:
            y = _CY + diagram_radius(metres) * math.cos(a)
            if backdrop_y - 16.0 < y < backdrop_y + 18.0:
                return -1.0
        gaps = [_RING_LABEL_CLEARANCE]
        for p in placed:
            ox, oy = p.outward
            drawn = math.degrees(math.atan2(ox, oy))
            gaps.append(abs((azimuth - drawn + 180.0) % 360.0 - 180.0))
        return min(gaps)

    return max(_RING_LABEL_AZIMUTHS, key=clearance)  # max keeps the first of equals


def _scale_rings(placed: Sequence[_Placed], backdrop_y: float) -> str:
    show_far = any(p.light.distance > LINEAR_LIMIT_M for p in placed)
    rings = (1.0, 2.0, 3.0, 10.0) if show_far else (1.0, 2.0, 3.0)
    a = math.radians(_ring_label_azimuth(placed, rings, backdrop_y))
    parts = []
    for metres in rings:
        r = diagram_radius(metres)
        parts.append(
            _tag(
                "circle",
                {
                    "cx": _CX,
                    "cy": _CY,
                    "r": r,
                    "fill": "none",
                    "stroke": "#ced4da",
                    "stroke-width": 0.75,
                    "stroke-dasharray": "2 4",
                },
            )
        )
        parts.append(
            _tag(
                "text",
                {
                    "x": _CX + r * math.sin(a),
                    "y": _CY + r * math.cos(a) + 3.0,
                    "font-size": 9.0,
                    "fill": "#adb5bd",
                    "text-anchor": "middle",
                },
                _esc(_distance_text(metres)),
            )
        )
    return _tag("g", {"id": "scale"}, "".join(parts))


def _backdrop(request: SceneRequest) -> tuple[str, list[_Box]]:
    y = _CY - diagram_radius(request.background_distance)
    colour = request.backdrop_color
    band: dict[str, str | float] = {
        "x": 14.0,
        "y": y - 9.0,
        "width": _AREA_W - 28.0,
        "height": 9.0,
        "rx": 2.0,
        "stroke": "#868e96",
        "stroke-width": 1.0,
    }
    if colour is None:
        band.update({"fill": "none", "stroke-dasharray": "6 3"})
        words = f"Background · {_distance_text(request.background_distance)}"
    else:
        band["fill"] = colour
        words = f"Backdrop · {colour_name(colour)} · {_distance_text(request.background_distance)}"
    text_y = y + 12.0
    boxes = [
        _Box(12.0, y - 11.0, _AREA_W - 12.0, y + 1.0),
        _Box(14.0, y + 1.0, 18.0 + _text_width(words, 9.5), text_y + 3.0),
    ]
    text = _tag("text", {"x": 16.0, "y": text_y, "font-size": 9.5, "fill": _MUTED}, _esc(words))
    attrs: dict[str, str | float] = {
        "id": "backdrop",
        "data-distance": f"{request.background_distance:g}",
    }
    if colour is not None:
        attrs["data-color"] = colour
    return _tag("g", attrs, _tag("rect", band) + text), boxes


def _camera(request: SceneRequest) -> tuple[str, list[_Box]]:
    camera = request.camera_settings
    y = _camera_y()
    lens_top = y - 18.0
    half_fov = math.radians((camera.fov or 0.0) / 2.0)
    reach = (lens_top - _CY) / max(math.cos(half_fov), 0.2)
    parts = []
    for side in (-1.0, 1.0):
        parts.append(
            _tag(
                "line",
                {
                    "x1": _CX,
                    "y1": lens_top,
                    "x2": _CX + side * reach * math.sin(half_fov),
                    "y2": lens_top - reach * math.cos(half_fov),
                    "stroke": "#adb5bd",
                    "stroke-width": 0.75,
                    "stroke-dasharray": "5 4",
                },
            )
        )
    body: dict[str, str | float] = {"fill": _INK, "stroke": "none"}
    parts.append(
        _tag("rect", {"x": _CX - 17, "y": y - 8, "width": 34, "height": 20, "rx": 3, **body})
    )
    parts.append(_tag("rect", {"x": _CX - 8, "y": y - 18, "width": 16, "height": 11, **body}))
    parts.append(_tag("circle", {"cx": _CX, "cy": y + 2, "r": 5.0, "fill": "#868e96"}))
    words = f"{round(camera.focal_length_mm):d} mm · f/{camera.aperture:g}"
    parts.append(
        _tag(
            "text",
            {"x": _CX + 24.0, "y": y + 1.0, "font-size": 11.0, "fill": _INK, "font-weight": "bold"},
            "Camera",
        )
    )
    parts.append(
        _tag(
            "text",
            {"x": _CX + 24.0, "y": y + 14.0, "font-size": 10.5, "fill": _INK},
            _esc(words),
        )
    )
    attrs = {
        "id": "camera",
        "data-focal-length": f"{camera.focal_length_mm:g}",
        "data-aperture": f"{camera.aperture:g}",
    }
    width = max(_text_width("Camera", 11.0, bold=True), _text_width(words, 10.5))
    boxes = [
        _Box(_CX - 19.0, y - 20.0, _CX + 19.0, y + 14.0),
        _Box(_CX + 22.0, y - 10.0, _CX + 26.0 + width, y + 18.0),
    ]
    return _tag("g", attrs, "".join(parts)), boxes


def _rotate(x: float, y: float, degrees: float) -> tuple[float, float]:
    t = math.radians(degrees)
    return x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)


def _subject(request: SceneRequest) -> str:
    yaw = request.subject_yaw
    turn = -yaw  # SVG rotates clockwise on screen; the nose (+y) must swing toward +x for +yaw
    transform = f"rotate({_num(turn)} {_num(_CX)} {_num(_CY)})"
    shoulders = _tag(
        "ellipse",
        {
            "cx": _CX,
            "cy": _CY - 2.0,
            "rx": _SHOULDER_RX,
            "ry": _SHOULDER_RY,
            "fill": "#dee2e6",
            "stroke": "#868e96",
            "stroke-width": 1.0,
            "transform": transform,
        },
    )
    head = _tag(
        "ellipse",
        {
            "cx": _CX,
            "cy": _CY,
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
        nose_points.append(f"{_num(_CX + rx)},{_num(_CY + ry)}")
    nose = _tag(
        "polygon",
        {"class": "nose", "points": " ".join(nose_points), "fill": "#495057"},
    )
    attrs = {
        "id": "subject",
        "data-x": _num(_CX),
        "data-y": _num(_CY),
        "data-yaw": f"{yaw:g}",
    }
    return _tag("g", attrs, shoulders + head + nose)


def _hints() -> tuple[str, list[_Box]]:
    y = _VIEW_H - 10.0
    left = "◂ camera-left"
    right = "camera-right ▸"
    style: dict[str, str | float] = {"font-size": 9.5, "fill": _MUTED}
    text = _tag("text", {"x": 12.0, "y": y, **style}, _esc(left)) + _tag(
        "text", {"x": _AREA_W - 12.0, "y": y, "text-anchor": "end", **style}, _esc(right)
    )
    boxes = [
        _Box(10.0, y - 10.0, 14.0 + _text_width(left, 9.5), y + 3.0),
        _Box(_AREA_W - 14.0 - _text_width(right, 9.5), y - 10.0, _AREA_W - 10.0, y + 3.0),
    ]
    return _tag("g", {"id": "orientation"}, text), boxes


# --- the legend


class _Legend:
    """The panel on the right, written line by line from the top."""

    def __init__(self, x: float, width: float) -> None:
        self.x = x
        self.width = width
        self.y = 14.0
        self.parts: list[str] = []

    def heading(self, text: str) -> None:
        self.y += 16.0
        self.parts.append(
            _tag(
                "text",
                {
                    "x": self.x,
                    "y": self.y,
                    "font-size": 8.5,
                    "fill": _MUTED,
                    "letter-spacing": 0.8,
                },
                _esc(text.upper()),
            )
        )

    def line(
        self,
        text: str,
        *,
        size: float = 11.0,
        bold: bool = False,
        colour: str = _INK,
        chip: str | None = None,
        italic: bool = False,
    ) -> str:
        self.y += size + 3.0
        x = self.x
        out = []
        if chip is not None:
            out.append(
                _tag(
                    "rect",
                    {
                        "class": "swatch",
                        "x": x,
                        "y": self.y - 8.5,
                        "width": _SWATCH_W,
                        "height": 9.0,
                        "fill": chip,
                        "stroke": "#495057",
                        "stroke-width": 0.5,
                    },
                )
            )
            x += _SWATCH_W + 4.0
        attrs: dict[str, str | float] = {"x": x, "y": self.y, "font-size": size, "fill": colour}
        if bold:
            attrs["font-weight"] = "bold"
        if italic:
            attrs["font-style"] = "italic"
        out.append(_tag("text", attrs, _esc(text)))
        return "".join(out)

    def add(self, element_id: str, *lines: str) -> None:
        self.parts.append(_tag("g", {"id": element_id}, "".join(lines)))

    def wrapped(self, text: str, size: float, max_lines: int, *, bold: bool = False) -> list[str]:
        return _wrap(text, size, self.width, max_lines, bold=bold)


def _fit(text: str, size: float, width: float, *, bold: bool = False) -> int:
    """How many leading characters of ``text`` fit in ``width`` px (at least one)."""
    count = len(text)
    while count > 1 and _text_width(text[:count], size, bold=bold) > width:
        count -= 1
    return count


def _wrap(text: str, size: float, width: float, max_lines: int, *, bold: bool = False) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines no wider than ``width`` px (estimated),
    between words where it can, with an ellipsis when it had to be cut short."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if _text_width(trial, size, bold=bold) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while _text_width(current, size, bold=bold) > width:  # a word longer than a line
            cut = _fit(current, size, width, bold=bold)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        last = last[: _fit(last + "…", size, width, bold=bold) - 1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def _percent(fraction: float) -> str:
    """``"80 %"``, ``"2.5 %"``: a 0–1 intensity as a percentage of full power."""
    value = fraction * 100.0
    return f"{round(value):d} %" if value >= 9.95 else f"{value:.2g} %"


def _legend_row(
    legend: _Legend,
    role: LightType,
    light: LightSettings,
    analysis: LightingAnalysis,
    stops_from_key: float | None,
) -> str:
    """One light in the legend: a dot in its accent, its name, power and stops from the key."""
    on = light.is_on
    if not on:
        words = "off"
    elif role is analysis.key_role:
        words = f"{_percent(light.intensity)} · key"
    else:
        words = _percent(light.intensity)
        if stops_from_key is not None:
            words += f" · {stops_from_key:+.1f} st".replace("-", _MINUS)
    name = _role_title(role)
    accent = _ACCENTS[role] if on else _OFF_GREY
    colour = _INK if on else _OFF_GREY
    size = 10.5
    legend.y += 14.0
    dot = _tag("circle", {"cx": legend.x + 4.0, "cy": legend.y - 3.5, "r": 4.0, "fill": accent})
    x = legend.x + 13.0
    name_tspan = _tag("tspan", {"font-weight": "bold"}, _esc(name))
    width = _text_width(name, size, bold=True) + _text_width(f" {words}", size)
    style: dict[str, str | float] = {"font-size": size, "fill": colour}
    if width <= legend.width - 13.0:
        text = _tag("text", {"x": x, "y": legend.y, **style}, name_tspan + _esc(f" {words}"))
    else:  # the numbers go under the name
        text = _tag("text", {"x": x, "y": legend.y, **style}, name_tspan)
        legend.y += 13.0
        text += _tag("text", {"x": x, "y": legend.y, **style}, _esc(words))
    return _tag("g", {"data-role": role.value}, dot + text)


def _legend(request: SceneRequest, analysis: LightingAnalysis, white_balance: float) -> str:
    panel_x = _AREA_W + 4.0
    legend = _Legend(panel_x + 12.0, _VIEW_W - panel_x - 30.0)
    legend.parts.append(
        _tag(
            "rect",
            {
                "x": panel_x,
                "y": 8.0,
                "width": _VIEW_W - panel_x - 8.0,
                "height": _VIEW_H - 16.0,
                "rx": 6.0,
                "fill": "#f8f9fa",
                "stroke": "#dee2e6",
            },
        )
    )
    legend.add("legend-title", legend.line("Lighting diagram", size=14.0, bold=True))
    subject_lines = legend.wrapped(_xml_text(request.subject_description), 10.0, 3)
    legend.add(
        "legend-subject",
        *(legend.line(t, size=10.0, colour=_MUTED, italic=True) for t in subject_lines),
    )
    if request.subject_yaw:
        legend.add(
            "legend-yaw",
            legend.line(f"head turned {_azimuth_text(request.subject_yaw)}", size=10.0),
        )

    legend.heading("Pattern")
    names = " · ".join(analysis.pattern_names) or str(analysis.pattern)
    legend.add(
        "legend-pattern",
        *(legend.line(t, bold=True) for t in legend.wrapped(names, 11.0, 2, bold=True)),
    )

    legend.heading("Lit : shadow")
    ratio = f"{analysis.ratio.ratio:.1f}:1 · {analysis.ratio.stops:.1f} stops"
    legend.add("legend-ratio", legend.line(ratio, bold=True))

    legend.heading("Rating")
    legend.add("legend-rating", legend.line(f"{analysis.rating:.1f} / 10", bold=True))

    legend.heading("Lights")
    stops = {report.role: report.stops_from_key for report in analysis.lights}
    rows = []
    for role in _ROLE_ORDER:
        light = request.lighting_setup.get(role)
        if light is None or role is LightType.AMBIENT:
            continue
        rows.append(_legend_row(legend, role, light, analysis, stops.get(role)))
    legend.add("legend-lights", *rows)

    ambient = request.lighting_setup.get(LightType.AMBIENT)
    if ambient is not None:
        legend.heading("Ambient")
        state = _percent(ambient.intensity) if ambient.is_on else "off"
        words = f"{state} · {_kelvin_text(ambient.color_temperature)}"
        chip = swatch_hex(ambient.color_temperature, white_balance)
        legend.add("legend-ambient", legend.line(words, chip=chip))

    camera = request.camera_settings
    legend.heading("Camera")
    legend.add(
        "legend-camera",
        legend.line(f"{round(camera.focal_length_mm):d} mm · f/{camera.aperture:g}"),
        legend.line(f"white balance {_kelvin_text(white_balance)}", size=10.0),
    )

    legend.heading("Distance scale")
    legend.add(
        "legend-scale",
        *(
            legend.line(t, size=9.5, colour=_MUTED)
            for t in legend.wrapped(
                "Rings at 1, 2 and 3 m from the subject; linear to 3 m, logarithmic beyond.",
                9.5,
                3,
            )
        ),
    )
    return _tag("g", {"id": "legend", "font-family": _FONT}, "".join(legend.parts))


# --- the description for assistive technology


def _describe(request: SceneRequest, analysis: LightingAnalysis) -> str:
    parts = [
        "Top-down lighting diagram: camera at the bottom looking up at the subject, "
        "backdrop at the top, camera-right on the right.",
        f"Subject: {request.subject_description}.",
    ]
    if request.subject_yaw:
        parts.append(f"Head turned {_azimuth_text(request.subject_yaw)}.")
    for role in _ROLE_ORDER:
        light = request.lighting_setup.get(role)
        if light is None:
            continue
        if role is LightType.AMBIENT:
            state = "" if light.is_on else " (off)"
            parts.append(
                f"Ambient{state}: intensity {light.intensity:.2g}, "
                f"{_kelvin_text(light.color_temperature)}."
            )
            continue
        state = "" if light.is_on else " (off)"
        parts.append(
            f"{_role_title(role)}{state}: {_modifier_text(light)}, "
            f"azimuth {_azimuth_text(light.azimuth or 0.0)}, "
            f"elevation {_signed_degrees(light.elevation or 0.0)}, "
            f"{_distance_text(light.distance)}, {_kelvin_text(light.color_temperature)}, "
            f"intensity {light.intensity:.2g}."
        )
    parts.append(f"Pattern: {', '.join(analysis.pattern_names)}.")
    parts.append(
        f"Lit to shadow ratio {analysis.ratio.ratio:.1f}:1 ({analysis.ratio.stops:.1f} stops)."
    )
    parts.append(f"Rating {analysis.rating:.1f} out of 10.")
    return " ".join(parts)


# --- the document


def lighting_diagram(
    request: SceneRequest, analysis: LightingAnalysis | None = None, *, width: int = 720
) -> str:
    """A top-down SVG diagram of ``request``'s setup, as a complete standalone document.

    Lights are placed by azimuth (degrees, 0 at the camera, positive camera-right) and distance
    (metres, through :func:`diagram_radius`); labels give each light's angle, height (degrees
    above eye level), distance, modifier and size (cm), and colour temperature (kelvin) with a
    swatch as the camera's white balance renders it. ``analysis`` is computed when not given.
    ``width`` is the rendered width in pixels; the height is 0.8 × width and the ``viewBox`` is
    always 720 × 576. The same request always gives the same bytes.

    Each light's group carries ``id="light-<role>"`` and ``data-role``, ``data-azimuth``
    (degrees), ``data-elevation`` (degrees), ``data-distance`` (metres), ``data-kelvin``,
    ``data-enabled`` and ``data-x`` / ``data-y`` (where it is drawn, viewBox units).
    """
    if width <= 0:
        raise ValueError(f"width must be a positive number of pixels, not {width}")
    if analysis is None:
        analysis = LightingAnalyzer().analyze(request)
    white_balance = request.camera_settings.white_balance
    height = round(width * _HEIGHT_PER_WIDTH)

    positioned = sorted(
        (
            (role, light)
            for role, light in request.lighting_setup.items()
            if role is not LightType.AMBIENT
        ),
        key=lambda item: _ROLE_ORDER.index(item[0]),
    )
    placed = [_place(role, light, request) for role, light in positioned]

    backdrop_svg, backdrop_boxes = _backdrop(request)
    camera_svg, camera_boxes = _camera(request)
    hints_svg, hint_boxes = _hints()
    subject_box = _Box.around(_CX, _CY, _SUBJECT_R + 4.0)
    obstacles: list[_Box] = [
        subject_box,
        *backdrop_boxes,
        *camera_boxes,
        *hint_boxes,
        *(p.icon_box for p in placed),
    ]
    labels: dict[LightType, str] = {}
    for p in placed:  # key first: the most important light gets the best place
        label = _label(p, white_balance)
        w, h = label.size
        box = _place_label(p, w, h, obstacles)
        obstacles.append(box)
        labels[p.role] = _label_svg(p, label, box)

    # higher lights are drawn over lower ones, as seen from above
    drawing_order = sorted(
        placed,
        key=lambda p: (
            p.light.elevation if p.light.elevation is not None else 0.0,
            _ROLE_ORDER.index(p.role),
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
            "data-x": _num(p.x),
            "data-y": _num(p.y),
        }
        icon_attrs: dict[str, str | float] = {
            "class": "icon",
            "transform": f"translate({_num(p.x)} {_num(p.y)}) rotate({_num(p.rotation)})",
        }
        if not p.on:
            icon_attrs["opacity"] = 0.7
        icon = _tag("g", icon_attrs, "".join(_icon(p)))
        groups.append(_tag("g", attrs, icon + labels[p.role]))

    title = "Lighting diagram: " + (" · ".join(analysis.pattern_names) or str(analysis.pattern))
    svg_attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "version": "1.1",
        "width": str(width),
        "height": str(height),
        "viewBox": f"0 0 {_num(_VIEW_W)} {_num(_VIEW_H)}",
        "role": "img",
        "aria-labelledby": "diagram-title diagram-desc",
        "font-family": _FONT,
    }
    body = "\n".join(
        [
            _tag("title", {"id": "diagram-title"}, _esc(title)),
            _tag("desc", {"id": "diagram-desc"}, _esc(_describe(request, analysis))),
            _tag("rect", {"x": 0.0, "y": 0.0, "width": _VIEW_W, "height": _VIEW_H, "fill": "#fff"}),
            _scale_rings(placed, _CY - diagram_radius(request.background_distance)),
            backdrop_svg,
            _tag("g", {"id": "beams"}, "".join(_beam(p) for p in drawing_order)),
            camera_svg,
            _subject(request),
            _tag("g", {"id": "lights"}, "\n".join(groups)),
            hints_svg,
            _legend(request, analysis, white_balance),
        ]
    )
    document = _tag("svg", svg_attrs, f"\n{body}\n")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n'
