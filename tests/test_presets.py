"""Every preset is physical, valid, and classified as the pattern it names."""

from __future__ import annotations

import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.schema import validate_prompt
from lightrig.presets import PRESETS, Preset, UnknownPresetError, get_preset

REQUIRED = {
    "rembrandt",
    "loop",
    "butterfly",
    "split",
    "clamshell",
    "broad",
    "short",
    "high-key",
    "low-key",
    "rim-light",
    "silhouette",
    "window-light",
    "golden-hour",
    "film-noir",
    "product-tabletop",
}


def test_the_classic_setups_are_all_there() -> None:
    assert len(PRESETS) >= 12
    assert set(PRESETS) >= REQUIRED


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_preset_is_classified_as_the_pattern_it_names(preset: Preset) -> None:
    analysis = LightingAnalyzer().analyze(preset.request())
    assert preset.expected in analysis.pattern_names, analysis.pattern_reason
    assert analysis.rating >= 7.0, analysis.rating_components
    assert not any("brighter than the key" in w for w in analysis.warnings)
    validate_prompt(compile_prompt(preset.request()))


def test_face_patterns_are_the_primary_pattern() -> None:
    analyzer = LightingAnalyzer()
    for name in ("rembrandt", "loop", "butterfly", "split", "clamshell"):
        assert analyzer.analyze(PRESETS[name].request()).pattern.value == name


def test_lookup_is_forgiving_and_errors_list_the_names() -> None:
    assert get_preset("Film Noir") is PRESETS["film-noir"]
    assert get_preset("high_key") is PRESETS["high-key"]
    with pytest.raises(UnknownPresetError) as caught:
        get_preset("disco")
    assert "unknown preset 'disco'" in str(caught.value)
    assert "rembrandt" in str(caught.value)


def test_each_request_is_fresh() -> None:
    first = PRESETS["loop"].request()
    first.lighting_setup.clear()
    assert PRESETS["loop"].request().lighting_setup
