"""A local mock of Bria's API v2 for FIBO, over real HTTP.

Routes (clients use the base URL ``f"{server.url}/v2"``):

- ``POST /v2/image/generate``: header ``api_token``; body as Bria's, ``structured_prompt`` a
  *string* holding the prompt's JSON. Async (default) → 202 ``{"request_id", "status_url"}``, the
  job finishing ``latency_s`` seconds later; ``"sync": true`` → 200 ``{"request_id", "result"}``
  after ``latency_s`` seconds. Bad input → 422 ``{"error": {"code", "message", "details":
  [{"field", "message"}]}}``.
- ``GET /v2/status/{request_id}``: ``UNKNOWN`` / ``IN_PROGRESS`` / ``COMPLETED`` (with
  ``result``: ``image_url``, ``structured_prompt``, ``seed``) / ``ERROR`` (with ``error``).
- ``POST /v2/structured_prompt/generate``: ``{"prompt": ...}`` → 200 with a structured prompt.
- ``GET /files/{request_id}.png``: the image, no token needed: a preview render of the submitted
  prompt's lighting, ``image_size`` pixels square.

The three API endpoints each allow ``requests_per_minute`` requests per sliding minute (429 with
``Retry-After`` beyond it). Faults come at random, from ``rate_*`` and ``fault_seed``, or
scripted with :meth:`MockBriaServer.script`, which wins over the rates.
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from typing import Any, ClassVar, NotRequired, TypedDict, Unpack

from lightrig.backends.base import ASPECT_RATIOS
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.lighting.presets import PRESETS
from lightrig.testing._server import (
    DEFAULT_SEED,
    MALFORMED_BODY,
    MAX_SEED,
    Job,
    JSONObject,
    MockServer,
    Option,
    Reply,
    Request,
    check_bool,
    check_choice,
    check_int,
    check_str,
    fraction,
    image_side,
    is_number,
    json_type,
    positive_int,
    prompt_problems,
    seconds,
    text,
)

__all__ = ["BriaOptions", "MockBriaServer", "run_mock_bria"]

#: Fields ``POST /v2/image/generate`` accepts.
GENERATE_FIELDS: frozenset[str] = frozenset(
    {
        "prompt",
        "structured_prompt",
        "seed",
        "steps_num",
        "guidance_scale",
        "aspect_ratio",
        "negative_prompt",
        "model_version",
        "resolution",
        "sync",
        "prompt_content_moderation",
        "webhook_url",
    }
)
#: Fields ``POST /v2/structured_prompt/generate`` accepts.
STRUCTURED_PROMPT_FIELDS: frozenset[str] = frozenset(
    {"prompt", "seed", "sync", "prompt_content_moderation"}
)
#: The preset whose compiled prompt stands in for one Bria would write from text.
DEFAULT_PRESET = "loop"

_FAULTS = frozenset({"5xx", "429", "timeout", "malformed", "drop"})
_RANDOM_FAULTS = ("5xx", "429", "timeout", "malformed")  # the order draws are made in


class BriaOptions(TypedDict):
    """The options of :class:`MockBriaServer`, for :func:`run_mock_bria`."""

    token: NotRequired[str]
    latency_s: NotRequired[float]
    requests_per_minute: NotRequired[int]
    rate_window_s: NotRequired[float]
    image_size: NotRequired[int]
    rate_5xx: NotRequired[float]
    rate_429: NotRequired[float]
    rate_timeout: NotRequired[float]
    rate_malformed: NotRequired[float]
    rate_error: NotRequired[float]
    timeout_sleep_s: NotRequired[float]
    fault_seed: NotRequired[int]


def _error(
    code: int,
    message: str,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    body: JSONObject = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return Reply.json(code, {"error": body}, headers)


def _invalid(problems: list[tuple[str, str]]) -> Reply:
    summary = "; ".join(f"{name}: {message}" for name, message in problems)
    details = [{"field": name, "message": message} for name, message in problems]
    return _error(422, f"Invalid request: {summary}", details)


def _body_object(request: Request) -> tuple[JSONObject | None, list[tuple[str, str]]]:
    try:
        body = request.json()
    except ValueError:
        return None, [("body", "is not valid JSON")]
    if not isinstance(body, dict):
        return None, [("body", f"must be a JSON object, got {json_type(body)}")]
    return body, []


class MockBriaServer(MockServer):
    """Bria's API v2 for FIBO on ``http://127.0.0.1:<port>`` (``port=0`` picks a free one).

    Options (each also settable later as an attribute; checked, and guarded by the lock):

    - ``token``: the ``api_token`` header every API call must carry.
    - ``latency_s``: seconds a job takes after submission (async), or before a sync answer.
    - ``requests_per_minute``: requests per sliding 60 s allowed on each API endpoint
    - ``rate_window_s``: the sliding window the limit is enforced over (seconds; a shorter window
      enforces the same rate with smaller bursts: 1 s allows ``requests_per_minute / 60`` a second)
      (generate, status and structured-prompt each have their own budget; files unlimited).
    - ``image_size``: side of the served images in pixels (16–4096).
    - ``rate_5xx``, ``rate_429``, ``rate_timeout``, ``rate_malformed``, ``rate_error``: chance
      (0–1) of each fault per API request, drawn from ``random.Random(fault_seed)``; a request
      gets the first transport fault whose draw hits, and ``rate_error`` is drawn separately for
      each accepted generation.
    - ``timeout_sleep_s``: seconds a "timeout" fault holds the answer back.

    Statistics (snapshots): :attr:`accepted`, :attr:`accepted_by_seed`, :attr:`submissions`,
    :attr:`rejected_429`, :attr:`requests_by_endpoint`.
    """

    SCRIPTABLE: ClassVar[dict[str, frozenset[str]]] = {
        "generate": _FAULTS | {"error"},
        "status": _FAULTS,
        "structured_prompt": _FAULTS,
    }

    token = Option(text)
    latency_s = Option(seconds)
    requests_per_minute = Option(positive_int)
    image_size = Option(image_side)
    rate_5xx = Option(fraction)
    rate_429 = Option(fraction)
    rate_timeout = Option(fraction)
    rate_malformed = Option(fraction)
    rate_error = Option(fraction)
    timeout_sleep_s = Option(seconds)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "test-token",
        latency_s: float = 0.25,
        requests_per_minute: int = 600,
        rate_window_s: float = 60.0,
        image_size: int = 128,
        rate_5xx: float = 0.0,
        rate_429: float = 0.0,
        rate_timeout: float = 0.0,
        rate_malformed: float = 0.0,
        rate_error: float = 0.0,
        timeout_sleep_s: float = 5.0,
        fault_seed: int = 0,
    ) -> None:
        super().__init__(host=host, port=port, rate_window_s=rate_window_s)
        self.token = token
        self.latency_s = latency_s
        self.requests_per_minute = requests_per_minute
        self.image_size = image_size
        self.rate_5xx = rate_5xx
        self.rate_429 = rate_429
        self.rate_timeout = rate_timeout
        self.rate_malformed = rate_malformed
        self.rate_error = rate_error
        self.timeout_sleep_s = timeout_sleep_s
        self._fault_seed = fault_seed
        self._random = random.Random(fault_seed)
        self._default_prompt: str | None = None
        self._default_prompt_lock = threading.Lock()

    @property
    def fault_seed(self) -> int:
        """The seed of the fault draws; setting it restarts the draws from that seed."""
        with self.lock:
            return self._fault_seed

    @fault_seed.setter
    def fault_seed(self, value: int) -> None:
        with self.lock:
            self._fault_seed = value
            self._random = random.Random(value)

    # faults

    def random_fault(self, endpoint: str) -> str | None:
        """One draw per transport fault, always all of them (so the sequence of draws depends
        only on the number of requests); the first that hits wins."""
        rates = {
            "5xx": self.rate_5xx,
            "429": self.rate_429,
            "timeout": self.rate_timeout,
            "malformed": self.rate_malformed,
        }
        hits = [fault for fault in _RANDOM_FAULTS if self._random.random() < rates[fault]]
        return hits[0] if hits else None

    def _draw_error(self) -> bool:
        with self.lock:
            return self._random.random() < self.rate_error

    def default_prompt(self) -> str:
        """The compact JSON of the default preset's compiled prompt (made once per server)."""
        with self._default_prompt_lock:
            if self._default_prompt is None:
                request = PRESETS[DEFAULT_PRESET].request()
                self._default_prompt = prompt_json(compile_prompt(request))
            return self._default_prompt

    # routing

    def handle(self, request: Request) -> Reply | None:
        """Route a request to its endpoint."""
        path, method = request.path, request.method
        if path == "/v2/image/generate":
            endpoint, allowed = "generate", "POST"
        elif path.startswith("/v2/status/") and len(path) > len("/v2/status/"):
            endpoint, allowed = "status", "GET"
        elif path == "/v2/structured_prompt/generate":
            endpoint, allowed = "structured_prompt", "POST"
        elif path.startswith("/files/"):
            self.count_request("files")
            if method != "GET":
                return _error(405, "Method not allowed")
            return self.file_reply(path, _error(404, "File not found"))
        else:
            return _error(404, "Not found")
        self.count_request(endpoint)
        if method != allowed:
            return _error(405, "Method not allowed")
        if request.header("api_token") != self.token:
            return _error(401, "Invalid API token")
        retry_after = self.admit(endpoint, self.requests_per_minute)
        if retry_after is not None:
            message = f"Too many requests: {self.requests_per_minute} per minute"
            return _error(429, message, headers={"Retry-After": str(retry_after)})

        fault = self.next_fault(endpoint)
        if fault == "drop":
            return None
        if fault == "5xx":
            return _error(503, "Service temporarily unavailable")
        if fault == "429":
            self.count_429()
            return _error(429, "Too many requests", headers={"Retry-After": "1"})
        if fault == "malformed":
            return Reply(202 if _is_async_generate(endpoint, request) else 200, MALFORMED_BODY)

        reply: Reply | None
        if endpoint == "generate":
            reply = self._generate(request, fail=fault == "error")
        elif endpoint == "status":
            reply = self._status(request)
        else:
            reply = self._structured_prompt(request)
        if reply is not None and fault == "timeout" and not self.hold(self.timeout_sleep_s):
            return None  # stopping: hang up
        return reply

    # endpoints

    def _generate(self, request: Request, *, fail: bool) -> Reply | None:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = _generate_problems(body)
        if problems:
            return _invalid(problems)
        echo = body.get("structured_prompt")
        if echo is None:  # Bria writes a structured prompt from the text: here, a preset's
            echo = self.default_prompt()
        with self.lock:
            latency, size = self.latency_s, self.image_size
        now = time.monotonic()
        seed = body.get("seed", DEFAULT_SEED)
        job = Job(
            id=uuid.uuid4().hex,
            prompt=json.loads(echo),
            echo=echo,
            seed=seed,
            size=size,
            submitted_at=now,
            ready_at=now + latency,
            failed=fail or self._draw_error(),
        )
        self.add_job(job, body)
        if not body.get("sync", False):
            status_url = f"{request.base_url}/v2/status/{job.id}"
            return Reply.json(202, {"request_id": job.id, "status_url": status_url})
        if not self.hold(latency):
            return None
        if job.failed:
            return Reply.json(500, {"request_id": job.id, **_failure()})
        return Reply.json(200, {"request_id": job.id, "result": _result(job, request.base_url)})

    def _status(self, request: Request) -> Reply:
        job_id = request.path.removeprefix("/v2/status/")
        job = self.job(job_id)
        if job is None:
            return Reply.json(200, {"request_id": job_id, "status": "UNKNOWN"})
        if not job.done(time.monotonic()):
            return Reply.json(200, {"request_id": job_id, "status": "IN_PROGRESS"})
        if job.failed:
            return Reply.json(200, {"request_id": job_id, **_failure()})
        return Reply.json(
            200,
            {
                "request_id": job_id,
                "status": "COMPLETED",
                "result": _result(job, request.base_url),
            },
        )

    def _structured_prompt(self, request: Request) -> Reply:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = [
            (name, "unknown field") for name in body if name not in STRUCTURED_PROMPT_FIELDS
        ]
        if "prompt" not in body:
            problems.append(("prompt", "is required"))
        elif (problem := check_str(body["prompt"])) is not None:
            problems.append(("prompt", problem))
        if "seed" in body and (problem := check_int(body["seed"], 0, MAX_SEED)) is not None:
            problems.append(("seed", problem))
        for name in ("sync", "prompt_content_moderation"):
            if name in body and (problem := check_bool(body[name])) is not None:
                problems.append((name, problem))
        if problems:
            return _invalid(problems)
        result = {"structured_prompt": self.default_prompt()}
        return Reply.json(200, {"request_id": uuid.uuid4().hex, "result": result})


def _is_async_generate(endpoint: str, request: Request) -> bool:
    if endpoint != "generate":
        return False
    try:
        body = request.json()
    except ValueError:
        return True
    return not (isinstance(body, dict) and body.get("sync") is True)


def _result(job: Job, base_url: str) -> JSONObject:
    return {
        "image_url": f"{base_url}/files/{job.id}.png",
        "structured_prompt": job.echo,
        "seed": job.seed,
    }


def _failure() -> JSONObject:
    return {
        "status": "ERROR",
        "error": {
            "code": 500,
            "message": "Generation failed",
            "details": "the mock failed this job on purpose (an 'error' fault)",
        },
    }


def _generate_problems(body: JSONObject) -> list[tuple[str, str]]:
    """Every problem with a generation request, as (field, message) pairs."""
    problems = [(name, "unknown field") for name in body if name not in GENERATE_FIELDS]
    if "prompt" not in body and "structured_prompt" not in body:
        problems.append(("structured_prompt", "send a structured_prompt, a prompt, or both"))
    if "structured_prompt" in body:
        problems += [("structured_prompt", m) for m in _structured_prompt_problems(body)]
    checks: dict[str, Any] = {
        "prompt": check_str,
        "negative_prompt": check_str,
        "webhook_url": check_str,
        "seed": lambda v: check_int(v, 0, MAX_SEED),
        "steps_num": lambda v: check_int(v, 20, 50),
        "guidance_scale": _check_guidance,
        "aspect_ratio": lambda v: check_choice(v, ASPECT_RATIOS),
        "model_version": lambda v: check_choice(v, ("FIBO",)),
        "resolution": lambda v: check_choice(v, ("1MP", "4MP")),
        "sync": check_bool,
        "prompt_content_moderation": check_bool,
    }
    for name, check in checks.items():
        if name in body and (problem := check(body[name])) is not None:
            problems.append((name, problem))
    return problems


def _structured_prompt_problems(body: JSONObject) -> list[str]:
    value = body["structured_prompt"]
    if not isinstance(value, str):
        return [
            f"must be a string holding the prompt's JSON (json.dumps it), got {json_type(value)}"
        ]
    try:
        prompt = json.loads(value)
    except ValueError as exc:
        return [f"is not valid JSON: {exc}"]
    if not isinstance(prompt, dict):
        return [f"must hold a JSON object, got {json_type(prompt)}"]
    return prompt_problems(prompt)


def _check_guidance(value: object) -> str | None:
    """An integer 3–5; a float that is a whole number (4.0) passes too."""
    if not is_number(value):
        return f"must be an integer, got {json_type(value)}"
    number = float(value)  # type: ignore[arg-type]  # is_number checked it
    if not number.is_integer():
        return f"must be a whole number, got {value}"
    if not 3 <= number <= 5:
        return f"must be between 3 and 5, got {value}"
    return None


def run_mock_bria(
    host: str = "127.0.0.1", port: int = 8765, **options: Unpack[BriaOptions]
) -> None:
    """Serve the Bria mock on ``host``:``port``, print its base URL and block until Ctrl-C."""
    server = MockBriaServer(host=host, port=port, **options)
    server.start()
    print(f"mock Bria API v2 at {server.url}/v2 (api_token: {server.token})", flush=True)
    print(f"  LIGHTRIG_BRIA_BASE_URL={server.url}/v2  ·  Ctrl-C stops", flush=True)
    server.serve_forever()
