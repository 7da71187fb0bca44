"""The image-storage contract.

Images are stored under content-addressed keys (the SHA-256 of their bytes plus an extension),
so storing the same image twice keeps one copy and a key can never point at different bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["ImageNotFoundError", "ImageStorage", "StoredImage", "content_key"]

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


class ImageNotFoundError(KeyError):
    """No image is stored under that key."""


def content_key(data: bytes, media_type: str) -> str:
    """``<sha256 hex>.<ext>`` for image bytes of a media type (png, jpg or webp)."""
    extension = _EXTENSIONS.get(media_type)
    if extension is None:
        raise ValueError(
            f"unsupported image type {media_type!r}; expected one of {list(_EXTENSIONS)}"
        )
    return f"{hashlib.sha256(data).hexdigest()}.{extension}"


@dataclass(frozen=True)
class StoredImage:
    """A stored image: its key, where it can be read, its size in bytes and media type."""

    key: str
    url: str
    size: int
    media_type: str


@runtime_checkable
class ImageStorage(Protocol):
    """Keeps image bytes under content-addressed keys."""

    async def put(self, data: bytes, media_type: str) -> StoredImage:
        """Store image bytes (idempotent: the same bytes give the same key)."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under ``key``; :class:`ImageNotFoundError` when there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the image under ``key`` (no error when it is already gone)."""
        ...

    async def health(self) -> str:
        """Probe the store for real (write, read back, remove); return a short description."""
        ...

    async def aclose(self) -> None:
        """Release connections, if any."""
        ...
