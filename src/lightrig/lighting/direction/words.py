"""The direction grammar's words, and how a phrase is normalised before it is read (several
words made one: "camera left" → ``camera-left``, "10 o'clock" → ``clock10h``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from lightrig.lighting.vocabulary import ANGLE_WORDS

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
        "lighting",
        "lights",
        "source",
        "by",
        "round",
        "around",
        "off-axis",
    }
)
#: Metres in one of each length unit.
_LENGTH_UNITS = {"m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0}
_LENGTH_UNITS |= {"ft": 0.3048, "foot": 0.3048, "feet": 0.3048, "cm": 0.01}

_NORMALISE: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"[°º]"), " deg "),
    # clock positions (camera at 6 o'clock, seen from above): "at 10 o'clock", "7:30"
    (re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*o'?\s*clock\b"), r" clock\1h\2 "),
    (re.compile(r"(?<![\d.])(\d{1,2}):(\d{2})\b"), r" clock\1h\2 "),
    (re.compile(r"\b(?:3\s*/\s*4|three[\s_-]*quarters?)\b"), "three-quarter"),
    (
        re.compile(r"\b(?:the\s+)?(?:subject|model|sitter)(?:'s|s')?\s+(left|right)\b"),
        r"subject-\1",
    ),
    (re.compile(r"\b(?:her|his|their|person's)\s+(left|right)\b"), r"subject-\1"),
    (re.compile(r"\bstage[\s_-]+(left|right)\b"), r"subject-\1"),
    (re.compile(r"\bhouse[\s_-]+(left|right)\b"), r"camera-\1"),
    (re.compile(r"\bcam(?:era)?(?:'s)?[\s_-]+(left|right)\b"), r"camera-\1"),
    (re.compile(r"\b(left|right)[\s_-]+(?:of|from)[\s_-]+(?:the[\s_-]+)?camera\b"), r"camera-\1"),
    (re.compile(r"\beye[\s_-]+level\b"), "eye-level"),
    (re.compile(r"\bon[\s_-]+axis\b"), "on-axis"),
    (re.compile(r"\bhead[\s_-]+on\b"), "head-on"),
    (re.compile(r"\bstraight[\s_-]+on\b"), "straight-on"),
    (re.compile(r"\bstraight[\s_-]+down(?:[\s_-]+from[\s_-]+above)?\b"), "overhead"),
    (
        re.compile(
            r"\b(?:up|under)[\s_-]*light(?:s|ing)?(?:[\s_-]+from[\s_-]+(?:below|underneath))?\b"
            r"|\b(?:(?:just|right|directly)\s+)?(?:below|under|beneath|underneath)\s+"
            r"(?:the|her|his|their)\s+chin\b"
            r"|\b(?:from\s+)?(?:the\s+)?floor\b"
        ),
        "below",
    ),
    (
        re.compile(r"\bhanging\s+(?:above|over(?:head)?)\b|\btop[\s_-]*light(?:s|ing)?\b"),
        "overhead",
    ),
    (re.compile(r"\b(?:up\s+above|high\s+above|up\s+high|high\s+up)\b"), "above"),
    (re.compile(r"\bcontre[\s_-]*jour\b"), "behind"),
    # "the left side (of the face)": a side of the picture, not side light
    (re.compile(r"\b(left|right)[\s_-]+side\b"), r"\1"),
    # on the lens axis, above it: the butterfly position, not overhead
    (
        re.compile(
            r"\b(?:(?:directly|right|straight)\s+)?(?:above|over)\s+the\s+(?:lens|camera)"
            r"(?:\s+at\s+(\d+(?:\.\d+)?)(?:\s*deg(?:rees?)?)?)?"
        ),
        lambda m: f"front, {m.group(1)} deg above" if m.group(1) else "front, above",
    ),
    (re.compile(r"\b(?:next\s+to|beside)\s+the\s+(?:camera|lens)(?:\s+position)?\b"), "front"),
    (re.compile(r"\boff[\s_-]+axis\b"), "off-axis"),
    (re.compile(r"\bside[\s_-]+lit\b"), "side-lit"),
    (re.compile(r"\bback[\s_-]+lit\b"), "back-lit"),
    (re.compile(r"\bfront[\s_-]*lit\b"), "front"),
    (re.compile(r"(\d)\s*(m|metres?|meters?|ft|feet|foot|cm)\b"), r"\1 \2"),
)
#: Past this many ways of binding a text's numbers to its words, each takes its first choice.
_MAX_BINDINGS = 4096
_TOKEN = re.compile(r"clock\d+h\d*|[+-]?(?:\d+(?:\.\d+)?|\.\d+)|[a-z][a-z'-]*|,")
_SEPARATORS = re.compile(r"[;/()]")
_JUNK = re.compile(r"[^a-z0-9.+\-'\s,:]")


_ANGLE_NAMES = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ANGLE_WORDS), key=len, reverse=True)) + r")\b"
)
