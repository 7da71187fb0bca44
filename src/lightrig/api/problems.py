"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers is a problem document: ``type`` (a URI naming the kind of problem),
``title``, ``status``, ``detail`` (one line a user can act on), ``instance`` (the path asked
for), ``request_id``, and for invalid input ``errors``: each failing field's dotted path and what
is wrong with it. lightrig's exceptions map onto statuses here, in one place:

========================================  =====
InvalidLightingSetupError, validation     422
NaturalLanguageTranslationError           422
a body nested deeper than MAX_JSON_DEPTH  422
RecordNotFoundError                       404
StaleRecordError, Duplicate*Error         409
TranslatorUnavailableError                502
FIBOGenerationError                       502 (504 when the host timed out)
DependencyUnavailableError                503, naming the setting (not where it points)
anything unexpected                       500, with no detail
========================================  =====

A wrong method is a 405 whose ``Allow`` lists every method the OpenAPI document gives the path
(:mod:`lightrig.api.methods`).

Details never carry secrets or internal paths: lightrig's messages are written without them,
and an unexpected error's own text is logged, not sent.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from lightrig.api.logs import REQUEST_ID
from lightrig.api.methods import AllowedMethods
from lightrig.api.openapi_objects import header
from lightrig.errors import (
    DependencyUnavailableError,
    DuplicateSetupError,
    DuplicateUserError,
    FIBOGenerationError,
    InvalidLightingSetupError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
    StaleRecordError,
    TranslatorUnavailableError,
)
from lightrig.models.base import MAX_JSON_DEPTH, explain

__all__ = [
    "MAX_JSON_DEPTH",
    "PROBLEM_JSON",
    "PROBLEM_RESPONSES",
    "BodyTooDeepError",
    "FieldProblem",
    "Problem",
    "ProblemError",
    "install_problem_handlers",
    "problem_response",
]

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_TYPES = "https://lightrig.dev/problems/"

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "rate-limited",
    500: "internal",
    502: "backend-failed",
    503: "unavailable",
    504: "backend-timeout",
}


class FieldProblem(BaseModel):
    """One failing field: its dotted path (``request.lighting_setup.key.intensity``) and what
    is wrong with it."""

    loc: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(extra="allow")

    type: Annotated[str, Field(description="A URI naming the kind of problem.")]
    title: Annotated[str, Field(description="The kind of problem, in words.")]
    status: Annotated[int, Field(description="The HTTP status code.")]
    detail: Annotated[str, Field(description="What went wrong, in one line.")]
    instance: Annotated[str | None, Field(description="The path asked for.")] = None
    request_id: Annotated[str | None, Field(description="This request's id, for support.")] = None
    errors: Annotated[
        list[FieldProblem] | None, Field(description="Each failing field, for invalid input.")
    ] = None


#: What FastAPI raises (as a 400) for a body it cannot decode at all.
_UNPARSABLE_BODY = "There was an error parsing the body"
#: Seconds a client is asked to wait after a dependency (the database, Redis) failed.
_DEPENDENCY_RETRY_AFTER_S = 5


class BodyTooDeepError(StarletteHTTPException):
    """A JSON body nested deeper than :data:`MAX_JSON_DEPTH` (raised by the request middleware
    as the body streams in, before it is parsed). An ``HTTPException``, so that FastAPI passes
    it on from reading the body; answered 422 naming the body."""

    def __init__(self, depth: int, *, at_least: bool) -> None:
        self.message = (
            f"nested too deep: {'at least ' if at_least else ''}{depth} levels; "
            f"accepted up to {MAX_JSON_DEPTH}"
        )
        super().__init__(422, f"body: {self.message}")


#: The headers a problem of these statuses carries, for the OpenAPI document.
_PROBLEM_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": header(
            "The scheme to authenticate with: Bearer.", {"type": "string", "pattern": "^Bearer"}
        )
    },
    429: {
        "Retry-After": header("Seconds to wait.", {"type": "integer", "minimum": 1}),
        "RateLimit-Policy": header(
            "The user's budget (IETF RateLimit fields).", {"type": "string"}
        ),
        "RateLimit": header("What is left of it, and when it refills.", {"type": "string"}),
    },
}

#: The problem responses every operation may give, for the OpenAPI document (503: a dependency
#: — the database, Redis — cannot be used, or the CPU pool is full).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": _TITLES[status],
        **({"headers": _PROBLEM_HEADERS[status]} if status in _PROBLEM_HEADERS else {}),
    }
    for status in (401, 404, 413, 422, 429, 500, 503)
}


class ProblemError(Exception):
    """Raise to answer with a problem: ``status``, ``detail`` and extra ``headers``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[FieldProblem] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.errors = errors


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[FieldProblem] | None = None,
) -> JSONResponse:
    """A problem+json response for ``request``."""
    problem = Problem(
        type=_TYPES + _SLUGS.get(status, str(status)),
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=REQUEST_ID.get(),
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_JSON,
    )


def _loc(parts: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in parts)


def _field_problems_from_validation(exc: RequestValidationError) -> list[FieldProblem]:
    """Each failing field, its message as lightrig's request models wrote it, or (for what no
    request model read: a query parameter, a body that is no JSON) what it got and what is
    accepted as Pydantic's error says."""
    found = []
    for item in exc.errors():
        loc = list(item.get("loc", ()))
        if item.get("type") == "json_invalid":
            reason = (item.get("ctx") or {}).get("error", "cannot read it")
            where = f" at character {loc[1]}" if len(loc) > 1 else ""
            message = f"not valid JSON{where}: {reason}"
            found.append(FieldProblem(loc=_loc(loc[:1]), message=message))
            continue
        if item.get("type") == "missing" and loc == ["body"]:
            message = "missing; send the request as a JSON document (application/json)"
            found.append(FieldProblem(loc="body", message=message))
            continue
        found.append(FieldProblem(loc=_loc(loc), message=explain(item)))
    return found


def _status_of(exc: LightingGenerationError) -> int:
    if isinstance(exc, DependencyUnavailableError):
        return 503
    if isinstance(exc, RecordNotFoundError):
        return 404
    if isinstance(exc, StaleRecordError | DuplicateUserError | DuplicateSetupError):
        return 409
    if isinstance(exc, TranslatorUnavailableError):
        return 502
    if isinstance(exc, InvalidLightingSetupError | NaturalLanguageTranslationError):
        return 422
    if isinstance(exc, FIBOGenerationError):
        return 504 if exc.timed_out else 502
    return 503


def _allowed(request: Request) -> AllowedMethods:
    """The app's methods by path, read from its OpenAPI document once."""
    state = request.app.state
    found: AllowedMethods | None = getattr(state, "allowed_methods", None)
    if found is None:
        found = state.allowed_methods = AllowedMethods(request.app.openapi())
    return found


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error ``app`` raises with a problem document."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.detail, headers=exc.headers, errors=exc.errors
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_problems_from_validation(exc)
        detail = "; ".join(f"{e.loc}: {e.message}" for e in errors[:3]) or "invalid input"
        if len(errors) > 3:
            detail += f" (and {len(errors) - 3} more)"
        return problem_response(request, 422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, BodyTooDeepError):
            problem = FieldProblem(loc="body", message=exc.message)
            return problem_response(request, 422, str(exc.detail), errors=[problem])
        if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
            # the parser's stack ran out before the middleware's limit: nested too deep all the same
            message = f"nested too deep; accepted up to {MAX_JSON_DEPTH} levels"
            problem = FieldProblem(loc="body", message=message)
            return problem_response(request, 422, f"body: {message}", errors=[problem])
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # FastAPI's answer to a body that is not even text: bad input like any other
            message = "not a JSON document in UTF-8; send the request as application/json"
            return problem_response(
                request, 422, f"body: {message}", errors=[FieldProblem(loc="body", message=message)]
            )
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # every method of the path, not only the first route's (nor the studio's GET, HEAD)
            methods = _allowed(request).of(request.scope["path"])
            if methods:
                headers["Allow"] = ", ".join(methods)
            allowed = headers.get("Allow", "none")
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        return problem_response(request, exc.status_code, detail, headers=headers)

    @app.exception_handler(LightingGenerationError)
    async def _lightrig(request: Request, exc: LightingGenerationError) -> JSONResponse:
        status = _status_of(exc)
        errors = None
        if isinstance(exc, InvalidLightingSetupError):
            errors = [FieldProblem(loc=e.loc, message=e.message) for e in exc.errors]
        if status >= 500:
            log.warning("answered %d: %s", status, exc)
        detail, headers = str(exc), None
        if isinstance(exc, DependencyUnavailableError):
            # the setting is named; where it points (a host, a port) is the log's, not a client's
            detail = (
                f"the server cannot use {exc.service} (its setting {exc.setting}); "
                "try again later or tell the server's operator"
            )
            headers = {"Retry-After": str(_DEPENDENCY_RETRY_AFTER_S)}
        return problem_response(request, status, detail, errors=errors, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error serving %s", request.url.path, exc_info=exc)
        return problem_response(
            request, 500, "an internal error occurred; the request id identifies it in the logs"
        )
