"""``lightrig mcp``: the MCP server for agents, over standard input and output. The SDK, the
service and the renderer load when the command runs: the ``mcp`` extra."""

from __future__ import annotations

from lightrig.cli.common import TranslatorOption, run_async, service_for, settings_for
from lightrig.cli.generate import BackendOption

__all__ = ["mcp"]


def mcp(backend: BackendOption = None, translator: TranslatorOption = None) -> None:
    """Serve lightrig's tools to an agent over MCP on standard input and output (point an MCP
    client's command at `lightrig mcp`). Logs go to standard error."""
    from lightrig.extras import needs_extra  # noqa: PLC0415 - by need

    settings = settings_for(backend, translator)
    with needs_extra("the MCP server", "mcp"):
        from lightrig.mcp import run_stdio  # noqa: PLC0415 - the `mcp` extra

    async def run() -> None:
        async with service_for(settings, "the MCP server") as service:
            await run_stdio(service)

    run_async(run())
