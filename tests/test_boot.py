"""`lightrig serve` listening at once (:mod:`lightrig.api.boot`): the studio's files are served
while the API is built, other requests wait for it and then reach it, the app's lifespan runs
inside the server's, and an app that cannot be built or started stops the server with its error.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from lightrig.api.boot import BootingApp


async def _get(app: ASGIApp, path: str, method: str = "GET") -> tuple[int, bytes]:
    """``method path`` sent to ``app``: its status and body."""
    sent: list[Message] = []
    asked: list[bool] = []

    async def receive() -> Message:
        if asked:  # the client stays connected: there is nothing more to read
            await asyncio.Event().wait()
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


class _Lifespan:
    """Drives an ASGI app's lifespan as a server does."""

    def __init__(self, app: ASGIApp) -> None:
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message] = asyncio.Queue()
        self.task = asyncio.ensure_future(
            app({"type": "lifespan", "asgi": {"version": "3.0"}}, self.inbox.get, self.outbox.put)
        )

    async def say(self, kind: str) -> str:
        await self.inbox.put({"type": kind})
        reply = await asyncio.wait_for(self.outbox.get(), 10)
        return str(reply["type"])


def _static(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<h1>studio</h1>")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "main.js").write_text("start()")
    return tmp_path


def _api(events: list[str]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        events.append("started")
        yield
        events.append("stopped")

    api = FastAPI(lifespan=lifespan)

    @api.get("/v1/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return api


def test_the_studio_is_served_while_the_api_is_built_and_the_api_answers_after(
    tmp_path: Path,
) -> None:
    events: list[str] = []
    release = threading.Event()

    def build() -> ASGIApp:
        release.wait(10)
        events.append("built")
        return _api(events)

    async def tour() -> None:
        stopped: list[bool] = []
        booting = BootingApp(build, _static(tmp_path), on_failure=lambda: stopped.append(True))
        server = _Lifespan(booting)
        assert await server.say("lifespan.startup") == "lifespan.startup.complete"
        # the page and its scripts come at once, while the API is still being built
        assert await _get(booting, "/") == (200, b"<h1>studio</h1>")
        assert await _get(booting, "/js/main.js") == (200, b"start()")
        assert events == []
        # an API call waits for the API (it is not refused), and is answered by it
        waiting = asyncio.ensure_future(_get(booting, "/v1/hello"))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        release.set()
        assert await asyncio.wait_for(waiting, 10) == (200, b'{"hello":"world"}')
        assert events == ["built", "started"]
        # from then on the app answers everything, its own 404s too
        assert (await _get(booting, "/v1/nothing"))[0] == 404
        assert await server.say("lifespan.shutdown") == "lifespan.shutdown.complete"
        assert events == ["built", "started", "stopped"]
        assert not stopped
        assert booting.error is None

    asyncio.run(tour())


def test_a_file_outside_the_studio_or_under_v1_waits_for_the_api(tmp_path: Path) -> None:
    booting = BootingApp(_api, _static(tmp_path), on_failure=lambda: None)
    scope = {"type": "http", "method": "GET"}
    assert booting._is_studio_file({**scope, "path": "/"})
    assert booting._is_studio_file({**scope, "path": "/js/main.js"})
    assert not booting._is_studio_file({**scope, "path": "/js/../index.html"})
    assert not booting._is_studio_file({**scope, "path": "/v1/presets"})
    assert not booting._is_studio_file({**scope, "path": "/healthz"})
    assert not booting._is_studio_file({**scope, "method": "POST", "path": "/"})


def _failing_lifespan() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        raise ConnectionError("the database went away")
        yield  # pragma: no cover

    return FastAPI(lifespan=lifespan)


def _failing_build() -> ASGIApp:
    raise ValueError("LIGHTRIG_STORAGE_URL: no such bucket")


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (_failing_build, ValueError("LIGHTRIG_STORAGE_URL: no such bucket")),
        (_failing_lifespan, ConnectionError("the database went away")),
    ],
    ids=["build", "lifespan"],
)
def test_an_api_that_cannot_start_stops_the_server_with_its_error(
    tmp_path: Path, build: Callable[[], ASGIApp], error: Exception
) -> None:
    async def tour() -> tuple[list[bool], Any, tuple[int, bytes]]:
        stopped: list[bool] = []
        booting = BootingApp(build, _static(tmp_path), on_failure=lambda: stopped.append(True))
        server = _Lifespan(booting)
        assert await server.say("lifespan.startup") == "lifespan.startup.complete"
        answer = await asyncio.wait_for(_get(booting, "/v1/hello"), 10)
        assert await server.say("lifespan.shutdown") == "lifespan.shutdown.complete"
        return stopped, booting.error, answer

    stopped, raised, (status, body) = asyncio.run(tour())
    assert stopped == [True]
    assert type(raised) is type(error)
    assert str(raised) == str(error)
    assert status == 503
    assert b"could not start" in body
