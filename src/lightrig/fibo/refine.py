"""Re-light an existing structured prompt: change the light and only what the light changes.

FIBO's refine mode reproduces an image from the same prompt and seed with one attribute changed.
For a lighting change that means a new ``lighting`` object, new lighting sentences in
``short_description``, a new ``aesthetics.mood_atmosphere`` and a ``color_scheme`` whose sentence
about the light's colour is replaced. Every other field, and every other sentence of the
description, is copied exactly, keys in their original order.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lightrig.fibo.compile import (
    LIGHT_COLOUR_LEAD,
    light_colour_sentence,
    lighting_block,
    lighting_sentences,
    mood_text,
)
from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt
from lightrig.lighting.reading import read
from lightrig.models.scene import SceneRequest

__all__ = ["is_lighting_sentence", "refine_prompt", "replace_lighting_sentences"]

_SENTENCE_BREAK = re.compile(r"((?<=[.!?])\s+)")
_COLOUR_WORDS = (
    r"brown|blue|gr[ae]y|green|pink|yellow|purple|red|tan|beige|blond\w*|colou?red|toned|"
    r"skinned|haired|wood|weight|blue\w*|brownish|golden|olive"
)
_LIGHT_WORDS = re.compile(
    r"\b(?:lighting|lit|illuminat\w*|shadows?|backlit|backlighting|sunlight|sunlit|"
    r"daylight|moonlight|lamplight|candlelight|glow(?:s|ing)?|catchlights?|"
    r"lights?(?![\s-]+(?:" + _COLOUR_WORDS + r")\b))\b",
    re.IGNORECASE,
)
_OWN_COLOUR_SENTENCE = re.compile(r"\s*" + re.escape(LIGHT_COLOUR_LEAD) + r"[^.]*\.")
_ENVIRONMENT_LIMIT = 300


def is_lighting_sentence(sentence: str) -> bool:
    """Whether a sentence talks about the light (``light brown`` and the like do not count)."""
    return _LIGHT_WORDS.search(sentence) is not None


def replace_lighting_sentences(text: str, lighting: str) -> str:
    """``text`` with its first lighting sentence replaced by ``lighting`` and any other lighting
    sentences dropped; the rest, and the spacing between it, kept exactly. With no lighting
    sentence, ``lighting`` is appended."""
    pieces = _SENTENCE_BREAK.split(text)
    sentences = pieces[0::2]
    breaks = pieces[1::2]
    kept: list[str] = []
    replaced = False
    for index, sentence in enumerate(sentences):
        text_out = sentence
        if is_lighting_sentence(sentence):
            if replaced:
                continue
            text_out, replaced = lighting, True
        if kept:
            kept.append(breaks[index - 1])
        kept.append(text_out)
    if not replaced:
        stripped = text.rstrip()
        return f"{stripped} {lighting}" if stripped else lighting
    return "".join(kept)


def _with_lighting(prompt: dict[str, Any], block: dict[str, str]) -> dict[str, Any]:
    if "lighting" in prompt:
        prompt["lighting"] = block
        return prompt
    ordered: dict[str, Any] = {}
    rank = TOP_LEVEL_KEYS.index("lighting")
    for key, value in prompt.items():
        if "lighting" not in ordered and key in TOP_LEVEL_KEYS and TOP_LEVEL_KEYS.index(key) > rank:
            ordered["lighting"] = block
        ordered[key] = value
    ordered.setdefault("lighting", block)
    return ordered


def refine_prompt(prompt: dict[str, Any], request: SceneRequest) -> dict[str, Any]:
    """A copy of ``prompt`` lit by ``request``'s lighting setup.

    Only ``request``'s lights, head turn, backdrop and white balance are used; the scene itself
    comes from ``prompt``. ``prompt`` may be any caption that passes the lenient ten-key schema
    (nulls and empty values are kept as they are).
    """
    validate_prompt(prompt, strict=False)
    setting = str(prompt.get("background_setting") or request.environment)[:_ENVIRONMENT_LIMIT]
    scene = request.model_copy(update={"environment": setting})
    reading = read(scene.rig())

    refined = copy.deepcopy(prompt)
    refined = _with_lighting(refined, lighting_block(scene, reading))
    description = refined.get("short_description")
    if isinstance(description, str):
        refined["short_description"] = replace_lighting_sentences(
            description, lighting_sentences(scene, reading)
        )
    aesthetics = refined.get("aesthetics")
    if isinstance(aesthetics, dict):
        if "mood_atmosphere" in aesthetics:
            aesthetics["mood_atmosphere"] = mood_text(reading)
        scheme = aesthetics.get("color_scheme")
        if isinstance(scheme, str):
            base = _OWN_COLOUR_SENTENCE.sub("", scheme).rstrip()
            colour = light_colour_sentence(reading)
            if base and colour:
                base = base if base.endswith((".", "!", "?")) else f"{base}."
            combined = f"{base} {colour}".strip()
            aesthetics["color_scheme"] = combined or "natural, true-to-life colours."
    return refined
