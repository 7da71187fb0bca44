"""OpenAPI objects the routes describe their answers with, beside what FastAPI writes from the
types: the headers an answer carries and the links from it to the operations its ids lead to
(which clients, and Schemathesis's stateful tests, follow)."""

from __future__ import annotations

from typing import Any

__all__ = ["REQUEST_ID_PATTERN", "header", "link"]

#: What a request id looks like (the middleware makes one of 32 hex digits when none is given).
REQUEST_ID_PATTERN = "^[A-Za-z0-9._:-]{1,128}$"


def header(
    description: str, schema: dict[str, Any] | None = None, *, required: bool = True
) -> dict[str, Any]:
    """An OpenAPI header object: a string unless ``schema`` says otherwise."""
    return {
        "description": description,
        "required": required,
        "schema": schema if schema is not None else {"type": "string"},
    }


def link(
    operation_id: str,
    description: str,
    *,
    parameters: dict[str, str] | None = None,
    request_body: str | None = None,
) -> dict[str, Any]:
    """An OpenAPI link to the operation ``operation_id`` (a route's function name), its
    ``parameters`` and body given as runtime expressions (``$response.body#/generation_id``)."""
    found: dict[str, Any] = {"operationId": operation_id, "description": description}
    if parameters:
        found["parameters"] = parameters
    if request_body is not None:
        found["requestBody"] = request_body
    return found
