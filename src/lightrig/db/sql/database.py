"""The database the SQL store works on: SQLite (embedded, the default) or PostgreSQL, through
SQLAlchemy's asyncio engine (aiosqlite or asyncpg), and the transactions it reads and writes in.

SQLite runs in WAL mode with a 5 s busy timeout, and every transaction that writes starts with
``BEGIN IMMEDIATE`` (see :mod:`.sqlite`). Within one database object, writers take turns in the
event loop first, so only other processes' (or other objects') writers ever wait on SQLite's
lock. On PostgreSQL an optional schema holds everything: connections search it first.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from lightrig.db.sql.sqlite import WRITE_OPTION, set_up_sqlite
from lightrig.db.sql.urls import normalise_url
from lightrig.errors import DependencyUnavailableError

__all__ = ["OnDatabase", "SqlDatabase"]

#: The setting that names the database, for the errors that say it cannot be used.
DATABASE_SETTING = "LIGHTRIG_DATABASE_URL"

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class SqlDatabase:
    """One SQLite file or PostgreSQL database, and the transactions the store's parts use.

    ``url`` is ``sqlite:///path/to/file.db`` (its folder is made when missing) or
    ``postgresql://user@host:port/db`` (see :func:`~lightrig.db.sql.urls.normalise_url`;
    :class:`ValueError` for anything else). ``schema`` (PostgreSQL only: :class:`ValueError`
    with SQLite) is 1-63 lower-case letters, digits or underscores. ``echo`` logs every
    statement. Nothing connects until the first transaction.
    """

    def __init__(self, url: str | URL, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = normalise_url(url)
        #: whether this is a SQLite file (else PostgreSQL)
        self.sqlite = self.url.drivername.startswith("sqlite")
        if schema is not None:
            if self.sqlite:
                raise ValueError("schema is for PostgreSQL; a SQLite store is one file")
            if not _SCHEMA_NAME.fullmatch(schema):
                raise ValueError(
                    f"schema {schema!r} must be 1-63 lower-case letters, digits or underscores, "
                    "not starting with a digit"
                )
        #: the PostgreSQL schema everything lives in (``None``: the server's default); its
        #: name was checked, so it may be written into statements
        self.schema = schema
        self._write_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        connect_args: dict[str, Any] = {}
        if self.sqlite:
            try:
                Path(self.url.database or "").parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file where a folder should be, no permission
                raise self.unavailable(exc) from exc
        elif schema is not None:
            connect_args["server_settings"] = {"search_path": schema}
        self.engine: AsyncEngine = create_async_engine(
            self.url, echo=echo, connect_args=connect_args, pool_pre_ping=not self.sqlite
        )
        if self.sqlite:
            set_up_sqlite(self.engine)

    def __repr__(self) -> str:
        return f"SqlDatabase({self.arguments})"

    @property
    def arguments(self) -> str:
        """The URL (without its password) and schema, as they would be passed: for reprs."""
        shown = self.url.render_as_string(hide_password=True)
        schema = f", schema={self.schema!r}" if self.schema else ""
        return f"{shown!r}{schema}"

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self.sqlite else "postgresql"

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction that only reads (committed on leaving)."""
        async with self._connection() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction that writes, committed on leaving (rolled back on an
        error); on SQLite it holds the write lock from its start."""
        async with self.write_connection() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def write_connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection, outside any transaction, whose transactions will write: for work that
        must do something before it begins one (a migration on SQLite)."""
        async with self._writer_turn(), self._connection() as connection:
            await connection.execution_options(**{WRITE_OPTION: True})
            yield connection

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """A pooled connection, closed on leaving. A database that cannot be reached (the
        host does not resolve, the connection is refused, the role or database is unknown,
        the file cannot be opened), or a connection lost while in use, is a
        :class:`~lightrig.errors.DependencyUnavailableError` naming ``LIGHTRIG_DATABASE_URL``
        and the cause — never SQLAlchemy's or the driver's exception."""
        try:
            connection = await self.engine.connect().start()
        except (OSError, DBAPIError) as exc:
            raise self.unavailable(exc) from exc
        try:
            yield connection
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            raise self.unavailable(exc) from exc
        finally:
            await connection.close()

    def unavailable(self, exc: BaseException) -> DependencyUnavailableError:
        """The one-line error for a database that could not be used because of ``exc``: the
        setting, where (host and port, or the SQLite file; never the password) and why."""
        if self.sqlite:
            where = f"sqlite {self.url.database}"
        else:
            where = f"{self.url.host or 'localhost'}:{self.url.port or 5432}"
        if isinstance(exc, DBAPIError) and not isinstance(exc.orig, OSError | None):
            # the server's own answer (role "x" does not exist, password authentication
            # failed for user "x", database "x" does not exist): its first line
            lines = str(exc.orig).strip().splitlines() or [type(exc.orig).__name__]
            if exc.connection_invalidated:
                lines = [f"the connection was lost ({lines[0]})"]
            return DependencyUnavailableError(
                DATABASE_SETTING, f"{where}: {lines[0]}", service="the database"
            )
        return DependencyUnavailableError.from_exception(
            DATABASE_SETTING, exc, where=where, service="the database"
        )

    def _writer_turn(self) -> AbstractAsyncContextManager[object]:
        """On SQLite, this database's writers take turns in the event loop: SQLite lets one
        write at a time anyway, and waiting here is fair and free where its busy handler polls,
        so only other processes' writers are left to wait for through the busy timeout."""
        if not self.sqlite:
            return nullcontext()
        loop = asyncio.get_running_loop()
        if self._write_lock is None or self._write_lock[0] is not loop:
            # an asyncio.Lock belongs to one event loop; a database may outlive one
            self._write_lock = (loop, asyncio.Lock())
        return self._write_lock[1]

    async def health(self) -> str:
        """A round trip to the database, then e.g. ``sqlite /data/lightrig.db (WAL)`` or
        ``postgresql 127.0.0.1:5432/lightrig`` (never a password)."""
        async with self.reading() as connection:
            await connection.execute(text("SELECT 1"))
            if self.sqlite:
                mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
                path = Path(self.url.database or "").resolve()
                return f"sqlite {path} ({str(mode).upper()})"
        where = f"{self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database}"
        schema = f" (schema {self.schema})" if self.schema else ""
        return f"postgresql {where}{schema}"

    async def drop_schema(self) -> None:
        """Drop the PostgreSQL schema and everything in it (for tests cleaning up);
        :class:`ValueError` for a database without one."""
        if self.schema is None:
            raise ValueError("drop_schema() is for a PostgreSQL store made with schema=...")
        async with self.writing() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        # pooled connections' search_path names a schema that is gone
        await self.engine.dispose()

    async def dispose(self) -> None:
        """Close every pooled connection (the database may still be used: it reconnects)."""
        await self.engine.dispose()


class OnDatabase:
    """The base of the store's parts (users, generations, runs, jobs, batches): each works on
    one :class:`SqlDatabase`, shared by all the parts of a store."""

    def __init__(self, database: SqlDatabase) -> None:
        self._db = database
