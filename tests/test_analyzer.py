"""The analyzer: physically grounded ratios, colour consistency, ratings that explain themselves."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting.geometry import probe_normals, unit_vector
from lightrig.lighting.patterns import Pattern
from lightrig.models import LightingAnalysis, SceneRequest
from tests.strategies import scene_requests

ANALYZER = LightingAnalyzer()


def analyse(data: dict[str, Any]) -> LightingAnalysis:
    return ANALYZER.analyze(SceneRequest.model_validate(data))


SEED = {
    "subject_description": "Professional portrait",
    "environment": "studio",
    "lighting_setup": {
        "key": {
            "direction": "45 degrees camera-right",
            "intensity": 0.8,
            "color_temperature": 5600,
            "softness": 0.5,
            "distance": 1.5,
        },
        "fill": {
            "direction": "30 degrees camera-left",
            "intensity": 0.4,
            "color_temperature": 5600,
            "softness": 0.7,
            "distance": 2.0,
        },
    },
    "camera_settings": {"shot_type": "medium shot", "fov": 85, "lens_type": "portrait"},
}


def test_seed_example_gets_a_sensible_analysis() -> None:
    analysis = analyse(SEED)
    ratio = analysis.ratio
    # naive tools call this 2:1 (key 0.8 / fill 0.4); the fill is farther and oblique
    assert ratio.intensity_ratio == pytest.approx(2.0)
    assert 3.0 < ratio.ratio < 6.5
    assert ratio.stops == pytest.approx(math.log2(ratio.ratio))
    assert ratio.key_over_fill_stops is not None
    assert ratio.key_over_fill_stops > 1.5
    assert ratio.asc_ratio == pytest.approx(1 + 2**ratio.key_over_fill_stops)
    assert ratio.lit_side == "upper camera-right"
    assert analysis.pattern is Pattern.REMBRANDT
    assert analysis.colour.consistency.value == "matched"
    assert analysis.shadows.hardness.value == "soft"
    # the seed's fov=85 with a portrait lens_type is read as 85 mm, and the analysis says so
    assert any("fov 85 was read as focal_length 85 mm" in w for w in analysis.warnings)
    assert any("Inverse square is only approximate" in w for w in analysis.warnings)
    assert analysis.recommendations


def _key_fill(fill_distance: float) -> dict[str, Any]:
    return {
        "lighting_setup": {
            "key": {"azimuth": -40, "elevation": 35, "distance": 1.5, "intensity": 0.8},
            "fill": {"azimuth": 0, "elevation": 0, "distance": fill_distance, "intensity": 0.5},
        }
    }


def test_ratio_falls_as_the_fill_comes_closer() -> None:
    ratios = [analyse(_key_fill(d)).ratio.ratio for d in (6.0, 4.0, 3.0, 2.0, 1.5)]
    assert ratios == sorted(ratios, reverse=True)
    assert ratios[0] > 2 * ratios[-1]


@st.composite
def key_and_shadow_side_fill(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], float]:
    """A key anywhere in front, and a fill whose direction lies on the key's shadow side."""
    key = {
        "azimuth": draw(st.floats(min_value=-85, max_value=85)),
        "elevation": draw(st.floats(min_value=-30, max_value=70)),
        "distance": draw(st.floats(min_value=0.5, max_value=5)),
        "intensity": draw(st.floats(min_value=0.05, max_value=1)),
        "softness": draw(st.floats(min_value=0, max_value=1)),
    }
    fx, fy, fz = unit_vector(
        draw(st.floats(min_value=-85, max_value=85)), draw(st.floats(min_value=-40, max_value=40))
    )
    lit, _ = probe_normals(key["azimuth"], key["elevation"])
    cx, cy = lit[0], lit[1]
    lean = fx * cx + fy * cy
    if lean > 0:  # mirror the fill to the other side of the key's axis
        scale = 2 * lean / (cx * cx + cy * cy)
        fx, fy = fx - scale * cx, fy - scale * cy
    fill = {
        "azimuth": math.degrees(math.atan2(fx, fz)),
        "elevation": math.degrees(math.asin(max(-1.0, min(1.0, fy)))),
        "intensity": draw(st.floats(min_value=0.01, max_value=1)),
        "softness": draw(st.floats(min_value=0, max_value=1)),
    }
    far = draw(st.floats(min_value=0.6, max_value=20))
    return key, fill, far


@given(key_and_shadow_side_fill(), st.floats(min_value=0.2, max_value=0.95))
def test_property_ratio_falls_as_the_fill_moves_closer(
    case: tuple[dict[str, Any], dict[str, Any], float], nearer: float
) -> None:
    key, fill, far = case
    farther = analyse({"lighting_setup": {"key": key, "fill": {**fill, "distance": far}}})
    closer = analyse({"lighting_setup": {"key": key, "fill": {**fill, "distance": far * nearer}}})
    assert closer.ratio.ratio <= farther.ratio.ratio * (1 + 1e-9)
    fill_reaches_shadow = next(
        lt for lt in farther.lights if lt.role.value == "fill"
    ).on_shadow_side
    if fill_reaches_shadow > 1e-9 and 1 + 1e-9 < farther.ratio.ratio < 1024:
        assert closer.ratio.ratio < farther.ratio.ratio


@given(scene_requests(), st.randoms(use_true_random=False))
def test_property_colour_consistency_is_symmetric_in_the_lights(
    data: dict[str, Any], rng: Any
) -> None:
    request = SceneRequest.model_validate(data)
    on_subject = [
        role
        for role, light in request.lighting_setup.items()
        if light.is_on and role.value != "background"
    ]
    shuffled = [request.lighting_setup[role].color_temperature for role in on_subject]
    rng.shuffle(shuffled)
    permuted = request.model_dump(mode="json")
    for role, kelvin in zip(on_subject, shuffled, strict=True):
        permuted["lighting_setup"][role.value]["color_temperature"] = kelvin
    before = ANALYZER.analyze(request).colour
    after = analyse(permuted).colour
    assert after.spread_mired == pytest.approx(before.spread_mired)
    assert after.consistency == before.consistency


@given(scene_requests())
def test_property_every_request_gets_a_complete_analysis(data: dict[str, Any]) -> None:
    analysis = analyse(data)
    total = sum(c.score for c in analysis.rating_components)
    assert analysis.rating == min(10.0, max(1.0, round(total, 1)))
    assert sum(c.max_score for c in analysis.rating_components) == 10.0
    assert all(0 <= c.score <= c.max_score for c in analysis.rating_components)
    assert analysis.ratio.stops == pytest.approx(math.log2(analysis.ratio.ratio))
    assert analysis.recommendations
    assert analysis.pattern.value == analysis.pattern_names[0]
    assert 1 <= len(analysis.mood) <= 5
    dumped = analysis.model_dump_json()
    assert "NaN" not in dumped
    assert "Infinity" not in dumped


def test_doubling_the_key_distance_costs_about_two_stops() -> None:
    def lit(distance: float) -> float:
        key = {
            "azimuth": 45,
            "elevation": 30,
            "distance": distance,
            "intensity": 1,
            "softness": 0.1,
        }
        return analyse({"lighting_setup": {"key": key}}).ratio.lit_illuminance

    assert math.log2(lit(2.0) / lit(4.0)) == pytest.approx(2.0, abs=0.05)


def test_mixed_colour_warns_and_suggests_a_gel() -> None:
    data = _key_fill(2.0)
    data["lighting_setup"]["key"]["color_temperature"] = 5600
    data["lighting_setup"]["fill"]["color_temperature"] = 3200
    analysis = analyse(data)
    assert analysis.colour.consistency.value == "deliberate mix"
    assert analysis.colour.spread_mired == pytest.approx(133.9, abs=0.1)
    assert any("Mixed colour temperatures" in w for w in analysis.warnings)
    gel = analysis.colour.gels[0]
    assert (gel.role.value, gel.gel) == ("fill", "full CTB")
    assert any("Add full CTB to the fill (3200 K → 5698 K)" in r for r in analysis.recommendations)
    colour = next(c for c in analysis.rating_components if c.name == "colour")
    assert colour.score < colour.max_score


def test_a_cool_rim_is_a_deliberate_accent_not_a_fault() -> None:
    data = _key_fill(2.0)
    data["lighting_setup"]["key"]["color_temperature"] = 3200
    data["lighting_setup"]["fill"]["color_temperature"] = 3200
    data["lighting_setup"]["rim"] = {
        "direction": "behind subject, camera-right",
        "intensity": 0.6,
        "color_temperature": 8000,
    }
    analysis = analyse(data)
    colour = next(c for c in analysis.rating_components if c.name == "colour")
    assert colour.score == colour.max_score
    assert "deliberate colour contrast" in colour.reason
    assert analysis.colour.gels == []


def test_key_weaker_than_fill_warns() -> None:
    data = _key_fill(0.8)
    data["lighting_setup"]["fill"]["intensity"] = 1.0
    analysis = analyse(data)
    assert any("brighter than the key at the subject" in w for w in analysis.warnings)
    placement = next(c for c in analysis.rating_components if c.name == "key placement")
    assert placement.score < placement.max_score


def _band(analysis: LightingAnalysis) -> tuple[float, float]:
    reason = next(c.reason for c in analysis.rating_components if c.name == "contrast")
    low, high = re.search(r"the ([\d.]+)–([\d.]+) stops", reason).groups()  # type: ignore[union-attr]
    return float(low), float(high)


def test_following_a_recommendation_brings_the_ratio_into_the_band() -> None:
    data = {
        "lighting_setup": {
            "key": {"azimuth": -35, "elevation": 30, "distance": 1.5, "intensity": 0.9},
            "fill": {"azimuth": 20, "elevation": 0, "distance": 2.0, "intensity": 0.15},
            "background": {"azimuth": 180, "distance": 1.0, "intensity": 0.3},
        },
        "backdrop_color": "#808080",
    }
    before = analyse(data)
    low, high = _band(before)
    assert before.ratio.stops > high
    advice = next(r for r in before.recommendations if "shadow side" in r)
    raised = re.search(r"raise the fill from [\d.]+ to ([\d.]+)", advice)
    closer = re.search(r"bring it in from [\d.]+ m to ([\d.]+) m", advice)
    assert raised
    assert closer
    for field, value in (("intensity", raised.group(1)), ("distance", closer.group(1))):
        fixed = {**data, "lighting_setup": {**data["lighting_setup"]}}
        fixed["lighting_setup"]["fill"] = {**data["lighting_setup"]["fill"], field: float(value)}
        after = analyse(fixed)
        assert low - 0.1 <= after.ratio.stops <= high + 0.1, (field, after.ratio.stops)


def test_too_flat_a_setup_is_told_to_move_the_fill_back() -> None:
    data = _key_fill(0.9)
    data["lighting_setup"]["fill"]["intensity"] = 0.3
    data["lighting_setup"]["key"]["azimuth"] = -60
    data["backdrop_color"] = "#404040"
    analysis = analyse(data)
    advice = " ".join(analysis.recommendations)
    assert "move the fill back from 0.9 m" in advice


def test_ambient_only_and_backdrop_only_setups() -> None:
    ambient = analyse({"lighting_setup": {"ambient": {"intensity": 0.3}}})
    assert ambient.key_role is None
    assert ambient.pattern is Pattern.FLAT
    assert ambient.ratio.ratio == 1.0
    backdrop = analyse(
        {
            "lighting_setup": {"background": {"direction": "behind", "intensity": 1.0}},
            "backdrop_color": "#ffffff",
        }
    )
    assert backdrop.pattern is Pattern.SILHOUETTE


def test_the_analyzer_takes_a_requests_plain_data_and_names_its_faults() -> None:
    data = {"lighting_setup": {"key": {"azimuth": -45, "elevation": 35, "intensity": 0.8}}}
    from_data = LightingAnalyzer().analyze(data)
    assert from_data == LightingAnalyzer().analyze(SceneRequest.model_validate(data))
    with pytest.raises(InvalidLightingSetupError, match=r"lighting_setup\.key\.intensity"):
        LightingAnalyzer().analyze({"lighting_setup": {"key": {"azimuth": 0, "intensity": 7}}})
