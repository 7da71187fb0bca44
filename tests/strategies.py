"""Hypothesis strategies for lightrig's inputs: lights, cameras and whole scene requests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from lightrig.lighting.direction import EXAMPLE_PHRASES, describe_direction
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType

azimuths = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
elevations = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
kelvins = st.floats(min_value=1700.0, max_value=12000.0, allow_nan=False)
intensities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
distances = st.floats(min_value=0.1, max_value=100.0, allow_nan=False)
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=120,
).filter(lambda s: s.strip() != "")


@st.composite
def placements(draw: st.DrawFn) -> dict[str, Any]:
    """Where a light is: words, numbers, or both in agreement."""
    azimuth = round(draw(azimuths), 1)
    elevation = round(draw(elevations), 1)
    form = draw(st.sampled_from(["numbers", "words", "both", "azimuth-only", "seed-words"]))
    if form == "numbers":
        return {"azimuth": azimuth, "elevation": elevation}
    if form == "words":
        return {"direction": describe_direction(azimuth, elevation)}
    if form == "both":
        return {
            "direction": describe_direction(azimuth, elevation),
            "azimuth": azimuth,
            "elevation": elevation,
        }
    if form == "azimuth-only":
        return {"azimuth": azimuth}
    return {"direction": draw(st.sampled_from(EXAMPLE_PHRASES))}


@st.composite
def lights(draw: st.DrawFn, *, on: bool | None = None) -> dict[str, Any]:
    """One light's settings as a JSON-like dict; ``on=True`` forces it to give light."""
    light: dict[str, Any] = draw(placements())
    light["intensity"] = draw(st.floats(min_value=0.01, max_value=1.0) if on else intensities)
    light["color_temperature"] = round(draw(kelvins))
    light["distance"] = round(draw(distances), 2)
    softness = draw(st.sampled_from(["softness", "modifier", "size", "modifier+size", "none"]))
    if softness == "softness":
        light["softness"] = draw(st.floats(min_value=0.0, max_value=1.0))
    elif softness == "modifier":
        light["modifier"] = draw(st.sampled_from(list(Modifier))).value
    elif softness == "size":
        light["modifier_size"] = draw(st.floats(min_value=0.0, max_value=10.0))
    elif softness == "modifier+size":
        light["modifier"] = draw(st.sampled_from(list(Modifier))).value
        light["modifier_size"] = draw(st.floats(min_value=0.01, max_value=3.0))
    light["enabled"] = True if on else draw(st.booleans())
    return light


@st.composite
def cameras(draw: st.DrawFn) -> dict[str, Any]:
    """Camera settings, sometimes with the seed's aliases and text forms."""
    camera: dict[str, Any] = {
        "shot_type": draw(
            st.sampled_from(
                ["close-up", "medium shot", "medium close-up", "full body", "headshot", "wide"]
            )
        ),
        "camera_angle": draw(st.sampled_from(["eye-level", "high angle", "low", "overhead"])),
        "aperture": draw(st.sampled_from(["f/1.4", "f/2.8", 4, "f8", 16.0])),
        "white_balance": draw(st.sampled_from([3200, 4300, 5600, 6500])),
    }
    lens = draw(st.sampled_from(["focal", "fov", "none"]))
    if lens == "focal":
        camera["focal_length"] = draw(st.sampled_from([24, 35, 50, 85, 105, 135, 200]))
    elif lens == "fov":
        camera["fov"] = draw(st.floats(min_value=3.0, max_value=130.0))
    if draw(st.booleans()):
        camera["lens_type"] = draw(st.sampled_from(["portrait", "macro", "wide-angle"]))
    return camera


@st.composite
def scene_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scene request as JSON-like data: at least one light on, any mix of roles."""
    roles = draw(st.lists(st.sampled_from(list(LightType)), min_size=1, max_size=7, unique=True))
    setup: dict[str, Any] = {}
    for index, role in enumerate(roles):
        light = draw(lights(on=index == 0 or None))
        if role is LightType.AMBIENT and draw(st.booleans()):
            for key in ("direction", "azimuth", "elevation"):
                light.pop(key, None)
        setup[role.value] = light
    request: dict[str, Any] = {"lighting_setup": setup, "camera_settings": draw(cameras())}
    if draw(st.booleans()):
        request["subject_description"] = draw(text)
        request["environment"] = draw(text)
    if draw(st.booleans()):
        request["subject_yaw"] = draw(st.floats(min_value=-90.0, max_value=90.0))
    if draw(st.booleans()):
        request["backdrop_color"] = "#" + draw(st.binary(min_size=3, max_size=3)).hex()
    request["background_distance"] = draw(st.floats(min_value=0.3, max_value=30.0))
    return request
