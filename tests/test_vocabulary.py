"""One vocabulary: every word table lives in :mod:`lightrig.lighting.vocabulary`, and the
enumerations and the tables agree."""

from __future__ import annotations

import asyncio
import re
from enum import StrEnum
from pathlib import Path

import pytest

from lightrig.fibo.parse import parse_lighting
from lightrig.lighting.colour import ColourCast, kelvin_source_name
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.vocabulary import (
    BARE_GEL_WORDS,
    CAMERA_ANGLE_PHRASES,
    CAST_MOODS,
    COLOUR_WORDS,
    CONTRAST_STOPS,
    FRAMING_PHRASES,
    GELS,
    HARDNESS_PHRASES,
    LIGHT_SOURCES,
    MODIFIERS,
    PATTERNS,
    RELATIVE_SIZE_PHRASES,
    ROLE_WORDS,
    ROLES,
    SETUP_WORDS,
    SHOT_WORDS,
    SOFTNESS_WORDS,
    LightSource,
    written_sources,
)
from lightrig.models.camera import CameraAngle, ShotType
from lightrig.presets import PRESETS
from lightrig.translate.rules import RulesTranslator

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lightrig"
VOCABULARY = "lighting/vocabulary/"
#: A (words, kelvin) pair written out: what a kelvin table is made of.
_KELVIN_PAIR = re.compile(r"(?<![\w.])\(\s*r?[\"'][^\"']*[\"'],\s*\d{4,5}\.0\s*\)")
#: A row of a words table: a line opening a pair of a regular expression and anything
#: ("(r\"soft|diffused\", 0.8),") or of words and a number or an enumeration's member
#: ("(\"no fill\", 5.0),", "(\"rim light\", LightType.RIM),").
_WORDS_ROW = re.compile(
    r"^\s*\(\s*(?:r\"[^\"]+\",|\"[^\"]+\",\s*(?:-?\d+\.\d+|[A-Z][A-Za-z]+\.[A-Z_]+)\s*\))",
    re.MULTILINE,
)
#: A row of a table keyed by one of lightrig's enumerations and giving words
#: ("Pattern.LOOP: \"loop\",", "LightType.RIM: \"rim light\",").
_ENUM_WORDS_ROW = re.compile(
    r"^\s*(?:Pattern|LightType|Modifier|ColourCast|ShadowHardness|ShotType|CameraAngle|TonalKey)"
    r"\.[A-Z_]+:\s*\"",
    re.MULTILINE,
)
#: Modules whose string pairs are grammar or units, not words of light: the direction grammar
#: owns its own words, and the settings and the mock servers speak other vocabularies.
_NOT_WORD_TABLES = ("lighting/direction/",)


def _owners(pattern: re.Pattern[str]) -> set[str]:
    return {
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }


def test_no_module_but_the_vocabulary_holds_a_kelvin_table() -> None:
    assert {owner for owner in _owners(_KELVIN_PAIR) if not owner.startswith(VOCABULARY)} == set()
    assert _owners(_KELVIN_PAIR) == {VOCABULARY + "colours.py"}


def test_no_module_but_the_vocabulary_holds_a_words_table() -> None:
    outside = {
        owner
        for owner in _owners(_WORDS_ROW) | _owners(_ENUM_WORDS_ROW)
        if not owner.startswith((VOCABULARY, *_NOT_WORD_TABLES))
    }
    assert outside == set()


def test_the_patterns_find_word_tables() -> None:  # the checks above can fail
    assert _KELVIN_PAIR.search('TABLE = (("sunset", 2500.0), ("tungsten", 3200.0))')
    assert _WORDS_ROW.search('TABLE = (\n    (r"soft|diffused", 0.8),\n)')
    assert _WORDS_ROW.search('TABLE = (\n    ("background light", LightType.BACKGROUND),\n)')
    assert _ENUM_WORDS_ROW.search('NAMES = {\n    Pattern.LOOP: "loop",\n}')
    assert not _WORDS_ROW.search('    raise ValueError("no light", 3)')
    assert not _WORDS_ROW.search('        ("backend", record.backend),')


@pytest.mark.parametrize(
    ("enumeration", "table"),
    [
        (LightType, {role.value for role in ROLES}),
        (Modifier, {m.value for m in MODIFIERS}),
        (Pattern, {p.value for p in PATTERNS}),
        (ShadowHardness, set(HARDNESS_PHRASES)),
        (ShotType, set(FRAMING_PHRASES)),
        (ShotType, set(RELATIVE_SIZE_PHRASES)),
        (CameraAngle, set(CAMERA_ANGLE_PHRASES)),
        (ColourCast, set(CAST_MOODS) | {"neutral"}),
    ],
)
def test_every_member_of_an_enumeration_has_its_words(
    enumeration: type[StrEnum], table: set[str]
) -> None:
    assert {member.value for member in enumeration} == table


def test_every_word_the_translator_reads_names_something_real() -> None:
    roles = {role.value for role in ROLES}
    assert {role for _, role in ROLE_WORDS} == roles
    assert {preset for _, preset in SETUP_WORDS} <= set(PRESETS) | {"broad", "short"}
    gels = {gel.name for gel in GELS}
    assert {name for _, name in BARE_GEL_WORDS} <= gels
    for table in (ROLE_WORDS, SETUP_WORDS, SOFTNESS_WORDS, CONTRAST_STOPS, SHOT_WORDS):
        for words, _ in table:
            re.compile(words)
    for m in MODIFIERS:
        assert m.size_m > 0.0, m
        assert all((m.label, m.written, m.short)), m


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
