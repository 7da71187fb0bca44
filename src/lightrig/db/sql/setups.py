"""Saved setups in SQL: kept per owner under unique names, listed, renamed, deleted, and shared
read-only through links.

A setup's scene request is stored as the JSON it validates from (``model_dump(mode="json")``)
and validated again when read. A link's token is stored only as its SHA-256, looked up through
a unique index: the token is 256 random bits, so its hash is as unguessable as the token and
finding it by equality tells nothing of other tokens. Times are UTC.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from lightrig.db.base import (
    SavedSetup,
    SetupStore,
    ShareLink,
    hash_share_token,
    new_share_token,
    nul_text_at,
    setup_name_problem,
)
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.times import utc_now
from lightrig.db.tables import SAVED_SETUPS, SETUP_SHARES
from lightrig.errors import DuplicateSetupError, RecordNotFoundError
from lightrig.models.scene import SceneRequest

__all__ = ["SqlSetups"]

_MAX_LIMIT = 500  # setups listed at once, at most


def _shared() -> ColumnElement[bool]:
    """Whether the setup of the row at hand has a link that works (for its ``shared``): a
    subquery on the links correlated with ``saved_setups`` only, so that it stays one when the
    query joins the links too."""
    working = select(SETUP_SHARES.c.id).where(
        SETUP_SHARES.c.setup_id == SAVED_SETUPS.c.id, SETUP_SHARES.c.revoked_at.is_(None)
    )
    return working.correlate(SAVED_SETUPS).exists().label("shared")


def _query() -> Any:
    """Every column of ``saved_setups`` and whether the setup is shared."""
    return select(SAVED_SETUPS, _shared())


def _setup(row: Row[Any]) -> SavedSetup:
    m = row._mapping
    return SavedSetup(
        id=m["id"],
        user_id=m["user_id"],
        name=m["name"],
        request=SceneRequest.model_validate(m["request"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        shared=bool(m["shared"]),
    )


def _checked_name(name: str) -> str:
    problem = setup_name_problem(name)
    if problem is not None:
        raise ValueError(f"a setup's name: {problem}")
    return name


class SqlSetups(OnDatabase, SetupStore):
    """:class:`~lightrig.db.base.SetupStore` in SQL."""

    async def save_setup(
        self, owner: str, name: str, request: SceneRequest, *, overwrite: bool = False
    ) -> SavedSetup:
        """Keep ``request`` as ``owner``'s setup ``name`` (a new one, or with ``overwrite``
        the one of that name, which keeps its id and links); the setup as saved.
        :class:`~lightrig.errors.DuplicateSetupError` for a name in use without
        ``overwrite``; :class:`ValueError` for a name that is no name, or a request whose
        text holds a NUL character."""
        _checked_name(name)
        document = request.model_dump(mode="json")
        nul = nul_text_at(document)
        if nul is not None:
            raise ValueError(f"{nul}: holds a NUL character, which cannot be stored")
        now = utc_now()
        try:
            async with self._db.writing() as connection:
                found = await connection.scalar(
                    select(SAVED_SETUPS.c.id).where(
                        SAVED_SETUPS.c.user_id == owner, SAVED_SETUPS.c.name == name
                    )
                )
                if found is not None and not overwrite:
                    raise DuplicateSetupError(name)
                if found is None:
                    found = str(uuid.uuid4())
                    await connection.execute(
                        insert(SAVED_SETUPS).values(
                            id=found,
                            user_id=owner,
                            name=name,
                            request=document,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                else:
                    await connection.execute(
                        update(SAVED_SETUPS)
                        .where(SAVED_SETUPS.c.id == found)
                        .values(request=document, updated_at=now)
                    )
                return await _stored(connection, found)
        except IntegrityError as error:  # another writer took the name in between
            raise DuplicateSetupError(name) from error

    async def list_setups(self, owner: str, *, limit: int = 100) -> list[SavedSetup]:
        """Up to ``limit`` (1 to 500) of ``owner``'s setups, the latest saved or renamed
        first."""
        if not 1 <= limit <= _MAX_LIMIT:
            raise ValueError(f"limit must be from 1 to {_MAX_LIMIT}, not {limit!r}")
        query = (
            _query()
            .where(SAVED_SETUPS.c.user_id == owner)
            .order_by(SAVED_SETUPS.c.updated_at.desc(), SAVED_SETUPS.c.id.desc())
            .limit(limit)
        )
        async with self._db.reading() as connection:
            return [_setup(row) for row in await connection.execute(query)]

    async def get_setup(self, setup: str, *, owner: str) -> SavedSetup | None:
        """``owner``'s setup whose id, else whose name, is ``setup``."""
        async with self._db.reading() as connection:
            for column in (SAVED_SETUPS.c.id, SAVED_SETUPS.c.name):
                row = (
                    await connection.execute(
                        _query().where(SAVED_SETUPS.c.user_id == owner, column == setup)
                    )
                ).first()
                if row is not None:
                    return _setup(row)
        return None

    async def rename_setup(self, setup_id: str, name: str, *, owner: str) -> SavedSetup:
        """Rename ``owner``'s setup (its ``updated_at`` becomes now, unless the name is its
        own already); :class:`~lightrig.errors.RecordNotFoundError`,
        :class:`~lightrig.errors.DuplicateSetupError`, :class:`ValueError`."""
        _checked_name(name)
        try:
            async with self._db.writing() as connection:
                current = await _owned(connection, setup_id, owner)
                if current.name != name:
                    await connection.execute(
                        update(SAVED_SETUPS)
                        .where(SAVED_SETUPS.c.id == setup_id)
                        .values(name=name, updated_at=utc_now())
                    )
                return await _stored(connection, setup_id)
        except IntegrityError as error:  # the owner has another setup of that name
            raise DuplicateSetupError(name) from error

    async def delete_setup(self, setup_id: str, *, owner: str) -> SavedSetup:
        """Remove ``owner``'s setup and its links; the setup as it was."""
        async with self._db.writing() as connection:
            removed = await _owned(connection, setup_id, owner)
            await connection.execute(
                delete(SETUP_SHARES).where(SETUP_SHARES.c.setup_id == setup_id)
            )
            await connection.execute(delete(SAVED_SETUPS).where(SAVED_SETUPS.c.id == setup_id))
            return removed

    async def share_setup(self, setup_id: str, *, owner: str) -> tuple[ShareLink, str]:
        """A new link to ``owner``'s setup, and its token (shown only now)."""
        token = new_share_token()
        now = utc_now()
        link = ShareLink(id=str(uuid.uuid4()), setup_id=setup_id, created_at=now)
        async with self._db.writing() as connection:
            await _owned(connection, setup_id, owner)
            await connection.execute(
                insert(SETUP_SHARES).values(
                    id=link.id,
                    setup_id=setup_id,
                    token_hash=hash_share_token(token),
                    created_at=now,
                )
            )
        return link, token

    async def revoke_shares(self, setup_id: str, *, owner: str) -> int:
        """Revoke every working link to ``owner``'s setup now; how many there were."""
        async with self._db.writing() as connection:
            await _owned(connection, setup_id, owner)
            result = await connection.execute(
                update(SETUP_SHARES)
                .where(SETUP_SHARES.c.setup_id == setup_id, SETUP_SHARES.c.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
            return int(result.rowcount)

    async def shared_setup(self, token: str) -> SavedSetup | None:
        """The setup an unrevoked link's ``token`` opens (``None`` for any other string)."""
        if not token:
            return None
        query = (
            _query()
            .join(SETUP_SHARES, SETUP_SHARES.c.setup_id == SAVED_SETUPS.c.id)
            .where(
                SETUP_SHARES.c.token_hash == hash_share_token(token),
                SETUP_SHARES.c.revoked_at.is_(None),
            )
        )
        async with self._db.reading() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else _setup(row)


async def _owned(connection: AsyncConnection, setup_id: str, owner: str) -> SavedSetup:
    """``owner``'s setup with id ``setup_id``; :class:`RecordNotFoundError` when they have
    none (another user's is not theirs: not found either)."""
    row = (
        await connection.execute(
            _query().where(SAVED_SETUPS.c.id == setup_id, SAVED_SETUPS.c.user_id == owner)
        )
    ).first()
    if row is None:
        raise RecordNotFoundError(f"no saved setup with id {setup_id!r}")
    return _setup(row)


async def _stored(connection: AsyncConnection, setup_id: str) -> SavedSetup:
    """The setup with this id as it now stands (one must exist)."""
    return _setup((await connection.execute(_query().where(SAVED_SETUPS.c.id == setup_id))).one())
