"""The nearest of Bria's preset relights to a lighting setup, and what the preset loses.

Bria's preset relighting (``POST /v2/image/edit/relight``) takes one of fourteen light types and
one of four directions (:data:`~lightrig.lighting.vocabulary.RELIGHT_TYPES`,
:data:`~lightrig.lighting.vocabulary.RELIGHT_DIRECTIONS`). A setup says far more: which side the
key is on, its exact angle, the ratio the fill leaves, the light's colour and size, the other
lights. :func:`nearest_relight_preset` picks the preset nearest the setup's key and says in
words, one line each, what the preset cannot say.

The direction is read from the key's place (degrees; azimuth positive toward camera-right,
elevation positive above eye level): :data:`TOP_DOWN_ELEVATION_DEG` or higher is ``top-down``,
:data:`BOTTOM_ELEVATION_DEG` or lower ``bottom``, otherwise :data:`SIDE_AZIMUTH_DEG` or more
round from the camera axis (behind the head too) ``side``, and the rest ``front``. The light
type is the one nearest the key's apparent colour (in mired, under the camera's white balance)
and softness, with lightrig's own studio types preferred over the outdoor ones, ``side
lighting`` kept for side keys, and the night types for low-key pictures.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.patterns import TonalKey
from lightrig.lighting.reading import read
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import RELIGHT_DIRECTIONS, RELIGHT_TYPES, ROLES, RelightType
from lightrig.models.scene import SceneRequest

__all__ = [
    "BOTTOM_ELEVATION_DEG",
    "SIDE_AZIMUTH_DEG",
    "TOP_DOWN_ELEVATION_DEG",
    "PresetRelight",
    "nearest_relight_preset",
]

#: A key this high above eye level (degrees) or higher is ``top-down``.
TOP_DOWN_ELEVATION_DEG = 60.0
#: A key this far below eye level (degrees, negative) or lower is ``bottom``.
BOTTOM_ELEVATION_DEG = -30.0
#: A key this far round from the camera axis (degrees) or further is ``side``.
SIDE_AZIMUTH_DEG = 45.0
_FRONT, _SIDE, _BOTTOM, _TOP_DOWN = RELIGHT_DIRECTIONS
#: Where each direction puts the light: (azimuth from the axis, elevation), degrees; ``None``
#: where the direction does not say.
_CANONICAL: dict[str, tuple[float | None, float]] = {
    _FRONT: (0.0, 0.0),
    _SIDE: (90.0, 0.0),
    _TOP_DOWN: (None, 90.0),
    _BOTTOM: (None, -90.0),
}
#: How far (degrees) the key may stand from its direction's place before its angle counts as lost.
_ANGLE_KEPT_DEG = 10.0
#: A colour this far (mired) from the light type's counts as lost.
_COLOUR_KEPT_MIRED = 20.0
#: A softness this far (0–1) from the light type's counts as lost.
_SOFTNESS_KEPT = 0.2
#: The score of one mired of colour and one unit of softness away from a light type.
_PER_MIRED, _PER_SOFTNESS = 0.01, 2.0
#: What a daylight type costs: lightrig's setups are studio setups, nearest the studio types
#: when all else is equal.
_OUTDOOR_PENALTY = 0.3
_NIGHT_PENALTY = 1.5
_SIDE_TYPE_BONUS = 0.3
_SIDE_TYPE_OFF_SIDE = 1.0
_REFERENCE_KELVIN = 5600.0


class PresetRelight(BaseModel):
    """A preset relight: ``light_type`` (one of Bria's fourteen), ``light_direction`` (one of
    its four) and ``lost``, what the setup says and the preset cannot, one line each."""

    model_config = ConfigDict(frozen=True)

    light_type: str
    light_direction: str
    lost: tuple[str, ...]


def _direction(azimuth: float, elevation: float) -> str:
    if elevation >= TOP_DOWN_ELEVATION_DEG:
        return _TOP_DOWN
    if elevation <= BOTTOM_ELEVATION_DEG:
        return _BOTTOM
    if abs(azimuth) >= SIDE_AZIMUTH_DEG:
        return _SIDE
    return _FRONT


def _mired(kelvin: float) -> float:
    return 1e6 / kelvin


def _score(
    kind: RelightType, mired: float, softness: float, direction: str, low_key: bool
) -> float:
    score = _PER_MIRED * abs(_mired(kind.kelvin) - mired)
    score += _PER_SOFTNESS * abs(kind.softness - softness)
    if not kind.studio:
        score += _OUTDOOR_PENALTY
    if kind.night and not low_key:
        score += _NIGHT_PENALTY
    if kind.side:
        score += -_SIDE_TYPE_BONUS if direction == _SIDE else _SIDE_TYPE_OFF_SIDE
    return score


def _side(azimuth: float) -> str:
    return "camera-right" if azimuth > 0 else "camera-left"


def _angle_lost(direction: str, azimuth: float, elevation: float) -> bool:
    place_azimuth, place_elevation = _CANONICAL[direction]
    if abs(elevation - place_elevation) > _ANGLE_KEPT_DEG:
        return True
    return place_azimuth is not None and abs(abs(azimuth) - place_azimuth) > _ANGLE_KEPT_DEG


def nearest_relight_preset(scene: SceneRequest) -> PresetRelight:
    """The preset relight nearest ``scene``'s key, and what it loses (see the module)."""
    reading = read(scene.rig())
    m = reading.measurements
    white_balance = m.rig.white_balance
    key = m.key
    if key is None:  # an ambient light alone: it comes from everywhere
        azimuth, elevation, kelvin, softness = 0.0, 0.0, _REFERENCE_KELVIN, 1.0
    else:
        azimuth, elevation = wrap_degrees(key.azimuth), key.elevation
        kelvin, softness = key.kelvin, key.softness
    direction = _direction(azimuth, elevation)
    # the colour the picture shows: the key's under the camera's white balance
    apparent = _mired(kelvin) - _mired(white_balance) + _mired(_REFERENCE_KELVIN)
    low_key = reading.tonal_key is TonalKey.LOW
    kind = min(RELIGHT_TYPES, key=lambda k: _score(k, apparent, softness, direction, low_key))

    lost: list[str] = []
    if key is None:
        lost.append("the light's direction: an ambient light alone comes from everywhere")
    else:
        if direction in (_FRONT, _SIDE) and abs(azimuth) >= 1.0:
            lost.append(
                f"the side: the key is {_side(azimuth)}; '{direction}' does not say which side"
            )
        if _angle_lost(direction, azimuth, elevation):
            behind = " (behind the head)" if abs(azimuth) > 90.0 else ""
            lost.append(
                f"the angle: the key {abs(azimuth):.0f}° round from the camera{behind} and "
                f"{elevation:+.0f}° from eye level becomes '{direction}'"
            )
    lost.append(f"the lighting ratio ({m.contrast}): a preset sets no fill")
    if abs(_mired(kind.kelvin) - apparent) > _COLOUR_KEPT_MIRED:
        lost.append(
            f"the colour temperature: {kelvin:.0f} K under a {white_balance:.0f} K white balance "
            f"becomes '{kind.words}' (about {kind.kelvin:.0f} K)"
        )
    if abs(kind.softness - softness) > _SOFTNESS_KEPT:
        lost.append(
            f"the key's softness: {softness:.2f} of 1 becomes '{kind.words}' "
            f"(about {kind.softness:.2f})"
        )
    written = {role.value: role.written for role in ROLES}
    for light in m.rig.lights:
        if key is not None and light is key:
            continue
        if light.role is LightType.AMBIENT:
            lost.append(f"the {written[light.role.value]}: a preset relights with one light")
            continue
        lost.append(
            f"the {written[light.role.value]} at {abs(wrap_degrees(light.azimuth)):.0f}° "
            f"{_side(wrap_degrees(light.azimuth))}: a preset relights with one light"
        )
    return PresetRelight(light_type=kind.words, light_direction=direction, lost=tuple(lost))
