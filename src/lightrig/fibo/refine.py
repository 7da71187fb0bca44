"""Re-light an existing structured prompt: change the light and every sentence the light changes.

FIBO's refine mode reproduces an image from the same prompt and seed with one attribute changed.
For a lighting change, the rule is: every sentence of the caption's scene text that talks about
light (:func:`is_lighting_sentence`) or about the mood (:func:`is_mood_sentence`) is the light's,
and is rewritten from the new light; every other sentence, and every other field, is copied
exactly, keys in their original order. Field by field:

* ``lighting``: the new setup's object;
* ``short_description``: the first lighting sentence becomes the new lighting sentences, the first
  mood sentence "The mood is ….", the other lighting and mood sentences go;
* ``aesthetics.mood_atmosphere``: the new mood words; ``aesthetics.color_scheme``: its sentences
  about light go and the new light's colour sentence (when it has one) follows the rest; any
  other ``aesthetics`` text loses its lighting sentences;
* ``context``: its first lighting sentence becomes the compiler's ("A professional studio
  photograph made with a deliberate … lighting setup."), the others go;
* ``background_setting``: in its sentences about light, the clauses about light go and the
  backdrop's new light ("lit by a background light", "falling off into deep shadow") takes
  their place;
* each of ``objects``' texts loses its lighting sentences.

A field whose every sentence would go keeps its text (a caption keeps no empty value); mood and
context sentences are not added where the caption had none.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lightrig.fibo.compile import (
    LIGHT_COLOUR_LEAD,
    backdrop_light_clause,
    context_sentence,
    light_colour_sentence,
    lighting_block,
    lighting_sentences,
    mood_text,
)
from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt
from lightrig.fibo.words import backdrop_phrase
from lightrig.lighting.reading import read
from lightrig.models.scene import SceneRequest

__all__ = [
    "is_lighting_sentence",
    "is_mood_sentence",
    "refine_prompt",
    "replace_lighting_sentences",
]

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
#: A sentence about the picture's mood: "The mood is …", "The overall impression is one of …".
_MOOD_WORDS = re.compile(
    r"\b(?:mood|moods|atmosphere|atmospheric|ambien[ct]e|overall (?:impression|image|feel|"
    r"feeling|tone|effect)|feel(?:s|ing)? of)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"([,;]\s*)")
_OWN_COLOUR_SENTENCE = re.compile(r"\s*" + re.escape(LIGHT_COLOUR_LEAD) + r"[^.]*\.")
_ENVIRONMENT_LIMIT = 300
#: Every level the compiler gives the backdrop in words (:func:`backdrop_phrase`).
_BACKDROP_LEVELS = tuple(
    dict.fromkeys(backdrop_phrase(s) for s in (2.0, 1.0, 0.0, -1.0, -3.0, -5.0))
)


def is_lighting_sentence(sentence: str) -> bool:
    """Whether a sentence talks about the light (``light brown`` and the like do not count)."""
    return _LIGHT_WORDS.search(sentence) is not None


def is_mood_sentence(sentence: str) -> bool:
    """Whether a sentence says what the picture's mood is (the light changes it)."""
    return _MOOD_WORDS.search(sentence) is not None


def _split(text: str) -> tuple[list[str], list[str]]:
    pieces = _SENTENCE_BREAK.split(text)
    return pieces[0::2], pieces[1::2]


def _rewrite(text: str, replacements: dict[str, str | None], *, keep_if_empty: bool) -> str:
    """``text`` with each sentence of a kind (``"light"``, ``"mood"``) in ``replacements``
    rewritten: the first of a kind becomes its replacement (``None``: dropped), the rest are
    dropped; the other sentences, and the spacing between them, kept exactly. When every
    sentence would go and ``keep_if_empty`` is set, ``text`` is returned as it was."""
    sentences, breaks = _split(text)
    kept: list[str] = []
    done: set[str] = set()
    for index, sentence in enumerate(sentences):
        kind = (
            "light"
            if is_lighting_sentence(sentence)
            else ("mood" if is_mood_sentence(sentence) else None)
        )
        out: str | None = sentence
        if kind is not None and kind in replacements:
            out = None if kind in done else replacements[kind]
            done.add(kind)
        if out is None:
            continue
        if kept:
            kept.append(breaks[index - 1])
        kept.append(out)
    result = "".join(kept)
    if not result.strip() and keep_if_empty:
        return text
    return result


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


def _relight_background(text: str, backdrop: str) -> str:
    """``background_setting`` with the clauses about light in its sentences about light
    replaced by ``backdrop`` (the backdrop's new light, e.g. "falling off into deep shadow")."""
    sentences, breaks = _split(text)
    out: list[str] = []
    placed = False
    for index, original in enumerate(sentences):
        sentence = original
        if is_lighting_sentence(sentence) or _is_backdrop_level(sentence):
            pieces = _CLAUSE_BREAK.split(sentence.rstrip("."))
            clauses, separators = pieces[0::2], pieces[1::2]
            kept = [
                (separators[i - 1] if i else "", clause)
                for i, clause in enumerate(clauses)
                if not (is_lighting_sentence(clause) or _is_backdrop_level(clause))
            ]
            if not placed:
                kept.append((", ", backdrop))
                placed = True
            joined = "".join(sep + clause for sep, clause in kept).lstrip(",; ")
            sentence = f"{joined}." if joined else ""
        if not sentence:
            continue
        if out:
            out.append(breaks[index - 1])
        out.append(sentence)
    return "".join(out) or text


def _is_backdrop_level(text: str) -> bool:
    """The compiler's words for the backdrop's level that name no light ("a little darker than
    the subject")."""
    return any(level in text for level in _BACKDROP_LEVELS)


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
        lighting = lighting_sentences(scene, reading)
        mood = f"The mood is {mood_text(reading)}."
        sentences, _ = _split(description)
        if not any(map(is_lighting_sentence, sentences)) and any(map(is_mood_sentence, sentences)):
            # no light said yet: the light goes before the mood it makes
            refined["short_description"] = _rewrite(
                description, {"mood": f"{lighting} {mood}"}, keep_if_empty=True
            )
        else:
            refined["short_description"] = _rewrite(
                replace_lighting_sentences(description, lighting),
                {"mood": mood},
                keep_if_empty=True,
            )
    aesthetics = refined.get("aesthetics")
    if isinstance(aesthetics, dict):
        for name, value in aesthetics.items():
            if name in ("mood_atmosphere", "color_scheme") or not isinstance(value, str):
                continue
            aesthetics[name] = _rewrite(value, {"light": None}, keep_if_empty=True)
        if "mood_atmosphere" in aesthetics:
            aesthetics["mood_atmosphere"] = mood_text(reading)
        scheme = aesthetics.get("color_scheme")
        if isinstance(scheme, str):
            base = _OWN_COLOUR_SENTENCE.sub("", scheme).rstrip()
            base = _rewrite(base, {"light": None}, keep_if_empty=False).rstrip()
            colour = light_colour_sentence(reading)
            if base and colour:
                base = base if base.endswith((".", "!", "?")) else f"{base}."
            combined = f"{base} {colour}".strip()
            aesthetics["color_scheme"] = combined or "natural, true-to-life colours."
    context = refined.get("context")
    if isinstance(context, str):
        refined["context"] = _rewrite(
            context, {"light": context_sentence(scene, reading)}, keep_if_empty=True
        )
    background = refined.get("background_setting")
    if isinstance(background, str):
        refined["background_setting"] = _relight_background(
            background, backdrop_light_clause(reading.measurements)
        )
    objects = refined.get("objects")
    if isinstance(objects, list):
        for item in objects:
            if not isinstance(item, dict):
                continue
            for name, value in item.items():
                if isinstance(value, str):
                    item[name] = _rewrite(value, {"light": None}, keep_if_empty=True)
    return refined
