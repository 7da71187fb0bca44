"""What wraps every request: its id, a size limit on its body, a log line and its metrics.

A pure ASGI middleware (not Starlette's ``BaseHTTPMiddleware``), so bodies stream and context
variables set here are seen by the handlers:

* ``X-Request-ID``: taken from the request when it is a sane token, else made; echoed on the
  response and put in every log line and problem document;
* a body larger than ``max_body_bytes`` (by ``Content-Length``, or counted as it streams) is
  answered 413 before the handler sees it; a JSON body nested deeper than
  :data:`~lightrig.api.problems.MAX_JSON_DEPTH` levels is answered 422 as it streams, before
  it is parsed (a parser would run out of stack on it);
* one JSON log line per request (method, route, status, milliseconds; never headers or bodies);
* an unexpected exception becomes a 500 problem document carrying the request id.
"""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lightrig.api.logs import REQUEST_ID, USER_ID, request_id_for
from lightrig.api.metrics import Metrics
from lightrig.api.problems import MAX_JSON_DEPTH, PROBLEM_JSON, BodyTooDeepError

__all__ = ["RequestContextMiddleware"]

log = logging.getLogger("lightrig.api")

#: The bytes that open or close a level, a string, or escape in a string.
_JSON_TOKENS = re.compile(rb'[\[\]{}"\\]')


class JsonDepth:
    """How deep a JSON document nests, read as it streams in, chunk by chunk: objects and lists
    opened and not closed, strings (and their escapes) skipped. ``deepest``: the most levels
    open at once so far. Only the bytes that matter are looked at, so a large body of few
    brackets (a base64 picture) costs next to nothing."""

    def __init__(self) -> None:
        self.depth = 0
        self.deepest = 0
        self._in_string = False
        self._skip = 0  # bytes still to skip at the start of the next chunk (an escape)

    def feed(self, chunk: bytes) -> int:
        """Read ``chunk``; the deepest nesting so far."""
        skip_until = self._skip
        self._skip = 0
        for match in _JSON_TOKENS.finditer(chunk):
            at = match.start()
            if at < skip_until:
                continue
            token = chunk[at]
            if self._in_string:
                if token == 0x5C:  # a backslash escapes the byte after it
                    skip_until = at + 2
                elif token == 0x22:
                    self._in_string = False
            elif token == 0x22:
                self._in_string = True
            elif token in (0x5B, 0x7B):
                self.depth += 1
                self.deepest = max(self.deepest, self.depth)
            elif token in (0x5D, 0x7D):
                self.depth = max(0, self.depth - 1)
        self._skip = max(0, skip_until - len(chunk))
        return self.deepest


class _TooLargeError(HTTPException):
    """A streamed body went over the limit (raised from ``receive`` while the app reads it).

    An ``HTTPException``, because FastAPI turns any other exception raised while it reads a body
    into a 400 "error parsing the body" and passes ``HTTPException`` on: the app's problem
    handler then answers it as the 413 it is. Should it escape the app, the middleware answers.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail)


def _problem_bytes(status: int, title: str, detail: str, path: str, request_id: str) -> bytes:
    slug = {413: "too-large", 422: "invalid-input", 500: "internal"}[status]
    return json.dumps(
        {
            "type": f"https://lightrig.dev/problems/{slug}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": path,
            "request_id": request_id,
        }
    ).encode()


def _json_body(headers: dict[str, str]) -> bool:
    """Whether the body is read as JSON: declared so, or not declared (FastAPI reads it so)."""
    declared = headers.get("content-type", "").lower()
    return not declared or "json" in declared


class RequestContextMiddleware:
    """Request id, body limit, access log and metrics around ``app``."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    @staticmethod
    def _route(scope: Scope) -> str:
        """The template of the route that served the request (the router records it in the
        scope), so metrics are labelled by ``/v1/generations/{generation_id}``, not by id."""
        return str(getattr(scope.get("route"), "path", None) or "unmatched")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        given = headers.get("x-request-id", "")
        request_id = request_id_for(given)
        id_token = REQUEST_ID.set(request_id)
        user_token = USER_ID.set(None)
        started = time.perf_counter()
        status = 500
        answered = False
        path = scope.get("path", "")

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
                answered = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        async def answer(code: int, title: str, detail: str) -> None:
            body = _problem_bytes(code, title, detail, path, request_id)
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": code,
                    "headers": [
                        (b"content-type", PROBLEM_JSON.encode()),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send_with_id({"type": "http.response.body", "body": body})

        limit = self.max_body_bytes
        too_large = f"the request body is larger than {limit} bytes"
        received = 0
        nesting = JsonDepth() if _json_body(headers) else None

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise _TooLargeError(too_large)
                if nesting is not None and nesting.feed(chunk) > MAX_JSON_DEPTH:
                    raise BodyTooDeepError(
                        nesting.deepest, at_least=message.get("more_body", False)
                    )
            return message

        try:
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await answer(413, "Request too large", too_large)
            else:
                await self.app(scope, counted_receive, send_with_id)
        except _TooLargeError:
            if not answered:
                await answer(413, "Request too large", too_large)
        except BodyTooDeepError as exc:
            if not answered:
                await answer(422, "Invalid input", str(exc.detail))
        except Exception:
            log.exception("unexpected error serving %s", path)
            if not answered:
                await answer(
                    500,
                    "Internal error",
                    "an internal error occurred; the request id identifies it in the logs",
                )
        finally:
            elapsed = time.perf_counter() - started
            route = self._route(scope)
            self.metrics.observe_request(scope.get("method", ""), route, status, elapsed)
            extra: dict[str, Any] = {
                "method": scope.get("method"),
                "route": route,
                "status": status,
                "ms": round(elapsed * 1000, 1),
            }
            log.info("%s %s %d", scope.get("method"), route, status, extra=extra)
            USER_ID.reset(user_token)
            REQUEST_ID.reset(id_token)
