"""Liveness, readiness and metrics (no API key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from lightrig.api.metrics import CONTENT_TYPE_LATEST, Metrics
from lightrig.api.readiness import Readiness, ReadinessCache

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Alive")
async def healthz() -> dict[str, str]:
    """The process answers (nothing else is checked)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={
        503: {"model": Readiness, "description": "A dependency is unhealthy, or not probed yet."}
    },
    summary="Ready: every dependency probed",
)
async def readyz(request: Request) -> JSONResponse:
    """The image backend, storage, translator, cache, metadata store and job queue, each
    probed for real in the background every few seconds; this answers the last probe, with its
    age in seconds (``age_s``) and whether the server is warm (``warm``: the renderer compiled,
    the verifier loaded; a cold server is
    still ready: a preview waits for it). A server just started probes once it has served its
    first preview (or after 3 s); a call before then waits for the first probes, up to 10 s.
    503 when any dependency is unhealthy, when the probes have not finished once yet, or when
    they have not finished for 30 s."""
    cache: ReadinessCache = request.app.state.readiness
    report = await cache.current()
    body: dict[str, Any] = report.model_dump(mode="json")
    return JSONResponse(body, status_code=503 if report.status == "unhealthy" else 200)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text."}},
    summary="Prometheus metrics",
)
async def metrics(request: Request) -> Response:
    """Requests, latencies, generations by backend and status, backend errors, cache hits and
    the job queue's depth."""
    found: Metrics = request.app.state.metrics
    return Response(found.render(), media_type=CONTENT_TYPE_LATEST)
