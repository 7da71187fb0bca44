"""``lightrig comfyui install``: the node pack's folder written into a ComfyUI's
``custom_nodes`` (:mod:`lightrig.comfyui.install`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lightrig.cli.common import BadInputError, JsonOption, new_console, print_json

__all__ = ["comfyui_app"]

comfyui_app = typer.Typer(help="lightrig's node pack for ComfyUI.", no_args_is_help=True)


@comfyui_app.command()
def install(
    path: Annotated[
        Path,
        typer.Argument(help="ComfyUI's folder (with main.py and custom_nodes), or custom_nodes."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Put the node pack into a ComfyUI: custom_nodes/lightrig_nodes, which loads the nodes
    from the lightrig that ComfyUI's Python imports."""
    from lightrig.comfyui.install import NotAComfyUIError, install_pack  # noqa: PLC0415

    try:
        loader = install_pack(path)
    except NotAComfyUIError as exc:
        raise BadInputError(str(exc)) from None
    except OSError as exc:
        raise BadInputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    step = "pip install lightrig  # with the Python that runs ComfyUI, then restart ComfyUI"
    if as_json:
        print_json({"installed": str(loader.parent), "next": step, "python": sys.executable})
        return
    console = new_console()
    console.print(f"installed: {loader.parent}")
    console.print(f"next: {step}")
