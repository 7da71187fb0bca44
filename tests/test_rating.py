"""The rating ranks setups as a photographer would (issue 16): the verdict set's order, and each
fault a photographer flags costing points with a reason that says what and by how much."""

from __future__ import annotations

import copy
import random
import runpy
import statistics
from pathlib import Path
from typing import Any

import pytest
from scipy.stats import spearmanr

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.models import LightingAnalysis, SceneRequest
from lightrig.models.analysis import RatingComponent
from lightrig.presets import PRESETS
from tests.rating_verdicts import ORDER, SETUPS

ANALYZER = LightingAnalyzer()


def analyse(data: dict[str, Any]) -> LightingAnalysis:
    return ANALYZER.analyze(SceneRequest.model_validate(data))


def part(analysis: LightingAnalysis, name: str) -> RatingComponent:
    return next(c for c in analysis.rating_components if c.name == name)


@pytest.fixture(scope="module")
def rated() -> list[tuple[dict[str, Any], LightingAnalysis]]:
    return [(setup, analyse(setup["request"])) for setup in SETUPS]


# --- the verdict set ------------------------------------------------------------------------------


def test_the_verdict_set_is_ten_of_each() -> None:
    verdicts = [setup["verdict"] for setup in SETUPS]
    assert {v: verdicts.count(v) for v in ORDER} == {"good": 10, "flawed": 10, "bad": 10}
    assert all(setup["reason"] for setup in SETUPS)


def test_every_good_setup_rates_above_every_bad_one(
    rated: list[tuple[dict[str, Any], LightingAnalysis]],
) -> None:
    good = {s["name"]: a.rating for s, a in rated if s["verdict"] == "good"}
    bad = {s["name"]: a.rating for s, a in rated if s["verdict"] == "bad"}
    assert min(good.values()) > max(bad.values()), (good, bad)


def test_the_rating_follows_the_verdict_order(
    rated: list[tuple[dict[str, Any], LightingAnalysis]],
) -> None:
    ratings = [a.rating for _, a in rated]
    order = [ORDER[s["verdict"]] for s, _ in rated]
    assert spearmanr(ratings, order).statistic >= 0.8
    medians = {v: statistics.median(a.rating for s, a in rated if s["verdict"] == v) for v in ORDER}
    assert medians["good"] > medians["flawed"] > medians["bad"]


def test_every_lost_point_has_a_reason_with_numbers(
    rated: list[tuple[dict[str, Any], LightingAnalysis]],
) -> None:
    for setup, analysis in rated:
        for c in analysis.rating_components:
            if c.score < c.max_score:
                assert any(ch.isdigit() for ch in c.reason), (setup["name"], c)


def test_presets_rate_high_but_not_all_perfect() -> None:
    ratings = {name: ANALYZER.analyze(p.request()).rating for name, p in PRESETS.items()}
    assert min(ratings.values()) >= 9.0, ratings
    assert sum(r == 10.0 for r in ratings.values()) < len(ratings), ratings


# --- each fault, one at a time --------------------------------------------------------------------

LOW_KEY_REMBRANDT: dict[str, Any] = {
    "lighting_setup": {
        "key": {
            "azimuth": -50,
            "elevation": 42,
            "distance": 1.3,
            "intensity": 0.8,
            "modifier": "softbox",
            "modifier_size": 0.7,
        },
        "fill": {
            "azimuth": 20,
            "elevation": 5,
            "distance": 2.5,
            "intensity": 0.15,
            "modifier": "umbrella",
        },
        "kicker": {
            "azimuth": 140,
            "elevation": 15,
            "distance": 1.5,
            "intensity": 0.35,
            "modifier": "strip_box",
        },
    },
    "backdrop_color": "#141414",
}

LOOP: dict[str, Any] = {
    "lighting_setup": {
        "key": {
            "azimuth": 35,
            "elevation": 35,
            "distance": 1.5,
            "intensity": 0.8,
            "modifier": "softbox",
        },
        "fill": {
            "azimuth": -30,
            "elevation": 5,
            "distance": 2.0,
            "intensity": 0.4,
            "modifier": "umbrella",
        },
        "hair": {
            "azimuth": 160,
            "elevation": 55,
            "distance": 1.2,
            "intensity": 0.2,
            "modifier": "strip_box",
        },
    },
    "backdrop_color": "#606060",
}


def changed(base: dict[str, Any], **lights: dict[str, Any]) -> dict[str, Any]:
    """``base`` with some lights' fields changed (a light given as ``{}`` is removed)."""
    data = copy.deepcopy(base)
    for role, fields in lights.items():
        if not fields:
            data["lighting_setup"].pop(role, None)
        else:
            data["lighting_setup"].setdefault(role, {}).update(fields)
    return data


def test_the_reference_setups_are_sound() -> None:
    assert analyse(LOW_KEY_REMBRANDT).rating >= 9.5
    # a 5.3:1 loop on a mid-grey backdrop is mid-key: 2.4 stops is deep for a loop, not wrong
    assert analyse(LOOP).rating >= 9.5


def test_a_bare_key_close_in_runs_the_near_cheek_hot() -> None:
    # a bare head 40 cm from the face, 22:1 — yesterday's rating gave it 10
    data = {
        "lighting_setup": {
            "key": {
                "azimuth": -45,
                "elevation": 35,
                "distance": 0.4,
                "intensity": 0.3,
                "modifier": "bare",
            },
            "fill": {
                "azimuth": 20,
                "elevation": 0,
                "distance": 1.5,
                "intensity": 0.25,
                "modifier": "umbrella",
            },
            "hair": {
                "azimuth": 160,
                "elevation": 55,
                "distance": 1.0,
                "intensity": 0.5,
                "modifier": "strip_box",
            },
        },
        "backdrop_color": "#3a3a3a",
    }
    close = analyse(data)
    assert close.ratio.ratio > 20.0
    assert close.rating <= 8.0
    placement = part(close, "key placement")
    assert placement.score == 0.0
    assert "near cheek 0.6 stops over" in placement.reason
    # the same key as a softbox at 1.6 m: a near field by the 5-diameter rule, but no hot cheek
    far = analyse(changed(data, key={"distance": 1.6, "intensity": 1.0, "modifier": "softbox"}))
    assert any(light.near_field for light in far.lights if light.role.value == "key")
    assert "near cheek" not in part(far, "key placement").reason
    assert far.rating == 10.0


def test_a_key_weaker_than_the_fill_loses_its_lead() -> None:
    weak = analyse(
        changed(
            LOOP, key={"intensity": 0.45, "distance": 1.6}, fill={"distance": 1.2, "intensity": 0.6}
        )
    )
    placement = part(weak, "key placement")
    assert placement.score == 0.0
    assert "brighter than the key at the subject" in placement.reason
    assert "the fill flattens it" in part(weak, "contrast").reason
    assert weak.rating <= 7.5
    # a fill only a little under the key still costs something: the key barely leads
    near = part(analyse(changed(LOOP, fill={"distance": 1.3, "intensity": 0.5})), "key placement")
    assert 0.0 < near.score < near.max_score
    assert "barely leads" in near.reason


def test_a_fill_that_flattens_a_low_key_rembrandt_costs_the_contrast() -> None:
    flattened = analyse(changed(LOW_KEY_REMBRANDT, fill={"distance": 1.3, "intensity": 0.6}))
    contrast = part(flattened, "contrast")
    assert flattened.ratio.stops < 2.0
    assert "the fill flattens it" in contrast.reason
    # held to low-key by the near-black backdrop, which makes the whole frame low-key
    assert "low-key" in contrast.reason or "under the face" in contrast.reason
    assert contrast.score <= 2.0
    assert flattened.rating <= 8.5
    # the same fill on a light backdrop is an ordinary, open Rembrandt
    light = analyse(
        {
            **changed(LOW_KEY_REMBRANDT, fill={"distance": 1.3, "intensity": 0.6}),
            "backdrop_color": "#b0b0b0",
        }
    )
    assert part(light, "contrast").score > contrast.score


def test_an_accidental_colour_mix_costs_more_the_further_it_pulls_the_face() -> None:
    scores = [
        part(analyse(changed(LOOP, fill={"color_temperature": kelvin})), "colour").score
        for kelvin in (5600, 5000, 4200, 3200)
    ]
    assert scores[0] == 2.0
    assert scores[0] > scores[1] > scores[2] > scores[3]
    tungsten = part(analyse(changed(LOOP, fill={"color_temperature": 3200})), "colour")
    assert "shadow side" in tungsten.reason
    assert "looks accidental" in tungsten.reason


def test_a_coloured_accent_is_deliberate_and_costs_nothing() -> None:
    warm_hair = part(analyse(changed(LOOP, hair={"color_temperature": 3200})), "colour")
    assert warm_hair.score == warm_hair.max_score
    assert "deliberate colour contrast on the accents (hair" in warm_hair.reason


def test_no_separation_costs_more_the_darker_the_backdrop() -> None:
    bare = changed(LOOP, hair={})
    scores = [
        part(analyse({**bare, "backdrop_color": colour}), "separation").score
        for colour in ("#a0a0a0", "#707070", "#505050", "#101010")
    ]
    assert scores[0] == 1.5
    assert scores[0] > scores[1] > scores[2] > scores[3] == 0.0
    on_black = part(analyse({**bare, "backdrop_color": "#101010"}), "separation")
    assert "no rim or hair light" in on_black.reason
    # a hair light separates the subject even on black
    with_hair = part(analyse({**LOOP, "backdrop_color": "#101010"}), "separation")
    assert with_hair.score == with_hair.max_score


def test_a_hair_light_far_over_the_key_burns_out() -> None:
    hot = part(
        analyse(changed(LOOP, hair={"distance": 0.8, "intensity": 1.0, "modifier": "bare"})),
        "separation",
    )
    assert hot.score < 1.0
    assert "stops over the key" in hot.reason


def test_a_key_lower_than_the_eyes_costs_more_the_lower_it_is() -> None:
    scores = [
        part(analyse(changed(LOOP, key={"elevation": e})), "key placement").score
        for e in (35, 5, -5, -15)
    ]
    assert scores[0] == 2.0
    assert scores[0] > scores[1] > scores[2] > scores[3]
    assert (
        "below the eyes"
        in part(analyse(changed(LOOP, key={"elevation": -5})), "key placement").reason
    )


def test_two_hard_lights_of_equal_power_cast_two_sets_of_shadows() -> None:
    data = changed(
        LOOP,
        key={"azimuth": -45, "elevation": 30, "modifier": "bare"},
        fill={
            "azimuth": 45,
            "elevation": 30,
            "distance": 1.5,
            "intensity": 0.8,
            "modifier": "bare",
        },
    )
    shadows = part(analyse(data), "shadow quality")
    assert "second set of nose shadows" in shadows.reason
    assert shadows.score == 0.0


def test_hard_light_from_overhead_is_noon_sun() -> None:
    data = {
        "lighting_setup": {
            "key": {
                "azimuth": 0,
                "elevation": 80,
                "distance": 3.0,
                "intensity": 1.0,
                "modifier": "bare",
                "modifier_size": 0.05,
            },
            "ambient": {"intensity": 0.01},
        }
    }
    analysis = analyse(data)
    assert analysis.pattern.value == "top-light"
    assert part(analysis, "shadow quality").score == 0.0
    assert part(analysis, "key placement").score == 0.0
    assert analysis.rating <= 6.0


# --- the benchmark's statistics -------------------------------------------------------------------


def test_the_benchmarks_spearman_agrees_with_scipy() -> None:
    bench = runpy.run_path(str(Path(__file__).parent.parent / "benchmarks" / "rating.py"))
    rng = random.Random(16)
    for _ in range(20):
        xs = [float(rng.randint(1, 6)) for _ in range(25)]
        ys = [float(rng.randint(1, 3)) for _ in range(25)]
        assert bench["spearman"](xs, ys) == pytest.approx(spearmanr(xs, ys).statistic)
