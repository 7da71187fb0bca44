"""Batches against a rate-limited host: ``batch_generate`` beside a naive ``asyncio.gather``.

The mock Bria server runs in its own process, answering each job after ``--latency`` seconds and
allowing ``--rpm`` requests per minute on each endpoint, enforced over a rolling ``--window`` (1 s
by default: 600 a minute means at most 10 in any second — the stricter reading of a limit whose
algorithm Bria does not publish). The same requests then go through

* ``batch_generate``: bounded concurrency, and a client-side limiter that spaces every request
  (submits and status polls alike) to stay within the limit;
* a naive ``asyncio.gather`` of single generations with no shared limiter (each still retries
  a 429 after the server's ``Retry-After``).

For each it prints the wall time, the ideal time the limit allows (the submissions spaced at the
limit, plus one job's latency), the efficiency (ideal / actual), the 429 answers the host sent,
and how many 429s reached the caller as failures.

    python benchmarks/batch.py [--requests 120] [--latency 0.25] [--rpm 600] [--window 1]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx
from pydantic import SecretStr

from lightrig.backends.bria import BriaBackend
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService

TOKEN = "bench-token"


def _serve(port: int, latency: float, rpm: int, window: float) -> None:
    from lightrig.testing.mock_bria import MockBriaServer  # noqa: PLC0415 - in the child

    MockBriaServer(
        port=port,
        token=TOKEN,
        latency_s=latency,
        requests_per_minute=rpm,
        rate_window_s=window,
        image_size=64,
    ).serve_forever()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/v2/status/warmup", headers={"api_token": TOKEN}, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the mock Bria server did not start")


def _requests(count: int, offset: int) -> list[SceneRequest]:
    """Distinct requests (no two share a prompt, so the result cache never answers)."""
    names = list(PRESETS)
    made = []
    for index in range(count):
        data: dict[str, Any] = PRESETS[names[index % len(names)]].request().model_dump(mode="json")
        data["subject_description"] = f"sitter number {offset + index}"
        made.append(SceneRequest.model_validate(data))
    return made


@dataclass
class Outcome:
    """One run's figures."""

    wall_s: float
    failures: int
    failures_429: int
    retried_429: int


def _settings(url: str, data_dir: Path, rpm: int) -> Settings:
    return Settings(
        backend="bria",
        data_dir=data_dir,
        bria_base_url=f"{url}/v2",
        bria_api_token=SecretStr(TOKEN),
        bria_requests_per_minute=rpm,
        bria_poll_initial_s=0.3,
        bria_poll_max_s=1.0,
        request_timeout_s=10.0,
        total_timeout_s=120.0,
        retry_attempts=8,
        retry_initial_s=0.25,
        retry_max_s=4.0,
    )


async def _batched(settings: Settings, requests: list[SceneRequest]) -> Outcome:
    backend = BriaBackend(settings, MemoryRateLimiter())
    async with LightingGenerationService(settings, backend=backend) as service:
        await service.generate_from_lighting_setup(_requests(1, 10_000)[0])  # warm-up
        start = time.monotonic()
        results = await service.batch_generate(requests, concurrency=16)
        wall = time.monotonic() - start
        failed = [r for r in results if r.error is not None]
        return Outcome(
            wall_s=wall,
            failures=len(failed),
            failures_429=sum(1 for r in failed if "429" in (r.error or "")),
            retried_429=backend.retries_seen.get("429", 0),
        )


async def _naive(settings: Settings, requests: list[SceneRequest]) -> Outcome:
    backend = BriaBackend(settings, None)  # no shared limiter: every call on its own
    async with LightingGenerationService(settings, backend=backend) as service:
        start = time.monotonic()
        results = await asyncio.gather(
            *(service.generate_from_lighting_setup(r) for r in requests), return_exceptions=True
        )
        wall = time.monotonic() - start
        failed = [r for r in results if isinstance(r, BaseException)]
        return Outcome(
            wall_s=wall,
            failures=len(failed),
            failures_429=sum(
                1 for r in failed if isinstance(r, FIBOGenerationError) and r.status_code == 429
            ),
            retried_429=backend.retries_seen.get("429", 0),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--rpm", type=int, default=600)
    parser.add_argument("--window", type=float, default=1.0)
    options = parser.parse_args()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(port, options.latency, options.rpm, options.window), daemon=True
    )
    server.start()
    try:
        _wait_until_up(url)
        count = options.requests
        ideal = (count - 1) * 60.0 / options.rpm + options.latency
        print(
            f"{count} requests, mock latency {options.latency:g} s, limit {options.rpm}/min per "
            f"endpoint over a {options.window:g} s window; ideal {ideal:.1f} s"
        )
        with TemporaryDirectory() as folder:
            settings = _settings(url, Path(folder), options.rpm)
            runs = (
                ("batch_generate", asyncio.run(_batched(settings, _requests(count, 0)))),
                ("naive gather  ", asyncio.run(_naive(settings, _requests(count, count)))),
            )
        for name, outcome in runs:
            print(
                f"{name}: {outcome.wall_s:6.1f} s, efficiency {ideal / outcome.wall_s:4.2f}, "
                f"429s from the host {outcome.retried_429}, 429s reaching the caller "
                f"{outcome.failures_429}, failures {outcome.failures}"
            )
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
