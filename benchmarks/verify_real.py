"""How well the light estimator reads real photographs, beside two baselines, in one run.

Four ways of reading a picture are compared on the very same files:

* **brighter-half rule** — "the key is on the brighter half of the picture": the mean luminance of
  the picture's right half against its left half (the middle column of an odd width is left out).
  It gives a side only, never angles, so its angle columns are "—";
* **today's estimator** — :func:`lightrig.verify.estimate_lighting` with ``method="classical"``
  (skin colour and a generic head) and the default display encoding;
* **new estimator** — ``method="auto"`` (a face-landmark model when one is installed and finds the
  face, else the classical path) with the default assumption that the picture is display-encoded
  (sRGB with a filmic tone curve);
* **new estimator told the truth** — ``method="auto"`` with ``encoding="linear"``: the real
  photographs below are linear (pixel values proportional to light), which the default does not
  assume.

**Real photographs** (``--data``, by default ``../shared/realfaces-dev`` beside the repository):
faces lit by one strobe at a known direction, listed in ``truth.json`` (the cropped Extended Yale
Face Database B: 168 × 192 greyscale, frontal pose, one strobe per picture). The truth of each
figure:

* **key side right**: over the side-lit pictures only (truth ``key_side`` camera-left or
  camera-right, i.e. |azimuth| ≥ 10°); right when the answer is that side. No answer, "front"
  and "ambiguous" count as wrong.
* **azimuth error**: |estimated − true azimuth| (lightrig's convention, + = camera-right, folded
  into 0–180°), median and 90th percentile over all pictures read; a missing direction counts as
  180°.
* **elevation error**: |estimated − true elevation| (degrees above the eyes); missing counts as 90°.
* **ms per picture**: the median wall time of one ``estimate_lighting`` call given the PNG's bytes
  (for the rule: decoding the same bytes and comparing the halves). Each way is warmed up once
  first.
* **by landmarks**: share of the pictures whose subject was found by the face model
  (``subject.method == "landmarks"``).

The same table is printed again for the **held-out half** of the subjects: the distinct subjects
sorted by name, every second one from the second on (``subjects[1::2]``); the others
(``subjects[::2]``) were the ones the estimator was tuned on.

**Reliability** (calibration) of the new estimator with the default encoding: its answers grouped
by their confidence (bins [0, 0.5), [0.5, 0.8), [0.8, 1.0]) — for each bin the number of answers,
the share that is right and the mean confidence; a well-calibrated estimator's share right is
close to its mean confidence. For the key side, over the side-lit pictures (no answer counts as
confidence 0 and wrong); for the direction, over all pictures, right meaning the estimated
direction lies within 15° (the angle between the two unit vectors) of the true one.

**Synthetic sets**: the sets of ``benchmarks/verify.py`` — its main set (``--count`` setups), the
main set's pictures as JPEG (quality 90), other framings, a turned head and a coloured backdrop
(``--variant-count`` each), with the same seeds, so the same renders — each picture rendered once
and read by today's estimator and by the new one. Truths and columns are verify.py's (see its
docstring): key side, azimuth error median / p90, elevation error median, the lighting ratio
against the render's own ratio (image) and the analyzer's, colour within ±25 mired, the hardness
class, milliseconds per estimate and that time over the picture's render time. The new
estimator's key-side reliability on the main set and on the turned heads follows (every setup
counts; right as in verify.py).

**Speed by picture size**: one real picture (the first with azimuth −35° and elevation 15°) and a
render of the Rembrandt preset (rendered once at 2048 pixels, as 4096, the renderer's limit, takes
far longer; the 4096-pixel picture is an enlargement), resized with Pillow's Lanczos filter to a
longest side of 96, 192 (the real picture's own size), 256, 512, 1024, 2048 and 4096 pixels and
encoded as PNG. For each size and method: one untimed call, then the median of 5 timed
``estimate_lighting(bytes)`` calls (default encoding; the two methods' calls alternate, so a change
in the machine's load weighs on both alike), and the ratio new / today.

**First picture in a process**: for each method, three fresh Python processes each import
``lightrig.verify`` and read the native real picture once (a 192-pixel copy of the render when
there are no real photographs); the medians of the import time, of that first estimate and of the
whole process's wall time.

**Goals**: real photographs, new estimator with either encoding: key side ≥ 99 %, azimuth median
≤ 10°, azimuth p90 ≤ 25°, elevation median ≤ 12° (on all pictures read, and on the held-out half);
synthetic main set, new estimator: key side ≥ 98 %, ratio within ±0.5 stop ≥ 90 %, colour within
±25 mired ≥ 90 %; head turned: key side ≥ 90 %; time: the new estimator no slower than today's at
every size (new / today ≤ 1), with the worst ratio.

    python benchmarks/verify_real.py [--data DIR] [--count 200] [--variant-count 40]
        [--seed 2026] [--every 1] [--skip-synthetic] [--skip-speed]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lightrig import get_preset
from lightrig.lighting.geometry import wrap_degrees
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import KeySide, LightingEstimate, estimate_lighting
from verify import (
    JPEG_QUALITY,
    Case,
    Truth,
    _coloured,
    _framed,
    _portrait,
    _row,
    _setup,
    _side_truth,
    _turned,
    run_set,
    summarise,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realfaces-dev"
#: Confidence bins of the reliability tables; the last one includes 1.0.
BINS = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.0))
#: A direction within this angle of the truth counts as right in the reliability table.
DIRECTION_RIGHT_DEG = 15.0
REAL_GOALS = {"side": 0.99, "az_median": 10.0, "az_p90": 25.0, "el_median": 12.0}
SYNTHETIC_GOALS = {"side": 0.98, "ratio": 0.90, "colour": 0.90, "turned_side": 0.90}
#: Longest sides of the speed test (192: the real photographs' own size).
SPEED_SIZES = (96, 192, 256, 512, 1024, 2048, 4096)
SPEED_RENDER_SIZE = 2048
SPEED_REPEATS = 5
FIRST_PICTURE_RUNS = 3
SPEED_AZIMUTH, SPEED_ELEVATION = -35.0, 15.0
#: The two methods compared on synthetic renders and for speed: today's, then the new one.
METHODS = (("today", "classical"), ("new", "auto"))
#: Run in a fresh interpreter: import time, first estimate's time (argv: picture path, method).
FIRST_PICTURE = """
import sys, time
start = time.perf_counter()
import lightrig.verify
imported = time.perf_counter()
data = open(sys.argv[1], "rb").read()
begin = time.perf_counter()
lightrig.verify.estimate_lighting(data, method=sys.argv[2])
print(imported - start, time.perf_counter() - begin)
"""


def _print(text: str = "") -> None:
    print(text, flush=True)


# --- real photographs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One real photograph and the true direction of its light."""

    file: str
    azimuth: float
    elevation: float
    key_side: str
    subject: str


@dataclass(frozen=True)
class Answer:
    """What one way of reading said about one picture."""

    side: KeySide | None
    side_confidence: float
    azimuth: float | None
    elevation: float | None
    direction_confidence: float
    landmarks: bool


@dataclass(frozen=True)
class Reading:
    """One picture read one way."""

    item: Item
    answer: Answer
    seconds: float


@dataclass(frozen=True)
class Way:
    """A way of reading a picture: the brighter-half rule (no method) or the estimator."""

    label: str
    method: str | None = None
    encoding: str = "display"

    @property
    def angles(self) -> bool:
        return self.method is not None


def load_truth(folder: Path) -> list[Item]:
    data = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return [
        Item(
            file=str(entry["file"]),
            azimuth=float(entry["azimuth"]),
            elevation=float(entry["elevation"]),
            key_side=str(entry["key_side"]),
            subject=str(entry["subject"]),
        )
        for entry in data["items"]
    ]


def brighter_half(data: bytes) -> Answer:
    """The brighter-half rule: the key stands on the side of the brighter half of the picture."""
    grey = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float64)
    half = grey.shape[1] // 2
    left, right = float(grey[:, :half].mean()), float(grey[:, grey.shape[1] - half :].mean())
    if right > left:
        side = KeySide.CAMERA_RIGHT
    elif left > right:
        side = KeySide.CAMERA_LEFT
    else:
        side = KeySide.AMBIGUOUS
    return Answer(side, 1.0, None, None, 0.0, landmarks=False)


def answer_of(estimate: LightingEstimate) -> Answer:
    side, direction = estimate.key_side, estimate.direction
    return Answer(
        side=side.side if side is not None else None,
        side_confidence=side.confidence if side is not None else 0.0,
        azimuth=direction.azimuth if direction is not None else None,
        elevation=direction.elevation if direction is not None else None,
        direction_confidence=direction.confidence if direction is not None else 0.0,
        landmarks=estimate.subject.method == "landmarks",
    )


def read_with(way: Way, data: bytes) -> tuple[Answer, float]:
    """Read ``data`` (PNG bytes) ``way``; the seconds cover that call only."""
    start = time.perf_counter()
    if way.method is None:
        answer = brighter_half(data)
        return answer, time.perf_counter() - start
    estimate = estimate_lighting(data, encoding=way.encoding, method=way.method)
    seconds = time.perf_counter() - start
    return answer_of(estimate), seconds


def _unit(azimuth: float, elevation: float) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    a, e = math.radians(azimuth), math.radians(elevation)
    return np.array([math.sin(a) * math.cos(e), math.sin(e), math.cos(a) * math.cos(e)])


def angle_between(az1: float, el1: float, az2: float, el2: float) -> float:
    """Degrees between two directions given as azimuth and elevation."""
    cosine = float(np.clip(_unit(az1, el1) @ _unit(az2, el2), -1.0, 1.0))
    return math.degrees(math.acos(cosine))


def _side_right(reading: Reading) -> bool:
    return reading.answer.side is not None and reading.answer.side == KeySide(reading.item.key_side)


def summarise_real(readings: Sequence[Reading]) -> dict[str, float]:
    side_lit = [r for r in readings if r.item.key_side != "center"]
    azimuth, elevation = [], []
    for r in readings:
        a, t = r.answer, r.item
        if a.azimuth is None or a.elevation is None:
            azimuth.append(180.0)
            elevation.append(90.0)
        else:
            azimuth.append(abs(wrap_degrees(a.azimuth - t.azimuth)))
            elevation.append(abs(a.elevation - t.elevation))
    nan = float("nan")
    return {
        "n": float(len(readings)),
        "n_side": float(len(side_lit)),
        "side": sum(map(_side_right, side_lit)) / len(side_lit) if side_lit else nan,
        "az_median": statistics.median(azimuth) if azimuth else nan,
        "az_p90": float(np.percentile(azimuth, 90)) if azimuth else nan,
        "el_median": statistics.median(elevation) if elevation else nan,
        "el_p90": float(np.percentile(elevation, 90)) if elevation else nan,
        "ms_median": statistics.median(r.seconds * 1000.0 for r in readings) if readings else nan,
        "landmarks": sum(r.answer.landmarks for r in readings) / len(readings) if readings else nan,
    }


REAL_HEADER = (
    "| way | pictures read | side-lit | key side right | az error median | az error p90 | "
    "el error median | el error p90 | ms per picture median | by landmarks |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def _real_row(way: Way, s: dict[str, float]) -> str:
    if way.angles:
        angles = (
            f"{s['az_median']:.1f}° | {s['az_p90']:.1f}° | {s['el_median']:.1f}° | "
            f"{s['el_p90']:.1f}°"
        )
        landmarks = f"{100 * s['landmarks']:.1f} %"
    else:
        angles, landmarks = "— | — | — | —", "—"
    return (
        f"| {way.label} | {s['n']:.0f} | {s['n_side']:.0f} | {100 * s['side']:.1f} % | {angles} | "
        f"{s['ms_median']:.1f} | {landmarks} |"
    )


def run_real(folder: Path, items: Sequence[Item], ways: Sequence[Way]) -> dict[Way, list[Reading]]:
    """Read every picture every way (interleaved, so drifts in the machine's speed hit all)."""
    first = (folder / items[0].file).read_bytes()
    for way in ways:
        read_with(way, first)  # warm up: imports, compiled kernels, the face model
    readings: dict[Way, list[Reading]] = {way: [] for way in ways}
    for index, item in enumerate(items, start=1):
        data = (folder / item.file).read_bytes()
        for way in ways:
            answer, seconds = read_with(way, data)
            readings[way].append(Reading(item, answer, seconds))
        if index % 100 == 0:
            print(f"  … {index} of {len(items)} pictures", file=sys.stderr, flush=True)
    return readings


# --- reliability ------------------------------------------------------------------------------


def calibration(
    pairs: Sequence[tuple[float, bool]],
) -> list[tuple[float, float, int, float, float]]:
    """Per confidence bin: low, high, answers, share right, mean confidence (NaN when empty)."""
    rows = []
    for index, (low, high) in enumerate(BINS):
        last = index == len(BINS) - 1
        inside = [
            (confidence, right)
            for confidence, right in pairs
            if low <= confidence < high or (last and confidence == high)
        ]
        if inside:
            share = sum(right for _, right in inside) / len(inside)
            mean = statistics.fmean(confidence for confidence, _ in inside)
        else:
            share = mean = float("nan")
        rows.append((low, high, len(inside), share, mean))
    return rows


def print_calibration(title: str, pairs: Sequence[tuple[float, bool]]) -> None:
    _print(f"\n{title}\n")
    _print("| confidence | answers | share right | mean confidence |")
    _print("|---|---|---|---|")
    for low, high, count, share, mean in calibration(pairs):
        bracket = "]" if high == BINS[-1][1] else ")"
        if count:
            _print(
                f"| [{low:.1f}, {high:.1f}{bracket} | {count} | {100 * share:.1f} % | {mean:.2f} |"
            )
        else:
            _print(f"| [{low:.1f}, {high:.1f}{bracket} | 0 | — | — |")


# --- synthetic sets ---------------------------------------------------------------------------


def run_set_both(
    renderer: PreviewRenderer,
    rng: np.random.Generator,
    count: int,
    make: Callable[[np.random.Generator], tuple[SceneRequest, Truth]],
    jpeg_quality: int | None = None,
) -> dict[str, tuple[list[Case], list[Case]]]:
    """verify.py's ``run_set`` with each render read by every method in :data:`METHODS`, by
    their names here (the same seed gives verify.py's renders)."""
    by_method = run_set(renderer, rng, count, make, jpeg_quality, methods=[m for _, m in METHODS])
    return {name: by_method[method] for name, method in METHODS}


SYNTHETIC_HEADER = (
    "| set | estimator | n | key side | az median | az p90 | el median | "
    "ratio ±0.5 stop (image) | ratio ±0.5 stop (analyzer) | image vs analyzer | "
    "colour ±25 mired | colour median mired | hardness class | "
    "ms per estimate median / p90 | × its render |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _landmark_share(cases: Sequence[Case]) -> float:
    found = sum(c.estimate.subject.method == "landmarks" for c in cases)
    return found / len(cases) if cases else float("nan")


def _pairs(cases: Sequence[Case]) -> list[tuple[float, bool]]:
    """(the key side's confidence, whether it is right) of each case; no side: 0, wrong."""
    return [
        (
            c.estimate.key_side.confidence if c.estimate.key_side is not None else 0.0,
            c.estimate.key_side is not None
            and c.estimate.key_side.side in _side_truth(c.truth.azimuth, c.truth.elevation),
        )
        for c in cases
    ]


def run_synthetic(count: int, variant_count: int, seed: int) -> dict[str, dict[str, float]]:
    """Print the synthetic tables; return the summaries by "set/estimator"."""
    renderer = PreviewRenderer()
    warm = renderer.render(_setup(np.random.default_rng(0))[0], 64).png()
    for _, method in METHODS:
        estimate_lighting(warm, method=method)  # warm up
    sets: list[tuple[str, Callable[[np.random.Generator], tuple[SceneRequest, Truth]], int]] = [
        ("main: medium close-up, 85 mm", _portrait, count),
        ("framings: all shot types, 24–135 mm", _framed, variant_count),
        ("head turned 15–35°", _turned, variant_count),
        ("coloured backdrop + gelled background light", _coloured, variant_count),
    ]
    _print("\n## Synthetic renders (verify.py's sets), today's estimator vs the new one\n")
    _print(SYNTHETIC_HEADER)
    results: dict[str, dict[str, float]] = {}
    landmarks: list[str] = []
    main_new: list[Case] = []
    turned_new: list[Case] = []
    for index, (name, make, size) in enumerate(sets):
        rng = np.random.default_rng([seed, index])  # verify.py's seeds: the same renders
        quality = JPEG_QUALITY if index == 0 else None
        both = run_set_both(renderer, rng, size, make, quality)
        for label, (cases, _) in both.items():
            results[f"{index}/{label}"] = summarise(cases)
            _print(_row(f"{name} | {label}", results[f"{index}/{label}"]))
        if quality is not None:
            for label, (_, jpeg_cases) in both.items():
                jpeg_name = f"the main set's pictures as JPEG, quality {quality} | {label}"
                _print(_row(jpeg_name, summarise(jpeg_cases)))
        landmarks.append(f"{name} {100 * _landmark_share(both['new'][0]):.0f} %")
        if index == 0:
            main_new = both["new"][0]
        if index == 2:
            turned_new = both["new"][0]
    _print("\nnew estimator, pictures read by landmarks: " + "; ".join(landmarks))
    for name, cases in (("synthetic main set", main_new), ("head turned", turned_new)):
        print_calibration(f"Reliability of the new estimator's key side, {name}:", _pairs(cases))
    return results


# --- speed ------------------------------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _resized(image: Image.Image, longest: int) -> Image.Image:
    width, height = image.size
    if max(width, height) == longest:
        return image
    scale = longest / max(width, height)
    shape = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(shape, Image.Resampling.LANCZOS)


def _median_seconds(data: bytes) -> tuple[float, float]:
    """Median seconds of today's and the new estimator on ``data``, their calls alternating
    (so a drift in the machine's load weighs on both alike), after one untimed call each."""
    times: dict[str, list[float]] = {method: [] for _, method in METHODS}
    for _, method in METHODS:
        estimate_lighting(data, method=method)  # untimed warm-up at this size
    for _ in range(SPEED_REPEATS):
        for _, method in METHODS:
            start = time.perf_counter()
            estimate_lighting(data, method=method)
            times[method].append(time.perf_counter() - start)
    today, new = (statistics.median(times[method]) for _, method in METHODS)
    return today, new


def speed_by_size(pictures: Sequence[tuple[str, Image.Image]]) -> list[tuple[str, int, float]]:
    """Print the speed table; return (picture, longest side, new / today) per row."""
    _print("\n## Speed by picture size (PNG bytes in, median of 5 after one warm-up)\n")
    _print("| picture | pixels | today ms | new ms | new / today |")
    _print("|---|---|---|---|---|")
    ratios = []
    for name, image in pictures:
        for longest in SPEED_SIZES:
            resized = _resized(image, longest)
            data = _png(resized)
            today, new = _median_seconds(data)
            ratios.append((name, longest, new / today))
            _print(
                f"| {name} | {resized.size[0]} × {resized.size[1]} | {1000 * today:.0f} | "
                f"{1000 * new:.0f} | {new / today:.2f} |"
            )
    return ratios


def first_picture(path: Path) -> None:
    """Print the medians of fresh processes' import and first-estimate times per method."""
    _print(
        f"\n## First picture in a process (median of {FIRST_PICTURE_RUNS} fresh processes, "
        f"{path.name})\n"
    )
    _print("| estimator | import lightrig.verify s | first estimate s | process wall s |")
    _print("|---|---|---|---|")
    for label, method in METHODS:
        imports, firsts, walls = [], [], []
        for _ in range(FIRST_PICTURE_RUNS):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", FIRST_PICTURE, str(path), method],
                capture_output=True,
                text=True,
                check=True,
            )
            walls.append(time.perf_counter() - start)
            imported, first = (float(value) for value in done.stdout.split()[-2:])
            imports.append(imported)
            firsts.append(first)
        _print(
            f"| {label} ({method}) | {statistics.median(imports):.2f} | "
            f"{statistics.median(firsts):.2f} | {statistics.median(walls):.2f} |"
        )


def run_speed(folder: Path, items: Sequence[Item] | None) -> list[tuple[str, int, float]]:
    render = PreviewRenderer().render(get_preset("rembrandt").request(), SPEED_RENDER_SIZE)
    rendered = Image.fromarray(render.srgb)
    pictures: list[tuple[str, Image.Image]] = []
    real_path: Path | None = None
    if items:
        chosen = next(
            (i for i in items if (i.azimuth, i.elevation) == (SPEED_AZIMUTH, SPEED_ELEVATION)),
            items[0],
        )
        real_path = folder / chosen.file
        pictures.append((f"real {Path(chosen.file).name}", Image.open(real_path)))
    pictures.append((f"Rembrandt render ({SPEED_RENDER_SIZE} px)", rendered))
    ratios = speed_by_size(pictures)
    with tempfile.TemporaryDirectory() as scratch:
        if real_path is None:
            real_path = Path(scratch) / "rembrandt-192.png"
            real_path.write_bytes(_png(_resized(rendered, 192)))
        first_picture(real_path)
    return ratios


# --- goals ------------------------------------------------------------------------------------


def _goal(label: str, value: float, goal: float, at_least: bool, fmt: str) -> None:
    met = value >= goal if at_least else value <= goal
    sign = "≥" if at_least else "≤"
    _print(
        f"goal {label}: {fmt.format(value)} (goal {sign} {fmt.format(goal)}): "
        f"{'met' if met else 'NOT met'}"
    )


def real_goals(name: str, s: dict[str, float]) -> None:
    _goal(f"{name}, key side", s["side"], REAL_GOALS["side"], True, "{:.1%}")
    _goal(f"{name}, azimuth median", s["az_median"], REAL_GOALS["az_median"], False, "{:.1f}°")
    _goal(f"{name}, azimuth p90", s["az_p90"], REAL_GOALS["az_p90"], False, "{:.1f}°")
    _goal(f"{name}, elevation median", s["el_median"], REAL_GOALS["el_median"], False, "{:.1f}°")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="real photographs")
    parser.add_argument("--count", type=int, default=200, help="setups in the synthetic main set")
    parser.add_argument("--variant-count", type=int, default=40, help="setups per other set")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--every", type=int, default=1, help="read every N-th real picture")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    options = parser.parse_args()

    began = time.perf_counter()
    folder: Path = options.data.resolve()
    ways = (
        Way("brighter-half rule"),
        Way("today's estimator (classical, display)", "classical", "display"),
        Way("new estimator (auto, display: the default)", "auto", "display"),
        Way("new estimator told the truth (auto, linear)", "auto", "linear"),
    )
    new_default, new_linear = ways[2], ways[3]
    real: dict[str, dict[str, float]] = {}
    items: list[Item] | None = None
    if not (folder / "truth.json").is_file():
        _print(f"no real photographs at {folder} (no truth.json): the real-photo part is skipped")
    else:
        items = load_truth(folder)
        chosen = items[:: max(1, options.every)]
        subjects = sorted({item.subject for item in items})
        held_out = set(subjects[1::2])
        _print(f"## Real photographs: {folder}\n")
        _print(
            f"{len(chosen)} of {len(items)} pictures (every {options.every}); "
            f"{len(subjects)} subjects, {len(held_out)} of them held out from tuning\n"
        )
        readings = run_real(folder, chosen, ways)
        _print(REAL_HEADER)
        for way in ways:
            real[f"all/{way.label}"] = summarise_real(readings[way])
            _print(_real_row(way, real[f"all/{way.label}"]))
        _print(f"\nheld-out half of the subjects only ({', '.join(sorted(held_out))}):\n")
        _print(REAL_HEADER)
        for way in ways:
            kept = [r for r in readings[way] if r.item.subject in held_out]
            real[f"held-out/{way.label}"] = summarise_real(kept)
            _print(_real_row(way, real[f"held-out/{way.label}"]))
        side_pairs = [
            (r.answer.side_confidence, _side_right(r))
            for r in readings[new_default]
            if r.item.key_side != "center"
        ]
        print_calibration(
            "Reliability of the new estimator's key side (default encoding, side-lit pictures):",
            side_pairs,
        )
        direction_pairs = []
        for r in readings[new_default]:
            a = r.answer
            right = (
                a.azimuth is not None
                and a.elevation is not None
                and angle_between(a.azimuth, a.elevation, r.item.azimuth, r.item.elevation)
                <= DIRECTION_RIGHT_DEG
            )
            direction_pairs.append((a.direction_confidence, right))
        print_calibration(
            "Reliability of the new estimator's direction (default encoding, all pictures; "
            f"right = within {DIRECTION_RIGHT_DEG:.0f}°):",
            direction_pairs,
        )

    synthetic: dict[str, dict[str, float]] = {}
    if not options.skip_synthetic:
        synthetic = run_synthetic(options.count, options.variant_count, options.seed)
    ratios: list[tuple[str, int, float]] = []
    if not options.skip_speed:
        ratios = run_speed(folder, items)

    _print("\n## Goals\n")
    if real:
        for part in ("all", "held-out"):
            for way in (new_default, new_linear):
                real_goals(f"real ({part}), {way.label}", real[f"{part}/{way.label}"])
    else:
        _print("goals on real photographs: not measured")
    if synthetic:
        main_set, turned = synthetic["0/new"], synthetic["2/new"]
        _goal(
            "synthetic main set, new, key side",
            main_set["side"],
            SYNTHETIC_GOALS["side"],
            True,
            "{:.1%}",
        )
        _goal(
            "synthetic main set, new, ratio within ±0.5 stop",
            main_set["ratio_image"],
            SYNTHETIC_GOALS["ratio"],
            True,
            "{:.1%}",
        )
        _goal(
            "synthetic main set, new, colour within ±25 mired",
            main_set["colour"],
            SYNTHETIC_GOALS["colour"],
            True,
            "{:.1%}",
        )
        _goal(
            "synthetic head turned, new, key side",
            turned["side"],
            SYNTHETIC_GOALS["turned_side"],
            True,
            "{:.1%}",
        )
    else:
        _print("goals on synthetic renders: not measured")
    if ratios:
        name, size, worst = max(ratios, key=lambda row: row[2])
        met = all(ratio <= 1.0 for _, _, ratio in ratios)
        _print(
            f"goal time, new no slower than today at every size: worst new / today {worst:.2f} "
            f"({name}, {size} px): {'met' if met else 'NOT met'}"
        )
    else:
        _print("goal time: not measured")
    _print(f"elapsed {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
