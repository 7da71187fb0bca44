"""Who is asking: API keys per user, sent as ``Authorization: Bearer <key>``.

Keys are made with ``lightrig users create``; the store keeps only their SHA-256, finds a key's
candidates by its non-secret prefix and compares the hashes in constant time. A missing, unknown
or revoked key answers 401 with ``WWW-Authenticate: Bearer``.

With ``allow_anonymous`` (the server decides: only on a loopback address, and only while no user
has been made), requests without a key act as the local user ``local``, so that ``make run``
works on a fresh machine. "Without a key" includes an empty one — ``Authorization: Bearer ``,
what ``curl -H "Authorization: Bearer $KEY"`` sends while ``$KEY`` is unset — but a key that is
sent is checked: a wrong one is refused even then (its sender meant to be someone). Once any
user exists, every request needs a key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from fastapi import Request

from lightrig.api.logs import USER_ID
from lightrig.api.problems import ProblemError
from lightrig.db.base import MetadataStore

__all__ = ["ANONYMOUS", "Authenticator", "Principal"]


@dataclass(frozen=True)
class Principal:
    """The user a request is served for."""

    user_id: str
    name: str
    anonymous: bool = False


#: The user of a server that runs without keys, on loopback only.
ANONYMOUS = Principal(user_id="local", name="local", anonymous=True)

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lightrig"'}
#: Seconds the answer to "has any user been made?" is reused.
_USERS_CHECK_S = 5.0


class Authenticator:
    """Resolves a request's API key to a :class:`Principal` (or refuses it)."""

    def __init__(self, store: MetadataStore, *, allow_anonymous: bool) -> None:
        self.store = store
        self.allow_anonymous = allow_anonymous
        self._users_exist: tuple[float, bool] | None = None

    async def _any_user(self) -> bool:
        now = time.monotonic()
        if self._users_exist is not None and now - self._users_exist[0] < _USERS_CHECK_S:
            return self._users_exist[1]
        found = any(user.active for user in await self.store.list_users())
        self._users_exist = (now, found)
        return found

    async def __call__(self, request: Request) -> Principal:
        header = request.headers.get("authorization")
        scheme, _, key = (header or "").strip().partition(" ")
        key = key.strip()
        if not key and scheme.lower() in ("", "bearer"):  # no key, or an empty one
            if self.allow_anonymous and not await self._any_user():
                USER_ID.set(ANONYMOUS.user_id)
                return ANONYMOUS
            if header is None:
                raise ProblemError(
                    401, "an API key is required: Authorization: Bearer <key>", headers=_CHALLENGE
                )
        if scheme.lower() != "bearer" or not key:
            raise ProblemError(
                401, "the Authorization header must be 'Bearer <key>'", headers=_CHALLENGE
            )
        user = await self.store.authenticate(key)  # by prefix, hashes compared in constant time
        if user is None:
            hint = ""
            if self.allow_anonymous and not await self._any_user():
                hint = (
                    " (no user has been made yet: send no key, or make one with "
                    "`lightrig users create`)"
                )
            raise ProblemError(401, f"the API key is unknown or revoked{hint}", headers=_CHALLENGE)
        USER_ID.set(user.id)
        return Principal(user_id=user.id, name=user.name)
