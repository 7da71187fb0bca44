"""Bria's platform API v2: FIBO images from structured prompts.

``POST {base}/image/generate`` with the ``api_token`` header and the structured prompt as a JSON
*string*; by default the answer is 202 with a ``request_id``, and ``GET {base}/status/{id}`` is
polled until ``COMPLETED`` (or ``ERROR`` / ``FAILED`` / ``UNKNOWN``), whose ``result`` holds the
``image_url``, the echoed prompt (a string again) and the seed. With ``sync`` the submission
answers 200 with the result inline (nothing to poll, nothing to resume).

Bria counts its limits per endpoint, polls included: submissions take the ``bria:generate``
slot, every other request ``bria:status``. Error bodies are ``{"error": {"code", "message",
"details"}}``. Everything else — submit once, poll, collect, resume — is
:class:`~lightrig.backends.hosted.HostedBackend`'s.
"""

from __future__ import annotations

import json
import logging
from typing import Any, ClassVar

from lightrig.backends.base import GenerationParams
from lightrig.backends.hosted import Endpoint, HostedBackend, JobStatus, ResultImage
from lightrig.fibo.compile import prompt_json

__all__ = ["BriaBackend"]

log = logging.getLogger(__name__)

_FAILED = frozenset({"ERROR", "FAILED"})


class BriaBackend(HostedBackend):
    """FIBO on Bria's API v2."""

    name: ClassVar[str] = "bria"
    title: ClassVar[str] = "Bria"
    credential_name: ClassVar[str] = "API token"
    credential_field: ClassVar[str] = "bria_api_token"

    @property
    def accepted(self) -> tuple[int, ...]:
        """200 when Bria answers synchronously, else 202."""
        return (200,) if self._settings.bria_sync else (202,)

    @property
    def answers_inline(self) -> bool:
        """With ``LIGHTRIG_BRIA_SYNC`` the submission answers with the result."""
        return self._settings.bria_sync

    def auth_headers(self, credential: str) -> dict[str, str]:
        """Bria's ``api_token`` header."""
        return {"api_token": credential}

    def limiter_key(self, endpoint: Endpoint) -> str:
        """``bria:generate`` for submissions, ``bria:status`` for the rest."""
        return "bria:generate" if endpoint == "submit" else "bria:status"

    def submit_url(self) -> str:
        """``{base}/image/generate``."""
        return f"{self._base}/image/generate"

    def submit_body(self, prompt: dict[str, Any], params: GenerationParams) -> dict[str, Any]:
        """The prompt as a compact JSON string, FIBO as the model, ``sync`` as set."""
        return {
            "structured_prompt": prompt_json(prompt),
            **self.model_inputs(params),
            "model_version": "FIBO",
            "sync": self._settings.bria_sync,
        }

    def status_url(self, request_id: str) -> str:
        """``{base}/status/{request_id}``."""
        return f"{self._base}/status/{request_id}"

    def read_status(self, body: dict[str, Any], request_id: str) -> JobStatus:
        """``COMPLETED`` (with its result), ``ERROR`` / ``FAILED`` / ``UNKNOWN`` (failed),
        ``IN_PROGRESS`` or anything new (pending)."""
        status = str(body.get("status", "")).upper()
        if status == "COMPLETED":
            result = body.get("result")
            return JobStatus("done", result if isinstance(result, dict) else {})
        if status in _FAILED:
            reason = self.describe_error(body.get("error") or body)
            return JobStatus(
                "failed", reason=f"Bria could not generate request {request_id}: {reason}"
            )
        if status == "UNKNOWN":
            return JobStatus(
                "failed", reason=f"Bria does not know request {request_id} (status UNKNOWN)"
            )
        if status != "IN_PROGRESS":
            log.warning("Bria answered an unexpected status %r; still polling", status)
        return JobStatus("pending")

    def read_result(self, result: dict[str, Any]) -> ResultImage | None:
        """``image_url``, ``seed`` and the echoed prompt (a JSON string)."""
        if not result.get("image_url"):
            return None
        echoed = result.get("structured_prompt")
        if isinstance(echoed, str):
            try:
                echoed = json.loads(echoed)
            except json.JSONDecodeError:
                echoed = None
        seed = result.get("seed")
        return ResultImage(
            url=str(result["image_url"]),
            seed=int(seed) if seed is not None else None,
            structured_prompt=echoed if isinstance(echoed, dict) else None,
        )

    def describe_error(self, body: Any) -> str:
        """The message of Bria's ``{"error": {"code", "message", "details"}}`` body, with its
        details, as one line."""
        if isinstance(body, dict):
            error = body.get("error", body)
            if isinstance(error, dict):
                message = str(error.get("message") or error.get("detail") or "")
                details = error.get("details")
                if details:
                    message += f" ({json.dumps(details, ensure_ascii=False)[:300]})"
                return message or json.dumps(body)[:300]
        return str(body)[:300]

    def probe_url(self) -> str:
        """The status of a request id that cannot exist (200 ``UNKNOWN`` or 404)."""
        return f"{self._base}/status/lightrig-health-probe"
