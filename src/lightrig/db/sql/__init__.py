"""The metadata store in SQL: SQLite (embedded, the default) or PostgreSQL, through SQLAlchemy's
asyncio engine (aiosqlite or asyncpg).

One module a concern: :mod:`.urls` (the URLs accepted), :mod:`.database` (the engine and its
transactions) with :mod:`.sqlite` (how SQLite connections are set up), :mod:`.migrate`
(Alembic), :mod:`.users` (users and API keys), :mod:`.generations` (records), :mod:`.runs` (a
record's run under a lease), :mod:`.jobs` (retries and the reaper), :mod:`.batches`,
:mod:`.setups` (saved setups and their share links), and :mod:`.store`, which puts them
together as :class:`SqlMetadataStore`. Every status change is a compare-and-set (:mod:`.swap`,
with :mod:`.leases` for the conditions on leases) over the rows :mod:`.rows` maps.

Times are UTC; durations (leases, delays) are in seconds.
"""

from __future__ import annotations

from lightrig.db.sql.migrate import MIGRATIONS_DIR, alembic_config
from lightrig.db.sql.store import SqlMetadataStore
from lightrig.db.sql.urls import ACCEPTED_URLS, normalise_url

__all__ = [
    "ACCEPTED_URLS",
    "MIGRATIONS_DIR",
    "SqlMetadataStore",
    "alembic_config",
    "normalise_url",
]
