"""How well the estimator reads the light of a picture, against the true light of the setup.

Random setups are made with a seeded generator and rendered by the preview renderer; each render
is encoded as PNG and read back by :func:`lightrig.verify.estimate_lighting`, which never sees the
setup. Every setup has a key and a fill:

* key: azimuth −90…90°, elevation 0…60°, 1.0–2.5 m away, softness 0.05–0.9, full power;
* fill: on the key's far side (or beside the camera), 0–75° from the camera axis, elevation
  −15…25°, 1.5–3 m, softness 0.4–1.0, its power solved so the analyzer's lighting ratio lands on a
  target drawn from 0–4 stops (1:1–16:1) — and never brighter than the key at the subject;
* one colour temperature on all lights, drawn evenly in mireds over 2700–7500 K; the camera's
  white balance is lightrig's default 5600 K, and the estimator assumes it;
* a grey backdrop of random lightness; 192–256 pixel renders.

The **main** set frames the bust as lightrig's portrait default (medium close-up, 85 mm, eye level,
face to the camera). Further sets show how the estimator degrades: other **framings** (every shot
type, 24–135 mm), a **turned head** (±15–35° of yaw), and a **coloured backdrop** lit by a
background light of another colour temperature (1800–12000 K); and the main set's pictures are
read a second time as JPEG (quality 90).

What each figure is measured against — the truth of the setup:

* **key side**: camera-left / camera-right from the key's direction, "front" within 12° of the
  vertical plane through the camera axis (a key at 20° azimuth but 55° up stands 11° to the side:
  front, as a photographer sees it); a key within 4° of that boundary counts either way.
  Ambiguous answers count as wrong.
* **azimuth**: the key's azimuth; the error is the absolute difference.
* **ratio**: the estimator reports the ratio in the analyzer's terms (light on a surface leaning
  45° toward the key over one leaning 45° away), so two truths are printed. The headline one is the
  *image's* ratio: the render's linear, un-tone-mapped luminance, median over the skin whose true
  normal (the renderer's own normal buffer, read by :mod:`lightrig.render.probes`) lies within
  15° of each of the analyzer's probe normals (widened to 22° or 30° when too few pixels are
  there). It is what the picture actually shows — cast shadows included — measured with
  knowledge the estimator does not have; that is the fair target for an estimate made from the
  picture. (The estimator run on a reference render would be no truth here: for a preview
  render, the reference *is* the picture.) The second is the analyzer's theoretical lit:shadow
  ratio, which ignores cast shadows; the two agree within 0.5 stop on most setups (printed as
  "image vs analyzer").
* **colour**: the lights' colour temperature in mireds; within ±25 mired counts.
* **hardness** (no goal): the analyzer's class from the key's apparent angle.

Speed: milliseconds per estimate, and its ratio to rendering the same picture in the same run
(the baseline; a check against a request costs about one render and two estimates).

Goals (main set): key side ≥ 98 %, median azimuth error ≤ 12°, ≥ 90 % of ratios within ±0.5 stop,
≥ 90 % of colour temperatures within ±25 mired.

    python benchmarks/verify.py [--count 600] [--variant-count 40] [--seed 2026]
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.measure import measure
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import ShadowHardness, apparent_angle, hardness_for_angle
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.render.probes import read_probes
from lightrig.verify import KeySide, LightingEstimate, estimate_lighting
from lightrig.verify.estimate import lateral_angle

#: The main set's pictures are also read as JPEG at this quality.
JPEG_QUALITY = 90
GOALS = {"side": 0.98, "azimuth_median": 12.0, "ratio": 0.90, "colour": 0.90}
FRONT_DEG = 12.0
BOUNDARY_SLACK_DEG = 4.0
#: Face skin only: above the jaw (bust metres).
FACE_BELOW_Y = -0.13
SHOTS = (
    "extreme close-up",
    "close-up",
    "medium close-up",
    "medium shot",
    "cowboy shot",
    "full shot",
    "wide shot",
)


@dataclass(frozen=True)
class Truth:
    """The true light of a setup."""

    azimuth: float
    elevation: float
    analyzer_stops: float
    mired: float
    hardness: ShadowHardness
    yaw: float = 0.0


@dataclass(frozen=True)
class Case:
    """One rendered setup with its truth and the estimate read from it."""

    truth: Truth
    image_stops: float | None
    estimate: LightingEstimate
    seconds: float
    #: the same picture's render (the baseline the estimate's time is compared with), seconds
    render_seconds: float


@dataclass(frozen=True)
class Draw:
    """The random numbers of one setup (angles in degrees, metres, kelvin)."""

    key_azimuth: float
    key_elevation: float
    key_distance: float
    key_softness: float
    kelvin: float
    fill_azimuth: float
    fill_elevation: float
    fill_distance: float
    fill_softness: float
    target_stops: float
    backdrop: str


def _draw(rng: np.random.Generator, backdrop: str | None) -> Draw:
    key_azimuth = rng.uniform(-90, 90)
    far = -math.copysign(1.0, key_azimuth) if abs(key_azimuth) > 1 else float(rng.choice([-1, 1]))
    key_elevation, key_distance = rng.uniform(0, 60), rng.uniform(1.0, 2.5)
    key_softness = rng.uniform(0.05, 0.9)
    kelvin = 1e6 / rng.uniform(1e6 / 7500, 1e6 / 2700)
    fill_azimuth, fill_elevation = far * rng.uniform(0, 75), rng.uniform(-15, 25)
    fill_distance, fill_softness = rng.uniform(1.5, 3.0), rng.uniform(0.4, 1.0)
    target = rng.uniform(0.0, 4.0)
    grey = int(rng.uniform(0x20, 0xB0))
    return Draw(
        key_azimuth=key_azimuth,
        key_elevation=key_elevation,
        key_distance=key_distance,
        key_softness=key_softness,
        kelvin=kelvin,
        fill_azimuth=fill_azimuth,
        fill_elevation=fill_elevation,
        fill_distance=fill_distance,
        fill_softness=fill_softness,
        target_stops=target,
        backdrop=backdrop if backdrop is not None else f"#{grey:02x}{grey:02x}{grey:02x}",
    )


@dataclass(frozen=True)
class Framing:
    """Everything of a request but the lights' numbers."""

    shot: str = "medium close-up"
    focal: float = 85.0
    yaw: float = 0.0
    background: tuple[tuple[str, Any], ...] | None = None


def _request(draw: Draw, framing: Framing, fill_power: float) -> SceneRequest:
    lights: dict[str, Any] = {
        "key": {
            "azimuth": draw.key_azimuth,
            "elevation": draw.key_elevation,
            "distance": draw.key_distance,
            "softness": draw.key_softness,
            "intensity": 1.0,
            "color_temperature": draw.kelvin,
        },
        "fill": {
            "azimuth": draw.fill_azimuth,
            "elevation": draw.fill_elevation,
            "distance": draw.fill_distance,
            "softness": draw.fill_softness,
            "intensity": max(fill_power, 1e-4),
            "color_temperature": draw.kelvin,
        },
    }
    if framing.background is not None:
        lights["background"] = dict(framing.background)
    return SceneRequest.model_validate(
        {
            "lighting_setup": lights,
            "camera_settings": {"shot_type": framing.shot, "focal_length": framing.focal},
            "subject_yaw": framing.yaw,
            "backdrop_color": draw.backdrop,
        }
    )


def _setup(
    rng: np.random.Generator, framing: Framing | None = None, backdrop: str | None = None
) -> tuple[SceneRequest, Truth]:
    """A random key-and-fill setup whose analyzer ratio is a random 0–4 stops."""
    framing = framing or Framing()
    while True:
        draw = _draw(rng, backdrop)
        bare = _request(draw, framing, 0.0).rig()
        key, fill = bare.light(LightType.KEY), bare.light(LightType.FILL)
        if key is None or fill is None:
            raise RuntimeError("a setup lost its key or fill")
        # the fill may reach the key's strength at the subject, never more
        most = min(1.0, key.facing / fill.facing * fill.intensity)
        low = measure(_request(draw, framing, most).rig()).stops
        if not low <= draw.target_stops <= measure(bare).stops:
            continue
        lo, hi = 0.0, most
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if measure(_request(draw, framing, mid).rig()).stops > draw.target_stops:
                lo = mid
            else:
                hi = mid
        chosen = _request(draw, framing, 0.5 * (lo + hi))
        rig = chosen.rig()
        placed = rig.key()
        if placed is None:
            raise RuntimeError("a setup lost its key")
        truth = Truth(
            azimuth=draw.key_azimuth,
            elevation=draw.key_elevation,
            analyzer_stops=measure(rig).stops,
            mired=1e6 / draw.kelvin,
            hardness=hardness_for_angle(apparent_angle(placed.size, placed.distance)),
            yaw=framing.yaw,
        )
        return chosen, truth


def image_stops(picture: PreviewImage, request: SceneRequest) -> float | None:
    """The render's own lit:shadow ratio at the analyzer's probe normals, stops (see above)."""
    rig = request.rig()
    if rig.key() is None:
        return None
    reading = read_probes(picture, rig, min_openness=0.0)
    if reading is None or min(reading.lit.level, reading.shadow.level) <= 0.0:
        return None
    return reading.stops


def _side_truth(azimuth: float, elevation: float) -> set[KeySide]:
    """The sides that count as right for a key (two near the front boundary)."""
    size = abs(lateral_angle(azimuth, elevation))
    side = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
    accepted = set()
    if size <= FRONT_DEG + BOUNDARY_SLACK_DEG:
        accepted.add(KeySide.FRONT)
    if size >= FRONT_DEG - BOUNDARY_SLACK_DEG:
        accepted.add(side)
    return accepted


def _jpeg(picture: PreviewImage, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(picture.srgb, mode="RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _timed(data: bytes, method: str = "auto") -> tuple[LightingEstimate, float]:
    """The estimate of ``data`` read by ``method``, and the seconds it took."""
    start = time.perf_counter()
    estimate = estimate_lighting(data, method=method)
    return estimate, time.perf_counter() - start


def run_set(
    renderer: PreviewRenderer,
    rng: np.random.Generator,
    count: int,
    make: Callable[[np.random.Generator], tuple[SceneRequest, Truth]],
    jpeg_quality: int | None = None,
    *,
    methods: Sequence[str] = ("auto",),
) -> dict[str, tuple[list[Case], list[Case]]]:
    """Render ``count`` setups and read each by every one of ``methods`` from PNG (and from
    JPEG, when a quality is given): per method, the PNG cases and the JPEG ones."""
    cases: dict[str, tuple[list[Case], list[Case]]] = {method: ([], []) for method in methods}
    for _ in range(count):
        request, truth = make(rng)
        size = int(rng.integers(192, 257))
        start = time.perf_counter()
        picture = renderer.render(request, size)
        rendered = time.perf_counter() - start
        stops = image_stops(picture, request)
        png = picture.png()
        jpeg = _jpeg(picture, jpeg_quality) if jpeg_quality is not None else None
        for method in methods:
            estimate, seconds = _timed(png, method)
            cases[method][0].append(Case(truth, stops, estimate, seconds, rendered))
            if jpeg is not None:
                estimate, seconds = _timed(jpeg, method)
                cases[method][1].append(Case(truth, stops, estimate, seconds, rendered))
    return cases


def _share(values: list[bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def summarise(cases: list[Case]) -> dict[str, float]:
    side, azimuth, elevation, ratio_image, ratio_analyzer, agree, colour, hard = (
        [] for _ in range(8)
    )
    colour_error: list[float] = []
    from_nose: list[float] = []
    flat: list[bool] = []
    contrasty: list[bool] = []
    for case in cases:
        e, t = case.estimate, case.truth
        side.append(
            e.key_side is not None and e.key_side.side in _side_truth(t.azimuth, t.elevation)
        )
        (flat if t.analyzer_stops < 1.0 else contrasty).append(side[-1])
        if e.direction is not None:
            azimuth.append(abs(wrap_degrees(e.direction.azimuth - t.azimuth)))
            from_nose.append(abs(wrap_degrees(e.direction.azimuth - (t.azimuth - t.yaw))))
            elevation.append(abs(e.direction.elevation - t.elevation))
        else:
            azimuth.append(180.0)
            from_nose.append(180.0)
            elevation.append(90.0)
        stops = e.ratio.stops if e.ratio is not None else None
        if case.image_stops is not None:
            ratio_image.append(stops is not None and abs(stops - case.image_stops) <= 0.5)
            agree.append(abs(case.image_stops - t.analyzer_stops) <= 0.5)
        ratio_analyzer.append(stops is not None and abs(stops - t.analyzer_stops) <= 0.5)
        if e.colour is not None:
            colour_error.append(abs(e.colour.mired - t.mired))
            colour.append(abs(e.colour.mired - t.mired) <= 25.0)
        else:
            colour.append(False)
        hard.append(e.hardness is not None and e.hardness.hardness is t.hardness)
    times = [c.seconds * 1000.0 for c in cases]
    over_render = [c.seconds / c.render_seconds for c in cases if c.render_seconds > 0.0]
    return {
        "n": float(len(cases)),
        "side": _share(side),
        "side_flat": _share(flat),
        "n_flat": float(len(flat)),
        "side_contrasty": _share(contrasty),
        "n_contrasty": float(len(contrasty)),
        "az_median": statistics.median(azimuth),
        "az_p90": float(np.percentile(azimuth, 90)),
        "az_from_nose_median": statistics.median(from_nose),
        "el_median": statistics.median(elevation),
        "ratio_image": _share(ratio_image),
        "ratio_analyzer": _share(ratio_analyzer),
        "image_vs_analyzer": _share(agree),
        "colour": _share(colour),
        "colour_median": statistics.median(colour_error) if colour_error else float("nan"),
        "hardness": _share(hard),
        "ms_median": statistics.median(times),
        "ms_p90": float(np.percentile(times, 90)),
        "x_render": statistics.median(over_render) if over_render else float("nan"),
    }


def _saturated_hex(rng: np.random.Generator) -> str:
    hue = rng.uniform(0.0, 1.0)
    saturation, value = rng.uniform(0.5, 0.9), rng.uniform(0.3, 0.8)
    k = (np.array([5.0, 3.0, 1.0]) + hue * 6.0) % 6.0
    rgb = value - value * saturation * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


def _portrait(rng: np.random.Generator) -> tuple[SceneRequest, Truth]:
    return _setup(rng)


def _framed(rng: np.random.Generator) -> tuple[SceneRequest, Truth]:
    shot = str(rng.choice(SHOTS))
    focal = float(rng.choice([24.0, 35.0, 50.0, 85.0, 135.0]))
    return _setup(rng, Framing(shot=shot, focal=focal))


def _turned(rng: np.random.Generator) -> tuple[SceneRequest, Truth]:
    yaw = float(rng.choice([-1.0, 1.0]) * rng.uniform(15.0, 35.0))
    return _setup(rng, Framing(yaw=yaw))


def _coloured(rng: np.random.Generator) -> tuple[SceneRequest, Truth]:
    background = (
        ("azimuth", 180),
        ("elevation", 0),
        ("distance", float(rng.uniform(0.8, 1.4))),
        ("intensity", float(rng.uniform(0.3, 1.0))),
        ("modifier", "bare"),
        ("color_temperature", float(rng.choice([1800.0, 2200.0, 9000.0, 12000.0]))),
    )
    return _setup(rng, Framing(background=background), backdrop=_saturated_hex(rng))


def _row(name: str, s: dict[str, float]) -> str:
    return (
        f"| {name} | {s['n']:.0f} | {100 * s['side']:.1f} % | {s['az_median']:.1f}° | "
        f"{s['az_p90']:.1f}° | {s['el_median']:.1f}° | {100 * s['ratio_image']:.1f} % | "
        f"{100 * s['ratio_analyzer']:.1f} % | {100 * s['image_vs_analyzer']:.1f} % | "
        f"{100 * s['colour']:.1f} % | {s['colour_median']:.1f} | {100 * s['hardness']:.1f} % | "
        f"{s['ms_median']:.0f} / {s['ms_p90']:.0f} | {s['x_render']:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=600, help="setups in the main set")
    parser.add_argument("--variant-count", type=int, default=40, help="setups per other set")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    began = time.perf_counter()
    renderer = PreviewRenderer()
    estimate_lighting(renderer.render(_setup(np.random.default_rng(0))[0], 64).png())  # warm up
    sets: list[tuple[str, Callable[[np.random.Generator], tuple[SceneRequest, Truth]], int]] = [
        ("main: medium close-up, 85 mm", _portrait, options.count),
        ("framings: all shot types, 24–135 mm", _framed, options.variant_count),
        ("head turned 15–35°", _turned, options.variant_count),
        ("coloured backdrop + gelled background light", _coloured, options.variant_count),
    ]
    print(
        "| set | n | key side | az median | az p90 | el median | ratio ±0.5 stop (image) | "
        "ratio ±0.5 stop (analyzer) | image vs analyzer | colour ±25 mired | "
        "colour median mired | hardness class | ms per estimate median / p90 | × its render |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results = {}
    for index, (name, make, count) in enumerate(sets):
        rng = np.random.default_rng([options.seed, index])
        quality = JPEG_QUALITY if index == 0 else None
        cases, jpeg_cases = run_set(renderer, rng, count, make, quality)["auto"]
        summary = summarise(cases)
        results[name] = summary
        print(_row(name, summary), flush=True)
        if jpeg_cases:
            print(
                _row(f"the main set's pictures as JPEG, quality {quality}", summarise(jpeg_cases))
            )
    for name, summary in results.items():
        if name == sets[0][0]:
            print(
                f"\nkey side by the setup's lighting ratio (main set): under 1 stop (below 2:1) "
                f"{100 * summary['side_flat']:.1f} % of {summary['n_flat']:.0f}; 1 stop and more "
                f"{100 * summary['side_contrasty']:.1f} % of {summary['n_contrasty']:.0f}"
            )
    turned = results[sets[2][0]]
    print(
        f"\nhead turned: median error against the key's azimuth from the nose (azimuth − yaw) "
        f"{turned['az_from_nose_median']:.1f}° — the generic head is frontal, so a turned face "
        "is read in neither the camera's frame nor its own"
    )
    main_set = results[sets[0][0]]
    checks = [
        ("key side", main_set["side"], GOALS["side"], True, "{:.1%}"),
        ("median azimuth error", main_set["az_median"], GOALS["azimuth_median"], False, "{:.1f}°"),
        ("ratio within ±0.5 stop", main_set["ratio_image"], GOALS["ratio"], True, "{:.1%}"),
        ("colour within ±25 mired", main_set["colour"], GOALS["colour"], True, "{:.1%}"),
    ]
    for label, value, goal, at_least, fmt in checks:
        met = value >= goal if at_least else value <= goal
        sign = "≥" if at_least else "≤"
        print(
            f"goal {label}: {fmt.format(value)} (goal {sign} {fmt.format(goal)}): "
            f"{'met' if met else 'NOT met'}"
        )
    print(f"elapsed {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
