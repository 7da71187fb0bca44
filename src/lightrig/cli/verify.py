"""``lightrig verify``: read the light back out of a picture, and score it against a setup. The
estimator (NumPy, Pillow, numba) loads when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lightrig.cli.common import (
    EXIT_FAILED,
    BadInputError,
    EncodingOption,
    JsonOption,
    PresetOption,
    new_console,
    print_json,
    read_file,
    request_from,
    run_async,
)
from lightrig.verify.encoding import Encoding

__all__ = ["verify"]


def verify(
    image: Annotated[
        Path, typer.Argument(help="The picture to check: PNG, JPEG or any common format.")
    ],
    setup: Annotated[
        Path | None,
        typer.Option(
            "--setup",
            "-s",
            help="The requested setup (a JSON scene request or lighting setup) to check against.",
            show_default=False,
        ),
    ] = None,
    preset: PresetOption = None,
    encoding: EncodingOption = Encoding.DISPLAY,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            min=0.0,
            max=1.0,
            help="Exit with code 1 when the adherence is below this (0–1) or cannot be told.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read a picture's light back; with --setup or --preset, score how well it follows it."""
    from lightrig.verify.checker import ImageVerifier  # noqa: PLC0415 - numba loads lazily
    from lightrig.verify.image import ImageDecodeError  # noqa: PLC0415

    request = None if setup is None and preset is None else request_from(setup, preset)
    if fail_under is not None and request is None:
        raise BadInputError("--fail-under needs the requested light: --setup FILE or --preset")
    data = read_file(image, "an image")
    try:
        report = run_async(ImageVerifier().report(data, request, encoding=encoding))
    except ImageDecodeError as exc:
        raise BadInputError(f"{image}: {exc}") from None
    if as_json:
        print_json({"image": str(image), **report.model_dump(mode="json")})
    else:
        from lightrig.cli.views import verification_view  # noqa: PLC0415 - Rich

        new_console().print(verification_view(report))
    if fail_under is not None:
        overall = None if report.adherence is None else report.adherence.overall
        if overall is None or overall < fail_under:
            raise typer.Exit(EXIT_FAILED)
