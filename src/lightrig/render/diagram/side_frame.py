"""The side view's geometry: every light's stand and the camera in metres, unfolded onto one
plane, and the frame that maps metres onto the drawing.

The side (elevation) view looks across the set: the floor at the bottom, the backdrop on the
left, the camera on the right, the subject standing at 0 m facing it. A plan puts lights all
around the subject; the side view unfolds them onto one plane, each at its floor distance from
the subject (:func:`~lightrig.lighting.stands.floor_distance`) — toward the camera for a light in
front of the subject (azimuth within ±90°), toward the backdrop for one behind — and at its
height above the floor (:func:`~lightrig.lighting.stands.light_height`). A background light
behind the subject stands its floor distance in front of the backdrop (at least 0.25 m from the
subject), as on the plan. The ambient light stands nowhere and is not drawn.

Horizontal and vertical share one scale (pixels per metre), so angles on the drawing are the
angles on the set; it is fitted to what there is to draw. Metres along the floor are positive
toward the camera; the drawing's y grows downward. Lengths are viewBox units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.diagram_scale import MIN_BACKGROUND_LIGHT_M
from lightrig.lighting.roles import LightType
from lightrig.lighting.stands import Stand, camera_distance, camera_height, stand
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.canvas import ROLE_ORDER

__all__ = [
    "SIDE_BOTTOM",
    "SIDE_H",
    "SIDE_LEFT",
    "SIDE_RIGHT",
    "SIDE_TOP",
    "SIDE_W",
    "SideFrame",
    "SideLight",
    "SideScene",
    "side_scene",
]

#: The side view's ``viewBox``: its width and height.
SIDE_W = 720.0
SIDE_H = 300.0
#: The drawing's edges inside the viewBox: the height scale's words on the left.
SIDE_LEFT = 60.0
SIDE_RIGHT = SIDE_W - 14.0
SIDE_TOP = 14.0
SIDE_BOTTOM = SIDE_H - 20.0
#: Metres of room around what is drawn: above the highest thing, beyond the farthest.
_HEADROOM_M = 0.35
_SIDEROOM_M = 0.4
#: The least metres shown above the floor and on each side of the subject.
_MIN_TOP_M = 2.0
_MIN_SIDE_M = 0.8


@dataclass(frozen=True, slots=True)
class SideLight:
    """A light as the side view places it: its ``stand`` (height above the floor and distance
    along it, metres), ``along`` (metres along the unfolded floor from the subject, positive
    toward the camera) and what it aims at (``aim_along``, ``aim_height``, metres)."""

    role: LightType
    light: LightSettings
    on: bool
    stand: Stand
    along: float
    aim_along: float
    aim_height: float

    @property
    def in_front(self) -> bool:
        """Whether it stands on the camera's side of the subject."""
        return self.along >= 0.0


@dataclass(frozen=True, slots=True)
class SideScene:
    """What the side view draws, in metres: the subject's eyes, the camera's height and working
    distance, the backdrop's distance behind the subject, and every positioned light."""

    eye_height: float
    camera_height: float
    camera_distance: float
    backdrop_distance: float
    lights: tuple[SideLight, ...]


def _side_light(role: LightType, light: LightSettings, request: SceneRequest) -> SideLight:
    eye = request.subject_eye_height
    elevation = light.elevation if light.elevation is not None else 0.0
    azimuth = light.azimuth if light.azimuth is not None else 0.0
    placed = stand(eye, elevation, light.distance)
    front = math.cos(math.radians(azimuth))
    along = placed.floor_distance if front >= 0.0 else -placed.floor_distance
    aim = (0.0, eye)
    if role is LightType.BACKGROUND:
        backdrop = request.background_distance
        aim = (-backdrop, eye)
        if front < -0.2:  # behind the subject: its distance is to the backdrop
            along = -max((backdrop - placed.floor_distance) / -front, MIN_BACKGROUND_LIGHT_M)
    return SideLight(role, light, light.is_on, placed, along, aim[0], aim[1])


def side_scene(request: SceneRequest) -> SideScene:
    """The side view of ``request`` in metres: its positioned lights in role order (key first)
    and its camera (:func:`~lightrig.lighting.stands.camera_height`,
    :func:`~lightrig.lighting.stands.camera_distance`)."""
    settings = request.camera_settings
    eye = request.subject_eye_height
    lights = tuple(
        _side_light(role, request.lighting_setup[role], request)
        for role in ROLE_ORDER
        if role in request.lighting_setup and role is not LightType.AMBIENT
    )
    return SideScene(
        eye_height=eye,
        camera_height=camera_height(str(settings.camera_angle), eye),
        camera_distance=camera_distance(str(settings.shot_type), settings.focal_length_mm),
        backdrop_distance=request.background_distance,
        lights=lights,
    )


@dataclass(frozen=True, slots=True)
class SideFrame:
    """Metres to viewBox units: ``scale`` pixels per metre both ways, ``origin_x`` the x of the
    subject (0 m along the floor), ``floor_y`` the y of the floor; ``top_m`` and ``bottom_m``
    the heights (metres) at the drawing's top and bottom edges."""

    scale: float
    origin_x: float
    floor_y: float
    top_m: float
    bottom_m: float

    def x(self, along: float) -> float:
        """The x of a point ``along`` metres along the floor (positive toward the camera)."""
        return self.origin_x + along * self.scale

    def y(self, height: float) -> float:
        """The y of a point ``height`` metres above the floor."""
        return self.floor_y - height * self.scale

    @classmethod
    def fitted(cls, scene: SideScene) -> SideFrame:
        """The largest scale that holds the whole scene — the backdrop, the camera, every light
        and some room around them — centred across the drawing."""
        heights = [light.stand.height for light in scene.lights]
        top = max(
            _MIN_TOP_M,
            scene.eye_height + _HEADROOM_M,
            scene.camera_height + _HEADROOM_M,
            *(h + _HEADROOM_M for h in heights),
        )
        bottom = min(0.0, *(h - _HEADROOM_M for h in heights))
        alongs = [light.along for light in scene.lights]
        left = min(
            -_MIN_SIDE_M, -scene.backdrop_distance - 0.15, *(a - _SIDEROOM_M for a in alongs)
        )
        right = max(
            _MIN_SIDE_M, scene.camera_distance + _SIDEROOM_M, *(a + _SIDEROOM_M for a in alongs)
        )
        width, height = SIDE_RIGHT - SIDE_LEFT, SIDE_BOTTOM - SIDE_TOP
        scale = min(width / (right - left), height / (top - bottom))
        spare = width - (right - left) * scale
        origin_x = SIDE_LEFT + spare / 2.0 - left * scale
        floor_y = SIDE_BOTTOM + bottom * scale
        return cls(scale, origin_x, floor_y, top, bottom)
