"""Batches in SQL: a batch is a row of its own; its items are the generations that name it
(``batch_id``) with their place in it (``batch_index``). Times are UTC."""

from __future__ import annotations

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from lightrig.db.base import BatchRecord, BatchStore
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.times import utc_now
from lightrig.db.tables import BATCHES, GENERATIONS, UtcDateTime
from lightrig.errors import RecordNotFoundError
from lightrig.models.generation import GenerationStatus

__all__ = ["SqlBatches"]


class SqlBatches(OnDatabase, BatchStore):
    """:class:`~lightrig.db.base.BatchStore` in SQL."""

    async def add_batch(self, batch: BatchRecord) -> None:
        """Record a new batch (``batch.generation_ids`` is ignored: items are linked as their
        generations are added with its ``batch_id`` and ``batch_index``). :class:`ValueError`
        for a negative ``total`` or an id in use."""
        if batch.total < 0:
            raise ValueError(f"a batch's total cannot be negative: {batch.total}")
        try:
            async with self._db.writing() as connection:
                await connection.execute(
                    insert(BATCHES).values(
                        id=batch.id,
                        user_id=batch.user_id,
                        created_at=batch.created_at,
                        completed_at=batch.completed_at,
                        total=batch.total,
                    )
                )
        except IntegrityError as error:
            raise ValueError(f"a batch with id {batch.id!r} exists already") from error

    async def get_batch(self, batch_id: str, *, owner: str | None = None) -> BatchRecord | None:
        """The batch with its items' generation ids by ``batch_index``: ``None`` where no
        generation has been recorded yet (the newest one where an index was recorded twice);
        ``None`` for no batch, or one ``owner`` (when given) does not own."""
        async with self._db.reading() as connection:
            batch = (
                await connection.execute(select(BATCHES).where(BATCHES.c.id == batch_id))
            ).first()
            if batch is None or (owner is not None and batch._mapping["user_id"] != owner):
                return None
            items = (
                await connection.execute(
                    select(GENERATIONS.c.id, GENERATIONS.c.batch_index)
                    .where(
                        GENERATIONS.c.batch_id == batch_id, GENERATIONS.c.batch_index.is_not(None)
                    )
                    .order_by(GENERATIONS.c.batch_index, GENERATIONS.c.created_at, GENERATIONS.c.id)
                )
            ).all()
        m = batch._mapping
        size = max([m["total"], *(index + 1 for _, index in items)])
        ids: list[str | None] = [None] * size
        for generation_id, index in items:
            ids[index] = generation_id
        return BatchRecord(
            id=m["id"],
            user_id=m["user_id"],
            created_at=m["created_at"],
            total=m["total"],
            generation_ids=tuple(ids),
            completed_at=m["completed_at"],
        )

    async def count_batch(self, batch_id: str) -> dict[GenerationStatus, int]:
        """How many of batch ``batch_id``'s items are in each status (those with none are
        left out): one grouped count, for following a batch without reading its records. An
        item is counted as its record stands (for a gated item, its first attempt: its
        re-rolls, recorded in the batch without a place of their own, are not counted)."""
        query = (
            select(GENERATIONS.c.status, func.count())
            .where(GENERATIONS.c.batch_id == batch_id, GENERATIONS.c.batch_index.is_not(None))
            .group_by(GENERATIONS.c.status)
        )
        async with self._db.reading() as connection:
            rows = await connection.execute(query)
            return {GenerationStatus(str(status)): int(n) for status, n in rows.all()}

    async def finish_batch(self, batch_id: str) -> None:
        """Mark the batch complete now (UTC; a batch completed before keeps its time);
        :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        async with self._db.writing() as connection:
            result = await connection.execute(
                update(BATCHES)
                .where(BATCHES.c.id == batch_id)
                .values(
                    completed_at=func.coalesce(
                        BATCHES.c.completed_at, literal(utc_now(), UtcDateTime())
                    )
                )
            )
            if result.rowcount != 1:
                raise RecordNotFoundError(f"no batch with id {batch_id!r}")
