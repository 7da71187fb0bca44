"""The result of a generation request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from lightrig.models.adherence import Adherence
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.gate import GateReport
from lightrig.models.scene import SceneRequest
from lightrig.models.status import GenerationStatus

__all__ = ["GenerationResponse", "GenerationStatus", "SourcePhoto"]


class SourcePhoto(BaseModel):
    """The photograph a relight edits, as it is stored."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(description="Where the photograph can be fetched.")]
    key: Annotated[str, Field(description="Content-addressed storage key.")]
    media_type: Annotated[str, Field(description="e.g. image/jpeg.")]
    width: Annotated[int, Field(ge=1, description="Pixels.")]
    height: Annotated[int, Field(ge=1, description="Pixels.")]


class GenerationResponse(BaseModel):
    """One generated image and everything needed to reproduce and judge it.

    ``status`` is ``success`` or ``error`` for finished work, ``queued`` / ``running`` for work
    in hand, ``retrying`` for a background job waiting to run again, ``interrupted`` when the
    process working on a generation someone waited for stopped; an ``error`` result carries
    ``error`` and no image.
    """

    model_config = ConfigDict(extra="forbid")

    generation_id: Annotated[str, Field(min_length=1, description="Unique id of this generation.")]
    status: GenerationStatus
    user_id: Annotated[str | None, Field(description="Who asked for it.")] = None
    image_url: Annotated[str | None, Field(description="Where the image can be fetched.")] = None
    image_key: Annotated[str | None, Field(description="Content-addressed storage key.")] = None
    media_type: Annotated[str | None, Field(description="e.g. image/png.")] = None
    width: Annotated[int | None, Field(ge=1, description="Pixels.")] = None
    height: Annotated[int | None, Field(ge=1, description="Pixels.")] = None
    structured_prompt: Annotated[
        dict[str, Any] | None, Field(description="The FIBO structured prompt that was sent.")
    ] = None
    request: Annotated[SceneRequest | None, Field(description="The validated scene request.")] = (
        None
    )
    analysis: Annotated[
        LightingAnalysis | None, Field(description="The analysis of the setup.")
    ] = None
    backend: Annotated[str | None, Field(description="Image backend used.")] = None
    backend_request_id: Annotated[str | None, Field(description="The host's id for the job.")] = (
        None
    )
    seed: Annotated[int | None, Field(description="Generation seed.")] = None
    params: Annotated[
        dict[str, Any] | None,
        Field(description="Model parameters: steps, guidance, aspect ratio, size."),
    ] = None
    cost_usd: Annotated[
        float | None,
        Field(
            ge=0.0,
            description="Price in US dollars: the image's, plus one more for each possible "
            "duplicate submission.",
        ),
    ] = None
    possible_duplicates: Annotated[
        int,
        Field(
            ge=0,
            description="Submissions beyond one that the host may also have accepted and "
            "billed: sent again after an answer that left unknown whether the host took it "
            "(only when the backend's LIGHTRIG_<BACKEND>_RESUBMIT_UNKNOWN allows it; each is "
            "priced in cost_usd). 0 otherwise.",
        ),
    ] = 0
    duration_s: Annotated[float | None, Field(ge=0.0, description="Wall time in seconds.")] = None
    cached: Annotated[bool, Field(description="Answered from the result cache.")] = False
    parent_id: Annotated[str | None, Field(description="The generation this re-lights.")] = None
    batch_id: Annotated[str | None, Field(description="The batch it belongs to.")] = None
    batch_index: Annotated[
        int | None, Field(ge=0, description="Its position in the batch, from 0.")
    ] = None
    error: Annotated[
        str | None,
        Field(description="Why it failed, for errors; why it is to run again, for retries."),
    ] = None
    gate_id: Annotated[
        str | None,
        Field(
            description="The adherence gate it is an attempt of (the gate's first attempt's "
            "generation id); null when not gated."
        ),
    ] = None
    gate_index: Annotated[
        int | None, Field(ge=0, description="Its place among the gate's attempts, from 0.")
    ] = None
    gate: Annotated[
        GateReport | None,
        Field(
            description="The adherence gate's attempts (id, seed, status, score, cost) and "
            "where it stands (running, passed, attempts_exhausted, budget, failed): given with "
            "a gated generate or refine, and when a gated generation is read back."
        ),
    ] = None
    attempts: Annotated[
        int,
        Field(
            ge=0,
            description="Runs started: 1 for a generation that ran once; more when a "
            "background job ran again after its worker died or its host failed.",
        ),
    ] = 0
    adherence: Annotated[
        Adherence | None,
        Field(
            description="How well the image follows the requested light, read back from the "
            "image and scored against the preview of the request (0–1 overall and per "
            "attribute); null when it was not checked or could not be."
        ),
    ] = None
    created_at: datetime = Field(
        default_factory=lambda: datetime.now(UTC), description="When it was asked for (UTC)."
    )
    completed_at: Annotated[
        datetime | None, Field(description="When it finished, successfully or not (UTC).")
    ] = None
    source: Annotated[
        SourcePhoto | None,
        Field(
            description="For a relight: the photograph it edits (the image is that photograph "
            "made again under the requested light); null for every other generation."
        ),
    ] = None

    @property
    def image_path(self) -> str | None:
        """The local file path of the image when it is stored in a local folder."""
        if self.image_url and self.image_url.startswith("file://"):
            from urllib.parse import unquote, urlsplit  # noqa: PLC0415 - rarely used

            return unquote(urlsplit(self.image_url).path)
        return None
