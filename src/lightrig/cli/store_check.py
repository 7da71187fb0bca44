"""Whether the metadata store has users, checked in a process of its own while ``lightrig serve``
starts (``python -m lightrig.cli.store_check``).

The check brings the store's schema up to date and looks for an active user; it imports
SQLAlchemy and Alembic and, on a new database, creates its tables: most of a second of one
core. Run in the server's own process it would hold the interpreter lock while the preview
renderer loads; run here it takes the machine's other core. It reads the same settings (the
environment and ``.env``) and prints ``keyed`` or ``open`` on success. On any failure it prints
nothing to stdout: ``lightrig serve`` then checks again in its own process, which raises the
store's own error as it always has (:func:`checking_users`).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future

__all__ = ["checking_users"]

_KEYED, _OPEN = "keyed", "open"


def checking_users(in_process: Callable[[], bool]) -> Future[bool]:
    """A future of whether the store has an active user, checked by this module in a process
    started now; if that fails, by ``in_process`` (whose exception, if any, the future holds)."""
    checked: Future[bool] = Future()
    child = subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )

    def wait() -> None:
        out, _ = child.communicate()
        said = out.strip()
        try:
            found = said == _KEYED if child.returncode == 0 and said in (_KEYED, _OPEN) else None
            checked.set_result(in_process() if found is None else found)
        except BaseException as exc:
            checked.set_exception(exc)

    threading.Thread(target=wait, name="lightrig:store-check", daemon=True).start()
    return checked


def main() -> None:
    from lightrig.cli.common import run_async, settings_for  # noqa: PLC0415
    from lightrig.cli.server import any_user, on_store  # noqa: PLC0415

    keyed = run_async(on_store(settings_for(), "the REST server", any_user))
    print(_KEYED if keyed else _OPEN)


if __name__ == "__main__":
    main()
