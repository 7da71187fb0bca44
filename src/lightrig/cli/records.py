"""The generations on record: ``lightrig history`` (list, show, follow a batch, check again,
resume, fail, recover).

It works on the metadata store the settings name (``LIGHTRIG_DATABASE_URL``, SQLite under
``LIGHTRIG_DATA_DIR`` by default), through the generation service: the ``server`` extra.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer

from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    new_console,
    print_json,
    result_json,
    run_async,
    service_for,
    settings_for,
)
from lightrig.models.generation import GenerationResponse, GenerationStatus

if TYPE_CHECKING:
    from rich.table import Table

    from lightrig.service import LightingGenerationService

__all__ = ["history_app", "history_table"]

T = TypeVar("T")

history_app = typer.Typer(
    help="Generations on record: list, show, follow a batch, resume or fail interrupted ones.",
    no_args_is_help=True,
)

IdArgument = Annotated[str, typer.Argument(help="A generation id (see `lightrig history list`).")]
STATUSES = ", ".join(status.value for status in GenerationStatus)


def _with_service(use: Callable[[LightingGenerationService], Awaitable[T]]) -> T:
    settings = settings_for()

    async def run() -> T:
        async with service_for(settings, "the generation records") as service:
            return await use(service)

    return run_async(run())


def _statuses(names: list[str] | None) -> list[GenerationStatus]:
    chosen = []
    for name in names or []:
        try:
            chosen.append(GenerationStatus(name))
        except ValueError:
            raise BadInputError(f"--status {name!r} is not one of: {STATUSES}") from None
    return chosen


def _outcome(record: GenerationResponse) -> str:
    """The error of a failed generation, else its image's key."""
    return record.error if record.error else (record.image_key or "")


#: The columns of ``history list`` after the id, status, time and outcome, in the order they
#: are given up when the terminal is too narrow for all (the last first).
_OPTIONAL_COLUMNS = ("pattern", "backend", "seed", "user")
#: The narrowest the outcome column (the image or the error) is made, in characters.
_OUTCOME_MIN = 12
#: The room the outcome keeps before any optional column is shown (less when none is longer).
_OUTCOME_WANTED = 70
#: Characters each column takes besides its text: a space either side and one between.
_COLUMN_PAD = 3


def _optional_cells(record: GenerationResponse) -> dict[str, str]:
    return {
        "pattern": " ".join(record.analysis.pattern_names) if record.analysis else "",
        "backend": record.backend or "",
        "seed": "" if record.seed is None else str(record.seed),
        "user": record.user_id or "",
    }


def history_table(records: list[GenerationResponse], width: int) -> Table:
    """The generations as a table that fits ``width`` characters: the whole id (to copy into
    ``history show``), the status, when it was made and the image or error always; the
    pattern, backend, seed and user while there is room beside 70 characters of the image or
    error, in that order; the date in full when there is room for it too. Ids and times never
    wrap; the outcome is cut with an ellipsis to fit, whole when it can be."""
    from rich import box  # noqa: PLC0415 - for people only
    from rich.table import Table  # noqa: PLC0415

    optional = [_optional_cells(record) for record in records]

    def widest(header: str, cells: list[str]) -> int:
        return max([len(header), *(len(cell) for cell in cells)])

    ids = widest("id", [r.generation_id for r in records])
    statuses = widest("status", [r.status.value for r in records])
    short_time, long_time = len("12-31 23:59"), len("created (UTC)") + 6
    used = ids + statuses + short_time + 3 * _COLUMN_PAD
    outcomes = widest("image or error", [_outcome(record) for record in records])
    # the optional columns and the full date only where the outcome keeps this much room
    wanted = min(outcomes, _OUTCOME_WANTED)
    chosen: dict[str, int] = {}
    for name in _OPTIONAL_COLUMNS:
        need = widest(name, [cells[name] for cells in optional])
        if any(cells[name] for cells in optional) and (used + need + _COLUMN_PAD + wanted <= width):
            chosen[name] = need
            used += need + _COLUMN_PAD
    full_time = used + (long_time - short_time) + wanted <= width
    if full_time:
        used += long_time - short_time

    table = Table(
        title=f"{len(records)} generations",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column("id", no_wrap=True, width=ids)
    table.add_column("status", no_wrap=True, width=statuses)
    table.add_column(
        "created (UTC)" if full_time else "created",
        no_wrap=True,
        width=long_time if full_time else short_time,
    )
    for name, need in chosen.items():
        justify: Literal["left", "right"] = "right" if name == "seed" else "left"
        table.add_column(name, no_wrap=True, width=need, justify=justify)
    table.add_column(
        "image or error",
        no_wrap=True,
        overflow="ellipsis",
        width=max(_OUTCOME_MIN, min(outcomes, width - used)),
    )
    time_format = "%Y-%m-%d %H:%M:%S" if full_time else "%m-%d %H:%M"
    for record, cells in zip(records, optional, strict=True):
        table.add_row(
            record.generation_id,
            record.status.value,
            record.created_at.strftime(time_format),
            *(cells[name] for name in chosen),
            _outcome(record),
        )
    return table


@history_app.command("list")
def history_list(
    user: Annotated[str | None, typer.Option("--user", "-u", help="Only this user's.")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help=f"Only these statuses ({STATUSES}); repeatable."),
    ] = None,
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch's.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500, help="How many.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """The latest generations on record, newest first."""
    wanted = _statuses(status)
    records = _with_service(
        lambda service: service.history(owner=user, statuses=wanted, batch_id=batch, limit=limit)
    )
    if as_json:
        print_json([result_json(record) for record in records])
        return
    console = new_console()
    console.print(history_table(records, console.width))


@history_app.command("batch")
def history_batch(
    batch_id: Annotated[str, typer.Argument(help="A batch id (from POST /v1/batches).")],
    as_json: JsonOption = False,
) -> None:
    """A batch's progress: how many of its generations are in each status, done of total."""
    progress = _with_service(lambda service: service.batch_progress(batch_id, items=False))
    if as_json:
        print_json(progress.model_dump(mode="json", exclude={"items"}))
        return
    counts = ", ".join(f"{n} {status.value}" for status, n in sorted(progress.counts.items()))
    finished = (
        f"finished {progress.completed_at:%Y-%m-%d %H:%M:%S} UTC"
        if progress.completed_at
        else "in progress"
    )
    new_console().print(
        f"[bold]{progress.batch_id}[/bold] · {progress.done} of {progress.total} done · "
        f"{counts or 'nothing recorded'} · {finished}"
    )


@history_app.command("show")
def history_show(generation_id: IdArgument, as_json: JsonOption = False) -> None:
    """One generation: its status, image, prompt, parameters and analysis."""
    record = _with_service(lambda service: service.get_generation(generation_id))
    if as_json:
        print_json(record.model_dump(mode="json"))
        return
    _print_record(record)


def _print_record(record: GenerationResponse) -> None:
    console = new_console()
    console.print(f"[bold]{record.generation_id}[/bold] · {record.status.value}")
    facts: list[tuple[str, Any]] = [
        ("user", record.user_id),
        ("created", record.created_at.isoformat(timespec="seconds")),
        ("completed", record.completed_at and record.completed_at.isoformat(timespec="seconds")),
        ("backend", record.backend),
        ("seed", record.seed),
        ("batch", record.batch_id and f"{record.batch_id} #{record.batch_index}"),
        ("re-lights", record.parent_id),
        ("image", record.image_path or record.image_key),
        ("cost", None if record.cost_usd is None else f"${record.cost_usd:.2f}"),
        ("took", None if record.duration_s is None else f"{record.duration_s:.1f} s"),
        ("error", record.error),
    ]
    for name, value in facts:
        if value not in (None, ""):
            console.print(f"  {name:<10} {value}")
    if record.analysis is not None:
        console.print(f"  {'light':<10} {record.analysis.summary}")
    if record.adherence is not None:
        overall = record.adherence.overall
        score = "" if overall is None else f"{overall:.0%} · "
        console.print(f"  {'checked':<10} {score}{record.adherence.verdict}")
        for finding in record.adherence.findings:
            console.print(f"  {'':<10} · {finding}")


@history_app.command("verify")
def history_verify(generation_id: IdArgument, as_json: JsonOption = False) -> None:
    """Check a generation's image against its request again and keep the score."""
    record = _with_service(lambda service: service.check_generation(generation_id))
    if as_json:
        print_json(result_json(record))
    else:
        _print_record(record)


@history_app.command("resume")
def history_resume(generation_id: IdArgument, as_json: JsonOption = False) -> int:
    """Run an interrupted (or still queued) generation again: same request, prompt and seed."""
    record = _with_service(lambda service: service.resume_generation(generation_id))
    if as_json:
        print_json(result_json(record))
    else:
        _print_record(record)
    return 0 if record.status is GenerationStatus.SUCCESS else 1


@history_app.command("fail")
def history_fail(
    generation_id: IdArgument,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, for the record.")
    ] = "failed by hand after an interruption",
    as_json: JsonOption = False,
) -> None:
    """Close an interrupted (or queued) generation as failed."""
    record = _with_service(lambda service: service.fail_generation(generation_id, reason))
    if as_json:
        print_json(result_json(record))
    else:
        _print_record(record)


@history_app.command("recover")
def history_recover(as_json: JsonOption = False) -> None:
    """Declare interrupted every running generation whose process stopped (its lease ran out)."""
    found = _with_service(lambda service: service.recover())
    if as_json:
        print_json({"interrupted": found})
        return
    console = new_console()
    console.print(f"{len(found)} generation(s) declared interrupted")
    for generation_id in found:
        console.print(f"  {generation_id}: lightrig history resume|fail {generation_id}")
