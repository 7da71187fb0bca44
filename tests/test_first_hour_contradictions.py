"""Issue 18, "nothing contradicts itself": each contradiction a new user meets in the first hour,
through the library and the CLI, with assertions the old behaviour fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lightrig.analysis import LightingAnalyzer
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.vocabulary import NO_FILL
from lightrig.models.scene import SceneRequest, parse_scene_request

EXAMPLES = Path(__file__).parent.parent.parent / "shared" / "fibo-examples"


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
