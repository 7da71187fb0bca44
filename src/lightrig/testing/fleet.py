"""A fleet on one machine: ``lightrig serve`` and any number of ``lightrig worker`` processes
sharing a database, image storage, Redis and the distributed job queue — for the fleet test
and ``benchmarks/fleet.py``.

:class:`Fleet` starts each process with the environment it is given (the ``LIGHTRIG_`` settings
of the deployment), logs each to its own file, and stops them all when the block ends (SIGTERM,
then SIGKILL). It starts nothing else: the servers the settings name must be up.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

__all__ = ["Fleet", "FleetProcess", "free_port"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class FleetProcess:
    """One process of the fleet: its ``subprocess.Popen`` and its log file."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, characters: int = 3000) -> str:
        """The end of its log."""
        return self.log.read_text(errors="replace")[-characters:]

    def signal(self, signum: int) -> None:
        """Send ``signum`` (SIGSTOP, SIGCONT, SIGKILL, ...) to the process."""
        os.kill(self.process.pid, signum)

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM (after SIGCONT, should it be stopped), then SIGKILL after ``timeout_s``."""
        if not self.alive():
            return
        for signum in (signal.SIGCONT, signal.SIGTERM):
            try:
                os.kill(self.process.pid, signum)
            except ProcessLookupError:
                return
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Fleet:
    """An API process and workers, each ``python -m lightrig ...`` with ``env``.

    ``env`` must hold the shared settings (``LIGHTRIG_DATABASE_URL``, ``LIGHTRIG_QUEUE_URL``,
    ...); logs go to ``logs`` (a folder). Use as a context manager.
    """

    def __init__(self, env: dict[str, str], logs: Path, *, startup_s: float = 60.0) -> None:
        self.env = env
        self.logs = logs
        self.startup_s = startup_s
        self.api: FleetProcess | None = None
        self.api_url = ""
        self.workers: list[FleetProcess] = []
        logs.mkdir(parents=True, exist_ok=True)

    def _spawn(self, name: str, *arguments: str) -> FleetProcess:
        command = [sys.executable, "-m", "lightrig", *arguments]
        return FleetProcess(name, command, self.env, self.logs / f"{name}.log")

    def start_api(self) -> str:
        """Start ``lightrig serve`` on a free port and wait until it is ready; its URL."""
        port = free_port()
        self.api = self._spawn("api", "serve", "--host", "127.0.0.1", "--port", str(port))
        self.api_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + self.startup_s
        while True:
            if not self.api.alive():
                raise RuntimeError(f"the API process exited:\n{self.api.tail()}")
            try:
                if httpx.get(f"{self.api_url}/readyz", timeout=5.0).status_code == 200:
                    return self.api_url
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the API was not ready in {self.startup_s:g} s")
            time.sleep(0.1)

    def start_worker(self, *arguments: str) -> FleetProcess:
        """Start one ``lightrig worker`` (with extra ``arguments``); it is waited for only
        until its log says it takes jobs."""
        worker = self._spawn(f"worker-{len(self.workers) + 1}", "worker", *arguments)
        self.workers.append(worker)
        deadline = time.monotonic() + self.startup_s
        while "taking jobs" not in worker.log.read_text(errors="replace"):
            if not worker.alive():
                raise RuntimeError(f"{worker.name} exited:\n{worker.tail()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{worker.name} did not start in {self.startup_s:g} s")
            time.sleep(0.05)
        return worker

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """``POST`` JSON to the API; the JSON answer (:class:`httpx.HTTPStatusError` on 4xx/5xx)."""
        response = httpx.post(f"{self.api_url}{path}", json=body, timeout=60.0)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def get(self, path: str) -> dict[str, Any]:
        """``GET`` from the API; the JSON answer."""
        response = httpx.get(f"{self.api_url}{path}", timeout=60.0)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def wait_for_batch(
        self, batch_id: str, *, timeout_s: float, every_s: float = 0.25
    ) -> dict[str, Any]:
        """Poll ``GET /v1/batches/{id}?items=false`` until every item has finished; the batch
        with its items."""
        deadline = time.monotonic() + timeout_s
        while True:
            progress = self.get(f"/v1/batches/{batch_id}?items=false")
            if progress["done"] >= progress["total"]:
                return self.get(f"/v1/batches/{batch_id}")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"batch {batch_id}: {progress['done']} of {progress['total']} done after "
                    f"{timeout_s:g} s ({progress['counts']})"
                )
            time.sleep(every_s)

    def close(self) -> None:
        """Stop every process."""
        for worker in self.workers:
            worker.stop()
        if self.api is not None:
            self.api.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
