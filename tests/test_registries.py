"""The adapters' registries, across kinds: each kind's names (from the settings) are its
registry's, the first is what the default settings choose, an adapter's dependencies load only
when it is chosen, and an adapter whose extra is missing says so in one line.

Each kind's contract suite (tests/test_*_contract.py, tests/test_metadata_store.py) runs over its
registry's names; this module holds what they share. Imports are checked in fresh interpreters
through ``sys.modules``; a missing package is simulated by putting ``None`` there under its name.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lightrig.backends.factory import BACKEND_FACTORIES
from lightrig.cache.factory import CACHE_FACTORIES, cache_name
from lightrig.config import (
    BACKENDS,
    CACHES,
    DATABASES,
    JOB_QUEUES,
    LIMITERS,
    STORAGES,
    TRANSLATORS,
    Settings,
)
from lightrig.db.factory import STORE_FACTORIES, database_name
from lightrig.jobs.factory import JOB_QUEUE_FACTORIES, job_queue_name
from lightrig.limits.factory import LIMITER_FACTORIES, limiter_name
from lightrig.registry import UrlChoice, choose, url_scheme
from lightrig.storage.factory import STORAGE_FACTORIES, storage_name
from lightrig.translate.factory import TRANSLATOR_FACTORIES

#: Each kind: its names, its registry, and the name the default settings choose.
KINDS: dict[str, tuple[tuple[str, ...], Mapping[str, Any], Callable[[Settings], str]]] = {
    "backend": (BACKENDS, BACKEND_FACTORIES, lambda settings: settings.backend),
    "translator": (TRANSLATORS, TRANSLATOR_FACTORIES, lambda settings: settings.translator),
    "storage": (STORAGES, STORAGE_FACTORIES, storage_name),
    "database": (DATABASES, STORE_FACTORIES, database_name),
    "cache": (CACHES, CACHE_FACTORIES, cache_name),
    "limiter": (LIMITERS, LIMITER_FACTORIES, limiter_name),
    "job queue": (JOB_QUEUES, JOB_QUEUE_FACTORIES, job_queue_name),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_registry_has_the_settings_names_and_the_default_comes_first(
    kind: str, tmp_path: Path
) -> None:
    names, factories, chosen = KINDS[kind]
    assert tuple(factories) == names
    assert len(set(names)) == len(names)
    defaults = Settings(
        data_dir=tmp_path, storage_url=None, database_url=None, redis_url=None, queue_url=None
    )
    assert chosen(defaults) == names[0]


def test_url_schemes_are_read_without_drivers_and_paths_have_none() -> None:
    cases = {
        "s3://bucket/x": "s3",
        "FILE:///x": "file",
        "sqlite+aiosqlite:///x.db": "sqlite",
        "PostgreSQL+asyncpg://u@h/db": "postgresql",
        "unix:///run/redis.sock": "unix",
        "relative/pictures": None,
        "~/pictures": None,
        "/var/images": None,
        "C:\\images": None,
        "/tmp/a:b": None,
        "": None,
    }
    assert {url: url_scheme(url) for url in cases} == cases


def test_a_url_choice_takes_its_names_their_spellings_and_nothing_else() -> None:
    database = UrlChoice("database URL", ("sqlite", "postgresql"))
    assert database.schemes == ("sqlite", "postgresql", "postgres")
    assert database.name("postgres://h/db") == "postgresql"
    assert database.name(None) == database.name(" ") == "sqlite"
    cache = UrlChoice("Redis URL", ("memory", "redis"), default_by_url=False)
    assert cache.schemes == ("redis", "rediss", "unix")
    assert cache.name("rediss://h") == cache.name("unix:///s") == "redis"
    with pytest.raises(ValueError, match=r"^unsupported Redis URL scheme 'memory'; accepted"):
        cache.name("memory://")
    storage = UrlChoice("storage URL", ("file", "s3"), folder=True)
    assert storage.name("~/pictures") == "file"
    assert storage.accepted == "a folder path, file://, s3://"
    with pytest.raises(ValueError, match=r"^a database URL needs a scheme; accepted: sqlite://"):
        database.name("/var/lib/lightrig.db")


def test_the_message_for_a_bad_scheme_never_shows_the_rest_of_the_url() -> None:
    database = UrlChoice("database URL", ("sqlite", "postgresql"))
    for url in ("mysql://root:hunter2@db/x", "hunter2/x.db"):
        with pytest.raises(ValueError, match="scheme") as raised:
            database.name(url)
        assert "hunter2" not in str(raised.value)


def test_choose_names_the_kind_and_what_there_is() -> None:
    factories = {"a": 1, "b": 2}
    assert choose("widget", "b", factories) == 2
    with pytest.raises(ValueError, match=r"^unknown widget 'c'; accepted: a, b$"):
        choose("widget", "c", factories)


# ------------------------------------------------------------------------------- imports
_DEFAULTS = """
import json, sys
from lightrig.cache.factory import create_cache
from lightrig.config import Settings
from lightrig.db.factory import create_store
from lightrig.jobs.factory import create_job_queue
from lightrig.limits.factory import create_limiter
from lightrig.storage.factory import create_storage
from lightrig.translate.factory import create_translator

async def job(generation_id):
    return None

settings = Settings()
made = [
    create_storage(settings), create_store(settings), create_cache(settings),
    create_limiter(settings), create_job_queue(settings, job), create_translator(settings),
]
print(json.dumps({
    "made": [type(adapter).__name__ for adapter in made],
    "modules": sorted(sys.modules),
}))
"""

#: The packages only the adapters that are not the defaults need.
_OTHERS = ("boto3", "botocore", "redis", "taskiq", "taskiq_redis", "asyncpg", "httpx", "openai")


def _clean_env(tmp_path: Path) -> dict[str, str]:
    import os

    env = {name: value for name, value in os.environ.items() if not name.startswith("LIGHTRIG_")}
    return {**env, "LIGHTRIG_DATA_DIR": str(tmp_path)}


def test_the_defaults_load_no_other_adapters_dependencies(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _DEFAULTS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=_clean_env(tmp_path),
        cwd=tmp_path,  # no .env
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["made"] == [
        "LocalImageStorage",
        "SqlMetadataStore",
        "MemoryCache",
        "MemoryRateLimiter",
        "InProcessJobQueue",
        "RulesTranslator",
    ]
    loaded = {module.split(".")[0] for module in found["modules"]}
    assert loaded.isdisjoint(_OTHERS), sorted(loaded & set(_OTHERS))
    assert "google.genai" not in found["modules"]


_WITHOUT = """
import os, sys
for name in os.environ["LIGHTRIG_TEST_MISSING"].split(","):
    sys.modules[name] = None
from lightrig.config import Settings
from lightrig.errors import MissingExtraError
from {module} import {factory}

async def job(generation_id):
    return None

settings = Settings()
try:
    {factory}(settings{extra_argument})
except MissingExtraError as error:
    print(error)
"""


@dataclass(frozen=True)
class Unextra:
    """An adapter chosen by a setting, made with a package of its extra missing."""

    missing: str
    setting: str
    value: str
    factory: str
    line: str


UNEXTRAS = {
    "s3": Unextra(
        "boto3",
        "STORAGE_URL",
        "s3://bucket/images",
        "lightrig.storage.factory.create_storage",
        "the s3 image store needs the 's3' extra: pip install 'lightrig[s3]'",
    ),
    "redis-cache": Unextra(
        "redis",
        "REDIS_URL",
        "redis://127.0.0.1:1/0",
        "lightrig.cache.factory.create_cache",
        "the redis cache needs the 'fleet' extra: pip install 'lightrig[fleet]'",
    ),
    "redis-limiter": Unextra(
        "redis",
        "REDIS_URL",
        "rediss://127.0.0.1:1/0",
        "lightrig.limits.factory.create_limiter",
        "the redis rate limiter needs the 'fleet' extra: pip install 'lightrig[fleet]'",
    ),
    "redis-queue": Unextra(
        "taskiq",
        "QUEUE_URL",
        "redis://127.0.0.1:1/0",
        "lightrig.jobs.factory.create_job_queue",
        "the redis job queue needs the 'fleet' extra: pip install 'lightrig[fleet]'",
    ),
    "gemini": Unextra(
        "httpx",
        "TRANSLATOR",
        "gemini",
        "lightrig.translate.factory.create_translator",
        "the gemini translator needs the 'llm' extra: pip install 'lightrig[llm]'",
    ),
    "openai": Unextra(
        "httpx",
        "TRANSLATOR",
        "openai",
        "lightrig.translate.factory.create_translator",
        "the openai translator needs the 'llm' extra: pip install 'lightrig[llm]'",
    ),
}


@pytest.mark.parametrize("case", UNEXTRAS)
def test_an_adapter_without_its_extra_says_which(tmp_path: Path, case: str) -> None:
    unextra = UNEXTRAS[case]
    module, _, factory = unextra.factory.rpartition(".")
    code = _WITHOUT.format(
        module=module,
        factory=factory,
        extra_argument=", job" if factory == "create_job_queue" else "",
    )
    env = {
        **_clean_env(tmp_path),
        f"LIGHTRIG_{unextra.setting}": unextra.value,
        "LIGHTRIG_TEST_MISSING": unextra.missing,
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == unextra.line
