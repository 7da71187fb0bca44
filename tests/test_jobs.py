"""Background jobs against the mock Bria over real HTTP: a host that already has a job is asked
for it rather than sent it again; a job whose worker died runs again once its lease expires; a
retryable host failure makes the job ``retrying`` and a later run finishes it; a job out of
attempts is an error and its batch finishes.

The job queue here is a recording one (jobs run when the test says), so each step is seen; the
queues themselves have their own contract suite (``test_job_queue_contract.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lightrig.backends.base import GenerationParams
from lightrig.backends.bria import BriaBackend
from lightrig.config import Settings
from lightrig.models.generation import GenerationStatus
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.testing.mock_bria import MockBriaServer
from tests.test_bria_backend import settings_for


class RecordingQueue:
    """A job queue that only remembers what it was given (the test runs the jobs)."""

    durable = True

    def __init__(self) -> None:
        self.enqueued: list[str] = []

    async def enqueue(self, generation_id: str) -> None:
        self.enqueued.append(generation_id)

    def depth(self) -> int:
        return len(self.enqueued)

    async def health(self) -> str:
        return "recording"

    async def serve(self, stop: asyncio.Event) -> None:
        await stop.wait()

    async def aclose(self) -> None:
        return None


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(latency_s=0.2, image_size=64) as server:
        yield server


def service_for(bria: MockBriaServer, tmp_path: Path, **values: Any) -> LightingGenerationService:
    config = settings_for(
        bria,
        tmp_path,
        generation_lease_s=1.0,
        job_retry_delay_s=0.0,
        retry_attempts=1,  # a host failure fails the run at once: the job retries instead
        **values,
    )
    return LightingGenerationService(config, jobs=RecordingQueue())


def queue_of(service: LightingGenerationService) -> RecordingQueue:
    assert isinstance(service.jobs, RecordingQueue)
    return service.jobs


def test_a_job_whose_worker_died_is_collected_not_submitted_again(
    bria: MockBriaServer, tmp_path: Path
) -> None:
    async def run() -> None:
        async with service_for(bria, tmp_path) as service:
            queued = await service.generate_from_lighting_setup(
                PRESETS["loop"].request(), "ada", seed=41, background=True, backend="bria"
            )
            assert queue_of(service).enqueued == [queued.generation_id]
            # a worker claims it, hands it to Bria, notes Bria's id ... and dies
            assert await service.store.claim_generation(queued.generation_id, "dead", 1.0)
            backend = service.backend("bria")
            assert isinstance(backend, BriaBackend)
            assert queued.structured_prompt is not None
            assert queued.request is not None
            submitted = await backend.submit(
                queued.structured_prompt, queued.request, GenerationParams(seed=41)
            )
            host_id = submitted.request_id
            assert await service.store.note_submission(queued.generation_id, "dead", host_id)
            assert (await service.reap()).requeued == []  # its lease still holds
            await asyncio.sleep(1.2)
            reaped = await service.reap()
            assert reaped.requeued == [queued.generation_id]
            assert queue_of(service).enqueued[-1] == queued.generation_id

            done = await service.run_generation(queued.generation_id)
            assert done.status is GenerationStatus.SUCCESS, done.error
            assert done.backend_request_id == host_id
            assert done.attempts == 2
            assert bria.accepted == 1  # collected, never submitted twice
            assert bria.accepted_by_seed[41] == 1
            # a redelivered message finds it finished and does nothing
            again = await service.run_generation(queued.generation_id)
            assert again.completed_at == done.completed_at
            assert bria.accepted == 1

    asyncio.run(run())


def test_a_retryable_host_failure_retries_the_job(bria: MockBriaServer, tmp_path: Path) -> None:
    async def run() -> None:
        async with service_for(bria, tmp_path) as service:
            queued = await service.generate_from_lighting_setup(
                PRESETS["split"].request(), "ada", seed=7, background=True, backend="bria"
            )
            bria.script("generate", "429")  # refused, certainly not taken: worth a retry
            first = await service.run_generation(queued.generation_id)
            assert first.status is GenerationStatus.RETRYING
            assert "attempt 1 of 3" in (first.error or "")
            assert (await service.reap()).requeued == [queued.generation_id]
            done = await service.run_generation(queued.generation_id)
            assert done.status is GenerationStatus.SUCCESS, done.error
            assert done.error is None
            assert done.attempts == 2
            assert bria.accepted == 1

    asyncio.run(run())


def test_a_job_out_of_attempts_is_an_error_and_its_batch_finishes(
    bria: MockBriaServer, tmp_path: Path
) -> None:
    async def run() -> None:
        async with service_for(bria, tmp_path, job_max_attempts=2) as service:
            progress = await service.submit_batch(
                [PRESETS["loop"].request()], "ada", backend="bria", seed=3
            )
            (job,) = queue_of(service).enqueued
            bria.script("generate", "429", "429")
            assert (await service.run_generation(job)).status is GenerationStatus.RETRYING
            await service.reap()
            failed = await service.run_generation(job)
            assert failed.status is GenerationStatus.ERROR
            assert "gave up after 2 attempts" in (failed.error or "")
            assert bria.accepted == 0
            finished = await service.batch_progress(progress.batch_id, owner="ada")
            assert finished.finished
            assert finished.completed_at is not None

    asyncio.run(run())


def test_a_rejected_prompt_is_not_retried(bria: MockBriaServer, tmp_path: Path) -> None:
    async def run() -> None:
        async with service_for(bria, tmp_path) as service:
            queued = await service.generate_from_lighting_setup(
                PRESETS["loop"].request(), "ada", seed=9, background=True, backend="bria"
            )
            bria.script("generate", "error")  # Bria takes it, then reports ERROR
            failed = await service.run_generation(queued.generation_id)
            assert failed.status is GenerationStatus.ERROR
            assert failed.attempts == 1
            assert (await service.reap()).requeued == []

    asyncio.run(run())


def test_a_restarted_process_takes_up_the_jobs_left_waiting(tmp_path: Path) -> None:
    """With the in-process queue, jobs queued by a process that stopped are run by the next
    one that works (the embedded default's restart)."""
    config = Settings(data_dir=tmp_path, preview_size=64, generation_lease_s=1.0)

    async def run() -> None:
        async with LightingGenerationService(config, jobs=RecordingQueue()) as first:
            left = await first.generate_from_lighting_setup(
                PRESETS["loop"].request(), "ada", seed=4, background=True
            )
        async with LightingGenerationService(config) as second:
            assert not second.jobs.durable
            stop = asyncio.Event()
            working = asyncio.create_task(second.work(stop, reap_every_s=0.2))
            for _ in range(100):
                record = await second.get_generation(left.generation_id)
                if record.status is GenerationStatus.SUCCESS:
                    break
                await asyncio.sleep(0.1)
            stop.set()
            await working
            assert record.status is GenerationStatus.SUCCESS, record.error
            assert record.attempts == 1

    asyncio.run(run())
