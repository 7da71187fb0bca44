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
come at random, from ``rate_*``, ``accept_then_fail`` and ``fault_seed``, or scripted with
:meth:`MockFalServer.script` (see :mod:`lightrig.testing.faults`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, NotRequired, Unpack

from lightrig.fibo.compile import compile_prompt
from lightrig.presets import PRESETS
from lightrig.testing.checks import (
    DEFAULT_SEED,
    FIBO_INPUTS,
    Check,
    JSONObject,
    check_bool,
    check_str,
    input_problems,
    is_number,
    json_type,
    prompt_problems,
)
from lightrig.testing.faults import ACCEPTED_FAULTS, TRANSPORT_FAULTS
from lightrig.testing.image_host import FaultAnswer, HostOptions, ImageHostServer
from lightrig.testing.jobs import Job
from lightrig.testing.options import Option, text
from lightrig.testing.transport import Reply, Request

__all__ = ["FalOptions", "MockFalServer", "run_mock_fal"]

#: The model path submissions go to.
MODEL_PATH = "bria/fibo/generate"
#: The app path queue requests live under: the model path without its endpoint.
APP_PATH = "bria/fibo"
#: The preset whose compiled prompt stands in for one the model would write from text.
DEFAULT_PRESET = "loop"

_RETRYABLE = "X-Fal-Retryable"


class FalOptions(HostOptions):
    """The options of :class:`MockFalServer`, for :func:`run_mock_fal`."""

    key: NotRequired[str]


def _detail(status: int, detail: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json(status, {"detail": detail}, headers)


def _invalid(problems: list[tuple[str, str]], *, retryable: bool | None = None) -> Reply:
    detail = [{"loc": ["body", name], "msg": msg, "type": "value_error"} for name, msg in problems]
    headers = {} if retryable is None else {_RETRYABLE: "true" if retryable else "false"}
    return _detail(422, detail, headers)


class MockFalServer(ImageHostServer):
    """fal.ai's queue API for ``bria/fibo/generate`` on ``http://127.0.0.1:<port>``.

    ``key``: the API key; calls must send ``Authorization: Key <key>`` (settable later,
    checked). The other options (latency, limit, image size, fault rates, the
    accepted-then-fail share) are :class:`~lightrig.testing.image_host.ImageHostServer`'s;
    submit, status and result each have their own rate budget.

    Statistics (snapshots): :attr:`accepted`, :attr:`accepted_by_seed`,
    :attr:`accepted_unanswered`, :attr:`submissions`, :attr:`rejected_429`,
    :attr:`requests_by_endpoint`, :attr:`faults_served`.
    """

    SCRIPTABLE: ClassVar[dict[str, frozenset[str]]] = {
        "submit": TRANSPORT_FAULTS | ACCEPTED_FAULTS | {"error"},
        "status": TRANSPORT_FAULTS,
        "result": TRANSPORT_FAULTS | {"error"},
    }
    SUBMIT_ENDPOINT: ClassVar[str] = "submit"

    key = Option(text)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        key: str = "test-key",
        **options: Unpack[HostOptions],
    ) -> None:
        super().__init__(host=host, port=port, **options)
        self.key = key

    def fault_answer(self, kind: FaultAnswer, request_id: str | None) -> Reply:
        """fal's answers: 500 marked retryable, 429 with ``Retry-After: 1``, or a 502 that
        still names the request it queued."""
        if kind == "5xx":
            return _detail(500, "Internal Server Error", {_RETRYABLE: "true"})
        if kind == "429":
            return _detail(429, "Rate limit exceeded", {"Retry-After": "1"})
        body: JSONObject = {"detail": "Bad Gateway"}
        if request_id is not None:
            body["request_id"] = request_id
        return Reply.json(502, body)

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

        if endpoint == "submit":
            return self.answer(endpoint, request, lambda fail: self._submit(request, fail=fail))
        if endpoint == "status":
            return self.answer(endpoint, request, lambda fail: self._status(request, job_id))
        if endpoint == "result":
            return self.answer(
                endpoint, request, lambda fail: self._result(request, job_id, fail=fail)
            )
        return self._cancel(job_id)

    # endpoints

    def _submit(self, request: Request, *, fail: bool) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return _invalid([("", "the body is not valid JSON")])
        if not isinstance(body, dict):
            return _invalid([("", f"the body must be a JSON object, got {json_type(body)}")])
        problems = input_problems(
            body,
            fields=INPUT_FIELDS,
            unknown="extra inputs are not permitted",
            structured_prompt=_structured_prompt_problems,
        )
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
            failed=fail or self.draw_error(),
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


def _structured_prompt_problems(value: object) -> list[str]:
    """fal's structured prompt is an object."""
    if isinstance(value, dict):
        return prompt_problems(value)
    return [f"must be a JSON object, got {json_type(value)}"]


def _check_guidance(value: object) -> str | None:
    if not is_number(value):
        return f"must be a number, got {json_type(value)}"
    if not 3 <= float(value) <= 5:  # type: ignore[arg-type]  # is_number checked it
        return f"must be between 3 and 5, got {value}"
    return None


#: Fields the model accepts, and their checks.
INPUT_FIELDS: Mapping[str, Check] = {
    **FIBO_INPUTS,
    "structured_prompt": lambda value: None,  # checked on its own
    "image_url": check_str,
    "guidance_scale": _check_guidance,
    "sync_mode": check_bool,
}


def run_mock_fal(host: str = "127.0.0.1", port: int = 8766, **options: Unpack[FalOptions]) -> None:
    """Serve the fal mock on ``host``:``port``, print its URL and block until Ctrl-C."""
    server = MockFalServer(host=host, port=port, **options)
    server.start()
    print(f"mock fal.ai queue at {server.url} (model {MODEL_PATH}, key: {server.key})", flush=True)
    print(f"  LIGHTRIG_FAL_BASE_URL={server.url}  ·  Ctrl-C stops", flush=True)
    server.serve_forever()
