"""The adherence gate: below the bar an image is made again with a new seed, within the attempts
and the cost cap; every attempt is kept as a record of its own, linked to the first; the best is
returned with a report of the attempts and why the gate stopped.

The rules alone; then through the mock Bria host, whose chosen seeds draw the light mirrored
(:meth:`~lightrig.testing.image_host.ImageHostServer.stray_seeds`): a gate carried on while the
caller waits, one handed on from job to job, a batch, a job's worker dying mid-gate (another
worker collects the accepted attempt, submits nothing again, and carries the gate on), a real
``lightrig generate`` killed mid-gate and resumed; and the command line's and the API's refusals.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lightrig.errors import InvalidLightingSetupError
from lightrig.models.gate import (
    GateAttempt,
    GateOutcome,
    GatePolicy,
    GateReport,
    attempt_seed,
    best_attempt,
    gate_outcome,
)
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.service.gating import attempt_id, reroll
from tests.hosts import Host, mock_host
from tests.test_api import Launch, bria_settings, field_locs, launch, poll, problem
from tests.test_cli import bad
from tests.test_crash_recovery import (
    _records,
    database,
    environment,
    recover_once_the_lease_runs_out,
    settings_from,
)

__all__ = ["database", "launch"]  # fixtures used here

BAR = 0.8
PRICE = 0.03  # Bria's price per image in the default table


def attempt(
    index: int, score: float | None, *, cost: float = PRICE, ok: bool = True
) -> GateAttempt:
    return GateAttempt(
        generation_id=f"g{index}",
        index=index,
        seed=index,
        status=GenerationStatus.SUCCESS if ok else GenerationStatus.ERROR,
        score=score,
        cost_usd=cost,
    )


# ----------------------------------------------------------------------------------- the rules


def test_the_gate_stops_for_each_reason_and_goes_on_otherwise() -> None:
    policy = GatePolicy(min_adherence=BAR, max_attempts=3, max_cost_usd=0.07)
    assert gate_outcome(policy, [], PRICE) is GateOutcome.RUNNING
    assert gate_outcome(policy, [attempt(0, 0.5)], PRICE) is GateOutcome.RUNNING
    assert gate_outcome(policy, [attempt(0, 0.85)], PRICE) is GateOutcome.PASSED
    assert gate_outcome(policy, [attempt(0, BAR)], PRICE) is GateOutcome.PASSED  # the bar is met
    # a third image would spend 0.09 > 0.07: stopped before it is made
    assert gate_outcome(policy, [attempt(0, 0.5), attempt(1, 0.5)], PRICE) is GateOutcome.BUDGET
    roomy = policy.model_copy(update={"max_cost_usd": None})
    tried = [attempt(0, 0.5), attempt(1, None), attempt(2, 0.6)]
    assert gate_outcome(roomy, tried, PRICE) is GateOutcome.EXHAUSTED
    assert gate_outcome(roomy, tried[:2], PRICE) is GateOutcome.RUNNING  # unscored: below
    failed = [attempt(0, 0.5), attempt(1, None, ok=False)]
    assert gate_outcome(roomy, failed, PRICE) is GateOutcome.FAILED
    running = attempt(1, None).model_copy(update={"status": GenerationStatus.RUNNING})
    assert gate_outcome(roomy, [attempt(0, 0.5), running], PRICE) is GateOutcome.RUNNING
    # free images (the preview) never meet a cap
    capped = GatePolicy(min_adherence=BAR, max_attempts=5, max_cost_usd=0.0)
    assert gate_outcome(capped, [attempt(0, 0.1, cost=0.0)], 0.0) is GateOutcome.RUNNING


def test_seeds_differ_per_attempt_and_are_the_same_in_every_process() -> None:
    seeds = [attempt_seed(5, index) for index in range(10)]
    assert seeds[0] == 5
    assert len(set(seeds)) == 10
    assert all(0 <= seed <= 2**31 - 1 for seed in seeds)
    assert attempt_seed(2**31 - 1, 3) == attempt_seed(2**31 - 1, 3)
    assert attempt_id("abc", 1) == attempt_id("abc", 1) != attempt_id("abc", 2)
    with pytest.raises(ValueError, match="not negative"):
        attempt_seed(5, -1)


def test_the_best_attempt_is_the_highest_scored_success() -> None:
    tried = [attempt(0, 0.4), attempt(1, None), attempt(2, 0.7), attempt(3, 0.9, ok=False)]
    best = best_attempt(tried)
    assert best is not None
    assert best.generation_id == "g2"
    assert best_attempt([attempt(0, None, ok=False)]) is None
    assert best_attempt([attempt(0, 0.5), attempt(1, 0.5)]).generation_id == "g0"  # type: ignore[union-attr]


def test_the_policy_refuses_what_it_cannot_do() -> None:
    for values in (
        {"min_adherence": 1.5},
        {"min_adherence": -0.1},
        {"min_adherence": 0.5, "max_attempts": 0},
        {"min_adherence": 0.5, "max_attempts": 11},
        {"min_adherence": 0.5, "max_cost_usd": -1},
        {"min_adherence": "0.5"},
    ):
        with pytest.raises(InvalidLightingSetupError):
            GatePolicy(**values)  # type: ignore[arg-type]


def test_reroll_makes_attempts_until_one_passes_with_seeds_of_its_own() -> None:
    scores = {0: 0.3, 1: 0.5, 2: 0.95}
    asked: list[tuple[int, int]] = []

    async def make(index: int, seed: int) -> GateAttempt:
        asked.append((index, seed))
        return attempt(index, scores[index]).model_copy(update={"seed": seed})

    report = asyncio.run(
        reroll(
            GatePolicy(min_adherence=0.9, max_attempts=5), first_seed=7, price_usd=0.01, make=make
        )
    )
    assert asked == [(i, attempt_seed(7, i)) for i in range(3)]
    assert report.outcome is GateOutcome.PASSED
    assert report.best_id == "g2"
    assert report.attempts_used == 3
    assert report.cost_usd == pytest.approx(3 * PRICE)


# ----------------------------------------------------------------------------------- the host


@pytest.fixture
def bria(tmp_path: Path) -> Iterator[Host]:
    """The mock Bria host, drawing pictures large enough to read the light of."""
    with mock_host("bria", image_size=128, latency_s=0.05) as host:
        yield host


def service_on(host: Host, tmp_path: Path, **values: Any) -> LightingGenerationService:
    settings = host.settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'records.db'}")
    return LightingGenerationService(settings.model_copy(update=values))


async def gate_records(service: LightingGenerationService, gate_id: str) -> list[Any]:
    found = await service.store.list_generations(gate_id=gate_id, limit=20)
    return sorted(found, key=lambda record: record.gate_index)


def loop() -> Any:
    return PRESETS["loop"].request()


def assert_report_matches(report: GateReport, records: list[Any]) -> None:
    """Every attempt kept as its own record, as the report shows it."""
    assert [a.generation_id for a in report.attempts] == [r.generation_id for r in records]
    for shown, record in zip(report.attempts, records, strict=True):
        assert record.gate_id == report.gate_id
        assert shown.index == record.gate_index
        assert shown.seed == record.seed
        assert shown.cost_usd == pytest.approx(record.cost_usd)
        assert record.adherence is not None
        assert shown.score == record.adherence.overall


def test_a_stray_seed_is_rerolled_until_one_follows(bria: Host, tmp_path: Path) -> None:
    bria.server.stray_seeds(11, attempt_seed(11, 1))

    async def run() -> tuple[GenerationResponse, list[Any]]:
        async with service_on(bria, tmp_path) as service:
            gate = GatePolicy(min_adherence=BAR, max_attempts=5)
            result = await service.generate_from_lighting_setup(loop(), seed=11, gate=gate)
            assert result.gate is not None
            return result, await gate_records(service, result.gate.gate_id)

    result, records = asyncio.run(run())
    report = result.gate
    assert report is not None
    assert report.outcome is GateOutcome.PASSED
    assert [a.seed for a in report.attempts] == [attempt_seed(11, i) for i in range(3)]
    scores = [a.score for a in report.attempts]
    assert scores[0] is not None
    assert scores[0] < BAR
    assert scores[1] is not None
    assert scores[1] < BAR
    assert scores[2] is not None
    assert scores[2] >= BAR
    assert result.generation_id == report.best_id == records[2].generation_id
    assert result.gate_index == 2
    assert result.seed == attempt_seed(11, 2)
    assert report.gate_id == records[0].generation_id
    assert report.cost_usd == pytest.approx(3 * PRICE)
    assert_report_matches(report, records)
    assert all(r.status is GenerationStatus.SUCCESS for r in records)
    assert bria.server.accepted == 3
    assert set(bria.server.accepted_by_seed.values()) == {1}


def test_a_gated_refine_keeps_the_seed_first_and_rerolls_it_below_the_bar(
    bria: Host, tmp_path: Path
) -> None:
    async def run() -> tuple[GenerationResponse, GenerationResponse]:
        async with service_on(bria, tmp_path) as service:
            earlier = await service.generate_from_lighting_setup(loop(), seed=51)
            bria.server.stray_seeds(51)  # from now on, seed 51 strays
            relit = await service.refine_lighting(
                earlier,
                PRESETS["rembrandt"].request(),
                gate=GatePolicy(min_adherence=BAR, max_attempts=3),
            )
            return earlier, relit

    earlier, relit = asyncio.run(run())
    report = relit.gate
    assert report is not None
    assert report.outcome is GateOutcome.PASSED
    assert [a.seed for a in report.attempts] == [51, attempt_seed(51, 1)]
    assert relit.parent_id == earlier.generation_id
    assert relit.generation_id == report.attempts[1].generation_id
    assert bria.server.accepted == 3


def test_the_gate_stops_at_the_budget_and_at_the_attempts(bria: Host, tmp_path: Path) -> None:
    bria.server.follow_rate = 0.0  # no seed follows

    async def run() -> tuple[GenerationResponse, GenerationResponse, list[Any], list[Any]]:
        async with service_on(bria, tmp_path) as service:
            # two images fit in 0.07 dollars, a third would not: it is never submitted
            capped = GatePolicy(min_adherence=BAR, max_attempts=5, max_cost_usd=0.07)
            budget = await service.generate_from_lighting_setup(loop(), seed=3, gate=capped)
            counted = GatePolicy(min_adherence=BAR, max_attempts=3)
            attempts = await service.generate_from_lighting_setup(loop(), seed=4, gate=counted)
            assert budget.gate is not None
            assert attempts.gate is not None
            return (
                budget,
                attempts,
                await gate_records(service, budget.gate.gate_id),
                await gate_records(service, attempts.gate.gate_id),
            )

    budget, attempts, budget_records, attempt_records = asyncio.run(run())
    assert budget.gate is not None
    assert attempts.gate is not None
    assert budget.gate.outcome is GateOutcome.BUDGET
    assert budget.gate.attempts_used == 2
    assert budget.gate.cost_usd == pytest.approx(0.06)
    assert len(budget_records) == 2
    assert attempts.gate.outcome is GateOutcome.EXHAUSTED
    assert attempts.gate.attempts_used == 3
    assert len(attempt_records) == 3
    assert_report_matches(attempts.gate, attempt_records)
    # the best of those that fell short is returned, and every attempt is kept
    best = max(attempts.gate.attempts, key=lambda a: a.score or 0.0)
    assert attempts.generation_id == best.generation_id
    assert bria.server.accepted == 5


def test_a_budget_below_one_image_and_a_gate_without_checking_are_refused(
    bria: Host, tmp_path: Path
) -> None:
    async def run(**values: Any) -> None:
        async with service_on(bria, tmp_path, **values) as service:
            gate = GatePolicy(min_adherence=BAR, max_cost_usd=0.01)
            await service.generate_from_lighting_setup(loop(), seed=1, gate=gate)

    with pytest.raises(InvalidLightingSetupError, match=r"max_cost_usd: got 0.01; one image"):
        asyncio.run(run())
    with pytest.raises(InvalidLightingSetupError, match="min_adherence: needs images checked"):
        asyncio.run(run(verify_images=False))
    assert bria.server.accepted == 0


def test_a_background_gate_is_handed_on_from_job_to_job(bria: Host, tmp_path: Path) -> None:
    bria.server.stray_seeds(21)

    async def run() -> tuple[GenerationResponse, GenerationResponse]:
        async with service_on(bria, tmp_path) as service:
            gate = GatePolicy(min_adherence=BAR, max_attempts=3)
            queued = await service.generate_from_lighting_setup(
                loop(), seed=21, gate=gate, background=True
            )
            await service.jobs.drain()  # type: ignore[attr-defined]  # the in-process queue
            return queued, await service.get_generation(queued.generation_id)

    queued, first = asyncio.run(run())
    assert queued.status is GenerationStatus.QUEUED
    assert queued.gate is not None
    assert queued.gate.outcome is GateOutcome.RUNNING
    report = first.gate
    assert report is not None
    assert report.outcome is GateOutcome.PASSED
    assert [a.index for a in report.attempts] == [0, 1]
    assert report.attempts[1].generation_id == attempt_id(queued.generation_id, 1)
    assert report.best_id == report.attempts[1].generation_id
    assert bria.server.accepted == 2


def test_a_batch_gates_every_item(bria: Host, tmp_path: Path) -> None:
    bria.server.stray_seeds(31, 32)  # the batches' first seeds stray; re-rolls follow

    async def run() -> tuple[list[GenerationResponse], Any]:
        async with service_on(bria, tmp_path) as service:
            gate = GatePolicy(min_adherence=BAR, max_attempts=3)
            two = [loop(), PRESETS["rembrandt"].request()]
            here = await service.batch_generate(two, seed=31, gate=gate)
            submitted = await service.submit_batch([loop()], seed=32, gate=gate)
            await service.jobs.drain()  # type: ignore[attr-defined]
            progress = await service.batch_progress(submitted.batch_id)
            counted = await service.batch_progress(submitted.batch_id, items=False)
            return here, (progress, counted)

    here, (progress, counted) = asyncio.run(run())
    for result in here:
        assert result.gate is not None
        assert result.gate.outcome is GateOutcome.PASSED
        assert result.gate.attempts_used == 2
        assert result.gate_index == 1
        assert result.batch_id is not None
    assert progress.completed_at is not None
    assert progress.done == progress.total == 1
    (item,) = progress.items
    assert item.gate is not None
    assert item.gate.outcome is GateOutcome.PASSED
    assert item.generation_id == item.gate.best_id
    assert counted.counts == {GenerationStatus.SUCCESS: 1}  # the item, not its re-roll
    assert bria.server.accepted == 6  # three items, two attempts each


def test_a_worker_dying_mid_gate_is_taken_over_without_a_second_submission(
    bria: Host, tmp_path: Path, database: dict[str, str]
) -> None:
    """The worker running attempt 1 dies after the host accepted it; once its lease runs out
    another worker takes the job, collects the accepted attempt and hands the gate on (on
    SQLite and on PostgreSQL)."""
    server = bria.server
    first_seed = 41
    server.stray_seeds(first_seed, attempt_seed(first_seed, 1))
    gate = GatePolicy(min_adherence=BAR, max_attempts=4)
    lease = {
        "generation_lease_s": 1.0,
        "job_retry_delay_s": 0.0,
        **{key.removeprefix("LIGHTRIG_").lower(): value for key, value in database.items()},
    }

    async def die_mid_attempt() -> str:
        service = service_on(bria, tmp_path, **lease)
        await service.start()
        server.latency_s = 120.0  # every job is held at the host until the test lets it go
        queued = await service.generate_from_lighting_setup(
            loop(), seed=first_seed, gate=gate, background=True
        )
        second = attempt_id(queued.generation_id, 1)
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline:
            record = await service.store.get_generation(second)
            if record is not None and record.backend_request_id is not None:
                break
            first = await service.store.get_generation(queued.generation_id)
            if first is not None and first.backend_request_id is not None and not first.finished:
                server.finish_jobs()  # attempt 0 comes back; attempt 1 will be held
            await asyncio.sleep(0.05)
        else:
            pytest.fail("attempt 1 was never submitted")
        await service.close()  # the worker dies: its tasks stop, its lease runs out
        return queued.generation_id

    gate_id = asyncio.run(die_mid_attempt())
    assert server.accepted == 2

    async def take_over() -> GenerationResponse:
        server.latency_s = 0.05
        server.finish_jobs()
        async with service_on(bria, tmp_path, **lease) as service:
            deadline = time.monotonic() + 60.0
            while time.monotonic() < deadline:
                await service.reap()
                await service.jobs.drain()  # type: ignore[attr-defined]
                shown = await service.get_generation(gate_id)
                if shown.gate is not None and shown.gate.outcome is not GateOutcome.RUNNING:
                    return shown
                await asyncio.sleep(0.3)
            pytest.fail("the gate never finished")

    shown = asyncio.run(take_over())
    report = shown.gate
    assert report is not None
    assert report.outcome is GateOutcome.PASSED
    assert report.attempts_used == 3
    assert [a.status for a in report.attempts] == [GenerationStatus.SUCCESS] * 3
    assert server.accepted == 3  # attempt 1 collected, not submitted again
    assert set(server.accepted_by_seed.values()) == {1}


# ----------------------------------------------------------------------------------- a real kill


def test_a_killed_generate_is_resumed_and_carries_its_gate_on(
    tmp_path: Path, database: dict[str, str]
) -> None:
    first_seed = 5
    second = attempt_seed(first_seed, 1)
    with mock_host("bria", latency_s=120.0, image_size=128) as host:
        server = host.server
        server.stray_seeds(first_seed, second)  # attempts 0 and 1 stray, 2 follows
        env = environment(tmp_path, database, host)
        settings = settings_from(env)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lightrig",
                "generate",
                "--preset",
                "loop",
                "--seed",
                str(first_seed),
                "--min-adherence",
                str(BAR),
                "--max-attempts",
                "3",
            ],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        killed = None
        try:
            deadline = time.monotonic() + 120.0
            while time.monotonic() < deadline and killed is None:
                assert process.poll() is None, process.communicate()
                found = asyncio.run(_records(settings, migrate=False))
                for record in found:
                    if (
                        record.gate_index == 0
                        and record.status is GenerationStatus.RUNNING
                        and record.backend_request_id is not None
                    ):
                        server.finish_jobs()  # attempt 0 comes back; attempt 1 is held
                    if (
                        record.gate_index == 1
                        and record.status is GenerationStatus.RUNNING
                        and record.backend_request_id is not None
                    ):
                        process.send_signal(signal.SIGKILL)
                        killed = record
                time.sleep(0.2)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()
        assert killed is not None, "attempt 1 was never submitted"
        assert server.accepted == 2

        assert asyncio.run(recover_once_the_lease_runs_out(settings, killed.generation_id)) == [
            killed.generation_id
        ]
        server.latency_s = 0.05
        server.finish_jobs()
        resumed = subprocess.run(
            [sys.executable, "-m", "lightrig", "history", "resume", killed.generation_id, "--json"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        shown = json.loads(resumed.stdout)
        assert shown["gate"]["outcome"] == "passed"
        assert [a["seed"] for a in shown["gate"]["attempts"]] == [
            attempt_seed(first_seed, i) for i in range(3)
        ]
        assert shown["gate_index"] == 2
        assert server.accepted == 3  # attempt 1 collected on resume, not sent again
        assert set(server.accepted_by_seed.values()) == {1}
        final = asyncio.run(_records(settings))
        assert len(final) == 3
        assert {r.status for r in final} == {GenerationStatus.SUCCESS}


# ----------------------------------------------------------------------------------- faces


def test_the_command_line_refuses_a_bad_gate_in_one_line(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path)}
    line = bad("generate", "--preset", "loop", "--min-adherence", "1.5", env=env)
    assert line == "lightrig: error: --min-adherence: got 1.5; accepted: a number from 0 to 1"
    line = bad("generate", "--preset", "loop", "--min-adherence", "0.8", "--max-attempts", "11")
    assert "--max-attempts: got 11" in line
    line = bad("generate", "--preset", "loop", "--max-cost", "0.1", env=env)
    assert "give --min-adherence too" in line


def test_the_command_line_shows_the_gate(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lightrig",
            "generate",
            "--preset",
            "loop",
            "--seed",
            "2",
            "--min-adherence",
            "0.5",
            "--json",
        ],
        env={**os.environ, "LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_PREVIEW_SIZE": "128"},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    shown = json.loads(result.stdout)
    assert shown["gate"]["outcome"] == "passed"
    assert shown["gate"]["attempts"][0]["generation_id"] == shown["generation_id"]
    assert shown["gate"]["policy"] == {
        "min_adherence": 0.5,
        "max_attempts": 3,
        "max_cost_usd": None,
    }


def test_the_api_takes_a_gate_and_refuses_a_bad_one(launch: Launch) -> None:
    client = launch().client()
    body = problem(
        client.post(
            "/v1/generations", json={"request": loop_data(), "gate": {"min_adherence": 1.5}}
        ),
        422,
    )
    assert field_locs(body) == ["body.gate.min_adherence"]
    body = problem(
        client.post(
            "/v1/generations",
            json={"request": loop_data(), "gate": {"min_adherence": 0.5, "max_attempts": 0}},
        ),
        422,
    )
    assert field_locs(body) == ["body.gate.max_attempts"]
    made = client.post(
        "/v1/generations",
        json={"request": loop_data(), "seed": 3, "size": 128, "gate": {"min_adherence": 0.2}},
    )
    assert made.status_code == 201, made.text
    shown = made.json()
    assert shown["gate"]["outcome"] == "passed"
    assert shown["gate_id"] == shown["generation_id"]
    assert shown["gate"]["attempts"][0]["seed"] == 3
    again = client.get(f"/v1/generations/{shown['generation_id']}").json()
    assert again["gate"] == shown["gate"]


def test_the_api_gates_a_background_generation_on_the_host(launch: Launch, tmp_path: Path) -> None:
    with mock_host("bria", image_size=128, latency_s=0.05) as host:
        host.server.stray_seeds(8)
        api = launch(**bria_settings(host.server, bria_api_token=host.settings().bria_api_token))
        client = api.client()
        low = problem(
            client.post(
                "/v1/generations",
                json={"request": loop_data(), "gate": {"min_adherence": 0.8, "max_cost_usd": 0.01}},
            ),
            422,
        )
        assert field_locs(low) == ["max_cost_usd"]
        queued = client.post(
            "/v1/generations",
            json={"request": loop_data(), "seed": 8, "gate": {"min_adherence": BAR}},
        )
        assert queued.status_code == 202, queued.text
        path = f"/v1/generations/{queued.json()['generation_id']}"
        shown = poll(client, path, lambda body: body["gate"]["outcome"] != "running", 60.0)
        assert shown["gate"]["outcome"] == "passed"
        assert [a["seed"] for a in shown["gate"]["attempts"]] == [8, attempt_seed(8, 1)]
        assert host.server.accepted == 2


def loop_data() -> dict[str, Any]:
    return PRESETS["loop"].request().model_dump(mode="json", exclude_none=True)
