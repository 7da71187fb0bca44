"""The adherence gate against a host that follows the light on some seeds only.

The mock Bria server draws each seed's picture with the requested light with chance ``--follow``
(p) and mirrored otherwise (``follow_rate``: one fixed draw per seed). The same scene requests
(``--gates`` of them, first seeds all different, presets that the verifier reads well) are made
twice through ``batch_generate``:

* ungated: one image each, the baseline;
* gated: ``min_adherence = --bar``, ``max_attempts = --attempts`` (and ``--max-cost``, if given),
  re-rolling below the bar.

Printed for each: the share of results at or above the bar, attempts per request, and US dollars
per accepted image — beside the ideal computed from the distribution, taking a seed that
follows to pass and one that strays to fail (per-attempt pass chance q = p): the gate makes at
most n = min(attempts, ⌊max cost / price⌋) images, so P(pass) = 1 − (1 − q)ⁿ, E[attempts] =
(1 − (1 − q)ⁿ) / q, and dollars per accepted image = price × E[attempts] / P(pass); ungated,
n = 1. The ideal is also given for q̂, the pass share measured ungated (what the verifier made of
the pictures), and the measured figures as ratios to it.

    python benchmarks/gate.py [--gates 40] [--follow 0.5] [--bar 0.8] [--attempts 3]
                              [--max-cost USD] [--seed 0]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from lightrig.config import Settings
from lightrig.models.gate import GatePolicy
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from lightrig.testing.mock_bria import MockBriaServer

TOKEN = "bench-token"
#: presets whose followed pictures the verifier scores well above 0.8 at 128 pixels, and whose
#: mirrored ones well below
PRESET_NAMES = ("loop", "rembrandt", "broad", "short", "clamshell")


@dataclass(frozen=True)
class Figures:
    """What one run gave: results at or above the bar, images made, dollars, wall time."""

    requests: int
    passed: int
    attempts: int
    cost_usd: float
    wall_s: float

    @property
    def share(self) -> float:
        return self.passed / self.requests

    @property
    def mean_attempts(self) -> float:
        return self.attempts / self.requests

    @property
    def cost_per_accepted(self) -> float:
        return self.cost_usd / self.passed if self.passed else math.inf


@dataclass(frozen=True)
class Ideal:
    """The figures a per-attempt pass chance ``q`` gives with at most ``n`` attempts, at
    ``price`` dollars an image."""

    q: float
    n: int
    price: float

    @property
    def share(self) -> float:
        return 1.0 - (1.0 - self.q) ** self.n

    @property
    def mean_attempts(self) -> float:
        return self.n if self.q == 0 else self.share / self.q

    @property
    def cost_per_accepted(self) -> float:
        return self.price * self.mean_attempts / self.share if self.share else math.inf


def _requests(count: int) -> list[SceneRequest]:
    return [PRESETS[PRESET_NAMES[i % len(PRESET_NAMES)]].request() for i in range(count)]


def _figures(results: list[GenerationResponse], bar: float, wall_s: float) -> Figures:
    passed = attempts = 0
    cost = 0.0
    for result in results:
        score = None if result.adherence is None else result.adherence.overall
        passed += score is not None and score >= bar
        if result.gate is not None:
            attempts += result.gate.attempts_used
            cost += result.gate.cost_usd
        else:
            attempts += 1
            cost += result.cost_usd or 0.0
    return Figures(len(results), passed, attempts, cost, wall_s)


async def _run(
    settings: Settings,
    requests: list[SceneRequest],
    seeds: range,
    bar: float,
    gate: GatePolicy | None,
) -> Figures:
    """The requests made one after another, gated or not; their figures against ``bar``."""
    async with LightingGenerationService(settings) as service:
        start = time.monotonic()
        results = []
        for request, seed in zip(requests, seeds, strict=True):
            if gate is None:
                results.append(await service.generate_from_lighting_setup(request, seed=seed))
            else:
                results.append(
                    await service.generate_from_lighting_setup(request, seed=seed, gate=gate)
                )
        return _figures(results, bar, time.monotonic() - start)


def _line(name: str, measured: Figures, ideal: Ideal, estimated: Ideal) -> str:
    return (
        f"{name}: share ≥ bar {measured.share:5.3f} (ideal {ideal.share:5.3f}, "
        f"from q̂ {estimated.share:5.3f}, ratio {measured.share / estimated.share:4.2f}) · "
        f"attempts {measured.mean_attempts:4.2f} (ideal {ideal.mean_attempts:4.2f}, "
        f"from q̂ {estimated.mean_attempts:4.2f}) · "
        f"$ per accepted {measured.cost_per_accepted:6.4f} (ideal {ideal.cost_per_accepted:6.4f}, "
        f"from q̂ {estimated.cost_per_accepted:6.4f}) · {measured.wall_s:5.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gates", type=int, default=40)
    parser.add_argument("--follow", type=float, default=0.5)
    parser.add_argument("--bar", type=float, default=0.8)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--max-cost", type=float, default=None)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    gate = GatePolicy(
        min_adherence=options.bar, max_attempts=options.attempts, max_cost_usd=options.max_cost
    )
    requests = _requests(options.gates)
    with (
        MockBriaServer(
            token=TOKEN,
            latency_s=0.02,
            image_size=128,
            follow_rate=options.follow,
            fault_seed=options.seed,
        ) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        settings = Settings(
            backend="bria",
            data_dir=Path(folder),
            database_url=f"sqlite:///{Path(folder) / 'records.db'}",
            bria_base_url=f"{server.url}/v2",
            bria_api_token=SecretStr(TOKEN),
            bria_poll_initial_s=0.02,
            bria_poll_max_s=0.1,
            bria_requests_per_minute=100_000,
        )
        price = settings.price_of("bria")
        n = options.attempts
        if options.max_cost is not None:
            n = min(n, math.floor(options.max_cost / price + 1e-9))
        # distinct first seeds; the gated run's re-rolls draw seeds of their own
        first = 1_000 + options.seed * 100_000
        seeds = range(first, first + options.gates)
        ungated = asyncio.run(_run(settings, requests, seeds, options.bar, None))
        gated = asyncio.run(_run(settings, requests, seeds, options.bar, gate))
    q_hat = ungated.share
    print(
        f"{options.gates} requests · host follows the light on p = {options.follow:g} of seeds · "
        f"bar {options.bar:g} · at most {options.attempts} attempts"
        + (f" and ${options.max_cost:g}" if options.max_cost is not None else "")
        + f" (n = {n}) · ${price:g} an image · measured single-shot pass share q̂ = {q_hat:.3f}"
    )
    print(_line("ungated", ungated, Ideal(options.follow, 1, price), Ideal(q_hat, 1, price)))
    print(_line("gated  ", gated, Ideal(options.follow, n, price), Ideal(q_hat, n, price)))
    print(
        f"gate over no gate: share ≥ bar ×{gated.share / max(ungated.share, 1e-9):.2f}, "
        f"dollars per accepted image ×{gated.cost_per_accepted / ungated.cost_per_accepted:.2f}"
    )


if __name__ == "__main__":
    main()
