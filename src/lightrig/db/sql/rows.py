"""A generation's record as a row of ``generations``: the values
:func:`lightrig.records.convert.to_row` gives by column, and back with
:func:`~lightrig.records.convert.from_row` (JSON documents as ``model_dump(mode="json")``
makes them, statuses as their values)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from lightrig.db.tables import GENERATIONS
from lightrig.models.generation import GenerationStatus
from lightrig.records.convert import from_row, to_row
from lightrig.records.record import GenerationRecord

__all__ = [
    "ERROR",
    "INTERRUPTED",
    "QUEUED",
    "RETRYING",
    "RUNNING",
    "SUCCESS",
    "generation_from_row",
    "generation_values",
    "stored_generation",
]

#: The statuses as the ``status`` column holds them.
QUEUED = GenerationStatus.QUEUED.value
RUNNING = GenerationStatus.RUNNING.value
INTERRUPTED = GenerationStatus.INTERRUPTED.value
RETRYING = GenerationStatus.RETRYING.value
ERROR = GenerationStatus.ERROR.value
SUCCESS = GenerationStatus.SUCCESS.value


def generation_values(
    record: GenerationRecord, columns: Iterable[str] | None = None
) -> dict[str, Any]:
    """Values for ``record``'s ``columns`` (all of them by default), by column name."""
    return to_row(record, columns)


def generation_from_row(row: Row[Any]) -> GenerationRecord:
    """The record a row of ``generations`` holds."""
    return from_row(row._mapping)


async def stored_generation(connection: AsyncConnection, generation_id: str) -> GenerationRecord:
    """The record with this id as it now stands (one must exist)."""
    query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
    return generation_from_row((await connection.execute(query)).one())
