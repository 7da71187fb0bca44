"""A process killed between writing a generation's record and completing it: the record is not
lost, another process declares it interrupted once its lease runs out, and it is then resumed
(the same request, prompt and seed; a job the host already has is collected, not sent again)
or failed explicitly — on SQLite and on PostgreSQL, against Bria and against fal.ai.

The generation runs in a real ``lightrig generate`` process against the mock host, which holds
the job long enough for the test to kill the process with SIGKILL mid-generation.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from lightrig.config import Settings
from lightrig.db.factory import create_store
from lightrig.db.sql import SqlMetadataStore
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.records import to_response
from lightrig.service import LightingGenerationService
from lightrig.testing.image_host import ImageHostServer
from tests.hosts import HOSTS, Host, mock_host, settings_values
from tests.services import postgres_schema, require_postgres

LEASE_S = 2.0


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment naming a fresh database of each kind."""
    if request.param == "sqlite":
        yield {"LIGHTRIG_DATABASE_URL": f"sqlite:///{tmp_path / 'records.db'}"}
        return
    url = require_postgres()
    schema = postgres_schema()
    yield {"LIGHTRIG_DATABASE_URL": url, "LIGHTRIG_DATABASE_SCHEMA": schema}
    store = SqlMetadataStore(url, schema=schema)
    asyncio.run(_drop(store))


async def _drop(store: SqlMetadataStore) -> None:
    try:
        await store.drop_schema()
    finally:
        await store.aclose()


@pytest.fixture
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    """The mock host (Bria unless the test names another), holding each job for 2 minutes."""
    with mock_host(getattr(request, "param", "bria"), latency_s=120.0, image_size=64) as found:
        yield found


def environment(tmp_path: Path, database: dict[str, str], host: Host) -> dict[str, str]:
    return {
        **database,
        "LIGHTRIG_DATA_DIR": str(tmp_path / "data"),
        **host.environment(),
        "LIGHTRIG_REQUEST_TIMEOUT_S": "30",
        "LIGHTRIG_TOTAL_TIMEOUT_S": "600",
        "LIGHTRIG_GENERATION_LEASE_S": str(LEASE_S),
    }


def settings_from(env: dict[str, str]) -> Settings:
    values: dict[str, Any] = settings_values(env)
    return Settings(**values)


async def _records(settings: Settings, *, migrate: bool = True) -> list[GenerationResponse]:
    """The records in their public shape, newest first. ``migrate=False`` only reads, for while
    the generating process lives: it may be stopped holding SQLite's write lock, which a
    migration would wait on; the records are then none until it has made the schema."""
    store = create_store(settings)
    try:
        if migrate:
            await store.migrate()
        try:
            return [to_response(found) for found in await store.list_generations(limit=10)]
        except (OperationalError, ProgrammingError):  # SQLite, PostgreSQL
            if migrate:
                raise
            return []  # no schema yet
    finally:
        await store.aclose()


def kill_mid_generation(
    env: dict[str, str],
    settings: Settings,
    server: ImageHostServer,
    command: tuple[str, ...] = ("generate", "--preset", "loop", "--seed", "5"),
) -> GenerationResponse:
    """Start ``lightrig generate`` (or the ``lightrig`` ``command`` given); once its record is
    running, SIGKILL it; the record.

    The kill is aimed outside the few milliseconds between the host accepting the job and the
    record noting its id, which no client can close (neither host takes an idempotency key; see
    the README): the process is paused, requests in flight are given time to land, and it is
    killed only if the host has accepted nothing or the record has noted the job — else it runs
    on a moment.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "lightrig", *command],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90.0
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            found = asyncio.run(_records(settings, migrate=False))
            if found and found[0].status is GenerationStatus.RUNNING:
                process.send_signal(signal.SIGSTOP)
                time.sleep(0.3)
                found = asyncio.run(_records(settings, migrate=False))
                if server.accepted == 0 or found[0].backend_request_id is not None:
                    break
                process.send_signal(signal.SIGCONT)
            time.sleep(0.2)
        else:
            pytest.fail("the generation's record never appeared as running")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    return found[0]


async def recover_once_the_lease_runs_out(settings: Settings, generation_id: str) -> list[str]:
    async with LightingGenerationService(settings) as service:
        # the killed process's lease is still running: nobody may take the record yet
        record = await service.get_generation(generation_id)
        if record.status is GenerationStatus.RUNNING:
            deadline = time.monotonic() + 30.0
            while time.monotonic() < deadline:
                interrupted = await service.recover()
                if interrupted:
                    return interrupted
                await asyncio.sleep(0.25)
            pytest.fail("the expired lease was never noticed")
        return [generation_id] if record.status is GenerationStatus.INTERRUPTED else []


@pytest.mark.parametrize("host", HOSTS, indirect=True)
def test_a_killed_generation_is_declared_interrupted_then_resumed(
    tmp_path: Path, database: dict[str, str], host: Host
) -> None:
    env = environment(tmp_path, database, host)
    settings = settings_from(env)
    killed = kill_mid_generation(env, settings, host.server)
    assert killed.seed == 5
    assert killed.structured_prompt is not None
    assert killed.image_key is None

    assert asyncio.run(recover_once_the_lease_runs_out(settings, killed.generation_id)) == [
        killed.generation_id
    ]
    interrupted = asyncio.run(_records(settings))[0]
    assert interrupted.generation_id == killed.generation_id
    assert interrupted.status is GenerationStatus.INTERRUPTED
    assert interrupted.error is not None
    assert "interrupted" in interrupted.error
    assert interrupted.request == killed.request  # nothing of what was asked is lost

    # the host is quick now; a job the killed process handed it before dying is ready too
    # (it is collected on resume, not sent again)
    host.server.latency_s = 0.05
    host.server.finish_jobs()
    resumed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "lightrig", "history", "resume", killed.generation_id, "--json"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    )
    assert resumed["status"] == "success"
    assert resumed["seed"] == 5
    assert resumed["structured_prompt"] == killed.structured_prompt
    final = asyncio.run(_records(settings))
    assert len(final) == 1  # the same record, completed; no second one
    assert final[0].status is GenerationStatus.SUCCESS
    assert final[0].image_key is not None
    assert final[0].completed_at is not None
    assert final[0].backend == host.name
    assert final[0].backend_request_id in host.server.job_ids
    assert host.server.submissions[-1]["seed"] == 5
    assert host.server.accepted == 1  # handed to the host once, whether before or after the kill


def test_a_killed_generation_can_be_failed_explicitly(
    tmp_path: Path, database: dict[str, str], host: Host
) -> None:
    env = environment(tmp_path, database, host)
    settings = settings_from(env)
    killed = kill_mid_generation(env, settings, host.server)
    asyncio.run(recover_once_the_lease_runs_out(settings, killed.generation_id))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "lightrig", *args],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    failed = cli("history", "fail", killed.generation_id, "--reason", "host outage", "--json")
    assert failed.returncode == 0, failed.stderr
    assert json.loads(failed.stdout)["status"] == "error"
    record = asyncio.run(_records(settings))[0]
    assert record.status is GenerationStatus.ERROR
    assert record.error == "host outage"
    again = cli("history", "resume", killed.generation_id)
    assert again.returncode == 2  # a finished record is not run again
    assert "only an interrupted or queued generation can be resumed" in again.stderr
