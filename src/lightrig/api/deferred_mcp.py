"""The MCP endpoint at ``/mcp``, built once the server has shown its first preview.

Building the MCP server (the SDK's import and every tool's input schema) takes about a second of
the interpreter; a server just started has better things to do with that second: the studio's
first picture. So ``/mcp`` is routed from the start, but its server is built in a thread when
the first preview has been served, when :data:`BUILD_AFTER_S` seconds have passed, or when an
agent calls ``/mcp`` first, whichever comes soonest; a call before then waits for it. Its
session manager then runs until the app's lifespan ends.

Without the ``mcp`` extra nothing is routed at ``/mcp`` (the REST API serves all the same; the
start-up log says so). A build that fails is logged and ``/mcp`` answers 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from lightrig.api.problems import problem_response

if TYPE_CHECKING:
    from lightrig.mcp.errors import LightrigServer

__all__ = ["BUILD_AFTER_S", "MCP_PATH", "DeferredMcp", "mcp_installed"]

_LOG = logging.getLogger(__name__)

#: Where the MCP endpoint is served.
MCP_PATH = "/mcp"

#: Seconds after the start at which the MCP server is built even if no preview was served.
BUILD_AFTER_S = 5.0


def mcp_installed() -> bool:
    """Whether the MCP SDK (the ``mcp`` extra) can be imported."""
    try:
        return importlib.util.find_spec("mcp") is not None
    except ValueError:  # a module put in sys.modules without a spec
        return False


class DeferredMcp:
    """The ``/mcp`` endpoint of ``app`` (see the module); :meth:`serving` runs it within the
    app's lifespan, and :attr:`server` is the MCP server once built."""

    def __init__(self, app: FastAPI, *, allow_anonymous: bool) -> None:
        self._app = app
        self._allow_anonymous = allow_anonymous
        self._wanted = asyncio.Event()  # a call came before the build
        self._ready = asyncio.Event()  # built (or failed)
        self._endpoint: ASGIApp | None = None
        self.server: LightrigServer | None = None

    def route(self) -> Route:
        """The route at ``/mcp`` that waits for the server and hands each request to it."""
        return Route(MCP_PATH, endpoint=self, methods=["GET", "POST", "DELETE"], name="mcp")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._ready.is_set():
            self._wanted.set()
            await self._ready.wait()
        if self._endpoint is None:
            response = problem_response(
                Request(scope, receive), 503, "the MCP server could not be built: see the log"
            )
            await response(scope, receive, send)
            return
        await self._endpoint(scope, receive, send)

    def _build(self) -> tuple[LightrigServer, ASGIApp]:
        from lightrig.mcp.http import mcp_endpoint  # noqa: PLC0415 - the SDK: about a second

        return mcp_endpoint(self._app, allow_anonymous=self._allow_anonymous)

    @asynccontextmanager
    async def serving(self, first_preview: asyncio.Event) -> AsyncIterator[None]:
        """Within the block, build the server when ``first_preview`` is set (or as the module
        says) and run its session manager until the block ends."""
        closing = asyncio.Event()

        async def run() -> None:
            waits = [asyncio.create_task(event.wait()) for event in (first_preview, self._wanted)]
            try:
                await asyncio.wait(waits, timeout=BUILD_AFTER_S, return_when="FIRST_COMPLETED")
            finally:
                for wait in waits:
                    wait.cancel()
            try:
                server, endpoint = await asyncio.to_thread(self._build)
            except Exception:
                _LOG.exception("the MCP server could not be built; /mcp answers 503")
                self._ready.set()
                return
            from lightrig.mcp.http import running  # noqa: PLC0415 - imported by the build

            async with running(server):
                self.server, self._endpoint = server, endpoint
                self._ready.set()
                await closing.wait()

        task = asyncio.create_task(run(), name="lightrig:mcp")
        try:
            yield
        finally:
            closing.set()
            if not self._ready.is_set():  # stopping before it was built: a call waiting gets 503
                task.cancel()
                self._ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                await task
