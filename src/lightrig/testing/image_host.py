"""What the mock image hosts (Bria, fal.ai) share: their options, and how a request that
passed authentication and the rate limit meets its fault — scripted, or drawn at random —
before, instead of, or after being handled.

The accepted-then-fail mix is explicit: ``accept_then_fail`` (0–1) is the share of the random
``5xx``, ``drop`` and ``malformed`` faults on a submission that strike *after* the host took the
job (a 502, a hang-up, a truncated answer: the job exists and is billed, the client cannot
know); scripts name them ``accept_5xx``, ``accept_drop`` and ``accept_malformed``. The ledger
counts them in :attr:`~lightrig.testing.server.MockServer.accepted_unanswered`.
"""

from __future__ import annotations

import json
import random
from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar, Literal, NotRequired, TypedDict

from lightrig.testing.checks import JSONObject
from lightrig.testing.faults import ACCEPTED_FAULTS, MALFORMED_BODY, RandomFaults
from lightrig.testing.jobs import Job
from lightrig.testing.options import Option, fraction, image_side, positive_int, seconds
from lightrig.testing.server import MockServer
from lightrig.testing.transport import Reply, Request

__all__ = ["FaultAnswer", "HostOptions", "ImageHostServer"]

#: The host's own answers a fault is made of: its 5xx, its 429, a gateway's 502 after accepting.
FaultAnswer = Literal["5xx", "429", "502"]


class HostOptions(TypedDict):
    """The options every mock image host takes (see :class:`ImageHostServer`)."""

    latency_s: NotRequired[float]
    requests_per_minute: NotRequired[int]
    rate_window_s: NotRequired[float]
    image_size: NotRequired[int]
    rate_5xx: NotRequired[float]
    rate_429: NotRequired[float]
    rate_timeout: NotRequired[float]
    rate_malformed: NotRequired[float]
    rate_drop: NotRequired[float]
    rate_error: NotRequired[float]
    accept_then_fail: NotRequired[float]
    timeout_sleep_s: NotRequired[float]
    fault_seed: NotRequired[int]
    follow_rate: NotRequired[float]


class ImageHostServer(MockServer):
    """A mock image host. Options (each also settable later as an attribute; checked, and
    guarded by the lock):

    - ``latency_s``: seconds a job takes after submission.
    - ``requests_per_minute``: requests per sliding window allowed on each API endpoint;
      ``rate_window_s``: the window, in seconds (60: a minute; 1: the same rate in any second).
    - ``image_size``: side of the served images in pixels (16–4096).
    - ``rate_5xx``, ``rate_429``, ``rate_timeout``, ``rate_malformed``, ``rate_drop``: chance
      (0–1) of each transport fault per API request, drawn from ``random.Random(fault_seed)``;
      a request gets the first whose draw hits. ``rate_error``: chance that an accepted job
      fails on the host. ``accept_then_fail``: the share of a submission's 5xx, drop and
      malformed faults that strike after its job was accepted.
    - ``timeout_sleep_s``: seconds a "timeout" fault holds the answer back.
    - ``follow_rate``: the share of seeds whose picture follows the prompt's light (0–1; 1 by
      default): each seed follows or strays (the light mirrored,
      :func:`~lightrig.testing.jobs.stray_light`) by a draw of its own from ``fault_seed``, the
      same every time it is asked for. :meth:`stray_seeds` names seeds that stray whatever the
      draw, :meth:`follow_seeds` seeds that follow.
    """

    #: The endpoint that creates jobs: where accepted-then-fail faults strike.
    SUBMIT_ENDPOINT: ClassVar[str]
    #: Other endpoints that create paid jobs (edits, relights): random accepted-then-fail
    #: faults strike them as they strike :attr:`SUBMIT_ENDPOINT`.
    JOB_ENDPOINTS: ClassVar[frozenset[str]] = frozenset()

    latency_s = Option(seconds)
    requests_per_minute = Option(positive_int)
    image_size = Option(image_side)
    rate_5xx = Option(fraction)
    rate_429 = Option(fraction)
    rate_timeout = Option(fraction)
    rate_malformed = Option(fraction)
    rate_drop = Option(fraction)
    rate_error = Option(fraction)
    accept_then_fail = Option(fraction)
    timeout_sleep_s = Option(seconds)
    follow_rate = Option(fraction)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.25,
        requests_per_minute: int = 600,
        rate_window_s: float = 60.0,
        image_size: int = 128,
        rate_5xx: float = 0.0,
        rate_429: float = 0.0,
        rate_timeout: float = 0.0,
        rate_malformed: float = 0.0,
        rate_drop: float = 0.0,
        rate_error: float = 0.0,
        accept_then_fail: float = 0.0,
        timeout_sleep_s: float = 5.0,
        fault_seed: int = 0,
        follow_rate: float = 1.0,
    ) -> None:
        super().__init__(host=host, port=port, rate_window_s=rate_window_s)
        self.latency_s = latency_s
        self.requests_per_minute = requests_per_minute
        self.image_size = image_size
        self.rate_5xx = rate_5xx
        self.rate_429 = rate_429
        self.rate_timeout = rate_timeout
        self.rate_malformed = rate_malformed
        self.rate_drop = rate_drop
        self.rate_error = rate_error
        self.accept_then_fail = accept_then_fail
        self.timeout_sleep_s = timeout_sleep_s
        self.follow_rate = follow_rate
        self._random = RandomFaults(fault_seed)
        self._strays: set[int] = set()
        self._followers: set[int] = set()

    @property
    def fault_seed(self) -> int:
        """The seed of the fault draws; setting it restarts the draws from that seed."""
        with self.lock:
            return self._random.seed

    @fault_seed.setter
    def fault_seed(self, value: int) -> None:
        with self.lock:
            self._random.reseed(value)

    # the light a seed's picture shows

    def stray_seeds(self, *seeds: int) -> None:
        """Make the pictures of ``seeds`` stray from the prompt's light (mirrored)."""
        with self.lock:
            self._strays.update(seeds)
            self._followers.difference_update(seeds)

    def follow_seeds(self, *seeds: int) -> None:
        """Make the pictures of ``seeds`` follow the prompt's light, whatever the draw."""
        with self.lock:
            self._followers.update(seeds)
            self._strays.difference_update(seeds)

    def follows(self, seed: int) -> bool:
        """Whether the picture of ``seed`` follows the prompt's light: named, else drawn
        (chance ``follow_rate``, one draw per seed and ``fault_seed``)."""
        with self.lock:
            if seed in self._strays:
                return False
            if seed in self._followers:
                return True
            rate, draws = self.follow_rate, self._random.seed
        return random.Random(f"follow:{draws}:{seed}").random() < rate

    def add_job(self, job: Job, submission: JSONObject, path: str = "") -> None:
        """Record an accepted submission (sent to ``path``) and its job, which strays unless
        its seed follows."""
        job.stray = not self.follows(job.seed)
        super().add_job(job, submission, path)

    # faults

    def random_fault(self, endpoint: str) -> str | None:
        """A fault drawn from the rates (see :class:`~lightrig.testing.faults.RandomFaults`)."""
        rates = {
            "5xx": self.rate_5xx,
            "429": self.rate_429,
            "timeout": self.rate_timeout,
            "malformed": self.rate_malformed,
            "drop": self.rate_drop,
        }
        return self._random.draw(
            rates,
            self.accept_then_fail,
            submission=endpoint == self.SUBMIT_ENDPOINT or endpoint in self.JOB_ENDPOINTS,
        )

    def draw_error(self) -> bool:
        """Whether an accepted job fails on the host (chance ``rate_error``)."""
        with self.lock:
            return self._random.chance(self.rate_error)

    @abstractmethod
    def fault_answer(self, kind: FaultAnswer, request_id: str | None) -> Reply:
        """The host's own answer for a fault: its ``5xx``, its ``429`` (``Retry-After: 1``), or
        the ``502`` a gateway gives after the job was taken (naming ``request_id``)."""

    def malformed_status(self, endpoint: str, request: Request) -> int:
        """The success status a "malformed" fault answers with on ``endpoint``."""
        return 200

    def answer(
        self, endpoint: str, request: Request, run: Callable[[bool], Reply | None]
    ) -> Reply | None:
        """Answer a request that passed authentication and the rate limit: its fault, or
        ``run(fail)`` (``fail``: an "error" fault, the job is to fail on the host)."""
        fault = self.next_fault(endpoint)
        if fault == "drop":
            return None
        if fault == "5xx":
            return self.fault_answer("5xx", None)
        if fault == "429":
            self.count_429()
            return self.fault_answer("429", None)
        if fault == "malformed":
            return Reply(self.malformed_status(endpoint, request), MALFORMED_BODY)
        reply = run(fault == "error")
        if reply is None:
            return None
        if fault in ACCEPTED_FAULTS and 200 <= reply.status < 300:
            self.count_unanswered()
            if fault == "accept_drop":
                return None
            if fault == "accept_malformed":
                return Reply(reply.status, MALFORMED_BODY)
            return self.fault_answer("502", _request_id(reply))
        if fault == "timeout" and not self.hold(self.timeout_sleep_s):
            return None  # stopping: hang up
        return reply


def _request_id(reply: Reply) -> str | None:
    try:
        body = json.loads(reply.body)
    except ValueError:
        return None
    found = body.get("request_id") if isinstance(body, dict) else None
    return str(found) if found else None
