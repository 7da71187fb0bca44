"""Bringing a database's tables up to date with lightrig's Alembic migrations.

The migrations (``lightrig/db/migrations``: ``env.py`` and ``versions/``) ship inside the
package and run in code, without an ``alembic.ini``. On PostgreSQL a transaction-scoped advisory
lock serialises processes migrating at once; on SQLite ``BEGIN IMMEDIATE`` does. The whole
upgrade is one transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from lightrig.db.sql.database import SqlDatabase

__all__ = ["MIGRATIONS_DIR", "alembic_config", "migrate"]

#: The Alembic script folder (``env.py`` and ``versions/``), shipped inside the package.
MIGRATIONS_DIR = Path(__file__).parents[1] / "migrations"

# Alembic keeps the migration in progress in process-wide proxies (``alembic.context`` and
# ``alembic.op``), so two migrations at once in one process would run each other's statements
# (seen: two stores migrating in one event loop). Migrations therefore take turns: an asyncio
# lock per event loop (the coroutines of one loop share its thread, where a thread lock would
# deadlock), and a thread lock across event loops in different threads. They are process-wide
# because what they guard is.
_ALEMBIC_THREADS = threading.Lock()
_ALEMBIC_LOOPS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def alembic_config() -> Config:
    """An Alembic configuration for lightrig's migrations, built in code (no ``alembic.ini``)."""
    config = Config()
    # ConfigParser interpolates '%': a literal one in the path must be doubled
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


async def migrate(database: SqlDatabase) -> None:
    """Bring ``database`` up to Alembic's head revision (a no-op when it is there), creating its
    PostgreSQL schema when it has one. Within a process migrations take turns."""
    async with _migration_turn():
        if database.sqlite:
            async with database.write_connection() as connection:
                await connection.run_sync(_upgrade_sqlite)
            return
        async with database.writing() as connection:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(database.schema)}
            )
            if database.schema is not None:
                # the name was checked by SqlDatabase: safe to interpolate
                await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"'))
            await connection.run_sync(_upgrade, database.schema)


def _migration_turn() -> asyncio.Lock:
    """This event loop's lock for running a migration."""
    loop = asyncio.get_running_loop()
    lock = _ALEMBIC_LOOPS.get(loop)
    if lock is None:
        lock = _ALEMBIC_LOOPS[loop] = asyncio.Lock()
    return lock


def _lock_key(schema: str | None) -> int:
    """The advisory lock's key (a signed 64-bit integer) for migrating ``schema``."""
    digest = hashlib.sha256(f"lightrig.migrate:{schema or ''}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _upgrade_sqlite(connection: Connection) -> None:
    """The upgrade with SQLite's foreign-key enforcement off, as Alembic's batch migrations
    need (they rebuild a table by copying it and dropping the old one, which would cascade
    to the rows that refer to it), then every foreign key checked before committing.

    The pragma is set on the driver's connection before the transaction begins: SQLite
    ignores it inside one.
    """
    driver = connection.connection.dbapi_connection
    if driver is None:  # pragma: no cover - a checked-out connection always has one
        raise RuntimeError("the connection has no driver connection")
    cursor = driver.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=OFF")
        with connection.begin():
            _upgrade(connection, None)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(
                    f"the migration left {len(broken)} rows referring to rows that do not "
                    f"exist (table, rowid, parent, key): {broken[:5]}"
                )
    finally:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _upgrade(connection: Connection, schema: str | None) -> None:
    """Alembic's upgrade to head on ``connection``, its version table in ``schema``."""
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["version_table_schema"] = schema
    with _ALEMBIC_THREADS:
        command.upgrade(config, "head")
