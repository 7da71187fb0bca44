"""How the diagram words its numbers: distances, angles, colour temperatures, modifiers, power
and the lights' names, the same in the labels, the legend and the description."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lightrig.fibo.words import role_name
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import MODIFIERS
from lightrig.models.lights import LightSettings
from lightrig.render.diagram.measure import MINUS

__all__ = [
    "azimuth_text",
    "distance_text",
    "kelvin_text",
    "modifier_text",
    "percent",
    "role_title",
    "signed_degrees",
]

_MODIFIER_WORDS: Mapping[str, str] = MappingProxyType({m.value: m.short for m in MODIFIERS})
#: Modifiers whose size photographers do not quote.
_UNSIZED = frozenset(Modifier(m.value) for m in MODIFIERS if not m.sized)


def distance_text(metres: float) -> str:
    """``"1.5 m"``, ``"0.25 m"``, ``"12 m"``: up to two decimals below 10 m, none from there."""
    shown = f"{metres:.2f}".rstrip("0").rstrip(".") if metres < 10 else f"{metres:.0f}"
    return f"{shown} m"


def azimuth_text(azimuth: float) -> str:
    """``"45° R"``, ``"30° L"``, ``"0°"``, ``"180°"``: an azimuth in degrees (positive toward
    camera-right) rounded to the degree, with its side."""
    degrees = round(abs(azimuth))
    if degrees in (0, 180):
        return f"{degrees}°"
    return f"{degrees}° {'R' if azimuth > 0 else 'L'}"


def signed_degrees(value: float) -> str:
    """``"+30°"``, ``"−10°"`` (a minus sign), ``"0°"``: an angle in degrees to the degree."""
    degrees = round(value)
    if degrees == 0:
        return "0°"
    return f"{'+' if degrees > 0 else MINUS}{abs(degrees)}°"


def kelvin_text(kelvin: float) -> str:
    """``"5600 K"``: a colour temperature to the kelvin."""
    return f"{round(kelvin):d} K"


def modifier_text(light: LightSettings) -> str:
    """``"softbox 90 cm"``, ``"window"`` (a modifier whose size is not quoted), ``"20 cm
    source"`` (none named): the modifier's short name and its diameter in centimetres."""
    size = light.modifier_size if light.modifier_size is not None else 0.0
    centimetres = f"{round(size * 100):d} cm"
    if light.modifier is None:
        return f"{centimetres} source"
    words = _MODIFIER_WORDS[light.modifier]
    return words if light.modifier in _UNSIZED else f"{words} {centimetres}"


def percent(fraction: float) -> str:
    """``"80 %"``, ``"2.5 %"``: a 0–1 intensity as a percentage of full power."""
    value = fraction * 100.0
    return f"{round(value):d} %" if value >= 9.95 else f"{value:.2g} %"


def role_title(role: LightType) -> str:
    """The role's name with a capital: ``"Key"``, ``"Rim"``."""
    text = role_name(role)
    return text[:1].upper() + text[1:]
