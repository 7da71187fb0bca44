"""Running one generation so that its record is never lost nor half-written.

The record is in the metadata store before the image backend is called (``running``, leased to
this process), and completed after (``success`` with the stored image, or ``error`` saying why)
in one write. While the backend works, the lease is renewed every third of its length; if the
process dies, the lease runs out and any process may declare the record ``interrupted``, after
which it can be resumed (run again from its stored request, prompt and parameters — the same
seed) or failed explicitly.

Identical deterministic work (same backend, parameters, canonical prompt and seed) is answered
from the result cache, and recorded all the same.

With a verifier, each image's light is read back and scored against the request before the
record is completed (``adherence``); a check that fails leaves ``adherence`` empty and never
fails the generation.

A submission the host may have accepted more than once (re-sent after an unknown answer, when a
setting allows it) is noted on the record (``possible_duplicates``) and priced: ``cost_usd`` is
one price per submission the host may have billed, for failed records too.

Images are stored by their content, so records may share one, and a deleted record's image is
deleted only when no record uses it (:meth:`GenerationRunner.drop_image`). A run that finishes
while such a deletion takes the image it is attaching puts the image back: deletions and that
last look take turns (one lock per runner; processes that share storage without sharing a
runner are not covered).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from lightrig.backends.base import BackendImage, GenerationParams, ImageBackend, ResumableBackend
from lightrig.cache.base import Cache
from lightrig.db.base import MetadataStore
from lightrig.errors import FIBOGenerationError, LightingGenerationError, StaleRecordError
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.storage.base import ImageNotFoundError, ImageStorage
from lightrig.verify.checker import ImageVerifier

__all__ = [
    "GenerationRunner",
    "JobRetry",
    "failure_text",
    "is_retryable",
    "params_from_record",
    "worker_name",
]

log = logging.getLogger(__name__)

#: How many deleted images' keys a runner remembers (a run that attaches one of them puts the
#: image back; far more deletions than this during one run's last steps do not happen).
_DROPPED_KEPT = 1024


def worker_name() -> str:
    """This process's name in records: ``host:pid:random`` (unique even when pids repeat)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def params_from_record(params: dict[str, Any]) -> GenerationParams:
    """The :class:`GenerationParams` a record's ``params`` describe."""
    return GenerationParams(
        seed=int(params["seed"]),
        steps=int(params.get("steps", 50)),
        guidance_scale=float(params.get("guidance_scale", 5.0)),
        aspect_ratio=str(params.get("aspect_ratio", "1:1")),
        negative_prompt=params.get("negative_prompt"),
        size=int(params.get("size", 512)),
    )


def failure_text(exc: BaseException) -> str:
    """What a record says of a failure: lightrig's own message, else the kind and message."""
    if isinstance(exc, LightingGenerationError):
        return str(exc)
    return f"generation failed: {type(exc).__name__}: {exc}"


def is_retryable(exc: BaseException) -> bool:
    """Whether running the job again later may succeed: the host said so (a 429, a 5xx, a
    timeout), or a connection to storage or the host failed."""
    if isinstance(exc, FIBOGenerationError):
        return exc.retryable
    return isinstance(exc, ConnectionError | TimeoutError)


@dataclass(frozen=True)
class JobRetry:
    """How a background job is retried: ``max_attempts`` runs in all, the second after
    ``delay_s`` seconds, each further one after twice the wait before it."""

    max_attempts: int
    delay_s: float

    def delay_after(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th run failed."""
        return self.delay_s * 2.0 ** max(0, attempts - 1)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class _Charges:
    """What one run handed the host: the possible duplicates of its submission, once known."""

    duplicates: int = 0


class GenerationRunner:
    """Runs recorded generations on a backend: lease, generate, store, cache, complete.

    ``lease_s``: seconds a running record is held without renewal. ``cache_ttl_s``: seconds a
    result stays in the cache. ``prices_usd``: dollars per image by backend name. ``verifier``:
    checks each image against its request (none: images are not checked).
    """

    def __init__(
        self,
        *,
        store: MetadataStore,
        storage: ImageStorage,
        cache: Cache,
        lease_s: float,
        cache_ttl_s: float,
        prices_usd: dict[str, float],
        worker: str | None = None,
        verifier: ImageVerifier | None = None,
    ) -> None:
        self.store = store
        self.storage = storage
        self.cache = cache
        self.lease_s = lease_s
        self.cache_ttl_s = cache_ttl_s
        self.prices_usd = prices_usd
        self.worker = worker or worker_name()
        self.verifier = verifier
        #: called with each record this runner completes, successful or not (for metrics)
        self.observers: list[Callable[[GenerationResponse], None]] = []
        # image deletions and the last look of a run attaching an image take turns under this
        # lock; the keys of the images deleted lately, for that look
        self._images = asyncio.Lock()
        self._dropped: deque[str] = deque(maxlen=_DROPPED_KEPT)

    def _observe(self, record: GenerationResponse) -> None:
        for observer in self.observers:
            try:
                observer(record)
            except Exception:  # an observer's failure must not fail the generation
                log.warning("a generation observer failed", exc_info=True)

    @staticmethod
    def cache_key(backend: str, prompt: dict[str, Any], params: GenerationParams) -> str:
        """The result-cache key of deterministic work."""
        identity = {"backend": backend, "params": params.describe(), "prompt": prompt}
        return "generation:" + hashlib.sha256(_canonical(identity).encode()).hexdigest()

    def result_key_of(self, record: GenerationResponse) -> str:
        """The result-cache key under which ``record``'s image would be found."""
        if record.backend is None or record.structured_prompt is None or record.params is None:
            raise ValueError(f"record {record.generation_id} was never run")
        return self.cache_key(
            record.backend, record.structured_prompt, params_from_record(record.params)
        )

    @contextlib.asynccontextmanager
    async def leased(self, generation_id: str) -> AsyncIterator[None]:
        """Keep renewing this worker's lease on a running record while the block runs."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(self.lease_s / 3.0)
                try:
                    held = await self.store.renew_lease(generation_id, self.worker, self.lease_s)
                except Exception:  # a store hiccup: try again at the next tick
                    log.warning("could not renew the lease on %s", generation_id, exc_info=True)
                    continue
                if not held:
                    log.warning("lost the lease on %s (declared interrupted?)", generation_id)
                    return

        task = asyncio.create_task(renew(), name=f"lease:{generation_id}")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def start(self, record: GenerationResponse) -> GenerationResponse:
        """Write a new record as ``running`` under this worker's lease; the record."""
        running = record.model_copy(update={"status": GenerationStatus.RUNNING, "attempts": 1})
        await self.store.add_generation(running, worker=self.worker, lease_s=self.lease_s)
        return running

    async def run(
        self,
        record: GenerationResponse,
        backend: ImageBackend,
        params: GenerationParams,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationResponse:
        """Generate a ``running`` record's image and complete the record.

        Returns the completed record; a backend or storage failure completes it as ``error``
        and is raised again — except for a job (``retry`` given) whose failure is worth
        retrying: it is made ``retrying`` (or ``error`` once out of attempts) and returned.
        """
        started = time.perf_counter()
        if record.structured_prompt is None or record.request is None:
            raise ValueError(f"record {record.generation_id} has no prompt or request to run")
        prompt = record.structured_prompt
        key = self.cache_key(backend.name, prompt, params)
        charges = _Charges()
        try:
            async with self.leased(record.generation_id):
                cached = await self.cache.get(key)
                image = None if cached is None else json.loads(cached)
                data = None if image is None else await self._stored(image)
                if image is not None and data is not None:
                    log.info("generation %s answered from the cache", record.generation_id)
                    done = record.model_copy(update={**image, "cached": True, "cost_usd": 0.0})
                    if self.verifier is not None:
                        # checked against this request: another request may share the prompt
                        adherence = await self.verifier.adherence(data, record.request)
                        done = done.model_copy(update={"adherence": adherence})
                else:
                    log.info(
                        "generation %s for %s on %s (seed %d)",
                        record.generation_id,
                        record.user_id,
                        backend.name,
                        params.seed,
                    )
                    made = await self._make(record, backend, params, charges)
                    data = made.data
                    stored = await self.storage.put(made.data, made.media_type)
                    image = {
                        "image_url": stored.url,
                        "image_key": stored.key,
                        "media_type": made.media_type,
                        "width": made.width,
                        "height": made.height,
                        "backend_request_id": made.request_id,
                    }
                    await self.cache.set(key, _canonical(image).encode(), self.cache_ttl_s)
                    adherence = (
                        None
                        if self.verifier is None
                        else await self.verifier.adherence(made.data, record.request)
                    )
                    done = record.model_copy(
                        update={
                            **image,
                            "cost_usd": self.price(backend.name, made.possible_duplicates),
                            "possible_duplicates": made.possible_duplicates,
                            "adherence": adherence,
                        }
                    )
        except BaseException as exc:
            if isinstance(exc, StaleRecordError):
                raise  # taken over by another worker: the record is not this run's to write
            if isinstance(exc, Exception):
                if retry is not None and is_retryable(exc):
                    return await self._retry_later(record, failure_text(exc), retry)
                failed = self._charged(record, exc, charges.duplicates)
                await self.complete_failed(failed, failure_text(exc), started)
            raise  # cancelled or killed: the lease runs out and the record says interrupted
        done = done.model_copy(
            update={
                "status": GenerationStatus.SUCCESS,
                "error": None,
                "duration_s": time.perf_counter() - started,
                "completed_at": datetime.now(UTC),
            }
        )
        await self.store.finish_generation(done, worker=self.worker)
        if done.image_key is not None and data is not None:
            await self._keep(done.image_key, data, done.media_type or "image/png")
        self._observe(done)
        return done

    async def drop_image(self, key: str) -> bool:
        """Delete the stored image ``key`` unless a record uses it; whether it was deleted.
        (A run attaching it at the same time puts it back: see :meth:`_keep`.)"""
        async with self._images:
            if await self.store.image_in_use(key):
                return False
            await self.storage.delete(key)
            self._dropped.append(key)
            return True

    async def _keep(self, key: str, data: bytes, media_type: str) -> None:
        """After a record naming the image ``key`` is saved: put the image back if a deletion
        took it since this run stored or found it (a record of the image it replaced being
        deleted meanwhile). Deletions wait for this look, so either a deletion sees the record
        and keeps the image, or this look sees the deletion."""
        async with self._images:
            if key in self._dropped:
                await self.storage.put(data, media_type)

    async def _stored(self, image: dict[str, Any]) -> bytes | None:
        """The bytes of a cached result's image; None when it is gone (deleted with the last
        record that used it), and the work is done again."""
        try:
            return await self.storage.get(str(image["image_key"]))
        except ImageNotFoundError:
            log.info("the cached image %s is gone: made again", image["image_key"])
            return None

    def price(self, backend: str, possible_duplicates: int) -> float:
        """US dollars for one image on ``backend`` and its possible duplicates."""
        return self.prices_usd.get(backend, 0.0) * (1 + possible_duplicates)

    def _charged(
        self, record: GenerationResponse, exc: Exception, duplicates: int
    ) -> GenerationResponse:
        """``record`` before it is failed by ``exc``: with the submissions the host may have
        billed more than once (priced) and the host's id for the job, when the host gave one."""
        update: dict[str, Any] = {}
        if isinstance(exc, FIBOGenerationError):
            duplicates = max(duplicates, exc.possible_duplicates)
            if exc.request_id and record.backend_request_id is None:
                update["backend_request_id"] = exc.request_id
        if duplicates and record.backend is not None:
            update["possible_duplicates"] = duplicates
            update["cost_usd"] = self.price(record.backend, duplicates)
        return record.model_copy(update=update) if update else record

    async def _make(
        self,
        record: GenerationResponse,
        backend: ImageBackend,
        params: GenerationParams,
        charges: _Charges,
    ) -> BackendImage:
        """The backend's image for a running record. A host that keeps its jobs is asked once:
        its id for the job is written on the record before the wait, and a record that has
        one already (an earlier run died while the host worked) is collected, not sent again.
        ``charges`` learns the submission's possible duplicates as soon as they are known."""
        prompt, request = record.structured_prompt, record.request
        if prompt is None or request is None:
            raise ValueError(f"record {record.generation_id} has no prompt or request to run")
        if not (isinstance(backend, ResumableBackend) and backend.resumable):
            return await backend.generate(prompt, request, params)
        request_id = record.backend_request_id
        if request_id is None:
            # fencing: a worker that was stalled past its lease (and whose job another worker
            # may have taken) must not hand the host the same job a second time
            if not await self.store.renew_lease(record.generation_id, self.worker, self.lease_s):
                raise StaleRecordError(
                    f"generation {record.generation_id}: this worker's lease ran out before it "
                    "was submitted; another worker has it"
                )
            submission = await backend.submit(prompt, request, params)
            request_id = submission.request_id
            charges.duplicates = submission.possible_duplicates
            noted = await self.store.note_submission(record.generation_id, self.worker, request_id)
            if not noted:
                log.warning(
                    "generation %s is no longer this worker's; collecting %s all the same",
                    record.generation_id,
                    request_id,
                )
        else:
            log.info(
                "generation %s: collecting the host's job %s from an earlier run",
                record.generation_id,
                request_id,
            )
        image = await backend.collect(request_id, params)
        return replace(image, possible_duplicates=charges.duplicates)

    async def _retry_later(
        self, record: GenerationResponse, reason: str, retry: JobRetry
    ) -> GenerationResponse:
        """A job's run failed in a way worth retrying: ``retrying`` (or ``error`` once out of
        attempts); the record as the store then has it."""
        try:
            again = await self.store.retry_generation(
                record.generation_id,
                self.worker,
                reason,
                delay_s=retry.delay_after(max(1, record.attempts)),
                max_attempts=retry.max_attempts,
            )
        except Exception:
            log.error("could not record the retry of %s", record.generation_id, exc_info=True)
            raise
        log.warning("generation %s: %s", record.generation_id, again.error)
        self._observe(again)
        return again

    async def complete_failed(
        self, record: GenerationResponse, error: str, started: float | None = None
    ) -> GenerationResponse:
        """Complete a running record as ``error`` with ``error``; the record."""
        failed = record.model_copy(
            update={
                "status": GenerationStatus.ERROR,
                "error": error,
                "duration_s": None if started is None else time.perf_counter() - started,
                "completed_at": datetime.now(UTC),
            }
        )
        try:
            await self.store.finish_generation(failed, worker=self.worker)
        except StaleRecordError:  # taken over: the record is the other worker's to finish
            log.warning(
                "generation %s failed here, but another worker has it now", record.generation_id
            )
        except Exception:  # the failure itself is what the caller must hear about
            log.error("could not record the failure of %s", record.generation_id, exc_info=True)
        self._observe(failed)
        return failed
