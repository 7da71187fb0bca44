"""Compile a scene request into FIBO's ten-key structured prompt.

FIBO reads light only from words, so the compiler says the setup's numbers the way a photographer
would: where each light stands, how big it looks, its colour against the white balance, how many
stops each light sits from the key, the pattern it makes and the shadows it leaves. The light is
said in ``lighting``, echoed in ``short_description``, ``aesthetics`` and ``background_setting``;
the camera goes into ``photographic_characteristics`` and ``aesthetics.composition``.

The output is deterministic: the same request gives the same keys in FIBO's order and, through
:func:`prompt_json`, byte-identical JSON. It holds no empty value and no key outside the ten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lightrig.fibo.schema import MAX_SHORT_DESCRIPTION_WORDS
from lightrig.fibo.words import (
    backdrop_phrase,
    colour_name,
    depth_of_field_phrase,
    direction_phrase,
    hardness_phrase,
    kelvin_phrase,
    lens_phrase,
    pattern_signature,
    ratio_phrase,
    role_name,
    shadow_side_phrase,
    size_adjective,
    source_phrase,
    stops_phrase,
)
from lightrig.lighting.colour import ColourCast, colour_cast
from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.gels import MATCHED_MIRED
from lightrig.lighting.measure import Measurements, stops_between
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.patterns import Facing, Pattern, TonalKey
from lightrig.lighting.reading import Reading, read
from lightrig.lighting.rig import PlacedLight
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import (
    CAMERA_ANGLE_PHRASES,
    FRAMING_PHRASES,
    NO_FILL,
    PATTERNS,
    RELATIVE_SIZE_PHRASES,
)
from lightrig.models.camera import CameraSettings
from lightrig.models.scene import SceneRequest

__all__ = [
    "LIGHT_COLOUR_LEAD",
    "backdrop_light_clause",
    "compile_prompt",
    "context_sentence",
    "light_colour_sentence",
    "lighting_block",
    "lighting_sentences",
    "mood_text",
    "prompt_json",
]

#: Every sentence the compiler adds to ``color_scheme`` about the light starts with this.
LIGHT_COLOUR_LEAD = "The light gives"

_ROLE_ORDER = {role: index for index, role in enumerate(LightType)}
_PATTERN_LABEL: dict[str, str] = {pattern.value: pattern.label for pattern in PATTERNS}
_PREPOSITIONS = ("in ", "on ", "at ", "by ", "under ", "inside ", "against ", "near ", "beside ")


def prompt_json(prompt: dict[str, Any]) -> str:
    """The compact JSON FIBO is given: no spaces, key order kept, UTF-8 text unescaped."""
    return json.dumps(prompt, ensure_ascii=False, separators=(",", ":"))


def _sorted_lights(m: Measurements) -> list[PlacedLight]:
    return sorted((x.light for x in m.lights), key=lambda lt: _ROLE_ORDER[lt.role])


def _stops_under_key(m: Measurements, light: PlacedLight) -> float | None:
    key_facing = m.key_facing
    facing = m.measure_of(light).facing
    if key_facing <= 0.0 or facing <= 0.0:
        return None
    return stops_between(key_facing, facing)


def _relative(m: Measurements, light: PlacedLight) -> str:
    under = _stops_under_key(m, light)
    if under is None:
        return ""
    words = stops_phrase(under)
    return f" {words}" if words == "matching the key" else f" {words} the key"


def pattern_label(reading: Reading) -> str:
    """``"low-key short Rembrandt"``: tonal key, broad/short and pattern, as photographers say."""
    parts: list[str] = []
    if reading.tonal_key is not TonalKey.MID:
        parts.append(reading.tonal_key)
    if reading.facing is not None:
        parts.append(reading.facing)
    parts.append(_PATTERN_LABEL[reading.pattern.pattern])
    return " ".join(parts)


def _setting_kind(request: SceneRequest, key: PlacedLight | None) -> str:
    if key is not None and key.modifier is Modifier.WINDOW:
        return "natural window light"
    if key is not None and key.modifier is Modifier.OVERCAST:
        return "overcast daylight"
    if request.backdrop_color is not None or "studio" in request.environment.lower():
        return "studio lighting"
    return "location lighting"


def _colour_if_different(m: Measurements, light: PlacedLight, white_balance: float) -> str:
    """The light's colour in words, or '' when it matches the key's (within 10 mired)."""
    key = m.key
    if key is not None and abs(light.mired - key.mired) <= MATCHED_MIRED:
        return ""
    return kelvin_phrase(light.kelvin, white_balance) + " "


def _accent_phrase(m: Measurements, light: PlacedLight, white_balance: float) -> str:
    colour = _colour_if_different(m, light, white_balance)
    if light.role is LightType.BACKGROUND:
        return f"a {colour}background light on the backdrop"
    if light.role is LightType.AMBIENT:
        return f"{colour}ambient light{_relative(m, light)}"
    adjective = size_adjective(light.apparent_angle)
    return f"a {adjective} {colour}{role_name(light.role)}{_relative(m, light)}"


@dataclass(slots=True)
class _Phrases:
    """The phrases about each light, made once and shared by every field that says them."""

    key: PlacedLight | None
    lights: list[PlacedLight]
    others: list[PlacedLight]
    key_source: str
    accents: list[str]
    label: str


def _phrases(reading: Reading) -> _Phrases:
    m = reading.measurements
    wb = m.rig.white_balance
    key = m.key
    lights = _sorted_lights(m)
    others = [lt for lt in lights if lt is not key]
    return _Phrases(
        key=key,
        lights=lights,
        others=others,
        key_source="" if key is None else source_phrase(key, wb),
        accents=[_accent_phrase(m, lt, wb) for lt in others],
        label=pattern_label(reading),
    )


def lighting_block(
    request: SceneRequest, reading: Reading, phrases: _Phrases | None = None
) -> dict[str, str]:
    """The ``lighting`` object: ``conditions``, ``direction`` and ``shadows``."""
    p = phrases or _phrases(reading)
    m = reading.measurements
    key = p.key
    lights = p.lights
    others = p.others

    kind = _setting_kind(request, key)
    parts = []
    if key is not None:
        if key.role is LightType.KEY:
            parts.append(f"the key is {p.key_source}")
        else:
            parts.append(
                f"the {role_name(key.role)} is {p.key_source}, the strongest light on the subject"
            )
    parts += p.accents
    conditions = f"{kind}: " + "; ".join(parts)

    directions = []
    if request.subject_yaw and abs(request.subject_yaw) >= 5.0:
        side = "camera-right" if request.subject_yaw > 0 else "camera-left"
        directions.append(
            f"the subject's face turned {round(abs(request.subject_yaw)):d}° toward {side}"
        )
    for light in lights:
        if light.role is LightType.BACKGROUND:
            directions.append("background light aimed at the backdrop behind the subject")
        elif light.role is LightType.AMBIENT:
            directions.append("ambient light from all around")
        else:
            label = role_name(light.role)
            text = f"{label} {direction_phrase(light)}"
            if light is key:
                text += f" ({p.label} lighting)"
            directions.append(text)
    direction = "; ".join(directions)

    shadow_parts = []
    if key is not None:
        shadow_parts.append(
            f"{hardness_phrase(reading.hardness)} shadows, the key spanning "
            f"{key.apparent_angle:.0f}° from the subject"
        )
        if m.shadow_unlit:
            shadow_parts.append(f"{NO_FILL}, falling to black")
        else:
            shadow_parts.append(f"{shadow_side_phrase(m.stops)} ({ratio_phrase(m.ratio, m.stops)})")
    shadow_parts.append(pattern_signature(reading.pattern.pattern, face_lit=m.face_lit))
    catchlight = _catchlight(key)
    if catchlight:
        shadow_parts.append(catchlight)
    if any(lt.role in (LightType.RIM, LightType.KICKER, LightType.HAIR) for lt in others):
        shadow_parts.append("bright edge highlights on the hair and shoulders")
    return {"conditions": conditions, "direction": direction, "shadows": "; ".join(shadow_parts)}


def _catchlight(key: PlacedLight | None) -> str:
    if key is None or abs(key.face_azimuth) > 75.0 or not 0.0 <= key.elevation <= 60.0:
        return ""
    if abs(key.face_azimuth) < 10.0:
        where = "high in the centre of each eye"
    else:
        side = "camera-right" if key.azimuth > 0 else "camera-left"
        where = f"high on the {side} side of each eye"
    return f"catchlights from the key {where}"


def lighting_sentences(
    request: SceneRequest, reading: Reading, phrases: _Phrases | None = None
) -> str:
    """The sentences about light in ``short_description`` (the ones refine replaces)."""
    p = phrases or _phrases(reading)
    m = reading.measurements
    key = p.key
    label = p.label
    if key is None:
        first = f"The lighting is {label} lighting with no directional light on the face."
    else:
        extras = [
            accent
            for light, accent in zip(p.others, p.accents, strict=True)
            if light.role is not LightType.AMBIENT
        ]
        with_text = f", with {_join(extras)}" if extras else ""
        first = (
            f"The lighting is {label} lighting: {p.key_source} {direction_phrase(key)}{with_text}."
        )
    signature = pattern_signature(reading.pattern.pattern, face_lit=m.face_lit)
    if reading.pattern.pattern is Pattern.SILHOUETTE:
        second = f"It leaves {signature}."
    else:
        side = f"there is {NO_FILL}" if m.shadow_unlit else shadow_side_phrase(m.stops)
        second = (
            f"The shadows are {hardness_phrase(reading.hardness)} and {side}, leaving {signature}."
        )
    return f"{first} {second}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def mood_text(reading: Reading) -> str:
    """``aesthetics.mood_atmosphere``: the mood words, strongest first."""
    return ", ".join(reading.mood)


def light_colour_sentence(reading: Reading) -> str:
    """What the light's colour does to the picture, for ``color_scheme`` ('' when neutral)."""
    m = reading.measurements
    key = m.key
    wb = m.rig.white_balance
    colour = reading.colour
    if colour.consistency is ColourConsistency.DELIBERATE_MIX and key is not None:
        accents = [lt for lt in colour.lights if abs(lt.mired - key.mired) > 25.0]
        other = accents[0]
        return (
            f"{LIGHT_COLOUR_LEAD} a {colour_cast(key.kelvin, wb)} {key.kelvin:.0f} K key "
            f"against a {colour_cast(other.kelvin, wb)} {other.kelvin:.0f} K "
            f"{role_name(other.role)}: a deliberate warm-cool contrast."
        )
    cast = colour.cast
    if cast is ColourCast.NEUTRAL:
        return ""
    tone = "amber" if cast.endswith("warm") else "blue"
    return (
        f"{LIGHT_COLOUR_LEAD} {cast} {tone} tones from {colour.mean_kelvin:.0f} K light "
        f"under a {wb:.0f} K white balance."
    )


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" else "a"


def _in_environment(environment: str) -> str:
    text = environment.strip()
    lowered = text.lower()
    if lowered.startswith(_PREPOSITIONS):
        return text
    if lowered.startswith(("a ", "an ", "the ")) or text[:1].isupper():
        return f"in {text}"
    return f"in {_article(text)} {text}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _composition(camera: CameraSettings, request: SceneRequest) -> str:
    shot = camera.shot_type
    text = f"{shot}, {FRAMING_PHRASES[shot]}, subject centred"
    if abs(request.subject_yaw) >= 5.0:
        side = "camera-right" if request.subject_yaw > 0 else "camera-left"
        text += f", the face turned {round(abs(request.subject_yaw)):d}° toward {side}"
    return text


def _color_scheme(request: SceneRequest, reading: Reading) -> str:
    if request.backdrop_color is not None:
        base = f"true-to-life skin tones against a {colour_name(request.backdrop_color)} backdrop"
    else:
        base = "natural, true-to-life colours"
    light = light_colour_sentence(reading)
    return f"{base}. {light}" if light else f"{base}."


def backdrop_light_clause(m: Measurements) -> str:
    """How the backdrop is lit, in ``background_setting``'s words: ``"lit by a background light,
    lit to pure white"``, ``"falling off into deep shadow"``."""
    brightness = backdrop_phrase(m.backdrop_stops)
    if m.rig.light(LightType.BACKGROUND):
        return f"lit by a background light, {brightness}"
    return brightness


def _background(request: SceneRequest, m: Measurements) -> str:
    light = backdrop_light_clause(m)
    environment = request.environment.strip().rstrip(".")
    if request.backdrop_color is not None:
        return (
            f"{environment}, with a seamless {colour_name(request.backdrop_color)} backdrop "
            f"{request.background_distance:.1f} m behind the subject, {light}."
        )
    return (
        f"{environment}; the background {request.background_distance:.1f} m behind the "
        f"subject, {light}."
    )


def context_sentence(
    request: SceneRequest, reading: Reading, phrases: _Phrases | None = None
) -> str:
    """``context``: "A professional studio photograph made with a deliberate loop lighting
    setup." (with the key's side of the face when the head is turned)."""
    label = (phrases or _phrases(reading)).label
    key = reading.measurements.key
    kind = "studio" if _setting_kind(request, key) == "studio lighting" else "location"
    facing_note = ""
    if reading.facing is Facing.BROAD:
        facing_note = ", the key on the side of the face turned toward the camera"
    elif reading.facing is Facing.SHORT:
        facing_note = ", the key on the side of the face turned away from the camera"
    return (
        f"A professional {kind} photograph made with a deliberate {label} lighting "
        f"setup{facing_note}."
    )


def _fit_words(intro: str, lighting: str, mood: str) -> str:
    """Join the description's parts within FIBO's 200 words: the light is kept whole, the mood
    sentence goes first when space runs short, then the introduction is cut at a word."""
    budget = MAX_SHORT_DESCRIPTION_WORDS
    used = len(lighting.split())
    parts = [intro, lighting, mood]
    if used + len(intro.split()) + len(mood.split()) > budget:
        parts = [intro, lighting]
    intro_words = intro.split()
    if used + len(intro_words) > budget:
        keep = max(0, budget - used - 1)
        parts = [" ".join(intro_words[:keep]).rstrip(".,;:") + "…", lighting]
    return " ".join(p for p in parts if p)


def _orientation(request: SceneRequest) -> str:
    yaw = request.subject_yaw
    if abs(yaw) < 5.0:
        return "facing the camera"
    side = "camera-right" if yaw > 0 else "camera-left"
    return f"head turned {round(abs(yaw)):d}° toward {side}"


def compile_prompt(request: SceneRequest, reading: Reading | None = None) -> dict[str, Any]:
    """The ten-key structured prompt for ``request`` (pass its :class:`Reading` to reuse it)."""
    if reading is None:
        reading = read(request.rig())
    phrases = _phrases(reading)
    camera = request.camera_settings
    m = reading.measurements
    shot = str(camera.shot_type)
    subject = request.subject_description.strip()
    mood = mood_text(reading)
    return {
        "short_description": _fit_words(
            f"{_article(shot).capitalize()} {shot} photograph of {subject} "
            f"{_in_environment(request.environment)}.",
            lighting_sentences(request, reading, phrases),
            f"The mood is {mood}.",
        ),
        "objects": [
            {
                "description": _sentence(subject[:1].upper() + subject[1:]),
                "location": "center",
                "relationship": "The sole subject of the photograph, lit by the setup described in "
                "the lighting.",
                "relative_size": RELATIVE_SIZE_PHRASES[camera.shot_type],
                "orientation": _orientation(request),
            }
        ],
        "background_setting": _background(request, m),
        "lighting": lighting_block(request, reading, phrases),
        "aesthetics": {
            "composition": _composition(camera, request),
            "color_scheme": _color_scheme(request, reading),
            "mood_atmosphere": mood,
        },
        "photographic_characteristics": {
            "depth_of_field": depth_of_field_phrase(shot, camera.focal_length_mm, camera.aperture),
            "focus": "sharp focus on the subject",
            "camera_angle": CAMERA_ANGLE_PHRASES[camera.camera_angle],
            "lens_focal_length": lens_phrase(camera.focal_length_mm, camera.lens_type),
        },
        "style_medium": "photograph",
        "context": context_sentence(request, reading, phrases),
        "artistic_style": "realistic",
    }
