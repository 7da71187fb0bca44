"""The classic portrait patterns, each named for the shadow its key makes: Rembrandt, loop,
butterfly, split, clamshell, and broad and short lighting on a turned head."""

from __future__ import annotations

from lightrig.presets.preset import PORTRAIT_CAMERA, Preset, light

#: In the order the product lists them.
PRESETS: tuple[Preset, ...] = (
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
                "key": light(
                    azimuth=-45,
                    elevation=42,
                    distance=1.3,
                    intensity=0.9,
                    modifier="softbox",
                    modifier_size=0.7,
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=10,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="reflector",
                    color_temperature=5600,
                ),
                "hair": light(
                    azimuth=160,
                    elevation=55,
                    distance=1.2,
                    intensity=0.25,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=30,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=-25,
                    elevation=5,
                    distance=2.0,
                    intensity=0.5,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.25,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=0,
                    elevation=40,
                    distance=1.2,
                    intensity=0.8,
                    modifier="beauty_dish",
                    color_temperature=5600,
                ),
                "hair": light(
                    azimuth=180,
                    elevation=60,
                    distance=1.2,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": light(intensity=0.03, color_temperature=5600),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=-90,
                    elevation=5,
                    distance=1.0,
                    intensity=0.8,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "kicker": light(
                    azimuth=135,
                    elevation=15,
                    distance=1.5,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=5600,
                ),
                "ambient": light(intensity=0.025, color_temperature=5600),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=0,
                    elevation=35,
                    distance=1.0,
                    intensity=0.8,
                    modifier="octabox",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=0,
                    elevation=-30,
                    distance=0.8,
                    intensity=0.25,
                    modifier="reflector",
                    modifier_size=0.8,
                    color_temperature=5600,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.2,
                    intensity=0.5,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": {**PORTRAIT_CAMERA, "shot_type": "close-up", "focal_length": 105},
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
                "key": light(
                    azimuth=-25,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=30,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.2,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
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
                "key": light(
                    azimuth=65,
                    elevation=35,
                    distance=1.5,
                    intensity=0.8,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": light(
                    azimuth=-20,
                    elevation=0,
                    distance=2.0,
                    intensity=0.45,
                    modifier="umbrella",
                    color_temperature=5600,
                ),
                "background": light(
                    azimuth=180,
                    elevation=0,
                    distance=1.0,
                    intensity=0.2,
                    modifier="bare",
                    color_temperature=5600,
                ),
            },
            "camera_settings": PORTRAIT_CAMERA,
            "backdrop_color": "#6a6a6a",
        },
    ),
)
