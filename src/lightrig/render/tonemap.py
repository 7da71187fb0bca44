"""From scene light to screen: a filmic tone curve, then the sRGB encoding.

The curve is Krzysztof Narkowicz's published fit of the ACES reference rendering transform: a toe
that keeps shadows from going muddy and a shoulder that rolls highlights off instead of clipping
them, so a 4-stop ratio still reads on screen. Encoding follows IEC 61966-2-1 (sRGB).

Both run compiled (numba); :func:`expose_and_encode` does the preview's whole last step —
exposure, curve and encoding — in one pass over the frame, on one thread: a 610 px frame takes
3–6 ms, and a parallel loop, which waits for its slowest thread, took twice that on a busy
machine.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numba import njit

from lightrig.render.numba_cache import use_numba_cache

use_numba_cache()

__all__ = ["encode_srgb", "expose_and_encode", "filmic"]

#: Scene values above this map to white all the same (the curve passes 1.0, and is clipped to
#: white, from about 7.2 up); clipping there keeps its squares inside float32's range when the
#: exposure for a nearly unlit face is enormous.
_CEILING = 1.0e4
#: Display-linear values up to this are encoded on the sRGB curve's linear toe.
_TOE = 0.0031308


@njit(cache=True, inline="always")
def _curve(x: float) -> float:
    """The filmic curve of one scene value (NaN taken as 0, clipped to 0–10⁴), 0–1."""
    if not x > 0.0:  # NaN, 0 and below
        return 0.0
    x = min(x, _CEILING)
    mapped = (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14)
    return min(mapped, 1.0)


def _code_tables(buckets: int) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float32]]:
    """The sRGB encoding as two tables over ``buckets`` equal steps of 0–1: each step's code
    at its start and the value within it where the next code starts (2 past the step when
    none does). The curve is steepest at its toe, 12.92 × 255 codes a unit, so a step of
    1/4096 holds at most one code's start."""
    starts = (np.arange(1, 256) - 0.5) / 255.0  # encoded values where codes 1–255 start
    bounds = np.where(starts <= 12.92 * _TOE, starts / 12.92, ((starts + 0.055) / 1.055) ** 2.4)
    edges = np.arange(buckets) / buckets
    first = np.searchsorted(bounds, edges, side="right")  # the code at each step's start
    nxt = np.append(bounds, 2.0)[first]
    if np.any(np.searchsorted(bounds, edges + 1.0 / buckets, side="left") > first + 1):
        raise ValueError(f"buckets: got {buckets}; a step must hold at most one code's start")
    return first.astype(np.uint8), nxt.astype(np.float32)


_BUCKETS = 4096
_FIRST_CODE, _NEXT_START = _code_tables(_BUCKETS)


@njit(cache=True, inline="always")
def _code(
    display: float | np.float32, first: npt.NDArray[np.uint8], next_start: npt.NDArray[np.float32]
) -> int:
    """The 8-bit sRGB code of one display-linear value (0–1), from :func:`_code_tables`."""
    if not display > 0.0:  # NaN, 0 and below
        return 0
    if display >= 1.0:
        return 255
    step = int(display * _BUCKETS)
    return int(first[step]) + (1 if display >= next_start[step] else 0)


@njit(cache=True)
def _filmic_kernel(values: npt.NDArray[np.float32], out: npt.NDArray[np.float32]) -> None:
    for i in range(values.shape[0]):
        out[i] = _curve(values[i])


@njit(cache=True)
def _encode_kernel(
    values: npt.NDArray[np.float32],
    first: npt.NDArray[np.uint8],
    next_start: npt.NDArray[np.float32],
    out: npt.NDArray[np.uint8],
) -> None:
    for i in range(values.shape[0]):
        out[i] = _code(values[i], first, next_start)


@njit(cache=True)
def _expose_encode_kernel(
    linear: npt.NDArray[np.float32],
    exposure: np.float32,
    first: npt.NDArray[np.uint8],
    next_start: npt.NDArray[np.float32],
    out: npt.NDArray[np.uint8],
) -> None:
    for i in range(linear.shape[0]):
        exposed = linear[i] * exposure  # float32 times float32, as NumPy's in-place product
        linear[i] = exposed
        out[i] = _code(np.float32(_curve(exposed)), first, next_start)


def filmic(linear: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Tone-map linear scene values (0 and up; NaN is taken as 0 and anything past 10⁴ as 10⁴)
    into 0–1 display-linear values."""
    values = np.ascontiguousarray(linear, dtype=np.float32)
    out = np.empty(values.shape, dtype=np.float32)
    _filmic_kernel(values.reshape(-1), out.reshape(-1))
    return out


def encode_srgb(display: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Encode display-linear 0–1 values with the sRGB transfer function into 8-bit values."""
    values = np.ascontiguousarray(display, dtype=np.float32)
    out = np.empty(values.shape, dtype=np.uint8)
    _encode_kernel(values.reshape(-1), _FIRST_CODE, _NEXT_START, out.reshape(-1))
    return out


def expose_and_encode(linear: npt.NDArray[np.float32], exposure: float) -> npt.NDArray[np.uint8]:
    """Multiply ``linear`` (scene-linear, C-contiguous float32; changed in place) by
    ``exposure`` and return its 8-bit sRGB picture: ``encode_srgb(filmic(linear))`` of the
    exposed values, in one pass."""
    if linear.dtype != np.float32 or not linear.flags.c_contiguous:
        raise ValueError("linear: expected a C-contiguous float32 array")
    out = np.empty(linear.shape, dtype=np.uint8)
    flat = linear.reshape(-1)
    _expose_encode_kernel(flat, np.float32(exposure), _FIRST_CODE, _NEXT_START, out.reshape(-1))
    return out
