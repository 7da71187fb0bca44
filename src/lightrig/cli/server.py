"""Running lightrig as a server: ``serve`` (the REST API and the studio page), ``worker`` (jobs
from the distributed queue), ``users`` (who may call the API) and ``mock-bria`` (a local stand-in
for Bria's API, for demos).

The API and the user records need the ``server`` extra, a worker the ``fleet`` extra too; each
command imports them when it runs.
"""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    new_console,
    print_json,
    run_async,
    service_for,
    settings_for,
)
from lightrig.cli.store_check import users_exist
from lightrig.db.factory import embedded_store_not_made
from lightrig.extras import needs_extra, require_extra

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from lightrig.backends.preview import PreviewBackend
    from lightrig.config import Settings
    from lightrig.db.base import MetadataStore, User

__all__ = ["mock_bria", "serve", "users_app", "worker"]

T = TypeVar("T")

users_app = typer.Typer(help="Users and their API keys.", no_args_is_help=True)


async def on_store(
    settings: Settings, purpose: str, use: Callable[[MetadataStore], Awaitable[T]]
) -> T:
    """``use`` on the metadata store of ``settings``, migrated first and closed after."""
    with needs_extra(purpose, "server"):
        from lightrig.db.factory import create_store  # noqa: PLC0415 - SQLAlchemy: the server extra

        store = create_store(settings)
    try:
        await store.migrate()
        return await use(store)
    finally:
        await store.aclose()


async def any_user(store: MetadataStore) -> bool:
    """Whether ``store`` holds an active user (then every request needs a key)."""
    return any(user.active for user in await store.list_users())


def _with_store(use: Callable[[MetadataStore], Awaitable[T]]) -> T:
    return run_async(on_store(settings_for(), "user accounts", use))


def _is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _warming_previews() -> Future[PreviewBackend]:
    """The preview renderer, made and warmed up in a thread started now (its kernels load while
    the API is built and the browser loads the studio): a future of it, done once it is made
    (its warm-up goes on; the app's own warm-up call waits for it)."""
    made: Future[PreviewBackend] = Future()

    def warm() -> None:
        try:
            from lightrig.backends.preview import PreviewBackend  # noqa: PLC0415 - NumPy, numba

            previews = PreviewBackend()
        except BaseException as exc:  # told by the app's build, which waits for it
            made.set_exception(exc)
            return
        made.set_result(previews)
        with contextlib.suppress(Exception):  # the app's warm-up tells a failure: it renders again
            previews.warm_up()

    threading.Thread(target=warm, name="lightrig:warm-previews", daemon=True).start()
    return made


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the REST API (OpenAPI at /docs) and the studio page.

    Without any user made (`lightrig users create NAME`), requests need no API key — and the
    server then only listens on a loopback address.
    """
    with needs_extra("the REST server", "server"):
        import uvicorn  # noqa: PLC0415 - only the server needs it

        from lightrig.api.boot import BootingApp  # noqa: PLC0415
        from lightrig.api.first_calls import FirstCalls  # noqa: PLC0415
        from lightrig.api.logs import configure_logging  # noqa: PLC0415
        from lightrig.web import STATIC_DIR  # noqa: PLC0415
    # the API is imported in a thread once the server listens: what it needs is checked now
    require_extra("server", "the REST server", "fastapi", "sqlalchemy", "alembic")

    settings = settings_for()
    # starting makes next to no garbage, yet the collector would walk every object the imports
    # make, again and again: about a fifth of the start-up's time. It runs again once the API is
    # built, over only what is made from then on (the start-up's objects frozen out of its way)
    gc.disable()

    # the renderer loads (a thread of this process) while the store is checked (a process of
    # its own: the other core); an embedded store not made yet holds no users, and is made by
    # the API. A store that cannot be used is told in one line before anything listens
    previews = _warming_previews()
    if embedded_store_not_made(settings):
        keyed = False
    else:
        keyed = users_exist(lambda: run_async(on_store(settings, "the REST server", any_user)))
    if not keyed and not _is_loopback(host):
        raise BadInputError(
            f"refusing to serve on {host} without API keys: anyone could use it; make a user "
            "with `lightrig users create NAME` first, or serve on 127.0.0.1"
        )
    configure_logging(settings.log_level)
    first_calls = FirstCalls(
        previews, anonymous=not keyed, max_body_bytes=settings.api_max_body_bytes
    )

    def build() -> ASGIApp:
        from lightrig.api.app import create_app  # noqa: PLC0415 - built while the server listens

        try:
            app = create_app(settings, allow_anonymous=not keyed, previews=previews.result())
            if first_calls.previews_answered:
                app.state.previewed.set()  # the start-up's later work waits for no other
            return app
        finally:
            gc.freeze()
            gc.enable()

    def stop() -> None:
        server.should_exit = True

    # with users the studio's calls need the API's key checks: the API is built at once
    booting = BootingApp(
        build, STATIC_DIR, on_failure=stop, first_calls=None if keyed else first_calls
    )
    server = uvicorn.Server(
        uvicorn.Config(booting, host=host, port=port, log_config=None, access_log=False)
    )
    shown = f"[{host}]" if ":" in host else host
    new_console().print(
        f"lightrig API on http://{shown}:{port}/ (docs /docs)"
        + ("" if keyed else " — no users yet: open to this machine only")
    )
    server.run()
    if booting.error is not None:
        raise booting.error


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Jobs run at once (default LIGHTRIG_JOB_CONCURRENCY)."),
    ] = None,
) -> None:
    """Run generation jobs from the distributed queue (LIGHTRIG_QUEUE_URL) until stopped.

    Start any number, on any machines sharing the database (LIGHTRIG_DATABASE_URL), the image
    storage (LIGHTRIG_STORAGE_URL), Redis (LIGHTRIG_REDIS_URL) and the queue. Each claims a job
    in the database before running it, renews its lease while it runs, and takes up the jobs
    of workers that died. SIGTERM or Ctrl-C: stop taking jobs, finish those running, exit.
    """
    import asyncio  # noqa: PLC0415 - the worker's event loop
    import signal  # noqa: PLC0415

    settings = settings_for()
    if not settings.queue_url:
        raise BadInputError(
            "LIGHTRIG_QUEUE_URL: a worker takes jobs from the distributed queue; set it to "
            "redis://host:port/db (the same on the API processes)"
        )
    from lightrig.api.logs import configure_logging  # noqa: PLC0415 - the standard library's

    with needs_extra("the worker", "fleet"):
        import lightrig.jobs.taskiq_queue  # noqa: F401, PLC0415 - Taskiq: the fleet extra

    if concurrency is not None:
        settings = settings.model_copy(update={"job_concurrency": concurrency})
    configure_logging(settings.log_level)
    # Alembic names each of its plugins at info level whenever it loads: noise, not news
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with service_for(settings, "the worker") as service:
            typer.echo(
                f"lightrig worker {service.runner.worker} taking jobs from "
                f"{settings.queue_name}, {settings.job_concurrency} at once"
            )
            sys.stdout.flush()
            await service.work(stop)

    run_async(main())


def mock_bria(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8765,
    token: Annotated[str, typer.Option(help="The API token it accepts.")] = "test-token",
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds a job takes.")] = 0.25,
    rpm: Annotated[int, typer.Option(min=1, help="Requests per minute per endpoint.")] = 600,
    window: Annotated[
        float, typer.Option(min=0.1, help="Seconds the limit is enforced over (60: per minute).")
    ] = 60.0,
) -> None:
    """Run a local mock of Bria's API v2 for demos (point LIGHTRIG_BRIA_BASE_URL at it)."""
    from lightrig.testing.mock_bria import run_mock_bria  # noqa: PLC0415 - test tooling

    run_mock_bria(
        host=host,
        port=port,
        token=token,
        latency_s=latency,
        requests_per_minute=rpm,
        rate_window_s=window,
    )


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
    from rich.table import Table  # noqa: PLC0415 - for people only

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
