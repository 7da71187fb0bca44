"""Light directions in words: parse a photographer's phrase into angles, and say angles in words.

One grammar reads every direction the product is given — the ``direction`` field of a light,
the translator's clauses, FIBO's ``lighting.direction`` read back. Accepted phrases
(case-insensitive; ``°``, ``deg`` and ``degrees`` are the same)::

    front | on-axis | head-on | straight on        azimuth 0
    45 degrees camera-right | 30° camera-left       azimuth ±n (camera-left is negative)
    camera-left | right | house left               azimuth ±45 ("slightly": ±20, "far": ±70)
    the subject's left | model's right | stage left  the subject's own sides (camera-right for
                                                   the subject's left)
    three-quarter left | 3/4 right                 azimuth ±45
    side, camera-left | camera-right side          azimuth ±90
    behind | behind subject, camera-left           azimuth 180, or ±135 with a side
    at 4 o'clock | 7:30                            seen from above, camera at 6 o'clock:
                                                   azimuth (6 − hour) × 30
    overhead | directly above | top light          elevation 90
    above | high | raised | elevated | up          elevation 45 ("slightly": 15, "steep": 60)
    30 degrees above | 30° up | elevated 30 | up 30 | elevation 30   elevation +30
    from below | under | 20° below | low           elevation −45, −20 ("low"), or −n
    eye level | above eye level | 30° above eye level   elevation 0, 20, or +n
    1 m above eye level, 2 m away                  elevation atan(height / distance)
    a bare number: -45                             azimuth in degrees, negative = camera-left

Parts combine in any order: ``"45° camera-right, 30° above"``, ``"elevated 30 degrees, 45
degrees camera-left"``, ``"front, elevated 45 degrees"`` (butterfly: on the lens axis, 45° up).
A number binds to the height or side word right after it ("30° up", "45 camera-left"), else to
the one right before it ("elevated 30", "camera-left 45"); a number that binds to neither is the
azimuth. "Left" and "right" alone mean as seen from the camera. A phrase that states no height
leaves the elevation open (``None``) for the caller to resolve; anything not understood — an
unknown word, a second horizontal angle, a height in metres without a distance, a contradiction
— raises :class:`DirectionError`, which lists these forms: a phrase is never half-read.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from lightrig.lighting.geometry import wrap_degrees

__all__ = [
    "ACCEPTED_FORMS",
    "EXAMPLE_PHRASES",
    "Direction",
    "DirectionError",
    "describe_direction",
    "parse_direction",
    "read_direction",
]

#: Phrases a user might write, one of each common form (the seed design's among them).
EXAMPLE_PHRASES: tuple[str, ...] = (
    "45 degrees camera-right",
    "30 degrees camera-left",
    "behind subject, camera-left",
    "overhead",
    "from below",
    "front",
    "side, camera-right",
    "high camera-left",
)

ACCEPTED_FORMS = (
    '"front", "45 degrees camera-right", "30° camera-left, 20° above", "front, elevated 45°", '
    '"side, camera-left", "behind subject, camera-right", "the subject\'s left", '
    '"at 4 o\'clock", "overhead", "from below", "high camera-left", "eye level", '
    '"1 m above eye level, 2 m away", or a number of degrees (negative = camera-left)'
)


class DirectionError(ValueError):
    """A direction phrase that cannot be understood; the message lists the accepted forms."""


@dataclass(frozen=True, slots=True)
class Direction:
    """A parsed direction.

    ``azimuth``: degrees, −180…180, 0 at the camera, positive toward camera-right.
    ``elevation``: degrees above eye level, −90…90, or ``None`` when the phrase gave no height.
    """

    azimuth: float
    elevation: float | None


_LEFT = frozenset({"camera-left", "left", "cam-left"})
_RIGHT = frozenset({"camera-right", "right", "cam-right"})
#: The subject's own sides, which face the camera: the subject's left is camera-right.
_SUBJECT_LEFT = frozenset({"subject-left"})
_SUBJECT_RIGHT = frozenset({"subject-right"})
_FRONT = frozenset(
    {"front", "frontal", "on-axis", "head-on", "forward", "camera", "axis", "lens", "straight-on"}
)
_SIDE = frozenset({"side", "sidelight", "sidelit", "side-lit", "sideways"})
_BEHIND = frozenset({"behind", "back", "rear", "backlight", "backlit", "back-lit"})
_OVERHEAD = frozenset({"overhead", "top", "zenith"})
_ABOVE = frozenset({"above", "high", "up", "elevated", "raised", "higher", "elevation"})
_BELOW = frozenset({"below", "under", "underneath", "beneath", "down", "low", "lower"})
_EYE_LEVEL = frozenset({"eye-level", "level", "horizontal"})
_DEGREES = frozenset({"deg", "degs", "degree", "degrees"})
_SLIGHT = frozenset({"slightly", "little", "bit", "just"})
_STEEP = frozenset({"steep", "steeply"})
_FAR = frozenset({"far"})
_QUARTER = frozenset({"three-quarter"})
_DIRECTLY = frozenset({"directly", "straight", "right-on", "exactly", "fully", "full"})
_DISTANCE = frozenset({"away", "distance", "distant"})
_FILLER = frozenset(
    {
        "subject",
        "subjects",
        "model",
        "the",
        "of",
        "from",
        "at",
        "and",
        "to",
        "a",
        "an",
        "light",
        "lit",
        "positioned",
        "placed",
        "with",
        "on",
        "in",
        "off",
        "angle",
        "position",
        "azimuth",
        "toward",
        "towards",
        "its",
        "head",
        "key",
        "fill",
    }
)
#: Metres in one of each length unit.
_LENGTH_UNITS = {"m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0}
_LENGTH_UNITS |= {"ft": 0.3048, "foot": 0.3048, "feet": 0.3048, "cm": 0.01}

_NORMALISE = (
    (re.compile(r"[°º]"), " deg "),
    # clock positions (camera at 6 o'clock, seen from above): "at 10 o'clock", "7:30"
    (re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*o'?\s*clock\b"), r" clock\1h\2 "),
    (re.compile(r"(?<![\d.])(\d{1,2}):(\d{2})\b"), r" clock\1h\2 "),
    (re.compile(r"\b(?:3\s*/\s*4|three[\s_-]*quarters?)\b"), "three-quarter"),
    (
        re.compile(r"\b(?:the\s+)?(?:subject|model|sitter)(?:'s|s')?\s+(left|right)\b"),
        r"subject-\1",
    ),
    (re.compile(r"\bstage[\s_-]+(left|right)\b"), r"subject-\1"),
    (re.compile(r"\bhouse[\s_-]+(left|right)\b"), r"camera-\1"),
    (re.compile(r"\bcam(?:era)?(?:'s)?[\s_-]+(left|right)\b"), r"camera-\1"),
    (re.compile(r"\b(left|right)[\s_-]+(?:of|from)[\s_-]+(?:the[\s_-]+)?camera\b"), r"camera-\1"),
    (re.compile(r"\beye[\s_-]+level\b"), "eye-level"),
    (re.compile(r"\bon[\s_-]+axis\b"), "on-axis"),
    (re.compile(r"\bhead[\s_-]+on\b"), "head-on"),
    (re.compile(r"\bstraight[\s_-]+on\b"), "straight-on"),
    (re.compile(r"\bstraight[\s_-]+down(?:[\s_-]+from[\s_-]+above)?\b"), "overhead"),
    (re.compile(r"\buplight(?:ing)?(?:[\s_-]+from[\s_-]+below)?\b"), "below"),
    (re.compile(r"\bside[\s_-]+lit\b"), "side-lit"),
    (re.compile(r"\bback[\s_-]+lit\b"), "back-lit"),
    (re.compile(r"\bfront[\s_-]*lit\b"), "front"),
    (re.compile(r"(\d)\s*(m|metres?|meters?|ft|feet|foot|cm)\b"), r"\1 \2"),
)
#: Past this many ways of binding a text's numbers to its words, each takes its first choice.
_MAX_BINDINGS = 4096
_TOKEN = re.compile(r"clock\d+h\d*|[+-]?\d+(?:\.\d+)?|[a-z][a-z'-]*|,")
_SEPARATORS = re.compile(r"[;/()]")
_JUNK = re.compile(r"[^a-z0-9.+\-'\s,:]")


def _fail(text: str, why: str) -> DirectionError:
    return DirectionError(
        f"cannot understand direction {text!r}: {why}; accepted: {ACCEPTED_FORMS}"
    )


@lru_cache(maxsize=4096)
def parse_direction(text: str) -> Direction:
    """Parse a direction phrase (see the module docstring) into a :class:`Direction`."""
    return _read(text, strict=True)[0]


@lru_cache(maxsize=1024)
def read_direction(text: str) -> tuple[Direction | None, tuple[str, ...]]:
    """Read a direction out of looser prose, such as a caption's lighting text.

    Words outside the direction vocabulary are skipped and returned; the direction is ``None``
    when the text names none, or contradicts itself.
    """
    try:
        return _read(text, strict=False)
    except DirectionError:
        return None, ()


@dataclass
class _Word:
    """One token of a phrase: a word, a number (``value``) or a length (``metres``)."""

    text: str
    value: float | None = None
    metres: float | None = None
    signed: bool = False


def _words(cleaned: str) -> list[_Word]:
    """The phrase's tokens, a number followed by a length unit made one length."""
    words: list[_Word] = []
    for token in _TOKEN.findall(cleaned):
        if token in _LENGTH_UNITS and words and words[-1].value is not None:
            number = words.pop()
            assert number.value is not None
            words.append(_Word("length", metres=number.value * _LENGTH_UNITS[token]))
        elif token[0].isdigit() or token[0] in "+-":
            words.append(_Word("number", value=float(token), signed=token[0] in "+-"))
        else:
            words.append(_Word(token))
    return words


def _neighbour(words: list[_Word], index: int, step: int) -> int | None:
    """Where the nearest word before (``step`` −1) or after (+1) ``index`` is that is neither a
    unit of degrees nor filler, stopping at a comma, "and" or another number."""
    i = index + step
    while 0 <= i < len(words):
        word = words[i]
        if word.text in (",", "and", "number", "length"):
            return None
        if word.text not in _DEGREES and word.text not in _FILLER:
            return i
        i += step
    return None


def _bind(words: list[_Word]) -> dict[int, int | None]:
    """Which height or side word each number (by position) belongs to, None for a bare one.

    A number may take the word right after it ("30° up", "45 camera-left") or right before it
    ("elevated 30", "camera-left 45"), each word one number. Of the ways to do that, the one
    leaving fewest numbers bare wins, then the one taking most words after their numbers:
    "45 left 45 up" is 45 left and 45 up; "camera-left 5° up 11" is 5° left and up 11.
    """
    numbers = [i for i, word in enumerate(words) if word.value is not None]
    options: list[list[int | None]] = []
    for i in numbers:
        choices: list[int | None] = []
        for step in (1, -1):
            j = _neighbour(words, i, step)
            if j is not None and (_is_height(words[j]) or _is_side(words[j])):
                choices.append(j)
        options.append([*choices, None])
    if math.prod(len(choice) for choice in options) > _MAX_BINDINGS:  # long prose: in turn
        return {i: choice[0] for i, choice in zip(numbers, options, strict=True)}
    best: tuple[tuple[int, int], tuple[int | None, ...]] | None = None
    for chosen in itertools.product(*options):
        taken = [j for j in chosen if j is not None]
        if len(taken) != len(set(taken)):
            continue
        before = sum(1 for i, j in zip(numbers, chosen, strict=True) if j is not None and j < i)
        score = (sum(j is None for j in chosen), before)
        if best is None or score < best[0]:
            best = (score, chosen)
    return dict(zip(numbers, best[1], strict=True)) if best is not None else {}


def _is_height(word: _Word | None) -> bool:
    """Whether a number of degrees beside ``word`` is a height."""
    return word is not None and (word.text in _ABOVE or word.text in _BELOW)


def _is_side(word: _Word | None) -> bool:
    """Whether a number of degrees beside ``word`` is an azimuth to a side."""
    return word is not None and (
        word.text in _LEFT
        or word.text in _RIGHT
        or word.text in _SUBJECT_LEFT
        or word.text in _SUBJECT_RIGHT
        or word.text in _SIDE
    )


def _clock(raw: str, token: str) -> float:
    """The azimuth of a clock position ``clock<hour>h<minutes>``: the camera at 6 o'clock."""
    hours, minutes = token[len("clock") :].split("h")
    hour = int(hours) + (int(minutes) / 60.0 if minutes else 0.0)
    if not 1.0 <= hour < 13.0:
        raise _fail(raw, f"{hours} o'clock is not on a clock face")
    return wrap_degrees((6.0 - hour) * 30.0)


def _read(text: str, *, strict: bool) -> tuple[Direction, tuple[str, ...]]:
    raw = text
    text = text.strip().lower()
    if not text:
        raise _fail(raw, "it is empty")
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    cleaned = _SEPARATORS.sub(" , ", text)
    if strict:
        junk = _JUNK.findall(cleaned)
        if junk:
            raise _fail(raw, f"unexpected character {junk[0]!r}")
    else:
        cleaned = _JUNK.sub(" ", cleaned)
    words = _words(cleaned)

    # numbers first: each binds to a height or side word beside it (see _bind); one that binds
    # to neither is a bare azimuth; a length before a height word is a height, else a distance
    heights: dict[int, float] = {}  # index of the height word → its number
    sides: dict[int, float] = {}  # index of the side word → its number
    bare: list[tuple[float, bool]] = []  # (degrees, written with a sign)
    height_length: float | None = None
    distance: float | None = None
    for index, word in enumerate(words):
        if word.text != "length":
            continue
        assert word.metres is not None
        after = _neighbour(words, index, 1)
        if after is not None and _is_height(words[after]):
            if height_length is not None:
                raise _fail(raw, "it gives the height twice")
            height_length = (-1.0 if words[after].text in _BELOW else 1.0) * word.metres
            heights[after] = float("nan")
        else:
            if distance is not None:
                raise _fail(raw, "it gives the distance twice")
            distance = word.metres
    for index, place in _bind(words).items():
        value = words[index].value
        assert value is not None
        if place is None or place in heights:
            bare.append((value, words[index].signed))
        elif _is_height(words[place]):
            heights[place] = value
        else:
            sides[place] = value

    side = 0  # -1 camera-left, +1 camera-right
    side_slight = side_far = False
    azimuth_magnitude: float | None = None  # degrees bound to a side word
    elevation: float | None = None
    height_said = False  # "30° above": a later "eye level" is only the reference
    clock: float | None = None
    front = behind = side_on = slight = steep = far = directly = directly_behind = False
    quarter = False
    ignored: list[str] = []

    def set_height(value: float) -> None:
        nonlocal elevation, height_said
        if height_said:
            raise _fail(raw, "it gives the height twice")
        elevation, height_said = value, True

    for index, word in enumerate(words):
        token = word.text
        if token in ("number", "length", ",") or token in _DEGREES or token in _FILLER:
            continue
        if token.startswith("clock"):
            if clock is not None:
                raise _fail(raw, "it gives two clock positions")
            clock = _clock(raw, token)
        elif token in _LEFT or token in _RIGHT or token in _SUBJECT_LEFT or token in _SUBJECT_RIGHT:
            this_side = -1 if token in _LEFT or token in _SUBJECT_RIGHT else 1
            if side and side != this_side:
                raise _fail(raw, "it says both camera-left and camera-right")
            side = this_side
            side_slight, side_far, slight, far = slight, far, False, False
            if index in sides:
                if azimuth_magnitude is not None:
                    raise _fail(raw, "more than one horizontal angle")
                azimuth_magnitude = abs(sides[index])
        elif token in _EYE_LEVEL:
            if not height_said:
                set_height(0.0)
        elif token in _ABOVE or token in _BELOW:
            sign = -1.0 if token in _BELOW else 1.0
            if index in heights:
                value = heights[index]
                if not math.isnan(value):  # degrees (a height in metres is resolved below)
                    set_height(sign * abs(value))
                else:
                    height_said = True
            elif token == "elevation":
                raise _fail(raw, "'elevation' needs a number of degrees")
            else:
                nxt = _neighbour(words, index, 1)
                reference = nxt is not None and words[nxt].text in _EYE_LEVEL
                if token in _BELOW:
                    magnitude = 15.0 if slight else (20.0 if token == "low" or reference else 45.0)
                else:
                    magnitude = (
                        90.0
                        if directly
                        else 15.0
                        if slight
                        else 60.0
                        if steep
                        else 20.0
                        if reference
                        else 45.0
                    )
                set_height(sign * magnitude)
            slight = directly = steep = False
        elif token in _OVERHEAD:
            set_height(90.0)
        elif token in _FRONT:
            front = True
        elif token in _BEHIND:
            behind = True
            directly_behind, directly = directly, False
        elif token in _SIDE:
            side_on = True
            if index in sides:
                if azimuth_magnitude is not None:
                    raise _fail(raw, "more than one horizontal angle")
                azimuth_magnitude = abs(sides[index])
        elif token in _SLIGHT:
            slight = True
        elif token in _STEEP:
            steep = True
        elif token in _FAR:
            far = True
        elif token in _QUARTER:
            quarter = True
        elif token in _DIRECTLY:
            directly = True
        elif token in _DISTANCE:
            continue
        elif strict:
            raise _fail(raw, f"unknown word {token!r}")
        else:
            ignored.append(token)
    if steep and not height_said:
        set_height(60.0)

    if height_length is not None:
        if distance is None or distance <= 0.0:
            raise _fail(raw, "a height in metres or feet needs the light's distance too")
        elevation = math.degrees(math.atan2(height_length, distance))
    elif distance is not None and strict:
        raise _fail(raw, "a distance is not a direction; give the height in metres or feet too")

    if len(bare) > 1:
        raise _fail(raw, f"more than one horizontal angle ({bare[0][0]:g}°, {bare[1][0]:g}°)")
    if bare and (azimuth_magnitude is not None or clock is not None):
        raise _fail(raw, f"more than one horizontal angle ({bare[0][0]:g}°)")
    if front and behind:
        raise _fail(raw, "it says both front and behind")
    if front and side_on:
        raise _fail(raw, "it says both front and side")
    if clock is not None and (side or front or behind or azimuth_magnitude is not None):
        raise _fail(raw, "a clock position and another horizontal direction")

    azimuth: float
    if clock is not None:
        azimuth = clock
    elif azimuth_magnitude is not None:
        if not side:
            raise _fail(raw, f"{azimuth_magnitude:g}° to which side? say camera-left or -right")
        if behind and azimuth_magnitude < 90:
            raise _fail(raw, f"'behind' contradicts {azimuth_magnitude:g}° from the camera axis")
        if azimuth_magnitude > 180.0:
            raise _fail(raw, f"azimuth {azimuth_magnitude:g}° is outside 0…180 to a side")
        azimuth = side * azimuth_magnitude
    elif bare:
        value, signed = bare[0]
        if side and signed and (value < 0) != (side < 0) and value != 0:
            raise _fail(raw, "a signed angle and a side word disagree")
        azimuth = value if not side else side * abs(value)
    elif side_on:
        if not side:
            raise _fail(raw, "'side' needs camera-left or camera-right")
        azimuth = side * 90.0
    elif behind:
        azimuth = 180.0 if directly_behind or not side else side * 135.0
    elif side:
        azimuth = side * (20.0 if side_slight else 70.0 if side_far else 45.0)
    elif quarter:
        raise _fail(raw, "'three-quarter' needs camera-left or camera-right")
    elif front or elevation is not None:
        azimuth = 0.0
    else:
        raise _fail(raw, "it names no direction")

    if not -180.0 <= azimuth <= 180.0:
        raise _fail(raw, f"azimuth {azimuth:g}° is outside −180…180")
    if elevation is not None and not -90.0 <= elevation <= 90.0:
        raise _fail(raw, f"elevation {elevation:g}° is outside −90…90")
    return Direction(azimuth=wrap_degrees(azimuth), elevation=elevation), tuple(ignored)


def _angle(value: float) -> str:
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    return f"{text}°"


def describe_direction(azimuth: float, elevation: float | None = None) -> str:
    """The canonical phrase for an azimuth and optional elevation (degrees).

    ``parse_direction(describe_direction(a, e))`` gives back ``a`` and ``e`` to 0.05°.
    """
    azimuth = wrap_degrees(azimuth)
    if abs(azimuth) < 0.05:
        horizontal = "front"
    elif abs(azimuth) > 179.95:
        horizontal = "behind"
    else:
        horizontal = f"{_angle(azimuth)} camera-{'right' if azimuth > 0 else 'left'}"
    if elevation is None:
        return horizontal
    if abs(elevation) < 0.05:
        vertical = "eye level"
    elif elevation > 89.95:
        vertical = "overhead"
    else:
        vertical = f"{_angle(elevation)} {'above' if elevation > 0 else 'below'}"
    return f"{horizontal}, {vertical}"
