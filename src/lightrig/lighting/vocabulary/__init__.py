"""Every word of light lightrig reads or writes, in one place.

The models, the translator (:mod:`lightrig.translate`), the prompt compiler and the caption
parser (:mod:`lightrig.fibo`), the analyzer's names and moods, the diagram and the studio
(through ``GET /v1/conventions``) all read these tables, so a word means one thing everywhere;
a test fails if a second table appears elsewhere. Directions are the exception that proves the
rule: their words belong to the one direction grammar, :mod:`lightrig.lighting.direction`.

* :mod:`~lightrig.lighting.vocabulary.colours` — light sources by colour, colour adjectives,
  reflector surfaces;
* :mod:`~lightrig.lighting.vocabulary.equipment` — roles, modifiers (with their typical sizes),
  gels;
* :mod:`~lightrig.lighting.vocabulary.looks` — patterns, named setups, tonal keys, moods, shadow
  quality, contrast and fill;
* :mod:`~lightrig.lighting.vocabulary.prose` — numbers, backdrops, framings, the words that carry
  nothing, and a caption's size and contrast words;
* :mod:`~lightrig.lighting.vocabulary.relight` — Bria's preset relighting: its light types and
  directions;
* :mod:`~lightrig.lighting.vocabulary.models` — the FIBO models an image can be made with.

The package imports nothing else of lightrig's: rows are keyed by the values of lightrig's
enumerations (which are strings), and a test holds every enumeration and its table to each other.
"""

from __future__ import annotations

from lightrig.lighting.vocabulary.colours import (
    COLOUR_WORDS,
    LIGHT_SOURCES,
    REFLECTOR_TINTS,
    LightSource,
    written_sources,
)
from lightrig.lighting.vocabulary.equipment import (
    BARE_GEL_WORDS,
    GELS,
    MODIFIERS,
    ROLE_WORDS,
    ROLES,
    GelWords,
    ModifierWords,
    RoleWords,
)
from lightrig.lighting.vocabulary.looks import (
    CAST_MOODS,
    CONTRAST_STOPS,
    FILL_AMOUNT_STOPS,
    HARDNESS_PHRASES,
    MOODS,
    NO_FILL,
    PATTERNS,
    SETUP_WORDS,
    SOFTNESS_WORDS,
    TONAL_WORDS,
    PatternWords,
)
from lightrig.lighting.vocabulary.models import (
    DEFAULT_MODEL,
    FIBO_MODELS,
    MODEL_NAMES,
    ModelWords,
)
from lightrig.lighting.vocabulary.prose import (
    ANGLE_WORDS,
    BACKDROP_COLOURS,
    CAMERA_ANGLE_PHRASES,
    CAPTION_CONTRAST_STOPS,
    CAPTION_SIZE_WORDS,
    FRAMING_PHRASES,
    LENS_CLASSES,
    NUMBER_WORDS,
    RELATIVE_SIZE_PHRASES,
    SHOT_WORDS,
    STOPWORDS,
)
from lightrig.lighting.vocabulary.relight import RELIGHT_DIRECTIONS, RELIGHT_TYPES, RelightType

__all__ = [
    "ANGLE_WORDS",
    "BACKDROP_COLOURS",
    "BARE_GEL_WORDS",
    "CAMERA_ANGLE_PHRASES",
    "CAPTION_CONTRAST_STOPS",
    "CAPTION_SIZE_WORDS",
    "CAST_MOODS",
    "COLOUR_WORDS",
    "CONTRAST_STOPS",
    "DEFAULT_MODEL",
    "FIBO_MODELS",
    "FILL_AMOUNT_STOPS",
    "FRAMING_PHRASES",
    "GELS",
    "HARDNESS_PHRASES",
    "LENS_CLASSES",
    "LIGHT_SOURCES",
    "MODEL_NAMES",
    "MODIFIERS",
    "MOODS",
    "NO_FILL",
    "NUMBER_WORDS",
    "PATTERNS",
    "REFLECTOR_TINTS",
    "RELATIVE_SIZE_PHRASES",
    "RELIGHT_DIRECTIONS",
    "RELIGHT_TYPES",
    "ROLES",
    "ROLE_WORDS",
    "SETUP_WORDS",
    "SHOT_WORDS",
    "SOFTNESS_WORDS",
    "STOPWORDS",
    "TONAL_WORDS",
    "GelWords",
    "LightSource",
    "ModelWords",
    "ModifierWords",
    "PatternWords",
    "RelightType",
    "RoleWords",
    "written_sources",
]
