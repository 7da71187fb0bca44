"""Relights: a photograph made again by FIBO-Edit under a lighting setup.

A relight is a generation whose ``source`` is the photograph: it is read, listed, deleted and
checked like any generation (``/v1/generations/{id}``), its image at ``…/image`` and the
photograph at ``…/source``. Creating is synchronous on the preview backend (201) and a
background job elsewhere (202 with ``Location``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from lightrig.api.cpu_pool import BUSY_RESPONSES, CpuPool, admitted
from lightrig.api.deps import CurrentUser, Service
from lightrig.api.pictures import checked_model, in_body, invalid, picture_bytes
from lightrig.api.problems import PROBLEM_RESPONSES
from lightrig.api.routes.generations import CREATED, answer
from lightrig.api.schemas import LightingChoice, RelightCreate
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService

__all__ = ["lighting_of", "router"]

router = APIRouter(prefix="/v1/relights", tags=["generations"], responses=PROBLEM_RESPONSES)


async def lighting_of(body: LightingChoice, service: LightingGenerationService) -> SceneRequest:
    """The light a body gives: its scene request, its preset's, or its words translated (the
    translator's 422 when they say nothing of light)."""
    if body.request is not None:
        return body.request
    if body.preset is not None:
        preset = PRESETS.get(body.preset)
        if preset is None:
            raise invalid(
                "body.preset", f"no preset {body.preset!r}; presets: {', '.join(PRESETS)}"
            )
        return preset.request()
    assert body.text is not None  # one of the three, by the body's own check
    return (await service.translate(body.text)).request


@router.post(
    "",
    status_code=201,
    response_model=GenerationResponse,
    responses={**CREATED, **BUSY_RESPONSES},
    summary="Re-light a photograph",
)
async def create_relight(
    body: RelightCreate, user: CurrentUser, service: Service, http: Request
) -> JSONResponse:
    """The photograph made again by FIBO-Edit with the requested light: the backend captions
    it in FIBO's structured form, its light (and the sentences the light changes) is replaced
    by the compiled setup, and the edit is checked against the setup like a generation. 422
    names ``body.image`` for bytes that are no picture and ``body.backend`` for a backend that
    cannot edit photographs."""
    photo = picture_bytes(body.image)
    model = checked_model(service, body.backend, body.model, edits=True)
    lighting = await lighting_of(body, service)
    background = service.runs_in_background(body.backend)

    async def relight() -> GenerationResponse:
        return await service.relight_image(
            photo,
            lighting,
            user.user_id,
            backend=body.backend,
            seed=body.seed,
            steps=body.steps,
            guidance_scale=body.guidance_scale,
            model=model,
            background=background,
            gate=body.gate,
        )

    # on the preview backend the caption and the edit are CPU work: the pool admits or sheds it
    pool: CpuPool | None = None if background else http.app.state.cpu_pool
    try:
        record = await admitted(pool, relight)
    except InvalidLightingSetupError as exc:
        raise in_body(exc) from None
    return answer(record)
