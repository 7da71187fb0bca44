"""Where each light is drawn: its place on the distance scale, what it points at, and how big
its icon is.

A light at azimuth ``a`` (degrees, 0 at the camera, positive toward camera-right, ±180 behind)
and distance ``d`` (metres) stands at ``x = CX + s(d)·sin(a)``, ``y = CY + s(d)·cos(a)``, with
``s`` :func:`~lightrig.lighting.diagram_scale.diagram_radius`. A background light behind the
subject is measured to the backdrop instead (at least 0.25 m from the subject) and aims at it.
Icons are drawn roughly to scale, 40 px per metre of modifier diameter, clamped to 12–52 px
and shrunk when needed to stay clear of the subject. Lengths are viewBox units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.diagram_scale import (
    ICON_MAX_PX,
    ICON_MIN_PX,
    ICON_PX_PER_M,
    MIN_BACKGROUND_LIGHT_M,
    diagram_radius,
)
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import ACCENTS, CX, CY, OFF_GREY, SUBJECT_R

__all__ = ["Placed", "place"]

#: Small heads drawn at a fixed size whatever their diameter.
_SMALL_HEADS = frozenset({Modifier.BARE, Modifier.SNOOT, Modifier.FRESNEL})
#: Long side of a 1:4 strip box over the diameter of its equal-area circle: 4w² = πD²/4 gives
#: 4w = √π·D ≈ 1.77·D.
_STRIP_LENGTH_PER_DIAMETER = math.sqrt(math.pi)


@dataclass(frozen=True, slots=True)
class Placed:
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
        """The role's accent colour, or grey when the light is off."""
        return ACCENTS[self.role] if self.on else OFF_GREY

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
        dx, dy = self.x - CX, self.y - CY
        length = math.hypot(dx, dy)
        return (0.0, 1.0) if length < 1e-6 else (dx / length, dy / length)

    @property
    def icon_box(self) -> Box:
        """The square enclosing the icon."""
        return Box.around(self.x, self.y, self.extent)


def _face_length(light: LightSettings) -> float:
    """Length (px) of the icon's emitting face: the modifier's diameter to scale (a strip box's
    long side), within 12–52 px; small heads at the least size."""
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


def place(role: LightType, light: LightSettings, request: SceneRequest) -> Placed:
    """Where ``light``, in ``role``, is drawn for ``request`` (whose backdrop distance places a
    background light), and its icon's size."""
    azimuth = light.azimuth if light.azimuth is not None else 0.0
    a = math.radians(azimuth)
    backdrop_y = CY - diagram_radius(request.background_distance)
    radius_m = light.distance
    target = (CX, CY)
    if role is LightType.BACKGROUND:
        target = (CX, backdrop_y)
        if math.cos(a) < -0.2:  # behind the subject: `distance` is to the backdrop
            depth = request.background_distance - light.distance
            radius_m = max(depth / -math.cos(a), MIN_BACKGROUND_LIGHT_M)
    radius = diagram_radius(radius_m)
    x, y = CX + radius * math.sin(a), CY + radius * math.cos(a)
    face = _face_length(light)
    depth_px = _icon_depth(light.modifier, face)
    clearance = radius - SUBJECT_R - 3.0  # the icon must stay clear of the subject
    extent = math.hypot(face / 2.0, depth_px)
    if extent > clearance and light.modifier not in _SMALL_HEADS:
        face *= max(clearance, 6.0) / extent
        extent = math.hypot(face / 2.0, _icon_depth(light.modifier, face))
    return Placed(role, light, light.is_on, x, y, target[0], target[1], face, extent)
