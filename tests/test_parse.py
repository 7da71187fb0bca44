"""Reading light back out of structured prompts."""

from __future__ import annotations

import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.errors import InvalidStructuredPromptError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.parse import parse_lighting, parse_stops
from lightrig.models import LightType
from lightrig.presets import PRESETS


@pytest.mark.parametrize("name", list(PRESETS))
def test_compiled_prompts_read_back_closely(name: str) -> None:
    request = PRESETS[name].request()
    parsed = parse_lighting(compile_prompt(request))
    assert parsed.subject_yaw == request.subject_yaw
    for role, light in request.lighting_setup.items():
        if not light.is_on:
            continue
        back = parsed.lighting_setup[role]
        assert back.color_temperature == pytest.approx(light.color_temperature, abs=25)
        if role not in (LightType.AMBIENT, LightType.BACKGROUND):
            assert back.azimuth == pytest.approx(light.azimuth, abs=0.5)
            assert back.elevation == pytest.approx(light.elevation, abs=0.5)
    original = LightingAnalyzer().analyze(request)
    again = LightingAnalyzer().analyze(
        parsed.request(
            backdrop_color=request.backdrop_color,
            background_distance=request.background_distance,
            camera_settings=request.camera_settings,
        )
    )
    assert again.pattern == original.pattern


def test_captions_in_plain_words() -> None:
    caption = {
        "lighting": {
            "conditions": "warm tungsten practical light",
            "direction": "side-lit from the right",
            "shadows": "hard, deep shadows on the left of the face",
        }
    }
    parsed = parse_lighting(caption)
    key = parsed.lighting_setup[LightType.KEY]
    assert (key.azimuth, key.color_temperature) == (90.0, 3200.0)
    assert key.softness is not None
    assert key.softness < 0.2
    fill = parsed.lighting_setup[LightType.FILL]
    assert fill.intensity == pytest.approx(0.1)  # "deep shadows": three stops under
    assert "side-lit from the right" in parsed.understood


def test_stops_in_words() -> None:
    assert parse_stops("a fill one and a half stops under the key") == 1.5
    assert parse_stops("half a stop over") == -0.5
    assert parse_stops("two stops darker") == 2.0
    assert parse_stops("matching the key") == 0.0
    assert parse_stops("nothing here") is None


def test_a_prompt_without_lighting_is_an_error() -> None:
    with pytest.raises(InvalidStructuredPromptError, match="lighting"):
        parse_lighting({"short_description": "a cat"})
