"""A batch of generations and how far it has got."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lightrig.models.generation import GenerationResponse, GenerationStatus

__all__ = ["BatchProgress"]


class BatchProgress(BaseModel):
    """A batch: its items in the order asked, how many are in each status, and whether all
    have finished."""

    model_config = ConfigDict(extra="forbid")

    batch_id: Annotated[str, Field(description="The batch's id.")]
    user_id: Annotated[str | None, Field(description="Who asked for it.")] = None
    created_at: Annotated[datetime, Field(description="When it was asked for (UTC).")]
    completed_at: Annotated[
        datetime | None, Field(description="When its last item finished (UTC).")
    ] = None
    total: Annotated[int, Field(ge=0, description="How many generations it holds.")]
    counts: Annotated[dict[GenerationStatus, int], Field(description="Items in each status.")]
    done: Annotated[int, Field(ge=0, description="Items finished, successfully or not.")]
    items: Annotated[
        list[GenerationResponse], Field(description="The items' records, in the order asked.")
    ]

    @property
    def finished(self) -> bool:
        """Every item has finished."""
        return self.done >= self.total
