"""Jobs run as tasks in this process's event loop (the embedded default), at most
``concurrency`` at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from lightrig.errors import DependencyUnavailableError
from lightrig.jobs.base import RunJob

__all__ = ["InProcessJobQueue"]

log = logging.getLogger(__name__)


class InProcessJobQueue:
    """Background tasks under a semaphore; ``run`` is called with each generation id."""

    #: jobs waiting here die with the process (their records say ``queued``; a restart hands
    #: them to the queue again)
    durable = False

    def __init__(self, run: RunJob, *, concurrency: int = 4) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._run = run
        self._gate = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.concurrency = concurrency

    async def enqueue(self, generation_id: str) -> None:
        """Start a task that runs the generation when a slot is free."""
        if self._closed:
            raise RuntimeError("the job queue is closed")
        task = asyncio.create_task(self._one(generation_id), name=f"job:{generation_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _one(self, generation_id: str) -> None:
        async with self._gate:
            try:
                await self._run(generation_id)
            except DependencyUnavailableError as exc:  # one line: no bug to trace
                log.warning("job %s failed: %s", generation_id, exc)
            except Exception:  # the record says what failed; the queue goes on
                log.warning("job %s failed", generation_id, exc_info=True)

    async def serve(self, stop: asyncio.Event) -> None:
        """Jobs run as they are enqueued; this only waits for ``stop``."""
        await stop.wait()

    def depth(self) -> int:
        """Jobs waiting for a slot or running."""
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until every job enqueued so far has finished (for tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def health(self) -> str:
        """Always answers: it is this process."""
        return f"in-process, {self.depth()} jobs, {self.concurrency} at once"

    async def aclose(self) -> None:
        """Cancel the jobs still waiting or running."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
