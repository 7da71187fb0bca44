"""``series``: one setup on many subjects — descriptions, or photographs to re-light — every
picture read back, the light's consistency across the set reported and the outliers made
again: the ``server`` extra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lightrig.cli.common import (
    BadInputError,
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
)

if TYPE_CHECKING:
    from lightrig.service.series import SeriesResult

__all__ = ["series"]


def _shown(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:g} {unit}"


def series(
    setup: SetupOption = None,
    preset: PresetOption = None,
    describe: DescribeOption = None,
    subject: Annotated[
        list[str] | None,
        typer.Option(
            "--subject",
            help="Who is lit, in words (repeat for each subject).",
            show_default=False,
        ),
    ] = None,
    photo: Annotated[
        list[Path] | None,
        typer.Option(
            "--photo", help="A photograph to re-light (repeat for each).", show_default=False
        ),
    ] = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    translator: TranslatorOption = None,
    seed: SeedOption = None,
    min_adherence: MinAdherenceOption = None,
    max_attempts: MaxAttemptsOption = None,
    max_cost: MaxCostOption = None,
    keep_outliers: Annotated[
        bool,
        typer.Option(
            "--keep-outliers", help="Do not make the pictures whose light strays once more."
        ),
    ] = False,
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Light many subjects with one setup (--subject words and/or --photo files), read every
    picture back and report how alike the light is across the set; the outliers are made
    once more and the nearer picture kept."""
    check_one_light(setup, preset, describe)
    subjects: list[str | bytes] = [*(subject or [])]
    subjects += [read_file(path, "a photograph") for path in photo or []]
    if not subjects:
        raise BadInputError("give the subjects: --subject WORDS and/or --photo FILE, repeated")
    gate = gate_from(min_adherence, max_attempts, max_cost)
    settings = settings_for(backend, translator, model)

    async def run() -> tuple[SeriesResult, list[Path | None]]:
        async with service_for(settings, "lighting a series") as service:
            request, _ = await light_from(service, setup, preset, describe)
            made = await service.generate_series(
                request, subjects, seed=seed, gate=gate, remake_outliers=not keep_outliers
            )
            files = [await copy_out(service, item, out) if out else None for item in made.items]
            return made, files

    made, files = run_async(run())
    report = made.report
    if as_json:
        print_json(
            {
                "items": [
                    result_json(item, file) for item, file in zip(made.items, files, strict=True)
                ],
                "report": report.model_dump(mode="json"),
                "remade": [r.model_dump(mode="json") for r in made.remade],
            }
        )
        return
    console = new_console()
    readings = {r.generation_id: r for r in report.readings}
    for index, (item, file) in enumerate(zip(made.items, files, strict=True)):
        read = readings.get(item.generation_id)
        figures = (
            "not read"
            if read is None
            else f"key {_shown(read.azimuth, '°')} · ratio {_shown(read.ratio_stops, 'stops')} · "
            f"{_shown(read.kelvin, 'K')}"
        )
        stray = " · outlier" if item.generation_id in report.outliers else ""
        console.print(
            f"#{index} {item.generation_id} · {item.status.value} · {figures}{stray}", markup=False
        )
        console.print(f"   image: {file or item.image_path or item.image_url}", markup=False)
    for measure in report.measures:
        console.print(
            f"{measure.measure}: median {_shown(measure.median, measure.unit)} · spread "
            f"{_shown(measure.spread, measure.unit)} (tolerance ±{measure.tolerance:g}) · "
            f"read on {measure.read}",
            markup=False,
        )
    for remake in made.remade:
        kept = "the new one" if remake.kept == remake.made else "the first"
        console.print(
            f"made again: #{remake.index} {remake.was} → {remake.made}; kept {kept}", markup=False
        )
    console.print("consistent" if report.consistent else "not consistent: see the outliers")
