"""Whether the metadata store has users, checked in a process of its own while ``lightrig serve``
starts (``python -m lightrig.cli.store_check``).

The check brings the store's schema up to date and looks for an active user; it imports
SQLAlchemy and Alembic and, on a new database, creates its tables: most of a second of one
core. Run in the server's own process it would hold the interpreter lock while the preview
renderer loads; run here it takes the machine's other core. It reads the same settings (the
environment and ``.env``) and prints ``keyed`` or ``open`` on success. On any failure it prints
nothing to stdout: ``lightrig serve`` then checks again in its own process, which raises the
store's own error as it always has (:func:`users_exist`).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

__all__ = ["users_exist"]

_KEYED, _OPEN = "keyed", "open"


def users_exist(in_process: Callable[[], bool]) -> bool:
    """Whether the store has an active user, checked by this module in a process of its own; if
    that fails, by ``in_process`` (which raises the store's own error)."""
    checked = subprocess.run(
        [sys.executable, "-m", __name__],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    said = checked.stdout.strip()
    if checked.returncode == 0 and said in (_KEYED, _OPEN):
        return said == _KEYED
    return in_process()


def main() -> None:
    from lightrig.cli.common import run_async, settings_for  # noqa: PLC0415
    from lightrig.cli.server import any_user, on_store  # noqa: PLC0415

    keyed = run_async(on_store(settings_for(), "the REST server", any_user))
    print(_KEYED if keyed else _OPEN)


if __name__ == "__main__":
    main()
