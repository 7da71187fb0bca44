"""Alembic's environment for the metadata store.

Run programmatically by :func:`lightrig.db.sql.migrate.migrate`, which builds the
:class:`alembic.config.Config` in code (see :func:`lightrig.db.sql.alembic_config`) and passes an
open :class:`~sqlalchemy.engine.Connection` in ``config.attributes["connection"]`` (inside a
transaction it commits), and the PostgreSQL schema, if any, in
``config.attributes["version_table_schema"]``. Offline (``--sql``) runs read the main option
``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from lightrig.db.tables import Base


def _run_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=Base.metadata,
        version_table_schema=context.config.attributes.get("version_table_schema"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "lightrig's migrations run through SqlMetadataStore.migrate(), which passes a "
            "connection in config.attributes['connection']"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table_schema=context.config.attributes.get("version_table_schema"),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
