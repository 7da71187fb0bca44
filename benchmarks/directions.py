"""How many of the direction development set's phrases the direction parser reads as meant.

Reads ``tests/directions.py`` (phrases as photographers write them, with the azimuth and
elevation each means, or that it must be refused) with :func:`lightrig.parse_direction` and
prints the share read right beside the simplest rule that could do the job — "every phrase is
front, height unstated" — in the same run. A phrase is right when it is refused and must be, or
is read within 5° of both angles (an unstated height must stay unstated). ``--misses`` lists the
phrases read wrong.

    python benchmarks/directions.py [--misses]
"""

from __future__ import annotations

import argparse
import math
import runpy
from collections.abc import Callable
from pathlib import Path
from typing import cast

from lightrig.lighting.direction import Direction, DirectionError, parse_direction
from lightrig.lighting.geometry import wrap_degrees

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "directions.py"
TOLERANCE_DEG = 5.0
Phrase = tuple[str, float, float | None]

Reader = Callable[[str], Direction]


def _front(_: str) -> Direction:
    return Direction(azimuth=0.0, elevation=None)


def verdict(read: Reader, text: str, azimuth: float, elevation: float | None) -> tuple[bool, str]:
    """Whether ``read`` reads ``text`` as meant, and what it read."""
    try:
        got = read(text)
    except DirectionError:
        return math.isnan(azimuth), "refused"
    said = f"{got.azimuth:g}°, {'—' if got.elevation is None else f'{got.elevation:g}°'}"
    if math.isnan(azimuth):
        return False, said
    if abs(wrap_degrees(got.azimuth - azimuth)) > TOLERANCE_DEG:
        return False, said
    if elevation is None:
        return got.elevation is None, said
    return got.elevation is not None and abs(got.elevation - elevation) <= TOLERANCE_DEG, said


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the phrases read wrong")
    options = parser.parse_args()
    phrases = cast("tuple[Phrase, ...]", runpy.run_path(str(DEV_SET))["PHRASES"])
    print(f"{len(phrases)} phrases, {sum(math.isnan(a) for _, a, _ in phrases)} to be refused\n")
    print("| reader | read as meant |\n|---|---|")
    for name, read in (
        ("every phrase is front (baseline)", _front),
        ("parse_direction", parse_direction),
    ):
        right = [verdict(read, text, a, e)[0] for text, a, e in phrases]
        print(f"| {name} | {sum(right)} of {len(right)} ({100 * sum(right) / len(right):.1f} %) |")
    if options.misses:
        print()
        for text, azimuth, elevation in phrases:
            ok, said = verdict(parse_direction, text, azimuth, elevation)
            if not ok:
                meant = "refuse" if math.isnan(azimuth) else f"{azimuth:g}°, {elevation}"
                print(f"{text!r}: meant {meant}; read {said}")


if __name__ == "__main__":
    main()
