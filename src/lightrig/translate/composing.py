"""Composing a scene request from what a description asks for.

The setup is built in layers, each from what the text says:

1. a base: the named setup ("Rembrandt", "film noir", "high-key"...), else the ``base`` request
   passed in, else the loop portrait;
2. the tonal key and the mood ("low-key", "moody", "airy"...);
3. the key: its side (the whole setup is mirrored, as a photographer would walk the lights
   around), angle, height, modifier, softness, colour and distance; moved or changed, it is
   metered again to give the same exposure;
4. the fill: where and what it is, then how much: none, so many stops under the key as an
   incident meter reads them, a ratio, or a contrast word;
5. accents: rims and kickers, a hair light, a background light, each with its own colour; a
   reflector returns the key's colour;
6. the backdrop, the head turn, the camera.
"""

from __future__ import annotations

import math
from typing import Any

from lightrig.lighting.colour import kelvin_from_mired, mired
from lightrig.lighting.roles import LightType
from lightrig.models.camera import CameraSettings
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.translate.reading import LightWords, Plan

__all__ = ["assumed", "compose"]

_DEFAULT_ELEVATION = {LightType.KEY: 35.0, LightType.RIM: 20.0, LightType.KICKER: 15.0}


def _facing(light: dict[str, Any]) -> float:
    """The light's illuminance at the subject, relative (the disc source law of photometry)."""
    resolved = LightSettings.model_validate(light)
    radius = (resolved.modifier_size or 0.0) / 2.0
    return resolved.intensity / (resolved.distance**2 + radius**2)


def _set_fill_under(data: dict[str, Any], stops: float) -> None:
    """Put the fill ``stops`` under the key as an incident meter reads them (adding one beside
    the camera); a fill at full power that is still too weak is moved closer."""
    setup = data["lighting_setup"]
    key = setup.get("key")
    if key is None:
        return
    fill = setup.get("fill")
    if fill is None:
        fill = setup["fill"] = _new_light(LightType.FILL, key)
    target = _facing(key) / 2.0**stops
    resolved = LightSettings.model_validate(fill)
    radius = (resolved.modifier_size or 0.0) / 2.0
    distance = resolved.distance
    if target * (distance**2 + radius**2) > 1.0:
        distance = round(math.sqrt(max(0.04, 1.0 / target - radius**2)), 2)
        fill["distance"] = distance
    fill["intensity"] = round(max(0.005, min(1.0, target * (distance**2 + radius**2))), 4)


def _mirror(data: dict[str, Any]) -> None:
    for light in data["lighting_setup"].values():
        if "azimuth" in light and light["azimuth"] is not None:
            light["azimuth"] = -float(light["azimuth"])
        light.pop("direction", None)
    data["subject_yaw"] = -float(data.get("subject_yaw") or 0.0)


def _apply_light(
    light: dict[str, Any],
    words: LightWords,
    role: LightType,
    *,
    textbook_side: bool = False,
    key_side: float = 0.0,
) -> None:
    """Apply what the text says of a light. ``textbook_side``: a side word without an angle puts
    the light at the textbook 45° (on a generic base); otherwise it keeps the base's angle.
    ``key_side``: the key's azimuth sign, for a light "on the other side"."""
    light.pop("direction", None)
    azimuth = float(light.get("azimuth") or 0.0)
    side_word = words.side
    if side_word is None and words.opposite and key_side != 0.0:
        side_word = -1 if key_side > 0 else 1
    side = side_word if side_word is not None else (1 if azimuth > 0 else -1)
    from_below = words.elevation is not None and words.elevation < -10.0
    if (words.overhead or from_below) and side_word is None:
        azimuth = 0.0
    elif words.behind:
        azimuth = side * (words.azimuth if words.azimuth and words.azimuth > 90 else 135.0)
    elif words.side_on:
        azimuth = side * 90.0
    elif words.front:
        azimuth = side * (words.azimuth or 0.0)
    elif words.azimuth is not None:
        azimuth = side * words.azimuth
    elif side_word is not None and textbook_side:
        azimuth = side * 45.0
    elif side_word is not None and (azimuth == 0.0 or (azimuth > 0) != (side > 0)):
        azimuth = side * (abs(azimuth) or 45.0)
    light["azimuth"] = azimuth
    if words.elevation is not None:
        light["elevation"] = words.elevation
    elif "elevation" not in light or light["elevation"] is None:
        light["elevation"] = _DEFAULT_ELEVATION.get(role, 0.0)
    if words.kelvin is not None and not (words.tint_word and words.gel_mired is not None):
        light["color_temperature"] = words.kelvin
    if words.gel_mired is not None:
        base = float(light.get("color_temperature", 5600.0))
        light["color_temperature"] = round(
            min(12000.0, max(1700.0, kelvin_from_mired(mired(base) + words.gel_mired)))
        )
    if words.modifier is not None:
        light["modifier"] = words.modifier
        light.pop("modifier_size", None)
        light.pop("softness", None)
    if words.softness is not None:
        light["softness"] = words.softness
        light.pop("modifier_size", None)
    if words.distance is not None:
        light["distance"] = words.distance
    elif words.scale is not None:
        light["distance"] = round(float(light.get("distance", 1.5)) * words.scale, 2)
    if words.intensity is not None:
        light["intensity"] = words.intensity


#: A light the words add to a setup that lacks it: (azimuth on the key's side, elevation, distance,
#: intensity, modifier). Azimuths are mirrored to the side the role belongs on.
_NEW_LIGHTS: dict[LightType, tuple[float, float, float, float, str]] = {
    LightType.KEY: (35.0, 30.0, 1.5, 0.8, "softbox"),
    LightType.FILL: (-20.0, 0.0, 2.0, 0.3, "umbrella"),  # opposite the key
    LightType.RIM: (-135.0, 20.0, 1.3, 0.6, "strip_box"),  # behind, opposite the key
    LightType.KICKER: (135.0, 15.0, 1.3, 0.6, "strip_box"),  # behind, on the key's side
    LightType.HAIR: (180.0, 55.0, 1.2, 0.35, "strip_box"),
    LightType.BACKGROUND: (180.0, 0.0, 1.0, 0.6, "softbox"),
}


def _new_light(role: LightType, key: dict[str, Any] | None) -> dict[str, Any]:
    """A light for ``role`` placed for the ``key`` (its side and colour), or a plain key."""
    kelvin = 5600.0 if key is None else float(key.get("color_temperature", 5600.0))
    if role is LightType.AMBIENT:
        return {"intensity": 0.03, "color_temperature": kelvin}
    azimuth, elevation, distance, intensity, modifier = _NEW_LIGHTS[role]
    key_side = 1.0 if key is not None and float(key.get("azimuth", 0.0)) > 0 else -1.0
    if role is not LightType.KEY and abs(azimuth) < 180.0:
        azimuth *= key_side
    light: dict[str, Any] = {
        "azimuth": azimuth,
        "elevation": elevation,
        "distance": distance,
        "intensity": intensity,
        "modifier": modifier,
    }
    if key is not None:
        light["color_temperature"] = kelvin
    return light


def _tonal(data: dict[str, Any], tonal: str, preset: str | None) -> None:
    setup = data["lighting_setup"]
    if tonal == "high" and preset != "high-key":
        data["backdrop_color"] = "#f4f4f4"
        setup["background"] = _new_light(LightType.BACKGROUND, setup.get("key"))
        setup["background"]["intensity"] = 0.9
        key = setup.get("key")
        if key is not None and "softness" not in key and key.get("modifier") in (None, "softbox"):
            key["modifier"], key["modifier_size"] = "octabox", 1.5
            key.pop("softness", None)
        _set_fill_under(data, 0.3)  # about 2:1, the high-key ratio
    elif tonal == "low" and preset not in ("low-key", "film-noir"):
        data["backdrop_color"] = "#141414"
        setup.pop("background", None)
        if "fill" in setup:
            _set_fill_under(data, 3.0)


def _reflect_key_colour(setup: dict[str, Any], plan: Plan) -> None:
    """A reflector returns the key's colour, tinted by its surface (gold warms it)."""
    key = setup.get("key")
    if key is None:
        return
    for role, light in setup.items():
        words = plan.lights.get(LightType(role))
        if light.get("modifier") != "reflector" or role == "key":
            continue
        if words is not None and (words.kelvin is not None or words.gel_mired is not None):
            continue
        tint = words.reflector_mired if words is not None and words.reflector_mired else 0.0
        kelvin = kelvin_from_mired(mired(float(key.get("color_temperature", 5600.0))) + tint)
        light["color_temperature"] = round(min(12000.0, max(1700.0, kelvin)))


def _fill_stops(plan: Plan, words: LightWords | None, *, had_fill: bool) -> float | None:
    """How many stops under the key the text puts the fill; ``None`` to keep the base's. A
    mood's contrast counts only when no setup is named or implied (they bring their own)."""
    if plan.fill_stops is not None:
        return plan.fill_stops
    if plan.contrast_stops is not None and not (plan.preset and plan.contrast_from_mood):
        # lit:shadow contrast s means the key stands log2(2^s - 1) stops over the fill; a fill
        # brighter than the key would be the key, so the least contrast is 2:1 (key = fill)
        return math.log2(max(2.0**plan.contrast_stops - 1.0, 1.0))
    if words is not None and words.mentioned and _fills_from_below(words):
        return 1.0  # a clamshell: the reflector under the chin, a stop down
    if words is not None and words.mentioned and not had_fill:
        return 1.5
    return None


def _fills_from_below(words: LightWords) -> bool:
    return words.elevation is not None and words.elevation < -10.0 and words.side is None


def _starting_preset(said: str | None, plan: Plan, base: SceneRequest | None) -> str | None:
    """The preset the request was built on: the one the words named, the one ``compose`` chose
    (``plan.preset`` after it), or the loop portrait; ``None`` on a ``base`` request."""
    if said is not None:
        return said
    if plan.preset is not None:
        return plan.preset
    return None if base is not None else "loop"


def assumed(
    plan: Plan, said_preset: str | None, base: SceneRequest | None, data: dict[str, Any]
) -> tuple[str, ...]:
    """What the composed request ``data`` holds that the words do not say: the starting setup
    when none was named, the preset's subject, setting and camera when no ``base`` was given,
    and every light but the key that the words never mention (``said_preset``: the preset the
    words named, read before :func:`compose` chose one)."""
    preset = _starting_preset(said_preset, plan, base)
    lines: list[str] = []
    if said_preset is None and preset is not None:
        why = "the words name no setup" if plan.preset is None else "implied by the words"
        lines.append(f"the {preset} setup to start from ({why})")
    if base is None and preset is not None:
        whose = f"the {preset} preset's; the words name none"
        lines.append(f"subject: {data['subject_description']} ({whose})")
        lines.append(f"setting: {data['environment']} ({whose})")
        if not plan.camera:
            camera = data.get("camera_settings") or {}
            shot, focal = camera.get("shot_type"), camera.get("focal_length")
            if shot is not None and focal is not None:
                lines.append(f"camera: {shot}, {float(focal):g} mm lens ({whose})")
    kept = set() if base is None else {str(role) for role in base.lighting_setup}
    source = f"the {preset} setup's" if preset is not None else "added"
    for role, light in data["lighting_setup"].items():
        words = plan.lights.get(LightType(role))
        said = (words is not None and words.mentioned) or (
            role == "background" and bool(plan.backdrop_lit)
        )
        if role == "key" or said or role in kept or light.get("enabled") is False:
            continue
        if role == "fill" and (plan.fill_stops is not None or plan.contrast_stops is not None):
            continue  # the words ask for an amount of fill: the fill is theirs
        article = "an" if role[0] in "aeiou" else "a"
        lines.append(f"{article} {role} light ({source}; the words do not name it)")
    return tuple(lines)


def compose(plan: Plan, base: SceneRequest | None) -> dict[str, Any]:
    """The scene request data ``plan`` asks for, on ``base`` (module docstring)."""
    # a setup or tonal key the text names, not one its mood implies
    named = plan.preset is not None or plan.tonal_named
    key_words = plan.lights.get(LightType.KEY)
    fill_words = plan.lights.get(LightType.FILL)
    if plan.preset is None and key_words is not None and key_words.side_on:
        plan.preset = "split"  # what a side light is; the words then move it
    clamshell = fill_words is not None and fill_words.mentioned and _fills_from_below(fill_words)
    if clamshell and key_words is not None and key_words.overhead:
        key_words.elevation = 50.0  # "overhead" over a reflector below: the clamshell's key
    if plan.preset is None and plan.tonal == "high":
        plan.preset = "high-key"
    if plan.preset is None and plan.tonal == "low":
        plan.preset = "low-key"
    if plan.preset is not None:
        data = PRESETS[plan.preset].request().model_dump(mode="json", exclude_none=True)
    elif base is not None:
        data = base.model_dump(mode="json", exclude_none=True)
    else:
        data = PRESETS["loop"].request().model_dump(mode="json", exclude_none=True)
    if base is not None:
        kept = base.model_dump(mode="json", exclude_none=True)
        for name in ("subject_description", "environment", "camera_settings"):
            data[name] = kept[name]
        data["subject_eye_height"] = kept["subject_eye_height"]  # the same subject, as tall
    setup: dict[str, Any] = data["lighting_setup"]
    for light in setup.values():
        light.pop("direction", None)
        light.pop("height", None)  # the words move lights by angle: heights follow them
    base_roles = set(setup)

    if plan.tonal is not None:
        _tonal(data, plan.tonal, plan.preset)

    key = setup.get("key")
    if key is not None and key_words is not None and key_words.side is not None:
        current = float(key.get("azimuth", 0.0))
        if current != 0.0 and (current > 0) != (key_words.side > 0):
            _mirror(data)
    if key is None and key_words is not None and key_words.mentioned:
        setup["key"] = key = _new_light(LightType.KEY, None)
    if key is not None:
        metered = _facing(key)
        if plan.flat and (key_words is None or key_words.side is None):
            key["azimuth"], key["elevation"] = 0.0, 8.0
        if key_words is not None:
            _apply_light(key, key_words, LightType.KEY, textbook_side=not named and not plan.flat)
        if plan.mood_kelvin is not None and (key_words is None or key_words.kelvin is None):
            key["color_temperature"] = plan.mood_kelvin
        if plan.mood_softness is not None and (key_words is None or key_words.softness is None):
            key["softness"] = plan.mood_softness
            key.pop("modifier_size", None)
        if key_words is None or key_words.intensity is None:
            # moved, enlarged or swapped, the key is metered again to give the same exposure;
            # a key that gave no light (intensity 0 in the base) is given a plain key's power
            if metered > 0.0:
                key["intensity"] = round(
                    min(1.0, float(key["intensity"]) * metered / _facing(key)), 4
                )
            elif key_words is not None and key_words.mentioned:
                key["intensity"] = _NEW_LIGHTS[LightType.KEY][3]
        recoloured = key_words is not None and (
            key_words.kelvin is not None or key_words.gel_mired is not None
        )
        if recoloured or plan.mood_kelvin is not None:
            # the fill and the room light take the key's colour unless the words give them theirs
            for role in (LightType.FILL, LightType.AMBIENT):
                words = plan.lights.get(role)
                if role.value in setup and (words is None or words.kelvin is None):
                    setup[role.value]["color_temperature"] = key["color_temperature"]

    key_side = float(key.get("azimuth") or 0.0) if key is not None else 0.0
    if plan.no_fill and plan.fill_stops is None:
        setup.pop("fill", None)
    else:
        # where the fill is and what it is first, then how much of it
        if fill_words is not None and fill_words.mentioned and "fill" not in setup:
            setup["fill"] = _new_light(LightType.FILL, key)
        if fill_words is not None and "fill" in setup:
            _apply_light(setup["fill"], fill_words, LightType.FILL, key_side=key_side)
        stops = _fill_stops(plan, fill_words, had_fill="fill" in base_roles)
        if stops is not None:
            _set_fill_under(data, stops)

    for role in (LightType.RIM, LightType.KICKER, LightType.HAIR, LightType.AMBIENT):
        words = plan.lights.get(role)
        if words is None or not words.mentioned:
            continue
        light = setup.get(role.value)
        if light is None:
            light = setup[role.value] = _new_light(role, setup.get("key"))
        _apply_light(light, words, role, key_side=key_side)
    _reflect_key_colour(setup, plan)
    if plan.scene_kelvin is not None:
        for name, light in setup.items():
            words = plan.lights.get(LightType(name))
            if words is None or words.kelvin is None:
                light["color_temperature"] = plan.scene_kelvin
    if plan.accent_kelvin is not None:
        for role in (LightType.RIM, LightType.KICKER, LightType.HAIR):
            words = plan.lights.get(role)
            if role.value in setup and (words is None or words.kelvin is None):
                setup[role.value]["color_temperature"] = plan.accent_kelvin

    if plan.backdrop is not None:
        data["backdrop_color"] = plan.backdrop
    background_words = plan.lights.get(LightType.BACKGROUND)
    wants_background = plan.backdrop_lit or (
        background_words is not None and background_words.mentioned
    )
    if plan.backdrop_lit is False:
        setup.pop("background", None)
    elif wants_background:
        light = setup.get("background") or _new_light(LightType.BACKGROUND, setup.get("key"))
        setup["background"] = light
        if background_words is not None:
            _apply_light(light, background_words, LightType.BACKGROUND)
            light["azimuth"] = 180.0

    if plan.yaw is not None:
        current = float(data.get("subject_yaw") or 0.0)
        if current != 0.0 and plan.yaw != 0.0 and (current > 0) != (plan.yaw > 0):
            _mirror(data)  # the head turns the other way: walk the lights round with it
        data["subject_yaw"] = plan.yaw
    key = setup.get("key")
    if plan.yaw_to_key and key is not None and float(key.get("azimuth") or 0.0) != 0.0:
        data["subject_yaw"] = math.copysign(30.0, float(key["azimuth"]))
    if plan.camera:
        camera = dict(data.get("camera_settings") or {})
        camera.update(plan.camera)
        if "focal_length" in plan.camera:
            camera.pop("fov", None)
        data["camera_settings"] = CameraSettings.model_validate(camera).model_dump(mode="json")
    return data
