"""Batches: many scene requests recorded at once, run here with bounded concurrency or handed to
the job queue, and followed by their progress.

The batch and every item are recorded first (``queued``; an item that cannot be understood at
once as ``error``, never run), so a crash loses none of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from lightrig.backends.base import ImageBackend
from lightrig.db.base import BatchRecord, MetadataStore
from lightrig.errors import LightingGenerationError, RecordNotFoundError
from lightrig.models.batch import BatchProgress
from lightrig.models.gate import (
    GateOutcome,
    GatePolicy,
    GateReport,
    gate_outcome,
)
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.records import lifecycle
from lightrig.records.convert import to_response
from lightrig.records.record import Draft, GenerationRecord
from lightrig.service.adapters import Adapters
from lightrig.service.gating import Gating, as_attempt
from lightrig.service.generate import Generating

if TYPE_CHECKING:
    from lightrig.service.worker import Worker

__all__ = ["Batches", "RecordProgress", "batch_records", "finish_batch_if_done"]

#: Told ``(done, total, record)`` as each item of a batch finishes.
RecordProgress = Callable[[int, int, GenerationRecord], None]

#: The statuses of a batch's items still to finish.
_UNFINISHED = (GenerationStatus.QUEUED, GenerationStatus.RUNNING, GenerationStatus.RETRYING)
#: Records read at once when all of a batch's are read.
_PAGE = 500


async def finish_batch_if_done(
    store: MetadataStore, batch_id: str, gating: Gating | None = None
) -> None:
    """Mark the batch complete once none of its items is queued, running or retrying, and (with
    ``gating``) none of their adherence gates has another attempt due."""
    if await store.list_generations(batch_id=batch_id, statuses=_UNFINISHED, limit=1):
        return
    if gating is not None and await _gates_open(store, batch_id, gating):
        return
    await store.finish_batch(batch_id)


async def batch_records(store: MetadataStore, batch_id: str) -> list[GenerationRecord]:
    """Every record of the batch — its items and their gates' re-rolls — newest first, read a
    page of :data:`_PAGE` at a time."""
    found: list[GenerationRecord] = []
    before = None
    while True:
        page = await store.list_generations(batch_id=batch_id, limit=_PAGE, before=before)
        found.extend(page)
        if len(page) < _PAGE:
            return found
        before = page[-1].created_at


def _by_gate(records: list[GenerationRecord]) -> dict[str, list[GenerationRecord]]:
    """The gated records by gate, each gate's attempts in order."""
    gates: dict[str, list[GenerationRecord]] = {}
    for record in sorted(records, key=lambda record: record.gate_index or 0):
        if record.gate_id is not None:
            gates.setdefault(record.gate_id, []).append(record)
    return gates


async def _gates_open(store: MetadataStore, batch_id: str, gating: Gating) -> bool:
    """Whether an item of the batch has an adherence gate with another attempt due."""
    for attempts in _by_gate(await batch_records(store, batch_id)).values():
        first = attempts[0]
        if first.gate is None or first.backend is None:
            continue
        seen = [as_attempt(record) for record in attempts]
        if gate_outcome(first.gate, seen, gating.price(first.backend)) is GateOutcome.RUNNING:
            return True
    return False


class Batches:
    """Records, runs and follows batches. ``ready`` is awaited before any work."""

    def __init__(
        self,
        parts: Adapters,
        ready: Callable[[], Awaitable[object]],
        generating: Generating,
        worker: Worker,
    ) -> None:
        self.parts = parts
        self._ready = ready
        self._generating = generating
        self._worker = worker

    async def _record(
        self,
        items: list[SceneRequest | Mapping[str, Any]],
        user_id: str | None,
        backend: ImageBackend,
        seed: int | None,
        *,
        gate: GatePolicy | None = None,
        model: str | None = None,
    ) -> tuple[str, list[GenerationRecord]]:
        """Record a batch and every item: ``queued`` (with ``gate``, as the first attempt of an
        adherence gate of its own), or one that cannot be understood at once as ``error``. The
        batch id and the items' records in order. A model the backend does not serve refuses
        the whole batch (:class:`InvalidLightingSetupError` on field ``model``), before any is
        recorded."""
        store, generating = self.parts.store, self._generating
        chosen = generating.params(model=model)  # the model alone: items keep their own faults
        generating.check_model(backend, chosen, edits=False)
        if gate is not None:
            self._worker.gating.check(gate, backend.name, chosen.model)
        batch_id = uuid4().hex
        await store.add_batch(
            BatchRecord(
                id=batch_id, user_id=user_id, created_at=datetime.now(UTC), total=len(items)
            )
        )
        records: list[GenerationRecord] = []
        for index, item in enumerate(items):
            place: dict[str, Any] = {"batch_id": batch_id, "batch_index": index}
            try:
                draft = generating.draft(
                    generating.scene(item),
                    generating.params(seed=seed, model=chosen.model),
                    user_id=user_id,
                    backend=backend.name,
                    **place,
                )
            except LightingGenerationError as exc:
                refused = lifecycle.refuse(
                    Draft(
                        generation_id=uuid4().hex,
                        created_at=datetime.now(UTC),
                        user_id=user_id,
                        backend=backend.name,
                        **place,
                    ),
                    str(exc),
                    now=datetime.now(UTC),
                )
                await store.add_generation(refused)
                self.parts.runner.observe(refused)
                records.append(refused)
                continue
            queued = lifecycle.queue(Gating.first(draft, gate), now=datetime.now(UTC))
            await store.add_generation(queued)
            records.append(queued)
        if all(record.finished for record in records):
            await store.finish_batch(batch_id)  # nothing to run
        return batch_id, records

    async def generate(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        concurrency: int | None = None,
        on_progress: RecordProgress | None = None,
        gate: GatePolicy | None = None,
        model: str | None = None,
    ) -> list[GenerationRecord]:
        """Run a batch here: its items' records in the order asked, failures included (see
        :meth:`~lightrig.service.LightingGenerationService.batch_generate`); with ``gate``, each
        item's best attempt."""
        await self._ready()
        items = list(requests)
        total = len(items)
        chosen = self.parts.backend(backend)
        batch_id, records = await self._record(items, user_id, chosen, seed, gate=gate, model=model)
        limit = asyncio.Semaphore(concurrency or self.parts.settings.batch_concurrency)
        done = 0
        results: list[GenerationRecord | None] = [None] * total

        def finished(index: int, result: GenerationRecord) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if on_progress is not None:
                on_progress(done, total, result)

        async def one(index: int, record: GenerationRecord) -> None:
            async with limit:
                result = await self._worker.run_claimed(record, chosen)
                result = await self._worker.gating.carry_on(result, chosen, self._worker.run)
            finished(index, result)

        tasks = []
        for index, record in enumerate(records):
            if record.finished:
                finished(index, record)
            else:
                tasks.append(one(index, record))
        await asyncio.gather(*tasks)
        await self.parts.store.finish_batch(batch_id)
        return [result for result in results if result is not None]

    async def submit(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        gate: GatePolicy | None = None,
        model: str | None = None,
    ) -> BatchProgress:
        """Record a batch and hand its items to the job queue (with ``gate``, each item's
        adherence gate is handed on from attempt to attempt by the workers); its progress at
        once."""
        await self._ready()
        chosen = self.parts.backend(backend)
        batch_id, records = await self._record(
            list(requests), user_id, chosen, seed, gate=gate, model=model
        )
        for record in records:
            if not record.finished:
                await self.parts.jobs.enqueue(record.generation_id)
        return await self.progress(batch_id, owner=user_id)

    async def progress(
        self, batch_id: str, *, owner: str | None = None, items: bool = True
    ) -> BatchProgress:
        """A batch's counts and items (``owner``'s, when given; without the items when
        ``items`` is false, which costs one grouped count); :class:`RecordNotFoundError`."""
        await self._ready()
        store = self.parts.store
        batch = await store.get_batch(batch_id, owner=owner)
        if batch is None:
            raise RecordNotFoundError(f"no batch {batch_id!r}")
        if not items:
            counted = await store.count_batch(batch_id)
            return BatchProgress(
                batch_id=batch.id,
                user_id=batch.user_id,
                created_at=batch.created_at,
                completed_at=batch.completed_at,
                total=batch.total,
                counts=counted,
                done=counted.get(GenerationStatus.SUCCESS, 0)
                + counted.get(GenerationStatus.ERROR, 0),
                items=[],
            )
        found = await batch_records(store, batch_id)
        records = {record.generation_id: record for record in found}
        gates = _by_gate(found)
        ordered = [records[i] for i in batch.generation_ids if i is not None and i in records]
        shown: list[GenerationResponse] = []
        done = 0
        for record in ordered:
            item, finished = self._item(record, gates.get(record.generation_id, []))
            shown.append(item)
            done += finished
        counts = dict.fromkeys(GenerationStatus, 0)
        for item in shown:
            counts[item.status] += 1
        return BatchProgress(
            batch_id=batch.id,
            user_id=batch.user_id,
            created_at=batch.created_at,
            completed_at=batch.completed_at,
            total=batch.total,
            counts={status: n for status, n in counts.items() if n},
            done=done,
            items=shown,
        )

    def _item(
        self, record: GenerationRecord, attempts: list[GenerationRecord]
    ) -> tuple[GenerationResponse, bool]:
        """How a batch item is shown, and whether it is done: as it is; or, for the first
        attempt of an adherence gate, the gate's best attempt so far (its latest while none
        succeeded) with the gate's report, done once the gate stopped."""
        if record.gate is None or record.backend is None or not attempts:
            return to_response(record), record.finished
        report = GateReport.of(
            record.generation_id,
            record.gate,
            [as_attempt(attempt) for attempt in attempts],
            self._worker.gating.price(record.backend),
        )
        chosen = next(
            (attempt for attempt in attempts if attempt.generation_id == report.best_id),
            attempts[-1],
        )
        return to_response(chosen, report), report.outcome is not GateOutcome.RUNNING
