"""The ``lightrig`` command's entry point (and ``python -m lightrig``'s).

It is the first code the command runs, and imports the standard library only: when the command
is ``serve``, it starts the preview worker
(:class:`~lightrig.backends.preview_worker.PreviewWorker`) before anything else is imported, so
the renderer loads on the other core while the server starts, then runs the command line
(:func:`lightrig.cli.main`) with the worker, and lets the worker go however the command ends.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def command_of(args: list[str]) -> str | None:
    """The command ``args`` run (the first word that is not an option), ``None`` for none or
    when help is asked for (nothing runs then)."""
    if "--help" in args:
        return None
    return next((arg for arg in args if not arg.startswith("-")), None)


def main() -> None:
    """Run the ``lightrig`` command on ``sys.argv``."""
    args = sys.argv[1:]
    worker = None
    if command_of(args) == "serve":
        from lightrig.backends.preview_worker import PreviewWorker  # noqa: PLC0415 - stdlib only

        worker = PreviewWorker.start()
    try:
        from lightrig.cli import main as run  # noqa: PLC0415 - after the worker has started

        run(args, preview_worker=worker)
    finally:
        if worker is not None:
            worker.close()
