"""The words photographers and art directors use for light, and what each means in numbers.

Each table maps a phrase (a regular expression over lower-case text) to a value: a preset, a
colour temperature in kelvin, a softness 0–1, a modifier, a contrast in stops. The translator in
:mod:`lightrig.translate.rules` reads descriptions with them; keeping the words here makes the
vocabulary easy to read, review and extend.
"""

from __future__ import annotations

from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.vocabulary import COLOUR_WORDS, LIGHT_SOURCES

__all__ = [
    "BACKDROP_COLOURS",
    "CONTRAST_STOPS",
    "FILL_AMOUNT_STOPS",
    "GEL_MIRED",
    "KELVIN_WORDS",
    "MODIFIER_WORDS",
    "MOODS",
    "NUMBER_WORDS",
    "PATTERN_WORDS",
    "REFLECTOR_TINTS",
    "SOFTNESS_WORDS",
    "STOPWORDS",
    "TINT_WORDS",
]

#: Named setups, most specific first: (phrase, preset name).
PATTERN_WORDS: tuple[tuple[str, str], ...] = (
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

#: Tonal keys and their style words: (phrase, "high" or "low").
TONAL_WORDS: tuple[tuple[str, str], ...] = (
    (r"high[- ]key", "high"),
    (r"low[- ]key", "low"),
)

#: Moods and looks, and what they ask of the light: tonal key (which brings the high- or low-key
#: setup and its contrast), contrast in stops, the key's warmth
#: (kelvin), the accents' warmth (rims, kickers and hair light; kelvin), softness 0–1.
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

#: Colour temperatures in kelvin, most specific first: lightrig's one table of light sources
#: (:data:`lightrig.lighting.vocabulary.LIGHT_SOURCES`) as (words, kelvin).
KELVIN_WORDS: tuple[tuple[str, float], ...] = tuple(
    (source.words, source.kelvin) for source in LIGHT_SOURCES
)

#: Colour adjectives, which describe a light's colour rather than its source: (phrase, kelvin),
#: the one table's (:data:`lightrig.lighting.vocabulary.COLOUR_WORDS`).
TINT_WORDS: tuple[tuple[str, float], ...] = COLOUR_WORDS

#: A reflector's surface, which returns the light that hits it: (phrase, mireds it adds).
REFLECTOR_TINTS: tuple[tuple[str, float], ...] = (
    (r"(?:white|silver)(?=[- ](?:reflector|bounce|card|v-?flat|board))", 0.0),
    (r"(?:sunlight|zebra|soft gold|sunfire)(?=[- ](?:reflector|bounce))", 30.0),
    (r"gold(?:en)?(?=[- ](?:reflector|bounce|card|board))", 60.0),
)

#: Colour-correction gels: (phrase, mireds added). Lee's values.
GEL_MIRED: tuple[tuple[str, float], ...] = (
    (r"(?:full|1/1|a full) cto", 159.0),
    (r"(?:half|1/2|a half) cto", 109.0),
    (r"(?:quarter|1/4) cto", 64.0),
    (r"(?:eighth|1/8) cto", 26.0),
    (r"\bcto\b", 159.0),
    (r"(?:full|1/1|a full) ctb", -137.0),
    (r"(?:half|1/2|a half) ctb", -78.0),
    (r"(?:quarter|1/4) ctb", -35.0),
    (r"(?:eighth|1/8) ctb", -18.0),
    (r"\bctb\b", -137.0),
)

#: Modifiers: (phrase, modifier).
MODIFIER_WORDS: tuple[tuple[str, Modifier], ...] = (
    (r"beauty[- ]?dish", Modifier.BEAUTY_DISH),
    (r"octa[- ]?box|\bocta\b", Modifier.OCTABOX),
    (r"strip[- ]?box(?:es)?|strip[- ]?light|\bstrips?\b", Modifier.STRIP_BOX),
    (r"soft[- ]?box(?:es)?", Modifier.SOFTBOX),
    (r"umbrella", Modifier.UMBRELLA),
    (r"fresnel|spot ?light|\bspot\b|focusing spot", Modifier.FRESNEL),
    (r"snoot", Modifier.SNOOT),
    (
        r"bare(?=[- ]bulb)|bare (?:flash|strobe|head|reflector)|\bbare\b|standard reflector",
        Modifier.BARE,
    ),
    (r"scrim|\bsilk\b|diffusion frame|diffusion panel", Modifier.SCRIM),
    (r"bounce card|reflector|\bbounce\b|v-?flat|white card", Modifier.REFLECTOR),
)

#: Softness words: (phrase, softness 0–1).
SOFTNESS_WORDS: tuple[tuple[str, float], ...] = (
    (r"very soft|super soft|extremely soft|wrap(?:ping)?[- ]around", 1.0),
    (r"pinpoint|specular|point source", 0.05),
    (r"harsh|hard|crisp|contrasty light|direct|undiffused|sharp shadows?", 0.12),
    (r"soft|diffused?|gentle|wrapping|feathered|large source|big source", 0.8),
    (r"medium|semi[- ]soft", 0.45),
)

#: How much fill: (phrase, stops the fill sits under the key; None: no fill at all).
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

#: Contrast words: (phrase, lit-to-shadow contrast in stops).
CONTRAST_STOPS: tuple[tuple[str, float], ...] = (
    (r"very high contrast|extreme contrast|deep black shadows|pitch[- ]black shadows", 4.0),
    (r"lost in (?:the )?shadows?|swallowed by (?:the )?shadows?|mostly in shadow", 3.5),
    (r"high contrast|contrasty|punchy|deep shadows|strong shadows|chiaroscuro", 3.0),
    (r"medium contrast|moderate contrast|standard portrait", 1.8),
    (r"low contrast|soft contrast|gentle contrast", 1.0),
)

#: Backdrop colours: (phrase, sRGB hex, whether it is lit by a background light).
BACKDROP_COLOURS: tuple[tuple[str, str, bool], ...] = (
    (r"(?:pure |bright )?white|blown[- ]out", "#f4f4f4", True),
    (r"(?:light|pale) gr[ae]y", "#b0b0b0", True),
    (r"(?:dark|charcoal) gr[ae]y|charcoal", "#333333", False),
    (r"gr[ae]y|neutral", "#7a7a7a", False),
    (r"black|dark|pitch[- ]black", "#141414", False),
    (r"(?:deep |dark )?blue|navy", "#1e3a6e", False),
    (r"teal", "#1f6f6a", False),
    (r"green", "#2f6b3a", False),
    (r"red|crimson", "#8a1f1f", False),
    (r"orange", "#c8641e", True),
    (r"yellow", "#d8c23a", True),
    (r"pink", "#d88aa8", True),
    (r"purple|violet", "#4b2a6e", False),
    (r"beige|cream|warm grey|warm gray", "#cbbca6", True),
)

#: Number words up to twelve.
NUMBER_WORDS: dict[str, float] = {
    "half": 0.5,
    "one": 1.0,
    "a": 1.0,
    "an": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
}

#: Words that carry no meaning for the light (they are neither understood nor ignored).
STOPWORDS: frozenset[str] = frozenset(
    {
        *("a", "an", "the", "and", "or", "with", "without", "of", "in", "on", "at", "to", "for"),
        *("from", "by", "as", "into", "onto", "is", "are", "be", "it", "its", "this", "that"),
        *("some", "very", "quite", "really", "just", "bit", "little", "lot", "lots", "plus"),
        *("light", "lights", "lit", "lighting", "key", "fill", "shot", "photo", "photograph"),
        *("portrait", "picture", "image", "look", "style", "setup", "set", "up", "please", "i"),
        *("want", "like", "would", "need", "give", "me", "make", "using", "use", "add", "put"),
        *("kind", "sort", "type", "feel", "vibe", "mood", "please", "something", "maybe"),
        *("subject", "model", "person", "face", "her", "his", "their", "them", "she", "he"),
        *("we", "our", "us", "you", "your", "only", "also", "then", "but", "so", "too", "more"),
        *("less", "much", "not", "no", "one", "two", "side", "studio", "camera", "behind"),
        *("against", "around", "over", "under", "about", "than", "there", "here", "where"),
    }
)
