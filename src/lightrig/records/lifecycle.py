"""The generation and job state machine, as pure functions over :class:`GenerationRecord`.

No I/O and no clock: each function takes a record (or a :class:`Draft`) and the time (``now``,
aware UTC) and returns a new record, or raises
:class:`~lightrig.errors.IllegalTransitionError` (a ``ValueError`` and a
:class:`~lightrig.errors.StaleRecordError`) when the record's status does not allow the
transition; the record given is never changed. The metadata store makes the same changes with a
compare-and-set, so that two processes never both make one (:mod:`lightrig.db`); these functions
are what the process that made a change holds, and what the store is held to.

A generation someone waits for, and a *job* (added ``queued``, run by the job queue)::

    draft ──start──▶ running ──complete──▶ success ──rescore──▶ success
      │                │ ├──fail──────────▶ error
      │                │ ├─ lease expired, not a job ─ interrupt ─▶ interrupted ─┐
      │                │ └─ job: retry (host failed, worth it) or reap (worker   │
      │                │        died) ─▶ retrying, or error out of attempts      │
      ├──queue──▶ queued ◀──requeue── retrying (due) ◀───────────────────────────┤
      │             └──claim / resume──▶ running ◀──claim / resume── interrupted ┘
      └──refuse──▶ error (an item that could not be understood; never ran)

    queued, interrupted, retrying ──give_up──▶ error
    running: note_submission (the host's id), charge (possible duplicates, priced)
    success, error, interrupted: remove (the record may be deleted)

``RUNNING`` with one more attempt is written in one place (:func:`_run`), used by
:func:`start`, :func:`claim` and :func:`resume`. :data:`SOURCES` is the table of which statuses
allow each transition; some add a condition (a retrying job is claimed once due, a record is
interrupted or reaped once its lease has expired, a job is retried or reaped and never
interrupted, only a record with something to run is started or claimed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import datetime, timedelta
from enum import StrEnum

from lightrig.errors import IllegalTransitionError
from lightrig.models.adherence import Adherence
from lightrig.models.generation import GenerationStatus
from lightrig.records.record import Draft, GenerationRecord, Lease, StoredImage

__all__ = [
    "SOURCES",
    "Transition",
    "charge",
    "claim",
    "complete",
    "fail",
    "gave_up_error",
    "give_up",
    "interrupt",
    "interrupted_error",
    "note_submission",
    "queue",
    "reap",
    "reaped_error",
    "refuse",
    "remove",
    "requeue",
    "require",
    "rescore",
    "resume",
    "retry",
    "retry_error",
    "start",
]

QUEUED = GenerationStatus.QUEUED
RUNNING = GenerationStatus.RUNNING
SUCCESS = GenerationStatus.SUCCESS
ERROR = GenerationStatus.ERROR
INTERRUPTED = GenerationStatus.INTERRUPTED
RETRYING = GenerationStatus.RETRYING


class Transition(StrEnum):
    """A change of a recorded generation (creations — start, queue, refuse — take a draft)."""

    CLAIM = "claim"
    RESUME = "resume"
    NOTE_SUBMISSION = "note_submission"
    CHARGE = "charge"
    COMPLETE = "complete"
    FAIL = "fail"
    INTERRUPT = "interrupt"
    RETRY = "retry"
    REAP = "reap"
    REQUEUE = "requeue"
    GIVE_UP = "give_up"
    RESCORE = "rescore"
    REMOVE = "remove"


#: The statuses from which each transition is legal (in the order its refusal names them).
SOURCES: Mapping[Transition, tuple[GenerationStatus, ...]] = {
    Transition.CLAIM: (QUEUED, INTERRUPTED, RETRYING),
    Transition.RESUME: (INTERRUPTED, QUEUED),
    Transition.NOTE_SUBMISSION: (RUNNING,),
    Transition.CHARGE: (RUNNING,),
    Transition.COMPLETE: (RUNNING, INTERRUPTED),
    Transition.FAIL: (RUNNING, INTERRUPTED),
    Transition.INTERRUPT: (RUNNING,),
    Transition.RETRY: (RUNNING,),
    Transition.REAP: (RUNNING,),
    Transition.REQUEUE: (RETRYING, QUEUED),
    Transition.GIVE_UP: (QUEUED, RETRYING, INTERRUPTED),
    Transition.RESCORE: (SUCCESS,),
    Transition.REMOVE: (SUCCESS, ERROR, INTERRUPTED),
}

#: How a refusal says what the transition would have done: "only a queued generation can be
#: ``<phrase>``".
_PHRASES: Mapping[Transition, str] = {
    Transition.CLAIM: "claimed",
    Transition.RESUME: "resumed",
    Transition.NOTE_SUBMISSION: "noted as submitted",
    Transition.CHARGE: "charged",
    Transition.COMPLETE: "completed",
    Transition.FAIL: "failed as it runs",
    Transition.INTERRUPT: "interrupted",
    Transition.RETRY: "retried",
    Transition.REAP: "reaped",
    Transition.REQUEUE: "handed to the queue",
    Transition.GIVE_UP: "failed",
    Transition.RESCORE: "checked",
    Transition.REMOVE: "deleted",
}

#: The statuses as adjectives of "generation".
_ADJECTIVES: Mapping[GenerationStatus, str] = {
    QUEUED: "queued",
    RUNNING: "running",
    SUCCESS: "successful",
    ERROR: "failed",
    INTERRUPTED: "interrupted",
    RETRYING: "retrying",
}


def _refuse(record: GenerationRecord, transition: Transition, why: str) -> IllegalTransitionError:
    return IllegalTransitionError(
        f"generation {record.generation_id} is {record.status.value}; {why}",
        generation_id=record.generation_id,
        status=record.status.value,
        transition=transition.value,
        allowed=[status.value for status in SOURCES[transition]],
    )


def require(record: GenerationRecord, transition: Transition) -> None:
    """Refuse ``transition`` (:class:`IllegalTransitionError`) unless ``record``'s status
    allows it (its row of :data:`SOURCES`; some transitions add conditions of their own)."""
    allowed = SOURCES[transition]
    if record.status in allowed:
        return
    names = [_ADJECTIVES[status] for status in allowed]
    words = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    article = "an" if words[0] in "aeiou" else "a"
    raise _refuse(
        record,
        transition,
        f"only {article} {words} generation can be {_PHRASES[transition]}",
    )


def _require_runnable(record: GenerationRecord, transition: Transition) -> None:
    if not record.runnable:
        raise _refuse(
            record,
            transition,
            "it has nothing to run (no request, prompt, backend or parameters)",
        )


def _lease_length(lease_s: float) -> timedelta:
    if not lease_s > 0:
        raise ValueError(f"a lease lasts a positive number of seconds, not {lease_s}")
    return timedelta(seconds=lease_s)


def _recorded(draft: Draft, status: GenerationStatus, **run: object) -> GenerationRecord:
    """``draft`` recorded in ``status``, with ``run``'s fields of the record set."""
    asked = {field.name: getattr(draft, field.name) for field in fields(Draft)}
    return GenerationRecord(**asked, status=status, **run)  # type: ignore[arg-type]


def _run(
    record: GenerationRecord, *, worker: str, lease_s: float, now: datetime
) -> GenerationRecord:
    """``RUNNING`` under ``worker``'s lease of ``lease_s`` seconds from ``now``, one more
    attempt, an earlier run's error cleared; the first run's start is kept. The only place a
    record starts running."""
    return replace(
        record,
        status=RUNNING,
        attempts=record.attempts + 1,
        lease=Lease(worker=worker, expires_at=now + _lease_length(lease_s)),
        started_at=record.started_at or now,
        error=None,
    )


# --------------------------------------------------------------------------- creations


def start(draft: Draft, *, worker: str, lease_s: float, now: datetime) -> GenerationRecord:
    """A generation someone waits for, recorded ``running`` under ``worker``'s lease of
    ``lease_s`` seconds (its first attempt). ``ValueError`` for a draft with nothing to run (a
    refused item is recorded with :func:`refuse`) or a ``lease_s`` that is not positive."""
    if not draft.runnable:
        raise ValueError(
            f"generation {draft.generation_id} has nothing to run (no request, prompt, backend "
            "or parameters)"
        )
    return _run(_recorded(draft, QUEUED), worker=worker, lease_s=lease_s, now=now)


def queue(draft: Draft, *, now: datetime) -> GenerationRecord:
    """A job: recorded ``queued``, handed to the queue ``now`` (its ``due_at``)."""
    return _recorded(draft, QUEUED, job=True, due_at=now)


def refuse(draft: Draft, error: str, *, now: datetime) -> GenerationRecord:
    """An item that could not be understood, recorded as ``error`` saying why; it never ran
    (no attempt)."""
    if not error:
        raise ValueError("a refusal says why")
    return _recorded(draft, ERROR, error=error, completed_at=now)


# --------------------------------------------------------------------------- runs


def claim(
    record: GenerationRecord, *, worker: str, lease_s: float, now: datetime
) -> GenerationRecord:
    """A ``queued``, ``interrupted`` or due ``retrying`` record taken by ``worker``:
    ``running`` under its lease of ``lease_s`` seconds from ``now``, one more attempt."""
    require(record, Transition.CLAIM)
    if record.status is RETRYING and record.due_at is not None and record.due_at > now:
        raise _refuse(
            record,
            Transition.CLAIM,
            f"it may run again from {record.due_at.isoformat()}, not before",
        )
    _require_runnable(record, Transition.CLAIM)
    return _run(record, worker=worker, lease_s=lease_s, now=now)


def resume(
    record: GenerationRecord, *, worker: str, lease_s: float, now: datetime
) -> GenerationRecord:
    """An ``interrupted`` (or still ``queued``) record run again by ``worker`` at a user's
    asking: the same request, prompt, parameters and seed; ``running``, one more attempt."""
    require(record, Transition.RESUME)
    _require_runnable(record, Transition.RESUME)
    return _run(record, worker=worker, lease_s=lease_s, now=now)


def note_submission(record: GenerationRecord, request_id: str) -> GenerationRecord:
    """The host's id for a running record's job, noted the moment the host took it (whoever
    runs it next collects that job). Noting the same id again changes nothing; another id is
    refused (the host has one job for it already)."""
    require(record, Transition.NOTE_SUBMISSION)
    if record.backend_request_id == request_id:
        return record
    if record.backend_request_id is not None:
        raise _refuse(
            record,
            Transition.NOTE_SUBMISSION,
            f"the host has its job {record.backend_request_id} already",
        )
    return replace(record, backend_request_id=request_id)


def charge(
    record: GenerationRecord, *, possible_duplicates: int, cost_usd: float
) -> GenerationRecord:
    """What a running record's submission may have cost so far: ``possible_duplicates``
    submissions beyond one the host may also have billed, priced at ``cost_usd`` US dollars."""
    require(record, Transition.CHARGE)
    if possible_duplicates < 0 or cost_usd < 0:
        raise ValueError(
            f"possible duplicates and cost are not negative: {possible_duplicates}, {cost_usd}"
        )
    return replace(record, possible_duplicates=possible_duplicates, cost_usd=cost_usd)


def complete(
    record: GenerationRecord,
    *,
    image: StoredImage,
    cost_usd: float,
    now: datetime,
    possible_duplicates: int = 0,
    cached: bool = False,
    adherence: Adherence | None = None,
    request_id: str | None = None,
    duration_s: float | None = None,
) -> GenerationRecord:
    """A ``running`` (or, finished after its lease ran out, ``interrupted``) record's success:
    its stored ``image``, price (US dollars) and possible duplicates, whether the result cache
    answered, its adherence, the host's ``request_id`` for the job that made the image (kept
    when ``None``), the run's ``duration_s`` (seconds); finished ``now``, the lease ended."""
    require(record, Transition.COMPLETE)
    if possible_duplicates < 0 or cost_usd < 0:
        raise ValueError(
            f"possible duplicates and cost are not negative: {possible_duplicates}, {cost_usd}"
        )
    return replace(
        record,
        status=SUCCESS,
        lease=None,
        image=image,
        cached=cached,
        cost_usd=cost_usd,
        possible_duplicates=possible_duplicates,
        adherence=adherence,
        backend_request_id=record.backend_request_id if request_id is None else request_id,
        duration_s=duration_s,
        error=None,
        completed_at=now,
    )


def fail(
    record: GenerationRecord, error: str, *, now: datetime, duration_s: float | None = None
) -> GenerationRecord:
    """A ``running`` (or ``interrupted``) record's run failed: ``error`` saying why, after
    ``duration_s`` seconds when known; finished ``now``, the lease ended."""
    require(record, Transition.FAIL)
    if not error:
        raise ValueError("a failure says why")
    return replace(
        record, status=ERROR, lease=None, error=error, duration_s=duration_s, completed_at=now
    )


def interrupted_error(lease_expires_at: datetime) -> str:
    """What an interrupted record says: its process stopped; the lease ran out then (UTC)."""
    return (
        "interrupted: the process working on it stopped before it finished "
        f"(lease expired at {lease_expires_at.isoformat()})"
    )


def _expired(record: GenerationRecord, transition: Transition, now: datetime) -> datetime:
    """The running record's lease end, refused unless it is before ``now``."""
    lease = record.lease
    if lease is None:  # pragma: no cover - a running record always holds a lease
        raise _refuse(record, transition, "it holds no lease")
    if not lease.expires_at < now:
        raise _refuse(
            record,
            transition,
            f"its lease runs until {lease.expires_at.isoformat()}: its worker may be at it",
        )
    return lease.expires_at


def interrupt(record: GenerationRecord, *, now: datetime) -> GenerationRecord:
    """A running record someone waited for (not a job) whose lease expired before ``now``:
    ``interrupted``, saying so; it may be resumed or given up."""
    require(record, Transition.INTERRUPT)
    if record.job:
        raise _refuse(
            record,
            Transition.INTERRUPT,
            "it is a job: its worker's death is reaped, not an interruption",
        )
    expired = _expired(record, Transition.INTERRUPT, now)
    return replace(record, status=INTERRUPTED, lease=None, error=interrupted_error(expired))


def retry_error(reason: str, attempts: int, max_attempts: int) -> str:
    """What a job retried after a failure worth retrying says."""
    return f"{reason} (attempt {attempts} of {max_attempts}; retrying)"


def gave_up_error(reason: str, attempts: int) -> str:
    """What a job that failed on its last attempt says."""
    return f"{reason} (gave up after {attempts} attempts)"


def _require_job(record: GenerationRecord, transition: Transition) -> None:
    if not record.job:
        raise _refuse(
            record, transition, "it is not a job: someone waits for it (interrupt or fail it)"
        )


def _again_or_error(
    record: GenerationRecord, *, out: bool, error: str, due_at: datetime, now: datetime
) -> GenerationRecord:
    if out:
        return replace(record, status=ERROR, lease=None, error=error, completed_at=now)
    return replace(record, status=RETRYING, lease=None, error=error, due_at=due_at)


def retry(
    record: GenerationRecord,
    reason: str,
    *,
    max_attempts: int,
    delay_s: float,
    now: datetime,
) -> GenerationRecord:
    """A running job failed in a way worth retrying (``reason``): ``retrying``, due
    ``delay_s`` seconds after ``now`` — or ``error`` once it has had ``max_attempts`` runs."""
    require(record, Transition.RETRY)
    _require_job(record, Transition.RETRY)
    out = record.attempts >= max_attempts
    return _again_or_error(
        record,
        out=out,
        error=(
            gave_up_error(reason, record.attempts)
            if out
            else retry_error(reason, record.attempts, max_attempts)
        ),
        due_at=now + timedelta(seconds=max(0.0, delay_s)),
        now=now,
    )


def reaped_error(worker: str, lease_expires_at: datetime, attempts: int, max_attempts: int) -> str:
    """What a job whose worker died says: retrying, or given up after ``max_attempts``."""
    why = (
        f"its worker {worker} stopped before it finished (lease expired at "
        f"{lease_expires_at.isoformat()})"
    )
    if attempts >= max_attempts:
        return f"{why}; gave up after {attempts} attempts"
    return f"{why}; attempt {attempts} of {max_attempts}, retrying"


def reap(record: GenerationRecord, *, max_attempts: int, now: datetime) -> GenerationRecord:
    """A running job whose lease expired before ``now`` (its worker died): ``retrying``, due at
    once — or ``error`` once it has had ``max_attempts`` runs."""
    require(record, Transition.REAP)
    _require_job(record, Transition.REAP)
    expired = _expired(record, Transition.REAP, now)
    worker = record.lease.worker if record.lease is not None else "?"
    return _again_or_error(
        record,
        out=record.attempts >= max_attempts,
        error=reaped_error(worker, expired, record.attempts, max_attempts),
        due_at=now,
        now=now,
    )


def requeue(record: GenerationRecord, *, now: datetime) -> GenerationRecord:
    """A due ``retrying`` job, or a ``queued`` one whose message may be lost, handed to the
    queue (again) ``now``: ``queued``."""
    require(record, Transition.REQUEUE)
    if record.status is RETRYING and record.due_at is not None and record.due_at > now:
        raise _refuse(
            record,
            Transition.REQUEUE,
            f"it may run again from {record.due_at.isoformat()}, not before",
        )
    return replace(record, status=QUEUED, due_at=now)


def give_up(record: GenerationRecord, reason: str, *, now: datetime) -> GenerationRecord:
    """A waiting record (``queued``, ``retrying`` or ``interrupted``) given up: ``error`` with
    ``reason``, finished ``now``."""
    require(record, Transition.GIVE_UP)
    if not reason:
        raise ValueError("giving up says why")
    return replace(record, status=ERROR, error=reason, completed_at=now)


# --------------------------------------------------------------------------- finished records


def rescore(record: GenerationRecord, adherence: Adherence | None) -> GenerationRecord:
    """A successful record's image checked again: its new ``adherence``."""
    require(record, Transition.RESCORE)
    return replace(record, adherence=adherence)


def remove(record: GenerationRecord) -> GenerationRecord:
    """The record, when it may be deleted: finished, or interrupted and given up on."""
    require(record, Transition.REMOVE)
    return record
