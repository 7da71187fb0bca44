"""The metadata store in SQL: SQLite (embedded, the default) or PostgreSQL, through SQLAlchemy's
asyncio engine (aiosqlite or asyncpg).

Every status change is one compare-and-set ``UPDATE ... WHERE id = :id AND status IN (...)``
whose row count says whether it won, so two processes never both claim or finish a record.

SQLite runs in WAL mode with a 5 s busy timeout, and every transaction that writes starts with
``BEGIN IMMEDIATE``: it takes the write lock up front, so writers from several processes queue
for it instead of failing with "database is locked" when a read lock cannot be upgraded. Within
one store, writers take turns in the event loop first, so only other processes' (or other
stores') writers ever wait on SQLite's lock.

Times are UTC; durations (leases) are in seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import sqlite3
import threading
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Row,
    and_,
    event,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from lightrig.db.base import (
    ApiKeyInfo,
    BatchRecord,
    DuplicateUserError,
    ReapedJobs,
    RecordNotFoundError,
    StaleRecordError,
    User,
    hash_api_key,
    new_api_key,
)
from lightrig.db.tables import (
    API_KEYS,
    BATCHES,
    GENERATION_JSON_FIELDS,
    GENERATIONS,
    USERS,
    UtcDateTime,
)
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.verify.models import Adherence

__all__ = [
    "ACCEPTED_URLS",
    "MIGRATIONS_DIR",
    "SqlMetadataStore",
    "alembic_config",
    "normalise_url",
]

#: The Alembic script folder (``env.py`` and ``versions/``), shipped inside the package.
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: The URL forms :func:`normalise_url` accepts, for error messages.
ACCEPTED_URLS = (
    "sqlite:///path/to/file.db, sqlite+aiosqlite:///path/to/file.db, "
    "postgresql://user@host:port/db, postgres://..., postgresql+asyncpg://..."
)

_SQLITE_DRIVERS = frozenset({"sqlite", "sqlite+aiosqlite"})
_POSTGRES_DRIVERS = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_WRITE = "lightrig_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)
_MAX_NAME = 200
_WAL_SWITCH_S = 5.0  # seconds to keep retrying the switch of a new file to WAL
_MAX_PAGE = 500
_PREFIX_LENGTH = 10
_LAST_USED_EVERY = timedelta(seconds=60)  # how often a key's last use is written down

_QUEUED = GenerationStatus.QUEUED.value
_RUNNING = GenerationStatus.RUNNING.value
_INTERRUPTED = GenerationStatus.INTERRUPTED.value
_RETRYING = GenerationStatus.RETRYING.value
_ERROR = GenerationStatus.ERROR.value
_SUCCESS = GenerationStatus.SUCCESS.value
_FINISHED = frozenset({GenerationStatus.SUCCESS, GenerationStatus.ERROR})
#: fields that say which generation it is and whose; finishing a record leaves them alone
_IDENTITY_FIELDS = frozenset(
    {"generation_id", "user_id", "parent_id", "batch_id", "batch_index", "created_at"}
)
#: fields the store keeps itself: a finish never writes them from the record it is given
_STORE_FIELDS = frozenset({"attempts"})


def normalise_url(url: str | URL) -> URL:
    """The asyncio-driver form of a SQLite or PostgreSQL URL.

    ``sqlite:///path`` and ``sqlite+aiosqlite:///path`` become aiosqlite URLs (a file is
    required: an in-memory database would be private to one pooled connection);
    ``postgresql://``, ``postgres://`` and ``postgresql+asyncpg://`` become asyncpg URLs.
    :class:`ValueError` for anything else.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ValueError(f"not a database URL; expected one of: {ACCEPTED_URLS}") from error
    driver = parsed.drivername.lower()
    if driver in _SQLITE_DRIVERS:
        if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
            raise ValueError(
                "an in-memory SQLite database is not supported; give a file: "
                "sqlite:///path/to/file.db"
            )
        return parsed.set(drivername="sqlite+aiosqlite")
    if driver in _POSTGRES_DRIVERS:
        return parsed.set(drivername="postgresql+asyncpg")
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}; expected one of: {ACCEPTED_URLS}"
    )


def alembic_config() -> Config:
    """An Alembic configuration for lightrig's migrations, built in code (no ``alembic.ini``)."""
    config = Config()
    # ConfigParser interpolates '%': a literal one in the path must be doubled
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive value is taken to be UTC already. A moment that lies beyond
    the calendar's ends in UTC (year 1 east of Greenwich, year 9999 west of it) is clamped to
    that end, which orders the same against every stored time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        end = datetime.min if value.year == datetime.min.year else datetime.max
        return end.replace(tzinfo=UTC)


def _check_lease(lease_s: float) -> timedelta:
    if not lease_s > 0:
        raise ValueError(f"lease_s must be a positive number of seconds, not {lease_s!r}")
    return timedelta(seconds=lease_s)


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


def _on_sqlite_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # SQLAlchemy emits BEGIN itself (see _on_sqlite_begin): the driver must not
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=5000")  # milliseconds
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


# Alembic keeps the migration in progress in process-wide proxies (``alembic.context`` and
# ``alembic.op``), so two migrations at once in one process would run each other's statements
# (seen: two stores migrating in one event loop). Migrations therefore take turns: an asyncio
# lock per event loop (the coroutines of one loop share its thread, where a thread lock would
# deadlock), and a thread lock across event loops in different threads.
_ALEMBIC_THREADS = threading.Lock()
_ALEMBIC_LOOPS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _migration_turn() -> asyncio.Lock:
    """This event loop's lock for running a migration."""
    loop = asyncio.get_running_loop()
    lock = _ALEMBIC_LOOPS.get(loop)
    if lock is None:
        lock = _ALEMBIC_LOOPS[loop] = asyncio.Lock()
    return lock


def _on_sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(id=m["id"], name=m["name"], created_at=m["created_at"], revoked_at=m["revoked_at"])


def _api_key(row: Row[Any]) -> ApiKeyInfo:
    m = row._mapping
    return ApiKeyInfo(
        id=m["id"],
        user_id=m["user_id"],
        prefix=m["prefix"],
        created_at=m["created_at"],
        revoked_at=m["revoked_at"],
        last_used_at=m["last_used_at"],
    )


def _column(field: str) -> str:
    return "id" if field == "generation_id" else field


def _values(record: GenerationResponse, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """Column values for ``record``'s ``fields`` (all of them by default); JSON documents as
    ``model_dump(mode="json")`` makes them."""
    names = list(GenerationResponse.model_fields) if fields is None else list(fields)
    documents = record.model_dump(
        mode="json", include={name for name in names if name in GENERATION_JSON_FIELDS}
    )
    values: dict[str, Any] = {}
    for name in names:
        value = documents.get(name) if name in GENERATION_JSON_FIELDS else getattr(record, name)
        if isinstance(value, GenerationStatus):
            value = value.value
        values[_column(name)] = value
    return values


async def _stored(connection: AsyncConnection, generation_id: str) -> GenerationResponse:
    """The record with this id as it now stands (one must exist)."""
    query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
    return _generation((await connection.execute(query)).one())


def _generation(row: Row[Any]) -> GenerationResponse:
    m = row._mapping
    return GenerationResponse.model_validate(
        {name: m[_column(name)] for name in GenerationResponse.model_fields}
    )


class SqlMetadataStore:
    """:class:`~lightrig.db.base.MetadataStore` on SQLite or PostgreSQL.

    ``url`` is ``sqlite:///path/to/file.db`` (its folder is made when missing) or
    ``postgresql://user@host:port/db`` (see :func:`normalise_url`). ``schema`` (PostgreSQL
    only) keeps every table, and Alembic's version table, in that schema: :meth:`migrate`
    creates it, :meth:`drop_schema` removes it. ``echo`` logs every statement.

    Nothing connects until the first call; :meth:`aclose` releases the connections.
    """

    def __init__(self, url: str | URL, *, schema: str | None = None, echo: bool = False) -> None:
        self._url = normalise_url(url)
        self._sqlite = self._url.drivername.startswith("sqlite")
        if schema is not None:
            if self._sqlite:
                raise ValueError("schema is for PostgreSQL; a SQLite store is one file")
            if not _SCHEMA_NAME.fullmatch(schema):
                raise ValueError(
                    f"schema {schema!r} must be 1-63 lower-case letters, digits or underscores, "
                    "not starting with a digit"
                )
        self._schema = schema
        self._write_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        connect_args: dict[str, Any] = {}
        if self._sqlite:
            Path(self._url.database or "").parent.mkdir(parents=True, exist_ok=True)
        elif schema is not None:
            connect_args["server_settings"] = {"search_path": schema}
        self._engine: AsyncEngine = create_async_engine(
            self._url, echo=echo, connect_args=connect_args, pool_pre_ping=not self._sqlite
        )
        if self._sqlite:
            event.listen(self._engine.sync_engine, "connect", _on_sqlite_connect)
            event.listen(self._engine.sync_engine, "begin", _on_sqlite_begin)

    def __repr__(self) -> str:
        shown = self._url.render_as_string(hide_password=True)
        schema = f", schema={self._schema!r}" if self._schema else ""
        return f"SqlMetadataStore({shown!r}{schema})"

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite" if self._sqlite else "postgresql"

    @property
    def schema(self) -> str | None:
        """The PostgreSQL schema everything lives in (``None``: the server's default)."""
        return self._schema

    # --- connections

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        async with self._engine.connect() as connection, connection.begin():
            yield connection

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[AsyncConnection]:
        async with self._writer_turn(), self._engine.connect() as connection:
            await connection.execution_options(**{_WRITE: True})
            async with connection.begin():
                yield connection

    def _writer_turn(self) -> AbstractAsyncContextManager[object]:
        """On SQLite, this store's writers take turns in the event loop: SQLite lets one write
        at a time anyway, and waiting here is fair and free where its busy handler polls, so
        only other processes' writers are left to wait for through the busy timeout."""
        if not self._sqlite:
            return nullcontext()
        loop = asyncio.get_running_loop()
        if self._write_lock is None or self._write_lock[0] is not loop:
            # an asyncio.Lock belongs to one event loop; a store may outlive one
            self._write_lock = (loop, asyncio.Lock())
        return self._write_lock[1]

    # --- lifecycle

    async def migrate(self) -> None:
        """Bring the schema up to Alembic's head revision (a no-op when it is there).

        On PostgreSQL a transaction-scoped advisory lock serialises processes migrating at
        once; on SQLite ``BEGIN IMMEDIATE`` does. The whole upgrade is one transaction. Within a
        process migrations take turns (:func:`_migration_turn`).
        """
        async with _migration_turn():
            await self._migrate()

    async def _migrate(self) -> None:
        if self._sqlite:
            async with self._writer_turn(), self._engine.connect() as connection:
                await connection.execution_options(**{_WRITE: True})
                await connection.run_sync(self._upgrade_sqlite)
            return
        async with self._writing() as connection:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._lock_key()}
            )
            if self._schema is not None:
                # the name was checked against _SCHEMA_NAME: safe to interpolate
                await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"'))
            await connection.run_sync(self._upgrade)

    def _lock_key(self) -> int:
        digest = hashlib.sha256(f"lightrig.migrate:{self._schema or ''}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def _upgrade_sqlite(self, connection: Connection) -> None:
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
                self._upgrade(connection)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(
                        f"the migration left {len(broken)} rows referring to rows that do not "
                        f"exist (table, rowid, parent, key): {broken[:5]}"
                    )
        finally:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    def _upgrade(self, connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes["version_table_schema"] = self._schema
        with _ALEMBIC_THREADS:
            command.upgrade(config, "head")

    async def drop_schema(self) -> None:
        """Drop this store's PostgreSQL schema and everything in it (for tests cleaning up);
        :class:`ValueError` for a store without one."""
        if self._schema is None:
            raise ValueError("drop_schema() is for a PostgreSQL store made with schema=...")
        async with self._writing() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{self._schema}" CASCADE'))
        # pooled connections' search_path names a schema that is gone
        await self._engine.dispose()

    async def health(self) -> str:
        """A round trip to the database, then e.g. ``sqlite /data/lightrig.db (WAL)`` or
        ``postgresql 127.0.0.1:5432/lightrig`` (never a password)."""
        async with self._reading() as connection:
            await connection.execute(text("SELECT 1"))
            if self._sqlite:
                mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
                path = Path(self._url.database or "").resolve()
                return f"sqlite {path} ({str(mode).upper()})"
        where = f"{self._url.host or 'localhost'}:{self._url.port or 5432}/{self._url.database}"
        schema = f" (schema {self._schema})" if self._schema else ""
        return f"postgresql {where}{schema}"

    async def aclose(self) -> None:
        """Close every pooled connection (the store may still be used: it reconnects)."""
        await self._engine.dispose()

    # --- users and API keys

    async def create_user(self, name: str) -> tuple[User, str]:
        """A new user and their first API key (shown only now).

        ``name``: 1-200 characters, no surrounding spaces (:class:`ValueError` otherwise);
        :class:`~lightrig.db.base.DuplicateUserError` when it is taken.
        """
        if not name or name != name.strip() or len(name) > _MAX_NAME:
            raise ValueError(
                f"a user name is 1-{_MAX_NAME} characters without surrounding spaces: {name!r}"
            )
        now = _now()
        user = User(id=str(uuid.uuid4()), name=name, created_at=now)
        try:
            async with self._writing() as connection:
                await connection.execute(
                    insert(USERS).values(id=user.id, name=name, created_at=now)
                )
                _, key = await self._insert_key(connection, user.id, now)
        except IntegrityError as error:
            raise DuplicateUserError(f"a user named {name!r} exists already") from error
        return user, key

    async def _insert_key(
        self, connection: AsyncConnection, user_id: str, now: datetime
    ) -> tuple[ApiKeyInfo, str]:
        key = new_api_key()
        info = ApiKeyInfo(
            id=str(uuid.uuid4()), user_id=user_id, prefix=key[:_PREFIX_LENGTH], created_at=now
        )
        await connection.execute(
            insert(API_KEYS).values(
                id=info.id,
                user_id=user_id,
                prefix=info.prefix,
                key_hash=hash_api_key(key),
                created_at=now,
            )
        )
        return info, key

    async def create_api_key(self, user_id: str) -> tuple[ApiKeyInfo, str]:
        """Another API key for the active user with id ``user_id`` (shown only now);
        :class:`~lightrig.db.base.RecordNotFoundError` for an unknown or revoked user."""
        async with self._writing() as connection:
            active = await connection.scalar(
                select(USERS.c.id).where(USERS.c.id == user_id, USERS.c.revoked_at.is_(None))
            )
            if active is None:
                raise RecordNotFoundError(f"no active user with id {user_id!r}")
            return await self._insert_key(connection, user_id, _now())

    async def get_user(self, user: str) -> User | None:
        """The user whose id, or else whose name, is ``user``."""
        async with self._reading() as connection:
            return await self._find_user(connection, user)

    async def _find_user(self, connection: AsyncConnection, user: str) -> User | None:
        for column in (USERS.c.id, USERS.c.name):
            row = (await connection.execute(select(USERS).where(column == user))).first()
            if row is not None:
                return _user(row)
        return None

    async def list_users(self) -> list[User]:
        """Every user, oldest first, revoked ones included."""
        async with self._reading() as connection:
            rows = await connection.execute(select(USERS).order_by(USERS.c.created_at, USERS.c.id))
            return [_user(row) for row in rows]

    async def list_api_keys(self, user_id: str) -> list[ApiKeyInfo]:
        """The keys of the user with id ``user_id``, oldest first, revoked ones included (none
        for an unknown user)."""
        async with self._reading() as connection:
            rows = await connection.execute(
                select(API_KEYS)
                .where(API_KEYS.c.user_id == user_id)
                .order_by(API_KEYS.c.created_at, API_KEYS.c.id)
            )
            return [_api_key(row) for row in rows]

    async def revoke_user(self, user: str) -> User:
        """Revoke a user (by id or name) and every key of theirs, now (a user revoked before
        keeps that time); :class:`~lightrig.db.base.RecordNotFoundError` when there is none."""
        now = _now()
        async with self._writing() as connection:
            found = await self._find_user(connection, user)
            if found is None:
                raise RecordNotFoundError(f"no user with id or name {user!r}")
            await connection.execute(
                update(USERS)
                .where(USERS.c.id == found.id, USERS.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            await connection.execute(
                update(API_KEYS)
                .where(API_KEYS.c.user_id == found.id, API_KEYS.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = (await connection.execute(select(USERS).where(USERS.c.id == found.id))).one()
            return _user(row)

    async def authenticate(self, api_key: str) -> User | None:
        """The active user whose unrevoked key ``api_key`` is; ``None`` for any other string.

        Candidate keys are found by their (non-secret) prefix and the hashes compared in
        constant time, so response times tell nothing about the key. The key's
        ``last_used_at`` (UTC) is recorded, at most once a minute, so that requests do not all
        queue for a write.
        """
        if not api_key:
            return None
        digest = hash_api_key(api_key)
        query = (
            select(
                USERS,
                API_KEYS.c.id.label("key_id"),
                API_KEYS.c.key_hash,
                API_KEYS.c.last_used_at,
            )
            .join(API_KEYS, API_KEYS.c.user_id == USERS.c.id)
            .where(
                API_KEYS.c.prefix == api_key[:_PREFIX_LENGTH],
                API_KEYS.c.revoked_at.is_(None),
                USERS.c.revoked_at.is_(None),
            )
        )
        async with self._reading() as connection:
            candidates = (await connection.execute(query)).all()
        found = None
        for row in candidates:  # every candidate is compared: no early exit
            if hmac.compare_digest(row._mapping["key_hash"], digest):
                found = row
        if found is None:
            return None
        now = _now()
        last = found._mapping["last_used_at"]
        if last is None or now - last > _LAST_USED_EVERY:
            async with self._writing() as connection:
                await connection.execute(
                    update(API_KEYS)
                    .where(API_KEYS.c.id == found._mapping["key_id"])
                    .values(last_used_at=now)
                )
        return _user(found)

    # --- generations

    async def add_generation(
        self,
        record: GenerationResponse,
        *,
        worker: str | None = None,
        lease_s: float | None = None,
    ) -> None:
        """Insert ``record`` as it is (normally ``queued``, or ``running``). A ``queued`` record
        is a job (run by the job queue: see :meth:`reap_jobs`), handed to the queue now.

        A ``running`` record needs ``worker`` and ``lease_s`` (seconds; :class:`ValueError`
        without them): it is leased to ``worker`` from now. They are ignored for other
        statuses. :class:`~lightrig.db.base.RecordNotFoundError` when ``record.batch_id`` names
        no batch; :class:`ValueError` when a record with that id exists.
        """
        values = _values(record)
        if record.status is GenerationStatus.QUEUED:
            values.update(job=True, due_at=_now())
        if record.status is GenerationStatus.RUNNING:
            if worker is None or lease_s is None:
                raise ValueError("a running record needs the worker running it and a lease_s")
            now = _now()
            values.update(
                worker=worker, started_at=now, lease_expires_at=now + _check_lease(lease_s)
            )
        try:
            async with self._writing() as connection:
                if record.batch_id is not None:
                    batch = await connection.scalar(
                        select(BATCHES.c.id).where(BATCHES.c.id == record.batch_id)
                    )
                    if batch is None:
                        raise RecordNotFoundError(f"no batch with id {record.batch_id!r}")
                await connection.execute(insert(GENERATIONS).values(**values))
        except IntegrityError as error:
            raise ValueError(
                f"a generation with id {record.generation_id!r} exists already"
            ) from error

    async def _status(self, connection: AsyncConnection, generation_id: str) -> str:
        """The record's status; :class:`RecordNotFoundError` when there is none."""
        status = await connection.scalar(
            select(GENERATIONS.c.status).where(GENERATIONS.c.id == generation_id)
        )
        if status is None:
            raise RecordNotFoundError(f"no generation with id {generation_id!r}")
        return str(status)

    async def claim_generation(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Make a ``queued``, ``interrupted`` or due ``retrying`` record ``running`` under
        ``worker``'s lease of ``lease_s`` seconds from now, one more attempt (``started_at`` is
        kept from a first run; the error of an earlier one is cleared); ``False`` from any
        other state. :class:`~lightrig.db.base.RecordNotFoundError` when there is no such
        record."""
        lease = _check_lease(lease_s)
        now = _now()
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(
                    GENERATIONS.c.id == generation_id,
                    or_(
                        GENERATIONS.c.status.in_((_QUEUED, _INTERRUPTED)),
                        and_(GENERATIONS.c.status == _RETRYING, GENERATIONS.c.due_at <= now),
                    ),
                )
                .values(
                    status=_RUNNING,
                    worker=worker,
                    started_at=func.coalesce(GENERATIONS.c.started_at, literal(now, UtcDateTime())),
                    lease_expires_at=now + lease,
                    error=None,
                    attempts=GENERATIONS.c.attempts + 1,
                )
            )
            if result.rowcount == 1:
                return True
            await self._status(connection, generation_id)  # raises when there is none
            return False

    async def renew_lease(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Extend ``worker``'s lease on its running record to ``lease_s`` seconds from now;
        ``False`` when the record is not (or no longer) ``worker``'s running record, or does
        not exist."""
        lease = _check_lease(lease_s)
        now = _now()
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(
                    GENERATIONS.c.id == generation_id,
                    GENERATIONS.c.status == _RUNNING,
                    GENERATIONS.c.worker == worker,
                )
                .values(lease_expires_at=now + lease)
            )
            return result.rowcount == 1

    async def finish_generation(
        self, record: GenerationResponse, *, worker: str | None = None
    ) -> None:
        """Complete a ``running`` or ``interrupted`` record as ``record.status`` (``success`` or
        ``error``, else :class:`ValueError`), writing every field ``record`` carries except the
        ones that identify it (id, owner, parent, batch and index, ``created_at``), in one
        statement. ``completed_at`` is ``record.completed_at`` or now (UTC); the lease ends.

        With ``worker``, a ``running`` record is finished only while ``worker`` holds it: a
        worker whose lease ran out and whose job another worker took over cannot finish it.

        :class:`~lightrig.db.base.StaleRecordError` when the record is in another state
        (finished already, still queued, or running under another worker);
        :class:`~lightrig.db.base.RecordNotFoundError` when there is none.
        """
        if record.status not in _FINISHED:
            raise ValueError(f"a record is finished as success or error, not {record.status}")
        fields = [
            name
            for name in GenerationResponse.model_fields
            if name not in _IDENTITY_FIELDS and name not in _STORE_FIELDS
        ]
        values = _values(record, fields)
        values["completed_at"] = record.completed_at or _now()
        values["lease_expires_at"] = None
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(
                    GENERATIONS.c.id == record.generation_id,
                    GENERATIONS.c.status.in_((_RUNNING, _INTERRUPTED)),
                    *(
                        ()
                        if worker is None
                        else (
                            or_(GENERATIONS.c.status != _RUNNING, GENERATIONS.c.worker == worker),
                        )
                    ),
                )
                .values(**values)
            )
            if result.rowcount == 1:
                return
            status = await self._status(connection, record.generation_id)
        if status == _RUNNING:
            raise StaleRecordError(
                f"generation {record.generation_id!r} is running under another worker than "
                f"{worker}: its lease ran out and the job was taken over"
            )
        raise StaleRecordError(
            f"generation {record.generation_id!r} is {status}: only a running or interrupted "
            "record can be finished"
        )

    async def interrupt_expired(self, now: datetime | None = None) -> list[str]:
        """Declare every ``running`` record someone waited for (not a job: see
        :meth:`reap_jobs`) whose lease expired before ``now`` (UTC; default: the current time)
        ``interrupted``, saying so in its ``error``; their ids.

        A record whose lease is renewed meanwhile is left alone.
        """
        now = _utc(now) if now is not None else _now()
        interrupted: list[str] = []
        async with self._writing() as connection:
            expired = await connection.execute(
                select(GENERATIONS.c.id, GENERATIONS.c.lease_expires_at)
                .where(
                    GENERATIONS.c.status == _RUNNING,
                    GENERATIONS.c.lease_expires_at < now,
                    GENERATIONS.c.job.is_(False),
                )
                .order_by(GENERATIONS.c.lease_expires_at, GENERATIONS.c.id)
            )
            for generation_id, lease_expires_at in expired.all():
                result = await connection.execute(
                    update(GENERATIONS)
                    .where(
                        GENERATIONS.c.id == generation_id,
                        GENERATIONS.c.status == _RUNNING,
                        GENERATIONS.c.lease_expires_at == lease_expires_at,
                    )
                    .values(
                        status=_INTERRUPTED,
                        error="interrupted: the process working on it stopped before it "
                        f"finished (lease expired at {lease_expires_at.isoformat()})",
                    )
                )
                if result.rowcount == 1:
                    interrupted.append(str(generation_id))
        return interrupted

    async def fail_generation(self, generation_id: str, reason: str) -> GenerationResponse:
        """Finish an ``interrupted``, ``queued`` or ``retrying`` record as ``error`` with
        ``reason``, now (UTC); the record as it then is.
        :class:`~lightrig.db.base.StaleRecordError` from other states,
        :class:`~lightrig.db.base.RecordNotFoundError` when there is none."""
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(
                    GENERATIONS.c.id == generation_id,
                    GENERATIONS.c.status.in_((_QUEUED, _INTERRUPTED, _RETRYING)),
                )
                .values(
                    status=_ERROR,
                    error=reason,
                    completed_at=_now(),
                    lease_expires_at=None,
                )
            )
            if result.rowcount == 1:
                return await _stored(connection, generation_id)
            status = await self._status(connection, generation_id)
        raise StaleRecordError(
            f"generation {generation_id!r} is {status}: only a queued, retrying or interrupted "
            "record can be failed"
        )

    async def set_adherence(
        self, generation_id: str, adherence: Adherence | None
    ) -> GenerationResponse:
        """Write a ``success`` record's adherence (its image checked again); the record as it
        then is. :class:`~lightrig.db.base.StaleRecordError` from other states,
        :class:`~lightrig.db.base.RecordNotFoundError` when there is none."""
        document = None if adherence is None else adherence.model_dump(mode="json")
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(GENERATIONS.c.id == generation_id, GENERATIONS.c.status == _SUCCESS)
                .values(adherence=document)
            )
            if result.rowcount == 1:
                return await _stored(connection, generation_id)
            status = await self._status(connection, generation_id)
        raise StaleRecordError(
            f"generation {generation_id!r} is {status}: only a successful generation's image "
            "can be checked"
        )

    async def note_submission(self, generation_id: str, worker: str, request_id: str) -> bool:
        """Write down the host's id for ``worker``'s running record, the moment the host has
        taken the job, so whoever runs it next collects that job instead of submitting another;
        ``False`` when it is no longer ``worker``'s running record."""
        async with self._writing() as connection:
            result = await connection.execute(
                update(GENERATIONS)
                .where(
                    GENERATIONS.c.id == generation_id,
                    GENERATIONS.c.status == _RUNNING,
                    GENERATIONS.c.worker == worker,
                )
                .values(backend_request_id=request_id)
            )
            return result.rowcount == 1

    async def retry_generation(
        self,
        generation_id: str,
        worker: str,
        reason: str,
        *,
        delay_s: float,
        max_attempts: int,
    ) -> GenerationResponse:
        """``worker``'s running job failed in a way worth retrying: ``retrying``, due in
        ``delay_s`` seconds, with ``reason`` — or finished as ``error`` once it has had
        ``max_attempts`` runs; the record as it then is.
        :class:`~lightrig.db.base.StaleRecordError` when it is not ``worker``'s running record,
        :class:`~lightrig.db.base.RecordNotFoundError` when there is none."""
        now = _now()
        async with self._writing() as connection:
            row = (
                await connection.execute(
                    select(GENERATIONS.c.attempts).where(
                        GENERATIONS.c.id == generation_id,
                        GENERATIONS.c.status == _RUNNING,
                        GENERATIONS.c.worker == worker,
                    )
                )
            ).first()
            if row is None:
                status = await self._status(connection, generation_id)
                raise StaleRecordError(
                    f"generation {generation_id!r} is {status}, not running under {worker}"
                )
            attempts = int(row[0])
            if attempts >= max_attempts:
                values: dict[str, Any] = {
                    "status": _ERROR,
                    "error": f"{reason} (gave up after {attempts} attempts)",
                    "completed_at": now,
                }
            else:
                values = {
                    "status": _RETRYING,
                    "error": f"{reason} (attempt {attempts} of {max_attempts}; retrying)",
                    "due_at": now + timedelta(seconds=max(0.0, delay_s)),
                }
            await connection.execute(
                update(GENERATIONS)
                .where(GENERATIONS.c.id == generation_id)
                .values(lease_expires_at=None, **values)
            )
            return await _stored(connection, generation_id)

    async def reap_jobs(
        self, *, max_attempts: int, requeue_after_s: float, now: datetime | None = None
    ) -> ReapedJobs:
        """Look after the jobs no live worker holds (any process may call this; concurrent
        callers never both act on one record):

        * a ``running`` job whose lease expired before ``now`` (its worker died) becomes
          ``retrying``, due at once — or ``error`` once it has had ``max_attempts`` runs;
        * a ``retrying`` job that is due becomes ``queued``, to be handed to the queue;
        * a ``queued`` job handed to the queue more than ``requeue_after_s`` seconds ago
          (its message was lost, or no worker has come for it) is to be handed again.

        Every job to hand to the queue is marked as handed now; what to do is returned."""
        now = _utc(now) if now is not None else _now()
        requeued: list[str] = []
        failed: list[str] = []
        async with self._writing() as connection:
            expired = await connection.execute(
                select(
                    GENERATIONS.c.id,
                    GENERATIONS.c.lease_expires_at,
                    GENERATIONS.c.attempts,
                    GENERATIONS.c.worker,
                ).where(
                    GENERATIONS.c.job.is_(True),
                    GENERATIONS.c.status == _RUNNING,
                    GENERATIONS.c.lease_expires_at < now,
                )
            )
            for generation_id, lease_expires_at, attempts, worker in expired.all():
                why = (
                    f"its worker {worker} stopped before it finished (lease expired at "
                    f"{lease_expires_at.isoformat()})"
                )
                gave_up = attempts >= max_attempts
                values: dict[str, Any] = (
                    {
                        "status": _ERROR,
                        "error": f"{why}; gave up after {attempts} attempts",
                        "completed_at": now,
                    }
                    if gave_up
                    else {
                        "status": _RETRYING,
                        "error": f"{why}; attempt {attempts} of {max_attempts}, retrying",
                        "due_at": now,
                    }
                )
                result = await connection.execute(
                    update(GENERATIONS)
                    .where(
                        GENERATIONS.c.id == generation_id,
                        GENERATIONS.c.status == _RUNNING,
                        GENERATIONS.c.lease_expires_at == lease_expires_at,
                    )
                    .values(lease_expires_at=None, **values)
                )
                if result.rowcount == 1 and gave_up:
                    failed.append(str(generation_id))
            stale = now - timedelta(seconds=requeue_after_s)
            waiting = await connection.execute(
                select(GENERATIONS.c.id, GENERATIONS.c.status, GENERATIONS.c.due_at)
                .where(
                    GENERATIONS.c.job.is_(True),
                    or_(
                        and_(GENERATIONS.c.status == _RETRYING, GENERATIONS.c.due_at <= now),
                        and_(GENERATIONS.c.status == _QUEUED, GENERATIONS.c.due_at <= stale),
                    ),
                )
                .order_by(GENERATIONS.c.due_at, GENERATIONS.c.id)
            )
            for generation_id, status, due_at in waiting.all():
                result = await connection.execute(
                    update(GENERATIONS)
                    .where(
                        GENERATIONS.c.id == generation_id,
                        GENERATIONS.c.status == status,
                        GENERATIONS.c.due_at == due_at,
                    )
                    .values(status=_QUEUED, due_at=now)
                )
                if result.rowcount == 1:
                    requeued.append(str(generation_id))
        return ReapedJobs(requeued=requeued, failed=failed)

    async def get_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse | None:
        """The record, or ``None`` (also when ``owner`` is given and is not its ``user_id``)."""
        query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
        if owner is not None:
            query = query.where(GENERATIONS.c.user_id == owner)
        async with self._reading() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else _generation(row)

    async def list_generations(
        self,
        *,
        owner: str | None = None,
        statuses: Sequence[GenerationStatus] = (),
        batch_id: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
    ) -> list[GenerationResponse]:
        """Up to ``limit`` (1-500, else :class:`ValueError`) records, newest first (by
        ``created_at``, then id descending), of ``owner``, in one of ``statuses`` (any when
        empty), of batch ``batch_id``; ``before`` (UTC) keeps those created strictly earlier,
        so passing the last one's ``created_at`` gives the next page."""
        if not 1 <= limit <= _MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {_MAX_PAGE}, not {limit}")
        query = select(GENERATIONS)
        if owner is not None:
            query = query.where(GENERATIONS.c.user_id == owner)
        if statuses:
            query = query.where(
                GENERATIONS.c.status.in_([GenerationStatus(status).value for status in statuses])
            )
        if batch_id is not None:
            query = query.where(GENERATIONS.c.batch_id == batch_id)
        if before is not None:
            query = query.where(GENERATIONS.c.created_at < _utc(before))
        query = query.order_by(GENERATIONS.c.created_at.desc(), GENERATIONS.c.id.desc())
        async with self._reading() as connection:
            rows = await connection.execute(query.limit(limit))
            return [_generation(row) for row in rows]

    async def count_batch(self, batch_id: str) -> dict[GenerationStatus, int]:
        """How many of batch ``batch_id``'s records are in each status (those with none are
        left out): one grouped count, for following a batch without reading its records."""
        query = (
            select(GENERATIONS.c.status, func.count())
            .where(GENERATIONS.c.batch_id == batch_id)
            .group_by(GENERATIONS.c.status)
        )
        async with self._reading() as connection:
            rows = await connection.execute(query)
            return {GenerationStatus(str(status)): int(n) for status, n in rows.all()}

    async def delete_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Remove a finished or interrupted record (``owner``'s, when given); the record."""
        removable = [status.value for status in _FINISHED] + [_INTERRUPTED]
        async with self._writing() as connection:
            query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
            if owner is not None:
                query = query.where(GENERATIONS.c.user_id == owner)
            row = (await connection.execute(query)).first()
            if row is None:
                raise RecordNotFoundError(f"no generation {generation_id!r}")
            record = _generation(row)
            result = await connection.execute(
                GENERATIONS.delete().where(
                    GENERATIONS.c.id == generation_id,
                    GENERATIONS.c.status.in_(removable),
                )
            )
            if result.rowcount != 1:
                raise StaleRecordError(
                    f"generation {generation_id} is {record.status.value}; it can be deleted "
                    "once it has finished"
                )
        return record

    async def image_in_use(self, image_key: str) -> bool:
        """Whether any record refers to the image under ``image_key``."""
        query = select(exists().where(GENERATIONS.c.image_key == image_key))
        async with self._reading() as connection:
            return bool(await connection.scalar(query))

    async def owns_image(self, image_key: str, owner: str) -> bool:
        """Whether one of ``owner``'s generations stored its image under ``image_key``."""
        query = select(
            exists().where(
                and_(GENERATIONS.c.image_key == image_key, GENERATIONS.c.user_id == owner)
            )
        )
        async with self._reading() as connection:
            return bool(await connection.scalar(query))

    # --- batches

    async def add_batch(self, batch: BatchRecord) -> None:
        """Record a new batch (``batch.generation_ids`` is ignored: items are linked as their
        generations are added with its ``batch_id`` and ``batch_index``). :class:`ValueError`
        for a negative ``total`` or an id in use."""
        if batch.total < 0:
            raise ValueError(f"a batch's total cannot be negative: {batch.total}")
        try:
            async with self._writing() as connection:
                await connection.execute(
                    insert(BATCHES).values(
                        id=batch.id,
                        user_id=batch.user_id,
                        created_at=batch.created_at,
                        completed_at=batch.completed_at,
                        total=batch.total,
                    )
                )
        except IntegrityError as error:
            raise ValueError(f"a batch with id {batch.id!r} exists already") from error

    async def get_batch(self, batch_id: str, *, owner: str | None = None) -> BatchRecord | None:
        """The batch with its items' generation ids by ``batch_index``: ``None`` where no
        generation has been recorded yet (the newest one where an index was recorded twice);
        ``None`` for no batch, or one ``owner`` (when given) does not own."""
        async with self._reading() as connection:
            batch = (
                await connection.execute(select(BATCHES).where(BATCHES.c.id == batch_id))
            ).first()
            if batch is None or (owner is not None and batch._mapping["user_id"] != owner):
                return None
            items = (
                await connection.execute(
                    select(GENERATIONS.c.id, GENERATIONS.c.batch_index)
                    .where(
                        GENERATIONS.c.batch_id == batch_id, GENERATIONS.c.batch_index.is_not(None)
                    )
                    .order_by(GENERATIONS.c.batch_index, GENERATIONS.c.created_at, GENERATIONS.c.id)
                )
            ).all()
        m = batch._mapping
        size = max([m["total"], *(index + 1 for _, index in items)])
        ids: list[str | None] = [None] * size
        for generation_id, index in items:
            ids[index] = generation_id
        return BatchRecord(
            id=m["id"],
            user_id=m["user_id"],
            created_at=m["created_at"],
            total=m["total"],
            generation_ids=tuple(ids),
            completed_at=m["completed_at"],
        )

    async def finish_batch(self, batch_id: str) -> None:
        """Mark the batch complete now (UTC; a batch completed before keeps its time);
        :class:`~lightrig.db.base.RecordNotFoundError` when there is none."""
        async with self._writing() as connection:
            result = await connection.execute(
                update(BATCHES)
                .where(BATCHES.c.id == batch_id)
                .values(
                    completed_at=func.coalesce(
                        BATCHES.c.completed_at, literal(_now(), UtcDateTime())
                    )
                )
            )
            if result.rowcount != 1:
                raise RecordNotFoundError(f"no batch with id {batch_id!r}")
