"""Reading a direction phrase: what it says (:func:`parse_direction_words`), and a direction with
the grammar's defaults for what it leaves out (:func:`parse_direction`)."""

from __future__ import annotations

import math
from functools import lru_cache

from lightrig.lighting.direction.results import Direction, DirectionError, DirectionWords, _fail
from lightrig.lighting.direction.tokens import _bind, _clock, _is_height, _neighbour, _words
from lightrig.lighting.direction.words import (
    _ABOVE,
    _ANGLE_NAMES,
    _BEHIND,
    _BELOW,
    _DEGREES,
    _DIRECTLY,
    _DISTANCE,
    _EYE_LEVEL,
    _FAR,
    _FILLER,
    _FRONT,
    _JUNK,
    _LEFT,
    _NORMALISE,
    _OVERHEAD,
    _QUARTER,
    _RIGHT,
    _SEPARATORS,
    _SIDE,
    _SLIGHT,
    _STEEP,
    _SUBJECT_LEFT,
    _SUBJECT_RIGHT,
)
from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.vocabulary import ANGLE_WORDS


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


@lru_cache(maxsize=4096)
def parse_direction_words(text: str) -> DirectionWords:
    """What a direction phrase says (see :class:`DirectionWords`), for a caller that resolves what
    it leaves out itself — the translator puts a rim named only by its side behind the head, where
    the ``direction`` field puts a light named only by its side at 45°. Raises
    :class:`DirectionError` for anything it cannot understand, as :func:`parse_direction` does."""
    return _parse(text, strict=True)


def _read(text: str, *, strict: bool) -> tuple[Direction, tuple[str, ...]]:
    words = _parse(text, strict=strict)
    return _resolve(words, text), words.ignored


def _parse(text: str, *, strict: bool) -> DirectionWords:
    raw = text
    text = text.strip().lower()
    if not text:
        raise _fail(raw, "it is empty")
    text = _ANGLE_NAMES.sub(lambda m: f"{ANGLE_WORDS[m.group(1)]:g}", text.replace("’", "'"))
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
    negative_sides: set[int] = set()  # side words given a number written with a minus
    for index, place in _bind(words).items():
        value = words[index].value
        assert value is not None
        if place is None or place in heights:
            bare.append((value, words[index].signed))
        elif _is_height(words[place]):
            heights[place] = value
        else:
            sides[place] = value
            if words[index].signed and value < 0.0:
                negative_sides.add(place)

    side = 0  # -1 camera-left, +1 camera-right
    side_slight = side_far = False
    azimuth_magnitude: float | None = None  # degrees bound to a side word
    elevation: float | None = None
    height_word: str | None = None
    height_said = False  # "30° above": a later "eye level" is only the reference
    clock: float | None = None
    front = behind = side_on = slight = steep = far = directly = directly_behind = False
    quarter = False
    ignored: list[str] = []

    def set_height(value: float, word: str | None = None) -> None:
        nonlocal elevation, height_said, height_word
        if height_said and elevation == value:  # "top light, straight down": said twice, one height
            return
        if height_said:
            raise _fail(raw, "it gives the height twice")
        elevation, height_said, height_word = value, True, word

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
                if index in negative_sides and this_side > 0:
                    raise _fail(raw, "a signed angle and a side word disagree")
                azimuth_magnitude = abs(sides[index])
        elif token in _EYE_LEVEL:
            if not height_said:
                set_height(0.0, "eye-level")
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
                set_height(
                    sign * magnitude,
                    "overhead" if magnitude == 90.0 else "below" if sign < 0 else "above",
                )
            slight = directly = steep = False
        elif token in _OVERHEAD:
            set_height(90.0, "overhead")
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
        set_height(60.0, "above")

    if height_length is not None:
        if distance is None or distance <= 0.0:
            raise _fail(raw, "a height in metres or feet needs the light's distance too")
        elevation = math.degrees(math.atan2(height_length, distance))
        height_word = None
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
    if azimuth_magnitude is not None:
        if behind and azimuth_magnitude < 90:
            raise _fail(raw, f"'behind' contradicts {azimuth_magnitude:g}° from the camera axis")
        if azimuth_magnitude > 180.0:
            raise _fail(raw, f"azimuth {azimuth_magnitude:g}° is outside 0…180 to a side")

    azimuth: float | None = clock
    unsigned = False
    if bare:
        value, signed = bare[0]
        if side and signed and (value < 0) != (side < 0) and value != 0:
            raise _fail(raw, "a signed angle and a side word disagree")
        if side or (not signed and 0.0 <= value <= 180.0):
            azimuth_magnitude, unsigned = abs(value), not side
        else:
            azimuth = value
    if azimuth is not None and not -180.0 <= azimuth <= 180.0:
        raise _fail(raw, f"azimuth {azimuth:g}° is outside −180…180")
    if elevation is not None and not -90.0 <= elevation <= 90.0:
        raise _fail(raw, f"elevation {elevation:g}° is outside −90…90")
    return DirectionWords(
        side=side,
        degrees=azimuth_magnitude,
        azimuth=azimuth,
        front=front,
        behind=behind,
        side_on=side_on,
        directly_behind=directly_behind,
        slight=side_slight,
        far=side_far,
        quarter=quarter,
        bare=unsigned,
        elevation=elevation,
        height_word=height_word,
        ignored=tuple(ignored),
    )


def _resolve(w: DirectionWords, raw: str) -> Direction:
    """A direction from what a phrase says, with the grammar's defaults for what it leaves out."""
    azimuth: float
    if w.azimuth is not None:
        azimuth = w.azimuth
    elif w.degrees is not None:
        if w.bare:  # a bare number is an azimuth: positive camera-right
            azimuth = w.degrees
        elif not w.side:
            raise _fail(raw, f"{w.degrees:g}° to which side? say camera-left or -right")
        else:
            azimuth = w.side * w.degrees
    elif w.side_on:
        if not w.side:
            raise _fail(raw, "'side' needs camera-left or camera-right")
        azimuth = w.side * 90.0
    elif w.behind:
        azimuth = 180.0 if w.directly_behind or not w.side else w.side * 135.0
    elif w.side:
        azimuth = w.side * (20.0 if w.slight else 70.0 if w.far else 45.0)
    elif w.quarter:
        raise _fail(raw, "'three-quarter' needs camera-left or camera-right")
    elif w.front or w.elevation is not None:
        azimuth = 0.0
    else:
        raise _fail(raw, "it names no direction")
    return Direction(azimuth=wrap_degrees(azimuth), elevation=w.elevation)
