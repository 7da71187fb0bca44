"""The metadata store the settings ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lightrig.config import Settings
from lightrig.db.base import MetadataStore

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = ["create_store", "default_database_url"]


def default_database_url(settings: Settings) -> URL:
    """SQLite in ``settings.data_dir / "lightrig.db"`` (a URL object, so that any character in
    the path is taken literally)."""
    from sqlalchemy.engine import URL  # noqa: PLC0415 - SQLAlchemy loads when a store is made

    return URL.create("sqlite+aiosqlite", database=str(settings.data_dir / "lightrig.db"))


def create_store(settings: Settings) -> MetadataStore:
    """A store on ``settings.database_url`` (in ``settings.database_schema`` on PostgreSQL),
    else on SQLite in the data folder. Nothing connects until it is used; call ``migrate()``
    first. :class:`ValueError` for an unsupported URL, or a schema with SQLite."""
    from lightrig.db.sql import SqlMetadataStore  # noqa: PLC0415 - SQLAlchemy, Alembic: on use

    url = settings.database_url or default_database_url(settings)
    return SqlMetadataStore(url, schema=settings.database_schema)
