"""Reading a description of light: which phrases say what, and about which light.

Reading goes clause by clause (commas, "and", "with", "plus" separate them), because words attach
to the light their clause names: in "a warm key from the left and a cool rim", warmth and the left
belong to the key, coolness to the rim. A clause that names no light speaks of the key, or of the
light a label names ("Fill: umbrella, camera right."), or, when it opens with "with", of the light
before it; a clause about the backdrop ("a white wall behind her") moves no light. Phrases about
the whole setup (named setups, tones, moods, fill amounts, ratios, the camera) are read first.

Each phrase used is marked, so what is left over can be reported as ignored. "Left" and "right"
are as seen from the camera; the sitter's right is the camera's left.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from lightrig.lighting.direction import (
    DirectionError,
    DirectionWords,
    direction_spans,
    parse_direction_words,
)
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import (
    BACKDROP_COLOURS,
    BARE_GEL_WORDS,
    COLOUR_WORDS,
    CONTRAST_STOPS,
    FILL_AMOUNT_STOPS,
    GELS,
    LIGHT_SOURCES,
    MODIFIERS,
    MOODS,
    NUMBER_WORDS,
    REFLECTOR_TINTS,
    ROLE_WORDS,
    SETUP_WORDS,
    SHOT_WORDS,
    SOFTNESS_WORDS,
    STOPWORDS,
    TONAL_WORDS,
)

__all__ = ["DescriptionText", "LightWords", "Plan", "read_description"]

# the vocabulary's tables as this reader walks them: (words, value), most specific first
_GEL_SHIFT = {gel.name: gel.mired_shift for gel in GELS}
GEL_MIRED = (
    *((gel.words, gel.mired_shift) for gel in GELS),
    *((words, _GEL_SHIFT[name]) for words, name in BARE_GEL_WORDS),
)
MODIFIER_WORDS = tuple((m.words, m.value) for m in MODIFIERS if m.words is not None)
KELVIN_WORDS = tuple((source.words, source.kelvin) for source in LIGHT_SOURCES)

# "and" joins clauses, except between two directions ("from above and behind")
_CLAUSE_BREAK = re.compile(
    r"[,;!?]|\.(?!\d)|(?<!\d):(?!\d)|\band\b(?!\s+(?:slightly\s+|a\s+bit\s+|just\s+)?(?:behind|above|below|high|low|"
    r"up|down|to the|in front|\d))|\bwith\b|\bplus\b|\bbut\b|\bwhile\b"
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_WORD_OR_NUMBER = re.compile(
    r"[a-z][a-z'-]*|[+-]?\d+(?:[.:/]\d+)?"
    r"(?:\s*(?:°|%|(?:k|mm|cm|m|ft|feet|metres?|meters?|stops?|degrees?|deg|s)\b))?"
)
_ROLE_NOUNS = tuple((words, LightType(role)) for words, role in ROLE_WORDS)
_OPPOSITE = re.compile(r"(?:on\s+)?the (?:other|opposite) side|opposite (?:it|the key)")
_FLAT = re.compile(
    r"\bflat\b|shadowless|no shadows|\beven(?:ly lit)?\b|ring[- ]?(?:light|flash)|on[- ]axis fill"
)
_KELVIN_NUMBER = re.compile(r"(\d{4,5})\s*(?:k\b|kelvin)")
#: A light's distance in metres or feet ("2 m away", "6 feet from the subject"); a length before
#: a height word is a height, which the direction grammar reads.
_DISTANCE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(m\b|metres?|meters?|ft\b|feet|foot)"
    r"(?:\s+(?:away|from (?:the )?(?:subject|model|sitter|face)))?"
    r"(?!\s+(?:above|below|up|high|over|under|higher|lower)\b)"
)
_FEET = frozenset({"ft", "feet", "foot"})
_NEEDS_DISTANCE = "needs the light's distance"
_METRES_PER_FOOT = 0.3048
_CLOSE = re.compile(r"close in|up close|very close|\bclose\b|nearby")
_FAR = re.compile(r"far away|\bfar\b|distant|from afar")
_BRIGHT = re.compile(r"bright|strong|powerful|full power|punchy")
_DIM = re.compile(r"\bdim\b|weak|low power|subtle|faint|gentle")
_RATIO = re.compile(
    r"(?:(?:lighting |contrast )?ratio (?:of )?)?(\d+(?:\.\d+)?)\s*(?::|to)\s*1\b"
    r"(?:\s+(?:lighting |contrast )?ratio)?"
)
_STOPS = (  # "two stops", "1.5 stops", "a stop and a half", "one and a half stops", "half a stop"
    r"(?:(?P<half>half)\s+a|(?P<n>\d+(?:\.\d+)?|[a-z]+)(?P<h1>\s+and\s+a\s+half)?)"
    r"\s+stops?(?P<h2>\s+and\s+a\s+half)?"
)
_STOPS_UNDER = re.compile(_STOPS + r"\s+(?:under|down|below|darker|less)")
_STOPS_CONTRAST = re.compile(_STOPS + r"\s+(?:of\s+)?(?:contrast|difference)")
_TURNED = re.compile(
    r"(?:(?:head|face)\s+)?(?:turned|turns|turning)\s+(?:(?:his|her|their)\s+(?:head|face)\s+)?"
    r"(?:to(?:wards?)?\s+)?(?:the\s+)?(?:camera[- ])?(left|right|the light|the key)"
)
_FACING_CAMERA = re.compile(
    r"facing the (?:camera|lens)|looking (?:at|into) the (?:camera|lens)|square to the camera"
)
_THREE_QUARTER = re.compile(r"three[- ]quarters?(?: view)?")
_PROFILE = re.compile(r"\bprofile\b")
_BACKDROP_NOUN = r"(?:background|backdrop|seamless|wall|sweep|paper|backdrop paper)"
_BEHIND_SUBJECT = r"behind(?:\s+(?:him|her|them|the subject))?(?![a-z])"
_BACKDROP_CLAUSE = re.compile(rf"\b{_BACKDROP_NOUN}s?\b")
_BACKDROP_PLACE = re.compile(  # where the backdrop is: words that are not about a light
    r"(?:right |just |directly )?behind(?:\s+(?:him|her|them|the subject))?|in the back(?:ground)?"
)
_LIT_BACKDROP = re.compile(
    r"background light|backdrop light|lit (?:background|backdrop|wall)|"
    r"light on the (?:background|backdrop|wall)|glowing (?:background|backdrop)"
)
_NO_BACKGROUND_LIGHT = re.compile(r"no background light|unlit (?:background|backdrop)")
_TWO_RIMS = re.compile(
    r"(?:two|pair of|twin|double|both sides?) (?:rims?|kickers?|strips?|strip boxes)|"
    r"(?:rims?|kickers?|strips?|strip[- ]?box(?:es)?) on (?:both|either|each) sides?|"
    r"on (?:both|either|each) sides? as rims?"
)
_WHITE_BALANCE = re.compile(
    r"(?:camera |white[- ])?balanced? (?:for|to|at) (?P<a>\d{4,5}\s*k\b|[a-z]+)|"
    r"(?:camera )?white[- ]balance (?:of |at |set to |to |on )?(?P<b>\d{4,5}\s*k?\b|[a-z]+)|"
    r"\b(?:cam(?:era)? )?wb (?:of |at |set to |to |on )?(?P<c>\d{4,5}\s*k?\b|[a-z]+)|"
    r"(?:camera (?:set )?(?:to|on) )?(?P<d>\d{4,5}\s*k\b|[a-z]+) (?:wb|white[- ]balance)\b"
)
_FOCAL = re.compile(r"(\d{2,3})\s*mm\b")
_APERTURE = re.compile(r"\bf\s*/\s*(\d+(?:\.\d+)?)|\bf(\d+(?:\.\d+)?)\b")


def _whole_words(pattern: str) -> re.Pattern[str]:
    """A vocabulary phrase that matches whole words only ("right" not inside "bright"), plurals
    and "-ing" forms too ("office light" in "office lighting")."""
    return re.compile(rf"(?<![a-z])(?:{pattern})(?:s|ing)?(?![a-z])")


@dataclass
class DescriptionText:
    """The description, and which of its characters have been used."""

    text: str
    used: list[bool] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.used = [False] * len(self.text)

    def take(
        self, pattern: str | re.Pattern[str], start: int = 0, end: int | None = None
    ) -> list[re.Match[str]]:
        """Matches of ``pattern`` in text[start:end] not overlapping used text; marks them used."""
        regex = pattern if isinstance(pattern, re.Pattern) else _whole_words(pattern)
        stop = len(self.text) if end is None else end
        found = []
        for match in regex.finditer(self.text, start, stop):
            if match.end() == match.start() or any(self.used[match.start() : match.end()]):
                continue
            for index in range(match.start(), match.end()):
                self.used[index] = True
            self.understood.append(match.group(0).strip())
            found.append(match)
        return found

    def take_span(self, start: int, end: int) -> None:
        """Mark ``text[start:end]`` used and understood (a phrase another reader found)."""
        for index in range(start, end):
            self.used[index] = True
        self.understood.append(self.text[start:end].strip())

    def ignored(self, original: str) -> tuple[str, ...]:
        """The words and numbers no reader used, as the user wrote them (common words aside):
        a number that could not be placed is reported, never dropped without a word."""
        words = []
        for match in _WORD_OR_NUMBER.finditer(self.text):
            if any(self.used[match.start() : match.end()]):
                continue
            word = match.group(0).strip("'-")
            if (len(word) > 1 or word.isdigit()) and word not in STOPWORDS:
                words.append(original[match.start() : match.end()])
        return tuple(dict.fromkeys(words))


@dataclass
class LightWords:
    """What the text says of one light."""

    overhead: bool = False
    side: int | None = None
    azimuth: float | None = None
    elevation: float | None = None
    behind: bool = False
    front: bool = False
    side_on: bool = False
    kelvin: float | None = None
    gel_mired: float | None = None
    modifier: str | None = None
    softness: float | None = None
    distance: float | None = None
    scale: float | None = None
    intensity: float | None = None
    mentioned: bool = False
    opposite: bool = False
    tint_word: bool = False
    reflector_mired: float | None = None
    pending_heights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Plan:
    """Everything the description asks for."""

    preset: str | None = None
    tonal: str | None = None
    contrast_stops: float | None = None
    fill_stops: float | None = None
    no_fill: bool = False
    mood_kelvin: float | None = None
    mood_softness: float | None = None
    lights: dict[LightType, LightWords] = field(default_factory=dict)
    two_rims: bool = False
    flat: bool = False
    contrast_from_mood: bool = False
    tonal_named: bool = False
    accent_kelvin: float | None = None
    scene_kelvin: float | None = None
    yaw_to_key: bool = False
    backdrop: str | None = None
    backdrop_lit: bool | None = None
    yaw: float | None = None
    camera: dict[str, Any] = field(default_factory=dict)
    lighting_found: bool = False

    def light(self, role: LightType) -> LightWords:
        return self.lights.setdefault(role, LightWords())


def _number(word: str | None) -> float | None:
    if word is None:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    return NUMBER_WORDS.get(word)


def _stops(match: re.Match[str]) -> float | None:
    """The stops a :data:`_STOPS` phrase gives."""
    if match.group("half"):
        return 0.5
    amount = _number(match.group("n"))
    if amount is None:
        return None
    return amount + (0.5 if match.group("h1") or match.group("h2") else 0.0)


def _kelvin_named(value: str) -> float | None:
    """A colour temperature given as "5600k" or a word ("daylight", "tungsten")."""
    number = re.fullmatch(r"(\d{4,5})\s*k?", value)
    if number:
        return float(number.group(1))
    for pattern, kelvin in (*KELVIN_WORDS, *COLOUR_WORDS):
        if _whole_words(pattern).fullmatch(value):
            return kelvin
    return None


def _apply_direction(said: DirectionWords, words: LightWords) -> None:
    """What a direction phrase says of a light: its side and angle from the camera axis, front,
    behind or side-on, and its height (see :class:`~lightrig.lighting.direction.DirectionWords`).
    A side named alone leaves the angle to the setup being edited."""
    if said.side:
        words.side = said.side
    if said.degrees is not None:
        words.azimuth = said.degrees
    elif said.azimuth is not None:  # a clock position or a signed angle
        if abs(said.azimuth) < 0.5:
            words.front = True
        else:
            words.side = 1 if said.azimuth > 0 else -1
            words.azimuth = abs(said.azimuth)
            words.behind = words.behind or abs(said.azimuth) > 90.0
    elif said.side and (said.slight or said.far or said.quarter):
        words.azimuth = 20.0 if said.slight else 70.0 if said.far else 45.0
    words.front = words.front or said.front
    words.side_on = words.side_on or said.side_on
    if said.behind:
        words.behind = True
        if said.directly_behind:
            words.azimuth = 180.0
    if said.elevation is not None:
        words.elevation = said.elevation
        words.overhead = said.height_word == "overhead"


def _read_light(text: DescriptionText, start: int, end: int, words: LightWords) -> bool:
    """Read one clause's words about its light; whether any were found."""
    found = False
    if text.take(_OPPOSITE, start, end):
        words.opposite = found = True
    for match in text.take(_KELVIN_NUMBER, start, end):
        words.kelvin, found = float(match.group(1)), True
    for pattern, shift in GEL_MIRED:
        if text.take(pattern, start, end):
            words.gel_mired, found = shift, True
    # modifiers before colours: "bare strobe" names a modifier
    for pattern, modifier in MODIFIER_WORDS:
        if text.take(pattern, start, end):
            words.modifier, found = modifier, True
    clause_kelvin = False  # the first colour word of a clause is its colour; a later clause wins
    for pattern, mireds in REFLECTOR_TINTS:
        if text.take(pattern, start, end):
            words.reflector_mired, found = mireds, True
    for pattern, kelvin in KELVIN_WORDS:
        if text.take(pattern, start, end) and not clause_kelvin:
            words.kelvin, words.tint_word, found, clause_kelvin = kelvin, False, True, True
    for pattern, kelvin in COLOUR_WORDS:
        if text.take(pattern, start, end) and not clause_kelvin:
            words.kelvin, words.tint_word, found, clause_kelvin = kelvin, True, True, True
    for pattern, softness in SOFTNESS_WORDS:
        if words.softness is None and text.take(pattern, start, end):
            words.softness, found = softness, True
    for match in text.take(_DISTANCE, start, end):
        metres = float(match.group(1)) * (_METRES_PER_FOOT if match.group(2) in _FEET else 1.0)
        words.distance, found = round(metres, 2), True
    if text.take(_BRIGHT, start, end):
        words.intensity, found = 1.0, True
    if text.take(_DIM, start, end):
        words.intensity, found = 0.35, True
    # directions last, on what is left: the one grammar reads them (lighting.direction)
    for a, b, said in direction_spans(text.text, start, end, used=text.used):
        if isinstance(said, DirectionError) and _NEEDS_DISTANCE in str(said):
            words.pending_heights.append((a, b))  # a height in metres: read with the distance
        elif isinstance(said, DirectionWords):
            text.take_span(a, b)
            _apply_direction(said, words)
            found = True
    if text.take(_CLOSE, start, end):
        words.scale, found = 0.6, True
    if text.take(_FAR, start, end):
        words.scale, found = 2.0, True
    return found


def _only_a_direction(text: DescriptionText, start: int, end: int) -> bool:
    """Whether the clause ``text[start:end]`` says nothing but a direction."""
    spans = [
        (a, b)
        for a, b, said in direction_spans(text.text, start, end, used=text.used)
        if isinstance(said, DirectionWords)
    ]
    if not spans:
        return False
    for match in _WORD.finditer(text.text, start, end):
        if match.group(0) in STOPWORDS or any(text.used[match.start() : match.end()]):
            continue
        if not any(a <= match.start() and match.end() <= b for a, b in spans):
            return False
    return True


def read_description(text: DescriptionText) -> Plan:
    """What ``text`` asks for, marking each phrase it used (module docstring)."""
    plan = Plan()
    body = text.text
    # whole-text phrases first: setups, tones, moods, fill amounts, contrast, ratios
    for pattern, preset in SETUP_WORDS:
        matches = text.take(pattern)
        if matches and plan.preset is None:
            plan.preset = preset
        elif matches and preset == "golden-hour":
            plan.scene_kelvin = 2800.0  # a silhouette at sunset: the setup, in the sun's colour
        plan.lighting_found |= bool(matches)
    for pattern, tonal in TONAL_WORDS:
        if text.take(pattern):
            plan.tonal, plan.tonal_named, plan.lighting_found = tonal, True, True
    for match in text.take(_STOPS_UNDER):
        amount = _stops(match)
        if amount is not None:
            plan.fill_stops, plan.lighting_found = amount, True
    for match in text.take(_STOPS_CONTRAST):
        amount = _stops(match)
        if amount is not None:
            plan.contrast_stops, plan.lighting_found = amount, True
    for match in text.take(_RATIO):
        plan.contrast_stops = math.log2(max(1.0, float(match.group(1))))
        plan.lighting_found = True
    for pattern, stops in FILL_AMOUNT_STOPS:
        if text.take(pattern):
            plan.lighting_found = True
            if stops is None:
                plan.no_fill = True
            else:
                plan.fill_stops = stops
    if text.take(_FLAT):
        plan.flat = plan.lighting_found = True
        if plan.contrast_stops is None:
            plan.contrast_stops = 0.5
    for pattern, stops in CONTRAST_STOPS:
        if plan.contrast_stops is None and text.take(pattern):
            plan.contrast_stops, plan.lighting_found = stops, True
    for pattern, effect in MOODS:
        if text.take(pattern):
            plan.lighting_found = True
            mood_tonal = effect.get("tonal")
            if isinstance(mood_tonal, str) and plan.tonal is None:
                plan.tonal = mood_tonal
            mood_stops = effect.get("stops")
            if isinstance(mood_stops, float) and plan.contrast_stops is None:
                plan.contrast_stops = mood_stops
                plan.contrast_from_mood = True
            kelvin = effect.get("kelvin")
            if isinstance(kelvin, float):
                plan.mood_kelvin = kelvin
            accent = effect.get("accent_kelvin")
            if isinstance(accent, float):
                plan.accent_kelvin = accent
            softness = effect.get("softness")
            if isinstance(softness, float):
                plan.mood_softness = softness
    if text.take(_TWO_RIMS):
        plan.two_rims = plan.lighting_found = True
        plan.light(LightType.RIM).mentioned = True
        plan.light(LightType.KICKER).mentioned = True
    if text.take(_NO_BACKGROUND_LIGHT):
        plan.backdrop_lit, plan.lighting_found = False, True
    if text.take(_LIT_BACKDROP):
        plan.backdrop_lit, plan.lighting_found = True, True
    for pattern, colour, lit in BACKDROP_COLOURS:
        matches = text.take(rf"(?:{pattern})\s+(?:{_BACKDROP_NOUN}|{_BEHIND_SUBJECT})")
        if matches and plan.backdrop is None:
            plan.backdrop = colour
            if plan.backdrop_lit is None:
                plan.backdrop_lit = lit
            plan.lighting_found = True
    for match in text.take(_TURNED):
        if match.group(1) in ("left", "right"):
            plan.yaw = -30.0 if match.group(1) == "left" else 30.0
        else:
            plan.yaw_to_key = True
    if text.take(_FACING_CAMERA):
        plan.yaw = 0.0
    if text.take(_THREE_QUARTER):
        plan.yaw = plan.yaw if plan.yaw is not None else 30.0
    if text.take(_PROFILE):
        plan.yaw = 75.0 if plan.yaw is None else math.copysign(75.0, plan.yaw)
    for match in _WHITE_BALANCE.finditer(body):
        value = match.group("a") or match.group("b") or match.group("c") or match.group("d")
        kelvin = _kelvin_named(value)
        if kelvin is not None and text.take(re.escape(match.group(0))):
            plan.camera["white_balance"] = kelvin
    for match in text.take(_FOCAL):
        plan.camera["focal_length"] = float(match.group(1))
    for match in text.take(_APERTURE):
        plan.camera["aperture"] = float(match.group(1) or match.group(2))
    for pattern, shot in SHOT_WORDS:
        if text.take(pattern) and "shot_type" not in plan.camera:
            plan.camera["shot_type"] = shot

    # clause by clause: words about one light each
    # a label ("Fill: umbrella, camera right.") names the light of the clauses up to the full stop
    # and a clause opened by "with" that names no light speaks of the one before it ("a rim
    # from behind with a quarter CTB")
    edges = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(body)), len(body)]
    label: LightType | None = None
    previous = LightType.KEY
    for start, end in itertools.pairwise(edges):
        named: LightType | None = None
        for pattern, candidate in _ROLE_NOUNS:
            if text.take(pattern, start, end):
                named = candidate
                plan.light(named).mentioned = True
                plan.lighting_found = True
                break
        opened_by_with = body[max(0, start - 4) : start] == "with"
        # a clause of nothing but a direction ("a fill camera-right, 20° up") goes on with the
        # light before it
        goes_on = opened_by_with or (named is None and _only_a_direction(text, start, end))
        role = named or (previous if goes_on else None) or label or LightType.KEY
        previous = role
        if named is None and _BACKDROP_CLAUSE.search(body, start, end):
            text.take(_BACKDROP_PLACE, start, end)  # "a white wall right behind her"
        elif _read_light(text, start, end, plan.light(role)):
            plan.lighting_found = True
        closing = body[end - 1] if end > start else ""
        if closing == ":" and named is not None:
            label = named
        elif closing in ".;!?":
            label = None
    for light in plan.lights.values():  # heights in metres, now the light's distance is known
        for a, b in light.pending_heights:
            if light.distance is None:
                continue  # refused without a distance: its words are reported as ignored
            try:
                said = parse_direction_words(f"{text.text[a:b]}, {light.distance:g} m away")
            except DirectionError:
                continue
            text.take_span(a, b)
            _apply_direction(said, light)
    return plan
