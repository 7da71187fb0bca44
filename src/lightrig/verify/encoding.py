"""How a picture's code values relate to the light: an assumption the estimator is told, as it
cannot be read from the pixels reliably (see :mod:`lightrig.verify.image`, which undoes it).

Kept apart from the decoding, with no NumPy or Pillow, so that the faces that offer it as an
option (the command line, the REST schemas) start without the image libraries.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Encoding"]


class Encoding(StrEnum):
    """How a picture's code values relate to the light.

    ``display``: a photograph or a render made for a screen (sRGB over a filmic tone curve);
    ``srgb``: the sRGB transfer function alone; ``linear``: values proportional to the light.
    """

    DISPLAY = "display"
    SRGB = "srgb"
    LINEAR = "linear"
