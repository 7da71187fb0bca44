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

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.vocabulary import ANGLE_WORDS

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
_TOKEN = re.compile(r"clock\d+h\d*|[+-]?\d+(?:\.\d+)?|[a-z][a-z'-]*|,")
_SEPARATORS = re.compile(r"[;/()]")
_JUNK = re.compile(r"[^a-z0-9.+\-'\s,:]")


_ANGLE_NAMES = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ANGLE_WORDS), key=len, reverse=True)) + r")\b"
)


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


@lru_cache(maxsize=4096)
def parse_direction_words(text: str) -> DirectionWords:
    """What a direction phrase says (see :class:`DirectionWords`), for a caller that resolves what
    it leaves out itself — the translator puts a rim named only by its side behind the head, where
    the ``direction`` field puts a light named only by its side at 45°. Raises
    :class:`DirectionError` for anything it cannot understand, as :func:`parse_direction` does."""
    return _parse(text, strict=True)


#: Words that say a direction only in company: alone ("set up", "the camera") they mean
#: something else, so a phrase made of them alone needs a preposition or "light" beside them.
_WEAK = frozenset(
    {"up", "down", "under", "camera", "lens", "axis", "level", "top", "back", "side", "forward"}
    | {"full"}
)
#: Filler a phrase keeps at its start ("from the left", "a little to the right").
#: Two words that are one grammar word ("eye level", "straight on"), joined in place.
_COMPOUNDS = re.compile(r"\b(eye|on|head|straight)[ _](level|axis|on)\b")
_WORDS_BEFORE = re.compile(r"[a-z][a-z'-]*")
_LEADING = frozenset({"from", "at", "to", "on", "toward", "towards", "the", "a"})
_COMPANY = frozenset({"from", "at", "to", "on", "by", "toward", "towards", "light", "lit"})
#: Words that only join a grammar word to the next one ("the subject's left", "10 o'clock").
_JOINERS = frozenset(
    {"house", "stage", "three", "quarter", "quarters", "cam", "sitter", "sitter's"}
    | {"subject's", "model's", "person's", "her", "his", "their"}
)
#: Words that make a direction with the words beside them ("from the floor", "next to the
#: camera", "uplighting"): part of a phrase, never trimmed from its ends.
_PHRASE_WORDS = frozenset(
    {"next", "beside", "hanging", "contre-jour", "contre", "jour", "chin", "floor", "eye"}
    | {"straight", "steep", "steeply"}
    | {"uplight", "uplighting", "uplit", "toplight", "underlight", "underlighting"}
)
_SPAN_TOKEN = re.compile(r"3\s*/\s*4|\d{1,2}:\d{2}(?!\d)|[+-]?\d+(?:\.\d+)?|[a-z][a-z'’-]*|[°º]")
_CORE = (
    _LEFT | _RIGHT | _SIDE | _BEHIND | _OVERHEAD | _ABOVE | _BELOW | _EYE_LEVEL | _FRONT
) | frozenset({"three-quarter", "camera-left", "camera-right", "left", "right"})
_QUALIFIERS = (
    _SLIGHT
    | _STEEP
    | _FAR
    | _DIRECTLY
    | _DISTANCE
    | _DEGREES
    | frozenset(_LENGTH_UNITS)
    | frozenset({"o'clock", "oclock", "clock"})
)


def direction_spans(
    text: str, start: int = 0, end: int | None = None, *, used: list[bool] | None = None
) -> list[tuple[int, int, DirectionWords | DirectionError]]:
    """The direction phrases in a stretch of prose, for readers of whole sentences.

    A phrase is a run of the grammar's words (numbers with them) in ``text[start:end]``, apart
    from characters already ``used`` by the caller, trimmed of filler at its ends. Each comes with
    what it says, or the :class:`DirectionError` that explains why it cannot be read — a phrase is
    never half-read. Words that name a direction only in company ("up", "camera", "side") make a
    phrase only beside a preposition or "light"; a number joins a phrase only beside a degree
    sign, a unit of length or a grammar word (so "2 stops", "5600 K" and "85 mm" stay out).
    """
    stop = len(text) if end is None else end
    # angles in words become digits of the same length, so offsets stay the text's
    scanned = _ANGLE_NAMES.sub(
        lambda m: f"{ANGLE_WORDS[m.group(1)]:g}".ljust(len(m.group(0))), text.lower()
    )
    scanned = _COMPOUNDS.sub(lambda m: f"{m.group(1)}-{m.group(2)}", scanned)
    tokens = [
        (m.start(), m.end(), m.group(0).replace("’", "'"))
        for m in _SPAN_TOKEN.finditer(scanned, start, stop)
        if used is None or not any(used[m.start() : m.end()])
    ]

    def kind(token: str) -> str | None:
        if token[0].isdigit() or token[0] in "+-":
            return "number"
        if token in ("°", "º") or token in _QUALIFIERS:
            return "qualifier"
        if token in _CORE or token in _PHRASE_WORDS:
            return "core"
        if token in _JOINERS:
            return "joiner"
        if token in _FILLER:
            return "filler"
        return None

    kinds = [kind(token) for _, _, token in tokens]
    for i, (_, _, token) in enumerate(tokens):  # "the side of the face": a noun, not side light
        if token == "side" and i + 1 < len(tokens) and tokens[i + 1][2] == "of":
            kinds[i] = None
    for i, (_, _, token) in enumerate(tokens):  # a number alone or before a unit of its own
        if kinds[i] != "number" or "/" in token or ":" in token:
            continue
        after = kinds[i + 1] if i + 1 < len(tokens) else None
        before = kinds[i - 1] if i > 0 else None
        adjacent_after = i + 1 < len(tokens) and _joined(scanned, tokens[i][1], tokens[i + 1][0])
        adjacent_before = i > 0 and _joined(scanned, tokens[i - 1][1], tokens[i][0])
        if (adjacent_after and after is None) or not (
            (adjacent_after and after in ("qualifier", "core"))
            or (adjacent_before and before == "core")
        ):  # "2 stops", "3200 K", "85 mm"
            kinds[i] = None
    spans: list[tuple[int, int, DirectionWords | DirectionError]] = []
    run: list[int] = []

    def close() -> None:
        while run and kinds[run[-1]] == "filler":
            run.pop()
        while run and kinds[run[0]] == "filler" and tokens[run[0]][2] not in _LEADING:
            run.pop(0)
        if not run:
            return
        words = {tokens[i][2] for i in run}
        core = {w for w in words if w in _CORE or w in _PHRASE_WORDS}
        numbers = any(kinds[i] == "number" for i in run)
        if not core and not numbers:
            run.clear()
            return
        if core <= _WEAK | {"next", "beside"} and not numbers:
            # the words beside the phrase as written, used or not ("key light side")
            before = _WORDS_BEFORE.findall(scanned, 0, tokens[run[0]][0])[-2:]
            after = _WORDS_BEFORE.findall(scanned, tokens[run[-1]][1], stop)[:1]
            if not ({t[2] for i, t in enumerate(tokens) if i in run} | {*before, *after}) & (
                _COMPANY
            ):
                run.clear()
                return
        a, b = tokens[run[0]][0], tokens[run[-1]][1]
        try:
            spans.append((a, b, parse_direction_words(text[a:b])))
        except DirectionError as error:
            spans.append((a, b, error))
        run.clear()

    for i, k in enumerate(kinds):
        if k is None or (run and not _joined(scanned, tokens[run[-1]][1], tokens[i][0])):
            close()
        if k is not None:
            run.append(i)
    close()
    return spans


def _joined(text: str, left: int, right: int) -> bool:
    """Whether two tokens of a phrase touch across nothing but spaces and hyphens."""
    return re.fullmatch(r"[\s\-]*", text[left:right]) is not None


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
