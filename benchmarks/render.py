"""How fast the preview renders, with three soft-shadowed lights and with one plain light.

Prints median milliseconds at 256² and 512² for:

* **cold**: a new camera framing every time, so both passes run (geometry + light);
* **warm**: the framing kept and a light moved every time, as when a light is dragged in the
  studio (the geometry pass is reused, the light pass runs);
* the baseline: one light, no shadows, cold, in the same run;
* **live**: warm, as the studio's frames are made — edges anti-aliased, the open backdrop lit on
  every other row and column (``antialias``, ``coarse_backdrop``) — next to warm (one sample a
  pixel everywhere) and to a full 2 × 2 supersampled warm render, with each one's mean error
  against the supersampled one in sRGB code values.

It also prints the one-time costs of a fresh process: loading the compiled kernels (numba's
on-disk cache; compiling if the cache is empty) and reading the bust's distance field from its
kept copy, next to baking it afresh.

    python benchmarks/render.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lightrig.models.scene import SceneRequest
from lightrig.presets import get_preset

if TYPE_CHECKING:
    from lightrig.render.preview import PreviewRenderer

GOALS_MS = {256: 150.0, 512: 600.0}


def _three_lights(key_azimuth: float, camera_nudge: float) -> SceneRequest:
    """The Rembrandt preset (key, fill, hair: three soft-shadowed lights), key moved, on the
    default bust (the preset's own words would seat a bearded man)."""
    data: dict[str, Any] = get_preset("rembrandt").request().model_dump(mode="json")
    data["subject_description"] = "a person"  # the default bust, as the figures were measured on
    data["lighting_setup"]["key"]["azimuth"] = key_azimuth
    data["lighting_setup"]["key"].pop("direction", None)
    data["camera_settings"]["focal_length"] = 85.0 + camera_nudge
    data["camera_settings"].pop("fov", None)
    return SceneRequest.model_validate(data)


def _one_plain_light(camera_nudge: float) -> SceneRequest:
    return SceneRequest.model_validate(
        {
            "lighting_setup": {"key": {"azimuth": -45, "elevation": 40, "intensity": 1.0}},
            "camera_settings": {"shot_type": "medium close-up", "focal_length": 85 + camera_nudge},
            "backdrop_color": "#3a3a3a",
        }
    )


def _median_ms(work: Callable[[int], object], rounds: int) -> float:
    times = []
    for index in range(rounds):
        start = time.perf_counter()
        work(index)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    options = parser.parse_args()

    start = time.perf_counter()
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - timed on purpose

    renderer = PreviewRenderer()
    renderer.render(_one_plain_light(0.0), 32)
    loaded = time.perf_counter() - start
    from lightrig.render import field  # noqa: PLC0415
    from lightrig.render.bust import BOUNDS_MAX, BOUNDS_MIN  # noqa: PLC0415
    from lightrig.render.figure import Figure  # noqa: PLC0415

    start = time.perf_counter()
    field.load_or_bake()  # its own: bake_field() keeps the process's first
    read = time.perf_counter() - start
    step = field.GRID_STEP_M
    nx, ny, nz = (
        round((hi - lo) / step) + 1 for lo, hi in zip(BOUNDS_MIN, BOUNDS_MAX, strict=True)
    )
    start = time.perf_counter()
    # the bake itself, as with no kept copy
    field._bake(*BOUNDS_MIN, step, nx, ny, nz, Figure().form())
    baked = time.perf_counter() - start
    print(
        f"one-time: load kernels + first render {loaded * 1000:.0f} ms; the bust's field read "
        f"from its kept copy {read * 1000:.0f} ms (baking it: {baked * 1000:.0f} ms)"
    )

    for size in (256, 512):
        _report(renderer, size, options.rounds)


def _report(renderer: PreviewRenderer, size: int, rounds: int) -> None:
    # every cold render gets a focal length never used before, so nothing is reused
    nudge = iter(range(1, 10_000))
    cold = _median_ms(
        lambda i: renderer.render(_three_lights(-45 + i, next(nudge) * 1e-3), size), rounds
    )
    baseline = _median_ms(
        lambda _: renderer.render(_one_plain_light(next(nudge) * 1e-3), size, shadows=False),
        rounds,
    )
    renderer.render(_three_lights(-45, 0.0), size)  # the framing the warm renders keep
    warm = _median_ms(lambda i: renderer.render(_three_lights(-45 + i, 0.0), size), rounds)
    goal = GOALS_MS[size]
    print(
        f"{size}x{size}: 3 soft-shadowed lights cold {cold:6.1f} ms, warm {warm:6.1f} ms; "
        f"1 plain light cold {baseline:6.1f} ms; cold / plain {cold / baseline:4.2f}x; "
        f"goal <= {goal:.0f} ms: {'met' if cold <= goal else 'NOT met'}"
    )
    live_kw = {"antialias": True, "coarse_backdrop": True}
    renderer.render(_three_lights(-45, 0.0), size, **live_kw)  # its edge samples, kept
    live = _median_ms(
        lambda i: renderer.render(_three_lights(-45 + i, 0.0), size, **live_kw), rounds
    )
    fine = _median_ms(
        lambda i: renderer.render(_three_lights(-45 + i, 0.0), size, supersample=2), rounds
    )
    scene = _three_lights(-30, 0.0)
    reference = renderer.render(scene, size, supersample=2).srgb.astype(float)

    def error(**options: bool) -> float:
        picture = renderer.render(scene, size, **options).srgb.astype(float)
        return float(abs(picture - reference).mean())

    print(
        f"{size}x{size} live frame: {live:6.1f} ms ({live / warm:4.2f}x warm, "
        f"{live / fine:4.2f}x 2x2 supersampled {fine:6.1f} ms); mean error against 2x2: "
        f"live {error(**live_kw):.3f}, one sample a pixel {error():.3f} code values"
    )


if __name__ == "__main__":
    main()
