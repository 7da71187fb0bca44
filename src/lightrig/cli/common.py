"""What the command line's commands share: the bad-input error and exit codes, reading the
user's files, the setup and preset arguments, JSON output, the console, and the settings with
command-line overrides.

Imports stay light here (no Rich, no settings machinery until a command asks for them), so that
``lightrig --help`` and the quick commands start fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting.roles import LightType
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.presets import UnknownPresetError, get_preset

if TYPE_CHECKING:
    from rich.console import Console

    from lightrig.config import Settings
    from lightrig.service import LightingGenerationService

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "BadInputError",
    "JsonOption",
    "PresetOption",
    "SetupArgument",
    "TranslatorOption",
    "new_console",
    "print_json",
    "read_file",
    "read_json",
    "request_from",
    "result_json",
    "run_async",
    "service_for",
    "settings_for",
]

T = TypeVar("T")

#: Exit code of bad input (usage, files, fields, settings): the user must fix something.
EXIT_BAD_INPUT = 2
#: Exit code of work that failed (a host, a translator's model, a check that did not pass).
EXIT_FAILED = 1

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SetupArgument = Annotated[
    Path | None,
    typer.Argument(
        help="A JSON file: a scene request, or just a lighting setup keyed by role.",
        show_default=False,
    ),
]
PresetOption = Annotated[
    str | None,
    typer.Option(
        "--preset", "-p", help="A preset name (see `lightrig presets`).", show_default=False
    ),
]
TranslatorOption = Annotated[
    str | None,
    typer.Option(
        "--translator",
        "-t",
        help="Words to light: rules, gemini or openai (default: LIGHTRIG_TRANSLATOR).",
        show_default=False,
    ),
]


class BadInputError(Exception):
    """Input the user must fix; its message is the one line the CLI prints (exit code 2)."""


def new_console() -> Console:
    """The console results are printed on."""
    from rich.console import Console  # noqa: PLC0415 - only commands that print tables need it

    return Console(soft_wrap=False)


def run_async(work: Coroutine[Any, Any, T]) -> T:
    """``work`` run to its end on a new event loop (asyncio loads here, not at start-up)."""
    import asyncio  # noqa: PLC0415 - 10 ms that `lightrig --help` and `analyze` do not need

    return asyncio.run(work)


def print_json(value: Any) -> None:
    """``value`` as indented JSON on standard output."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def read_file(path: Path, kind: str) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is bad input (``kind``: what the
    file should have been, for the message)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: is a directory, not {kind}") from None
    except OSError as exc:
        raise BadInputError(f"{path}: {exc.strerror or exc}") from None


def read_json(path: Path) -> Any:
    """The JSON value in the file at ``path``; unreadable text or invalid JSON is bad input."""
    try:
        text = read_file(path, "a JSON file").decode("utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def request_from(setup: Path | None, preset: str | None) -> SceneRequest:
    """The scene request of a setup file (a scene request, or a lighting setup keyed by role)
    or of a preset: exactly one of the two."""
    if setup is not None and preset is not None:
        raise BadInputError("give a setup file or --preset NAME, not both")
    if preset is not None:
        try:
            return get_preset(preset).request()
        except UnknownPresetError as exc:
            raise BadInputError(str(exc)) from None
    if setup is None:
        raise BadInputError("give a setup file or --preset NAME (see `lightrig presets`)")
    data = read_json(setup)
    roles = {role.value for role in LightType}
    if isinstance(data, dict) and data and "lighting_setup" not in data and set(data) <= roles:
        data = {"lighting_setup": data}
    try:
        return parse_scene_request(data)
    except InvalidLightingSetupError as exc:
        raise BadInputError(f"{setup}: {exc}") from None


def result_json(result: GenerationResponse, file: Path | None = None) -> dict[str, Any]:
    """A generation for scripts: the record without the bulky request and analysis, the
    analyzer's pattern names, and the file it was copied to."""
    data = result.model_dump(mode="json", exclude={"analysis", "request"})
    data["pattern_names"] = result.analysis.pattern_names if result.analysis else None
    data["file"] = None if file is None else str(file)
    return data


def settings_for(backend: str | None = None, translator: str | None = None) -> Settings:
    """The settings from the environment, with a backend or translator named on the command
    line instead (checked)."""
    from lightrig.config import BACKENDS, Settings  # noqa: PLC0415 - read when a command runs
    from lightrig.translate.factory import TRANSLATORS  # noqa: PLC0415

    settings = Settings()
    if backend is not None and backend not in BACKENDS:
        raise BadInputError(f"unknown backend {backend!r}; backends: {', '.join(BACKENDS)}")
    if translator is not None and translator not in TRANSLATORS:
        raise BadInputError(
            f"unknown translator {translator!r}; translators: {', '.join(TRANSLATORS)}"
        )
    update = {"backend": backend, "translator": translator}
    return settings.model_copy(update={k: v for k, v in update.items() if v is not None})


def service_for(settings: Settings, purpose: str) -> LightingGenerationService:
    """The generation service on ``settings``, unopened; ``purpose`` (e.g. ``generating images``)
    names what needs it in the one-line error when an extra it needs is not installed."""
    from lightrig.extras import needs_extra, require_extra  # noqa: PLC0415 - by need

    require_extra("server", purpose, "sqlalchemy", "alembic")  # the records, made on first use
    with needs_extra(purpose, "server"):
        from lightrig.service import LightingGenerationService  # noqa: PLC0415 - the server extra

        return LightingGenerationService(settings)
