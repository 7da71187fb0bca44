"""PNG encoding of an 8-bit RGB picture, made for speed: every row "Up"-filtered.

A PNG's pixels are filtered row by row before zlib compresses them. A general encoder tries
each of the five filters on every row and keeps the one that looks smallest; on a preview —
smooth light, a smooth backdrop — the "Up" filter (each byte less the one above it) alone
compresses about as well (within 1 %), and applied to the whole picture at once with NumPy it
costs next to nothing, where the per-row trial costs twice as long as compressing. So this
encoder filters every row with Up and compresses the lot in one zlib stream: a 610 px preview in
a third of the time Pillow takes, for the same size. The file is a plain PNG (ISO/IEC 15948):
8-bit RGB, not interlaced, with optional ``tEXt`` chunks.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

__all__ = ["encode_png"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UP = 2  # the filter type byte of a row filtered against the row above
_RGB = 2  # IHDR colour type: truecolour
_LATIN1_MAX = 79  # a tEXt keyword's longest, in bytes


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(
    pixels: npt.NDArray[np.uint8],
    *,
    compress_level: int = 6,
    text: Mapping[str, str] | None = None,
) -> bytes:
    """``pixels`` (height × width × 3, uint8 RGB) as PNG bytes; ``compress_level``: zlib's
    level, 0–9; ``text``: ``tEXt`` chunks, keyword (1–79 Latin-1 characters) to Latin-1 value."""
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(
            f"pixels: got {pixels.dtype} of shape {pixels.shape}; "
            "accepted: uint8 of shape (height, width, 3)"
        )
    if not 0 <= compress_level <= 9:
        raise ValueError(f"compress_level: got {compress_level}; accepted: 0–9")
    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        raise ValueError(f"pixels: got {width} × {height}; accepted: at least 1 × 1")
    rows = pixels.reshape(height, width * 3)
    filtered = np.empty((height, width * 3 + 1), dtype=np.uint8)
    filtered[:, 0] = _UP
    filtered[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=filtered[1:, 1:])  # wraps modulo 256, as PNG's does
    header = struct.pack(">IIBBBBB", width, height, 8, _RGB, 0, 0, 0)
    parts = [_SIGNATURE, _chunk(b"IHDR", header)]
    for keyword, value in (text or {}).items():
        key = keyword.encode("latin-1")
        if not 1 <= len(key) <= _LATIN1_MAX or b"\x00" in key:
            raise ValueError(f"text: got keyword {keyword!r}; accepted: 1–79 Latin-1 characters")
        parts.append(_chunk(b"tEXt", key + b"\x00" + value.encode("latin-1")))
    parts.append(_chunk(b"IDAT", zlib.compress(filtered.tobytes(), compress_level)))
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)
