"""Generation records and their lifecycle: every transition from every status (legal ones give
the record expected, illegal ones raise and change nothing), random sequences of transitions
that never reach an inconsistent record, and the conversions to the public shape and to rows."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.backends.base import GenerationParams
from lightrig.errors import IllegalTransitionError, StaleRecordError
from lightrig.fibo.compile import compile_prompt
from lightrig.models.adherence import Adherence
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.presets import PRESETS
from lightrig.records import (
    Draft,
    GenerationRecord,
    StoredImage,
    from_response,
    from_row,
    inconsistencies,
    lifecycle,
    to_response,
    to_row,
)
from lightrig.records.convert import COLUMNS, params_from_document
from lightrig.records.lifecycle import SOURCES, Transition

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lightrig"

QUEUED = GenerationStatus.QUEUED
RUNNING = GenerationStatus.RUNNING
SUCCESS = GenerationStatus.SUCCESS
ERROR = GenerationStatus.ERROR
INTERRUPTED = GenerationStatus.INTERRUPTED
RETRYING = GenerationStatus.RETRYING

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE_S = 30.0
#: Later than every lease and retry delay of the records below: leases have run out, retries
#: are due.
LATER = T0 + timedelta(hours=1)
IMAGE = StoredImage(
    url="file:///data/images/k.png", key="k.png", media_type="image/png", width=64, height=64
)
SCORE = Adherence(overall=0.5, verdict="partly follows", scores=[], findings=[])


def make_draft(generation_id: str = "g") -> Draft:
    request = PRESETS["loop"].request()
    return Draft(
        generation_id=generation_id,
        created_at=T0,
        user_id="ada",
        request=request,
        structured_prompt=compile_prompt(request),
        analysis=LightingAnalyzer().analyze(request),
        backend="bria",
        params=GenerationParams(seed=7, steps=30, negative_prompt={"style_medium": "cartoon"}),
    )


DRAFT = make_draft()


def _start() -> GenerationRecord:
    return lifecycle.start(DRAFT, worker="w1", lease_s=LEASE_S, now=T0)


def _claimed_job() -> GenerationRecord:
    return lifecycle.claim(lifecycle.queue(DRAFT, now=T0), worker="w1", lease_s=LEASE_S, now=T0)


#: A record in each status (running twice: waited for, and a job), reached by legal steps.
STATES: dict[str, Callable[[], GenerationRecord]] = {
    "queued": lambda: lifecycle.queue(DRAFT, now=T0),
    "running": _start,
    "running job": _claimed_job,
    "success": lambda: lifecycle.complete(_start(), image=IMAGE, cost_usd=0.04, now=T0),
    "error": lambda: lifecycle.fail(_start(), "host refused", now=T0),
    "interrupted": lambda: lifecycle.interrupt(_start(), now=LATER - timedelta(minutes=30)),
    "retrying": lambda: lifecycle.retry(
        _claimed_job(), "503", max_attempts=3, delay_s=60.0, now=T0
    ),
}

#: Each transition, applied at LATER with ordinary arguments.
APPLY: dict[Transition, Callable[[GenerationRecord], GenerationRecord]] = {
    Transition.CLAIM: lambda r: lifecycle.claim(r, worker="w2", lease_s=LEASE_S, now=LATER),
    Transition.RESUME: lambda r: lifecycle.resume(r, worker="w2", lease_s=LEASE_S, now=LATER),
    Transition.NOTE_SUBMISSION: lambda r: lifecycle.note_submission(r, "host-1"),
    Transition.CHARGE: lambda r: lifecycle.charge(r, possible_duplicates=1, cost_usd=0.08),
    Transition.COMPLETE: lambda r: lifecycle.complete(
        r, image=IMAGE, cost_usd=0.04, adherence=SCORE, duration_s=2.0, now=LATER
    ),
    Transition.FAIL: lambda r: lifecycle.fail(r, "timed out", now=LATER, duration_s=3.0),
    Transition.INTERRUPT: lambda r: lifecycle.interrupt(r, now=LATER),
    Transition.RETRY: lambda r: lifecycle.retry(r, "429", max_attempts=3, delay_s=10.0, now=LATER),
    Transition.REAP: lambda r: lifecycle.reap(r, max_attempts=3, now=LATER),
    Transition.REQUEUE: lambda r: lifecycle.requeue(r, now=LATER),
    Transition.GIVE_UP: lambda r: lifecycle.give_up(r, "cancelled", now=LATER),
    Transition.RESCORE: lambda r: lifecycle.rescore(r, SCORE),
    Transition.REMOVE: lifecycle.remove,
}

#: Which of STATES each transition is legal from, written out by hand.
LEGAL: dict[Transition, set[str]] = {
    Transition.CLAIM: {"queued", "interrupted", "retrying"},
    Transition.RESUME: {"queued", "interrupted"},
    Transition.NOTE_SUBMISSION: {"running", "running job"},
    Transition.CHARGE: {"running", "running job"},
    Transition.COMPLETE: {"running", "running job", "interrupted"},
    Transition.FAIL: {"running", "running job", "interrupted"},
    Transition.INTERRUPT: {"running"},  # a job's dead worker is reaped instead
    Transition.RETRY: {"running job"},
    Transition.REAP: {"running job"},
    Transition.REQUEUE: {"queued", "retrying"},
    Transition.GIVE_UP: {"queued", "interrupted", "retrying"},
    Transition.RESCORE: {"success"},
    Transition.REMOVE: {"success", "error", "interrupted"},
}


def expect(transition: Transition, before: GenerationRecord, after: GenerationRecord) -> None:
    """What ``transition`` changed from ``before`` to ``after`` — and that it changed nothing
    of what was asked."""
    asked = ("generation_id", "user_id", "request", "structured_prompt", "params", "created_at")
    for name in asked:
        assert getattr(after, name) == getattr(before, name), name
    started = transition in (Transition.CLAIM, Transition.RESUME)
    assert after.attempts == before.attempts + (1 if started else 0)
    if started:
        assert after.status is RUNNING
        assert after.lease is not None
        assert after.lease.worker == "w2"
        assert after.lease.expires_at == LATER + timedelta(seconds=LEASE_S)
        assert after.error is None
        assert after.started_at == (before.started_at or LATER)
    elif transition is Transition.NOTE_SUBMISSION:
        assert after == replace(before, backend_request_id="host-1")
    elif transition is Transition.CHARGE:
        assert after == replace(before, possible_duplicates=1, cost_usd=0.08)
    elif transition is Transition.COMPLETE:
        assert after == replace(
            before,
            status=SUCCESS,
            lease=None,
            image=IMAGE,
            cost_usd=0.04,
            adherence=SCORE,
            duration_s=2.0,
            error=None,
            completed_at=LATER,
        )
    elif transition is Transition.FAIL:
        assert after == replace(
            before,
            status=ERROR,
            lease=None,
            error="timed out",
            duration_s=3.0,
            completed_at=LATER,
        )
    elif transition is Transition.INTERRUPT:
        assert before.lease is not None
        assert after == replace(
            before,
            status=INTERRUPTED,
            lease=None,
            error=lifecycle.interrupted_error(before.lease.expires_at),
        )
    elif transition is Transition.RETRY:
        assert after == replace(
            before,
            status=RETRYING,
            lease=None,
            error="429 (attempt 1 of 3; retrying)",
            due_at=LATER + timedelta(seconds=10),
        )
    elif transition is Transition.REAP:
        assert before.lease is not None
        assert after.status is RETRYING
        assert after.due_at == LATER
        assert after.lease is None
        assert after.error == lifecycle.reaped_error("w1", before.lease.expires_at, 1, 3)
    elif transition is Transition.REQUEUE:
        assert after == replace(before, status=QUEUED, due_at=LATER)
    elif transition is Transition.GIVE_UP:
        assert after == replace(before, status=ERROR, error="cancelled", completed_at=LATER)
    elif transition is Transition.RESCORE:
        assert after == replace(before, adherence=SCORE)
    elif transition is Transition.REMOVE:
        assert after is before


def test_the_table_covers_every_transition_and_status() -> None:
    assert set(APPLY) == set(Transition) == set(LEGAL) == set(SOURCES)
    assert {record().status for record in STATES.values()} == set(GenerationStatus)
    for transition, labels in LEGAL.items():
        # the hand-written table agrees with the module's
        assert {STATES[label]().status for label in labels} == set(SOURCES[transition])


def test_the_states_are_consistent() -> None:
    for label, make in STATES.items():
        assert inconsistencies(make()) == [], label


@pytest.mark.parametrize("transition", list(Transition))
@pytest.mark.parametrize("label", list(STATES))
def test_every_transition_from_every_status(label: str, transition: Transition) -> None:
    before = STATES[label]()
    if label in LEGAL[transition]:
        after = APPLY[transition](before)
        expect(transition, before, after)
        assert inconsistencies(after) == []
        return
    with pytest.raises(IllegalTransitionError) as refused:
        APPLY[transition](before)
    error = refused.value
    assert isinstance(error, ValueError)
    assert isinstance(error, StaleRecordError)
    assert error.generation_id == "g"
    assert error.status == before.status.value
    assert error.transition == transition.value
    assert error.allowed == tuple(status.value for status in SOURCES[transition])
    assert str(error).startswith(f"generation g is {before.status.value}; ")
    assert before == STATES[label]()  # nothing changed


def test_refusals_say_what_is_allowed() -> None:
    done = STATES["success"]()
    with pytest.raises(IllegalTransitionError) as refused:
        lifecycle.resume(done, worker="w", lease_s=1.0, now=LATER)
    assert str(refused.value) == (
        "generation g is success; only an interrupted or queued generation can be resumed"
    )
    with pytest.raises(IllegalTransitionError, match="only a queued, retrying or interrupted"):
        lifecycle.give_up(done, "no", now=LATER)
    with pytest.raises(IllegalTransitionError, match="only a successful generation can be"):
        lifecycle.rescore(STATES["error"](), None)


def test_the_conditions_beyond_the_status() -> None:
    retrying = STATES["retrying"]()
    assert retrying.due_at == T0 + timedelta(seconds=60)
    early_ones: tuple[Callable[[], GenerationRecord], ...] = (
        lambda: lifecycle.claim(retrying, worker="w", lease_s=1.0, now=T0),
        lambda: lifecycle.requeue(retrying, now=T0),
    )
    for early in early_ones:
        with pytest.raises(IllegalTransitionError, match="may run again from"):
            early()
    assert lifecycle.claim(retrying, worker="w", lease_s=1.0, now=retrying.due_at).attempts == 2

    running = STATES["running"]()
    assert running.lease is not None
    for alive in (running.lease.expires_at, T0):  # expired means before now, not at it
        with pytest.raises(IllegalTransitionError, match="its lease runs until"):
            lifecycle.interrupt(running, now=alive)
    with pytest.raises(IllegalTransitionError, match="not a job"):
        lifecycle.reap(running, max_attempts=3, now=LATER)
    with pytest.raises(IllegalTransitionError, match="is a job"):
        lifecycle.interrupt(STATES["running job"](), now=LATER)

    noted = lifecycle.note_submission(running, "host-1")
    assert lifecycle.note_submission(noted, "host-1") is noted
    with pytest.raises(IllegalTransitionError, match="host-1 already"):
        lifecycle.note_submission(noted, "host-2")

    empty = Draft(generation_id="x", created_at=T0)
    with pytest.raises(ValueError, match="nothing to run"):
        lifecycle.start(empty, worker="w", lease_s=1.0, now=T0)
    for refusal in (lifecycle.queue(empty, now=T0), lifecycle.refuse(empty, "bad", now=T0)):
        if refusal.status is QUEUED:
            with pytest.raises(IllegalTransitionError, match="nothing to run"):
                lifecycle.claim(refusal, worker="w", lease_s=1.0, now=T0)
        else:
            assert refusal.attempts == 0
            assert inconsistencies(refusal) == []
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError, match="positive"):
            lifecycle.start(DRAFT, worker="w", lease_s=bad, now=T0)
    with pytest.raises(ValueError, match="says why"):
        lifecycle.fail(running, "", now=LATER)
    with pytest.raises(ValueError, match="not negative"):
        lifecycle.charge(running, possible_duplicates=-1, cost_usd=0.0)


def test_a_job_gives_up_after_its_last_attempt() -> None:
    job = lifecycle.queue(DRAFT, now=T0)
    now = T0
    for attempt in (1, 2, 3):
        job = lifecycle.claim(job, worker=f"w{attempt}", lease_s=LEASE_S, now=now)
        assert job.attempts == attempt
        job = lifecycle.retry(job, "503", max_attempts=3, delay_s=1.0, now=now)
        now += timedelta(seconds=10)
        if attempt < 3:
            assert job.status is RETRYING
            job = lifecycle.requeue(job, now=now)
    assert job.status is ERROR
    assert job.error == "503 (gave up after 3 attempts)"
    assert job.completed_at is not None
    assert inconsistencies(job) == []


def test_inconsistencies_are_found() -> None:
    ok = STATES["running"]()
    assert inconsistencies(replace(ok, lease=None)) == ["a running record without a lease"]
    assert "a success record without an image" in inconsistencies(
        replace(STATES["success"](), image=None)
    )
    assert "queued but not a job" in inconsistencies(replace(STATES["queued"](), job=False))
    assert "completed_at before started_at" in inconsistencies(
        replace(STATES["error"](), completed_at=T0 - timedelta(seconds=1))
    )
    assert "attempts is negative (-1)" in inconsistencies(replace(ok, attempts=-1))


# --------------------------------------------------------------------------- random sequences

_ARGUMENTS = st.fixed_dictionaries(
    {
        "seconds": st.floats(min_value=0.0, max_value=120.0),
        "lease_s": st.floats(min_value=0.5, max_value=60.0),
        "delay_s": st.floats(min_value=0.0, max_value=60.0),
        "max_attempts": st.integers(min_value=1, max_value=4),
        "duplicates": st.integers(min_value=0, max_value=3),
        "cached": st.booleans(),
        "request_id": st.sampled_from(["host-1", "host-2"]),
    }
)


def _step(
    record: GenerationRecord, transition: Transition, a: dict[str, Any], now: datetime
) -> GenerationRecord:
    worker = f"w{record.attempts + 1}"
    steps: dict[Transition, Callable[[], GenerationRecord]] = {
        Transition.CLAIM: lambda: lifecycle.claim(
            record, worker=worker, lease_s=a["lease_s"], now=now
        ),
        Transition.RESUME: lambda: lifecycle.resume(
            record, worker=worker, lease_s=a["lease_s"], now=now
        ),
        Transition.NOTE_SUBMISSION: lambda: lifecycle.note_submission(record, a["request_id"]),
        Transition.CHARGE: lambda: lifecycle.charge(
            record, possible_duplicates=a["duplicates"], cost_usd=0.04 * (1 + a["duplicates"])
        ),
        Transition.COMPLETE: lambda: lifecycle.complete(
            record,
            image=IMAGE,
            cost_usd=0.0 if a["cached"] else 0.04,
            cached=a["cached"],
            request_id=a["request_id"],
            duration_s=a["seconds"],
            now=now,
        ),
        Transition.FAIL: lambda: lifecycle.fail(record, "failed", now=now),
        Transition.INTERRUPT: lambda: lifecycle.interrupt(record, now=now),
        Transition.RETRY: lambda: lifecycle.retry(
            record, "503", max_attempts=a["max_attempts"], delay_s=a["delay_s"], now=now
        ),
        Transition.REAP: lambda: lifecycle.reap(record, max_attempts=a["max_attempts"], now=now),
        Transition.REQUEUE: lambda: lifecycle.requeue(record, now=now),
        Transition.GIVE_UP: lambda: lifecycle.give_up(record, "given up", now=now),
        Transition.RESCORE: lambda: lifecycle.rescore(record, SCORE),
        Transition.REMOVE: lambda: lifecycle.remove(record),
    }
    return steps[transition]()


@settings(max_examples=400)
@given(job=st.booleans(), length=st.integers(min_value=0, max_value=40), data=st.data())
def test_no_sequence_of_transitions_reaches_an_inconsistent_record(
    job: bool, length: int, data: st.DataObject
) -> None:
    """Random walks: each step mostly a transition the status allows (so that every corner is
    reached), sometimes any one (so that refusals are met too); most end soon after the work
    finished."""
    now = T0
    record = (
        lifecycle.queue(DRAFT, now=now)
        if job
        else lifecycle.start(DRAFT, worker="w0", lease_s=LEASE_S, now=now)
    )
    assert inconsistencies(record) == []
    for _ in range(length):
        if record.finished and data.draw(st.integers(min_value=0, max_value=3)):
            break  # little more happens to finished work: end most walks there
        allowed = [t for t in Transition if record.status in SOURCES[t]]
        anything = data.draw(st.integers(min_value=0, max_value=4)) == 0
        transition = data.draw(st.sampled_from(list(Transition) if anything else allowed))
        arguments = data.draw(_ARGUMENTS)
        now += timedelta(seconds=arguments["seconds"])
        refused: IllegalTransitionError | None = None
        try:
            after = _step(record, transition, arguments, now)
        except IllegalTransitionError as error:
            refused = error
        if refused is not None:
            assert refused.transition == transition.value
            assert refused.status == record.status.value
            continue
        assert record.status in SOURCES[transition]
        assert inconsistencies(after) == [], (transition, after)
        assert after.job is record.job  # a record never turns into a job or out of one
        started = transition in (Transition.CLAIM, Transition.RESUME)
        assert after.attempts == record.attempts + (1 if started else 0)
        assert from_row(to_row(after)) == after  # and every record a row can hold
        record = after


# --------------------------------------------------------------------------- conversions


def test_the_public_shape_and_back() -> None:
    done = lifecycle.complete(
        lifecycle.note_submission(_start(), "host-9"),
        image=IMAGE,
        cost_usd=0.08,
        possible_duplicates=1,
        adherence=SCORE,
        duration_s=1.5,
        now=T0 + timedelta(seconds=2),
    )
    shown = to_response(done)
    assert isinstance(shown, GenerationResponse)
    assert shown.seed == 7
    assert DRAFT.params is not None
    assert shown.params == DRAFT.params.describe()
    assert (shown.image_url, shown.image_key, shown.width) == (IMAGE.url, IMAGE.key, 64)
    assert (shown.attempts, shown.backend_request_id, shown.possible_duplicates) == (
        1,
        "host-9",
        1,
    )
    # the bookkeeping the public shape leaves out is all that is lost
    assert from_response(shown) == replace(done, started_at=None)
    assert json.loads(shown.model_dump_json())["params"]["negative_prompt"] == {
        "style_medium": "cartoon"
    }


def test_rows_hold_every_column_and_leases_only_while_running() -> None:
    running = _start()
    row = to_row(running)
    assert tuple(row) == COLUMNS
    assert row["worker"] == "w1"
    assert row["seed"] == 7
    assert row["status"] == "running"
    assert running.params is not None
    assert row["params"] == running.params.describe()
    assert from_row(row) == running
    # an interrupted record's lease columns linger in the table; the record holds no lease
    interrupted = STATES["interrupted"]()
    lingering = {**to_row(interrupted), "worker": "w1", "lease_expires_at": LATER}
    assert from_row(lingering) == interrupted
    assert to_row(running, ["id", "status"]) == {"id": "g", "status": "running"}


def test_params_documents_are_read_with_the_models_own_defaults() -> None:
    assert params_from_document({"seed": 3}) == GenerationParams(seed=3)
    assert params_from_document({"seed": "3", "steps": 20}).steps == 20
    with pytest.raises(ValueError, match="weights not among"):
        params_from_document({"seed": 3, "weights": [1.0]})
    with pytest.raises(ValueError, match="seed"):
        params_from_document({"steps": 3})


# --------------------------------------------------------------------------- the layers


def test_records_load_no_heavy_library() -> None:
    probe = (
        "import sys, json, lightrig.records; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(json.loads(done.stdout))
    heavy = {"numpy", "numba", "PIL", "httpx", "sqlalchemy", "redis", "fastapi", "scipy"}
    assert not loaded & heavy


def _record_state_writes(path: Path) -> list[str]:
    """Calls in ``path`` that set a record's status or attempts by hand: ``replace``,
    ``model_copy``, or a record's constructor given ``status``, ``attempts`` or an ``update``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in ("replace", "model_copy", "GenerationRecord", "GenerationResponse"):
            continue
        keywords = {keyword.arg for keyword in node.keywords}
        if keywords & {"status", "attempts", "update"}:
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_the_service_and_the_runner_change_records_only_through_the_lifecycle() -> None:
    paths = sorted((SOURCE / "service").glob("*.py"))
    assert SOURCE / "service" / "runner.py" in paths
    assert [where for path in paths for where in _record_state_writes(path)] == []
    # the check sees what it looks for
    assert _record_state_writes(SOURCE / "records" / "lifecycle.py")
