"""A phrase as tokens, and which height or side word each of its numbers belongs to."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from lightrig.lighting.direction.results import _fail
from lightrig.lighting.direction.words import (
    _ABOVE,
    _BELOW,
    _DEGREES,
    _FILLER,
    _LEFT,
    _LENGTH_UNITS,
    _MAX_BINDINGS,
    _RIGHT,
    _SIDE,
    _SUBJECT_LEFT,
    _SUBJECT_RIGHT,
    _TOKEN,
)
from lightrig.lighting.geometry import wrap_degrees


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
        elif token[0].isdigit() or token[0] in "+-.":
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
