"""The nearest of Bria's preset relights to a setup, and what it says the preset loses."""

from __future__ import annotations

from typing import Any

import pytest

from lightrig.fibo.relight import PresetRelight, nearest_relight_preset
from lightrig.lighting.vocabulary import RELIGHT_DIRECTIONS, RELIGHT_TYPES
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS


def _scene(key: dict[str, Any], **lights: dict[str, Any]) -> SceneRequest:
    return SceneRequest.model_validate({"lighting_setup": {"key": key, **lights}})


def _lost(preset: PresetRelight, what: str) -> str | None:
    return next((line for line in preset.lost if line.startswith(f"the {what}")), None)


def test_the_vocabulary_holds_bria_s_fourteen_types_and_four_directions() -> None:
    assert len(RELIGHT_TYPES) == 14
    assert len({kind.words for kind in RELIGHT_TYPES}) == 14
    assert "side lighting" in {kind.words for kind in RELIGHT_TYPES}
    assert RELIGHT_DIRECTIONS == ("front", "side", "bottom", "top-down")
    for kind in RELIGHT_TYPES:
        assert 1000.0 < kind.kelvin < 12000.0, kind
        assert 0.0 <= kind.softness <= 1.0, kind


def test_a_key_at_camera_right_60_degrees_is_side_lighting_and_loses_its_side_and_angle() -> None:
    preset = nearest_relight_preset(
        _scene(
            {"azimuth": 60, "elevation": 15, "intensity": 0.8},
            fill={"azimuth": -20, "intensity": 0.2},
        )
    )
    assert (preset.light_type, preset.light_direction) == ("side lighting", "side")
    side = _lost(preset, "side")
    assert side is not None
    assert "camera-right" in side
    angle = _lost(preset, "angle")
    assert angle is not None
    assert "60°" in angle
    assert "+15°" in angle
    ratio = _lost(preset, "lighting ratio")
    assert ratio is not None
    assert "stops" in ratio
    fill = _lost(preset, "fill")
    assert fill is not None
    assert "camera-left" in fill


def test_the_other_side_is_lost_the_same_way() -> None:
    preset = nearest_relight_preset(_scene({"azimuth": -75, "elevation": 0, "intensity": 0.8}))
    assert preset.light_direction == "side"
    side = _lost(preset, "side")
    assert side is not None
    assert "camera-left" in side


@pytest.mark.parametrize(
    ("azimuth", "elevation", "direction"),
    [(0, 70, "top-down"), (10, -45, "bottom"), (-20, 25, "front"), (150, 10, "side")],
)
def test_the_direction_follows_the_key(azimuth: float, elevation: float, direction: str) -> None:
    preset = nearest_relight_preset(
        _scene({"azimuth": azimuth, "elevation": elevation, "intensity": 0.8})
    )
    assert preset.light_direction == direction
    assert preset.light_type in {kind.words for kind in RELIGHT_TYPES}


def test_a_key_behind_the_head_says_so() -> None:
    preset = nearest_relight_preset(_scene({"azimuth": 150, "elevation": 10, "intensity": 0.8}))
    angle = _lost(preset, "angle")
    assert angle is not None
    assert "behind the head" in angle


def test_a_canonical_side_key_keeps_its_angle_but_not_its_side() -> None:
    preset = nearest_relight_preset(_scene({"azimuth": 90, "elevation": 0, "intensity": 0.8}))
    assert _lost(preset, "angle") is None
    assert _lost(preset, "side") is not None


def test_the_light_s_colour_and_size_pick_the_type() -> None:
    hard = nearest_relight_preset(
        _scene({"azimuth": 20, "elevation": 20, "intensity": 0.8, "modifier": "bare"})
    )
    soft = nearest_relight_preset(
        _scene({"azimuth": 20, "elevation": 20, "intensity": 0.8, "modifier": "softbox"})
    )
    assert hard.light_type == "harsh studio lighting"
    assert soft.light_type == "soft overcast daylight lighting"
    warm = nearest_relight_preset(
        _scene(
            {
                "azimuth": 20,
                "elevation": 10,
                "intensity": 0.8,
                "color_temperature": 2600,
                "modifier": "bare",
            }
        )
    )
    assert warm.light_type in {"sunrise light", "low-angle sunlight"}
    colour = _lost(warm, "colour temperature")
    assert colour is None or "2600 K" in colour


def test_a_colour_far_from_the_type_is_said_lost() -> None:
    preset = nearest_relight_preset(
        _scene({"azimuth": 20, "elevation": 10, "intensity": 0.8, "color_temperature": 3200})
    )
    colour = _lost(preset, "colour temperature")
    assert colour is not None
    assert "3200 K" in colour
    assert preset.light_type in colour


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_maps_to_a_preset_relight(name: str) -> None:
    preset = nearest_relight_preset(PRESETS[name].request())
    assert preset.light_type in {kind.words for kind in RELIGHT_TYPES}
    assert preset.light_direction in RELIGHT_DIRECTIONS
    assert _lost(preset, "lighting ratio") is not None
