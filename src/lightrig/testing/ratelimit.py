"""The request limit a mock host enforces per endpoint, over a sliding window."""

from __future__ import annotations

import math
from collections import deque

__all__ = ["WINDOW_S", "SlidingWindow"]

#: The rate limiter's default window, in seconds.
WINDOW_S = 60.0


class SlidingWindow:
    """Admitted requests per endpoint over the last ``window_s`` seconds (not thread-safe: the
    server calls it under its lock).

    A requests-per-minute limit is enforced over a sliding minute by default; a shorter window
    enforces it as a rate (600 a minute over a 1 s window: 10 in any second), the stricter
    reading of a limit whose exact algorithm a host does not publish.
    """

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._times: dict[str, deque[float]] = {}

    def admit(self, endpoint: str, per_minute: int, now: float) -> int | None:
        """Admit a request now, or return the whole seconds (≥ 1) until the oldest request in
        the window leaves it, when the window already holds its share of ``per_minute``."""
        per_window = max(1, math.floor(per_minute * self.window_s / 60.0))
        times = self._times.setdefault(endpoint, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= per_window:
            wait = times[len(times) - per_window] + self.window_s - now
            return max(1, math.ceil(wait))
        times.append(now)
        return None

    def clear(self) -> None:
        """Forget every request."""
        self._times.clear()
