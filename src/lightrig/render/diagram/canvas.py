"""The diagram's fixed frame and palette: the ``viewBox``, where the subject stands, the font
and the colours every part shares.

Lengths are viewBox units, which are pixels at the default rendered width of 720; the rendered
height is always 0.8 × the width.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import ROLES

__all__ = [
    "ACCENTS",
    "AREA_W",
    "CX",
    "CY",
    "FONT",
    "HEIGHT_PER_WIDTH",
    "INK",
    "MUTED",
    "OFF_GREY",
    "ROLE_ORDER",
    "SUBJECT_R",
    "SWATCH_W",
    "VIEW_H",
    "VIEW_W",
]

#: The ``viewBox``'s width and height.
VIEW_W = 720.0
VIEW_H = 576.0
#: Rendered height over rendered width.
HEIGHT_PER_WIDTH = 0.8
#: Width of the drawing proper; the legend panel fills the rest on the right.
AREA_W = 544.0
#: The subject's centre.
CX = 270.0
CY = 266.0
#: Radius around the subject's centre within which all of the subject is drawn.
SUBJECT_R = 31.0
#: Width of a colour-temperature swatch (its height is 9).
SWATCH_W = 14.0
FONT = "system-ui, sans-serif"

#: A light that is off, in every part of the drawing.
OFF_GREY = "#adb5bd"
#: Text and the camera's body.
INK = "#343a40"
#: Secondary text.
MUTED = "#6c757d"
#: Each role's accent (icon, beam, label and legend entry), by the role's value.
ACCENTS: Mapping[str, str] = MappingProxyType({role.value: role.accent for role in ROLES})
#: The order lights are listed, described and given label places in: key first.
ROLE_ORDER: tuple[LightType, ...] = tuple(LightType)
