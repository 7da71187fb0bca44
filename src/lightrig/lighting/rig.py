"""A resolved setup: every light placed in the studio with numbers only.

A :class:`Rig` is what the analysis, the prompt compiler and the renderer work from. It holds the
enabled lights that give light (intensity above 0), each with its direction already turned from
words into angles and its softness into a modifier size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lightrig.lighting.colour import mired
from lightrig.lighting.geometry import Vec3, unit_vector, wrap_degrees
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.photometry import disc_illuminance
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import apparent_angle

__all__ = ["FACE_REFLECTANCE", "MID_GREY_REFLECTANCE", "PlacedLight", "Rig"]

#: Diffuse reflectance of a mid skin tone, used to compare the face with the backdrop.
FACE_REFLECTANCE = 0.3
#: Reflectance of an 18% grey card: the backdrop assumed when none is given.
MID_GREY_REFLECTANCE = 0.18


@dataclass(slots=True)
class PlacedLight:
    """One light with numbers only; treat it as immutable (it is not frozen only for speed).

    Angles in degrees (see :mod:`lightrig.lighting.geometry`), ``distance`` and ``size`` in
    metres, ``intensity`` 0–1 of full power (the power setting), ``output`` the light's
    full-power exposure in units of the reference light's (1.0 for a light that states no
    power; see :mod:`lightrig.lighting.power`), ``power_stated`` whether that came from a stated
    power, ``kelvin`` in kelvin. Derived on creation:
    ``strength`` (``intensity × output``: what the light delivers, in reference units),
    ``face_azimuth`` (the azimuth measured from the subject's nose rather than the camera axis),
    ``face_direction`` (unit vector toward the light in the face's frame), ``apparent_angle``
    (degrees), ``mired``, ``radius`` (metres), ``lights_subject`` (False for a background light,
    which is aimed at the backdrop), ``is_directional`` (False for ambient light) and ``facing``
    (the relative illuminance on a surface at the subject facing the light; see
    :mod:`lightrig.lighting.photometry`).
    """

    role: LightType
    azimuth: float
    elevation: float
    distance: float
    intensity: float
    kelvin: float
    size: float
    softness: float
    modifier: Modifier | None
    subject_yaw: float = 0.0
    output: float = 1.0
    power_stated: bool = False
    strength: float = field(init=False)
    face_azimuth: float = field(init=False)
    face_direction: Vec3 = field(init=False)
    apparent_angle: float = field(init=False)
    mired: float = field(init=False)
    radius: float = field(init=False)
    lights_subject: bool = field(init=False)
    is_directional: bool = field(init=False)
    facing: float = field(init=False)

    def __post_init__(self) -> None:
        self.strength = self.intensity * self.output
        self.face_azimuth = wrap_degrees(self.azimuth - self.subject_yaw)
        self.face_direction = unit_vector(self.face_azimuth, self.elevation)
        self.apparent_angle = apparent_angle(self.size, self.distance)
        self.mired = mired(self.kelvin)
        self.radius = self.size / 2.0
        self.lights_subject = self.role is not LightType.BACKGROUND
        self.is_directional = self.role is not LightType.AMBIENT
        self.facing = (
            disc_illuminance(self.strength, self.distance, self.radius)
            if self.is_directional
            else self.strength
        )

    @property
    def near_field(self) -> bool:
        """Closer than five modifier diameters, where inverse square overstates the falloff."""
        return self.is_directional and self.size > 0 and self.distance < 5.0 * self.size

    @property
    def near_field_limit(self) -> float:
        """The distance in metres beyond which inverse square holds for this modifier."""
        return 5.0 * self.size


@dataclass(frozen=True, slots=True)
class Rig:
    """A resolved setup: the lights that give light, the subject's head turn and the backdrop.

    ``subject_yaw``: degrees the face is turned, positive toward camera-right.
    ``background_distance``: metres from the subject to the backdrop.
    ``backdrop_reflectance``: 0–1. ``white_balance``: the camera's, in kelvin. ``shot_type``: the
    framing (a :class:`~lightrig.models.camera.ShotType` value), which sets how much of the
    frame the backdrop fills. ``iso``, ``shutter`` (seconds) and ``aperture`` (f-number): the
    camera's exposure settings, which the meter reads against.
    """

    lights: tuple[PlacedLight, ...]
    subject_yaw: float = 0.0
    background_distance: float = 1.5
    backdrop_reflectance: float = MID_GREY_REFLECTANCE
    white_balance: float = 5600.0
    shot_type: str = "medium close-up"
    iso: float = 100.0
    shutter: float = 1.0 / 125.0
    aperture: float = 4.0

    def light(self, role: LightType) -> PlacedLight | None:
        """The light in ``role``, if it is in the rig."""
        for light in self.lights:
            if light.role is role:
                return light
        return None

    def key(self) -> PlacedLight | None:
        """The light in the key role, else the strongest directional light on the subject."""
        chosen = self.light(LightType.KEY)
        if chosen is not None:
            return chosen
        candidates = [lt for lt in self.lights if lt.lights_subject and lt.is_directional]
        if not candidates:
            return None
        return max(candidates, key=lambda lt: lt.facing)
