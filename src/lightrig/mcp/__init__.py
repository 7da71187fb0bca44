"""lightrig for agents: an MCP (Model Context Protocol) server — the ``mcp`` extra.

Curated tools with typed inputs and outputs over the generation service, the analyzer, the
prompt compiler, the preview renderer and the verifier (:mod:`lightrig.mcp.tools`); the presets
and the vocabulary as resources and a prompt that plans the light (:mod:`lightrig.mcp.catalog`);
errors told in the command line's one line (:mod:`lightrig.mcp.errors`). Served over stdio by
``lightrig mcp`` (:func:`~lightrig.mcp.server.run_stdio`) and at ``/mcp`` on the REST server,
streamable HTTP behind the API's keys (:mod:`lightrig.mcp.http`).
"""

from __future__ import annotations

from lightrig.mcp.server import create_server, run_stdio
from lightrig.mcp.tools import Face

__all__ = ["Face", "create_server", "run_stdio"]
