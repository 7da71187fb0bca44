"""Where the preview camera stands: framing from the shot type, distance from the focal length.

A full-frame camera with a square crop (24 mm on a side, the sensor's short side) frames the
bust: the shot type sets how many metres of the subject the frame holds, the focal length sets
the field of view, and together they set the camera distance — so a 24 mm close-up stands close
and exaggerates the nose, an 85 mm one stands back and flattens it, as a real lens does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.models.camera import CameraAngle, CameraSettings, ShotType

__all__ = ["FRAMES", "Framing", "frame"]

_SENSOR_SIDE_MM = 24.0


@dataclass(frozen=True)
class Frame:
    """How much of the subject a shot type holds: frame height and centre height, metres."""

    height: float
    centre_y: float


#: The frame of each shot type on the bust (eye level is y = 0; the bust ends at the chest).
FRAMES: dict[ShotType, Frame] = {
    ShotType.EXTREME_CLOSE_UP: Frame(0.13, 0.005),
    ShotType.CLOSE_UP: Frame(0.30, -0.015),
    ShotType.MEDIUM_CLOSE_UP: Frame(0.52, -0.12),
    ShotType.MEDIUM_SHOT: Frame(0.75, -0.17),
    ShotType.COWBOY_SHOT: Frame(1.0, -0.2),
    ShotType.FULL_SHOT: Frame(1.4, -0.2),
    ShotType.WIDE_SHOT: Frame(2.4, -0.2),
}

#: Camera height around the subject for each camera angle, degrees above eye level.
_ELEVATION_DEG: dict[CameraAngle, float] = {
    CameraAngle.EYE_LEVEL: 0.0,
    CameraAngle.HIGH_ANGLE: 25.0,
    CameraAngle.LOW_ANGLE: -18.0,
    CameraAngle.OVERHEAD: 70.0,
    CameraAngle.DUTCH_ANGLE: 0.0,
}
_DUTCH_ROLL_DEG = 12.0

Vec = tuple[float, float, float]


@dataclass(frozen=True)
class Framing:
    """A pinhole camera: position, unit forward / right / up vectors, tan of the half angle."""

    position: Vec
    forward: Vec
    right: Vec
    up: Vec
    tan_half: float

    def as_list(self) -> list[float]:
        """Flattened for the render kernel: position, forward, right, up, tan_half."""
        return [*self.position, *self.forward, *self.right, *self.up, self.tan_half]


def _normalise(v: Vec) -> Vec:
    length = math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2)
    return (v[0] / length, v[1] / length, v[2] / length)


def _cross(a: Vec, b: Vec) -> Vec:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def frame(camera: CameraSettings) -> Framing:
    """The pinhole camera for ``camera``'s shot type, focal length (mm) and angle."""
    shot = FRAMES[camera.shot_type]
    tan_half = (_SENSOR_SIDE_MM / 2.0) / camera.focal_length_mm
    distance = (shot.height / 2.0) / tan_half
    elevation = math.radians(_ELEVATION_DEG[camera.camera_angle])
    target = (0.0, shot.centre_y, 0.0)
    position = (
        0.0,
        target[1] + distance * math.sin(elevation),
        distance * math.cos(elevation),
    )
    forward = _normalise(
        (target[0] - position[0], target[1] - position[1], target[2] - position[2])
    )
    right = _normalise(_cross(forward, (0.0, 1.0, 0.0)))
    up = _cross(right, forward)
    if camera.camera_angle is CameraAngle.DUTCH_ANGLE:
        roll = math.radians(_DUTCH_ROLL_DEG)
        c, s = math.cos(roll), math.sin(roll)
        right, up = (
            (right[0] * c + up[0] * s, right[1] * c + up[1] * s, right[2] * c + up[2] * s),
            (up[0] * c - right[0] * s, up[1] * c - right[1] * s, up[2] * c - right[2] * s),
        )
    return Framing(position=position, forward=forward, right=right, up=up, tan_half=tan_half)
