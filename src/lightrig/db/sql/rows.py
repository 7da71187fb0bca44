"""A generation's record as a row of ``generations``: every field of
:class:`~lightrig.models.generation.GenerationResponse` is a column (``generation_id`` is
``id``), JSON documents as ``model_dump(mode="json")`` makes them, statuses as their values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from lightrig.db.tables import GENERATION_JSON_FIELDS, GENERATIONS
from lightrig.models.generation import GenerationResponse, GenerationStatus

__all__ = [
    "ERROR",
    "INTERRUPTED",
    "QUEUED",
    "RETRYING",
    "RUNNING",
    "SUCCESS",
    "column",
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


def column(field: str) -> str:
    """The column that holds a record's ``field``."""
    return "id" if field == "generation_id" else field


def generation_values(
    record: GenerationResponse, fields: Sequence[str] | None = None
) -> dict[str, Any]:
    """Column values for ``record``'s ``fields`` (all of them by default), by column name."""
    names = list(GenerationResponse.model_fields) if fields is None else list(fields)
    documents = record.model_dump(
        mode="json", include={name for name in names if name in GENERATION_JSON_FIELDS}
    )
    values: dict[str, Any] = {}
    for name in names:
        value = documents.get(name) if name in GENERATION_JSON_FIELDS else getattr(record, name)
        if isinstance(value, GenerationStatus):
            value = value.value
        values[column(name)] = value
    return values


def generation_from_row(row: Row[Any]) -> GenerationResponse:
    """The record a row of ``generations`` holds."""
    m = row._mapping
    return GenerationResponse.model_validate(
        {name: m[column(name)] for name in GenerationResponse.model_fields}
    )


async def stored_generation(connection: AsyncConnection, generation_id: str) -> GenerationResponse:
    """The record with this id as it now stands (one must exist)."""
    query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
    return generation_from_row((await connection.execute(query)).one())
