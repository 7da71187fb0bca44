"""The faults a mock host serves: queued by a test (:class:`FaultScript`) or drawn at random
from rates and a seed (:class:`RandomFaults`), so that a run with the same seed and the same
requests meets the same faults.

Transport faults strike before the request is handled: ``5xx`` (the host's error answer),
``429`` (``Retry-After: 1``), ``malformed`` (a truncated JSON body with a success status),
``drop`` (the connection closed without an answer) and ``timeout`` (the answer held back, the
request handled all the same). On a submission, the *accepted-then-fail* faults strike after
the host took the job — it exists and will be billed, but the client never hears so:
``accept_5xx`` (a 502), ``accept_drop`` and ``accept_malformed``. ``error`` makes the job fail
on the host.

Neither class is thread-safe: the server calls them under its lock.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Mapping

__all__ = [
    "ACCEPTED_FAULTS",
    "MALFORMED_BODY",
    "RANDOM_FAULTS",
    "TRANSPORT_FAULTS",
    "FaultScript",
    "RandomFaults",
]

#: Faults that strike before the host handles the request.
TRANSPORT_FAULTS: frozenset[str] = frozenset({"5xx", "429", "timeout", "malformed", "drop"})
#: Faults that strike a submission after the host accepted its job: the answer is lost.
ACCEPTED_FAULTS: frozenset[str] = frozenset({"accept_5xx", "accept_drop", "accept_malformed"})
#: The random transport faults, in the order their draws are made.
RANDOM_FAULTS: tuple[str, ...] = ("5xx", "429", "timeout", "malformed", "drop")
#: The truncated JSON body a "malformed" fault answers with.
MALFORMED_BODY = b'{"request_id": '

#: The transport faults that may instead strike after acceptance, and what they then become.
_AFTER_ACCEPTANCE = {"5xx": "accept_5xx", "drop": "accept_drop", "malformed": "accept_malformed"}


class FaultScript:
    """Faults queued per endpoint, one taken by each request, in order.

    ``allowed`` maps each scriptable endpoint to the faults it accepts.
    """

    def __init__(self, allowed: Mapping[str, frozenset[str]]) -> None:
        self.allowed = allowed
        self._queues: dict[str, deque[str]] = {name: deque() for name in allowed}

    def add(self, endpoint: str, faults: tuple[str, ...]) -> None:
        """Queue ``faults`` for ``endpoint``; :class:`ValueError` naming an unknown one."""
        allowed = self.allowed.get(endpoint)
        if allowed is None:
            raise ValueError(
                f"unknown endpoint {endpoint!r}; scriptable: {', '.join(self.allowed)}"
            )
        for fault in faults:
            if fault not in allowed:
                raise ValueError(
                    f"unknown fault {fault!r} for {endpoint!r}; "
                    f"use one of {', '.join(sorted(allowed))}"
                )
        self._queues[endpoint].extend(faults)

    def take(self, endpoint: str) -> str | None:
        """The next queued fault for ``endpoint``, if any."""
        queue = self._queues.get(endpoint)
        return queue.popleft() if queue else None

    def pending(self, endpoint: str) -> list[str]:
        """The faults still queued for ``endpoint``."""
        return list(self._queues.get(endpoint, ()))

    def clear(self) -> None:
        """Drop every queued fault."""
        for queue in self._queues.values():
            queue.clear()


class RandomFaults:
    """Faults drawn from ``random.Random(seed)``.

    Every request draws once per transport fault in :data:`RANDOM_FAULTS` order (the first hit
    wins) and once more for acceptance, always all of them, so the sequence of faults depends
    only on the number of requests. On a submission, a ``5xx``, ``drop`` or ``malformed`` fault
    strikes after the host accepted the job with chance ``accept_then_fail``. Whether a job
    fails on the host (:meth:`chance`) is drawn from a second generator, so that accepting more
    or fewer jobs does not move the faults.
    """

    def __init__(self, seed: int = 0) -> None:
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """Restart the draws from ``seed``."""
        self.seed = seed
        self._random = random.Random(seed)
        self._jobs = random.Random(f"jobs:{seed}")

    def draw(
        self, rates: Mapping[str, float], accept_then_fail: float, *, submission: bool
    ) -> str | None:
        """The fault for one request (``rates``: chance 0–1 of each transport fault)."""
        hits = [fault for fault in RANDOM_FAULTS if self._random.random() < rates.get(fault, 0.0)]
        after = self._random.random() < accept_then_fail
        if not hits:
            return None
        fault = hits[0]
        if submission and after and fault in _AFTER_ACCEPTANCE:
            return _AFTER_ACCEPTANCE[fault]
        return fault

    def chance(self, rate: float) -> bool:
        """One draw for a job that hits with chance ``rate`` (0–1)."""
        return self._jobs.random() < rate
