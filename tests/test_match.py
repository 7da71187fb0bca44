"""Matching a reference picture's light (issue 20, begun): the setup built from what the
verifier reads — key placed and sized, colour, a fill solved for the ratio — through the
library, ``lightrig match`` and ``POST /v1/match``."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import estimate_lighting
from lightrig.verify.match import (
    KEY_DISTANCE_M,
    NO_FILL_STOPS,
    RATIO_TOLERANCE_STOPS,
    UnmatchableError,
    match_estimate,
)
from lightrig.verify.models import (
    ColourEstimate,
    DirectionEstimate,
    HardnessEstimate,
    LightingEstimate,
    RatioEstimate,
    SubjectEstimate,
    SubjectKind,
)
from tests.test_api import Launch, launch, problem  # noqa: F401 - the fixture, used by name
from tests.test_cli import bad, run


def _estimate(
    azimuth: float = -40.0,
    elevation: float = 30.0,
    stops: float | None = 2.0,
    hardness: ShadowHardness | None = ShadowHardness.SOFT,
    kelvin: float | None = 4300.0,
) -> LightingEstimate:
    subject = SubjectEstimate(found=True, kind=SubjectKind.FACE, confidence=0.9, reason="test")
    return LightingEstimate(
        width=256,
        height=256,
        subject=subject,
        direction=DirectionEstimate(azimuth=azimuth, elevation=elevation, confidence=0.8),
        ratio=None
        if stops is None
        else RatioEstimate(stops=stops, ratio=2.0**stops, confidence=0.6),
        colour=None
        if kelvin is None
        else ColourEstimate(
            kelvin=kelvin, mired=1e6 / kelvin, white_balance=5600, off_locus=0.0, confidence=0.7
        ),
        hardness=None
        if hardness is None
        else HardnessEstimate(hardness=hardness, sharpness=0.3, confidence=0.4),
    )


@pytest.mark.parametrize("stops", [0.7, 1.6, 2.5, 3.4])
def test_the_fill_is_solved_for_the_ratio_read(stops: float) -> None:
    matched = match_estimate(_estimate(stops=stops))
    setup = matched.request.lighting_setup
    key, fill = setup[LightType.KEY], setup[LightType.FILL]
    assert (key.azimuth, key.elevation, key.distance) == (-40.0, 30.0, KEY_DISTANCE_M)
    assert fill.azimuth is not None
    assert fill.azimuth > 0  # the other side of the camera
    analysed = LightingAnalyzer().analyze(matched.request).ratio.stops
    assert abs(analysed - stops) <= RATIO_TOLERANCE_STOPS + 0.02, (analysed, stops)
    assert matched.parts["fill"].confidence == 0.6


def test_a_ratio_flatter_than_the_fill_can_give_is_said() -> None:
    matched = match_estimate(_estimate(stops=0.05))
    assert matched.request.lighting_setup[LightType.FILL].intensity == 1.0
    assert any("at the flattest" in note for note in matched.notes)


def test_the_key_is_sized_by_the_shadows_and_coloured_as_read() -> None:
    sizes = {}
    for hardness in ShadowHardness:
        key = match_estimate(_estimate(hardness=hardness)).request.lighting_setup[LightType.KEY]
        assert key.modifier is not None
        sizes[hardness] = key.modifier_size
    assert sizes[ShadowHardness.HARD] < sizes[ShadowHardness.MEDIUM] < sizes[ShadowHardness.SOFT]
    matched = match_estimate(_estimate(kelvin=4300.0))
    assert matched.request.lighting_setup[LightType.KEY].color_temperature == 4300
    assert matched.request.camera_settings.white_balance == 5600


def test_what_is_not_read_is_said_not_invented() -> None:
    matched = match_estimate(_estimate(stops=None, hardness=None, kelvin=None))
    assert set(matched.request.lighting_setup) == {LightType.KEY}
    assert set(matched.parts) == {"key_direction"}
    said = " ".join(matched.notes)
    for what in ("ratio", "hardness", "colour", "distances", "backdrop"):
        assert what in said, what
    no_fill = match_estimate(_estimate(stops=NO_FILL_STOPS + 1))
    assert LightType.FILL not in no_fill.request.lighting_setup
    assert "no fill" in no_fill.parts["fill"].how


def test_a_key_near_the_axis_as_even_as_the_picture_needs_no_fill() -> None:
    matched = match_estimate(_estimate(azimuth=10.0, elevation=0.0, stops=1.5))
    assert set(matched.request.lighting_setup) == {LightType.KEY}
    assert matched.parts["fill"].how.startswith("none: the key alone gives")


def test_a_key_behind_the_head_is_matched_without_a_fill() -> None:
    matched = match_estimate(_estimate(azimuth=140.0, elevation=20.0, stops=0.5))
    assert set(matched.request.lighting_setup) == {LightType.KEY}
    assert any("behind the head" in note for note in matched.notes)


def test_no_direction_cannot_be_matched() -> None:
    estimate = _estimate().model_copy(update={"direction": None, "reasons": {"direction": "x"}})
    with pytest.raises(UnmatchableError, match="no key direction"):
        match_estimate(estimate)


@pytest.fixture(scope="module")
def renders() -> dict[str, bytes]:
    renderer = PreviewRenderer()
    return {
        name: renderer.render(PRESETS[name].request(), 320, supersample=2).png()
        for name in ("loop", "split")
    }


@pytest.mark.parametrize("name", ["loop", "split"])
def test_a_render_is_matched_on_its_key_side_and_ratio(
    renders: dict[str, bytes], name: str
) -> None:
    """A preset's render, matched: the key on the preset's side, and the matched setup's
    analysed ratio the one read in the picture."""
    estimate = estimate_lighting(renders[name])
    matched = match_estimate(estimate)
    truth = PRESETS[name].request().lighting_setup[LightType.KEY]
    key = matched.request.lighting_setup[LightType.KEY]
    assert truth.azimuth is not None
    assert key.azimuth is not None
    assert np.sign(key.azimuth) == np.sign(truth.azimuth)
    assert estimate.ratio is not None
    analysed = LightingAnalyzer().analyze(matched.request).ratio.stops
    assert abs(analysed - estimate.ratio.stops) <= 0.1


def test_lightrig_match_writes_the_setup_and_the_comparison(
    renders: dict[str, bytes], tmp_path: Path
) -> None:
    picture = tmp_path / "loop.png"
    picture.write_bytes(renders["loop"])
    answer = json.loads(run("match", str(picture), "--out", str(tmp_path / "m"), "--json").stdout)
    assert answer["request"]["lighting_setup"]["key"]["azimuth"] > 0  # loop's key: camera-right
    assert {"key_direction", "fill"} <= set(answer["parts"])
    setup = json.loads(Path(answer["files"]["setup"]).read_text())
    key = answer["request"]["lighting_setup"]["key"]
    assert setup["lighting_setup"]["key"]["azimuth"] == key["azimuth"]
    assert (
        setup["lighting_setup"]["fill"]["intensity"]
        == answer["request"]["lighting_setup"]["fill"]["intensity"]
    )
    with Image.open(answer["files"]["preview"]) as sheet:
        assert sheet.width > sheet.height  # the picture and the matched render side by side
    assert "<svg" in Path(answer["files"]["diagram"]).read_text()
    human = run("match", str(picture)).stdout
    assert "matched:" in human
    assert "not read:" in human


def test_lightrig_match_refuses_what_it_cannot_match_in_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    assert "not a picture" in bad("match", str(text))
    grey = tmp_path / "grey.png"
    Image.new("RGB", (200, 200), (128, 128, 128)).save(grey)
    assert "no key direction to match" in bad("match", str(grey))


def test_post_match(launch: Launch, renders: dict[str, bytes]) -> None:  # noqa: F811
    client = launch().client()
    image = base64.b64encode(renders["split"]).decode()
    answer = client.post("/v1/match", json={"image": image})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["request"]["lighting_setup"]["key"]["azimuth"] < 0  # split: camera-left
    assert body["estimate"]["direction"] is not None
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (128, 128, 128)).save(buffer, format="PNG")
    flat = client.post("/v1/match", json={"image": base64.b64encode(buffer.getvalue()).decode()})
    detail = problem(flat, 422)["detail"]
    assert detail.startswith("body.image: no key direction to match")
