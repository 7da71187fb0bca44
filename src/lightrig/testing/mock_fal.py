"""A local mock of fal.ai's queue API for ``bria/fibo/generate`` and its siblings, over real
HTTP.

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
- ``POST /bria/fibo-lite/generate`` (Fibo Lite) and ``POST /bria/fibo-gen-1.5/text-to-image``
  (FIBO 1.5): queued like FIBO, their requests under ``/bria/fibo-lite/requests/{id}`` and
  ``/bria/fibo-gen-1.5/requests/{id}``. Both are distilled and take what fal's pages list:
  ``prompt``, ``structured_prompt`` (an object), ``seed``, ``aspect_ratio``, ``sync_mode``;
  Fibo Lite also ``image_url``, FIBO 1.5 also ``resolution`` (``1MP`` or ``4MP``) and
  ``style_preset``. ``steps_num``, ``guidance_scale`` and ``negative_prompt`` are refused as
  extra inputs.
- ``POST /bria/fibo-edit/edit``: FIBO-Edit. ``image_url`` (an ``http(s)`` URL or a base64 data
  URL of a PNG, JPEG or WebP) and ``instruction`` (words) or ``structured_instruction`` (an
  *object*: the ten keys, leniently, and ``edit_instruction``), with ``mask_url``, ``seed``,
  ``steps_num``, ``guidance_scale``, ``negative_prompt``, ``sync_mode``. Queued like a
  generation, its requests under ``/bria/fibo-edit/requests/{id}`` (status, result, cancel);
  the result holds ``image``, ``images``, ``structured_instruction`` and ``seed`` (fal's page
  documents the inputs; the output's names here follow its generate model's). The image renders
  the lighting the instruction asks for on the subject its first object describes.
- ``POST /bria/fibo-edit-1.5/edit``: FIBO-Edit 1.5, as FIBO-Edit but distilled: ``image_url``,
  ``mask_url``, ``instruction`` or ``structured_instruction``, ``seed``, ``sync_mode`` (no
  steps, guidance or negative prompt); its requests under ``/bria/fibo-edit-1.5/requests/{id}``.
- ``GET /files/{id}.png``: the image, no key needed.

Submit, edit, status and result each allow ``requests_per_minute`` requests per sliding minute.
Faults come at random, from ``rate_*``, ``accept_then_fail`` and ``fault_seed``, or scripted
with :meth:`MockFalServer.script` (see :mod:`lightrig.testing.faults`); edits meet the same
faults as generations.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, NotRequired, Unpack

from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.instruction import check_instruction, structured_instruction
from lightrig.presets import PRESETS
from lightrig.testing.checks import (
    DEFAULT_SEED,
    FIBO_INPUTS,
    Check,
    JSONObject,
    check_bool,
    check_choice,
    check_image,
    check_str,
    input_problems,
    is_number,
    json_type,
    prompt_problems,
)
from lightrig.testing.faults import ACCEPTED_FAULTS, TRANSPORT_FAULTS
from lightrig.testing.image_host import FaultAnswer, HostOptions, ImageHostServer
from lightrig.testing.jobs import Job, prompt_scene
from lightrig.testing.options import Option, text
from lightrig.testing.transport import Reply, Request

__all__ = ["FalOptions", "MockFalServer", "run_mock_fal"]

#: The model path submissions go to.
MODEL_PATH = "bria/fibo/generate"
#: The app path queue requests live under: the model path without its endpoint.
APP_PATH = "bria/fibo"
#: The FIBO-Edit model path edits go to.
EDIT_MODEL_PATH = "bria/fibo-edit/edit"
#: The app path edit requests live under.
EDIT_APP_PATH = "bria/fibo-edit"
#: Fibo Lite's and FIBO 1.5's model paths, and FIBO-Edit 1.5's.
LITE_MODEL_PATH = "bria/fibo-lite/generate"
GEN_1_5_MODEL_PATH = "bria/fibo-gen-1.5/text-to-image"
EDIT_1_5_MODEL_PATH = "bria/fibo-edit-1.5/edit"
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
        "edit": TRANSPORT_FAULTS | ACCEPTED_FAULTS | {"error"},
    }
    SUBMIT_ENDPOINT: ClassVar[str] = "submit"
    JOB_ENDPOINTS: ClassVar[frozenset[str]] = frozenset({"edit"})

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
        self._apps: dict[str, str] = {}  # job id → the app its requests live under

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
        app = next((a for a in _APPS if path.startswith(f"/{a}/requests/")), APP_PATH)
        prefix = f"/{app}/requests/"
        job_id = ""
        if path.removeprefix("/") in GENERATE_MODELS:
            endpoint, allowed = "submit", "POST"
        elif path.removeprefix("/") in EDIT_MODELS:
            endpoint, allowed = "edit", "POST"
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
        if endpoint not in ("submit", "edit") and (
            not job_id or "/" in job_id or self._apps.get(job_id, app) != app
        ):
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
        if endpoint == "edit":
            return self.answer(endpoint, request, lambda fail: self._edit(request, fail=fail))
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
        model = request.path.removeprefix("/")
        problems = input_problems(
            body,
            fields=GENERATE_MODELS[model],
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
        app = _app(model)
        with self.lock:
            self._apps[job.id] = app
        self.add_job(job, body, request.path)
        return Reply.json(200, {"request_id": job.id, **self._urls(request.base_url, job.id, app)})

    def _edit(self, request: Request, *, fail: bool) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return _invalid([("", "the body is not valid JSON")])
        if not isinstance(body, dict):
            return _invalid([("", f"the body must be a JSON object, got {json_type(body)}")])
        model = request.path.removeprefix("/")
        fields = EDIT_MODELS[model]
        problems = [(name, "extra inputs are not permitted") for name in body if name not in fields]
        if "image_url" not in body:
            problems.append(("image_url", "field required"))
        has_words, has_structure = "instruction" in body, "structured_instruction" in body
        if has_words == has_structure:
            problems.append(
                ("instruction", "send either instruction or structured_instruction, not both")
                if has_words
                else ("instruction", "send instruction or structured_instruction")
            )
        for name, check in fields.items():
            if name in body and (problem := check(body[name])) is not None:
                problems.append((name, problem))
        if problems:
            return _invalid(problems)
        if has_structure:
            instruction: JSONObject = body["structured_instruction"]
        else:
            prompt = compile_prompt(PRESETS[DEFAULT_PRESET].request())
            instruction = structured_instruction(prompt, str(body["instruction"]).strip())
        with self.lock:
            latency, size = self.latency_s, self.image_size
        now = time.monotonic()
        job = Job(
            id=str(uuid.uuid4()),
            prompt=instruction,
            echo=instruction,
            seed=body.get("seed", DEFAULT_SEED),
            size=size,
            submitted_at=now,
            ready_at=now + latency,
            failed=fail or self.draw_error(),
            scene=prompt_scene(instruction, subject=True),
        )
        app = _app(model)
        with self.lock:
            self._apps[job.id] = app
        self.add_job(job, body, request.path)
        urls = self._urls(request.base_url, job.id, app)
        return Reply.json(200, {"request_id": job.id, **urls})

    @staticmethod
    def _urls(base_url: str, job_id: str, app: str = APP_PATH) -> dict[str, str]:
        response_url = f"{base_url}/{app}/requests/{job_id}"
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
        app = self._apps.get(job_id, APP_PATH)
        response_url = self._urls(request.base_url, job_id, app)["response_url"]
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
        echo_key = "structured_instruction" if job.scene is not None else "structured_prompt"
        return Reply.json(
            200, {"image": image, "images": [image], echo_key: job.echo, "seed": job.seed}
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


def _instruction_problems(value: object) -> str | None:
    """fal's structured instruction is an object: the ten keys (leniently) and
    ``edit_instruction``."""
    if not isinstance(value, dict):
        return f"must be a JSON object, got {json_type(value)}"
    problems = check_instruction(value)
    return "; ".join(f"{p.loc}: {p.message}" if p.loc else p.message for p in problems) or None


def _check_words(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {json_type(value)}"
    return None if value.strip() else "must not be empty"


#: Fields FIBO-Edit accepts, and their checks.
EDIT_FIELDS: Mapping[str, Check] = {
    "image_url": check_image,
    "mask_url": check_image,
    "instruction": _check_words,
    "structured_instruction": _instruction_problems,
    "seed": FIBO_INPUTS["seed"],
    "steps_num": FIBO_INPUTS["steps_num"],
    "negative_prompt": check_str,
    "guidance_scale": _check_guidance,
    "sync_mode": check_bool,
}


#: Fibo Lite's inputs (fal's page), and their checks: a distilled model.
LITE_FIELDS: Mapping[str, Check] = {
    "prompt": check_str,
    "structured_prompt": lambda value: None,  # checked on its own
    "image_url": check_str,
    "seed": FIBO_INPUTS["seed"],
    "aspect_ratio": FIBO_INPUTS["aspect_ratio"],
    "sync_mode": check_bool,
}

#: FIBO 1.5's inputs, and their checks: a distilled model, with a resolution.
GEN_1_5_FIELDS: Mapping[str, Check] = {
    "prompt": check_str,
    "structured_prompt": lambda value: None,  # checked on its own
    "seed": FIBO_INPUTS["seed"],
    "aspect_ratio": FIBO_INPUTS["aspect_ratio"],
    "resolution": lambda value: check_choice(value, ("1MP", "4MP")),
    "style_preset": check_str,
    "sync_mode": check_bool,
}

#: FIBO-Edit 1.5's inputs, and their checks: FIBO-Edit's but the steps, guidance and
#: negative prompt.
EDIT_1_5_FIELDS: Mapping[str, Check] = {
    name: check
    for name, check in EDIT_FIELDS.items()
    if name not in ("steps_num", "guidance_scale", "negative_prompt")
}

#: The generation model paths served, and each one's inputs.
GENERATE_MODELS: Mapping[str, Mapping[str, Check]] = {
    MODEL_PATH: INPUT_FIELDS,
    LITE_MODEL_PATH: LITE_FIELDS,
    GEN_1_5_MODEL_PATH: GEN_1_5_FIELDS,
}
#: The edit model paths served, and each one's inputs.
EDIT_MODELS: Mapping[str, Mapping[str, Check]] = {
    EDIT_MODEL_PATH: EDIT_FIELDS,
    EDIT_1_5_MODEL_PATH: EDIT_1_5_FIELDS,
}


def _app(model_path: str) -> str:
    """The app a model path's requests live under: its first two parts."""
    return "/".join(model_path.split("/")[:2])


#: Every app requests live under.
_APPS: tuple[str, ...] = tuple(_app(path) for path in (*GENERATE_MODELS, *EDIT_MODELS))


def run_mock_fal(host: str = "127.0.0.1", port: int = 8766, **options: Unpack[FalOptions]) -> None:
    """Serve the fal mock on ``host``:``port``, print its URL and block until Ctrl-C."""
    server = MockFalServer(host=host, port=port, **options)
    server.start()
    print(f"mock fal.ai queue at {server.url} (model {MODEL_PATH}, key: {server.key})", flush=True)
    print(f"  LIGHTRIG_FAL_BASE_URL={server.url}  ·  Ctrl-C stops", flush=True)
    server.serve_forever()
