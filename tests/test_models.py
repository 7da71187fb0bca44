"""Validation of lights, cameras and scene requests: clear errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting.softness import size_from_softness, softness_from_size
from lightrig.models import (
    CameraAngle,
    CameraSettings,
    LightSettings,
    LightType,
    Modifier,
    SceneRequest,
    ShotType,
    parse_scene_request,
)
from tests.strategies import scene_requests


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidLightingSetupError) as caught:
        parse_scene_request(data)
    return {e.loc: e.message for e in caught.value.errors}


def _key(**light: Any) -> dict[str, Any]:
    return {"lighting_setup": {"key": {"intensity": 0.8, **light}}}


def test_words_and_numbers_agree() -> None:
    light = LightSettings(direction="30° camera-left, 20° above", intensity=0.5)
    assert (light.azimuth, light.elevation) == (-30.0, 20.0)
    both = LightSettings(direction="45 degrees camera-right", azimuth=45, intensity=0.5)
    assert both.azimuth == 45.0
    numeric = LightSettings(direction=-60, intensity=0.5)  # type: ignore[arg-type]
    assert numeric.azimuth == -60.0
    assert numeric.direction == "60° camera-left"


def test_disagreeing_words_and_numbers_are_refused() -> None:
    with pytest.raises(InvalidLightingSetupError, match="means azimuth 45° but azimuth is -45°"):
        LightSettings(direction="45 degrees camera-right", azimuth=-45, intensity=0.5)
    with pytest.raises(InvalidLightingSetupError, match="means elevation 90° but elevation is 10°"):
        LightSettings(direction="overhead", elevation=10, intensity=0.5)


def test_unreadable_direction_names_the_field_and_the_forms() -> None:
    errors = _errors(_key(direction="somewhere nice"))
    message = errors["lighting_setup.key.direction"]
    assert "unknown word 'somewhere'" in message
    assert '"45 degrees camera-right"' in message


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("intensity", 1.5, "got 1.5; accepted: a number from 0 to 1"),
        ("color_temperature", 900, "got 900; accepted: a number from 1700 to 12000"),
        ("distance", 0.0, "got 0.0; accepted: a number from 0.1 to 100"),
        ("softness", -0.1, "got -0.1; accepted: a number from 0 to 1"),
        ("modifier", "lampshade", "got 'lampshade'; accepted: one of \"bare\""),
        ("azimuth", 181, "got 181; accepted: a number from -180 to 180"),
        (
            "colour_temperature",
            5600,
            "unknown field 'colour_temperature' (did you mean 'color_temperature'?)",
        ),
    ],
)
def test_out_of_range_fields_are_named(field: str, value: Any, fragment: str) -> None:
    data = _key(direction="front")
    data["lighting_setup"]["key"][field] = value
    errors = _errors(data)
    assert fragment in errors[f"lighting_setup.key.{field}"]


def test_a_request_with_no_light_on_is_invalid() -> None:
    for setup in (
        {"key": {"direction": "front", "intensity": 0.8, "enabled": False}},
        {"key": {"direction": "front", "intensity": 0.0}},
    ):
        errors = _errors({"lighting_setup": setup})
        assert "no light is on" in errors[""]
    assert _errors({"lighting_setup": {}})["lighting_setup"].startswith("no lights; give at least")


def test_unknown_role_is_named() -> None:
    errors = _errors({"lighting_setup": {"keylight": {"direction": "front", "intensity": 1}}})
    assert any("'key'" in message for message in errors.values())


def test_a_directional_light_needs_a_place() -> None:
    errors = _errors({"lighting_setup": {"fill": {"intensity": 0.4}}})
    assert "lighting_setup.fill: give a direction" in errors[""]
    ambient = parse_scene_request({"lighting_setup": {"ambient": {"intensity": 0.2}}})
    assert ambient.lighting_setup[LightType.AMBIENT].elevation == 90.0


def test_role_heights_fill_an_unstated_elevation() -> None:
    request = parse_scene_request(
        {
            "lighting_setup": {
                "key": {"direction": "45 degrees camera-right", "intensity": 0.8},
                "fill": {"direction": "30 degrees camera-left", "intensity": 0.4},
                "hair": {"direction": "behind", "intensity": 0.3},
            }
        }
    )
    heights = {role: light.elevation for role, light in request.lighting_setup.items()}
    assert heights == {LightType.KEY: 30.0, LightType.FILL: 0.0, LightType.HAIR: 50.0}


def test_softness_modifier_and_size_resolve_to_one_size() -> None:
    from_softness = LightSettings(direction="front", intensity=1, softness=0.45)
    assert from_softness.modifier_size == pytest.approx(size_from_softness(0.45))
    from_modifier = LightSettings(direction="front", intensity=1, modifier=Modifier.OCTABOX)
    assert from_modifier.modifier_size == 1.2
    assert from_modifier.softness == pytest.approx(softness_from_size(1.2))
    from_size = LightSettings(direction="front", intensity=1, modifier_size=0.6)
    assert from_size.softness == pytest.approx(0.4455, abs=1e-3)
    default = LightSettings(direction="front", intensity=1)
    assert default.softness == 0.5
    with pytest.raises(
        InvalidLightingSetupError, match=r"softness 0\.9 disagrees with modifier_size 0\.3 m"
    ):
        LightSettings(direction="front", intensity=1, softness=0.9, modifier_size=0.3)


def test_camera_aliases_aperture_and_lens() -> None:
    camera = CameraSettings(
        shot_type="Head and Shoulders", camera_angle="bird's eye", aperture="f/2.8"
    )
    assert camera.shot_type is ShotType.MEDIUM_CLOSE_UP
    assert camera.camera_angle is CameraAngle.OVERHEAD
    assert camera.aperture == 2.8
    assert camera.focal_length == 85.0
    assert camera.fov == pytest.approx(23.91, abs=0.01)
    assert CameraSettings(fov=85).focal_length == pytest.approx(19.64, abs=0.01)
    assert CameraSettings(aperture="f8").aperture == 8.0
    with pytest.raises(InvalidLightingSetupError, match="unknown shot type 'establishing'"):
        CameraSettings(shot_type="establishing")
    with pytest.raises(InvalidLightingSetupError, match="cannot read aperture 'wide open'"):
        CameraSettings(aperture="wide open")
    with pytest.raises(
        InvalidLightingSetupError, match="fov 40° disagrees with focal_length 85 mm"
    ):
        CameraSettings(fov=40, focal_length=85)


def test_backdrop_colour_is_checked() -> None:
    errors = _errors({**_key(direction="front"), "backdrop_color": "grey"})
    assert "write it as '#rrggbb'" in errors[""]


def test_blank_text_is_refused() -> None:
    errors = _errors({**_key(direction="front"), "subject_description": "   "})
    assert "subject_description" in errors


@given(scene_requests())
def test_validated_requests_round_trip_unchanged(data: dict[str, Any]) -> None:
    request = SceneRequest.model_validate(data)
    dumped = request.model_dump(mode="json")
    again = SceneRequest.model_validate(dumped)
    assert again.model_dump(mode="json") == dumped
    for light in again.lighting_setup.values():
        assert light.azimuth is not None
        assert light.elevation is not None
        assert light.softness is not None
        assert light.modifier_size is not None
