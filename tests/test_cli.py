"""The command line, run as a user runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt

CAPTION = Path(__file__).parent / "fixtures" / "captions" / "cellist_loft.json"


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def bad(*args: str) -> str:
    result = run(*args, check=False)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lightrig: error: ")
    return lines[0]


def test_analyze_preset_json_reports_pattern_and_stops() -> None:
    analysis = json.loads(run("analyze", "--preset", "rembrandt", "--json").stdout)
    assert analysis["pattern"] == "rembrandt"
    assert isinstance(analysis["ratio"]["stops"], float)
    assert analysis["ratio"]["stops"] > 1.0


def test_prompt_prints_a_ten_key_json() -> None:
    pretty = json.loads(run("prompt", "--preset", "butterfly").stdout)
    compact = run("prompt", "--preset", "butterfly", "--json").stdout.strip()
    assert json.loads(compact) == pretty
    assert set(pretty) <= set(TOP_LEVEL_KEYS)
    assert len(pretty) == 9  # all but text_render, which is empty for a portrait
    validate_prompt(pretty)


def test_analyze_a_setup_file(tmp_path: Path) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(
        json.dumps(
            {
                "key": {"direction": "45 degrees camera-right", "intensity": 0.8},
                "fill": {"direction": "30 degrees camera-left", "intensity": 0.4, "distance": 2},
            }
        )
    )
    analysis = json.loads(run("analyze", str(setup), "--json").stdout)
    assert analysis["key_role"] == "key"
    human = run("analyze", str(setup)).stdout
    assert "Rating" in human
    assert "Recommendations" in human


def test_presets_table_and_json() -> None:
    listed = json.loads(run("presets", "--json").stdout)
    assert {p["name"] for p in listed} >= {"rembrandt", "loop", "film-noir"}
    assert all(p["pattern"] in p["pattern_names"] for p in listed)
    assert "rembrandt" in run("presets").stdout


def test_refine_and_parse_commands() -> None:
    refined = json.loads(run("prompt", "--preset", "split", "--refine", str(CAPTION)).stdout)
    original: dict[str, Any] = json.loads(CAPTION.read_text())
    assert refined["background_setting"] == original["background_setting"]
    assert "split" in refined["lighting"]["direction"]
    parsed = json.loads(run("parse", str(CAPTION), "--json").stdout)
    assert parsed["lighting_setup"]["key"]["azimuth"] == -90.0
    assert "Side-lit from the left through tall windows." in parsed["understood"]


def test_demo_runs(tmp_path: Path) -> None:
    out = run("demo", "--preset", "loop", "--out", str(tmp_path)).stdout
    assert "loop" in out
    assert "short_description" in out
    assert (tmp_path / "loop.png").stat().st_size > 1000
    assert "<svg" in (tmp_path / "loop.svg").read_text()


def test_render_writes_the_preview_and_the_diagram(tmp_path: Path) -> None:
    from PIL import Image

    result = json.loads(
        run("render", "--preset", "split", "--size", "128", "--out", str(tmp_path), "--json").stdout
    )
    assert result["analysis"]["pattern"] == "split"
    with Image.open(result["png"]) as picture:
        assert picture.size == (128, 128)
    assert "light-key" in Path(result["svg"]).read_text()
    human = run("render", "--preset", "split", "--size", "64", "--out", str(tmp_path)).stdout
    assert "preview:" in human
    assert "diagram:" in human


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("analyze", "--preset", "disco"), "unknown preset 'disco'"),
        (("analyze",), "give a setup file or --preset NAME"),
        (("analyze", "missing.json"), "missing.json: no such file"),
        (("prompt", "--preset", "loop", "--bogus"), "No such option"),
        (("frobnicate",), "No such command"),
        (("render", "--preset", "loop", "--size", "4096"), "'--size'"),
        (("render", "--preset", "loop", "--size", "32"), "'--size'"),
        (("render", "--preset", "loop", "--out", "/dev/null/x"), "cannot write there"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_two(args: tuple[str, ...], fragment: str) -> None:
    assert fragment in bad(*args)


def test_bad_files_name_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"key": {"intensity": 0.5,}}')
    assert "invalid JSON at line 1" in bad("analyze", str(broken))
    out_of_range = tmp_path / "range.json"
    out_of_range.write_text(json.dumps({"key": {"direction": "nowhere", "intensity": 3}}))
    message = bad("analyze", str(out_of_range))
    assert "lighting_setup.key.direction: cannot understand direction 'nowhere'" in message
    assert "lighting_setup.key.intensity" in message
    not_a_prompt = tmp_path / "caption.json"
    not_a_prompt.write_text(json.dumps({"lighting": "bright"}))
    assert "lighting: needs an object" in bad("parse", str(not_a_prompt))


def test_no_arguments_prints_help() -> None:
    result = run(check=False)
    assert result.returncode == 0
    assert "analyze" in result.stdout
