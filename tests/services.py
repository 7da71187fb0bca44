"""The real servers the tests talk to: PostgreSQL, Redis and an S3 endpoint (moto).

PostgreSQL (127.0.0.1:5432, trust auth, database ``test``) and Redis (127.0.0.1:6379) run on the
development and CI machines; ``.ci/run`` starts them when they are down. In CI (``CI`` set) a
missing server fails the test; elsewhere the test is skipped with the reason.

Each test gets its own PostgreSQL schema and its own Redis key prefix, so test runs on one
machine (a developer's and CI's, say) never see each other's data.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

__all__ = [
    "POSTGRES_URL",
    "REDIS_URL",
    "postgres_schema",
    "redis_prefix",
    "require_postgres",
    "require_redis",
    "s3_server",
]

POSTGRES_URL = os.environ.get(
    "LIGHTRIG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("LIGHTRIG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _require(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{name} is not running on {host}:{port}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI needs it (.ci/run starts it)")
    pytest.skip(message)


def require_postgres() -> str:
    """The test PostgreSQL URL; skips (fails in CI) when the server is down."""
    _require("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


def require_redis() -> str:
    """The test Redis URL; skips (fails in CI) when the server is down."""
    _require("Redis", "127.0.0.1", 6379)
    return REDIS_URL


def postgres_schema() -> str:
    """A fresh schema name for one test (created and dropped by whoever uses it)."""
    return f"lr_test_{uuid.uuid4().hex[:12]}"


def redis_prefix() -> str:
    """A fresh key prefix for one test."""
    return f"lightrig-test:{uuid.uuid4().hex[:12]}:"


@contextmanager
def s3_server() -> Iterator[str]:
    """A moto S3 server on a free localhost port; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
