"""Making images: ``generate`` (one), ``batch`` (a JSONL file of requests) and ``health`` (the
probes of every dependency). They run the generation service, which keeps records: the
``server`` extra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lightrig.cli.common import (
    EXIT_FAILED,
    BadInputError,
    JsonOption,
    PresetOption,
    SetupArgument,
    TranslatorOption,
    new_console,
    parse_json,
    print_json,
    read_file,
    request_from,
    result_json,
    run_async,
    service_for,
    settings_for,
)
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.gate import DEFAULT_GATE_ATTEMPTS, MAX_GATE_ATTEMPTS, GatePolicy
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest, parse_scene_request

if TYPE_CHECKING:
    from rich.console import Console

    from lightrig.service import HealthReport, LightingGenerationService
    from lightrig.translate.base import Translation

__all__ = ["BackendOption", "ModelOption", "batch", "generate", "health"]

BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        "-b",
        help="Image backend: preview, bria, fal or diffusers (default: LIGHTRIG_BACKEND).",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="FIBO model: fibo, fibo-1.5 or fibo-lite, which the backend must serve "
        "(default: LIGHTRIG_FIBO_MODEL).",
        show_default=False,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=2**31 - 1, help="Generation seed (random when not given)."),
]
MinAdherenceOption = Annotated[
    float | None,
    typer.Option(
        "--min-adherence",
        help="Gate: re-roll with new seeds until an image's adherence score reaches this bar "
        "(0–1); every attempt is kept.",
        show_default=False,
    ),
]
MaxAttemptsOption = Annotated[
    int | None,
    typer.Option(
        "--max-attempts",
        help=f"Gate: images made at most, the first included (1–{MAX_GATE_ATTEMPTS}; default "
        f"{DEFAULT_GATE_ATTEMPTS}).",
        show_default=False,
    ),
]
MaxCostOption = Annotated[
    float | None,
    typer.Option(
        "--max-cost",
        help="Gate: US dollars spent at most on one gate's images (no cap by default).",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Also copy each image into this folder.", show_default=False),
]


def gate_from(
    min_adherence: float | None, max_attempts: int | None, max_cost: float | None
) -> GatePolicy | None:
    """The adherence gate the options ask for (``None`` without ``--min-adherence``);
    :class:`BadInputError` naming the option for a value out of range or a budget without a
    bar."""
    if min_adherence is None:
        if max_attempts is not None or max_cost is not None:
            raise BadInputError(
                "--max-attempts and --max-cost bound the gate: give --min-adherence too"
            )
        return None
    values: dict[str, float | int] = {"min_adherence": min_adherence}
    if max_attempts is not None:
        values["max_attempts"] = max_attempts
    if max_cost is not None:
        values["max_cost_usd"] = max_cost
    try:
        return GatePolicy(**values)
    except InvalidLightingSetupError as exc:
        names = {"min_adherence": "--min-adherence", "max_attempts": "--max-attempts"}
        names["max_cost_usd"] = "--max-cost"
        problem = exc.errors[0]
        raise BadInputError(f"{names.get(problem.loc, problem.loc)}: {problem.message}") from None


def print_gate(console: Console, result: GenerationResponse) -> None:
    """A gated result's attempts, one line each, under the gate's outcome (nothing without a
    gate)."""
    gate = result.gate
    if gate is None:
        return
    console.print(
        f"gate: {gate.outcome} · {gate.attempts_used} of {gate.policy.max_attempts} attempts · "
        f"${gate.cost_usd:.2f} · bar {gate.policy.min_adherence:g}",
        markup=False,
    )
    for attempt in gate.attempts:
        score = "—" if attempt.score is None else f"{attempt.score:.3f}"
        best = " (best)" if attempt.generation_id == gate.best_id else ""
        console.print(
            f"  #{attempt.index} {attempt.generation_id} · seed {attempt.seed} · "
            f"{attempt.status} · score {score} · ${attempt.cost_usd:.2f}{best}",
            markup=False,
        )


async def copy_out(
    service: LightingGenerationService, result: GenerationResponse, out: Path
) -> Path | None:
    """Copy ``result``'s image into the folder ``out`` (named by its generation id); its
    path, or ``None`` when it has no image."""
    if result.image_key is None:
        return None
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{result.generation_id}.{result.image_key.rsplit('.', 1)[-1]}"
        target.write_bytes(await service.storage.get(result.image_key))
    except OSError as exc:
        raise BadInputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    return target


def generate(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    describe: Annotated[
        str | None,
        typer.Option(
            "--describe", "-d", help="Describe the light in words instead.", show_default=False
        ),
    ] = None,
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
    """Generate one image of a setup (a file, a preset or a description) on an image backend;
    for a description, show what was understood, ignored and assumed; show the analysis's
    warnings. With --min-adherence, re-roll below the bar (within --max-attempts and
    --max-cost) and keep the best image; every attempt is shown."""
    gate = gate_from(min_adherence, max_attempts, max_cost)
    settings = settings_for(backend, translator, model)

    async def run() -> tuple[GenerationResponse, Path | None, Translation | None]:
        async with service_for(settings, "generating images") as service:
            service.check_model()  # before any translation or charge
            translation = None
            if describe is not None:
                if setup is not None or preset is not None:
                    raise BadInputError("give a setup file, --preset or --describe, not several")
                translation = await service.translate(describe)
                request = translation.request
            else:
                request = request_from(setup, preset)
            result = await service.generate_from_lighting_setup(request, seed=seed, gate=gate)
            return result, await copy_out(service, result, out) if out else None, translation

    result, file, translation = run_async(run())
    warnings = result.analysis.warnings if result.analysis is not None else []
    if as_json:
        data = result_json(result, file)
        if translation is not None:
            data["understood"] = list(translation.understood)
            data["ignored"] = list(translation.ignored)
            data["assumptions"] = list(translation.assumptions)
        data["warnings"] = warnings
        print_json(data)
        return
    console = new_console()
    if translation is not None:
        console.print(f"understood: {', '.join(translation.understood) or '—'}", markup=False)
        console.print(f"ignored: {', '.join(translation.ignored) or '—'}", markup=False)
        console.print(f"assumed: {'; '.join(translation.assumptions) or '—'}", markup=False)
    if result.analysis is not None:
        console.print(result.analysis.summary)
    for warning in warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False)
    console.print(
        f"{result.backend} · seed {result.seed} · ${result.cost_usd or 0:.2f} · "
        f"{result.duration_s or 0:.1f} s{' · from cache' if result.cached else ''}"
    )
    print_gate(console, result)
    console.print(f"image: {file or result.image_path or result.image_url}")


def _read_batch(path: Path) -> list[SceneRequest]:
    try:
        lines = read_file(path, "a JSONL file").decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise BadInputError(f"{path}: not UTF-8 text (at byte {exc.start})") from None
    requests: list[SceneRequest] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        data = parse_json(line, f"{path}:{number}")
        try:
            requests.append(parse_scene_request(data))
        except InvalidLightingSetupError as exc:
            raise BadInputError(f"{path}:{number}: {exc}") from None
    if not requests:
        raise BadInputError(f"{path}: no requests in it (one JSON scene request per line)")
    return requests


def batch(
    file: Annotated[Path, typer.Argument(help="A JSONL file: one scene request per line.")],
    backend: BackendOption = None,
    model: ModelOption = None,
    seed: SeedOption = None,
    out: OutOption = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=256, help="Generations in flight at once."),
    ] = None,
    min_adherence: MinAdherenceOption = None,
    max_attempts: MaxAttemptsOption = None,
    max_cost: MaxCostOption = None,
    as_json: JsonOption = False,
) -> int:
    """Generate every request of a JSONL file, within the backend's rate limit; report failures.
    With --min-adherence, each request has a gate of its own (as for generate)."""
    from rich.console import Console  # noqa: PLC0415 - the progress bar's
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    gate = gate_from(min_adherence, max_attempts, max_cost)
    requests = _read_batch(file)
    settings = settings_for(backend, model=model)
    console = new_console()

    async def run() -> list[tuple[GenerationResponse, Path | None]]:
        async with service_for(settings, "generating images") as service:
            service.check_model()
            with Progress(
                TextColumn("[bold]generating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                disable=as_json,
            ) as progress:
                task = progress.add_task("batch", total=len(requests))
                results = await service.batch_generate(
                    requests,
                    seed=seed,
                    concurrency=concurrency,
                    on_progress=lambda done, total, _: progress.update(task, completed=done),
                    gate=gate,
                )
            files = [await copy_out(service, r, out) if out else None for r in results]
            return list(zip(results, files, strict=True))

    outcome = run_async(run())
    failures = [(i, r) for i, (r, _) in enumerate(outcome, start=1) if r.error is not None]
    if as_json:
        print_json([result_json(result, path) for result, path in outcome])
    else:
        console.print(f"{len(outcome) - len(failures)} of {len(outcome)} generated")
        for index, result in failures:
            console.print(f"  line {index}: {result.error}", style="red")
        for result, path in outcome:
            if result.error is None:
                console.print(f"  {path or result.image_path or result.image_url}")
                print_gate(console, result)
    return EXIT_FAILED if failures else 0


def health(
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> int:
    """Probe every dependency for real: the image backend, storage, translator and cache."""
    settings = settings_for(backend)

    async def run() -> HealthReport:
        async with service_for(settings, "the health check") as service:
            return await service.health_check()

    report = run_async(run())
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        from rich.table import Table  # noqa: PLC0415 - for people only

        table = Table(title=f"lightrig health: {report.status}", title_justify="left")
        for header in ("dependency", "status", "latency", "detail"):
            table.add_column(header)
        for name, check in report.checks.items():
            table.add_row(name, check.status, f"{check.latency_ms:.0f} ms", check.detail)
        new_console().print(table)
    return 0 if report.status != "unhealthy" else EXIT_FAILED
