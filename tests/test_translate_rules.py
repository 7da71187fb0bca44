"""The offline translator: the development set's accuracy, the vocabulary, and its honesty about
what it did not understand."""

from __future__ import annotations

import asyncio
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.errors import NaturalLanguageTranslationError
from lightrig.lighting.colour import mired
from lightrig.lighting.direction import DirectionWords, parse_direction_words
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest
from lightrig.presets import get_preset
from lightrig.translate.base import MAX_TEXT_CHARS, Translation, Translator
from lightrig.translate.rules import RulesTranslator
from tests.devset import CASES, Case
from tests.directions import PHRASES as DIRECTION_PHRASES

FIELDS = ("side", "name", "band", "colour")


def translate(text: str, base: SceneRequest | None = None) -> Translation:
    return asyncio.run(RulesTranslator().translate(text, base=base))


def analyse(text: str) -> tuple[Translation, LightingAnalysis]:
    translation = translate(text)
    return translation, LightingAnalyzer().analyze(translation.request)


def measured(request: SceneRequest, analysis: LightingAnalysis) -> dict[str, str]:
    """The four fields of a :class:`Case`, read from a request and its analysis."""
    key = request.lighting_setup.get(LightType.KEY)
    if key is None or not key.is_on:
        side = "none"
    elif abs(key.azimuth) > 100.0:
        side = "behind"
    elif abs(key.azimuth) <= 10.0:
        side = "center"
    else:
        side = "left" if key.azimuth < 0 else "right"
    ratio = analysis.ratio.ratio
    band = "low" if ratio <= 2.5 else "medium" if ratio <= 6.0 else "high"
    shift = mired(analysis.colour.mean_kelvin) - mired(request.camera_settings.white_balance)
    colour = "warm" if shift > 25.0 else "cool" if shift < -25.0 else "neutral"
    return {"side": side, "name": " ".join(analysis.pattern_names), "band": band, "colour": colour}


def matches(case: Case, got: dict[str, str]) -> dict[str, bool]:
    return {
        "side": got["side"] == case.side,
        "name": case.name in got["name"].split(),
        "band": got["band"] == case.band,
        "colour": got["colour"] == case.colour,
    }


def test_the_development_set_is_read_right_nine_times_in_ten_on_every_field() -> None:
    assert len(CASES) >= 40
    assert len({case.text for case in CASES}) == len(CASES)
    hits = dict.fromkeys(FIELDS, 0)
    misses = []
    for case in CASES:
        translation, analysis = analyse(case.text)
        got = measured(translation.request, analysis)
        found = matches(case, got)
        for field in FIELDS:
            hits[field] += found[field]
        if not all(found.values()):
            misses.append(f"  {case.text!r}: got {got}, expected {case._asdict()}")
    print(f"\nrules translator on {len(CASES)} descriptions:")
    for field in FIELDS:
        print(f"  {field:<7} {hits[field]:>3}/{len(CASES)}  {hits[field] / len(CASES):6.1%}")
    print("\n".join(misses))
    for field in FIELDS:
        assert hits[field] / len(CASES) >= 0.9, f"{field}: {hits[field]}/{len(CASES)}"


def test_the_measure_can_fail() -> None:
    """The accuracy test's fields disagree when the light does (the check is not a tautology)."""
    translation, analysis = analyse("hard light from camera left, no fill, tungsten")
    got = measured(translation.request, analysis)
    assert got == {"side": "left", "name": got["name"], "band": "high", "colour": "warm"}
    wrong = Case("x", "right", "butterfly", "low", "cool")
    assert not any(matches(wrong, got).values())


def test_it_is_a_translator() -> None:
    assert isinstance(RulesTranslator(), Translator)
    assert "phrases understood" in asyncio.run(RulesTranslator().health())


# --------------------------------------------------------------------- honesty


def test_unknown_words_are_reported_as_ignored_not_guessed() -> None:
    plain = translate("moody Rembrandt with a warm key from the left and a cool rim")
    noisy = translate(
        "moody Rembrandt with a warm key from the left and a cool rim, zorbiflex on a Hasselblad"
    )
    assert "zorbiflex" in noisy.ignored
    assert "Hasselblad" in noisy.ignored  # reported as written
    assert noisy.request == plain.request  # and they changed nothing
    assert plain.ignored == ()
    for phrase in ("rembrandt", "moody", "warm", "from the left", "rim", "cool"):
        assert phrase in plain.understood


def test_common_words_are_neither_understood_nor_ignored() -> None:
    result = translate("I would like a portrait with loop lighting please")
    assert result.understood == ("loop lighting",)
    assert result.ignored == ()


@pytest.mark.parametrize(
    "text",
    ["a cat on a sofa", "hello world", "portrait of a man in a suit", "1234", "¿qué?"],
)
def test_a_description_with_no_lighting_is_an_error_that_says_so(text: str) -> None:
    with pytest.raises(NaturalLanguageTranslationError, match="found no lighting") as caught:
        translate(text)
    assert caught.value.translator == "rules"
    assert caught.value.text == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_an_error(text: str) -> None:
    with pytest.raises(NaturalLanguageTranslationError, match="empty"):
        translate(text)


def test_over_long_text_is_an_error() -> None:
    with pytest.raises(NaturalLanguageTranslationError, match=f"at most {MAX_TEXT_CHARS}"):
        translate("soft key from the left " * 200)


@given(st.text(max_size=300))
def test_any_text_gives_a_valid_setup_or_a_translation_error(text: str) -> None:
    try:
        result = translate(text)
    except NaturalLanguageTranslationError:
        return
    assert result.request.lighting_setup
    assert result.understood


# --------------------------------------------------------------------- vocabulary


def test_sides_mirror_the_whole_named_setup() -> None:
    base = get_preset("rembrandt").request().lighting_setup
    result = translate("Rembrandt from camera right").request.lighting_setup
    assert base[LightType.KEY].azimuth < 0 < result[LightType.KEY].azimuth
    for role, light in base.items():
        if light.azimuth is not None:
            assert result[role].azimuth == pytest.approx(-light.azimuth)


@pytest.mark.parametrize(
    ("text", "azimuth", "elevation"),
    [
        ("key light from 30 degrees right", 30.0, None),
        ("strip box from the right at 60 degrees", 60.0, None),
        ("softbox camera left, 45 up", -45.0, 45.0),
        ("hard light from above on the left", -45.0, 45.0),
        ("uplighting from below", 0.0, -45.0),
        ("side light from the left", -90.0, None),
        ("top light straight down", 0.0, 90.0),
    ],
)
def test_directions(text: str, azimuth: float, elevation: float | None) -> None:
    key = translate(text).request.lighting_setup[LightType.KEY]
    assert key.azimuth == pytest.approx(azimuth)
    if elevation is not None:
        assert key.elevation == pytest.approx(elevation)


def test_a_key_behind_and_a_rim_opposite_it() -> None:
    setup = translate(
        "warm key from the right and a cool blue rim from behind left"
    ).request.lighting_setup
    assert setup[LightType.KEY].azimuth > 0
    assert setup[LightType.RIM].azimuth < -90
    assert setup[LightType.KEY].color_temperature < 4000
    assert setup[LightType.RIM].color_temperature > 7000


@pytest.mark.parametrize(
    ("text", "kelvin"),
    [
        ("tungsten key", 3200.0),
        ("key 3200K", 3200.0),
        ("candlelit portrait", 1900.0),
        ("daylight key", 5600.0),
        ("key in open shade", 7500.0),
        ("blue hour key light", 9000.0),
    ],
)
def test_colour_words_and_numbers(text: str, kelvin: float) -> None:
    key = translate(text).request.lighting_setup[LightType.KEY]
    assert key.color_temperature == pytest.approx(kelvin)


@pytest.mark.parametrize(
    ("gel", "mireds"), [("full CTO", 159), ("half CTO", 109), ("quarter CTB", -35), ("1/8 CTO", 26)]
)
def test_gels_add_their_mireds_to_the_key(gel: str, mireds: float) -> None:
    base = get_preset("loop").request().lighting_setup[LightType.KEY].color_temperature
    key = translate(f"loop lighting, {gel} on the key").request.lighting_setup[LightType.KEY]
    assert mired(key.color_temperature) - mired(base) == pytest.approx(mireds, abs=1.0)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("very soft octabox key", 0.8, 1.0),
        ("hard fresnel key", 0.0, 0.3),
        ("bare strobe key", 0.0, 0.3),
        ("key through a big umbrella", 0.5, 1.0),
        ("harsh key", 0.0, 0.2),
    ],
)
def test_modifiers_and_softness(text: str, low: float, high: float) -> None:
    key = translate(text).request.lighting_setup[LightType.KEY]
    assert low <= key.softness <= high


def test_distances_and_metering_again() -> None:
    near = translate("loop lighting").request
    far = translate("loop lighting, key 3 m away").request
    assert far.lighting_setup[LightType.KEY].distance == 3.0
    # the key is metered again (more power) until it runs out: never dimmer by the inverse square
    assert (
        far.lighting_setup[LightType.KEY].intensity > near.lighting_setup[LightType.KEY].intensity
    )


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("loop lighting, fill two stops under", 2.0),
        ("loop lighting, fill a stop and a half under", 1.5),
        ("loop lighting, fill one stop down", 1.0),
        ("loop lighting, fill 2.5 stops under", 2.5),
        ("loop lighting, fill one and a half stops under", 1.5),
        ("loop lighting, fill half a stop under", 0.5),
        ("Rembrandt, barely any fill", 3.0),
    ],
)
def test_fill_in_stops_under_the_key(text: str, stops: float) -> None:
    """As an incident meter reads them: each light's illuminance on a face turned to it."""
    translation = translate(text)
    assert translation.ignored == ()
    rig = translation.request.rig()
    key, fill = rig.light(LightType.KEY), rig.light(LightType.FILL)
    assert key is not None
    assert fill is not None
    assert math.log2(key.facing / fill.facing) == pytest.approx(stops, abs=0.05)  # a tenth


@pytest.mark.parametrize("ratio", [3.0, 4.0, 8.0])
def test_ratios_are_met_within_the_measures_bias(ratio: float) -> None:
    """N:1 is (key + fill) : fill; the analyzer measures cheek to cheek, within half a stop."""
    _, analysis = analyse(f"Rembrandt, {ratio:g}:1 ratio")
    assert math.log2(analysis.ratio.ratio) == pytest.approx(math.log2(ratio), abs=0.5)


def test_no_fill_removes_it() -> None:
    setup = translate("Rembrandt, no fill").request.lighting_setup
    assert LightType.FILL not in setup


def test_combinations_compose() -> None:
    """A pattern plus a colour plus a rim plus a backdrop."""
    translation, analysis = analyse(
        "Rembrandt with a warm key from the right, a cool rim and a dark grey backdrop"
    )
    setup = translation.request.lighting_setup
    assert "rembrandt" in analysis.pattern_names
    assert setup[LightType.KEY].azimuth > 0
    assert setup[LightType.KEY].color_temperature < 4000
    assert setup[LightType.RIM].azimuth < -90  # opposite the key, behind
    assert setup[LightType.RIM].color_temperature > 7000
    assert translation.request.backdrop_color == "#333333"


def test_labels_name_the_light_until_the_full_stop() -> None:
    setup = translate(
        "Key: softbox, camera left. Fill: umbrella, camera right, 2 stops down. "
        "Rim: strip, back right."
    ).request.lighting_setup
    assert setup[LightType.KEY].azimuth < 0
    assert setup[LightType.KEY].modifier.value == "softbox"
    assert setup[LightType.FILL].azimuth > 0
    assert setup[LightType.FILL].modifier.value == "umbrella"
    assert setup[LightType.RIM].azimuth > 90
    assert setup[LightType.RIM].modifier.value == "strip_box"


def test_the_camera_and_the_head() -> None:
    request = translate(
        "short lighting, head turned to the right, 85mm at f/2.8, camera balanced for tungsten"
    ).request
    assert request.subject_yaw == 30.0
    assert request.camera_settings.focal_length == 85.0
    assert request.camera_settings.aperture == 2.8
    assert request.camera_settings.white_balance == 3200.0


def test_a_base_scene_keeps_its_subject_and_camera() -> None:
    base = get_preset("clamshell").request()
    result = translate("film noir, hard light from the right", base=base).request
    assert result.subject_description == base.subject_description
    assert result.camera_settings == base.camera_settings
    assert result.lighting_setup[LightType.KEY].azimuth > 0


def test_a_setup_named_by_its_mood_alone() -> None:
    _, analysis = analyse("dark and mysterious, black background")
    assert "low-key" in analysis.pattern_names
    _, analysis = analyse("bright airy high-key beauty shot")
    assert "high-key" in analysis.pattern_names


def test_a_base_whose_key_gives_no_light_is_relit_not_a_crash() -> None:
    base = SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {"azimuth": 40, "intensity": 0.0, "enabled": True},
                "fill": {"direction": "from below", "intensity": 0.8, "distance": 60},
            }
        }
    )
    result = translate("key from the left, no fill, black seamless", base=base).request
    key = result.lighting_setup[LightType.KEY]
    assert key.azimuth < 0
    assert key.intensity > 0.0
    stayed_dark = translate("kicker from behind on the right, black seamless", base=base).request
    assert stayed_dark.lighting_setup[LightType.KEY].intensity == 0.0


@pytest.mark.parametrize(
    ("text", "azimuth", "elevation"),
    [
        ("key light camera-left, elevated 30 degrees", -45.0, 30.0),
        ("key light elevated 30 degrees, 45 degrees camera-left", -45.0, 30.0),
        ("key light front, elevated 45 degrees", 0.0, 45.0),
        ("key light camera-right, raised by 20 degrees", 45.0, 20.0),
    ],
)
def test_a_height_word_before_its_number_takes_that_number(
    text: str, azimuth: float, elevation: float
) -> None:
    key = translate(text).request.lighting_setup[LightType.KEY]
    assert key.azimuth == pytest.approx(azimuth)
    assert key.elevation == pytest.approx(elevation)


def test_a_power_change_is_not_a_height() -> None:
    fill = translate("key camera-left, fill down 2 stops").request.lighting_setup[LightType.FILL]
    assert fill.elevation is not None
    assert fill.elevation >= 0.0  # "down 2 stops" is less light, not a light 2° down


def _said(phrase: str) -> DirectionWords:
    return parse_direction_words(phrase)


@pytest.mark.parametrize(
    ("phrase", "azimuth", "elevation"),
    [p for p in DIRECTION_PHRASES if not math.isnan(p[1])],
    ids=[p[0] for p in DIRECTION_PHRASES if not math.isnan(p[1])],
)
def test_the_translator_reads_a_direction_as_the_direction_field_does(
    phrase: str, azimuth: float, elevation: float | None
) -> None:
    """One grammar: "key light <phrase>" puts the key where the ``direction`` field would.

    Prose leaves to the setup being edited what the phrase leaves open: a phrase that names only
    a height keeps the preset's angle unless it is overhead or below (then on the axis, as the
    field has it), "behind" alone keeps the preset's side, a number of degrees with no side takes
    the preset's side, and a lone number ("-45", but not "-45°") is no direction in a sentence
    and is reported as ignored."""
    translation = translate(f"key light {phrase}")
    key = translation.request.lighting_setup[LightType.KEY]
    said = _said(phrase)
    off = abs((key.azimuth - azimuth + 180.0) % 360.0 - 180.0)
    if elevation is not None:
        assert key.elevation == pytest.approx(elevation, abs=5.0)
    if not any(ch.isalpha() or ch in "°:" for ch in phrase):
        assert phrase in translation.ignored
    elif said.bare and not said.side:
        assert abs(key.azimuth) == pytest.approx(abs(azimuth), abs=5.0)
    elif said.side or said.degrees is not None or said.azimuth is not None or said.front:
        assert off <= 5.0
    elif said.side_on:
        assert abs(key.azimuth) == pytest.approx(90.0)
    elif said.behind:
        assert abs(key.azimuth) >= 135.0


@pytest.mark.parametrize(
    ("text", "role", "azimuth", "elevation"),
    [
        ("key light three-quarter left, elevated forty-five degrees", LightType.KEY, -45, 45),
        ("key at 4 o'clock", LightType.KEY, 60, None),
        ("softbox at 7:30, 30 degrees up", LightType.KEY, -45, 30),
        ("fill camera right, 20 degrees up", LightType.FILL, None, 20),
        ("key from the subject's left", LightType.KEY, 45, None),
        ("a strip light 2.5 metres away, 1 m above eye level, camera left", LightType.KEY, -45, 22),
        ("key 6 feet away, 3 feet above eye level, camera right", LightType.KEY, 45, 26.6),
        ("beauty dish above the lens at 30°", LightType.KEY, 0, 30),
        ("candle just below her chin", LightType.KEY, 0, -45),
    ],
)
def test_directions_photographers_write(
    text: str, role: LightType, azimuth: float | None, elevation: float | None
) -> None:
    light = translate(text).request.lighting_setup[role]
    if azimuth is not None:
        assert light.azimuth == pytest.approx(azimuth, abs=1.0)
    if elevation is not None:
        assert light.elevation == pytest.approx(elevation, abs=1.0)


def test_a_direction_it_cannot_place_is_reported_never_half_read() -> None:
    translation = translate("key light camera left 45 degrees 30 degrees, tungsten")
    key = translation.request.lighting_setup[LightType.KEY]
    assert "30 degrees" in translation.ignored  # two horizontal angles: the phrase is refused
    assert key.color_temperature == 3200.0  # the rest of the description still reads
    unplaced = translate("key light from the left, 1/125 at f/8")
    assert "1/125" in unplaced.ignored


def test_a_power_change_or_a_colour_is_not_a_direction() -> None:
    for text in ("key light from the left, fill down 2 stops", "key 3200K from the left"):
        setup = translate(text).request.lighting_setup
        assert all(light.elevation is None or light.elevation >= 0.0 for light in setup.values())
