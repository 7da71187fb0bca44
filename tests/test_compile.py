"""The FIBO prompt compiler: ten keys, no empties, photographers' words, determinism."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given

from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt
from lightrig.models import SceneRequest
from lightrig.presets import PRESETS
from tests.strategies import scene_requests


@given(scene_requests())
def test_property_every_valid_request_compiles_to_a_valid_prompt(data: dict[str, Any]) -> None:
    prompt = compile_prompt(SceneRequest.model_validate(data))
    validate_prompt(prompt)  # strict: ten keys in order, nothing empty, word limits
    assert set(prompt) <= set(TOP_LEVEL_KEYS)


@given(scene_requests())
def test_property_compile_is_deterministic(data: dict[str, Any]) -> None:
    first = prompt_json(compile_prompt(SceneRequest.model_validate(data)))
    again = prompt_json(compile_prompt(SceneRequest.model_validate(data)))
    revalidated = SceneRequest.model_validate(SceneRequest.model_validate(data).model_dump())
    assert first == again == prompt_json(compile_prompt(revalidated))


def test_lighting_is_said_in_a_photographers_words() -> None:
    prompt = compile_prompt(PRESETS["rembrandt"].request())
    lighting = prompt["lighting"]
    assert "45° camera-left, 42° above eye level" in lighting["direction"]
    assert "Rembrandt" in lighting["direction"]
    assert "5600 K daylight" in lighting["conditions"]
    assert "(a 70 cm softbox)" in lighting["conditions"]
    assert re.search(
        r"fill (one|two|three)( and a half)? stops? under the key", lighting["conditions"]
    )
    assert "lit triangle" in lighting["shadows"]
    assert "stops under the lit side" in lighting["shadows"]
    assert "Rembrandt lighting" in prompt["short_description"]
    assert prompt["aesthetics"]["mood_atmosphere"].startswith("dramatic")


def test_camera_goes_into_the_photographic_fields() -> None:
    request = SceneRequest.model_validate(
        {
            "lighting_setup": {"key": {"direction": "front, high", "intensity": 1}},
            "camera_settings": {
                "shot_type": "close-up",
                "focal_length": 105,
                "aperture": "f/2",
                "camera_angle": "low angle",
            },
        }
    )
    prompt = compile_prompt(request)
    camera = prompt["photographic_characteristics"]
    assert camera["lens_focal_length"] == "105 mm portrait telephoto lens"
    assert "f/2, 105 mm" in camera["depth_of_field"]
    assert camera["camera_angle"].startswith("low angle")
    assert prompt["aesthetics"]["composition"].startswith("close-up")


def test_warm_light_is_named_against_the_white_balance() -> None:
    def prompt_for(white_balance: int) -> dict[str, Any]:
        return compile_prompt(
            SceneRequest.model_validate(
                {
                    "lighting_setup": {
                        "key": {
                            "direction": "45 degrees camera-left",
                            "intensity": 1,
                            "color_temperature": 3200,
                        }
                    },
                    "camera_settings": {"white_balance": white_balance},
                }
            )
        )

    daylight = prompt_for(5600)
    assert "deep warm 3200 K tungsten" in daylight["lighting"]["conditions"]
    assert "amber" in daylight["aesthetics"]["color_scheme"]
    balanced = prompt_for(3200)
    assert "neutral 3200 K tungsten" in balanced["lighting"]["conditions"]
    assert "amber" not in balanced["aesthetics"]["color_scheme"]


def test_a_long_subject_still_fits_in_two_hundred_words() -> None:
    data = {
        "subject_description": " ".join(["old"] * 120),
        "environment": " ".join(["dim"] * 74),
        "lighting_setup": {
            role: {"direction": "front", "intensity": 0.5}
            for role in ("key", "fill", "rim", "kicker", "hair")
        },
    }
    data["lighting_setup"]["background"] = {"direction": "behind", "intensity": 0.5}
    data["lighting_setup"]["ambient"] = {"intensity": 0.1}
    prompt = compile_prompt(SceneRequest.model_validate(data))
    validate_prompt(prompt)
    assert len(prompt["short_description"].split()) <= 200
    assert "The lighting is" in prompt["short_description"]


def test_prompt_json_is_compact_and_ordered() -> None:
    prompt = compile_prompt(PRESETS["butterfly"].request())
    text = prompt_json(prompt)
    assert ", " not in text.split('"short_description"')[0]
    assert list(json.loads(text)) == [k for k in TOP_LEVEL_KEYS if k in prompt]
    assert "°" in text  # UTF-8, not \\u escapes
