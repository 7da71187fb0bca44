"""The database URLs the SQL store accepts, in the asyncio-driver form SQLAlchemy needs."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["ACCEPTED_URLS", "normalise_url"]

#: The URL forms :func:`normalise_url` accepts, for error messages.
ACCEPTED_URLS = (
    "sqlite:///path/to/file.db, sqlite+aiosqlite:///path/to/file.db, "
    "postgresql://user@host:port/db, postgres://..., postgresql+asyncpg://..."
)

_SQLITE_DRIVERS = frozenset({"sqlite", "sqlite+aiosqlite"})
_POSTGRES_DRIVERS = frozenset({"postgresql", "postgres", "postgresql+asyncpg"})


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
