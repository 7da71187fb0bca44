"""A preset as the API shows it (``GET /v1/presets``), apart from the other schemas: the
server's first calls answer it before the API is built (:mod:`lightrig.api.first_calls`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from lightrig.models.scene import SceneRequest

__all__ = ["PresetOut", "preset_out"]


class PresetOut(BaseModel):
    """A built-in setup."""

    name: str
    title: str
    description: str
    pattern: str
    request: SceneRequest


def preset_out(preset: Any) -> PresetOut:
    """The API's view of a :class:`~lightrig.presets.Preset`."""
    return PresetOut(
        name=preset.name,
        title=preset.title,
        description=preset.description,
        pattern=preset.expected,
        request=preset.request(),
    )
