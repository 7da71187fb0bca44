"""The metadata stores by name — the scheme of ``settings.database_url`` — in one
``{name: lazy factory}`` registry: ``sqlite`` (a file; ``<data_dir>/lightrig.db`` when the URL
is unset) and ``postgresql`` (in ``settings.database_schema`` when set). One SQL store serves
both; SQLAlchemy and Alembic are imported when a store is made. They come with the ``server``
extra, the service's own, so the faces that make a store say what needed it when it is missing
(``user accounts needs the 'server' extra``).

The names are :data:`lightrig.config.DATABASES`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from lightrig.config import DATABASE_BY_URL, Settings
from lightrig.db.base import MetadataStore
from lightrig.registry import choose

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

__all__ = [
    "STORE_FACTORIES",
    "StoreFactory",
    "create_store",
    "database_name",
    "default_database_url",
    "embedded_store_not_made",
]

#: Makes a metadata store from the settings.
StoreFactory = Callable[[Settings], MetadataStore]


#: The embedded store's file in the data folder.
EMBEDDED_FILE = "lightrig.db"


def embedded_store_not_made(settings: Settings) -> bool:
    """Whether ``settings`` name the embedded store (no ``database_url``) and its file does not
    exist yet: a store not made holds no users, and knowing so needs no SQLAlchemy."""
    unset = not (settings.database_url or "").strip()
    return unset and not (settings.data_dir / EMBEDDED_FILE).exists()


def default_database_url(settings: Settings) -> URL:
    """SQLite in ``settings.data_dir / "lightrig.db"`` (a URL object, so that any character in
    the path is taken literally)."""
    from sqlalchemy.engine import URL  # noqa: PLC0415 - SQLAlchemy loads when a store is made

    return URL.create("sqlite+aiosqlite", database=str(settings.data_dir / EMBEDDED_FILE))


def _sql(settings: Settings) -> MetadataStore:
    """The SQL store on ``settings.database_url``, else on SQLite in the data folder."""
    from lightrig.db.sql import SqlMetadataStore  # noqa: PLC0415 - SQLAlchemy, Alembic

    url = (settings.database_url or "").strip() or default_database_url(settings)
    return SqlMetadataStore(url, schema=settings.database_schema)


#: Every metadata store's factory, by name.
STORE_FACTORIES: Mapping[str, StoreFactory] = {"sqlite": _sql, "postgresql": _sql}


def database_name(settings: Settings) -> str:
    """The name of the store ``settings.database_url`` chooses (``sqlite`` when unset);
    :class:`ValueError` naming the accepted schemes for any other."""
    return DATABASE_BY_URL.name(settings.database_url)


def create_store(settings: Settings) -> MetadataStore:
    """The store the settings choose (see the module docstring). Nothing connects until it is
    used; call ``migrate()`` first. One-line :class:`ValueError` for a URL no store takes (or
    a schema with SQLite)."""
    return choose("metadata store", database_name(settings), STORE_FACTORIES)(settings)
