"""Refine: a new light in an existing caption, every other field byte-identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lightrig.fibo.refine import is_lighting_sentence, refine_prompt, replace_lighting_sentences
from lightrig.fibo.schema import validate_prompt
from lightrig.presets import PRESETS

CAPTIONS = sorted((Path(__file__).parent / "fixtures" / "captions").glob("*.json"))
CHANGED_AESTHETICS = {"mood_atmosphere", "color_scheme"}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _bytes(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("path", CAPTIONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("preset", ["film-noir", "high-key", "golden-hour"])
def test_only_the_light_changes(path: Path, preset: str) -> None:
    original = _load(path)
    refined = refine_prompt(original, PRESETS[preset].request())
    assert list(refined) == list(original) + (["lighting"] if "lighting" not in original else [])
    for key, value in original.items():
        if key in ("lighting", "short_description", "aesthetics"):
            continue
        assert _bytes(refined[key]) == _bytes(value), key
    for key, value in original["aesthetics"].items():
        if key not in CHANGED_AESTHETICS:
            assert _bytes(refined["aesthetics"][key]) == _bytes(value), key
    assert refined["lighting"] != original["lighting"]
    assert refined["aesthetics"]["mood_atmosphere"] != original["aesthetics"]["mood_atmosphere"]
    validate_prompt(refined, strict=False)


@pytest.mark.parametrize("path", CAPTIONS, ids=lambda p: p.stem)
def test_non_lighting_sentences_survive_word_for_word(path: Path) -> None:
    original = _load(path)
    refined = refine_prompt(original, PRESETS["split"].request())
    description = refined["short_description"]
    for sentence in original["short_description"].split(". "):
        if not is_lighting_sentence(sentence):
            assert sentence.rstrip(".") in description
    assert "split lighting" in description
    assert description.count("The lighting is") == 1


def test_the_lighting_sentence_takes_the_old_ones_place() -> None:
    text = "A dog sits. The light is soft and even. It wags. Shadows are faint."
    assert replace_lighting_sentences(text, "NEW.") == "A dog sits. NEW. It wags."
    assert replace_lighting_sentences("A dog sits.", "NEW.") == "A dog sits. NEW."


def test_colour_words_are_not_mistaken_for_light() -> None:
    assert not is_lighting_sentence("A scruffy light brown terrier sits on the street.")
    assert not is_lighting_sentence("A plain, light-colored wall.")
    assert is_lighting_sentence("Daylight falls across her face.")
    assert is_lighting_sentence("The scene is lit by a single lamp.")


def test_refining_twice_replaces_rather_than_piles_up() -> None:
    original = _load(CAPTIONS[1])
    once = refine_prompt(original, PRESETS["golden-hour"].request())
    twice = refine_prompt(once, PRESETS["golden-hour"].request())
    assert twice == once
    scheme = refine_prompt(once, PRESETS["loop"].request())["aesthetics"]["color_scheme"]
    assert "The light gives" not in scheme
    assert scheme.startswith("Monochrome greys and black")
