"""Classic studio setups as physical numbers.

Each preset is a complete :class:`~lightrig.models.scene.SceneRequest` (angles in degrees,
distances in metres, colour temperatures in kelvin, modifier sizes in metres) and names the
pattern the analyzer must recognise in it — a test holds every preset to that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lightrig.models.scene import SceneRequest

__all__ = ["PRESETS", "Preset", "UnknownPresetError", "get_preset"]

_PORTRAIT_CAMERA = {"shot_type": "medium close-up", "focal_length": 85, "aperture": 2.8}


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


def _light(**values: Any) -> dict[str, Any]:
    return values


_PRESETS: tuple[Preset, ...] = (
    Preset(
        "rembrandt",
        "Rembrandt",
        "A medium softbox 45° to camera-left and well above the eyes, so the nose shadow closes "
        "onto the cheek shadow and leaves a lit triangle under the far eye; a weak fill near "
        "the camera and a faint hair light against a dark grey backdrop.",
        "rembrandt",
        {
            "subject_description": "a man in his fifties with a short grey beard",
            "lighting_setup": {
                "key": _light(
                    azimuth=-45,
                    elevation=42,
                    distance=1.3,
                    intensity=0.9,
                    modifier="softbox",
                    modifier_size=0.7,
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=10,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "hair": _light(
                    azimuth=160,
                    elevation=55,
                    distance=1.2,
                    intensity=0.25,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#3a3a3a",
        },
    ),
    Preset(
        "loop",
        "Loop",
        "The everyday portrait light: a softbox 30° to camera-right and 35° up casts a small nose "
        "shadow that loops toward the mouth without meeting the cheek shadow; an umbrella fill "
        "from camera-left and a background light on a mid-grey backdrop.",
        "loop",
        {
            "subject_description": "a woman in her thirties with shoulder-length dark hair",
            "lighting_setup": {
                "key": _light(
                    azimuth=30,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=-25,
                    elevation=5,
                    distance=2.0,
                    intensity=0.5,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.25,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#7a7a7a",
        },
    ),
    Preset(
        "butterfly",
        "Butterfly (Paramount)",
        "A beauty dish straight in front of the face and 40° above it throws a small symmetrical "
        "shadow under the nose; no fill from below, so the cheekbones sculpt; a hair light from "
        "behind.",
        "butterfly",
        {
            "subject_description": "a model with high cheekbones and slicked-back hair",
            "lighting_setup": {
                "key": _light(
                    azimuth=0,
                    elevation=40,
                    distance=1.2,
                    intensity=0.8,
                    modifier="beauty_dish",
                    color_temperature=5600,
                ),
                "hair": _light(
                    azimuth=180,
                    elevation=60,
                    distance=1.2,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": _light(intensity=0.03, color_temperature=5600),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#505050",
        },
    ),
    Preset(
        "split",
        "Split",
        "A strip box at 90° camera-left at eye level lights exactly half the face and leaves the "
        "other half in shadow; only a little room light fills it, and a kicker from behind "
        "camera-right edges the dark side against a near-black backdrop.",
        "split",
        {
            "subject_description": "a young man with a strong jaw",
            "lighting_setup": {
                "key": _light(
                    azimuth=-90,
                    elevation=5,
                    distance=1.0,
                    intensity=0.8,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "kicker": _light(
                    azimuth=135,
                    elevation=15,
                    distance=1.5,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": _light(intensity=0.025, color_temperature=5600),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#202020",
        },
    ),
    Preset(
        "clamshell",
        "Clamshell",
        "Beauty light: an octabox on the nose axis 35° above and a reflector below the chin "
        "close in, so the light wraps top and bottom with double catchlights; a light grey "
        "backdrop lifted by a background light.",
        "clamshell",
        {
            "subject_description": "a woman with freckles and natural make-up",
            "lighting_setup": {
                "key": _light(
                    azimuth=0,
                    elevation=35,
                    distance=1.0,
                    intensity=0.8,
                    modifier="octabox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-30,
                    distance=0.8,
                    intensity=0.25,
                    modifier="reflector",
                    modifier_size=0.8,
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.2,
                    intensity=0.5,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": {**_PORTRAIT_CAMERA, "shot_type": "close-up", "focal_length": 105},
            "backdrop_color": "#d0d0d0",
        },
    ),
    Preset(
        "broad",
        "Broad",
        "The face turns 30° toward camera-right and the key, at camera-left, lights the side of "
        "the face turned toward the camera: it widens a narrow face.",
        "broad",
        {
            "subject_description": "a slim woman with a narrow face",
            "subject_yaw": 30,
            "lighting_setup": {
                "key": _light(
                    azimuth=-25,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=30,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.2,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#6a6a6a",
        },
    ),
    Preset(
        "short",
        "Short",
        "The face turns 30° toward camera-right and the key stands on that side, lighting the "
        "side of the face turned away from the camera: it slims and sculpts.",
        "short",
        {
            "subject_description": "a man with a round face",
            "subject_yaw": 30,
            "lighting_setup": {
                "key": _light(
                    azimuth=65,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=-20,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.2,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#6a6a6a",
        },
    ),
    Preset(
        "high-key",
        "High-key",
        "A large octabox near the camera axis and a reflector below keep the face within a stop; "
        "two background lights push the white seamless a little over the face: bright, clean, "
        "almost shadowless.",
        "high-key",
        {
            "subject_description": "a smiling child in a white t-shirt",
            "environment": "a white seamless studio",
            "lighting_setup": {
                "key": _light(
                    azimuth=10,
                    elevation=25,
                    distance=1.8,
                    intensity=0.8,
                    modifier="octabox",
                    modifier_size=1.5,
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-15,
                    distance=1.5,
                    intensity=0.4,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.9,
                    modifier="softbox",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#f5f5f5",
        },
    ),
    Preset(
        "low-key",
        "Low-key",
        "A gridded softbox 60° camera-left and high, a faint bounce from near the camera, and a "
        "strip-box kicker from behind camera-right edging the jaw against a black backdrop.",
        "low-key",
        {
            "subject_description": "an older man in a dark wool coat",
            "lighting_setup": {
                "key": _light(
                    azimuth=-60,
                    elevation=40,
                    distance=1.2,
                    intensity=0.8,
                    modifier="softbox",
                    modifier_size=0.5,
                    color_temperature=5600,
                ),
                "kicker": _light(
                    azimuth=140,
                    elevation=15,
                    distance=1.5,
                    intensity=0.4,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=15,
                    elevation=0,
                    distance=2.5,
                    intensity=0.15,
                    modifier="reflector",
                    color_temperature=5600,
                ),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#141414",
        },
    ),
    Preset(
        "rim-light",
        "Rim light",
        "Two strip boxes behind the subject at 135° on either side trace the jaw, ears and hair "
        "with bright edges; the front of the face stays dark against black.",
        "rim-lit",
        {
            "subject_description": "a dancer with her hair tied up",
            "lighting_setup": {
                "key": _light(
                    azimuth=135,
                    elevation=15,
                    distance=1.3,
                    intensity=0.9,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "rim": _light(
                    azimuth=-135,
                    elevation=15,
                    distance=1.3,
                    intensity=0.8,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": _light(intensity=0.01, color_temperature=5600),
            },
            "camera_settings": _PORTRAIT_CAMERA,
            "backdrop_color": "#101010",
        },
    ),
    Preset(
        "silhouette",
        "Silhouette",
        "Only the backdrop is lit, bright white, with a faint rim from behind: the subject is a "
        "dark shape cut out against it.",
        "silhouette",
        {
            "subject_description": "a saxophone player holding his instrument",
            "lighting_setup": {
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=1.0,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "rim": _light(
                    azimuth=150,
                    elevation=20,
                    distance=1.5,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
            },
            "camera_settings": {**_PORTRAIT_CAMERA, "shot_type": "medium shot", "focal_length": 50},
            "backdrop_color": "#f0f0f0",
        },
    ),
    Preset(
        "window-light",
        "Window light",
        "A large north-facing window 40° to camera-left, a little above the eyes, soft and "
        "slightly cool; a white bounce card on the other side opens the shadows.",
        "loop",
        {
            "subject_description": "a woman reading by the window",
            "environment": "a loft with a large north-facing window and plaster walls",
            "lighting_setup": {
                "key": _light(
                    azimuth=-40,
                    elevation=15,
                    distance=1.5,
                    intensity=0.7,
                    modifier="window",
                    color_temperature=6200,
                ),
                "fill": _light(
                    azimuth=50,
                    elevation=0,
                    distance=1.0,
                    intensity=0.12,
                    modifier="reflector",
                    color_temperature=6200,
                ),
                "ambient": _light(intensity=0.02, color_temperature=6200),
            },
            "camera_settings": {**_PORTRAIT_CAMERA, "focal_length": 50, "aperture": 2.0},
        },
    ),
    Preset(
        "golden-hour",
        "Golden hour",
        "The low sun behind the subject at camera-right rims the hair in warm light; a gold "
        "reflector in front bounces it back into the face, and the sunlit meadow glows behind.",
        "rim-lit",
        {
            "subject_description": "a young woman with long loose hair",
            "environment": "an open meadow at golden hour",
            "lighting_setup": {
                "key": _light(
                    azimuth=150,
                    elevation=8,
                    distance=1.5,
                    intensity=1.0,
                    modifier="bare",
                    modifier_size=0.015,
                    color_temperature=3000,
                ),
                "fill": _light(
                    azimuth=-20,
                    elevation=-5,
                    distance=1.2,
                    intensity=0.15,
                    modifier="reflector",
                    color_temperature=3000,
                ),
                "ambient": _light(intensity=0.04, color_temperature=3000),
            },
            "camera_settings": {
                **_PORTRAIT_CAMERA,
                "focal_length": 135,
                "aperture": 2.0,
                "white_balance": 5200,
            },
            "background_distance": 20,
        },
    ),
    Preset(
        "film-noir",
        "Film noir",
        "A hard fresnel high at camera-left, no fill but the room's spill, deep shadows, a hard "
        "hair light from behind and a dim pool of light on the wall: 1940s detective cinema.",
        "low-key",
        {
            "subject_description": "a detective in a fedora and trench coat",
            "environment": "a dim office with venetian blinds",
            "lighting_setup": {
                "key": _light(
                    azimuth=-70,
                    elevation=40,
                    distance=2.0,
                    intensity=0.9,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.5,
                    intensity=0.1,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "hair": _light(
                    azimuth=160,
                    elevation=50,
                    distance=1.5,
                    intensity=0.35,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "ambient": _light(intensity=0.012, color_temperature=3200),
            },
            "camera_settings": {**_PORTRAIT_CAMERA, "focal_length": 50, "white_balance": 3200},
            "backdrop_color": "#2a2a2a",
        },
    ),
    Preset(
        "product-tabletop",
        "Product tabletop",
        "A large softbox high over the camera axis, two strip boxes at the sides for clean edge "
        "highlights, a white card low in front for the label and a lit white sweep: the "
        "catalogue look.",
        "high-key",
        {
            "subject_description": "a glass perfume bottle with a gold cap",
            "environment": "a tabletop on a white acrylic sweep",
            "lighting_setup": {
                "key": _light(
                    azimuth=0,
                    elevation=60,
                    distance=1.0,
                    intensity=0.8,
                    modifier="softbox",
                    modifier_size=1.0,
                    color_temperature=5600,
                ),
                "rim": _light(
                    azimuth=-100,
                    elevation=10,
                    distance=0.8,
                    intensity=0.5,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "kicker": _light(
                    azimuth=100,
                    elevation=10,
                    distance=0.8,
                    intensity=0.5,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-20,
                    distance=0.6,
                    intensity=0.35,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=0.8,
                    intensity=1.0,
                    modifier="softbox",
                    color_temperature=5600,
                ),
            },
            "camera_settings": {
                "shot_type": "close-up",
                "focal_length": 100,
                "aperture": 8,
                "lens_type": "macro",
            },
            "background_distance": 1.0,
            "backdrop_color": "#f8f8f8",
        },
    ),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _PRESETS}


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (case-insensitive; spaces and underscores read as hyphens)."""
    slug = name.strip().lower().replace(" ", "-").replace("_", "-")
    try:
        return PRESETS[slug]
    except KeyError:
        raise UnknownPresetError(
            f"unknown preset {name!r}; presets: {', '.join(PRESETS)}"
        ) from None
