"""Stands and heights in metres (:mod:`lightrig.lighting.stands`) and a light's ``height`` beside
its elevation (:class:`~lightrig.models.lights.LightSettings`, resolved by the scene from
``subject_eye_height``): the stand's geometry both ways, the camera's height and distance,
refusals in one line, agreement of the pair, and requests without heights left as they were.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightrig.conventions import conventions
from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting import stands
from lightrig.lighting.roles import DEFAULT_ELEVATION_DEG, LightType
from lightrig.lighting.stands import (
    CAMERA_OFFSET_M,
    DEFAULT_EYE_HEIGHT_M,
    FRAME_HEIGHT_M,
    camera_distance,
    camera_height,
    elevation_for_height,
    floor_distance,
    light_height,
    stand,
)
from lightrig.models import CameraAngle, LightSettings, SceneRequest, ShotType, parse_scene_request
from lightrig.presets import PRESETS, get_preset
from lightrig.translate.rules import RulesTranslator
from tests.strategies import scene_requests

eyes = st.floats(min_value=stands.MIN_EYE_HEIGHT_M, max_value=stands.MAX_EYE_HEIGHT_M)
distances = st.floats(min_value=0.1, max_value=100.0)
elevations = st.floats(min_value=-90.0, max_value=90.0)


def _errors(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidLightingSetupError) as caught:
        parse_scene_request(data)
    return {e.loc: e.message for e in caught.value.errors}


def _scene(key: dict[str, Any], **scene: Any) -> dict[str, Any]:
    return {"lighting_setup": {"key": {"azimuth": -45, "intensity": 0.8, **key}}, **scene}


# --- the geometry --------------------------------------------------------------------------------


def test_a_key_at_thirty_degrees_stands_where_a_hand_computation_puts_it() -> None:
    # 1.5 m from eyes at 1.6 m, 30° up: 1.6 + 1.5·sin 30° = 2.35 m high, 1.5·cos 30° = 1.30 m out
    placed = stand(1.6, 30.0, 1.5)
    assert placed.height == pytest.approx(2.35)
    assert placed.floor_distance == pytest.approx(1.2990381)
    assert not placed.below_floor
    assert elevation_for_height(2.35, 1.6, 1.5) == pytest.approx(30.0)
    assert light_height(1.6, 0.0, 3.0) == pytest.approx(1.6)  # eye level is the eyes' height
    assert floor_distance(90.0, 2.0) == pytest.approx(0.0, abs=1e-12)  # straight overhead
    assert stand(1.6, -90.0, 2.0).below_floor  # straight below, farther than the eyes are high


@given(eye=eyes, distance=distances, elevation=elevations)
def test_height_and_elevation_are_one_reading_both_ways(
    eye: float, distance: float, elevation: float
) -> None:
    height = light_height(eye, elevation, distance)
    # the stand's two lengths are the light's distance, split along the floor and up
    up, out = height - eye, floor_distance(elevation, distance)
    assert math.hypot(up, out) == pytest.approx(distance)
    if height >= 0.0:
        back = elevation_for_height(height, eye, distance)
        assert -90.0 <= back <= 90.0
        assert light_height(eye, back, distance) == pytest.approx(height, abs=1e-9)
        if abs(elevation) < 89.0:  # asin is exact enough away from straight up or down
            assert back == pytest.approx(elevation, abs=1e-6)


@pytest.mark.parametrize(
    ("height", "eye", "distance", "message"),
    [
        (
            -0.2,
            1.6,
            1.5,
            "height -0.2 m is below the floor; give metres above the floor, 0 or more",
        ),
        (
            4.0,
            1.6,
            1.5,
            "height 4 m is out of reach of a light 1.5 m from eyes at 1.6 m: give a height "
            "from 0.1 to 3.1 m, or a longer distance",
        ),
        (
            0.05,
            1.6,
            1.5,
            "height 0.05 m is out of reach of a light 1.5 m from eyes at 1.6 m: give a height "
            "from 0.1 to 3.1 m, or a longer distance",
        ),
        (
            2.0,
            0.5,
            1.0,
            "height 2 m is out of reach of a light 1 m from eyes at 0.5 m: give a height "
            "from 0 to 1.5 m, or a longer distance",
        ),
        (math.nan, 1.6, 1.5, "height nan is not a number of metres"),
    ],
)
def test_an_unreachable_height_is_refused_in_one_line(
    height: float, eye: float, distance: float, message: str
) -> None:
    with pytest.raises(ValueError, match=r"^height ") as caught:
        elevation_for_height(height, eye, distance)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_the_reach_is_exact_at_its_ends() -> None:
    assert elevation_for_height(3.1, 1.6, 1.5) == pytest.approx(90.0)
    assert elevation_for_height(0.1, 1.6, 1.5) == pytest.approx(-90.0)
    assert elevation_for_height(0.0, 0.5, 0.5) == pytest.approx(-90.0)  # on the floor


def test_the_camera_stands_at_its_angles_height() -> None:
    assert set(CAMERA_OFFSET_M) == {angle.value for angle in CameraAngle}
    assert camera_height("eye-level", 1.6) == pytest.approx(1.6)
    assert camera_height("dutch angle", 1.6) == pytest.approx(1.6)
    assert camera_height("high angle", 1.6) == pytest.approx(2.2)
    assert camera_height("low angle", 1.6) == pytest.approx(1.0)
    assert camera_height("overhead", 1.2) == pytest.approx(2.4)
    # a low angle on a subject lying on the floor: the camera on the floor, not under it
    assert camera_height("low angle", 0.3) == stands.MIN_CAMERA_HEIGHT_M
    with pytest.raises(
        ValueError, match="unknown camera angle 'sideways'; accepted: \"eye-level\""
    ):
        camera_height("sideways", 1.6)


def test_the_camera_stands_where_its_framing_asks_of_its_lens() -> None:
    assert set(FRAME_HEIGHT_M) == {shot.value for shot in ShotType}
    # an 85 mm medium close-up: 0.5 m of the subject over 24 mm of sensor, 85 mm back
    assert camera_distance("medium close-up", 85.0) == pytest.approx(0.5 * 85.0 / 24.0)
    assert camera_distance("full shot", 50.0) == pytest.approx(2.0 * 50.0 / 24.0)
    # a longer lens, or a wider framing, stands farther back
    assert camera_distance("close-up", 135.0) > camera_distance("close-up", 85.0)
    assert camera_distance("wide shot", 35.0) > camera_distance("medium shot", 35.0)
    with pytest.raises(ValueError, match="unknown shot type"):
        camera_distance("portrait", 85.0)
    with pytest.raises(ValueError, match="not a positive length"):
        camera_distance("close-up", 0.0)


# --- heights on lights, resolved by the scene ---------------------------------------------------


def test_a_height_alone_sets_the_elevation_from_the_eyes_and_the_distance() -> None:
    scene = parse_scene_request(_scene({"height": 2.2, "distance": 1.5}))
    key = scene.lighting_setup[LightType.KEY]
    assert key.height == 2.2
    assert key.elevation == pytest.approx(math.degrees(math.asin(0.6 / 1.5)))
    # the same stand for a seated subject is a steeper light
    seated = parse_scene_request(_scene({"height": 2.2, "distance": 1.5}, subject_eye_height=1.2))
    assert seated.lighting_setup[LightType.KEY].elevation == pytest.approx(
        math.degrees(math.asin(1.0 / 1.5))
    )


def test_height_and_elevation_given_together_must_agree() -> None:
    agreed = parse_scene_request(_scene({"elevation": 30, "height": 2.35, "distance": 1.5}))
    assert agreed.lighting_setup[LightType.KEY].height == 2.35
    assert agreed.lighting_setup[LightType.KEY].elevation == 30.0
    parse_scene_request(_scene({"elevation": 30, "height": 2.355, "distance": 1.5}))  # within 1 cm
    errors = _errors(_scene({"elevation": 10, "height": 2.35, "distance": 1.5}))
    assert list(errors.values()) == [
        "lighting_setup.key.height: 2.35 m disagrees with elevation 10° (1.86 m at 1.5 m from "
        "eyes at 1.6 m); give one or make them agree"
    ]
    # a direction that names a height gives the elevation the height must agree with
    words = _errors(_scene({"height": 1.6, "distance": 1.5, "direction": "high, camera-left"}))
    (message,) = words.values()
    assert message.startswith("lighting_setup.key.height: 1.6 m disagrees with elevation")


@pytest.mark.parametrize(
    ("key", "scene", "message"),
    [
        (
            {"height": 3.5, "distance": 1.5},
            {},
            "lighting_setup.key.height: 3.5 m is out of reach of a light 1.5 m from eyes at "
            "1.6 m: give a height from 0.1 to 3.1 m, or a longer distance",
        ),
        (
            {"height": -0.3},
            {},
            "lighting_setup.key.height: -0.3 m is below the floor; give metres above the "
            "floor, 0 or more",
        ),
        (
            {"height": 0.05, "distance": 0.5},
            {"subject_eye_height": 1.0},
            "lighting_setup.key.height: 0.05 m is out of reach of a light 0.5 m from eyes at "
            "1 m: give a height from 0.5 to 1.5 m, or a longer distance",
        ),
    ],
)
def test_a_height_out_of_reach_is_refused_naming_the_field(
    key: dict[str, Any], scene: dict[str, Any], message: str
) -> None:
    errors = _errors(_scene(key, **scene))
    assert list(errors.values()) == [message]
    with pytest.raises(InvalidLightingSetupError) as caught:
        parse_scene_request(_scene(key, **scene))
    assert "\n" not in str(caught.value)


def test_the_ambient_light_takes_no_height() -> None:
    data = _scene({})
    data["lighting_setup"]["ambient"] = {"intensity": 0.1, "height": 2.0}
    assert list(_errors(data).values()) == [
        "lighting_setup.ambient.height: the ambient light comes from everywhere and stands "
        "nowhere; give it no height"
    ]
    del data["lighting_setup"]["ambient"]["height"]
    assert parse_scene_request(data).lighting_setup[LightType.AMBIENT].height is None


@pytest.mark.parametrize("eye", [0.09, 3.01, "tall"])
def test_the_eye_height_is_metres_within_its_range(eye: object) -> None:
    errors = _errors(_scene({}, subject_eye_height=eye))
    assert "subject_eye_height" in errors
    assert "0.1" in errors["subject_eye_height"]
    assert "3" in errors["subject_eye_height"]


def test_requests_without_heights_keep_their_elevations_and_gain_heights() -> None:
    for name, preset in PRESETS.items():
        scene = preset.request()
        assert scene.subject_eye_height == DEFAULT_EYE_HEIGHT_M, name
        for role, light in scene.lighting_setup.items():
            assert light.elevation is not None
            if role is LightType.AMBIENT:
                assert light.height is None
                continue
            assert light.height == pytest.approx(
                light_height(DEFAULT_EYE_HEIGHT_M, light.elevation, light.distance)
            ), (name, role)
    plain = parse_scene_request(_scene({"distance": 2.0}))
    key = plain.lighting_setup[LightType.KEY]
    assert key.elevation == DEFAULT_ELEVATION_DEG[LightType.KEY]
    assert key.height == pytest.approx(1.6 + 2.0 * math.sin(math.radians(30.0)))


@given(scene_requests())
def test_a_validated_scene_validates_again_to_itself(data: dict[str, Any]) -> None:
    scene = parse_scene_request(data)
    again = parse_scene_request(scene.model_dump(mode="json"))
    assert again.model_dump(mode="json") == scene.model_dump(mode="json")


def test_one_light_object_goes_into_scenes_with_different_eyes() -> None:
    by_height = LightSettings(azimuth=-45, height=2.0, intensity=0.8, distance=1.5)
    by_angle = LightSettings(azimuth=30, elevation=20, intensity=0.4, distance=2.0)
    for eye in (1.6, 1.1, 1.6):
        scene = SceneRequest(
            lighting_setup={LightType.KEY: by_height, LightType.FILL: by_angle},
            subject_eye_height=eye,
        )
        key, fill = scene.lighting_setup[LightType.KEY], scene.lighting_setup[LightType.FILL]
        assert key.height == 2.0
        assert key.elevation == pytest.approx(math.degrees(math.asin((2.0 - eye) / 1.5)))
        assert fill.elevation == 20.0
        assert fill.height == pytest.approx(light_height(eye, 20.0, 2.0))
    assert by_height.given_placement == frozenset({"height"})
    assert by_angle.given_placement == frozenset({"elevation"})


def test_the_request_schema_gives_one_of_height_and_elevation() -> None:
    schema = SceneRequest.model_json_schema(mode="validation")
    light = schema["$defs"]["LightSettings"]
    assert {
        "not": {
            "required": ["height", "elevation"],
            "properties": {
                "height": {"not": {"type": "null"}},
                "elevation": {"not": {"type": "null"}},
            },
        }
    } in light["allOf"]
    height = next(p for p in light["properties"]["height"]["anyOf"] if p.get("type") == "number")
    assert height["minimum"] == 0.0  # a height given is on or above the floor
    setup = next(s for s in schema["anyOf"] if s.get("title") != "Lighting Setup (shorthand)")
    ambient = setup["properties"]["lighting_setup"]["properties"]["ambient"]
    unstood = next(part for part in ambient["allOf"] if "properties" in part)
    assert unstood["properties"]["height"] == {"type": "null"}
    # a validated light (the response) may stand under the floor: its schema says so
    response = SceneRequest.model_json_schema(mode="serialization")["$defs"]["LightSettings"]
    shown = next(p for p in response["properties"]["height"]["anyOf"] if p.get("type") == "number")
    assert shown["minimum"] < 0.0


def test_the_conventions_state_the_stands_tables() -> None:
    document = conventions()
    assert document.stands.default_eye_height_m == DEFAULT_EYE_HEIGHT_M
    assert document.stands.camera_offset_m == dict(CAMERA_OFFSET_M)
    assert document.stands.frame_height_m == dict(FRAME_HEIGHT_M)
    assert document.stands.sensor_height_mm == stands.SENSOR_HEIGHT_MM
    assert (document.ranges.subject_eye_height_m.min, document.ranges.subject_eye_height_m.max) == (
        stands.MIN_EYE_HEIGHT_M,
        stands.MAX_EYE_HEIGHT_M,
    )


def test_words_move_a_light_given_by_its_height_and_keep_the_subject_as_tall() -> None:
    base = get_preset("loop").request().model_dump(mode="json", exclude_none=True)
    base["subject_eye_height"] = 1.2
    for light in base["lighting_setup"].values():
        light.pop("height", None)  # heights for eyes at 1.6 m: the angles are kept instead
    base["lighting_setup"]["key"].pop("elevation")
    base["lighting_setup"]["key"]["height"] = 1.9
    scene = parse_scene_request(base)
    moved = asyncio.run(RulesTranslator().translate("key light high above", base=scene)).request
    assert moved.subject_eye_height == 1.2
    key = moved.lighting_setup[LightType.KEY]
    assert key.elevation is not None
    assert key.elevation > scene.lighting_setup[LightType.KEY].elevation  # type: ignore[operator]
    assert key.height == pytest.approx(light_height(1.2, key.elevation, key.distance))
