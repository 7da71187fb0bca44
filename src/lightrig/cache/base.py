"""The cache contract: bytes under string keys, each with a time to live."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Cache"]


@runtime_checkable
class Cache(Protocol):
    """A key-value cache of bytes with expiry."""

    async def get(self, key: str) -> bytes | None:
        """The value under ``key``, or ``None`` when absent or expired."""
        ...

    async def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        """Keep ``value`` under ``key`` for ``ttl_s`` seconds (forever when ``None``; 0 or less
        keeps nothing, and forgets what was there)."""
        ...

    async def delete(self, key: str) -> None:
        """Forget ``key``."""
        ...

    async def health(self) -> str:
        """Check the cache works (a real round trip where there is a server); return a short
        description."""
        ...

    async def aclose(self) -> None:
        """Release connections, if any."""
        ...
