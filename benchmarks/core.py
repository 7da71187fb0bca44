"""How much lightrig's own logic costs next to validating a request.

Runs, in one process and on the same random setups, (a) bare ``SceneRequest`` validation and
(b) validation + analysis + structured-prompt compile (with its compact JSON), and prints setups
per second for each and their cost ratio. The goal: (b) costs no more than 3× (a).

The setups mix words and numbers as users send them (1–6 lights, text directions, modifiers,
camera aliases). Both passes run after a warm-up, so the direction-phrase cache is warm in both,
as it is in a running service.

    python benchmarks/core.py [--setups 2000] [--rounds 7] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.lighting.direction import EXAMPLE_PHRASES, describe_direction
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.reading import read
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest


def random_setup(rng: random.Random) -> dict[str, Any]:
    """One scene request as JSON-like data."""
    roles = rng.sample(list(LightType), rng.randint(1, 6))
    if LightType.KEY not in roles:
        roles[0] = LightType.KEY
    setup: dict[str, Any] = {}
    for role in roles:
        light: dict[str, Any] = {
            "intensity": round(rng.uniform(0.05, 1.0), 2),
            "color_temperature": rng.choice([2700, 3200, 4300, 5600, 6500]),
            "distance": round(rng.uniform(0.5, 4.0), 2),
        }
        placement = rng.random()
        if placement < 0.4:
            light["direction"] = rng.choice(EXAMPLE_PHRASES)
        elif placement < 0.7:
            light["direction"] = describe_direction(
                round(rng.uniform(-180, 180)), round(rng.uniform(-30, 70))
            )
        elif role is not LightType.AMBIENT or placement < 0.85:
            light["azimuth"] = round(rng.uniform(-180, 180), 1)
            light["elevation"] = round(rng.uniform(-30, 70), 1)
        if rng.random() < 0.5:
            light["modifier"] = rng.choice(list(Modifier)).value
        else:
            light["softness"] = round(rng.random(), 2)
        if role is LightType.AMBIENT:
            light.pop("direction", None)
            light.pop("azimuth", None)
            light.pop("elevation", None)
        setup[role.value] = light
    return {
        "subject_description": "a portrait sitter",
        "lighting_setup": setup,
        "camera_settings": {
            "shot_type": rng.choice(["medium shot", "close-up", "headshot"]),
            "aperture": rng.choice(["f/2.8", "f/4", 8]),
            "focal_length": rng.choice([50, 85, 105]),
        },
        "backdrop_color": rng.choice([None, "#808080", "#1a1a1a", "#f2f2f2"]),
    }


def _timed(work: Callable[[dict[str, Any]], object], setups: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for data in setups:
        work(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--setups", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    rng = random.Random(options.seed)
    setups = [random_setup(rng) for _ in range(options.setups)]
    analyzer = LightingAnalyzer()

    def validate(data: dict[str, Any]) -> object:
        return SceneRequest.model_validate(data)

    def measure(data: dict[str, Any]) -> object:
        return read(SceneRequest.model_validate(data).rig())

    def analyse(data: dict[str, Any]) -> object:
        request = SceneRequest.model_validate(data)
        return analyzer.analyze(request, read(request.rig()))

    def compile_dict(data: dict[str, Any]) -> object:
        request = SceneRequest.model_validate(data)
        reading = read(request.rig())
        return analyzer.analyze(request, reading), compile_prompt(request, reading)

    def full(data: dict[str, Any]) -> object:
        request = SceneRequest.model_validate(data)
        reading = read(request.rig())
        return analyzer.analyze(request, reading), prompt_json(compile_prompt(request, reading))

    stages: list[tuple[str, Callable[[dict[str, Any]], object]]] = [
        ("bare SceneRequest validation", validate),
        ("+ measure and classify (reading)", measure),
        ("+ full analysis (rating, advice)", analyse),
        ("+ compile the structured prompt", compile_dict),
        ("+ its compact JSON (the whole path)", full),
    ]
    _timed(full, setups)  # warm-up: imports, caches, allocator
    times: dict[str, list[float]] = {name: [] for name, _ in stages}
    for _ in range(options.rounds):  # interleaved, so machine noise hits every stage alike
        for name, work in stages:
            times[name].append(_timed(work, setups))
    count = len(setups)
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians[stages[0][0]]
    print(f"setups: {count} random requests, {options.rounds} rounds, median per round")
    for name, _ in stages:
        seconds = medians[name]
        print(
            f"{name:38s} {count / seconds:8.0f} setups/s  {seconds / count * 1e6:7.1f} us  "
            f"{seconds / bare:5.2f}x"
        )
    print(
        f"validate + analyze + compile vs bare validation: {medians[stages[-1][0]] / bare:.2f}x "
        "(goal <= 3x)"
    )


if __name__ == "__main__":
    main()
