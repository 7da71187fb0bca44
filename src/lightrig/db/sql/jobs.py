"""Jobs in SQL: records added ``queued`` and run by the job queue's workers, retried when their
host failed in a way worth retrying or their worker died, and handed to the queue again when
due or when their message was lost. Every step is a compare-and-set (:mod:`.swap`), so any
process may look after the jobs and concurrent callers never both act on one record.

Times are UTC; delays in seconds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from lightrig.db.base import JobStore, ReapedJobs
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.leases import expired_leases, held_by, lease_unchanged
from lightrig.db.sql.rows import ERROR, QUEUED, RETRYING, stored_generation
from lightrig.db.sql.swap import status_of, swap, swap_or_stale
from lightrig.db.sql.times import as_utc, utc_now
from lightrig.db.tables import GENERATIONS
from lightrig.errors import StaleRecordError
from lightrig.records.lifecycle import gave_up_error, reaped_error, retry_error
from lightrig.records.record import GenerationRecord

__all__ = ["SqlJobs"]


class SqlJobs(OnDatabase, JobStore):
    """:class:`~lightrig.db.base.JobStore` in SQL."""

    async def retry_generation(
        self,
        generation_id: str,
        worker: str,
        reason: str,
        *,
        delay_s: float,
        max_attempts: int,
    ) -> GenerationRecord:
        """``worker``'s running job failed in a way worth retrying: ``retrying``, due in
        ``delay_s`` seconds, with ``reason`` — or finished as ``error`` once it has had
        ``max_attempts`` runs; the record as it then is.
        :class:`~lightrig.errors.StaleRecordError` when it is not ``worker``'s running record,
        :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        now = utc_now()

        def refused(status: str) -> str:
            return f"generation {generation_id!r} is {status}, not running under {worker}"

        async with self._db.writing() as connection:
            attempts = await connection.scalar(
                select(GENERATIONS.c.attempts).where(
                    GENERATIONS.c.id == generation_id, *held_by(worker)
                )
            )
            if attempts is None:
                raise StaleRecordError(refused(await status_of(connection, generation_id)))
            if attempts >= max_attempts:
                values: dict[str, Any] = {
                    "status": ERROR,
                    "error": gave_up_error(reason, attempts),
                    "completed_at": now,
                }
            else:
                values = {
                    "status": RETRYING,
                    "error": retry_error(reason, attempts, max_attempts),
                    "due_at": now + timedelta(seconds=max(0.0, delay_s)),
                }
            seen = (*held_by(worker), GENERATIONS.c.attempts == attempts)
            values["lease_expires_at"] = None
            await swap_or_stale(connection, generation_id, seen, values, refused=refused)
            return await stored_generation(connection, generation_id)

    async def reap_jobs(
        self, *, max_attempts: int, requeue_after_s: float, now: datetime | None = None
    ) -> ReapedJobs:
        """Look after the jobs no live worker holds:

        * a ``running`` job whose lease expired before ``now`` (its worker died) becomes
          ``retrying``, due at once — or ``error`` once it has had ``max_attempts`` runs;
        * a ``retrying`` job that is due becomes ``queued``, to be handed to the queue;
        * a ``queued`` job handed to the queue more than ``requeue_after_s`` seconds ago
          (its message was lost, or no worker has come for it) is to be handed again.

        Every job to hand to the queue is marked as handed now; what to do is returned."""
        now = as_utc(now) if now is not None else utc_now()
        requeued: list[str] = []
        failed: list[str] = []
        async with self._db.writing() as connection:
            for generation_id, lease_expires_at, attempts, worker in await expired_leases(
                connection, now, jobs=True
            ):
                gave_up = attempts >= max_attempts
                error = reaped_error(str(worker), lease_expires_at, attempts, max_attempts)
                values: dict[str, Any] = (
                    {"status": ERROR, "error": error, "completed_at": now}
                    if gave_up
                    else {"status": RETRYING, "error": error, "due_at": now}
                )
                values["lease_expires_at"] = None
                won = await swap(
                    connection, generation_id, lease_unchanged(lease_expires_at), values
                )
                if won and gave_up:
                    failed.append(str(generation_id))
            stale = now - timedelta(seconds=requeue_after_s)
            waiting = await connection.execute(
                select(GENERATIONS.c.id, GENERATIONS.c.status, GENERATIONS.c.due_at)
                .where(
                    GENERATIONS.c.job.is_(True),
                    or_(
                        and_(GENERATIONS.c.status == RETRYING, GENERATIONS.c.due_at <= now),
                        and_(GENERATIONS.c.status == QUEUED, GENERATIONS.c.due_at <= stale),
                    ),
                )
                .order_by(GENERATIONS.c.due_at, GENERATIONS.c.id)
            )
            for generation_id, status, due_at in waiting.all():
                seen = (GENERATIONS.c.status == status, GENERATIONS.c.due_at == due_at)
                if await swap(connection, generation_id, seen, {"status": QUEUED, "due_at": now}):
                    requeued.append(str(generation_id))
        return ReapedJobs(requeued=requeued, failed=failed)
