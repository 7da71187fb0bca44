"""The ``lightrig`` command line: a thin face over the library.

Every command that prints results takes ``--json``. Bad input — a missing file, invalid JSON, a
field out of range, an unknown preset or option, a missing optional extra — prints one line
naming the problem to stderr and exits with code 2; never a traceback.

The commands live by group — :mod:`~lightrig.cli.design` (presets, analyze, prompt, parse,
translate), :mod:`~lightrig.cli.pictures` (render, demo), :mod:`~lightrig.cli.verify`,
:mod:`~lightrig.cli.generate` (generate, batch, health), :mod:`~lightrig.cli.records` (history)
and :mod:`~lightrig.cli.server` (serve, worker, users, mock-bria) — and import what is heavy
(the renderer, the estimator, the service, the database, the server) only when they run, so
that ``lightrig --help`` and the quick commands start fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from lightrig.cli import design, generate, pictures, server, verify
from lightrig.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, BadInputError
from lightrig.cli.records import history_app
from lightrig.errors import (
    DuplicateUserError,
    InvalidLightingSetupError,
    LightingGenerationError,
    MissingExtraError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
    StaleRecordError,
    TranslatorUnavailableError,
)

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["app", "main"]

app = typer.Typer(
    name="lightrig",
    help="Studio lighting control for AI image generation.",
    no_args_is_help=True,
    add_completion=False,
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
) -> None:
    """Studio lighting control for AI image generation."""


app.add_typer(history_app, name="history")
app.add_typer(server.users_app, name="users")
app.command()(design.presets)
app.command()(design.analyze)
app.command()(design.prompt)
app.command()(design.parse)
app.command()(pictures.render)
app.command()(verify.verify)
app.command()(generate.generate)
app.command("translate")(design.translate)
app.command()(generate.batch)
app.command()(generate.health)
app.command()(server.serve)
app.command()(server.worker)
app.command("mock-bria")(server.mock_bria)
app.command()(pictures.demo)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    sys.stderr.write(f"lightrig: error: {' '.join(message.split())}\n")
    sys.exit(code)


def _settings_problem(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    name = ".".join(str(part) for part in first.get("loc", ()))
    return f"setting LIGHTRIG_{name.upper()}: {first.get('msg', 'invalid')}"


def _missing_module(exc: ModuleNotFoundError, args: list[str]) -> str | None:
    """The one line for a module an optional extra brings, found missing while a command ran
    (``None`` for any other missing module: a broken install, shown as it is)."""
    from lightrig.extras import missing_extra  # noqa: PLC0415 - only on this error

    command = next((arg for arg in args if not arg.startswith("-")), "this command")
    explained = missing_extra(exc, f"`lightrig {command}`")
    return None if explained is None else str(explained)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app. Bad input (usage, files, fields, settings, words without light,
    a missing optional extra) prints one line and exits with code 2; a failed generation or
    translator service prints one line and exits with code 1."""
    from pydantic import ValidationError  # noqa: PLC0415 - pydantic's lazy top-level import

    args = sys.argv[1:] if argv is None else list(argv)
    try:
        result = app(args=args or ["--help"], prog_name="lightrig", standalone_mode=False)
    except typer.TyperException as exc:  # usage errors: unknown option, bad value, missing file
        _fail(exc.format_message())
    except TranslatorUnavailableError as exc:  # the translator's model failed, not the words
        _fail(str(exc), code=EXIT_FAILED)
    except (
        BadInputError,
        InvalidLightingSetupError,
        NaturalLanguageTranslationError,
        RecordNotFoundError,
        DuplicateUserError,
        StaleRecordError,
        MissingExtraError,
    ) as exc:
        _fail(str(exc))
    except ValidationError as exc:  # the settings read from the environment
        _fail(_settings_problem(exc))
    except LightingGenerationError as exc:  # the image host failed: not the user's input
        _fail(str(exc), code=EXIT_FAILED)
    except ModuleNotFoundError as exc:  # an optional extra's module, found missing at run time
        line = _missing_module(exc, args)
        if line is None:
            raise
        _fail(line)
    except typer.Abort:
        sys.stderr.write("lightrig: aborted\n")
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
