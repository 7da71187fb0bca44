"""A series' consistency report (issue 20): per measure the median, the spread and the pictures
beyond the tolerance."""

from __future__ import annotations

import pytest

from lightrig.verify.series import (
    AZIMUTH_TOLERANCE_DEG,
    MIN_READINGS,
    SeriesReading,
    consistency,
)


def _reading(
    gid: str, azimuth: float | None, stops: float | None, kelvin: float | None
) -> SeriesReading:
    return SeriesReading(generation_id=gid, azimuth=azimuth, ratio_stops=stops, kelvin=kelvin)


def test_a_consistent_series_has_small_spreads_and_no_outlier() -> None:
    report = consistency(
        [
            _reading("a", -40.0, 2.0, 5600.0),
            _reading("b", -45.0, 2.2, 5500.0),
            _reading("c", -38.0, 1.9, 5700.0),
        ]
    )
    assert report.consistent
    assert report.outliers == []
    azimuth, ratio, colour = report.measures
    assert (azimuth.median, azimuth.spread) == (-40.0, 7.0)
    assert ratio.median == 2.0
    assert ratio.spread == pytest.approx(0.3)
    assert colour.unit == "mired"
    assert colour.spread == pytest.approx(1e6 / 5500 - 1e6 / 5700, abs=0.01)


def test_each_measure_names_its_outliers_in_series_order() -> None:
    report = consistency(
        [
            _reading("a", -40.0, 2.0, 5600.0),
            _reading("b", 35.0, 2.1, 5600.0),  # lit from the other side
            _reading("c", -42.0, 3.4, 5600.0),  # much harder contrast
            _reading("d", -39.0, 2.0, 3200.0),  # tungsten-warm
            _reading("e", -41.0, 1.9, 5500.0),
        ]
    )
    assert not report.consistent
    assert report.outliers == ["b", "c", "d"]
    by_name = {m.measure: m for m in report.measures}
    assert by_name["key azimuth"].outliers == ["b"]
    assert by_name["ratio"].outliers == ["c"]
    assert by_name["colour"].outliers == ["d"]


def test_azimuths_are_compared_round_the_circle() -> None:
    report = consistency(
        [
            _reading("a", 175.0, None, None),
            _reading("b", -178.0, None, None),
            _reading("c", 179.0, None, None),
        ]
    )
    azimuth = report.measures[0]
    assert azimuth.spread == pytest.approx(7.0)
    assert azimuth.outliers == []
    assert azimuth.spread < AZIMUTH_TOLERANCE_DEG


def test_too_few_readings_say_nothing_and_name_no_outlier() -> None:
    readings = [_reading("a", -40.0, 2.0, None), _reading("b", 60.0, 2.0, None)]
    assert len(readings) < MIN_READINGS
    report = consistency(readings)
    assert report.outliers == []
    assert not report.consistent  # too few to tell
    assert report.measures[2].read == 0
    assert report.measures[2].median is None
