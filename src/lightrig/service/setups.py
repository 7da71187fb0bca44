"""Saved setups: lighting setups a user keeps under names of their own (saved, listed, read,
renamed, deleted), and read-only links that open one without an API key (made, revoked,
followed).

Every call but :meth:`Setups.shared` is on behalf of an owner; another user's setup is "not
found", so ids and names cannot be probed. A setup is named by its id or, where a person names
it (the command line), its name. Names and requests are checked here, before the store is
asked: bad input is an :class:`~lightrig.errors.InvalidLightingSetupError` on the field at fault
(``name``, ``request.…``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from lightrig.db.base import SavedSetup, ShareLink, nul_text_at, setup_name_problem
from lightrig.errors import FieldError, InvalidLightingSetupError, RecordNotFoundError
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.service.adapters import Adapters

__all__ = ["Setups", "checked_name", "checked_request"]


def checked_name(name: str, field: str = "name") -> str:
    """``name`` when it will do as a setup's name; else an
    :class:`~lightrig.errors.InvalidLightingSetupError` on ``field`` saying what was got and
    what is accepted."""
    problem = setup_name_problem(name)
    if problem is not None:
        raise InvalidLightingSetupError([FieldError(field, problem)])
    return name


def checked_request(request: SceneRequest | Mapping[str, Any]) -> SceneRequest:
    """``request`` validated into a scene request (JSON-like data: a scene request or a
    lighting setup keyed by role), whose text can be stored: an
    :class:`~lightrig.errors.InvalidLightingSetupError` on each failing field (``request.…``)
    otherwise."""
    try:
        scene = request if isinstance(request, SceneRequest) else parse_scene_request(request)
    except InvalidLightingSetupError as exc:
        raise InvalidLightingSetupError(
            [FieldError(f"request.{e.loc}" if e.loc else "request", e.message) for e in exc.errors]
        ) from None
    nul = nul_text_at(scene.model_dump(mode="json"))
    if nul is not None:
        message = "holds a NUL character (\\u0000), which cannot be stored; remove it"
        raise InvalidLightingSetupError([FieldError(f"request.{nul}", message)])
    return scene


class Setups:
    """What can be done with saved setups. ``ready`` is awaited before any work (the store's
    schema brought up to date)."""

    def __init__(self, parts: Adapters, ready: Callable[[], Awaitable[object]]) -> None:
        self.parts = parts
        self._ready = ready

    async def save(
        self,
        owner: str,
        name: str,
        request: SceneRequest | Mapping[str, Any],
        *,
        overwrite: bool = False,
    ) -> SavedSetup:
        """Keep ``request`` as ``owner``'s setup ``name``; with ``overwrite``, over the one of
        that name (its id and links stay). :class:`~lightrig.errors.DuplicateSetupError` for a
        name in use otherwise."""
        name = checked_name(name)
        scene = checked_request(request)
        await self._ready()
        return await self.parts.store.save_setup(owner, name, scene, overwrite=overwrite)

    async def list(self, owner: str, *, limit: int = 100) -> list[SavedSetup]:
        """Up to ``limit`` (1 to 500) of ``owner``'s setups, the latest saved or renamed
        first."""
        await self._ready()
        return await self.parts.store.list_setups(owner, limit=limit)

    async def get(self, owner: str, setup: str) -> SavedSetup:
        """``owner``'s setup whose id, else whose name, is ``setup``;
        :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        await self._ready()
        found = await self.parts.store.get_setup(setup, owner=owner)
        if found is None:
            raise RecordNotFoundError(f"no saved setup {setup!r}")
        return found

    async def rename(self, owner: str, setup: str, name: str) -> SavedSetup:
        """Give ``owner``'s setup (by id or name) the name ``name``; the setup renamed."""
        name = checked_name(name)
        found = await self.get(owner, setup)
        return await self.parts.store.rename_setup(found.id, name, owner=owner)

    async def delete(self, owner: str, setup: str) -> SavedSetup:
        """Remove ``owner``'s setup (by id or name) and its links; the setup removed."""
        found = await self.get(owner, setup)
        return await self.parts.store.delete_setup(found.id, owner=owner)

    async def share(self, owner: str, setup: str) -> tuple[SavedSetup, ShareLink, str]:
        """A new read-only link to ``owner``'s setup (by id or name): the setup, the link and
        its token (shown only now)."""
        found = await self.get(owner, setup)
        link, token = await self.parts.store.share_setup(found.id, owner=owner)
        return found, link, token

    async def unshare(self, owner: str, setup: str) -> tuple[SavedSetup, int]:
        """Revoke every link to ``owner``'s setup (by id or name): the setup and how many
        links stopped working."""
        found = await self.get(owner, setup)
        revoked = await self.parts.store.revoke_shares(found.id, owner=owner)
        return await self.get(owner, found.id), revoked

    async def shared(self, token: str) -> SavedSetup:
        """The setup a link's ``token`` opens; :class:`~lightrig.errors.RecordNotFoundError`
        for a token that is unknown or revoked, or whose setup was deleted (one answer for
        all, so tokens cannot be probed)."""
        await self._ready()
        found = await self.parts.store.shared_setup(token)
        if found is None:
            raise RecordNotFoundError("no shared setup at this link: it is unknown or was revoked")
        return found
