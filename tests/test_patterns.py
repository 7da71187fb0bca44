"""Pattern, broad/short and tonal-key classification follow the face and the numbers."""

from __future__ import annotations

from typing import Any

import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.patterns import (
    Facing,
    Pattern,
    TonalKey,
    classify_facing,
    classify_pattern,
)
from lightrig.lighting.tonality import tonal_balance
from lightrig.models import SceneRequest
from lightrig.presets import get_preset


@pytest.mark.parametrize(
    ("azimuth", "elevation", "expected"),
    [
        (0, 40, Pattern.BUTTERFLY),
        (10, 30, Pattern.BUTTERFLY),
        (30, 30, Pattern.LOOP),
        (-35, 40, Pattern.LOOP),
        (45, 45, Pattern.REMBRANDT),
        (-55, 40, Pattern.REMBRANDT),
        (90, 0, Pattern.SPLIT),
        (-85, 15, Pattern.SPLIT),
        (135, 20, Pattern.RIM_LIT),
        (0, 75, Pattern.TOP_LIGHT),
        (20, -30, Pattern.UNDER_LIGHT),
        (5, 5, Pattern.FLAT),
    ],
)
def test_key_position_names_the_pattern(
    azimuth: float, elevation: float, expected: Pattern
) -> None:
    call = classify_pattern(azimuth, elevation, 4.0, None, -2.0)
    assert call.pattern is expected
    assert call.reason


def test_butterfly_with_a_fill_below_is_clamshell() -> None:
    assert classify_pattern(0, 40, 2.0, 1.5, 0.0).pattern is Pattern.CLAMSHELL
    assert classify_pattern(0, 40, 2.0, 4.0, 0.0).pattern is Pattern.BUTTERFLY


def test_a_matching_fill_washes_the_pattern_out() -> None:
    assert classify_pattern(45, 45, 1.1, None, 0.0).pattern is Pattern.FLAT


def test_a_key_behind_against_a_bright_backdrop_is_a_silhouette() -> None:
    assert classify_pattern(160, 10, 1.0, None, 3.0).pattern is Pattern.SILHOUETTE


def test_broad_and_short_follow_the_head_turn() -> None:
    # face turned 30° toward camera-right; key at camera-left lights the side toward the camera
    assert classify_facing(30, -55) is Facing.BROAD
    assert classify_facing(30, 35) is Facing.SHORT
    assert classify_facing(-30, -35) is Facing.SHORT
    assert classify_facing(0, 45) is None
    assert classify_facing(30, 150) is None


def test_tonal_key_from_the_frames_tonal_balance() -> None:
    # open shadows on a white backdrop: light tones throughout
    assert tonal_balance(pattern=Pattern.LOOP, shadow_stops=0.8, backdrop_stops=0.5).tonal_key is (
        TonalKey.HIGH
    )
    # a Rembrandt on a near-black backdrop: dark tones dominate
    dark = tonal_balance(pattern=Pattern.REMBRANDT, shadow_stops=3.0, backdrop_stops=-4.0)
    assert dark.tonal_key is TonalKey.LOW
    assert dark.reason.startswith("low-key: the frame averages 2.6 stops under the lit skin")
    # the same 8:1 face on a light backdrop is not low-key: the ratio alone does not decide
    assert (
        tonal_balance(pattern=Pattern.REMBRANDT, shadow_stops=3.0, backdrop_stops=0.0).tonal_key
        is TonalKey.MID
    )
    # a bright frame with deep shadows is not high-key either
    assert (
        tonal_balance(pattern=Pattern.SPLIT, shadow_stops=3.0, backdrop_stops=1.0).tonal_key
        is TonalKey.MID
    )


def test_the_framing_weighs_the_backdrop() -> None:
    """A dark backdrop darkens a full-length frame more than a close-up of the face."""
    close = tonal_balance(
        pattern=Pattern.LOOP, shadow_stops=1.5, backdrop_stops=-3.0, shot_type="close-up"
    )
    full = tonal_balance(
        pattern=Pattern.LOOP, shadow_stops=1.5, backdrop_stops=-3.0, shot_type="full shot"
    )
    assert full.mean_stops < close.mean_stops
    assert full.tonal_key is TonalKey.LOW
    assert close.tonal_key is TonalKey.MID


def test_every_name_is_explained_in_the_reason() -> None:
    analyzer = LightingAnalyzer()
    for name in ("broad", "short", "low-key", "high-key"):
        analysis = analyzer.analyze(get_preset(name).request())
        for called in analysis.pattern_names:
            assert f"{called}:" in analysis.pattern_reason or called == analysis.pattern, (
                called,
                analysis.pattern_reason,
            )


def _request(subject_yaw: float, key_azimuth: float) -> dict[str, Any]:
    return {
        "subject_yaw": subject_yaw,
        "lighting_setup": {
            "key": {"azimuth": key_azimuth, "elevation": 35, "intensity": 0.8},
            "fill": {"azimuth": 0, "elevation": 0, "intensity": 0.2, "distance": 2.5},
        },
    }


def test_patterns_follow_the_face_not_the_camera() -> None:
    analyzer = LightingAnalyzer()
    facing_camera = analyzer.analyze(SceneRequest.model_validate(_request(0, 45)))
    turned_to_key = analyzer.analyze(SceneRequest.model_validate(_request(40, 45)))
    assert facing_camera.pattern is Pattern.REMBRANDT
    assert turned_to_key.pattern is Pattern.BUTTERFLY  # the key now sits on the nose axis
    turned_away = analyzer.analyze(SceneRequest.model_validate(_request(-30, 40)))
    assert turned_away.facing is Facing.BROAD
    assert "broad" in turned_away.pattern_names


def _analysed(setup: dict[str, dict[str, float]], backdrop: str = "#808080") -> tuple[str, str]:
    request = SceneRequest.model_validate({"lighting_setup": setup, "backdrop_color": backdrop})
    analysis = LightingAnalyzer().analyze(request)
    return str(analysis.pattern), analysis.pattern_reason


@pytest.mark.parametrize("azimuth", [30.0, 45.0])
def test_two_equal_lights_either_side_of_the_camera_are_flat(azimuth: float) -> None:
    pattern, reason = _analysed(
        {
            "key": {"azimuth": -azimuth, "elevation": 20.0, "intensity": 0.8},
            "fill": {"azimuth": azimuth, "elevation": 20.0, "intensity": 0.8},
        }
    )
    assert pattern == "flat", reason
    assert "either side of the nose" in reason


def test_two_equal_lights_well_to_the_sides_are_cross_lighting() -> None:
    pattern, reason = _analysed(
        {
            "key": {"azimuth": -100.0, "elevation": 15.0, "intensity": 0.8},
            "fill": {"azimuth": 100.0, "elevation": 15.0, "intensity": 0.8},
        }
    )
    assert pattern == "cross", reason


def test_a_fill_two_stops_under_the_key_leaves_the_pattern_one_sided() -> None:
    pattern, _ = _analysed(
        {
            "key": {"azimuth": -45.0, "elevation": 40.0, "intensity": 0.8},
            "fill": {"azimuth": 45.0, "elevation": 10.0, "intensity": 0.2},
        }
    )
    assert pattern == "rembrandt"


def test_a_head_lit_from_behind_on_a_dark_unlit_backdrop_is_rim_lit_not_a_silhouette() -> None:
    setup = {"rim": {"azimuth": 150.0, "elevation": 20.0, "intensity": 1.0}}
    pattern, reason = _analysed(setup, backdrop="#202020")
    assert pattern == "rim-lit", reason
    assert "not a silhouette" in reason
    # against a bright backdrop the same head is a dark shape: a silhouette
    assert _analysed(setup, backdrop="#f0f0f0")[0] == "silhouette"


def test_a_strong_rim_behind_the_head_does_not_make_the_lighting_two_sided() -> None:
    pattern, reason = _analysed(
        {
            "key": {"azimuth": 45.0, "elevation": 40.0, "intensity": 0.8},
            "rim": {"azimuth": -135.0, "elevation": 20.0, "intensity": 0.8},
        }
    )
    assert pattern == "rembrandt", reason


def test_a_fill_as_strong_as_the_key_but_far_below_it_still_fills() -> None:
    """A key 40° up and an eye-level fill the face receives as strongly (a 2:1 loop): the fill
    casts no pattern of its own, so the lighting is the key's, not flat."""
    pattern, reason = _analysed(
        {
            "key": {"azimuth": 30.0, "elevation": 40.0, "intensity": 0.8},
            "fill": {"azimuth": -25.0, "elevation": 5.0, "intensity": 0.8},
        }
    )
    assert pattern == "loop", reason
