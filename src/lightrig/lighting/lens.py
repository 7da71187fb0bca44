"""The focal range a lens label names, so a label and a focal length can be held to each other.

``lens_type`` is the user's free label for the lens; the labels that name a focal range
("portrait", "telephoto", "wide-angle"...) are read from
:data:`~lightrig.lighting.vocabulary.LENS_CLASSES`. The camera uses them to read an ambiguous
``fov`` (:class:`~lightrig.models.camera.CameraSettings`), the prompt to leave out a label that
contradicts its focal length, and the advice to warn about one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lightrig.lighting.vocabulary import LENS_CLASSES

__all__ = ["LensClass", "lens_class"]


@dataclass(frozen=True, slots=True)
class LensClass:
    """The focal range a lens label names: ``name`` ("portrait"), ``shortest`` and ``longest``
    full-frame focal lengths in mm."""

    name: str
    shortest: float
    longest: float

    def holds(self, focal_length_mm: float) -> bool:
        """Whether a focal length (mm) is in this class's range."""
        return self.shortest <= focal_length_mm <= self.longest


_LENS_CLASSES = tuple(
    (re.compile(rf"(?<![a-z])(?:{words})(?![a-z])"), LensClass(name, low, high))
    for words, name, low, high in LENS_CLASSES
)


def lens_class(lens_type: str | None) -> LensClass | None:
    """The focal range a ``lens_type`` label names ("portrait": 50–200 mm), or ``None`` for a
    label that names none ("macro") — :data:`~lightrig.lighting.vocabulary.LENS_CLASSES`."""
    if not lens_type:
        return None
    text = lens_type.lower()
    return next((found for words, found in _LENS_CLASSES if words.search(text)), None)
