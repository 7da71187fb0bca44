"""Running one generation so that its record is never lost nor half-written.

The record is in the metadata store before the image backend is called (``running``, leased to
this process), and completed after (``success`` with the stored image, or ``error`` saying why)
in one write. Every change of the record is a transition of :mod:`lightrig.records.lifecycle`,
which the store makes durable. While the backend works, the lease is renewed every third of its
length; if the process dies, the lease runs out and any process may declare the record
``interrupted``, after which it can be resumed (run again from its stored request, prompt and
parameters — the same seed) or failed explicitly.

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
import logging
import os
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from uuid import uuid4

from lightrig.backends.base import (
    BackendImage,
    ImageBackend,
    ImageEditor,
    ResumableBackend,
    ResumableEditor,
    SourceImage,
    Submission,
)
from lightrig.cache.base import Cache
from lightrig.db.base import MetadataStore
from lightrig.errors import FIBOGenerationError, StaleRecordError
from lightrig.models.adherence import Adherence
from lightrig.models.generation import GenerationResponse
from lightrig.models.params import GenerationParams
from lightrig.records import lifecycle
from lightrig.records.convert import to_response
from lightrig.records.record import Draft, GenerationRecord, StoredImage
from lightrig.service.results import entry, read_entry, result_key
from lightrig.service.retries import JobRetry, failure_text, is_retryable
from lightrig.storage.base import ImageNotFoundError, ImageStorage
from lightrig.verify.checker import ImageVerifier

__all__ = ["GenerationRunner", "worker_name"]

log = logging.getLogger(__name__)

#: How many deleted images' keys a runner remembers (a run that attaches one of them puts the
#: image back; far more deletions than this during one run's last steps do not happen).
_DROPPED_KEPT = 1024


def worker_name() -> str:
    """This process's name in records: ``host:pid:random`` (unique even when pids repeat)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Charges:
    """What one run handed the host: the host's id for its job and the possible duplicates of
    its submission, once known."""

    duplicates: int = 0
    request_id: str | None = None


@dataclass(frozen=True)
class _Outcome:
    """A run's result before it completes the record: the stored image (and its bytes), the
    host's id for the job that made it, its price and possible duplicates, whether the cache
    answered, its adherence."""

    image: StoredImage
    data: bytes
    request_id: str | None
    cost_usd: float
    possible_duplicates: int
    cached: bool
    adherence: Adherence | None


class GenerationRunner:
    """Runs recorded generations on a backend: lease, generate, store, cache, complete.

    ``lease_s``: seconds a running record is held without renewal. ``cache_ttl_s``: seconds a
    result stays in the cache. ``prices_usd``: dollars per image by backend name and by
    ``backend:model``. ``verifier``: checks each image against its request (none: images are
    not checked).
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
        #: called with the public shape of each record this runner completes, successful or
        #: not, and of each refused item (for metrics)
        self.observers: list[Callable[[GenerationResponse], None]] = []
        # image deletions and the last look of a run attaching an image take turns under this
        # lock; the keys of the images deleted lately, for that look
        self._images = asyncio.Lock()
        self._dropped: deque[str] = deque(maxlen=_DROPPED_KEPT)

    def observe(self, record: GenerationRecord) -> None:
        """Tell the observers of a record that finished (or is to run again)."""
        if not self.observers:
            return
        shown = to_response(record)
        for observer in self.observers:
            try:
                observer(shown)
            except Exception:  # an observer's failure must not fail the generation
                log.warning("a generation observer failed", exc_info=True)

    def result_key_of(self, record: Draft) -> str:
        """The result-cache key under which ``record``'s image would be found."""
        if record.backend is None or record.structured_prompt is None or record.params is None:
            raise ValueError(f"record {record.generation_id} was never run")
        source = None if record.source is None else record.source.key
        return result_key(record.backend, record.structured_prompt, record.params, source)

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

    async def start(self, draft: Draft) -> GenerationRecord:
        """Record a new generation as ``running`` under this worker's lease; the record."""
        running = lifecycle.start(draft, worker=self.worker, lease_s=self.lease_s, now=_now())
        await self.store.add_generation(running)
        return running

    async def claim(self, record: GenerationRecord) -> GenerationRecord | None:
        """Take a waiting record (``queued``, ``interrupted``, due ``retrying``) for this
        worker: ``running`` in the store, and the record as the claim made it; ``None`` when
        the store's record could not be claimed (someone else has it, or it has finished)."""
        if not await self.store.claim_generation(record.generation_id, self.worker, self.lease_s):
            return None
        return lifecycle.claim(record, worker=self.worker, lease_s=self.lease_s, now=_now())

    async def resume(self, record: GenerationRecord) -> GenerationRecord:
        """Take an ``interrupted`` (or ``queued``) record to run it again at a user's asking;
        the running record. :class:`~lightrig.errors.IllegalTransitionError` from another
        status (or with nothing to run), :class:`StaleRecordError` when another process took
        it first."""
        running = lifecycle.resume(record, worker=self.worker, lease_s=self.lease_s, now=_now())
        if not await self.store.claim_generation(record.generation_id, self.worker, self.lease_s):
            raise StaleRecordError(
                f"generation {record.generation_id} was taken by another process"
            )
        return running

    async def run(
        self,
        record: GenerationRecord,
        backend: ImageBackend,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationRecord:
        """Generate a ``running`` record's image (with its own parameters) and complete the
        record.

        Returns the completed record; a backend or storage failure completes it as ``error``
        and is raised again — except for a job (``retry`` given) whose failure is worth
        retrying: it is made ``retrying`` (or ``error`` once out of attempts) and returned.
        """
        started = time.perf_counter()
        if not record.runnable:
            raise ValueError(f"record {record.generation_id} has nothing to run")
        charges = _Charges(request_id=record.backend_request_id)
        try:
            async with self.leased(record.generation_id):
                outcome = await self._outcome(record, backend, charges)
        except BaseException as exc:
            if isinstance(exc, StaleRecordError):
                raise  # taken over by another worker: the record is not this run's to write
            if isinstance(exc, Exception):
                if retry is not None and is_retryable(exc):
                    return await self._retry_later(record, failure_text(exc), retry)
                failed = self._charged(record, exc, charges)
                await self.complete_failed(failed, failure_text(exc), started)
            raise  # cancelled or killed: the lease runs out and the record says interrupted
        done = lifecycle.complete(
            record,
            image=outcome.image,
            cost_usd=outcome.cost_usd,
            possible_duplicates=outcome.possible_duplicates,
            cached=outcome.cached,
            adherence=outcome.adherence,
            request_id=outcome.request_id,
            duration_s=time.perf_counter() - started,
            now=_now(),
        )
        await self.store.finish_generation(done, worker=self.worker)
        await self._keep(outcome.image.key, outcome.data, outcome.image.media_type)
        self.observe(done)
        return done

    async def _outcome(
        self, record: GenerationRecord, backend: ImageBackend, charges: _Charges
    ) -> _Outcome:
        """A running record's image: from the result cache when the same work was done and
        its image is still stored, else made by ``backend`` and stored (and cached)."""
        prompt, request, params = record.structured_prompt, record.request, record.params
        if prompt is None or request is None or params is None:
            raise ValueError(f"record {record.generation_id} has nothing to run")
        key = result_key(
            backend.name, prompt, params, None if record.source is None else record.source.key
        )
        found = await self.cache.get(key)
        if found is not None:
            image, request_id = read_entry(found)
            data = await self._stored(image.key)
            if data is not None:
                log.info("generation %s answered from the cache", record.generation_id)
                return _Outcome(
                    image=image,
                    data=data,
                    request_id=request_id,
                    cost_usd=0.0,
                    possible_duplicates=0,
                    cached=True,
                    # checked against this request: another request may share the prompt
                    adherence=await self._adherence(data, record),
                )
        log.info(
            "generation %s for %s on %s (seed %d)",
            record.generation_id,
            record.user_id,
            backend.name,
            params.seed,
        )
        made = await self._make(record, backend, charges)
        stored = await self.storage.put(made.data, made.media_type)
        image = StoredImage(
            url=stored.url,
            key=stored.key,
            media_type=made.media_type,
            width=made.width,
            height=made.height,
        )
        await self.cache.set(key, entry(image, made.request_id), self.cache_ttl_s)
        return _Outcome(
            image=image,
            data=made.data,
            request_id=made.request_id,
            cost_usd=self.price(backend.name, made.possible_duplicates, params.model),
            possible_duplicates=made.possible_duplicates,
            cached=False,
            adherence=await self._adherence(made.data, record),
        )

    async def _adherence(self, data: bytes, record: GenerationRecord) -> Adherence | None:
        """The image checked against the record's request (``None`` without a verifier)."""
        if self.verifier is None or record.request is None:
            return None
        return await self.verifier.adherence(data, record.request)

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

    async def _stored(self, key: str) -> bytes | None:
        """The bytes of a cached result's image; None when it is gone (deleted with the last
        record that used it), and the work is done again."""
        try:
            return await self.storage.get(key)
        except ImageNotFoundError:
            log.info("the cached image %s is gone: made again", key)
            return None

    def price(self, backend: str, possible_duplicates: int, model: str | None = None) -> float:
        """US dollars for one image of ``model`` on ``backend`` and its possible duplicates:
        the ``backend:model`` price, else the backend's (see
        :data:`~lightrig.config.DEFAULT_PRICES_USD`)."""
        each = self.prices_usd.get(f"{backend}:{model}") if model is not None else None
        if each is None:
            each = self.prices_usd.get(backend, 0.0)
        return each * (1 + possible_duplicates)

    def _charged(
        self, record: GenerationRecord, exc: Exception, charges: _Charges
    ) -> GenerationRecord:
        """``record`` before it is failed by ``exc``: with the host's id for the job (noted
        during the run, else the one the error gives) and the submissions the host may have
        billed more than once (priced)."""
        duplicates = charges.duplicates
        request_id = charges.request_id
        if isinstance(exc, FIBOGenerationError):
            duplicates = max(duplicates, exc.possible_duplicates)
            request_id = request_id or exc.request_id
        if request_id is not None and record.backend_request_id is None:
            record = lifecycle.note_submission(record, request_id)
        if duplicates and record.backend is not None:
            record = lifecycle.charge(
                record,
                possible_duplicates=duplicates,
                cost_usd=self.price(
                    record.backend,
                    duplicates,
                    None if record.params is None else record.params.model,
                ),
            )
        return record

    async def _make(
        self, record: GenerationRecord, backend: ImageBackend, charges: _Charges
    ) -> BackendImage:
        """The backend's image for a running record. A host that keeps its jobs is asked once:
        its id for the job is written on the record before the wait, and a record that has
        one already (an earlier run died while the host worked) is collected, not sent again.
        ``charges`` learns the host's id and the submission's possible duplicates as soon as
        they are known."""
        prompt, request, params = record.structured_prompt, record.request, record.params
        if prompt is None or request is None or params is None:
            raise ValueError(f"record {record.generation_id} has nothing to run")
        submit: Callable[[], Awaitable[Submission]]
        collect: Callable[[str, GenerationParams], Awaitable[BackendImage]]
        if record.source is not None:
            photo = await self._photo(record.source, backend)
            if not (isinstance(backend, ResumableEditor) and backend.resumable):
                assert isinstance(backend, ImageEditor)  # checked by _photo
                return await backend.edit(photo, prompt, params)
            editor = backend

            def submit() -> Awaitable[Submission]:
                return editor.submit_edit(photo, prompt, params)

            collect = editor.collect_edit
        elif isinstance(backend, ResumableBackend) and backend.resumable:
            host = backend

            def submit() -> Awaitable[Submission]:
                return host.submit(prompt, request, params)

            collect = host.collect
        else:
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
            submission = await submit()
            request_id = submission.request_id
            charges.request_id = request_id
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
        image = await collect(request_id, params)
        return replace(image, possible_duplicates=charges.duplicates)

    async def _photo(self, source: StoredImage, backend: ImageBackend) -> SourceImage:
        """The photograph a relight edits, from storage; ``FIBOGenerationError`` (not worth
        retrying) when ``backend`` cannot edit photographs."""
        if not (isinstance(backend, ImageEditor) and backend.edits):
            raise FIBOGenerationError(
                f"the {backend.name} backend cannot edit photographs (relight needs FIBO-Edit)",
                backend=backend.name,
            )
        data = await self.storage.get(source.key)
        return SourceImage(data, source.media_type, source.width, source.height)

    async def _retry_later(
        self, record: GenerationRecord, reason: str, retry: JobRetry
    ) -> GenerationRecord:
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
        self.observe(again)
        return again

    async def complete_failed(
        self, record: GenerationRecord, error: str, started: float | None = None
    ) -> GenerationRecord:
        """Complete a running record as ``error`` with ``error`` (its run began at ``started``,
        a :func:`time.perf_counter` reading, when known); the record."""
        failed = lifecycle.fail(
            record,
            error,
            now=_now(),
            duration_s=None if started is None else time.perf_counter() - started,
        )
        try:
            await self.store.finish_generation(failed, worker=self.worker)
        except StaleRecordError:  # taken over: the record is the other worker's to finish
            log.warning(
                "generation %s failed here, but another worker has it now", record.generation_id
            )
        except Exception:  # the failure itself is what the caller must hear about
            log.error("could not record the failure of %s", record.generation_id, exc_info=True)
        self.observe(failed)
        return failed
