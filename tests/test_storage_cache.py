"""Image storage and the result cache: the embedded implementations keep their contracts."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from lightrig.cache.memory import MemoryCache
from lightrig.storage.base import ImageNotFoundError, content_key
from lightrig.storage.local import LocalImageStorage

PNG = b"\x89PNG\r\n\x1a\n" + b"pretend image" * 10


def test_local_storage_round_trip_is_content_addressed(tmp_path: Path) -> None:
    storage = LocalImageStorage(tmp_path)

    async def run() -> None:
        stored = await storage.put(PNG, "image/png")
        assert stored.key == hashlib.sha256(PNG).hexdigest() + ".png"
        assert (await storage.put(PNG, "image/png")).key == stored.key
        assert await storage.get(stored.key) == PNG
        assert stored.url.startswith("file://")
        assert Path(stored.url.removeprefix("file://")).read_bytes() == PNG
        await storage.delete(stored.key)
        with pytest.raises(ImageNotFoundError):
            await storage.get(stored.key)
        await storage.delete(stored.key)  # already gone: no error
        assert "local folder" in await storage.health()

    asyncio.run(run())
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the probe cleaned up


def test_storage_refuses_keys_that_escape_its_folder(tmp_path: Path) -> None:
    storage = LocalImageStorage(tmp_path)
    for key in ("../../etc/passwd", "ab/../../x.png", "short.png"):
        with pytest.raises(ImageNotFoundError):
            asyncio.run(storage.get(key))
    with pytest.raises(ValueError, match="unsupported image type"):
        content_key(b"x", "text/plain")


def test_memory_cache_expires_and_evicts() -> None:
    now = [0.0]
    cache = MemoryCache(max_entries=2, clock=lambda: now[0])

    async def run() -> None:
        await cache.set("a", b"1", ttl_s=10)
        await cache.set("b", b"2")
        assert await cache.get("a") == b"1"
        await cache.set("c", b"3")  # evicts b, the least recently used
        assert await cache.get("b") is None
        now[0] = 11.0
        assert await cache.get("a") is None  # expired
        assert await cache.get("c") == b"3"
        await cache.delete("c")
        assert await cache.get("c") is None

    asyncio.run(run())
    assert cache.hits == 2
