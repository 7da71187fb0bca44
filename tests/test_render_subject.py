"""The subject's words pick the skin the preview lights, and the analysis's ratio holds on each."""

from __future__ import annotations

import numpy as np
import pytest

from lightrig.lighting.measure import measure
from lightrig.presets import get_preset
from lightrig.render.bust import SKIN
from lightrig.render.preview import PreviewRenderer
from lightrig.render.probes import read_probes
from lightrig.render.subject import SKIN_ALBEDO, SkinTone, subject_for

TOLERANCE_STOPS = 1.0 / 3.0
_LUMINANCE = np.array([0.2126, 0.7152, 0.0722])


@pytest.mark.parametrize(
    ("description", "tone"),
    [
        ("a dark-skinned man in his forties", SkinTone.DARK),
        ("a Very Dark-Skinned woman", SkinTone.VERY_DARK),
        ("a pale girl with red hair", SkinTone.LIGHT),
        ("a very pale poet", SkinTone.VERY_LIGHT),
        ("a fair-skinned boy", SkinTone.LIGHT),
        ("a tanned surfer", SkinTone.TAN),
        ("an olive-skinned chef", SkinTone.MEDIUM),
        ("a woman in her thirties with shoulder-length dark hair", SkinTone.MEDIUM),
        ("a man with fair hair and dark eyes", SkinTone.MEDIUM),
        ("a tantalising smile", SkinTone.MEDIUM),
        ("Professional portrait", SkinTone.MEDIUM),
    ],
)
def test_the_words_pick_the_skin_tone(description: str, tone: SkinTone) -> None:
    assert subject_for(description).tone is tone


def test_tones_run_from_light_to_dark() -> None:
    levels = [float(np.asarray(SKIN_ALBEDO[tone]) @ _LUMINANCE) for tone in SkinTone]
    assert levels == sorted(levels, reverse=True)
    assert levels[0] > 0.4
    assert levels[-1] < 0.07


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def _skin_level(renderer: PreviewRenderer, description: str) -> float:
    request = get_preset("loop").request()
    request = request.model_copy(update={"subject_description": description})
    picture = renderer.render(request, 128, exposure=1.0)
    skin = picture.material == SKIN
    return float(np.median(picture.linear[skin].astype(np.float64) @ _LUMINANCE))


def test_dark_skin_renders_darker_than_pale_skin(renderer: PreviewRenderer) -> None:
    pale = _skin_level(renderer, "a very pale woman")
    medium = _skin_level(renderer, "a woman")
    dark = _skin_level(renderer, "a very dark-skinned woman")
    assert pale > medium > dark
    # the skin's level follows its albedo: about 3 stops from very light to very dark
    assert 2.5 < np.log2(pale / dark) < 3.5


_PRESETS = ["loop", "rembrandt", "split", "broad"]


def _lean(renderer: PreviewRenderer, description: str, preset: str) -> float:
    """Stops the render's probe ratio stands over the analysis's for ``preset`` on the subject
    ``description`` names."""
    request = get_preset(preset).request()
    request = request.model_copy(update={"subject_description": description})
    rig = request.rig()
    reading = read_probes(renderer.render(request, 256), rig, renderer)
    assert reading is not None
    return reading.stops - measure(rig).stops


@pytest.mark.parametrize(
    "description", ["a very pale man", "a fair-skinned man", "a man", "a tanned man"]
)
@pytest.mark.parametrize("preset", _PRESETS)
def test_the_analysis_ratio_holds_on_light_to_tanned_skin(
    renderer: PreviewRenderer, description: str, preset: str
) -> None:
    assert abs(_lean(renderer, description, preset)) <= TOLERANCE_STOPS


@pytest.mark.parametrize("preset", _PRESETS)
def test_dark_skin_reads_more_contrasty_than_the_incident_ratio(
    renderer: PreviewRenderer, preset: str
) -> None:
    """The analysis's ratio is an incident meter's: diffuse light only. The skin's sheen (the
    same Fresnel reflectance on every tone) is a larger share of what dark skin sends back, and
    it peaks on the lit side, so the picture's ratio stands above the meter's — by 0.4–0.9 stop
    on very dark skin when written, and more the darker the skin."""
    medium = _lean(renderer, "a man", preset)
    dark = _lean(renderer, "a dark-skinned man", preset)
    very_dark = _lean(renderer, "a very dark-skinned man", preset)
    assert medium < dark < very_dark < 1.0
    assert very_dark - medium > 0.15
