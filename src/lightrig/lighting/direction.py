"""Light directions in words: parse a photographer's phrase into angles, and say angles in words.

Accepted phrases (case-insensitive; ``°``, ``deg`` and ``degrees`` are the same)::

    front | on-axis | head-on                      azimuth 0
    45 degrees camera-right | 30° camera-left       azimuth ±n (camera-left is negative)
    camera-left | right                            azimuth ±45 ("slightly camera-left": ±20)
    side, camera-left | camera-right side          azimuth ±90
    behind | behind subject, camera-left           azimuth 180, or ±135 with a side
    overhead | directly above                      elevation 90
    above | high | 30 degrees above | 30° up       elevation 45, or +n
    from below | under | low | 20° below           elevation −45 (−20 for "low"), or −n
    eye level | 30° above eye level                elevation 0, or +n
    slightly camera-left | slightly above          azimuth ±20 | elevation ±15
    a bare number: -45                             azimuth in degrees, negative = camera-left

Parts combine: ``"45° camera-right, 30° above"``, ``"behind subject, camera-left, high"``.
"Left" and "right" always mean as seen from the camera. A phrase that states no height leaves the
elevation open (``None``) for the caller to resolve; anything not understood raises
:class:`DirectionError`, which lists these forms — never a silent guess.
"""

from __future__ import annotations

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
    '"front", "45 degrees camera-right", "30° camera-left, 20° above", "side, camera-left", '
    '"behind subject, camera-right", "overhead", "from below", "high camera-left", "eye level", '
    "or a number of degrees (negative = camera-left)"
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
_FRONT = frozenset({"front", "frontal", "on-axis", "head-on", "forward", "camera", "axis"})
_SIDE = frozenset({"side", "sidelight", "sidelit", "side-lit", "sideways"})
_BEHIND = frozenset({"behind", "back", "rear", "backlight", "backlit", "back-lit"})
_OVERHEAD = frozenset({"overhead", "top", "zenith"})
_ABOVE = frozenset({"above", "high", "up", "elevated", "raised", "higher"})
_BELOW = frozenset({"below", "under", "underneath", "beneath", "down", "low", "lower"})
_EYE_LEVEL = frozenset({"eye-level", "level", "horizontal"})
_DEGREES = frozenset({"deg", "degs", "degree", "degrees"})
_SLIGHT = frozenset({"slightly", "little", "bit", "just"})
_DIRECTLY = frozenset({"directly", "straight", "right-on", "exactly", "fully", "full"})
_FILLER = frozenset(
    {
        "subject",
        "subjects",
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
    }
)

_NORMALISE = (
    (re.compile(r"[°º]"), " deg "),
    (re.compile(r"\bcam(?:era)?(?:'s)?[\s_-]+(left|right)\b"), r"camera-\1"),
    (re.compile(r"\b(left|right)[\s_-]+(?:of|from)[\s_-]+(?:the[\s_-]+)?camera\b"), r"camera-\1"),
    (re.compile(r"\beye[\s_-]+level\b"), "eye-level"),
    (re.compile(r"\bon[\s_-]+axis\b"), "on-axis"),
    (re.compile(r"\bhead[\s_-]+on\b"), "head-on"),
    (re.compile(r"\bside[\s_-]+lit\b"), "side-lit"),
    (re.compile(r"\bback[\s_-]+lit\b"), "back-lit"),
    (re.compile(r"\bfront[\s_-]*lit\b"), "front"),
)
_TOKEN = re.compile(r"[+-]?\d+(?:\.\d+)?|[a-z][a-z'-]*")
_SEPARATORS = re.compile(r"[,;/()]")
_JUNK = re.compile(r"[^a-z0-9.+\-'\s]")


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


def _read(text: str, *, strict: bool) -> tuple[Direction, tuple[str, ...]]:
    raw = text
    text = text.strip().lower()
    if not text:
        raise _fail(raw, "it is empty")
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    cleaned = _SEPARATORS.sub(" ", text)
    if strict:
        junk = _JUNK.findall(cleaned)
        if junk:
            raise _fail(raw, f"unexpected character {junk[0]!r}")
    else:
        cleaned = _JUNK.sub(" ", cleaned)

    side = 0  # -1 camera-left, +1 camera-right
    side_slight = False  # "slightly camera-left"
    azimuth_magnitude: float | None = None  # degrees bound to a side word
    bare_azimuth: float | None = None  # a signed number not bound to anything
    elevation: float | None = None
    elevation_from_word = False  # "30° above": a later "eye level" is only the reference
    front = behind = side_on = slight = directly = directly_behind = False
    pending: float | None = None
    ignored: list[str] = []

    def take_bare(value: float) -> None:
        nonlocal bare_azimuth
        if bare_azimuth is not None or azimuth_magnitude is not None:
            raise _fail(raw, f"more than one horizontal angle ({value:g}°)")
        bare_azimuth = value

    for token in _TOKEN.findall(cleaned):
        if token[0].isdigit() or token[0] in "+-":
            if pending is not None:
                if side and azimuth_magnitude is None:  # "camera-left (135°), 15° above"
                    azimuth_magnitude = abs(pending)
                else:
                    take_bare(pending)
            pending = float(token)
            continue
        if token in _DEGREES or token in _FILLER:
            continue
        if token in _LEFT or token in _RIGHT:
            this_side = -1 if token in _LEFT else 1
            if side and side != this_side:
                raise _fail(raw, "it says both camera-left and camera-right")
            side = this_side
            side_slight, slight = slight, False
            if pending is not None:
                if azimuth_magnitude is not None:
                    raise _fail(raw, "more than one horizontal angle")
                azimuth_magnitude, pending = abs(pending), None
        elif token in _EYE_LEVEL and elevation_from_word:
            continue
        elif token in _ABOVE or token in _BELOW or token == "elevation" or token in _EYE_LEVEL:
            if elevation is not None:
                raise _fail(raw, "it gives the height twice")
            if token in _EYE_LEVEL:
                elevation = 0.0
            elif pending is not None:
                sign = -1.0 if token in _BELOW else 1.0
                elevation, pending = sign * abs(pending), None
                elevation_from_word = True
            elif token == "elevation":
                raise _fail(raw, "'elevation' needs a number of degrees before it")
            else:
                if token in _BELOW:
                    elevation = -15.0 if slight else (-20.0 if token == "low" else -45.0)
                else:
                    elevation = 90.0 if directly else (15.0 if slight else 45.0)
                elevation_from_word = True
                slight = directly = False
        elif token in _OVERHEAD:
            if elevation is not None:
                raise _fail(raw, "it gives the height twice")
            elevation = 90.0
        elif token in _FRONT:
            front = True
        elif token in _BEHIND:
            behind = True
            directly_behind, directly = directly, False
        elif token in _SIDE:
            side_on = True
        elif token in _SLIGHT:
            slight = True
        elif token in _DIRECTLY:
            directly = True
        elif strict:
            raise _fail(raw, f"unknown word {token!r}")
        else:
            ignored.append(token)

    if pending is not None:
        if side and azimuth_magnitude is None:
            azimuth_magnitude = abs(pending)
        else:
            take_bare(pending)

    if front and behind:
        raise _fail(raw, "it says both front and behind")
    if front and side_on:
        raise _fail(raw, "it says both front and side")

    azimuth: float
    if azimuth_magnitude is not None:
        if behind and azimuth_magnitude < 90:
            raise _fail(raw, f"'behind' contradicts {azimuth_magnitude:g}° from the camera axis")
        azimuth = side * azimuth_magnitude
    elif bare_azimuth is not None:
        if side and (bare_azimuth < 0) != (side < 0) and bare_azimuth != 0:
            raise _fail(raw, "a signed angle and a side word disagree")
        azimuth = bare_azimuth if not side else side * abs(bare_azimuth)
    elif side_on:
        if not side:
            raise _fail(raw, "'side' needs camera-left or camera-right")
        azimuth = side * 90.0
    elif behind:
        azimuth = 180.0 if directly_behind or not side else side * 135.0
    elif side:
        azimuth = side * (20.0 if side_slight else 45.0)
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
