"""Batches: many scene requests generated in the background; their progress and results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from lightrig.api.deps import CurrentUser, Service
from lightrig.api.openapi_objects import header, link
from lightrig.api.pictures import checked_model
from lightrig.api.problems import PROBLEM_RESPONSES
from lightrig.api.routes.generations import public
from lightrig.api.schemas import BatchCreate
from lightrig.models.batch import BatchProgress

__all__ = ["router"]

router = APIRouter(prefix="/v1/batches", tags=["batches"], responses=PROBLEM_RESPONSES)


_BATCH = {"batch_id": "$response.body#/batch_id"}


@router.post(
    "",
    status_code=202,
    response_model=BatchProgress,
    responses={
        202: {
            "description": "Recorded and queued; follow the Location.",
            "headers": {
                "Location": header(
                    "The batch's URL (GET it to follow).",
                    {"type": "string", "pattern": "^/v1/batches/[^/]+$"},
                )
            },
            "links": {
                "GetBatch": link("get_batch", "Follow its progress.", parameters=_BATCH),
                "ListBatchGenerations": link(
                    "list_generations", "Its generations, newest first.", parameters=_BATCH
                ),
            },
        }
    },
    summary="Generate many setups in the background",
)
async def create_batch(body: BatchCreate, user: CurrentUser, service: Service) -> JSONResponse:
    """Record the batch and queue its items within the backend's rate limit; 202 with its
    progress and ``Location`` to follow it."""
    model = checked_model(service, body.backend, body.model)
    progress = _public(
        await service.submit_batch(
            body.requests,
            user.user_id,
            backend=body.backend,
            seed=body.seed,
            gate=body.gate,
            model=model,
        )
    )
    return JSONResponse(
        progress.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/v1/batches/{progress.batch_id}"},
    )


@router.get("/{batch_id}", response_model=BatchProgress, summary="A batch's progress and results")
async def get_batch(
    batch_id: str,
    user: CurrentUser,
    service: Service,
    items: Annotated[
        bool,
        Query(description="Include every item's record (false: the counts only, to poll)."),
    ] = True,
) -> BatchProgress:
    """Counts by status, whether it has finished, and every item's record in order."""
    return _public(await service.batch_progress(batch_id, owner=user.user_id, items=items))


def _public(progress: BatchProgress) -> BatchProgress:
    return progress.model_copy(update={"items": [public(item) for item in progress.items]})
