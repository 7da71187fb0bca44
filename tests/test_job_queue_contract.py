"""The job-queue contract, run against every queue of the registry, each made through it from the
settings: in this process, and Taskiq on a Redis stream (with a worker serving in the test's
event loop). Then what only the stream promises: a message outlives the process that sent it,
a message taken by a worker that dies runs again elsewhere once the redelivery timeout has
passed, a message is acknowledged only once its job has run, and the stream is bounded.

Each Redis test has its own stream (a fresh key prefix), deleted afterwards. A worker is
killed for real: a subprocess, with SIGKILL, while its job sleeps.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lightrig.cache.redis import open_redis
from lightrig.cli import main
from lightrig.config import JOB_QUEUES, Settings
from lightrig.errors import InvalidSettingError
from lightrig.jobs.base import JobQueue, RunJob
from lightrig.jobs.factory import JOB_QUEUE_FACTORIES, create_job_queue, job_queue_name
from lightrig.jobs.inprocess import InProcessJobQueue
from lightrig.jobs.taskiq_queue import TaskiqJobQueue
from lightrig.registry import choose
from tests.services import redis_prefix, require_redis
from tests.test_cache_contract import delete_keys


async def eventually(check: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Wait until ``check()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what or check}")
        await asyncio.sleep(0.02)


@dataclass
class Kind:
    """One implementation under test."""

    name: str
    make: Callable[[RunJob, int], JobQueue]
    #: the Redis URL and key prefix the queue's stream lives under (``None`` in process)
    redis: tuple[str, str] | None = None

    def run(
        self,
        job: RunJob,
        body: Callable[[JobQueue], Awaitable[None]],
        *,
        concurrency: int = 4,
    ) -> None:
        """Make a queue running ``job``, serve it, run ``body`` with it, then stop and close
        it (and delete its stream)."""

        async def main() -> None:
            queue = self.make(job, concurrency)
            stop = asyncio.Event()
            serving = asyncio.create_task(queue.serve(stop))
            try:
                await body(queue)
            finally:
                stop.set()
                await asyncio.wait_for(serving, 30)
                await queue.aclose()
                if self.redis is not None:
                    await delete_keys(*self.redis)

        asyncio.run(main())


def inprocess_kind() -> Kind:
    def make(job: RunJob, concurrency: int) -> JobQueue:
        return create_job_queue(Settings(queue_url=None, job_concurrency=concurrency), job)

    return Kind("inprocess", make)


def redis_kind() -> Kind:
    """Taskiq on a stream of its own on the test Redis."""
    url = require_redis()
    prefix = redis_prefix()

    def make(job: RunJob, concurrency: int) -> JobQueue:
        settings = Settings(
            queue_url=url,
            queue_name=prefix + "jobs",
            job_concurrency=concurrency,
            queue_redelivery_s=30.0,
            queue_maxlen=10_000,
        )
        return create_job_queue(settings, job)

    return Kind("redis", make, (url, prefix))


#: How the contract sets up each job queue of the registry, made through it from the settings
#: (one registered without a set-up here fails every contract test), and whether its messages
#: outlive the process.
SET_UPS: dict[str, Callable[[], Kind]] = {"inprocess": inprocess_kind, "redis": redis_kind}
DURABLE: dict[str, bool] = {"inprocess": False, "redis": True}


@pytest.fixture(params=JOB_QUEUES)
def kind(request: pytest.FixtureRequest) -> Kind:
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} job queue has no contract set-up in SET_UPS")
    return set_up()


def test_the_registry_holds_every_queue_named_in_the_settings() -> None:
    assert tuple(JOB_QUEUE_FACTORIES) == JOB_QUEUES
    assert JOB_QUEUES[0] == "inprocess"  # the embedded default
    assert set(SET_UPS) == set(DURABLE) == set(JOB_QUEUES)


# ------------------------------------------------------------------------------- the contract
def test_the_queue_is_a_job_queue(kind: Kind) -> None:
    async def job(generation_id: str) -> None:
        return None

    async def body(queue: JobQueue) -> None:
        assert isinstance(queue, JobQueue)
        assert queue.durable is DURABLE[kind.name]

    kind.run(job, body)


def test_every_enqueued_job_runs_exactly_once(kind: Kind) -> None:
    ran: list[str] = []

    async def job(generation_id: str) -> None:
        await asyncio.sleep(0.001)
        ran.append(generation_id)

    async def body(queue: JobQueue) -> None:
        ids = [f"gen-{n}" for n in range(50)]
        for generation_id in ids:
            await queue.enqueue(generation_id)
        await eventually(lambda: len(ran) >= 50, what=f"50 runs, got {len(ran)}")
        await asyncio.sleep(0.3)  # time for a duplicate to show
        assert Counter(ran) == Counter(ids)

    kind.run(job, body)


def test_at_most_concurrency_jobs_run_at_once(kind: Kind) -> None:
    running = 0
    most = 0
    done: list[str] = []

    async def job(generation_id: str) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            await asyncio.sleep(0.05)
        finally:
            running -= 1
        done.append(generation_id)

    async def body(queue: JobQueue) -> None:
        for n in range(15):
            await queue.enqueue(f"gen-{n}")
        await eventually(lambda: len(done) == 15, what="15 runs")
        assert most == 3

    kind.run(job, body, concurrency=3)


def test_a_failing_job_does_not_stop_the_others(kind: Kind) -> None:
    tried: list[str] = []
    done: list[str] = []

    async def job(generation_id: str) -> None:
        tried.append(generation_id)
        if generation_id.startswith("bad"):
            raise RuntimeError(f"{generation_id} failed")
        done.append(generation_id)

    async def body(queue: JobQueue) -> None:
        for n in range(12):
            await queue.enqueue(f"bad-{n}" if n % 3 == 0 else f"good-{n}")
        await eventually(lambda: len(tried) == 12, what="12 tries")
        await queue.enqueue("after")
        await eventually(lambda: "after" in done, what="a job after the failures")
        assert sorted(done) == sorted(["after"] + [f"good-{n}" for n in range(12) if n % 3])

    kind.run(job, body)


def test_health_answers(kind: Kind) -> None:
    async def job(generation_id: str) -> None:
        return None

    async def body(queue: JobQueue) -> None:
        description = await queue.health()
        assert isinstance(description, str)
        assert description

    kind.run(job, body)


def test_depth_counts_waiting_and_running_jobs_and_falls_to_zero_once_drained(
    kind: Kind,
) -> None:
    gate = asyncio.Event()
    done: list[str] = []

    async def job(generation_id: str) -> None:
        await gate.wait()
        done.append(generation_id)

    async def body(queue: JobQueue) -> None:
        for n in range(10):
            await queue.enqueue(f"gen-{n}")
        # four run, six wait; the stream's depth is measured in the background
        await eventually(lambda: queue.depth() == 10, what=f"depth 10, is {queue.depth()}")
        gate.set()
        await eventually(lambda: len(done) == 10, what="10 runs")
        await eventually(lambda: queue.depth() == 0, what=f"depth 0, is {queue.depth()}")

    kind.run(job, body)


def test_aclose_is_idempotent_and_refuses_new_jobs(kind: Kind) -> None:
    async def job(generation_id: str) -> None:
        return None

    async def body(queue: JobQueue) -> None:
        await queue.enqueue("before")
        await queue.aclose()
        await queue.aclose()
        with pytest.raises(RuntimeError):
            await queue.enqueue("after")

    kind.run(job, body)


def test_the_factory_runs_jobs_in_process_without_a_queue_url() -> None:
    async def job(generation_id: str) -> None:
        return None

    settings = Settings(queue_url=None)
    assert job_queue_name(settings) == "inprocess"
    queue = create_job_queue(settings, job)
    assert isinstance(queue, InProcessJobQueue)
    assert not queue.durable


@pytest.mark.parametrize("url", ["amqp://u:hunter2@h/", "memory://", "inprocess://"])
def test_an_unknown_scheme_is_one_line_naming_the_accepted_ones(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def job(generation_id: str) -> None:
        return None

    scheme = url.split(":", maxsplit=1)[0]
    line = f"unsupported queue URL scheme {scheme!r}; accepted: redis://, rediss://, unix://"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        Settings(queue_url=url)
    assert str(refused.value) == f"setting LIGHTRIG_QUEUE_URL: {line}"
    assert "hunter2" not in str(refused.value)
    with pytest.raises(ValueError, match="scheme") as raised:  # the factory, unchecked settings
        create_job_queue(Settings.model_construct(queue_url=url), job)
    assert str(raised.value) == line
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))  # the command line
    monkeypatch.setenv("LIGHTRIG_QUEUE_URL", url)
    with pytest.raises(SystemExit) as exited:
        main(["worker"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"lightrig: error: setting LIGHTRIG_QUEUE_URL: {line}\n"


def test_an_unknown_queue_name_is_one_line_naming_the_queues() -> None:
    with pytest.raises(ValueError, match=r"^unknown") as raised:
        choose("job queue", "celery", JOB_QUEUE_FACTORIES)
    assert str(raised.value) == f"unknown job queue 'celery'; accepted: {', '.join(JOB_QUEUES)}"


# ------------------------------------------------------------------- the Redis stream's promises
@pytest.fixture
def stream() -> Iterator[tuple[str, str]]:
    """A Redis URL and a fresh stream name; every key under the stream's prefix is deleted
    afterwards."""
    url = require_redis()
    prefix = redis_prefix()
    yield url, prefix + "jobs"
    asyncio.run(delete_keys(url, prefix))


def taskiq_queue(
    job: RunJob, url: str, name: str, *, redelivery_s: float = 30.0, **options: float
) -> TaskiqJobQueue:
    return TaskiqJobQueue(
        job,
        url=url,
        queue_name=name,
        concurrency=int(options.pop("concurrency", 2)),
        redelivery_s=redelivery_s,
        maxlen=int(options.pop("maxlen", 10_000)),
        **options,
    )


async def pending(url: str, name: str) -> int:
    """Messages of the stream's group delivered and not yet acknowledged."""
    client = open_redis(url)
    try:
        summary = await client.xpending(name, f"{name}:workers")
        return int(summary["pending"])
    finally:
        await client.aclose()


def test_the_factory_makes_a_taskiq_queue_from_the_settings(stream: tuple[str, str]) -> None:
    url, name = stream

    async def job(generation_id: str) -> None:
        return None

    async def main() -> None:
        settings = Settings(
            queue_url=url, queue_name=name, queue_maxlen=5000, queue_redelivery_s=7.0
        )
        assert job_queue_name(settings) == "redis"
        queue = create_job_queue(settings, job)
        try:
            assert isinstance(queue, TaskiqJobQueue)
            assert queue.durable
            assert (queue.queue_name, queue.maxlen, queue.redelivery_s) == (name, 5000, 7.0)
            assert queue.concurrency == settings.job_concurrency
            assert name in await queue.health()
        finally:
            await queue.aclose()

    asyncio.run(main())


def test_messages_wait_in_redis_until_a_worker_serves(stream: tuple[str, str]) -> None:
    url, name = stream
    ran: list[str] = []

    async def job(generation_id: str) -> None:
        ran.append(generation_id)

    async def main() -> None:
        sender = taskiq_queue(job, url, name)
        for n in range(5):
            await sender.enqueue(f"gen-{n}")
        assert "5 waiting" in await sender.health()
        assert sender.depth() == 5
        await sender.aclose()  # the process that sent them is gone

        worker = taskiq_queue(job, url, name)
        stop = asyncio.Event()
        serving = asyncio.create_task(worker.serve(stop))
        try:
            await eventually(lambda: len(ran) == 5, what="5 runs")
        finally:
            stop.set()
            await serving
            await worker.aclose()
        assert sorted(ran) == [f"gen-{n}" for n in range(5)]

    asyncio.run(main())


#: A worker in its own process: serves the stream, and each job notes "<id> <time>" in a file
#: and then sleeps, until the test kills the process.
SLEEPY_WORKER = """
import asyncio, sys, time
from lightrig.jobs.taskiq_queue import TaskiqJobQueue

url, name, notes, redelivery_s = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])

async def job(generation_id):
    with open(notes, "a") as out:
        out.write(f"{generation_id} {time.time()}\\n")
    await asyncio.sleep(3600)

async def main():
    queue = TaskiqJobQueue(
        job, url=url, queue_name=name, concurrency=2, redelivery_s=redelivery_s, maxlen=1000
    )
    await queue.serve(asyncio.Event())

asyncio.run(main())
"""


def test_a_job_whose_worker_is_killed_runs_elsewhere_after_the_redelivery_timeout(
    stream: tuple[str, str], tmp_path: Path
) -> None:
    url, name = stream
    redelivery_s = 2.0
    notes = tmp_path / "started"
    ran: list[tuple[str, float]] = []

    async def job(generation_id: str) -> None:
        ran.append((generation_id, time.time()))

    async def main(worker: subprocess.Popen[bytes]) -> None:
        queue = taskiq_queue(job, url, name, redelivery_s=redelivery_s)
        try:
            await queue.enqueue("doomed")
            await eventually(
                lambda: notes.exists() and notes.read_text().endswith("\n"),
                timeout=30,
                what="the worker to take the job",
            )
            started = float(notes.read_text().split()[1])
            assert await pending(url, name) == 1  # taken, not acknowledged
            worker.kill()  # SIGKILL, mid-job
            await asyncio.to_thread(worker.wait)

            stop = asyncio.Event()
            serving = asyncio.create_task(queue.serve(stop))
            try:
                await eventually(lambda: bool(ran), timeout=redelivery_s + 10, what="a rerun")
                await asyncio.sleep(0.2)
            finally:
                stop.set()
                await serving
            assert [generation_id for generation_id, _ in ran] == ["doomed"]
            # not before the message had been idle for the redelivery timeout
            assert ran[0][1] - started >= redelivery_s - 0.3
            assert await pending(url, name) == 0
        finally:
            await queue.aclose()

    with (
        (tmp_path / "worker.log").open("wb") as log,
        subprocess.Popen(
            [sys.executable, "-c", SLEEPY_WORKER, url, name, str(notes), str(redelivery_s)],
            stdout=log,
            stderr=subprocess.STDOUT,
        ) as worker,
    ):
        try:
            asyncio.run(main(worker))
        except BaseException:
            worker.kill()
            worker.wait()
            sys.stderr.write((tmp_path / "worker.log").read_text())
            raise


def test_a_message_is_acknowledged_only_once_its_job_has_run(stream: tuple[str, str]) -> None:
    url, name = stream
    redelivery_s = 1.0
    gate = asyncio.Event()
    tried: list[str] = []

    async def job(generation_id: str) -> None:
        tried.append(generation_id)
        if generation_id == "fails":
            raise RuntimeError("the job failed")
        await gate.wait()

    async def main() -> None:
        queue = taskiq_queue(job, url, name, redelivery_s=redelivery_s)
        stop = asyncio.Event()
        serving = asyncio.create_task(queue.serve(stop))
        try:
            await queue.enqueue("slow")
            await eventually(lambda: tried == ["slow"], what="the job to start")
            assert await pending(url, name) == 1  # running: taken, not yet acknowledged
            gate.set()
            await eventually(lambda: queue.depth() == 0, what="the acknowledgement")
            assert await pending(url, name) == 0
            await queue.enqueue("fails")
            await eventually(lambda: len(tried) == 2, what="the failing job")
            # well past the redelivery timeout: nothing acknowledged comes back
            await asyncio.sleep(redelivery_s * 2.5)
            assert tried == ["slow", "fails"]
            assert await pending(url, name) == 0
        finally:
            stop.set()
            await serving
            await queue.aclose()

    asyncio.run(main())


def test_a_job_cut_off_at_shutdown_is_not_acknowledged_and_runs_again(
    stream: tuple[str, str],
) -> None:
    url, name = stream
    first: list[str] = []
    second: list[str] = []

    async def never_finishes(generation_id: str) -> None:
        first.append(generation_id)
        await asyncio.sleep(3600)

    async def finishes(generation_id: str) -> None:
        second.append(generation_id)

    async def serve_until(queue: TaskiqJobQueue, done: Callable[[], bool]) -> None:
        stop = asyncio.Event()
        serving = asyncio.create_task(queue.serve(stop))
        try:
            await eventually(done, what="the job")
        finally:
            stop.set()
            await asyncio.wait_for(serving, 10)
            await queue.aclose()

    async def main() -> None:
        cut = taskiq_queue(never_finishes, url, name, redelivery_s=1.0, shutdown_grace_s=0.2)
        await cut.enqueue("cut-off")
        await serve_until(cut, lambda: bool(first))  # stops 0.2 s later, cancelling the job
        assert await pending(url, name) == 1
        await serve_until(taskiq_queue(finishes, url, name, redelivery_s=1.0), lambda: bool(second))
        assert second == ["cut-off"]
        assert await pending(url, name) == 0

    asyncio.run(main())


def test_aclose_stops_a_serving_worker(stream: tuple[str, str]) -> None:
    url, name = stream
    started: list[str] = []

    async def job(generation_id: str) -> None:
        started.append(generation_id)
        await asyncio.sleep(3600)

    async def main() -> None:
        queue = taskiq_queue(job, url, name)
        serving = asyncio.create_task(queue.serve(asyncio.Event()))
        await queue.enqueue("running")
        await eventually(lambda: bool(started), what="the job to start")
        await asyncio.wait_for(queue.aclose(), 15)
        await asyncio.wait_for(serving, 5)
        assert await pending(url, name) == 1  # cancelled, so left for another worker

    asyncio.run(main())


def test_the_stream_is_bounded_by_maxlen(stream: tuple[str, str]) -> None:
    url, name = stream
    maxlen = 200

    async def job(generation_id: str) -> None:
        return None

    async def main() -> None:
        queue = taskiq_queue(job, url, name, maxlen=maxlen)
        client = open_redis(url)
        try:
            for n in range(1000):
                await queue.enqueue(f"gen-{n}")
            length = int(await client.xlen(name))
            # trimming is approximate: whole stream nodes go, never below maxlen, so at most a
            # node's worth of entries above it
            config = await client.config_get("stream-node-max-entries")
            node = int(config.get("stream-node-max-entries") or 0) or 100  # 0: no limit set
            assert maxlen <= length <= maxlen + node
            assert f"{length} messages" in await queue.health()
        finally:
            await client.aclose()
            await queue.aclose()

    asyncio.run(main())


def test_an_unreachable_redis_is_a_connection_error() -> None:
    async def job(generation_id: str) -> None:
        return None

    async def main() -> None:
        # nothing listens on port 1
        queue = taskiq_queue(job, "redis://127.0.0.1:1/0", "lightrig-test:nowhere")
        try:
            with pytest.raises(ConnectionError):
                await queue.health()
            with pytest.raises(ConnectionError):
                await queue.enqueue("lost")
        finally:
            await queue.aclose()
            await queue.aclose()

    asyncio.run(main())
