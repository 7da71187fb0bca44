"""The optional extras: the table of what each brings agrees with pyproject.toml, the base
install is enough for the core, the renderer, the verifier and the design commands, and a
missing extra is one line naming it (CLI exit code 2; an ImportError for library use).

A missing package is simulated in a fresh interpreter by putting ``None`` in ``sys.modules``
under its name, which makes every import of it fail as if it were not installed.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from lightrig.errors import LightingGenerationError, MissingExtraError
from lightrig.extras import EXTRAS, extra_for, missing_extra, needs_extra, require_extra

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

#: Runs the CLI (or any code) with the modules named in LIGHTRIG_TEST_MISSING made missing.
_WITHOUT = """
import os, sys
for name in os.environ["LIGHTRIG_TEST_MISSING"].split(","):
    sys.modules[name] = None
"""


def _without(
    missing: list[str], code: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", _WITHOUT + code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {}), "LIGHTRIG_TEST_MISSING": ",".join(missing)},
    )


def _cli_without(
    missing: list[str], *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    code = f"from lightrig.cli import main\nmain({list(args)!r})\n"
    return _without(missing, code, env)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


#: Every module an extra brings: a base install has none of them.
EVERY_EXTRA = sorted({module for modules in EXTRAS.values() for module in modules})


# --- the table ----------------------------------------------------------------------------------


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, object]:
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)["project"]  # type: ignore[no-any-return]


def test_every_extra_of_the_table_is_in_pyproject_and_none_is_required() -> None:
    project = _pyproject()
    optional = project["optional-dependencies"]
    assert isinstance(optional, dict)
    required = {_requirement_name(r) for r in project["dependencies"]}  # type: ignore[attr-defined]
    distributions = importlib.metadata.packages_distributions()
    for extra, modules in EXTRAS.items():
        assert extra in optional, extra
        named = {_requirement_name(r) for r in optional[extra]}
        # what the extra names, and what those bring with them (FastAPI brings Starlette)
        brought = set(named)
        for name in named:
            for requirement in importlib.metadata.requires(name) or []:
                if "extra ==" not in requirement:
                    brought.add(_requirement_name(requirement))
        for module in modules:
            top = module.split(".")[0]
            owners = {d.lower().replace("_", "-") for d in distributions.get(top, [])}
            if module == "google.genai":
                owners = {"google-genai"}
            assert owners & brought, f"{module} ({owners}) does not come with {extra!r}"
            assert not owners & required, f"{module} is a required dependency, not an extra"
    everything = _requirement_name(optional["all"][0])  # type: ignore[index]
    assert everything == "lightrig"
    listed = optional["all"][0].split("[", 1)[1].split("]", 1)[0].split(",")  # type: ignore[index]
    assert set(listed) == set(EXTRAS)


def test_extra_for_names_the_extra_of_a_module() -> None:
    assert extra_for("sqlalchemy.ext.asyncio") == "server"
    assert extra_for("taskiq_redis") == "fleet"
    assert extra_for("botocore.config") == "s3"
    assert extra_for("httpx") == "server"
    assert extra_for("httpx", preferred="llm") == "llm"
    assert extra_for("google.genai.types") == "llm"
    assert extra_for("google.protobuf") is None
    assert extra_for("numpy") is None
    assert extra_for("sqlalchemyx") is None


def test_needs_extra_turns_a_missing_module_into_one_line() -> None:
    with pytest.raises(MissingExtraError) as caught, needs_extra("the REST server", "server"):
        raise ModuleNotFoundError("No module named 'uvicorn'", name="uvicorn")
    error = caught.value
    assert str(error) == "the REST server needs the 'server' extra: pip install 'lightrig[server]'"
    assert (error.extra, error.name) == ("server", "uvicorn")
    assert isinstance(error, ImportError)
    assert isinstance(error, LightingGenerationError)
    with pytest.raises(ModuleNotFoundError) as other, needs_extra("the REST server", "server"):
        raise ModuleNotFoundError("No module named 'numpy'", name="numpy")
    assert not isinstance(other.value, MissingExtraError)  # a broken install, shown as it is
    assert missing_extra(error, "anything") is error


def test_require_extra_checks_without_importing() -> None:
    require_extra("server", "the records", "sqlalchemy", "json")
    with pytest.raises(MissingExtraError) as caught:
        require_extra("s3", "S3 storage", "json", "lightrig_no_such_module")
    assert str(caught.value) == "S3 storage needs the 's3' extra: pip install 'lightrig[s3]'"
    assert caught.value.name == "lightrig_no_such_module"


# --- the base install ---------------------------------------------------------------------------


def test_the_base_install_runs_the_core_renderer_verifier_and_design_commands(
    tmp_path: Path,
) -> None:
    code = """
import json, sys
import lightrig
from lightrig import LightingAnalyzer, compile_prompt, get_preset
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import verify_image
request = get_preset("loop").request()
analysis = LightingAnalyzer().analyze(request)
png = PreviewRenderer().render(request, 96).png()
report = verify_image(png, request)
print(json.dumps({"pattern": analysis.pattern, "keys": len(compile_prompt(request)),
                  "checked": report.adherence is not None, "png": png[:4].hex()}))
"""
    done = _without(EVERY_EXTRA, code)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pattern"] == "loop"
    assert result["checked"] is True
    assert result["png"] == "89504e47"
    for args in (
        ["analyze", "--preset", "loop", "--json"],
        ["prompt", "--preset", "loop", "--json"],
        ["translate", "warm rembrandt light", "--json"],
        ["render", "--preset", "loop", "--size", "64", "--out", str(tmp_path), "--json"],
        ["verify", str(tmp_path / "loop.png"), "--preset", "loop", "--json"],
        ["--help"],
    ):
        ran = _cli_without(EVERY_EXTRA, *args, env={"LIGHTRIG_DATA_DIR": str(tmp_path)})
        assert ran.returncode == 0, (args, ran.stderr)
    assert not (tmp_path / "lightrig.db").exists()  # no records were needed


# --- a missing extra, as a user meets it ---------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "args", "line"),
    [
        (["uvicorn"], ["serve"], "the REST server needs the 'server' extra"),
        (["fastapi"], ["serve"], "the REST server needs the 'server' extra"),
        (["sqlalchemy"], ["generate", "--preset", "loop"], "generating images needs the 'server'"),
        (["sqlalchemy"], ["history", "list"], "the generation records needs the 'server' extra"),
        (["alembic"], ["users", "list"], "user accounts needs the 'server' extra"),
        (["sqlalchemy"], ["health"], "the health check needs the 'server' extra"),
        (["mcp"], ["mcp"], "the MCP server needs the 'mcp' extra"),
    ],
)
def test_a_command_without_its_extra_says_which(
    tmp_path: Path, missing: list[str], args: list[str], line: str
) -> None:
    found = _one_line(_cli_without(missing, *args, env={"LIGHTRIG_DATA_DIR": str(tmp_path)}))
    assert found.startswith("lightrig: error: " + line), found
    extra = line.split("'")[1]
    assert found.endswith(f"pip install 'lightrig[{extra}]'"), found


def test_the_worker_without_the_fleet_extra(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_QUEUE_URL": "redis://127.0.0.1:1/0"}
    found = _one_line(_cli_without(["taskiq"], "worker", env=env))
    assert found == (
        "lightrig: error: the worker needs the 'fleet' extra: pip install 'lightrig[fleet]'"
    )


def test_a_setting_that_needs_an_extra_names_it(tmp_path: Path) -> None:
    """The extra a setting calls for is named with the adapter that needs it: S3 storage without
    boto3, Redis without the redis client — found when the service is made, not when it is
    imported."""
    s3 = {"LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_STORAGE_URL": "s3://bucket/images"}
    found = _one_line(_cli_without(["boto3"], "generate", "--preset", "loop", env=s3))
    assert found == (
        "lightrig: error: the s3 image store needs the 's3' extra: pip install 'lightrig[s3]'"
    )
    redis = {"LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_REDIS_URL": "redis://127.0.0.1:1/0"}
    found = _one_line(_cli_without(["redis"], "history", "list", env=redis))
    assert re.fullmatch(
        r"lightrig: error: the redis (cache|rate limiter) needs the 'fleet' extra: "
        r"pip install 'lightrig\[fleet\]'",
        found,
    ), found


def test_the_llm_translators_without_their_extra(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_GEMINI_API_KEY": "k"}
    found = _one_line(
        _cli_without(["httpx"], "translate", "loop", "--translator", "gemini", env=env)
    )
    assert found == (
        "lightrig: error: the gemini translator needs the 'llm' extra: pip install 'lightrig[llm]'"
    )


def test_the_library_says_which_extra_the_service_needs() -> None:
    code = """
import lightrig
from lightrig import SceneRequest  # the core imports without the extra
try:
    lightrig.LightingGenerationService
except ImportError as error:
    print(type(error).__name__, error.extra, error.name)
    print(error)
"""
    done = _without(["sqlalchemy"], code)
    assert done.returncode == 0, done.stderr
    kind, message = done.stdout.strip().splitlines()
    assert kind == "MissingExtraError server sqlalchemy"
    assert message == (
        "lightrig.LightingGenerationService needs the 'server' extra: "
        "pip install 'lightrig[server]'"
    )
    imported = _without(["sqlalchemy"], "from lightrig import LightingGenerationService")
    assert imported.returncode == 1
    assert imported.stderr.strip().splitlines()[-1] == (
        "lightrig.errors.MissingExtraError: lightrig.LightingGenerationService needs the "
        "'server' extra: pip install 'lightrig[server]'"
    )
