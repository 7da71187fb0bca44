"""Generation records in SQL: added, read, listed, deleted, their adherence written, and the
images they refer to looked up. How a record runs is :mod:`.runs` and :mod:`.jobs`.

Times are UTC; a lease is in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError

from lightrig.db.base import GenerationStore
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.rows import (
    SUCCESS,
    generation_from_row,
    generation_values,
    stored_generation,
)
from lightrig.db.sql.swap import swap_or_stale
from lightrig.db.sql.times import as_utc
from lightrig.db.tables import BATCHES, GENERATIONS
from lightrig.errors import RecordNotFoundError, StaleRecordError
from lightrig.models.adherence import Adherence
from lightrig.models.generation import GenerationStatus
from lightrig.records.lifecycle import SOURCES, Transition
from lightrig.records.record import GenerationRecord

__all__ = ["SqlGenerations"]

_MAX_PAGE = 500  # records
#: what a record may be to be deleted: finished, or interrupted and given up on (the
#: lifecycle's table)
_REMOVABLE = tuple(status.value for status in SOURCES[Transition.REMOVE])


class SqlGenerations(OnDatabase, GenerationStore):
    """:class:`~lightrig.db.base.GenerationStore` in SQL."""

    async def add_generation(self, record: GenerationRecord) -> None:
        """Insert ``record`` as it is (normally ``queued``, a job run by the job queue — see
        :meth:`~.jobs.SqlJobs.reap_jobs` — or ``running`` under the lease it holds).

        :class:`ValueError` for a running record without a lease, or when a record with that
        id exists; :class:`~lightrig.errors.RecordNotFoundError` when ``record.batch_id`` names
        no batch.
        """
        if record.status is GenerationStatus.RUNNING and record.lease is None:
            raise ValueError("a running record needs the lease of the worker running it")
        values = generation_values(record)
        try:
            async with self._db.writing() as connection:
                if record.batch_id is not None:
                    batch = await connection.scalar(
                        select(BATCHES.c.id).where(BATCHES.c.id == record.batch_id)
                    )
                    if batch is None:
                        raise RecordNotFoundError(f"no batch with id {record.batch_id!r}")
                await connection.execute(insert(GENERATIONS).values(**values))
        except IntegrityError as error:
            raise ValueError(
                f"a generation with id {record.generation_id!r} exists already"
            ) from error

    async def get_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationRecord | None:
        """The record, or ``None`` (also when ``owner`` is given and is not its ``user_id``)."""
        query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
        if owner is not None:
            query = query.where(GENERATIONS.c.user_id == owner)
        async with self._db.reading() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else generation_from_row(row)

    async def list_generations(
        self,
        *,
        owner: str | None = None,
        statuses: Sequence[GenerationStatus] = (),
        batch_id: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
        gate_id: str | None = None,
    ) -> list[GenerationRecord]:
        """Up to ``limit`` (1-500, else :class:`ValueError`) records, newest first (by
        ``created_at``, then id descending), of ``owner``, in one of ``statuses`` (any when
        empty), of batch ``batch_id``, of the adherence gate ``gate_id``; ``before`` (UTC) keeps
        those created strictly earlier, so passing the last one's ``created_at`` gives the next
        page."""
        if not 1 <= limit <= _MAX_PAGE:
            raise ValueError(f"limit must be between 1 and {_MAX_PAGE}, not {limit}")
        query = select(GENERATIONS)
        if owner is not None:
            query = query.where(GENERATIONS.c.user_id == owner)
        if statuses:
            query = query.where(
                GENERATIONS.c.status.in_([GenerationStatus(status).value for status in statuses])
            )
        if batch_id is not None:
            query = query.where(GENERATIONS.c.batch_id == batch_id)
        if gate_id is not None:
            query = query.where(GENERATIONS.c.gate_id == gate_id)
        if before is not None:
            query = query.where(GENERATIONS.c.created_at < as_utc(before))
        query = query.order_by(GENERATIONS.c.created_at.desc(), GENERATIONS.c.id.desc())
        async with self._db.reading() as connection:
            rows = await connection.execute(query.limit(limit))
            return [generation_from_row(row) for row in rows]

    async def delete_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationRecord:
        """Remove a finished or interrupted record (``owner``'s, when given); the record.
        :class:`~lightrig.errors.RecordNotFoundError` when there is none,
        :class:`~lightrig.errors.StaleRecordError` while it is queued, running or retrying."""
        async with self._db.writing() as connection:
            query = select(GENERATIONS).where(GENERATIONS.c.id == generation_id)
            if owner is not None:
                query = query.where(GENERATIONS.c.user_id == owner)
            row = (await connection.execute(query)).first()
            if row is None:
                raise RecordNotFoundError(f"no generation {generation_id!r}")
            record = generation_from_row(row)
            result = await connection.execute(
                GENERATIONS.delete().where(
                    GENERATIONS.c.id == generation_id, GENERATIONS.c.status.in_(_REMOVABLE)
                )
            )
            if result.rowcount != 1:
                raise StaleRecordError(
                    f"generation {generation_id} is {record.status.value}; it can be deleted "
                    "once it has finished"
                )
        return record

    async def set_adherence(
        self, generation_id: str, adherence: Adherence | None
    ) -> GenerationRecord:
        """Write a ``success`` record's adherence (its image checked again); the record as it
        then is. :class:`~lightrig.errors.StaleRecordError` from other states,
        :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        document = None if adherence is None else adherence.model_dump(mode="json")
        async with self._db.writing() as connection:
            await swap_or_stale(
                connection,
                generation_id,
                (GENERATIONS.c.status == SUCCESS,),
                {"adherence": document},
                refused=lambda status: (
                    f"generation {generation_id!r} is {status}: only a successful generation's "
                    "image can be checked"
                ),
            )
            return await stored_generation(connection, generation_id)

    async def image_in_use(self, image_key: str) -> bool:
        """Whether any record refers to the image under ``image_key`` (as its result or as the
        photograph it re-lights)."""
        query = select(
            exists().where(
                or_(GENERATIONS.c.image_key == image_key, GENERATIONS.c.source_key == image_key)
            )
        )
        async with self._db.reading() as connection:
            return bool(await connection.scalar(query))

    async def owns_image(self, image_key: str, owner: str) -> bool:
        """Whether one of ``owner``'s generations stored its image (or the photograph it
        re-lights) under ``image_key``."""
        query = select(
            exists().where(
                and_(
                    or_(
                        GENERATIONS.c.image_key == image_key,
                        GENERATIONS.c.source_key == image_key,
                    ),
                    GENERATIONS.c.user_id == owner,
                )
            )
        )
        async with self._db.reading() as connection:
            return bool(await connection.scalar(query))
