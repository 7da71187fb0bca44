"""A local mock of Bria's API v2 for FIBO, over real HTTP.

Routes (clients use the base URL ``f"{server.url}/v2"``):

- ``POST /v2/image/generate``: header ``api_token``; body as Bria's, ``structured_prompt`` a
  *string* holding the prompt's JSON. Async (default) → 202 ``{"request_id", "status_url"}``, the
  job finishing ``latency_s`` seconds later; ``"sync": true`` → 200 ``{"request_id", "result"}``
  after ``latency_s`` seconds. Bad input → 422 ``{"error": {"code", "message", "details":
  [{"field", "message"}]}}``.
- ``POST /v2/image/generate/lite``: Fibo Lite, as Bria's "Fibo Lite Pipeline" documents it:
  ``structured_prompt`` (a string, as above), ``prompt``, ``images``, ``seed``,
  ``aspect_ratio``, ``sync`` and the moderation flag — a distilled model, so no
  ``steps_num``, ``guidance_scale``, ``negative_prompt`` or ``model_version`` (each refused as
  an unknown field). Answered as ``/v2/image/generate`` is; it counts as a generation.
- ``POST /v2/structured_prompt/generate/lite``: as ``/v2/structured_prompt/generate``.
- ``GET /v2/status/{request_id}``: ``UNKNOWN`` / ``IN_PROGRESS`` / ``COMPLETED`` (with
  ``result``: ``image_url``, ``structured_prompt``, ``seed``) / ``ERROR`` (with ``error``).
- ``POST /v2/structured_prompt/generate``: ``{"prompt": ...}`` → 200 with a structured prompt.
- ``POST /v2/structured_instruction/generate``: ``images`` (one to four: an ``http(s)`` URL, a
  base64 data URL of a PNG, JPEG or WebP, or its bytes in base64) and ``instruction`` (words),
  optional ``mask`` and ``sync``. The mock's caption is the default preset's compiled prompt with
  ``instruction`` as ``edit_instruction`` (it reads no photo); ``sync`` → 200 ``{"request_id",
  "result": {"structured_instruction"}}`` (a JSON string), else 202 and the status's ``result``
  carries it.
- ``POST /v2/image/edit``: ``images`` and either ``instruction`` or ``structured_instruction``
  (a *string* holding the instruction's JSON: the ten keys, leniently, and ``edit_instruction``),
  with ``seed``, ``steps_num``, ``guidance_scale``, ``negative_prompt``, ``mask`` (one image
  only), ``aspect_ratio``, ``model_version`` (ignored) and the moderation flags. Always a job:
  202, polled like a generation (``"sync": true`` is answered 504, as Bria's gateway times such
  a request out). The image renders the lighting the instruction asks for (read back from its
  words) on the subject its first object describes.
- ``POST /v2/image/edit/relight``: ``image``, ``light_type`` (one of Bria's fourteen, default
  ``soft overcast daylight lighting``), ``light_direction`` (``front``, ``side``, ``bottom``,
  ``top-down``), ``sync``. A job like a generation; the image is a key from that direction in
  the colour and softness lightrig reads the light type as
  (:data:`~lightrig.lighting.vocabulary.RELIGHT_TYPES`).
- ``GET /files/{request_id}.png``: the image, no token needed: a preview render of the submitted
  prompt's lighting, ``image_size`` pixels square.

Every API endpoint allows ``requests_per_minute`` requests per sliding minute (429 with
``Retry-After`` beyond it). Faults come at random, from ``rate_*``, ``accept_then_fail`` and
``fault_seed``, or scripted with :meth:`MockBriaServer.script`, which wins over the rates (see
:mod:`lightrig.testing.faults`); edits and relights meet the same faults as generations. A job
accepted and then answered 502 (``accept_5xx``) still names its ``request_id`` beside the
error, as a gateway in front of Bria may.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Mapping
from typing import ClassVar, NotRequired, Unpack

from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.instruction import check_instruction, structured_instruction
from lightrig.lighting.vocabulary import RELIGHT_DIRECTIONS, RELIGHT_TYPES
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.testing.checks import (
    DEFAULT_SEED,
    FIBO_INPUTS,
    MAX_SEED,
    Check,
    JSONObject,
    check_bool,
    check_choice,
    check_image,
    check_int,
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

__all__ = ["BriaOptions", "MockBriaServer", "run_mock_bria"]

#: Fields ``POST /v2/structured_prompt/generate`` accepts.
STRUCTURED_PROMPT_FIELDS: frozenset[str] = frozenset(
    {"prompt", "seed", "sync", "prompt_content_moderation"}
)
#: The preset whose compiled prompt stands in for one Bria would write from text.
DEFAULT_PRESET = "loop"
#: Fields ``POST /v2/structured_instruction/generate`` accepts.
STRUCTURED_INSTRUCTION_FIELDS: frozenset[str] = frozenset(
    {"images", "instruction", "mask", "sync", "prompt_content_moderation"}
)
#: The most photos one edit takes.
MAX_EDIT_IMAGES = 4
#: The light type a relight gets when it names none.
DEFAULT_LIGHT_TYPE = "soft overcast daylight lighting"
#: Where each preset direction puts the key: (azimuth, elevation), degrees.
_RELIGHT_PLACES = dict(
    zip(RELIGHT_DIRECTIONS, ((0.0, 10.0), (90.0, 0.0), (0.0, -60.0), (0.0, 75.0)), strict=True)
)


class BriaOptions(HostOptions):
    """The options of :class:`MockBriaServer`, for :func:`run_mock_bria`."""

    token: NotRequired[str]


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


class MockBriaServer(ImageHostServer):
    """Bria's API v2 for FIBO on ``http://127.0.0.1:<port>`` (``port=0`` picks a free one).

    ``token``: the ``api_token`` header every API call must carry (settable later, checked).
    The other options (latency, limit, image size, fault rates, the accepted-then-fail share)
    are :class:`~lightrig.testing.image_host.ImageHostServer`'s; generate, status and
    structured-prompt, structured-instruction, edit and relight each have their own rate
    budget, file downloads none.

    Statistics (snapshots): :attr:`accepted`, :attr:`accepted_by_seed`,
    :attr:`accepted_unanswered`, :attr:`submissions`, :attr:`rejected_429`,
    :attr:`requests_by_endpoint`, :attr:`faults_served`.
    """

    SCRIPTABLE: ClassVar[dict[str, frozenset[str]]] = {
        "generate": TRANSPORT_FAULTS | ACCEPTED_FAULTS | {"error"},
        "status": TRANSPORT_FAULTS,
        "structured_prompt": TRANSPORT_FAULTS,
        "structured_instruction": TRANSPORT_FAULTS,
        "edit": TRANSPORT_FAULTS | ACCEPTED_FAULTS | {"error"},
        "relight": TRANSPORT_FAULTS | ACCEPTED_FAULTS | {"error"},
    }
    SUBMIT_ENDPOINT: ClassVar[str] = "generate"
    JOB_ENDPOINTS: ClassVar[frozenset[str]] = frozenset({"edit", "relight"})

    token = Option(text)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "test-token",
        **options: Unpack[HostOptions],
    ) -> None:
        super().__init__(host=host, port=port, **options)
        self.token = token
        self._default_prompt: str | None = None
        self._default_prompt_lock = threading.Lock()

    def fault_answer(self, kind: FaultAnswer, request_id: str | None) -> Reply:
        """Bria's error bodies: 503 unavailable, 429 with ``Retry-After: 1``, or a 502 that
        still names the request it took."""
        if kind == "5xx":
            return _error(503, "Service temporarily unavailable")
        if kind == "429":
            return _error(429, "Too many requests", headers={"Retry-After": "1"})
        reply = _error(502, "Bad gateway")
        if request_id is None:
            return reply
        return Reply.json(502, {**json.loads(reply.body), "request_id": request_id})

    def malformed_status(self, endpoint: str, request: Request) -> int:
        """202 for an asynchronous job (generation, caption, edit, relight), else 200."""
        if endpoint == "edit":
            return 202
        return 202 if _is_async_generate(endpoint, request) else 200

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
        if path in ("/v2/image/generate", "/v2/image/generate/lite"):
            endpoint, allowed = "generate", "POST"
        elif path.startswith("/v2/status/") and len(path) > len("/v2/status/"):
            endpoint, allowed = "status", "GET"
        elif path in ("/v2/structured_prompt/generate", "/v2/structured_prompt/generate/lite"):
            endpoint, allowed = "structured_prompt", "POST"
        elif path == "/v2/structured_instruction/generate":
            endpoint, allowed = "structured_instruction", "POST"
        elif path == "/v2/image/edit":
            endpoint, allowed = "edit", "POST"
        elif path == "/v2/image/edit/relight":
            endpoint, allowed = "relight", "POST"
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

        if endpoint == "generate":
            return self.answer(endpoint, request, lambda fail: self._generate(request, fail=fail))
        if endpoint == "status":
            return self.answer(endpoint, request, lambda fail: self._status(request))
        if endpoint == "structured_instruction":
            return self.answer(endpoint, request, lambda fail: self._caption(request))
        if endpoint == "edit":
            return self.answer(endpoint, request, lambda fail: self._edit(request, fail=fail))
        if endpoint == "relight":
            return self.answer(endpoint, request, lambda fail: self._relight(request, fail=fail))
        return self.answer(endpoint, request, lambda fail: self._structured_prompt(request))

    # endpoints

    def _generate(self, request: Request, *, fail: bool) -> Reply | None:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = input_problems(
            body,
            fields=LITE_FIELDS if request.path.endswith("/lite") else GENERATE_FIELDS,
            unknown="unknown field",
            structured_prompt=_structured_prompt_problems,
        )
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
            failed=fail or self.draw_error(),
        )
        self.add_job(job, body, request.path)
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
        result = (
            {"structured_instruction": job.caption}
            if job.caption is not None
            else _result(job, request.base_url)
        )
        return Reply.json(200, {"request_id": job_id, "status": "COMPLETED", "result": result})

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

    def _new_job(
        self,
        body: JSONObject,
        prompt: JSONObject,
        echo: str,
        *,
        fail: bool,
        scene: SceneRequest | None = None,
        caption: str | None = None,
    ) -> Job:
        """A job for an accepted submission, recorded (what Bria bills)."""
        with self.lock:
            latency, size = self.latency_s, self.image_size
        now = time.monotonic()
        job = Job(
            id=uuid.uuid4().hex,
            prompt=prompt,
            echo=echo,
            seed=body.get("seed", DEFAULT_SEED),
            size=size,
            submitted_at=now,
            ready_at=now + latency,
            failed=fail or self.draw_error(),
            scene=scene,
            caption=caption,
        )
        self.add_job(job, body)
        return job

    def _accepted(self, job: Job, request: Request, *, sync: bool) -> Reply | None:
        """202 with the job's status URL; with ``sync``, its result once done (200)."""
        if not sync:
            status_url = f"{request.base_url}/v2/status/{job.id}"
            return Reply.json(202, {"request_id": job.id, "status_url": status_url})
        if not self.hold(job.ready_at - job.submitted_at):
            return None
        if job.failed:
            return Reply.json(500, {"request_id": job.id, **_failure()})
        if job.caption is not None:
            result: JSONObject = {"structured_instruction": job.caption}
        else:
            result = _result(job, request.base_url)
        return Reply.json(200, {"request_id": job.id, "result": result})

    def _caption(self, request: Request) -> Reply | None:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = [
            (name, "unknown field") for name in body if name not in STRUCTURED_INSTRUCTION_FIELDS
        ]
        problems += _images_problems(body)
        if "instruction" not in body:
            problems.append(("instruction", "is required"))
        elif (problem := _check_words(body["instruction"])) is not None:
            problems.append(("instruction", problem))
        if "mask" in body and (problem := check_image(body["mask"])) is not None:
            problems.append(("mask", problem))
        for name in ("sync", "prompt_content_moderation"):
            if name in body and (problem := check_bool(body[name])) is not None:
                problems.append((name, problem))
        if problems:
            return _invalid(problems)
        caption = structured_instruction(
            json.loads(self.default_prompt()), str(body["instruction"]).strip()
        )
        text = prompt_json(caption)
        job = self._new_job(body, caption, text, fail=False, caption=text)
        return self._accepted(job, request, sync=body.get("sync") is True)

    def _edit(self, request: Request, *, fail: bool) -> Reply | None:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = [(name, "unknown field") for name in body if name not in EDIT_FIELDS]
        problems += _images_problems(body)
        has_words, has_structure = "instruction" in body, "structured_instruction" in body
        if has_words == has_structure:
            problems.append(
                ("instruction", "send either instruction or structured_instruction, not both")
                if has_words
                else ("instruction", "send instruction or structured_instruction")
            )
        if has_structure:
            problems += [
                ("structured_instruction", m)
                for m in _instruction_problems(body["structured_instruction"])
            ]
        for name, check in EDIT_FIELDS.items():
            if name in body and (problem := check(body[name])) is not None:
                problems.append((name, problem))
        images = body.get("images")
        if "mask" in body and isinstance(images, list) and len(images) > 1:
            problems.append(("mask", "a masked edit takes one image only"))
        if problems:
            return _invalid(problems)
        if body.get("sync") is True:
            return _error(504, "Gateway timeout: an edit takes longer than a synchronous answer")
        if has_structure:
            echo = str(body["structured_instruction"])
            instruction = json.loads(echo)
        else:
            instruction = structured_instruction(
                json.loads(self.default_prompt()), str(body["instruction"]).strip()
            )
            echo = prompt_json(instruction)
        scene = prompt_scene(instruction, subject=True)
        job = self._new_job(body, instruction, echo, fail=fail, scene=scene)
        return self._accepted(job, request, sync=False)

    def _relight(self, request: Request, *, fail: bool) -> Reply | None:
        body, problems = _body_object(request)
        if body is None:
            return _invalid(problems)
        problems = [(name, "unknown field") for name in body if name not in RELIGHT_FIELDS]
        if "image" not in body:
            problems.append(("image", "is required"))
        if "light_direction" not in body:
            problems.append(("light_direction", "is required"))
        for name, check in RELIGHT_FIELDS.items():
            if name in body and (problem := check(body[name])) is not None:
                problems.append((name, problem))
        if problems:
            return _invalid(problems)
        words = str(body.get("light_type", DEFAULT_LIGHT_TYPE))
        kind = next(k for k in RELIGHT_TYPES if k.words == words)
        azimuth, elevation = _RELIGHT_PLACES[str(body["light_direction"])]
        key = {
            "azimuth": azimuth,
            "elevation": elevation,
            "intensity": 0.5 if kind.night else 0.8,
            "color_temperature": kind.kelvin,
            "softness": kind.softness,
        }
        scene = SceneRequest.model_validate({"lighting_setup": {"key": key}})
        echo = prompt_json(compile_prompt(scene))
        job = self._new_job(body, json.loads(echo), echo, fail=fail, scene=scene)
        return self._accepted(job, request, sync=body.get("sync") is True)


def _check_words(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be a string, got {json_type(value)}"
    return None if value.strip() else "must not be empty"


def _images_problems(body: JSONObject) -> list[tuple[str, str]]:
    """``images``: one to :data:`MAX_EDIT_IMAGES` images, each a URL or base64."""
    if "images" not in body:
        return [("images", "is required")]
    images = body["images"]
    if not isinstance(images, list):
        return [("images", f"must be an array of images, got {json_type(images)}")]
    if not 1 <= len(images) <= MAX_EDIT_IMAGES:
        return [("images", f"must hold 1 to {MAX_EDIT_IMAGES} images, got {len(images)}")]
    return [
        (f"images.{index}", problem)
        for index, image in enumerate(images)
        if (problem := check_image(image)) is not None
    ]


def _instruction_problems(value: object) -> list[str]:
    """Bria's structured instruction is a string holding its JSON: the ten keys (leniently)
    and ``edit_instruction``."""
    if not isinstance(value, str):
        return [
            f"must be a string holding the instruction's JSON (json.dumps it), got "
            f"{json_type(value)}"
        ]
    try:
        instruction = json.loads(value)
    except ValueError as exc:
        return [f"is not valid JSON: {exc}"]
    return [f"{p.loc}: {p.message}" if p.loc else p.message for p in check_instruction(instruction)]


def _is_async_generate(endpoint: str, request: Request) -> bool:
    if endpoint not in ("generate", "relight", "structured_instruction"):
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


def _structured_prompt_problems(value: object) -> list[str]:
    """Bria's structured prompt is a string holding the prompt's JSON."""
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


#: Fields ``POST /v2/image/generate`` accepts, and their checks.
GENERATE_FIELDS: Mapping[str, Check] = {
    **FIBO_INPUTS,
    "structured_prompt": lambda value: None,  # checked on its own
    "guidance_scale": _check_guidance,
    "webhook_url": check_str,
    "model_version": lambda value: check_choice(value, ("FIBO",)),
    "resolution": lambda value: check_choice(value, ("1MP", "4MP")),
    "sync": check_bool,
    "prompt_content_moderation": check_bool,
}


#: Fields ``POST /v2/image/generate/lite`` accepts, and their checks: Fibo Lite is distilled
#: (no steps, guidance, negative prompt or model version).
LITE_FIELDS: Mapping[str, Check] = {
    "prompt": check_str,
    "structured_prompt": lambda value: None,  # checked on its own
    "images": lambda value: None if isinstance(value, list) else "must be an array",
    "seed": FIBO_INPUTS["seed"],
    "aspect_ratio": FIBO_INPUTS["aspect_ratio"],
    "sync": check_bool,
    "prompt_content_moderation": check_bool,
}


#: Fields ``POST /v2/image/edit`` accepts, and their checks (``images`` and the instructions
#: are checked on their own).
EDIT_FIELDS: Mapping[str, Check] = {
    "images": lambda value: None,
    "instruction": _check_words,
    "structured_instruction": lambda value: None,
    "mask": check_image,
    "seed": FIBO_INPUTS["seed"],
    "steps_num": FIBO_INPUTS["steps_num"],
    "aspect_ratio": FIBO_INPUTS["aspect_ratio"],
    "negative_prompt": check_str,
    "guidance_scale": _check_guidance,
    "model_version": check_str,
    "sync": check_bool,
    "webhook_url": check_str,
    "prompt_content_moderation": check_bool,
    "visual_input_content_moderation": check_bool,
    "visual_output_content_moderation": check_bool,
}

#: Fields ``POST /v2/image/edit/relight`` accepts, and their checks.
RELIGHT_FIELDS: Mapping[str, Check] = {
    "image": check_image,
    "light_type": lambda value: check_choice(value, (k.words for k in RELIGHT_TYPES)),
    "light_direction": lambda value: check_choice(value, RELIGHT_DIRECTIONS),
    "sync": check_bool,
    "webhook_url": check_str,
    "visual_input_content_moderation": check_bool,
    "visual_output_content_moderation": check_bool,
}


def run_mock_bria(
    host: str = "127.0.0.1", port: int = 8765, **options: Unpack[BriaOptions]
) -> None:
    """Serve the Bria mock on ``host``:``port``, print its base URL and block until Ctrl-C."""
    server = MockBriaServer(host=host, port=port, **options)
    server.start()
    print(f"mock Bria API v2 at {server.url}/v2 (api_token: {server.token})", flush=True)
    print(f"  LIGHTRIG_BRIA_BASE_URL={server.url}/v2  ·  Ctrl-C stops", flush=True)
    server.serve_forever()
