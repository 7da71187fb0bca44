"""Running recorded work: jobs from the queue, claimed records, crash recovery.

A worker claims a waiting record (``queued``, ``interrupted``, due ``retrying``) before it runs
it, so two processes never run one record; a failure is recorded on the record (``retrying``
for a job when worth another attempt), not lost. Records whose process died are found by their
expired lease: one someone waited for is declared ``interrupted`` (:meth:`Worker.recover`), a
job is retried or given up (:meth:`Worker.reap`), from any process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from lightrig.backends.base import ImageBackend
from lightrig.db.base import ReapedJobs
from lightrig.errors import LightingGenerationError, RecordNotFoundError, StaleRecordError
from lightrig.models.generation import GenerationStatus
from lightrig.records import lifecycle
from lightrig.records.record import GenerationRecord
from lightrig.service.adapters import Adapters
from lightrig.service.batches import finish_batch_if_done
from lightrig.service.gating import Gating
from lightrig.service.retries import JobRetry, failure_text, log_failure

__all__ = ["Worker"]

log = logging.getLogger(__name__)

#: The statuses a job's run can start from.
_WAITING = (GenerationStatus.QUEUED, GenerationStatus.RETRYING, GenerationStatus.INTERRUPTED)


class Worker:
    """Runs records: what a job does, a batch's items, resumed generations. ``ready`` is
    awaited before any work (the store's schema brought up to date)."""

    def __init__(self, parts: Adapters, ready: Callable[[], Awaitable[object]]) -> None:
        self.parts = parts
        self._ready = ready
        self.gating = Gating(parts)

    async def run(
        self,
        record: GenerationRecord,
        backend: ImageBackend,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationRecord:
        """Run a ``running`` record to its end (see
        :meth:`~lightrig.service.runner.GenerationRunner.run`); anything unexpected becomes a
        :class:`LightingGenerationError` saying what failed."""
        try:
            return await self.parts.runner.run(record, backend, retry=retry)
        except LightingGenerationError:
            raise
        except Exception as exc:
            log_failure(log, f"generation {record.generation_id}", exc)
            raise LightingGenerationError(failure_text(exc)) from exc

    async def run_claimed(
        self,
        record: GenerationRecord,
        backend: ImageBackend,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationRecord:
        """Claim a waiting record and run it; a failure becomes its ``error`` result (or, with
        ``retry``, a ``retrying`` one when worth another attempt). A record that cannot be
        claimed (someone else has it, or it has finished) is returned as the store has it."""
        store = self.parts.store
        running = await self.parts.runner.claim(record)
        if running is None:
            return await store.get_generation(record.generation_id) or record
        try:
            return await self.run(running, backend, retry=retry)
        except StaleRecordError as exc:  # taken over by another worker: it is theirs now
            log.warning("%s", exc)
            return await store.get_generation(record.generation_id) or running
        except LightingGenerationError as exc:
            try:  # the record as the runner completed it (cost, possible duplicates, ...)
                stored = await store.get_generation(record.generation_id)
            except Exception:  # the store's trouble was logged by the runner: answer from here
                stored = None
            if stored is not None and stored.status is GenerationStatus.ERROR:
                return stored
            return lifecycle.fail(running, str(exc), now=datetime.now(UTC))

    async def run_generation(self, generation_id: str) -> GenerationRecord:
        """Run a ``queued`` or due ``retrying`` job (or an ``interrupted`` generation) from its
        record — what a job does. Idempotent: a record someone else has, or that has finished,
        is returned as it is, and a host that already has the job is asked for it, not sent it
        again. Failures are recorded on the record (a job is made ``retrying`` when worth
        another attempt), not raised."""
        await self._ready()
        store, settings = self.parts.store, self.parts.settings
        record = await store.get_generation(generation_id)
        if record is None:
            raise RecordNotFoundError(f"no generation {generation_id!r}")
        if record.status not in _WAITING:
            if record.finished:  # a gate left waiting by a worker that died handing it on
                await self._hand_on(record)
            return record
        if not record.runnable:
            return await store.fail_generation(generation_id, "nothing to run")
        retry = (
            JobRetry(max_attempts=settings.job_max_attempts, delay_s=settings.job_retry_delay_s)
            if record.job
            else None  # a waited-for record is resumed or failed, never queued to retry
        )
        result = await self.run_claimed(record, self.parts.backend(record.backend), retry=retry)
        if result.finished:
            await self._hand_on(result)
        if result.batch_id is not None:
            await finish_batch_if_done(store, result.batch_id, self.gating)
        return result

    async def _hand_on(self, record: GenerationRecord) -> None:
        """Queue the next attempt of a finished attempt's adherence gate, when one is due (see
        :meth:`~lightrig.service.gating.Gating.hand_on`); a failure is logged (running the
        attempt's job again hands the gate on)."""
        if record.gate is None:
            return
        try:
            await self.gating.hand_on(record)
        except Exception:
            log.error("could not hand on the gate of %s", record.generation_id, exc_info=True)

    async def resume(self, record: GenerationRecord) -> GenerationRecord:
        """Run an ``interrupted`` (or still ``queued``) record again: the same request,
        prompt, parameters and seed, on the same backend; the completed record (for an attempt
        of an adherence gate, its gate is carried on here: the best attempt's record).
        :class:`~lightrig.errors.IllegalTransitionError` from another status,
        :class:`StaleRecordError` when another process has it."""
        running = await self.parts.runner.resume(record)
        log.info("resuming generation %s", record.generation_id)
        backend = self.parts.backend(running.backend)
        done = await self.run(running, backend)
        return await self.gating.carry_on(done, backend, self.run)

    async def recover(self) -> list[str]:
        """Declare every running generation whose lease has expired interrupted (its process
        stopped before finishing); their ids."""
        interrupted = await self.parts.store.interrupt_expired()
        for generation_id in interrupted:
            log.warning("generation %s was interrupted; resume or fail it", generation_id)
        return interrupted

    async def reap(self, *, requeue_after_s: float | None = None) -> ReapedJobs:
        """Look after the jobs no live worker holds: those whose worker died run again (or
        fail, out of attempts), due retries and jobs whose message went missing (handed to the
        queue more than ``requeue_after_s`` seconds ago; default ``job_requeue_after_s``) are
        handed to the queue. Safe from any number of processes at once."""
        await self._ready()
        store, settings = self.parts.store, self.parts.settings
        reaped = await store.reap_jobs(
            max_attempts=settings.job_max_attempts,
            requeue_after_s=(
                settings.job_requeue_after_s if requeue_after_s is None else requeue_after_s
            ),
        )
        for generation_id in reaped.requeued:
            await self.parts.jobs.enqueue(generation_id)
        for generation_id in reaped.failed:
            log.warning("job %s ran out of attempts", generation_id)
            record = await store.get_generation(generation_id)
            if record is not None and record.batch_id is not None:
                await finish_batch_if_done(store, record.batch_id, self.gating)
        return reaped

    async def work(self, stop: asyncio.Event, *, reap_every_s: float | None = None) -> None:
        """Run jobs until ``stop`` is set: serve the job queue (a worker process's loop; the
        in-process queue runs what it is given) and reap every ``reap_every_s`` seconds
        (default: a third of the lease, at most 10 s). With the in-process queue, the jobs a
        previous process left waiting are taken up at once."""
        await self._ready()
        jobs = self.parts.jobs
        lease_s = self.parts.settings.generation_lease_s
        every = reap_every_s or min(10.0, max(0.5, lease_s / 3.0))
        serving = asyncio.create_task(jobs.serve(stop), name="lightrig:serve-jobs")
        first = True
        try:
            while not stop.is_set():
                try:
                    await self.reap(requeue_after_s=0.0 if first and not jobs.durable else None)
                except Exception:  # the store or queue hiccupped: try at the next tick
                    log.warning("reaping jobs failed", exc_info=True)
                first = False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every)
        finally:
            stop.set()
            await serving
