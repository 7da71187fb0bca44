"""How fast records and cache entries go in and out, on each implementation, in one run.

* Generation records: ``add_generation`` + ``finish_generation`` (the two writes every
  generation makes) and ``get_generation`` reads, with full records (request, prompt, analysis),
  on SQLite (a file in a temporary folder, WAL) and PostgreSQL (127.0.0.1:5432, database
  ``test``, a schema of its own, dropped afterwards). ``--concurrency`` writers at once.
* Cache: ``set`` and ``get`` of 2 KB values on the in-process cache and on Redis
  (127.0.0.1:6379, keys under a prefix of their own, deleted afterwards).

Figures are per second (medians of ``--rounds``), and each is also given as a ratio to the
embedded default measured in the same run (SQLite for records, memory for the cache), so the
numbers say what a move to the server costs or gains on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.backends.base import GenerationParams
from lightrig.cache.base import Cache
from lightrig.cache.memory import MemoryCache
from lightrig.cache.redis import RedisCache
from lightrig.db.sql import SqlMetadataStore
from lightrig.fibo.compile import compile_prompt
from lightrig.presets import PRESETS
from lightrig.records import Draft, StoredImage, lifecycle

POSTGRES_URL = os.environ.get("LIGHTRIG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test")
REDIS_URL = os.environ.get("LIGHTRIG_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def _template() -> Draft:
    request = PRESETS["rembrandt"].request()
    return Draft(
        generation_id="template",
        created_at=datetime.now(UTC),
        user_id="bench",
        structured_prompt=compile_prompt(request),
        request=request,
        analysis=LightingAnalyzer().analyze(request),
        backend="preview",
        params=GenerationParams(seed=7, steps=50, guidance_scale=5.0, aspect_ratio="1:1"),
    )


async def _timed(work: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await work()
    return time.perf_counter() - start


async def _records_round(
    store: SqlMetadataStore, template: Draft, count: int, concurrency: int
) -> tuple[float, float]:
    """(records written per second, records read per second)."""
    ids = [uuid.uuid4().hex for _ in range(count)]
    gate = asyncio.Semaphore(concurrency)

    async def write(generation_id: str) -> None:
        async with gate:
            record = lifecycle.start(
                replace(template, generation_id=generation_id),
                worker="bench",
                lease_s=60.0,
                now=datetime.now(UTC),
            )
            await store.add_generation(record)
            key = f"{generation_id * 2}.png"
            image = StoredImage(
                url=f"file:///{key}", key=key, media_type="image/png", width=512, height=512
            )
            await store.finish_generation(
                lifecycle.complete(record, image=image, cost_usd=0.0, now=datetime.now(UTC))
            )

    async def read(generation_id: str) -> None:
        async with gate:
            found = await store.get_generation(generation_id)
            assert found is not None

    async def write_all() -> None:
        await asyncio.gather(*(write(i) for i in ids))

    async def read_all() -> None:
        await asyncio.gather(*(read(i) for i in ids))

    written = await _timed(write_all)
    read_s = await _timed(read_all)
    return count / written, count / read_s


async def bench_records(
    count: int, rounds: int, concurrency: int
) -> dict[str, tuple[float, float]]:
    template = _template()
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        stores = {
            "SQLite": SqlMetadataStore(f"sqlite:///{Path(folder) / 'bench.db'}"),
            "PostgreSQL": SqlMetadataStore(POSTGRES_URL, schema=f"lr_bench_{uuid.uuid4().hex[:8]}"),
        }
        for name, store in stores.items():
            try:
                await store.migrate()
                samples = [
                    await _records_round(store, template, count, concurrency) for _ in range(rounds)
                ]
                results[name] = (
                    statistics.median(s[0] for s in samples),
                    statistics.median(s[1] for s in samples),
                )
            finally:
                if name == "PostgreSQL":
                    await store.drop_schema()
                await store.aclose()
    return results


async def _cache_round(cache: Cache, prefix: str, count: int) -> tuple[float, float]:
    value = os.urandom(2048)
    keys = [f"{prefix}{i}" for i in range(count)]

    async def set_all() -> None:
        for key in keys:
            await cache.set(key, value, 60.0)

    async def get_all() -> None:
        for key in keys:
            assert await cache.get(key) == value

    set_s = await _timed(set_all)
    get_s = await _timed(get_all)
    for key in keys:
        await cache.delete(key)
    return count / set_s, count / get_s


async def bench_cache(count: int, rounds: int) -> dict[str, tuple[float, float]]:
    prefix = f"lightrig-bench:{uuid.uuid4().hex[:8]}:"
    caches: dict[str, Cache] = {
        "memory": MemoryCache(max_entries=max(4096, count)),
        "Redis": RedisCache(REDIS_URL),
    }
    results: dict[str, tuple[float, float]] = {}
    for name, cache in caches.items():
        try:
            samples = [await _cache_round(cache, prefix, count) for _ in range(rounds)]
        finally:
            await cache.aclose()
        results[name] = (
            statistics.median(s[0] for s in samples),
            statistics.median(s[1] for s in samples),
        )
    return results


def _table(
    title: str, rows: dict[str, tuple[float, float]], baseline: str, ops: tuple[str, str]
) -> None:
    base_write, base_read = rows[baseline]
    print(f"\n{title}")
    print(f"| store | {ops[0]} per s | × {baseline} | {ops[1]} per s | × {baseline} |")
    print("|---|---|---|---|---|")
    for name, (write, read) in rows.items():
        print(
            f"| {name} | {write:,.0f} | {write / base_write:.2f} | {read:,.0f} | "
            f"{read / base_read:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=500, help="records per round")
    parser.add_argument("--entries", type=int, default=5000, help="cache entries per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8, help="writers/readers at once")
    options = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}; {options.records} records x {options.rounds} rounds, "
        f"{options.concurrency} at once; {options.entries} cache entries x {options.rounds}"
    )
    records = asyncio.run(bench_records(options.records, options.rounds, options.concurrency))
    _table(
        "generation records (a write is add + finish: the two writes a generation makes)",
        records,
        "SQLite",
        ("records written", "records read"),
    )
    cache = asyncio.run(bench_cache(options.entries, options.rounds))
    _table("cache, 2 KB values, one client, sequential", cache, "memory", ("sets", "gets"))


if __name__ == "__main__":
    main()
