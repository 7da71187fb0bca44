"""The OpenAPI document as the server really answers: error bodies are ``problem+json``.

FastAPI documents every response model as ``application/json``; lightrig's errors are sent as
``application/problem+json`` (RFC 9457), so the document is rewritten once, when first asked
for, to say so — clients and schema checkers then read the content type that arrives.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from lightrig.api.problems import PROBLEM_JSON

__all__ = ["install_openapi"]

_JSON = "application/json"


def _problems_as_problem_json(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each JSON response whose body is a ``Problem`` made ``problem+json``
    (the readiness report's 503, a report and not a problem, stays JSON)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                schema = content.get(_JSON, {}).get("schema", {})
                if status[:1] in {"4", "5"} and schema.get("$ref", "").endswith("/Problem"):
                    content[PROBLEM_JSON] = content.pop(_JSON)
    return document


def install_openapi(app: FastAPI) -> None:
    """Make ``app`` serve the rewritten document at ``/openapi.json`` (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = _problems_as_problem_json(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
