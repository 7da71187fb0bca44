"""Pictures in, scene-linear light out: decoding and undoing the display encoding.

An image reaches the estimator as encoded bytes (PNG, JPEG, WebP, anything Pillow reads) or as an
``H × W × 3`` array of encoded sRGB values (``uint8`` 0–255, or floats 0–1). Shading and colour
are only meaningful in linear light, so the encoding is undone. How it was encoded cannot be read
from the pixels reliably, so it is an assumption, like the camera's white balance
(:class:`Encoding`):

* ``display`` (the default) — a photograph or a render made for a screen: the sRGB transfer
  function (IEC 61966-2-1) over a filmic tone curve, the one lightrig's preview uses (Narkowicz's
  fit of the ACES reference rendering), whose toe and shoulder most photographic renderings share;
  a picture made with another curve is linearised a little wrongly, which is why a generated image
  is compared with the preview render of the requested setup read the same way;
* ``srgb`` — the sRGB transfer function alone (no tone curve);
* ``linear`` — values proportional to the light (scientific and machine-vision cameras, raw
  developed linearly, such as the face databases photometric research uses).

The shoulder of a tone curve, undone, multiplies the brightest code values many times over (code
240 is ten times code 128 in linear light under ``display``): a picture whose true curve is
gentler would have its highlights blown up. :func:`trust` weighs each pixel by how little its
curve amplifies it there, for the fits that read shading.

Values 250 and above in any channel are treated as clipped: their light is unknown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from lightrig.verify.encoding import Encoding

__all__ = [
    "CLIP_LEVEL",
    "LOG_STEP",
    "MIN_SIDE",
    "Encoding",
    "ImageDecodeError",
    "LinearImage",
    "decode",
    "linearise",
    "trust",
]

#: Encoded values (0–255) at or above which a channel counts as clipped.
CLIP_LEVEL = 250
#: The smallest picture side, in pixels, the estimator accepts.
MIN_SIDE = 24
#: Largest side, in pixels, an image is reduced to before estimating (speed; detail beyond this
#: adds nothing to a face's shading).
MAX_SIDE = 320

#: Largest side, in pixels, an encoded picture is decoded at (a larger one is reduced on reading).
DECODE_SIDE = 1536
#: The EXIF tag of a picture's orientation, and its values that turn it a quarter (5–8).
_ORIENTATION = 0x0112
_TURNED_A_QUARTER = frozenset({5, 6, 7, 8})

#: Luminance weights of linear sRGB (Rec. 709 primaries).
LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


class ImageDecodeError(ValueError):
    """The bytes or array given are not a picture the estimator can read."""


def _encoded_to_linear() -> npt.NDArray[np.float32]:
    """A 256-entry table: encoded 8-bit value → scene-linear value (inverse sRGB, inverse filmic).

    The filmic curve ``y = x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14)`` is inverted in closed
    form (the root of a quadratic in ``x``).
    """
    code = np.arange(256, dtype=np.float64) / 255.0
    display = np.where(code <= 0.04045, code / 12.92, ((code + 0.055) / 1.055) ** 2.4)
    y = np.minimum(display, 0.9999)
    a = 2.43 * y - 2.51
    b = 0.59 * y - 0.03
    c = 0.14 * y
    root = (-b - np.sqrt(b * b - 4.0 * a * c)) / (2.0 * a)
    return np.maximum(root, 0.0).astype(np.float32)


_TABLE = _encoded_to_linear()

_CODES = np.arange(256, dtype=np.float64) / 255.0
#: Per encoding: encoded 8-bit value → linear value (relative units).
_TABLES = {
    Encoding.DISPLAY: _TABLE,
    Encoding.SRGB: np.where(
        _CODES <= 0.04045, _CODES / 12.92, ((_CODES + 0.055) / 1.055) ** 2.4
    ).astype(np.float32),
    Encoding.LINEAR: _CODES.astype(np.float32),
}
#: The code value whose amplification by the curve counts as ordinary (mid-tones).
_TRUST_REFERENCE = 160


def _trust_table(table: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    slope = np.gradient(table.astype(np.float64))
    weight = (slope[_TRUST_REFERENCE] / np.maximum(slope, 1e-12)) ** 2
    weight[: _TRUST_REFERENCE + 1] = 1.0  # only the shoulder is distrusted
    return np.asarray(np.minimum(weight, 1.0), dtype=np.float64)


_TRUST = {encoding: _trust_table(table) for encoding, table in _TABLES.items()}


def trust(encoded: npt.NDArray[np.uint8], encoding: Encoding) -> npt.NDArray[np.float64]:
    """How far each pixel's linear value can be trusted, 0–1 (… × 3 encoded values → …): 1 up to
    the mid-tones, then the square of how much less the curve amplifies code values there than
    at code 160, read at the pixel's brightest channel."""
    luma = np.rint(encoded.astype(np.float64) @ np.array([0.299, 0.587, 0.114])).astype(np.intp)
    return np.asarray(_TRUST[Encoding(encoding)][luma], dtype=np.float64)


def _log_step() -> npt.NDArray[np.float64]:
    """Per encoded value, how much ln(linear) moves per code value (central difference)."""
    log = np.log(np.maximum(_TABLE.astype(np.float64), 1e-6))
    step = np.gradient(log)
    return np.asarray(np.minimum(step, 1.0), dtype=np.float64)


#: Per encoded value 0–255: the change of ln(linear value) per code value — how uncertain a
#: channel's log is for a code value of error (large in the shadows and in the shoulder).
LOG_STEP = _log_step()


@dataclass(frozen=True)
class LinearImage:
    """A picture ready for estimation.

    ``encoded``: the 8-bit sRGB picture (H × W × 3, possibly reduced in size); ``linear``: the
    scene-linear RGB of each pixel (relative units, float32); ``luminance``: linear luminance;
    ``clipped``: pixels with a channel at or above :data:`CLIP_LEVEL`; ``scale``: the factor the
    picture was reduced by (1.0 when it was not); ``encoding``: the encoding assumed.
    """

    encoded: npt.NDArray[np.uint8]
    linear: npt.NDArray[np.float32]
    luminance: npt.NDArray[np.float32]
    clipped: npt.NDArray[np.bool_]
    scale: float
    encoding: Encoding = Encoding.DISPLAY

    @property
    def height(self) -> int:
        """Rows, pixels."""
        return int(self.encoded.shape[0])

    @property
    def width(self) -> int:
        """Columns, pixels."""
        return int(self.encoded.shape[1])


def _from_array(array: npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    data = np.asarray(array)
    if data.ndim == 2:
        data = np.repeat(data[..., None], 3, axis=2)
    if data.ndim != 3 or data.shape[2] not in (3, 4):
        raise ImageDecodeError(
            f"an image array must be H × W × 3 (or 4, or H × W), not {tuple(data.shape)}"
        )
    data = data[..., :3]
    if data.dtype == np.uint8:
        return np.ascontiguousarray(data)
    if np.issubdtype(data.dtype, np.floating):
        if not np.all(np.isfinite(data)):
            raise ImageDecodeError("the image array holds NaN or infinite values")
        return np.clip(np.rint(data * 255.0), 0, 255).astype(np.uint8)
    if np.issubdtype(data.dtype, np.integer):
        return np.clip(data, 0, 255).astype(np.uint8)
    raise ImageDecodeError(f"unsupported image array type {data.dtype}")


def decode(image: bytes | npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    """The picture as an 8-bit sRGB ``H × W × 3`` array.

    ``image``: encoded bytes in any format Pillow reads (the EXIF orientation is applied; a
    picture larger than 1536 pixels a side is reduced to that), or an
    array of encoded sRGB values: ``uint8`` 0–255 or floats 0–1, ``H × W × 3``, ``H × W × 4``
    (alpha ignored) or ``H × W`` (grey). Raises :class:`ImageDecodeError` otherwise.
    """
    return decode_sized(image)[0]


def decode_sized(image: bytes | npt.NDArray[np.generic]) -> tuple[npt.NDArray[np.uint8], int, int]:
    """:func:`decode`'s array and the picture's own width and height, pixels (larger than the
    array's when it was reduced)."""
    if isinstance(image, bytes | bytearray | memoryview):
        try:
            with Image.open(io.BytesIO(bytes(image))) as opened:
                upright = opened.size
                if opened.getexif().get(_ORIENTATION, 1) in _TURNED_A_QUARTER:
                    upright = upright[::-1]
                # a large JPEG is decoded at a reduced scale; nothing finer than this is used
                opened.draft("RGB", (DECODE_SIDE, DECODE_SIDE))
                picture = ImageOps.exif_transpose(opened).convert("RGB")
                picture.thumbnail((DECODE_SIDE, DECODE_SIDE), Image.Resampling.BOX)
                return np.asarray(picture, dtype=np.uint8).copy(), upright[0], upright[1]
        except UnidentifiedImageError:
            raise ImageDecodeError(
                "not a picture in a format lightrig reads (PNG, JPEG, WebP, TIFF, BMP, GIF)"
            ) from None
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise ImageDecodeError(f"the bytes are not a readable image: {exc}") from None
    array = _from_array(image)
    return array, int(array.shape[1]), int(array.shape[0])


def _reduce(encoded: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], float]:
    height, width = encoded.shape[:2]
    longest = max(height, width)
    if longest <= MAX_SIDE:
        return encoded, 1.0
    scale = MAX_SIDE / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    reduced = Image.fromarray(encoded, mode="RGB").resize(size, Image.Resampling.BOX)
    return np.asarray(reduced, dtype=np.uint8).copy(), scale


def linearise(
    encoded: npt.NDArray[np.uint8], encoding: Encoding | str = Encoding.DISPLAY
) -> LinearImage:
    """Undo the ``encoding`` of an 8-bit picture (reduced to at most 320 px a side first)."""
    encoding = Encoding(encoding)
    if encoded.shape[0] < MIN_SIDE or encoded.shape[1] < MIN_SIDE:
        raise ImageDecodeError(
            f"the image is {encoded.shape[1]} × {encoded.shape[0]} pixels; "
            f"at least {MIN_SIDE} × {MIN_SIDE} is needed"
        )
    small, scale = _reduce(encoded)
    linear = _TABLES[encoding][small]
    return LinearImage(
        encoded=small,
        linear=linear,
        luminance=(linear @ LUMA).astype(np.float32),
        clipped=np.asarray((small >= CLIP_LEVEL).any(axis=2), dtype=np.bool_),
        scale=scale,
        encoding=encoding,
    )
