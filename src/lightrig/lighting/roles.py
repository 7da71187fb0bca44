"""The roles a light plays in a setup."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DEFAULT_ELEVATION_DEG", "LightType"]


class LightType(StrEnum):
    """The role of a light. A setup holds at most one light per role."""

    KEY = "key"
    FILL = "fill"
    RIM = "rim"
    KICKER = "kicker"
    HAIR = "hair"
    BACKGROUND = "background"
    AMBIENT = "ambient"


#: Elevation in degrees given to a light whose direction names no height: where a photographer
#: would put that light by habit (key above eye level, fill near it, hair light high behind).
DEFAULT_ELEVATION_DEG: dict[LightType, float] = {
    LightType.KEY: 30.0,
    LightType.FILL: 0.0,
    LightType.RIM: 20.0,
    LightType.KICKER: 10.0,
    LightType.HAIR: 50.0,
    LightType.BACKGROUND: 0.0,
    LightType.AMBIENT: 0.0,
}
