"""The lighting diagram drawn to pixels (:mod:`lightrig.render.diagram.raster`): shapes land
where the SVG puts them, in their colours, and the real diagram's lights are drawn where its
document says they stand."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.presets import get_preset
from lightrig.render.diagram import lighting_diagram
from lightrig.render.diagram.raster import rasterise_diagram

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'


def _svg(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{HEAD}{body}</svg>'


def test_a_rectangle_lands_where_and_in_the_colour_it_is_drawn() -> None:
    pixels = rasterise_diagram(
        _svg('<rect x="20" y="10" width="40" height="30" fill="#ff0000"/>'), 200
    )
    assert pixels.shape == (100, 200, 3)
    assert pixels.dtype == np.uint8
    assert pixels[25, 40].tolist() == [255, 0, 0]
    assert pixels[5, 40].tolist() == [255, 255, 255]
    assert pixels[25, 70].tolist() == [255, 255, 255]


def test_the_width_scales_the_viewbox() -> None:
    svg = _svg('<circle cx="150" cy="50" r="20" fill="#0000ff"/>')
    pixels = rasterise_diagram(svg, 100)
    assert pixels.shape == (50, 100, 3)
    assert pixels[25, 75].tolist() == [0, 0, 255]
    assert pixels[25, 40].tolist() == [255, 255, 255]


def test_transforms_opacity_and_dashes_are_followed() -> None:
    moved = _svg(
        '<g transform="translate(100 50) rotate(90)">'
        '<rect x="0" y="-5" width="40" height="10" fill="#000"/></g>'
    )
    pixels = rasterise_diagram(moved, 200)
    assert pixels[80, 100].tolist() == [0, 0, 0]  # rotated a quarter turn: it points down
    assert pixels[50, 130].tolist() == [255, 255, 255]
    faint = rasterise_diagram(
        _svg('<rect x="0" y="0" width="200" height="100" fill="#000" fill-opacity="0.5"/>'), 200
    )
    assert 120 <= int(faint[50, 100, 0]) <= 135
    dashed = rasterise_diagram(
        _svg('<line x1="0" y1="50" x2="200" y2="50" stroke="#000" stroke-width="4" '
             'stroke-dasharray="10 10"/>'),
        200,
    )  # fmt: skip
    row = dashed[50, :, 0]
    assert (row < 64).sum() > 60
    assert (row > 192).sum() > 60


def test_text_is_drawn_about_its_anchor() -> None:
    pixels = rasterise_diagram(
        _svg('<text x="100" y="60" font-size="20" text-anchor="middle">HIT</text>'), 200
    )
    ink = np.argwhere(pixels[:, :, 0] < 128)
    assert len(ink) > 30
    assert abs(ink[:, 1].mean() - 100) < 6
    assert ink[:, 0].max() <= 61  # capitals sit on the baseline
    assert ink[:, 0].min() >= 42  # and rise about 0.7 of the size above it


@pytest.mark.parametrize(
    ("svg", "width", "message"),
    [
        ("not svg", 200, "not well-formed"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', 200, "not <svg>"),
        ('<svg xmlns="http://www.w3.org/2000/svg"/>', 200, "no viewBox"),
        (_svg('<path d="m 0 0 l 10 10"/>'), 200, "outside the diagram"),
        (_svg(""), 8, "outside 16–4096"),
    ],
)
def test_what_the_diagram_never_writes_is_refused(svg: str, width: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rasterise_diagram(svg, width)


def test_the_diagrams_lights_are_drawn_where_it_places_them() -> None:
    request = get_preset("rembrandt").request()
    svg = lighting_diagram(request, LightingAnalyzer().analyze(request))
    pixels = rasterise_diagram(svg, 720).astype(int)
    accent = np.array([0xE8, 0x59, 0x0C])  # the key's colour
    near = np.abs(pixels - accent).sum(axis=2) < 60
    found = re.search(r'id="light-key"[^>]*data-x="([\d.]+)" data-y="([\d.]+)"', svg)
    assert found is not None
    x, y = (round(float(v)) for v in found.groups())
    assert near[y - 25 : y + 25, x - 25 : x + 25].sum() > 20
    assert near.sum() < pixels.shape[0] * pixels.shape[1] / 50  # an accent, not a fill
