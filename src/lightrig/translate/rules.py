"""The offline translator: a description read with the photographers' words lightrig knows.

It starts from the named setup when the text names one ("Rembrandt", "film noir", "high-key"...)
and then applies what the words say of the light — its side and height, colour temperature,
hardness — through the same vocabulary that reads light back out of FIBO captions
(:mod:`lightrig.fibo.parse`). Words it does not know are reported as ignored, never guessed; a
description in which it finds no light at all is an error that says so.
"""

from __future__ import annotations

import re
from typing import Any

from lightrig.errors import NaturalLanguageTranslationError
from lightrig.fibo.parse import parse_lighting
from lightrig.lighting.presets import PRESETS
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest
from lightrig.translate.base import Translation, check_text

__all__ = ["RulesTranslator"]

#: Words that name a preset, most specific first.
_PRESET_WORDS: tuple[tuple[str, str], ...] = (
    ("film noir", "film-noir"),
    ("noir", "film-noir"),
    ("golden hour", "golden-hour"),
    ("window light", "window-light"),
    ("window", "window-light"),
    ("product", "product-tabletop"),
    ("tabletop", "product-tabletop"),
    ("high-key", "high-key"),
    ("high key", "high-key"),
    ("low-key", "low-key"),
    ("low key", "low-key"),
    ("silhouette", "silhouette"),
    ("rim light", "rim-light"),
    ("paramount", "butterfly"),
    ("butterfly", "butterfly"),
    ("clamshell", "clamshell"),
    ("rembrandt", "rembrandt"),
    ("split", "split"),
    ("loop", "loop"),
    ("broad", "broad"),
    ("short lighting", "short"),
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_FILLER = frozenset(
    {
        *("a", "an", "the", "and", "with", "of", "in", "on", "at", "to", "for", "from", "by"),
        *("light", "lit", "lighting", "key", "fill", "shot", "portrait", "photo", "photograph"),
        *("image", "picture", "style", "look", "setup", "very", "some"),
    }
)


class RulesTranslator:
    """Reads descriptions offline with lightrig's lighting vocabulary."""

    name = "rules"

    async def translate(self, text: str, *, base: SceneRequest | None = None) -> Translation:
        """The lighting ``text`` describes (see the module docstring)."""
        words = check_text(text, self.name)
        lowered = words.lower()
        understood: list[str] = []
        preset_name = next((name for word, name in _PRESET_WORDS if word in lowered), None)
        data: dict[str, Any]
        if preset_name is not None:
            data = PRESETS[preset_name].request().model_dump(mode="json")
            understood.append(f"{preset_name} setup")
        elif base is not None:
            data = base.model_dump(mode="json")
        else:
            data = {}

        parsed = parse_lighting({"lighting": {"conditions": words, "direction": words}})
        if preset_name is None:
            if not parsed.understood:
                raise NaturalLanguageTranslationError(
                    "found no lighting in the description: name a setup (Rembrandt, loop, "
                    "butterfly, high-key...) or say where the light comes from and its colour",
                    text=text,
                    translator=self.name,
                )
            data["lighting_setup"] = {
                role.value: light.model_dump(mode="json", exclude_none=True)
                for role, light in parsed.lighting_setup.items()
            }
            understood.extend(parsed.understood)
        else:
            key = data["lighting_setup"].get(LightType.KEY.value)
            parsed_key = parsed.lighting_setup.get(LightType.KEY)
            if key is not None and parsed_key is not None:
                for phrase in parsed.understood:
                    understood.append(phrase)
                kelvin_said = any(p.endswith(" K") or p in _KELVIN_HINTS for p in parsed.understood)
                if kelvin_said:
                    key["color_temperature"] = parsed_key.color_temperature
        if base is not None and preset_name is not None:
            for field in ("subject_description", "environment", "camera_settings"):
                data[field] = base.model_dump(mode="json")[field]
        known = " ".join(understood).lower()
        ignored = tuple(
            word
            for word in dict.fromkeys(_WORD.findall(lowered))
            if word not in _FILLER and word not in known
        )
        return Translation(
            request=SceneRequest.model_validate(data),
            understood=tuple(dict.fromkeys(understood)),
            ignored=ignored,
            translator=self.name,
        )

    async def health(self) -> str:
        """Translate a fixed phrase."""
        result = await self.translate("loop lighting, warm tungsten key")
        return f"offline rules ({len(result.understood)} phrases understood in a probe)"

    async def aclose(self) -> None:
        """Nothing to release."""


_KELVIN_HINTS = frozenset(
    {
        "candle",
        "sunset",
        "sunrise",
        "golden hour",
        "golden",
        "tungsten",
        "incandescent",
        "fluorescent",
        "daylight",
        "sunlight",
        "flash",
        "overcast",
        "shade",
        "blue hour",
        "warm",
        "cool",
    }
)
