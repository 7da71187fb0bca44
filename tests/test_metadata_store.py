"""The metadata-store contract, held against every store of the registry, each made through it
from the settings: SQLite (a file in a temporary folder) and PostgreSQL (127.0.0.1:5432, a fresh
schema per test, dropped afterwards); then how the settings choose one.

Each test runs its own event loop (``asyncio.run``) and closes every engine it opens.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from lightrig.backends.base import GenerationParams
from lightrig.cli import main
from lightrig.config import DATABASES, Settings
from lightrig.db.base import (
    MAX_SETUP_NAME,
    BatchRecord,
    DuplicateSetupError,
    DuplicateUserError,
    MetadataStore,
    ReapedJobs,
    RecordNotFoundError,
    StaleRecordError,
    hash_api_key,
    hash_share_token,
    setup_name_problem,
)
from lightrig.db.factory import STORE_FACTORIES, create_store, database_name
from lightrig.db.sql import SqlMetadataStore, alembic_config, normalise_url
from lightrig.errors import InvalidSettingError
from lightrig.fibo.compile import prompt_json
from lightrig.models.generation import GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.records import GenerationRecord, Lease, StoredImage, lifecycle, to_response
from lightrig.records.convert import COLUMNS, to_row
from lightrig.registry import choose
from lightrig.verify.models import Adherence, AttributeScore
from tests.services import postgres_schema, require_postgres

T = TypeVar("T")

QUEUED = GenerationStatus.QUEUED
RUNNING = GenerationStatus.RUNNING
SUCCESS = GenerationStatus.SUCCESS
ERROR = GenerationStatus.ERROR
INTERRUPTED = GenerationStatus.INTERRUPTED
RETRYING = GenerationStatus.RETRYING


@dataclass(frozen=True)
class Target:
    """Where a test's store lives: a URL and, on PostgreSQL, a schema of its own; the store is
    made through the registry from the settings that name them."""

    url: str
    schema: str | None = None

    def store(self) -> SqlMetadataStore:
        settings = Settings(database_url=self.url, database_schema=self.schema)
        made = create_store(settings)
        assert isinstance(made, SqlMetadataStore), f"{database_name(settings)}: not a SQL store"
        return made

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite")


async def _drop(target: Target) -> None:
    store = target.store()
    try:
        await store.drop_schema()
    finally:
        await store.aclose()


def sqlite_target(tmp_path: Path) -> Iterator[Target]:
    yield Target(f"sqlite:///{tmp_path / 'data' / 'lightrig.db'}")


def postgresql_target(tmp_path: Path) -> Iterator[Target]:
    """The test database, in a schema of its own dropped afterwards."""
    found = Target(require_postgres(), postgres_schema())
    yield found
    asyncio.run(_drop(found))


#: How the contract sets up each metadata store of the registry: one registered without a
#: set-up here fails every contract test.
SET_UPS: dict[str, Callable[[Path], Iterator[Target]]] = {
    "sqlite": sqlite_target,
    "postgresql": postgresql_target,
}


@pytest.fixture(params=DATABASES)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    """A fresh, empty database of each kind the registry has."""
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} metadata store has no contract set-up in SET_UPS")
    for found in set_up(tmp_path):
        assert database_name(Settings(database_url=found.url)) == request.param
        yield found


def test_the_registry_holds_every_store_named_in_the_settings() -> None:
    assert tuple(STORE_FACTORIES) == DATABASES
    assert DATABASES[0] == "sqlite"  # the embedded default
    assert set(SET_UPS) == set(DATABASES)


def run(target: Target, body: Callable[[SqlMetadataStore], Awaitable[T]]) -> T:
    """``body`` on a migrated store of ``target``, in a fresh event loop; the store is closed
    afterwards."""

    async def main() -> T:
        store = target.store()
        try:
            await store.migrate()
            return await body(store)
        finally:
            await store.aclose()

    return asyncio.run(main())


async def on_connection(target: Target, use: Callable[[Connection], T]) -> T:
    """``use`` run on a connection of its own to ``target`` (bypassing the store)."""
    connect_args: dict[str, Any] = {}
    if target.schema is not None:
        connect_args["server_settings"] = {"search_path": target.schema}
    engine = create_async_engine(normalise_url(target.url), connect_args=connect_args)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(use)
    finally:
        await engine.dispose()


async def raw(target: Target, sql: str) -> list[dict[str, Any]]:
    """Rows of ``sql`` read straight from the database, bypassing the store."""
    return await on_connection(
        target, lambda connection: [dict(row._mapping) for row in connection.execute(text(sql))]
    )


async def status_of(store: SqlMetadataStore, generation_id: str) -> GenerationStatus:
    found = await store.get_generation(generation_id)
    assert found is not None, generation_id
    return found.status


T0 = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)


def image(key: str = "ab" * 32 + ".png") -> StoredImage:
    return StoredImage(
        url=f"file:///data/images/{key}", key=key, media_type="image/png", width=64, height=48
    )


def record(
    generation_id: str,
    status: GenerationStatus = QUEUED,
    *,
    image_key: str | None = None,
    **fields: Any,
) -> GenerationRecord:
    """A record in ``status`` with little in it: a queued one is a job, due at T0; one with
    ``image_key`` has that image."""
    if status is QUEUED:
        fields = {"job": True, "due_at": T0, **fields}
    if image_key is not None:
        fields["image"] = image(image_key)
    return GenerationRecord(
        generation_id=generation_id,
        created_at=fields.pop("created_at", T0),
        status=status,
        **fields,
    )


def running(generation_id: str, worker: str, lease_s: float, **fields: Any) -> GenerationRecord:
    """A record running under ``worker``'s lease of ``lease_s`` seconds from now."""
    now = datetime.now(UTC)
    return record(
        generation_id,
        RUNNING,
        attempts=1,
        started_at=now,
        lease=Lease(worker=worker, expires_at=now + timedelta(seconds=lease_s)),
        **fields,
    )


def full_record(generation_id: str = "full", **fields: Any) -> GenerationRecord:
    """A finished record with every field set, request, analysis and prompt included."""
    from lightrig.analysis.analyzer import LightingAnalyzer
    from lightrig.fibo.compile import compile_prompt
    from lightrig.presets import PRESETS

    request = PRESETS["rembrandt"].request()
    values: dict[str, Any] = {
        "generation_id": generation_id,
        "status": SUCCESS,
        "user_id": "user-1",
        "image": StoredImage(
            url="file:///data/images/ab%20cd.png",
            key="ab" * 32 + ".png",
            media_type="image/png",
            width=1024,
            height=768,
        ),
        "structured_prompt": compile_prompt(request),
        "request": request,
        "analysis": LightingAnalyzer().analyze(request),
        "backend": "bria",
        "backend_request_id": "req-123",
        "params": GenerationParams(
            seed=2**40 + 7,
            steps=50,
            guidance_scale=5.0 + 1e-7,
            aspect_ratio="4:3",
            negative_prompt={"style_medium": "digital illustration", "artistic_style": "x"},
            size=1024,
        ),
        "cost_usd": 0.03,
        "possible_duplicates": 2,
        "attempts": 3,
        "started_at": T0 + timedelta(seconds=1),
        "duration_s": 12.345678,
        "cached": True,
        "parent_id": "parent-1",
        "error": None,
        "created_at": T0,
        "completed_at": T0 + timedelta(seconds=13, microseconds=1),
    }
    values.update(fields)
    return GenerationRecord(**values)


def waiting(found: GenerationRecord) -> GenerationRecord:
    """``found`` as it was asked for, queued as a job at T0 (nothing run yet)."""
    return replace(
        found,
        status=QUEUED,
        attempts=0,
        started_at=None,
        job=True,
        due_at=T0,
        backend_request_id=None,
        image=None,
        cached=False,
        cost_usd=None,
        possible_duplicates=0,
        duration_s=None,
        adherence=None,
        completed_at=None,
    )


# --------------------------------------------------------------------------- lifecycle


def test_the_store_satisfies_the_protocol(target: Target) -> None:
    assert isinstance(target.store(), MetadataStore)


def _members(protocol: type) -> set[str]:
    return {name for name in vars(protocol) if not name.startswith("_")}


def test_the_protocol_is_its_parts_and_each_sql_part_keeps_one() -> None:
    """Every method of the contract belongs to exactly one part's protocol, and each part of
    the SQL store implements its own protocol's methods and no other public ones."""
    from collections import Counter

    from lightrig.db import base
    from lightrig.db.sql.batches import SqlBatches
    from lightrig.db.sql.generations import SqlGenerations
    from lightrig.db.sql.jobs import SqlJobs
    from lightrig.db.sql.runs import SqlRuns
    from lightrig.db.sql.setups import SqlSetups
    from lightrig.db.sql.users import SqlUsers

    parts = {
        base.UserStore: SqlUsers,
        base.GenerationStore: SqlGenerations,
        base.RunStore: SqlRuns,
        base.JobStore: SqlJobs,
        base.BatchStore: SqlBatches,
        base.SetupStore: SqlSetups,
    }
    owners = Counter(name for part in (base.StoreLifecycle, *parts) for name in _members(part))
    assert [name for name, count in owners.items() if count > 1] == []
    every = {name for cls in MetadataStore.__mro__[:-3] for name in _members(cls)}
    assert set(owners) == every
    assert len(every) == 37
    for protocol, implementation in parts.items():
        assert _members(implementation) == _members(protocol), implementation.__name__
    assert _members(base.StoreLifecycle) <= _members(SqlMetadataStore)


def test_migrate_is_idempotent_and_health_is_a_round_trip(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.migrate()  # again: a no-op
        other = target.store()
        try:
            await other.migrate()
        finally:
            await other.aclose()
        description = await store.health()
        if target.sqlite:
            assert description.startswith("sqlite ")
            assert description.endswith("lightrig.db (WAL)")
        else:
            assert description == f"postgresql 127.0.0.1:5432/test (schema {target.schema})"

    run(target, body)
    versions = asyncio.run(raw(target, "SELECT version_num FROM alembic_version"))
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    assert int(head) >= 2  # the newest revision, whatever number it has reached
    assert versions == [{"version_num": head}]
    if not target.sqlite:  # everything, the version table included, is in the schema
        tables = asyncio.run(
            raw(
                target,
                "SELECT table_name FROM information_schema.tables "
                f"WHERE table_schema = '{target.schema}' ORDER BY table_name",
            )
        )
        assert [row["table_name"] for row in tables] == [
            "alembic_version",
            "api_keys",
            "batches",
            "generations",
            "saved_setups",
            "setup_shares",
            "users",
        ]


def test_two_stores_migrating_at_once_both_succeed(target: Target) -> None:
    async def main() -> None:
        stores = [target.store(), target.store()]
        try:
            await asyncio.gather(*(store.migrate() for store in stores))
            assert await stores[1].list_users() == []
        finally:
            for store in stores:
                await store.aclose()

    asyncio.run(main())


def test_stores_on_different_databases_migrating_at_once_each_get_their_tables(
    tmp_path: Path,
) -> None:
    """Alembic's state is process-wide: migrations in one event loop must take turns, or one
    store's statements run on the other's connection ("table users already exists")."""

    async def main() -> None:
        stores = [SqlMetadataStore(f"sqlite:///{tmp_path / name / 'db.sqlite'}") for name in "abc"]
        try:
            await asyncio.gather(*(store.migrate() for store in stores))
            for store in stores:
                assert await store.list_users() == []
        finally:
            for store in stores:
                await store.aclose()

    asyncio.run(main())


def test_the_migrations_make_exactly_the_declared_tables(target: Target) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lightrig.db.tables import Base

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, Base.metadata)
        # Alembic's own table is no difference (it is only recognised in the default schema)
        return [diff for diff in found if "alembic_version" not in repr(diff)]

    async def body(store: SqlMetadataStore) -> list[Any]:
        return await on_connection(target, differences)

    assert run(target, body) == []


def test_every_field_of_a_generation_has_a_column() -> None:
    from lightrig.db.tables import GENERATIONS

    assert tuple(GENERATIONS.c.keys()) == COLUMNS
    assert tuple(to_row(full_record())) == COLUMNS


# --------------------------------------------------------------------------- users and keys


def test_users_are_created_found_listed_and_unique(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        alice, alice_key = await store.create_user("alice")
        bob, _ = await store.create_user("bob")
        assert alice.name == "alice"
        assert alice.active
        assert alice.created_at.tzinfo is UTC
        assert alice_key.startswith("lr_")
        assert await store.get_user(alice.id) == alice
        assert await store.get_user("alice") == alice
        assert await store.get_user("carol") is None
        assert await store.list_users() == [alice, bob]
        with pytest.raises(DuplicateUserError, match="alice"):
            await store.create_user("alice")
        for bad in ("", " alice", "x" * 201):
            with pytest.raises(ValueError, match="user name"):
                await store.create_user(bad)
        assert await store.list_users() == [alice, bob]  # nothing half-made

    run(target, body)


def test_api_keys_authenticate_and_record_their_use(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        alice, first = await store.create_user("alice")
        info, second = await store.create_api_key(alice.id)
        assert second != first
        assert info.user_id == alice.id
        assert info.prefix == second[:10]
        keys = await store.list_api_keys(alice.id)
        assert [key.prefix for key in keys] == [first[:10], second[:10]]
        assert all(key.last_used_at is None for key in keys)

        assert await store.authenticate(second) == alice
        used = {key.id: key.last_used_at for key in await store.list_api_keys(alice.id)}
        last = used[info.id]
        assert last is not None
        assert last.tzinfo is UTC
        assert sum(value is not None for value in used.values()) == 1
        assert await store.authenticate(first) == alice
        assert await store.authenticate(second) == alice
        again = {key.id: key.last_used_at for key in await store.list_api_keys(alice.id)}
        assert all(value is not None for value in again.values())
        newer = again[info.id]
        assert newer is not None
        assert newer >= last

        assert await store.authenticate("lr_" + "x" * 43) is None
        assert await store.authenticate("") is None
        with pytest.raises(RecordNotFoundError):
            await store.create_api_key("no-such-user")
        assert await store.list_api_keys("no-such-user") == []

    run(target, body)


def test_the_plaintext_key_is_never_stored(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> list[str]:
        alice, first = await store.create_user("alice")
        _, second = await store.create_api_key(alice.id)
        return [first, second]

    keys = run(target, body)
    rows = asyncio.run(raw(target, "SELECT * FROM api_keys ORDER BY created_at"))
    rows += asyncio.run(raw(target, "SELECT * FROM users"))
    for key in keys:
        assert not any(key in str(value) for row in rows for value in row.values())
    assert [row["key_hash"] for row in rows[:2]] == [hash_api_key(key) for key in keys]


def test_a_revoked_user_cannot_authenticate_nor_get_keys(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        alice, first = await store.create_user("alice")
        _, second = await store.create_api_key(alice.id)
        bob, bob_key = await store.create_user("bob")
        revoked = await store.revoke_user("alice")
        assert revoked.id == alice.id
        assert not revoked.active
        assert revoked.revoked_at is not None
        assert await store.authenticate(first) is None
        assert await store.authenticate(second) is None
        assert all(key.revoked_at is not None for key in await store.list_api_keys(alice.id))
        with pytest.raises(RecordNotFoundError):
            await store.create_api_key(alice.id)
        assert await store.revoke_user(alice.id) == revoked  # again: keeps the first time
        assert await store.list_users() == [revoked, bob]
        assert await store.authenticate(bob_key) == bob
        with pytest.raises(RecordNotFoundError):
            await store.revoke_user("carol")

    run(target, body)


# --------------------------------------------------------------------------- generations


def test_a_generation_goes_queued_running_success(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        queued = waiting(full_record("g1"))
        await store.add_generation(queued)
        assert await store.get_generation("g1") == queued
        assert await store.claim_generation("g1", "worker-a", 30.0)
        assert await status_of(store, "g1") is RUNNING
        assert await store.renew_lease("g1", "worker-a", 30.0)
        done = full_record("g1")
        await store.finish_generation(done)
        # the store counts the runs itself, and keeps the job's bookkeeping; a finish writes
        # the outcome only
        found = await store.get_generation("g1")
        assert found is not None
        assert found.started_at is not None
        expected = replace(done, attempts=1, job=True, due_at=T0, started_at=found.started_at)
        assert found == expected
        with pytest.raises(StaleRecordError, match="success"):
            await store.finish_generation(done)
        assert not await store.renew_lease("g1", "worker-a", 30.0)
        assert not await store.claim_generation("g1", "worker-b", 30.0)
        with pytest.raises(StaleRecordError):
            await store.fail_generation("g1", "too late")
        assert await store.get_generation("g1") == expected

    run(target, body)


def test_a_full_record_round_trips_exactly(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_batch(BatchRecord(id="b1", user_id="user-1", created_at=T0, total=1))
        original = full_record("g1", batch_id="b1", batch_index=0)
        await store.add_generation(original)
        found = await store.get_generation("g1")
        assert found == original
        assert found is not None
        assert found.request == original.request
        assert found.analysis == original.analysis
        assert found.structured_prompt == original.structured_prompt
        # to the letter, key order included: FIBO is sent the prompt's text in key order
        assert json.dumps(to_response(found).model_dump(mode="json")) == json.dumps(
            to_response(original).model_dump(mode="json")
        )
        assert json.dumps(to_row(found), default=str) == json.dumps(to_row(original), default=str)
        assert found.structured_prompt is not None
        assert original.structured_prompt is not None
        assert prompt_json(found.structured_prompt) == prompt_json(original.structured_prompt)
        assert found.created_at.tzinfo is UTC

        # a running record finished: its outcome written, what was asked left as it was
        started = replace(
            waiting(original),
            generation_id="g2",
            status=RUNNING,
            attempts=1,
            job=False,
            due_at=None,
            started_at=T0,
            lease=Lease(worker="w", expires_at=datetime.now(UTC) + timedelta(seconds=30)),
        )
        await store.add_generation(started)
        assert await store.get_generation("g2") == started
        outcome = replace(original, generation_id="g2", completed_at=None, attempts=7)
        await store.finish_generation(replace(outcome, analysis=None, request=None))
        finished = await store.get_generation("g2")
        assert finished is not None
        assert finished.completed_at is not None
        assert finished == replace(
            outcome,
            attempts=1,
            started_at=T0,
            completed_at=finished.completed_at,
        )

    run(target, body)


def test_a_job_whose_worker_died_runs_again_then_gives_up(target: Target) -> None:
    """reap_jobs: an expired job becomes retrying and is handed back to the queue; after
    ``max_attempts`` runs it is an error. A generation someone waited for is left to
    ``interrupt_expired`` (and a job is never declared interrupted)."""

    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("job"))
        await store.add_generation(running("waited", "w0", 1.0))
        assert await store.claim_generation("job", "w1", 1.0)
        later = datetime.now(UTC) + timedelta(seconds=5)

        assert await store.interrupt_expired(now=later) == ["waited"]
        reaped = await store.reap_jobs(max_attempts=2, requeue_after_s=600.0, now=later)
        assert reaped.requeued == ["job"]
        assert reaped.failed == []
        again = await store.get_generation("job")
        assert again is not None
        assert again.status is QUEUED
        assert again.attempts == 1
        assert "w1 stopped" in (again.error or "")
        # reaping again at once hands nothing (it was just handed)
        assert (await store.reap_jobs(max_attempts=2, requeue_after_s=600.0, now=later)) == (
            ReapedJobs(requeued=[], failed=[])
        )

        assert await store.claim_generation("job", "w2", 1.0)
        assert (await store.get_generation("job")).attempts == 2  # type: ignore[union-attr]
        much_later = later + timedelta(seconds=5)
        reaped = await store.reap_jobs(max_attempts=2, requeue_after_s=600.0, now=much_later)
        assert reaped.failed == ["job"]
        assert reaped.requeued == []
        failed = await store.get_generation("job")
        assert failed is not None
        assert failed.status is ERROR
        assert "gave up after 2 attempts" in (failed.error or "")

    run(target, body)


def test_a_worker_that_lost_its_job_cannot_finish_it(target: Target) -> None:
    """A stalled worker whose lease ran out, and whose job another worker took over, can
    neither finish the record nor renew the lease; the worker holding it can."""

    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("job"))
        assert await store.claim_generation("job", "slow", 1.0)
        later = datetime.now(UTC) + timedelta(seconds=5)
        assert (await store.reap_jobs(max_attempts=3, requeue_after_s=600, now=later)).requeued
        assert await store.claim_generation("job", "fast", 30.0)
        assert not await store.renew_lease("job", "slow", 30.0)
        assert not await store.note_submission("job", "slow", "host-1")
        with pytest.raises(StaleRecordError, match="another worker"):
            await store.finish_generation(full_record("job"), worker="slow")
        await store.finish_generation(full_record("job"), worker="fast")
        assert await status_of(store, "job") is SUCCESS

    run(target, body)


def test_retrying_waits_until_due_and_lost_messages_are_handed_again(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("job"))
        assert await store.claim_generation("job", "w1", 30.0)
        assert await store.note_submission("job", "w1", "host-42")
        assert not await store.note_submission("job", "w-other", "host-43")
        retrying = await store.retry_generation(
            "job", "w1", "Bria answered 503", delay_s=60.0, max_attempts=3
        )
        assert retrying.status is RETRYING
        assert retrying.backend_request_id == "host-42"
        assert "attempt 1 of 3" in (retrying.error or "")
        assert not await store.claim_generation("job", "w2", 30.0)  # not due yet
        now = datetime.now(UTC)
        assert (
            await store.reap_jobs(max_attempts=3, requeue_after_s=600.0, now=now)
        ).requeued == []
        due = now + timedelta(seconds=61)
        reaped = await store.reap_jobs(max_attempts=3, requeue_after_s=600.0, now=due)
        assert reaped.requeued == ["job"]
        # nobody came for it: handed again once requeue_after_s has passed, not before
        soon = due + timedelta(seconds=599)
        assert (
            await store.reap_jobs(max_attempts=3, requeue_after_s=600.0, now=soon)
        ).requeued == []
        stale = due + timedelta(seconds=601)
        assert (
            await store.reap_jobs(max_attempts=3, requeue_after_s=600.0, now=stale)
        ).requeued == ["job"]
        assert await store.claim_generation("job", "w2", 30.0)
        with pytest.raises(StaleRecordError):
            await store.retry_generation("job", "w1", "late", delay_s=0.0, max_attempts=3)
        last = await store.retry_generation("job", "w2", "503 again", delay_s=0.0, max_attempts=2)
        assert last.status is ERROR
        assert last.completed_at is not None
        assert "gave up after 2 attempts" in (last.error or "")

    run(target, body)


def test_times_come_back_in_utc(target: Target) -> None:
    paris = timezone(timedelta(hours=2))

    async def body(store: SqlMetadataStore) -> None:
        local = datetime(2026, 6, 1, 14, 30, 0, 5, tzinfo=paris)
        await store.add_generation(record("g1", created_at=local))
        found = await store.get_generation("g1")
        assert found is not None
        assert found.created_at == local
        assert found.created_at.tzinfo is UTC
        assert found.created_at.hour == 12

    run(target, body)


def test_paging_bounds_at_the_calendars_ends(target: Target) -> None:
    """A bound whose UTC moment falls off the calendar (the API takes any ISO time) still
    orders: year 1 east of Greenwich is before everything, year 9999 west of it after."""

    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("g1"))
        earliest = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
        latest = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14)))
        assert await store.list_generations(before=earliest) == []
        assert [g.generation_id for g in await store.list_generations(before=latest)] == ["g1"]

    run(target, body)


def test_two_workers_claiming_at_once_only_one_wins(target: Target) -> None:
    async def main() -> None:
        first, second = target.store(), target.store()
        try:
            await first.migrate()
            ids = [f"g{index}" for index in range(12)]
            for generation_id in ids:
                await first.add_generation(record(generation_id))
            for generation_id in ids:
                won = await asyncio.gather(
                    first.claim_generation(generation_id, "worker-a", 30.0),
                    second.claim_generation(generation_id, "worker-b", 30.0),
                    first.claim_generation(generation_id, "worker-c", 30.0),
                )
                assert sorted(won) == [False, False, True]
            with pytest.raises(RecordNotFoundError):
                await first.claim_generation("nothing", "worker-a", 30.0)
            with pytest.raises(ValueError, match="lease_s"):
                await first.claim_generation("g0", "worker-a", 0.0)
        finally:
            await first.aclose()
            await second.aclose()

    asyncio.run(main())


def test_only_the_lease_holder_renews(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(running("g1", "worker-a", 30.0))
        assert await store.renew_lease("g1", "worker-a", 30.0)
        assert not await store.renew_lease("g1", "worker-b", 30.0)
        assert not await store.renew_lease("nothing", "worker-a", 30.0)
        with pytest.raises(ValueError, match="lease"):
            await store.add_generation(record("g2", RUNNING))

    run(target, body)


def test_interrupt_expired_touches_only_expired_running_records(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(running("short", "worker-a", 60.0))
        await store.add_generation(running("long", "worker-a", 3600.0))
        await store.add_generation(record("queued"))
        await store.add_generation(record("done", SUCCESS, completed_at=T0))
        now = datetime.now(UTC)
        assert await store.interrupt_expired() == []
        assert await store.interrupt_expired(now + timedelta(seconds=30)) == []
        assert await store.interrupt_expired(now + timedelta(seconds=120)) == ["short"]
        assert await store.interrupt_expired(now + timedelta(seconds=120)) == []

        short = await store.get_generation("short")
        assert short is not None
        assert short.status is INTERRUPTED
        assert short.error is not None
        assert short.error.startswith(
            "interrupted: the process working on it stopped before it finished (lease expired at "
        )
        assert short.completed_at is None
        for generation_id, status in (("long", RUNNING), ("queued", QUEUED), ("done", SUCCESS)):
            found = await store.get_generation(generation_id)
            assert found is not None
            assert found.status is status
            assert found.error is None

        # the interrupted worker has lost it; another resumes it, and may finish it
        assert not await store.renew_lease("short", "worker-a", 60.0)
        assert await store.claim_generation("short", "worker-b", 60.0)
        resumed = await store.get_generation("short")
        assert resumed is not None
        assert resumed.status is RUNNING
        assert resumed.error is None
        assert not await store.renew_lease("short", "worker-a", 60.0)
        assert await store.renew_lease("short", "worker-b", 60.0)
        await store.finish_generation(record("short", SUCCESS, image_key="k.png"))
        assert await store.interrupt_expired(now + timedelta(days=1)) == ["long"]

    run(target, body)


def test_an_interrupted_record_may_be_finished_by_its_late_worker(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(running("g1", "worker-a", 1.0))
        assert await store.interrupt_expired(datetime.now(UTC) + timedelta(minutes=1)) == ["g1"]
        late = record("g1", ERROR, error="backend failed")
        await store.finish_generation(late)
        found = await store.get_generation("g1")
        assert found is not None
        assert found.status is ERROR
        assert found.error == "backend failed"
        assert found.completed_at is not None

    run(target, body)


def test_fail_generation_from_interrupted_and_queued_only(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("queued", user_id="u1"))
        await store.add_generation(running("lost", "worker-a", 1.0))
        await store.add_generation(running("running", "worker-a", 600.0))
        await store.add_generation(record("done", SUCCESS))
        await store.interrupt_expired(datetime.now(UTC) + timedelta(minutes=1))

        failed = await store.fail_generation("queued", "cancelled by the operator")
        assert failed.status is ERROR
        assert failed.error == "cancelled by the operator"
        assert failed.user_id == "u1"
        assert failed.completed_at is not None
        assert await store.get_generation("queued") == failed

        lost = await store.fail_generation("lost", "host outage")
        assert (lost.status, lost.error) == (ERROR, "host outage")
        assert not await store.claim_generation("lost", "worker-b", 30.0)

        for generation_id in ("running", "done", "lost"):
            with pytest.raises(StaleRecordError, match=generation_id):
                await store.fail_generation(generation_id, "no")
        with pytest.raises(RecordNotFoundError):
            await store.fail_generation("nothing", "no")
        assert await status_of(store, "running") is RUNNING

    run(target, body)


def test_an_image_checked_again_keeps_its_score_and_nothing_else_changes(target: Target) -> None:
    score = Adherence(
        overall=0.25,
        verdict="does not follow the requested light: key came from camera-right, asked "
        "camera-left",
        scores=[
            AttributeScore(
                attribute="key_side",
                score=0.0,
                weight=0.25,
                finding="key came from camera-right, asked camera-left",
                generated="camera-right",
                reference="camera-left",
            )
        ],
        findings=["key came from camera-right, asked camera-left"],
    )

    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("done", SUCCESS, image_key="k.png"))
        await store.add_generation(record("queued"))
        before = await store.get_generation("done")
        assert before is not None
        checked = await store.set_adherence("done", score)
        assert checked.adherence == score
        assert checked == replace(before, adherence=score)
        assert await store.get_generation("done") == checked
        cleared = await store.set_adherence("done", None)
        assert cleared.adherence is None
        with pytest.raises(StaleRecordError, match="queued"):
            await store.set_adherence("queued", score)
        with pytest.raises(RecordNotFoundError):
            await store.set_adherence("nothing", score)

    run(target, body)


def test_finish_refuses_what_it_cannot_finish(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("queued"))
        with pytest.raises(StaleRecordError, match="queued"):
            await store.finish_generation(record("queued", SUCCESS))
        with pytest.raises(RecordNotFoundError):
            await store.finish_generation(record("nothing", SUCCESS))
        with pytest.raises(ValueError, match="success or error"):
            await store.finish_generation(record("queued", RUNNING))
        with pytest.raises(ValueError, match="exists already"):
            await store.add_generation(record("queued"))
        with pytest.raises(RecordNotFoundError, match="batch"):
            await store.add_generation(record("orphan", batch_id="no-batch", batch_index=0))
        assert await status_of(store, "queued") is QUEUED
        assert await store.get_generation("orphan") is None

    run(target, body)


def test_get_generation_respects_the_owner(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("g1", user_id="alice"))
        await store.add_generation(record("anonymous"))
        assert await store.get_generation("g1", owner="alice") is not None
        assert await store.get_generation("g1", owner="bob") is None
        assert await store.get_generation("anonymous", owner="alice") is None
        assert await store.get_generation("anonymous") is not None
        assert await store.get_generation("nothing") is None

    run(target, body)


def test_list_generations_filters_and_pages(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_batch(BatchRecord(id="b1", user_id="alice", created_at=T0, total=3))
        statuses = [QUEUED, SUCCESS, ERROR, SUCCESS, QUEUED]
        for index in range(10):
            await store.add_generation(
                record(
                    f"g{index:02d}",
                    statuses[index % 5],
                    user_id="alice" if index % 2 == 0 else "bob",
                    created_at=T0 + timedelta(seconds=index),
                    batch_id="b1" if index < 3 else None,
                    batch_index=index if index < 3 else None,
                )
            )
        every = await store.list_generations()
        assert [found.generation_id for found in every] == [f"g{i:02d}" for i in range(9, -1, -1)]

        alice = await store.list_generations(owner="alice")
        assert [found.generation_id for found in alice] == ["g08", "g06", "g04", "g02", "g00"]
        succeeded = await store.list_generations(statuses=[SUCCESS])
        assert [found.generation_id for found in succeeded] == ["g08", "g06", "g03", "g01"]
        mixed = await store.list_generations(owner="bob", statuses=[SUCCESS, ERROR])
        assert [found.generation_id for found in mixed] == ["g07", "g03", "g01"]
        batch = await store.list_generations(batch_id="b1")
        assert [found.generation_id for found in batch] == ["g02", "g01", "g00"]
        assert await store.list_generations(owner="carol") == []

        pages: list[list[str]] = []
        before = None
        while True:
            page = await store.list_generations(limit=4, before=before)
            if not page:
                break
            pages.append([found.generation_id for found in page])
            before = page[-1].created_at
        assert pages == [["g09", "g08", "g07", "g06"], ["g05", "g04", "g03", "g02"], ["g01", "g00"]]
        page = await store.list_generations(
            owner="alice", limit=2, before=T0 + timedelta(seconds=6)
        )
        assert [found.generation_id for found in page] == ["g04", "g02"]

        for limit in (0, 501):
            with pytest.raises(ValueError, match="limit"):
                await store.list_generations(limit=limit)
        assert len(await store.list_generations(limit=500)) == 10

    run(target, body)


def test_owns_image(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("g1", SUCCESS, user_id="alice", image_key="a.png"))
        await store.add_generation(record("g2", SUCCESS, user_id="bob", image_key="b.png"))
        assert await store.owns_image("a.png", "alice")
        assert not await store.owns_image("a.png", "bob")
        assert await store.owns_image("b.png", "bob")
        assert not await store.owns_image("c.png", "alice")

    run(target, body)


def test_delete_removes_finished_records_of_their_owner_only(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_generation(record("done", SUCCESS, user_id="alice", image_key="a.png"))
        await store.add_generation(record("same", SUCCESS, user_id="bob", image_key="a.png"))
        await store.add_generation(record("busy", user_id="alice"))
        with pytest.raises(RecordNotFoundError):
            await store.delete_generation("done", owner="bob")
        with pytest.raises(StaleRecordError):
            await store.delete_generation("busy", owner="alice")
        assert await status_of(store, "busy") is QUEUED
        removed = await store.delete_generation("done", owner="alice")
        assert removed.generation_id == "done"
        assert await store.get_generation("done") is None
        assert await store.image_in_use("a.png")  # bob's record still refers to it
        await store.delete_generation("same")
        assert not await store.image_in_use("a.png")
        with pytest.raises(RecordNotFoundError):
            await store.delete_generation("done")

    run(target, body)


def _as_stored(made: GenerationRecord, stored: GenerationRecord) -> GenerationRecord:
    """``made`` (a lifecycle function's record) with the times only the store chose: its
    clock's lease end, due time and completion (a few microseconds from the test's)."""
    lease = made.lease
    if lease is not None and stored.lease is not None:
        assert abs(stored.lease.expires_at - lease.expires_at) < timedelta(seconds=5)
        lease = stored.lease
    return replace(
        made,
        lease=lease,
        started_at=stored.started_at if made.started_at is not None else None,
        due_at=stored.due_at if made.due_at is not None else None,
        completed_at=stored.completed_at if made.completed_at is not None else None,
    )


def test_the_store_makes_the_lifecycles_transitions(target: Target) -> None:
    """Each status change the store makes leaves the record the lifecycle's function gives for
    the record before it (the times the store chose aside): claim, note the host's id, retry,
    requeue, reap, interrupt, complete, fail, give up and check again."""
    from lightrig.analysis.analyzer import LightingAnalyzer
    from lightrig.fibo.compile import compile_prompt
    from lightrig.presets import PRESETS
    from lightrig.records import Draft

    request = PRESETS["loop"].request()
    draft = Draft(
        generation_id="g",
        created_at=T0,
        user_id="u",
        request=request,
        structured_prompt=compile_prompt(request),
        analysis=LightingAnalyzer().analyze(request),
        backend="bria",
        params=GenerationParams(seed=5),
    )

    async def body(store: SqlMetadataStore) -> None:
        async def stored(generation_id: str) -> GenerationRecord:
            found = await store.get_generation(generation_id)
            assert found is not None
            return found

        async def same(made: GenerationRecord) -> None:
            found = await stored(made.generation_id)
            assert found == _as_stored(made, found)

        now = datetime.now(UTC)
        # a job: queued, claimed, noted, retried, requeued, claimed, reaped, ..., given up
        job = lifecycle.queue(replace(draft, generation_id="job"), now=T0)
        await store.add_generation(job)
        await same(job)
        assert await store.claim_generation("job", "w1", 30.0)
        job = lifecycle.claim(job, worker="w1", lease_s=30.0, now=now)
        await same(job)
        assert await store.note_submission("job", "w1", "host-1")
        job = lifecycle.note_submission(job, "host-1")
        await same(job)
        await store.retry_generation("job", "w1", "503", delay_s=0.0, max_attempts=3)
        job = lifecycle.retry(job, "503", max_attempts=3, delay_s=0.0, now=now)
        await same(job)
        later = datetime.now(UTC) + timedelta(seconds=1)
        assert (await store.reap_jobs(max_attempts=3, requeue_after_s=600, now=later)).requeued
        job = lifecycle.requeue(job, now=later)
        await same(job)
        assert await store.claim_generation("job", "w2", 1.0)
        job = lifecycle.claim(job, worker="w2", lease_s=1.0, now=datetime.now(UTC))
        await same(job)
        expired = (await stored("job")).lease
        assert expired is not None
        after = expired.expires_at + timedelta(seconds=1)
        reaped = await store.reap_jobs(max_attempts=3, requeue_after_s=600, now=after)
        assert reaped.requeued == ["job"]  # reaped, then handed to the queue at once
        job = replace(job, lease=expired)  # the store's own lease end, named in the error
        job = lifecycle.requeue(lifecycle.reap(job, max_attempts=3, now=after), now=after)
        await same(job)
        await store.fail_generation("job", "cancelled")
        job = lifecycle.give_up(job, "cancelled", now=datetime.now(UTC))
        await same(job)

        # waited for: started, interrupted, resumed, completed, checked again
        waited = lifecycle.start(draft, worker="w", lease_s=1.0, now=datetime.now(UTC))
        await store.add_generation(waited)
        await same(waited)
        lease = waited.lease
        assert lease is not None
        after = lease.expires_at + timedelta(seconds=1)
        assert await store.interrupt_expired(after) == ["g"]
        waited = lifecycle.interrupt(waited, now=after)
        await same(waited)
        assert await store.claim_generation("g", "w", 30.0)
        waited = lifecycle.resume(waited, worker="w", lease_s=30.0, now=datetime.now(UTC))
        await same(waited)
        done = lifecycle.complete(
            waited, image=image(), cost_usd=0.04, duration_s=2.5, now=datetime.now(UTC)
        )
        await store.finish_generation(done, worker="w")
        await same(done)
        score = Adherence(
            overall=1.0, verdict="follows the requested light", scores=[], findings=[]
        )
        await store.set_adherence("g", score)
        await same(lifecycle.rescore(done, score))

        # and failed while running
        failing = lifecycle.start(
            replace(draft, generation_id="f"), worker="w", lease_s=30.0, now=datetime.now(UTC)
        )
        await store.add_generation(failing)
        failed = lifecycle.fail(failing, "host refused", now=datetime.now(UTC), duration_s=0.5)
        await store.finish_generation(failed, worker="w")
        await same(failed)

    run(target, body)


def test_what_the_lifecycle_refuses_the_store_refuses(target: Target) -> None:
    """From every status, a give-up, a check again and a deletion are refused by the store
    exactly when the lifecycle refuses them."""

    async def body(store: SqlMetadataStore) -> None:
        changes = {
            lifecycle.Transition.GIVE_UP: lambda g: store.fail_generation(g, "no"),
            lifecycle.Transition.RESCORE: lambda g: store.set_adherence(g, None),
            lifecycle.Transition.REMOVE: store.delete_generation,
        }
        for status in GenerationStatus:
            for transition, change in changes.items():
                name = f"{status.value}-{transition.value}"
                made = (
                    running(name, "w", 30.0)
                    if status is RUNNING
                    else record(name, status, image_key="k.png")
                )
                await store.add_generation(made)
                try:
                    await change(made.generation_id)
                    refused = False
                except StaleRecordError:
                    refused = True
                legal = status in lifecycle.SOURCES[transition]
                assert refused is not legal, (status, transition)

    run(target, body)


# --------------------------------------------------------------------------- batches


def test_batches_list_their_items_in_order_with_holes(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        await store.add_batch(BatchRecord(id="b1", user_id="alice", created_at=T0, total=4))
        empty = await store.get_batch("b1")
        assert empty == BatchRecord(
            id="b1", user_id="alice", created_at=T0, total=4, generation_ids=(None,) * 4
        )
        await store.add_generation(record("third", user_id="alice", batch_id="b1", batch_index=2))
        await store.add_generation(record("first", user_id="alice", batch_id="b1", batch_index=0))
        found = await store.get_batch("b1")
        assert found is not None
        assert found.generation_ids == ("first", None, "third", None)
        assert found.completed_at is None
        assert await store.count_batch("b1") == {QUEUED: 2}
        assert await store.claim_generation("first", "w", 30.0)
        assert await store.count_batch("b1") == {QUEUED: 1, RUNNING: 1}
        assert await store.count_batch("nothing") == {}
        assert await store.get_batch("b1", owner="alice") == found
        assert await store.get_batch("b1", owner="bob") is None
        assert await store.get_batch("nothing") is None

        await store.finish_batch("b1")
        finished = await store.get_batch("b1")
        assert finished is not None
        assert finished.completed_at is not None
        assert finished.completed_at.tzinfo is UTC
        with pytest.raises(RecordNotFoundError):
            await store.finish_batch("nothing")
        with pytest.raises(ValueError, match="exists already"):
            await store.add_batch(BatchRecord(id="b1", user_id="alice", created_at=T0, total=1))
        with pytest.raises(ValueError, match="negative"):
            await store.add_batch(BatchRecord(id="b2", user_id=None, created_at=T0, total=-1))

    run(target, body)


# --------------------------------------------------------------------------- saved setups


def scene(name: str) -> SceneRequest:
    """A preset's scene request, as a user would save it."""
    from lightrig.presets import PRESETS

    return PRESETS[name].request()


def test_setups_are_saved_listed_newest_first_and_read_back_exactly(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        assert await store.list_setups("alice") == []
        first = await store.save_setup("alice", "Portrait A", scene("rembrandt"))
        second = await store.save_setup("alice", "Clamshell", scene("clamshell"))
        assert first.user_id == "alice"
        assert first.name == "Portrait A"
        assert first.request == scene("rembrandt")
        assert first.created_at == first.updated_at
        assert first.created_at.tzinfo is UTC
        assert not first.shared
        assert second.updated_at >= first.updated_at
        assert await store.list_setups("alice") == [second, first]
        assert await store.list_setups("alice", limit=1) == [second]
        assert await store.get_setup(first.id, owner="alice") == first
        assert await store.get_setup("Clamshell", owner="alice") == second  # by name too
        assert await store.get_setup("nothing", owner="alice") is None
        for limit in (0, 501):
            with pytest.raises(ValueError, match="limit"):
                await store.list_setups("alice", limit=limit)

    run(target, body)
    # the request is kept as the JSON it validated from, nothing else
    rows = asyncio.run(raw(target, "SELECT name, request FROM saved_setups ORDER BY name"))
    stored = [row["request"] for row in rows]
    documents = [json.loads(value) if isinstance(value, str) else value for value in stored]
    assert documents == [
        scene("clamshell").model_dump(mode="json"),
        scene("rembrandt").model_dump(mode="json"),
    ]


def test_a_name_in_use_is_refused_unless_saving_over_it(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        kept = await store.save_setup("alice", "Key light", scene("rembrandt"))
        await store.share_setup(kept.id, owner="alice")
        with pytest.raises(DuplicateSetupError, match="'Key light' exists already") as refused:
            await store.save_setup("alice", "Key light", scene("split"))
        assert refused.value.name == "Key light"
        assert isinstance(refused.value, ValueError)
        unchanged = await store.get_setup(kept.id, owner="alice")
        assert unchanged is not None
        assert unchanged.request == scene("rembrandt")

        over = await store.save_setup("alice", "Key light", scene("split"), overwrite=True)
        assert over.id == kept.id  # the same setup: its links open the new light
        assert over.request == scene("split")
        assert over.created_at == kept.created_at
        assert over.updated_at > kept.updated_at
        assert over.shared
        assert [setup.id for setup in await store.list_setups("alice")] == [kept.id]
        # names are per user, and compared exactly
        bobs = await store.save_setup("bob", "Key light", scene("loop"))
        assert bobs.id != kept.id
        other = await store.save_setup("alice", "key light", scene("loop"))
        assert other.id != kept.id

    run(target, body)


def test_setup_names_are_checked(target: Target) -> None:
    longest = "n" * MAX_SETUP_NAME
    assert setup_name_problem(longest) is None
    assert setup_name_problem("Ünïcode — ok 🙂") is None
    assert setup_name_problem("a b") is None
    for bad in ("", " lead", "trail ", "tab\there", "line\nbreak", "nul\x00", "\u3000x", "x" * 101):
        problem = setup_name_problem(bad)
        assert problem is not None, repr(bad)
        assert "accepted: 1-100 characters" in problem

    async def body(store: SqlMetadataStore) -> None:
        made = await store.save_setup("alice", longest, scene("loop"))
        for bad in ("", " x", "x" * 101, "a\nb"):
            with pytest.raises(ValueError, match="a setup's name"):
                await store.save_setup("alice", bad, scene("loop"))
            with pytest.raises(ValueError, match="a setup's name"):
                await store.rename_setup(made.id, bad, owner="alice")
        # PostgreSQL keeps no NUL in a JSON document: refused alike on every database
        nul = scene("loop").model_copy(update={"subject_description": "a\x00b"})
        with pytest.raises(ValueError, match="subject_description: holds a NUL"):
            await store.save_setup("alice", "Nul", nul)
        assert await store.list_setups("alice") == [made]

    run(target, body)


def test_setups_are_renamed_and_deleted(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        one = await store.save_setup("alice", "One", scene("loop"))
        two = await store.save_setup("alice", "Two", scene("split"))
        same = await store.rename_setup(one.id, "One", owner="alice")
        assert same == one  # its own name: nothing changes
        renamed = await store.rename_setup(one.id, "First", owner="alice")
        assert renamed.name == "First"
        assert renamed.id == one.id
        assert renamed.request == one.request
        assert renamed.updated_at > one.updated_at
        assert await store.list_setups("alice") == [renamed, two]  # renamed: the latest
        with pytest.raises(DuplicateSetupError, match="'Two'"):
            await store.rename_setup(one.id, "Two", owner="alice")
        with pytest.raises(RecordNotFoundError):
            await store.rename_setup("nothing", "Three", owner="alice")

        removed = await store.delete_setup(two.id, owner="alice")
        assert removed == two
        assert await store.get_setup(two.id, owner="alice") is None
        assert await store.list_setups("alice") == [renamed]
        with pytest.raises(RecordNotFoundError):
            await store.delete_setup(two.id, owner="alice")
        again = await store.save_setup("alice", "Two", scene("split"))  # the name is free
        assert again.id != two.id

    run(target, body)


def test_another_user_cannot_see_rename_delete_or_share_your_setups(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        alices = await store.save_setup("alice", "Mine", scene("rembrandt"))
        assert await store.list_setups("bob") == []
        assert await store.get_setup(alices.id, owner="bob") is None
        assert await store.get_setup("Mine", owner="bob") is None
        with pytest.raises(RecordNotFoundError):
            await store.rename_setup(alices.id, "Bob's now", owner="bob")
        with pytest.raises(RecordNotFoundError):
            await store.delete_setup(alices.id, owner="bob")
        with pytest.raises(RecordNotFoundError):
            await store.share_setup(alices.id, owner="bob")
        _, token = await store.share_setup(alices.id, owner="alice")
        with pytest.raises(RecordNotFoundError):
            await store.revoke_shares(alices.id, owner="bob")
        # none of it touched alice's setup or her link
        assert await store.shared_setup(token) == await store.get_setup(alices.id, owner="alice")
        assert [setup.name for setup in await store.list_setups("alice")] == ["Mine"]

    run(target, body)


def test_share_links_open_the_setup_until_revoked(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> list[str]:
        setup = await store.save_setup("alice", "Shared", scene("butterfly"))
        link, token = await store.share_setup(setup.id, owner="alice")
        assert token.startswith("lrs_")
        assert len(token) == 4 + 43  # 256 random bits
        assert link.setup_id == setup.id
        assert link.created_at.tzinfo is UTC
        assert link.revoked_at is None
        opened = await store.shared_setup(token)
        assert opened is not None
        assert opened.id == setup.id
        assert opened.request == scene("butterfly")
        assert opened.shared
        _, second = await store.share_setup(setup.id, owner="alice")
        assert second != token
        assert await store.shared_setup(second) == opened  # both links work
        listed = await store.get_setup(setup.id, owner="alice")
        assert listed is not None
        assert listed.shared

        for wrong in ("", "lrs_" + "x" * 43, token[:-1], token + "x", token.upper()):
            assert await store.shared_setup(wrong) is None
        assert await store.revoke_shares(setup.id, owner="alice") == 2
        assert await store.shared_setup(token) is None
        assert await store.shared_setup(second) is None
        assert await store.revoke_shares(setup.id, owner="alice") == 0  # nothing left
        after = await store.get_setup(setup.id, owner="alice")
        assert after is not None
        assert not after.shared
        _, third = await store.share_setup(setup.id, owner="alice")  # shared again
        assert await store.shared_setup(third) is not None
        assert await store.shared_setup(token) is None  # the revoked one stays revoked
        return [token, second, third]

    tokens = run(target, body)
    rows = asyncio.run(raw(target, "SELECT * FROM setup_shares ORDER BY created_at"))
    assert [row["token_hash"] for row in rows] == [hash_share_token(token) for token in tokens]
    for token in tokens:  # only the hashes are kept
        assert not any(token in str(value) for row in rows for value in row.values())


def test_a_deleted_setups_links_stop_working(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        setup = await store.save_setup("alice", "Gone soon", scene("loop"))
        _, token = await store.share_setup(setup.id, owner="alice")
        assert await store.shared_setup(token) is not None
        await store.delete_setup(setup.id, owner="alice")
        assert await store.shared_setup(token) is None
        # a new setup of the same name is another setup: the old link does not open it
        await store.save_setup("alice", "Gone soon", scene("loop"))
        assert await store.shared_setup(token) is None

    run(target, body)
    assert asyncio.run(raw(target, "SELECT * FROM setup_shares")) == []


def test_saving_over_keeps_the_links_and_they_open_the_new_light(target: Target) -> None:
    async def body(store: SqlMetadataStore) -> None:
        setup = await store.save_setup("alice", "Evolving", scene("loop"))
        _, token = await store.share_setup(setup.id, owner="alice")
        await store.save_setup("alice", "Evolving", scene("split"), overwrite=True)
        opened = await store.shared_setup(token)
        assert opened is not None
        assert opened.request == scene("split")

    run(target, body)


def test_two_saves_of_one_name_at_once_make_one_setup(target: Target) -> None:
    """Two stores (as two server processes) save the same new name at once: one is made, the
    other is told the name is taken — never two setups of one name, never a raw database
    error."""

    async def main() -> None:
        stores = [target.store(), target.store()]
        try:
            await stores[0].migrate()
            results = await asyncio.gather(
                *(store.save_setup("alice", "Race", scene("loop")) for store in stores),
                return_exceptions=True,
            )
            made = [result for result in results if not isinstance(result, BaseException)]
            refused = [result for result in results if isinstance(result, BaseException)]
            assert len(made) == 1, results
            assert all(isinstance(error, DuplicateSetupError) for error in refused), refused
            assert [setup.name for setup in await stores[0].list_setups("alice")] == ["Race"]
        finally:
            for store in stores:
                await store.aclose()

    asyncio.run(main())


# --------------------------------------------------------------------------- construction


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite+aiosqlite:////abs/x.db", "sqlite+aiosqlite:////abs/x.db"),
        ("postgresql://u@h:5433/db", "postgresql+asyncpg://u@h:5433/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_urls_are_normalised_to_asyncio_drivers(given: str, expected: str) -> None:
    assert normalise_url(given).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "given",
    ["mysql://u@h/db", "postgresql+psycopg://u@h/db", "sqlite://", "sqlite:///:memory:", "nope"],
)
def test_other_urls_are_refused(given: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///"):
        SqlMetadataStore(given)


def test_schema_names_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        SqlMetadataStore(f"sqlite:///{tmp_path / 'x.db'}", schema="lr_x")
    with pytest.raises(ValueError, match="lower-case"):
        SqlMetadataStore("postgresql://u@h/db", schema='x"; DROP TABLE users; --')


def test_no_password_is_shown() -> None:
    store = SqlMetadataStore("postgresql://user:hunter2@db.example:6543/records")
    assert "hunter2" not in repr(store)


def test_a_sqlite_store_makes_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    SqlMetadataStore(f"sqlite:///{folder / 'records.db'}")
    assert folder.is_dir()


def test_the_factory_follows_the_settings(tmp_path: Path) -> None:
    async def health(store: MetadataStore) -> str:
        try:
            await store.migrate()
            return await store.health()
        finally:
            await store.aclose()

    embedded = asyncio.run(health(create_store(Settings(data_dir=tmp_path / "data 100%"))))
    assert embedded == f"sqlite {tmp_path / 'data 100%' / 'lightrig.db'} (WAL)"
    chosen = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'other.db'}")
    assert asyncio.run(health(create_store(chosen))).startswith(f"sqlite {tmp_path / 'other.db'}")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (None, "sqlite"),
        ("  ", "sqlite"),
        ("sqlite:///x.db", "sqlite"),
        ("SQLite+aiosqlite:///x.db", "sqlite"),
        ("postgresql://u@h/db", "postgresql"),
        ("postgres://u@h/db", "postgresql"),
        ("postgresql+asyncpg://u@h/db", "postgresql"),
    ],
)
def test_the_url_scheme_names_the_store(url: str | None, name: str) -> None:
    assert database_name(Settings(database_url=url)) == name


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("mysql://u:hunter2@h/db", "unsupported database URL scheme 'mysql'"),
        ("mysql+pymysql://u@h/db", "unsupported database URL scheme 'mysql'"),
        ("mongodb://h/db", "unsupported database URL scheme 'mongodb'"),
        ("/var/lib/lightrig.db", "a database URL needs a scheme"),
    ],
)
def test_an_unknown_scheme_is_one_line_naming_the_accepted_ones(
    tmp_path: Path,
    url: str,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    accepted = ", ".join([f"{name}://" for name in DATABASES] + ["postgres://"])
    line = f"{line}; accepted: {accepted}"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        Settings(database_url=url)
    assert str(refused.value) == f"setting LIGHTRIG_DATABASE_URL: {line}"
    assert "hunter2" not in str(refused.value)
    with pytest.raises(ValueError, match="scheme") as raised:  # the factory, unchecked settings
        create_store(Settings.model_construct(data_dir=tmp_path, database_url=url))
    assert str(raised.value) == line
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))  # the command line
    monkeypatch.setenv("LIGHTRIG_DATABASE_URL", url)
    with pytest.raises(SystemExit) as exited:
        main(["history", "list"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"lightrig: error: setting LIGHTRIG_DATABASE_URL: {line}\n"
    assert not list(tmp_path.iterdir())  # nothing was made


def test_an_unknown_store_name_is_one_line_naming_the_stores() -> None:
    with pytest.raises(ValueError, match=r"^unknown") as raised:
        choose("metadata store", "mysql", STORE_FACTORIES)
    assert str(raised.value) == f"unknown metadata store 'mysql'; accepted: {', '.join(DATABASES)}"


# --------------------------------------------------------------------------- SQLite concurrency


def _sqlite(tmp_path: Path) -> Target:
    return Target(f"sqlite:///{tmp_path / 'shared.db'}")


def test_two_sqlite_stores_write_one_file_at_once(tmp_path: Path) -> None:
    target = _sqlite(tmp_path)

    async def main() -> int:
        stores = [target.store(), target.store()]
        try:
            await asyncio.gather(*(store.migrate() for store in stores))

            async def lifecycle(store: SqlMetadataStore, generation_id: str) -> None:
                await store.add_generation(record(generation_id, user_id="u"))
                assert await store.claim_generation(generation_id, generation_id, 30.0)
                await store.finish_generation(record(generation_id, SUCCESS, user_id="u"))

            await asyncio.gather(
                *(
                    lifecycle(stores[index % 2], f"g{index:03d}")
                    for index in range(200)  # 600 writes, from two engines at once
                )
            )
            found = await stores[0].list_generations(owner="u", statuses=[SUCCESS], limit=500)
            return len(found)
        finally:
            for store in stores:
                await store.aclose()

    assert asyncio.run(main()) == 200


_WRITER = textwrap.dedent(
    """
    import asyncio, sys, time
    from datetime import UTC, datetime
    from lightrig.db.sql import SqlMetadataStore
    from lightrig.models.generation import GenerationStatus
    from lightrig.records import GenerationRecord

    async def main(url, name, start_at):
        store = SqlMetadataStore(url)
        try:
            await store.migrate()
            time.sleep(max(0.0, start_at - time.time()))
            async def one(index):
                generation_id = f"{name}-{index}"
                now = datetime.now(UTC)
                await store.add_generation(
                    GenerationRecord(
                        generation_id=generation_id,
                        created_at=now,
                        status=GenerationStatus.QUEUED,
                        user_id=name,
                        job=True,
                        due_at=now,
                    )
                )
                await store.claim_generation(generation_id, name, 30.0)
                await store.finish_generation(
                    GenerationRecord(
                        generation_id=generation_id,
                        created_at=now,
                        status=GenerationStatus.SUCCESS,
                    )
                )
            await asyncio.gather(*(one(index) for index in range(100)))
        finally:
            await store.aclose()

    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
    """
)


def test_two_processes_write_one_sqlite_file_at_once(tmp_path: Path) -> None:
    target = _sqlite(tmp_path)
    start_at = time.time() + 2.0  # both processes started and migrated by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", _WRITER, target.url, name, str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr

    async def count(store: SqlMetadataStore) -> list[int]:
        return [
            len(await store.list_generations(owner=name, statuses=[SUCCESS], limit=500))
            for name in ("one", "two")
        ]

    assert run(target, count) == [100, 100]
