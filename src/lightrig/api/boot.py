"""``lightrig serve`` listening at once: the studio's page is served while the API is built.

Importing and building the API (FastAPI, the routes' models, the metadata store's engine) takes
a second or more of a fresh process; the browser needs about as long to load and start the
studio's page. :class:`BootingApp` lets the two overlap: the server listens as soon as the
database has been checked, answers the studio's own files from the start, builds the real app
in a thread, starts its lifespan, and from then on hands every request to it. A request for
anything else that comes before then waits for the app (it is not refused): the page's first
calls are simply answered when the API is there.

With ``first_calls`` (:class:`~lightrig.api.first_calls.FirstCalls`), the studio's first calls
(its conventions, the presets and its first picture) are answered before the app is built, and
the build waits (at most ``defer_s`` seconds from the start) until the studio has its first
picture: on two cores and one interpreter lock, building the API while the renderer loads would
make the first picture wait for both. A request that is not the studio's starts the build at
once — unless a studio page is open and still waiting for its first picture: then the page's
other calls wait for it.

If the app cannot be built or started, every waiting request is answered 503 and the server is
asked to stop; :attr:`BootingApp.error` is the exception, for ``lightrig serve`` to tell in one
line as it would have before listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from lightrig.api.first_calls import FirstCalls

__all__ = ["BootingApp"]

_LOG = logging.getLogger(__name__)

_UNAVAILABLE = (
    b'{"type":"about:blank","title":"Service Unavailable","status":503,'
    b'"detail":"the server could not start: see its log"}'
)


class BootingApp:
    """An ASGI app that serves ``static`` (a folder of files, ``index.html`` at ``/``) at once
    and everything else through the app ``build`` makes in a thread (see the module).

    ``on_failure``: called once, on the event loop, when the app fails to build or start (to
    stop the server). ``first_calls`` and ``defer_s``: see the module.
    """

    def __init__(
        self,
        build: Callable[[], ASGIApp],
        static: Path,
        *,
        on_failure: Callable[[], None],
        first_calls: FirstCalls | None = None,
        defer_s: float = 3.0,
    ) -> None:
        self._build = build
        self._first_calls = first_calls
        self._defer_s = defer_s if first_calls is not None else 0.0
        self._wanted = asyncio.Event()
        self._studio_waiting = False
        self._static_dir = static
        self._files = StaticFiles(directory=static, html=True)
        self._on_failure = on_failure
        self._ready = asyncio.Event()
        self._app: ASGIApp | None = None
        self._starting: asyncio.Task[None] | None = None
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message] = asyncio.Queue()
        self._lifespan: asyncio.Future[None] | None = None
        #: why the app could not be built or started (``None`` while it could)
        self.error: BaseException | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._serve_lifespan(scope, receive, send)
            return
        if self._app is None and self._is_studio_file(scope):
            # a studio page opened before the app: its calls wait for its first picture
            self._studio_waiting |= scope["path"] == "/" and self._first_calls is not None
            await self._files(scope, receive, send)
            return
        if self._app is None:
            first = self._first_calls
            if first is not None and first.takes(scope):
                replay = await first.answer(scope, receive, send)
                if replay is None:
                    if scope["path"] == "/v1/preview":
                        self._wanted.set()  # the studio has its picture: the API's turn
                    return
                receive = replay
            if not (self._studio_waiting and first is not None and first.may_answer()):
                self._wanted.set()
        await self._ready.wait()
        if self._app is None:
            await _unavailable(scope, send)
            return
        await self._app(scope, receive, send)

    def _is_studio_file(self, scope: Scope) -> bool:
        """Whether ``scope`` asks for one of the studio's own files (``GET`` or ``HEAD``)."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        path: str = scope["path"]
        if path == "/":
            return True
        if path.startswith("/v1/") or ".." in path:
            return False
        return (self._static_dir / path.lstrip("/")).is_file()

    async def _serve_lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The server's lifespan: ready at once (the app is built and started in the
        background), and at shutdown the app's own shutdown, after its start has ended."""
        message = await receive()
        assert message["type"] == "lifespan.startup"
        self._starting = asyncio.create_task(self._start(scope.get("state")), name="lightrig:boot")
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        await asyncio.gather(self._starting, return_exceptions=True)
        if self._lifespan is not None:
            await self._to_app.put({"type": "lifespan.shutdown"})
            reply = await self._reply()
            if reply is not None and reply["type"] == "lifespan.shutdown.failed":
                _LOG.error("the app's shutdown failed: %s", reply.get("message", ""))
        await send({"type": "lifespan.shutdown.complete"})

    async def _start(self, state: dict[str, Any] | None) -> None:
        """Build the app in a thread (once it is wanted: see the module) and run its
        lifespan's start."""
        if self._defer_s > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wanted.wait(), timeout=self._defer_s)
        try:
            app = await asyncio.to_thread(self._build)
        except Exception as exc:
            self._fail(exc)
            return
        scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}}
        if state is not None:
            scope["state"] = state
        self._lifespan = asyncio.ensure_future(app(scope, self._to_app.get, self._from_app.put))
        await self._to_app.put({"type": "lifespan.startup"})
        reply = await self._reply()
        if reply is None or reply["type"] != "lifespan.startup.complete":
            lifespan, self._lifespan = self._lifespan, None
            raised = None if lifespan.cancelled() or not lifespan.done() else lifespan.exception()
            detail = "" if reply is None else str(reply.get("message", ""))
            self._fail(raised or RuntimeError(f"the API could not start: {detail}"))
            return
        self._app = app
        self._ready.set()

    async def _reply(self) -> Message | None:
        """The app's next lifespan message; ``None`` when its lifespan ended without one."""
        assert self._lifespan is not None
        answer: asyncio.Future[Message] = asyncio.ensure_future(self._from_app.get())
        ended: asyncio.Future[Any] = self._lifespan
        done, _ = await asyncio.wait({answer, ended}, return_when="FIRST_COMPLETED")
        if answer in done:
            return answer.result()
        answer.cancel()
        return None

    def _fail(self, error: BaseException) -> None:
        _LOG.debug("the API could not be built or started", exc_info=error)
        self.error = error
        self._ready.set()  # the waiting requests are answered 503
        self._on_failure()


async def _unavailable(scope: Scope, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(_UNAVAILABLE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _UNAVAILABLE})
