"""Colour temperature: kelvin, mireds, the Planckian locus and what a camera makes of a light.

Colour temperatures are compared in mireds (``10⁶ / K``), because equal steps in mireds look like
equal steps in colour: 1000 K is 83 mired at 3000–4000 K but 24 mired at 6000–7000 K.
Chromaticities follow the Planckian (black-body) locus through Kang et al.'s 2002 cubic fit, valid
1667–25000 K and within Δuv 0.0004 of the exact Planck integral — not the CIE daylight locus, which
is meaningless below 4000 K. Camera white balance is a von Kries adaptation in Bradford cone space
from the black body at the white-balance temperature to the sRGB (D65) white.
"""

from __future__ import annotations

from enum import StrEnum

from lightrig.lighting.vocabulary import written_sources

__all__ = [
    "MAX_KELVIN",
    "MIN_KELVIN",
    "ColourCast",
    "colour_cast",
    "kelvin_from_mired",
    "kelvin_source_name",
    "kelvin_to_linear_srgb",
    "linear_to_srgb",
    "mired",
    "planckian_xy",
    "relative_luminance_of_hex",
    "srgb_to_linear",
    "swatch_hex",
]

#: The range of colour temperatures lightrig accepts, in kelvin (Kang's fit holds from 1667 K).
MIN_KELVIN = 1700
MAX_KELVIN = 12000

_XYZ_TO_SRGB = (
    (3.2404542, -1.5371385, -0.4985314),
    (-0.9692660, 1.8760108, 0.0415560),
    (0.0556434, -0.2040259, 1.0572252),
)
_BRADFORD = (
    (0.8951, 0.2664, -0.1614),
    (-0.7502, 1.7135, 0.0367),
    (0.0389, -0.0685, 1.0296),
)
_BRADFORD_INV = (
    (0.9869929, -0.1470543, 0.1599627),
    (0.4323053, 0.5183603, 0.0492912),
    (-0.0085287, 0.0400428, 0.9684867),
)
_D65_XYZ = (0.95047, 1.0, 1.08883)

Triple = tuple[float, float, float]


def mired(kelvin: float) -> float:
    """Micro reciprocal degrees of a colour temperature in kelvin."""
    return 1_000_000.0 / kelvin


def kelvin_from_mired(value: float) -> float:
    """Colour temperature in kelvin of a mired value."""
    return 1_000_000.0 / value


def planckian_xy(kelvin: float) -> tuple[float, float]:
    """CIE 1931 xy chromaticity of a black body at ``kelvin`` (1667–25000 K), Kang et al. 2002."""
    if not 1667.0 <= kelvin <= 25000.0:
        raise ValueError(f"colour temperature {kelvin:g} K is outside 1667–25000 K")
    t = kelvin
    if t <= 4000.0:
        x = -0.2661239e9 / t**3 - 0.2343589e6 / t**2 + 0.8776956e3 / t + 0.179910
    else:
        x = -3.0258469e9 / t**3 + 2.1070379e6 / t**2 + 0.2226347e3 / t + 0.240390
    if t <= 2222.0:
        y = -1.1063814 * x**3 - 1.34811020 * x**2 + 2.18555832 * x - 0.20219683
    elif t <= 4000.0:
        y = -0.9549476 * x**3 - 1.37418593 * x**2 + 2.09137015 * x - 0.16748867
    else:
        y = 3.0817580 * x**3 - 5.87338670 * x**2 + 3.75112997 * x - 0.37001483
    return x, y


def _mul(matrix: tuple[Triple, Triple, Triple], v: Triple) -> Triple:
    return (
        matrix[0][0] * v[0] + matrix[0][1] * v[1] + matrix[0][2] * v[2],
        matrix[1][0] * v[0] + matrix[1][1] * v[1] + matrix[1][2] * v[2],
        matrix[2][0] * v[0] + matrix[2][1] * v[1] + matrix[2][2] * v[2],
    )


def _xyz(kelvin: float) -> Triple:
    x, y = planckian_xy(kelvin)
    return (x / y, 1.0, (1.0 - x - y) / y)


def kelvin_to_linear_srgb(kelvin: float, white_balance: float = 6504.0) -> Triple:
    """Linear sRGB of a black body at ``kelvin`` photographed at ``white_balance`` kelvin.

    Luminance is 1.0; a light at the white-balance temperature comes out (1, 1, 1). Channels of
    very saturated colours may fall below 0 (outside sRGB); callers clip as they need.
    """
    light = _mul(_BRADFORD, _xyz(kelvin))
    white = _mul(_BRADFORD, _xyz(white_balance))
    target = _mul(_BRADFORD, _D65_XYZ)
    adapted = (
        light[0] * target[0] / white[0],
        light[1] * target[1] / white[1],
        light[2] * target[2] / white[2],
    )
    return _mul(_XYZ_TO_SRGB, _mul(_BRADFORD_INV, adapted))


def linear_to_srgb(value: float) -> float:
    """The sRGB transfer function: a linear 0–1 value to its encoded 0–1 value."""
    if value <= 0.0031308:
        return 12.92 * value
    return float(1.055 * value ** (1.0 / 2.4) - 0.055)


def srgb_to_linear(value: float) -> float:
    """The inverse sRGB transfer function: an encoded 0–1 value to its linear 0–1 value."""
    if value <= 0.04045:
        return value / 12.92
    return float(((value + 0.055) / 1.055) ** 2.4)


def relative_luminance_of_hex(colour: str) -> float:
    """Relative luminance 0–1 (linear Y) of an sRGB ``#rrggbb`` colour: its reflectance as paint."""
    r, g, b = (srgb_to_linear(int(colour[i : i + 2], 16) / 255.0) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def swatch_hex(kelvin: float, white_balance: float = 6504.0) -> str:
    """``#rrggbb`` of a light's colour, brightest channel at full scale, for swatches."""
    rgb = [max(0.0, c) for c in kelvin_to_linear_srgb(kelvin, white_balance)]
    peak = max(rgb) or 1.0
    encoded = (round(255 * linear_to_srgb(c / peak)) for c in rgb)
    return "#" + "".join(f"{c:02x}" for c in encoded)


def kelvin_source_name(kelvin: float) -> str:
    """The light source photographers associate with a colour temperature in kelvin (the
    written sources of :data:`lightrig.lighting.vocabulary.LIGHT_SOURCES`)."""
    written = written_sources()
    for source in written:
        if source.written_below is not None and kelvin < source.written_below:
            return source.name
    return written[-1].name


class ColourCast(StrEnum):
    """How a light renders against the camera's white balance."""

    DEEP_WARM = "deep warm"
    WARM = "warm"
    SLIGHTLY_WARM = "slightly warm"
    NEUTRAL = "neutral"
    SLIGHTLY_COOL = "slightly cool"
    COOL = "cool"
    DEEP_COOL = "deep cool"


def colour_cast(kelvin: float, white_balance: float) -> ColourCast:
    """The cast of a ``kelvin`` light under a ``white_balance`` in kelvin, judged in mireds.

    Within 10 mired reads neutral; 10–40 slight; 40–100 clear; beyond 100 deep.
    """
    shift = mired(kelvin) - mired(white_balance)  # positive: warmer than the white balance
    size = abs(shift)
    if size <= 10:
        return ColourCast.NEUTRAL
    warm = shift > 0
    if size <= 40:
        return ColourCast.SLIGHTLY_WARM if warm else ColourCast.SLIGHTLY_COOL
    if size <= 100:
        return ColourCast.WARM if warm else ColourCast.COOL
    return ColourCast.DEEP_WARM if warm else ColourCast.DEEP_COOL
