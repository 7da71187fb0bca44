"""A new user's first hour (issue 18): each case the issue names, through every face it has.

The command line (a real ``lightrig`` process: the exit code, one line on standard error, never
"Traceback"), the REST API (the status and a problem+json document naming the field or the
setting) and the library (the exception's class in lightrig's tree, never pydantic's or
SQLAlchemy's). A case a face does not have (the API reads no files; the library prints no help)
is run where it exists. The deeper checks of each area live beside this table:
``test_first_hour_cli.py`` (files, settings, dependencies, terminal output),
``test_first_hour_models_api.py`` (messages and request shapes),
``test_first_hour_contradictions.py`` (what the product says), ``test_cli_fuzz.py`` (random
files) and ``test_readme_blocks.py`` (every README block, run).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

import lightrig
from lightrig import (
    CameraSettings,
    InvalidLightingSetupError,
    LightingAnalyzer,
    LightSettings,
    SceneRequest,
)
from lightrig.api.app import create_app
from lightrig.config import Settings, unknown_settings
from lightrig.errors import DependencyUnavailableError, InvalidSettingError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.translate.rules import RulesTranslator
from tests.apiserver import free_port
from tests.services import require_postgres

EXAMPLES = Path(__file__).parent.parent / "examples"
KEY = {"direction": "45 degrees camera-left", "intensity": 0.8}
ROLES = "roles: key, fill, rim, kicker, hair, background, ambient"
NO_FILL = "no fill: the shadow side is unlit"
DEPTH = 5000


# ------------------------------------------------------------------------------ the three faces
def lightrig_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``lightrig ARGS`` in a fresh process whose data lives in a fresh folder."""
    return subprocess.run(
        [sys.executable, "-m", "lightrig", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def error_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The one ``lightrig: error:`` line a command printed, with its exit code checked."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lightrig: error: "), lines[0]
    assert result.returncode == code, (result.returncode, lines[0])
    return lines[0]


def problem(response: Any, status: int) -> str:
    """The ``detail`` of a problem+json answer, its status and media type checked."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert "\n" not in body["detail"]
    return str(body["detail"])


def raised(error: type[Exception], work: Any) -> str:
    """The one line ``work()`` raised as ``error``: lightrig's, never pydantic's."""
    with pytest.raises(error) as caught:
        work()
    assert not isinstance(caught.value, ValidationError)
    assert "\n" not in str(caught.value)
    return str(caught.value)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"LIGHTRIG_DATA_DIR": str(tmp_path / "data"), "LIGHTRIG_PREVIEW_SIZE": "64"}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    """The service's REST API on the preview backend, no user made yet."""
    settings = Settings(data_dir=tmp_path / "api", preview_size=64)
    with TestClient(create_app(settings, allow_anonymous=True)) as client:
        yield client


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ------------------------------------------------------------------------------------ tracebacks
def _deep(depth: int) -> str:
    return '{"key": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


@pytest.mark.parametrize("command", ["analyze", "parse", "prompt"])
def test_deep_json_files_are_one_line(tmp_path: Path, env: dict[str, str], command: str) -> None:
    path = write(tmp_path, "deep.json", _deep(DEPTH))
    line = error_line(lightrig_cli(command, path, env=env), 2)
    assert "deep.json" in line
    assert "nested deeper than 64 levels" in line


def test_deep_json_to_the_api_is_said_to_be_nested_too_deep(api: TestClient) -> None:
    answer = api.post(
        "/v1/analyze", content=_deep(DEPTH), headers={"content-type": "application/json"}
    )
    detail = problem(answer, 422)
    assert "nested too deep" in detail
    assert "accepted up to 64" in detail


def test_a_deep_value_to_the_library_is_lightrigs_error() -> None:
    deep: dict[str, Any] = {"a": 1}
    for _ in range(DEPTH):
        deep = {"a": deep}
    line = raised(InvalidLightingSetupError, lambda: SceneRequest.model_validate({"key": deep}))
    assert line.startswith("lighting_setup.key.")


@pytest.mark.parametrize(
    ("url", "code", "said"),
    [
        ("postgresql://lightrig@nohost.invalid:5432/test", 1, "does not resolve"),
        (f"postgresql://lightrig:hunter2@127.0.0.1:{free_port()}/test", 1, "refused"),
        ("postgresql://nosuchrole:hunter2@127.0.0.1:5432/test", 1, 'role "nosuchrole"'),
        ("mysql://lightrig:hunter2@127.0.0.1/test", 2, "unsupported database URL scheme"),
    ],
    ids=["unresolvable", "refused", "unknown-role", "mysql"],
)
@pytest.mark.parametrize("command", [["users", "list"], ["history", "list"]])
def test_an_unusable_database_is_one_line_naming_the_setting(
    env: dict[str, str], url: str, code: int, said: str, command: list[str]
) -> None:
    if "nosuchrole" in url:
        require_postgres()
    line = error_line(lightrig_cli(*command, env={**env, "LIGHTRIG_DATABASE_URL": url}), code)
    assert "setting LIGHTRIG_DATABASE_URL" in line
    assert said in line
    assert "hunter2" not in line


def test_an_unusable_database_is_lightrigs_error_to_the_library(tmp_path: Path) -> None:
    url = f"postgresql://lightrig:hunter2@127.0.0.1:{free_port()}/test"

    async def start() -> None:
        async with LightingGenerationService(Settings(data_dir=tmp_path, database_url=url)):
            pass

    line = raised(DependencyUnavailableError, lambda: asyncio.run(start()))
    assert line.startswith("setting LIGHTRIG_DATABASE_URL: cannot use the database")
    assert "hunter2" not in line
    mysql = raised(InvalidSettingError, lambda: Settings(database_url="mysql://u@h/d"))
    assert mysql.startswith("setting LIGHTRIG_DATABASE_URL: unsupported database URL scheme")


def test_a_setting_that_is_not_json_is_one_line(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = {**env, "LIGHTRIG_PRICES_USD": "notjson"}
    line = error_line(lightrig_cli("generate", "--preset", "loop", env=bad), 2)
    assert line.startswith("lightrig: error: setting LIGHTRIG_PRICES_USD: not JSON")
    assert '{"bria": 0.03}' in line
    monkeypatch.setenv("LIGHTRIG_PRICES_USD", "notjson")
    said = raised(InvalidSettingError, Settings)
    assert said.startswith("setting LIGHTRIG_PRICES_USD: not JSON")


def test_redis_down_is_one_line_and_503(tmp_path: Path, env: dict[str, str]) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = lightrig_cli("generate", "--preset", "loop", env={**env, "LIGHTRIG_REDIS_URL": url})
    line = error_line(result, 1)
    assert "setting LIGHTRIG_REDIS_URL" in line
    assert "connection refused" in line
    settings = Settings(data_dir=tmp_path / "api", preview_size=64, redis_url=url)
    with TestClient(create_app(settings, allow_anonymous=True)) as client:
        answer = client.post("/v1/generations", json={"request": {"key": KEY}})
        detail = problem(answer, 503)
    assert "LIGHTRIG_REDIS_URL" in detail
    assert (
        str(url.rsplit(":", maxsplit=1)[-1].split("/", maxsplit=1)[0]) not in detail
    )  # never where it points

    async def generate() -> None:
        async with LightingGenerationService(settings) as service:
            await service.generate_from_lighting_setup(PRESETS["loop"].request(), "me")

    said = raised(DependencyUnavailableError, lambda: asyncio.run(generate()))
    assert said.startswith("setting LIGHTRIG_REDIS_URL")


def test_the_analyzer_takes_a_requests_plain_data() -> None:
    analysis = LightingAnalyzer().analyze({"lighting_setup": {"key": KEY}})
    assert analysis.pattern_names
    line = raised(InvalidLightingSetupError, lambda: LightingAnalyzer().analyze({"kye": KEY}))
    assert "unknown role 'kye' (did you mean 'key'?)" in line


# ------------------------------------------------------------------------ errors that mislead
MISLEADING = [
    pytest.param(
        '{"kye": {"intensity": 0.8}}',
        "lighting_setup.kye",
        f"unknown role 'kye' (did you mean 'key'?); {ROLES}",
        id="misspelt-role",
    ),
    pytest.param(
        '{"key": {"direction": "front", "intensity": 0.8}, "spot": {"intensity": 0.3}}',
        "lighting_setup.spot",
        f"unknown role 'spot'; {ROLES}",
        id="extra-role",
    ),
    pytest.param(
        '{"key": {"direction": "front", "intensity": NaN}}',
        "lighting_setup.key.intensity",
        "got NaN; accepted: a number from 0 to 1",
        id="nan-intensity",
    ),
    pytest.param(
        '{"lighting_setup": {}}',
        "lighting_setup",
        "no lights; give at least a key",
        id="empty-setup",
    ),
]


@pytest.mark.parametrize(("text", "field", "said"), MISLEADING)
def test_a_users_mistake_names_its_field_on_every_face(  # noqa: PLR0917 - the fixtures and the case
    tmp_path: Path, env: dict[str, str], api: TestClient, text: str, field: str, said: str
) -> None:
    line = error_line(lightrig_cli("analyze", write(tmp_path, "setup.json", text), env=env), 2)
    if "NaN" in text:  # JSON has no NaN: the file is refused before any field is read
        assert "NaN is not a JSON number" in line
    else:
        assert f"setup.json: {field}: {said}" in line
        assert "key: Extra inputs" not in line  # never the valid role
    answer = api.post("/v1/analyze", content=text, headers={"content-type": "application/json"})
    assert f"body.{field}: {said}" in problem(answer, 422)
    data = json.loads(text)  # Python's json reads NaN, as a library caller's data may hold it
    assert f"{field}: {said}" in raised(InvalidLightingSetupError, lambda: SceneRequest(**data))


@pytest.mark.parametrize(
    "make",
    [
        lambda: SceneRequest(lighting_setup={"key": {"direction": "front", "intensity": 2}}),
        lambda: LightSettings(direction="front", intensity=float("nan")),
        lambda: CameraSettings(aperture=100),
        lambda: SceneRequest.model_validate({"key": {"direction": "sideways", "intensity": 0.5}}),
    ],
    ids=["scene-request", "light-settings", "camera", "model-validate"],
)
def test_the_request_models_raise_the_seeds_error(make: Any) -> None:
    line = raised(InvalidLightingSetupError, make)
    assert "accepted" in line
    with pytest.raises(ValueError, match="accepted"):  # InvalidLightingSetupError is a ValueError
        make()


def test_a_misspelt_setting_is_warned_about_by_name(env: dict[str, str]) -> None:
    result = lightrig_cli("analyze", "--preset", "loop", env={**env, "LIGHTRIG_BAKCEND": "bria"})
    assert result.returncode == 0, result.stderr
    assert (
        "lightrig: warning: LIGHTRIG_BAKCEND is not a lightrig setting "
        "(did you mean LIGHTRIG_BACKEND?)" in result.stderr
    )
    assert unknown_settings({"LIGHTRIG_BAKCEND": "bria", "LIGHTRIG_BACKEND": "preview"}) == [
        "LIGHTRIG_BAKCEND is not a lightrig setting (did you mean LIGHTRIG_BACKEND?)"
    ]


# ------------------------------------------------------------------------------ contradictions
#: The seed design's own example's camera: fov=85 with a portrait lens type.
SEED = {"lighting_setup": {"key": KEY}, "camera_settings": {"fov": 85, "lens_type": "portrait"}}


def test_the_seed_lens_is_85_mm_on_every_face(tmp_path: Path, api: TestClient) -> None:
    request = SceneRequest.model_validate(SEED)
    prompt = compile_prompt(request)
    lens = prompt["photographic_characteristics"]["lens_focal_length"]
    assert "85 mm" in lens
    assert "20 mm" not in json.dumps(prompt)
    warnings = LightingAnalyzer().analyze(request).warnings
    assert any("fov 85 was read as focal_length 85 mm" in w for w in warnings)
    answer = api.post("/v1/prompt", json=SEED)
    assert answer.status_code == 200, answer.text
    assert "85 mm" in answer.text
    assert "20 mm" not in answer.text
    analysed = api.post("/v1/analyze", json=SEED).json()
    assert any("fov 85 was read as focal_length 85 mm" in w for w in analysed["warnings"])
    path = write(tmp_path, "seed.json", json.dumps(SEED))
    shown = lightrig_cli("analyze", path, env={"LIGHTRIG_DATA_DIR": str(tmp_path)})
    assert "fov 85 was read as focal_length 85 mm" in shown.stdout


def test_a_missing_fill_is_said_so_not_as_a_ratio(tmp_path: Path, api: TestClient) -> None:
    request = SceneRequest(lighting_setup={"key": KEY})
    analysis = LightingAnalyzer().analyze(request)
    assert NO_FILL in analysis.summary
    assert "1024" not in analysis.summary
    prompt = json.dumps(compile_prompt(request))
    assert "ten stops" not in prompt
    assert "unlit" in prompt
    answered = api.post("/v1/analyze", json={"key": KEY}).json()
    assert answered["ratio"]["shadow_unlit"] is True
    assert NO_FILL in answered["summary"]
    path = write(tmp_path, "key.json", json.dumps({"key": KEY}))
    shown = lightrig_cli("analyze", path, env={"LIGHTRIG_DATA_DIR": str(tmp_path)}).stdout
    assert NO_FILL in shown
    assert "1024" not in shown


def test_a_fill_alone_is_said_to_act_as_the_key(tmp_path: Path, api: TestClient) -> None:
    fill = {"fill": {"intensity": 0.5, "direction": "30 degrees camera-right"}}
    warnings = LightingAnalyzer().analyze(SceneRequest(lighting_setup=fill)).warnings
    assert any(w.startswith("No key: the fill") for w in warnings), warnings
    answered = api.post("/v1/analyze", json=fill).json()
    assert any(w.startswith("No key: the fill") for w in answered["warnings"])
    path = write(tmp_path, "fill.json", json.dumps(fill))
    shown = lightrig_cli("analyze", path, env={"LIGHTRIG_DATA_DIR": str(tmp_path)}).stdout
    assert "No key: the fill" in shown


def test_refine_rewrites_the_mood(tmp_path: Path) -> None:
    caption = compile_prompt(PRESETS["loop"].request())
    assert "approachable" in caption["short_description"]
    refined = refine_prompt(caption, PRESETS["film-noir"].request())
    assert "approachable" not in refined["short_description"]
    assert "loop" not in refined["context"]
    path = write(tmp_path, "caption.json", json.dumps(caption))
    shown = lightrig_cli("prompt", "--preset", "film-noir", "--refine", path, "--json")
    assert shown.returncode == 0, shown.stderr
    assert "approachable" not in json.loads(shown.stdout)["short_description"]


def test_parse_never_lists_a_word_as_understood_and_ignored(tmp_path: Path) -> None:
    caption = compile_prompt(PRESETS["loop"].request())
    parsed = parse_lighting(caption)
    assert "loop" in parsed.ignored
    assert not any("loop" in phrase.lower() for phrase in parsed.understood)
    path = write(tmp_path, "caption.json", json.dumps(caption))
    shown = json.loads(lightrig_cli("parse", path, "--json").stdout)
    assert "loop" in shown["ignored"]
    assert not any("loop" in phrase.lower() for phrase in shown["understood"])


def test_the_keys_size_reads_as_a_width_not_a_position() -> None:
    summary = LightingAnalyzer().analyze(PRESETS["loop"].request()).summary
    assert "° wide)" in summary
    assert " key at " not in summary


def test_the_translator_reports_what_it_assumed(api: TestClient) -> None:
    translation = asyncio.run(RulesTranslator().translate("loop lighting, warm tungsten key"))
    assert any(a.startswith("subject: ") for a in translation.assumptions)
    shown = lightrig_cli("translate", "loop lighting, warm tungsten key").stdout
    assert "assumed: subject: " in shown
    answered = api.post("/v1/translate", json={"text": "loop lighting, warm tungsten key"})
    assert answered.status_code == 200, answered.text
    assert any(a.startswith("subject: ") for a in answered.json()["assumptions"])


# ------------------------------------------------------------------------------------ friction
def test_help_shows_flags_as_flags_and_a_version() -> None:
    shown = lightrig_cli("analyze", "--help").stdout
    assert "--json" in shown
    assert "<bool>" not in shown
    assert "BOOLEAN" not in shown
    version = lightrig_cli("--version")
    assert version.stdout.strip() == f"lightrig {lightrig.__version__}"
    assert "--install-completion" in lightrig_cli("--help").stdout


def test_piped_output_is_not_wrapped_at_80_columns(env: dict[str, str]) -> None:
    shown = lightrig_cli("analyze", "--preset", "rembrandt", env={**env, "COLUMNS": ""}).stdout
    first = shown.splitlines()[0]
    assert len(first) > 80  # the summary, whole on its line
    assert first.rstrip().endswith("/10")


def test_the_readmes_example_files_exist_and_run(tmp_path: Path) -> None:
    data = {"LIGHTRIG_DATA_DIR": str(tmp_path)}
    for name in ("my-setup.json", "key-and-fill.json"):
        assert lightrig_cli("analyze", str(EXAMPLES / name), env=data).returncode == 0
    assert lightrig_cli("parse", str(EXAMPLES / "caption.json"), env=data).returncode == 0
    jobs = (EXAMPLES / "jobs.jsonl").read_text(encoding="utf-8").splitlines()
    for line in jobs:
        SceneRequest.model_validate_json(line)
    assert (EXAMPLES / "generate.py").is_file()


def test_one_request_shape_across_the_api(api: TestClient) -> None:
    shorthand = {"key": KEY}
    full = {"lighting_setup": shorthand}
    for body in (shorthand, full, {"request": shorthand}, {"request": full}):
        answer = api.post("/v1/analyze", json=body)
        assert answer.status_code == 200, (body, answer.text)
    made = api.post("/v1/generations", json={"request": shorthand})
    assert made.status_code == 201, made.text


def test_no_user_yet_takes_an_empty_bearer(api: TestClient) -> None:
    answer = api.post("/v1/analyze", json={"key": KEY}, headers={"Authorization": "Bearer "})
    assert answer.status_code == 200, answer.text


def test_help_lightrig_opens_with_a_tour() -> None:
    doc = lightrig.__doc__ or ""
    assert len(doc.splitlines()) > 20
    for name in ("LightingGenerationService", "LightingAnalyzer", "LIGHTRIG_", "SceneRequest"):
        assert name in doc
