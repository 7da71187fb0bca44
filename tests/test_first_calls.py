"""The studio's first calls answered while ``lightrig serve`` builds its API
(:mod:`lightrig.api.first_calls`): the same answers as the API's routes, every call it cannot
answer exactly left to the API with its body intact, the API's build held back until the open
studio has its first picture, and the store's check that says whether keys are needed."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lightrig.api.app import create_app
from lightrig.api.boot import BootingApp
from lightrig.api.first_calls import FirstCalls
from lightrig.backends.preview import PreviewBackend
from lightrig.cli.store_check import users_exist
from lightrig.config import Settings
from lightrig.db.factory import create_store, embedded_store_not_made
from lightrig.presets import PRESETS

#: The status the harness answers when the first calls decline a request (never the API's).
DECLINED = 599


def _done(value: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(value)
    return future


def _first_calls(previews: PreviewBackend, *, keyed: bool = False) -> FirstCalls:
    return FirstCalls(_done(previews), anonymous=not keyed, max_body_bytes=100_000)


def _declining_to(first: FirstCalls, replayed: list[bytes]) -> ASGIApp:
    """An ASGI app: ``first``'s answer, or :data:`DECLINED` with the replayed body recorded."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        again = await first.answer(scope, receive, send) if first.takes(scope) else receive
        if again is None:
            return
        chunks = []
        while True:
            message = await again()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        replayed.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": DECLINED, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


@pytest.fixture(scope="module")
def previews() -> PreviewBackend:
    return PreviewBackend()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, previews: PreviewBackend) -> Iterator[TestClient]:
    """The built API with no users (requests need no key), on the same renderer."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("api"), database_url=None)
    with TestClient(create_app(settings, allow_anonymous=True, previews=previews)) as client:
        yield client


def _early(first: FirstCalls, replayed: list[bytes] | None = None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_declining_to(first, [] if replayed is None else replayed))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


#: The headers the routes set themselves (the request id differs per request).
_SHARED_HEADERS = (
    "content-type",
    "cache-control",
    "etag",
    "x-lightrig-exposure-stops",
    "x-lightrig-probe-ratio-stops",
)


def _same(early: httpx.Response, built: httpx.Response) -> None:
    assert early.status_code == built.status_code
    for name in _SHARED_HEADERS:
        assert early.headers.get(name) == built.headers.get(name), name
    if built.headers.get("content-type", "").startswith("application/json"):
        assert early.json() == built.json()
    else:
        assert early.content == built.content
    assert early.headers["x-request-id"]


def test_the_first_calls_are_answered_as_the_api_answers_them(
    api: TestClient, previews: PreviewBackend
) -> None:
    scene = PRESETS["rembrandt"].request().model_dump(mode="json")
    conventions = api.get("/v1/conventions")
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/v1/conventions", {}),
        ("GET", "/v1/conventions", {"headers": {"If-None-Match": conventions.headers["etag"]}}),
        ("GET", "/v1/presets", {}),
        ("POST", "/v1/preview?size=96", {"json": scene}),
        ("POST", "/v1/preview?size=96&probes=true", {"json": scene}),
        ("POST", "/v1/preview?size=80", {"json": {"request": scene}}),
    ]

    async def early() -> list[httpx.Response]:
        async with _early(_first_calls(previews)) as client:
            return [await client.request(m, path, **kw) for m, path, kw in calls]

    answers = asyncio.run(early())
    for (method, path, kwargs), answer in zip(calls, answers, strict=True):
        _same(answer, api.request(method, path, **kwargs))
    assert answers[1].status_code == 304
    assert answers[4].headers["x-lightrig-probe-ratio-stops"]


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/v1/preview?size=96", {"json": {"lighting_setup": {"key": {"intensity": 7}}}}),
        ("/v1/preview?size=63", {"json": {}}),
        ("/v1/preview?size=96&colour=1", {"json": {}}),
        (
            "/v1/preview?size=96",
            {"content": b"not json", "headers": {"content-type": "text/plain"}},
        ),
        ("/v1/preview?size=96", {"json": {}, "headers": {"Authorization": "Bearer lr_x"}}),
        ("/v1/preview?size=96", {"json": {"subject_description": "x" * 200_000}}),
        ("/v1/presets?limit=2", {}),
    ],
    ids=["invalid", "size", "query", "not-json", "key", "too-large", "presets-query"],
)
def test_what_the_first_calls_cannot_answer_exactly_goes_to_the_api_whole(
    previews: PreviewBackend, path: str, kwargs: dict[str, Any]
) -> None:
    replayed: list[bytes] = []

    async def send() -> httpx.Response:
        async with _early(_first_calls(previews), replayed) as client:
            method = "GET" if path.startswith("/v1/presets") else "POST"
            return await client.request(method, path, **kwargs)

    answer = asyncio.run(send())
    assert answer.status_code == DECLINED
    assert len(replayed) == 1
    if "json" in kwargs:
        assert json.loads(replayed[0]) == kwargs["json"]
    else:
        assert replayed[0] == kwargs.get("content", b"")


def test_nothing_is_answered_when_the_store_has_users(previews: PreviewBackend) -> None:
    async def send() -> list[int]:
        async with _early(_first_calls(previews, keyed=True)) as client:
            return [(await client.get(p)).status_code for p in ("/v1/conventions", "/v1/presets")]

    assert asyncio.run(send()) == [DECLINED, DECLINED]


# --- the API's build, held back for the studio's first picture --------------------------------


def _static(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<h1>studio</h1>")
    return tmp_path


def _hello_api() -> FastAPI:
    api = FastAPI()

    @api.get("/v1/hello")
    async def hello(request: Request) -> dict[str, str]:
        return {"hello": "world"}

    return api


#: The booting app's longest wait for the studio's first picture in these tests, seconds.
_DEFER_S = 600.0


class _Boot:
    """A booting app whose build records when it ran, with its lifespan started."""

    def __init__(self, tmp_path: Path, first: FirstCalls) -> None:
        self.built = threading.Event()

        def build() -> ASGIApp:
            self.built.set()
            return _hello_api()

        # a deferral far beyond any wait here: a build that comes at all came for a reason
        self.app = BootingApp(
            build, _static(tmp_path), on_failure=lambda: None, first_calls=first, defer_s=_DEFER_S
        )
        self.inbox: asyncio.Queue[Message] = asyncio.Queue()
        self.outbox: asyncio.Queue[Message] = asyncio.Queue()

    async def __aenter__(self) -> httpx.AsyncClient:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
        self.task = asyncio.ensure_future(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        assert (await self.outbox.get())["type"] == "lifespan.startup.complete"
        transport = httpx.ASGITransport(app=self.app)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()
        await self.inbox.put({"type": "lifespan.shutdown"})
        await asyncio.wait_for(self.outbox.get(), 10)


def test_the_api_is_built_after_the_open_studio_s_first_picture(
    tmp_path: Path, previews: PreviewBackend
) -> None:
    scene = PRESETS["loop"].request().model_dump(mode="json")

    async def tour() -> None:
        boot = _Boot(tmp_path, _first_calls(previews))
        async with boot as client:
            assert (await client.get("/")).status_code == 200
            assert (await client.get("/v1/presets")).status_code == 200
            # the page's other calls wait for its first picture, and the API for them
            other = asyncio.ensure_future(client.get("/v1/hello"))
            await asyncio.sleep(0.3)
            assert not boot.built.is_set()
            assert not other.done()
            picture = await client.post("/v1/preview?size=64", json=scene)
            assert picture.status_code == 200
            assert picture.content.startswith(b"\x89PNG")
            assert (await asyncio.wait_for(other, 10)).json() == {"hello": "world"}
            assert boot.built.is_set()

    asyncio.run(tour())


def test_a_call_that_is_not_the_studio_s_builds_the_api_at_once(
    tmp_path: Path, previews: PreviewBackend
) -> None:
    async def tour() -> None:
        boot = _Boot(tmp_path, _first_calls(previews))
        async with boot as client:
            answer = await asyncio.wait_for(client.get("/v1/hello"), 60)  # << _DEFER_S
            assert answer.json() == {"hello": "world"}

    asyncio.run(tour())


def test_with_users_the_open_studio_does_not_hold_the_api_back(
    tmp_path: Path, previews: PreviewBackend
) -> None:
    async def tour() -> None:
        boot = _Boot(tmp_path, _first_calls(previews, keyed=True))
        async with boot as client:
            assert (await client.get("/")).status_code == 200
            answer = await asyncio.wait_for(client.get("/v1/hello"), 60)
            assert answer.json() == {"hello": "world"}

    asyncio.run(tour())


# --- whether keys are needed -------------------------------------------------------------------


def test_an_embedded_store_not_made_is_known_to_hold_no_users(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=None)
    assert embedded_store_not_made(settings)
    (tmp_path / "lightrig.db").write_bytes(b"")
    assert not embedded_store_not_made(settings)
    elsewhere = Settings(data_dir=tmp_path / "new", database_url="postgresql://127.0.0.1/test")
    assert not embedded_store_not_made(elsewhere)


def _store_with_user(data: Path) -> None:
    async def make() -> None:
        store = create_store(Settings(data_dir=data, database_url=None))
        await store.migrate()
        await store.create_user("ada")
        await store.aclose()

    asyncio.run(make())


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LIGHTRIG_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the project's
    return tmp_path


def _never() -> bool:
    raise AssertionError("the check in a process of its own answered")


def test_the_store_is_checked_in_a_process_of_its_own(environment: Path) -> None:
    assert users_exist(_never) is False  # made now, empty
    _store_with_user(environment)
    assert users_exist(_never) is True


def test_a_failed_check_is_made_again_here_and_raises_the_store_s_own_error(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIGHTRIG_DATABASE_URL", "mysql://nobody@127.0.0.1/none")

    class StoreError(ConnectionError):
        pass

    def here() -> bool:
        raise StoreError("the store cannot be reached")

    with pytest.raises(StoreError, match="cannot be reached"):
        users_exist(here)
