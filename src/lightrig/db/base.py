"""The metadata-store contract: users and their API keys, generations, batches.

Generations are kept as records (:class:`~lightrig.records.GenerationRecord`), whose
transitions :mod:`lightrig.records.lifecycle` defines as pure functions; the store makes the
same changes durably, each a compare-and-set. A generation's record is written before the image
backend is called and completed after it, so a crash in between leaves a record that says so. A
generation someone waits for lives::

    running ──finish──▶ success | error
       └─ lease expired ─▶ interrupted ──claim──▶ running (resumed)
                                └──fail──▶ error

and a *job* (added ``queued``, run by the job queue's workers)::

    queued ──claim──▶ running ──finish──▶ success | error
      ▲                 │ └─ host failed, worth retrying ─▶ retrying ─(due)─┐
      │                 └─ lease expired (worker died) ───▶ retrying ─(due)─┤
      └───────────────────────────── reap: handed to the queue again ◀──────┘
    (after max attempts the retry is an error instead)

A running record holds a *lease*: the worker renews it while it works; once it has expired,
:meth:`MetadataStore.interrupt_expired` declares a waited-for record interrupted and
:meth:`MetadataStore.reap_jobs` makes a job retrying, from any process. The host's id for the
work is written down as soon as the host takes it (:meth:`MetadataStore.note_submission`), so
the next run collects it instead of submitting again. Every transition is a compare-and-set on
the status, so two processes never both claim or finish one record.

API keys are random, high-entropy secrets: only their SHA-256 is stored, with a short prefix to
show which key is which. A key is shown once, when it is made.

Users keep lighting setups under names of their own (:class:`SetupStore`); a setup can be shared
read-only through links whose tokens are, like API keys, random secrets stored only as their
SHA-256 and shown once.

The contract comes in parts, one a concern: :class:`StoreLifecycle`, :class:`UserStore`,
:class:`GenerationStore`, :class:`RunStore`, :class:`JobStore`, :class:`BatchStore` and
:class:`SetupStore`; :class:`MetadataStore` is all of them, what the service is given.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from lightrig.errors import (
    DuplicateSetupError,
    DuplicateUserError,
    RecordNotFoundError,
    StaleRecordError,
)
from lightrig.models.adherence import Adherence
from lightrig.models.generation import GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.records.record import GenerationRecord

__all__ = [
    "API_KEY_PREFIX",
    "MAX_SETUP_NAME",
    "SETUP_NAME_PATTERN",
    "SHARE_TOKEN_PREFIX",
    "ApiKeyInfo",
    "BatchRecord",
    "BatchStore",
    "DuplicateSetupError",
    "DuplicateUserError",
    "GenerationStore",
    "JobStore",
    "MetadataStore",
    "ReapedJobs",
    "RecordNotFoundError",
    "RunStore",
    "SavedSetup",
    "SetupStore",
    "ShareLink",
    "StaleRecordError",
    "StoreLifecycle",
    "User",
    "UserStore",
    "hash_api_key",
    "hash_share_token",
    "new_api_key",
    "new_share_token",
    "nul_text_at",
    "setup_name_problem",
]

#: Every lightrig API key starts with this, so a leaked one is recognisable.
API_KEY_PREFIX = "lr_"


def new_api_key() -> str:
    """A new API key: ``lr_`` and 43 URL-safe characters (256 random bits)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """The SHA-256 hex digest of ``key``: what is stored and looked up."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


#: Every share link's token starts with this, so a leaked one is recognisable.
SHARE_TOKEN_PREFIX = "lrs_"

#: The longest a saved setup's name may be, in characters.
MAX_SETUP_NAME = 100

#: White space (besides the control characters, refused anywhere) a name may not start or end
#: with, spelt out rather than ``\s``, whose meaning differs between Python and JSON Schema.
_SPACES = r"\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
#: Control characters (C0, DEL, C1) and the line and paragraph separators: refused anywhere.
_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
#: What a saved setup's name is, as a regular expression that Python and JSON Schema read
#: alike: no control character or line break anywhere, no white space at either end.
SETUP_NAME_PATTERN = f"^[^{_CONTROLS}{_SPACES}](?:[^{_CONTROLS}]*[^{_CONTROLS}{_SPACES}])?$"
_SETUP_NAME = re.compile(SETUP_NAME_PATTERN)


def setup_name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a saved setup's name (one line saying what was got and
    what is accepted), or ``None`` when it will do: 1 to :data:`MAX_SETUP_NAME` characters, no
    control character, line break or lone surrogate, no white space at either end."""
    shown = name if len(name) <= 40 else name[:40] + "…"
    accepted = (
        f"accepted: 1-{MAX_SETUP_NAME} characters, without control characters or white "
        "space at either end"
    )
    if not name:
        return f"got an empty name; {accepted}"
    if len(name) > MAX_SETUP_NAME:
        return f"got {len(name)} characters ({shown!r}); {accepted}"
    if not _SETUP_NAME.fullmatch(name) or any("\ud800" <= c <= "\udfff" for c in name):
        return f"got {shown!r}; {accepted}"
    return None


def nul_text_at(document: Any, path: str = "") -> str | None:
    """The dotted path (from ``path``) of the first text in a JSON ``document`` — a key or a
    value — that holds a NUL character, which PostgreSQL cannot keep in a JSON document (nor
    in text); ``None`` when there is none."""
    if isinstance(document, str):
        return path if "\x00" in document else None
    if isinstance(document, dict):
        for key, value in document.items():
            inner = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return inner
            found = nul_text_at(value, inner)
            if found is not None:
                return found
    if isinstance(document, list):
        for index, value in enumerate(document):
            found = nul_text_at(value, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def new_share_token() -> str:
    """A new share link's token: ``lrs_`` and 43 URL-safe characters (256 random bits)."""
    return SHARE_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_share_token(token: str) -> str:
    """The SHA-256 hex digest of a share link's ``token``: what is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class User:
    """Someone who may use the service. ``id`` is a UUID string; ``name`` is unique."""

    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


@dataclass(frozen=True)
class ApiKeyInfo:
    """An API key as stored: never the key, only its first characters and its hash."""

    id: str
    user_id: str
    prefix: str  #: the key's first 10 characters, to tell keys apart
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True)
class ReapedJobs:
    """What :meth:`MetadataStore.reap_jobs` did: the jobs to hand to the queue (now marked as
    handed), and those finished as errors because they ran out of attempts."""

    requeued: list[str]
    failed: list[str]


@dataclass(frozen=True)
class BatchRecord:
    """A batch: its owner, its size, and its generations' ids in order (``None`` for items not
    yet recorded)."""

    id: str
    user_id: str | None
    created_at: datetime
    total: int
    generation_ids: tuple[str | None, ...] = ()
    completed_at: datetime | None = None


@dataclass(frozen=True)
class SavedSetup:
    """A lighting setup a user saved under a name: the scene request as it was validated.

    ``id`` is a UUID string; ``user_id`` the owner (the id a request is served for, as
    generations' owners are); ``name`` is unique among the owner's setups;
    ``updated_at`` is when it was last saved or renamed (UTC); ``shared``: whether a share
    link to it works now."""

    id: str
    user_id: str
    name: str
    request: SceneRequest
    created_at: datetime
    updated_at: datetime
    shared: bool = False


@dataclass(frozen=True)
class ShareLink:
    """A read-only link to a saved setup, as stored: never its token, only the token's
    hash."""

    id: str
    setup_id: str
    created_at: datetime
    revoked_at: datetime | None = None


@runtime_checkable
class StoreLifecycle(Protocol):
    """A store's life: its schema brought up to date, its health probed, its connections
    released."""

    async def migrate(self) -> None:
        """Bring the schema up to date (applied on start; a no-op when it is)."""
        ...

    async def health(self) -> str:
        """Probe the store for real (a round trip); a short description of it."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


@runtime_checkable
class UserStore(Protocol):
    """Users and their API keys."""

    async def create_user(self, name: str) -> tuple[User, str]:
        """A new user and their first API key (the only time the key is seen);
        :class:`DuplicateUserError` when the name is taken, :class:`ValueError` for a name that
        is empty, longer than 200 characters or has surrounding spaces."""
        ...

    async def create_api_key(self, user_id: str) -> tuple[ApiKeyInfo, str]:
        """Another API key for an active user (by id); :class:`RecordNotFoundError` otherwise."""
        ...

    async def get_user(self, user: str) -> User | None:
        """The user with that id, else the one with that name, else ``None``."""
        ...

    async def list_users(self) -> list[User]:
        """Every user, oldest first, revoked ones included."""
        ...

    async def list_api_keys(self, user_id: str) -> list[ApiKeyInfo]:
        """A user's keys, oldest first, revoked ones included."""
        ...

    async def revoke_user(self, user: str) -> User:
        """Revoke a user (by id or name) and all their keys, now; the user as revoked (revoking
        again keeps the first time). :class:`RecordNotFoundError` when there is none."""
        ...

    async def authenticate(self, api_key: str) -> User | None:
        """The active user whose unrevoked key this is (recording its use in the key's
        ``last_used_at``), else ``None``."""
        ...


@runtime_checkable
class GenerationStore(Protocol):
    """Generation records: added, read, listed, deleted, their adherence written, the images they
    refer to looked up."""

    async def add_generation(self, record: GenerationRecord) -> None:
        """Insert a record as it is, normally ``queued`` (a job) or ``running`` (under the
        lease it holds; :class:`ValueError` for a running record without one), as
        :func:`~lightrig.records.lifecycle.queue` and :func:`~lightrig.records.lifecycle.start`
        make them.

        :class:`RecordNotFoundError` when ``record.batch_id`` names no batch,
        :class:`ValueError` when a record with its id exists."""
        ...

    async def get_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationRecord | None:
        """The record, or ``None`` (also when ``owner`` is given and does not own it)."""
        ...

    async def list_generations(
        self,
        *,
        owner: str | None = None,
        statuses: Sequence[GenerationStatus] = (),
        batch_id: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
        gate_id: str | None = None,
    ) -> list[GenerationRecord]:
        """Up to ``limit`` records (1 to 500, else :class:`ValueError`), newest first (by
        ``created_at``, then id), filtered by owner, statuses (any when empty), batch and
        adherence gate (``gate_id``: its attempts);
        ``before`` keeps those created strictly earlier (the last one's ``created_at`` gives
        the next page)."""
        ...

    async def delete_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationRecord:
        """Remove a finished (``success``, ``error``) or ``interrupted`` record (``owner``'s,
        when given) and return it; :class:`RecordNotFoundError` when there is none,
        :class:`StaleRecordError` while it is queued or running."""
        ...

    async def set_adherence(
        self, generation_id: str, adherence: Adherence | None
    ) -> GenerationRecord:
        """Write a ``success`` record's adherence (its image checked again); the record as it
        then is. :class:`StaleRecordError` from other states, :class:`RecordNotFoundError`
        when there is none."""
        ...

    async def image_in_use(self, image_key: str) -> bool:
        """Whether any generation's record refers to the image under ``image_key``."""
        ...

    async def owns_image(self, image_key: str, owner: str) -> bool:
        """Whether one of ``owner``'s generations stored the image under ``image_key``."""
        ...


@runtime_checkable
class RunStore(Protocol):
    """A record's run: claimed under a worker's lease, renewed, the host's id noted, finished,
    failed, or interrupted once the lease has expired. Each step is a compare-and-set on the
    status."""

    async def claim_generation(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Make a ``queued``, ``interrupted`` or due ``retrying`` record ``running`` under
        ``worker``'s lease of ``lease_s`` seconds from now, counting one more attempt (an earlier
        run's error is cleared); ``False`` when
        it is in another state (someone else has it, or it is finished).
        :class:`RecordNotFoundError` when there is no such record; :class:`ValueError` for a
        ``lease_s`` that is not positive."""
        ...

    async def renew_lease(self, generation_id: str, worker: str, lease_s: float) -> bool:
        """Extend ``worker``'s lease on a running record to ``lease_s`` seconds from now;
        ``False`` when it is no longer ``worker``'s running record (or there is none)."""
        ...

    async def note_submission(self, generation_id: str, worker: str, request_id: str) -> bool:
        """Write down the host's id for ``worker``'s running record; ``False`` when it is not
        (or no longer) ``worker``'s running record."""
        ...

    async def finish_generation(
        self, record: GenerationRecord, *, worker: str | None = None
    ) -> None:
        """Complete a ``running`` (or ``interrupted``) record as ``success`` or ``error`` with
        the outcome ``record`` now carries, in one transaction: its status, image, host's id,
        cost, possible duplicates, duration, cache flag, adherence, error and ``completed_at``
        (now, UTC, when ``record`` has none; the columns are
        :data:`~lightrig.records.convert.OUTCOME_COLUMNS`) — never what was asked, which does
        not change, nor ``attempts``, which the store counts; the lease ends. With ``worker``,
        a running record must be ``worker``'s.

        :class:`StaleRecordError` when it is already finished (or still queued, or running
        under another worker),
        :class:`RecordNotFoundError` when there is none, :class:`ValueError` when
        ``record.status`` is not ``success`` or ``error``."""
        ...

    async def fail_generation(self, generation_id: str, reason: str) -> GenerationRecord:
        """Finish an ``interrupted``, ``queued`` or ``retrying`` record as ``error`` with
        ``reason``, now (UTC); the record as it then is. :class:`StaleRecordError` from other
        states, :class:`RecordNotFoundError` when there is none."""
        ...

    async def interrupt_expired(self, now: datetime | None = None) -> list[str]:
        """Declare every ``running`` record that is not a job and whose lease expired before
        ``now`` (UTC; default: the current time) ``interrupted``, its ``error`` saying so and
        when; their ids."""
        ...


@runtime_checkable
class JobStore(Protocol):
    """Jobs (records added ``queued``, run by the job queue's workers): retried, and reaped when
    their worker died or their message was lost."""

    async def retry_generation(
        self,
        generation_id: str,
        worker: str,
        reason: str,
        *,
        delay_s: float,
        max_attempts: int,
    ) -> GenerationRecord:
        """``worker``'s running job becomes ``retrying`` (due in ``delay_s`` seconds), or
        ``error`` once it has had ``max_attempts`` runs; the record. :class:`StaleRecordError`
        when it is not ``worker``'s running record."""
        ...

    async def reap_jobs(
        self, *, max_attempts: int, requeue_after_s: float, now: datetime | None = None
    ) -> ReapedJobs:
        """Jobs whose worker died become ``retrying`` (or ``error`` after ``max_attempts``);
        due retries, and queued jobs handed to the queue more than ``requeue_after_s`` seconds
        ago, are marked as handed again now and returned to be enqueued."""
        ...


@runtime_checkable
class BatchStore(Protocol):
    """Batches of generations."""

    async def add_batch(self, batch: BatchRecord) -> None:
        """Record a new batch (its items are linked as their generations are added with its
        ``batch_id`` and ``batch_index``; ``batch.generation_ids`` is not read).
        :class:`ValueError` when its id is taken or its total is negative."""
        ...

    async def get_batch(self, batch_id: str, *, owner: str | None = None) -> BatchRecord | None:
        """The batch with its items' generation ids by ``batch_index`` (``None`` for an index
        with no generation recorded yet), or ``None`` (also when ``owner`` is given and does not
        own it)."""
        ...

    async def finish_batch(self, batch_id: str) -> None:
        """Mark the batch complete, now (UTC); :class:`RecordNotFoundError` when there is
        none."""
        ...

    async def count_batch(self, batch_id: str) -> dict[GenerationStatus, int]:
        """How many of the batch's records are in each status (statuses with none left out)."""
        ...


@runtime_checkable
class SetupStore(Protocol):
    """Lighting setups each user keeps under names of their own, and read-only links to them.

    Every call but :meth:`shared_setup` is on behalf of an ``owner`` (a user id): another
    user's setups are, to them, as if they did not exist. A setup is named by its id, or (where
    it says so) by its name."""

    async def save_setup(
        self, owner: str, name: str, request: SceneRequest, *, overwrite: bool = False
    ) -> SavedSetup:
        """Keep ``request`` as ``owner``'s setup called ``name``; the setup as saved.

        :class:`DuplicateSetupError` when ``owner`` has a setup of that name, unless
        ``overwrite``: then that setup (its id, its links) holds ``request`` from now on.
        :class:`ValueError` for a name :func:`setup_name_problem` refuses, and for a request
        whose text holds a NUL character (:func:`nul_text_at`)."""
        ...

    async def list_setups(self, owner: str, *, limit: int = 100) -> list[SavedSetup]:
        """Up to ``limit`` (1 to 500, else :class:`ValueError`) of ``owner``'s setups, the
        latest saved or renamed first (by ``updated_at``, then id)."""
        ...

    async def get_setup(self, setup: str, *, owner: str) -> SavedSetup | None:
        """``owner``'s setup whose id, else whose name, is ``setup``; else ``None``."""
        ...

    async def rename_setup(self, setup_id: str, name: str, *, owner: str) -> SavedSetup:
        """Give ``owner``'s setup a new name; the setup renamed (renaming it to its own name
        changes nothing). :class:`RecordNotFoundError` when ``owner`` has no setup with that
        id, :class:`DuplicateSetupError` when another of theirs has the name,
        :class:`ValueError` for a name :func:`setup_name_problem` refuses."""
        ...

    async def delete_setup(self, setup_id: str, *, owner: str) -> SavedSetup:
        """Remove ``owner``'s setup and every link to it (they stop working); the setup as
        it was. :class:`RecordNotFoundError` when ``owner`` has no setup with that id."""
        ...

    async def share_setup(self, setup_id: str, *, owner: str) -> tuple[ShareLink, str]:
        """A new read-only link to ``owner``'s setup and its token (the only time the token
        is seen; links made before keep working). :class:`RecordNotFoundError` when ``owner``
        has no setup with that id."""
        ...

    async def revoke_shares(self, setup_id: str, *, owner: str) -> int:
        """Revoke every working link to ``owner``'s setup, now; how many there were.
        :class:`RecordNotFoundError` when ``owner`` has no setup with that id."""
        ...

    async def shared_setup(self, token: str) -> SavedSetup | None:
        """The setup an unrevoked link's ``token`` opens, else ``None`` (an unknown,
        revoked or empty token, or a deleted setup's)."""
        ...


@runtime_checkable
class MetadataStore(
    StoreLifecycle,
    UserStore,
    GenerationStore,
    RunStore,
    JobStore,
    BatchStore,
    SetupStore,
    Protocol,
):
    """Where users, API keys, generation records, batches and saved setups are kept: every
    part's protocol, in one store."""
