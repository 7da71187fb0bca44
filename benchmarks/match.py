"""How well ``lightrig match`` reproduces a picture's light, beside the simplest rule, in one run.

For each picture: read its light, build the matched setup (:func:`lightrig.verify.match`), and

* compare the matched key with the **truth** (the real set's strobe direction; the synthetic
  set's setup): key side right (side-lit pictures only: |azimuth| ≥ 10°), azimuth error median
  and 90th percentile (degrees; no match counts 180°);
* **render the matched setup and read it back**: the read-back's key side against the picture's
  reading (agreement), the azimuth difference between the two readings (median, p90) and the
  ratio difference (stops, median, p90) — does the matched setup look, to the same reader, like
  the picture?

The baseline, in the same run, is the simplest rule that gives a setup: "the key 45° round on
the brighter half's side, 30° up" (the side of the brighter half of the picture), scored
against the same truth.

**Real photographs** (``--data``, by default ``../shared/realfaces-dev`` when present: 168 × 192
greyscale faces under one strobe at a known direction, ``truth.json``; read with the estimator's
default display encoding), every ``--every``-th picture. **Synthetic**: ``--count`` random
portrait setups of ``benchmarks/verify.py``'s main set (seed ``--seed``), rendered 320 px 2 × 2.

Goals (issue 20): key side ≥ 98 % and azimuth error ≤ 12° median on the real set.

    python benchmarks/match.py [--every 4] [--count 40] [--data PATH]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lightrig.lighting.geometry import wrap_degrees
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import estimate_lighting
from lightrig.verify.match import UnmatchableError, match_estimate
from verify import _portrait  # the main set's generator, beside this script

ROOT = Path(__file__).resolve().parents[1]
SIDE_LIT_DEG = 10.0
GOALS = {"side": 0.98, "azimuth_median": 12.0}
_SIZE = 320


@dataclass(frozen=True)
class Outcome:
    """One picture matched: the truth, the matched key, the picture's and the read-back's
    readings (``None`` where nothing was read), and the baseline's key azimuth."""

    true_azimuth: float
    matched_azimuth: float | None
    read_azimuth: float | None
    back_azimuth: float | None
    read_stops: float | None
    back_stops: float | None
    baseline_azimuth: float


def _brighter_half_azimuth(data: bytes) -> float:
    grey = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float64)
    half = grey.shape[1] // 2
    left, right = float(grey[:, :half].mean()), float(grey[:, grey.shape[1] - half :].mean())
    return 45.0 if right >= left else -45.0


def _difference(a: float, b: float) -> float:
    return abs(wrap_degrees(a - b))


def _outcome(data: bytes, true_azimuth: float, renderer: PreviewRenderer) -> Outcome:
    estimate = estimate_lighting(data)
    baseline = _brighter_half_azimuth(data)
    read_stops = estimate.ratio.stops if estimate.ratio is not None else None
    read_azimuth = estimate.direction.azimuth if estimate.direction is not None else None
    try:
        matched = match_estimate(estimate)
    except UnmatchableError:
        return Outcome(true_azimuth, None, read_azimuth, None, read_stops, None, baseline)
    key = next(iter(matched.request.lighting_setup.values()))
    back = estimate_lighting(renderer.render(matched.request, _SIZE, supersample=2).png())
    return Outcome(
        true_azimuth=true_azimuth,
        matched_azimuth=key.azimuth,
        read_azimuth=read_azimuth,
        back_azimuth=back.direction.azimuth if back.direction is not None else None,
        read_stops=read_stops,
        back_stops=back.ratio.stops if back.ratio is not None else None,
        baseline_azimuth=baseline,
    )


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _summary(outcomes: list[Outcome]) -> dict[str, float]:
    side_lit = [o for o in outcomes if abs(o.true_azimuth) >= SIDE_LIT_DEG]

    def side_right(azimuth: float | None, truth: float) -> bool:
        return (
            azimuth is not None
            and abs(azimuth) >= 1.0
            and math.copysign(1, azimuth) == (math.copysign(1, truth))
        )

    errors = [
        180.0 if o.matched_azimuth is None else _difference(o.matched_azimuth, o.true_azimuth)
        for o in outcomes
    ]
    baseline = [_difference(o.baseline_azimuth, o.true_azimuth) for o in outcomes]
    pairs = [
        (o.read_azimuth, o.back_azimuth)
        for o in outcomes
        if o.read_azimuth is not None and o.back_azimuth is not None
    ]
    agree = [side_right(back, read) for read, back in pairs if abs(read) >= SIDE_LIT_DEG]
    turn = [_difference(back, read) for read, back in pairs]
    stops = [
        abs(o.back_stops - o.read_stops)
        for o in outcomes
        if o.back_stops is not None and o.read_stops is not None
    ]
    return {
        "n": len(outcomes),
        "side": statistics.mean(side_right(o.matched_azimuth, o.true_azimuth) for o in side_lit)
        if side_lit
        else float("nan"),
        "baseline_side": statistics.mean(
            math.copysign(1, o.baseline_azimuth) == math.copysign(1, o.true_azimuth)
            for o in side_lit
        )
        if side_lit
        else float("nan"),
        "az_median": _p(errors, 50),
        "az_p90": _p(errors, 90),
        "baseline_az_median": _p(baseline, 50),
        "baseline_az_p90": _p(baseline, 90),
        "back_agree": statistics.mean(agree) if agree else float("nan"),
        "back_az_median": _p(turn, 50),
        "back_az_p90": _p(turn, 90),
        "back_stops_median": _p(stops, 50),
        "back_stops_p90": _p(stops, 90),
    }


def _print(name: str, s: dict[str, float]) -> None:
    print(f"{name} ({s['n']:.0f} pictures)")
    print(
        f"  matched key vs truth: side {s['side']:.1%}, azimuth error median "
        f"{s['az_median']:.1f}° p90 {s['az_p90']:.1f}°"
    )
    print(
        f"  baseline (45° on the brighter half's side): side {s['baseline_side']:.1%}, azimuth "
        f"error median {s['baseline_az_median']:.1f}° p90 {s['baseline_az_p90']:.1f}°"
    )
    print(
        f"  the matched setup rendered and read back, against the picture's reading: side "
        f"agrees {s['back_agree']:.1%}, azimuth differs median {s['back_az_median']:.1f}° p90 "
        f"{s['back_az_p90']:.1f}°, ratio differs median {s['back_stops_median']:.2f} p90 "
        f"{s['back_stops_p90']:.2f} stops"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "realfaces-dev")
    parser.add_argument("--every", type=int, default=4)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()
    renderer = PreviewRenderer()

    truth = options.data / "truth.json"
    if truth.exists():
        items = json.loads(truth.read_text(encoding="utf-8"))["items"][:: options.every]
        real = [
            _outcome((options.data / item["file"]).read_bytes(), float(item["azimuth"]), renderer)
            for item in items
        ]
        summary = _summary(real)
        _print(f"real photographs ({options.data.name}, every {options.every})", summary)
        for label, value, goal, at_least in (
            ("key side", summary["side"], GOALS["side"], True),
            ("azimuth median", summary["az_median"], GOALS["azimuth_median"], False),
        ):
            met = value >= goal if at_least else value <= goal
            print(f"  goal {label}: {'met' if met else 'NOT met'}")
    else:
        print(f"real photographs: {truth} not found; skipped")

    rng = np.random.default_rng(options.seed)
    synthetic = []
    for _ in range(options.count):
        request, setup_truth = _portrait(rng)
        data = renderer.render(request, _SIZE, supersample=2).png()
        synthetic.append(_outcome(data, setup_truth.azimuth, renderer))
    _print(f"synthetic main set (seed {options.seed})", _summary(synthetic))


if __name__ == "__main__":
    main()
