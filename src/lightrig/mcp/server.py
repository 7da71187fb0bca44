"""The MCP server: lightrig's tools, resources and prompt on the official SDK's server
(``MCPServer``, the SDK's FastMCP), over stdio (:func:`run_stdio`, ``lightrig mcp``) or mounted
on the REST server (:mod:`lightrig.mcp.http`)."""

from __future__ import annotations

import asyncio
import logging

from lightrig import __version__
from lightrig.api.logs import configure_logging
from lightrig.backends.preview import PreviewBackend
from lightrig.mcp.catalog import register_catalog
from lightrig.mcp.errors import LightrigServer
from lightrig.mcp.tools import Face, lightrig_tools
from lightrig.service import LightingGenerationService

__all__ = ["INSTRUCTIONS", "create_server", "run_stdio"]

#: What the server tells an agent about itself when it connects.
INSTRUCTIONS = """\
lightrig gives AI image generation the control of a professional lighting studio. Describe a
setup in numbers (lights by role: key, fill, rim, background, with azimuth and elevation in
degrees, intensity 0-1, modifier, colour), as a preset or in words; have it analysed as a
photographer would; preview it; compile the FIBO structured prompt; generate it with an
adherence gate; check, match or re-light pictures. Start with the prompt plan_light, or the
tools list_presets, translate_words and analyze_setup. Errors are one line: the field, what it
got and what is accepted.
"""


def create_server(face: Face) -> LightrigServer:
    """A server with every tool bound to ``face``, the resources and the prompt. The logging
    of the process is left as it was (the SDK's server configures the root logger when it has
    no handler; lightrig's faces configure their own)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        server = LightrigServer(
            name="lightrig",
            title="lightrig",
            version=__version__,
            instructions=INSTRUCTIONS,
            tools=lightrig_tools(face),
        )
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    register_catalog(server)
    return server


async def run_stdio(service: LightingGenerationService) -> None:
    """Serve MCP on standard input and output until the client closes them: the tools run on
    ``service`` (started here, closed by the caller) as the local user, and may read pictures
    from this machine's files; logs are JSON lines on standard error, as ``lightrig serve``
    writes them. With the in-process job queue this process runs the jobs, as
    ``lightrig serve`` does."""
    configure_logging(service.settings.log_level)  # JSON lines on standard error, as `serve`
    previews = PreviewBackend()
    face = Face(service=service, previews=previews, user_of=lambda _: None, local_files=True)
    server = create_server(face)
    await service.start()
    stop = asyncio.Event()
    working = (
        None
        if service.jobs.durable
        else asyncio.create_task(service.work(stop), name="lightrig:jobs")
    )
    try:
        await server.run_stdio_async()
    finally:
        stop.set()
        if working is not None:
            await working
        await previews.aclose()
