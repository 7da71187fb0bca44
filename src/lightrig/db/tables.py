"""The metadata store's tables, as SQLAlchemy declarative classes.

Every timestamp is a timezone-aware UTC :class:`~datetime.datetime` (:class:`UtcDateTime`). The
request, the analysis and the adherence are ``JSONB`` on PostgreSQL; the structured prompt and
the parameters, whose key order is part of what FIBO is sent, are ``json`` there (kept
verbatim); all five are ``JSON`` text on SQLite. A saved setup's scene request is ``JSONB`` on
PostgreSQL too. The Alembic revisions in
``migrations/versions`` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = [
    "API_KEYS",
    "BATCHES",
    "GENERATIONS",
    "NAMING_CONVENTION",
    "SAVED_SETUPS",
    "SETUP_SHARES",
    "USERS",
    "ApiKeyRow",
    "Base",
    "BatchRow",
    "GenerationRow",
    "SavedSetupRow",
    "SetupShareRow",
    "UserRow",
    "UtcDateTime",
    "json_type",
    "ordered_json_type",
]

#: Constraint and index names Alembic can rely on, the same on every database.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_STATUSES = ("queued", "running", "success", "error", "interrupted", "retrying")


class UtcDateTime(TypeDecorator[datetime]):
    """``TIMESTAMP WITH TIME ZONE`` that always holds UTC.

    Aware values are converted to UTC on the way in (naive ones are taken to be UTC already);
    values come back aware in UTC (SQLite keeps no zone, so its naive values are marked UTC).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC, aware."""
        return _aware_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC, aware."""
        return _aware_utc(value)


def _aware_utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def json_type() -> TypeEngine[Any]:
    """A JSON document column (``JSONB`` on PostgreSQL); Python ``None`` is SQL ``NULL``.

    ``JSONB`` does not keep the order of an object's keys: fit for documents that are validated
    back into models (which put their fields in order again), not for free dictionaries.
    """
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def ordered_json_type() -> TypeEngine[Any]:
    """A JSON document column kept as written, key order included (``json``, not ``JSONB``,
    on PostgreSQL); Python ``None`` is SQL ``NULL``.

    For the free dictionaries whose text matters: FIBO is given the structured prompt (and the
    negative prompt in the parameters) as JSON text in key order, so a resumed generation must
    get it back in that order to send the very same prompt.
    """
    return JSON(none_as_null=True)


class Base(DeclarativeBase):
    """The declarative base: one :class:`~sqlalchemy.MetaData` with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    """Someone who may use the service."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  #: a UUID
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ApiKeyRow(Base):
    """An API key: its SHA-256 and first characters, never the key."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  #: a UUID
    user_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BatchRow(Base):
    """A batch of generations; its items are the generations that name it."""

    __tablename__ = "batches"
    __table_args__ = (CheckConstraint("total >= 0", name="total"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)
    #: the owner's user id (free text, as generations' owners are: not a foreign key)
    user_id: Mapped[str | None] = mapped_column(String, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    total: Mapped[int] = mapped_column(Integer)


class GenerationRow(Base):
    """One generation record: every field of :class:`~lightrig.records.GenerationRecord`, as
    :mod:`lightrig.records.convert` lays it out (``generation_id`` as ``id``, the image and the
    lease in columns of their own)."""

    __tablename__ = "generations"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{status}'" for status in _STATUSES) + ")",
            name="status",
        ),
        CheckConstraint("batch_index >= 0", name="batch_index"),
        CheckConstraint("gate_index >= 0", name="gate_index"),
        Index("ix_generations_user_id_created_at", "user_id", "created_at"),
        Index("ix_generations_status_lease_expires_at", "status", "lease_expires_at"),
        Index("ix_generations_batch_id_batch_index", "batch_id", "batch_index"),
        Index("ix_generations_job_status_due_at", "job", "status", "due_at"),
    )

    id: Mapped[str] = mapped_column(String, primary_key=True)
    #: queued, running, success, error, interrupted or retrying (looked up through the
    #: (status, lease_expires_at) index, whose leading column it is)
    status: Mapped[str] = mapped_column(String(16))
    #: the owner: whatever user id the caller gave (not a foreign key)
    user_id: Mapped[str | None] = mapped_column(String)
    image_url: Mapped[str | None] = mapped_column(Text)
    image_key: Mapped[str | None] = mapped_column(String, index=True)
    media_type: Mapped[str | None] = mapped_column(String)
    width: Mapped[int | None] = mapped_column(Integer)  #: pixels
    height: Mapped[int | None] = mapped_column(Integer)  #: pixels
    structured_prompt: Mapped[dict[str, Any] | None] = mapped_column(ordered_json_type())
    request: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    analysis: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    #: how well the image follows the requested light (lightrig.verify), when checked
    adherence: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    backend: Mapped[str | None] = mapped_column(String)
    backend_request_id: Mapped[str | None] = mapped_column(String)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    params: Mapped[dict[str, Any] | None] = mapped_column(ordered_json_type())
    cost_usd: Mapped[float | None] = mapped_column(Float)  #: US dollars
    #: submissions beyond one the host may have billed (re-sent after an unknown answer)
    possible_duplicates: Mapped[int] = mapped_column(Integer, server_default="0")
    duration_s: Mapped[float | None] = mapped_column(Float)  #: seconds
    cached: Mapped[bool] = mapped_column(Boolean)
    parent_id: Mapped[str | None] = mapped_column(String)
    batch_id: Mapped[str | None] = mapped_column(String, ForeignKey("batches.id"))
    batch_index: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # the lease: who is running it, since when, until when (UTC)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    worker: Mapped[str | None] = mapped_column(String)
    #: runs started (written by the store when it claims the record, never by a finish)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    # the job: added as queued, so run by the job queue (its worker may be taken over), and
    # when a waiting job was last handed to the queue or a retrying one may run again (UTC)
    job: Mapped[bool] = mapped_column(Boolean, server_default=false())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # the photograph a relight edits (kept in image storage like the result)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_key: Mapped[str | None] = mapped_column(String, index=True)
    source_media_type: Mapped[str | None] = mapped_column(String)
    source_width: Mapped[int | None] = mapped_column(Integer)  #: pixels
    source_height: Mapped[int | None] = mapped_column(Integer)  #: pixels
    # the adherence gate it is an attempt of: its policy, the gate's first attempt's id, its
    # place among the attempts (0 for the first)
    gate: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    gate_id: Mapped[str | None] = mapped_column(String, index=True)
    gate_index: Mapped[int | None] = mapped_column(Integer)


class SavedSetupRow(Base):
    """A lighting setup a user saved under a name (unique among theirs)."""

    __tablename__ = "saved_setups"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        Index("ix_saved_setups_user_id_updated_at", "user_id", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  #: a UUID
    #: the owner: the user id requests are served for (not a foreign key: the local user of a
    #: server without keys has no row)
    user_id: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String(100))
    #: the scene request, as validated
    request: Mapped[dict[str, Any]] = mapped_column(json_type())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    #: when it was last saved or renamed
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SetupShareRow(Base):
    """A read-only link to a saved setup: its token's SHA-256, never the token."""

    __tablename__ = "setup_shares"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  #: a UUID
    setup_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("saved_setups.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


def _table(row: type[Base]) -> Table:
    table = row.__table__
    if not isinstance(table, Table):  # pragma: no cover - declarative always makes a Table
        raise TypeError(f"{row.__name__} is not mapped to a table")
    return table


USERS = _table(UserRow)
API_KEYS = _table(ApiKeyRow)
BATCHES = _table(BatchRow)
GENERATIONS = _table(GenerationRow)
SAVED_SETUPS = _table(SavedSetupRow)
SETUP_SHARES = _table(SetupShareRow)
