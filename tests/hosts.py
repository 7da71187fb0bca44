"""The mock image hosts as the hosted backends' tests use them: each host's mock server, the
settings (and the environment) that point a backend at it, and the names of its endpoints."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from lightrig.backends.bria import BriaBackend
from lightrig.backends.fal import FalBackend
from lightrig.backends.hosted import HostedBackend
from lightrig.config import Settings
from lightrig.limits.memory import MemoryRateLimiter
from lightrig.testing.image_host import HostOptions, ImageHostServer
from lightrig.testing.mock_bria import MockBriaServer
from lightrig.testing.mock_fal import MockFalServer

HOSTS = ("bria", "fal")


def run_on(backend: Any, call: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run ``call(backend)`` in a fresh event loop, closing the backend after."""

    async def run() -> Any:
        try:
            return await call(backend)
        finally:
            await backend.aclose()

    return asyncio.run(run())


@dataclass
class Host:
    """A mock host and how a backend reaches it.

    ``submit`` / ``status``: the mock's names for its submission and status endpoints.
    """

    name: str
    server: ImageHostServer
    submit: str
    status: str

    def environment(self) -> dict[str, str]:
        """``LIGHTRIG_*`` variables that point the backend at the mock, polling quickly."""
        prefix = f"LIGHTRIG_{self.name.upper()}"
        if self.name == "bria":
            where = {f"{prefix}_BASE_URL": f"{self.server.url}/v2", f"{prefix}_API_TOKEN": TOKEN}
        else:
            where = {f"{prefix}_BASE_URL": self.server.url, f"{prefix}_KEY": KEY}
        return {
            "LIGHTRIG_BACKEND": self.name,
            **where,
            f"{prefix}_POLL_INITIAL_S": "0.05",
            f"{prefix}_POLL_MAX_S": "0.2",
            f"{prefix}_REQUESTS_PER_MINUTE": "6000",
            "LIGHTRIG_REQUEST_TIMEOUT_S": "1.0",
            "LIGHTRIG_TOTAL_TIMEOUT_S": "10.0",
            "LIGHTRIG_RETRY_INITIAL_S": "0.02",
            "LIGHTRIG_RETRY_MAX_S": "0.1",
        }

    def settings(self, tmp_path: Path | None = None, **values: Any) -> Settings:
        """Settings for the backend on this mock (``values`` override, by field name)."""
        fields: dict[str, Any] = settings_values(self.environment())
        if tmp_path is not None:
            fields["data_dir"] = tmp_path
        fields.update(values)
        return Settings(**fields)

    def backend(self, **values: Any) -> HostedBackend:
        """A backend on this mock with its own rate limiter."""
        kind = BriaBackend if self.name == "bria" else FalBackend
        return kind(self.settings(**values), MemoryRateLimiter())

    def resubmit(self) -> dict[str, bool]:
        """The setting that allows re-sending a submission of unknown fate, as field values."""
        return {f"{self.name}_resubmit_unknown": True}


TOKEN = "test-token"
KEY = "test-key"


def settings_values(environment: dict[str, str]) -> dict[str, Any]:
    """``LIGHTRIG_*`` variables as :class:`Settings` field values."""
    values: dict[str, Any] = {
        key.removeprefix("LIGHTRIG_").lower(): value for key, value in environment.items()
    }
    for secret in ("bria_api_token", "fal_key"):
        if secret in values:
            values[secret] = SecretStr(values[secret])
    return values


@contextmanager
def mock_host(name: str, **options: Any) -> Iterator[Host]:
    """The mock ``name`` (``bria`` or ``fal``) started with ``options``
    (:class:`~lightrig.testing.image_host.HostOptions`)."""
    chosen: HostOptions = {"latency_s": 0.15, "image_size": 48, "timeout_sleep_s": 2.0}
    chosen.update(options)  # type: ignore[typeddict-item]  # checked by the servers
    if name == "bria":
        with MockBriaServer(token=TOKEN, **chosen) as bria:
            yield Host("bria", bria, "generate", "status")
    else:
        with MockFalServer(key=KEY, **chosen) as fal:
            yield Host("fal", fal, "submit", "status")
