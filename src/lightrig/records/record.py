"""A generation's record as lightrig keeps it: what was asked, where it stands, what came of it.

:class:`Draft` is a generation as asked for, before it is recorded: its id, owner, scene
request, structured prompt, analysis, backend and typed :class:`GenerationParams`, and its place
(the generation it re-lights, its batch and index, the adherence gate it is an attempt of and
its place there), and for a photograph re-lit, the photograph (``source``).
:class:`GenerationRecord` is a draft
recorded: the draft's fields, which never change once recorded, plus its run — status,
attempts, the worker's :class:`Lease`, the host's id for the job, the :class:`StoredImage`,
cost, possible duplicates, adherence, error and times.

Records are immutable; they change only through the transitions of
:mod:`lightrig.records.lifecycle`, each returning a new record. :func:`inconsistencies` says what
is wrong with a record whose fields contradict one another (a running record without a lease, a
success without an image, ...): no sequence of transitions reaches one.

Times are aware UTC datetimes; durations in seconds; costs in US dollars; pixels for sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from lightrig.models.adherence import Adherence
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.gate import GatePolicy
from lightrig.models.generation import GenerationStatus
from lightrig.models.params import GenerationParams
from lightrig.models.scene import SceneRequest

__all__ = ["Draft", "GenerationRecord", "Lease", "StoredImage", "inconsistencies"]

#: Statuses of finished work: ``completed_at`` is set exactly for them.
FINISHED = frozenset({GenerationStatus.SUCCESS, GenerationStatus.ERROR})
#: Statuses only a job (a record added ``queued``, run by the job queue) can be in.
JOB_ONLY = frozenset({GenerationStatus.QUEUED, GenerationStatus.RETRYING})
#: Statuses that say why in ``error``.
EXPLAINED = frozenset(
    {GenerationStatus.ERROR, GenerationStatus.INTERRUPTED, GenerationStatus.RETRYING}
)
#: Statuses a record reaches only after a run started.
RAN = frozenset(
    {
        GenerationStatus.RUNNING,
        GenerationStatus.SUCCESS,
        GenerationStatus.INTERRUPTED,
        GenerationStatus.RETRYING,
    }
)


@dataclass(frozen=True, slots=True)
class Lease:
    """A running record's hold: the worker running it (``host:pid:random``) and when its hold
    ends unless renewed (UTC)."""

    worker: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class StoredImage:
    """Where a generation's image is kept: its URL, its content-addressed storage key, its media
    type (``image/png``...) and its size in pixels."""

    url: str
    key: str
    media_type: str
    width: int
    height: int


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A generation as asked for, before it is recorded (see the module docstring).

    ``request``, ``structured_prompt``, ``analysis`` and ``params`` are ``None`` only for an
    item that could not be understood (a batch item refused as invalid): such a draft cannot
    run. ``created_at`` is when it was asked for (UTC). ``gate``, ``gate_id`` and
    ``gate_index`` are set together, for an attempt of an adherence gate
    (:mod:`lightrig.models.gate`): its policy, the gate's first attempt's id and its place (0 for
    that first one).
    ``source``: the stored photograph it re-lights, for a relight (its image is the photograph
    edited to the request's light).
    """

    generation_id: str
    created_at: datetime
    user_id: str | None = None
    request: SceneRequest | None = None
    structured_prompt: dict[str, Any] | None = None
    analysis: LightingAnalysis | None = None
    backend: str | None = None
    params: GenerationParams | None = None
    parent_id: str | None = None
    batch_id: str | None = None
    batch_index: int | None = None
    gate: GatePolicy | None = None
    gate_id: str | None = None
    gate_index: int | None = None
    source: StoredImage | None = None

    @property
    def seed(self) -> int | None:
        """The generation's seed (0 – 2³¹−1), when it has parameters."""
        return None if self.params is None else self.params.seed

    @property
    def runnable(self) -> bool:
        """Whether it has everything a backend needs: request, prompt, backend and parameters."""
        return (
            self.request is not None
            and self.structured_prompt is not None
            and self.backend is not None
            and self.params is not None
        )


@dataclass(frozen=True, kw_only=True)
class GenerationRecord(Draft):
    """A recorded generation: its :class:`Draft` fields and its run (see the module docstring).

    ``status``: where it stands. ``attempts``: runs started. ``lease``: the worker's hold,
    exactly while ``running``. ``started_at``: when its first run started (UTC). ``job``: it was
    added ``queued``, to be run by the job queue; ``due_at``: when a waiting job was last handed
    to the queue, or when a retrying one may run again (UTC). ``backend_request_id``: the host's
    id for the job, noted as soon as the host took it. ``image``: exactly for a success.
    ``cached``: answered from the result cache. ``cost_usd``: US dollars, one price per
    submission the host may have billed. ``possible_duplicates``: submissions beyond one that the
    host may also have billed. ``duration_s``: wall time of the run that finished it, in seconds.
    ``adherence``: how well the image follows the requested light, when checked. ``error``: why
    it failed, was interrupted or is to run again. ``completed_at``: exactly for finished work.
    """

    status: GenerationStatus
    attempts: int = 0
    lease: Lease | None = None
    started_at: datetime | None = None
    job: bool = False
    due_at: datetime | None = None
    backend_request_id: str | None = None
    image: StoredImage | None = None
    cached: bool = False
    cost_usd: float | None = None
    possible_duplicates: int = 0
    duration_s: float | None = None
    adherence: Adherence | None = None
    error: str | None = None
    completed_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """``success`` or ``error``."""
        return self.status in FINISHED


def inconsistencies(record: GenerationRecord) -> list[str]:
    """What contradicts itself in ``record``, one phrase each; empty for a consistent record.

    A consistent record: counts and amounts are not negative; it holds a lease exactly while
    ``running``, and a running one has started; it has an image exactly when it succeeded (and
    a cached one has an image); finished work, and only that, has ``completed_at``; errors,
    interruptions and retries say why, and a success does not carry an error; only jobs wait
    (``queued``, ``retrying``) and they know when they are due, while an interrupted record is
    never a job (jobs are retried instead); a record that ran or has a host's id has an
    attempt; its times run in order (asked, started, finished).
    """
    found: list[str] = []
    status = record.status
    if record.attempts < 0:
        found.append(f"attempts is negative ({record.attempts})")
    if record.possible_duplicates < 0:
        found.append(f"possible_duplicates is negative ({record.possible_duplicates})")
    if record.cost_usd is not None and record.cost_usd < 0:
        found.append(f"cost_usd is negative ({record.cost_usd})")
    if record.duration_s is not None and record.duration_s < 0:
        found.append(f"duration_s is negative ({record.duration_s})")
    if (status is GenerationStatus.RUNNING) != (record.lease is not None):
        found.append(f"a {status} record {'without' if record.lease is None else 'with'} a lease")
    if status is GenerationStatus.RUNNING and record.started_at is None:
        found.append("running but never started")
    if (status is GenerationStatus.SUCCESS) != (record.image is not None):
        found.append(f"a {status} record {'without' if record.image is None else 'with'} an image")
    if record.cached and record.image is None:
        found.append("cached without an image")
    if (status in FINISHED) != (record.completed_at is not None):
        found.append(
            f"a {status} record {'without' if record.completed_at is None else 'with'} completed_at"
        )
    if status in EXPLAINED and not record.error:
        found.append(f"{status} without saying why")
    if status is GenerationStatus.SUCCESS and record.error is not None:
        found.append("a success with an error")
    if status in JOB_ONLY and not record.job:
        found.append(f"{status} but not a job")
    if status in JOB_ONLY and record.due_at is None:
        found.append(f"{status} without due_at")
    if status is GenerationStatus.INTERRUPTED and record.job:
        found.append("an interrupted job (a job whose worker stopped is retried)")
    if status in RAN and record.attempts < 1:
        found.append(f"{status} without an attempt")
    if record.backend_request_id is not None and record.attempts < 1:
        found.append("a host's id without an attempt")
    gated = (record.gate is not None, record.gate_id is not None, record.gate_index is not None)
    if any(gated) and not all(gated):
        found.append("part of a gate's fields without the rest")
    if record.gate_index is not None and record.gate_index < 0:
        found.append(f"gate_index is negative ({record.gate_index})")
    times = [
        ("created_at", record.created_at),
        ("started_at", record.started_at),
        ("completed_at", record.completed_at),
    ]
    known = [(name, when) for name, when in times if when is not None]
    for (earlier, first), (later, second) in pairwise(known):
        if second < first:
            found.append(f"{later} before {earlier}")
    return found
