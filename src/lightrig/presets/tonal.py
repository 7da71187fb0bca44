"""Setups named for their tonality or their edge: high-key, low-key, rim light and silhouette."""

from __future__ import annotations

from lightrig.presets.preset import PORTRAIT_CAMERA, Preset, light

#: In the order the product lists them.
PRESETS: tuple[Preset, ...] = (
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
                "key": light(
                    azimuth=10,
                    elevation=25,
                    distance=1.8,
                    intensity=0.8,
                    modifier="octabox",
                    modifier_size=1.5,
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=0,
                    elevation=-15,
                    distance=1.5,
                    intensity=0.4,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.9,
                    modifier="softbox",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=-60,
                    elevation=40,
                    distance=1.2,
                    intensity=0.8,
                    modifier="softbox",
                    modifier_size=0.5,
                    color_temperature=5600,
                ),
                "kicker": light(
                    azimuth=140,
                    elevation=15,
                    distance=1.5,
                    intensity=0.4,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=15,
                    elevation=0,
                    distance=2.5,
                    intensity=0.15,
                    modifier="reflector",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=135,
                    elevation=15,
                    distance=1.3,
                    intensity=0.9,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "rim": light(
                    azimuth=-135,
                    elevation=15,
                    distance=1.3,
                    intensity=0.8,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": light(intensity=0.01, color_temperature=5600),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=1.0,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "rim": light(
                    azimuth=150,
                    elevation=20,
                    distance=1.5,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
            },
            "camera_settings": {**PORTRAIT_CAMERA, "shot_type": "medium shot", "focal_length": 50},
            "backdrop_color": "#f0f0f0",
        },
    ),
)
