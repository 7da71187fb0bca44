"""Images in a local folder: ``<root>/<first two hex digits>/<key>``, written atomically."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path

from lightrig.storage.base import ImageNotFoundError, StoredImage, content_key

__all__ = ["LocalImageStorage"]

_KEY = re.compile(r"^[0-9a-f]{64}\.(png|jpg|webp)$")


class LocalImageStorage:
    """A folder of images (the embedded default)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, key: str) -> Path:
        """Where the image under ``key`` lives (the key is checked: no path tricks)."""
        if not _KEY.fullmatch(key):
            raise ImageNotFoundError(key)
        return self.root / key[:2] / key

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def put(self, data: bytes, media_type: str) -> StoredImage:
        """Store image bytes; the same bytes are stored once."""
        key = content_key(data, media_type)
        path = self.path_of(key)
        await asyncio.to_thread(self._write, path, data)
        return StoredImage(
            key=key, url=path.resolve().as_uri(), size=len(data), media_type=media_type
        )

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``."""
        path = self.path_of(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise ImageNotFoundError(key) from None

    async def delete(self, key: str) -> None:
        """Remove the image under ``key``."""
        path = self.path_of(key)
        await asyncio.to_thread(path.unlink, True)

    async def health(self) -> str:
        """Write, read back and remove a probe image."""
        probe = b"lightrig storage probe"
        stored = await self.put(probe, "image/png")
        try:
            if await self.get(stored.key) != probe:
                raise OSError("the probe read back differently")
        finally:
            await self.delete(stored.key)
        return f"local folder {self.root}"

    async def aclose(self) -> None:
        """Nothing to release."""
