"""Designing light without generating: presets, analysis, the structured prompt, the preview
render, the diagram and the translation of words into a setup."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from lightrig.analysis.metering import meter_report
from lightrig.api.cpu_pool import BUSY_RESPONSES, CpuPool
from lightrig.api.deps import CurrentUser, PreviewUser, Service
from lightrig.api.first_calls import (
    DEFAULT_PREVIEW_SIZE,
    EXPOSURE_HEADER,
    PREVIEW_SIZES,
    PREVIEW_ZLIB,
    PROBE_RATIO_HEADER,
    preset_list,
    preview_headers,
)
from lightrig.api.openapi_objects import header, link
from lightrig.api.preset_out import PresetOut, preset_out
from lightrig.api.problems import PROBLEM_RESPONSES, Problem, ProblemError
from lightrig.api.schemas import SceneBody, TranslateRequest, TranslationOut
from lightrig.backends.preview import PreviewBackend
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.reading import read
from lightrig.models.analysis import LightingAnalysis, MeterReport
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.diagram import lighting_diagram
from lightrig.service import LightingGenerationService

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["lighting"], responses=PROBLEM_RESPONSES)

#: The body of the operations that take one scene request: the request, its shorthand (the
#: lighting setup alone, keyed by role), or either wrapped as ``{"request": ...}`` — the shape
#: ``POST /v1/generations`` takes.
Scene = Annotated[
    SceneBody,
    Body(
        description="A scene request; or its lighting setup alone, keyed by role; either bare "
        'or wrapped as {"request": ...} (as POST /v1/generations takes it).'
    ),
]

_TRANSLATION_FAILED: dict[int | str, dict[str, Any]] = {
    502: {"model": Problem, "description": "The translator's model failed"}
}


@router.get(
    "/presets",
    response_model=list[PresetOut],
    responses={
        200: {
            "description": "Every preset.",
            "links": {
                "GetPreset": link(
                    "get_preset", "The first preset.", parameters={"name": "$response.body#/0/name"}
                )
            },
        }
    },
    summary="The built-in setups",
)
async def list_presets(user: CurrentUser) -> list[PresetOut]:
    """Every preset, with its scene request."""
    return preset_list()


@router.get(
    "/presets/{name}",
    response_model=PresetOut,
    summary="One built-in setup",
)
async def get_preset(name: str, user: CurrentUser) -> PresetOut:
    """The preset called ``name`` (see ``GET /v1/presets``)."""
    preset = PRESETS.get(name)
    if preset is None:
        raise ProblemError(404, f"no preset {name!r}; presets: {', '.join(PRESETS)}")
    return preset_out(preset)


@router.post("/analyze", response_model=LightingAnalysis, summary="Analyse a setup")
async def analyze(request: Scene, user: CurrentUser, service: Service) -> LightingAnalysis:
    """Ratio in stops, pattern, colour balance, shadow hardness, mood, a rating with its
    reasons, and recommendations — as a photographer would read the setup."""
    return service.analyzer.analyze(request)


@router.post("/meter", response_model=MeterReport, summary="Meter a setup in f-numbers")
async def meter(
    request: Scene,
    user: CurrentUser,
    target: Annotated[
        float | None,
        Query(
            ge=0.95,
            le=64.0,
            description="The f-number to set the lights for (default: the camera's aperture).",
        ),
    ] = None,
) -> MeterReport:
    """Incident-meter readings at the camera's ISO and shutter: each light alone and all
    together on the face's lit and shadow sides, the backdrop, the exposure against the
    camera's aperture and the power change for the target f-number. The analysis carries the
    same readings for the camera's own aperture (``meter``)."""
    return meter_report(read(request.rig()).measurements, target_aperture=target)


@router.post("/prompt", summary="The FIBO structured prompt of a setup")
async def prompt(request: Scene, user: CurrentUser) -> dict[str, Any]:
    """The structured prompt FIBO would be sent for this scene request."""
    return compile_prompt(request, read(request.rig()))


@router.post(
    "/preview",
    summary="A preview render (PNG)",
    response_class=Response,
    responses={
        200: {
            "content": {"image/png": {}},
            "description": "The render.",
            "headers": {
                "Cache-Control": header("no-store: a render is made for each request."),
                EXPOSURE_HEADER: header(
                    "The exposure the render was made at, in stops above the renderer's "
                    "reference (it follows the face's lit side), e.g. `+1.25`."
                ),
                PROBE_RATIO_HEADER: header(
                    "With `probes=true`: the ratio read on the render between the analyzer's "
                    "lit and shadow probes, in stops (compare the analysis's `ratio_stops`); "
                    "`none` when the face shows too little skin facing a probe.",
                    required=False,
                ),
            },
        },
        **BUSY_RESPONSES,
    },
)
async def preview(
    request: Scene,
    user: PreviewUser,
    http: Request,
    size: Annotated[
        int,
        Query(ge=PREVIEW_SIZES.start, le=PREVIEW_SIZES.stop - 1, description="Side in pixels."),
    ] = DEFAULT_PREVIEW_SIZE,
    probes: Annotated[
        bool,
        Query(
            description=(
                "Outline the analyzer's probes on the face (the lit probe yellow, the shadow "
                "probe cyan) and report the ratio read between them."
            )
        ),
    ] = False,
) -> Response:
    """The physically based bust lit by the setup, ``size`` pixels square (the studio asks for
    its stage's side in device pixels). Encoded fast (zlib level 1): a live preview wants the
    frame sooner more than it wants it smaller. Its exposure is in a header; with ``probes``,
    the analyzer's probe points are drawn and their ratio on the render is in another. Previews
    have a budget of their own (``LIGHTRIG_API_PREVIEWS_PER_MINUTE``, 3000 a minute, and
    ``LIGHTRIG_API_PREVIEW_BURST``, 120 at once): a studio drag asks for 10–20 a second."""
    previews: PreviewBackend = http.app.state.previews
    pool: CpuPool | None = http.app.state.cpu_pool
    if pool is None:
        frame = await previews.render_frame(
            request, size, probes=probes, compress_level=PREVIEW_ZLIB
        )
    else:
        work = functools.partial(
            previews.render_frame_blocking, probes=probes, compress_level=PREVIEW_ZLIB
        )
        frame = await pool.run(work, request, size)
    http.app.state.previewed.set()  # the start-up's verifier warm-up may begin (api/app.py)
    return Response(frame.png, media_type="image/png", headers=preview_headers(frame, probes))


def _draw(service: LightingGenerationService, request: SceneRequest, width: int) -> str:
    return lighting_diagram(request, service.analyzer.analyze(request), width=width)


@router.post(
    "/diagram",
    summary="The lighting diagram (SVG)",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "The diagram."},
        **BUSY_RESPONSES,
    },
)
async def diagram(
    request: Scene,
    user: CurrentUser,
    service: Service,
    http: Request,
    width: Annotated[int, Query(ge=200, le=2000, description="Rendered width, pixels.")] = 720,
) -> Response:
    """A top-down plot of the setup: subject, camera, backdrop and every light."""
    pool: CpuPool | None = http.app.state.cpu_pool
    if pool is None:
        svg = _draw(service, request, width)
    else:
        svg = await pool.run(_draw, service, request, width)
    return Response(svg, media_type="image/svg+xml")


@router.post(
    "/translate",
    response_model=TranslationOut,
    summary="Turn words into a setup",
    responses=_TRANSLATION_FAILED,
)
async def translate(body: TranslateRequest, user: CurrentUser, service: Service) -> TranslationOut:
    """The setup a description asks for, with what was understood, what was ignored and what
    was assumed (the subject, setting, camera and lights the words do not give), and its
    analysis with any warnings."""
    translation = await service.translate(body.text, base=body.base)
    return TranslationOut(
        translator=translation.translator,
        understood=list(translation.understood),
        ignored=list(translation.ignored),
        assumptions=list(translation.assumptions),
        request=translation.request,
        analysis=service.analyzer.analyze(translation.request),
    )
