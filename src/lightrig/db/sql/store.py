"""The metadata store in SQL: one :class:`~.database.SqlDatabase` shared by the parts that keep
users (:mod:`.users`), generation records (:mod:`.generations`), their runs (:mod:`.runs`),
jobs (:mod:`.jobs`), batches (:mod:`.batches`) and saved setups (:mod:`.setups`), with
migrations (:mod:`.migrate`)."""

from __future__ import annotations

from sqlalchemy.engine import URL

from lightrig.db.base import MetadataStore
from lightrig.db.sql.batches import SqlBatches
from lightrig.db.sql.database import SqlDatabase
from lightrig.db.sql.generations import SqlGenerations
from lightrig.db.sql.jobs import SqlJobs
from lightrig.db.sql.migrate import migrate
from lightrig.db.sql.runs import SqlRuns
from lightrig.db.sql.setups import SqlSetups
from lightrig.db.sql.users import SqlUsers

__all__ = ["SqlMetadataStore"]


class SqlMetadataStore(
    SqlUsers, SqlGenerations, SqlRuns, SqlJobs, SqlBatches, SqlSetups, MetadataStore
):
    """:class:`~lightrig.db.base.MetadataStore` on SQLite or PostgreSQL: each part's methods,
    all on one database.

    ``url`` is ``sqlite:///path/to/file.db`` (its folder is made when missing) or
    ``postgresql://user@host:port/db`` (see :func:`~lightrig.db.sql.urls.normalise_url`).
    ``schema`` (PostgreSQL only) keeps every table, and Alembic's version table, in that
    schema: :meth:`migrate` creates it, :meth:`drop_schema` removes it. ``echo`` logs every
    statement.

    Nothing connects until the first call; :meth:`aclose` releases the connections.
    """

    def __init__(self, url: str | URL, *, schema: str | None = None, echo: bool = False) -> None:
        super().__init__(SqlDatabase(url, schema=schema, echo=echo))

    def __repr__(self) -> str:
        return f"SqlMetadataStore({self._db.arguments})"

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    @property
    def schema(self) -> str | None:
        """The PostgreSQL schema everything lives in (``None``: the server's default)."""
        return self._db.schema

    async def migrate(self) -> None:
        """Bring the schema up to Alembic's head revision (a no-op when it is there): see
        :func:`~lightrig.db.sql.migrate.migrate`."""
        await migrate(self._db)

    async def health(self) -> str:
        """A round trip to the database, then e.g. ``sqlite /data/lightrig.db (WAL)`` or
        ``postgresql 127.0.0.1:5432/lightrig`` (never a password)."""
        return await self._db.health()

    async def drop_schema(self) -> None:
        """Drop this store's PostgreSQL schema and everything in it (for tests cleaning up);
        :class:`ValueError` for a store without one."""
        await self._db.drop_schema()

    async def aclose(self) -> None:
        """Close every pooled connection (the store may still be used: it reconnects)."""
        await self._db.dispose()
