"""The adherence gate: make an image, read its light back, and re-roll with a new seed while it
falls short of a bar, within a budget of attempts and dollars.

Pure data and rules, no I/O: :class:`GatePolicy` (the bar, 0–1; at most ``max_attempts``; at
most ``max_cost_usd`` US dollars), :class:`GateAttempt` (one attempt as the gate sees it: its
generation, seed, status, score and cost), :func:`gate_outcome` (whether another attempt is due,
or why the gate stopped), :func:`attempt_seed` (the seed of attempt *i*, derived from the first
so that any process continuing a gate picks the same one), :func:`best_attempt` and
:class:`GateReport` (what a caller is shown).

The budget is enforced before an attempt is made: another is due only while fewer than
``max_attempts`` have been made and the dollars spent plus one more image's price stay within
``max_cost_usd``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lightrig.models.base import RequestModel
from lightrig.models.params import MAX_SEED
from lightrig.models.status import GenerationStatus
from lightrig.models.values import NUMBER

__all__ = [
    "DEFAULT_GATE_ATTEMPTS",
    "MAX_GATE_ATTEMPTS",
    "GateAttempt",
    "GateOutcome",
    "GatePolicy",
    "GateReport",
    "attempt_seed",
    "best_attempt",
    "gate_outcome",
]

#: Attempts a gate makes when not told (the first and two re-rolls).
DEFAULT_GATE_ATTEMPTS = 3
#: The most attempts one gate may make.
MAX_GATE_ATTEMPTS = 10
#: An odd constant near 2³²/φ: consecutive attempts' seeds land far apart.
_SEED_STRIDE = 2_654_435_761
#: Dollars of slack when comparing sums of prices with the cap (float sums of cents).
_CENTS_SLACK = 1e-9
#: Statuses of an attempt still in hand.
_FINISHED = frozenset({GenerationStatus.SUCCESS, GenerationStatus.ERROR})


class GatePolicy(RequestModel):
    """When an image is good enough, and what may be spent finding one.

    ``min_adherence``: the bar, 0–1 (the verifier's overall score). ``max_attempts``: images made
    at most, 1–10, the first included. ``max_cost_usd``: US dollars spent at most on the gate's
    images (none: no cap).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    min_adherence: Annotated[
        float,
        Field(
            ge=0.0,
            le=1.0,
            description="The bar: the overall adherence score (0–1) an image must reach.",
        ),
        NUMBER,
    ]
    max_attempts: Annotated[
        int,
        Field(
            ge=1,
            le=MAX_GATE_ATTEMPTS,
            description="Images made at most, the first included (1–10).",
        ),
        NUMBER,
    ] = DEFAULT_GATE_ATTEMPTS
    max_cost_usd: Annotated[
        float | None,
        Field(
            ge=0.0,
            description="US dollars spent at most on the gate's images; an attempt that would "
            "pass it is not made. Null: no cap.",
        ),
        NUMBER,
    ] = None


class GateOutcome(StrEnum):
    """Where a gate stands: still going, or why it stopped."""

    #: an attempt is in hand, or another is due
    RUNNING = "running"
    #: an image reached the bar
    PASSED = "passed"
    #: ``max_attempts`` images were made, none reached the bar
    EXHAUSTED = "attempts_exhausted"
    #: one more image would pass ``max_cost_usd``
    BUDGET = "budget"
    #: the last attempt failed (the host refused or failed it)
    FAILED = "failed"


class GateAttempt(BaseModel):
    """One attempt of a gate: its generation, place (0 = the first), seed, status, overall
    adherence score (0–1; none until checked, or when the light could not be read) and cost
    (US dollars; 0 until known)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    generation_id: str
    index: Annotated[int, Field(ge=0)]
    seed: int | None = None
    status: GenerationStatus
    score: Annotated[float | None, Field(ge=0.0, le=1.0)] = None
    cost_usd: Annotated[float, Field(ge=0.0)] = 0.0

    @property
    def finished(self) -> bool:
        """``success`` or ``error``."""
        return self.status in _FINISHED

    def passes(self, policy: GatePolicy) -> bool:
        """A success whose score reaches the bar."""
        return (
            self.status is GenerationStatus.SUCCESS
            and self.score is not None
            and self.score >= policy.min_adherence
        )


def attempt_seed(first_seed: int, index: int) -> int:
    """The seed of attempt ``index`` (0 = the first, which keeps ``first_seed``): the same for
    every process that continues the gate, 0 – 2³¹−1."""
    if index < 0:
        raise ValueError(f"an attempt's index is not negative, not {index}")
    return (first_seed + index * _SEED_STRIDE) % (MAX_SEED + 1)


def gate_outcome(
    policy: GatePolicy, attempts: Sequence[GateAttempt], price_usd: float
) -> GateOutcome:
    """Where a gate stands after ``attempts`` (in order), one more image costing ``price_usd``
    US dollars: :attr:`GateOutcome.RUNNING` while the last is in hand or another is due (none
    made yet, none passed, the budget allows one more), else why it stopped."""
    if not attempts or not attempts[-1].finished:
        return GateOutcome.RUNNING
    if any(attempt.passes(policy) for attempt in attempts):
        return GateOutcome.PASSED
    if attempts[-1].status is GenerationStatus.ERROR:
        return GateOutcome.FAILED
    if len(attempts) >= policy.max_attempts:
        return GateOutcome.EXHAUSTED
    spent = sum(attempt.cost_usd for attempt in attempts)
    if policy.max_cost_usd is not None and spent + price_usd > policy.max_cost_usd + _CENTS_SLACK:
        return GateOutcome.BUDGET
    return GateOutcome.RUNNING


def best_attempt(attempts: Sequence[GateAttempt]) -> GateAttempt | None:
    """The successful attempt with the highest score (an unscored one ranks below any scored;
    the earliest among equals); ``None`` when none succeeded."""
    succeeded = [a for a in attempts if a.status is GenerationStatus.SUCCESS]
    if not succeeded:
        return None
    return max(succeeded, key=lambda a: (a.score is not None, a.score or 0.0, -a.index))


class GateReport(BaseModel):
    """What a gate did: its policy, every attempt in order, where it stands (``outcome``), the
    best image so far (``best_id``), the attempts made and the US dollars spent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gate_id: Annotated[str, Field(description="The gate's id: its first attempt's generation.")]
    policy: GatePolicy
    attempts: list[GateAttempt]
    outcome: Annotated[
        GateOutcome,
        Field(
            description="running; or why it stopped: passed, attempts_exhausted, budget, failed."
        ),
    ]
    best_id: Annotated[
        str | None,
        Field(description="The generation with the highest score among the successes."),
    ] = None
    attempts_used: Annotated[int, Field(ge=0)] = 0
    cost_usd: Annotated[float, Field(ge=0.0, description="US dollars spent on its images.")] = 0.0

    @classmethod
    def of(
        cls, gate_id: str, policy: GatePolicy, attempts: Sequence[GateAttempt], price_usd: float
    ) -> GateReport:
        """The report of ``attempts`` (in order), one more image costing ``price_usd``."""
        best = best_attempt(attempts)
        return cls(
            gate_id=gate_id,
            policy=policy,
            attempts=list(attempts),
            outcome=gate_outcome(policy, attempts, price_usd),
            best_id=None if best is None else best.generation_id,
            attempts_used=len(attempts),
            cost_usd=round(sum(attempt.cost_usd for attempt in attempts), 6),
        )
