"""The OpenAPI document as the server really answers.

FastAPI writes most of it from the routes; this module adds what it cannot know, once, when the
document is first asked for:

* error bodies are ``application/problem+json`` (RFC 9457), not ``application/json``;
* every answer carries ``X-Request-ID`` (the request middleware adds it);
* a server that lets a loopback user in without a key (``lightrig serve`` on a fresh machine)
  says the key is optional.

Routes describe their own answers' headers and links (:mod:`lightrig.api.openapi_objects`).
Clients and schema checkers then read what arrives.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from lightrig.api.openapi_objects import REQUEST_ID_PATTERN, header
from lightrig.api.problems import PROBLEM_JSON

__all__ = ["install_openapi", "operation_id"]

_JSON = "application/json"


def _problems_as_problem_json(response: dict[str, Any], status: str) -> None:
    """A JSON response whose body is a ``Problem`` made ``problem+json`` (the readiness
    report's 503, a report and not a problem, stays JSON)."""
    content = response.get("content", {})
    schema = content.get(_JSON, {}).get("schema", {})
    if status[:1] in {"4", "5"} and schema.get("$ref", "").endswith("/Problem"):
        content[PROBLEM_JSON] = content.pop(_JSON)


def _rewrite(document: dict[str, Any], *, optional_key: bool) -> dict[str, Any]:
    request_id = header(
        "This request's id: the one sent in X-Request-ID when it is a sane token, else made "
        "here; it is in every log line and problem document.",
        {"type": "string", "pattern": REQUEST_ID_PATTERN},
    )
    components = document.setdefault("components", {})
    components.setdefault("headers", {})["X-Request-ID"] = request_id
    reference = {"$ref": "#/components/headers/X-Request-ID"}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                _problems_as_problem_json(response, status)
                response.setdefault("headers", {})["X-Request-ID"] = reference
            if optional_key and "security" in operation:
                operation["security"].append({})
    return document


def operation_id(route: APIRoute) -> str:
    """A route's operation id: its function's name (``create_generation``), what links name
    (give it to ``FastAPI(generate_unique_id_function=...)``)."""
    return route.name


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
            optional_key = bool(app.state.authenticator.allow_anonymous)
            app.openapi_schema = _rewrite(document, optional_key=optional_key)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
