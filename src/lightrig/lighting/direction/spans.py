"""The direction phrases in a stretch of prose, for readers of whole sentences."""

from __future__ import annotations

import re

from lightrig.lighting.direction.parse import parse_direction_words
from lightrig.lighting.direction.results import DirectionError, DirectionWords
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
    _LEFT,
    _LENGTH_UNITS,
    _OVERHEAD,
    _RIGHT,
    _SIDE,
    _SLIGHT,
    _STEEP,
)
from lightrig.lighting.vocabulary import ANGLE_WORDS

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
_SPAN_TOKEN = re.compile(
    r"3\s*/\s*4|\d{1,2}:\d{2}(?!\d)|[+-]?(?:\d+(?:\.\d+)?|\.\d+)|[a-z][a-z'’-]*|[°º]"
)
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
        if token[0].isdigit() or token[0] in "+-.":
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
