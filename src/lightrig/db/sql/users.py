"""Users and their API keys in SQL: made, found, listed, revoked, and keys checked.

Only a key's SHA-256 and its first 10 characters are stored. A key is checked by finding the
candidates with its (non-secret) prefix and comparing hashes in constant time; its last use is
written down at most once a minute, so that requests do not all queue for a write. Times are
UTC.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from lightrig.db.base import ApiKeyInfo, User, UserStore, hash_api_key, new_api_key
from lightrig.db.sql.database import OnDatabase
from lightrig.db.sql.times import utc_now
from lightrig.db.tables import API_KEYS, USERS
from lightrig.errors import DuplicateUserError, RecordNotFoundError

__all__ = ["SqlUsers"]

_MAX_NAME = 200  # characters
_PREFIX_LENGTH = 10  # characters of a key kept to tell keys apart
_LAST_USED_EVERY = timedelta(seconds=60)  # how often a key's last use is written down


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(id=m["id"], name=m["name"], created_at=m["created_at"], revoked_at=m["revoked_at"])


def _api_key(row: Row[Any]) -> ApiKeyInfo:
    m = row._mapping
    return ApiKeyInfo(
        id=m["id"],
        user_id=m["user_id"],
        prefix=m["prefix"],
        created_at=m["created_at"],
        revoked_at=m["revoked_at"],
        last_used_at=m["last_used_at"],
    )


class SqlUsers(OnDatabase, UserStore):
    """:class:`~lightrig.db.base.UserStore` in SQL."""

    async def create_user(self, name: str) -> tuple[User, str]:
        """A new user and their first API key (shown only now).

        ``name``: 1-200 characters, no surrounding spaces (:class:`ValueError` otherwise);
        :class:`~lightrig.errors.DuplicateUserError` when it is taken.
        """
        if not name or name != name.strip() or len(name) > _MAX_NAME:
            raise ValueError(
                f"a user name is 1-{_MAX_NAME} characters without surrounding spaces: {name!r}"
            )
        now = utc_now()
        user = User(id=str(uuid.uuid4()), name=name, created_at=now)
        try:
            async with self._db.writing() as connection:
                await connection.execute(
                    insert(USERS).values(id=user.id, name=name, created_at=now)
                )
                _, key = await _insert_key(connection, user.id, now)
        except IntegrityError as error:
            raise DuplicateUserError(f"a user named {name!r} exists already") from error
        return user, key

    async def create_api_key(self, user_id: str) -> tuple[ApiKeyInfo, str]:
        """Another API key for the active user with id ``user_id`` (shown only now);
        :class:`~lightrig.errors.RecordNotFoundError` for an unknown or revoked user."""
        async with self._db.writing() as connection:
            active = await connection.scalar(
                select(USERS.c.id).where(USERS.c.id == user_id, USERS.c.revoked_at.is_(None))
            )
            if active is None:
                raise RecordNotFoundError(f"no active user with id {user_id!r}")
            return await _insert_key(connection, user_id, utc_now())

    async def get_user(self, user: str) -> User | None:
        """The user whose id, or else whose name, is ``user``."""
        async with self._db.reading() as connection:
            return await _find_user(connection, user)

    async def list_users(self) -> list[User]:
        """Every user, oldest first, revoked ones included."""
        async with self._db.reading() as connection:
            rows = await connection.execute(select(USERS).order_by(USERS.c.created_at, USERS.c.id))
            return [_user(row) for row in rows]

    async def list_api_keys(self, user_id: str) -> list[ApiKeyInfo]:
        """The keys of the user with id ``user_id``, oldest first, revoked ones included (none
        for an unknown user)."""
        async with self._db.reading() as connection:
            rows = await connection.execute(
                select(API_KEYS)
                .where(API_KEYS.c.user_id == user_id)
                .order_by(API_KEYS.c.created_at, API_KEYS.c.id)
            )
            return [_api_key(row) for row in rows]

    async def revoke_user(self, user: str) -> User:
        """Revoke a user (by id or name) and every key of theirs, now (a user revoked before
        keeps that time); :class:`~lightrig.errors.RecordNotFoundError` when there is none."""
        now = utc_now()
        async with self._db.writing() as connection:
            found = await _find_user(connection, user)
            if found is None:
                raise RecordNotFoundError(f"no user with id or name {user!r}")
            await connection.execute(
                update(USERS)
                .where(USERS.c.id == found.id, USERS.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            await connection.execute(
                update(API_KEYS)
                .where(API_KEYS.c.user_id == found.id, API_KEYS.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            row = (await connection.execute(select(USERS).where(USERS.c.id == found.id))).one()
            return _user(row)

    async def authenticate(self, api_key: str) -> User | None:
        """The active user whose unrevoked key ``api_key`` is; ``None`` for any other string.

        Candidate keys are found by their (non-secret) prefix and the hashes compared in
        constant time, so response times tell nothing about the key. The key's
        ``last_used_at`` (UTC) is recorded, at most once a minute.
        """
        if not api_key:
            return None
        digest = hash_api_key(api_key)
        query = (
            select(
                USERS,
                API_KEYS.c.id.label("key_id"),
                API_KEYS.c.key_hash,
                API_KEYS.c.last_used_at,
            )
            .join(API_KEYS, API_KEYS.c.user_id == USERS.c.id)
            .where(
                API_KEYS.c.prefix == api_key[:_PREFIX_LENGTH],
                API_KEYS.c.revoked_at.is_(None),
                USERS.c.revoked_at.is_(None),
            )
        )
        async with self._db.reading() as connection:
            candidates = (await connection.execute(query)).all()
        found = None
        for row in candidates:  # every candidate is compared: no early exit
            if hmac.compare_digest(row._mapping["key_hash"], digest):
                found = row
        if found is None:
            return None
        now = utc_now()
        last = found._mapping["last_used_at"]
        if last is None or now - last > _LAST_USED_EVERY:
            async with self._db.writing() as connection:
                await connection.execute(
                    update(API_KEYS)
                    .where(API_KEYS.c.id == found._mapping["key_id"])
                    .values(last_used_at=now)
                )
        return _user(found)


async def _insert_key(
    connection: AsyncConnection, user_id: str, now: datetime
) -> tuple[ApiKeyInfo, str]:
    """A new key for ``user_id``, made ``now``: stored as its prefix and hash; the key."""
    key = new_api_key()
    info = ApiKeyInfo(
        id=str(uuid.uuid4()), user_id=user_id, prefix=key[:_PREFIX_LENGTH], created_at=now
    )
    await connection.execute(
        insert(API_KEYS).values(
            id=info.id,
            user_id=user_id,
            prefix=info.prefix,
            key_hash=hash_api_key(key),
            created_at=now,
        )
    )
    return info, key


async def _find_user(connection: AsyncConnection, user: str) -> User | None:
    """The user whose id, or else whose name, is ``user``."""
    for column in (USERS.c.id, USERS.c.name):
        row = (await connection.execute(select(USERS).where(column == user))).first()
        if row is not None:
            return _user(row)
    return None
