"""Leases on running records: who holds one and until when (UTC), as conditions a
compare-and-set (:mod:`.swap`) compares with, and the records whose lease has run out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from lightrig.db.sql.rows import RUNNING
from lightrig.db.tables import GENERATIONS

__all__ = ["expired_leases", "held_by", "lease_unchanged"]


def held_by(worker: str) -> tuple[ColumnElement[bool], ...]:
    """The record is running under ``worker``'s lease."""
    return GENERATIONS.c.status == RUNNING, GENERATIONS.c.worker == worker


def lease_unchanged(lease_expires_at: datetime) -> tuple[ColumnElement[bool], ...]:
    """The record is still running under the lease that ends at ``lease_expires_at`` (UTC):
    nobody renewed, finished or took it over since it was read."""
    return GENERATIONS.c.status == RUNNING, GENERATIONS.c.lease_expires_at == lease_expires_at


async def expired_leases(
    connection: AsyncConnection, now: datetime, *, jobs: bool
) -> Sequence[Row[str, datetime, int, str | None]]:
    """The running jobs (``jobs``) or waited-for records (not ``jobs``) whose lease expired
    before ``now`` (UTC), soonest expired first: rows of (``id``, ``lease_expires_at``,
    ``attempts``, ``worker``)."""
    query = (
        select(
            GENERATIONS.c.id,
            GENERATIONS.c.lease_expires_at,
            GENERATIONS.c.attempts,
            GENERATIONS.c.worker,
        )
        .where(
            GENERATIONS.c.job.is_(jobs),
            GENERATIONS.c.status == RUNNING,
            GENERATIONS.c.lease_expires_at < now,
        )
        .order_by(GENERATIONS.c.lease_expires_at, GENERATIONS.c.id)
    )
    return (await connection.execute(query)).all()
