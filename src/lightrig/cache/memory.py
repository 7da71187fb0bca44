"""An in-process cache: least recently used entries go first once it is full."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["MemoryCache"]


class MemoryCache:
    """Bytes in memory, at most ``max_entries`` of them (the embedded default)."""

    def __init__(
        self, max_entries: int = 4096, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._entries: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()
        self._max = max_entries
        self._clock = clock
        self.hits = 0
        self.misses = 0

    async def get(self, key: str) -> bytes | None:
        """The value under ``key``, or ``None``."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        value, expires = entry
        if expires is not None and expires <= self._clock():
            del self._entries[key]
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return value

    async def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        """Keep ``value`` for ``ttl_s`` seconds (forever when ``None``; a ``ttl_s`` of 0 or less
        keeps nothing)."""
        if ttl_s is not None and ttl_s <= 0:
            self._entries.pop(key, None)
            return
        expires = None if ttl_s is None else self._clock() + ttl_s
        self._entries[key] = (value, expires)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    async def delete(self, key: str) -> None:
        """Forget ``key``."""
        self._entries.pop(key, None)

    async def health(self) -> str:
        """Describe the cache: how full it is (nothing can fail in memory)."""
        return f"in-process cache, {len(self._entries)} of {self._max} entries"

    async def aclose(self) -> None:
        """Nothing to release."""
