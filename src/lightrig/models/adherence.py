"""How well a picture follows the requested light, as a generation carries it.

The verifier (:mod:`lightrig.verify`) reads the light back out of a generated image and scores
it against the preview render of the request; this is the score, kept here with the other
public data models because :class:`~lightrig.models.generation.GenerationResponse` carries it.
Scores run 0 (wrong) to 1 (as asked).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Adherence", "AttributeScore"]


class AttributeScore(BaseModel):
    """How one attribute of a picture compares with the reference.

    ``score``: 0 (wrong) to 1 (as asked), ``None`` when either side could not be read;
    ``weight``: its share in the overall score (confidence-weighted).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    attribute: str
    score: Annotated[float | None, Field(ge=0.0, le=1.0)]
    weight: Annotated[float, Field(ge=0.0)]
    finding: str
    generated: str
    reference: str


class Adherence(BaseModel):
    """How well a picture follows the requested light: per attribute and overall (0–1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    overall: Annotated[float | None, Field(ge=0.0, le=1.0)]
    verdict: str
    scores: list[AttributeScore]
    findings: list[str]
