"""The direction grammar against the development set of phrases, and random compositions of its
parts read back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lightrig.lighting.direction import DirectionError, parse_direction
from lightrig.lighting.geometry import wrap_degrees
from tests.directions import PHRASES


@pytest.mark.parametrize(("phrase", "azimuth", "elevation"), PHRASES, ids=[p[0] for p in PHRASES])
def test_every_phrase_of_the_development_set_is_read_as_meant(
    phrase: str, azimuth: float, elevation: float | None
) -> None:
    if math.isnan(azimuth):
        with pytest.raises(DirectionError, match="accepted:"):
            parse_direction(phrase)
        return
    read = parse_direction(phrase)
    assert abs(wrap_degrees(read.azimuth - azimuth)) <= 5.0, read
    if elevation is None:
        assert read.elevation is None, read
    else:
        assert read.elevation is not None, read
        assert abs(read.elevation - elevation) <= 5.0, read


_SIDE_WORDS = {
    -1: ("camera-left", "camera left", "left", "house left", "the model's right"),
    1: ("camera-right", "camera right", "right", "house right", "the subject's left"),
}


@st.composite
def _phrases(draw: st.DrawFn) -> tuple[str, float, float | None]:
    """A direction in words, composed of the grammar's parts in a random order and style, with
    the angles it means."""
    magnitude = draw(st.integers(min_value=5, max_value=175))
    sign = draw(st.sampled_from((-1, 1)))
    side = draw(st.sampled_from(_SIDE_WORDS[sign]))
    unit = draw(st.sampled_from(("°", " degrees", " deg", "")))
    horizontal = draw(st.sampled_from((f"{magnitude}{unit} {side}", f"{side} {magnitude}{unit}")))
    height = draw(st.one_of(st.none(), st.integers(min_value=-85, max_value=85)))
    parts = [horizontal]
    if height is not None:
        word = "below" if height < 0 else "above"
        up = "down" if height < 0 else "up"
        vertical = draw(
            st.sampled_from(
                (
                    f"{abs(height)}{unit} {word}",
                    f"{abs(height)}{unit} {up}",
                    f"{abs(height)}{unit} {word} eye level",
                    f"{up} {abs(height)}",
                )
                + ((f"elevated {height}{unit}", f"elevation {height}") if height > 0 else ())
            )
        )
        parts.append(vertical)
        if draw(st.booleans()):
            parts.reverse()
    joiner = draw(st.sampled_from((", ", " and ", "; ", " ")))
    return joiner.join(parts), sign * magnitude, None if height is None else float(height)


@given(_phrases())
def test_random_compositions_of_the_grammar_read_back(
    case: tuple[str, float, float | None],
) -> None:
    phrase, azimuth, elevation = case
    read = parse_direction(phrase)
    assert abs(wrap_degrees(read.azimuth - azimuth)) <= 5.0, (phrase, read)
    if elevation is None:
        assert read.elevation is None, (phrase, read)
    else:
        assert read.elevation is not None, (phrase, read)
        assert abs(read.elevation - elevation) <= 5.0, (phrase, read)


def test_a_number_written_with_a_leading_point_is_that_number() -> None:
    assert parse_direction(".5").azimuth == pytest.approx(0.5)
    assert parse_direction("camera-left, elevated .5 degrees").elevation == pytest.approx(0.5)


def test_a_minus_and_a_side_word_that_disagree_are_refused() -> None:
    with pytest.raises(DirectionError, match="disagree"):
        parse_direction("-45 degrees camera-right")
    assert parse_direction("-45 degrees camera-left").azimuth == pytest.approx(-45.0)
