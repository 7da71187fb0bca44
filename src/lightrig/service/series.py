"""A series: one lighting setup on many subjects — described in words, or photographs to re-light —
every picture read back, the light's consistency across the set reported, and the pictures that
stray made again.

Each subject is one generation (a description: the setup on that subject) or one relight (a
photograph: the photograph made again under the setup), with a seed of its own derived from the
series' (:func:`subject_seed`) and, when given, the same adherence gate, run a few at a time
(``batch_concurrency``). Each finished picture's light is read back (:mod:`lightrig.verify`) and
the series judged by :func:`lightrig.verify.series.consistency`. An outlier is made once more with
a new seed, and of the two the picture nearer the series' medians (in tolerances, on its furthest
measure) stays in the series. Every picture made is kept as a record; the result names what was
made again and which was kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from lightrig.models.gate import GatePolicy, attempt_seed
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.verify.series import (
    AZIMUTH_TOLERANCE_DEG,
    COLOUR_TOLERANCE_MIRED,
    RATIO_TOLERANCE_STOPS,
    ConsistencyReport,
    SeriesReading,
    consistency,
)

if TYPE_CHECKING:
    from lightrig.service.facade import LightingGenerationService

__all__ = ["MAX_SERIES", "Remake", "SeriesResult", "Subject", "run_series", "subject_seed"]

#: The most subjects one series may hold.
MAX_SERIES = 24
#: The index a remade picture's seed is derived with (beyond any gate's attempts).
_REMAKE_INDEX = 100
#: Subject i > 0 takes the seed derived with this index plus i (beyond any remake's).
_SUBJECT_INDEX = 1000


def subject_seed(seed: int, index: int) -> int:
    """The seed of the series' subject ``index``: the series' own for the first, one derived
    from it for the others (:func:`~lightrig.models.gate.attempt_seed`), so no two subjects
    share a seed and any process derives the same."""
    return seed if index == 0 else attempt_seed(seed, _SUBJECT_INDEX + index)


class Remake(BaseModel):
    """An outlier made again: the picture it was, the one made, and which was kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: Annotated[int, Field(ge=0, description="The subject's place in the series.")]
    was: Annotated[str, Field(description="The outlier's generation id.")]
    made: Annotated[str, Field(description="The new picture's generation id.")]
    kept: Annotated[str, Field(description="The one the series keeps.")]


class SeriesResult(BaseModel):
    """A series made: one picture per subject (in order), their light's consistency, and the
    outliers made again."""

    model_config = ConfigDict(extra="forbid")

    items: list[GenerationResponse]
    report: ConsistencyReport
    remade: list[Remake]


#: A subject: a description of who is lit (words) or a photograph to re-light (bytes).
Subject = str | bytes


async def _read(service: LightingGenerationService, result: GenerationResponse) -> SeriesReading:
    """``result``'s light read back (nothing read for a picture that failed)."""
    if result.status is not GenerationStatus.SUCCESS or result.image_key is None:
        return SeriesReading(
            generation_id=result.generation_id, azimuth=None, ratio_stops=None, kelvin=None
        )
    data = await service.get_image(result.image_key)
    estimate = (await service.verify_image(data)).estimate
    return SeriesReading(
        generation_id=result.generation_id,
        azimuth=None if estimate.direction is None else round(estimate.direction.azimuth, 2),
        ratio_stops=None if estimate.ratio is None else round(estimate.ratio.stops, 3),
        kelvin=None if estimate.colour is None else round(estimate.colour.kelvin, 1),
    )


def _distance(reading: SeriesReading, report: ConsistencyReport) -> float:
    """How far ``reading`` lies from the series' medians, in tolerances (the largest of its
    measures'; 0 for a measure not read)."""
    medians = {m.measure: m.median for m in report.measures}
    far = 0.0
    azimuth, ratio, colour = (
        medians.get("key azimuth"),
        medians.get("ratio"),
        medians.get("colour"),
    )
    if reading.azimuth is not None and azimuth is not None:
        turn = (reading.azimuth - azimuth + 180.0) % 360.0 - 180.0
        far = max(far, abs(turn) / AZIMUTH_TOLERANCE_DEG)
    if reading.ratio_stops is not None and ratio is not None:
        far = max(far, abs(reading.ratio_stops - ratio) / RATIO_TOLERANCE_STOPS)
    if reading.kelvin and colour is not None:
        far = max(far, abs(1e6 / reading.kelvin - colour) / COLOUR_TOLERANCE_MIRED)
    return far


async def run_series(
    service: LightingGenerationService,
    request: SceneRequest,
    subjects: Sequence[Subject],
    user_id: str | None = None,
    *,
    backend: str | None = None,
    model: str | None = None,
    seed: int,
    gate: GatePolicy | None = None,
    remake_outliers: bool = True,
    concurrency: int = 2,
) -> SeriesResult:
    """The series (see the module docstring); ``seed``: the series' seed (the first
    subject's)."""

    async def make(subject: Subject, index_seed: int) -> GenerationResponse:
        if isinstance(subject, bytes):
            return await service.relight_image(
                subject,
                request,
                user_id,
                backend=backend,
                model=model,
                seed=index_seed,
                gate=gate,
            )
        scene = SceneRequest.model_validate(
            {**request.model_dump(mode="json", exclude_none=True), "subject_description": subject}
        )
        return await service.generate_from_lighting_setup(
            scene, user_id, backend=backend, model=model, seed=index_seed, gate=gate
        )

    slots = asyncio.Semaphore(max(1, concurrency))

    async def made_and_read(
        subject: Subject, index_seed: int
    ) -> tuple[GenerationResponse, SeriesReading]:
        async with slots:
            result = await make(subject, index_seed)
            return result, await _read(service, result)

    seeds = [subject_seed(seed, i) for i in range(len(subjects))]
    first = await asyncio.gather(
        *(made_and_read(s, n) for s, n in zip(subjects, seeds, strict=True))
    )
    items = [result for result, _ in first]
    readings = [reading for _, reading in first]
    report = consistency(readings)
    remade: list[Remake] = []
    if remake_outliers and report.outliers:
        strays = [i for i, r in enumerate(readings) if r.generation_id in report.outliers]
        again = await asyncio.gather(
            *(made_and_read(subjects[i], attempt_seed(seeds[i], _REMAKE_INDEX)) for i in strays)
        )
        for i, (result, reading) in zip(strays, again, strict=True):
            keep = _distance(reading, report) < _distance(readings[i], report)
            kept = result if keep else items[i]
            remade.append(
                Remake(
                    index=i,
                    was=items[i].generation_id,
                    made=result.generation_id,
                    kept=kept.generation_id,
                )
            )
            if keep:
                items[i], readings[i] = result, reading
        report = consistency(readings)
    return SeriesResult(items=items, report=report, remade=remade)
