"""The studio's first three calls, answered while ``lightrig serve`` is still building its API.

A freshly started server has two slow things to do: load the preview renderer (NumPy, numba and
its compiled kernels) and build the API (FastAPI, the routes' models, the metadata store). On
two cores and one interpreter lock they cannot both be done before the browser has loaded the
studio (under a second), so the studio's first picture would wait for both. :class:`FirstCalls`
lets it wait for the renderer only: until the API is built it answers the three calls the
studio makes before its first picture —

* ``GET /v1/conventions`` (the vocabulary and the diagram's scales; ``ETag``/``304`` as the
  route does),
* ``GET /v1/presets`` (every built-in setup),
* ``POST /v1/preview`` (the render, with its exposure header, and the probes' ratio when asked)

— with the same bodies and headers as the API's own routes (the code that makes them is shared:
:func:`conventions_answer`, :func:`preset_list`, :func:`preview_headers`), and then hands over.

It answers only what it can answer exactly as the API would, and declines the rest, which then
waits for the API as every other request does: a call while users exist (keys must be checked:
the store is the API's), a call carrying a key, a query parameter or a body it does not take
whole (anything but a plain scene request; a size outside 64–1024; a body over the API's size
limit), a body that is not a valid scene request (the API words the 422). The few requests
answered here are not counted against the local user's rate limits (the API's limiter does not
exist yet) and are not in the access log.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response

from lightrig.api.logs import request_id_for
from lightrig.api.preset_out import preset_out
from lightrig.conventions import conventions
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS

if TYPE_CHECKING:
    from concurrent.futures import Future

    from starlette.types import Message, Receive, Scope, Send

    from lightrig.backends.preview import PreviewBackend, PreviewFrame

__all__ = [
    "CONVENTIONS_CACHE_CONTROL",
    "DEFAULT_PREVIEW_SIZE",
    "EXPOSURE_HEADER",
    "PREVIEW_SIZES",
    "PREVIEW_ZLIB",
    "PROBE_RATIO_HEADER",
    "FirstCalls",
    "conventions_answer",
    "preset_list",
    "preview_headers",
]

#: zlib level of a preview's PNG: 1 encodes ~4× faster than 6 for ~30% more bytes.
PREVIEW_ZLIB = 1
#: The preview's exposure, in stops above the renderer's reference.
EXPOSURE_HEADER = "X-Lightrig-Exposure-Stops"
#: The ratio read between the analyzer's probes on the render, in stops (with ``probes``).
PROBE_RATIO_HEADER = "X-Lightrig-Probe-Ratio-Stops"
#: Browsers keep the conventions but ask again each time, answered 304 while they are the same.
CONVENTIONS_CACHE_CONTROL = "public, no-cache"
#: The sizes ``POST /v1/preview`` takes, pixels (the route's ``size`` query parameter).
PREVIEW_SIZES = range(64, 1025)
#: ``size`` when the query does not give it.
DEFAULT_PREVIEW_SIZE = 384

#: What Starlette reads as true or false in a query (the ``probes`` flag).
_FLAGS = {"true": True, "1": True, "on": True, "yes": True}
_FLAGS |= {"false": False, "0": False, "off": False, "no": False}


def conventions_answer(if_none_match: str | None) -> tuple[int, dict[str, str], Any]:
    """``GET /v1/conventions``'s answer to a request with header ``If-None-Match``: the status
    (200, or 304 when it names the current version), the headers, and the document as JSON-like
    data (``None`` with 304)."""
    document = conventions()
    etag = f'"{document.version}"'
    headers = {"ETag": etag, "Cache-Control": CONVENTIONS_CACHE_CONTROL}
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        if "*" in tags or etag in tags:
            return 304, headers, None
    return 200, headers, document.model_dump(mode="json")


def preset_list() -> list[Any]:
    """``GET /v1/presets``' answer: every preset as the API shows it."""
    return [preset_out(preset) for preset in PRESETS.values()]


def preview_headers(frame: PreviewFrame, probes: bool) -> dict[str, str]:
    """``POST /v1/preview``'s headers for ``frame`` (the probes' ratio only when asked)."""
    headers = {"Cache-Control": "no-store", EXPOSURE_HEADER: f"{frame.exposure_stops:+.2f}"}
    if probes:
        ratio = frame.probes
        headers[PROBE_RATIO_HEADER] = "none" if ratio is None else f"{ratio.stops:.2f}"
    return headers


class FirstCalls:
    """Answers the studio's first calls (see the module) with ``previews`` (a future of the
    renderer, made while the server starts) when ``anonymous``: no user exists, so requests
    need no key (the store's check says).

    ``max_body_bytes``: the API's body limit (a larger body is declined, for the API to refuse).
    """

    def __init__(
        self,
        previews: Future[PreviewBackend],
        *,
        anonymous: bool,
        max_body_bytes: int,
    ) -> None:
        self._previews = previews
        self._anonymous = anonymous
        self._max_body_bytes = max_body_bytes
        #: how many previews were answered here
        self.previews_answered = 0
        self._routes: dict[tuple[str, str], Callable[..., Awaitable[Response | None]]] = {
            ("GET", "/v1/conventions"): self._conventions,
            ("GET", "/v1/presets"): self._presets,
            ("POST", "/v1/preview"): self._preview,
        }

    def may_answer(self) -> bool:
        """Whether calls may be answered here at all (not when keys are needed)."""
        return self._anonymous

    def takes(self, scope: Scope) -> bool:
        """Whether ``scope`` is one of the calls answered here (it may still be declined)."""
        if scope["type"] != "http":
            return False
        return (scope["method"], scope["path"]) in self._routes

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer ``scope`` (``None``), or decline it: then a ``receive`` that gives the API
        the request's body as it came (what was read here is replayed first)."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if "authorization" in headers or not self._anonymous:
            return receive
        route = self._routes[(scope["method"], scope["path"])]
        body, replay = await self._body(receive)
        if body is None:
            return replay
        response = await route(scope, headers, body)
        if response is None:
            return replay
        response.headers["x-request-id"] = request_id_for(headers.get("x-request-id", ""))
        await response(scope, replay, send)
        return None

    async def _body(self, receive: Receive) -> tuple[bytes | None, Receive]:
        """The request's whole body, or ``None`` when it is over the limit; and a ``receive``
        that replays it."""
        chunks: list[bytes] = []
        size = 0
        more = True
        over = False
        while more:
            message: Message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
            if size > self._max_body_bytes:
                over = True
                break
        read = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": read, "more_body": more}
            return await receive()

        return (None if over else read), replay

    async def _conventions(
        self, scope: Scope, headers: dict[str, str], body: bytes
    ) -> Response | None:
        if scope["query_string"]:
            return None
        status, out, document = conventions_answer(headers.get("if-none-match"))
        if document is None:
            return Response(status_code=status, headers=out)
        return JSONResponse(document, headers=out)

    async def _presets(self, scope: Scope, headers: dict[str, str], body: bytes) -> Response | None:
        if scope["query_string"]:
            return None
        return JSONResponse([preset.model_dump(mode="json") for preset in preset_list()])

    async def _preview(self, scope: Scope, headers: dict[str, str], body: bytes) -> Response | None:
        query = _query(scope["query_string"])
        if query is None or not set(query) <= {"size", "probes"}:
            return None
        size_given = query.get("size", str(DEFAULT_PREVIEW_SIZE))
        probes = _FLAGS.get(query.get("probes", "false").lower())
        if not size_given.isdigit() or int(size_given) not in PREVIEW_SIZES or probes is None:
            return None
        if not headers.get("content-type", "").lower().startswith("application/json"):
            return None
        try:
            raw = json.loads(body)
        except ValueError:
            return None
        # bare or wrapped as {"request": ...}, as the route reads it (api.schemas.SceneBody)
        if isinstance(raw, dict) and list(raw) == ["request"]:
            raw = raw["request"]
        try:
            request = SceneRequest.model_validate(raw)
        except ValueError:  # InvalidLightingSetupError: the API words its 422
            return None
        previews = await asyncio.wrap_future(self._previews)
        frame = await previews.render_frame(
            request, int(size_given), probes=probes, compress_level=PREVIEW_ZLIB
        )
        self.previews_answered += 1
        return Response(frame.png, media_type="image/png", headers=preview_headers(frame, probes))


def _query(query_string: bytes) -> dict[str, str] | None:
    """A query of distinct plain ``name=value`` pairs as a dict; ``None`` for anything else."""
    found: dict[str, str] = {}
    if not query_string:
        return found
    for pair in query_string.decode("latin-1").split("&"):
        name, equals, value = pair.partition("=")
        if not equals or name in found or "%" in pair or "+" in pair:
            return None
        found[name] = value
    return found
