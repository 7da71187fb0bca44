"""One table of light sources and colour words: nothing else in the product holds a second one."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from lightrig.fibo.parse import parse_lighting
from lightrig.lighting.colour import kelvin_source_name
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import (
    COLOUR_WORDS,
    LIGHT_SOURCES,
    LightSource,
    written_sources,
)
from lightrig.translate.rules import RulesTranslator

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lightrig"
#: A (words, kelvin) pair written out: what a kelvin table is made of.
_KELVIN_PAIR = re.compile(r"(?<![\w.])\(\s*r?[\"'][^\"']*[\"'],\s*\d{4,5}\.0\s*\)")


def test_no_module_but_the_vocabulary_holds_a_kelvin_table() -> None:
    owners = {
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if _KELVIN_PAIR.search(path.read_text(encoding="utf-8"))
    }
    assert owners == {"lighting/vocabulary.py"}


def test_the_pattern_finds_a_kelvin_table() -> None:  # the check above can fail
    assert _KELVIN_PAIR.search('TABLE = (("sunset", 2500.0), ("tungsten", 3200.0))')


#: Words the translator reads as a whole scene (the sun as the key light), not only a colour.
_SCENES = {"sunset", "sunrise", "sun"}


def _plain_word(words: str) -> str:
    """The first plain alternative of a words pattern that is not a scene's too
    ("sunset|sunrise|dusk light" → "dusk light")."""
    for option in words.split("|"):
        plain = option.replace(r"\b", "")
        if re.fullmatch(r"[a-z ]+", plain) and plain not in _SCENES:
            return plain
    raise AssertionError(f"no plain word in {words!r}")


@pytest.mark.parametrize("source", LIGHT_SOURCES, ids=[s.name for s in LIGHT_SOURCES])
def test_a_source_is_the_same_colour_to_the_translator_and_the_caption_parser(
    source: LightSource,
) -> None:
    word = _plain_word(source.words)
    translation = asyncio.run(RulesTranslator().translate(f"key light, {word}"))
    assert translation.request.lighting_setup[LightType.KEY].color_temperature == source.kelvin
    caption = {
        "lighting": {
            "conditions": f"a {word} key light",
            "direction": "key light from camera-left",
        }
    }
    parsed = parse_lighting(caption)
    assert parsed.lighting_setup[LightType.KEY].color_temperature == source.kelvin


def test_the_names_written_for_a_colour_are_the_tables() -> None:
    for source in written_sources():
        assert kelvin_source_name(source.kelvin) == source.name, source
    assert kelvin_source_name(12000.0) == "open shade"
    assert {words for words, _ in COLOUR_WORDS} >= {r"cool|blue|bluish"}
