"""Read an approximate lighting setup back out of a structured prompt's lighting text.

Words carry less than numbers, so the setup read back is approximate: directions to the angle the
text states (or the usual angle of the words it uses: "side-lit from the left" is 90°
camera-left), colour temperatures from figures or from source names ("tungsten", "golden hour"),
softness from the size words, and each light's strength from its stops relative to the key (all
lights then stand 1.5 m out). Prompts lightrig compiled read back closely; other captions as well
as their words allow. What was understood and what was skipped are both reported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lightrig.errors import FieldError, InvalidStructuredPromptError
from lightrig.lighting.direction import read_direction
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import (
    CAPTION_CONTRAST_STOPS,
    CAPTION_SIZE_WORDS,
    COLOUR_WORDS,
    LIGHT_SOURCES,
    MODIFIERS,
    NUMBER_WORDS,
    ROLES,
)
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest

__all__ = ["ParsedLighting", "parse_lighting", "parse_stops"]

_DEFAULT_KEY_INTENSITY = 0.8
_DEFAULT_DISTANCE_M = 1.5

#: A caption names a light by the role's written name or its first word ("rim light", "rim").
_ROLE_WORDS: tuple[tuple[str, LightType], ...] = tuple(
    sorted(
        {
            (name, LightType(role.value))
            for role in ROLES
            for name in (role.written, role.written.split()[0])
        },
        key=lambda pair: -len(pair[0]),
    )
)
_ROLE = re.compile(
    r"\b(" + "|".join(re.escape(word) for word, _ in _ROLE_WORDS) + r")\b", re.IGNORECASE
)
_KELVIN = re.compile(r"\b(\d{4,5})\s*K\b")
#: The light sources a caption names, then the colour adjectives, read as in the translator
#: (lightrig's one table of them, :mod:`lightrig.lighting.vocabulary`).
_SOURCES = tuple(
    (re.compile(rf"(?<![a-z])(?:{source.words})(?![a-z])"), source.kelvin)
    for source in LIGHT_SOURCES
)
_COLOURS = tuple(
    (re.compile(rf"(?<![a-z])(?:{words})(?![a-z])"), kelvin) for words, kelvin in COLOUR_WORDS
)
#: A caption names a modifier as the prompt writes it or as the diagram labels it.
_MODIFIER_NAMES: tuple[tuple[str, Modifier], ...] = tuple(
    sorted(
        {(name, Modifier(m.value)) for m in MODIFIERS for name in (m.written, m.short)},
        key=lambda pair: -len(pair[0]),
    )
)
_MODIFIER = re.compile(
    r"\((?:an?\s+)?(?:(\d+)\s*cm\s+)?("
    + "|".join(re.escape(name) for name, _ in _MODIFIER_NAMES)
    + r")\)",
    re.IGNORECASE,
)
_STOPS = re.compile(
    r"\b(?:(half) a stop|(\w+)( and a half)? stops?)\s+(under|over|below|above|brighter|darker)\b",
    re.IGNORECASE,
)
_YAW = re.compile(r"face turned (\d+(?:\.\d+)?)°?\s*toward camera-(left|right)", re.IGNORECASE)
_RATIO = re.compile(r"\((\d+(?:\.\d+)?):1\b")
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def parse_stops(text: str) -> float | None:
    """Stops under (positive) or over (negative) in words: "one and a half stops under" → 1.5."""
    if "matching the key" in text.lower():
        return 0.0
    match = _STOPS.search(text)
    if match is None:
        return None
    half, whole, and_half, direction = match.groups()
    if half:
        amount = 0.5
    else:
        word = whole.lower()
        if word.isdigit():
            amount = float(word)
        elif word in NUMBER_WORDS:
            amount = float(NUMBER_WORDS[word])
        else:
            return None
        if and_half:
            amount += 0.5
    return amount if direction.lower() in ("under", "below", "darker") else -amount


@dataclass
class _Light:
    azimuth: float | None = None
    elevation: float | None = None
    kelvin: float | None = None
    softness: float | None = None
    modifier: Modifier | None = None
    size_m: float | None = None
    stops_under: float | None = None


@dataclass(frozen=True)
class ParsedLighting:
    """An approximate setup read from words, with what was understood and what was skipped."""

    lighting_setup: dict[LightType, LightSettings]
    subject_yaw: float = 0.0
    understood: tuple[str, ...] = field(default=())
    ignored: tuple[str, ...] = field(default=())

    def request(self, **scene: Any) -> SceneRequest:
        """A scene request lit by the parsed setup; ``scene`` fills the other fields."""
        return SceneRequest(
            lighting_setup=self.lighting_setup, subject_yaw=self.subject_yaw, **scene
        )


def _without(clause: str, words: list[str]) -> str:
    """``clause`` with ``words`` (the ones the direction grammar skipped) taken out, so the
    understood phrase holds only what was read: "key from 30° camera-right (loop lighting)" less
    "loop" is "key from 30° camera-right (lighting)"; brackets and commas left empty go too."""
    text = clause
    for word in words:
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\(\s*\)", " ", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"(?:,\s*){2,}", ", ", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,;")


def _role_of(clause: str) -> LightType | None:
    """The role a clause is about: the first role word in it."""
    match = _ROLE.search(clause)
    if match is None:
        return None
    word = match.group(1).lower()
    return next(role for name, role in _ROLE_WORDS if name == word)


def _first_named(
    table: tuple[tuple[re.Pattern[str], float], ...], text: str
) -> tuple[str, float] | None:
    """The word of ``table`` found first in ``text`` (the longest where two start together)
    and its kelvin."""
    lowered = text.lower()
    found = [
        (match.start(), -len(match.group(0)), match.group(0), kelvin)
        for pattern, kelvin in table
        if (match := pattern.search(lowered)) is not None
    ]
    if not found:
        return None
    _, _, word, kelvin = min(found)
    return word, kelvin


def _first(words: tuple[tuple[str, float], ...], text: str) -> tuple[str, float] | None:
    lowered = text.lower()
    found = [(lowered.find(word), word, value) for word, value in words if word in lowered]
    if not found:
        return None
    _, word, value = min(found)
    return word, value


def _details(clause: str, light: _Light, understood: list[str]) -> None:
    kelvin = _KELVIN.search(clause)
    if kelvin is not None:
        light.kelvin = float(kelvin.group(1))
        understood.append(kelvin.group(0))
    elif (word := _first_named(_SOURCES, clause) or _first_named(_COLOURS, clause)) is not None:
        light.kelvin = word[1]
        understood.append(word[0])
    modifier = _MODIFIER.search(clause)
    if modifier is not None:
        size, name = modifier.groups()
        light.modifier = next(m for n, m in _MODIFIER_NAMES if n == name.lower())
        if size is not None:
            light.size_m = int(size) / 100.0
        understood.append(modifier.group(0))
    if " sun" in clause.lower():
        light.modifier, light.size_m = Modifier.BARE, 0.03
        understood.append("sun")
    elif light.size_m is None and (word := _first(CAPTION_SIZE_WORDS, clause)) is not None:
        light.softness = word[1]
        understood.append(word[0])
    stops = parse_stops(clause)
    if stops is not None:
        light.stops_under = stops
        understood.append(f"{stops:g} stops under the key")


_DEFAULT_AZIMUTH: dict[LightType, float] = {
    LightType.KEY: 0.0,
    LightType.FILL: 0.0,
    LightType.RIM: 180.0,
    LightType.KICKER: 180.0,
    LightType.HAIR: 180.0,
    LightType.BACKGROUND: 180.0,
}


def _settings(role: LightType, light: _Light, key_kelvin: float) -> LightSettings:
    """A light ``stops_under`` the key at the subject, every directional light 1.5 m out."""
    under = 2.0 if light.stops_under is None else light.stops_under  # two stops when unsaid
    intensity = _DEFAULT_KEY_INTENSITY * 2.0 ** (-under)
    if role is LightType.KEY:
        intensity = _DEFAULT_KEY_INTENSITY
    elif role is LightType.AMBIENT:  # ambient illuminance does not fall off with distance
        intensity /= _DEFAULT_DISTANCE_M**2
    values: dict[str, Any] = {
        "intensity": min(1.0, max(0.005, intensity)),
        "color_temperature": light.kelvin or key_kelvin,
        "distance": 1.0 if role is LightType.BACKGROUND else _DEFAULT_DISTANCE_M,
    }
    if role is not LightType.AMBIENT:
        values["azimuth"] = _DEFAULT_AZIMUTH[role] if light.azimuth is None else light.azimuth
        values["elevation"] = light.elevation
    if light.size_m is not None:
        values["modifier_size"] = light.size_m
    elif light.softness is not None:
        values["softness"] = light.softness
    if light.modifier is not None:
        values["modifier"] = light.modifier
    return LightSettings.model_validate(values)


def parse_lighting(prompt: Mapping[str, Any]) -> ParsedLighting:
    """Read the light out of a structured prompt (its ``lighting`` object is required)."""
    block = prompt.get("lighting")
    if not isinstance(block, Mapping) or not isinstance(block.get("direction"), str):
        raise InvalidStructuredPromptError(
            [FieldError("lighting", "needs an object with 'conditions' and 'direction' text")]
        )
    conditions = str(block.get("conditions") or "")
    direction = str(block["direction"])
    shadows = str(block.get("shadows") or "")
    understood: list[str] = []
    ignored: list[str] = []
    lights: dict[LightType, _Light] = {}
    yaw = 0.0

    for clause in (c for c in direction.split(";") if c.strip()):
        turned = _YAW.search(clause)
        if turned is not None:
            yaw = float(turned.group(1)) * (1.0 if turned.group(2).lower() == "right" else -1.0)
            understood.append(turned.group(0))
            continue
        role = _role_of(clause) or (LightType.KEY if LightType.KEY not in lights else None)
        if role is None:
            ignored.append(clause.strip())
            continue
        light = lights.setdefault(role, _Light())
        if role in (LightType.BACKGROUND, LightType.AMBIENT):
            understood.append(role.value)
            continue
        found, skipped = read_direction(clause)
        if found is None:
            ignored.append(clause.strip())
            continue
        light.azimuth, light.elevation = found.azimuth, found.elevation
        dropped = [word for word in skipped if word not in {"key", "fill", "rim", "hair", "kicker"}]
        understood.append(_without(clause, dropped))
        ignored += dropped

    body = conditions.split(":", 1)[1] if ":" in conditions else conditions
    for clause in (c for c in body.split(";") if c.strip()):
        role = _role_of(clause) or LightType.KEY
        light = lights.setdefault(role, _Light())
        _details(clause, light, understood)

    if not lights:
        lights[LightType.KEY] = _Light(azimuth=0.0)
    key = lights.get(LightType.KEY)
    if key is None:  # the strongest light is another role (a rim, say): no key to fill for
        key = next(iter(lights.values()))
    elif (
        key.softness is None
        and key.size_m is None
        and (word := _first(CAPTION_SIZE_WORDS, shadows))
    ):
        key.softness = word[1]
        understood.append(word[0])

    if LightType.KEY in lights and not {LightType.FILL, LightType.AMBIENT} & lights.keys():
        ratio = _RATIO.search(shadows)
        contrast = _first(CAPTION_CONTRAST_STOPS, shadows)
        stops_words = parse_stops(shadows)
        stops: float | None = None
        if ratio is not None:
            key_over_fill = float(ratio.group(1)) - 1.0  # lit:shadow is (K+F):F
            stops = math.log2(key_over_fill) if key_over_fill > 1.0 else 0.0
            understood.append(ratio.group(0).lstrip("("))
        elif stops_words is not None:
            stops = stops_words
        elif contrast is not None:
            stops = contrast[1]
            understood.append(contrast[0])
        if stops is not None and stops < 5.0:
            lights[LightType.FILL] = _Light(azimuth=0.0, elevation=0.0, stops_under=stops)

    key_kelvin = key.kelvin or 5600.0
    setup = {role: _settings(role, light, key_kelvin) for role, light in lights.items()}
    read_words = {word for phrase in understood for word in _WORD.findall(phrase.lower())}
    return ParsedLighting(
        lighting_setup=setup,
        subject_yaw=yaw,
        understood=tuple(dict.fromkeys(p for p in understood if p)),
        # a word read in one clause and skipped in another was read: it is not reported as both
        ignored=tuple(dict.fromkeys(w for w in ignored if w.lower() not in read_words)),
    )
