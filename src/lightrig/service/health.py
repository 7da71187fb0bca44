"""Health: every dependency probed for real — the image backend, the image store, the
translator, the result cache, the metadata store and the job queue — each within
:data:`PROBE_TIMEOUT_S`, with its latency (milliseconds) and what it found; nothing is assumed
healthy."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import uuid4

from pydantic import BaseModel, ConfigDict

from lightrig.backends.base import BackendHealth
from lightrig.service.adapters import Adapters

__all__ = ["PROBE_TIMEOUT_S", "CheckResult", "Health", "HealthReport", "Status"]

#: How long a health probe may take before it counts as failed, in seconds.
PROBE_TIMEOUT_S = 15.0

Status = Literal["healthy", "degraded", "unhealthy"]


class CheckResult(BaseModel):
    """One dependency's probe: status, latency in milliseconds, what it found."""

    model_config = ConfigDict(frozen=True)

    status: Status
    latency_ms: float
    detail: str


class HealthReport(BaseModel):
    """Every dependency probed for real, and the worst status among them."""

    model_config = ConfigDict(frozen=True)

    status: Status
    checks: dict[str, CheckResult]
    timestamp: datetime


async def probe(check: Callable[[], Awaitable[Any]]) -> CheckResult:
    """Run one probe: a :class:`BackendHealth` it returns is taken as it is, anything else
    it returns is healthy (its text the detail); a failure or no answer within
    :data:`PROBE_TIMEOUT_S` is unhealthy, saying why."""
    start = time.perf_counter()
    try:
        found = await asyncio.wait_for(check(), PROBE_TIMEOUT_S)
    except TimeoutError:
        return CheckResult(
            status="unhealthy",
            latency_ms=(time.perf_counter() - start) * 1000,
            detail=f"no answer within {PROBE_TIMEOUT_S:g} s",
        )
    except Exception as exc:  # a probe reports any failure rather than raising it
        return CheckResult(
            status="unhealthy",
            latency_ms=(time.perf_counter() - start) * 1000,
            detail=f"{type(exc).__name__}: {exc}",
        )
    elapsed = (time.perf_counter() - start) * 1000
    if isinstance(found, BackendHealth):
        return CheckResult(status=found.status, latency_ms=found.latency_ms, detail=found.detail)
    return CheckResult(status="healthy", latency_ms=elapsed, detail=str(found))


class Health:
    """Probes a service's parts."""

    def __init__(self, parts: Adapters) -> None:
        self.parts = parts

    async def _backend(self) -> BackendHealth:
        return await self.parts.backend().health()

    async def _translator(self) -> str:
        # made here, so that a translator that cannot be made shows as unhealthy
        return await self.parts.translator.health()

    async def _cache(self) -> str:
        cache = self.parts.cache
        key = f"health:{uuid4().hex}"
        await cache.set(key, b"probe", 30.0)
        if await cache.get(key) != b"probe":
            raise RuntimeError("the cache did not give back what was stored")
        await cache.delete(key)
        return type(cache).__name__

    async def check(self) -> HealthReport:
        """Probe every dependency at once; the report, its status the worst found."""
        parts = self.parts
        probes: dict[str, Callable[[], Awaitable[Any]]] = {
            "fibo_api": self._backend,
            "image_storage": parts.storage.health,
            "llm_service": self._translator,
            "result_cache": self._cache,
            "metadata_store": parts.store.health,
            "job_queue": parts.jobs.health,
        }
        found = await asyncio.gather(*(probe(check) for check in probes.values()))
        checks = dict(zip(probes, found, strict=True))
        statuses = {check.status for check in checks.values()}
        overall: Status = (
            "unhealthy"
            if "unhealthy" in statuses
            else "degraded"
            if "degraded" in statuses
            else "healthy"
        )
        return HealthReport(status=overall, checks=checks, timestamp=datetime.now(UTC))
