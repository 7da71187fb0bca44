"""What a preset is: a named, complete setup as physical numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lightrig.models.scene import SceneRequest

__all__ = ["PORTRAIT_CAMERA", "Preset", "UnknownPresetError", "light"]

#: The camera of a head-and-shoulders portrait: an 85 mm lens at f/2.8.
PORTRAIT_CAMERA = {"shot_type": "medium close-up", "focal_length": 85, "aperture": 2.8}


@dataclass(frozen=True, slots=True)
class Preset:
    """A named setup: its slug, title, a photographer's description, the name the analyzer must
    find in it, and the request data."""

    name: str
    title: str
    description: str
    expected: str
    data: Mapping[str, Any]

    def request(self) -> SceneRequest:
        """A fresh, validated request for this preset."""
        return SceneRequest.model_validate(self.data)


class UnknownPresetError(KeyError):
    """No preset by that name; the message lists the names there are."""

    def __str__(self) -> str:
        return str(self.args[0])


def light(**values: Any) -> dict[str, Any]:
    """One light's settings, written as keywords (angles in degrees, distance in metres,
    intensity 0–1, colour temperature in kelvin)."""
    return values
