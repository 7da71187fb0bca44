"""fal.ai's queue API for FIBO (``bria/fibo/generate``), Fibo Lite and FIBO 1.5.

``POST {base}/{model}`` with ``Authorization: Key <key>`` and the structured prompt as an
*object* answers with a ``request_id``. The job lives under the model's app — ``{base}/{owner}/
{app}/requests/{id}``, without the model's ``/generate`` path, as fal documents and as the
``status_url`` and ``response_url`` it returns are built — so a job is polled and collected from
its id alone, by this process or the next one (resumable, like Bria's). The status goes
``IN_QUEUE`` → ``IN_PROGRESS`` → ``COMPLETED``; the result at ``{...}/requests/{id}`` holds
``image`` (``url``, ``content_type``), the seed and the echoed prompt. fal marks errors with
``X-Fal-Retryable``; its error bodies are ``{"detail": [{loc, msg, type}]}``.

Photos are edited with FIBO-Edit, ``Settings.fal_edit_model`` (``bria/fibo-edit/edit``): the
photo as ``image_url`` (a base64 data URL) and the structured instruction as an *object*,
queued, polled and collected under its own app (``{base}/bria/fibo-edit/requests/{id}``) like a
generation, and resumable: :meth:`FalBackend.submit_edit` / :meth:`FalBackend.collect_edit`.

Models: FIBO (``fibo``) is ``Settings.fal_model``; Fibo Lite (``fibo-lite``) is
``bria/fibo-lite/generate`` and FIBO 1.5 (``fibo-1.5``) ``bria/fibo-gen-1.5/text-to-image``,
both distilled: they are sent the structured prompt, seed and aspect ratio (FIBO 1.5 also
``resolution: "1MP"``), no steps, guidance or negative prompt. A job's requests live under its
model's app, so a job is collected with the model it was made with (its parameters say). Edits
with FIBO 1.5 go to FIBO-Edit 1.5, ``bria/fibo-edit-1.5/edit`` (photo, structured instruction
and seed); Fibo Lite has no edit model on fal.
fal documents no caption endpoint for FIBO-Edit (its model takes a structured instruction or
words, and returns no caption of the photo), so :meth:`FalBackend.caption` is lightrig's own
reading of the photo (:func:`lightrig.backends.editing.read_caption`): the light it reads and a
generic subject, not the scene a caption model would describe. For Bria's caption, caption
with the ``bria`` backend and edit here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from lightrig.backends.base import GenerationParams, SourceImage
from lightrig.backends.editing import data_url
from lightrig.backends.hosted import HostedBackend, JobStatus, ResultImage
from lightrig.backends.served import served_models
from lightrig.lighting.vocabulary import DEFAULT_MODEL

__all__ = ["FalBackend"]

_WAITING = frozenset({"IN_QUEUE", "IN_PROGRESS"})
#: The model paths of the distilled models (FIBO's is ``Settings.fal_model``).
_DISTILLED_PATHS: dict[str, str] = {
    "fibo-1.5": "bria/fibo-gen-1.5/text-to-image",
    "fibo-lite": "bria/fibo-lite/generate",
}
#: The edit model paths beside FIBO-Edit (``Settings.fal_edit_model``).
_DISTILLED_EDIT_PATHS: dict[str, str] = {"fibo-1.5": "bria/fibo-edit-1.5/edit"}
#: The resolution FIBO 1.5 is asked for (``1MP`` or ``4MP``): FIBO's own, about a megapixel.
RESOLUTION_1_5 = "1MP"


class FalBackend(HostedBackend):
    """FIBO on fal.ai's queue."""

    name: ClassVar[str] = "fal"
    title: ClassVar[str] = "fal"
    retryable_header: ClassVar[str | None] = "x-fal-retryable"
    probe_healthy: ClassVar[frozenset[int]] = frozenset({200, 400, 404, 422})
    credential_name: ClassVar[str] = "API key"
    credential_field: ClassVar[str] = "fal_key"

    @property
    def accepted(self) -> tuple[int, ...]:
        """fal queues with 200 (201 and 202 are taken as the same)."""
        return (200, 201, 202)

    def auth_headers(self, credential: str) -> dict[str, str]:
        """``Authorization: Key <key>``."""
        return {"Authorization": f"Key {credential}"}

    @property
    def models(self) -> tuple[str, ...]:
        """FIBO, FIBO 1.5 and Fibo Lite (:func:`~lightrig.backends.served.served_models`)."""
        return served_models(self.name, self._settings).models

    @property
    def edit_models(self) -> tuple[str, ...]:
        """FIBO (FIBO-Edit) and FIBO 1.5 (FIBO-Edit 1.5); none when
        ``LIGHTRIG_FAL_EDIT_MODEL`` is empty."""
        return served_models(self.name, self._settings).edit_models

    def model_path(self, model: str = DEFAULT_MODEL) -> str:
        """The fal model path generations with ``model`` go to."""
        if model == DEFAULT_MODEL:
            return self._settings.fal_model.strip("/")
        return _DISTILLED_PATHS[model]

    def edit_model_path(self, model: str = DEFAULT_MODEL) -> str:
        """The fal model path edits with ``model`` go to (empty: no edits on fal)."""
        if model == DEFAULT_MODEL:
            return self._settings.fal_edit_model.strip("/")
        return _DISTILLED_EDIT_PATHS[model]

    def _requests(self, request_id: str, path: str) -> str:
        app = "/".join(path.split("/")[:2])
        return f"{self._base}/{app}/requests/{request_id}"

    def submit_url(self, model: str = DEFAULT_MODEL) -> str:
        """``{base}/{model path}``."""
        return f"{self._base}/{self.model_path(model)}"

    def submit_body(self, prompt: dict[str, Any], params: GenerationParams) -> dict[str, Any]:
        """The prompt as an object; for FIBO with the shared model inputs, for the distilled
        models with the seed and aspect ratio (and FIBO 1.5's resolution)."""
        if params.model == DEFAULT_MODEL:
            return {"structured_prompt": prompt, **self.model_inputs(params)}
        body: dict[str, Any] = {
            "structured_prompt": prompt,
            "seed": params.seed,
            "aspect_ratio": params.aspect_ratio,
        }
        if params.model == "fibo-1.5":
            body["resolution"] = RESOLUTION_1_5
        return body

    def status_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """``{base}/{owner}/{app}/requests/{id}/status``, the app ``model``'s."""
        return f"{self._requests(request_id, self.model_path(model))}/status"

    def result_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """``{base}/{owner}/{app}/requests/{id}``, the app ``model``'s."""
        return self._requests(request_id, self.model_path(model))

    def read_status(self, body: dict[str, Any], request_id: str) -> JobStatus:
        """``COMPLETED`` (the result is fetched next), ``IN_QUEUE`` / ``IN_PROGRESS``
        (pending); anything else failed."""
        status = str(body.get("status", "")).upper()
        if status == "COMPLETED":
            return JobStatus("done")
        if status in _WAITING:
            return JobStatus("pending")
        return JobStatus(
            "failed",
            reason=f"fal request {request_id} ended with status {status or 'missing'}: "
            f"{self.describe_error(body)}",
        )

    def read_result(self, result: dict[str, Any]) -> ResultImage | None:
        """``image`` (or the first of ``images``): its url and content type; the seed and the
        echoed prompt (an object; an edit's structured instruction)."""
        image = result.get("image") or (result.get("images") or [None])[0]
        if not isinstance(image, dict) or not image.get("url"):
            return None
        echoed = result.get("structured_prompt", result.get("structured_instruction"))
        seed = result.get("seed")
        return ResultImage(
            url=str(image["url"]),
            seed=int(seed) if seed is not None else None,
            media_type=str(image["content_type"]) if image.get("content_type") else None,
            structured_prompt=echoed if isinstance(echoed, dict) else None,
        )

    def describe_error(self, body: Any) -> str:
        """fal's ``{"detail": ...}`` as one line: ``body.seed: must be an integer; ...``."""
        if not isinstance(body, dict):
            return str(body)[:300]
        detail = body.get("detail", body)
        if isinstance(detail, list):
            parts = [
                f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', '')}"
                for item in detail
                if isinstance(item, dict)
            ]
            if parts:
                return "; ".join(part.strip(": ") for part in parts)
        return str(detail)[:300]

    def probe_url(self) -> str:
        """The status of a request id that cannot exist (404 or 400)."""
        return self.status_url("lightrig-health-probe")

    # --- FIBO-Edit --------------------------------------------------------------------------

    def edit_url(self, model: str = DEFAULT_MODEL) -> str | None:
        """``{base}/{edit model path}``; ``None`` when ``LIGHTRIG_FAL_EDIT_MODEL`` is empty."""
        if not self._settings.fal_edit_model.strip("/"):
            return None
        return f"{self._base}/{self.edit_model_path(model)}"

    def edit_body(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> dict[str, Any]:
        """The photo as a data URL, the structured instruction as an object, and for FIBO-Edit
        the shared model inputs but the aspect ratio (the edit keeps the photo's); for
        FIBO-Edit 1.5, the seed."""
        if params.model != DEFAULT_MODEL:
            inputs: dict[str, Any] = {"seed": params.seed}
        else:
            inputs = self.model_inputs(params)
            del inputs["aspect_ratio"]
        return {"image_url": data_url(image), "structured_instruction": instruction, **inputs}

    def edit_status_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """``{base}/{owner}/{edit app}/requests/{id}/status``."""
        return f"{self._requests(request_id, self.edit_model_path(model))}/status"

    def edit_result_url(self, request_id: str, model: str = DEFAULT_MODEL) -> str:
        """``{base}/{owner}/{edit app}/requests/{id}``."""
        return self._requests(request_id, self.edit_model_path(model))
