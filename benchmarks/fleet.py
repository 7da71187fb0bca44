"""Scaling out: one batch through the API, run by one worker process and then by two.

Each run starts a fresh deployment on this machine — ``lightrig serve`` and the workers over
PostgreSQL (a new schema), Redis (a new job stream), a moto S3 server and the mock Bria server
(each job takes ``--latency`` seconds on Bria; a rate limit far above what the run needs) —
posts one batch of ``--jobs`` scene requests to ``POST /v1/batches`` and times it until
``GET /v1/batches/{id}`` says every item has finished.

The ideal is the time the host's latency alone imposes with ``workers × concurrency`` jobs in
flight: ``ceil(jobs / (workers × concurrency)) × latency``. Printed for each run: wall time,
the ideal, jobs per second, efficiency against the ideal, and for two workers the scaling
efficiency (their throughput over twice one worker's).

    python benchmarks/fleet.py [--jobs 200] [--latency 0.5] [--concurrency 8]

Needs PostgreSQL on 127.0.0.1:5432 (database ``test``) and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import platform
import random
import socket
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3  # type: ignore[import-untyped]
import redis
from moto.server import ThreadedMotoServer

from cpu import machine_cpu_seconds, process_cpu_seconds
from lightrig.db.sql import SqlMetadataStore
from lightrig.presets import PRESETS
from lightrig.testing.fleet import Fleet, FleetProcess, free_port
from lightrig.testing.mock_bria import MockBriaServer

DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",  # moto's dummy credentials
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class Run:
    workers: int
    wall_s: float
    ideal_s: float
    jobs: int
    succeeded: int
    accepted: int
    #: CPU used during the batch, in cores (1.0 = one core busy throughout)
    cpu: dict[str, float]

    @property
    def throughput(self) -> float:
        return self.succeeded / self.wall_s

    @property
    def efficiency(self) -> float:
        return self.ideal_s / self.wall_s


@contextmanager
def s3() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def drop_schema(schema: str) -> None:
    async def drop() -> None:
        store = SqlMetadataStore(DATABASE_URL, schema=schema)
        try:
            await store.drop_schema()
        finally:
            await store.aclose()

    asyncio.run(drop())


def _cpu_snapshot(processes: dict[str, list[FleetProcess | None]]) -> dict[str, float]:
    """CPU seconds so far: of each group of fleet processes, of this process (the mock Bria
    and the S3 server run in it), and of the whole machine."""
    snapshot = {
        name: sum(process_cpu_seconds(p.pid) or 0.0 for p in group if p is not None)
        for name, group in processes.items()
    }
    snapshot["bria + S3 (this process)"] = process_cpu_seconds(os.getpid()) or 0.0
    snapshot["machine"] = machine_cpu_seconds() or 0.0
    return snapshot


def one_run(workers: int, options: argparse.Namespace, workdir: Path) -> Run:
    schema = f"lr_bench_{uuid.uuid4().hex[:10]}"
    queue = f"lightrig-bench:{uuid.uuid4().hex[:10]}:jobs"
    bucket = f"lr-bench-{uuid.uuid4().hex[:10]}"
    with (
        s3() as endpoint,
        MockBriaServer(
            latency_s=options.latency, image_size=64, requests_per_minute=1_000_000
        ) as bria,
    ):
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )
        client.create_bucket(Bucket=bucket)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LIGHTRIG_")},
            **CREDENTIALS,
            "LIGHTRIG_DATA_DIR": str(workdir / f"data-{workers}"),
            "LIGHTRIG_DATABASE_URL": DATABASE_URL,
            "LIGHTRIG_DATABASE_SCHEMA": schema,
            "LIGHTRIG_STORAGE_URL": f"s3://{bucket}/images?endpoint={endpoint}&region=us-east-1",
            "LIGHTRIG_REDIS_URL": REDIS_URL,
            "LIGHTRIG_QUEUE_URL": REDIS_URL,
            "LIGHTRIG_QUEUE_NAME": queue,
            "LIGHTRIG_JOB_CONCURRENCY": str(options.concurrency),
            # the fleet is about the queue; checking images is CPU work of its own,
            # measured by benchmarks/verify.py
            "LIGHTRIG_VERIFY_IMAGES": "false",
            "LIGHTRIG_BACKEND": "bria",
            "LIGHTRIG_BRIA_BASE_URL": f"{bria.url}/v2",
            "LIGHTRIG_BRIA_API_TOKEN": "test-token",
            "LIGHTRIG_BRIA_REQUESTS_PER_MINUTE": "1000000",
            "LIGHTRIG_BRIA_POLL_INITIAL_S": "0.05",
            "LIGHTRIG_BRIA_POLL_MAX_S": "0.1",
            "LIGHTRIG_API_REQUESTS_PER_MINUTE": "1000000",
            "LIGHTRIG_API_BURST": "100000",
            "LIGHTRIG_LOG_LEVEL": "WARNING",
        }
        requests = [
            PRESETS[name].request().model_dump(mode="json")
            for name in random.Random(workers).choices(sorted(PRESETS), k=options.jobs)
        ]
        try:
            with Fleet(env, workdir / f"logs-{workers}") as fleet:
                fleet.start_api()
                for _ in range(workers):
                    fleet.start_worker()
                processes: dict[str, list[FleetProcess | None]] = {
                    "api": [fleet.api],
                    "workers": list(fleet.workers),
                }
                before = _cpu_snapshot(processes)
                started = time.perf_counter()
                made = fleet.post("/v1/batches", {"requests": requests})
                progress = fleet.wait_for_batch(made["batch_id"], timeout_s=600, every_s=0.1)
                wall = time.perf_counter() - started
                after = _cpu_snapshot(processes)
        finally:
            redis.Redis.from_url(REDIS_URL).delete(queue)
            drop_schema(schema)
        succeeded = sum(1 for item in progress["items"] if item["status"] == "success")
        rounds = math.ceil(options.jobs / (workers * options.concurrency))
        return Run(
            workers=workers,
            wall_s=wall,
            ideal_s=rounds * options.latency,
            jobs=options.jobs,
            succeeded=succeeded,
            accepted=bria.accepted,
            cpu={name: (after[name] - before[name]) / wall for name in before},
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=200, help="scene requests in the batch")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds a job takes on Bria")
    parser.add_argument("--concurrency", type=int, default=8, help="jobs each worker runs at once")
    options = parser.parse_args()
    if options.jobs < 1 or options.concurrency < 1 or options.latency <= 0:
        parser.error("--jobs and --concurrency must be at least 1, --latency above 0")
    for name, port in (("PostgreSQL", 5432), ("Redis", 6379)):
        if not _reachable(port):
            parser.error(f"{name} is not running on 127.0.0.1:{port} (scripts/services-up)")
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores; {options.jobs} jobs, "
        f"Bria latency {options.latency:g} s, {options.concurrency} jobs at once per worker; "
        "API, workers, PostgreSQL, Redis, moto S3 and the mock Bria all on this machine"
    )
    with tempfile.TemporaryDirectory(prefix="lightrig-bench-fleet-") as folder:
        runs = [one_run(workers, options, Path(folder)) for workers in (1, 2)]
    groups = list(runs[0].cpu)
    print(
        "\n| workers | wall s | ideal s | jobs/s | × ideal | succeeded | Bria submissions | "
        + " | ".join(f"CPU: {name}" for name in groups)
        + " |\n|---|---:|---:|---:|---:|---:|---:|"
        + "---:|" * len(groups)
    )
    for run in runs:
        print(
            f"| {run.workers} | {run.wall_s:.1f} | {run.ideal_s:.1f} | {run.throughput:.1f} "
            f"| {run.efficiency:.2f} | {run.succeeded} / {run.jobs} | {run.accepted} | "
            + " | ".join(f"{run.cpu[name]:.2f}" for name in groups)
            + " |"
        )
    print(f"(CPU in cores busy during the batch; this machine has {os.cpu_count()})")
    one, two = runs
    print(
        f"\nscaling efficiency, 1 → 2 workers: {two.throughput / (2 * one.throughput):.2f} "
        f"(throughput × {two.throughput / one.throughput:.2f})"
    )


if __name__ == "__main__":
    main()
