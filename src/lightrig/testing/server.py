"""The mock host's engine: a server in a background thread, its lifecycle, its statistics and
the plumbing subclasses route requests with (rate limit, scripted faults, jobs, images).

The concepts live next door: HTTP in :mod:`~lightrig.testing.transport`, checked settings in
:mod:`~lightrig.testing.options`, faults in :mod:`~lightrig.testing.faults`, jobs and the
ledger of accepted submissions in :mod:`~lightrig.testing.jobs`, the limit in
:mod:`~lightrig.testing.ratelimit`.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping
from types import TracebackType
from typing import ClassVar, Self

from lightrig.testing.checks import JSONObject
from lightrig.testing.faults import FaultScript
from lightrig.testing.jobs import Job, JobLedger, PreviewImages
from lightrig.testing.ratelimit import WINDOW_S, SlidingWindow
from lightrig.testing.transport import HTTPServer, Reply, Request

__all__ = ["STOP_GRACE_S", "MockServer"]

#: How long :meth:`MockServer.stop` waits for request threads to finish, in seconds.
STOP_GRACE_S = 2.0


class MockServer(ABC):
    """A mock host in a background daemon thread on ``host``:``port`` (0 picks a free port).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. Requests are served
    concurrently; shared state is guarded by :attr:`lock`. Subclasses route requests in
    :meth:`handle` and name their scriptable endpoints and faults in :attr:`SCRIPTABLE`.
    """

    #: Endpoint → the faults :meth:`script` accepts for it.
    SCRIPTABLE: ClassVar[Mapping[str, frozenset[str]]] = {}
    #: Whether the host serves rendered images (the renderer is then warmed in :meth:`start`).
    SERVES_IMAGES: ClassVar[bool] = True

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, rate_window_s: float = WINDOW_S
    ) -> None:
        if not rate_window_s > 0:
            raise ValueError("rate_window_s must be positive")
        self.lock = threading.RLock()
        self._address = (host, port)
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._script = FaultScript(self.SCRIPTABLE)
        self._limiter = SlidingWindow(rate_window_s)
        self._images = PreviewImages()
        self._ledger = JobLedger()
        self._rejected_429 = 0
        self._requests_by_endpoint: Counter[str] = Counter()
        self._faults_served: Counter[tuple[str, str]] = Counter()

    # lifecycle

    def start(self) -> Self:
        """Warm the renderer, bind and serve in a background daemon thread; returns the
        server."""
        if self.SERVES_IMAGES:
            self._images.warm()
        with self.lock:
            if self._httpd is not None:
                raise RuntimeError("the mock server is already running")
            self._stopping.clear()
            httpd = HTTPServer(self._address, self)
            self._httpd = httpd
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"{type(self).__name__}:{httpd.server_address[1]}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: wake held requests, close connections, join the threads (promptly)."""
        with self.lock:
            httpd, thread = self._httpd, self._thread
            self._httpd, self._thread = None, None
        if httpd is None or thread is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        thread.join()
        deadline = time.monotonic() + STOP_GRACE_S
        with httpd.guard:
            workers = list(httpd.workers)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C), blocking the calling thread; then stop."""
        with self.lock:
            running = self._thread is not None
        if not running:
            self.start()
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        with self.lock:
            return self._httpd is not None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: where the server listens (once started)."""
        with self.lock:
            if self._httpd is None:
                raise RuntimeError("the mock server is not running: call start() first")
            host, port = self._httpd.server_address[:2]
        name = str(host)
        if name in ("0.0.0.0", "", "::"):
            name = "127.0.0.1"
        elif ":" in name:
            name = f"[{name}]"
        return f"http://{name}:{port}"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # statistics (snapshots, taken under the lock)

    @property
    def accepted(self) -> int:
        """Submissions that created a job: what a real host would bill."""
        with self.lock:
            return self._ledger.accepted

    @property
    def accepted_by_seed(self) -> Counter[int]:
        """Submissions that created a job, by seed (the default seed when none was sent)."""
        with self.lock:
            return Counter(self._ledger.accepted_by_seed)

    @property
    def accepted_unanswered(self) -> int:
        """Accepted submissions whose answer an accepted-then-fail fault replaced: jobs the
        client was never told about."""
        with self.lock:
            return self._ledger.accepted_unanswered

    @property
    def submissions(self) -> list[JSONObject]:
        """The parsed body of every submission that created a job, in order."""
        with self.lock:
            return list(self._ledger.submissions)

    @property
    def submitted_paths(self) -> list[str]:
        """The path each submission that created a job was sent to (its model's), in order."""
        with self.lock:
            return list(self._ledger.paths)

    @property
    def rejected_429(self) -> int:
        """429 answers sent: over the rate limit, scripted or random."""
        with self.lock:
            return self._rejected_429

    @property
    def requests_by_endpoint(self) -> Counter[str]:
        """Every request received, by endpoint name, whatever its answer."""
        with self.lock:
            return Counter(self._requests_by_endpoint)

    @property
    def faults_served(self) -> Counter[tuple[str, str]]:
        """Faults served, scripted or random, by ``(endpoint, fault)``."""
        with self.lock:
            return Counter(self._faults_served)

    def reset_stats(self) -> None:
        """Zero the statistics and empty the rate limiter's window (jobs are kept)."""
        with self.lock:
            self._ledger.reset_counts()
            self._rejected_429 = 0
            self._requests_by_endpoint.clear()
            self._faults_served.clear()
            self._limiter.clear()

    # scripted faults

    def script(self, endpoint: str, *faults: str) -> None:
        """Queue ``faults`` for the next requests to ``endpoint``, one per request, in order.

        A scripted fault is taken by a request that passed authentication and the rate limit,
        and wins over any random fault.
        """
        with self.lock:
            self._script.add(endpoint, faults)

    def pending_faults(self, endpoint: str) -> list[str]:
        """The scripted faults still queued for ``endpoint``."""
        with self.lock:
            return self._script.pending(endpoint)

    def clear_script(self) -> None:
        """Drop every queued fault."""
        with self.lock:
            self._script.clear()

    def next_fault(self, endpoint: str) -> str | None:
        """The fault for this request: the next scripted one, else :meth:`random_fault`;
        counted in :attr:`faults_served`."""
        with self.lock:
            fault = self._script.take(endpoint)
            if fault is None:
                fault = self.random_fault(endpoint)
            if fault is not None:
                self._faults_served[(endpoint, fault)] += 1
            return fault

    def random_fault(self, endpoint: str) -> str | None:
        """A fault drawn at random for this request (called under the lock); none by default."""
        return None

    # helpers for subclasses

    def count_request(self, endpoint: str) -> None:
        """Count a request received on ``endpoint``."""
        with self.lock:
            self._requests_by_endpoint[endpoint] += 1

    def count_429(self) -> None:
        """Count a 429 answer."""
        with self.lock:
            self._rejected_429 += 1

    def admit(self, endpoint: str, per_minute: int) -> int | None:
        """Admit a request to ``endpoint`` under ``per_minute`` requests per minute, or count a
        429 and return the Retry-After in whole seconds."""
        with self.lock:
            retry_after = self._limiter.admit(endpoint, per_minute, time.monotonic())
            if retry_after is not None:
                self._rejected_429 += 1
            return retry_after

    def hold(self, delay_s: float) -> bool:
        """Wait ``delay_s`` seconds; ``False`` when the server began stopping meanwhile."""
        if delay_s <= 0.0:
            return not self._stopping.is_set()
        return not self._stopping.wait(delay_s)

    def add_job(self, job: Job, submission: JSONObject, path: str = "") -> None:
        """Record an accepted submission (sent to ``path``) and its job."""
        with self.lock:
            self._ledger.add(job, submission, path)

    def count_unanswered(self) -> None:
        """Count an accepted submission whose answer a fault replaced."""
        with self.lock:
            self._ledger.accepted_unanswered += 1

    def finish_jobs(self) -> int:
        """Make every job still in progress ready now (the host catches up); how many were."""
        with self.lock:
            return self._ledger.finish_all(time.monotonic())

    @property
    def job_ids(self) -> set[str]:
        """The ids of every job an accepted submission created (snapshot)."""
        with self.lock:
            return set(self._ledger.jobs)

    def job(self, job_id: str) -> Job | None:
        """The job with this id, if any."""
        with self.lock:
            return self._ledger.jobs.get(job_id)

    def file_reply(self, path: str, not_found: Reply) -> Reply:
        """``GET /files/{id}.png``: the job's preview picture once it has finished well."""
        name = path.removeprefix("/files/")
        job = self.job(name.removesuffix(".png")) if name.endswith(".png") else None
        if job is None or job.failed or job.cancelled or not job.done(time.monotonic()):
            return not_found
        return Reply(200, self._images.png(job), content_type="image/png")

    @abstractmethod
    def handle(self, request: Request) -> Reply | None:
        """Answer ``request``; ``None`` closes the connection without an answer."""
