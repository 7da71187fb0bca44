"""Where the shadow-hardness thresholds stand: the sharpness statistic on random setups.

The procedure :mod:`lightrig.verify.hardness` documents: random setups from
``benchmarks/verify.py``'s main-set generator (medium close-up, 85 mm; key and fill of random
direction, size and ratio), ``--per-seed`` of them from each of the seeded generators
``--seeds`` (11–14, 35 each: 140), rendered by the preview renderer at ``--size`` px with
``--supersample`` samples a pixel side (512 px, 2 × 2, as a picture is antialiased), encoded as
PNG and read by :func:`lightrig.verify.estimate_lighting` (which reads at most 320 px a side).
Each setup's truth is the analyzer's class from the key's apparent angle (under 10° hard, over
25° soft).

It prints the statistic's median by true class, how often its class is right under the
thresholds in force, and how well it ranks the classes whatever the thresholds: for each pair of
true classes (hard over soft, hard over medium, medium over soft) the share of the pairs of setups,
one of each class, in which the harder one reads the higher statistic (ties count half; 0.5 is
chance, 1 a perfect ranking). The dev set is seeds 11–14; seeds 21 and 22 (``--seeds 21 22``) were
kept out of every choice as a held-out set.

``--sweep`` instead renders one head under one key without fill (``--sweep-azimuths``, 30° up,
1.5 m away) at key softness 0.05, 0.25, 0.5 and 0.9 (apparent angles about 2.5°, 12.6°, 25.5° and
48°) and prints the statistic for each: what the picture itself shows as only the source's size
changes. The preview renderer gives the key's light the cosine of its centre's direction (the
``cos_in`` of ``render/kernel.py``), so a terminator — the edge of an attached shadow, most of the
face's strong shadow edges — is drawn the same under every source size; only cast shadows get a
penumbra. ``--save`` writes every setup's reading (JSON); ``--compare`` reads such a
file made of the same setups on another tree (e.g. the bust before a change) and prints the
median of the paired differences (this run minus that one), the offset by which the thresholds
follow the renders, and the class accuracy with the thresholds moved by it.

    python benchmarks/hardness.py [--seeds 11 12 13 14] [--per-seed 35] [--size 512]
        [--supersample 2] [--save now.json] [--compare before.json]
    python benchmarks/hardness.py --sweep [--sweep-azimuths 20 45]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from lightrig.lighting.softness import ShadowHardness, apparent_angle
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import estimate_lighting
from lightrig.verify.hardness import HARD_ABOVE, SOFT_BELOW
from verify import Draw, Framing, _request, _setup


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


#: The classes in order of hardness, and the pairs whose ranking is printed.
_ORDER = [ShadowHardness.HARD, ShadowHardness.MEDIUM, ShadowHardness.SOFT]
_PAIRS = [(0, 2), (0, 1), (1, 2)]
_SWEEP_SOFTNESS = (0.05, 0.25, 0.5, 0.9)


def _separation(rows: list[dict[str, object]]) -> str:
    """For each pair of true classes, the share (0–1) of cross-class pairs of setups in which
    the harder one reads the higher statistic, ties counting half (0.5: chance)."""
    parts = []
    for harder, softer in _PAIRS:
        high = [float(str(r["sharpness"])) for r in rows if r["truth"] == _ORDER[harder].value]
        low = [float(str(r["sharpness"])) for r in rows if r["truth"] == _ORDER[softer].value]
        if not high or not low:
            continue
        above = sum((h > v) + 0.5 * (h == v) for h in high for v in low)
        parts.append(
            f"{_ORDER[harder].value} > {_ORDER[softer].value} {above / (len(high) * len(low)):.2f}"
        )
    return ", ".join(parts)


def _sweep(renderer: PreviewRenderer, azimuths: list[float], size: int, supersample: int) -> None:
    """One head under one key without fill, the key's softness swept (see the docstring)."""
    for azimuth in azimuths:
        for softness in _SWEEP_SOFTNESS:
            draw = Draw(
                key_azimuth=azimuth,
                key_elevation=30.0,
                key_distance=1.5,
                key_softness=softness,
                kelvin=5600.0,
                fill_azimuth=-30.0,
                fill_elevation=0.0,
                fill_distance=2.0,
                fill_softness=0.8,
                target_stops=3.0,
                backdrop="#606060",
            )
            request = _request(draw, Framing(), 0.0)
            key = request.rig().key()
            if key is None:
                raise RuntimeError("the sweep's setup lost its key")
            picture = renderer.render(request, size, supersample=supersample)
            estimate = estimate_lighting(picture.png())
            reading = estimate.hardness
            read = (
                "not read"
                if reading is None
                else f"{reading.sharpness:.3f} ({reading.hardness.value})"
            )
            angle = apparent_angle(key.size, key.distance)
            print(f"key at {azimuth:+.0f}°, softness {softness:.2f} ({angle:4.1f}°): {read}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13, 14])
    parser.add_argument("--per-seed", type=int, default=35)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--supersample", type=int, default=2)
    parser.add_argument("--save", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--sweep-azimuths", type=float, nargs="+", default=[20.0, 45.0])
    options = parser.parse_args()

    began = time.perf_counter()
    renderer = PreviewRenderer()
    if options.sweep:
        _sweep(renderer, options.sweep_azimuths, options.size, options.supersample)
        print(f"elapsed {time.perf_counter() - began:.0f} s")
        return
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
    ranking = _separation([r for r in rows if r["sharpness"] is not None])
    print(f"ranking (share of cross-class pairs ordered rightly): {ranking}")
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
