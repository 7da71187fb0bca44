"""Readiness answered from a cache: the service's probes run in the background, on an interval,
and ``/readyz`` reads the last result — it never waits behind the work it reports on.

The first probes wait for the server's first preview (or a few seconds, :meth:`start`): a server
just started spends its first second on the studio's first picture, not on probing itself; a
``/readyz`` asked meanwhile waits for them.

A report older than ``stale_after_s`` means the prober itself is stuck: the instance is then
not ready. Until the server is warm (the renderer's kernels compiled or loaded, the verifier's
models loaded) the report says ``warm: false``; that still counts as ready — a preview asked
for meanwhile waits for the compile, it does not fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from pydantic import ConfigDict, Field

from lightrig.service import HealthReport

__all__ = ["Readiness", "ReadinessCache"]

_LOG = logging.getLogger(__name__)


class Readiness(HealthReport):
    """The last probe of every dependency, how old it is, and whether the renderer is warm."""

    model_config = ConfigDict(frozen=True)

    age_s: float = Field(description="Seconds since the probes ran (0 or more).")
    warm: bool = Field(
        description="The renderer's kernels are compiled and the verifier's models loaded."
    )


class ReadinessCache:
    """Runs ``check`` every ``interval_s`` seconds (> 0) in a task of its own and keeps the
    last report; :meth:`current` is what ``/readyz`` answers."""

    def __init__(
        self,
        check: Callable[[], Awaitable[HealthReport]],
        *,
        interval_s: float = 2.0,
        stale_after_s: float = 30.0,
    ) -> None:
        if interval_s <= 0:
            raise ValueError(f"interval_s: got {interval_s}; accepted: more than 0")
        self._check = check
        self.interval_s = interval_s
        self.stale_after_s = stale_after_s
        self._report: HealthReport | None = None
        self._at = 0.0
        self._task: asyncio.Task[None] | None = None
        self._first = asyncio.Event()
        self.warm = asyncio.Event()

    async def _probe_once(self) -> None:
        try:
            report = await self._check()
        except Exception:  # a failing prober is reported as stale, not raised into the loop
            _LOG.exception("readiness probes failed")
            return
        self._report, self._at = report, time.monotonic()
        self._first.set()

    async def _loop(self, after: asyncio.Event | None, at_most_s: float) -> None:
        if after is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(after.wait(), at_most_s)
        while True:
            await self._probe_once()
            await asyncio.sleep(self.interval_s)

    def start(self, *, after: asyncio.Event | None = None, at_most_s: float = 0.0) -> None:
        """Start probing in the background: once ``after`` is set, or ``at_most_s`` seconds
        from now, whichever is sooner (at once without ``after``)."""
        if self._task is None:
            self._task = asyncio.create_task(
                self._loop(after, at_most_s), name="lightrig:readiness"
            )

    async def stop(self) -> None:
        """Stop probing."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def current(self, *, first_wait_s: float = 10.0) -> Readiness:
        """The last report with its age; before the first probe has finished, wait for it up to
        ``first_wait_s`` seconds, then answer ``unhealthy`` (not probed yet)."""
        if self._report is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._first.wait(), first_wait_s)
        warm = self.warm.is_set()
        report = self._report
        if report is None:
            return Readiness(
                status="unhealthy", checks={}, timestamp=datetime.now(UTC), age_s=0.0, warm=warm
            )
        age = time.monotonic() - self._at
        status = "unhealthy" if age > self.stale_after_s else report.status
        return Readiness(
            status=status,
            checks=report.checks,
            timestamp=report.timestamp,
            age_s=round(age, 3),
            warm=warm,
        )
