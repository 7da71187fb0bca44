"""From scene light to screen: a filmic tone curve, then the sRGB encoding.

The curve is Krzysztof Narkowicz's published fit of the ACES reference rendering transform: a toe
that keeps shadows from going muddy and a shoulder that rolls highlights off instead of clipping
them, so a 4-stop ratio still reads on screen. Encoding follows IEC 61966-2-1 (sRGB).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["encode_srgb", "filmic"]

#: Scene values above this map to white all the same (the curve passes 1.0, and is clipped to
#: white, from about 7.2 up); clipping there keeps its squares inside float32's range when the
#: exposure for a nearly unlit face is enormous.
_CEILING = 1.0e4


def filmic(linear: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Tone-map linear scene values (0 and up; NaN is taken as 0 and anything past 10⁴ as 10⁴)
    into 0–1 display-linear values."""
    x = np.clip(np.nan_to_num(linear, nan=0.0, posinf=_CEILING), 0.0, _CEILING)
    mapped = (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14)
    return np.clip(mapped, 0.0, 1.0).astype(np.float32)


def encode_srgb(display: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Encode display-linear 0–1 values with the sRGB transfer function into 8-bit values."""
    low = display * 12.92
    high = 1.055 * np.power(np.maximum(display, 0.0031308), 1.0 / 2.4) - 0.055
    encoded = np.where(display <= 0.0031308, low, high)
    return np.clip(np.rint(encoded * 255.0), 0, 255).astype(np.uint8)
