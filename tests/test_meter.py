"""The light meter: absolute power, incident readings in f-numbers, and their agreement with the
analysis (one photometric model, not two)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from lightrig import LightingAnalyzer
from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting.meter import f_number_text, power_setting_text
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.power import modifier_efficiency
from lightrig.models.analysis import MeterReport
from lightrig.models.scene import parse_scene_request
from lightrig.presets import PRESETS


def _meter(setup: dict[str, Any], **camera: Any) -> MeterReport:
    request: dict[str, Any] = {"lighting_setup": setup}
    if camera:
        request["camera_settings"] = camera
    return LightingAnalyzer().analyze(request).meter


def _key(**values: Any) -> dict[str, Any]:
    return {"key": {"azimuth": 0, "elevation": 0, "intensity": 1.0, **values}}


def test_doubling_a_lights_distance_drops_its_reading_by_two_stops_in_the_far_field() -> None:
    near = _meter(_key(distance=6.0, modifier="bare", power={"guide_number": 64}))
    far = _meter(_key(distance=12.0, modifier="bare", power={"guide_number": 64}))
    assert near.lights[0].facing is not None
    assert far.lights[0].facing is not None
    assert near.lights[0].facing.av - far.lights[0].facing.av == pytest.approx(2.0, abs=0.005)


def test_a_big_source_close_in_falls_off_less_than_inverse_square() -> None:
    near = _meter(_key(distance=0.6, modifier="octabox", power={"watt_seconds": 500}))
    far = _meter(_key(distance=1.2, modifier="octabox", power={"watt_seconds": 500}))
    assert near.lights[0].facing is not None
    assert far.lights[0].facing is not None
    assert 1.0 < near.lights[0].facing.av - far.lights[0].facing.av < 1.9


@pytest.mark.parametrize(("guide_number", "distance"), [(32.0, 4.0), (56.0, 7.0), (11.0, 2.0)])
def test_a_strobes_guide_number_distance_and_f_number_agree(
    guide_number: float, distance: float
) -> None:
    """GN = d × N at full power, ISO 100 (a bare head: its 18 cm reflector's disc correction
    is under a tenth of a percent this far away)."""
    found = _meter(_key(distance=distance, modifier="bare", power={"guide_number": guide_number}))
    facing = found.lights[0].facing
    assert facing is not None
    assert facing.f_number * distance == pytest.approx(guide_number, rel=2e-3)


def test_watt_seconds_through_a_standard_reflector_give_the_documented_guide_number() -> None:
    found = _meter(_key(distance=9.0, modifier="bare", power={"watt_seconds": 400}))
    facing = found.lights[0].facing
    assert facing is not None
    assert facing.f_number * 9.0 == pytest.approx(3.6 * math.sqrt(400), rel=2e-3)  # GN 72


def test_halving_the_power_is_one_stop_down() -> None:
    full = _meter(_key(intensity=1.0, power={"watt_seconds": 250}))
    half = _meter(_key(intensity=0.5, power={"watt_seconds": 250}))
    assert full.lit is not None
    assert half.lit is not None
    assert full.lit.av - half.lit.av == pytest.approx(1.0, abs=1e-9)
    assert half.lights[0].power_setting == "1/2 power (−1.0 stops)"
    assert half.lights[0].power_setting_stops == pytest.approx(-1.0)


def test_iso_and_a_stop_of_exposure_agree() -> None:
    at_100 = _meter(_key(power={"guide_number": 40}), iso=100)
    at_400 = _meter(_key(power={"guide_number": 40}), iso=400)
    assert at_100.lit is not None
    assert at_400.lit is not None
    assert at_400.lit.av - at_100.lit.av == pytest.approx(2.0, abs=1e-9)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_the_analysis_ratio_is_the_difference_of_the_lit_and_shadow_readings(name: str) -> None:
    analysis = LightingAnalyzer().analyze(PRESETS[name].request())
    meter = analysis.meter
    if analysis.ratio.lit_illuminance == 0.0:  # nothing on the face (a silhouette)
        assert meter.lit is None
        assert meter.shadow is None
        assert meter.ratio_stops is None
        return
    if analysis.ratio.shadow_unlit:
        assert meter.lit is not None
        assert meter.shadow is None or meter.lit.av - meter.shadow.av >= 10.0
        return
    assert meter.lit is not None
    assert meter.shadow is not None
    assert meter.ratio_stops == pytest.approx(analysis.ratio.stops, abs=1e-9)
    assert meter.lit.av - meter.shadow.av == pytest.approx(analysis.ratio.stops, abs=1e-9)


def test_stated_power_changes_the_ratio_as_the_meter_reads_it() -> None:
    """A fill that states more power than the reference lifts the shadow side: the analysis and
    the meter move together."""
    setup = {
        "key": {
            "direction": "45 degrees camera-left",
            "intensity": 1.0,
            "distance": 1.5,
            "modifier": "softbox",
            "power": {"watt_seconds": 400},
        },
        "fill": {
            "direction": "45 degrees camera-right",
            "intensity": 0.25,
            "distance": 2.0,
            "modifier": "umbrella",
            "power": {"watt_seconds": 400},
        },
    }
    analysis = LightingAnalyzer().analyze({"lighting_setup": setup})
    assert analysis.meter.ratio_stops == pytest.approx(analysis.ratio.stops, abs=1e-9)
    bigger = {**setup, "fill": {**setup["fill"], "power": {"watt_seconds": 1600}}}
    louder = LightingAnalyzer().analyze({"lighting_setup": bigger})
    assert louder.ratio.stops < analysis.ratio.stops
    assert louder.meter.ratio_stops == pytest.approx(louder.ratio.stops, abs=1e-9)


def test_a_setup_without_power_reads_as_it_did() -> None:
    """Stating no power is the reference light: relative numbers are untouched, and the meter
    says the readings are assumed."""
    request = PRESETS["rembrandt"].request()
    analysis = LightingAnalyzer().analyze(request)
    rig = request.rig()
    assert all(light.output == 1.0 for light in rig.lights)
    assert all(not x.power_stated for x in analysis.meter.lights)
    assert any("no power stated" in note for note in analysis.meter.notes)


def test_the_documented_hand_computation() -> None:
    """The README's worked example: a 500 Ws strobe in a 90 cm softbox at 1/4 power, 2 m from
    the face, ISO 100 — by hand:

    GN through a standard reflector 3.6·√500 = 80.50; the softbox keeps 0.7 × Ω(55°)/Ω(100°)
    = 0.7 × 0.70993 / 2.24441 = 0.22142 on axis; full power at 1 m is 80.50² × 250/100 ×
    0.22142 = 3 587 lx·s; at 2 m with the box's 0.45 m radius, 1/4 × 3 587 / (2² + 0.45²)
    = 213.4 lx·s; N = √(213.4 × 100 / 250) = 9.24, AV 6.42: "f/8 + 4/10".
    """
    found = _meter(
        {
            "key": {
                "azimuth": 0,
                "elevation": 0,
                "intensity": 0.25,
                "distance": 2.0,
                "modifier": "softbox",
                "modifier_size": 0.9,
                "power": {"watt_seconds": 500},
            }
        },
        aperture=8,
    )
    facing = found.lights[0].facing
    assert facing is not None
    assert facing.exposure == pytest.approx(213.4, abs=0.1)
    assert facing.f_number == pytest.approx(9.24, abs=0.005)
    assert facing.text == "f/8 + 4/10"
    # the lit-side probe leans 45° off the light: cos 45° is half a stop under facing it
    assert found.lit is not None
    assert found.lit.text == "f/5.6 + 9/10"
    assert found.exposure == "correct"
    assert modifier_efficiency(Modifier.SOFTBOX) == pytest.approx(0.22142, abs=1e-5)


def test_continuous_light_follows_the_shutter_and_flash_does_not() -> None:
    setup = {
        "key": {
            "direction": "90 degrees camera-left",
            "intensity": 1.0,
            "distance": 2.0,
            "power": {"guide_number": 32},
        },
        "ambient": {"intensity": 1.0, "power": {"lux_at_1m": 200}},
    }
    fast = _meter(setup, shutter="1/125")
    slow = _meter(setup, shutter="1/30")
    key_fast, key_slow = fast.lights[0], slow.lights[0]
    assert key_fast.facing is not None
    assert key_slow.facing is not None
    assert key_fast.facing.av == pytest.approx(key_slow.facing.av)
    ambient_fast, ambient_slow = fast.lights[1].facing, slow.lights[1].facing
    assert ambient_fast is not None
    assert ambient_slow is not None
    assert ambient_slow.av - ambient_fast.av == pytest.approx(math.log2(125 / 30), abs=1e-9)


def test_the_power_change_hits_the_target_aperture() -> None:
    setup = _key(intensity=0.5, distance=2.0, modifier="bare", power={"guide_number": 32})
    found = _meter(setup, aperture=11)
    assert found.lit is not None
    assert found.power_change_stops is not None
    # f/8 (GN 32 at 2 m is f/16 at full power, f/11 at half) on the lit probe, 45° off the axis
    after = _meter(
        {"key": {**setup["key"], "intensity": 0.5 * 2**found.power_change_stops}}, aperture=11
    )
    assert after.lit is not None
    assert after.lit.f_number == pytest.approx(11.0, rel=1e-6)
    assert after.exposure == "correct"


def test_a_light_that_cannot_reach_the_target_says_how_to_get_there() -> None:
    found = _meter(_key(intensity=1.0, distance=3.0, power={"guide_number": 16}), aperture=16)
    assert any("over full power: move it to" in note for note in found.notes)


@pytest.mark.parametrize(
    ("f_number", "text"),
    [
        (8.0, "f/8"),
        (9.24, "f/8 + 4/10"),
        (2.0 ** (6.96 / 2), "f/11"),
        (1.0, "f/1"),
        (0.3, "under f/0.5"),
        (400.0, "over f/256"),
        (5.6, "f/5.6"),
    ],
)
def test_f_numbers_are_written_as_meters_show_them(f_number: float, text: str) -> None:
    assert f_number_text(f_number) == text


@pytest.mark.parametrize(
    ("intensity", "text"),
    [
        (1.0, "full power"),
        (0.25, "1/4 power (−2.0 stops)"),
        (0.4, "1/4 +0.7 (−1.3 stops)"),
        (0.9, "1/2 +0.8 (−0.2 stops)"),
        (0.99, "full power"),
    ],
)
def test_power_settings_are_written_in_fractions_and_stops(intensity: float, text: str) -> None:
    assert power_setting_text(intensity) == text


@pytest.mark.parametrize(
    ("power", "words"),
    [
        ({"watt_seconds": 500, "guide_number": 40}, "give exactly one of"),
        ({}, "give exactly one of"),
        ({"watt_seconds": 0.5}, "watt_seconds"),
        ({"lux_at_1m": "bright"}, "lux_at_1m"),
    ],
)
def test_bad_power_is_one_line_naming_the_field(power: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidLightingSetupError) as caught:
        parse_scene_request({"lighting_setup": _key(power=power)})
    message = str(caught.value)
    assert "lighting_setup.key.power" in message
    assert words in message
    assert "Traceback" not in message


def test_a_window_states_lux_and_ambient_light_is_continuous() -> None:
    with pytest.raises(InvalidLightingSetupError, match="daylight, not a strobe"):
        parse_scene_request(
            {"lighting_setup": _key(modifier="window", power={"watt_seconds": 500})}
        )
    with pytest.raises(InvalidLightingSetupError, match="ambient light is continuous"):
        parse_scene_request(
            {
                "lighting_setup": {
                    **_key(),
                    "ambient": {"intensity": 0.2, "power": {"guide_number": 20}},
                }
            }
        )


@pytest.mark.parametrize(
    ("given", "seconds"), [("1/125", 1 / 125), ("1/250 s", 1 / 250), ("2 s", 2.0), (0.5, 0.5)]
)
def test_the_shutter_is_read_as_photographers_write_it(given: object, seconds: float) -> None:
    request = parse_scene_request({"lighting_setup": _key(), "camera_settings": {"shutter": given}})
    assert request.camera_settings.shutter == pytest.approx(seconds)


@pytest.mark.parametrize("given", ["1/9000", "fast", True, 120])
def test_a_bad_shutter_is_refused_in_one_line(given: object) -> None:
    with pytest.raises(InvalidLightingSetupError) as caught:
        parse_scene_request({"lighting_setup": _key(), "camera_settings": {"shutter": given}})
    assert "camera_settings.shutter" in str(caught.value)


def test_a_fast_shutter_warns_about_flash_sync() -> None:
    found = _meter(_key(), shutter="1/1000")
    assert any("sync speed" in note for note in found.notes)


@pytest.mark.parametrize(
    ("setup", "valid"),
    [
        ({"ambient": {"intensity": 0.2, "power": {"lux_at_1m": 300}}}, True),
        ({"ambient": {"intensity": 0.2, "power": {"watt_seconds": 300}}}, False),
        (
            {
                "key": {
                    "azimuth": 0,
                    "intensity": 1,
                    "modifier": "window",
                    "power": {"lux_at_1m": 8000},
                }
            },
            True,
        ),
        (
            {
                "key": {
                    "azimuth": 0,
                    "intensity": 1,
                    "modifier": "window",
                    "power": {"guide_number": 20},
                }
            },
            False,
        ),
        (
            {
                "key": {
                    "azimuth": 0,
                    "intensity": 1,
                    "modifier": "softbox",
                    "power": {"guide_number": 20},
                }
            },
            True,
        ),
        (
            {"key": {"azimuth": 0, "intensity": 1, "power": {"guide_number": 20, "lux_at_1m": 9}}},
            False,
        ),
    ],
)
def test_the_request_schema_says_what_the_power_checks_refuse(
    setup: dict[str, Any], valid: bool
) -> None:
    """A request the schema calls valid is accepted, and one it refuses is refused (the API's
    schema run holds the server to this)."""
    import jsonschema_rs

    from lightrig.models.scene import SceneRequest

    schema = SceneRequest.model_json_schema(mode="validation")
    request = {"lighting_setup": setup}
    assert jsonschema_rs.validator_for(schema).is_valid(request) is valid
    if valid:
        parse_scene_request(request)
    else:
        with pytest.raises(InvalidLightingSetupError):
            parse_scene_request(request)


def test_a_light_next_to_off_is_metered_without_overflow() -> None:
    """A light at a denormal intensity (Schemathesis sent 2.2e-311) asks for over a thousand
    stops more: the meter says so in words and numbers, never overflows."""
    found = _meter(_key(intensity=2.225073858507e-311, distance=5.9))
    assert found.power_change_stops is not None
    assert found.power_change_stops > 1000.0
    assert found.power_change.endswith("over full power")
    assert found.lights[0].power_setting.startswith("under 1/1024 power (−")
    assert any("stops over full power" in note for note in found.notes)
