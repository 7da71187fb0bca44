"""Under load the API sheds work instead of queueing it without end, and its probes keep
answering: the CPU pool refuses at once with 503 + Retry-After when full, /readyz answers from
its cache while every worker is busy, the preview backend's probe does not wait behind a render,
and the renderer is warmed at start."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from lightrig.api.app import create_app
from lightrig.api.cpu_pool import CpuPool, PoolFullError
from lightrig.api.readiness import ReadinessCache
from lightrig.backends.preview import PreviewBackend
from lightrig.config import Settings
from lightrig.errors import InvalidSettingError
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.service import HealthReport
from tests.apiserver import serve

SCENE = {"lighting_setup": {"key": {"azimuth": -40, "intensity": 0.8}}}


class GatedRenderer(PreviewRenderer):
    """The real renderer, which waits for ``gate`` before each render once ``armed`` is set;
    ``entered`` is set when a render is waiting at the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = threading.Event()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.warmed = threading.Event()

    def render(
        self,
        request: SceneRequest,
        size: int = 512,
        *,
        shadows: bool = True,
        exposure: float | None = None,
        supersample: int = 1,
        antialias: bool = False,
        coarse_backdrop: bool = False,
    ) -> PreviewImage:
        if self.armed.is_set():
            self.entered.set()
            assert self.gate.wait(30), "the test never opened the gate"
        image = super().render(
            request,
            size,
            shadows=shadows,
            exposure=exposure,
            supersample=supersample,
            antialias=antialias,
            coarse_backdrop=coarse_backdrop,
        )
        self.warmed.set()
        return image


@pytest.fixture
def gated() -> GatedRenderer:
    return GatedRenderer()


def _app(tmp_path: Path, renderer: GatedRenderer, **values: Any) -> FastAPI:
    settings = Settings(data_dir=tmp_path, preview_size=64, **values)
    app = create_app(settings, allow_anonymous=True)
    app.state.previews = PreviewBackend(renderer)
    return app


@pytest.fixture
def tiny(tmp_path: Path, gated: GatedRenderer) -> Iterator[tuple[str, GatedRenderer]]:
    """A server whose pool has one worker and no queue, its previews gated."""
    app = _app(tmp_path, gated, cpu_workers=1, cpu_queue=0)
    with serve(app) as url:
        yield url, gated


def _wait_warm(url: str) -> None:
    """Until /readyz says the server is warm (the warm-up rendered and verified a picture)."""
    deadline = time.monotonic() + 120
    while not httpx.get(f"{url}/readyz", timeout=30).json()["warm"]:
        assert time.monotonic() < deadline, "the server never became warm"
        time.sleep(0.1)


def _post_preview(url: str, results: list[httpx.Response]) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        results.append(client.post("/v1/preview?size=64", json=SCENE))


def test_a_full_pool_answers_503_with_retry_after_and_readyz_still_answers(
    tiny: tuple[str, GatedRenderer],
) -> None:
    url, renderer = tiny
    assert renderer.warmed.wait(60), "the warm-up render never ran"
    _wait_warm(url)
    renderer.armed.set()
    first: list[httpx.Response] = []
    worker = threading.Thread(target=_post_preview, args=(url, first))
    worker.start()
    try:
        assert renderer.entered.wait(30), "the first preview never reached the renderer"
        with httpx.Client(base_url=url, timeout=30) as client:
            refused = client.post("/v1/preview?size=64", json=SCENE)
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            assert int(refused.headers["Retry-After"]) >= 1
            assert "busy" in refused.json()["detail"]
            diagram = client.post("/v1/diagram", json=SCENE)  # the same pool: refused too
            assert diagram.status_code == 503, diagram.text

            start = time.monotonic()
            ready = client.get("/readyz")
            assert time.monotonic() - start < 5.0
            assert ready.status_code == 200, ready.text
            body = ready.json()
            assert body["status"] == "healthy"
            assert body["warm"] is True
            assert body["age_s"] >= 0
            assert client.get("/healthz").status_code == 200
    finally:
        renderer.gate.set()
        worker.join(60)
    assert first[0].status_code == 200, first[0].text
    assert first[0].content.startswith(b"\x89PNG")
    with httpx.Client(base_url=url, timeout=30) as client:  # the slot was given back
        assert client.post("/v1/preview?size=64", json=SCENE).status_code == 200


def test_the_openapi_document_gives_the_busy_answer(tiny: tuple[str, GatedRenderer]) -> None:
    url, _ = tiny
    document = httpx.get(f"{url}/openapi.json", timeout=30).json()
    for path in ("/v1/preview", "/v1/diagram", "/v1/verify"):
        busy = document["paths"][path]["post"]["responses"]["503"]
        assert "Retry-After" in busy["headers"], path


def test_without_a_pool_previews_wait_instead_of_being_refused(
    tmp_path: Path, gated: GatedRenderer
) -> None:
    app = _app(tmp_path, gated, cpu_workers=0)
    assert app.state.cpu_pool is None
    with serve(app) as url:
        assert gated.warmed.wait(60)
        _wait_warm(url)
        gated.armed.set()
        results: list[httpx.Response] = []
        threads = [threading.Thread(target=_post_preview, args=(url, results)) for _ in range(2)]
        for thread in threads:
            thread.start()
        assert gated.entered.wait(30)
        gated.gate.set()
        for thread in threads:
            thread.join(60)
    assert sorted(response.status_code for response in results) == [200, 200]


def test_the_pool_refuses_when_full_and_frees_the_slot_when_the_task_ends() -> None:
    async def scenario() -> None:
        pool = CpuPool(1, 1)
        gate = threading.Event()
        running = asyncio.create_task(pool.run(gate.wait, 30))
        waiting = asyncio.create_task(pool.run(lambda: "second"))
        await asyncio.sleep(0)
        assert pool.admitted == 2
        with pytest.raises(PoolFullError) as refused:
            await pool.run(lambda: "third")
        assert refused.value.retry_after_s >= 1
        assert isinstance(refused.value, RuntimeError)
        running.cancel()  # the caller gives up; the thread still runs, so the slot stays taken
        await asyncio.sleep(0.05)
        assert pool.admitted == 2
        gate.set()
        assert await waiting == "second"
        for _ in range(100):
            if pool.admitted == 0:
                break
            await asyncio.sleep(0.01)
        assert pool.admitted == 0
        pool.close()

    asyncio.run(scenario())


def test_pool_sizes_from_the_settings() -> None:
    sized = CpuPool.sized(None, None)
    assert sized is not None
    assert sized.workers >= 1
    assert sized.capacity == 5 * sized.workers
    three = CpuPool.sized(3, 0)
    assert three is not None
    assert three.capacity == 3
    assert CpuPool.sized(0, None) is None
    with pytest.raises(ValueError, match="workers: got -1"):
        CpuPool(-1, 0)
    with pytest.raises(InvalidSettingError, match="setting LIGHTRIG_CPU_WORKERS: "):
        Settings(cpu_workers=-1)
    for pool in (sized, three):
        pool.close()


def test_the_preview_probe_does_not_wait_behind_a_render(gated: GatedRenderer) -> None:
    async def scenario() -> None:
        backend = PreviewBackend(gated)
        request = SceneRequest.model_validate(SCENE)
        await backend.render_png(request, 32)  # a render has ended well
        gated.armed.set()
        rendering = asyncio.create_task(backend.render_png(request, 32))
        while not gated.entered.is_set():
            await asyncio.sleep(0.01)
        health = await asyncio.wait_for(backend.health(), 5.0)
        assert health.status == "healthy"
        assert "rendering" in health.detail
        gated.gate.set()
        await rendering

    asyncio.run(scenario())


def test_readiness_answers_from_its_cache_while_a_probe_hangs() -> None:
    async def scenario() -> None:
        calls = 0
        hang = asyncio.Event()

        async def check() -> HealthReport:
            nonlocal calls
            calls += 1
            if calls > 1:
                await hang.wait()  # every probe after the first never ends
            return HealthReport(status="healthy", checks={}, timestamp=datetime.now(UTC))

        cache = ReadinessCache(check, interval_s=0.01, stale_after_s=0.3)
        cache.start()
        await cache.current(first_wait_s=5.0)
        await asyncio.sleep(0.05)
        assert calls == 2  # the second probe is hanging
        fresh = await asyncio.wait_for(cache.current(), 1.0)
        assert fresh.status == "healthy"
        assert fresh.warm is False
        await asyncio.sleep(0.35)
        stale = await asyncio.wait_for(cache.current(), 1.0)
        assert stale.status == "unhealthy"  # the prober is stuck: not ready
        assert stale.age_s > 0.3
        await cache.stop()

    asyncio.run(scenario())


def test_the_first_probes_wait_for_the_first_preview_or_their_time() -> None:
    async def scenario() -> None:
        calls = 0

        async def check() -> HealthReport:
            nonlocal calls
            calls += 1
            return HealthReport(status="healthy", checks={}, timestamp=datetime.now(UTC))

        previewed = asyncio.Event()
        waiting = ReadinessCache(check, interval_s=10.0)
        waiting.start(after=previewed, at_most_s=30.0)
        await asyncio.sleep(0.1)
        assert calls == 0  # no preview yet: nothing probed
        previewed.set()
        assert (await asyncio.wait_for(waiting.current(), 1.0)).status == "healthy"
        assert calls == 1
        await waiting.stop()

        timed = ReadinessCache(check, interval_s=10.0)
        timed.start(after=asyncio.Event(), at_most_s=0.1)  # no preview comes: probed after 0.1 s
        assert (await asyncio.wait_for(timed.current(), 1.0)).status == "healthy"
        assert calls == 2
        await timed.stop()

    asyncio.run(scenario())


def test_readiness_before_the_first_probe_is_not_ready() -> None:
    async def scenario() -> None:
        async def never() -> HealthReport:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        cache = ReadinessCache(never)
        cache.start()
        report = await asyncio.wait_for(cache.current(first_wait_s=0.05), 1.0)
        assert report.status == "unhealthy"
        assert report.checks == {}
        await cache.stop()
        with pytest.raises(ValueError, match="interval_s: got 0"):
            ReadinessCache(never, interval_s=0)

    asyncio.run(scenario())
