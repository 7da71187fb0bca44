"""Directions in words: the seed's forms, numbers, round trips and clear errors."""

from __future__ import annotations

import pytest
from hypothesis import given

from lightrig.lighting.direction import (
    ACCEPTED_FORMS,
    Direction,
    DirectionError,
    describe_direction,
    parse_direction,
    read_direction,
)
from tests.strategies import azimuths, elevations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45 degrees camera-right", Direction(45.0, None)),
        ("30 degrees camera-left", Direction(-30.0, None)),
        ("behind subject, camera-left", Direction(-135.0, None)),
        ("overhead", Direction(0.0, 90.0)),
        ("from below", Direction(0.0, -45.0)),
        ("front", Direction(0.0, None)),
        ("45° camera-left, 30° above", Direction(-45.0, 30.0)),
        ("30 deg camera left, 20 degrees below", Direction(-30.0, -20.0)),
        ("side, camera-right", Direction(90.0, None)),
        ("camera-right side", Direction(45.0, None)),
        ("behind", Direction(180.0, None)),
        ("directly behind, high", Direction(180.0, 45.0)),
        ("high camera-left", Direction(-45.0, 45.0)),
        ("slightly camera-right", Direction(20.0, None)),
        ("slightly above, camera-left", Direction(-45.0, 15.0)),
        ("eye level, 60 degrees camera-left", Direction(-60.0, 0.0)),
        ("from 45° camera-left, 42° above eye level", Direction(-45.0, 42.0)),
        ("behind, camera-left (135°), 15° above eye level", Direction(-135.0, 15.0)),
        ("left of camera", Direction(-45.0, None)),
        ("-30", Direction(-30.0, None)),
        ("120", Direction(120.0, None)),
        ("30 degrees elevation, front", Direction(0.0, 30.0)),
        ("directly above", Direction(0.0, 90.0)),
        ("On-Axis", Direction(0.0, None)),
    ],
)
def test_accepted_forms(text: str, expected: Direction) -> None:
    assert parse_direction(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("sideways-ish", "unknown word 'sideways-ish'"),
        ("", "it is empty"),
        ("camera-left and camera-right", "both camera-left and camera-right"),
        ("front, behind", "both front and behind"),
        ("side", "'side' needs camera-left or camera-right"),
        ("45 degrees camera-left, 200", "more than one horizontal angle"),
        ("behind, 30 degrees camera-left", "'behind' contradicts 30°"),
        ("above, below", "height twice"),
        ("270", "outside −180…180"),
        ("100 degrees above", "outside −90…90"),
        ("45 camera-left #", "unexpected character"),
    ],
)
def test_errors_say_why_and_list_the_accepted_forms(text: str, why: str) -> None:
    with pytest.raises(DirectionError) as caught:
        parse_direction(text)
    message = str(caught.value)
    assert why in message
    assert ACCEPTED_FORMS in message
    assert isinstance(caught.value, ValueError)


@given(azimuths, elevations)
def test_describe_then_parse_round_trips(azimuth: float, elevation: float) -> None:
    parsed = parse_direction(describe_direction(azimuth, elevation))
    assert abs(((parsed.azimuth - azimuth + 180) % 360) - 180) <= 0.05 + 1e-9
    assert parsed.elevation is not None
    assert abs(parsed.elevation - elevation) <= 0.05 + 1e-9


def test_read_direction_skips_prose_and_reports_it() -> None:
    found, skipped = read_direction("Evenly lit, possibly from above or slightly front-lit.")
    assert found == Direction(0.0, 45.0)
    assert "evenly" in skipped
    assert read_direction("side-lit from the right")[0] == Direction(90.0, None)
    assert read_direction("from above and slightly to the left")[0] == Direction(-20.0, 45.0)
    assert read_direction("Bright daylight") == (None, ())
