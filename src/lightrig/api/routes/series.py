"""Series: one lighting setup on many subjects (descriptions, or photographs to re-light), every
picture read back, the light's consistency across the set reported and the outliers made again.

The request waits for every picture (a few at a time): on the preview backend seconds, on a
FIBO host as long as its images take.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from lightrig.api.cpu_pool import BUSY_RESPONSES, CpuPool, admitted
from lightrig.api.deps import CurrentUser, Service
from lightrig.api.pictures import checked_model, in_body, picture_bytes
from lightrig.api.problems import PROBLEM_RESPONSES, Problem
from lightrig.api.routes.generations import public
from lightrig.api.routes.relights import lighting_of
from lightrig.api.schemas import SeriesCreate
from lightrig.errors import InvalidLightingSetupError
from lightrig.service.series import SeriesResult

__all__ = ["router"]

router = APIRouter(prefix="/v1/series", tags=["generations"], responses=PROBLEM_RESPONSES)


@router.post(
    "",
    response_model=SeriesResult,
    responses={
        **BUSY_RESPONSES,
        502: {"model": Problem, "description": "The image backend failed."},
        504: {"model": Problem, "description": "The image backend timed out."},
    },
    summary="One setup on many subjects, the light compared across the set",
)
async def create_series(
    body: SeriesCreate, user: CurrentUser, service: Service, http: Request
) -> SeriesResult:
    """Each subject — a description of who is lit, or a photograph to re-light — made with the
    setup, one seed (and one adherence gate, when given) for all; every picture's light read
    back and the set's consistency reported (the spread of the key's azimuth, of the ratio and
    of the colour, and the pictures beyond their tolerance); each outlier made once more with a
    new seed, the nearer of the two kept. Every picture is kept as a generation. 422 names
    ``body.subjects.<i>.image`` for a photo that is not a picture."""
    subjects: list[str | bytes] = [
        subject.description
        if subject.description is not None
        else picture_bytes(subject.image or "", f"body.subjects.{i}.image")
        for i, subject in enumerate(body.subjects)
    ]
    # words need the model to generate, photos to edit: checked for each kind the series holds
    kinds = sorted({subject.image is not None for subject in body.subjects})
    checked = [checked_model(service, body.backend, body.model, edits=edits) for edits in kinds]
    model = checked[-1]
    lighting = await lighting_of(body, service)

    async def series() -> SeriesResult:
        return await service.generate_series(
            lighting,
            subjects,
            user.user_id,
            backend=body.backend,
            model=model,
            seed=body.seed,
            gate=body.gate,
            remake_outliers=body.remake_outliers,
        )

    pool: CpuPool | None = (
        None if service.runs_in_background(body.backend) else http.app.state.cpu_pool
    )
    try:
        made = await admitted(pool, series)
    except InvalidLightingSetupError as exc:
        raise in_body(exc) from None
    return made.model_copy(update={"items": [public(item) for item in made.items]})
