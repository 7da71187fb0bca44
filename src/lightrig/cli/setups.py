"""Saved setups: ``lightrig setups`` (list, save, show, rename, delete, share, unshare, export,
import).

Like ``lightrig history``, it works on the metadata store the settings name
(``LIGHTRIG_DATABASE_URL``, SQLite under ``LIGHTRIG_DATA_DIR`` by default), through the service:
the ``server`` extra. Setups belong to a user: ``--user`` names one (by name or id); without
it, the local user — whose setups the studio keeps on a server run without keys. A setup is
named by its name or id. Files are setup files (:mod:`lightrig.models.setup_file`): what the
studio's Export writes and reads back.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    PresetOption,
    new_console,
    print_json,
    read_json,
    request_from,
    run_async,
    service_for,
    settings_for,
)
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.models.setup_file import setup_file

if TYPE_CHECKING:
    from lightrig.db.base import SavedSetup
    from lightrig.service import LightingGenerationService

__all__ = ["LOCAL_USER", "setup_json", "setups_app"]

T = TypeVar("T")

#: The user a server without keys serves (the studio's setups there), and the default here.
LOCAL_USER = "local"
#: Where a share link is shown to open, unless --base-url says otherwise (``lightrig serve``).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

setups_app = typer.Typer(
    help="Saved setups: list, save, show, rename, delete, share, export and import them.",
    no_args_is_help=True,
)

SetupArg = Annotated[
    str, typer.Argument(help="The setup's name or id (see `lightrig setups list`).")
]
UserOption = Annotated[
    str,
    typer.Option(
        "--user",
        "-u",
        help="Whose setups: a user's name or id (default: the local user of a server without "
        "keys, whose setups the studio keeps there).",
    ),
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name", "-n", help="The name to keep it under (default: the file's).", show_default=False
    ),
]
OverwriteOption = Annotated[
    bool,
    typer.Option("--overwrite", help="Save over your setup of that name (it keeps its links)."),
]


def _with_service(user: str, use: Callable[[LightingGenerationService, str], Awaitable[T]]) -> T:
    """``use(service, owner)``, ``owner`` being the user id ``user`` names."""
    settings = settings_for()

    async def run() -> T:
        async with service_for(settings, "saved setups") as service:
            return await use(service, await _owner(service, user))

    return run_async(run())


async def _owner(service: LightingGenerationService, user: str) -> str:
    """The id of the user named ``user`` (by name or id); the local user as it is."""
    if user == LOCAL_USER:
        return LOCAL_USER
    found = await service.store.get_user(user)
    if found is None:
        known = [each.name for each in await service.store.list_users()]
        names = ", ".join(known) if known else "none yet"
        raise BadInputError(
            f"--user: no user {user!r}; users: {names} (or {LOCAL_USER}, the default)"
        )
    return found.id


def setup_json(setup: SavedSetup) -> dict[str, Any]:
    """A saved setup for scripts: what ``GET /v1/setups/{id}`` answers, with its owner."""
    return {
        "setup_id": setup.id,
        "name": setup.name,
        "user_id": setup.user_id,
        "created_at": setup.created_at.isoformat(),
        "updated_at": setup.updated_at.isoformat(),
        "shared": setup.shared,
        "request": setup.request.model_dump(mode="json"),
    }


def _lights(request: SceneRequest) -> str:
    """The setup's lights in a few words: ``key 45° left, 30° up, 1.5 m, 80%; fill …``."""
    said = []
    for role, light in request.lighting_setup.items():
        azimuth = light.azimuth or 0.0
        side = "left" if azimuth < 0 else "right" if azimuth > 0 else "front"
        words = (
            f"{role.value} {abs(azimuth):.0f}° {side}, {light.elevation or 0.0:.0f}° up, "
            f"{light.distance:g} m, {light.intensity:.0%}"
        )
        said.append(words if light.enabled else f"{words} (off)")
    return "; ".join(said)


def _print_setup(setup: SavedSetup) -> None:
    console = new_console()
    console.print(f"[bold]{setup.name}[/bold] · {setup.id}")
    for name, value in (
        ("saved", setup.updated_at.isoformat(timespec="seconds")),
        ("made", setup.created_at.isoformat(timespec="seconds")),
        ("shared", "yes: a link works" if setup.shared else "no"),
        ("lights", _lights(setup.request)),
        ("subject", setup.request.subject_description),
    ):
        console.print(f"  {name:<8} {value}", markup=False)


@setups_app.command("list")
def setups_list(
    user: UserOption = LOCAL_USER,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """A user's saved setups, the latest saved or renamed first."""
    found = _with_service(user, lambda service, owner: service.list_setups(owner, limit=limit))
    if as_json:
        print_json([setup_json(setup) for setup in found])
        return
    from rich.table import Table  # noqa: PLC0415 - for people only

    table = Table(title=f"{len(found)} saved setups", title_justify="left")
    for heading in ("name", "id", "saved (UTC)", "shared", "lights"):
        table.add_column(heading, no_wrap=heading != "lights")
    for setup in found:
        table.add_row(
            setup.name,
            setup.id,
            setup.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
            "yes" if setup.shared else "",
            ", ".join(role.value for role in setup.request.lighting_setup),
        )
    new_console().print(table)


@setups_app.command("save")
def setups_save(
    name: Annotated[str, typer.Argument(help="The name to keep it under, unique among yours.")],
    setup: Annotated[
        Path | None,
        typer.Argument(help="A setup file (a scene request, or a lighting setup keyed by role)."),
    ] = None,
    preset: PresetOption = None,
    overwrite: OverwriteOption = False,
    user: UserOption = LOCAL_USER,
    as_json: JsonOption = False,
) -> None:
    """Save a setup file or a preset under a name."""
    request = request_from(setup, preset)
    saved = _with_service(
        user,
        lambda service, owner: service.save_setup(owner, name, request, overwrite=overwrite),
    )
    _saved(saved, as_json)


def _saved(saved: SavedSetup, as_json: bool) -> None:
    if as_json:
        print_json(setup_json(saved))
        return
    again = saved.updated_at != saved.created_at
    new_console().print(
        f"{'saved over' if again else 'saved'} [bold]{saved.name}[/bold] ({saved.id})"
    )


@setups_app.command("show")
def setups_show(
    setup: SetupArg, user: UserOption = LOCAL_USER, as_json: JsonOption = False
) -> None:
    """One saved setup: when it was saved, whether it is shared, its lights."""
    found = _with_service(user, lambda service, owner: service.get_setup(owner, setup))
    if as_json:
        print_json(setup_json(found))
        return
    _print_setup(found)


@setups_app.command("rename")
def setups_rename(
    setup: SetupArg,
    name: Annotated[str, typer.Argument(help="The new name, unique among yours.")],
    user: UserOption = LOCAL_USER,
    as_json: JsonOption = False,
) -> None:
    """Give a saved setup a new name."""
    renamed = _with_service(user, lambda service, owner: service.rename_setup(owner, setup, name))
    if as_json:
        print_json(setup_json(renamed))
        return
    new_console().print(f"renamed to [bold]{renamed.name}[/bold] ({renamed.id})")


@setups_app.command("delete")
def setups_delete(
    setup: SetupArg, user: UserOption = LOCAL_USER, as_json: JsonOption = False
) -> None:
    """Delete a saved setup; its share links stop working."""
    removed = _with_service(user, lambda service, owner: service.delete_setup(owner, setup))
    if as_json:
        print_json(setup_json(removed))
        return
    new_console().print(f"deleted [bold]{removed.name}[/bold] ({removed.id}) and its share links")


@setups_app.command("share")
def setups_share(
    setup: SetupArg,
    base_url: Annotated[
        str, typer.Option("--base-url", help="The server the link opens the studio on.")
    ] = DEFAULT_BASE_URL,
    user: UserOption = LOCAL_USER,
    as_json: JsonOption = False,
) -> None:
    """Make a read-only link that opens the setup in the studio without a key (the token is
    shown this once; links made before keep working)."""
    shared, made, token = _with_service(
        user, lambda service, owner: service.share_setup(owner, setup)
    )
    url = f"{base_url.rstrip('/')}/?share={token}"
    if as_json:
        print_json(
            {
                "setup_id": shared.id,
                "token": token,
                "url": url,
                "api_path": f"/v1/shared/{token}",
                "created_at": made.created_at.isoformat(),
            }
        )
        return
    console = new_console()
    console.print(f"a read-only link to [bold]{shared.name}[/bold]:")
    console.print(url, markup=False, soft_wrap=True)
    console.print("Shown this once; revoke with `lightrig setups unshare`.", markup=False)


@setups_app.command("unshare")
def setups_unshare(
    setup: SetupArg, user: UserOption = LOCAL_USER, as_json: JsonOption = False
) -> None:
    """Revoke every share link to a saved setup (they answer 404 from then on)."""
    found, revoked = _with_service(user, lambda service, owner: service.unshare_setup(owner, setup))
    if as_json:
        print_json({**setup_json(found), "revoked": revoked})
        return
    new_console().print(f"revoked {revoked} link(s) to [bold]{found.name}[/bold]")


@setups_app.command("export")
def setups_export(
    setup: SetupArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The file to write (default: standard output)."),
    ] = None,
    user: UserOption = LOCAL_USER,
    as_json: JsonOption = False,
) -> None:
    """Write a saved setup as a setup file — what the studio's Export writes."""
    found = _with_service(user, lambda service, owner: service.get_setup(owner, setup))
    text = json.dumps(setup_file(found.request), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"--out {out}: {exc.strerror or exc}") from None
    if as_json:
        print_json({"setup_id": found.id, "name": found.name, "file": str(out)})
        return
    new_console().print(f"wrote [bold]{found.name}[/bold] to {out}")


@setups_app.command("import")
def setups_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A setup file (what Export writes: a scene request, or a lighting setup keyed "
            "by role), or a saved setup as the API answers it ({name, request})."
        ),
    ],
    name: NameOption = None,
    overwrite: OverwriteOption = False,
    user: UserOption = LOCAL_USER,
    as_json: JsonOption = False,
) -> None:
    """Save a setup file under a name (the file's name, unless --name says)."""
    request, named = _imported(file)
    chosen = name if name is not None else named or file.stem
    saved = _with_service(
        user,
        lambda service, owner: service.save_setup(owner, chosen, request, overwrite=overwrite),
    )
    _saved(saved, as_json)


def _imported(file: Path) -> tuple[SceneRequest, str | None]:
    """The scene request a setup file holds, and the name it gives (a saved setup as the API
    answers it: ``{"name": ..., "request": ...}``); anything else is one line of bad input."""
    document = read_json(file)
    named = None
    if isinstance(document, dict) and isinstance(document.get("request"), dict):
        given = document.get("name")
        named = given if isinstance(given, str) else None
        document = document["request"]
    try:
        return parse_scene_request(document), named
    except InvalidLightingSetupError as exc:
        raise BadInputError(f"{file}: {exc}") from None
