"""Saved setups: each user's lighting setups kept under names (list, save, read, rename,
delete), and read-only share links to them (made, revoked).

Every setup belongs to its user; another user's is a 404. ``GET /v1/shared/{token}`` is the one
operation without a key: it shows the setup a working link opens — its name and light, nothing
of its owner — and grants nothing else. The studio opens a link at ``/?share={token}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from lightrig.api.deps import CurrentUser, Service
from lightrig.api.openapi_objects import header, link
from lightrig.api.problems import PROBLEM_RESPONSES, Problem
from lightrig.api.setup_schemas import (
    SetupOut,
    SetupRename,
    SetupSave,
    SetupShareOut,
    SharedSetupOut,
    setup_out,
)

__all__ = ["STUDIO_SHARE_PATH", "router", "shared_router"]

router = APIRouter(prefix="/v1/setups", tags=["setups"], responses=PROBLEM_RESPONSES)
#: The operation without a key: its own router, whose answers include no 401.
shared_router = APIRouter(prefix="/v1/shared", tags=["setups"])

#: The studio's address for a share link (the token follows).
STUDIO_SHARE_PATH = "/?share="

SetupId = Annotated[str, Path(description="The setup's id (its name works too).")]

_LOCATION = {
    "Location": header("The setup's URL.", {"type": "string", "pattern": "^/v1/setups/[^/]+$"})
}
_TAKEN: dict[int | str, dict[str, Any]] = {
    409: {"model": Problem, "description": "You have a setup of that name already."}
}
_IDS = {"setup_id": "$response.body#/setup_id"}
_LINKS = {
    "GetSetup": link("get_setup", "Read it.", parameters=_IDS),
    "RenameSetup": link("rename_setup", "Rename it.", parameters=_IDS),
    "ShareSetup": link("share_setup", "Make a read-only link to it.", parameters=_IDS),
    "UnshareSetup": link("unshare_setup", "Revoke its links.", parameters=_IDS),
    "DeleteSetup": link("delete_setup", "Delete it.", parameters=_IDS),
}


def _saved(body: SetupOut, status: int) -> JSONResponse:
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status,
        headers={"Location": f"/v1/setups/{body.setup_id}"},
    )


@router.get(
    "",
    response_model=list[SetupOut],
    responses={
        200: {
            "description": "Your setups.",
            "links": {
                "GetFirstSetup": link(
                    "get_setup",
                    "The latest setup.",
                    parameters={"setup_id": "$response.body#/0/setup_id"},
                )
            },
        }
    },
    summary="Your saved setups, the latest first",
)
async def list_setups(
    user: CurrentUser,
    service: Service,
    limit: Annotated[int, Query(ge=1, le=500, description="How many at most.")] = 100,
) -> list[SetupOut]:
    """Your setups, the latest saved or renamed first, each with its scene request."""
    return [setup_out(setup) for setup in await service.list_setups(user.user_id, limit=limit)]


@router.post(
    "",
    status_code=201,
    response_model=SetupOut,
    responses={
        201: {"description": "Saved.", "headers": _LOCATION, "links": _LINKS},
        200: {
            "model": SetupOut,
            "description": "Saved over your setup of that name (overwrite).",
            "headers": _LOCATION,
            "links": _LINKS,
        },
        **_TAKEN,
    },
    summary="Save a setup under a name",
)
async def save_setup(body: SetupSave, user: CurrentUser, service: Service) -> JSONResponse:
    """Keep the scene request as your setup called ``name``: 201 with it. A name you use
    already is a 409, unless ``overwrite``: then that setup holds the new request (its id and
    share links stay), 200."""
    saved = await service.save_setup(
        user.user_id, body.name, body.request, overwrite=body.overwrite
    )
    made = saved.created_at == saved.updated_at  # saved over: it was made before
    return _saved(setup_out(saved), 201 if made else 200)


@router.get("/{setup_id}", response_model=SetupOut, summary="One saved setup")
async def get_setup(setup_id: SetupId, user: CurrentUser, service: Service) -> SetupOut:
    """Your setup, with its scene request."""
    return setup_out(await service.get_setup(user.user_id, setup_id))


@router.patch(
    "/{setup_id}", response_model=SetupOut, responses=_TAKEN, summary="Rename a saved setup"
)
async def rename_setup(
    setup_id: SetupId, body: SetupRename, user: CurrentUser, service: Service
) -> SetupOut:
    """Give your setup a new name (unique among yours; 409 otherwise)."""
    return setup_out(await service.rename_setup(user.user_id, setup_id, body.name))


@router.delete(
    "/{setup_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a saved setup",
)
async def delete_setup(setup_id: SetupId, user: CurrentUser, service: Service) -> Response:
    """Remove your setup; its share links stop working."""
    await service.delete_setup(user.user_id, setup_id)
    return Response(status_code=204)


@router.post(
    "/{setup_id}/share",
    status_code=201,
    response_model=SetupShareOut,
    responses={
        201: {
            "description": "A new link; its token is shown this once.",
            "links": {
                "GetSharedSetup": link(
                    "get_shared_setup",
                    "Open the link (no key needed).",
                    parameters={"token": "$response.body#/token"},
                )
            },
        }
    },
    summary="Make a read-only share link",
)
async def share_setup(
    setup_id: SetupId, request: Request, user: CurrentUser, service: Service
) -> SetupShareOut:
    """A new link that opens your setup in the studio, read-only, for anyone who has it —
    without a key, and granting nothing else. Links made before keep working until revoked."""
    setup, made, token = await service.share_setup(user.user_id, setup_id)
    base = str(request.base_url).rstrip("/")
    return SetupShareOut(
        setup_id=setup.id,
        token=token,
        url=f"{base}{STUDIO_SHARE_PATH}{token}",
        api_path=f"{shared_router.prefix}/{token}",
        created_at=made.created_at,
    )


@router.delete(
    "/{setup_id}/share",
    status_code=204,
    response_class=Response,
    summary="Revoke every share link",
)
async def unshare_setup(setup_id: SetupId, user: CurrentUser, service: Service) -> Response:
    """Every link to your setup stops working (404 from then on); the setup stays."""
    await service.unshare_setup(user.user_id, setup_id)
    return Response(status_code=204)


@shared_router.get(
    "/{token}",
    response_model=SharedSetupOut,
    responses={
        200: {
            "description": "The setup the link opens.",
            "headers": {"Cache-Control": header("no-store: a link may be revoked at any time.")},
        },
        404: {"model": Problem, "description": "No such link, or it was revoked."},
        500: {"model": Problem, "description": "Internal error"},
        503: {"model": Problem, "description": "The database cannot be used."},
    },
    summary="A shared setup (no key needed)",
)
async def get_shared_setup(
    token: Annotated[str, Path(description="The link's token (lrs_…).")], service: Service
) -> JSONResponse:
    """The name and light of the setup a working link opens — for anyone, without a key. An
    unknown or revoked link, or a deleted setup's, is a 404."""
    setup = await service.shared_setup(token)
    body = SharedSetupOut(name=setup.name, request=setup.request, updated_at=setup.updated_at)
    return JSONResponse(body.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
