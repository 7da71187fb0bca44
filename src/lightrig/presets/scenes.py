"""Setups named for a place, a time or a look: window light, golden hour, film noir and the
product tabletop."""

from __future__ import annotations

from lightrig.presets.preset import PORTRAIT_CAMERA, Preset, light

#: In the order the product lists them.
PRESETS: tuple[Preset, ...] = (
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
                "key": light(
                    azimuth=-40,
                    elevation=15,
                    distance=1.5,
                    intensity=0.7,
                    modifier="window",
                    color_temperature=6200,
                ),
                "fill": light(
                    azimuth=50,
                    elevation=0,
                    distance=1.0,
                    intensity=0.12,
                    modifier="reflector",
                    color_temperature=6200,
                ),
                "ambient": light(intensity=0.02, color_temperature=6200),
            },
            "camera_settings": {**PORTRAIT_CAMERA, "focal_length": 50, "aperture": 2.0},
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
                "key": light(
                    azimuth=150,
                    elevation=8,
                    distance=1.5,
                    intensity=1.0,
                    modifier="bare",
                    modifier_size=0.015,
                    color_temperature=3000,
                ),
                "fill": light(
                    azimuth=-20,
                    elevation=-5,
                    distance=1.2,
                    intensity=0.15,
                    modifier="reflector",
                    color_temperature=3000,
                ),
                "ambient": light(intensity=0.04, color_temperature=3000),
            },
            "camera_settings": {
                **PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=-70,
                    elevation=40,
                    distance=2.0,
                    intensity=0.9,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.5,
                    intensity=0.1,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "hair": light(
                    azimuth=160,
                    elevation=50,
                    distance=1.5,
                    intensity=0.35,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "ambient": light(intensity=0.012, color_temperature=3200),
            },
            "camera_settings": {**PORTRAIT_CAMERA, "focal_length": 50, "white_balance": 3200},
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
                "key": light(
                    azimuth=0,
                    elevation=60,
                    distance=1.0,
                    intensity=0.8,
                    modifier="softbox",
                    modifier_size=1.0,
                    color_temperature=5600,
                ),
                "rim": light(
                    azimuth=-100,
                    elevation=10,
                    distance=0.8,
                    intensity=0.5,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "kicker": light(
                    azimuth=100,
                    elevation=10,
                    distance=0.8,
                    intensity=0.5,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=0,
                    elevation=-20,
                    distance=0.6,
                    intensity=0.35,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "background": light(
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
