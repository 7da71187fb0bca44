"""Issue 18, "every warning reaches the user where they look": what the translator assumed (the
subject, setting and camera of the preset it starts from, lights the words never name) and the
analysis's warnings reach the API's translate and natural-language answers (and its OpenAPI
document) and ``lightrig generate --describe``, human and JSON."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lightrig.analysis import LightingAnalyzer
from lightrig.models.scene import parse_scene_request
from lightrig.translate.base import Translation
from lightrig.translate.rules import RulesTranslator
from tests.test_api import PREVIEW_SIZE, Api, Launch, launch  # noqa: F401 - the API server fixture

#: Words that name a key but no setup and no subject: the loop preset's subject, setting,
#: camera and background light are assumed; the missing fill is an analysis warning.
WORDS = "single hard key from the left, no fill"
#: Words that name the setup: its fill and background light are assumed, not the setup.
NAMED = "loop lighting, warm tungsten key"


def translated(text: str) -> Translation:
    """The rules translator's reading of ``text``, in this process."""
    return asyncio.run(RulesTranslator().translate(text))


def test_the_translation_assumes_something_for_these_words() -> None:
    # the premise of the tests below: without it they would compare empty lists
    assert any(a.startswith("subject: ") for a in translated(WORDS).assumptions)
    assert any(a.startswith("a background light") for a in translated(NAMED).assumptions)
    assert LightingAnalyzer().analyze(translated(WORDS).request).warnings


# ----------------------------------------------------------------------------------- the API


@pytest.fixture
def api(launch: Launch) -> Api:  # noqa: F811 - the fixture
    """A server on the preview backend, alice and bob its users."""
    return launch()


def test_translate_answers_with_the_assumptions(api: Api) -> None:
    client = api.client()
    response = client.post("/v1/translate", json={"text": NAMED})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["assumptions"] == list(translated(NAMED).assumptions)
    subject = body["request"]["subject_description"]
    assert any(a.startswith(f"subject: {subject} (the loop preset's") for a in body["assumptions"])
    assert not any(a.startswith("a key light") for a in body["assumptions"])  # the words name it
    # the analysis's warnings are in the same answer
    expected = LightingAnalyzer().analyze(translated(WORDS).request).warnings
    worded = client.post("/v1/translate", json={"text": WORDS}).json()
    assert worded["analysis"]["warnings"] == expected


def test_translate_on_a_base_assumes_no_subject(api: Api) -> None:
    client = api.client()
    base = {
        "lighting_setup": {"key": {"azimuth": -40, "intensity": 0.8}},
        "subject_description": "a cellist",
    }
    response = client.post("/v1/translate", json={"text": "warm key from the right", "base": base})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["request"]["subject_description"] == "a cellist"
    assert isinstance(body["assumptions"], list)
    assert not any(a.startswith(("subject:", "setting:", "camera:")) for a in body["assumptions"])


def test_natural_language_generation_answers_with_the_assumptions(api: Api) -> None:
    client = api.client()
    response = client.post("/v1/generations/natural-language", json={"text": WORDS, "seed": 5})
    assert response.status_code == 201, response.text
    body = response.json()
    expected = translated(WORDS)
    assert body["assumptions"] == list(expected.assumptions)
    assert "the loop setup to start from (the words name no setup)" in body["assumptions"]
    record = body["generation"]
    assert record["status"] == "success"
    assert record["analysis"]["warnings"] == LightingAnalyzer().analyze(expected.request).warnings


def test_the_openapi_document_names_the_assumptions(api: Api) -> None:
    schemas = api.client().get("/openapi.json").json()["components"]["schemas"]
    for name in ("TranslationOut", "NaturalLanguageGeneration"):
        schema = schemas[name]
        assert "assumptions" in schema["required"], name
        field = schema["properties"]["assumptions"]
        assert field["type"] == "array"
        assert field["items"] == {"type": "string"}
        assert "the words do not say" in field["description"]


# ----------------------------------------------------------------------------------- the CLI


def generate(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``lightrig generate`` on the preview backend, small, with its data under ``tmp_path``."""
    env = {
        **os.environ,
        "LIGHTRIG_DATA_DIR": str(tmp_path / "data"),
        "LIGHTRIG_PREVIEW_SIZE": str(PREVIEW_SIZE),
        "LIGHTRIG_BACKEND": "preview",
        "COLUMNS": "2000",
    }
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", "generate", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("text", [WORDS, NAMED])
def test_generate_describe_prints_what_was_assumed(tmp_path: Path, text: str) -> None:
    expected = translated(text)
    lines = generate(tmp_path, "--describe", text, "--seed", "2").stdout.splitlines()
    assert f"assumed: {'; '.join(expected.assumptions)}" in lines
    understood = lines.index(f"understood: {', '.join(expected.understood)}")
    assert lines[understood + 2].startswith("assumed: ")  # after understood and ignored
    for warning in LightingAnalyzer().analyze(expected.request).warnings:
        assert f"warning: {warning}" in lines


def test_generate_describe_json_carries_the_assumptions_and_warnings(tmp_path: Path) -> None:
    expected = translated(WORDS)
    data = json.loads(generate(tmp_path, "--describe", WORDS, "--json").stdout)
    assert data["assumptions"] == list(expected.assumptions)
    assert data["understood"] == list(expected.understood)
    assert data["warnings"] == LightingAnalyzer().analyze(expected.request).warnings
    assert data["warnings"]


def test_generate_from_a_file_carries_its_warnings_and_assumes_nothing(tmp_path: Path) -> None:
    setup = tmp_path / "setup.json"
    request = {"lighting_setup": {"key": {"intensity": 0.8, "direction": "45 left"}}}
    setup.write_text(json.dumps(request))
    warnings = LightingAnalyzer().analyze(parse_scene_request(request)).warnings
    assert warnings  # a key alone: no fill reaches the shadow side
    data = json.loads(generate(tmp_path, str(setup), "--json").stdout)
    assert data["warnings"] == warnings
    assert "assumptions" not in data  # no words were translated
    shown = generate(tmp_path, str(setup)).stdout
    assert "assumed:" not in shown
    for warning in warnings:
        assert f"warning: {warning}" in shown.splitlines()
