"""The result of a generation request."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from lightrig.models.analysis import LightingAnalysis

__all__ = ["GenerationResponse", "GenerationStatus"]


class GenerationStatus(StrEnum):
    """Where a generation stands."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    ERROR = "error"


class GenerationResponse(BaseModel):
    """One generated image and everything needed to reproduce and judge it.

    ``status`` is ``success`` or ``error`` for finished work (``queued`` / ``running`` for jobs);
    an ``error`` result carries ``error`` and no image.
    """

    model_config = ConfigDict(extra="forbid")

    generation_id: Annotated[str, Field(min_length=1, description="Unique id of this generation.")]
    status: GenerationStatus
    image_url: Annotated[
        str | None, Field(default=None, description="Where the image can be fetched, if any.")
    ]
    structured_prompt: Annotated[
        dict[str, Any] | None,
        Field(default=None, description="The FIBO structured prompt that was sent."),
    ]
    analysis: Annotated[
        LightingAnalysis | None, Field(default=None, description="The analysis of the setup.")
    ]
    backend: Annotated[str | None, Field(default=None, description="Image backend used.")]
    seed: Annotated[int | None, Field(default=None, description="Generation seed.")]
    cost_usd: Annotated[
        float | None, Field(default=None, ge=0.0, description="Price of the call in US dollars.")
    ]
    duration_s: Annotated[
        float | None, Field(default=None, ge=0.0, description="Wall time in seconds.")
    ]
    error: Annotated[str | None, Field(default=None, description="Why it failed, for errors.")]
    created_at: Annotated[
        datetime,
        Field(default_factory=lambda: datetime.now(UTC), description="When it was made (UTC)."),
    ]
