"""Direction phrases as photographers write them, with what each means: the development set of the
direction grammar (issue 16), written before the grammar.

Each entry is ``(phrase, azimuth, elevation)`` in lightrig's convention: azimuth in degrees from
the lens axis, + toward camera-right (−180…180; 180 is straight behind the subject); elevation in
degrees above the subject's eye level (−90…90). ``elevation`` is ``None`` when the phrase states
no height (the caller's default applies); ``azimuth`` is :data:`REFUSED` for a phrase the grammar
must refuse, with the accepted forms, rather than half-read. A reading within 5° of both angles
is right.

The conventions the set fixes (a photographer's reading of each word):

* sides: "left" / "right" alone and "camera-left" / "camera-right" are as seen from the camera;
  "the subject's / model's left" faces the other way (camera-right); "house left" is the
  audience's, i.e. the camera's, left; "stage left" is the performer's (camera-right);
* a side with no angle: 45°; "slightly": 20°; "side" / "from the side" / "90°": 90°; "far":
  70°; "three-quarter" / "3/4": 45°; "the left side" / "camera-right side" is a side of the
  picture (45°), not side light (corrected after the first reading: four entries had it 90°);
  "front" / "on axis" / "head-on" / "at the camera": 0°;
  "behind": 180°, "behind and to the left": −135°; "rim" / "kicker" positions are not
  directions and are refused;
* clock positions, seen from above with the camera at 6 o'clock and the subject at the centre:
  each hour is 30°, azimuth = (6 − hour) × 30 (4 o'clock = 60° camera-right, 9 o'clock = 90°
  camera-left, 12 o'clock = straight behind);
* heights: "high" / "above" / "raised" / "elevated" alone: 45°; "slightly above" / "slightly
  high": 15°; "steep" / "steeply above": 60°; "low": −20°; "from below" / "under" / "below":
  −45°; "overhead" / "directly above" / "top light": 90°; "eye level": 0°; "above eye level"
  alone: 20°; a height in feet or metres only with a distance (the angle is atan(height /
  distance)), refused without one;
* a number after a height word ("elevated 30", "up 20") or before one ("30° up") is the height;
  a number after or before a side word is the azimuth; a bare number is the azimuth.
"""

from __future__ import annotations

import math

__all__ = ["PHRASES", "REFUSED"]

#: The azimuth of a phrase that must be refused.
REFUSED = float("nan")


def _atan(height: float, distance: float) -> float:
    return round(math.degrees(math.atan2(height, distance)), 1)


_HAND: list[tuple[str, float, float | None]] = [
    # on the lens axis
    ("front", 0, None),
    ("frontal", 0, None),
    ("from the front", 0, None),
    ("on axis", 0, None),
    ("on-axis", 0, None),
    ("head-on", 0, None),
    ("straight on", 0, None),
    ("at the camera", 0, None),
    ("from camera position", 0, None),
    ("front, eye level", 0, 0),
    ("front, elevated 45 degrees", 0, 45),
    ("front elevated 45°", 0, 45),
    ("0 degrees, elevated 45 degrees", 0, 45),
    ("on axis, 45 degrees up", 0, 45),
    ("front and high", 0, 45),
    ("high front", 0, 45),
    ("front, above", 0, 45),
    ("front, slightly above", 0, 15),
    ("front, from below", 0, -45),
    ("front, low", 0, -20),
    ("directly in front, raised 30 degrees", 0, 30),
    ("on-axis, 60° above eye level", 0, 60),
    ("0°, 30° up", 0, 30),
    ("above the camera", 0, 45),
    ("just above the lens", 0, 15),
    ("below the lens", 0, -45),
    # overhead and under
    ("overhead", 0, 90),
    ("directly above", 0, 90),
    ("straight down from above", 0, 90),
    ("top light", 0, 90),
    ("from directly overhead", 0, 90),
    ("from below", 0, -45),
    ("under", 0, -45),
    ("from underneath", 0, -45),
    ("uplight from below", 0, -45),
    ("below", 0, -45),
    ("20 degrees below", 0, -20),
    ("20° below eye level", 0, -20),
    ("low", 0, -20),
    ("eye level", 0, 0),
    ("at eye level", 0, 0),
    ("above eye level", 0, 20),
    ("30 degrees above eye level", 0, 30),
    ("high", 0, 45),
    ("steep", 0, 60),
    ("steeply above", 0, 60),
    # sides, no height
    ("camera-left", -45, None),
    ("camera-right", 45, None),
    ("camera left", -45, None),
    ("camera right", 45, None),
    ("left", -45, None),
    ("right", 45, None),
    ("from the left", -45, None),
    ("from the right", 45, None),
    ("to the left", -45, None),
    ("slightly camera-left", -20, None),
    ("slightly right", 20, None),
    ("slightly to camera right", 20, None),
    ("a little camera-left", -20, None),
    ("side", REFUSED, None),  # which side?
    ("side, camera-left", -90, None),
    ("camera-right side", 45, None),  # corrected: the right side of the picture, not side light
    ("from the side, camera-left", -90, None),
    ("left side", -45, None),  # corrected, as above
    ("90 degrees camera-right", 90, None),
    ("90° left", -90, None),
    ("far left", -70, None),
    ("far camera-right", 70, None),
    ("three-quarter left", -45, None),
    ("three quarter right", 45, None),
    ("3/4 left", -45, None),
    ("3/4 camera-right", 45, None),
    ("45 degrees camera-right", 45, None),
    ("30 degrees camera-left", -30, None),
    ("45° camera-left", -45, None),
    ("60 deg camera right", 60, None),
    ("camera-left 45 degrees", -45, None),
    ("camera right, 30°", 30, None),
    ("left 30", -30, None),
    ("right 60 degrees", 60, None),
    ("45", 45, None),
    ("-45", -45, None),
    ("+30", 30, None),
    ("-30°", -30, None),
    ("15 degrees", 15, None),
    # the subject's sides, the stage's, the house's
    ("subject's left", 45, None),
    ("the subject's right", -45, None),
    ("model's left", 45, None),
    ("to the model's right", -45, None),
    ("45 degrees to the subject's left", 45, None),
    ("30° to the model's right", -30, None),
    ("house left", -45, None),
    ("house right", 45, None),
    ("stage left", 45, None),
    ("stage right", -45, None),
    ("the subject's left side", 45, None),  # corrected, as above
    # behind
    ("behind", 180, None),
    ("behind the subject", 180, None),
    ("behind subject", 180, None),
    ("directly behind", 180, None),
    ("from behind", 180, None),
    ("behind subject, camera-left", -135, None),
    ("behind, camera-right", 135, None),
    ("behind and to the left", -135, None),
    ("behind the subject to the right", 135, None),
    ("behind, camera-left, high", -135, 45),
    ("behind camera-right, elevated 30 degrees", 135, 30),
    ("150 degrees camera-left", -150, None),
    ("180 degrees", 180, None),
    ("135° camera-right", 135, None),
    ("behind, 45° above", 180, 45),
    # sides with heights, in every order
    ("45 degrees camera-left, elevated 30 degrees", -45, 30),
    ("45° camera-right, 30° above", 45, 30),
    ("30° camera-left, 20° above", -30, 20),
    ("elevated 30 degrees, 45 degrees camera-left", -45, 30),
    ("30 degrees up, 45 degrees camera-right", 45, 30),
    ("camera-left, elevated 20", -45, 20),
    ("camera-right, up 30", 45, 30),
    ("camera-left, elevation 20", -45, 20),
    ("elevation 40, camera right", 45, 40),
    ("high camera-left", -45, 45),
    ("high, camera-right", 45, 45),
    ("camera-left high", -45, 45),
    ("low camera-right", 45, -20),
    ("camera-left, from below", -45, -45),
    ("camera-right, slightly above", 45, 15),
    ("slightly camera-left, slightly above", -20, 15),
    ("side, camera-left, eye level", -90, 0),
    ("camera-right side, 10 degrees up", 45, 10),  # corrected, as above
    ("90 degrees left, raised 15 degrees", -90, 15),
    ("45 left 45 up", -45, 45),
    ("45° right, 45° high", 45, 45),
    ("30 left, 10 down", -30, -10),
    ("camera-right 60°, elevated 40°", 60, 40),
    ("key at 45 degrees camera left and 45 degrees above", -45, 45),
    ("45 degrees to camera left and raised 45 degrees", -45, 45),
    ("raised 45 degrees, to camera left", -45, 45),
    ("up 45, left 45", -45, 45),
    ("camera-left at 45°, 30° above eye level", -45, 30),
    ("three-quarter left, high", -45, 45),
    ("3/4 right, slightly above", 45, 15),
    ("far left, low", -70, -20),
    ("subject's left, elevated 30", 45, 30),
    ("house right, 20° up", 45, 20),
    ("steep, camera-right", 45, 60),
    ("overhead, slightly camera-left", -20, 90),
    ("top light, a little to the right", 20, 90),
    ("from below, camera-right", 45, -45),
    ("under, left", -45, -45),
    # clock positions
    ("at 4 o'clock", 60, None),
    ("at 8 o'clock", -60, None),
    ("9 o'clock", -90, None),
    ("3 o'clock", 90, None),
    ("12 o'clock", 180, None),
    ("6 o'clock", 0, None),
    ("at 10 o'clock", -120, None),
    ("2 o'clock", 120, None),
    ("at 5 o'clock", 30, None),
    ("7 o'clock", -30, None),
    ("at 1 o'clock", 150, None),
    ("11 o'clock", -150, None),
    ("at 7:30", -45, None),
    ("4:30", 45, None),
    ("at 8 o'clock, high", -60, 45),
    ("at 4 o'clock, elevated 30 degrees", 60, 30),
    ("10 o'clock, 45° up", -120, 45),
    # heights by length, with and without a distance
    ("camera-left, 1 m above eye level, 2 m away", -45, _atan(1, 2)),
    ("3 feet above eye level, 6 feet away", 0, _atan(3, 6)),
    ("45° camera-right, 1 metre up, 1 metre away", 45, 45),
    ("2 ft above, 4 ft from the subject, camera left", -45, _atan(2, 4)),
    ("0.5 m below eye level at 1.5 m", 0, _atan(-0.5, 1.5)),
    ("2 feet above eye level", REFUSED, None),
    ("camera-left, 1 m up", REFUSED, None),
    # refused: nonsense, contradictions, numbers with no place
    ("", REFUSED, None),
    ("purple", REFUSED, None),
    ("north-east", REFUSED, None),
    ("camera-left and camera-right", REFUSED, None),
    ("left right", REFUSED, None),
    ("front behind", REFUSED, None),
    ("overhead, from below", REFUSED, None),
    ("high low", REFUSED, None),
    ("45 30", REFUSED, None),
    ("45 degrees 30 degrees", REFUSED, None),
    ("elevated", 0, 45),
    ("elevated 100 degrees", REFUSED, None),
    ("up 95", REFUSED, None),
    ("200 degrees camera-left", REFUSED, None),
    ("at 13 o'clock", REFUSED, None),
    ("at 0 o'clock", REFUSED, None),
    ("sideways-ish", REFUSED, None),
    ("somewhere left maybe", REFUSED, None),
    ("camera-left 45 degrees 60 degrees", REFUSED, None),
    ("rim", REFUSED, None),
    ("kicker", REFUSED, None),
    ("45 degrees camera-left, elevated 30 degrees, 20 degrees", REFUSED, None),
    ("left-ish", REFUSED, None),
    ("up and down", REFUSED, None),
    ("90 degrees camera-up", REFUSED, None),
]


def _variants() -> list[tuple[str, float, float | None]]:
    """The same angles written the many ways photographers write them: numbers with and
    without units and signs, the side before or after, the height before or after, with
    "elevated", "up", "above", "raised" and "high"."""
    out: list[tuple[str, float, float | None]] = []
    sides = (("camera-left", -1), ("camera-right", 1), ("left", -1), ("right", 1))
    for azimuth in (10, 30, 60, 80):
        for word, sign in sides:
            out.append((f"{azimuth} degrees {word}", sign * azimuth, None))
            out.append((f"{word} {azimuth}°", sign * azimuth, None))
    for azimuth, elevation in ((15, 10), (30, 45), (45, 20), (60, 35), (75, 50), (90, 25)):
        for word, sign in sides[:2]:
            a = sign * azimuth
            out.extend(
                [
                    (f"{azimuth}° {word}, {elevation}° above", a, elevation),
                    (f"{word} {azimuth} degrees, elevated {elevation} degrees", a, elevation),
                    (f"elevated {elevation}°, {azimuth}° {word}", a, elevation),
                    (f"up {elevation}, {word} {azimuth}", a, elevation),
                    (f"{elevation} degrees up and {azimuth} degrees {word}", a, elevation),
                    (f"{azimuth} deg {word} raised {elevation} deg", a, elevation),
                ]
            )
    for elevation in (-30, -10, 5, 25, 70):
        word = "below" if elevation < 0 else "above"
        out.append((f"front, {abs(elevation)} degrees {word}", 0, elevation))
        out.append((f"{abs(elevation)}° {word} eye level, on axis", 0, elevation))
    return out


#: Every phrase of the set.
PHRASES: tuple[tuple[str, float, float | None], ...] = tuple(_HAND + _variants())
