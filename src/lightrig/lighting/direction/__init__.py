"""Light directions in words: parse a photographer's phrase into angles, and say angles in words.

The grammar is in parts: :mod:`~lightrig.lighting.direction.words` (its words and how a phrase is
normalised), :mod:`~lightrig.lighting.direction.tokens` (tokens, and which word a number binds
to), :mod:`~lightrig.lighting.direction.parse` (reading a phrase), :mod:`~.spans` (finding
phrases in prose), :mod:`~.describe` (angles in words) and :mod:`~.results` (what it returns).

One grammar reads every direction the product is given — the ``direction`` field of a light,
the translator's clauses, FIBO's ``lighting.direction`` read back. Accepted phrases
(case-insensitive; ``°``, ``deg`` and ``degrees`` are the same)::

    front | on-axis | head-on | straight on        azimuth 0
    45 degrees camera-right | 30° camera-left       azimuth ±n (camera-left is negative)
    camera-left | right | house left               azimuth ±45 ("slightly": ±20, "far": ±70)
    the subject's left | model's right | stage left  the subject's own sides (camera-right for
                                                   the subject's left)
    three-quarter left | 3/4 right                 azimuth ±45
    side, camera-left | from the side, right       azimuth ±90 ("the left side": ±45, a side
                                                   of the picture, not side light)
    behind | behind subject, camera-left           azimuth 180, or ±135 with a side
    at 4 o'clock | 7:30                            seen from above, camera at 6 o'clock:
                                                   azimuth (6 − hour) × 30
    overhead | directly above | top light          elevation 90
    above | high | raised | elevated | up          elevation 45 ("slightly": 15, "steep": 60)
    above the lens | directly above the camera     on the axis, 45° up (butterfly); "above the
                                                   lens at 30°": 30° up
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

Prose reads through the same grammar: :func:`direction_spans` finds the direction phrases in a
sentence and :func:`parse_direction_words` says what each states before defaults, so the
translator can leave to the setup it edits what a phrase leaves open (a side named alone keeps
the preset's angle on that side); angles in words ("forty-five degrees") are numbers.
"""

from lightrig.lighting.direction.describe import describe_direction
from lightrig.lighting.direction.parse import parse_direction, parse_direction_words, read_direction
from lightrig.lighting.direction.results import (
    ACCEPTED_FORMS,
    EXAMPLE_PHRASES,
    Direction,
    DirectionError,
    DirectionWords,
)
from lightrig.lighting.direction.spans import direction_spans

__all__ = [
    "ACCEPTED_FORMS",
    "EXAMPLE_PHRASES",
    "Direction",
    "DirectionError",
    "DirectionWords",
    "describe_direction",
    "direction_spans",
    "parse_direction",
    "parse_direction_words",
    "read_direction",
]
