"""Softness as apparent size, and illuminance by inverse square and angle of incidence."""

from __future__ import annotations

import math

import pytest

from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.photometry import backdrop_illuminance, facing_illuminance, illuminance_on
from lightrig.lighting.rig import PlacedLight, Rig
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import (
    ShadowHardness,
    apparent_angle,
    hardness_for_angle,
    penumbra_width,
    size_from_softness,
    softness_from_size,
)


def _light(**values: float | LightType) -> PlacedLight:
    base: dict[str, object] = {
        "role": LightType.KEY,
        "azimuth": 0.0,
        "elevation": 0.0,
        "distance": 2.0,
        "intensity": 1.0,
        "kelvin": 5600.0,
        "size": 0.0,
        "softness": 0.0,
        "modifier": None,
    }
    base.update(values)
    return PlacedLight(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "distance", "angle"),
    [(0.6, 1.0, 33.4), (1.5, 1.0, 73.7), (0.18, 2.0, 5.15), (0.0093, 1.0, 0.53)],
)
def test_apparent_angles_of_known_sources(size: float, distance: float, angle: float) -> None:
    assert apparent_angle(size, distance) == pytest.approx(angle, abs=0.05)


def test_softness_maps_to_a_modifier_size_and_back() -> None:
    assert size_from_softness(0.0) == 0.0
    assert size_from_softness(1.0) == pytest.approx(1.535, abs=0.001)
    for softness in (0.1, 0.45, 0.8):
        assert softness_from_size(size_from_softness(softness)) == pytest.approx(softness)
    assert softness_from_size(3.0) == 1.0


def test_moving_a_light_away_hardens_it() -> None:
    near = hardness_for_angle(apparent_angle(0.9, 1.0))
    far = hardness_for_angle(apparent_angle(0.9, 6.0))
    assert (near, far) == (ShadowHardness.SOFT, ShadowHardness.HARD)
    assert penumbra_width(0.9, 1.0, 0.03) == pytest.approx(0.027)


def test_inverse_square_far_from_the_source() -> None:
    near = facing_illuminance(_light(distance=2.0, size=0.1))
    far = facing_illuminance(_light(distance=4.0, size=0.1))
    assert math.log2(near / far) == pytest.approx(2.0, abs=0.01)
    one_stop = facing_illuminance(_light(distance=2.0 * math.sqrt(2), size=0.0))
    assert math.log2(facing_illuminance(_light(distance=2.0)) / one_stop) == pytest.approx(1.0)


def test_close_to_a_big_source_the_falloff_is_gentler() -> None:
    near = facing_illuminance(_light(distance=0.5, size=1.5))
    far = facing_illuminance(_light(distance=1.0, size=1.5))
    assert math.log2(near / far) < 1.5  # inverse square would say 2 stops
    assert _light(distance=0.5, size=1.5).near_field
    assert not _light(distance=10.0, size=1.5).near_field


def test_angle_of_incidence_and_roles() -> None:
    side = _light(azimuth=90.0)
    assert illuminance_on(side, (1.0, 0.0, 0.0)) == pytest.approx(0.25)
    assert illuminance_on(side, (-1.0, 0.0, 0.0)) == 0.0
    diagonal = (math.sqrt(0.5), 0.0, math.sqrt(0.5))
    assert illuminance_on(side, diagonal) == pytest.approx(0.25 * math.sqrt(0.5))
    background = _light(role=LightType.BACKGROUND, azimuth=180.0)
    assert illuminance_on(background, (0.0, 0.0, 1.0)) == 0.0
    ambient = _light(role=LightType.AMBIENT, intensity=0.1)
    assert illuminance_on(ambient, (-1.0, 0.0, 0.0)) == 0.1


def test_backdrop_gets_background_light_and_forward_spill_only() -> None:
    background = _light(role=LightType.BACKGROUND, azimuth=180.0, distance=1.0, intensity=0.5)
    rim = _light(role=LightType.RIM, azimuth=150.0, distance=1.0, intensity=1.0)
    key = _light(azimuth=45.0, distance=1.5, intensity=1.0)
    assert backdrop_illuminance(Rig(lights=(background,))) == pytest.approx(0.5)
    assert backdrop_illuminance(Rig(lights=(rim,))) == 0.0
    spill = backdrop_illuminance(Rig(lights=(key,), background_distance=1.5))
    assert 0.0 < spill < facing_illuminance(key)
    farther = backdrop_illuminance(Rig(lights=(key,), background_distance=4.0))
    assert farther < spill


def test_modifier_sizes_are_physical() -> None:
    from lightrig.lighting.modifiers import TYPICAL_SIZE_M

    assert set(TYPICAL_SIZE_M) == set(Modifier)
    assert TYPICAL_SIZE_M[Modifier.SNOOT] < TYPICAL_SIZE_M[Modifier.BEAUTY_DISH]
    assert TYPICAL_SIZE_M[Modifier.BEAUTY_DISH] < TYPICAL_SIZE_M[Modifier.OCTABOX]
