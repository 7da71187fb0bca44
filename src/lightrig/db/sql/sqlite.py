"""How every SQLite connection of the store is set up: WAL mode, a 5 s busy timeout, foreign
keys enforced, and ``BEGIN IMMEDIATE`` for transactions that write.

``BEGIN IMMEDIATE`` takes the write lock up front, so writers from several processes queue for
it (for up to the busy timeout) instead of failing with "database is locked" when a read lock
cannot be upgraded.
"""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["WRITE_OPTION", "set_up_sqlite"]

#: The execution option that marks a transaction as one that writes (``BEGIN IMMEDIATE``).
WRITE_OPTION = "lightrig_write"
_BUSY_TIMEOUT_MS = 5000
_WAL_SWITCH_S = 5.0  # seconds to keep retrying the switch of a new file to WAL


def set_up_sqlite(engine: AsyncEngine) -> None:
    """Make every connection ``engine`` opens use WAL and enforce foreign keys, and begin its
    transactions as :data:`WRITE_OPTION` says."""
    event.listen(engine.sync_engine, "connect", _on_connect)
    event.listen(engine.sync_engine, "begin", _on_begin)


def _switch_to_wal(cursor: DBAPICursor) -> None:
    """``PRAGMA journal_mode=WAL``, retried while SQLite answers "database is locked".

    A file stays in WAL mode once switched, and then the pragma is a no-op; but the switch of a
    new file needs an exclusive lock that SQLite does not wait for (the busy timeout does not
    apply), so connections opening a new file at once retry for up to 5 s. The waits block the
    event loop, a few milliseconds at most, and only then.
    """
    deadline = time.monotonic() + _WAL_SWITCH_S
    delay_s = 0.002
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.fetchall()
            return
        except sqlite3.OperationalError as error:
            busy = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() + delay_s > deadline:
                raise
        time.sleep(delay_s)
        delay_s = min(2 * delay_s, 0.05)


def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # SQLAlchemy emits BEGIN itself (see _on_begin): the driver must not
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
