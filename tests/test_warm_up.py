"""The API's start-up warm-up (api/app.py): the renderer's kernels first, then the verifier's
models and kernels — after the first preview has been served, or a few seconds of waiting for
one, so that a studio opened on a fresh server shows its picture without the verifier's
seconds-long first load in its way."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from lightrig.api import app as api_app
from lightrig.api.readiness import ReadinessCache


class _Previews:
    def warm_up(self) -> bytes:
        return b"picture"


class _Service:
    def __init__(self) -> None:
        self.verified_at: float | None = None

    async def verify_image(self, image: bytes) -> None:
        assert image == b"picture"
        self.verified_at = time.monotonic()


async def _no_report() -> Any:
    raise AssertionError("not probed in these tests")


def _warm(previewed: asyncio.Event) -> tuple[_Service, ReadinessCache, Any]:
    service = _Service()
    readiness = ReadinessCache(_no_report)
    work = api_app._warm_up(_Previews(), service, readiness, previewed)  # type: ignore[arg-type]
    return service, readiness, work


def test_the_verifier_waits_for_the_first_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_app, "_VERIFY_AFTER_S", 30.0)

    async def scenario() -> None:
        previewed = asyncio.Event()
        service, readiness, work = _warm(previewed)
        task = asyncio.create_task(work)
        await asyncio.sleep(0.3)
        assert service.verified_at is None  # no preview yet: the verifier waits
        assert not readiness.warm.is_set()
        served = time.monotonic()
        previewed.set()
        await asyncio.wait_for(task, 5)
        assert service.verified_at is not None
        assert service.verified_at - served < 0.5
        assert readiness.warm.is_set()

    asyncio.run(scenario())


def test_without_a_preview_the_verifier_warms_after_the_grace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(api_app, "_VERIFY_AFTER_S", 0.4)

    async def scenario() -> None:
        started = time.monotonic()
        service, readiness, work = _warm(asyncio.Event())
        await asyncio.wait_for(work, 5)
        assert service.verified_at is not None
        assert 0.35 <= service.verified_at - started < 3
        assert readiness.warm.is_set()

    asyncio.run(scenario())
