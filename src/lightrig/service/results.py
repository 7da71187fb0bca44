"""The result cache's keys and entries: identical deterministic work — the same backend, model
parameters, canonical structured prompt and seed — is answered with the image already made.

An entry holds where the image is stored and the host's id for the job that made it, as
canonical JSON (the same shape whatever wrote it, so entries outlive the process, in Redis).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from lightrig.backends.base import GenerationParams
from lightrig.records.record import StoredImage

__all__ = ["canonical", "entry", "read_entry", "result_key"]


def canonical(value: Any) -> str:
    """``value`` as JSON with sorted keys and no spaces: equal data, equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def result_key(
    backend: str, prompt: dict[str, Any], params: GenerationParams, source: str | None = None
) -> str:
    """The cache key of deterministic work: ``generation:`` and the SHA-256 of its identity
    (with ``source``, the storage key of the photograph a relight edits)."""
    identity: dict[str, Any] = {"backend": backend, "params": params.describe(), "prompt": prompt}
    if source is not None:
        identity["source"] = source
    return "generation:" + hashlib.sha256(canonical(identity).encode()).hexdigest()


def entry(image: StoredImage, request_id: str | None) -> bytes:
    """A result as the cache keeps it."""
    return canonical(
        {
            "image_url": image.url,
            "image_key": image.key,
            "media_type": image.media_type,
            "width": image.width,
            "height": image.height,
            "backend_request_id": request_id,
        }
    ).encode()


def read_entry(data: bytes) -> tuple[StoredImage, str | None]:
    """The stored image and the host's id a cache entry holds."""
    found = json.loads(data)
    image = StoredImage(
        url=str(found["image_url"]),
        key=str(found["image_key"]),
        media_type=str(found["media_type"]),
        width=int(found["width"]),
        height=int(found["height"]),
    )
    request_id = found.get("backend_request_id")
    return image, None if request_id is None else str(request_id)
