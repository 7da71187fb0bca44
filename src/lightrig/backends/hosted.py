"""The shared base of hosted image backends: submit → poll → collect, written once.

A hosted backend hands the job to the host (:meth:`HostedBackend.submit`: one paid request, the
host's id for the job back), polls the job's status until it ends, fetches its result and
downloads the image (:meth:`HostedBackend.collect`). The two halves meet only through the id,
so a job submitted by a process that then died is collected by the next one, never sent
twice (the runner writes the id down in between).

Here, once: the pooled client and its retry policy, the rate-limiter slot every request takes
first (status polls count), the credential check, the model inputs both FIBO hosts share (steps
clamped to 20–50, guidance to a whole 3–5), the polling loop with its backoff and deadline,
building the :class:`~lightrig.backends.base.BackendImage`, the health probe, and the rule that
a submission is charged once (:mod:`lightrig.backends.http_client`): an answer that leaves
acceptance unknown ends the job as an error saying so, unless the backend's
``LIGHTRIG_<NAME>_RESUBMIT_UNKNOWN`` allows sending it again — then every possible duplicate is
counted on the result.

A subclass describes only its host's contract: its credential, URLs, request body, how to read
the job id, the status and the result, and its error bodies; its settings follow one naming
(``LIGHTRIG_<NAME>_BASE_URL``, ``..._POLL_INITIAL_S``, ...).

Editing photos with FIBO-Edit (:class:`~lightrig.backends.base.ImageEditor`) goes the same way:
a host that edits names its :meth:`HostedBackend.edit_url` and :meth:`HostedBackend.edit_body`,
and an edit is submitted once (:meth:`HostedBackend.submit_edit`) and collected by its id
(:meth:`HostedBackend.collect_edit`), by this process or the next. A host with no caption
endpoint captions with lightrig's own reading of the photo
(:func:`lightrig.backends.editing.read_caption`).
"""

from __future__ import annotations

import asyncio
import json
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

import httpx
from pydantic import SecretStr

from lightrig.backends.base import (
    BackendHealth,
    BackendImage,
    GenerationParams,
    SourceImage,
    Submission,
    check_input,
    check_model,
)
from lightrig.backends.editing import (
    check_caption_input,
    check_edit_input,
    not_editing,
    read_caption,
)
from lightrig.backends.http_client import HostClient, Submitted, decode_png_size, json_or_none
from lightrig.backends.retry import RetryPolicy
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.lighting.vocabulary import DEFAULT_MODEL
from lightrig.limits.base import RateLimiter
from lightrig.models.scene import SceneRequest

__all__ = ["Endpoint", "HostSettings", "HostedBackend", "JobStatus", "ResultImage"]

#: The kinds of request a hosted backend makes (each takes a rate-limiter slot first).
Endpoint = Literal["submit", "status", "result", "probe"]

#: How much longer each wait between status polls is than the one before.
POLL_GROWTH = 1.5


@dataclass(frozen=True)
class HostSettings:
    """What the settings say of one host.

    ``credential_setting``: the environment variable that sets ``credential`` (named when it
    is missing). ``requests_per_minute``: the client-side budget. ``poll_initial_s`` /
    ``poll_max_s``: the first and the longest wait between status polls, seconds.
    ``resubmit_unknown``: send a submission again after an answer that left acceptance unknown.
    """

    base_url: str
    credential: SecretStr | None
    credential_setting: str
    requests_per_minute: int
    poll_initial_s: float
    poll_max_s: float
    resubmit_unknown: bool


@dataclass(frozen=True)
class JobStatus:
    """A job's status as the host reported it: ``pending``, ``done`` (with ``result`` when the
    status carries it) or ``failed`` (with ``reason``, one line)."""

    state: Literal["pending", "done", "failed"]
    result: dict[str, Any] | None = None
    reason: str = ""


@dataclass(frozen=True)
class ResultImage:
    """Where a finished job's image is, and what the host says of it (``None``: not said)."""

    url: str
    seed: int | None = None
    media_type: str | None = None
    structured_prompt: dict[str, Any] | None = None


class HostedBackend(ABC):
    """FIBO on a host that keeps its jobs. One pooled HTTP client; close it with
    :meth:`aclose`. ``limiter`` is shared by every backend for the hosts' budgets."""

    #: The backend's name (``bria``, ``fal``).
    name: ClassVar[str]
    #: The host as messages name it (``Bria``, ``fal``).
    title: ClassVar[str]
    #: What the credential is called (``API token``, ``API key``).
    credential_name: ClassVar[str]
    #: The setting that holds it (``bria_api_token``, ``fal_key``).
    credential_field: ClassVar[str]
    #: Statuses the health probe takes as "the host answers and accepts the credential".
    probe_healthy: ClassVar[frozenset[int]] = frozenset({200, 404})
    #: The response header in which the host says whether a failure may be retried.
    retryable_header: ClassVar[str | None] = None

    def __init__(
        self,
        settings: Settings,
        limiter: RateLimiter | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        host = self.host_settings(settings)
        if host.credential is None:
            raise FIBOGenerationError(
                f"the {self.title} backend needs an {self.credential_name}: "
                f"set {host.credential_setting}",
                backend=self.name,
            )
        self._settings = settings
        self._host = host
        self._base = host.base_url.rstrip("/")
        self._headers = self.auth_headers(host.credential.get_secret_value())
        self._limiter = limiter
        self._client = HostClient(
            backend=self.name,
            timeout_s=settings.request_timeout_s,
            policy=RetryPolicy(
                attempts=settings.retry_attempts,
                initial_s=settings.retry_initial_s,
                max_s=settings.retry_max_s,
            ),
            transport=transport,
            retryable_header=self.retryable_header,
            resubmit_unknown=host.resubmit_unknown,
            resubmit_setting=f"LIGHTRIG_{self.name.upper()}_RESUBMIT_UNKNOWN",
        )

    # --- the host's contract: what subclasses describe ------------------------------------

    @classmethod
    def host_settings(cls, settings: Settings) -> HostSettings:
        """This host's part of the settings: ``LIGHTRIG_<NAME>_BASE_URL``,
        ``_REQUESTS_PER_MINUTE``, ``_POLL_INITIAL_S``, ``_POLL_MAX_S`` and
        ``_RESUBMIT_UNKNOWN``, and the credential in :attr:`credential_field`."""

        def setting(suffix: str) -> Any:
            return getattr(settings, f"{cls.name}_{suffix}")

        return HostSettings(
            base_url=setting("base_url"),
            credential=getattr(settings, cls.credential_field),
            credential_setting=f"LIGHTRIG_{cls.credential_field.upper()}",
            requests_per_minute=setting("requests_per_minute"),
            poll_initial_s=setting("poll_initial_s"),
            poll_max_s=setting("poll_max_s"),
            resubmit_unknown=setting("resubmit_unknown"),
        )

    @abstractmethod
    def auth_headers(self, credential: str) -> dict[str, str]:
        """The headers that carry the credential (sent to the host's API only)."""

    @property
    @abstractmethod
    def models(self) -> tuple[str, ...]:
        """The FIBO models this host generates with here (see
        :data:`~lightrig.lighting.vocabulary.MODEL_NAMES`)."""

    @property
    def edit_models(self) -> tuple[str, ...]:
        """The FIBO models this host edits photos with here (none by default)."""
        return ()

    @abstractmethod
    def submit_url(self, model: str = DEFAULT_MODEL) -> str:
        """Where submissions of ``model`` go."""

    @abstractmethod
    def submit_body(self, prompt: dict[str, Any], params: GenerationParams) -> dict[str, Any]:
        """The submission's JSON body (start from :meth:`model_inputs`)."""

    @abstractmethod
    def status_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """Where the job ``request_id`` (made with ``model``) is polled."""

    @abstractmethod
    def read_status(self, body: dict[str, Any], request_id: str) -> JobStatus:
        """The job's state from a status answer."""

    @abstractmethod
    def read_result(self, result: dict[str, Any]) -> ResultImage | None:
        """The image a finished job's result names (``None``: it names none)."""

    @abstractmethod
    def describe_error(self, body: Any) -> str:
        """The host's error body as one line."""

    @abstractmethod
    def probe_url(self) -> str:
        """A cheap authenticated request for the health probe (a job that cannot exist)."""

    def result_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str | None:
        """Where a finished job's result is fetched; ``None``: the final status carries it."""
        return None

    def job_id(self, body: Any) -> str | None:
        """The host's id for a job, from a submission's answer (or an error body)."""
        found = body.get("request_id") if isinstance(body, dict) else None
        return str(found) if found else None

    @property
    def accepted(self) -> tuple[int, ...]:
        """Statuses the submission is answered with when the host took it."""
        return (202,)

    @property
    def answers_inline(self) -> bool:
        """Whether the submission itself answers with the result, under ``result`` (no
        polling, no resuming)."""
        return False

    def limiter_key(self, endpoint: Endpoint) -> str:
        """The rate limiter's key for a request to ``endpoint`` (the host counts per key)."""
        return self.name

    # --- editing (FIBO-Edit): what a host that edits describes too -------------------------

    def edit_url(self, model: str = DEFAULT_MODEL) -> str | None:
        """Where edits with ``model`` go; ``None`` (the default): this host does not edit."""
        return None

    def edit_body(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> dict[str, Any]:
        """An edit's JSON body (a host that edits describes it)."""
        raise not_editing(self.name, f"{self.title} has no edit endpoint here")

    def edit_status_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """Where the edit ``request_id``'s status is polled (a generation's, by default)."""
        return self.status_url(request_id, model)

    def edit_result_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str | None:
        """Where a finished edit's result is fetched (a generation's, by default)."""
        return self.result_url(request_id, model)

    @property
    def edit_accepted(self) -> tuple[int, ...]:
        """Statuses an edit is answered with when the host took it (a submission's, by
        default; edits are always polled)."""
        return self.accepted

    # --- shared ----------------------------------------------------------------------------

    @property
    def resumable(self) -> bool:
        """Whether jobs can be submitted here and collected by another process."""
        return not self.answers_inline

    @property
    def retries_seen(self) -> dict[str, int]:
        """How many responses of each retryable kind (``"429"``, ``"5xx"``, ...) were retried."""
        return dict(self._client.retried)

    def model_inputs(self, params: GenerationParams) -> dict[str, Any]:
        """The inputs FIBO's hosts share: seed, steps (clamped to 20–50), guidance (a whole
        number 3–5), aspect ratio and the negative prompt as a JSON string."""
        inputs: dict[str, Any] = {
            "seed": params.seed,
            "steps_num": min(50, max(20, params.steps)),
            "guidance_scale": round(min(5.0, max(3.0, params.guidance_scale))),
            "aspect_ratio": params.aspect_ratio,
        }
        if params.negative_prompt:
            inputs["negative_prompt"] = json.dumps(params.negative_prompt, ensure_ascii=False)
        return inputs

    async def _slot(self, endpoint: Endpoint) -> None:
        if self._limiter is not None:
            await self._limiter.acquire(self.limiter_key(endpoint), self._host.requests_per_minute)

    def _deadline(self) -> float:
        return time.monotonic() + self._settings.total_timeout_s

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Submit, wait for and download one image."""
        if self.resumable:
            submission = await self.submit(prompt, request, params)
            image = await self.collect(submission.request_id, params)
            return replace(image, possible_duplicates=submission.possible_duplicates)
        check_input(prompt, params)
        check_model(self.name, params.model, self.models)
        deadline = self._deadline()
        sent = await self._send(prompt, params, deadline)
        result = sent.body.get("result")
        image = await self._image(result, self.job_id(sent.body), params, deadline)
        return replace(image, possible_duplicates=sent.unknown)

    async def submit(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> Submission:
        """Hand the job to the host, once (see the module); its id for the job. A model this
        host does not serve here is refused first (field ``model``)."""
        check_input(prompt, params)
        check_model(self.name, params.model, self.models)
        sent = await self._send(prompt, params, self._deadline())
        request_id = self.job_id(sent.body)
        if not request_id:
            raise FIBOGenerationError(
                f"{self.title} accepted the request but gave no request_id",
                backend=self.name,
                possible_duplicates=sent.unknown,
            )
        return Submission(request_id, sent.unknown)

    async def collect(self, request_id: str, params: GenerationParams) -> BackendImage:
        """Poll the host's job ``request_id`` until it ends; fetch its result and image."""
        model = params.model
        return await self._collect(
            request_id,
            params,
            self.status_url(request_id, model),
            self.result_url(request_id, model),
        )

    async def _collect(
        self, request_id: str, params: GenerationParams, status_url: str, result_url: str | None
    ) -> BackendImage:
        deadline = self._deadline()
        status = await self._poll(request_id, deadline, status_url)
        result: Any = status.result
        url = result_url
        if url is not None:
            result = await self._client.fetch_json(
                url,
                headers=self._headers,
                before=lambda: self._slot("result"),
                deadline=deadline,
                describe_error=self.describe_error,
            )
        return await self._image(result, request_id, params, deadline)

    async def _send(
        self, prompt: dict[str, Any], params: GenerationParams, deadline: float
    ) -> Submitted:
        return await self._post(
            self.submit_url(params.model),
            self.submit_body(prompt, params),
            deadline,
            accepted=self.accepted,
            inline=self.answers_inline,
        )

    async def _post(
        self,
        url: str,
        body: dict[str, Any],
        deadline: float,
        *,
        accepted: tuple[int, ...],
        inline: bool,
    ) -> Submitted:
        """Send one paid request, once (see the module); ``inline``: the answer carries the
        result, so the read may take until ``deadline``."""
        return await self._client.submit(
            "POST",
            url,
            json=body,
            headers=self._headers,
            accepted=accepted,
            before=lambda: self._slot("submit"),
            read_timeout_s=max(1.0, deadline - time.monotonic()) if inline else None,
            describe_error=self.describe_error,
            request_id_of=self.job_id,
        )

    async def _poll(self, request_id: str, deadline: float, url: str | None = None) -> JobStatus:
        url = self.status_url(request_id) if url is None else url
        wait = self._host.poll_initial_s
        while True:
            if time.monotonic() + wait > deadline:
                raise FIBOGenerationError(
                    f"{self.title} request {request_id} did not finish within "
                    f"{self._settings.total_timeout_s:g} s; it may still complete on "
                    f"{self.title}'s side",
                    backend=self.name,
                    request_id=request_id,
                    timed_out=True,
                )
            await asyncio.sleep(wait)
            wait = min(self._host.poll_max_s, wait * POLL_GROWTH)
            body = await self._client.fetch_json(
                url,
                headers=self._headers,
                before=lambda: self._slot("status"),
                deadline=deadline,
                describe_error=self.describe_error,
            )
            status = self.read_status(body, request_id)
            if status.state == "done":
                return status
            if status.state == "failed":
                raise FIBOGenerationError(status.reason, backend=self.name, request_id=request_id)

    async def _image(
        self, result: Any, request_id: str | None, params: GenerationParams, deadline: float
    ) -> BackendImage:
        """The image a finished job's ``result`` names, downloaded (without the credential,
        which belongs to the host's API only)."""
        found = self.read_result(result) if isinstance(result, dict) else None
        if found is None:
            raise FIBOGenerationError(
                f"{self.title}'s result for request {request_id} names no image",
                backend=self.name,
                request_id=request_id,
            )
        data, media_type = await self._client.download(found.url, deadline=deadline)
        width, height = decode_png_size(data)
        return BackendImage(
            data=data,
            media_type=found.media_type or media_type,
            seed=params.seed if found.seed is None else found.seed,
            width=width,
            height=height,
            request_id=request_id,
            structured_prompt=found.structured_prompt,
        )

    @property
    def edits(self) -> bool:
        """Whether this host edits photos (:meth:`edit_url` names where)."""
        return self.edit_url() is not None

    async def caption(self, image: SourceImage, instruction: str) -> dict[str, Any]:
        """The structured instruction of ``image`` for ``instruction``: here, lightrig's own
        reading of the photo (:func:`~lightrig.backends.editing.read_caption`), for hosts with
        no caption endpoint; a host that has one overrides this."""
        check_caption_input(image, instruction)
        if not self.edits:
            raise not_editing(self.name, f"{self.title} has no edit endpoint here")
        return await read_caption(image, instruction)

    async def submit_edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> Submission:
        """Hand the edit to the host, once; its id for the job (collect it with
        :meth:`collect_edit`, here or in the next process)."""
        check_edit_input(image, instruction, params)
        if self.edit_url() is None:
            raise not_editing(self.name, f"{self.title} has no edit endpoint here")
        check_model(self.name, params.model, self.edit_models, edits=True)
        url = self.edit_url(params.model)
        if url is None:
            raise not_editing(self.name, f"{self.title} has no edit endpoint here")
        sent = await self._post(
            url,
            self.edit_body(image, instruction, params),
            self._deadline(),
            accepted=self.edit_accepted,
            inline=False,
        )
        request_id = self.job_id(sent.body)
        if not request_id:
            raise FIBOGenerationError(
                f"{self.title} accepted the edit but gave no request_id",
                backend=self.name,
                possible_duplicates=sent.unknown,
            )
        return Submission(request_id, sent.unknown)

    async def collect_edit(self, request_id: str, params: GenerationParams) -> BackendImage:
        """Poll the host's edit ``request_id`` until it ends; fetch its result and image."""
        model = params.model
        return await self._collect(
            request_id,
            params,
            self.edit_status_url(request_id, model),
            self.edit_result_url(request_id, model),
        )

    async def edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> BackendImage:
        """``image`` made again to the structured ``instruction``: submitted once, waited
        for and downloaded (a whole new frame, not pixel-aligned with the photo)."""
        submission = await self.submit_edit(image, instruction, params)
        image_out = await self.collect_edit(submission.request_id, params)
        return replace(image_out, possible_duplicates=submission.possible_duplicates)

    async def health(self) -> BackendHealth:
        """Ask the host for a job that cannot exist: an answer in :attr:`probe_healthy` proves
        it answers and accepts the credential; 401 / 403 say the credential is refused, 429
        that the account is being rate limited (degraded)."""
        start = time.perf_counter()
        try:
            await self._slot("probe")
            response = await self._client.raw_get(self.probe_url(), headers=self._headers)
        except httpx.HTTPError as exc:
            elapsed = (time.perf_counter() - start) * 1000
            return BackendHealth("unhealthy", elapsed, f"cannot reach {self.title}: {exc!r}")
        elapsed = (time.perf_counter() - start) * 1000
        status = response.status_code
        if status in self.probe_healthy:
            return BackendHealth("healthy", elapsed, f"{self.title} answered {status}")
        if status in (401, 403):
            return BackendHealth(
                "unhealthy", elapsed, f"{self.title} refused the {self.credential_name} ({status})"
            )
        if status == 429:
            return BackendHealth("degraded", elapsed, f"{self.title} is rate limiting this account")
        detail = self.describe_error(json_or_none(response))
        return BackendHealth("unhealthy", elapsed, f"{self.title} answered {status}: {detail}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
