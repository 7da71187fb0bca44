"""How one call to a large language model fails, told in a user's words: the error the
translators raise (:class:`ModelCallError`, retryable or final, with the delay the host asked
for), the readers of a host's retry delay and error message, and the redaction of the key from
what is logged or shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["ModelCallError", "error_message", "redact", "retry_delay_seconds"]


class ModelCallError(Exception):
    """One call to the model failed in transport or was refused; ``message`` says why in a
    user's words (never with the key), ``retryable`` whether the same call may succeed later,
    ``retry_after_s`` the delay the host asked for (seconds), if it did."""

    def __init__(
        self, message: str, *, retryable: bool, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after_s = retry_after_s


def retry_delay_seconds(value: object) -> float | None:
    """Seconds from a ``Retry-After`` value (``"3"``) or a Google ``retryDelay`` (``"3.5s"``);
    ``None`` when absent or unreadable."""
    if not isinstance(value, str):
        return None
    text = value.strip().removesuffix("s")
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def error_message(body: object) -> str | None:
    """The ``message`` of an error body (``{"error": {"message"}}`` or ``{"message"}``)."""
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        if isinstance(inner, Mapping):
            message = inner.get("message")
            if isinstance(message, str) and message:
                return message
    return None


def redact(message: str, secrets: Sequence[str | None]) -> str:
    """``message`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message
