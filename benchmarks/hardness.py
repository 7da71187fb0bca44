"""Where the shadow-hardness thresholds stand: the sharpness statistic on random setups.

The procedure :mod:`lightrig.verify.hardness` documents: random setups from
``benchmarks/verify.py``'s main-set generator (medium close-up, 85 mm; key and fill of random
direction, size and ratio), ``--per-seed`` of them from each of the seeded generators
``--seeds`` (11–14, 35 each: 140), rendered by the preview renderer at ``--size`` px with
``--supersample`` samples a pixel side (512 px, 2 × 2, as a picture is antialiased), encoded as
PNG and read by :func:`lightrig.verify.estimate_lighting` (which reads at most 320 px a side).
Each setup's truth is the analyzer's class from the key's apparent angle (under 10° hard, over
25° soft).

It prints the statistic's median by true class and how often its class is right under the
thresholds in force. ``--save`` writes every setup's reading (JSON); ``--compare`` reads such a
file made of the same setups on another tree (e.g. the bust before a change) and prints the
median of the paired differences (this run minus that one), the offset by which the thresholds
follow the renders, and the class accuracy with the thresholds moved by it.

    python benchmarks/hardness.py [--seeds 11 12 13 14] [--per-seed 35] [--size 512]
        [--supersample 2] [--save now.json] [--compare before.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from lightrig.lighting.softness import ShadowHardness
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import estimate_lighting
from lightrig.verify.hardness import HARD_ABOVE, SOFT_BELOW
from verify import _setup


def _class(value: float, hard_above: float, soft_below: float) -> ShadowHardness:
    """The class of a sharpness value under the given thresholds (as ``hardness.classify``)."""
    if value > hard_above:
        return ShadowHardness.HARD
    if value < soft_below:
        return ShadowHardness.SOFT
    return ShadowHardness.MEDIUM


def _accuracy(rows: list[dict[str, object]], hard_above: float, soft_below: float) -> str:
    """The share of read setups whose class is right, overall and by true class."""
    read = [r for r in rows if r["sharpness"] is not None]
    parts = []
    for label, subset in [("all", read)] + [
        (k.value, [r for r in read if r["truth"] == k.value]) for k in ShadowHardness
    ]:
        right = sum(
            _class(float(str(r["sharpness"])), hard_above, soft_below).value == r["truth"]
            for r in subset
        )
        parts.append(f"{label} {right}/{len(subset)}")
    return ", ".join(parts)


def _medians(rows: list[dict[str, object]]) -> str:
    parts = []
    for k in ShadowHardness:
        values = [float(str(r["sharpness"])) for r in rows if r["truth"] == k.value]
        if values:
            parts.append(f"{k.value} {statistics.median(values):.3f} (n={len(values)})")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13, 14])
    parser.add_argument("--per-seed", type=int, default=35)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--supersample", type=int, default=2)
    parser.add_argument("--save", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None)
    options = parser.parse_args()

    began = time.perf_counter()
    renderer = PreviewRenderer()
    rows: list[dict[str, object]] = []
    for seed in options.seeds:
        rng = np.random.default_rng(seed)
        for index in range(options.per_seed):
            request, truth = _setup(rng)
            picture = renderer.render(request, options.size, supersample=options.supersample)
            estimate = estimate_lighting(picture.png())
            value = estimate.hardness.sharpness if estimate.hardness is not None else None
            rows.append(
                {
                    "seed": seed,
                    "index": index,
                    "truth": truth.hardness.value,
                    "sharpness": value,
                }
            )
    values = [float(str(r["sharpness"])) for r in rows if r["sharpness"] is not None]
    print(f"{len(rows)} setups, {len(values)} read; median sharpness {np.median(values):.4f}")
    print(f"median by true class: {_medians([r for r in rows if r['sharpness'] is not None])}")
    in_force = _accuracy(rows, HARD_ABOVE, SOFT_BELOW)
    print(f"thresholds in force ({HARD_ABOVE} / {SOFT_BELOW}): right {in_force}")
    if options.save is not None:
        options.save.write_text(json.dumps(rows, indent=1))
    if options.compare is not None:
        before = {(r["seed"], r["index"]): r for r in json.loads(options.compare.read_text())}
        differences = []
        for row in rows:
            other = before.get((row["seed"], row["index"]))
            if other is None or other["sharpness"] is None or row["sharpness"] is None:
                continue
            if other["truth"] != row["truth"]:
                raise SystemExit("the compared file was made of other setups")
            differences.append(float(str(row["sharpness"])) - float(other["sharpness"]))
        offset = float(np.median(differences))
        quartiles = np.percentile(differences, [25, 75])
        print(
            f"paired differences (this run - {options.compare.name}), {len(differences)} setups: "
            f"median {offset:+.4f}, quartiles {quartiles[0]:+.4f} / {quartiles[1]:+.4f}"
        )
        old = [r for r in before.values() if r["sharpness"] is not None]
        then = _accuracy(old, HARD_ABOVE, SOFT_BELOW)
        print(f"{options.compare.name} under the thresholds in force: right {then}")
        hard, soft = HARD_ABOVE + offset, SOFT_BELOW + offset
        moved = _accuracy(rows, hard, soft)
        print(f"this run, thresholds moved by the offset ({hard:.4f} / {soft:.4f}): right {moved}")
    print(f"elapsed {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
