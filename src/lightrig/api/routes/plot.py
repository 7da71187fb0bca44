"""The lighting plot: one printable PDF page a crew can build the setup from."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from lightrig.api.cpu_pool import BUSY_RESPONSES, CpuPool
from lightrig.api.deps import CurrentUser, Service
from lightrig.api.openapi_objects import header
from lightrig.api.problems import PROBLEM_RESPONSES
from lightrig.api.routes.lighting import Scene
from lightrig.backends.preview import PreviewBackend
from lightrig.models.scene import SceneRequest
from lightrig.service import LightingGenerationService

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["lighting"], responses=PROBLEM_RESPONSES)

#: The plot's media type. The PDF writer and its fonts are imported when a plot is made, not
#: when the server starts.
PLOT_MEDIA_TYPE = "application/pdf"
#: The preview's side on the plot, pixels (about 250 dpi at its printed 52 mm).
_PREVIEW_PX = 512


def _make(
    service: LightingGenerationService,
    previews: PreviewBackend,
    request: SceneRequest,
    title: str | None,
) -> bytes:
    from lightrig.plot.document import plot_pdf  # noqa: PLC0415 - fpdf2 and fonts: ~0.15 s

    frame = previews.render_frame_blocking(request, _PREVIEW_PX)
    return plot_pdf(
        request, analysis=service.analyzer.analyze(request), preview_png=frame.png, title=title
    )


@router.post(
    "/plot",
    summary="The lighting plot (PDF)",
    response_class=Response,
    responses={
        200: {
            "content": {PLOT_MEDIA_TYPE: {}},
            "description": "One A4 landscape page.",
            "headers": {
                "Content-Disposition": header('`inline; filename="lighting-plot.pdf"`.'),
            },
        },
        **BUSY_RESPONSES,
    },
)
async def plot(
    request: Scene,
    user: CurrentUser,
    service: Service,
    http: Request,
    title: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=80,
            description="The page's heading (default: the pattern's names).",
        ),
    ] = None,
) -> Response:
    """One A4 landscape page for the crew: the plan and side views, a table per light (role,
    position, stand height, modifier and size, colour and gel, power setting, meter reading),
    the camera's settings, the analysis in brief and the preview render."""
    previews: PreviewBackend = http.app.state.previews
    pool: CpuPool | None = http.app.state.cpu_pool
    work = functools.partial(_make, service, previews)
    document = work(request, title) if pool is None else await pool.run(work, request, title)
    return Response(
        document,
        media_type=PLOT_MEDIA_TYPE,
        headers={"Content-Disposition": 'inline; filename="lighting-plot.pdf"'},
    )
