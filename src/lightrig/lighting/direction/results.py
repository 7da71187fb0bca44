"""What the direction grammar gives back: a :class:`Direction`, what a phrase says before
defaults (:class:`DirectionWords`), the error that lists the accepted forms, and example phrases."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class DirectionWords:
    """What a direction phrase says, before the defaults for what it leaves out.

    ``side``: −1 camera-left, +1 camera-right, 0 when no side is named. ``degrees``: the
    horizontal angle the phrase gives — a number bound to a side word ("45° camera-left": 45),
    unsigned; ``None`` when it gives none. ``azimuth``: a full azimuth the phrase fixes by itself
    (a clock position, a signed or bare number: degrees, −180…180, negative camera-left), or
    ``None``. ``front``, ``behind``, ``side_on``: the horizontal words it uses ("front", "behind",
    "side"); ``directly_behind``: "directly behind"; ``slight`` / ``far``: "slightly left",
    "far left"; ``quarter``: "three-quarter"; ``bare``: ``degrees`` came from a number with no
    sign and no side word ("45 degrees round"), which the ``direction`` field reads as
    camera-right and prose leaves to its side words. ``elevation``: degrees above eye level,
    −90…90, as the phrase gives it in numbers or words ("30° up", "high": 45, "overhead": 90),
    or ``None``; ``height_word``: the word that gave a height without a number ("overhead",
    "above", "below", "eye-level"), else ``None``. ``ignored``: words outside the grammar, in
    a loose reading.
    """

    side: int = 0
    degrees: float | None = None
    azimuth: float | None = None
    front: bool = False
    behind: bool = False
    side_on: bool = False
    directly_behind: bool = False
    slight: bool = False
    far: bool = False
    quarter: bool = False
    bare: bool = False
    elevation: float | None = None
    height_word: str | None = None
    ignored: tuple[str, ...] = ()


def _fail(text: str, why: str) -> DirectionError:
    return DirectionError(
        f"cannot understand direction {text!r}: {why}; accepted: {ACCEPTED_FORMS}"
    )
