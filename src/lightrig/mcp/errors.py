"""Tool errors told as the command line tells them: one line, ``lightrig: error: ...``.

The MCP SDK reports a tool's failure as a tool error whose text is ``Error executing tool NAME:``
and the exception's text, and arguments that fail the input schema as Pydantic's many-line
report. :class:`LightrigServer` tells both the way ``lightrig`` does on the command line
(:func:`lightrig.cli.error_line`): arguments that fail validation are worded as a request
model words them (field path, what it got, what is accepted), then every error becomes the one
line the CLI would print for it.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp_types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from lightrig.cli import error_line
from lightrig.errors import FieldError, InvalidLightingSetupError, LightingGenerationError
from lightrig.models.base import explain

__all__ = ["LightrigServer", "as_setup_error"]

#: The command the lines name, where a line names one (a missing extra's).
COMMAND = "mcp"


def as_setup_error(exc: ValidationError) -> InvalidLightingSetupError:
    """A tool's arguments that failed its input schema, as the error a request model raises:
    each failing argument's path and one line on what it got and what is accepted."""
    return InvalidLightingSetupError(
        [
            FieldError(".".join(str(part) for part in error["loc"]), explain(error))
            for error in exc.errors(include_url=False)
        ]
    )


class LightrigServer(MCPServer[Any]):
    """The SDK's server, its tool errors told in the command line's one line."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError):  # the arguments failed the input schema
                cause = as_setup_error(cause)
            if not isinstance(cause, Exception) or isinstance(cause, ToolError):
                raise  # the SDK's own (an unknown tool), already one line
            line = error_line(cause, COMMAND)[0]
            if isinstance(exc, UnexpectedToolError) and not isinstance(
                cause, LightingGenerationError
            ):
                raise UnexpectedToolError(line) from cause  # a bug: the SDK logs its traceback
            raise ToolError(line) from cause
