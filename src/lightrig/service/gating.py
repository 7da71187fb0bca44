"""The adherence gate at work: attempts made, read back and re-rolled with new seeds while they
fall short of the bar, within the budget (the rules are :mod:`lightrig.models.gate`'s).

:func:`reroll` is the loop, for anything that makes images: it is given "make attempt *i* with
seed *s*" (which returns the finished attempt with its score and cost) and calls it until the
gate stops. :class:`Gating` applies it to generation records: every attempt is a record of its
own, linked to the gate's first one (``gate_id``, ``gate_index``), so none is lost and each
keeps its score and cost.

Two ways to carry a gate on. Someone waiting (:meth:`Gating.carry_on`): the attempts run here,
one after another. A job (:meth:`Gating.hand_on`): when an attempt finishes, the next one, if
due, is recorded ``queued`` — under an id derived from the gate and its place, so that two
processes handing on the same attempt record one — and handed to the job queue. Each attempt
is then an ordinary job: a worker that dies mid-attempt is reaped, and the worker that takes it
over collects the job the host already accepted (never submits it again) and hands the gate on.
A worker that dies in the moment between finishing an attempt and recording the next leaves the
gate waiting; running the finished attempt's job again (:meth:`Worker.run_generation`) hands it
on.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from lightrig.backends.base import ImageBackend
from lightrig.errors import FieldError, InvalidLightingSetupError, LightingGenerationError
from lightrig.models.gate import (
    MAX_GATE_ATTEMPTS,
    GateAttempt,
    GateOutcome,
    GatePolicy,
    GateReport,
    attempt_seed,
    gate_outcome,
)
from lightrig.records import lifecycle
from lightrig.records.record import Draft, GenerationRecord
from lightrig.service.adapters import Adapters

__all__ = ["AttemptMaker", "Gating", "as_attempt", "attempt_id", "reroll"]

log = logging.getLogger(__name__)

#: Makes attempt ``index`` (0 = the first) with ``seed`` and returns it finished, scored and
#: priced.
AttemptMaker = Callable[[int, int], Awaitable[GateAttempt]]

#: The namespace of the attempts' derived ids.
_ATTEMPTS = uuid.UUID("5b0f6c1e-2d7a-4c35-9a61-0c7e5f3d9b42")


def attempt_id(gate_id: str, index: int) -> str:
    """The generation id of a gate's attempt ``index`` (1 and on; the first is the gate's own
    id): the same in every process, 32 hex digits like every generation id."""
    return uuid.uuid5(_ATTEMPTS, f"{gate_id}:{index}").hex


async def reroll(
    policy: GatePolicy,
    *,
    first_seed: int,
    price_usd: float,
    make: AttemptMaker,
    made: Sequence[GateAttempt] = (),
) -> GateReport:
    """Run a gate to its end: ``make(index, seed)`` for each attempt due (the first keeps
    ``first_seed``, the others get :func:`~lightrig.models.gate.attempt_seed`'s) after those
    already ``made``, while none reaches the bar and the budget allows one more image at
    ``price_usd`` US dollars. The report; its ``best_id`` is the best attempt.

    ``ValueError`` when an attempt in ``made`` is still in hand, or ``make`` returns one
    unfinished (the gate would wait for nothing)."""
    attempts = list(made)
    while gate_outcome(policy, attempts, price_usd) is GateOutcome.RUNNING:
        if attempts and not attempts[-1].finished:
            raise ValueError(f"attempt {attempts[-1].generation_id} of the gate is in hand")
        index = len(attempts)
        attempt = await make(index, attempt_seed(first_seed, index))
        if not attempt.finished:
            raise ValueError(f"attempt {attempt.generation_id} came back {attempt.status}")
        attempts.append(attempt)
    return GateReport.of(attempts[0].generation_id, policy, attempts, price_usd)


def as_attempt(record: GenerationRecord) -> GateAttempt:
    """A generation record as the gate sees it."""
    adherence = record.adherence
    return GateAttempt(
        generation_id=record.generation_id,
        index=record.gate_index or 0,
        seed=record.seed,
        status=record.status,
        score=None if adherence is None else adherence.overall,
        cost_usd=record.cost_usd or 0.0,
    )


class Gating:
    """Gates on generation records (see the module docstring)."""

    def __init__(self, parts: Adapters) -> None:
        self.parts = parts

    def price(self, backend: str, model: str | None = None) -> float:
        """US dollars for one image of ``model`` on ``backend`` (the runner's price)."""
        return self.parts.runner.price(backend, 0, model)

    @staticmethod
    def _model(record: GenerationRecord | Draft) -> str | None:
        return None if record.params is None else record.params.model

    def check(self, policy: GatePolicy, backend: str, model: str | None = None) -> None:
        """Refuse a gate that cannot work (:class:`InvalidLightingSetupError`): images are not
        checked (``verify_images`` off), or the cost cap does not cover one image."""
        problems = []
        if self.parts.runner.verifier is None:
            problems.append(
                FieldError(
                    "min_adherence",
                    "needs images checked (LIGHTRIG_VERIFY_IMAGES is off), got a bar of "
                    f"{policy.min_adherence}",
                )
            )
        price = self.price(backend, model)
        if policy.max_cost_usd is not None and policy.max_cost_usd < price:
            on = backend if model is None else f"{backend} ({model})"
            problems.append(
                FieldError(
                    "max_cost_usd",
                    f"got {policy.max_cost_usd}; one image on {on} costs {price} US "
                    "dollars, the least accepted",
                )
            )
        if problems:
            raise InvalidLightingSetupError(problems)

    @staticmethod
    def first(draft: Draft, policy: GatePolicy | None) -> Draft:
        """``draft`` as the first attempt of a gate with ``policy`` (unchanged without one)."""
        if policy is None:
            return draft
        return replace(draft, gate=policy, gate_id=draft.generation_id, gate_index=0)

    @staticmethod
    def next_draft(first: Draft, index: int) -> Draft:
        """Attempt ``index`` of the gate whose first attempt is ``first``: the same request,
        prompt, backend and parameters but the seed; in the same batch (without a place of its
        own: the item is the first attempt)."""
        if first.gate_id is None or first.params is None or first.seed is None:
            raise ValueError(f"generation {first.generation_id} is not a gate's first attempt")
        return replace(
            first,
            generation_id=attempt_id(first.gate_id, index),
            created_at=datetime.now(UTC),
            params=replace(first.params, seed=attempt_seed(first.seed, index)),
            gate_index=index,
            batch_index=None,
        )

    async def attempts(self, gate_id: str) -> list[GenerationRecord]:
        """The gate's attempts, in order."""
        found = await self.parts.store.list_generations(
            gate_id=gate_id, limit=MAX_GATE_ATTEMPTS + 1
        )
        return sorted(found, key=lambda record: record.gate_index or 0)

    async def report(self, record: GenerationRecord) -> GateReport | None:
        """The report of the gate ``record`` is an attempt of (``None`` when it is not)."""
        if record.gate is None or record.gate_id is None or record.backend is None:
            return None
        attempts = [as_attempt(found) for found in await self.attempts(record.gate_id)]
        price = self.price(record.backend, self._model(record))
        return GateReport.of(record.gate_id, record.gate, attempts, price)

    async def carry_on(
        self,
        record: GenerationRecord,
        backend: ImageBackend,
        run: Callable[[GenerationRecord, ImageBackend], Awaitable[GenerationRecord]],
    ) -> GenerationRecord:
        """Carry on the gate of a finished attempt here, each attempt due started and run with
        ``run`` (which raises :class:`LightingGenerationError` for one that failed); the best
        attempt's record (``record`` when it is not gated or none succeeded)."""
        if record.gate is None or record.gate_id is None or not record.finished:
            return record
        records = await self.attempts(record.gate_id)
        first = records[0]
        store, runner = self.parts.store, self.parts.runner

        async def make(index: int, seed: int) -> GateAttempt:
            draft = self.next_draft(first, index)
            running = await runner.start(replace(draft, backend=backend.name))
            try:
                done = await run(running, backend)
            except LightingGenerationError:
                done = await store.get_generation(running.generation_id) or lifecycle.fail(
                    running, "the attempt failed", now=datetime.now(UTC)
                )
            log.info(
                "gate %s: attempt %d (seed %d) scored %s",
                record.gate_id,
                index,
                seed,
                None if done.adherence is None else done.adherence.overall,
            )
            return as_attempt(done)

        report = await reroll(
            record.gate,
            first_seed=first.seed or 0,
            price_usd=self.price(backend.name, self._model(first)),
            make=make,
            made=[as_attempt(found) for found in records],
        )
        log.info("gate %s stopped: %s", record.gate_id, report.outcome)
        if report.best_id is None:
            return record
        return await store.get_generation(report.best_id) or record

    async def hand_on(self, record: GenerationRecord) -> GateOutcome | None:
        """After a job's attempt finished: record its gate's next attempt ``queued`` and hand
        it to the job queue, when one is due. Where the gate stands (``None`` when ``record``
        is not gated). Idempotent: an attempt recorded already is not recorded again."""
        if record.gate is None or record.gate_id is None or record.backend is None:
            return None
        records = await self.attempts(record.gate_id)
        seen = [as_attempt(found) for found in records]
        outcome = gate_outcome(record.gate, seen, self.price(record.backend, self._model(record)))
        if outcome is not GateOutcome.RUNNING or not seen[-1].finished:
            return outcome
        index = (records[-1].gate_index or 0) + 1
        queued = lifecycle.queue(self.next_draft(records[0], index), now=datetime.now(UTC))
        try:
            await self.parts.store.add_generation(queued)
        except ValueError:  # another process handed this attempt on first
            return outcome
        await self.parts.jobs.enqueue(queued.generation_id)
        log.info("gate %s: attempt %d queued (seed %s)", record.gate_id, index, queued.seed)
        return outcome
