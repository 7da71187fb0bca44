"""The command line's record keeping: ``lightrig history`` and ``lightrig users``.

Both work on the metadata store the settings name (``LIGHTRIG_DATABASE_URL``, SQLite under
``LIGHTRIG_DATA_DIR`` by default).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.table import Table

from lightrig.cli_common import BadInputError, JsonOption, new_console, print_json, result_json
from lightrig.config import Settings
from lightrig.db.base import MetadataStore, User
from lightrig.db.factory import create_store
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.service import LightingGenerationService

__all__ = ["history_app", "users_app"]

T = TypeVar("T")

history_app = typer.Typer(
    help="Generations on record: list, show, follow a batch, resume or fail interrupted ones.",
    no_args_is_help=True,
)
users_app = typer.Typer(help="Users and their API keys.", no_args_is_help=True)

IdArgument = Annotated[str, typer.Argument(help="A generation id (see `lightrig history list`).")]
STATUSES = ", ".join(status.value for status in GenerationStatus)


def _with_service(use: Callable[[LightingGenerationService], Awaitable[T]]) -> T:
    async def run() -> T:
        async with LightingGenerationService(Settings()) as service:
            return await use(service)

    return asyncio.run(run())


def _with_store(use: Callable[[MetadataStore], Awaitable[T]]) -> T:
    async def run() -> T:
        store = create_store(Settings())
        try:
            await store.migrate()
            return await use(store)
        finally:
            await store.aclose()

    return asyncio.run(run())


def _statuses(names: list[str] | None) -> list[GenerationStatus]:
    chosen = []
    for name in names or []:
        try:
            chosen.append(GenerationStatus(name))
        except ValueError:
            raise BadInputError(f"--status {name!r} is not one of: {STATUSES}") from None
    return chosen


def _short(text: str | None, width: int = 48) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _generation_line(record: GenerationResponse) -> list[str]:
    names = " ".join(record.analysis.pattern_names) if record.analysis else ""
    outcome = record.error if record.error else (record.image_key or "")
    return [
        record.generation_id,
        record.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        record.status.value,
        record.user_id or "",
        record.backend or "",
        "" if record.seed is None else str(record.seed),
        names,
        _short(outcome),
    ]


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
    table = Table(title=f"{len(records)} generations", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=32)  # whole, to copy into `history show`
    for header in ("created (UTC)", "status", "user", "backend", "seed", "pattern", ""):
        table.add_column(header, overflow="fold")
    for record in records:
        table.add_row(*_generation_line(record))
    new_console().print(table)


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


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "created_at": user.created_at.isoformat(),
        "revoked_at": None if user.revoked_at is None else user.revoked_at.isoformat(),
        "active": user.active,
    }


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Argument(help="A unique name: 1–64 letters, digits, . _ @ -")],
    as_json: JsonOption = False,
) -> None:
    """Make a user and print their API key — shown this once only."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or not all(c.isalnum() or c in "._@-" for c in cleaned):
        raise BadInputError(f"user name {name!r}: use 1–64 letters, digits or . _ @ - (no spaces)")
    user, key = _with_store(lambda store: store.create_user(cleaned))
    if as_json:
        print_json({**_user_json(user), "api_key": key})
        return
    console = new_console()
    console.print(f"created user [bold]{user.name}[/bold] ({user.id})")
    console.print(f"API key: {key}")
    console.print("This key is shown once; lightrig keeps only its hash.")


@users_app.command("list")
def users_list(as_json: JsonOption = False) -> None:
    """Every user, revoked ones included."""
    users = _with_store(lambda store: store.list_users())
    if as_json:
        print_json([_user_json(user) for user in users])
        return
    table = Table(title=f"{len(users)} users", title_justify="left")
    for header in ("id", "name", "created (UTC)", "status"):
        table.add_column(header)
    for user in users:
        table.add_row(
            user.id,
            user.name,
            user.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "active" if user.active else "revoked",
        )
    new_console().print(table)


@users_app.command("revoke")
def users_revoke(
    user: Annotated[str, typer.Argument(help="The user's name or id.")],
    as_json: JsonOption = False,
) -> None:
    """Revoke a user and all their API keys."""
    revoked = _with_store(lambda store: store.revoke_user(user))
    if as_json:
        print_json(_user_json(revoked))
        return
    new_console().print(f"revoked {revoked.name} ({revoked.id}) and all their API keys")
