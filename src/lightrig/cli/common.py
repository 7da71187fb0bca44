"""What the command line's commands share: the bad-input error and exit codes, reading the
user's files, the setup and preset arguments, JSON output, the console, and the settings with
command-line overrides.

Imports stay light here (no Rich, no settings machinery until a command asks for them), so that
``lightrig --help`` and the quick commands start fast.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from lightrig.errors import InvalidLightingSetupError
from lightrig.models.base import MAX_JSON_DEPTH
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.presets import UnknownPresetError, get_preset
from lightrig.verify.encoding import Encoding

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click import Command

    from lightrig.config import Settings
    from lightrig.service import LightingGenerationService
    from lightrig.translate.base import Translation

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "MAX_JSON_DEPTH",
    "PIPED_WIDTH",
    "BadInputError",
    "JsonOption",
    "PresetOption",
    "SetupArgument",
    "TranslatorOption",
    "new_console",
    "parse_json",
    "print_json",
    "read_file",
    "read_json",
    "request_from",
    "result_json",
    "run_async",
    "service_for",
    "settings_for",
    "show_flags_as_flags",
    "warn_unknown_settings",
]

T = TypeVar("T")

#: Exit code of bad input (usage, files, fields, settings): the user must fix something.
EXIT_BAD_INPUT = 2
#: Exit code of work that failed (a host, a translator's model, a database or Redis that cannot
#: be reached, a check that did not pass).
EXIT_FAILED = 1
#: Characters a line may take when output goes to a file or another program (no terminal and no
#: ``COLUMNS``): wide enough that nothing — an image path, a table row — is ever broken.
PIPED_WIDTH = 10_000

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
#: The light of a photo command, as a file (beside --preset and --describe).
SetupOption = Annotated[
    Path | None,
    typer.Option(
        "--setup",
        "-s",
        help="The light: a JSON scene request or lighting setup.",
        show_default=False,
    ),
]
#: The light in words (beside --setup and --preset).
DescribeOption = Annotated[
    str | None,
    typer.Option("--describe", "-d", help="Or the light in words.", show_default=False),
]
EncodingOption = Annotated[
    Encoding,
    typer.Option(
        "--encoding",
        help="How the picture's values relate to the light: display (made for a screen), "
        "srgb (the plain sRGB curve) or linear (proportional to the light).",
        case_sensitive=False,
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


def warn_unknown_settings() -> None:
    """A warning on standard error for each ``LIGHTRIG_*`` variable (in the environment or
    ``.env``) that is no setting, with the setting it may have meant; nothing is read when no
    such variable and no ``.env`` file are there, so commands that need no settings start fast."""
    if not any(name.startswith("LIGHTRIG_") for name in os.environ) and not Path(".env").is_file():
        return
    from lightrig.config import env_file_variables, unknown_settings  # noqa: PLC0415 - by need

    for line in unknown_settings({**env_file_variables(), **os.environ}):
        sys.stderr.write(f"lightrig: warning: {line}\n")


def new_console() -> Console:
    """The console results are printed on: on a terminal, as wide as it is, long lines wrapped;
    to a file or another program, lines are never wrapped and tables are as wide as their
    content needs (``COLUMNS``, when set, is the width instead)."""
    from rich.console import Console  # noqa: PLC0415 - only commands that print tables need it

    console = Console(soft_wrap=False)
    if console.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return console
    return Console(soft_wrap=True, width=PIPED_WIDTH)


def show_flags_as_flags(command: Command) -> None:
    """Have ``command`` and every command under it show their flags (``--json``, ``--help``)
    as flags in help, not as options that take a ``<bool>``."""
    params = list(command.params)
    helper = command.get_help_option(typer.Context(command))
    for param in [*params, *([helper] if helper is not None else [])]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for child in getattr(command, "commands", {}).values():
        show_flags_as_flags(child)


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
    """The JSON value in the file at ``path`` (UTF-8, a byte-order mark allowed); unreadable
    text or anything :func:`parse_json` refuses is bad input naming the file."""
    try:
        text = read_file(path, "a JSON file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{path}: not UTF-8 text (byte {exc.start} is {exc.object[exc.start]:#04x})"
        ) from None
    return parse_json(text, str(path))


#: What the nesting scan looks at: a whole string (skipped), a bracket, or a bare NaN or
#: Infinity (which Python's json reads, but JSON has no such numbers).
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?Infinity|NaN')


def parse_json(text: str, where: str) -> Any:
    """The JSON value of ``text``, from ``where`` (a file name, ``file:line``, for the message).

    Refused as bad input, in one line: invalid JSON (line and column), nesting deeper than
    :data:`MAX_JSON_DEPTH`, ``NaN`` or ``Infinity`` (not JSON numbers), numbers too large for
    a float (``1e999``) and integers longer than Python reads (4300 digits). The nesting is
    found by a scan, not by recursion, so no depth of brackets can exhaust the stack.
    """
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        kind = token.group()
        if kind in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise BadInputError(
                    f"{where}: {_position(text, token.start())}: nested deeper than "
                    f"{MAX_JSON_DEPTH} levels of arrays and objects; a scene request needs 4"
                )
        elif kind in "]}":
            depth -= 1
        elif not kind.startswith('"'):
            raise BadInputError(
                f"{where}: {_position(text, token.start())}: {kind} is not a JSON number; "
                "give a finite number"
            )

    def finite(literal: str) -> float:
        number = float(literal)
        if math.isinf(number):  # 1e999: JSON's syntax, but no number a float can hold
            raise BadInputError(f"{where}: {literal} is too large a number; give a finite one")
        return number

    try:
        return json.loads(text, parse_float=finite)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{where}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:  # pragma: no cover - the scan refuses this depth first
        raise BadInputError(f"{where}: nested too deeply to read") from None
    except ValueError:  # an integer longer than Python converts
        raise BadInputError(
            f"{where}: a number longer than {sys.get_int_max_str_digits()} digits; "
            "give a number of sensible size"
        ) from None


def _position(text: str, offset: int) -> str:
    """``line L column C`` of the character at ``offset`` (both from 1)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line} column {column}"


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
    try:
        return parse_scene_request(read_json(setup))  # the models read the setup-by-role form
    except InvalidLightingSetupError as exc:
        raise BadInputError(f"{setup}: {exc}") from None


def result_json(result: GenerationResponse, file: Path | None = None) -> dict[str, Any]:
    """A generation for scripts: the record without the bulky request and analysis, the
    analyzer's pattern names, and the file it was copied to."""
    data = result.model_dump(mode="json", exclude={"analysis", "request"})
    data["pattern_names"] = result.analysis.pattern_names if result.analysis else None
    data["file"] = None if file is None else str(file)
    return data


def settings_for(
    backend: str | None = None, translator: str | None = None, model: str | None = None
) -> Settings:
    """The settings from the environment, with a backend, translator or FIBO model named on
    the command line instead (checked by name; whether the backend serves the model is the
    service's to check); a setting that cannot be read is an
    :class:`~lightrig.errors.InvalidSettingError` naming it."""

    from lightrig.config import (  # noqa: PLC0415
        BACKENDS,
        Settings,
    )
    from lightrig.translate.factory import TRANSLATORS  # noqa: PLC0415

    settings = Settings()
    if backend is not None and backend not in BACKENDS:
        raise BadInputError(f"unknown backend {backend!r}; backends: {', '.join(BACKENDS)}")
    if translator is not None and translator not in TRANSLATORS:
        raise BadInputError(
            f"unknown translator {translator!r}; translators: {', '.join(TRANSLATORS)}"
        )
    from lightrig.lighting.vocabulary import MODEL_NAMES  # noqa: PLC0415

    if model is not None and model not in MODEL_NAMES:
        raise BadInputError(f"--model: got {model!r}; accepted: {', '.join(MODEL_NAMES)}")
    update = {"backend": backend, "translator": translator, "fibo_model": model}
    return settings.model_copy(update={k: v for k, v in update.items() if v is not None})


def service_for(settings: Settings, purpose: str) -> LightingGenerationService:
    """The generation service on ``settings``, unopened; ``purpose`` (e.g. ``generating images``)
    names what needs it in the one-line error when an extra it needs is not installed."""
    from lightrig.extras import needs_extra, require_extra  # noqa: PLC0415 - by need

    require_extra("server", purpose, "sqlalchemy", "alembic")  # the records, made on first use
    with needs_extra(purpose, "server"):
        from lightrig.service import LightingGenerationService  # noqa: PLC0415 - the server extra

        return LightingGenerationService(settings)


def check_one_light(setup: Path | None, preset: str | None, describe: str | None) -> None:
    """:class:`BadInputError` unless exactly one of ``--setup``, ``--preset`` and
    ``--describe`` is given."""
    if sum(given is not None for given in (setup, preset, describe)) != 1:
        raise BadInputError("give the light as one of --setup FILE, --preset NAME or --describe")


async def light_from(
    service: LightingGenerationService,
    setup: Path | None,
    preset: str | None,
    describe: str | None,
) -> tuple[SceneRequest, Translation | None]:
    """The light asked for: the file's or the preset's request, or the words translated (with
    the translation, to show what was understood)."""
    if describe is None:
        return request_from(setup, preset), None
    translation = await service.translate(describe)
    return translation.request, translation
