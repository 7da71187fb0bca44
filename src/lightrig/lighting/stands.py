"""Stands and heights: where a light is in metres above the floor, and the camera's height.

A light is placed by its elevation (degrees above the subject's eye level, −90…90) and its
distance (metres from the light to the subject, in three dimensions). On a set the crew needs
the other two numbers: the height of the light's centre above the floor — what the stand is
raised to — and how far from the subject the stand stands on the floor::

    height         = eye_height + distance · sin(elevation)
    floor_distance = distance · cos(elevation)

and, the other way, the elevation a stand raised to ``height`` gives::

    elevation = asin((height − eye_height) / distance)

which exists only when ``|height − eye_height| ≤ distance`` (a light 1.5 m from eyes at 1.6 m
can stand between 0.1 m and 3.1 m high) and is refused below the floor (a height under 0 m).

The subject's eye height is metres above the same floor: :data:`DEFAULT_EYE_HEIGHT_M` (1.6 m, a
standing adult) unless the scene says otherwise, within :data:`MIN_EYE_HEIGHT_M`–
:data:`MAX_EYE_HEIGHT_M` (0.1 m lying on the floor, about 1.2 m seated, up to 3 m on a riser).

A background light's distance is to the backdrop, and its elevation is read from the point of
the backdrop at the subject's eye height: the same two formulas give its stand.

The camera stands at its angle's height: the eyes' height plus :data:`CAMERA_OFFSET_M` for the
:class:`~lightrig.models.camera.CameraAngle` (eye-level and dutch 0 m, high angle +0.6 m, low
angle −0.6 m, overhead +1.2 m — at a portrait's working distance of about 2 m, ±0.6 m is a tilt
of about 17°), never below :data:`MIN_CAMERA_HEIGHT_M` (a camera on the floor). It stands in
front of the subject at the working distance its framing asks of its lens: the frame's height
on the subject (:data:`FRAME_HEIGHT_M`, per :class:`~lightrig.models.camera.ShotType`) times the
focal length over the 24 mm height of a full-frame sensor held in landscape.

Pure numbers and the standard library only; bad input raises :class:`ValueError` with one line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CAMERA_OFFSET_M",
    "DEFAULT_EYE_HEIGHT_M",
    "FRAME_HEIGHT_M",
    "HEIGHT_TOLERANCE_M",
    "MAX_EYE_HEIGHT_M",
    "MIN_CAMERA_HEIGHT_M",
    "MIN_EYE_HEIGHT_M",
    "SENSOR_HEIGHT_MM",
    "Stand",
    "camera_distance",
    "camera_height",
    "elevation_for_height",
    "floor_distance",
    "height_range",
    "light_height",
    "stand",
]

#: The subject's eye height in metres above the floor when the scene names none: a standing adult.
DEFAULT_EYE_HEIGHT_M = 1.6
#: The lowest and highest eye heights accepted, metres: lying on the floor; standing on a riser.
MIN_EYE_HEIGHT_M = 0.1
MAX_EYE_HEIGHT_M = 3.0
#: How far (metres) a given height may sit from the height its elevation gives and still agree.
HEIGHT_TOLERANCE_M = 0.01
#: Metres the camera stands above (+) or below (−) the subject's eyes, by camera angle.
CAMERA_OFFSET_M: Mapping[str, float] = MappingProxyType(
    {
        "eye-level": 0.0,
        "high angle": 0.6,
        "low angle": -0.6,
        "overhead": 1.2,
        "dutch angle": 0.0,  # tilted about the lens axis, not raised
    }
)
#: The lowest a camera stands, metres above the floor (on the floor, on its side).
MIN_CAMERA_HEIGHT_M = 0.1
#: Metres of the subject a frame of each shot type holds from top to bottom.
FRAME_HEIGHT_M: Mapping[str, float] = MappingProxyType(
    {
        "extreme close-up": 0.15,
        "close-up": 0.3,
        "medium close-up": 0.5,
        "medium shot": 0.8,
        "cowboy shot": 1.2,
        "full shot": 2.0,
        "wide shot": 4.0,
    }
)
#: The short side of a full-frame sensor in millimetres (the frame's height in landscape).
SENSOR_HEIGHT_MM = 24.0
#: How near 1 the sine of an elevation may come by rounding before it is read as ±90°.
_ROUNDING = 1e-9


def _number(value: float) -> str:
    """``1.6``, ``0.25``, ``-0.2``: metres to the centimetre, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _metres(value: float) -> str:
    """``1.6 m``, ``0.25 m``: metres to the centimetre."""
    return f"{_number(value)} m"


def light_height(eye_height: float, elevation: float, distance: float) -> float:
    """Metres above the floor of the centre of a light ``distance`` metres from eyes
    ``eye_height`` metres high, ``elevation`` degrees above their level. Below 0 when the
    elevation puts the light under the floor."""
    return eye_height + distance * math.sin(math.radians(elevation))


def floor_distance(elevation: float, distance: float) -> float:
    """Metres along the floor from below the subject's eyes to below a light ``distance`` metres
    away at ``elevation`` degrees: where its stand stands."""
    return distance * math.cos(math.radians(elevation))


def height_range(eye_height: float, distance: float) -> tuple[float, float]:
    """The lowest and highest a light ``distance`` metres from eyes ``eye_height`` metres high
    can stand, metres above the floor (the floor bounds the lowest)."""
    return max(0.0, eye_height - distance), eye_height + distance


def elevation_for_height(height: float, eye_height: float, distance: float) -> float:
    """Degrees above eye level (−90…90) of a light whose centre is ``height`` metres above the
    floor and ``distance`` metres from eyes ``eye_height`` metres high. :class:`ValueError`
    (one line) for a height below the floor or out of the light's reach."""
    if not math.isfinite(height):
        raise ValueError(f"height {height} is not a number of metres")
    if height < 0.0:
        raise ValueError(
            f"height {_metres(height)} is below the floor; give metres above the floor, 0 or more"
        )
    rise = (height - eye_height) / distance
    if abs(rise) > 1.0 + _ROUNDING:
        low, high = height_range(eye_height, distance)
        # the range shown to the centimetre, inward (rounding noise first taken off)
        low_shown = math.ceil(round(low * 100.0, 6)) / 100.0
        high_shown = math.floor(round(high * 100.0, 6)) / 100.0
        raise ValueError(
            f"height {_metres(height)} is out of reach of a light {_metres(distance)} from eyes "
            f"at {_metres(eye_height)}: give a height from {_number(low_shown)} to "
            f"{_metres(high_shown)}, or a longer distance"
        )
    return math.degrees(math.asin(max(-1.0, min(1.0, rise))))


@dataclass(frozen=True, slots=True)
class Stand:
    """Where a light's stand goes: ``height`` (metres above the floor of the light's centre;
    below 0 for a light under the floor) and ``floor_distance`` (metres along the floor from
    below the subject's eyes)."""

    height: float
    floor_distance: float

    @property
    def below_floor(self) -> bool:
        """Whether the light's centre is under the floor (no stand can hold it there)."""
        return self.height < 0.0


def stand(eye_height: float, elevation: float, distance: float) -> Stand:
    """The stand of a light ``distance`` metres from eyes ``eye_height`` metres high,
    ``elevation`` degrees above their level."""
    return Stand(
        height=light_height(eye_height, elevation, distance),
        floor_distance=floor_distance(elevation, distance),
    )


def camera_height(camera_angle: str, eye_height: float) -> float:
    """Metres above the floor of a camera at ``camera_angle`` (a
    :class:`~lightrig.models.camera.CameraAngle` value) on eyes ``eye_height`` metres high:
    the eyes' height plus the angle's :data:`CAMERA_OFFSET_M`, at least
    :data:`MIN_CAMERA_HEIGHT_M`."""
    offset = CAMERA_OFFSET_M.get(str(camera_angle))
    if offset is None:
        accepted = ", ".join(f'"{name}"' for name in CAMERA_OFFSET_M)
        raise ValueError(f"unknown camera angle {camera_angle!r}; accepted: {accepted}")
    return max(MIN_CAMERA_HEIGHT_M, eye_height + offset)


def camera_distance(shot_type: str, focal_length_mm: float) -> float:
    """Metres from the camera to the subject for a ``shot_type`` (a
    :class:`~lightrig.models.camera.ShotType` value) on a ``focal_length_mm`` full-frame lens:
    the frame's height on the subject times the focal length over the sensor's 24 mm (an 85 mm
    medium close-up: 0.5 m × 85 / 24 = 1.77 m)."""
    frame = FRAME_HEIGHT_M.get(str(shot_type))
    if frame is None:
        accepted = ", ".join(f'"{name}"' for name in FRAME_HEIGHT_M)
        raise ValueError(f"unknown shot type {shot_type!r}; accepted: {accepted}")
    if not focal_length_mm > 0.0:
        raise ValueError(f"focal length {focal_length_mm} mm is not a positive length")
    return frame * focal_length_mm / SENSOR_HEIGHT_MM
