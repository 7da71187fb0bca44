"""The words for what light does: patterns, tonal keys, moods, shadow quality and contrast.

Keys are the values of :class:`~lightrig.lighting.patterns.Pattern`,
:class:`~lightrig.lighting.colour.ColourCast` and
:class:`~lightrig.lighting.softness.ShadowHardness` (strings, so a member looks a row up too).
Phrases read from prose are regular expressions over lower-case text, matched as whole words.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CAST_MOODS",
    "CONTRAST_STOPS",
    "FILL_AMOUNT_STOPS",
    "HARDNESS_PHRASES",
    "MOODS",
    "NO_FILL",
    "PATTERNS",
    "SETUP_WORDS",
    "SOFTNESS_WORDS",
    "TONAL_WORDS",
    "PatternWords",
]


@dataclass(frozen=True, slots=True)
class PatternWords:
    """A lighting pattern's words: ``label`` as the prompt names it ("Rembrandt" lighting),
    ``signature`` what it looks like on a face, ``mood`` the mood word it brings."""

    value: str
    label: str
    signature: str
    mood: str


#: Every pattern the analyzer names.
PATTERNS: tuple[PatternWords, ...] = (
    PatternWords(
        "butterfly",
        "butterfly",
        "a small symmetrical butterfly-shaped shadow directly under the nose",
        "glamorous",
    ),
    PatternWords(
        "clamshell",
        "clamshell",
        "light wrapping the face from above and below, a faint shadow under the chin and double "
        "catchlights",
        "flattering",
    ),
    PatternWords(
        "loop",
        "loop",
        "a small nose shadow looping down toward the corner of the mouth without touching the "
        "cheek shadow",
        "approachable",
    ),
    PatternWords(
        "rembrandt",
        "Rembrandt",
        "a small lit triangle on the shadow-side cheek beneath the eye, where the nose shadow "
        "meets the cheek shadow",
        "painterly",
    ),
    PatternWords(
        "split",
        "split",
        "exactly half of the face lit and the other half in shadow, split down the nose",
        "enigmatic",
    ),
    PatternWords(
        "rim-lit",
        "rim",
        "the face mostly in shadow with bright rim highlights along the jaw, ear and hair",
        "backlit",
    ),
    PatternWords(
        "top-light",
        "top",
        "deep shadows in the eye sockets and under the nose and chin",
        "stark",
    ),
    PatternWords(
        "under-light",
        "under",
        "shadows cast upward from below, an eerie uplit face",
        "unsettling",
    ),
    PatternWords(
        "flat", "flat, even", "almost no modelling shadows, even light across the face", "even"
    ),
    PatternWords(
        "cross",
        "cross",
        "light raking the face from both sides, each cheek edged with light and a soft shadow "
        "down the middle of the face",
        "graphic",
    ),
    PatternWords(
        "silhouette",
        "silhouette",
        "the subject a dark silhouette cut out against the bright background",
        "minimal",
    ),
)

#: Named setups in prose, most specific first: (words, preset name).
SETUP_WORDS: tuple[tuple[str, str], ...] = (
    (r"film[- ]noir|\bnoir\b|detective movie|1940s detective", "film-noir"),
    (r"silhouett\w*", "silhouette"),
    (
        r"golden[- ]hour|magic hour|late[- ]afternoon sun|setting sun|low sun|sunset|sunrise",
        "golden-hour",
    ),
    (
        r"window[- ]?light|light from a window|by (?:a|the) window|north[- ]facing window|"
        r"\bwindows?\b|(?:open |garage |barn )?door(?:way)?",
        "window-light",
    ),
    (r"product shot|packshot|tabletop|table[- ]top|still[- ]life|catalogue", "product-tabletop"),
    (r"clamshell|beauty lighting|beauty light|beauty shot|\bbeauty\b(?![- ]?dish)", "clamshell"),
    (r"rembrandt|painterly|oil painting|old masters?|dutch masters?", "rembrandt"),
    (
        r"butterfly|paramount|glamou?r lighting|hollywood glamou?r|old hollywood|"
        r"classic hollywood|golden age(?: of hollywood)?|movie star|film star|"
        r"(?:19)?[345]0'?s (?:movie|film|hollywood|glamou?r|star)|\bglamou?r\b",
        "butterfly",
    ),
    (r"loop[- ]light(?:ing)?|\bloop\b", "loop"),
    (r"split[- ]?(?:light(?:ing)?|face)|\bsplit\b|half (?:the )?face (?:in|is in) shadow", "split"),
    (r"broad lighting|broad light|broad side", "broad"),
    (r"short lighting|short light|short side", "short"),
    (
        r"rim[- ]lit|rim[- ]light(?:ing)? only|only (?:a )?rim(?: light)?|"
        r"just (?:a )?rim(?: light)?",
        "rim-light",
    ),
)

#: Tonal keys in prose: (words, "high" or "low").
TONAL_WORDS: tuple[tuple[str, str], ...] = (
    (r"high[- ]key", "high"),
    (r"low[- ]key", "low"),
)

#: Moods and looks in prose, and what they ask of the light: tonal key (which brings the high- or
#: low-key setup and its contrast), contrast in stops, the key's warmth (kelvin), the accents'
#: warmth (rims, kickers and hair light; kelvin), softness 0–1.
MOODS: tuple[tuple[str, dict[str, float | str]], ...] = (
    (r"moody|brooding|sombre|somber|dark and|shadowy", {"tonal": "low"}),
    (r"mysterious|ominous|sinister", {"tonal": "low"}),
    (r"horror|creepy|eerie|spooky|scary|menacing", {"tonal": "low"}),
    (r"dramatic|intense|theatrical", {"stops": 2.5}),
    (r"dark room|darkened room|in the dark|darkness", {"tonal": "low"}),
    (r"overcast|cloudy|grey sky|gray sky", {"softness": 0.95, "kelvin": 6500.0, "stops": 1.3}),
    (r"open shade", {"softness": 0.95, "kelvin": 7500.0, "stops": 1.3}),
    (r"teal and orange|orange and teal", {"kelvin": 3400.0, "accent_kelvin": 8000.0}),
    (r"cinematic|filmic|movie|film still", {"stops": 2.0}),
    (r"airy|fresh|clean|cheerful|upbeat|bright and", {"tonal": "high"}),
    (r"gentle|flattering|soft and", {"softness": 0.85}),
    (r"romantic|dreamy", {"softness": 0.85, "kelvin": 3800.0}),
    (r"intimate|cosy|cozy", {"kelvin": 3400.0}),
    (r"clinical|sterile", {"kelvin": 7000.0, "stops": 0.7}),
    (r"gritty|edgy|raw", {"softness": 0.12}),
    (r"natural|everyday|documentary", {"softness": 0.7}),
)

#: The mood word a colour cast (against the white balance) brings.
CAST_MOODS: dict[str, str] = {
    "deep warm": "nostalgic",
    "warm": "intimate",
    "slightly warm": "warm",
    "slightly cool": "cool",
    "cool": "modern",
    "deep cool": "clinical",
}

#: How the prompt describes each shadow quality.
HARDNESS_PHRASES: dict[str, str] = {
    "soft": "soft and gradual",
    "medium": "defined but soft-edged",
    "hard": "crisp and hard-edged",
}

#: Softness in prose: (words, softness 0–1).
SOFTNESS_WORDS: tuple[tuple[str, float], ...] = (
    (r"very soft|super soft|extremely soft|wrap(?:ping)?[- ]around", 1.0),
    (r"pinpoint|specular|point source", 0.05),
    (r"harsh|hard|crisp|contrasty light|direct|undiffused|sharp shadows?", 0.12),
    (r"soft|diffused?|gentle|wrapping|feathered|large source|big source", 0.8),
    (r"medium|semi[- ]soft", 0.45),
)

#: How much fill, in prose: (words, stops the fill sits under the key; None: no fill at all).
FILL_AMOUNT_STOPS: tuple[tuple[str, float | None], ...] = (
    (
        r"no fill|without (?:any )?fill|zero fill|kill the fill|no reflector|nothing else|"
        r"no other lights?|one light only|only one light|just one light|single light only|"
        r"everything else (?:black|dark)|nothing (?:on|from) the (?:other|opposite|shadow) side|"
        r"\bsingle(?= (?:\w+ )?(?:light|source|bulb|lamp|strobe|flash|spot|softbox)\b)",
        None,
    ),
    (
        r"(?:barely any|hardly any|a touch of|a hint of|minimal|very little|little|subtle|faint|"
        r"weak|slight|tiny bit of) fill",
        3.0,
    ),
    (r"(?:soft|gentle|generous|lots of|plenty of|strong|heavy|full|bright|big) fill", 1.0),
    (r"(?:some|a bit of|moderate|normal|standard) fill", 2.0),
    (
        r"fill (?:almost|nearly|about|roughly) as (?:strong|bright) as the key|"
        r"fill matching the key|fill equal to the key",
        0.3,
    ),
)

#: What every face (summary, rating, advice, prompt, diagram) says of a shadow side that no light
#: reaches, instead of a lit:shadow ratio: the ratio of something to nothing is no number (the
#: analysis caps it at 1024:1, ten stops, only to keep its fields numbers).
NO_FILL = "no fill: the shadow side is unlit"

#: Contrast in prose: (words, lit-to-shadow contrast in stops).
CONTRAST_STOPS: tuple[tuple[str, float], ...] = (
    (r"very high contrast|extreme contrast|deep black shadows|pitch[- ]black shadows", 4.0),
    (r"lost in (?:the )?shadows?|swallowed by (?:the )?shadows?|mostly in shadow", 3.5),
    (r"high contrast|contrasty|punchy|deep shadows|strong shadows|chiaroscuro", 3.0),
    (r"medium contrast|moderate contrast|standard portrait", 1.8),
    (r"low contrast|soft contrast|gentle contrast", 1.0),
)
