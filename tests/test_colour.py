"""Kelvin, mireds, the Planckian locus, white balance and gels."""

from __future__ import annotations

import math

import colour
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightrig.lighting.colour import (
    ColourCast,
    colour_cast,
    kelvin_to_linear_srgb,
    mired,
    planckian_xy,
    relative_luminance_of_hex,
    swatch_hex,
)
from lightrig.lighting.gels import gelled_kelvin, suggest_gel


def test_mireds() -> None:
    assert mired(5600) == pytest.approx(178.57, abs=0.01)
    assert mired(3200) == 312.5


@pytest.mark.parametrize("kelvin", [1700, 1900, 2222, 2700, 3200, 4000, 5600, 6500, 9000, 12000])
def test_planckian_locus_matches_colour_science_kang(kelvin: float) -> None:
    expected = colour.CCT_to_xy(kelvin, method="Kang 2002")
    x, y = planckian_xy(kelvin)
    assert x == pytest.approx(expected[0], abs=1e-6)
    assert y == pytest.approx(expected[1], abs=1e-6)


@pytest.mark.parametrize("kelvin", [2000, 2700, 3200, 4500, 6500, 10000])
def test_planckian_locus_is_close_to_the_exact_black_body(kelvin: float) -> None:
    shape = colour.SpectralShape(360, 780, 1)
    xyz = colour.sd_to_XYZ(colour.sd_blackbody(kelvin, shape))
    exact = colour.XYZ_to_xy(xyz)
    x, y = planckian_xy(kelvin)

    def uv(px: float, py: float) -> tuple[float, float]:
        d = -2 * px + 12 * py + 3
        return 4 * px / d, 6 * py / d

    (u1, v1), (u2, v2) = uv(x, y), uv(float(exact[0]), float(exact[1]))
    assert math.hypot(u1 - u2, v1 - v2) < 0.0006


def test_light_at_the_white_balance_renders_neutral() -> None:
    for kelvin in (2700, 3200, 5600, 7500):
        r, g, b = kelvin_to_linear_srgb(kelvin, white_balance=kelvin)
        assert (r, g, b) == pytest.approx((1.0, 1.0, 1.0), abs=2e-3)


def test_tungsten_is_warm_under_daylight_balance() -> None:
    r, _, b = kelvin_to_linear_srgb(3200, white_balance=5600)
    assert r / b > 1.8
    r, _, b = kelvin_to_linear_srgb(8000, white_balance=5600)
    assert r / b < 0.9
    assert colour_cast(3200, 5600) is ColourCast.DEEP_WARM
    assert colour_cast(5400, 5600) is ColourCast.NEUTRAL
    assert colour_cast(6500, 5600) is ColourCast.SLIGHTLY_COOL


def test_swatches_and_backdrops() -> None:
    assert swatch_hex(6504) == "#ffffff"
    warm = swatch_hex(2700)
    assert int(warm[1:3], 16) == 255
    assert int(warm[5:7], 16) < 150
    assert relative_luminance_of_hex("#ffffff") == pytest.approx(1.0)
    assert relative_luminance_of_hex("#777777") == pytest.approx(0.184, abs=0.002)


def test_gels_match_lee_values() -> None:
    # tungsten to daylight with CTB: 312.5 -> 178.6 mired needs about -134
    to_daylight = suggest_gel(mired(5600) - mired(3200))
    assert to_daylight is not None
    assert to_daylight.label == "full CTB"
    assert gelled_kelvin(3200, to_daylight.gels) == pytest.approx(5698, abs=5)
    to_tungsten = suggest_gel(mired(3200) - mired(5600))
    assert to_tungsten is not None
    assert abs(to_tungsten.residual) <= 8
    half = suggest_gel(110.0)
    assert half is not None
    assert half.label == "1/2 CTO"
    assert suggest_gel(8.0) is None


@given(st.floats(min_value=-300, max_value=300).filter(lambda v: abs(v) > 10))
def test_a_suggested_gel_never_overshoots_wildly(shift: float) -> None:
    suggestion = suggest_gel(shift)
    assert suggestion is not None
    assert (suggestion.shift > 0) == (shift > 0)
    assert abs(suggestion.residual) <= max(40.0, abs(shift) * 0.5)
