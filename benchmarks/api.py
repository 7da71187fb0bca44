"""The REST API under concurrent load: requests per second and p50 / p99 latency of
``POST /v1/analyze`` and ``POST /v1/preview?size=128``, beside a bare FastAPI endpoint.

Three processes per measurement, all on this machine:

* ``lightrig serve`` on a free loopback port, with a temporary ``LIGHTRIG_DATA_DIR`` (no users,
  so no key is needed on loopback) and the per-user rate limit raised out of reach (the
  anonymous user would otherwise get 429 after 60 requests at once) — otherwise as it runs by
  default: embedded store, one JSON log line per request (to a file here);
* a bare FastAPI app with one endpoint answering a constant, served by uvicorn the same way (its
  own process, one worker, no access log): the floor of the framework and the server;
* the load generator: a subprocess running ``--concurrency`` httpx clients over as many
  keep-alive connections, for ``--requests`` requests or ``--seconds`` seconds after
  ``--warmup`` requests; it prints its measurements as JSON.

Every endpoint is sent the same body (the Rembrandt preset's scene request), the bare one too,
and is primed with one request first (the preview renderer compiles on its first call). For each
it prints requests per second, p50 and p99 latency, the CPU the server, the load generator and
every other process used meanwhile (100 % is one core; "other" well above zero means the machine
was busy with something else and the figures are not the servers' alone), and the ratio of each
lightrig endpoint's rate to the bare one's at the same concurrency. With the load generator
on the same cores as the server, the bare figure is partly the generator's own limit: read it
as a floor, not as the server's ceiling.

    python benchmarks/api.py [--concurrency 1 32] [--seconds 10 | --requests 2000] [--warmup 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from cpu import machine_cpu_seconds, process_cpu_seconds
from lightrig.presets import PRESETS

#: How long a server may take to answer its first request (the lightrig one migrates its store).
STARTUP_S = 60.0
#: How long one priming request may take (the preview renderer's first call compiles).
PRIME_S = 180.0
JSON = {"content-type": "application/json"}
#: The endpoint the bare app answers.
BARE_PATH = "/constant"


@dataclass(frozen=True)
class Endpoint:
    """What the load generator asks for."""

    name: str
    server: str  # "lightrig" or "bare"
    path: str


ENDPOINTS = (
    Endpoint("bare FastAPI constant", "bare", BARE_PATH),
    Endpoint("POST /v1/analyze", "lightrig", "/v1/analyze"),
    Endpoint("POST /v1/preview?size=128", "lightrig", "/v1/preview?size=128"),
)


# --------------------------------------------------------------------------- the bare server


def _serve_bare(port: int) -> None:
    """The bare app, served as ``lightrig serve`` serves lightrig's (in this process)."""
    import uvicorn  # noqa: PLC0415 - only the server process needs them
    from fastapi import FastAPI  # noqa: PLC0415

    app = FastAPI()

    @app.post(BARE_PATH)
    async def constant() -> dict[str, str]:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


# --------------------------------------------------------------------------- the load generator


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


async def _load(
    url: str,
    body: bytes,
    *,
    concurrency: int,
    requests: int | None,
    seconds: float | None,
    warmup: int,
    server_pid: int | None,
) -> dict[str, Any]:
    # a client (and connection) per worker: one shared pool of N connections costs the
    # generator more CPU per request as N grows, which would measure the generator
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    failures: dict[str, int] = {}

    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(limits=limits, timeout=120.0, headers=JSON)
            )
            for _ in range(concurrency)
        ]

        async def one(client: httpx.AsyncClient, record: bool) -> None:
            started = time.perf_counter()
            try:
                response = await client.post(url, content=body)
                await response.aread()
            except httpx.HTTPError as error:
                failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
                return
            if record:
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        async def drive(count: int | None, until: float | None, *, record: bool) -> None:
            left = count

            async def worker(client: httpx.AsyncClient) -> None:
                nonlocal left
                while True:
                    if left is not None:
                        if left <= 0:
                            return
                        left -= 1
                    elif until is not None and time.perf_counter() >= until:
                        return
                    await one(client, record)

            await asyncio.gather(*(worker(client) for client in clients))

        await drive(warmup, None, record=False)
        server_before = process_cpu_seconds(server_pid) if server_pid is not None else None
        machine_before = machine_cpu_seconds()
        own_before = _own_cpu_seconds()
        started = time.perf_counter()
        until = None if seconds is None else started + seconds
        await drive(requests, until, record=True)
        elapsed = time.perf_counter() - started
        own_cpu = _own_cpu_seconds() - own_before
        server_after = process_cpu_seconds(server_pid) if server_pid is not None else None
        machine_after = machine_cpu_seconds()

    ordered = sorted(latencies)
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    server_cpu = (
        None if server_before is None or server_after is None else server_after - server_before
    )
    # what the rest of the machine used meanwhile: on a shared box, a sign the figures are not
    # the servers' alone
    other_cpu = (
        None
        if machine_before is None or machine_after is None or server_cpu is None
        else max(0.0, machine_after - machine_before - server_cpu - own_cpu)
    )
    return {
        "url": url,
        "concurrency": concurrency,
        "requests": len(latencies),
        "ok": ok,
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "failures": failures,
        "seconds": elapsed,
        "rps": ok / elapsed,
        "p50_ms": _percentile(ordered, 0.50) * 1000,
        "p90_ms": _percentile(ordered, 0.90) * 1000,
        "p99_ms": _percentile(ordered, 0.99) * 1000,
        "max_ms": (ordered[-1] if ordered else float("nan")) * 1000,
        "client_cpu": own_cpu / elapsed,
        "server_cpu": None if server_cpu is None else server_cpu / elapsed,
        "other_cpu": None if other_cpu is None else other_cpu / elapsed,
    }


def _run_load(options: argparse.Namespace) -> None:
    """The load generator's process: measure, print one JSON object."""
    body = Path(options.body).read_bytes()
    # uvloop when installed (uvicorn[standard] brings it; the servers use it too): the cheaper
    # the generator's event loop, the more of the CPU is left to the servers
    try:
        import uvloop  # noqa: PLC0415 - optional

        loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        result = runner.run(
            _load(
                options.load,
                body,
                concurrency=options.concurrency[0],
                requests=options.requests,
                seconds=options.seconds,
                warmup=options.warmup,
                server_pid=options.server_pid,
            )
        )
    print(json.dumps(result))


# --------------------------------------------------------------------------- the conductor


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A server process and where it answers."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path


@contextlib.contextmanager
def _server(
    name: str, command: Callable[[int], list[str]], env: dict[str, str], workdir: Path
) -> Iterator[Server]:
    """Start ``command(port)`` on a free port (its output to a log file), yield it, and stop it
    however the block ends: SIGTERM, then SIGKILL after 10 s."""
    port = _free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command(port),
            env=env,
            cwd=workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(name, process, f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: Server, path: str) -> None:
    """Until ``server`` answers ``GET path`` (any status: it is up)."""
    deadline = time.monotonic() + STARTUP_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"the {server.name} server exited ({server.process.returncode}):\n"
                + server.log.read_text(errors="replace")[-3000:]
            )
        try:
            httpx.get(server.base_url + path, timeout=2.0)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                message = f"the {server.name} server did not start in {STARTUP_S:g} s"
                raise TimeoutError(message) from None
            time.sleep(0.1)


def _prime(url: str, body: bytes) -> None:
    """One request, answered 2xx, before any measurement."""
    response = httpx.post(url, content=body, headers=JSON, timeout=PRIME_S)
    if not response.is_success:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:500]}")


def _measure(
    url: str, body_file: Path, server: Server, concurrency: int, options: argparse.Namespace
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--load",
        url,
        "--body",
        str(body_file),
        "--concurrency",
        str(concurrency),
        "--warmup",
        str(options.warmup),
        "--server-pid",
        str(server.process.pid),
    ]
    if options.requests is not None:
        command += ["--requests", str(options.requests)]
    else:
        command += ["--seconds", str(options.seconds)]
    budget = (options.seconds or 0.0) + 600.0
    done = subprocess.run(command, capture_output=True, text=True, timeout=budget, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _cpu(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def _print_table(results: list[tuple[Endpoint, dict[str, Any]]]) -> None:
    bare = {r["concurrency"]: r["rps"] for e, r in results if e.server == "bare"}
    print(
        "\n| endpoint | concurrency | requests/s | p50 ms | p99 ms | requests | non-2xx "
        "| server CPU | load-gen CPU | other CPU | × bare |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for endpoint, r in results:
        ratio = "" if endpoint.server == "bare" else f"{r['rps'] / bare[r['concurrency']]:.3f}"
        failed = r["requests"] - r["ok"] + sum(r["failures"].values())
        print(
            f"| {endpoint.name} | {r['concurrency']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} "
            f"| {r['p99_ms']:.1f} | {r['requests']:,} | {failed} | {_cpu(r['server_cpu'])} "
            f"| {_cpu(r['client_cpu'])} | {_cpu(r['other_cpu'])} | {ratio} |"
        )
    for endpoint, r in results:
        if r["requests"] != r["ok"] or r["failures"]:
            print(
                f"warning: {endpoint.name} at {r['concurrency']}: statuses {r['statuses']}, "
                f"transport failures {r['failures']}"
            )


def _environment(data_dir: Path) -> dict[str, str]:
    """This environment without lightrig's settings (so a server URL set here is not used),
    then a fresh data folder and no reachable per-user limit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIGHTRIG_")}
    env["LIGHTRIG_DATA_DIR"] = str(data_dir)
    env["LIGHTRIG_API_REQUESTS_PER_MINUTE"] = str(10**9)
    env["LIGHTRIG_API_BURST"] = str(10**9)
    return env


def conduct(options: argparse.Namespace) -> None:
    """Start both servers, measure every endpoint at every concurrency, print the table."""
    body = PRESETS["rembrandt"].request().model_dump_json().encode()
    cores = os.cpu_count()
    mode = (
        f"{options.requests} requests" if options.requests is not None else f"{options.seconds:g} s"
    )
    print(
        f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{cores} cores; servers and load generator on this one machine, over loopback; "
        f"{mode} per measurement after {options.warmup} warm-up requests"
    )
    workdir = Path(tempfile.mkdtemp(prefix="lightrig-bench-api-"))
    try:
        body_file = workdir / "body.json"
        body_file.write_bytes(body)
        env = _environment(workdir / "data")
        here = str(Path(__file__).resolve())

        def lightrig(port: int) -> list[str]:
            serve = ["-m", "lightrig", "serve", "--host", "127.0.0.1", "--port", str(port)]
            return [sys.executable, *serve]

        def bare(port: int) -> list[str]:
            return [sys.executable, here, "--bare-server", str(port)]

        results: list[tuple[Endpoint, dict[str, Any]]] = []
        with (
            _server("lightrig", lightrig, env, workdir) as ours,
            _server("bare", bare, env, workdir) as theirs,
        ):
            servers = {"lightrig": ours, "bare": theirs}
            _wait_ready(ours, "/healthz")
            _wait_ready(theirs, BARE_PATH)
            for endpoint in ENDPOINTS:
                _prime(servers[endpoint.server].base_url + endpoint.path, body)
            for concurrency in options.concurrency:
                for endpoint in ENDPOINTS:
                    server = servers[endpoint.server]
                    url = server.base_url + endpoint.path
                    print(f"… {endpoint.name} at concurrency {concurrency}", flush=True)
                    result = _measure(url, body_file, server, concurrency, options)
                    results.append((endpoint, result))
        _print_table(results)
    except BaseException:
        for log in sorted(workdir.glob("*.log")):
            sys.stderr.write(f"--- {log.name} (last lines)\n")
            sys.stderr.write(log.read_text(errors="replace")[-2000:] + "\n")
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 32],
        help="connections at once (several values: one measurement each)",
    )
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--requests", type=int, help="requests per measurement")
    amount.add_argument("--seconds", type=float, help="seconds per measurement (default 10)")
    parser.add_argument(
        "--warmup", type=int, default=200, help="requests before each measurement, not counted"
    )
    # the child processes' modes
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--load", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--body", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.requests is None and options.seconds is None:
        options.seconds = 10.0
    if any(n < 1 for n in options.concurrency) or (options.requests or 1) < 1:
        parser.error("--concurrency and --requests must be at least 1")
    if options.bare_server is not None:
        _serve_bare(options.bare_server)
    elif options.load is not None:
        _run_load(options)
    else:
        conduct(options)


if __name__ == "__main__":
    main()
