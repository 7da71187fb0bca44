"""The words for light's colour: light sources, colour adjectives and reflector surfaces.

Every part of the product that turns a source's name into kelvin — the translator reading plain
English (:mod:`lightrig.translate.reading`), the structured-prompt parser reading a caption
back (:mod:`lightrig.fibo.parse`) — and every part that names the source a colour temperature
suggests (:func:`lightrig.lighting.colour.kelvin_source_name`, which the prompt compiler writes)
reads this table, so that "sunset" is one colour everywhere.

The colour adjectives ("warm", "cool", …) are here too (:data:`COLOUR_WORDS`).

Each :class:`LightSource` has the ``name`` lightrig writes, its ``kelvin``, the ``words`` it is
read from (a regular expression of alternatives, matched as whole words, most specific sources
first) and ``written_below``: the kelvin under which a colour is written as this source (sources
with ``None`` are read, never written; a colour at or above every bound is written as the last
written source, open shade).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COLOUR_WORDS",
    "LIGHT_SOURCES",
    "REFLECTOR_TINTS",
    "LightSource",
    "written_sources",
]


@dataclass(frozen=True, slots=True)
class LightSource:
    """A light source photographers name by its colour (see the module docstring)."""

    name: str
    kelvin: float
    words: str
    written_below: float | None = None


#: Light sources by colour, most specific words first (the order they are read in).
LIGHT_SOURCES: tuple[LightSource, ...] = (
    LightSource(
        "candlelight",
        1900.0,
        r"candle\s*l(?:igh|i)t|candle|fire\s*l(?:igh|i)t|fireplace",
        written_below=2100.0,
    ),
    LightSource("sodium streetlight", 2100.0, r"sodium(?:[- ]vapou?r)?|streetlight|street light"),
    LightSource("sunset", 2600.0, r"sunset|sunrise|dusk light|dawn light", written_below=2650.0),
    LightSource(
        "household tungsten",
        2700.0,
        r"household(?: bulb)?|incandescent|light ?bulb|\bbulb(?![- ](?:flash|strobe))|practical",
        written_below=3000.0,
    ),
    LightSource("golden hour", 3000.0, r"golden hour|golden|gold|amber"),
    LightSource("tungsten", 3200.0, r"tungsten|halogen|hot ?lights?|quartz", written_below=3500.0),
    LightSource("warm white", 4000.0, r"fluorescent|office light|warm white", written_below=4500.0),
    LightSource("moonlight", 7000.0, r"moonlight|moon light"),
    LightSource("sunlight", 5400.0, r"sunlight|sunny|noon|midday|\bsun\b", written_below=5500.0),
    LightSource(
        "daylight",
        5600.0,
        r"daylight|day light|flash|strobe|speedlight|hmi|colou?r[- ]?balanced",
        written_below=6000.0,
    ),
    LightSource("overcast daylight", 6500.0, r"overcast|cloudy|clouds", written_below=7000.0),
    LightSource("open shade", 7500.0, r"open shade|\bshade\b", written_below=float("inf")),
    LightSource("blue hour", 9000.0, r"blue hour|twilight"),
)


#: Colour adjectives, which describe a light's colour rather than name its source: (words, kelvin),
#: read after the sources (a gel named with one, "a quarter CTB for a cool edge", is the colour;
#: the adjective only describes it).
COLOUR_WORDS: tuple[tuple[str, float], ...] = (
    (r"icy|cold|steely", 8500.0),
    (r"cool|blue|bluish", 7500.0),
    (r"warm(?:er|ish)?|orange", 3400.0),
    (r"neutral|white|silver|clean white", 5600.0),
)


#: A reflector's surface, which returns the light that hits it: (words, mireds it adds).
REFLECTOR_TINTS: tuple[tuple[str, float], ...] = (
    (r"(?:white|silver)(?=[- ](?:reflector|bounce|card|v-?flat|board))", 0.0),
    (r"(?:sunlight|zebra|soft gold|sunfire)(?=[- ](?:reflector|bounce))", 30.0),
    (r"gold(?:en)?(?=[- ](?:reflector|bounce|card|board))", 60.0),
)


def written_sources() -> tuple[LightSource, ...]:
    """The sources lightrig writes, by the upper bound of the colours written as each."""
    return tuple(
        sorted(
            (s for s in LIGHT_SOURCES if s.written_below is not None),
            key=lambda s: s.written_below or 0.0,
        )
    )
