"""Bria's platform API v2: FIBO images from structured prompts.

``POST {base}/image/generate`` with the ``api_token`` header and the structured prompt as a JSON
*string*; by default the answer is 202 with a ``request_id`` and a ``status_url`` polled until
``COMPLETED`` (or ``ERROR`` / ``FAILED`` / ``UNKNOWN``), then the image is downloaded from the
result's ``image_url`` — without the token, which belongs to Bria's API host only. With ``sync``
the submit answers 200 with the result inline.

Every request, polls included, first takes a slot from the rate limiter under its endpoint's key
(Bria counts per endpoint), so concurrent generations share the organisation's budget instead of
provoking 429s. Retries follow :mod:`lightrig.backends.retry`: polls and downloads are repeated
freely; a submit only when Bria certainly did not take it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import httpx

from lightrig.backends.base import BackendHealth, BackendImage, GenerationParams
from lightrig.backends.http_client import HostClient, decode_png_size, json_or_none
from lightrig.backends.retry import RetryPolicy
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import prompt_json
from lightrig.limits.base import RateLimiter
from lightrig.models.scene import SceneRequest

__all__ = ["BriaBackend"]

log = logging.getLogger(__name__)

_FAILED = {"ERROR", "FAILED"}
_POLL_GROWTH = 1.5


def _bria_error(body: Any) -> str:
    """The message of Bria's ``{"error": {"code", "message", "details"}}`` body."""
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            message = str(error.get("message") or error.get("detail") or "")
            details = error.get("details")
            if details:
                message += f" ({json.dumps(details, ensure_ascii=False)[:300]})"
            return message or json.dumps(body)[:300]
    return str(body)[:300]


class BriaBackend:
    """FIBO on Bria's API. One pooled HTTP client; close it with :meth:`aclose`."""

    name = "bria"

    def __init__(
        self,
        settings: Settings,
        limiter: RateLimiter | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if settings.bria_api_token is None:
            raise FIBOGenerationError(
                "the Bria backend needs an API token: set LIGHTRIG_BRIA_API_TOKEN",
                backend=self.name,
            )
        self._settings = settings
        self._base = settings.bria_base_url.rstrip("/")
        self._token = settings.bria_api_token.get_secret_value()
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
        )

    @property
    def retries_seen(self) -> dict[str, int]:
        """How many responses of each retryable kind (``"429"``, ``"5xx"``, ...) were retried."""
        return dict(self._client.retried)

    async def _slot(self, endpoint: str) -> None:
        if self._limiter is not None:
            await self._limiter.acquire(f"bria:{endpoint}", self._settings.bria_requests_per_minute)

    def _body(self, prompt: dict[str, Any], params: GenerationParams) -> dict[str, Any]:
        body: dict[str, Any] = {
            "structured_prompt": prompt_json(prompt),
            "seed": params.seed,
            "steps_num": min(50, max(20, params.steps)),
            "guidance_scale": round(min(5.0, max(3.0, params.guidance_scale))),
            "aspect_ratio": params.aspect_ratio,
            "model_version": "FIBO",
            "sync": self._settings.bria_sync,
        }
        if params.negative_prompt:
            body["negative_prompt"] = json.dumps(params.negative_prompt, ensure_ascii=False)
        return body

    @property
    def resumable(self) -> bool:
        """Bria keeps asynchronous jobs: one submitted can be collected by another process."""
        return not self._settings.bria_sync

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Submit, wait for, and download one FIBO image."""
        if self.resumable:
            return await self.collect(await self.submit(prompt, request, params), params)
        deadline = time.monotonic() + self._settings.total_timeout_s
        answer = await self._submit(prompt, params, deadline)
        request_id = str(answer.get("request_id") or "") or None
        return await self._image(answer.get("result"), request_id, params, deadline)

    async def submit(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> str:
        """Hand an asynchronous job to Bria; its ``request_id``."""
        deadline = time.monotonic() + self._settings.total_timeout_s
        answer = await self._submit(prompt, params, deadline)
        request_id = str(answer.get("request_id") or "")
        if not request_id:
            raise FIBOGenerationError(
                "Bria accepted the request but gave no request_id", backend=self.name
            )
        return request_id

    async def collect(self, request_id: str, params: GenerationParams) -> BackendImage:
        """Poll Bria's ``/status/{request_id}`` until the job is done; download its image."""
        deadline = time.monotonic() + self._settings.total_timeout_s
        status_url = f"{self._base}/status/{request_id}"
        result = await self._poll(status_url, request_id, self._headers(), deadline)
        return await self._image(result, request_id, params, deadline)

    def _headers(self) -> dict[str, str]:
        return {"api_token": self._token}

    async def _submit(
        self, prompt: dict[str, Any], params: GenerationParams, deadline: float
    ) -> dict[str, Any]:
        sync = self._settings.bria_sync
        return await self._client.submit(
            "POST",
            f"{self._base}/image/generate",
            json=self._body(prompt, params),
            headers=self._headers(),
            accepted=(200,) if sync else (202,),
            before=lambda: self._slot("generate"),
            read_timeout_s=max(1.0, deadline - time.monotonic()) if sync else None,
            describe_error=_bria_error,
        )

    async def _image(
        self, result: Any, request_id: str | None, params: GenerationParams, deadline: float
    ) -> BackendImage:
        """The image of a finished job's ``result``, downloaded."""
        if not isinstance(result, dict) or not result.get("image_url"):
            raise FIBOGenerationError(
                f"Bria's result for request {request_id} has no image_url",
                backend=self.name,
                request_id=request_id,
            )
        data, media_type = await self._client.download(str(result["image_url"]), deadline=deadline)
        width, height = decode_png_size(data)
        echoed = result.get("structured_prompt")
        if isinstance(echoed, str):
            try:
                echoed = json.loads(echoed)
            except json.JSONDecodeError:
                echoed = None
        return BackendImage(
            data=data,
            media_type=media_type,
            seed=int(result.get("seed", params.seed)),
            width=width,
            height=height,
            request_id=request_id,
            structured_prompt=echoed if isinstance(echoed, dict) else None,
        )

    async def _poll(
        self,
        status_url: str,
        request_id: str | None,
        headers: dict[str, str],
        deadline: float,
    ) -> dict[str, Any]:
        wait = self._settings.bria_poll_initial_s
        while True:
            if time.monotonic() + wait > deadline:
                raise FIBOGenerationError(
                    f"Bria request {request_id} did not finish within "
                    f"{self._settings.total_timeout_s:g} s; it may still complete on Bria's side",
                    backend=self.name,
                    request_id=request_id,
                    timed_out=True,
                )
            await asyncio.sleep(wait)
            wait = min(self._settings.bria_poll_max_s, wait * _POLL_GROWTH)
            body = await self._client.fetch_json(
                status_url,
                headers=headers,
                before=lambda: self._slot("status"),
                deadline=deadline,
                describe_error=_bria_error,
            )
            status = str(body.get("status", "")).upper()
            if status == "COMPLETED":
                result = body.get("result")
                return result if isinstance(result, dict) else {}
            if status in _FAILED:
                raise FIBOGenerationError(
                    f"Bria could not generate request {request_id}: "
                    f"{_bria_error(body.get('error') or body)}",
                    backend=self.name,
                    request_id=request_id,
                )
            if status == "UNKNOWN":
                raise FIBOGenerationError(
                    f"Bria does not know request {request_id} (status UNKNOWN)",
                    backend=self.name,
                    request_id=request_id,
                )
            if status != "IN_PROGRESS":
                log.warning("Bria answered an unexpected status %r; still polling", status)

    async def health(self) -> BackendHealth:
        """Ask Bria for the status of a request id that cannot exist: a 200 ``UNKNOWN`` (or 404)
        proves the host answers and accepts the token; 401 / 403 say the token is refused."""
        start = time.perf_counter()
        try:
            await self._slot("status")
            response = await self._client.raw_get(
                f"{self._base}/status/lightrig-health-probe", headers=self._headers()
            )
        except httpx.HTTPError as exc:
            return BackendHealth(
                "unhealthy", (time.perf_counter() - start) * 1000, f"cannot reach Bria: {exc!r}"
            )
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code in (200, 404):
            return BackendHealth("healthy", elapsed, f"Bria answered {response.status_code}")
        if response.status_code in (401, 403):
            return BackendHealth(
                "unhealthy", elapsed, f"Bria refused the token ({response.status_code})"
            )
        if response.status_code == 429:
            return BackendHealth("degraded", elapsed, "Bria is rate limiting this organisation")
        body = json_or_none(response)
        return BackendHealth(
            "unhealthy", elapsed, f"Bria answered {response.status_code}: {_bria_error(body)}"
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
