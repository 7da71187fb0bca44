"""Plumbing shared by the mock hosts: a threaded HTTP server in a background thread, checked
settings read and written under the server's lock, a sliding-window rate limiter, scripted faults,
jobs and their preview images.

Only the standard library speaks HTTP here (:class:`http.server.ThreadingHTTPServer`), so the
mocks exercise a client's real network code: connection reuse, timeouts, dropped connections and
bodies that do not parse.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar, cast, overload
from urllib.parse import parse_qs, urlsplit

from lightrig.errors import InvalidStructuredPromptError
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.schema import validate_prompt
from lightrig.lighting.roles import LightType
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import MAX_SIZE, MIN_SIZE, PreviewRenderer

__all__ = [
    "Job",
    "MockServer",
    "Option",
    "PreviewImages",
    "Reply",
    "Request",
    "SlidingWindow",
]

logger = logging.getLogger("lightrig.testing")

T = TypeVar("T")

#: The rate limiter's window, in seconds.
WINDOW_S = 60.0
#: Largest request body the mocks read, in bytes.
MAX_BODY_BYTES = 8 * 1024 * 1024
#: How long :meth:`MockServer.stop` waits for request threads to finish, in seconds.
STOP_GRACE_S = 2.0
#: The truncated JSON body a "malformed" fault answers with.
MALFORMED_BODY = b'{"request_id": '
#: The seed a job gets when the request names none.
DEFAULT_SEED = 5555
#: The largest seed the hosts accept (2³¹ − 1).
MAX_SEED = 2_147_483_647

JSONObject = dict[str, Any]


# --- settings ---------------------------------------------------------------------------------


class Option(Generic[T]):
    """A server setting: checked on every write, read and written under the server's lock.

    ``check(name, value)`` returns the value to store or raises :class:`ValueError`.
    """

    def __init__(self, check: Callable[[str, object], T]) -> None:
        self._check = check
        self._name = ""
        self._slot = ""

    def __set_name__(self, owner: type[object], name: str) -> None:
        self._name = name
        self._slot = f"_option_{name}"

    @overload
    def __get__(self, obj: None, owner: type[object] | None = None) -> Self: ...

    @overload
    def __get__(self, obj: MockServer, owner: type[object] | None = None) -> T: ...

    def __get__(self, obj: MockServer | None, owner: type[object] | None = None) -> T | Self:
        if obj is None:
            return self
        with obj.lock:
            return cast(T, getattr(obj, self._slot))

    def __set__(self, obj: MockServer, value: T) -> None:
        checked = self._check(self._name, value)
        with obj.lock:
            setattr(obj, self._slot, checked)


def seconds(name: str, value: object) -> float:
    """A duration in seconds, finite and not negative."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number of seconds, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be 0 s or more, got {value!r}")
    return float(value)


def fraction(name: str, value: object) -> float:
    """A probability in 0–1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a rate between 0 and 1, got {value!r}")
    return float(value)


def positive_int(name: str, value: object) -> int:
    """A whole number of 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, got {value!r}")
    return value


def image_side(name: str, value: object) -> int:
    """An image side the preview renderer can draw, in pixels."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
        raise ValueError(f"{name} must be {MIN_SIZE}–{MAX_SIZE} pixels, got {value!r}")
    return value


def text(name: str, value: object) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


# --- checks on request fields (each returns a problem in words, or None) -----------------------


def is_int(value: object) -> bool:
    """An integer in JSON (``true`` and ``false`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """A finite number in JSON (``true`` and ``false`` are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_int(value: object, low: int, high: int) -> str | None:
    """``value`` must be an integer in ``low``–``high``."""
    if not is_int(value):
        return f"must be an integer, got {json_type(value)}"
    if not low <= cast(int, value) <= high:
        return f"must be between {low} and {high}, got {value}"
    return None


def check_str(value: object) -> str | None:
    """``value`` must be a string."""
    return None if isinstance(value, str) else f"must be a string, got {json_type(value)}"


def check_bool(value: object) -> str | None:
    """``value`` must be ``true`` or ``false``."""
    return None if isinstance(value, bool) else f"must be a boolean, got {json_type(value)}"


def check_choice(value: object, choices: Iterable[str]) -> str | None:
    """``value`` must be one of ``choices``."""
    options = tuple(choices)
    if value in options:
        return None
    return f"must be one of {', '.join(options)}; got {json.dumps(value)}"


def prompt_problems(data: object) -> list[str]:
    """What keeps ``data`` from being a structured prompt (``validate_prompt``, not strict)."""
    try:
        validate_prompt(data, strict=False)
    except InvalidStructuredPromptError as exc:
        return [str(error) for error in exc.errors] or [str(exc)]
    return []


def json_type(value: object) -> str:
    """The JSON name of ``value``'s type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# --- HTTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One HTTP request as a mock sees it.

    ``path`` has no query string; ``headers`` has lower-case names; ``base_url`` is the URL the
    client reached the server by (from its ``Host`` header), for links in responses.
    """

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    base_url: str

    def header(self, name: str) -> str | None:
        """A header's value, ``None`` when absent (names are case-insensitive)."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The body parsed as JSON; raises :class:`ValueError` when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Reply:
    """An HTTP response to send: status, body bytes, content type and extra headers."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Reply:
        """A JSON response."""
        return cls(status, json.dumps(payload).encode("utf-8"), headers=dict(headers or {}))


class _HTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that remembers its mock and its open connections, so that
    stopping also closes kept-alive connections and waits for their threads."""

    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops bursts of connections
    block_on_close = False  # request threads are joined by MockServer.stop, with a deadline

    def __init__(self, address: tuple[str, int], mock: MockServer) -> None:
        self.mock = mock
        self.connections: set[socket.socket] = set()
        self.workers: set[threading.Thread] = set()
        self.guard = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.guard:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.guard:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (it timed out, say) is expected: no traceback.
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Shut every open connection, waking threads blocked reading from kept-alive ones."""
        with self.guard:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _BadBodyError(Exception):
    """A request body that could not be read (its framing, not its content)."""


class _Handler(BaseHTTPRequestHandler):
    """Reads each request, asks the mock for a :class:`Reply` and writes it (or, for ``None``,
    closes the connection without answering)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server_version = "lightrig-mock/1.0"
    sys_version = ""

    @property
    def _httpd(self) -> _HTTPServer:
        return cast(_HTTPServer, self.server)

    def setup(self) -> None:
        super().setup()
        with self._httpd.guard:
            self._httpd.workers.add(threading.current_thread())

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            logger.debug("connection closed before the answer was flushed", exc_info=True)
        finally:
            with self._httpd.guard:
                self._httpd.workers.discard(threading.current_thread())

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise _BadBodyError("bad chunk size") from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise _BadBodyError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _BadBodyError("bad Content-Length") from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadBodyError("bad Content-Length")
        body = self.rfile.read(length)
        if len(body) < length:
            raise _BadBodyError("body shorter than its Content-Length")
        return body

    def _dispatch(self) -> None:
        mock = self._httpd.mock
        try:
            body = self._read_body()
        except _BadBodyError as exc:
            self.close_connection = True
            self._send(Reply.json(400, {"detail": f"unreadable request body: {exc}"}))
            return
        split = urlsplit(self.path)
        host = self.headers.get("Host")
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
            base_url=f"http://{host}" if host else mock.url,
        )
        try:
            reply = mock.handle(request)
        except Exception:
            logger.exception("mock server failed on %s %s", self.command, self.path)
            reply = Reply.json(500, {"detail": "mock server error"})
        if reply is None:  # drop: hang up without a byte of answer
            self.close_connection = True
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()
        except OSError:
            logger.debug("client went away before the answer was sent", exc_info=True)
            self.close_connection = True


# --- rate limiting, jobs, images --------------------------------------------------------------


class SlidingWindow:
    """Admitted requests per endpoint over the last ``window_s`` seconds (not thread-safe: the
    server calls it under its lock).

    A requests-per-minute limit is enforced over a sliding minute by default; a shorter window
    enforces it as a rate (600 a minute over a 1 s window: 10 in any second), the stricter
    reading of a limit whose exact algorithm a host does not publish.
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._times: dict[str, deque[float]] = {}

    def admit(self, endpoint: str, per_minute: int, now: float) -> int | None:
        """Admit a request now, or return the whole seconds (≥ 1) until the oldest request in
        the window leaves it, when the window already holds its share of ``per_minute``."""
        per_window = max(1, math.floor(per_minute * self.window_s / 60.0))
        times = self._times.setdefault(endpoint, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= per_window:
            wait = times[len(times) - per_window] + self.window_s - now
            return max(1, math.ceil(wait))
        times.append(now)
        return None

    def clear(self) -> None:
        """Forget every request."""
        self._times.clear()


@dataclass
class Job:
    """A submitted generation.

    ``prompt``: the structured prompt object (what the image is rendered from); ``echo``: what the
    host echoes back as the prompt (Bria: the JSON string submitted); ``size``: the image side in
    pixels; ``submitted_at`` / ``ready_at``: :func:`time.monotonic` seconds.
    """

    id: str
    prompt: JSONObject
    echo: Any
    seed: int
    size: int
    submitted_at: float
    ready_at: float
    failed: bool = False
    cancelled: bool = False
    png: bytes | None = None

    def done(self, now: float) -> bool:
        """Whether the job has finished by ``now``."""
        return self.cancelled or now >= self.ready_at

    def elapsed_fraction(self, now: float) -> float:
        """How far through its latency the job is at ``now``, 0–1."""
        span = self.ready_at - self.submitted_at
        if span <= 0.0:
            return 1.0
        return min(1.0, max(0.0, (now - self.submitted_at) / span))


def _frontal_key() -> SceneRequest:
    """A plain frontal key: what an image shows when the prompt's lighting cannot be read."""
    key = LightSettings(azimuth=0.0, intensity=0.8, color_temperature=5600.0, distance=1.5)
    return SceneRequest.model_validate({"lighting_setup": {LightType.KEY: key}})


class PreviewImages:
    """Renders each job's picture once, on first download, with one renderer per server.

    Renders are serialised: the renderer's caches and numba's parallel threading layer are not
    meant for concurrent calls.
    """

    def __init__(self) -> None:
        self._renderer = PreviewRenderer()
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Render once, so that the first download does not also wait for the kernels to load
        and the bust to be baked (about a second in a fresh process)."""
        with self._lock:
            self._renderer.render(_frontal_key(), MIN_SIZE)

    def png(self, job: Job) -> bytes:
        """The job's picture as PNG bytes (``job.size`` pixels square), rendered at most once."""
        with self._lock:
            if job.png is None:
                job.png = self._render(job.prompt, job.size)
            return job.png

    def _render(self, prompt: JSONObject, size: int) -> bytes:
        try:
            scene = parse_lighting(prompt).request()
        except ValueError:  # lightrig's errors and pydantic's are ValueErrors
            logger.debug("lighting not readable; rendering a frontal key", exc_info=True)
            scene = _frontal_key()
        return self._renderer.render(scene, size).png()


# --- the server -------------------------------------------------------------------------------


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
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._scripts: dict[str, deque[str]] = {name: deque() for name in self.SCRIPTABLE}
        self._limiter = SlidingWindow(rate_window_s)
        self._images = PreviewImages()
        self._jobs: dict[str, Job] = {}
        self._accepted = 0
        self._accepted_by_seed: Counter[int] = Counter()
        self._submissions: list[JSONObject] = []
        self._rejected_429 = 0
        self._requests_by_endpoint: Counter[str] = Counter()

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
            httpd = _HTTPServer(self._address, self)
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
        """Submissions that created a job."""
        with self.lock:
            return self._accepted

    @property
    def accepted_by_seed(self) -> Counter[int]:
        """Submissions that created a job, by seed (the default seed when none was sent)."""
        with self.lock:
            return Counter(self._accepted_by_seed)

    @property
    def submissions(self) -> list[JSONObject]:
        """The parsed body of every submission that created a job, in order."""
        with self.lock:
            return list(self._submissions)

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

    def reset_stats(self) -> None:
        """Zero the statistics and empty the rate limiter's window (jobs are kept)."""
        with self.lock:
            self._accepted = 0
            self._accepted_by_seed.clear()
            self._submissions.clear()
            self._rejected_429 = 0
            self._requests_by_endpoint.clear()
            self._limiter.clear()

    # scripted faults

    def script(self, endpoint: str, *faults: str) -> None:
        """Queue ``faults`` for the next requests to ``endpoint``, one per request, in order.

        A scripted fault is taken by a request that passed authentication and the rate limit,
        and wins over any random fault.
        """
        allowed = self.SCRIPTABLE.get(endpoint)
        if allowed is None:
            raise ValueError(
                f"unknown endpoint {endpoint!r}; scriptable: {', '.join(self.SCRIPTABLE)}"
            )
        for fault in faults:
            if fault not in allowed:
                raise ValueError(
                    f"unknown fault {fault!r} for {endpoint!r}; use one of {', '.join(allowed)}"
                )
        with self.lock:
            self._scripts[endpoint].extend(faults)

    def pending_faults(self, endpoint: str) -> list[str]:
        """The scripted faults still queued for ``endpoint``."""
        with self.lock:
            return list(self._scripts.get(endpoint, ()))

    def clear_script(self) -> None:
        """Drop every queued fault."""
        with self.lock:
            for queue in self._scripts.values():
                queue.clear()

    def next_fault(self, endpoint: str) -> str | None:
        """The fault for this request: the next scripted one, else :meth:`random_fault`."""
        with self.lock:
            queue = self._scripts.get(endpoint)
            if queue:
                return queue.popleft()
            return self.random_fault(endpoint)

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

    def add_job(self, job: Job, submission: JSONObject) -> None:
        """Record an accepted submission and its job."""
        with self.lock:
            self._jobs[job.id] = job
            self._accepted += 1
            self._accepted_by_seed[job.seed] += 1
            self._submissions.append(submission)

    def finish_jobs(self) -> int:
        """Make every job still in progress ready now (the host catches up); how many were."""
        now = time.monotonic()
        with self.lock:
            pending = [job for job in self._jobs.values() if not job.done(now)]
            for job in pending:
                job.ready_at = now
        return len(pending)

    @property
    def job_ids(self) -> set[str]:
        """The ids of every job an accepted submission created (snapshot)."""
        with self.lock:
            return set(self._jobs)

    def job(self, job_id: str) -> Job | None:
        """The job with this id, if any."""
        with self.lock:
            return self._jobs.get(job_id)

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
