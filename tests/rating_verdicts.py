"""Thirty setups with a photographer's verdict: the development set of the rating (issue 16),
written before the rating was reworked, from photographic judgement and not from its code.

Each entry is a dict: ``name``, ``verdict`` (``"good"`` — a setup I would sign; ``"flawed"`` —
one real problem a photographer would flag; ``"bad"`` — several problems, or one severe one),
``reason`` (why, in a photographer's words) and ``request`` (the data of a
:class:`~lightrig.models.scene.SceneRequest`: azimuth in degrees from the camera axis, negative
camera-left, 180 behind; elevation in degrees above the eyes; distance in metres; intensity 0–1
of full power, 1.0 being what a full-power light gives 1 m away; colour temperature in kelvin;
modifier and modifier size in metres).

The rating must rank them as the verdicts do: every good setup above every bad one, and a
Spearman correlation of 0.8 or more between the rating and the verdict order (good 3, flawed 2,
bad 1). ``benchmarks/rating.py`` prints how well it does; ``tests/test_rating.py`` holds it to it.
"""

from __future__ import annotations

from typing import Any

#: The verdict order the rating is measured against.
ORDER = {"good": 3, "flawed": 2, "bad": 1}

_PORTRAIT = {"shot_type": "medium close-up", "focal_length": 85, "aperture": 2.8}


def _setup(name: str, verdict: str, reason: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "verdict": verdict, "reason": reason, "request": request}


def _light(**values: Any) -> dict[str, Any]:
    return values


GOOD: tuple[dict[str, Any], ...] = (
    _setup(
        "classic loop",
        "good",
        "Softbox 35° round and 35° up, umbrella fill about 1½ stops under it, a hair light and a "
        "mid-grey backdrop: the everyday portrait done right.",
        {
            "subject_description": "a woman in her thirties with dark hair",
            "lighting_setup": {
                "key": _light(
                    azimuth=35, elevation=35, distance=1.4, intensity=0.8, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-30, elevation=5, distance=1.8, intensity=0.5, modifier="umbrella"
                ),
                "hair": _light(
                    azimuth=160, elevation=55, distance=1.2, intensity=0.2, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#6e6e6e",
        },
    ),
    _setup(
        "moody rembrandt",
        "good",
        "Medium softbox 50° camera-left and high for the Rembrandt triangle, a faint bounce "
        "about 3 stops under, a kicker edging the jaw off a charcoal backdrop: low-key that "
        "keeps detail in the shadows.",
        {
            "subject_description": "a man in his sixties with a weathered face",
            "lighting_setup": {
                "key": _light(
                    azimuth=-50,
                    elevation=45,
                    distance=1.3,
                    intensity=0.9,
                    modifier="softbox",
                    modifier_size=0.7,
                ),
                "fill": _light(
                    azimuth=20, elevation=0, distance=2.0, intensity=0.25, modifier="reflector"
                ),
                "kicker": _light(
                    azimuth=140, elevation=15, distance=1.6, intensity=0.3, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#2a2a2a",
        },
    ),
    _setup(
        "butterfly with a warm hair light",
        "good",
        "Beauty dish on the nose axis 40° up, a silver reflector under the chin a couple of "
        "stops down, and a half-CTO hair light from behind: the warm rim is a deliberate accent "
        "on a matched daylight face.",
        {
            "subject_description": "a model with high cheekbones",
            "lighting_setup": {
                "key": _light(
                    azimuth=0, elevation=40, distance=1.2, intensity=0.8, modifier="beauty_dish"
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-35,
                    distance=1.3,
                    intensity=0.15,
                    modifier="reflector",
                    modifier_size=0.6,
                ),
                "hair": _light(
                    azimuth=180,
                    elevation=60,
                    distance=1.2,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=3800,
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#505050",
        },
    ),
    _setup(
        "high-key clamshell beauty",
        "good",
        "Octabox above the nose axis, a large reflector close under the chin within a stop, and "
        "a background light taking the white seamless to clean white: bright, soft beauty "
        "light.",
        {
            "subject_description": "a woman with freckles, beauty close-up",
            "lighting_setup": {
                "key": _light(
                    azimuth=0, elevation=35, distance=1.0, intensity=0.8, modifier="octabox"
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-30,
                    distance=0.8,
                    intensity=0.3,
                    modifier="reflector",
                    modifier_size=0.8,
                ),
                "background": _light(
                    azimuth=180, elevation=0, distance=1.2, intensity=0.8, modifier="softbox"
                ),
            },
            "camera_settings": {**_PORTRAIT, "shot_type": "close-up", "focal_length": 105},
            "backdrop_color": "#eeeeee",
        },
    ),
    _setup(
        "short light, head turned",
        "good",
        "Head turned 30° camera-right and the softbox on that side lights the far cheek: short "
        "lighting that slims, a fill about 1½–2 stops under and a background light on grey.",
        {
            "subject_description": "a man with a round face",
            "subject_yaw": 30,
            "lighting_setup": {
                "key": _light(
                    azimuth=60, elevation=35, distance=1.5, intensity=0.8, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-15, elevation=0, distance=2.0, intensity=0.45, modifier="umbrella"
                ),
                "background": _light(
                    azimuth=180, elevation=0, distance=1.0, intensity=0.25, modifier="bare"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#606060",
        },
    ),
    _setup(
        "split with a hair light",
        "good",
        "Strip box at 90° camera-right just above eye level splits the face, room light keeps a "
        "trace of detail in the dark half, a hair light lifts the head off a dark backdrop.",
        {
            "subject_description": "a young man with a strong jaw",
            "lighting_setup": {
                "key": _light(
                    azimuth=90, elevation=10, distance=1.2, intensity=0.8, modifier="strip_box"
                ),
                "hair": _light(
                    azimuth=180, elevation=60, distance=1.3, intensity=0.3, modifier="strip_box"
                ),
                "ambient": _light(intensity=0.03),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#2e2e2e",
        },
    ),
    _setup(
        "silhouette",
        "good",
        "Only the white backdrop is lit, well over the subject, nothing in front: a clean "
        "black shape against white.",
        {
            "subject_description": "a dancer mid-leap",
            "lighting_setup": {
                "background": _light(
                    azimuth=180, elevation=0, distance=1.2, intensity=1.0, modifier="softbox"
                ),
            },
            "camera_settings": {**_PORTRAIT, "shot_type": "full shot", "focal_length": 50},
            "background_distance": 3.0,
            "backdrop_color": "#f2f2f2",
        },
    ),
    _setup(
        "film noir",
        "good",
        "A hard fresnel high at camera-left, no fill but a little room spill, a hard hair light "
        "and a pool on the wall, all tungsten and balanced for tungsten: noir as it should be.",
        {
            "subject_description": "a detective in a fedora",
            "environment": "a dim office",
            "lighting_setup": {
                "key": _light(
                    azimuth=-60,
                    elevation=45,
                    distance=2.5,
                    intensity=1.0,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "hair": _light(
                    azimuth=160,
                    elevation=50,
                    distance=1.5,
                    intensity=0.4,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "background": _light(
                    azimuth=180,
                    elevation=0,
                    distance=1.5,
                    intensity=0.15,
                    modifier="fresnel",
                    color_temperature=3200,
                ),
                "ambient": _light(intensity=0.01, color_temperature=3200),
            },
            "camera_settings": {**_PORTRAIT, "focal_length": 50, "white_balance": 3200},
            "backdrop_color": "#262626",
        },
    ),
    _setup(
        "window light",
        "good",
        "A big window 45° camera-left a little above the eyes, a white card on the other side "
        "about 2 stops under, one daylight colour throughout, a pale plaster wall behind.",
        {
            "subject_description": "a woman reading",
            "environment": "a loft with a large window",
            "lighting_setup": {
                "key": _light(
                    azimuth=-45,
                    elevation=10,
                    distance=1.2,
                    intensity=0.7,
                    modifier="window",
                    color_temperature=6000,
                ),
                "fill": _light(
                    azimuth=45,
                    elevation=0,
                    distance=1.0,
                    intensity=0.15,
                    modifier="reflector",
                    color_temperature=6000,
                ),
                "ambient": _light(intensity=0.03, color_temperature=6000),
            },
            "camera_settings": {**_PORTRAIT, "focal_length": 50, "aperture": 2.0},
            "background_distance": 2.0,
            "backdrop_color": "#a0a0a0",
        },
    ),
    _setup(
        "rim-lit athlete",
        "good",
        "Two strip boxes behind at 130° either side carve the outline, a weak bounce from the "
        "front keeps the eyes readable, black backdrop: a dramatic edge-lit portrait.",
        {
            "subject_description": "a boxer, shirtless",
            "lighting_setup": {
                "key": _light(
                    azimuth=130, elevation=15, distance=1.3, intensity=0.9, modifier="strip_box"
                ),
                "rim": _light(
                    azimuth=-130, elevation=15, distance=1.3, intensity=0.8, modifier="strip_box"
                ),
                "fill": _light(
                    azimuth=0, elevation=0, distance=2.5, intensity=0.1, modifier="reflector"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#121212",
        },
    ),
)

FLAWED: tuple[dict[str, Any], ...] = (
    _setup(
        "loop, key weaker than the fill",
        "flawed",
        "The 'fill' umbrella, closer and stronger, outshines the softbox key: the shadow falls "
        "the wrong way and the pattern is muddled; otherwise a sound setup.",
        {
            "subject_description": "a woman in her forties",
            "lighting_setup": {
                "key": _light(
                    azimuth=35, elevation=35, distance=1.6, intensity=0.45, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-30, elevation=5, distance=1.2, intensity=0.6, modifier="umbrella"
                ),
                "hair": _light(
                    azimuth=160, elevation=55, distance=1.2, intensity=0.2, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#6e6e6e",
        },
    ),
    _setup(
        "rembrandt, bare key in close",
        "flawed",
        "A bare 18 cm reflector 45 cm from the face: the near cheek and ear run hot and the "
        "light falls off across the face; the rest (fill, hair light, backdrop) is sound.",
        {
            "subject_description": "a man in his fifties",
            "lighting_setup": {
                "key": _light(
                    azimuth=-45, elevation=35, distance=0.45, intensity=0.3, modifier="bare"
                ),
                "fill": _light(
                    azimuth=20, elevation=0, distance=1.0, intensity=0.35, modifier="umbrella"
                ),
                "hair": _light(
                    azimuth=160, elevation=55, distance=1.0, intensity=0.6, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#5a5a5a",
        },
    ),
    _setup(
        "window light with a tungsten lamp fill",
        "flawed",
        "A daylight window key and a tungsten table lamp filling the shadow side: the shadows "
        "go orange against a neutral lit side, an accidental mix; light and shape are fine.",
        {
            "subject_description": "a man at a desk",
            "environment": "a study with a window",
            "lighting_setup": {
                "key": _light(
                    azimuth=-45,
                    elevation=10,
                    distance=1.2,
                    intensity=0.7,
                    modifier="window",
                    color_temperature=5800,
                ),
                "fill": _light(
                    azimuth=50,
                    elevation=5,
                    distance=1.3,
                    intensity=0.15,
                    modifier="bare",
                    color_temperature=2800,
                ),
            },
            "camera_settings": {**_PORTRAIT, "focal_length": 50, "white_balance": 5600},
            "background_distance": 2.0,
            "backdrop_color": "#909090",
        },
    ),
    _setup(
        "low-key rembrandt flattened by its fill",
        "flawed",
        "A Rembrandt key and a kicker on a black backdrop, but a big umbrella fill close to the "
        "camera lifts the shadow side to little more than a stop under the lit side: the drama the "
        "setup is for is gone.",
        {
            "subject_description": "an older man in a dark coat",
            "lighting_setup": {
                "key": _light(
                    azimuth=-50,
                    elevation=42,
                    distance=1.3,
                    intensity=0.8,
                    modifier="softbox",
                    modifier_size=0.7,
                ),
                "fill": _light(
                    azimuth=20, elevation=5, distance=1.3, intensity=0.6, modifier="umbrella"
                ),
                "kicker": _light(
                    azimuth=140, elevation=15, distance=1.5, intensity=0.35, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#141414",
        },
    ),
    _setup(
        "broad light, dark hair on black",
        "flawed",
        "Head turned 25° camera-right and broad-lit from camera-left, fill well judged, but no "
        "rim, hair or background light against a near-black backdrop: dark hair and shoulders "
        "merge with it.",
        {
            "subject_description": "a woman with long black hair in a black top",
            "subject_yaw": 25,
            "lighting_setup": {
                "key": _light(
                    azimuth=-30, elevation=35, distance=1.5, intensity=0.8, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=30, elevation=0, distance=2.0, intensity=0.4, modifier="umbrella"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#151515",
        },
    ),
    _setup(
        "clamshell beauty too contrasty",
        "flawed",
        "A beauty setup whose reflector is too far and small: about 3 stops between the forehead "
        "and the shadows under the chin and eyes, too hard-edged a look for beauty.",
        {
            "subject_description": "a beauty close-up, flawless make-up",
            "lighting_setup": {
                "key": _light(
                    azimuth=0, elevation=40, distance=1.0, intensity=0.8, modifier="beauty_dish"
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-25,
                    distance=1.6,
                    intensity=0.12,
                    modifier="reflector",
                    modifier_size=0.5,
                ),
                "background": _light(
                    azimuth=180, elevation=0, distance=1.2, intensity=0.4, modifier="softbox"
                ),
            },
            "camera_settings": {**_PORTRAIT, "shot_type": "close-up", "focal_length": 105},
            "backdrop_color": "#bdbdbd",
        },
    ),
    _setup(
        "loop with the key below the eyes",
        "flawed",
        "A soft key at a good angle round the face but 10° below the eyes: shadows climb upward "
        "and the catchlights sit low; everything else is sound.",
        {
            "subject_description": "a man in a suit",
            "lighting_setup": {
                "key": _light(
                    azimuth=40, elevation=-10, distance=1.5, intensity=0.8, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-30, elevation=0, distance=2.0, intensity=0.4, modifier="umbrella"
                ),
                "hair": _light(
                    azimuth=160, elevation=55, distance=1.2, intensity=0.2, modifier="strip_box"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#606060",
        },
    ),
    _setup(
        "loop with a blown hair light",
        "flawed",
        "A sound loop, but the bare hair light close behind the head is stronger than the key "
        "by a couple of stops: hair and shoulders burn out in a halo.",
        {
            "subject_description": "a blonde woman",
            "lighting_setup": {
                "key": _light(
                    azimuth=35, elevation=35, distance=1.5, intensity=0.7, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-30, elevation=5, distance=2.0, intensity=0.4, modifier="umbrella"
                ),
                "hair": _light(
                    azimuth=170, elevation=50, distance=0.8, intensity=1.0, modifier="bare"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#606060",
        },
    ),
    _setup(
        "top light, eye sockets dark",
        "flawed",
        "A softbox 70° overhead with only a weak fill from the front: the eye sockets go dark "
        "and the catchlights vanish; soft, matched, separated otherwise.",
        {
            "subject_description": "a woman with deep-set eyes",
            "lighting_setup": {
                "key": _light(
                    azimuth=10, elevation=70, distance=1.3, intensity=0.9, modifier="softbox"
                ),
                "fill": _light(
                    azimuth=-10, elevation=0, distance=2.5, intensity=0.15, modifier="reflector"
                ),
                "background": _light(
                    azimuth=180, elevation=0, distance=1.0, intensity=0.25, modifier="bare"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#707070",
        },
    ),
    _setup(
        "hard bare key on a clamshell beauty",
        "flawed",
        "A clamshell with a well-judged reflector, but the key is a bare reflector at 1.5 m: "
        "hard nose and lash shadows and every pore shown, wrong for beauty.",
        {
            "subject_description": "a beauty close-up",
            "lighting_setup": {
                "key": _light(
                    azimuth=0, elevation=40, distance=1.5, intensity=0.9, modifier="bare"
                ),
                "fill": _light(
                    azimuth=0,
                    elevation=-30,
                    distance=0.8,
                    intensity=0.12,
                    modifier="reflector",
                    modifier_size=0.8,
                ),
                "background": _light(
                    azimuth=180, elevation=0, distance=1.2, intensity=0.6, modifier="softbox"
                ),
            },
            "camera_settings": {**_PORTRAIT, "shot_type": "close-up", "focal_length": 105},
            "backdrop_color": "#d8d8d8",
        },
    ),
)

BAD: tuple[dict[str, Any], ...] = (
    _setup(
        "bare key in close, no fill, on black",
        "bad",
        "A bare reflector 35 cm from the face and nothing else: the near cheek blows out, the "
        "far side is black at 20:1 or more, and the head disappears into a black backdrop.",
        {
            "subject_description": "a man in a black shirt",
            "lighting_setup": {
                "key": _light(
                    azimuth=-60, elevation=20, distance=0.35, intensity=0.4, modifier="bare"
                ),
                "ambient": _light(intensity=0.01),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#181818",
        },
    ),
    _setup(
        "horror under-light",
        "bad",
        "A hard bare key 40° below the eyes, no fill, black backdrop: monster light, the face lit "
        "from under the chin with shadows climbing to the forehead, and nothing separates it.",
        {
            "subject_description": "a young woman",
            "lighting_setup": {
                "key": _light(
                    azimuth=10, elevation=-40, distance=1.0, intensity=0.8, modifier="bare"
                ),
                "ambient": _light(intensity=0.01),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#101010",
        },
    ),
    _setup(
        "weak key, warm fill, flat",
        "bad",
        "The tungsten 'fill' beside the camera outshines a daylight key: the face is flat and "
        "orange with a blue edge on one side, and no pattern reads.",
        {
            "subject_description": "a man in his thirties",
            "lighting_setup": {
                "key": _light(
                    azimuth=-50,
                    elevation=30,
                    distance=2.2,
                    intensity=0.35,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=10,
                    elevation=5,
                    distance=1.2,
                    intensity=0.6,
                    modifier="umbrella",
                    color_temperature=3200,
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#808080",
        },
    ),
    _setup(
        "butterfly beauty at a huge ratio on black",
        "bad",
        "A beauty dish steeply above the nose with no fill at all: black eye sockets and a black "
        "chin shadow, far beyond any beauty ratio, and nothing separates the head from black.",
        {
            "subject_description": "a beauty close-up of a model",
            "lighting_setup": {
                "key": _light(
                    azimuth=0, elevation=55, distance=1.0, intensity=0.9, modifier="beauty_dish"
                ),
                "ambient": _light(intensity=0.004),
            },
            "camera_settings": {**_PORTRAIT, "shot_type": "close-up", "focal_length": 105},
            "backdrop_color": "#101010",
        },
    ),
    _setup(
        "four colour temperatures",
        "bad",
        "Daylight key, tungsten fill, a candle-warm practical and a cool hair light, shot at "
        "daylight balance: skin goes patchy orange and blue for no reason, and the fill so "
        "strong the face is nearly flat.",
        {
            "subject_description": "a woman in a living room",
            "lighting_setup": {
                "key": _light(
                    azimuth=40,
                    elevation=30,
                    distance=1.5,
                    intensity=0.7,
                    modifier="softbox",
                    color_temperature=5600,
                ),
                "fill": _light(
                    azimuth=-35,
                    elevation=5,
                    distance=1.3,
                    intensity=0.5,
                    modifier="umbrella",
                    color_temperature=3200,
                ),
                "hair": _light(
                    azimuth=170,
                    elevation=50,
                    distance=1.2,
                    intensity=0.3,
                    modifier="strip_box",
                    color_temperature=7500,
                ),
                "ambient": _light(intensity=0.06, color_temperature=2400),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#707070",
        },
    ),
    _setup(
        "two equal bare lights crossing on black",
        "bad",
        "Two bare heads of equal power at 45° either side: two nose shadows cross, the face is "
        "flat and shiny with no shape, and a black backdrop with nothing to separate the head.",
        {
            "subject_description": "a man",
            "lighting_setup": {
                "key": _light(
                    azimuth=-45, elevation=30, distance=1.5, intensity=0.8, modifier="bare"
                ),
                "fill": _light(
                    azimuth=45, elevation=30, distance=1.5, intensity=0.8, modifier="bare"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#121212",
        },
    ),
    _setup(
        "hard noon top light",
        "bad",
        "A hard, small source almost straight overhead and no fill: black eye sockets, a nose "
        "shadow on the lips, no catchlights.",
        {
            "subject_description": "a man outdoors at noon",
            "lighting_setup": {
                "key": _light(
                    azimuth=0,
                    elevation=80,
                    distance=3.0,
                    intensity=1.0,
                    modifier="bare",
                    modifier_size=0.05,
                ),
                "ambient": _light(intensity=0.01),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#7a7a7a",
        },
    ),
    _setup(
        "on-camera flash in a tungsten room",
        "bad",
        "A bare flash on the camera at eye level: flat, hard and shiny, a dark room behind "
        "with nothing separating the subject, and tungsten room light going orange at daylight "
        "balance.",
        {
            "subject_description": "a guest at a party",
            "environment": "a dim living room",
            "lighting_setup": {
                "key": _light(
                    azimuth=0,
                    elevation=3,
                    distance=2.0,
                    intensity=1.0,
                    modifier="bare",
                    modifier_size=0.05,
                ),
                "ambient": _light(intensity=0.06, color_temperature=2800),
            },
            "camera_settings": {**_PORTRAIT, "focal_length": 35, "white_balance": 5600},
            "background_distance": 3.0,
            "backdrop_color": "#303030",
        },
    ),
    _setup(
        "split overpowered by its fill, on black",
        "bad",
        "A split key at 90° with a 'fill' from the other side at full power close in that "
        "outshines it: the split is gone, the wrong side leads, and a black backdrop with no "
        "rim swallows the head.",
        {
            "subject_description": "a young man",
            "lighting_setup": {
                "key": _light(
                    azimuth=-90, elevation=10, distance=1.5, intensity=0.5, modifier="strip_box"
                ),
                "fill": _light(
                    azimuth=60, elevation=10, distance=1.0, intensity=1.0, modifier="umbrella"
                ),
            },
            "camera_settings": _PORTRAIT,
            "backdrop_color": "#111111",
        },
    ),
    _setup(
        "backlit by the window, face lit by a lamp",
        "bad",
        "The window behind the subject is the strongest light and a tungsten lamp in front is "
        "all that lights the face: an orange face against a cool blown edge, with the window "
        "flaring in.",
        {
            "subject_description": "a woman on a sofa",
            "environment": "a living room with the window behind her",
            "lighting_setup": {
                "key": _light(
                    azimuth=165,
                    elevation=10,
                    distance=1.5,
                    intensity=1.0,
                    modifier="window",
                    color_temperature=6500,
                ),
                "fill": _light(
                    azimuth=30,
                    elevation=0,
                    distance=1.5,
                    intensity=0.25,
                    modifier="bare",
                    color_temperature=2700,
                ),
            },
            "camera_settings": {**_PORTRAIT, "focal_length": 35, "white_balance": 5600},
            "background_distance": 3.0,
            "backdrop_color": "#707070",
        },
    ),
)

#: Every setup, good first.
SETUPS: tuple[dict[str, Any], ...] = GOOD + FLAWED + BAD
