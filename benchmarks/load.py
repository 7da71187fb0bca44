"""The API under load: does ``/readyz`` keep answering, and does the server shed work only with
a deliberate ``503`` + ``Retry-After``?

For each of two runs — the CPU pool on (``LIGHTRIG_CPU_WORKERS`` unset: one worker per core,
the default) and off (``LIGHTRIG_CPU_WORKERS=0``: renders wait in an unbounded line, as before
the pool) — it starts ``lightrig serve`` in its own process (embedded defaults, the preview
backend, a temporary ``LIGHTRIG_DATA_DIR``, a user and API key made with ``lightrig users
create``, the rate limit raised out of reach), waits for it to be warm, then runs the load in a
second process: ``--clients`` (32) clients posting previews (a random preset at a random size,
64–512 px) and, one request in ``--batch-every`` (8), a small batch (2 presets, rendered at
``--batch-size`` px), for ``--seconds`` (60) seconds, while another client polls ``/readyz``
every 100 ms (10 s timeout).

It prints, per run: ``/readyz`` latency p50 / p99 / max in milliseconds and its statuses; the
count of each status code of the load's requests (``err`` is a request that got no answer in
``--timeout`` seconds); the number of 5xx that are not a 503 with ``Retry-After`` (must be 0);
and the throughput (answered 2xx per second), then the ratios pool / no pool. It exits 1 when
the pooled run missed the bar: ``/readyz`` p99 over 1 s, a ``/readyz`` that was not 200, or a
5xx that was not a deliberate 503 with ``Retry-After``.

    python benchmarks/load.py [--seconds 60] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from lightrig.presets import PRESETS

#: How long the server may take to start and warm (migrations, numba's kernels).
STARTUP_S = 180.0
#: How often the readiness poller asks, seconds.
POLL_S = 0.1


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# ------------------------------------------------------------------------------- the load side


async def _poll_readyz(url: str, until: float, out: dict[str, Any]) -> None:
    latencies: list[float] = []
    slow: list[tuple[float, float]] = []
    statuses: Counter[str] = Counter()
    began = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        while time.monotonic() < until:
            start = time.perf_counter()
            try:
                response = await client.get("/readyz")
                statuses[str(response.status_code)] += 1
            except httpx.HTTPError:
                statuses["err"] += 1
            latencies.append(time.perf_counter() - start)
            if latencies[-1] > 0.5:
                slow.append((round(time.monotonic() - began, 1), round(latencies[-1], 2)))
            await asyncio.sleep(max(0.0, POLL_S - (time.perf_counter() - start)))
    out["readyz_latencies_s"] = sorted(latencies)
    out["readyz_statuses"] = dict(statuses)
    out["readyz_slow"] = slow


async def _client(
    url: str, key: str, until: float, options: argparse.Namespace, *, seed: int, out: dict[str, Any]
) -> None:
    chance = random.Random(seed)
    presets = [preset.request().model_dump(mode="json") for preset in PRESETS.values()]
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=options.timeout) as client:
        while time.monotonic() < until:
            batch = chance.randrange(options.batch_every) == 0
            try:
                if batch:
                    body = {"requests": chance.sample(presets, 2), "seed": chance.randrange(1000)}
                    response = await client.post("/v1/batches", json=body)
                else:
                    size = chance.randrange(64, 513)
                    body = chance.choice(presets)
                    response = await client.post(f"/v1/preview?size={size}", json=body)
            except httpx.HTTPError:
                out["statuses"]["err"] += 1
                continue
            status = response.status_code
            out["statuses"][str(status)] += 1
            if 200 <= status < 300:
                out["ok"] += 1
            if status >= 500 and not (status == 503 and "retry-after" in response.headers):
                out["bad_5xx"] += 1
                out["bad_examples"].append(f"{status} {response.text[:200]}")
            if status == 503 and "retry-after" in response.headers:
                # a client that honours Retry-After would wait; this one waits a little, so the
                # load stays high and the shedding is exercised
                await asyncio.sleep(min(float(response.headers["retry-after"]), 1.0) / 4)


async def _drive(url: str, key: str, options: argparse.Namespace) -> dict[str, Any]:
    until = time.monotonic() + options.seconds
    out: dict[str, Any] = {"statuses": Counter(), "ok": 0, "bad_5xx": 0, "bad_examples": []}
    started = time.monotonic()
    await asyncio.gather(
        _poll_readyz(url, until, out),
        *(_client(url, key, until, options, seed=n, out=out) for n in range(options.clients)),
    )
    out["elapsed_s"] = time.monotonic() - started
    out["statuses"] = dict(out["statuses"])
    out["bad_examples"] = out["bad_examples"][:5]
    return out


# ----------------------------------------------------------------------------- the server side


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(data_dir: Path, options: argparse.Namespace, pool: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIGHTRIG_")}
    env["LIGHTRIG_DATA_DIR"] = str(data_dir)
    env["LIGHTRIG_API_REQUESTS_PER_MINUTE"] = str(10**9)
    env["LIGHTRIG_API_BURST"] = str(10**9)
    env["LIGHTRIG_PREVIEW_SIZE"] = str(options.batch_size)
    if not pool:
        env["LIGHTRIG_CPU_WORKERS"] = "0"
    return env


def _make_key(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "lightrig", "users", "create", "load", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key: str = json.loads(done.stdout)["api_key"]
    return key


@contextlib.contextmanager
def _server(env: dict[str, str], workdir: Path) -> Iterator[str]:
    port = _free_port()
    log = workdir / f"server-{port}.log"
    command = [sys.executable, "-m", "lightrig", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, cwd=workdir, stdout=sink, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:  # up, and warm when the server says so (the pool-less one has no warm-up)
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the server exited ({process.returncode}):\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                body = httpx.get(f"{url}/readyz", timeout=5.0).json()
                if body.get("warm", True):
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server did not start in {STARTUP_S:g} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _run(options: argparse.Namespace, pool: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lightrig-load-") as temp:
        workdir = Path(temp)
        env = _environment(workdir / "data", options, pool)
        key = _make_key(env)
        with _server(env, workdir) as url:
            # one primed preview, so that neither run pays numba's compile inside the load
            httpx.post(
                f"{url}/v1/preview?size=64",
                json=next(iter(PRESETS.values())).request().model_dump(mode="json"),
                headers={"Authorization": f"Bearer {key}"},
                timeout=STARTUP_S,
            ).raise_for_status()
            load = subprocess.run(
                [sys.executable, __file__, "--drive", url, key, *_passed(options)],
                capture_output=True,
                text=True,
                check=True,
            )
    found: dict[str, Any] = json.loads(load.stdout)
    return found


def _passed(options: argparse.Namespace) -> list[str]:
    return [
        f"--seconds={options.seconds}",
        f"--clients={options.clients}",
        f"--batch-every={options.batch_every}",
        f"--batch-size={options.batch_size}",
        f"--timeout={options.timeout}",
    ]


def _summary(name: str, found: dict[str, Any]) -> dict[str, float]:
    latencies = found["readyz_latencies_s"]
    figures = {
        "readyz_p50_ms": 1000 * _percentile(latencies, 0.5),
        "readyz_p99_ms": 1000 * _percentile(latencies, 0.99),
        "readyz_max_ms": 1000 * (latencies[-1] if latencies else float("nan")),
        "throughput_per_s": found["ok"] / found["elapsed_s"],
        "readyz_not_200": sum(n for code, n in found["readyz_statuses"].items() if code != "200"),
        "bad_5xx": found["bad_5xx"],
    }
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(found["statuses"].items()))
    readyz = ", ".join(f"{code}: {n}" for code, n in sorted(found["readyz_statuses"].items()))
    print(f"{name}")
    print(
        f"  /readyz  p50 {figures['readyz_p50_ms']:8.1f} ms   p99 {figures['readyz_p99_ms']:8.1f}"
        f" ms   max {figures['readyz_max_ms']:8.1f} ms   ({len(latencies)} polls; {readyz})"
    )
    if found["readyz_slow"]:
        slow = ", ".join(f"{latency:g} s at {at:g} s" for at, latency in found["readyz_slow"])
        print(f"  /readyz over 500 ms: {slow}")
    print(f"  load     {statuses}")
    print(f"  5xx that are not 503 + Retry-After: {found['bad_5xx']}")
    for example in found["bad_examples"]:
        print(f"    {example}")
    print(f"  throughput {figures['throughput_per_s']:.2f} answered 2xx / s")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="Load duration per run.")
    parser.add_argument("--clients", type=int, default=32, help="Concurrent load clients.")
    parser.add_argument("--batch-every", type=int, default=8, help="One request in N a batch.")
    parser.add_argument("--batch-size", type=int, default=128, help="Batch renders' side, px.")
    parser.add_argument("--timeout", type=float, default=30.0, help="A load request's timeout.")
    parser.add_argument("--drive", nargs=2, metavar=("URL", "KEY"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.drive:
        url, key = options.drive
        print(json.dumps(asyncio.run(_drive(url, key, options))))
        return
    print(
        f"{options.clients} clients for {options.seconds:g} s on {os.cpu_count()} cores "
        f"(previews 64–512 px, one request in {options.batch_every} a batch of 2 at "
        f"{options.batch_size} px); /readyz every {POLL_S * 1000:g} ms\n"
    )
    pooled = _summary("CPU pool (one worker per core)", _run(options, pool=True))
    print()
    bare = _summary(
        "no pool (LIGHTRIG_CPU_WORKERS=0: renders wait in line)", _run(options, pool=False)
    )
    print()
    for name in ("readyz_p50_ms", "readyz_p99_ms", "readyz_max_ms", "throughput_per_s"):
        ratio = pooled[name] / bare[name] if bare[name] else float("nan")
        print(f"ratio pool / no pool  {name:18} {ratio:6.2f}")
    if not pooled["readyz_p99_ms"] < 1000 or pooled["readyz_not_200"] or pooled["bad_5xx"]:
        print("\nFAILED: the pooled run missed the bar (readyz p99 < 1 s, all 200, no bad 5xx)")
        sys.exit(1)


if __name__ == "__main__":
    main()
