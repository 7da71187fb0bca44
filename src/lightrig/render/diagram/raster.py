"""The lighting diagram as pixels: its SVG drawn with Pillow, for callers that take pictures
rather than documents (ComfyUI's IMAGE sockets).

This reads the subset of SVG that :func:`~lightrig.render.diagram.lighting_diagram` and
:func:`~lightrig.render.diagram.side_view_svg` write, and no more: ``g`` (with ``transform``),
``rect`` (``rx``), ``circle``, ``ellipse``, ``line``, ``polygon``, ``path`` (absolute
``M L H V Q C Z``) and ``text`` with ``tspan`` runs; fill and stroke colours with their
opacities, ``opacity``, ``stroke-width``, ``stroke-dasharray``, ``font-size``, ``font-weight``
and ``text-anchor``, inherited down the tree. ``title``, ``desc`` and unknown elements draw
nothing. Every shape is turned into a polygon or polyline in the output's pixels (curves
flattened), painted at :data:`SUPERSAMPLE` times the size and reduced, which smooths the edges.
Text uses Pillow's built-in scalable font (bold drawn with a thin outline), so letters differ
from a browser's, a minus sign is drawn as a hyphen (the font has no glyph for it) and
``letter-spacing`` is ignored; the positions, colours and sizes are the SVG's.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageColor, ImageDraw, ImageFont

__all__ = ["SUPERSAMPLE", "diagram_png", "rasterise_diagram"]

#: Samples per output pixel side while painting.
SUPERSAMPLE = 2
#: Points a full circle is flattened into.
_CIRCLE_POINTS = 72
#: Points each curve segment of a path is flattened into.
_CURVE_POINTS = 16

Point: TypeAlias = tuple[float, float]
#: An affine map (a, b, c, d, e, f): (x, y) → (a·x + c·y + e, b·x + d·y + f).
Affine: TypeAlias = tuple[float, float, float, float, float, float]

_NS = re.compile(r"^\{[^}]*\}")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(\w+)\s*\(([^)]*)\)")
_PATH_TOKEN = re.compile(r"[MLHVQCZmlhvqcz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
#: Characters the built-in font has no glyph for, drawn as the nearest it has (the minus sign the
#: diagrams write for negative numbers, else drawn as an empty box).
_NO_GLYPH = str.maketrans({"\u2212": "-"})


@dataclass(frozen=True)
class _Style:
    fill: str = "#000"
    stroke: str = "none"
    stroke_width: float = 1.0
    fill_opacity: float = 1.0
    stroke_opacity: float = 1.0
    opacity: float = 1.0
    dashes: tuple[float, ...] = ()
    font_size: float = 16.0
    bold: bool = False
    anchor: str = "start"


def _multiply(m: Affine, n: Affine) -> Affine:
    """``m`` after ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + c * q,
        b * p + d * q,
        a * r + c * s,
        b * r + d * s,
        a * t + c * u + e,
        b * t + d * u + f,
    )


def _transform(text: str) -> Affine:
    result: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, body in _TRANSFORM.findall(text):
        v = [float(x) for x in _NUMBER.findall(body)]
        step: Affine
        if name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale":
            step = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        elif name == "rotate":
            cos, sin = math.cos(math.radians(v[0])), math.sin(math.radians(v[0]))
            cx, cy = (v[1], v[2]) if len(v) > 2 else (0.0, 0.0)
            step = (cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy)
        elif name == "matrix" and len(v) == 6:
            step = (v[0], v[1], v[2], v[3], v[4], v[5])
        else:
            continue
        result = _multiply(result, step)
    return result


def _apply(m: Affine, points: list[Point]) -> list[Point]:
    a, b, c, d, e, f = m
    return [(a * x + c * y + e, b * x + d * y + f) for x, y in points]


def _style(element: ET.Element, parent: _Style) -> _Style:
    get = element.attrib.get
    changes: dict[str, Any] = {}
    for attribute, field in (("fill", "fill"), ("stroke", "stroke"), ("text-anchor", "anchor")):
        if (value := get(attribute)) is not None:
            changes[field] = value
    for attribute, field in (
        ("stroke-width", "stroke_width"),
        ("fill-opacity", "fill_opacity"),
        ("stroke-opacity", "stroke_opacity"),
        ("font-size", "font_size"),
    ):
        if (value := get(attribute)) is not None:
            changes[field] = float(value)
    style = replace(parent, **changes)
    if (value := get("opacity")) is not None:
        style = replace(style, opacity=style.opacity * float(value))
    if (value := get("stroke-dasharray")) is not None:
        style = replace(style, dashes=tuple(float(x) for x in _NUMBER.findall(value)))
    if (value := get("font-weight")) is not None:
        style = replace(
            style, bold=value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
        )
    return style


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> list[Point]:
    return [
        (
            cx + rx * math.cos(2 * math.pi * k / _CIRCLE_POINTS),
            cy + ry * math.sin(2 * math.pi * k / _CIRCLE_POINTS),
        )
        for k in range(_CIRCLE_POINTS)
    ]


def _rect(x: float, y: float, w: float, h: float, r: float) -> list[Point]:
    r = max(0.0, min(r, w / 2, h / 2))
    if r == 0.0:
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    corners = (
        (x + w - r, y + r, -90.0),
        (x + w - r, y + h - r, 0.0),
        (x + r, y + h - r, 90.0),
        (x + r, y + r, 180.0),
    )
    points: list[Point] = []
    for cx, cy, start in corners:
        for k in range(7):
            angle = math.radians(start + 15.0 * k)
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def _path(d: str) -> Iterator[tuple[list[Point], bool]]:
    """The subpaths of ``d``: their points and whether each is closed."""
    tokens = _PATH_TOKEN.findall(d)
    points: list[Point] = []
    at: Point = (0.0, 0.0)
    i = 0
    command = "M"

    def take(count: int) -> list[float]:
        nonlocal i
        values = [float(t) for t in tokens[i : i + count]]
        i += count
        return values

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        if command in "Zz":
            if points:
                yield points, True
            points = []
            continue
        if command == "M":
            if points:
                yield points, False
            x, y = take(2)
            at = (x, y)
            points = [at]
            command = "L"
        elif command == "L":
            x, y = take(2)
            at = (x, y)
            points.append(at)
        elif command == "H":
            at = (take(1)[0], at[1])
            points.append(at)
        elif command == "V":
            at = (at[0], take(1)[0])
            points.append(at)
        elif command == "Q":
            qx, qy, x, y = take(4)
            x0, y0 = at
            for k in range(1, _CURVE_POINTS + 1):
                t = k / _CURVE_POINTS
                points.append(
                    (
                        (1 - t) ** 2 * x0 + 2 * (1 - t) * t * qx + t * t * x,
                        (1 - t) ** 2 * y0 + 2 * (1 - t) * t * qy + t * t * y,
                    )
                )
            at = (x, y)
        elif command == "C":
            ax, ay, bx, by, x, y = take(6)
            x0, y0 = at
            for k in range(1, _CURVE_POINTS + 1):
                t = k / _CURVE_POINTS
                u = 1 - t
                points.append(
                    (
                        u**3 * x0 + 3 * u * u * t * ax + 3 * u * t * t * bx + t**3 * x,
                        u**3 * y0 + 3 * u * u * t * ay + 3 * u * t * t * by + t**3 * y,
                    )
                )
            at = (x, y)
        else:  # a relative command: the diagram writes none
            raise ValueError(f"path command {command!r} is outside the diagram's SVG")
    if points:
        yield points, False


def _dashed(points: list[Point], dashes: tuple[float, ...]) -> Iterator[list[Point]]:
    """The pieces of the polyline ``points`` that its dash pattern draws."""
    if not dashes or sum(dashes) <= 0.0:
        yield points
        return
    index, left, drawing = 0, dashes[0], True
    piece: list[Point] = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while length - done > left:
            done += left
            t = done / length
            cut = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if drawing:
                yield [*piece, cut]
            piece = [cut]
            drawing = not drawing
            index = (index + 1) % len(dashes)
            left = dashes[index]
        left -= length - done
        piece.append((x1, y1))
    if drawing and len(piece) > 1:
        yield piece


class _Painter:
    def __init__(self, size: tuple[int, int], scale: float) -> None:
        self.canvas = Image.new("RGBA", size, (255, 255, 255, 255))
        self.scale = scale
        self._fonts: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def _colour(self, name: str, alpha: float) -> tuple[int, int, int, int] | None:
        if name in ("none", "transparent") or alpha <= 0.0:
            return None
        red, green, blue = ImageColor.getrgb(name)[:3]
        return red, green, blue, round(255 * min(1.0, alpha))

    def _layer(self, points: list[Point], pad: float) -> tuple[Image.Image, int, int]:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        left, top = math.floor(min(xs) - pad), math.floor(min(ys) - pad)
        width = math.ceil(max(xs) + pad) - left + 1
        height = math.ceil(max(ys) + pad) - top + 1
        return Image.new("RGBA", (max(1, width), max(1, height)), (0, 0, 0, 0)), left, top

    def _paste(self, layer: Image.Image, left: int, top: int) -> None:
        """``layer`` composited over the canvas at ``(left, top)``, clipped to it."""
        if left < 0 or top < 0:
            layer = layer.crop((max(0, -left), max(0, -top), layer.width, layer.height))
            left, top = max(0, left), max(0, top)
        if layer.width > 0 and layer.height > 0:
            self.canvas.alpha_composite(layer, dest=(left, top))

    def shape(self, points: list[Point], closed: bool, style: _Style, m: Affine) -> None:
        if len(points) < 2:
            return
        a, b, c, d, _, _ = m
        stretch = math.sqrt(abs(a * d - b * c))
        drawn = _apply(m, points)
        fill = self._colour(style.fill, style.fill_opacity * style.opacity) if closed else None
        stroke = self._colour(style.stroke, style.stroke_opacity * style.opacity)
        width = max(1, round(style.stroke_width * stretch))
        if fill is not None:
            layer, left, top = self._layer(drawn, 2.0)
            ImageDraw.Draw(layer).polygon([(x - left, y - top) for x, y in drawn], fill=fill)
            self._paste(layer, left, top)
        if stroke is not None and style.stroke_width > 0.0:
            line = [*drawn, drawn[0]] if closed else drawn
            layer, left, top = self._layer(drawn, width + 2.0)
            pen = ImageDraw.Draw(layer)
            for piece in _dashed(line, tuple(x * stretch for x in style.dashes)):
                pen.line(
                    [(x - left, y - top) for x, y in piece], fill=stroke, width=width, joint="curve"
                )
            self._paste(layer, left, top)

    def font(self, size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        pixels = max(4, round(size))
        if pixels not in self._fonts:
            self._fonts[pixels] = ImageFont.load_default(pixels)
        return self._fonts[pixels]

    def text(self, element: ET.Element, style: _Style, m: Affine) -> None:
        runs: list[tuple[str, _Style]] = []
        if element.text and element.text.strip():
            runs.append((element.text.translate(_NO_GLYPH), style))
        for child in element:
            if _NS.sub("", child.tag) == "tspan":
                words = "".join(child.itertext()).translate(_NO_GLYPH)
                runs.append((words, _style(child, style)))
            if child.tail and child.tail.strip():
                runs.append((child.tail.translate(_NO_GLYPH), style))
        if not runs:
            return
        a, b, c, d, _, _ = m
        stretch = math.sqrt(abs(a * d - b * c))
        ((x, y),) = _apply(m, [(float(element.get("x", 0)), float(element.get("y", 0)))])
        pen = ImageDraw.Draw(self.canvas)
        widths = [pen.textlength(t, font=self.font(s.font_size * stretch)) for t, s in runs]
        if style.anchor == "middle":
            x -= sum(widths) / 2
        elif style.anchor == "end":
            x -= sum(widths)
        for (words, run), width in zip(runs, widths, strict=True):
            colour = self._colour(run.fill, run.fill_opacity * run.opacity)
            if colour is not None:
                size = run.font_size * stretch
                outline = max(1, round(size / 28)) if run.bold else 0
                font = self.font(size)
                box = pen.textbbox((x, y), words, font=font, anchor="ls", stroke_width=outline)
                left, top = math.floor(box[0]) - 1, math.floor(box[1]) - 1
                layer = Image.new(
                    "RGBA", (math.ceil(box[2]) - left + 2, math.ceil(box[3]) - top + 2), (0,) * 4
                )
                ImageDraw.Draw(layer).text(
                    (x - left, y - top),
                    words,
                    font=font,
                    fill=colour,
                    anchor="ls",
                    stroke_width=outline,
                    stroke_fill=colour,
                )
                self._paste(layer, left, top)
            x += width


def _walk(painter: _Painter, element: ET.Element, parent: _Style, m: Affine) -> None:
    name = _NS.sub("", element.tag)
    if name in ("title", "desc", "defs", "tspan"):
        return
    style = _style(element, parent)
    if (transform := element.get("transform")) is not None:
        m = _multiply(m, _transform(transform))

    def number(key: str) -> float:
        return float(element.get(key, 0.0))

    if name == "rect":
        points = _rect(number("x"), number("y"), number("width"), number("height"), number("rx"))
        painter.shape(points, True, style, m)
    elif name == "circle":
        painter.shape(
            _ellipse(number("cx"), number("cy"), number("r"), number("r")), True, style, m
        )
    elif name == "ellipse":
        points = _ellipse(number("cx"), number("cy"), number("rx"), number("ry"))
        painter.shape(points, True, style, m)
    elif name == "line":
        points = [(number("x1"), number("y1")), (number("x2"), number("y2"))]
        painter.shape(points, False, style, m)
    elif name in ("polygon", "polyline"):
        values = [float(v) for v in _NUMBER.findall(element.get("points", ""))]
        points = list(zip(values[0::2], values[1::2], strict=False))
        painter.shape(points, name == "polygon", style, m)
    elif name == "path":
        for points, closed in _path(element.get("d", "")):
            # an open path's fill is drawn as though closed, as SVG does
            painter.shape(points, True, replace(style, stroke="none"), m)
            painter.shape(points, closed, replace(style, fill="none"), m)
    elif name == "text":
        painter.text(element, style, m)
    for child in element:
        if name != "text":
            _walk(painter, child, style, m)


def rasterise_diagram(svg: str, width: int = 720) -> npt.NDArray[np.uint8]:
    """The diagram ``svg`` as an sRGB ``H × W × 3`` picture ``width`` pixels wide (16–4096;
    the height follows the ``viewBox``). :class:`ValueError` for a document that is not SVG
    or uses what the diagram never writes."""
    if not 16 <= width <= 4096:
        raise ValueError(f"width {width} is outside 16–4096 pixels")
    try:
        root = ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError as exc:
        raise ValueError(f"the diagram is not well-formed SVG: {exc}") from None
    if _NS.sub("", root.tag) != "svg":
        raise ValueError(f"the diagram's root is <{_NS.sub('', root.tag)}>, not <svg>")
    box = [float(v) for v in _NUMBER.findall(root.get("viewBox", ""))]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise ValueError("the diagram has no viewBox of four numbers")
    height = max(1, round(width * box[3] / box[2]))
    scale = width * SUPERSAMPLE / box[2]
    painter = _Painter((width * SUPERSAMPLE, height * SUPERSAMPLE), scale)
    m: Affine = (scale, 0.0, 0.0, scale, -box[0] * scale, -box[1] * scale)
    _walk(painter, root, _Style(), m)
    picture = painter.canvas.convert("RGB").resize((width, height), Image.Resampling.BOX)
    return np.asarray(picture, dtype=np.uint8).copy()


def diagram_png(svg: str, width: int = 720) -> bytes:
    """The diagram ``svg`` (the plan's or the side view's) as a PNG file's bytes ``width`` pixels
    wide, drawn by :func:`rasterise_diagram` (whose :class:`ValueError` it raises)."""
    picture = Image.fromarray(rasterise_diagram(svg, width))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
