"""The MCP server on the REST server: streamable HTTP at ``/mcp``, with the REST API's keys,
rate limit and per-user isolation.

Every request to ``/mcp`` is authenticated by the API's own
:class:`~lightrig.api.auth.Authenticator` (``Authorization: Bearer <key>``; the anonymous local
user only where the REST API allows it) and takes from the user's budget of requests; a refusal
is the API's problem document (401, 429). The user is put in the request's ASGI scope, and each
tool call runs as them: their generations are theirs, another user's are not found, as with
``GET /v1/generations/{id}``. Generations are shown as the API shows them (their image at the
API's owner-only URL, never where the server keeps files), and renders and picture readings
take a slot of the API's CPU pool as the REST routes do.

Sessions are stateless (each request stands alone), so any of the server's processes can answer
any request. The SDK's session manager runs within the app's lifespan (:func:`running`); the
app routes ``/mcp`` and builds this server after its first preview
(:mod:`lightrig.api.deferred_mcp`).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.mcpserver import Context
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from lightrig.api.auth import Authenticator, Principal
from lightrig.api.cpu_pool import admitted
from lightrig.api.deps import UserRateLimit
from lightrig.api.routes.generations import public
from lightrig.mcp.errors import LightrigServer
from lightrig.mcp.server import create_server
from lightrig.mcp.tools import Face

__all__ = ["PRINCIPAL", "mcp_endpoint", "running"]

#: The ASGI scope key the authenticated user is kept under for the tools.
PRINCIPAL = "lightrig.principal"
#: Where a keyless server (loopback only) may be called from: this machine's names, so that a
#: page elsewhere cannot reach it through a rebound DNS name.
_LOCAL_HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
_LOCAL_ORIGINS = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]


def user_of(ctx: Context[Any, Any]) -> str:
    """The id of the user a tool call over HTTP is for (put in the scope by :class:`_Keyed`)."""
    request = ctx.request_context.request
    scope = getattr(request, "scope", None) or {}
    principal = scope.get(PRINCIPAL)
    if not isinstance(principal, Principal):  # not through /mcp's door: never served
        raise PermissionError("this MCP request was not authenticated")
    return principal.user_id


class _Keyed:
    """The MCP endpoint behind the API's key and rate limit."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        authenticator: Authenticator = request.app.state.authenticator
        principal = await authenticator(request)  # a ProblemError (401) is the API's answer
        limit: UserRateLimit = request.app.state.rate_limit
        await limit.check(principal)
        await self.app({**scope, PRINCIPAL: principal}, receive, send)


def mcp_endpoint(app: FastAPI, *, allow_anonymous: bool) -> tuple[LightrigServer, ASGIApp]:
    """The MCP server over ``app``'s service and preview renderer, and its endpoint behind the
    API's keys and rate limit; the server's session manager (:func:`running`) must run while
    the endpoint serves."""
    face = Face(
        service=app.state.service,
        previews=app.state.previews,
        user_of=user_of,
        shown=public,
        local_files=False,
        admit=functools.partial(admitted, app.state.cpu_pool),
    )
    server = create_server(face)
    security = TransportSecuritySettings(
        # a key is sent by the client, not by a browser, so a rebound name cannot use it;
        # a keyless server is held to this machine's names
        enable_dns_rebinding_protection=allow_anonymous,
        allowed_hosts=_LOCAL_HOSTS if allow_anonymous else [],
        allowed_origins=_LOCAL_ORIGINS if allow_anonymous else [],
    )
    server.streamable_http_app(stateless_http=True, transport_security=security)
    return server, _Keyed(StreamableHTTPASGIApp(server.session_manager))


@asynccontextmanager
async def running(server: LightrigServer) -> AsyncIterator[None]:
    """The MCP server's session manager, running while the block runs."""
    async with server.session_manager.run():
        yield
