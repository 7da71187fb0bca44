"""Liveness, readiness and metrics (no API key needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from lightrig.api.deps import Service
from lightrig.api.metrics import CONTENT_TYPE_LATEST, Metrics
from lightrig.service import HealthReport

__all__ = ["router"]

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Alive")
async def healthz() -> dict[str, str]:
    """The process answers (nothing else is checked)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=HealthReport,
    responses={503: {"model": HealthReport, "description": "A dependency is unhealthy."}},
    summary="Ready: every dependency probed",
)
async def readyz(service: Service) -> JSONResponse:
    """The image backend, storage, translator, cache, metadata store and job queue, each
    probed for real; 503 when any is unhealthy."""
    report = await service.health_check()
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
