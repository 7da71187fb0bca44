"""A bounded pool for the API's CPU-bound work, so that the event loop never runs it.

Previews, diagrams and verify estimates run on ``workers`` threads (one per core by default).
At most ``workers + queue`` of them are admitted at once; one more is refused at once with
:class:`PoolFullError`, which the API answers as ``503`` with ``Retry-After`` — a busy instance
sheds load instead of letting requests pile up behind the renderer.

Threads are enough: the renderer's numba kernels run outside the GIL (measured: a 512 px render
stalls the event loop for at most ~25 ms), and its renders are serialised by the preview
backend's own lock, since each already uses every core.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from lightrig.api.openapi_objects import header
from lightrig.api.problems import Problem
from lightrig.errors import PoolFullError

__all__ = ["BUSY_RESPONSES", "CpuPool", "PoolFullError", "admitted"]

#: The 503 an operation whose work runs on the pool may answer, for the OpenAPI document.
BUSY_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {
        "model": Problem,
        "description": "Busy: every CPU worker is taken and the queue is full; retry later.",
        "headers": {"Retry-After": header("Seconds to wait.", {"type": "integer", "minimum": 1})},
    }
}

T = TypeVar("T")


class CpuPool:
    """``workers`` threads (≥ 1) and room for ``queue`` more waiting requests (≥ 0).

    ``typical_s``: the seconds a task usually takes, the start of the ``Retry-After`` estimate
    (then a running mean of the tasks' times).
    """

    def __init__(self, workers: int, queue: int, *, typical_s: float = 0.5) -> None:
        if workers < 1:
            raise ValueError(f"workers: got {workers}; accepted: 1 or more")
        if queue < 0:
            raise ValueError(f"queue: got {queue}; accepted: 0 or more")
        self.workers = workers
        self.capacity = workers + queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lightrig-cpu")
        self._admitted = 0
        self._mean_s = typical_s

    @classmethod
    def sized(cls, workers: int | None, queue: int | None) -> CpuPool | None:
        """The pool the settings ask for: ``workers`` unset is one per core, ``queue`` unset four
        per worker; ``workers == 0`` is no pool (``None``)."""
        count = (os.cpu_count() or 1) if workers is None else workers
        if count == 0:
            return None
        return cls(count, 4 * count if queue is None else queue)

    @property
    def admitted(self) -> int:
        """Requests running or waiting now."""
        return self._admitted

    def retry_after_s(self) -> int:
        """Seconds until a slot is likely free: the queue's length of work spread over the
        workers, at least 1."""
        return max(1, math.ceil(self._mean_s * self._admitted / self.workers))

    def _take(self) -> float:
        if self._admitted >= self.capacity:
            raise PoolFullError(self._admitted, self.retry_after_s())
        self._admitted += 1
        return time.perf_counter()

    def _give_back(self, start: float) -> None:
        self._admitted -= 1
        self._mean_s = 0.8 * self._mean_s + 0.2 * (time.perf_counter() - start)

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold a slot for the block (for CPU-bound work that runs its own threads);
        :class:`PoolFullError` at once when none is free."""
        start = self._take()
        try:
            yield
        finally:
            self._give_back(start)

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """``work(*args)`` on a worker thread; :class:`PoolFullError` at once when full. A
        caller cancelled while its task runs does not free the slot: the task's end does."""
        start = self._take()
        try:
            future = self._executor.submit(work, *args)
        except BaseException:
            self._give_back(start)
            raise
        loop = asyncio.get_running_loop()

        def finished(_: object) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self._give_back, start)

        future.add_done_callback(finished)
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop taking work; running tasks finish in their threads."""
        self._executor.shutdown(wait=False, cancel_futures=True)


async def admitted(pool: CpuPool | None, work: Callable[[], Awaitable[T]]) -> T:
    """``work()`` awaited while ``pool`` holds a slot for it (work that runs threads of its own),
    or at once when the app has no pool; :class:`PoolFullError` at once when it is full."""
    if pool is None:
        return await work()
    async with pool.admit():
        return await work()
