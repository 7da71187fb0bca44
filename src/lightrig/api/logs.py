"""Structured logs: one JSON object per line, with the request id and user id of the request
being served (from context variables the middleware and the auth dependency set).

Nothing here logs headers or bodies, so API keys and other secrets never reach the logs.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from lightrig.api.openapi_objects import REQUEST_ID_PATTERN

__all__ = ["REQUEST_ID", "USER_ID", "JsonFormatter", "configure_logging", "request_id_for"]

#: The id of the request being served (echoed in the ``X-Request-ID`` header).
REQUEST_ID: ContextVar[str | None] = ContextVar("lightrig_request_id", default=None)
#: The id of the user the request is served for.
USER_ID: ContextVar[str | None] = ContextVar("lightrig_user_id", default=None)

_SANE_ID = re.compile(REQUEST_ID_PATTERN)


def request_id_for(given: str) -> str:
    """A request's id: the ``X-Request-ID`` it came with when that is a sane token, else a new
    one."""
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
#: ``extra`` fields never written: uvicorn's ``color_message`` (the message again, with ANSI
#: colour codes for a terminal).
_DROPPED = frozenset({"color_message"})


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the
    request and user ids when set, the exception when there is one, and any ``extra`` fields
    (but uvicorn's ``color_message``, the message again in ANSI colours)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id, user_id = REQUEST_ID.get(), USER_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        if user_id is not None:
            entry["user_id"] = user_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in _DROPPED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    """Send lightrig's and the server's logs to standard error as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # the middleware logs each request
