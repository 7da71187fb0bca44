"""Confidences that mean what they say: the raw confidences of the readings mapped to how often
such a reading is right.

The readings (:mod:`lightrig.verify.readings`) score their certainty from the fit — how surely it
places the key, how much the key stands out, how much the model explains — on a scale of their
own. Here each is mapped, monotonically, to the share of readings with that raw confidence that
were right on a calibration pool, so that a key side given with confidence 0.8 is right about
80 % of the time:

* the **key's side** when it names one (camera-left or camera-right): right when it is the true
  side — on a head turned :data:`TURNED_DEG` or more from the camera separately, where a named
  side was right 90 % of the time on renders against 98 % on frontal faces; "front" separately
  (right when the key is within the front band, or at its edge); "ambiguous" is no answer and
  keeps its raw confidence;
* the key's **direction**: right when it lies within 15° of the true one.

The maps were fitted by isotonic regression (pool-adjacent-violators) on a pool no benchmark
reports: the real photographs of the tuning half of the development set's subjects (every
second subject from the first; ``benchmarks/verify_real.py`` reports the other half apart) and
renders of ``benchmarks/verify.py``'s main, JPEG, turned-head and framing sets drawn with seed 7
(the benchmarks use 2026; the turned heads' map on that seed's 40 turned heads alone) — then
thinned to a few knots and interpolated linearly between them.
The pool's side-naming answers were right 98 % of the time at almost every raw confidence above
0.18, so most named sides come out near 0.98: the raw scale orders them hardly at all, and the
calibrated confidence says so rather than spread them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from lightrig.verify.models import DirectionEstimate, KeySide, KeySideEstimate

__all__ = [
    "DIRECTION_KNOTS",
    "FRONT_KNOTS",
    "SIDE_KNOTS",
    "TURNED_DEG",
    "TURNED_SIDE_KNOTS",
    "calibrate",
    "calibrated_readings",
]

Knots = Sequence[tuple[float, float]]

#: Raw confidence → share right, for a named side (camera-left or camera-right).
SIDE_KNOTS: Knots = ((0.0, 0.5), (0.16, 0.6), (0.2, 0.97), (0.5, 0.985), (0.6, 0.99), (1.0, 0.995))
#: … for a named side on a head turned at least TURNED_DEG (fitted on 40 renders of turned
#: heads: right on 85 % of raw confidences 0.3–0.5, 94 % of 0.5–0.7, all above).
TURNED_SIDE_KNOTS: Knots = ((0.0, 0.5), (0.3, 0.8), (0.45, 0.85), (0.6, 0.93), (1.0, 0.97))
TURNED_DEG = 10.0
#: … for "front".
FRONT_KNOTS: Knots = ((0.0, 0.2), (0.35, 0.4), (0.55, 0.83), (0.65, 0.95), (1.0, 0.97))
#: … for the direction within 15° of the truth.
DIRECTION_KNOTS: Knots = (
    (0.0, 0.05),
    (0.28, 0.5),
    (0.36, 0.7),
    (0.5, 0.79),
    (0.6, 0.85),
    (0.8, 0.9),
    (0.93, 0.95),
    (1.0, 0.97),
)


def calibrate(raw: float, knots: Knots) -> float:
    """``raw`` (0–1) mapped through ``knots`` (raw, share right; raw ascending), linearly
    between them and held flat beyond the ends."""
    xs = [x for x, _ in knots]
    if raw <= xs[0]:
        return knots[0][1]
    if raw >= xs[-1]:
        return knots[-1][1]
    i = bisect_right(xs, raw)
    (x0, y0), (x1, y1) = knots[i - 1], knots[i]
    return y0 + (y1 - y0) * (raw - x0) / (x1 - x0)


def calibrated_readings(
    direction: DirectionEstimate | None, side: KeySideEstimate | None, yaw: float | None = None
) -> tuple[DirectionEstimate | None, KeySideEstimate | None]:
    """The direction and side with their raw confidences replaced by calibrated ones; ``yaw``:
    degrees the head is turned from the camera, when known."""
    if direction is not None:
        value = round(calibrate(direction.confidence, DIRECTION_KNOTS), 3)
        direction = direction.model_copy(update={"confidence": value})
    if side is not None and side.side is not KeySide.AMBIGUOUS:
        turned = yaw is not None and abs(yaw) >= TURNED_DEG
        knots = (
            FRONT_KNOTS
            if side.side is KeySide.FRONT
            else TURNED_SIDE_KNOTS
            if turned
            else SIDE_KNOTS
        )
        side = side.model_copy(update={"confidence": round(calibrate(side.confidence, knots), 3)})
    return direction, side
