"""A local mock of fal.ai's queue API for ``bria/fibo/generate``, over real HTTP.

Routes (clients use the base URL ``server.url``; every queue call needs ``Authorization: Key
<key>``):

- ``POST /bria/fibo/generate``: the input, ``structured_prompt`` an *object*. → 200
  ``{"request_id", "response_url", "status_url", "cancel_url"}``; the URLs omit ``/generate``,
  as fal's do, and are the only request routes served.
- ``GET /bria/fibo/requests/{id}/status``: ``IN_QUEUE`` for the first third of ``latency_s``,
  then ``IN_PROGRESS``, then ``COMPLETED`` (with ``response_url``).
- ``GET /bria/fibo/requests/{id}``: 400 until completed, then the result: ``image``, ``images``,
  ``structured_prompt``, ``seed``.
- ``PUT /bria/fibo/requests/{id}/cancel``: 202 ``{"status": "CANCELLATION_REQUESTED"}``.
- ``GET /files/{id}.png``: the image, no key needed.

Submit, status and result each allow ``requests_per_minute`` requests per sliding minute. Faults
are scripted only, with :meth:`MockFalServer.script`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, ClassVar, NotRequired, TypedDict, Unpack

from lightrig.backends.base import ASPECT_RATIOS
from lightrig.fibo.compile import compile_prompt
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
    image_side,
    is_number,
    json_type,
    positive_int,
    prompt_problems,
    seconds,
    text,
)

__all__ = ["FalOptions", "MockFalServer", "run_mock_fal"]

#: The model path submissions go to.
MODEL_PATH = "bria/fibo/generate"
#: The app path queue requests live under: the model path without its endpoint.
APP_PATH = "bria/fibo"
#: Fields the model accepts.
INPUT_FIELDS: frozenset[str] = frozenset(
    {
        "prompt",
        "structured_prompt",
        "image_url",
        "seed",
        "steps_num",
        "guidance_scale",
        "aspect_ratio",
        "negative_prompt",
        "sync_mode",
    }
)
#: The preset whose compiled prompt stands in for one the model would write from text.
DEFAULT_PRESET = "loop"

_RETRYABLE = "X-Fal-Retryable"
_TRANSPORT_FAULTS = frozenset({"5xx", "429", "malformed", "timeout", "drop"})


class FalOptions(TypedDict):
    """The options of :class:`MockFalServer`, for :func:`run_mock_fal`."""

    key: NotRequired[str]
    latency_s: NotRequired[float]
    requests_per_minute: NotRequired[int]
    rate_window_s: NotRequired[float]
    image_size: NotRequired[int]
    timeout_sleep_s: NotRequired[float]


def _detail(status: int, detail: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json(status, {"detail": detail}, headers)


def _invalid(problems: list[tuple[str, str]], *, retryable: bool | None = None) -> Reply:
    detail = [{"loc": ["body", name], "msg": msg, "type": "value_error"} for name, msg in problems]
    headers = {} if retryable is None else {_RETRYABLE: "true" if retryable else "false"}
    return _detail(422, detail, headers)


class MockFalServer(MockServer):
    """fal.ai's queue API for ``bria/fibo/generate`` on ``http://127.0.0.1:<port>``.

    Options (each also settable later as an attribute; checked, and guarded by the lock):

    - ``key``: the API key; calls must send ``Authorization: Key <key>``.
    - ``latency_s``: seconds from submission to completion.
    - ``requests_per_minute``: requests per sliding 60 s on each of submit, status and result.
    - ``image_size``: side of the served images in pixels (16–4096).
    - ``timeout_sleep_s``: seconds a scripted "timeout" fault holds the answer back.

    Statistics (snapshots): :attr:`accepted`, :attr:`accepted_by_seed`, :attr:`submissions`,
    :attr:`rejected_429`, :attr:`requests_by_endpoint`.
    """

    SCRIPTABLE: ClassVar[dict[str, frozenset[str]]] = {
        "submit": _TRANSPORT_FAULTS | {"error"},
        "status": _TRANSPORT_FAULTS,
        "result": _TRANSPORT_FAULTS | {"error"},
    }

    key = Option(text)
    latency_s = Option(seconds)
    requests_per_minute = Option(positive_int)
    image_size = Option(image_side)
    timeout_sleep_s = Option(seconds)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        key: str = "test-key",
        latency_s: float = 0.25,
        requests_per_minute: int = 600,
        rate_window_s: float = 60.0,
        image_size: int = 128,
        timeout_sleep_s: float = 5.0,
    ) -> None:
        super().__init__(host=host, port=port, rate_window_s=rate_window_s)
        self.key = key
        self.latency_s = latency_s
        self.requests_per_minute = requests_per_minute
        self.image_size = image_size
        self.timeout_sleep_s = timeout_sleep_s

    # routing

    def handle(self, request: Request) -> Reply | None:
        """Route a request to its endpoint."""
        path, method = request.path, request.method
        prefix = f"/{APP_PATH}/requests/"
        job_id = ""
        if path == f"/{MODEL_PATH}":
            endpoint, allowed = "submit", "POST"
        elif path.startswith(prefix) and path.endswith("/status"):
            endpoint, allowed = "status", "GET"
            job_id = path[len(prefix) : -len("/status")]
        elif path.startswith(prefix) and path.endswith("/cancel"):
            endpoint, allowed = "cancel", "PUT"
            job_id = path[len(prefix) : -len("/cancel")]
        elif path.startswith(prefix):
            endpoint, allowed = "result", "GET"
            job_id = path[len(prefix) :]
        elif path.startswith("/files/"):
            self.count_request("files")
            if method != "GET":
                return _detail(405, "Method Not Allowed")
            return self.file_reply(path, _detail(404, "Not Found"))
        else:
            return _detail(404, "Not Found")
        self.count_request(endpoint)
        if endpoint != "submit" and (not job_id or "/" in job_id):
            return _detail(404, "Not Found")
        if method != allowed:
            return _detail(405, "Method Not Allowed")
        if request.header("Authorization") != f"Key {self.key}":
            return _detail(401, "Unauthorized")
        if endpoint != "cancel":
            retry_after = self.admit(endpoint, self.requests_per_minute)
            if retry_after is not None:
                return _detail(429, "Rate limit exceeded", {"Retry-After": str(retry_after)})

        fault = self.next_fault(endpoint) if endpoint != "cancel" else None
        if fault == "drop":
            return None
        if fault == "5xx":
            return _detail(500, "Internal Server Error", {_RETRYABLE: "true"})
        if fault == "429":
            self.count_429()
            return _detail(429, "Rate limit exceeded", {"Retry-After": "1"})
        if fault == "malformed":
            return Reply(200, MALFORMED_BODY)

        if endpoint == "submit":
            reply = self._submit(request, fail=fault == "error")
        elif endpoint == "status":
            reply = self._status(request, job_id)
        elif endpoint == "result":
            reply = self._result(request, job_id, fail=fault == "error")
        else:
            reply = self._cancel(job_id)
        if fault == "timeout" and not self.hold(self.timeout_sleep_s):
            return None  # stopping: hang up
        return reply

    # endpoints

    def _submit(self, request: Request, *, fail: bool) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return _invalid([("", "the body is not valid JSON")])
        if not isinstance(body, dict):
            return _invalid([("", f"the body must be a JSON object, got {json_type(body)}")])
        problems = _input_problems(body)
        if problems:
            return _invalid(problems)
        prompt = body.get("structured_prompt")
        if prompt is None:  # the model writes one from the text: here, a preset's
            prompt = compile_prompt(PRESETS[DEFAULT_PRESET].request())
        with self.lock:
            latency, size = self.latency_s, self.image_size
        now = time.monotonic()
        job = Job(
            id=str(uuid.uuid4()),
            prompt=prompt,
            echo=prompt,
            seed=body.get("seed", DEFAULT_SEED),
            size=size,
            submitted_at=now,
            ready_at=now + latency,
            failed=fail,
        )
        self.add_job(job, body)
        return Reply.json(200, {"request_id": job.id, **self._urls(request.base_url, job.id)})

    @staticmethod
    def _urls(base_url: str, job_id: str) -> dict[str, str]:
        response_url = f"{base_url}/{APP_PATH}/requests/{job_id}"
        return {
            "response_url": response_url,
            "status_url": f"{response_url}/status",
            "cancel_url": f"{response_url}/cancel",
        }

    def _status(self, request: Request, job_id: str) -> Reply:
        job = self.job(job_id)
        if job is None:
            return _detail(404, "Request not found")
        now = time.monotonic()
        response_url = self._urls(request.base_url, job_id)["response_url"]
        body: JSONObject = {"request_id": job_id, "response_url": response_url}
        if job.done(now):
            body["status"] = "COMPLETED"
        elif job.elapsed_fraction(now) < 1.0 / 3.0:
            body.update(status="IN_QUEUE", queue_position=0)
        else:
            body["status"] = "IN_PROGRESS"
        return Reply.json(200, body)

    def _result(self, request: Request, job_id: str, *, fail: bool) -> Reply:
        job = self.job(job_id)
        if job is None:
            return _detail(404, "Request not found")
        if not job.done(time.monotonic()):
            return _detail(400, "Request is still in progress")
        if job.cancelled:
            return _detail(400, "Request was cancelled")
        if fail or job.failed:
            message = "the mock rejected this input on purpose (an 'error' fault)"
            return _invalid([("structured_prompt", message)], retryable=False)
        image = {
            "url": f"{request.base_url}/files/{job.id}.png",
            "content_type": "image/png",
            "width": job.size,
            "height": job.size,
            "file_name": f"{job.id}.png",
        }
        return Reply.json(
            200,
            {
                "image": image,
                "images": [image],
                "structured_prompt": job.echo,
                "seed": job.seed,
            },
        )

    def _cancel(self, job_id: str) -> Reply:
        with self.lock:
            job = self.job(job_id)
            if job is None:
                return _detail(404, "Request not found")
            if not job.done(time.monotonic()):
                job.cancelled = True
        return Reply.json(202, {"status": "CANCELLATION_REQUESTED"})


def _input_problems(body: JSONObject) -> list[tuple[str, str]]:
    """Every problem with the model input, as (field, message) pairs."""
    problems = [
        (name, "extra inputs are not permitted") for name in body if name not in INPUT_FIELDS
    ]
    if "prompt" not in body and "structured_prompt" not in body:
        problems.append(("structured_prompt", "send a structured_prompt, a prompt, or both"))
    if "structured_prompt" in body:
        value = body["structured_prompt"]
        if isinstance(value, dict):
            problems += [("structured_prompt", m) for m in prompt_problems(value)]
        else:
            problems.append(("structured_prompt", f"must be a JSON object, got {json_type(value)}"))
    checks: dict[str, Any] = {
        "prompt": check_str,
        "image_url": check_str,
        "negative_prompt": check_str,
        "seed": lambda v: check_int(v, 0, MAX_SEED),
        "steps_num": lambda v: check_int(v, 20, 50),
        "guidance_scale": _check_guidance,
        "aspect_ratio": lambda v: check_choice(v, ASPECT_RATIOS),
        "sync_mode": check_bool,
    }
    for name, check in checks.items():
        if name in body and (problem := check(body[name])) is not None:
            problems.append((name, problem))
    return problems


def _check_guidance(value: object) -> str | None:
    if not is_number(value):
        return f"must be a number, got {json_type(value)}"
    if not 3 <= float(value) <= 5:  # type: ignore[arg-type]  # is_number checked it
        return f"must be between 3 and 5, got {value}"
    return None


def run_mock_fal(host: str = "127.0.0.1", port: int = 8766, **options: Unpack[FalOptions]) -> None:
    """Serve the fal mock on ``host``:``port``, print its URL and block until Ctrl-C."""
    server = MockFalServer(host=host, port=port, **options)
    server.start()
    print(f"mock fal.ai queue at {server.url} (model {MODEL_PATH}, key: {server.key})", flush=True)
    print(f"  LIGHTRIG_FAL_BASE_URL={server.url}  ·  Ctrl-C stops", flush=True)
    server.serve_forever()
