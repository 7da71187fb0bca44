"""Whether the rating ranks setups as a photographer would.

Reads ``tests/rating_verdicts.py`` (30 setups written before the rating was reworked, each with a
photographer's verdict — good, flawed or bad — and the reason) and rates each with three raters
in the same run:

* **rule** (the baseline): the simplest rule that could do the job, ``10 − 2·|stops − 1.6|``
  kept within 1–10 — the closer the lit-to-shadow ratio to the everyday 3:1, the better;
* **yesterday**: a frozen copy of the rating as it was before issue 16's rework (five components
  scored with steps: contrast 3, colour 2, shadow quality 2, separation 1.5, key placement 1.5);
* **rating**: :class:`lightrig.LightingAnalyzer`'s rating as it is now.

For each it prints the ratings of each group (min / median / max), whether every good setup
rates above every bad one (and how many good–bad pairs are out of order), the Spearman rank
correlation between the rating and the verdict order (good 3, flawed 2, bad 1; ties take average
ranks), and the 15 presets' ratings with their spread. Goals for the rating: every good above
every bad, Spearman ≥ 0.8. ``--list`` prints each setup with its verdict, its ratings and the
rating's weakest component's reason; ``--json`` prints the figures as one JSON object.

    python benchmarks/rating.py [--list] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import runpy
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.patterns import Pattern, TonalKey
from lightrig.lighting.reading import Reading, read
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "rating_verdicts.py"
ORDER = {"good": 3, "flawed": 2, "bad": 1}
GOAL_SPEARMAN = 0.8

Rater = Callable[[SceneRequest, Reading], float]


# --- the baseline rule ---------------------------------------------------------------------------


def rule(_: SceneRequest, reading: Reading) -> float:
    """``10 − 2·|stops − 1.6|`` within 1–10: the nearer 3:1, the better."""
    return min(10.0, max(1.0, round(10.0 - 2.0 * abs(reading.measurements.stops - 1.6), 1)))


# --- yesterday's rating, frozen (src/lightrig/lighting/rating.py before issue 16's rework) -------

_Y_ACCENTS = (LightType.RIM, LightType.KICKER, LightType.HAIR, LightType.BACKGROUND)
_Y_SOFTNESS = (ShadowHardness.HARD, ShadowHardness.MEDIUM, ShadowHardness.SOFT)
_Y_BANDS: dict[Pattern, tuple[float, float]] = {
    Pattern.BUTTERFLY: (1.0, 2.5),
    Pattern.CLAMSHELL: (0.3, 1.5),
    Pattern.LOOP: (1.0, 2.5),
    Pattern.REMBRANDT: (1.5, 3.0),
    Pattern.SPLIT: (1.5, 4.0),
    Pattern.FLAT: (0.0, 1.0),
    Pattern.CROSS: (0.0, 1.5),
    Pattern.TOP_LIGHT: (1.0, 3.0),
    Pattern.UNDER_LIGHT: (1.0, 3.0),
}


def _y_contrast(r: Reading) -> float:
    m = r.measurements
    pattern = r.pattern.pattern
    if pattern is Pattern.SILHOUETTE:
        return 3.0
    if pattern is Pattern.RIM_LIT:
        return 1.5 if m.lit <= 0.0 else 3.0
    low, high = (
        (0.0, 1.3)
        if r.tonal_key is TonalKey.HIGH
        else (2.0, 5.0)
        if r.tonal_key is TonalKey.LOW
        else _Y_BANDS[pattern]
    )
    outside = max(0.0, low - m.stops, m.stops - high)
    return round(max(0.0, 3.0 - 1.5 * outside), 2)


def _y_colour(r: Reading) -> float:
    c = r.colour
    if c.consistency is ColourConsistency.MATCHED:
        return 2.0
    if c.consistency is ColourConsistency.SLIGHT_MIX:
        return 1.5
    key = r.measurements.key
    if c.consistency is ColourConsistency.DELIBERATE_MIX and key is not None:
        off = [lt for lt in c.lights if abs(lt.mired - key.mired) > 25.0]
        return 2.0 if all(lt.role in _Y_ACCENTS for lt in off) else 1.0
    return 0.75


def _y_shadows(r: Reading) -> float:
    pattern = r.pattern.pattern
    softish = {ShadowHardness.SOFT, ShadowHardness.MEDIUM}
    if r.tonal_key is TonalKey.HIGH:
        preferred: set[ShadowHardness] = softish
    elif r.tonal_key is TonalKey.LOW or pattern not in (
        Pattern.CLAMSHELL,
        Pattern.LOOP,
        Pattern.FLAT,
    ):
        preferred = set(ShadowHardness)
    elif pattern is Pattern.FLAT:
        preferred = {ShadowHardness.SOFT}
    else:
        preferred = softish
    if r.hardness in preferred:
        return 2.0
    steps = min(abs(_Y_SOFTNESS.index(r.hardness) - _Y_SOFTNESS.index(p)) for p in preferred)
    return 1.0 if steps == 1 else 0.5


def _y_separation(r: Reading) -> float:
    m = r.measurements
    if r.pattern.pattern in (Pattern.SILHOUETTE, Pattern.RIM_LIT):
        return 1.5
    accents = [
        x
        for x in m.lights
        if x.light.role in _Y_ACCENTS[:3] and x.facing > 0.0 and x.facing >= m.key_facing / 16.0
    ]
    return 1.5 if accents or m.backdrop_stops >= -1.5 else 0.5


def _y_key_placement(r: Reading) -> float:
    m = r.measurements
    key = m.key
    if key is None:
        return 0.5
    if any(
        x.light is not key
        and x.light.role in (LightType.FILL, LightType.AMBIENT)
        and x.facing > m.key_facing
        for x in m.lights
    ):
        return 0.5
    if r.pattern.pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return 1.5
    if key.elevation < 0.0:
        return 0.5
    if r.pattern.pattern is Pattern.SPLIT and key.elevation <= 40.0:
        return 1.5
    return 1.0 if key.elevation < 10.0 or key.elevation > 60.0 else 1.5


def yesterday(_: SceneRequest, reading: Reading) -> float:
    """The rating before issue 16's rework, frozen here."""
    parts = (_y_contrast, _y_colour, _y_shadows, _y_separation, _y_key_placement)
    return min(10.0, max(1.0, round(sum(part(reading) for part in parts), 1)))


# --- today's rating ------------------------------------------------------------------------------

_ANALYZER = LightingAnalyzer()


def rating(request: SceneRequest, reading: Reading) -> float:
    """The analyzer's rating as it is now."""
    return _ANALYZER.analyze(request, reading).rating


RATERS: tuple[tuple[str, Rater], ...] = (
    ("rule (baseline)", rule),
    ("yesterday", yesterday),
    ("rating", rating),
)


# --- statistics ----------------------------------------------------------------------------------


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the average ranks (0 if either is
    constant)."""
    rx, ry = average_ranks(xs), average_ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0.0 or syy == 0.0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


@dataclass(frozen=True, slots=True)
class Figures:
    """One rater's figures on the verdict set and the presets."""

    name: str
    groups: dict[str, tuple[float, float, float]]
    good_over_bad: bool
    pairs_out_of_order: int
    spearman: float
    presets: dict[str, float]

    @property
    def preset_spread(self) -> tuple[float, float, float]:
        values = list(self.presets.values())
        return min(values), max(values), statistics.pstdev(values)

    def as_json(self) -> dict[str, Any]:
        low, high, std = self.preset_spread
        return {
            "groups": {
                g: dict(zip(("min", "median", "max"), v, strict=True))
                for g, v in self.groups.items()
            },
            "every_good_over_every_bad": self.good_over_bad,
            "good_bad_pairs_out_of_order": self.pairs_out_of_order,
            "spearman": round(self.spearman, 3),
            "presets": self.presets,
            "preset_min": low,
            "preset_max": high,
            "preset_std": round(std, 2),
            "presets_at_10": sum(v >= 10.0 for v in self.presets.values()),
        }


def figures(
    name: str,
    rater: Rater,
    setups: Sequence[tuple[dict[str, Any], SceneRequest, Reading]],
    presets: Sequence[tuple[str, SceneRequest, Reading]],
) -> tuple[Figures, list[float]]:
    """A rater's figures, and its rating of each setup in order."""
    ratings = [rater(request, reading) for _, request, reading in setups]
    verdicts = [str(setup["verdict"]) for setup, _, _ in setups]
    groups = {}
    for group in ORDER:
        values = [r for r, v in zip(ratings, verdicts, strict=True) if v == group]
        groups[group] = (min(values), statistics.median(values), max(values))
    good = [r for r, v in zip(ratings, verdicts, strict=True) if v == "good"]
    bad = [r for r, v in zip(ratings, verdicts, strict=True) if v == "bad"]
    out_of_order = sum(g <= b for g in good for b in bad)
    return (
        Figures(
            name=name,
            groups=groups,
            good_over_bad=out_of_order == 0,
            pairs_out_of_order=out_of_order,
            spearman=spearman(ratings, [float(ORDER[v]) for v in verdicts]),
            presets={n: rater(request, reading) for n, request, reading in presets},
        ),
        ratings,
    )


def load_setups() -> list[dict[str, Any]]:
    """The verdict set, as written in ``tests/rating_verdicts.py``."""
    return list(cast("tuple[dict[str, Any], ...]", runpy.run_path(str(DEV_SET))["SETUPS"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every setup's ratings")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()

    setups = []
    for setup in load_setups():
        request = SceneRequest.model_validate(setup["request"])
        setups.append((setup, request, read(request.rig())))
    presets = []
    for name, preset in PRESETS.items():
        request = preset.request()
        presets.append((name, request, read(request.rig())))
    results = [figures(name, rater, setups, presets) for name, rater in RATERS]

    if options.json:
        print(json.dumps({f.name: f.as_json() for f, _ in results}, ensure_ascii=False))
        return

    counts = {g: sum(s["verdict"] == g for s, _, _ in setups) for g in ORDER}
    print(
        f"{len(setups)} setups: {counts['good']} good, {counts['flawed']} flawed, "
        f"{counts['bad']} bad; goals: every good over every bad, Spearman ≥ {GOAL_SPEARMAN}\n"
    )
    print(
        "| rater | good (min / median / max) | flawed | bad | every good > every bad "
        "| Spearman |\n|---|---|---|---|---|---|"
    )
    for f, _ in results:
        cells = [" / ".join(f"{v:.1f}" for v in f.groups[g]) for g in ORDER]
        order = "yes" if f.good_over_bad else f"no ({f.pairs_out_of_order} of 100 pairs)"
        print(f"| {f.name} | {' | '.join(cells)} | {order} | {f.spearman:.2f} |")

    print("\n| preset | " + " | ".join(f.name for f, _ in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in PRESETS:
        print(f"| `{name}` | " + " | ".join(f"{f.presets[name]:.1f}" for f, _ in results) + " |")
    for label, index in (("min", 0), ("max", 1), ("std", 2)):
        print(
            f"| *{label}* | "
            + " | ".join(f"{f.preset_spread[index]:.2f}" for f, _ in results)
            + " |"
        )
    print(
        "| *at 10* | "
        + " | ".join(str(sum(v >= 10.0 for v in f.presets.values())) for f, _ in results)
        + " |"
    )

    if options.list:
        print()
        for i, (setup, request, reading) in enumerate(setups):
            analysis = _ANALYZER.analyze(request, reading)
            weakest = min(analysis.rating_components, key=lambda c: c.score / c.max_score)
            said = " · ".join(f"{r[i]:.1f}" for _, r in results)
            print(
                f"{setup['verdict']:6} {said}  {setup['name']}\n"
                f"       {weakest.name} {weakest.score:g}/{weakest.max_score:g}: "
                f"{weakest.reason}"
            )


if __name__ == "__main__":
    main()
