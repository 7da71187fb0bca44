"""The REST API, through a real uvicorn server over HTTP (``tests.apiserver.serve``).

Every endpoint's success and failure paths; problem+json errors; request ids; API keys, the
anonymous loopback mode and per-user isolation; per-user rate limits; body limits; a remote
backend (the mock Bria server) behind background jobs; health, readiness and metrics; the JSON
logs; and ``lightrig serve`` refusing to open a keyless server to the network.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from lightrig.api.app import create_app
from lightrig.api.logs import JsonFormatter
from lightrig.config import Settings
from lightrig.db.factory import create_store
from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.storage.local import LocalImageStorage
from lightrig.testing.mock_bria import MockBriaServer
from tests.apiserver import serve

# ----------------------------------------------------------------------------------- helpers

PREVIEW_SIZE = 64
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BRIA_TOKEN = "bria-secret-token-4e1f9a"  # the mock Bria accepts this one


def scene(azimuth: float = -40.0, intensity: float = 0.8, **extra: Any) -> dict[str, Any]:
    """A small valid scene request, as JSON."""
    return {"lighting_setup": {"key": {"azimuth": azimuth, "intensity": intensity}}, **extra}


def preset(name: str) -> dict[str, Any]:
    """A preset's scene request, as JSON."""
    data: dict[str, Any] = PRESETS[name].request().model_dump(mode="json")
    return data


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Check ``response`` is an RFC 9457 problem with ``status``; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["type"].startswith("https://lightrig.dev/problems/")
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def field_locs(body: dict[str, Any]) -> list[str]:
    """The dotted paths of a 422 problem's failing fields."""
    return [error["loc"] for error in body["errors"]]


def assert_private(response: httpx.Response, data_dir: Path) -> None:
    """Nothing in ``response`` shows where the server keeps its files."""
    assert "file://" not in response.text
    assert str(data_dir) not in response.text


def run_store(settings: Settings, work: Callable[[Any], Any]) -> Any:
    """Run ``work(store)`` on a store of its own over the settings' database (as the
    ``lightrig users`` commands do, beside a running server)."""

    async def go() -> Any:
        store = create_store(settings)
        try:
            await store.migrate()
            return await work(store)
        finally:
            await store.aclose()

    return asyncio.run(go())


def make_user(settings: Settings, name: str) -> str:
    """A new user in the settings' store; their API key."""
    _, key = run_store(settings, lambda store: store.create_user(name))
    assert isinstance(key, str)
    return key


def closing_service(app: FastAPI, service: LightingGenerationService) -> None:
    """Close a service given to ``create_app`` (which leaves it open) when the app stops, on the
    server's own event loop."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        try:
            async with inner(application) as state:
                yield state
        finally:
            await service.close()

    app.router.lifespan_context = lifespan


@dataclass
class Api:
    """A running server: its base URL, settings, and the users made before it started."""

    url: str
    settings: Settings
    keys: dict[str, str]
    stack: ExitStack = field(repr=False)

    def client(self, user: str | None = "alice", *, key: str | None = None) -> httpx.Client:
        """A client for ``user`` (their key sent as a bearer token; none for ``None``), or
        sending ``key`` as it is. Closed when the test ends."""
        headers = {}
        token = key if key is not None else (self.keys[user] if user is not None else None)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        client = httpx.Client(base_url=self.url, headers=headers, timeout=30.0)
        return self.stack.enter_context(client)

    def add_user(self, name: str) -> str:
        """Make a user while the server runs; their key."""
        self.keys[name] = make_user(self.settings, name)
        return self.keys[name]


Launch = Callable[..., Api]


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launch]:
    """Start servers: ``launch(users=("alice", "bob"), allow_anonymous=False, service=None,
    data_dir=tmp_path, **settings)``. Users are made before the server starts; every server
    and client is stopped / closed when the test ends."""
    with ExitStack() as stack:

        def start(
            *,
            users: tuple[str, ...] = ("alice", "bob"),
            allow_anonymous: bool = False,
            service: LightingGenerationService | None = None,
            data_dir: Path | None = None,
            **values: Any,
        ) -> Api:
            if service is not None:
                settings = service.settings
            else:
                values.setdefault("preview_size", PREVIEW_SIZE)
                settings = Settings(data_dir=data_dir or tmp_path, **values)
            keys = {name: make_user(settings, name) for name in users}
            app = create_app(settings, service=service, allow_anonymous=allow_anonymous)
            if service is not None:
                closing_service(app, service)
            url = stack.enter_context(serve(app))
            return Api(url=url, settings=settings, keys=keys, stack=stack)

        yield start


def poll(
    client: httpx.Client,
    path: str,
    done: Callable[[dict[str, Any]], bool],
    timeout_s: float = 20.0,
) -> dict[str, Any]:
    """GET ``path`` until ``done(body)``; the body."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = client.get(path)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if done(body):
            return body
        assert time.monotonic() < deadline, f"{path} did not finish: {body}"
        time.sleep(0.05)


def finished(body: dict[str, Any]) -> bool:
    return body["status"] in ("success", "error")


def generate(client: httpx.Client, seed: int, **extra: Any) -> dict[str, Any]:
    """A preview generation (201); its record."""
    response = client.post(
        "/v1/generations", json={"request": scene(), "seed": seed, "size": PREVIEW_SIZE, **extra}
    )
    assert response.status_code == 201, response.text
    record: dict[str, Any] = response.json()
    return record


def metric(text: str, sample: str, **labels: str) -> float:
    """The value of the Prometheus sample ``sample`` with ``labels`` (0 when absent)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == sample and all(found.labels.get(k) == v for k, v in labels.items()):
                total += found.value
    return total


def bria_settings(server: MockBriaServer, **values: Any) -> dict[str, Any]:
    """Settings values for the Bria backend on the mock, polling fast."""
    base: dict[str, Any] = {
        "backend": "bria",
        "bria_base_url": f"{server.url}/v2",
        "bria_api_token": SecretStr(BRIA_TOKEN),
        "bria_poll_initial_s": 0.05,
        "bria_poll_max_s": 0.2,
        "bria_requests_per_minute": 6000,
        "request_timeout_s": 2.0,
        "total_timeout_s": 15.0,
        "retry_initial_s": 0.05,
        "retry_max_s": 0.2,
    }
    base.update(values)
    return base


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(token=BRIA_TOKEN, latency_s=0.1, image_size=64) as server:
        yield server


# ----------------------------------------------------------------------------------- lighting


def test_presets_list_and_one(launch: Launch) -> None:
    client = launch().client()
    listed = client.get("/v1/presets")
    assert listed.status_code == 200
    names = [item["name"] for item in listed.json()]
    assert names == list(PRESETS)
    one = client.get("/v1/presets/loop")
    assert one.status_code == 200
    body = one.json()
    assert body["name"] == "loop"
    assert body["pattern"] == PRESETS["loop"].expected
    assert body["request"] == preset("loop")
    missing = problem(client.get("/v1/presets/no-such-light"), 404)
    assert missing["type"].endswith("/not-found")
    assert "no-such-light" in missing["detail"]
    assert "rembrandt" in missing["detail"]  # and the presets there are


def test_meter_reads_f_numbers_and_aims_at_a_target(launch: Launch) -> None:
    client = launch().client()
    setup = {
        "lighting_setup": {
            "key": {
                "direction": "45 degrees camera-left",
                "intensity": 0.5,
                "distance": 2.0,
                "modifier": "bare",
                "power": {"guide_number": 32},
            },
        },
        "camera_settings": {"iso": 100, "shutter": "1/160", "aperture": "f/8"},
    }
    analysis = client.post("/v1/analyze", json=setup)
    assert analysis.status_code == 200, analysis.text
    meter = analysis.json()["meter"]
    assert meter["shutter_text"] == "1/160 s"
    assert meter["lights"][0]["power_stated"] is True
    aimed = client.post("/v1/meter", params={"target": 11}, json=setup)
    assert aimed.status_code == 200, aimed.text
    body = aimed.json()
    assert body["target_aperture"] == 11
    assert body["lit"] == meter["lit"]
    assert body["power_change_stops"] == pytest.approx(2 * math.log2(11 / body["lit"]["f_number"]))
    bad = problem(
        client.post("/v1/meter", json={**setup, "camera_settings": {"shutter": "1/9000"}}), 422
    )
    assert field_locs(bad) == ["body.camera_settings.shutter"]
    assert "1/8000 s to 60 s" in bad["detail"]
    bad_power = {
        "lighting_setup": {
            "key": {
                **setup["lighting_setup"]["key"],
                "power": {"guide_number": 32, "watt_seconds": 400},
            }
        }
    }
    body = problem(client.post("/v1/meter", json=bad_power), 422)
    assert field_locs(body) == ["body.lighting_setup.key.power"]


def test_analyze_and_prompt(launch: Launch) -> None:
    client = launch().client()
    analysed = client.post("/v1/analyze", json=preset("rembrandt"))
    assert analysed.status_code == 200, analysed.text
    assert analysed.json()["pattern"] == "rembrandt"
    prompt = client.post("/v1/prompt", json=preset("loop"))
    assert prompt.status_code == 200, prompt.text
    compiled = prompt.json()
    validate_prompt(compiled)  # FIBO's ten-key schema, strictly: canonical order, no empties
    assert list(compiled) == [key for key in TOP_LEVEL_KEYS if key in compiled]
    assert set(compiled) >= {"short_description", "objects", "lighting", "aesthetics", "context"}
    assert "loop" in json.dumps(compiled["lighting"]).lower()
    for path in ("/v1/analyze", "/v1/prompt"):
        body = problem(client.post(path, json=scene(intensity=5)), 422)
        assert field_locs(body) == ["body.lighting_setup.key.intensity"]
        # a light with no direction: the scene's own check, at the body, naming the light
        aimless = {"lighting_setup": {"key": {"intensity": 0.5}}}
        body = problem(client.post(path, json=aimless), 422)
        assert field_locs(body) == ["body"]
        assert body["errors"][0]["message"].startswith("lighting_setup.key: give a direction")


def test_preview_png_and_its_size_bounds(launch: Launch) -> None:
    client = launch().client()
    response = client.post("/v1/preview", params={"size": PREVIEW_SIZE}, json=preset("loop"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (PREVIEW_SIZE, PREVIEW_SIZE)
    for size in (63, 1025, "big"):
        body = problem(client.post("/v1/preview", params={"size": size}, json=scene()), 422)
        assert field_locs(body) == ["query.size"]
    problem(client.post("/v1/preview", params={"size": 64}, json={"lighting_setup": {}}), 422)


def test_diagram_svg(launch: Launch) -> None:
    client = launch().client()
    response = client.post("/v1/diagram", params={"width": 300}, json=preset("butterfly"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in response.text
    body = problem(client.post("/v1/diagram", params={"width": 10}, json=scene()), 422)
    assert field_locs(body) == ["query.width"]


def test_translate_understood_ignored_and_no_lighting(launch: Launch) -> None:
    client = launch().client()
    response = client.post(
        "/v1/translate", json={"text": "moody Rembrandt with a warm key from the left, zorbiflex"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["translator"] == "rules"
    assert "rembrandt" in body["understood"]
    assert body["ignored"] == ["zorbiflex"]
    assert body["analysis"]["pattern"] == "rembrandt"
    assert "key" in body["request"]["lighting_setup"]
    # words with no light in them: the translator's 422, with its advice
    none = problem(client.post("/v1/translate", json={"text": "a cat on a sofa"}), 422)
    assert "found no lighting" in none["detail"]
    blank = problem(client.post("/v1/translate", json={"text": "   "}), 422)
    assert "empty" in blank["detail"]
    empty = problem(client.post("/v1/translate", json={"text": ""}), 422)
    assert field_locs(empty) == ["body.text"]
    extra = problem(client.post("/v1/translate", json={"text": "loop", "colour": 1}), 422)
    assert field_locs(extra) == ["body.colour"]


# ----------------------------------------------------------------------------------- generations


def test_verify_reads_a_picture_and_scores_it(launch: Launch) -> None:
    client = launch().client()
    rendered = client.post("/v1/preview", params={"size": 256}, json=preset("rembrandt"))
    picture = base64.b64encode(rendered.content).decode()
    alone = client.post("/v1/verify", json={"image": picture})
    assert alone.status_code == 200, alone.text
    assert alone.json()["estimate"]["key_side"]["side"] == "camera-left"
    assert alone.json()["adherence"] is None
    same = client.post("/v1/verify", json={"image": picture, "preset": "rembrandt"}).json()
    assert same["adherence"]["overall"] >= 0.8
    assert same["adherence"]["verdict"] == "follows the requested light"
    data_url = "data:image/png;base64," + picture
    wrong = client.post("/v1/verify", json={"image": data_url, "request": scene(azimuth=50.0)})
    adherence = wrong.json()["adherence"]
    side = next(s for s in adherence["scores"] if s["attribute"] == "key_side")
    assert side["score"] == 0.0
    assert side["finding"] == "key came from camera-left, asked camera-right"
    assert adherence["verdict"].startswith("does not follow")

    def refused(body: dict[str, Any]) -> list[str]:
        return field_locs(problem(client.post("/v1/verify", json=body), 422))

    assert refused({"image": "%%% not base64"}) == ["body.image"]
    assert refused({"image": base64.b64encode(b"plain text").decode()}) == ["body.image"]
    assert refused({"image": picture, "preset": "nope"}) == ["body.preset"]
    assert refused({"image": picture, "preset": "loop", "request": scene()}) == ["body"]
    assert refused({"image": ""}) == ["body.image"]
    assert refused({"image": picture, "encoding": "gamma"}) == ["body.encoding"]
    linear = client.post("/v1/verify", json={"image": picture, "encoding": "linear"}).json()
    assert linear["estimate"]["encoding"] == "linear"


def test_a_generation_made_unchecked_is_checked_on_request(launch: Launch) -> None:
    api = launch(verify_images=False, preview_size=192)
    alice, bob = api.client("alice"), api.client("bob")
    made = alice.post("/v1/generations", json={"request": preset("rembrandt"), "seed": 2})
    assert made.status_code == 201, made.text
    record = made.json()
    assert record["adherence"] is None  # checking was off
    checked = alice.post(f"/v1/generations/{record['generation_id']}/verify")
    assert checked.status_code == 200, checked.text
    adherence = checked.json()["adherence"]
    assert adherence["overall"] >= 0.8
    assert adherence["verdict"] == "follows the requested light"
    kept = alice.get(f"/v1/generations/{record['generation_id']}").json()
    assert kept == checked.json()
    assert {k: v for k, v in kept.items() if k != "adherence"} == {
        k: v for k, v in record.items() if k != "adherence"
    }
    problem(bob.post(f"/v1/generations/{record['generation_id']}/verify"), 404)
    problem(alice.post("/v1/generations/no-such-id/verify"), 404)


def test_generation_create_read_image_delete(launch: Launch, tmp_path: Path) -> None:
    client = launch().client()
    created = client.post(
        "/v1/generations", json={"request": preset("loop"), "seed": 7, "size": PREVIEW_SIZE}
    )
    assert created.status_code == 201, created.text
    assert_private(created, tmp_path)
    record = created.json()
    gid = record["generation_id"]
    assert created.headers["location"] == f"/v1/generations/{gid}"
    assert record["image_url"] == f"/v1/generations/{gid}/image"
    assert record["status"] == "success"
    assert record["backend"] == "preview"
    assert record["seed"] == 7
    assert (record["width"], record["height"]) == (PREVIEW_SIZE, PREVIEW_SIZE)
    assert record["analysis"]["pattern"] == "loop"
    assert isinstance(record["adherence"]["verdict"], str)  # the image was checked
    validate_prompt(record["structured_prompt"])

    fetched = client.get(f"/v1/generations/{gid}")
    assert fetched.status_code == 200
    assert fetched.json() == record
    assert_private(fetched, tmp_path)

    image = client.get(record["image_url"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.headers["cache-control"].startswith("private")
    assert image.headers["etag"] == f'"{record["image_key"]}"'
    assert image.content.startswith(PNG_MAGIC)

    assert client.delete(f"/v1/generations/{gid}").status_code == 204
    problem(client.get(f"/v1/generations/{gid}"), 404)
    problem(client.get(f"/v1/generations/{gid}/image"), 404)
    problem(client.delete(f"/v1/generations/{gid}"), 404)


def test_generation_input_errors_name_their_fields(launch: Launch) -> None:
    client = launch().client()
    bad_light = {"request": scene(intensity=1.5)}
    body = problem(client.post("/v1/generations", json=bad_light), 422)
    assert body["type"].endswith("/invalid-input")
    assert field_locs(body) == ["body.request.lighting_setup.key.intensity"]
    assert body["detail"].startswith("body.request.lighting_setup.key.intensity: ")
    many = {"request": scene(), "seed": -1, "steps": 0, "size": 10, "backend": "nope"}
    body = problem(client.post("/v1/generations", json=many), 422)
    assert set(field_locs(body)) == {"body.seed", "body.steps", "body.size", "body.backend"}
    assert "(and 1 more)" in body["detail"]
    ratio = problem(
        client.post("/v1/generations", json={"request": scene(), "aspect_ratio": "7:3"}), 422
    )
    assert field_locs(ratio) == ["aspect_ratio"]
    problem(client.post("/v1/generations", json={"seed": 1}), 422)
    broken = client.post(
        "/v1/generations", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert problem(broken, 422)["errors"][0]["loc"].startswith("body")


def test_list_pages_and_filters(launch: Launch) -> None:
    api = launch()
    client = api.client()
    made = [generate(client, seed) for seed in (1, 2, 3)]
    newest_first = [record["generation_id"] for record in reversed(made)]

    first = client.get("/v1/generations", params={"limit": 2})
    assert first.status_code == 200
    page = first.json()
    assert [item["generation_id"] for item in page["items"]] == newest_first[:2]
    assert page["next_before"] is not None
    second = client.get("/v1/generations", params={"limit": 2, "before": page["next_before"]})
    assert second.status_code == 200
    rest = second.json()
    assert [item["generation_id"] for item in rest["items"]] == newest_first[2:]
    assert rest["next_before"] is None
    for item in page["items"] + rest["items"]:
        assert item["image_url"] == f"/v1/generations/{item['generation_id']}/image"

    everything = client.get("/v1/generations").json()
    assert [item["generation_id"] for item in everything["items"]] == newest_first
    succeeded = client.get("/v1/generations", params={"status": ["success", "error"]}).json()
    assert len(succeeded["items"]) == 3
    assert client.get("/v1/generations", params={"status": "queued"}).json()["items"] == []

    batch = client.post("/v1/batches", json={"requests": [scene(), scene(azimuth=30)]})
    assert batch.status_code == 202, batch.text
    batch_id = batch.json()["batch_id"]
    in_batch = client.get("/v1/generations", params={"batch_id": batch_id}).json()["items"]
    assert len(in_batch) == 2
    assert {item["batch_id"] for item in in_batch} == {batch_id}
    poll(client, f"/v1/batches/{batch_id}", lambda body: body["completed_at"] is not None)

    # paging to the end visits every generation once, newest first
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = client.get("/v1/generations", params=params).json()
        seen += [item["generation_id"] for item in page["items"]]
        if page["next_before"] is None:
            break
        params["before"] = page["next_before"]
    listed = client.get("/v1/generations", params={"limit": 100}).json()["items"]
    assert seen == [item["generation_id"] for item in listed]
    assert len(seen) == len(set(seen)) == 5

    for params in ({"limit": 0}, {"limit": 101}, {"status": "done"}, {"before": "yesterday"}):
        body = problem(client.get("/v1/generations", params=params), 422)
        assert field_locs(body)[0].startswith("query.")


def test_natural_language_generation(launch: Launch, tmp_path: Path) -> None:
    client = launch().client()
    response = client.post(
        "/v1/generations/natural-language",
        json={"text": "a portrait with loop lighting, zorbiflex", "seed": 4},
    )
    assert response.status_code == 201, response.text
    assert_private(response, tmp_path)
    body = response.json()
    assert body["translator"] == "rules"
    assert "loop lighting" in body["understood"]
    assert body["ignored"] == ["zorbiflex"]
    record = body["generation"]
    assert record["status"] == "success"
    assert record["seed"] == 4
    assert response.headers["location"] == f"/v1/generations/{record['generation_id']}"
    assert record["image_url"] == f"/v1/generations/{record['generation_id']}/image"
    assert client.get(record["image_url"]).content.startswith(PNG_MAGIC)
    no_light = client.post("/v1/generations/natural-language", json={"text": "hello world"})
    assert "found no lighting" in problem(no_light, 422)["detail"]
    extra = client.post("/v1/generations/natural-language", json={"text": "loop", "steps": 3})
    assert field_locs(problem(extra, 422)) == ["body.steps"]


def test_refine_keeps_the_seed_and_names_the_parent(launch: Launch) -> None:
    client = launch().client()
    parent = generate(client, seed=21)
    gid = parent["generation_id"]
    new_light = {"key": {"azimuth": 60, "intensity": 0.9, "color_temperature": 3200}}
    response = client.post(f"/v1/generations/{gid}/refine", json={"lighting_setup": new_light})
    assert response.status_code == 201, response.text
    child = response.json()
    assert response.headers["location"] == f"/v1/generations/{child['generation_id']}"
    assert child["generation_id"] != gid
    assert child["parent_id"] == gid
    assert child["seed"] == parent["seed"] == 21
    assert child["params"] == parent["params"]
    assert child["request"]["lighting_setup"]["key"]["azimuth"] == 60
    assert child["request"]["subject_description"] == parent["request"]["subject_description"]
    assert child["image_url"] == f"/v1/generations/{child['generation_id']}/image"

    whole = client.post(f"/v1/generations/{gid}/refine", json={"request": preset("split")})
    assert whole.status_code == 201, whole.text
    assert whole.json()["seed"] == 21
    assert whole.json()["parent_id"] == gid
    assert whole.json()["analysis"]["pattern"] == "split"

    path = f"/v1/generations/{gid}/refine"
    both = problem(client.post(path, json={"lighting_setup": new_light, "request": scene()}), 422)
    assert field_locs(both) == ["body"]
    assert "either lighting_setup or request" in both["detail"]
    neither = problem(client.post(path, json={}), 422)
    assert "either lighting_setup or request" in neither["detail"]
    problem(client.post(path, json={"lighting_setup": {}}), 422)
    bad = problem(client.post(path, json={"lighting_setup": {"key": {"intensity": 2}}}), 422)
    assert field_locs(bad) == ["body.lighting_setup.key.intensity"]
    problem(client.post("/v1/generations/nope/refine", json={"lighting_setup": new_light}), 404)


# ----------------------------------------------------------------------------------- batches


def test_batch_runs_in_the_background_to_the_end(launch: Launch, tmp_path: Path) -> None:
    client = launch().client()
    requests = [preset("loop"), preset("rembrandt"), scene(azimuth=10)]
    response = client.post("/v1/batches", json={"requests": requests, "seed": 3})
    assert response.status_code == 202, response.text
    started = response.json()
    batch_id = started["batch_id"]
    assert response.headers["location"] == f"/v1/batches/{batch_id}"
    assert started["total"] == 3
    assert len(started["items"]) == 3

    done = poll(
        client,
        f"/v1/batches/{batch_id}",
        lambda body: body["done"] == body["total"] and body["completed_at"] is not None,
    )
    assert done["counts"] == {"success": 3}
    assert [item["batch_index"] for item in done["items"]] == [0, 1, 2]
    for item in done["items"]:
        assert item["status"] == "success"
        assert item["seed"] == 3
        assert item["image_url"] == f"/v1/generations/{item['generation_id']}/image"
    assert [item["analysis"]["pattern"] for item in done["items"][:2]] == ["loop", "rembrandt"]
    assert_private(client.get(f"/v1/batches/{batch_id}"), tmp_path)
    counts_only = client.get(f"/v1/batches/{batch_id}", params={"items": "false"}).json()
    assert counts_only == {**done, "items": []}

    too_many = problem(client.post("/v1/batches", json={"requests": [scene()] * 501}), 422)
    assert field_locs(too_many) == ["body.requests"]
    problem(client.post("/v1/batches", json={"requests": []}), 422)
    bad_item = client.post("/v1/batches", json={"requests": [scene(), scene(intensity=9)]})
    assert field_locs(problem(bad_item, 422)) == ["body.requests.1.lighting_setup.key.intensity"]
    problem(client.get("/v1/batches/no-such-batch"), 404)


# ----------------------------------------------------------------------------------- Bria


def test_a_remote_backend_queues_then_succeeds(
    launch: Launch, bria: MockBriaServer, tmp_path: Path
) -> None:
    api = launch(**bria_settings(bria))
    client = api.client()
    response = client.post("/v1/generations", json={"request": preset("loop"), "seed": 11})
    assert response.status_code == 202, response.text
    queued = response.json()
    gid = queued["generation_id"]
    assert queued["status"] == "queued"
    assert queued["backend"] == "bria"
    assert queued["image_url"] is None
    assert response.headers["location"] == f"/v1/generations/{gid}"

    record = poll(client, response.headers["location"], finished)
    assert record["status"] == "success", record
    assert record["image_url"] == f"/v1/generations/{gid}/image"
    assert record["backend_request_id"]
    assert record["cost_usd"] == pytest.approx(0.03)
    image = client.get(record["image_url"])
    assert image.status_code == 200
    assert image.content.startswith(PNG_MAGIC)
    assert bria.accepted == 1
    assert bria.submissions[0]["seed"] == 11
    assert_private(client.get("/v1/generations"), tmp_path)

    metrics = client.get("/metrics").text
    assert metric(metrics, "lightrig_generations_total", backend="bria", status="success") == 1


def test_queued_generations_cannot_be_deleted_shown_or_relit(
    launch: Launch, bria: MockBriaServer
) -> None:
    bria.latency_s = 1.5  # long enough to act on it while queued or running
    client = launch(**bria_settings(bria)).client()
    response = client.post("/v1/generations", json={"request": scene(), "seed": 2})
    assert response.status_code == 202, response.text
    gid = response.json()["generation_id"]
    refused = problem(client.delete(f"/v1/generations/{gid}"), 409)
    assert refused["type"].endswith("/conflict")
    assert "no image" in problem(client.get(f"/v1/generations/{gid}/image"), 409)["detail"]
    relight = client.post(f"/v1/generations/{gid}/refine", json={"request": scene()})
    assert "re-light a finished one" in problem(relight, 409)["detail"]
    assert client.get(f"/v1/generations/{gid}").json()["status"] in ("queued", "running")
    poll(client, f"/v1/generations/{gid}", finished)
    assert client.delete(f"/v1/generations/{gid}").status_code == 204


def test_a_failing_remote_backend_ends_in_error(launch: Launch, bria: MockBriaServer) -> None:
    bria.script("generate", "error")
    client = launch(**bria_settings(bria)).client()
    response = client.post("/v1/generations", json={"request": scene(), "seed": 5})
    assert response.status_code == 202, response.text
    record = poll(client, response.headers["location"], finished)
    assert record["status"] == "error", record
    assert record["error"].startswith("Bria could not generate request ")
    assert "failed this job on purpose" in record["error"]
    assert record["image_url"] is None
    assert BRIA_TOKEN not in json.dumps(record)
    errors = client.get("/v1/generations", params={"status": "error"}).json()["items"]
    assert [item["generation_id"] for item in errors] == [record["generation_id"]]
    metrics = client.get("/metrics").text
    assert metric(metrics, "lightrig_generations_total", backend="bria", status="error") == 1
    assert metric(metrics, "lightrig_backend_errors_total", backend="bria") == 1


def test_a_refused_bria_token_ends_in_error_without_the_token(
    launch: Launch, bria: MockBriaServer
) -> None:
    wrong = "wrong-bria-token-7c2d5e"
    client = launch(**bria_settings(bria, bria_api_token=SecretStr(wrong))).client()
    response = client.post("/v1/generations", json={"request": scene(), "seed": 5})
    assert response.status_code == 202, response.text
    record = poll(client, response.headers["location"], finished)
    assert record["status"] == "error", record
    assert "401" in record["error"]
    assert wrong not in record["error"]
    assert BRIA_TOKEN not in record["error"]
    assert wrong not in client.get(response.headers["location"]).text
    assert bria.accepted == 0


# ----------------------------------------------------------------------------------- errors


def test_unknown_route_wrong_method_and_request_ids(launch: Launch) -> None:
    api = launch()
    client = api.client()
    missing = problem(client.get("/v1/nothing-here"), 404)
    assert missing["type"].endswith("/not-found")
    wrong = client.delete("/v1/presets")
    assert problem(wrong, 405)["type"].endswith("/method-not-allowed")
    assert "GET" in wrong.headers["allow"]
    problem(client.put("/v1/generations/abc"), 405)

    given = "req-42.a:b_c"
    echoed = client.get("/v1/presets/loop", headers={"X-Request-ID": given})
    assert echoed.headers["x-request-id"] == given
    failing = client.get("/v1/presets/nope", headers={"X-Request-ID": given})
    assert problem(failing, 404)["request_id"] == given
    for insane in ("has spaces in it", "x" * 129, "<script>", ""):
        made = client.get("/v1/presets/nope", headers={"X-Request-ID": insane})
        assert made.headers["x-request-id"] != insane
        assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
        assert problem(made, 404)["request_id"] == made.headers["x-request-id"]
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    anonymous = problem(api.client(None).get("/v1/presets", headers={"X-Request-ID": given}), 401)
    assert anonymous["request_id"] == given


def test_bodies_over_the_limit_are_413(launch: Launch) -> None:
    client = launch(api_max_body_bytes=2048).client()
    big = scene(subject_description="a" * 400, environment="b" * 300)
    big["lighting_setup"]["key"]["modifier"] = "softbox " * 200
    data = json.dumps(big).encode()
    assert len(data) > 2048
    declared = client.post(
        "/v1/analyze", content=data, headers={"content-type": "application/json"}
    )
    body = problem(declared, 413)
    assert body["type"].endswith("/too-large")
    assert "2048 bytes" in body["detail"]

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 512):
            yield data[start : start + 512]

    streamed = client.post(
        "/v1/analyze",
        content=chunks(),
        headers={"content-type": "application/json", "X-Request-ID": "big-1"},
    )
    assert streamed.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in streamed.request.headers
    body = problem(streamed, 413)
    assert body["type"].endswith("/too-large")
    assert "2048 bytes" in body["detail"]
    assert body["request_id"] == "big-1"
    # under the limit, streamed or not, it is read
    small = json.dumps(scene()).encode()
    ok = client.post(
        "/v1/analyze", content=iter([small]), headers={"content-type": "application/json"}
    )
    assert ok.status_code == 200, ok.text


# ----------------------------------------------------------------------------------- auth


def test_keys_are_required_and_checked(launch: Launch) -> None:
    api = launch()
    ok = api.client().get("/v1/presets")
    assert ok.status_code == 200
    for path in ("/v1/presets", "/v1/generations", "/v1/batches/x"):
        body = problem(api.client(None).get(path), 401)
        assert body["type"].endswith("/unauthorized")
    no_key = api.client(None).get("/v1/presets")
    assert no_key.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in problem(no_key, 401)["detail"]
    unknown = api.client(key="lr_" + "A" * 43).get("/v1/presets")
    assert "unknown or revoked" in problem(unknown, 401)["detail"]
    assert unknown.headers["www-authenticate"].startswith("Bearer")
    problem(api.client(key="not-even-a-lightrig-key").get("/v1/presets"), 401)
    raw = httpx.Client(base_url=api.url)
    api.stack.enter_context(raw)
    malformed = (
        f"Basic {api.keys['alice']}",
        "Bearer",
        f"Bearer {api.keys['alice']} {api.keys['alice']}",
        api.keys["alice"],
        f"Token {api.keys['alice']}",
    )
    for header in malformed:
        response = raw.get("/v1/presets", headers={"Authorization": header})
        assert problem(response, 401)["detail"], header
        assert response.headers["www-authenticate"].startswith("Bearer")
    # the scheme is case-insensitive, as HTTP says
    lower = raw.get("/v1/presets", headers={"Authorization": f"bearer {api.keys['alice']}"})
    assert lower.status_code == 200

    # revoked while the server runs: refused from the next request on
    run_store(api.settings, lambda store: store.revoke_user("bob"))
    revoked = api.client("bob").get("/v1/presets")
    assert "unknown or revoked" in problem(revoked, 401)["detail"]
    assert api.client("alice").get("/v1/presets").status_code == 200
    # a user made while it runs is let in at once
    assert api.client("carol", key=api.add_user("carol")).get("/v1/presets").status_code == 200


def test_a_key_made_by_the_cli_opens_the_api(launch: Launch, tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "lightrig", "users", "create", "dora", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "LIGHTRIG_DATA_DIR": str(tmp_path)},
    )
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)["api_key"]
    api = launch(users=())
    response = api.client(key=key).get("/v1/generations")
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_before": None}


def test_anonymous_mode_only_while_no_user_exists(launch: Launch) -> None:
    open_api = launch(users=(), allow_anonymous=True)
    keyless = open_api.client(None)
    assert keyless.get("/v1/presets").status_code == 200
    record = generate(keyless, seed=1)
    assert record["user_id"] == "local"
    assert keyless.get(record["image_url"]).content.startswith(PNG_MAGIC)
    listed = keyless.get("/v1/generations").json()["items"]
    assert [item["generation_id"] for item in listed] == [record["generation_id"]]
    # a key that is sent is checked even here
    problem(open_api.client(key="lr_" + "B" * 43).get("/v1/presets"), 401)

    # the same data with a user made: keys are required, anonymous mode or not
    closed = launch(users=("erin",), allow_anonymous=True)
    refused = closed.client(None).get("/v1/presets")
    assert problem(refused, 401)
    assert refused.headers["www-authenticate"].startswith("Bearer")
    erin = closed.client("erin")
    assert erin.get("/v1/presets").status_code == 200
    assert erin.get("/v1/generations").json()["items"] == []  # not the local user's


def test_users_see_only_their_own(launch: Launch) -> None:
    api = launch()
    alice, bob = api.client("alice"), api.client("bob")
    mine = generate(alice, seed=8)
    gid = mine["generation_id"]
    batch = alice.post("/v1/batches", json={"requests": [scene()]})
    assert batch.status_code == 202, batch.text
    batch_id = batch.json()["batch_id"]
    theirs = generate(bob, seed=9)

    light = {"lighting_setup": {"key": {"azimuth": 10, "intensity": 0.5}}}
    fake = "f" * len(gid)

    def asks(target: str, batch: str) -> list[httpx.Response]:
        return [
            bob.get(f"/v1/generations/{target}"),
            bob.get(f"/v1/generations/{target}/image"),
            bob.post(f"/v1/generations/{target}/refine", json=light),
            bob.delete(f"/v1/generations/{target}"),
            bob.get(f"/v1/batches/{batch}"),
        ]

    for refused, absent in zip(asks(gid, batch_id), asks(fake, fake), strict=True):
        # the same answer as for an id that does not exist: nothing to probe
        detail = problem(refused, 404)["detail"]
        assert detail.replace(gid, fake).replace(batch_id, fake) == problem(absent, 404)["detail"]
    assert alice.get(f"/v1/generations/{gid}").status_code == 200  # bob's delete did nothing
    assert [i["generation_id"] for i in bob.get("/v1/generations").json()["items"]] == [
        theirs["generation_id"]
    ]
    alices = [i["generation_id"] for i in alice.get("/v1/generations").json()["items"]]
    assert gid in alices
    assert theirs["generation_id"] not in alices
    assert bob.get("/v1/generations", params={"batch_id": batch_id}).json()["items"] == []
    assert poll(alice, f"/v1/batches/{batch_id}", lambda b: b["done"] == 1)["total"] == 1


def test_a_shared_image_outlives_one_owner_deleting(launch: Launch) -> None:
    api = launch()
    alice, bob = api.client("alice"), api.client("bob")
    first = generate(alice, seed=31)
    second = generate(bob, seed=31)  # the same work: answered from the cache
    assert second["cached"]
    assert second["image_key"] == first["image_key"]
    assert alice.delete(f"/v1/generations/{first['generation_id']}").status_code == 204
    image = bob.get(second["image_url"])
    assert image.status_code == 200
    assert image.content.startswith(PNG_MAGIC)
    assert bob.delete(f"/v1/generations/{second['generation_id']}").status_code == 204
    again = generate(alice, seed=31)  # image and cache entry gone: made afresh
    assert not again["cached"]
    assert alice.get(again["image_url"]).content.startswith(PNG_MAGIC)


def test_deleting_never_leaves_a_cached_result_without_its_image(launch: Launch) -> None:
    client = launch().client()
    # the preview renders the light, not the words: two prompts, one image (stored once)
    cat = generate(client, seed=5, request=scene(subject_description="a cat on a stool"))
    dog = generate(client, seed=5, request=scene(subject_description="a dog on a stool"))
    assert not dog["cached"]
    assert dog["image_key"] == cat["image_key"]
    assert client.delete(f"/v1/generations/{cat['generation_id']}").status_code == 204
    assert client.get(dog["image_url"]).status_code == 200  # still used: kept
    assert client.delete(f"/v1/generations/{dog['generation_id']}").status_code == 204
    # the image has gone with its last record; the cat's work must not come back without it
    again = generate(client, seed=5, request=scene(subject_description="a cat on a stool"))
    image = client.get(again["image_url"])
    assert image.status_code == 200, image.text
    assert image.content.startswith(PNG_MAGIC)


# ----------------------------------------------------------------------------------- limits


def test_rate_limit_per_user(launch: Launch) -> None:
    api = launch(api_requests_per_minute=60, api_burst=3)
    alice = api.client("alice")
    for _ in range(3):
        assert alice.get("/v1/presets/loop").status_code == 200
    limited = alice.get("/v1/presets/loop")
    body = problem(limited, 429)
    assert body["type"].endswith("/rate-limited")
    retry_after = limited.headers["retry-after"]
    assert retry_after.isdigit()
    assert int(retry_after) >= 1
    assert limited.headers["ratelimit-policy"] == '"per-user";q=60;w=60;burst=3'
    assert limited.headers["ratelimit"] == f'"per-user";r=0;t={retry_after}'
    assert f"try again in {retry_after} s" in body["detail"]
    assert api.client("bob").get("/v1/presets/loop").status_code == 200
    # operations endpoints are not the user's budget
    assert alice.get("/healthz").status_code == 200
    # Retry-After is honest: after it, the next request goes through
    time.sleep(int(retry_after))
    assert alice.get("/v1/presets/loop").status_code == 200


def test_previews_have_a_budget_of_their_own(launch: Launch) -> None:
    """A studio drag asks for 10–20 previews a second: they come from a budget of their own,
    so they neither run out the user's general budget nor are stopped by it."""
    api = launch(
        api_requests_per_minute=60, api_burst=2, api_previews_per_minute=60, api_preview_burst=4
    )
    alice = api.client("alice")
    scene = {"key": {"azimuth": -40, "elevation": 30, "intensity": 0.8}}
    for _ in range(2):
        assert alice.get("/v1/presets/loop").status_code == 200
    assert alice.get("/v1/presets/loop").status_code == 429  # the general budget is spent
    for _ in range(4):
        answer = alice.post("/v1/preview", params={"size": 64}, json=scene)
        assert answer.status_code == 200, answer.text
    limited = alice.post("/v1/preview", params={"size": 64}, json=scene)
    body = problem(limited, 429)
    assert "previews a minute" in body["detail"]
    assert limited.headers["ratelimit-policy"] == '"previews";q=60;w=60;burst=4'
    assert api.client("bob").post("/v1/preview", params={"size": 64}, json=scene).status_code == 200


# ----------------------------------------------------------------------------------- operations


class FailingStorage(LocalImageStorage):
    """A local folder whose probe and reads fail (a broken disk, say)."""

    async def health(self) -> str:
        raise OSError("the disk under /srv/secret-mount is read-only")

    async def get(self, key: str) -> bytes:
        raise RuntimeError("read failed at /srv/secret-mount/images")


def test_health_and_readiness(launch: Launch, tmp_path: Path) -> None:
    api = launch(users=())
    anyone = api.client(None)
    alive = anyone.get("/healthz")
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok"}
    ready = anyone.get("/readyz")
    assert ready.status_code == 200, ready.text
    report = ready.json()
    assert report["status"] == "healthy"
    assert set(report["checks"]) == {
        "fibo_api",
        "image_storage",
        "llm_service",
        "result_cache",
        "metadata_store",
        "job_queue",
    }
    assert all(check["status"] == "healthy" for check in report["checks"].values())

    broken_dir = tmp_path / "broken"
    settings = Settings(data_dir=broken_dir, preview_size=PREVIEW_SIZE)
    service = LightingGenerationService(settings, storage=FailingStorage(broken_dir / "images"))
    broken = launch(service=service, users=("alice",))
    unready = broken.client(None).get("/readyz")
    assert unready.status_code == 503, unready.text
    report = unready.json()
    assert report["status"] == "unhealthy"
    assert report["checks"]["image_storage"]["status"] == "unhealthy"
    assert report["checks"]["metadata_store"]["status"] == "healthy"
    assert broken.client(None).get("/healthz").status_code == 200  # alive all the same

    # an unexpected failure is a 500 problem that says nothing of its cause
    client = broken.client("alice")
    record = generate(client, seed=1)
    failed = problem(client.get(record["image_url"]), 500)
    assert failed["type"].endswith("/internal")
    assert "secret" not in failed["detail"]
    assert "RuntimeError" not in failed["detail"]
    assert "request id" in failed["detail"]


def test_metrics_count_requests_and_generations(launch: Launch) -> None:
    api = launch()
    client = api.client()
    before = client.get("/metrics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/plain")
    template = "/v1/generations/{generation_id}"
    start = {
        "got": metric(
            before.text, "lightrig_http_requests_total", method="GET", route=template, status="200"
        ),
        "made": metric(
            before.text, "lightrig_generations_total", backend="preview", status="success"
        ),
    }
    record = generate(client, seed=41)
    gid = record["generation_id"]
    assert client.get(f"/v1/generations/{gid}").status_code == 200
    assert client.get(f"/v1/generations/{gid}").status_code == 200
    assert client.get("/v1/generations/nope").status_code == 404
    assert generate(client, seed=41)["cached"]
    client.get("/no/such/route")

    text = client.get("/metrics").text
    requests = "lightrig_http_requests_total"
    got = metric(text, requests, method="GET", route=template, status="200")
    assert got - start["got"] == 2
    assert metric(text, requests, method="GET", route=template, status="404") == 1
    assert metric(text, requests, method="POST", route="/v1/generations", status="201") == 2
    assert metric(text, requests, method="GET", route="unmatched", status="404") == 1
    assert gid not in text  # labels are route templates, never ids
    made = metric(text, "lightrig_generations_total", backend="preview", status="success")
    assert made - start["made"] == 2
    assert metric(text, "lightrig_result_cache_total", result="hit") == 1
    assert metric(text, "lightrig_result_cache_total", result="miss") == 1
    assert metric(text, "lightrig_http_request_duration_seconds_count", route=template) == 3
    assert "lightrig_job_queue_depth" in text


# ----------------------------------------------------------------------------------- secrets


class Lines(logging.Handler):
    """Every record of the server's threads, formatted as the server logs it (JSON)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.threadName != "MainThread":  # not the test's own client
            self.lines.append(self.format(record))


@pytest.fixture
def server_logs() -> Iterator[Lines]:
    handler = Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_logs_are_json_and_never_hold_a_key(
    launch: Launch, bria: MockBriaServer, server_logs: Lines
) -> None:
    api = launch(**bria_settings(bria))
    alice = api.client("alice")
    key = api.keys["alice"]
    made = alice.post("/v1/generations", json={"request": scene(), "seed": 3})
    assert made.status_code == 202
    alice_id = made.json()["user_id"]
    poll(alice, made.headers["location"], finished)
    alice.get("/v1/presets/nope")
    alice.post("/v1/generations", json={"request": scene(intensity=3)})
    wrong_key = "lr_" + "Z" * 43
    api.client(key=wrong_key).get("/v1/presets")
    api.client(None).get("/v1/presets", headers={"X-Request-ID": "trace-me-1"})
    api.client("bob").get("/v1/presets", headers={"Authorization": f"Basic {key}"})

    assert server_logs.lines
    entries = [json.loads(line) for line in server_logs.lines]  # every line is JSON
    for line in server_logs.lines:
        assert key not in line
        assert wrong_key not in line
        assert api.keys["bob"] not in line
        assert BRIA_TOKEN not in line
    access = [e for e in entries if e["logger"] == "lightrig.api" and "route" in e]
    assert {"method", "route", "status", "ms", "request_id"} <= set(access[0])
    assert any(e.get("request_id") == "trace-me-1" and e["status"] == 401 for e in access)
    served = [e for e in access if e["route"] == "/v1/generations" and e["status"] == 202]
    assert served
    assert served[0]["user_id"] == alice_id


# ----------------------------------------------------------------------------------- serve


def test_serve_refuses_the_network_without_users(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", "serve", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "LIGHTRIG_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lightrig: error: refusing to serve on 0.0.0.0")
    assert "users create" in lines[0]
    assert "lightrig API on" not in result.stdout  # no server was started


# ------------------------------------------------------- the OpenAPI document tells the truth


def test_a_wrong_method_is_told_every_method_of_the_path(launch: Launch) -> None:
    """``Allow`` lists what the document lists for the path — every route of it, not the first
    route's alone (``GET`` and ``POST /v1/generations`` are two), nor the studio's ``GET, HEAD``
    outside ``/v1``."""
    client = launch().client()
    for method, path, allowed in (
        ("OPTIONS", "/v1/generations", "GET, POST"),
        ("PUT", "/v1/generations/abc", "GET, DELETE"),
        ("OPTIONS", "/v1/generations/natural-language", "POST"),
        ("DELETE", "/v1/presets", "GET"),
        ("POST", "/healthz", "GET"),
    ):
        answer = client.request(method, path)
        body = problem(answer, 405)
        assert answer.headers["allow"] == allowed, (method, path)
        assert body["detail"] == f"{method} is not allowed on {path}; allowed: {allowed}"


def test_a_time_is_an_rfc_3339_date_time_with_its_offset(launch: Launch) -> None:
    """``before`` is ``format: date-time``: a bare number (seconds since 1970, to Pydantic), a
    date, or a time without its offset from UTC is refused, naming the parameter."""
    client = launch().client()
    for given in ("0.5", "1700000000", "2026-01-31", "2026-01-31T18:00:00", "2026-01-31 18:00Z"):
        body = problem(client.get("/v1/generations", params={"before": given}), 422)
        assert field_locs(body) == ["query.before"], given
        assert "RFC 3339" in body["detail"]
    for given in ("2026-01-31T18:00:00Z", "2026-01-31t18:00:00.5+01:00"):
        assert client.get("/v1/generations", params={"before": given}).status_code == 200


def test_numbers_and_switches_are_json_s_own(launch: Launch) -> None:
    """The schema says number and boolean: a string or a truth value where a number goes, or a
    number where a switch goes, is refused (Pydantic alone would read ``"0.5"``, ``true`` and
    ``1``), each named; a whole float still fills an integer."""
    client = launch().client()
    light = {"azimuth": "30", "intensity": True, "enabled": 1}
    body = problem(client.post("/v1/analyze", json={"lighting_setup": {"key": light}}), 422)
    assert set(field_locs(body)) == {
        f"body.lighting_setup.key.{name}" for name in ("azimuth", "intensity", "enabled")
    }
    yaw = problem(client.post("/v1/analyze", json=scene(subject_yaw=False)), 422)
    assert field_locs(yaw) == ["body.subject_yaw"]
    aperture = {"camera_settings": {"aperture": True}}
    assert field_locs(problem(client.post("/v1/prompt", json=scene(**aperture)), 422)) == [
        "body.camera_settings.aperture"
    ]
    seeded = client.post("/v1/generations", json={"request": scene(), "seed": True})
    assert field_locs(problem(seeded, 422)) == ["body.seed"]
    whole = client.post("/v1/generations", json={"request": scene(), "seed": 7.0})
    assert whole.status_code == 201, whole.text
    assert whole.json()["seed"] == 7


def test_a_lens_given_by_its_widest_or_narrowest_view_stays_readable(launch: Launch) -> None:
    """The field of view's ends are not exactly the focal lengths' (2.5° is an 825 mm lens):
    the derived value is kept within its own range, so the stored record validates again."""
    client = launch().client()
    for camera, focal, fov in (({"fov": 2.5}, 800.0, 2.5), ({"focal_length": 8}, 8.0, 132.0)):
        made = generate(client, 3, request=scene(camera_settings=camera))
        read = client.get(f"/v1/generations/{made['generation_id']}")
        assert read.status_code == 200, read.text
        settings = read.json()["request"]["camera_settings"]
        assert (settings["focal_length"], settings["fov"]) == pytest.approx((focal, fov))


def test_the_document_declares_the_key_the_links_and_the_headers(launch: Launch) -> None:
    """What the server does that FastAPI cannot know: the API key (every operation but health,
    metrics and conventions needs it), the headers answers carry, and the links from a new
    generation or batch to what can be done with it."""
    client = launch().client()
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["apiKey"]["description"],
    }
    # a share link opens its setup without a key (and grants nothing else)
    open_paths = {"/healthz", "/readyz", "/metrics", "/v1/conventions", "/v1/shared/{token}"}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert ("security" in operation) is (path not in open_paths), path
            for status, answer in operation["responses"].items():
                assert answer["headers"]["X-Request-ID"] == {
                    "$ref": "#/components/headers/X-Request-ID"
                }
                if status == "401":
                    assert answer["headers"]["WWW-Authenticate"]["required"] is True
    create = document["paths"]["/v1/generations"]["post"]["responses"]
    assert create["201"]["headers"]["Location"]["required"] is True
    assert set(create["201"]["links"]) == {
        "GetGeneration",
        "GetImage",
        "RefineGeneration",
        "VerifyGeneration",
        "DeleteGeneration",
    }
    assert set(create["202"]["links"]) == {"GetGeneration"}
    operation_ids = {
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for answer in operation["responses"].values():
                for found in answer.get("links", {}).values():
                    assert found["operationId"] in operation_ids, path
    batch = document["paths"]["/v1/batches"]["post"]["responses"]["202"]
    assert set(batch["links"]) == {"GetBatch", "ListBatchGenerations"}


def test_the_request_schema_names_what_the_validators_check(launch: Launch) -> None:
    """The request schema's constraints beyond the types, each with the server agreeing: a
    light but the ambient needs a direction or an azimuth, at least one light is on, the
    backdrop is #rrggbb, the words are not blank, the aspect ratio and preset are among the
    known ones; the response schema has every pair that must agree resolved."""
    import jsonschema_rs

    client = launch().client()
    document = client.get("/openapi.json").json()

    def valid(name: str, value: Any) -> bool:
        schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        return bool(jsonschema_rs.validator_for(schema).is_valid(value))

    placed = {"key": {"intensity": 0.8, "direction": "45 degrees camera-right"}}
    unplaced = {"key": {"intensity": 1}}
    ambient = {"ambient": {"intensity": 1}}
    scenes = "SceneRequest-Input"
    cases: list[tuple[str, str, dict[str, Any], bool]] = [
        (scenes, "/v1/analyze", {"lighting_setup": placed}, True),
        (scenes, "/v1/analyze", {"lighting_setup": unplaced}, False),
        (scenes, "/v1/analyze", {"lighting_setup": ambient}, True),
        (scenes, "/v1/analyze", scene(intensity=0.0), False),
        (scenes, "/v1/analyze", scene(backdrop_color="#12345g"), False),
        (scenes, "/v1/analyze", scene(backdrop_color="#12345a"), True),
        (scenes, "/v1/analyze", scene(subject_description="  "), False),
        ("GenerationCreate", "/v1/generations", {"request": scene(), "aspect_ratio": "7:3"}, False),
        ("TranslateRequest", "/v1/translate", {"text": " \n "}, False),
    ]
    for name, path, body, expected in cases:
        assert valid(name, body) is expected, body
        answer = client.post(path, json=body)
        assert (answer.status_code < 400) is expected, (body, answer.text)
    preset_named = {"image": "iVBORw0KGgo=", "preset": "no-such-preset"}
    assert not valid("VerifyRequest", preset_named)
    assert field_locs(problem(client.post("/v1/verify", json=preset_named), 422)) == ["body.preset"]
    loop = client.get("/v1/presets/loop").json()["request"]
    assert valid("SceneRequest-Output", loop)
    assert client.post("/v1/analyze", json=loop).status_code == 200  # the round trip


def test_lights_at_the_ends_of_a_float_are_analysed(launch: Launch) -> None:
    """Intensities as small as a float holds (5e-324 of full power) beside ordinary ones: the
    key-to-fill ratio that would be infinite is null (JSON has no infinity), and the stops
    between two levels whose quotient underflows to 0 are a clamped number, not log2(0)."""
    client = launch().client()
    fill = {
        "key": {"azimuth": 30.0, "intensity": 0.5, "distance": 0.1},
        "fill": {"azimuth": 30.0, "intensity": 5e-324, "distance": 0.1},
    }
    ratio = client.post("/v1/analyze", json={"lighting_setup": fill})
    assert ratio.status_code == 200, ratio.text
    assert ratio.json()["ratio"]["intensity_ratio"] is None
    rim = {"rim": {"azimuth": 170.0, "intensity": 0.5, "distance": 0.1}}
    faint = {"lighting_setup": {**rim, "ambient": {"intensity": 5e-324}}}
    stops = client.post("/v1/analyze", json=faint)
    assert stops.status_code == 200, stops.text
    assert -10.0 <= stops.json()["backdrop_stops"] <= 10.0
    batch = client.post("/v1/batches", json={"requests": [{"lighting_setup": fill}, faint]})
    assert batch.status_code == 202, batch.text


def test_a_model_is_asked_for_per_request_and_refused_where_it_is_not_served(
    launch: Launch,
) -> None:
    api = launch(bria_api_token=SecretStr("never-sent"), fal_key=SecretStr("never-sent"))
    client = api.client()
    made = client.post("/v1/generations", json={"request": preset("loop"), "model": "fibo-lite"})
    assert made.status_code == 201, made.text
    assert made.json()["backend"] == "preview"  # the preview made it, whatever the model
    assert made.json()["params"]["model"] == "fibo-lite"
    refused = [
        client.post(
            "/v1/generations",
            json={"request": preset("loop"), "backend": "bria", "model": "fibo-1.5"},
        ),
        client.post("/v1/generations", json={"request": preset("loop"), "model": "fibo-9"}),
        client.post(
            "/v1/batches",
            json={"requests": [preset("loop")], "backend": "bria", "model": "fibo-1.5"},
        ),
        client.post(
            "/v1/generations/natural-language",
            json={"text": "rembrandt", "backend": "bria", "model": "fibo-1.5"},
        ),
        client.post(
            "/v1/relights",
            json={"image": "aGVsbG8=", "preset": "loop", "backend": "fal", "model": "fibo-lite"},
        ),
    ]
    for answer in refused:
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert [e["loc"] for e in problem["errors"]] == ["body.model"], problem
    assert "bria serves: fibo, fibo-lite" in refused[0].json()["errors"][0]["message"]
    assert "fal edits photographs with: fibo, fibo-1.5" in refused[4].text
    backends = {b["name"]: b for b in client.get("/v1/backends").json()["backends"]}
    priced = {
        name: {m["name"]: m["price_usd"] for m in found["models"]}
        for name, found in backends.items()
    }
    assert priced["fal"] == {"fibo": 0.04, "fibo-1.5": 0.04, "fibo-lite": 0.036}
    assert priced["bria"] == {"fibo": 0.03, "fibo-lite": 0.03}
    assert priced["preview"] == {"fibo": 0.0, "fibo-1.5": 0.0, "fibo-lite": 0.0}
    assert [m["name"] for m in backends["fal"]["models"] if m["edits"]] == ["fibo", "fibo-1.5"]
    assert [m["name"] for m in backends["fal"]["models"] if m["default"]] == ["fibo"]
