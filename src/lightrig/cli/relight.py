"""``relight``: a photograph made again by FIBO-Edit under a setup (a file, a preset or
words), kept and checked like a generation: the ``server`` extra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lightrig.cli.common import (
    DescribeOption,
    JsonOption,
    PresetOption,
    SetupOption,
    TranslatorOption,
    check_one_light,
    light_from,
    new_console,
    print_json,
    read_file,
    result_json,
    run_async,
    service_for,
    settings_for,
)
from lightrig.cli.generate import (
    BackendOption,
    MaxAttemptsOption,
    MaxCostOption,
    MinAdherenceOption,
    ModelOption,
    OutOption,
    SeedOption,
    copy_out,
    gate_from,
    print_gate,
)
from lightrig.models.generation import GenerationResponse

if TYPE_CHECKING:
    from lightrig.translate.base import Translation

__all__ = ["relight"]


def relight(
    photo: Annotated[
        Path, typer.Argument(help="The photograph: PNG, JPEG, WebP or any common format.")
    ],
    setup: SetupOption = None,
    preset: PresetOption = None,
    describe: DescribeOption = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    translator: TranslatorOption = None,
    seed: SeedOption = None,
    out: OutOption = None,
    min_adherence: MinAdherenceOption = None,
    max_attempts: MaxAttemptsOption = None,
    max_cost: MaxCostOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-light a photograph: the backend captions it, the caption's light is replaced by the
    setup's, and FIBO-Edit makes the photo again; the result is checked against the setup
    (with --min-adherence, re-rolled below the bar)."""
    check_one_light(setup, preset, describe)
    gate = gate_from(min_adherence, max_attempts, max_cost)
    data = read_file(photo, "a photograph")
    settings = settings_for(backend, translator, model)

    async def run() -> tuple[GenerationResponse, Path | None, Translation | None]:
        async with service_for(settings, "re-lighting photographs") as service:
            service.check_model(edits=True)  # before the caption is paid for
            request, translation = await light_from(service, setup, preset, describe)
            result = await service.relight_image(data, request, seed=seed, gate=gate)
            return result, await copy_out(service, result, out) if out else None, translation

    result, file, translation = run_async(run())
    if as_json:
        found = result_json(result, file)
        if translation is not None:
            found["understood"] = list(translation.understood)
            found["ignored"] = list(translation.ignored)
        print_json(found)
        return
    console = new_console()
    if translation is not None:
        console.print(f"understood: {', '.join(translation.understood) or '—'}", markup=False)
        console.print(f"ignored: {', '.join(translation.ignored) or '—'}", markup=False)
    if result.analysis is not None:
        console.print(result.analysis.summary)
    adherence = result.adherence
    followed = (
        "not checked"
        if adherence is None or adherence.overall is None
        else f"adherence {adherence.overall:.2f}"
    )
    console.print(
        f"{result.backend} · seed {result.seed} · ${result.cost_usd or 0:.2f} · "
        f"{result.duration_s or 0:.1f} s · {followed}"
    )
    print_gate(console, result)
    console.print(f"photo: {photo}")
    console.print(f"re-lit: {file or result.image_path or result.image_url}")
