"""The FastAPI application: routes under ``/v1``, OpenAPI at ``/docs``, problem+json errors,
API keys, per-user rate limits, request ids, JSON logs and Prometheus metrics.

:func:`create_app` builds it around a :class:`~lightrig.service.LightingGenerationService` (made
from the settings unless one is given) and starts / closes the service with the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from lightrig import __version__
from lightrig.api.auth import Authenticator
from lightrig.api.cpu_pool import CpuPool, PoolFullError
from lightrig.api.deferred_mcp import DeferredMcp, mcp_installed
from lightrig.api.deps import UserRateLimit
from lightrig.api.metrics import Metrics
from lightrig.api.middleware import RequestContextMiddleware
from lightrig.api.openapi import install_openapi, operation_id
from lightrig.api.problems import install_problem_handlers, problem_response
from lightrig.api.readiness import ReadinessCache
from lightrig.api.routes import (
    backends,
    batches,
    conventions,
    generations,
    health,
    lighting,
    plot,
    relights,
    series,
    setups,
    verify,
)
from lightrig.backends.preview import PreviewBackend
from lightrig.config import Settings
from lightrig.service import LightingGenerationService
from lightrig.web import mount_studio

__all__ = ["create_app"]

_LOG = logging.getLogger(__name__)

_DESCRIPTION = """\
lightrig gives AI image generation the control of a professional lighting studio: describe a
setup in numbers, as a preset or in words; have it analysed as a photographer would; preview it;
and generate it on Bria's FIBO.

Authenticate with `Authorization: Bearer <key>` (keys come from `lightrig users create`).
Errors are RFC 9457 problem documents (`application/problem+json`).
"""


#: The verifier's warm-up waits this long (s) for the first preview to be served, at most.
_VERIFY_AFTER_S = 3.0


async def _warm_up(
    previews: PreviewBackend,
    service: LightingGenerationService,
    readiness: ReadinessCache,
    previewed: asyncio.Event,
) -> None:
    """Render a small preview once, in a thread, so that numba's kernels are compiled (or loaded
    from the disk cache) before a user's first preview, and read its light back, so that the
    verifier's models and kernels are loaded before the first generation or verify needs them;
    then mark the server warm. A failure is logged and leaves it cold (``/readyz`` says
    ``warm: false``; the probes say why).

    The verifier's first load holds the interpreter for seconds (its models' imports; its
    kernels, compiled when numba's cache is empty), so it waits until the first preview has
    been served (``previewed``: the studio just opened shows its picture first) or
    :data:`_VERIFY_AFTER_S` seconds have passed."""
    try:
        picture = await asyncio.to_thread(previews.warm_up)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(previewed.wait(), _VERIFY_AFTER_S)
        await service.verify_image(picture)
    except Exception:  # the renderer's failure is the probes' to report; the server still starts
        _LOG.exception("the warm-up failed")
        return
    readiness.warm.set()


def _mount_mcp(app: FastAPI, *, allow_anonymous: bool) -> DeferredMcp | None:
    """The MCP server for agents at ``/mcp``, built after the first preview
    (:mod:`lightrig.api.deferred_mcp`), or ``None`` without the ``mcp`` extra (the REST API
    serves all the same; the start-up log says so)."""
    if not mcp_installed():
        _LOG.info("no MCP server at /mcp: it needs the 'mcp' extra: pip install 'lightrig[mcp]'")
        return None
    deferred = DeferredMcp(app, allow_anonymous=allow_anonymous)
    app.router.routes.append(deferred.route())
    return deferred


@asynccontextmanager
async def _mcp_serving(
    mcp: DeferredMcp | None, first_preview: asyncio.Event
) -> AsyncIterator[None]:
    """The MCP server built and running while the block runs (nothing without one)."""
    if mcp is None:
        yield
        return
    async with mcp.serving(first_preview):
        yield


async def _pool_full(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PoolFullError)
    return problem_response(request, 503, str(exc), headers={"Retry-After": str(exc.retry_after_s)})


def create_app(
    settings: Settings | None = None,
    *,
    service: LightingGenerationService | None = None,
    allow_anonymous: bool = False,
    previews: PreviewBackend | None = None,
) -> FastAPI:
    """The API around ``service`` (made from ``settings`` when not given).

    ``previews``: the preview renderer to serve with (one whose warm-up has already begun, as
    ``lightrig serve`` starts it with the process); by default a new one.

    ``allow_anonymous``: requests without a key act as the local user while no user has been
    made — only for a server on a loopback address (``lightrig serve`` decides).
    """
    config = settings or (service.settings if service is not None else Settings())
    owned = service is None
    the_service = service or LightingGenerationService(config)
    metrics = Metrics()
    previews = previews or PreviewBackend()
    readiness = ReadinessCache(the_service.health_check)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming = asyncio.create_task(
            _warm_up(app.state.previews, the_service, readiness, app.state.previewed),
            name="lightrig:warm-up",
        )
        await the_service.start()
        # the first probes wait for the first preview, as the verifier's warm-up does
        readiness.start(after=app.state.previewed, at_most_s=_VERIFY_AFTER_S)
        the_service.runner.observers.append(metrics.generation_finished)
        metrics.watch_queue(the_service.jobs.depth)
        # with the in-process queue this process is the worker: it runs the jobs and looks
        # after them (retries, jobs a previous process left); with the distributed queue
        # `lightrig worker` processes do
        stop = asyncio.Event()
        working = (
            None
            if the_service.jobs.durable
            else asyncio.create_task(the_service.work(stop), name="lightrig:jobs")
        )
        try:
            async with _mcp_serving(app.state.mcp, app.state.previewed):
                yield
        finally:
            await readiness.stop()
            stop.set()
            if working is not None:
                await working
            await asyncio.gather(warming, return_exceptions=True)
            if app.state.cpu_pool is not None:
                app.state.cpu_pool.close()
            the_service.runner.observers.remove(metrics.generation_finished)
            await app.state.previews.aclose()
            if owned:
                await the_service.close()

    app = FastAPI(
        title="lightrig",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.service = the_service
    app.state.metrics = metrics
    app.state.previews = previews
    app.state.previewed = asyncio.Event()  # set by the first preview served
    app.state.readiness = readiness
    app.state.cpu_pool = CpuPool.sized(config.cpu_workers, config.cpu_queue)
    app.state.authenticator = Authenticator(the_service.store, allow_anonymous=allow_anonymous)
    app.state.rate_limit = UserRateLimit(
        the_service.limiter, per_minute=config.api_requests_per_minute, burst=config.api_burst
    )
    app.state.preview_rate_limit = UserRateLimit(
        the_service.limiter,
        per_minute=config.api_previews_per_minute,
        burst=config.api_preview_burst,
        name="previews",
        what="previews",
    )
    install_problem_handlers(app)
    app.add_exception_handler(PoolFullError, _pool_full)
    for module in (
        lighting,
        plot,
        conventions,
        generations,
        relights,
        series,
        backends,
        batches,
        verify,
        health,
    ):
        app.include_router(module.router)
    app.include_router(setups.router)
    app.include_router(setups.shared_router)
    app.state.mcp = _mount_mcp(app, allow_anonymous=allow_anonymous)
    mount_studio(app)  # last: the API's routes come first
    install_openapi(app)
    app.add_middleware(
        RequestContextMiddleware, metrics=metrics, max_body_bytes=config.api_max_body_bytes
    )
    return app
