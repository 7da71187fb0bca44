"""The job-queue contract: a queue carries generation ids; the job state lives in the metadata
store (a ``queued`` record), so a lost message loses no work and running one twice is harmless
(the second run finds the record claimed or finished and does nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

__all__ = ["JobQueue", "RunJob"]

#: What a queue calls for each job: run the queued generation with this id.
RunJob = Callable[[str], Awaitable[Any]]


@runtime_checkable
class JobQueue(Protocol):
    """Runs queued generations in the background."""

    durable: bool
    """True when queued messages outlive this process, so a restart need not hand waiting jobs
    to the queue again."""

    async def enqueue(self, generation_id: str) -> None:
        """Hand a queued generation to a worker."""
        ...

    def depth(self) -> int:
        """Jobs waiting or running in this process's view (for metrics)."""
        ...

    async def serve(self, stop: asyncio.Event) -> None:
        """Run jobs until ``stop`` is set. For a distributed queue this is the worker loop; the
        in-process queue runs jobs as they are enqueued and its ``serve`` just waits for
        ``stop``."""
        ...

    async def health(self) -> str:
        """Probe the queue for real; a short description."""
        ...

    async def aclose(self) -> None:
        """Stop taking jobs; cancel what still runs (its records' leases then run out and they
        are declared interrupted, to be resumed)."""
        ...
