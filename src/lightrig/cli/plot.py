"""``lightrig plot``: the setup's lighting plot, one printable PDF page for the crew."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    PresetOption,
    SetupArgument,
    new_console,
    print_json,
    request_from,
)
from lightrig.presets import get_preset

__all__ = ["plot"]


def plot(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    out: Annotated[
        Path, typer.Option("--out", help="The PDF to write (default: <setup or preset>-plot.pdf).")
    ] = Path(),
    title: Annotated[
        str | None,
        typer.Option("--title", help="The page's heading (default: the pattern's names)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write the lighting plot: plan and side views, a table per light (position, stand height,
    modifier, gel, power setting, meter reading), the camera, the analysis and the preview."""
    from lightrig.plot import plot_pdf  # noqa: PLC0415 - the renderer loads when a command runs

    request = request_from(setup, preset)
    name = get_preset(preset).name if preset is not None else (setup.stem if setup else "setup")
    target = out / f"{name}-plot.pdf" if out == Path() or out.is_dir() else out
    if target.suffix.lower() != ".pdf":
        raise BadInputError(f"--out: got {str(out)!r}; accepted: a .pdf file or a folder")
    document = plot_pdf(request, title=title)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(document)
    except OSError as exc:
        raise BadInputError(f"--out: cannot write {target} ({exc.strerror or exc})") from None
    if as_json:
        print_json({"plot": str(target), "bytes": len(document), "pages": 1})
        return
    new_console().print(f"lighting plot → {target} ({len(document) // 1024} KiB, one page)")
