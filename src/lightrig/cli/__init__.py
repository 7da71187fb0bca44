"""The ``lightrig`` command line: a thin face over the library.

Every command that prints results takes ``--json``. Bad input — a missing file, invalid JSON, a
field out of range, an unknown preset or option, a broken setting, a missing optional extra —
prints one line naming the problem to stderr and exits with code 2. Work that failed — an image
host, a translator's model, a database or Redis that cannot be reached (the line names the
setting, ``LIGHTRIG_DATABASE_URL``, and the cause) — prints one line and exits with code 1. Any
other exception is a bug: one line naming it, exit code 1. Never a traceback, unless asked for
with ``lightrig --debug ...`` or ``LIGHTRIG_DEBUG=1``.

``LIGHTRIG_*`` variables that are not settings (``LIGHTRIG_BAKCEND``) are warned about, with the
setting meant, by every command that reads the settings. ``--install-completion`` installs shell
completion. Output piped to another program is never wrapped (see
:func:`~lightrig.cli.common.new_console`).

The commands live by group — :mod:`~lightrig.cli.design` (presets, analyze, prompt, parse,
translate), :mod:`~lightrig.cli.pictures` (render, demo), :mod:`~lightrig.cli.verify`,
:mod:`~lightrig.cli.generate` (generate, batch, health), :mod:`~lightrig.cli.records` (history),
:mod:`~lightrig.cli.setups` (saved setups) and :mod:`~lightrig.cli.server` (serve, worker,
users, mock-bria), :mod:`~lightrig.cli.agents` (mcp) — and import what is heavy
(the renderer, the estimator, the service, the database, the server) only when they run, so
that ``lightrig --help`` and the quick commands start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, NoReturn

import typer

from lightrig.cli import (
    agents,
    design,
    generate,
    match,
    meter,
    pictures,
    plot,
    relight,
    series,
    server,
    verify,
)
from lightrig.cli.comfyui import comfyui_app
from lightrig.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    BadInputError,
    show_flags_as_flags,
    warn_unknown_settings,
)
from lightrig.cli.records import history_app
from lightrig.cli.setups import setups_app
from lightrig.errors import (
    DuplicateSetupError,
    DuplicateUserError,
    InvalidLightingSetupError,
    InvalidSettingError,
    LightingGenerationError,
    MissingExtraError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
    StaleRecordError,
    TranslatorUnavailableError,
)

__all__ = ["DEBUG_VARIABLE", "app", "error_line", "main"]

#: The environment variable that, set to 1 (or true, yes, on), shows tracebacks as ``--debug``.
DEBUG_VARIABLE = "LIGHTRIG_DEBUG"

app = typer.Typer(
    name="lightrig",
    help="Studio lighting control for AI image generation.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        from lightrig import __version__  # noqa: PLC0415 - the metadata lookup only when asked

        typer.echo(f"lightrig {__version__}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print lightrig's version and exit.",
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help=f"Show the full traceback of an error (also {DEBUG_VARIABLE}=1).",
        ),
    ] = False,
) -> None:
    """Studio lighting control for AI image generation."""


app.add_typer(history_app, name="history")
app.add_typer(setups_app, name="setups")
app.add_typer(server.users_app, name="users")
app.add_typer(comfyui_app, name="comfyui")
app.command()(design.presets)
app.command()(design.analyze)
app.command()(meter.meter)
app.command()(design.prompt)
app.command()(design.parse)
app.command()(pictures.render)
app.command()(plot.plot)
app.command()(verify.verify)
app.command()(match.match)
app.command()(relight.relight)
app.command()(series.series)
app.command()(generate.generate)
app.command("translate")(design.translate)
app.command()(generate.batch)
app.command()(generate.health)
app.command()(server.serve)
app.command()(server.worker)
app.command("mock-bria")(server.mock_bria)
app.command()(agents.mcp)
app.command()(pictures.demo)


def _told(message: str) -> str:
    """``message`` as the one line an error is printed in."""
    return f"lightrig: error: {' '.join(message.split())}"


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    sys.stderr.write(_told(message) + "\n")
    sys.exit(code)


def error_line(exc: Exception, command: str) -> tuple[str, int]:
    """The line ``lightrig COMMAND`` prints for ``exc`` (``lightrig: error: ...``) and its exit
    code (2: bad input; 1: work that failed, or a bug) — for the faces that tell errors as the
    command line does (the MCP server's tool errors)."""
    message, code = _one_line(exc, [command])
    return _told(message), code


def _missing_module(exc: ModuleNotFoundError, args: list[str]) -> str | None:
    """The one line for a module an optional extra brings, found missing while a command ran
    (``None`` for any other missing module: a broken install, shown as it is)."""
    from lightrig.extras import missing_extra  # noqa: PLC0415 - only on this error

    command = next((arg for arg in args if not arg.startswith("-")), "this command")
    explained = missing_extra(exc, f"`lightrig {command}`")
    return None if explained is None else str(explained)


def _debugging(args: list[str]) -> bool:
    """Whether tracebacks were asked for: ``--debug`` before the command's name, or
    ``LIGHTRIG_DEBUG`` set to 1, true, yes or on."""
    leading = []
    for arg in args:
        if not arg.startswith("-"):
            break
        leading.append(arg)
    wanted = os.environ.get(DEBUG_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}
    return wanted or "--debug" in leading


def _run(args: list[str]) -> Any:
    """The app run on ``args``, its flags shown as flags in help."""
    command = typer.main.get_command(app)
    show_flags_as_flags(command)
    return command.main(args=args, prog_name="lightrig", standalone_mode=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app. Bad input (usage, files, fields, settings, words without light,
    a missing optional extra) prints one line and exits with code 2; a failed generation,
    translator service or dependency (database, Redis) prints one line and exits with code 1,
    as does any unexpected error (a bug: ``--debug`` shows its traceback)."""
    args = sys.argv[1:] if argv is None else list(argv)
    debug = _debugging(args)
    try:
        warn_unknown_settings()
        result = _run(args or ["--help"])
    except typer.TyperException as exc:  # usage errors: unknown option, bad value, missing file
        _fail(exc.format_message())
    except typer.Abort:
        sys.stderr.write("lightrig: aborted\n")
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        _fail(*_one_line(exc, args))
    sys.exit(result if isinstance(result, int) else 0)


def _one_line(exc: Exception, args: list[str]) -> tuple[str, int]:
    """The line an error is told in, and the exit code (see :func:`main`)."""
    if isinstance(exc, TranslatorUnavailableError):  # the translator's model failed, not words
        return str(exc), EXIT_FAILED
    if isinstance(
        exc,
        BadInputError
        | InvalidSettingError
        | InvalidLightingSetupError
        | NaturalLanguageTranslationError
        | RecordNotFoundError
        | DuplicateUserError
        | DuplicateSetupError
        | StaleRecordError
        | MissingExtraError,
    ):
        return str(exc), EXIT_BAD_INPUT
    if isinstance(exc, LightingGenerationError):  # a host or a dependency failed: not the input
        return str(exc), EXIT_FAILED
    if isinstance(exc, ModuleNotFoundError):  # an optional extra's module, missing at run time
        line = _missing_module(exc, args)
        if line is not None:
            return line, EXIT_BAD_INPUT
    first = (str(exc).strip().splitlines() or [""])[0]
    told = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return f"internal error: {told} (run with --debug for the traceback)", EXIT_FAILED
