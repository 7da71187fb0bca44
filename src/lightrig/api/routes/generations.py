"""Generations: create (from a setup, from words, or by re-lighting one), read, list, delete,
and the image bytes. Every generation belongs to its user; another user's is a 404.

Creating is synchronous on the preview backend (201 with the finished record) and a background
job elsewhere (202 with the queued record and ``Location`` to poll).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from lightrig.api.deps import CurrentUser, Service
from lightrig.api.openapi_objects import header, link
from lightrig.api.pictures import checked_model
from lightrig.api.problems import PROBLEM_RESPONSES, Problem, ProblemError
from lightrig.api.schemas import (
    GenerationCreate,
    GenerationPage,
    Instant,
    NaturalLanguageCreate,
    NaturalLanguageGeneration,
    RefineCreate,
)
from lightrig.models.generation import GenerationResponse, GenerationStatus

__all__ = ["CREATED", "answer", "public", "router"]

router = APIRouter(prefix="/v1/generations", tags=["generations"], responses=PROBLEM_RESPONSES)

_LOCATION = {
    "Location": header(
        "The generation's URL (GET it to poll).",
        {"type": "string", "pattern": "^/v1/generations/[^/]+$"},
    )
}


def _links(generation_id: str, *, finished: bool) -> dict[str, Any]:
    """Links from an answer holding a generation's record, its id at ``generation_id`` (a
    JSON pointer): to read it, and once finished, to its image, re-lighting, checking and
    deleting it."""
    ids = {"generation_id": f"$response.body#{generation_id}"}
    found = {"GetGeneration": link("get_generation", "Read the record.", parameters=ids)}
    if finished:
        found |= {
            "GetImage": link("get_image", "Fetch the image.", parameters=ids),
            "RefineGeneration": link("refine_generation", "Re-light it.", parameters=ids),
            "VerifyGeneration": link("verify_generation", "Check its light.", parameters=ids),
            "DeleteGeneration": link("delete_generation", "Delete it.", parameters=ids),
        }
    return found


def _created(model: type[Any], generation_id: str) -> dict[int | str, dict[str, Any]]:
    """The answers of an operation that makes a generation (201 finished, 202 queued) whose
    body is ``model``, the record's id at ``generation_id``."""
    return {
        201: {
            "model": model,
            "description": "Generated (the preview backend).",
            "headers": _LOCATION,
            "links": _links(generation_id, finished=True),
        },
        202: {
            "model": model,
            "description": "Queued; poll the Location for the result.",
            "headers": _LOCATION,
            "links": _links(generation_id, finished=False),
        },
        502: {"model": Problem, "description": "The image backend failed."},
        503: {
            "model": Problem,
            "description": "The service could not do the work: it is closing, or the "
            "generation failed for a reason of its own.",
        },
        504: {"model": Problem, "description": "The image backend timed out."},
    }


#: The answers of an operation that makes one generation, its record the body.
CREATED = _created(GenerationResponse, "/generation_id")


def _location(record: GenerationResponse) -> str:
    return f"/v1/generations/{record.generation_id}"


def public(record: GenerationResponse) -> GenerationResponse:
    """``record`` as the API shows it: its image at the API's owner-only URL, never where
    the server keeps it."""
    url = f"{_location(record)}/image" if record.image_key is not None else None
    update: dict[str, Any] = {"image_url": url}
    if record.source is not None:
        update["source"] = record.source.model_copy(update={"url": f"{_location(record)}/source"})
    return record.model_copy(update=update)


def answer(record: GenerationResponse) -> JSONResponse:
    """A made generation's answer: 201 when finished, 202 when queued or running, with
    ``Location`` either way."""
    queued = record.status in (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
    return JSONResponse(
        public(record).model_dump(mode="json"),
        status_code=202 if queued else 201,
        headers={"Location": _location(record)},
    )


@router.post(
    "",
    status_code=201,
    response_model=GenerationResponse,
    responses=CREATED,
    summary="Generate an image of a setup",
)
async def create_generation(
    body: GenerationCreate, user: CurrentUser, service: Service
) -> JSONResponse:
    """Generate one image of the scene request; 201 with the result on the preview backend,
    202 with a queued record (and ``Location``) on the others; 422 on ``body.model`` for a
    model the backend does not serve."""
    model = checked_model(service, body.backend, body.model)
    record = await service.generate_from_lighting_setup(
        body.request,
        user.user_id,
        seed=body.seed,
        backend=body.backend,
        model=model,
        steps=body.steps,
        guidance_scale=body.guidance_scale,
        aspect_ratio=body.aspect_ratio,
        size=body.size,
        background=service.runs_in_background(body.backend),
        gate=body.gate,
    )
    return answer(record)


@router.post(
    "/natural-language",
    status_code=201,
    response_model=NaturalLanguageGeneration,
    responses={
        **_created(NaturalLanguageGeneration, "/generation/generation_id"),
        502: {"model": Problem, "description": "The translator or image backend failed."},
    },
    summary="Generate an image of a setup described in words",
)
async def create_from_words(
    body: NaturalLanguageCreate, user: CurrentUser, service: Service
) -> JSONResponse:
    """Translate the description (the answer says what was understood, ignored and assumed),
    then generate it as ``POST /v1/generations`` does."""
    model = checked_model(service, body.backend, body.model)
    translation = await service.translate(body.text, base=body.base)
    record = await service.generate_from_lighting_setup(
        translation.request,
        user.user_id,
        seed=body.seed,
        backend=body.backend,
        model=model,
        background=service.runs_in_background(body.backend),
        gate=body.gate,
    )
    answer = NaturalLanguageGeneration(
        translator=translation.translator,
        understood=list(translation.understood),
        ignored=list(translation.ignored),
        assumptions=list(translation.assumptions),
        generation=public(record),
    )
    queued = record.status in (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
    return JSONResponse(
        answer.model_dump(mode="json"),
        status_code=202 if queued else 201,
        headers={"Location": _location(record)},
    )


@router.get("", response_model=GenerationPage, summary="Your generations, newest first")
async def list_generations(
    *,
    user: CurrentUser,
    service: Service,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size.")] = 20,
    before: Annotated[
        Instant | None,
        Query(
            description="Only those created before this time, an RFC 3339 date-time with its "
            "offset (paging: the last page's next_before)."
        ),
    ] = None,
    status: Annotated[
        list[GenerationStatus] | None, Query(description="Only these statuses.")
    ] = None,
    batch_id: Annotated[str | None, Query(max_length=64, description="Only this batch's.")] = (
        None
    ),
) -> GenerationPage:
    """A page of the caller's generations; ``next_before`` fetches the next one."""
    items = await service.history(
        owner=user.user_id, statuses=status or (), batch_id=batch_id, limit=limit, before=before
    )
    following = items[-1].created_at if len(items) == limit else None
    return GenerationPage(items=[public(item) for item in items], next_before=following)


@router.get("/{generation_id}", response_model=GenerationResponse, summary="One generation")
async def get_generation(
    generation_id: str, user: CurrentUser, service: Service
) -> GenerationResponse:
    """The generation's record: status, image key, prompt, parameters, analysis, cost."""
    return public(await service.get_generation(generation_id, owner=user.user_id))


@router.delete(
    "/{generation_id}",
    status_code=204,
    response_class=Response,
    responses={409: {"model": Problem, "description": "Still queued or running."}},
    summary="Delete a generation",
)
async def delete_generation(generation_id: str, user: CurrentUser, service: Service) -> Response:
    """Remove a finished generation's record, and its image unless another record uses it."""
    await service.delete_generation(generation_id, owner=user.user_id)
    return Response(status_code=204)


@router.get(
    "/{generation_id}/image",
    response_class=Response,
    responses={
        200: {
            "content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}},
            "description": "The image bytes.",
            "headers": {
                "ETag": header("The image's storage key, quoted (it never changes)."),
                "Cache-Control": header("Private, kept for a year: the bytes never change."),
            },
        },
        409: {"model": Problem, "description": "The generation has no image (yet)."},
    },
    summary="A generation's image",
)
async def get_image(generation_id: str, user: CurrentUser, service: Service) -> Response:
    """The image bytes, only to the generation's owner."""
    record = await service.get_generation(generation_id, owner=user.user_id)
    if record.image_key is None:
        raise ProblemError(
            409, f"generation {generation_id} is {record.status.value} and has no image"
        )
    data = await service.get_image(record.image_key, owner=user.user_id)
    return _image_bytes(data, record.media_type, record.image_key)


def _image_bytes(data: bytes, media_type: str | None, key: str) -> Response:
    return Response(
        data,
        media_type=media_type or "application/octet-stream",
        headers={"Cache-Control": "private, max-age=31536000, immutable", "ETag": f'"{key}"'},
    )


@router.get(
    "/{generation_id}/source",
    response_class=Response,
    responses={
        200: {
            "content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}},
            "description": "The photograph's bytes.",
            "headers": {
                "ETag": header("The photograph's storage key, quoted (it never changes)."),
                "Cache-Control": header("Private, kept for a year: the bytes never change."),
            },
        },
        409: {"model": Problem, "description": "The generation re-lights no photograph."},
    },
    summary="The photograph a relight edits",
)
async def get_source(generation_id: str, user: CurrentUser, service: Service) -> Response:
    """The photograph a relight (``POST /v1/relights``) made again, only to its owner."""
    record = await service.get_generation(generation_id, owner=user.user_id)
    if record.source is None:
        raise ProblemError(409, f"generation {generation_id} re-lights no photograph")
    data = await service.get_image(record.source.key, owner=user.user_id)
    return _image_bytes(data, record.source.media_type, record.source.key)


@router.post(
    "/{generation_id}/refine",
    status_code=201,
    response_model=GenerationResponse,
    responses={**CREATED, 409: {"model": Problem, "description": "Not finished yet."}},
    summary="Re-light a generation",
)
async def refine_generation(
    generation_id: str, body: RefineCreate, user: CurrentUser, service: Service
) -> JSONResponse:
    """The earlier generation's structured prompt with only the light changed, the same seed
    and parameters: the picture stays but for the light."""
    previous = await service.get_generation(generation_id, owner=user.user_id)
    if previous.status is not GenerationStatus.SUCCESS:
        raise ProblemError(
            409, f"generation {generation_id} is {previous.status.value}; re-light a finished one"
        )
    lighting: Any = body.request if body.request is not None else body.lighting_setup
    backend = body.backend or previous.backend
    earlier = (previous.params or {}).get("model")
    model = checked_model(
        service,
        backend,
        body.model or (str(earlier) if earlier else None),
        edits=previous.source is not None,
    )
    record = await service.refine_lighting(
        previous,
        lighting,
        user.user_id,
        backend=backend,
        model=model,
        background=service.runs_in_background(backend),
        gate=body.gate,
    )
    return answer(record)


@router.post(
    "/{generation_id}/verify",
    response_model=GenerationResponse,
    responses={409: {"model": Problem, "description": "The generation has no image."}},
    summary="Check a generation's light again",
)
async def verify_generation(
    generation_id: str, user: CurrentUser, service: Service
) -> GenerationResponse:
    """Read the light of the generation's image again, score it against the request it was
    made for, and keep the score (``adherence``) — for a record made with checking off, or
    before lightrig checked images."""
    return public(await service.check_generation(generation_id, owner=user.user_id))
