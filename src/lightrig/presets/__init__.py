"""Classic studio setups as physical numbers.

Each preset is a complete :class:`~lightrig.models.scene.SceneRequest` (angles in degrees,
distances in metres, colour temperatures in kelvin, modifier sizes in metres) and names the
pattern the analyzer must recognise in it — a test holds every preset to that. They are kept by
family: :mod:`~lightrig.presets.portraits` (the classic patterns),
:mod:`~lightrig.presets.tonal` (high- and low-key, rim light, silhouette) and
:mod:`~lightrig.presets.scenes` (window light, golden hour, film noir, the product tabletop).
"""

from __future__ import annotations

from lightrig.presets import portraits, scenes, tonal
from lightrig.presets.preset import Preset, UnknownPresetError

__all__ = ["PRESETS", "Preset", "UnknownPresetError", "get_preset"]

#: Every preset by its slug, in the order the product lists them.
PRESETS: dict[str, Preset] = {
    preset.name: preset for family in (portraits, tonal, scenes) for preset in family.PRESETS
}


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive; spaces and underscores read as hyphens)."""
    slug = name.strip().lower().replace(" ", "-").replace("_", "-")
    try:
        return PRESETS[slug]
    except KeyError:
        raise UnknownPresetError(
            f"unknown preset {name!r}; presets: {', '.join(PRESETS)}"
        ) from None
