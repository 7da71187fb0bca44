"""The words for a studio's equipment: the roles lights play, modifiers, and gels.

Keys are the values of :class:`~lightrig.lighting.roles.LightType` and
:class:`~lightrig.lighting.modifiers.Modifier` (those enumerations are strings, so either a
member or its value looks a row up); this package imports nothing else of lightrig's.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BARE_GEL_WORDS",
    "GELS",
    "MODIFIERS",
    "PLOT_COLUMNS",
    "ROLES",
    "ROLE_WORDS",
    "GelWords",
    "ModifierWords",
    "RoleWords",
]


@dataclass(frozen=True, slots=True)
class RoleWords:
    """A role's words and colours: ``label`` for menus and the diagram, ``written`` in prompts
    (and read back from captions, with its first word alone: "rim light" and "rim"), ``blurb``
    what it is for, ``hint`` the same for a language model filling the setup's schema (units
    included); ``accent`` its colour in the diagram, ``accent_on_dark`` a lighter shade of it
    for the studio's dark page (sRGB hex)."""

    value: str
    label: str
    written: str
    blurb: str
    hint: str
    accent: str
    accent_on_dark: str


#: Every role, in the order the product lists them.
ROLES: tuple[RoleWords, ...] = (
    RoleWords(
        "key",
        "Key",
        "key",
        "The main light: it sets the pattern and the exposure.",
        "The main light. Degrees, metres, intensity 0-1, kelvin, softness 0-1.",
        "#e8590c",
        "#ff922b",
    ),
    RoleWords(
        "fill",
        "Fill",
        "fill",
        "Opens the shadows; its level against the key sets the ratio.",
        "Lifts the key's shadows.",
        "#1c7ed6",
        "#4dabf7",
    ),
    RoleWords(
        "rim",
        "Rim",
        "rim light",
        "From behind: a bright edge that separates the subject from the background.",
        "Edge light from behind.",
        "#ae3ec9",
        "#da77f2",
    ),
    RoleWords(
        "kicker",
        "Kicker",
        "kicker",
        "Behind and to the side: a glint along the jaw and cheek.",
        "Second edge light from behind-side.",
        "#0c8599",
        "#3bc9db",
    ),
    RoleWords(
        "hair",
        "Hair",
        "hair light",
        "High behind the head: light on hair and shoulders.",
        "High and behind, on the hair.",
        "#d6336c",
        "#f783ac",
    ),
    RoleWords(
        "background",
        "Background",
        "background light",
        "Lights the backdrop; its distance is measured to the backdrop.",
        "Lights the backdrop; distance to the backdrop.",
        "#5c940d",
        "#a9e34b",
    ),
    RoleWords(
        "ambient",
        "Ambient",
        "ambient light",
        "The room's own light, from everywhere: no position, not on the diagram.",
        "Light from everywhere; intensity and colour only.",
        "#868e96",
        "#ced4da",
    ),
)

#: How prose names a light: (words, role), most specific first (the order they are read in).
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    (r"hair[- ]?light|\bhair\b", "hair"),
    (r"background light|backdrop light|light on the (?:background|backdrop|wall)", "background"),
    (r"kicker", "kicker"),
    (r"rim[- ]?light|\brims?\b|edge[- ]?light|back[- ]?light|separation light|\bhalo\b", "rim"),
    (
        r"on the (?:background|backdrop|wall)|aimed at the (?:background|backdrop|wall)",
        "background",
    ),
    (r"fill[- ]?light|\bfill\b|reflector|bounce card|\bbounce\b", "fill"),
    (r"ambient|room light|available light", "ambient"),
    (r"key[- ]?light|main light|\bkey\b|\bsun\b", "key"),
)


@dataclass(frozen=True, slots=True)
class ModifierWords:
    """A modifier's words and size.

    ``label``: the menu name; ``written``: the name prompts use and captions are read back by;
    ``short``: the diagram's label; ``size_m``: its typical effective diameter in metres (for a
    strip box the equal-area circle, for the sky the part of it that lights the subject);
    ``sized``: whether photographers quote its size ("a 90 cm softbox", but "a snoot");
    ``words``: what prose calls it (a regular expression; ``None`` for a modifier prose names as a
    whole setup, such as a window).
    """

    value: str
    label: str
    written: str
    short: str
    size_m: float
    sized: bool
    words: str | None


#: Every modifier, in the order prose is read (most specific words first).
MODIFIERS: tuple[ModifierWords, ...] = (
    ModifierWords(
        "beauty_dish", "Beauty dish", "beauty dish", "beauty dish", 0.55, True, r"beauty[- ]?dish"
    ),
    ModifierWords("octabox", "Octabox", "octabox", "octabox", 1.2, True, r"octa[- ]?box|\bocta\b"),
    ModifierWords(
        "strip_box",
        "Strip box",
        "strip box",
        "strip box",
        0.6,  # a 30 × 120 cm strip, as its equivalent-area circle
        True,
        r"strip[- ]?box(?:es)?|strip[- ]?light|\bstrips?\b",
    ),
    ModifierWords("softbox", "Softbox", "softbox", "softbox", 0.9, True, r"soft[- ]?box(?:es)?"),
    ModifierWords("umbrella", "Umbrella", "umbrella", "umbrella", 1.05, True, r"umbrella"),
    ModifierWords(
        "fresnel",
        "Fresnel spot",
        "fresnel spot",
        "fresnel",
        0.15,
        False,
        r"fresnel|spot ?light|\bspot\b|focusing spot",
    ),
    ModifierWords("snoot", "Snoot", "snoot", "snoot", 0.05, False, r"snoot"),
    ModifierWords(
        "bare",
        "Bare reflector",
        "bare reflector",
        "bare",
        0.18,  # a standard 7-inch reflector
        False,
        r"bare(?=[- ]bulb)|bare (?:flash|strobe|head|reflector)|\bbare\b|standard reflector",
    ),
    ModifierWords(
        "scrim",
        "Diffusion scrim",
        "diffusion scrim",
        "scrim",
        1.8,
        True,
        r"scrim|\bsilk\b|diffusion frame|diffusion panel",
    ),
    ModifierWords(
        "reflector",
        "Reflector (bounce)",
        "reflector",
        "reflector",
        1.0,  # a bounce board or 107 cm round reflector
        True,
        r"bounce card|reflector|\bbounce\b|v-?flat|white card",
    ),
    ModifierWords("window", "Window", "window", "window", 1.2, True, None),
    ModifierWords(
        "overcast",
        "Overcast sky",
        "overcast sky",
        "overcast sky",
        6.0,  # the bright part of an overcast sky, at a few metres
        False,
        None,
    ),
)


@dataclass(frozen=True, slots=True)
class GelWords:
    """A colour-correction gel: its name, its shift in mireds (positive warms; Lee Filters'
    published values) and what prose calls it."""

    name: str
    mired_shift: float
    words: str


#: Colour-correction gels, warming then cooling, strongest first.
GELS: tuple[GelWords, ...] = (
    GelWords("full CTO", 159.0, r"(?:full|1/1|a full) cto"),
    GelWords("1/2 CTO", 109.0, r"(?:half|1/2|a half) cto"),
    GelWords("1/4 CTO", 64.0, r"(?:quarter|1/4) cto"),
    GelWords("1/8 CTO", 26.0, r"(?:eighth|1/8) cto"),
    GelWords("full CTB", -137.0, r"(?:full|1/1|a full) ctb"),
    GelWords("1/2 CTB", -78.0, r"(?:half|1/2|a half) ctb"),
    GelWords("1/4 CTB", -35.0, r"(?:quarter|1/4) ctb"),
    GelWords("1/8 CTB", -18.0, r"(?:eighth|1/8) ctb"),
)

#: A gel named by its family alone is the full one: (words, gel name), read after :data:`GELS`.
BARE_GEL_WORDS: tuple[tuple[str, str], ...] = ((r"\bcto\b", "full CTO"), (r"\bctb\b", "full CTB"))


#: The lighting plot's light table: its column headings, in order (``lightrig.plot``).
PLOT_COLUMNS: tuple[str, ...] = (
    "Light",
    "Position",
    "Stand height",
    "Modifier",
    "Colour",
    "Power setting",
    "Meter reading",
)
