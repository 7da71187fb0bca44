"""How alike the light is across a series: one setup on many subjects, each picture read back.

Each picture's light is read (:mod:`lightrig.verify`): the key's azimuth (degrees, + =
camera-right), the lit-to-shadow ratio (stops) and the light's colour (kelvin, compared in
mireds, where equal steps look equal). For each measure the series' median is the reference; the
spread is the largest minus the smallest reading (the azimuth's taken round the circle), and a
picture is an outlier when any of its readings lies further from the median than the measure's
tolerance: :data:`AZIMUTH_TOLERANCE_DEG`, :data:`RATIO_TOLERANCE_STOPS`,
:data:`COLOUR_TOLERANCE_MIRED`. A measure read on fewer than :data:`MIN_READINGS` pictures says
nothing of the series' consistency and names no outlier.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AZIMUTH_TOLERANCE_DEG",
    "COLOUR_TOLERANCE_MIRED",
    "MIN_READINGS",
    "RATIO_TOLERANCE_STOPS",
    "ConsistencyReport",
    "MeasureSpread",
    "SeriesReading",
    "consistency",
]

#: A key further round than this from the series' median reads as lit from elsewhere (degrees).
AZIMUTH_TOLERANCE_DEG = 15.0
#: A ratio further than this from the median reads as a different contrast (stops).
RATIO_TOLERANCE_STOPS = 0.5
#: A colour further than this from the median reads as a visible shift (mired; ~ a ¼ CTO).
COLOUR_TOLERANCE_MIRED = 20.0
#: The fewest readings of a measure that say anything about a series.
MIN_READINGS = 3


class SeriesReading(BaseModel):
    """One picture's light as read back; ``None`` where it could not be read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    generation_id: str
    azimuth: Annotated[float | None, Field(description="Key azimuth, degrees, + camera-right.")]
    ratio_stops: Annotated[float | None, Field(description="Lit to shadow side, stops.")]
    kelvin: Annotated[float | None, Field(description="The light's colour, kelvin.")]


class MeasureSpread(BaseModel):
    """One measure across the series: its median, spread, tolerance and the pictures beyond it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: Annotated[str, Field(description="key azimuth, ratio or colour.")]
    unit: Annotated[str, Field(description="degrees, stops or mired.")]
    read: Annotated[int, Field(ge=0, description="Pictures on which it was read.")]
    median: Annotated[float | None, Field(description="The series' median, in unit.")]
    spread: Annotated[float | None, Field(ge=0.0, description="Largest minus smallest, in unit.")]
    tolerance: Annotated[float, Field(gt=0.0, description="Furthest from the median allowed.")]
    outliers: Annotated[list[str], Field(description="Generation ids beyond the tolerance.")]


class ConsistencyReport(BaseModel):
    """The light across a series: per measure, and the pictures that stray (in series order)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    readings: list[SeriesReading]
    measures: list[MeasureSpread]
    outliers: Annotated[
        list[str], Field(description="Generation ids beyond the tolerance of any measure.")
    ]
    consistent: Annotated[
        bool, Field(description="No outlier, and every measure read on enough pictures.")
    ]


def _wrap(degrees: float) -> float:
    """An angle folded into (−180, 180] degrees."""
    folded = (degrees + 180.0) % 360.0 - 180.0
    return 180.0 if folded == -180.0 else folded


def _circular_median(angles: Sequence[float]) -> float:
    """The angle minimising the summed distance round the circle to ``angles`` (degrees),
    among the angles themselves."""
    return min(angles, key=lambda a: sum(abs(_wrap(b - a)) for b in angles))


def _measure(
    name: str,
    unit: str,
    tolerance: float,
    values: list[tuple[str, float]],
    *,
    distance: Callable[[float, float], float],
    centre: Callable[[Sequence[float]], float],
) -> MeasureSpread:
    if not values:
        return MeasureSpread(
            measure=name,
            unit=unit,
            read=0,
            median=None,
            spread=None,
            tolerance=tolerance,
            outliers=[],
        )
    numbers = [v for _, v in values]
    middle = centre(numbers)
    offsets = [distance(v, middle) for v in numbers]
    spread = max(offsets) - min(offsets)
    outliers = (
        [gid for (gid, _), off in zip(values, offsets, strict=True) if abs(off) > tolerance]
        if len(values) >= MIN_READINGS
        else []
    )
    return MeasureSpread(
        measure=name,
        unit=unit,
        read=len(values),
        median=round(middle, 3),
        spread=round(spread, 3),
        tolerance=tolerance,
        outliers=outliers,
    )


def consistency(readings: Sequence[SeriesReading]) -> ConsistencyReport:
    """The series' consistency report (see the module docstring)."""
    azimuths = [(r.generation_id, r.azimuth) for r in readings if r.azimuth is not None]
    ratios = [(r.generation_id, r.ratio_stops) for r in readings if r.ratio_stops is not None]
    mireds = [(r.generation_id, 1e6 / r.kelvin) for r in readings if r.kelvin]
    measures = [
        _measure(
            "key azimuth",
            "degrees",
            AZIMUTH_TOLERANCE_DEG,
            azimuths,
            distance=lambda v, m: _wrap(v - m),
            centre=_circular_median,
        ),
        _measure(
            "ratio",
            "stops",
            RATIO_TOLERANCE_STOPS,
            ratios,
            distance=lambda v, m: v - m,
            centre=statistics.median,
        ),
        _measure(
            "colour",
            "mired",
            COLOUR_TOLERANCE_MIRED,
            mireds,
            distance=lambda v, m: v - m,
            centre=statistics.median,
        ),
    ]
    strays = {gid for m in measures for gid in m.outliers}
    outliers = [r.generation_id for r in readings if r.generation_id in strays]
    enough = all(m.read >= MIN_READINGS for m in measures)
    return ConsistencyReport(
        readings=list(readings),
        measures=measures,
        outliers=outliers,
        consistent=enough and not outliers,
    )
