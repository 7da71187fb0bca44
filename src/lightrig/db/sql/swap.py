"""Compare-and-set on a generation's record: the one way its status changes.

Every change is one ``UPDATE generations SET ... WHERE id = :id AND <what the caller saw>``
whose row count says whether it won, so two processes never both claim or finish a record:
:func:`swap` says whether it won, :func:`swap_or_stale` raises
:class:`~lightrig.errors.StaleRecordError` (or :class:`~lightrig.errors.RecordNotFoundError`)
when it did not. :mod:`.leases` builds the conditions about leases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from lightrig.db.tables import GENERATIONS
from lightrig.errors import RecordNotFoundError, StaleRecordError

__all__ = ["Seen", "status_of", "swap", "swap_or_stale"]

#: What the record must still be for a change to apply: conditions on its columns.
Seen = Iterable[ColumnElement[bool]]


async def swap(
    connection: AsyncConnection, generation_id: str, seen: Seen, values: Mapping[str, Any]
) -> bool:
    """Write ``values`` (by column) into the record ``generation_id`` if it still is as
    ``seen`` says; whether it was."""
    result = await connection.execute(
        update(GENERATIONS).where(GENERATIONS.c.id == generation_id, *seen).values(**values)
    )
    return result.rowcount == 1


async def swap_or_stale(
    connection: AsyncConnection,
    generation_id: str,
    seen: Seen,
    values: Mapping[str, Any],
    *,
    refused: Callable[[str], str],
) -> None:
    """:func:`swap`, or :class:`~lightrig.errors.StaleRecordError` saying ``refused(status)``
    (the record's status) when it lost; :class:`~lightrig.errors.RecordNotFoundError` when
    there is no such record."""
    if await swap(connection, generation_id, seen, values):
        return
    raise StaleRecordError(refused(await status_of(connection, generation_id)))


async def status_of(connection: AsyncConnection, generation_id: str) -> str:
    """The record's status; :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
    status = await connection.scalar(
        select(GENERATIONS.c.status).where(GENERATIONS.c.id == generation_id)
    )
    if status is None:
        raise RecordNotFoundError(f"no generation with id {generation_id!r}")
    return str(status)
