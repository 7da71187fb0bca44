"""Issue 18, "nothing contradicts itself": each contradiction a new user meets in the first hour,
through the library and the CLI, with assertions the old behaviour fails."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lightrig.analysis import LightingAnalyzer
from lightrig.backends.preview import PreviewBackend
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.vocabulary import NO_FILL
from lightrig.models.params import GenerationParams
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.presets import PRESETS
from lightrig.translate.base import Translation
from lightrig.translate.rules import RulesTranslator
from lightrig.verify.scoring import verify_image
from tests.test_api import Launch, launch  # noqa: F401 - the API server fixture
from tests.test_service import seed_request

CAPTIONS = Path(__file__).parent / "fixtures" / "captions"


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )
    if check:
        assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def request_of(setup: dict[str, Any]) -> SceneRequest:
    return parse_scene_request({"lighting_setup": setup})


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


KEY_ONLY = {"key": {"intensity": 0.8, "direction": "45 left"}}
FILL_ONLY = {"fill": {"intensity": 0.5, "direction": "30 right"}}


# 2. a missing fill is said as "no fill: the shadow side is unlit", never as 1024:1 / ten stops


def test_a_key_alone_is_no_fill_not_a_ratio_in_the_analysis() -> None:
    analysis = LightingAnalyzer().analyze(request_of(KEY_ONLY))
    assert analysis.ratio.shadow_unlit
    assert NO_FILL in analysis.summary
    assert "1024" not in analysis.summary
    assert "10.0 stops" not in analysis.summary
    contrast = next(c for c in analysis.rating_components if c.name == "contrast")
    assert contrast.reason.startswith(NO_FILL)
    assert "1024" not in contrast.reason
    advice = " ".join(analysis.recommendations)
    assert "1024" not in advice
    assert "10.0 stops under" not in advice
    assert "add a fill" in advice  # the advice still says what to do about it
    assert "10.0 stops down" not in analysis.pattern_reason


def test_a_key_alone_tells_fibo_the_shadow_side_is_unlit() -> None:
    prompt = compile_prompt(request_of(KEY_ONLY))
    text = json.dumps(prompt)
    assert "ten stops" not in text
    assert "1024" not in text
    assert NO_FILL in prompt["lighting"]["shadows"]
    assert NO_FILL in prompt["short_description"]


def test_a_key_alone_on_the_command_line(tmp_path: Path) -> None:
    setup = write(tmp_path, "key.json", KEY_ONLY)
    shown = cli("analyze", setup).stdout
    assert "1024" not in shown
    assert "10.0 stops" not in shown
    assert NO_FILL in shown
    prompt = cli("prompt", setup, "--json").stdout
    assert "ten stops" not in prompt
    assert NO_FILL in prompt
    listed = cli("presets").stdout
    assert "1024" not in listed


def test_a_fill_still_reads_as_a_ratio() -> None:
    analysis = LightingAnalyzer().analyze(
        request_of({**KEY_ONLY, "fill": {"intensity": 0.3, "direction": "30 right"}})
    )
    assert not analysis.ratio.shadow_unlit
    assert f"{analysis.ratio.ratio:.1f}:1" in analysis.summary
    assert NO_FILL not in analysis.summary


# 3. a setup without a key says which light acts as the key


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        (FILL_ONLY, "No key: the fill at 30° camera-right is the only light and acts as the key"),
        (
            {"rim": {"intensity": 0.6, "direction": "135 left"}},
            "No key: the rim behind at 135° camera-left is the only light and acts as the key",
        ),
        (
            {
                "fill": {"intensity": 0.5, "direction": "30 right"},
                "rim": {"intensity": 0.2, "direction": "150 left"},
            },
            "No key: the fill at 30° camera-right is the strongest light on the face",
        ),
        ({"ambient": {"intensity": 0.5}}, "No key: no directional light reaches the face"),
    ],
)
def test_a_setup_without_a_key_says_what_acts_as_the_key(setup: dict[str, Any], said: str) -> None:
    analysis = LightingAnalyzer().analyze(request_of(setup))
    assert any(w.startswith(said) for w in analysis.warnings), analysis.warnings


def test_a_key_is_not_warned_about() -> None:
    analysis = LightingAnalyzer().analyze(request_of(KEY_ONLY))
    assert not any(w.startswith("No key") for w in analysis.warnings)


def test_the_fill_acting_as_key_is_named_so_on_the_command_line(tmp_path: Path) -> None:
    shown = cli("analyze", write(tmp_path, "fill.json", FILL_ONLY)).stdout
    assert "acts as the key" in shown  # the warning
    assert "acts as key" in shown  # the "vs key" column does not call the fill "key"
    assert "fill as key" in shown  # nor does the summary
    data = json.loads(cli("analyze", write(tmp_path, "f.json", FILL_ONLY), "--json").stdout)
    assert any("acts as the key" in w for w in data["warnings"])


# 6. the key's apparent size does not read as its position


def test_the_summary_says_the_keys_size_as_a_width() -> None:
    analysis = LightingAnalyzer().analyze(request_of(KEY_ONLY))
    angle = round(analysis.shadows.key_apparent_angle)
    assert f"({angle}° wide)" in analysis.summary
    assert f"key at {angle}°" not in analysis.summary
    shadow_quality = next(c for c in analysis.rating_components if c.name == "shadow quality")
    assert f"({angle}° wide)" in shadow_quality.reason


# 5. the caption parser never lists a word as both understood and ignored


def _words(phrases: tuple[str, ...] | list[str]) -> set[str]:
    return {w for p in phrases for w in re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", p.lower())}


@pytest.mark.parametrize("preset", ["loop", "rembrandt", "film-noir", "butterfly"])
def test_parse_reports_no_word_as_understood_and_ignored(preset: str) -> None:
    parsed = parse_lighting(compile_prompt(PRESETS[preset].request()))
    assert not _words(parsed.understood) & set(parsed.ignored), (parsed.understood, parsed.ignored)


def test_parse_loop_caption_ignores_loop_without_understanding_it() -> None:
    parsed = parse_lighting(compile_prompt(PRESETS["loop"].request()))
    assert "loop" in parsed.ignored  # the direction grammar does not read pattern names
    assert not any("loop" in phrase.lower() for phrase in parsed.understood)


@pytest.mark.parametrize("name", sorted(p.name for p in CAPTIONS.glob("*.json")))
def test_parse_real_captions_keep_the_accounts_apart(name: str) -> None:
    parsed = parse_lighting(json.loads((CAPTIONS / name).read_text(encoding="utf-8")))
    assert not _words(parsed.understood) & set(parsed.ignored), (parsed.understood, parsed.ignored)


def test_parse_on_the_command_line_keeps_the_accounts_apart(tmp_path: Path) -> None:
    caption = write(tmp_path, "caption.json", compile_prompt(PRESETS["loop"].request()))
    data = json.loads(cli("parse", caption, "--json").stdout)
    assert "loop" in data["ignored"]
    assert not _words(data["understood"]) & set(data["ignored"])


# 1. fov vs lens_type vs focal_length: the seed's fov=85 "portrait" is an 85 mm lens, said so


def test_the_seed_example_is_an_85_mm_portrait_lens_and_the_analysis_says_why() -> None:
    request = seed_request()  # the seed design's usage example
    camera = request.camera_settings
    assert camera.focal_length == pytest.approx(85.0)
    assert camera.fov == pytest.approx(23.91, abs=0.01)
    lens = compile_prompt(request)["photographic_characteristics"]["lens_focal_length"]
    assert lens == "85 mm portrait telephoto lens (portrait)"
    assert "ultra-wide" not in json.dumps(compile_prompt(request))
    warnings = LightingAnalyzer().analyze(request).warnings
    assert any("fov 85 was read as focal_length 85 mm" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("camera", "focal", "read_as_mm"),
    [
        ({"fov": 85}, 19.64, False),  # no label: a field of view is an angle
        ({"fov": 85, "lens_type": "macro"}, 19.64, False),  # a label that names no focal range
        ({"fov": 30, "lens_type": "portrait"}, 67.18, False),  # 30° is a portrait lens already
        ({"fov": 60, "lens_type": "portrait"}, 60.0, True),
        ({"fov": 200, "lens_type": "telephoto"}, None, None),  # out of range: refused as before
        ({"fov": 20, "lens_type": "wide-angle"}, 20.0, True),
        ({"fov": 85, "focal_length": 19.64, "lens_type": "portrait"}, 19.64, False),
    ],
)
def test_the_fov_rule(camera: dict[str, Any], focal: float | None, read_as_mm: bool | None) -> None:
    from lightrig import CameraSettings, InvalidLightingSetupError

    if focal is None:
        with pytest.raises(InvalidLightingSetupError):
            CameraSettings.model_validate(camera)
        return
    resolved = CameraSettings.model_validate(camera)
    assert resolved.focal_length == pytest.approx(focal, abs=0.01)
    assert bool(resolved.notes) is read_as_mm


def test_a_label_that_contradicts_the_lens_is_left_out_of_the_prompt_and_warned_about() -> None:
    request = parse_scene_request(
        {
            "lighting_setup": KEY_ONLY,
            "camera_settings": {"focal_length": 20, "lens_type": "portrait"},
        }
    )
    lens = compile_prompt(request)["photographic_characteristics"]["lens_focal_length"]
    assert lens == "20 mm ultra-wide lens"
    warnings = LightingAnalyzer().analyze(request).warnings
    assert any("A 20 mm lens is not a portrait lens (50–200 mm)" in w for w in warnings)


def test_the_read_as_mm_warning_reaches_the_command_line(tmp_path: Path) -> None:
    setup = write(
        tmp_path,
        "seed.json",
        {"lighting_setup": KEY_ONLY, "camera_settings": {"fov": 85, "lens_type": "portrait"}},
    )
    data = json.loads(cli("analyze", setup, "--json").stdout)
    assert any("read as focal_length 85 mm" in w for w in data["warnings"])
    assert "read as focal_length 85 mm" in cli("analyze", setup).stdout
    prompt = json.loads(cli("prompt", setup, "--json").stdout)
    assert prompt["photographic_characteristics"]["lens_focal_length"].startswith("85 mm")


# 8. the translator reports what it assumed: the subject, the setting, lights the words never name


def _translate(text: str, base: SceneRequest | None = None) -> Translation:
    return asyncio.run(RulesTranslator().translate(text, base=base))


def test_the_translator_reports_the_subject_and_lights_it_assumed() -> None:
    translation = _translate("loop lighting, warm tungsten key")
    subject = translation.request.subject_description
    assumptions = translation.assumptions
    assert any(a.startswith(f"subject: {subject}") for a in assumptions), assumptions
    assert any(a.startswith("setting: ") for a in assumptions)
    assert any(a.startswith("a background light (the loop setup's") for a in assumptions)
    assert not any(a.startswith("a key light") for a in assumptions)  # "warm tungsten key"


def test_a_light_the_words_name_is_not_an_assumption() -> None:
    translation = _translate("loop lighting with a background light and a soft fill")
    assert not any("background light" in a for a in translation.assumptions)
    assert not any("fill light" in a for a in translation.assumptions)


def test_the_starting_setup_is_an_assumption_when_no_setup_is_named() -> None:
    translation = _translate("high contrast portrait with a rim light")
    assert "the loop setup to start from (the words name no setup)" in translation.assumptions
    assert not any(a.startswith("a rim light") for a in translation.assumptions)


def test_a_base_request_is_not_assumed() -> None:
    base = request_of({"key": {"intensity": 0.8, "direction": "45 left"}})
    translation = _translate("warm key from the right", base=base)
    assert not any(
        a.startswith(("subject:", "setting:", "camera:")) for a in translation.assumptions
    )


def test_the_assumptions_reach_the_command_line() -> None:
    data = json.loads(cli("translate", "loop lighting, warm tungsten key", "--json").stdout)
    assert any(a.startswith("subject: ") for a in data["assumptions"])
    assert "warnings" in data
    shown = cli("translate", "loop lighting, warm tungsten key").stdout
    assert "assumed: subject: " in shown


# 4. refine rewrites every sentence the light changes: mood, context, the backdrop's light


def test_refine_rewrites_the_mood_context_and_backdrop_of_a_compiled_caption() -> None:
    caption = compile_prompt(PRESETS["high-key"].request())
    assert "The mood is bright, cheerful" in caption["short_description"]
    refined = refine_prompt(caption, PRESETS["film-noir"].request())
    description = refined["short_description"]
    assert "bright, cheerful" not in description  # the old mood sentence is gone
    assert description.count("The mood is ") == 1
    assert f"The mood is {refined['aesthetics']['mood_atmosphere']}." in description
    assert "high-key" not in refined["context"]  # the old setup's name
    assert "low-key Rembrandt" in refined["context"]
    assert "lit to pure white" not in refined["background_setting"]
    assert refined["background_setting"].startswith("a white seamless studio")  # the scene stays
    assert refine_prompt(refined, PRESETS["film-noir"].request()) == refined


def test_refine_rewrites_a_captions_own_mood_and_light_sentences() -> None:
    caption = json.loads((CAPTIONS / "espresso_product.json").read_text(encoding="utf-8"))
    caption["short_description"] += " The overall mood is calm and airy."
    caption["context"] = "A catalogue image. Soft daylight keeps it friendly."
    caption["background_setting"] = "A grey sweep, evenly lit from both sides, in a studio."
    refined = refine_prompt(caption, PRESETS["film-noir"].request())
    assert "calm and airy" not in refined["short_description"]
    assert refined["short_description"].endswith(
        f"The mood is {refined['aesthetics']['mood_atmosphere']}."
    )
    assert refined["context"].startswith("A catalogue image. A professional")
    assert "Soft daylight" not in refined["context"]
    background = refined["background_setting"]
    assert "evenly lit" not in background
    assert background.startswith("A grey sweep")
    assert "in a studio" in background


def test_refine_on_the_command_line_changes_the_mood(tmp_path: Path) -> None:
    caption = write(tmp_path, "caption.json", compile_prompt(PRESETS["loop"].request()))
    refined = json.loads(
        cli("prompt", "--preset", "film-noir", "--refine", caption, "--json").stdout
    )
    assert "approachable" not in refined["short_description"]
    assert "loop" not in refined["context"]


# 7. the preview backend's own picture of a hard light reads hard, as its reference does


#: Why the hard light reads medium again (issue 19's reshaped bust; see verify/hardness.py):
#: the preview renderer draws an attached shadow's edge the same under every source size (the
#: key's centre's cosine), so the statistic follows where the key is, not how big it is; on the
#: new bust film-noir's picture reads 0.42 and its reference 0.41 (medium), while a bare key 45°
#: to the side reads 0.77 and the same key in a softbox 0.83 (both hard): no threshold separates
#: hard from soft. The test therefore also asks that the soft key not read hard. The cure is in
#: the renderer (the cosine integrated over the source's disc) and the analyzer's matching
#: model, not yet built.
_HARD_READS_MEDIUM = pytest.mark.xfail(
    strict=True,
    reason="the preview renderer draws attached-shadow edges the same under every source size: "
    "on the reshaped bust a hard key's shadows read no sharper than a soft one's",
)


@pytest.mark.parametrize(
    "request_data",
    [
        pytest.param(None, id="film-noir", marks=_HARD_READS_MEDIUM),
        pytest.param(
            {
                "lighting_setup": {
                    "key": {"direction": "45 right", "intensity": 0.8, "modifier": "bare"}
                }
            },
            id="bare-key",
            marks=_HARD_READS_MEDIUM,
        ),
    ],
)
def test_the_preview_backends_hard_light_is_checked_as_hard(
    request_data: dict[str, Any] | None,
) -> None:

    request = (
        PRESETS["film-noir"].request()
        if request_data is None
        else parse_scene_request(request_data)
    )
    assert LightingAnalyzer().analyze(request).shadows.hardness is ShadowHardness.HARD
    image = asyncio.run(
        PreviewBackend().generate(compile_prompt(request), request, GenerationParams(seed=1))
    )
    report = verify_image(image.data, request)
    assert report.estimate.hardness is not None
    assert report.reference is not None
    assert report.reference.hardness is not None
    assert report.estimate.hardness.hardness is ShadowHardness.HARD
    assert report.reference.hardness.hardness is ShadowHardness.HARD
    assert report.adherence is not None
    finding = next(s.finding for s in report.adherence.scores if s.attribute == "hardness")
    assert finding == "shadows are hard, as asked"
    # the same key in a large octabox must not read hard: a hard reading has to mean hard light
    soft = _softened(request)
    soft_image = asyncio.run(
        PreviewBackend().generate(compile_prompt(soft), soft, GenerationParams(seed=1))
    )
    soft_read = verify_image(soft_image.data, soft).estimate.hardness
    assert soft_read is not None
    assert soft_read.hardness is not ShadowHardness.HARD, soft_read


def _softened(request: SceneRequest) -> SceneRequest:
    """The same setup with its key in a large octabox, everything else alike."""
    data = request.model_dump(mode="json")
    key = data["lighting_setup"]["key"]
    for field in ("softness", "modifier_size"):
        key.pop(field, None)
    key["modifier"] = "octabox"
    return parse_scene_request(data)


# every warning reaches the API response: the analysis JSON carries them


def test_the_warnings_reach_the_api(launch: Launch) -> None:  # noqa: F811 - the fixture
    client = launch().client()
    seed = {
        "lighting_setup": KEY_ONLY,
        "camera_settings": {"fov": 85, "lens_type": "portrait"},
    }
    analysed = client.post("/v1/analyze", json=seed)
    assert analysed.status_code == 200, analysed.text
    body = analysed.json()
    assert any("read as focal_length 85 mm" in w for w in body["warnings"])
    assert NO_FILL in body["summary"]
    prompt = client.post("/v1/prompt", json=seed).json()
    assert prompt["photographic_characteristics"]["lens_focal_length"].startswith("85 mm")
    assert NO_FILL in prompt["lighting"]["shadows"]
    fill_only = client.post("/v1/analyze", json={"lighting_setup": FILL_ONLY}).json()
    assert any(w.startswith("No key: the fill") for w in fill_only["warnings"])
