"""fal.ai's queue API for ``bria/fibo/generate``.

``POST {base}/{model}`` with ``Authorization: Key <key>`` and the structured prompt as an *object*
answers with a ``request_id`` and the ``status_url`` and ``response_url`` to use — fal's own URLs,
which omit the ``/generate`` path, so they are followed as given. The status goes ``IN_QUEUE`` →
``IN_PROGRESS`` → ``COMPLETED``; the response holds ``image.url``. fal marks errors with
``X-Fal-Retryable``; its error bodies are ``{"detail": [{loc, msg, type}]}``.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx

from lightrig.backends.base import BackendHealth, BackendImage, GenerationParams
from lightrig.backends.http_client import HostClient, decode_png_size
from lightrig.backends.retry import RetryPolicy
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.limits.base import RateLimiter
from lightrig.models.scene import SceneRequest

__all__ = ["FalBackend"]

_POLL_GROWTH = 1.5


def _fal_error(body: Any) -> str:
    """fal's ``{"detail": ...}`` as one line: ``body.seed: must be an integer; ...``."""
    if isinstance(body, dict):
        detail = body.get("detail", body)
        if isinstance(detail, list):
            parts = []
            for item in detail:
                if isinstance(item, dict):
                    where = ".".join(str(part) for part in item.get("loc", ()))
                    parts.append(f"{where}: {item.get('msg', '')}".strip(": "))
            if parts:
                return "; ".join(parts)
        return str(detail)[:300]
    return str(body)[:300]


class FalBackend:
    """FIBO on fal.ai. One pooled HTTP client; close it with :meth:`aclose`."""

    name = "fal"

    def __init__(
        self,
        settings: Settings,
        limiter: RateLimiter | None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if settings.fal_key is None:
            raise FIBOGenerationError(
                "the fal backend needs an API key: set LIGHTRIG_FAL_KEY", backend=self.name
            )
        self._settings = settings
        self._base = settings.fal_base_url.rstrip("/")
        self._headers = {"Authorization": f"Key {settings.fal_key.get_secret_value()}"}
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
            retryable_header="x-fal-retryable",
        )

    async def _slot(self) -> None:
        if self._limiter is not None:
            await self._limiter.acquire("fal", self._settings.fal_requests_per_minute)

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Queue, wait for, and download one FIBO image."""
        deadline = time.monotonic() + self._settings.total_timeout_s
        body: dict[str, Any] = {
            "structured_prompt": prompt,
            "seed": params.seed,
            "steps_num": min(50, max(20, params.steps)),
            "guidance_scale": round(min(5.0, max(3.0, params.guidance_scale))),
            "aspect_ratio": params.aspect_ratio,
        }
        if params.negative_prompt:
            body["negative_prompt"] = json.dumps(params.negative_prompt, ensure_ascii=False)
        queued = await self._client.submit(
            "POST",
            f"{self._base}/{self._settings.fal_model}",
            json=body,
            headers=self._headers,
            accepted=(200, 201, 202),
            before=self._slot,
            describe_error=_fal_error,
        )
        request_id = str(queued.get("request_id") or "") or None
        status_url = queued.get("status_url")
        response_url = queued.get("response_url")
        if not status_url or not response_url:
            raise FIBOGenerationError(
                f"fal queued request {request_id} without status and response URLs",
                backend=self.name,
                request_id=request_id,
            )
        await self._wait(str(status_url), request_id, deadline)
        result = await self._client.fetch_json(
            str(response_url),
            headers=self._headers,
            before=self._slot,
            deadline=deadline,
            describe_error=_fal_error,
        )
        image = result.get("image") or (result.get("images") or [None])[0]
        if not isinstance(image, dict) or not image.get("url"):
            raise FIBOGenerationError(
                f"fal's result for request {request_id} has no image url",
                backend=self.name,
                request_id=request_id,
            )
        data, media_type = await self._client.download(str(image["url"]), deadline=deadline)
        width, height = decode_png_size(data)
        echoed = result.get("structured_prompt")
        return BackendImage(
            data=data,
            media_type=str(image.get("content_type") or media_type),
            seed=int(result.get("seed", params.seed)),
            width=width,
            height=height,
            request_id=request_id,
            structured_prompt=echoed if isinstance(echoed, dict) else None,
        )

    async def _wait(self, status_url: str, request_id: str | None, deadline: float) -> None:
        wait = self._settings.fal_poll_initial_s
        while True:
            if time.monotonic() + wait > deadline:
                raise FIBOGenerationError(
                    f"fal request {request_id} did not finish within "
                    f"{self._settings.total_timeout_s:g} s",
                    backend=self.name,
                    request_id=request_id,
                    timed_out=True,
                )
            await asyncio.sleep(wait)
            wait = min(self._settings.fal_poll_max_s, wait * _POLL_GROWTH)
            body = await self._client.fetch_json(
                status_url,
                headers=self._headers,
                before=self._slot,
                deadline=deadline,
                describe_error=_fal_error,
            )
            status = str(body.get("status", "")).upper()
            if status == "COMPLETED":
                return
            if status not in ("IN_QUEUE", "IN_PROGRESS"):
                raise FIBOGenerationError(
                    f"fal request {request_id} ended with status {status or 'missing'}: "
                    f"{_fal_error(body)}",
                    backend=self.name,
                    request_id=request_id,
                )

    async def health(self) -> BackendHealth:
        """Ask fal for the status of a request id that cannot exist: 404 or 400 proves the host
        answers and accepts the key; 401 / 403 say the key is refused."""
        start = time.perf_counter()
        model_root = "/".join(self._settings.fal_model.split("/")[:2])
        try:
            await self._slot()
            response = await self._client.raw_get(
                f"{self._base}/{model_root}/requests/lightrig-health-probe/status",
                headers=self._headers,
            )
        except httpx.HTTPError as exc:
            return BackendHealth(
                "unhealthy", (time.perf_counter() - start) * 1000, f"cannot reach fal: {exc!r}"
            )
        elapsed = (time.perf_counter() - start) * 1000
        status = response.status_code
        if status in (200, 400, 404, 422):
            return BackendHealth("healthy", elapsed, f"fal answered {status}")
        if status in (401, 403):
            return BackendHealth("unhealthy", elapsed, f"fal refused the key ({status})")
        return BackendHealth(
            "degraded" if status == 429 else "unhealthy", elapsed, f"fal answered {status}"
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
