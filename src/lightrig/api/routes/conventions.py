"""``GET /v1/conventions``: lightrig's vocabulary and the diagram's conventions and scales, which
the studio draws and names with (no API key needed: it is the code's own tables, the same for
everyone, and the page needs it before a key is set)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from lightrig.api.first_calls import conventions_answer
from lightrig.models.conventions import Conventions

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["lighting"])

_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "The document's version, quoted; send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "Keep it, but ask again before using it.",
        "schema": {"type": "string"},
    },
}


@router.get(
    "/conventions",
    response_model=Conventions,
    summary="The vocabulary and the diagram's conventions",
    responses={
        200: {"headers": _HEADERS},
        304: {"description": "Not modified: the version named in If-None-Match is current."},
    },
)
async def get_conventions(request: Request) -> Response:
    """Roles (labels, colours, default heights), modifiers and their typical sizes, gels, pattern
    names, light sources and colour names, the ranges the API accepts, how softness follows
    from a source's apparent size, the diagram's distance and icon scale and the azimuth
    convention — with a ``version`` that changes whenever any of it does."""
    status, headers, document = conventions_answer(request.headers.get("if-none-match"))
    if document is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(document, headers=headers)
