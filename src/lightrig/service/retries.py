"""Failures and retries: what a record says of a failure, whether running the job again later
may succeed, and how long a job waits between its attempts (seconds)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lightrig.errors import FIBOGenerationError, LightingGenerationError

__all__ = ["JobRetry", "failure_text", "is_retryable", "log_failure"]


def failure_text(exc: BaseException) -> str:
    """What a record says of a failure: lightrig's own message, else the kind and message."""
    if isinstance(exc, LightingGenerationError):
        return str(exc)
    return f"generation failed: {type(exc).__name__}: {exc}"


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Log an unexpected failure of ``what`` (``generation <id>``): a dependency that failed (a
    connection refused, a timeout, storage that could not be written: an :class:`OSError`) is
    one line at error level, its traceback at debug level only; anything else is a bug, logged
    with its traceback."""
    if isinstance(exc, OSError):
        log.error("%s failed: %s", what, failure_text(exc))
        log.debug("%s failed", what, exc_info=exc)
    else:
        log.error("%s failed unexpectedly", what, exc_info=exc)


def is_retryable(exc: BaseException) -> bool:
    """Whether running the job again later may succeed: the host said so (a 429, a 5xx, a
    timeout), or a connection to storage or the host failed."""
    if isinstance(exc, FIBOGenerationError):
        return exc.retryable
    return isinstance(exc, ConnectionError | TimeoutError)


@dataclass(frozen=True)
class JobRetry:
    """How a background job is retried: ``max_attempts`` runs in all, the second after
    ``delay_s`` seconds, each further one after twice the wait before it."""

    max_attempts: int
    delay_s: float

    def delay_after(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th run failed."""
        return self.delay_s * 2.0 ** max(0, attempts - 1)
