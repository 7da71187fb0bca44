"""A generation's run in SQL: claimed under a worker's lease, the lease renewed, the host's id
for the work noted, finished as success or error, failed, or declared interrupted once its
lease has run out. Every step is a compare-and-set (:mod:`.swap`).

Times are UTC; leases are in seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, literal, or_

from lightrig.db.base import RunStore
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.leases import expired_leases, held_by, lease_unchanged
from lightrig.db.sql.rows import (
    ERROR,
    INTERRUPTED,
    QUEUED,
    RETRYING,
    RUNNING,
    generation_values,
    stored_generation,
)
from lightrig.db.sql.swap import status_of, swap, swap_or_stale
from lightrig.db.sql.times import as_utc, lease_length, utc_now
from lightrig.db.tables import GENERATIONS, UtcDateTime
from lightrig.models.generation import GenerationStatus
from lightrig.records.convert import OUTCOME_COLUMNS
from lightrig.records.lifecycle import SOURCES, Transition, interrupted_error
from lightrig.records.record import GenerationRecord

__all__ = ["SqlRuns"]

_FINISHED = frozenset({GenerationStatus.SUCCESS, GenerationStatus.ERROR})
#: what a record may be to be finished, and to be given up on (the lifecycle's table)
_FINISHABLE = tuple(status.value for status in SOURCES[Transition.COMPLETE])
_WAITING = tuple(status.value for status in SOURCES[Transition.GIVE_UP])


class SqlRuns(OnDatabase, RunStore):
    """:class:`~lightrig.db.base.RunStore` in SQL."""

    async def claim_generation(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Make a ``queued``, ``interrupted`` or due ``retrying`` record ``running`` under
        ``worker``'s lease of ``lease_s`` seconds from now, one more attempt (``started_at`` is
        kept from a first run; the error of an earlier one is cleared); ``False`` from any
        other state. :class:`~lightrig.errors.RecordNotFoundError` when there is no such
        record, :class:`ValueError` for a ``lease_s`` that is not positive."""
        lease = lease_length(lease_s)
        now = utc_now()
        claimable = or_(
            GENERATIONS.c.status.in_((QUEUED, INTERRUPTED)),
            and_(GENERATIONS.c.status == RETRYING, GENERATIONS.c.due_at <= now),
        )
        values = {
            "status": RUNNING,
            "worker": worker,
            "started_at": func.coalesce(GENERATIONS.c.started_at, literal(now, UtcDateTime())),
            "lease_expires_at": now + lease,
            "error": None,
            "attempts": GENERATIONS.c.attempts + 1,
        }
        async with self._db.writing() as connection:
            if await swap(connection, generation_id, (claimable,), values):
                return True
            await status_of(connection, generation_id)  # raises when there is none
            return False

    async def renew_lease(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Extend ``worker``'s lease on its running record to ``lease_s`` seconds from now;
        ``False`` when the record is not (or no longer) ``worker``'s running record, or does
        not exist."""
        lease = lease_length(lease_s)
        values = {"lease_expires_at": utc_now() + lease}
        async with self._db.writing() as connection:
            return await swap(connection, generation_id, held_by(worker), values)

    async def note_submission(self, generation_id: str, worker: str, request_id: str) -> bool:
        """Write down the host's id for ``worker``'s running record, the moment the host has
        taken the job, so whoever runs it next collects that job instead of submitting another;
        ``False`` when it is no longer ``worker``'s running record."""
        values = {"backend_request_id": request_id}
        async with self._db.writing() as connection:
            return await swap(connection, generation_id, held_by(worker), values)

    async def finish_generation(
        self, record: GenerationRecord, *, worker: str | None = None
    ) -> None:
        """Complete a ``running`` or ``interrupted`` record as ``record.status`` (``success`` or
        ``error``, else :class:`ValueError`), writing its outcome
        (:data:`~lightrig.records.convert.OUTCOME_COLUMNS`: never what was asked, nor
        ``attempts``), in one statement. ``completed_at`` is ``record.completed_at`` or now
        (UTC); the lease ends.

        With ``worker``, a ``running`` record is finished only while ``worker`` holds it: a
        worker whose lease ran out and whose job another worker took over cannot finish it.

        :class:`~lightrig.errors.StaleRecordError` when the record is in another state
        (finished already, still queued, or running under another worker);
        :class:`~lightrig.errors.RecordNotFoundError` when there is none.
        """
        if record.status not in _FINISHED:
            raise ValueError(f"a record is finished as success or error, not {record.status}")
        values = generation_values(record, OUTCOME_COLUMNS)
        values["completed_at"] = record.completed_at or utc_now()
        values["lease_expires_at"] = None
        seen: list[ColumnElement[bool]] = [GENERATIONS.c.status.in_(_FINISHABLE)]
        if worker is not None:
            seen.append(or_(GENERATIONS.c.status != RUNNING, GENERATIONS.c.worker == worker))

        def refused(status: str) -> str:
            if status == RUNNING:
                return (
                    f"generation {record.generation_id!r} is running under another worker than "
                    f"{worker}: its lease ran out and the job was taken over"
                )
            return (
                f"generation {record.generation_id!r} is {status}: only a running or "
                "interrupted record can be finished"
            )

        async with self._db.writing() as connection:
            await swap_or_stale(connection, record.generation_id, seen, values, refused=refused)

    async def fail_generation(self, generation_id: str, reason: str) -> GenerationRecord:
        """Finish an ``interrupted``, ``queued`` or ``retrying`` record as ``error`` with
        ``reason``, now (UTC); the record as it then is.
        :class:`~lightrig.errors.StaleRecordError` from other states,
        :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        values = {
            "status": ERROR,
            "error": reason,
            "completed_at": utc_now(),
            "lease_expires_at": None,
        }
        async with self._db.writing() as connection:
            await swap_or_stale(
                connection,
                generation_id,
                (GENERATIONS.c.status.in_(_WAITING),),
                values,
                refused=lambda status: (
                    f"generation {generation_id!r} is {status}: only a queued, retrying or "
                    "interrupted record can be failed"
                ),
            )
            return await stored_generation(connection, generation_id)

    async def interrupt_expired(self, now: datetime | None = None) -> list[str]:
        """Declare every ``running`` record someone waited for (not a job: see
        :meth:`~.jobs.SqlJobs.reap_jobs`) whose lease expired before ``now`` (UTC; default: the
        current time) ``interrupted``, saying so in its ``error``; their ids.

        A record whose lease is renewed meanwhile is left alone.
        """
        now = as_utc(now) if now is not None else utc_now()
        interrupted: list[str] = []
        async with self._db.writing() as connection:
            for generation_id, lease_expires_at, _, _ in await expired_leases(
                connection, now, jobs=False
            ):
                values = {"status": INTERRUPTED, "error": interrupted_error(lease_expires_at)}
                if await swap(connection, generation_id, lease_unchanged(lease_expires_at), values):
                    interrupted.append(str(generation_id))
        return interrupted
