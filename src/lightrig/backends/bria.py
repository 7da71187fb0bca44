"""Bria's platform API v2: FIBO images from structured prompts.

``POST {base}/image/generate`` with the ``api_token`` header and the structured prompt as a JSON
*string*; by default the answer is 202 with a ``request_id``, and ``GET {base}/status/{id}`` is
polled until ``COMPLETED`` (or ``ERROR`` / ``FAILED`` / ``UNKNOWN``), whose ``result`` holds the
``image_url``, the echoed prompt (a string again) and the seed. With ``sync`` the submission
answers 200 with the result inline (nothing to poll, nothing to resume).

Photos are edited with FIBO-Edit, in two steps. ``POST {base}/structured_instruction/generate``
with ``images`` (one base64 data URL) and ``instruction`` (the edit in words) answers with the
photo's *structured instruction* — FIBO's ten keys plus ``edit_instruction`` — inline (200) or
as a job to poll (202); :meth:`BriaBackend.caption` returns it. ``POST {base}/image/edit`` with
``images`` and the (changed) ``structured_instruction`` as a JSON *string* is always a job
(202; Bria's documentation warns against ``sync`` here), polled at ``{base}/status/{id}`` like a
generation and resumable: :meth:`BriaBackend.submit_edit` / :meth:`BriaBackend.collect_edit`.
Bria's preset relighting, ``POST {base}/image/edit/relight`` with ``image``, ``light_type`` (one
of fourteen) and ``light_direction`` (one of four), is :meth:`BriaBackend.relight_preset`; the
nearest preset to a setup is :func:`lightrig.fibo.relight.nearest_relight_preset`.

Models: FIBO (``fibo``) goes to ``{base}/image/generate`` with ``model_version: "FIBO"``; Fibo
Lite (``fibo-lite``) to ``{base}/image/generate/lite`` — Bria's "Fibo Lite Pipeline" — with the
structured prompt, seed, aspect ratio and ``sync`` (a distilled model: no steps, guidance or
negative prompt), polled at the same ``{base}/status/{id}``. FIBO 1.5 is not on Bria's API as
documented, so ``fibo-1.5`` is refused here (field ``model``, before anything is sent); edits
are FIBO-Edit's only.

Bria counts its limits per endpoint, polls included: submissions take the ``bria:generate``
slot, every other request ``bria:status``. Error bodies are ``{"error": {"code", "message",
"details"}}``. Everything else — submit once, poll, collect, resume — is
:class:`~lightrig.backends.hosted.HostedBackend`'s.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any, ClassVar

from lightrig.backends.base import BackendImage, GenerationParams, SourceImage, Submission
from lightrig.backends.editing import check_caption_input, data_url
from lightrig.backends.hosted import Endpoint, HostedBackend, JobStatus, ResultImage
from lightrig.backends.served import served_models
from lightrig.errors import FIBOGenerationError, FieldError, InvalidLightingSetupError
from lightrig.fibo.compile import prompt_json
from lightrig.fibo.instruction import check_instruction
from lightrig.lighting.vocabulary import DEFAULT_MODEL, RELIGHT_DIRECTIONS, RELIGHT_TYPES

__all__ = ["BriaBackend"]

log = logging.getLogger(__name__)

_FAILED = frozenset({"ERROR", "FAILED"})
_LIGHT_TYPES = tuple(kind.words for kind in RELIGHT_TYPES)
#: Where each model Bria serves is generated, under the base URL.
_GENERATE_PATHS: dict[str, str] = {"fibo": "image/generate", "fibo-lite": "image/generate/lite"}


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

    @property
    def models(self) -> tuple[str, ...]:
        """FIBO and Fibo Lite (:func:`~lightrig.backends.served.served_models`)."""
        return served_models(self.name, self._settings).models

    @property
    def edit_models(self) -> tuple[str, ...]:
        """FIBO (FIBO-Edit)."""
        return served_models(self.name, self._settings).edit_models

    def submit_url(self, model: str = DEFAULT_MODEL) -> str:
        """``{base}/image/generate`` (FIBO) or ``{base}/image/generate/lite`` (Fibo Lite)."""
        return f"{self._base}/{_GENERATE_PATHS[model]}"

    def submit_body(self, prompt: dict[str, Any], params: GenerationParams) -> dict[str, Any]:
        """The prompt as a compact JSON string and ``sync`` as set; for FIBO, the shared model
        inputs and ``model_version: "FIBO"``; for Fibo Lite, the seed and aspect ratio."""
        if params.model == DEFAULT_MODEL:
            inputs = {**self.model_inputs(params), "model_version": "FIBO"}
        else:
            inputs = {"seed": params.seed, "aspect_ratio": params.aspect_ratio}
        return {
            "structured_prompt": prompt_json(prompt),
            **inputs,
            "sync": self._settings.bria_sync,
        }

    def status_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
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

    # --- FIBO-Edit --------------------------------------------------------------------------

    def edit_url(self, model: str = DEFAULT_MODEL) -> str:
        """``{base}/image/edit`` (FIBO-Edit)."""
        return f"{self._base}/image/edit"

    def edit_body(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> dict[str, Any]:
        """The photo as a data URL, the structured instruction as a compact JSON string, and
        the shared model inputs but the aspect ratio (a one-photo edit keeps the photo's)."""
        inputs = self.model_inputs(params)
        del inputs["aspect_ratio"]
        return {
            "images": [data_url(image)],
            "structured_instruction": prompt_json(instruction),
            **inputs,
        }

    @property
    def edit_accepted(self) -> tuple[int, ...]:
        """202: an edit is always a job, whatever ``LIGHTRIG_BRIA_SYNC`` says."""
        return (202,)

    async def caption(self, image: SourceImage, instruction: str) -> dict[str, Any]:
        """The photo's structured instruction from ``{base}/structured_instruction/generate``
        (inline or polled), checked: FIBO's ten keys and ``edit_instruction``. A call Bria
        charges (about $0.02); sent once, as a generation is."""
        check_caption_input(image, instruction)
        deadline = self._deadline()
        sent = await self._post(
            f"{self._base}/structured_instruction/generate",
            {
                "images": [data_url(image)],
                "instruction": instruction.strip(),
                "sync": self._settings.bria_sync,
            },
            deadline,
            accepted=(200, 202),
            inline=self._settings.bria_sync,
        )
        request_id = self.job_id(sent.body)
        result = sent.body.get("result")
        if not isinstance(result, dict):
            if not request_id:
                raise FIBOGenerationError(
                    "Bria accepted the caption request but gave no request_id",
                    backend=self.name,
                    possible_duplicates=sent.unknown,
                )
            status = await self._poll(request_id, deadline)
            result = status.result or {}
        return self._read_instruction(result, request_id)

    def _read_instruction(self, result: dict[str, Any], request_id: str | None) -> dict[str, Any]:
        found: Any = result.get("structured_instruction", result.get("structured_prompt"))
        if isinstance(found, str):
            try:
                found = json.loads(found)
            except json.JSONDecodeError:
                found = None
        if isinstance(found, dict):
            detail = "; ".join(str(problem) for problem in check_instruction(found))
        else:
            detail = "it names none"
        if detail:
            raise FIBOGenerationError(
                f"Bria's caption for request {request_id} is not a structured instruction: "
                f"{detail}",
                backend=self.name,
                request_id=request_id,
            )
        return dict(found)

    async def submit_relight_preset(
        self, image: SourceImage, light_type: str, light_direction: str, params: GenerationParams
    ) -> Submission:
        """Hand a preset relight to Bria, once; its id (collect it with :meth:`collect_edit`).

        ``light_type``: one of Bria's fourteen
        (:data:`~lightrig.lighting.vocabulary.RELIGHT_TYPES`); ``light_direction``: ``front``,
        ``side``, ``bottom`` or ``top-down``. Anything else is refused before sending
        (:class:`~lightrig.errors.InvalidLightingSetupError`, one line per field).
        """
        check_caption_input(image, "relight")
        problems: list[FieldError] = []
        if light_type not in _LIGHT_TYPES:
            problems.append(
                FieldError(
                    "light_type", f"must be one of {', '.join(_LIGHT_TYPES)}, got {light_type!r}"
                )
            )
        if light_direction not in RELIGHT_DIRECTIONS:
            problems.append(
                FieldError(
                    "light_direction",
                    f"must be one of {', '.join(RELIGHT_DIRECTIONS)}, got {light_direction!r}",
                )
            )
        if problems:
            raise InvalidLightingSetupError(problems)
        sent = await self._post(
            f"{self._base}/image/edit/relight",
            {
                "image": data_url(image),
                "light_type": light_type,
                "light_direction": light_direction,
                "sync": False,
            },
            self._deadline(),
            accepted=(202,),
            inline=False,
        )
        request_id = self.job_id(sent.body)
        if not request_id:
            raise FIBOGenerationError(
                "Bria accepted the relight but gave no request_id",
                backend=self.name,
                possible_duplicates=sent.unknown,
            )
        return Submission(request_id, sent.unknown)

    async def relight_preset(
        self, image: SourceImage, light_type: str, light_direction: str, params: GenerationParams
    ) -> BackendImage:
        """``image`` relit by Bria's preset ``light_type`` from ``light_direction`` (see
        :meth:`submit_relight_preset`): submitted once, waited for and downloaded."""
        submission = await self.submit_relight_preset(image, light_type, light_direction, params)
        relit = await self.collect_edit(submission.request_id, params)
        return replace(relit, possible_duplicates=submission.possible_duplicates)
