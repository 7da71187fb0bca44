"""``LightingGenerationService``: lighting setups in, stored images out.

The orchestration the seed design describes, with every part real: a setup is validated,
analysed and compiled into FIBO's structured prompt; its record is written to the metadata store;
the image backend (the preview renderer by default, Bria, fal.ai or a local pipeline) makes the
image; the image is stored and the record completed with its prompt, seed, parameters, analysis,
cost and timing (:mod:`lightrig.runner`). A generation cut short by a crash is found by its
expired lease, declared interrupted, and can be resumed or failed. Identical deterministic
requests (same backend, model parameters, canonical prompt and seed) are answered from the result
cache. It knows nothing of HTTP.

Each part comes from the settings unless given: the store from ``LIGHTRIG_DATABASE_URL``, images
from ``LIGHTRIG_STORAGE_URL``, the cache and rate limits from ``LIGHTRIG_REDIS_URL``, all
embedded under ``LIGHTRIG_DATA_DIR`` when unset.

Use it as an async context manager, or call :meth:`close` when done::

    async with LightingGenerationService() as service:
        result = await service.generate_from_lighting_setup(request, user_id="u1")
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Self
from uuid import uuid4

from pydantic import BaseModel, ConfigDict

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.backends.base import ASPECT_RATIOS, BackendHealth, GenerationParams, ImageBackend
from lightrig.backends.factory import create_backend
from lightrig.cache.base import Cache
from lightrig.cache.factory import create_cache
from lightrig.config import DEFAULT_NEGATIVE_PROMPT, Settings
from lightrig.db.base import BatchRecord, MetadataStore, ReapedJobs
from lightrig.db.factory import create_store
from lightrig.errors import (
    FieldError,
    InvalidLightingSetupError,
    LightingGenerationError,
    RecordNotFoundError,
    StaleRecordError,
)
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.refine import refine_prompt
from lightrig.jobs.base import JobQueue
from lightrig.jobs.factory import create_job_queue
from lightrig.lighting.reading import read
from lightrig.limits.base import RateLimiter
from lightrig.limits.factory import create_limiter
from lightrig.models.batch import BatchProgress
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.runner import GenerationRunner, JobRetry, failure_text, params_from_record
from lightrig.storage.base import ImageNotFoundError, ImageStorage
from lightrig.storage.factory import create_storage
from lightrig.translate.base import Translation, Translator
from lightrig.translate.factory import create_translator
from lightrig.verify.checker import ImageVerifier
from lightrig.verify.image import Encoding, ImageDecodeError
from lightrig.verify.models import VerificationReport

__all__ = ["CheckResult", "HealthReport", "LightingGenerationService", "ProgressCallback"]

log = logging.getLogger(__name__)

MAX_SEED = 2**31 - 1
#: How long a health probe may take before it counts as failed, in seconds.
PROBE_TIMEOUT_S = 15.0

ProgressCallback = Callable[[int, int, GenerationResponse], None]
Status = Literal["healthy", "degraded", "unhealthy"]


class CheckResult(BaseModel):
    """One dependency's probe: status, latency in milliseconds, what it found."""

    model_config = ConfigDict(frozen=True)

    status: Status
    latency_ms: float
    detail: str


class HealthReport(BaseModel):
    """Every dependency probed for real, and the worst status among them."""

    model_config = ConfigDict(frozen=True)

    status: Status
    checks: dict[str, CheckResult]
    timestamp: datetime


class LightingGenerationService:
    """Generates images that follow a lighting setup (see the module docstring).

    Every part can be passed in; what is not comes from ``settings`` (read from the environment
    when not given): the backend named by ``LIGHTRIG_BACKEND``, images in a folder under
    ``LIGHTRIG_DATA_DIR``, an in-memory result cache and rate limiter, the translator named by
    ``LIGHTRIG_TRANSLATOR`` (the offline rules by default).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        backend: ImageBackend | None = None,
        storage: ImageStorage | None = None,
        cache: Cache | None = None,
        limiter: RateLimiter | None = None,
        translator: Translator | None = None,
        analyzer: LightingAnalyzer | None = None,
        store: MetadataStore | None = None,
        jobs: JobQueue | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.limiter = limiter or create_limiter(self.settings)
        self.storage = storage or create_storage(self.settings)
        self.cache = cache or create_cache(self.settings)
        self.store = store or create_store(self.settings)
        self._translator = translator
        self.analyzer = analyzer or LightingAnalyzer()
        #: reads the light back out of pictures (each generated one, when ``verify_images``)
        self.verifier = ImageVerifier()
        self.runner = GenerationRunner(
            store=self.store,
            storage=self.storage,
            cache=self.cache,
            lease_s=self.settings.generation_lease_s,
            cache_ttl_s=self.settings.cache_ttl_s,
            prices_usd=self.settings.prices_usd,
            verifier=self.verifier if self.settings.verify_images else None,
        )
        self.jobs = jobs or create_job_queue(self.settings, self.run_generation)
        self._backends: dict[str, ImageBackend] = {}
        if backend is not None:
            self._backends[backend.name] = backend
            self._default_backend = backend.name
        else:
            self._default_backend = self.settings.backend
        self._started = False
        self._start_lock = asyncio.Lock()
        self._closed = False

    # ------------------------------------------------------------------ plumbing
    @property
    def translator(self) -> Translator:
        """The translator given, else the one ``LIGHTRIG_TRANSLATOR`` names, made on first use
        (so a missing key is reported when words are translated, and by the health check)."""
        if self._translator is None:
            self._translator = create_translator(self.settings)
        return self._translator

    def backend(self, name: str | None = None) -> ImageBackend:
        """The backend called ``name`` (the default one when ``None``), made on first use."""
        chosen = name or self._default_backend
        found = self._backends.get(chosen)
        if found is None:
            found = create_backend(chosen, self.settings, self.limiter)
            self._backends[chosen] = found
        return found

    def _params(
        self,
        *,
        seed: int | None,
        steps: int | None,
        guidance_scale: float | None,
        aspect_ratio: str | None,
        size: int | None,
    ) -> GenerationParams:
        problems = []
        if seed is not None and not 0 <= seed <= MAX_SEED:
            problems.append(FieldError("seed", f"must be between 0 and {MAX_SEED}, not {seed}"))
        ratio = aspect_ratio or self.settings.aspect_ratio
        if ratio not in ASPECT_RATIOS:
            problems.append(
                FieldError("aspect_ratio", f"{ratio!r} is not one of {', '.join(ASPECT_RATIOS)}")
            )
        if steps is not None and not 1 <= steps <= 100:
            problems.append(FieldError("steps", f"must be between 1 and 100, not {steps}"))
        if size is not None and not 64 <= size <= 2048:
            problems.append(FieldError("size", f"must be between 64 and 2048 pixels, not {size}"))
        if problems:
            raise InvalidLightingSetupError(problems)
        return GenerationParams(
            seed=secrets.randbelow(MAX_SEED + 1) if seed is None else seed,
            steps=steps or self.settings.steps,
            guidance_scale=guidance_scale or self.settings.guidance_scale,
            aspect_ratio=ratio,
            negative_prompt=dict(DEFAULT_NEGATIVE_PROMPT),
            size=size or self.settings.preview_size,
        )

    @staticmethod
    def _request(request: SceneRequest | Mapping[str, Any]) -> SceneRequest:
        if isinstance(request, SceneRequest):
            return request
        return parse_scene_request(request)

    async def start(self) -> list[str]:
        """Bring the metadata store's schema up to date and declare the generations whose
        lease ran out interrupted; their ids. Runs once, on first use (or ``async with``)."""
        async with self._start_lock:
            if self._closed:
                raise LightingGenerationError("the service is closed")
            if self._started:
                return []
            await self.store.migrate()
            self._started = True
        return await self.recover()

    async def recover(self) -> list[str]:
        """Declare every running generation whose lease has expired interrupted (its process
        stopped before finishing); their ids."""
        interrupted = await self.store.interrupt_expired()
        for generation_id in interrupted:
            log.warning("generation %s was interrupted; resume or fail it", generation_id)
        return interrupted

    async def reap(self, *, requeue_after_s: float | None = None) -> ReapedJobs:
        """Look after the jobs no live worker holds: those whose worker died run again (or
        fail, out of attempts), due retries and jobs whose message went missing (handed to the
        queue more than ``requeue_after_s`` seconds ago; default ``job_requeue_after_s``) are
        handed to the queue. Safe from any number of processes at once."""
        await self.start()
        reaped = await self.store.reap_jobs(
            max_attempts=self.settings.job_max_attempts,
            requeue_after_s=(
                self.settings.job_requeue_after_s if requeue_after_s is None else requeue_after_s
            ),
        )
        for generation_id in reaped.requeued:
            await self.jobs.enqueue(generation_id)
        for generation_id in reaped.failed:
            log.warning("job %s ran out of attempts", generation_id)
            record = await self.store.get_generation(generation_id)
            if record is not None and record.batch_id is not None:
                await self._finish_batch_if_done(record.batch_id)
        return reaped

    async def work(self, stop: asyncio.Event, *, reap_every_s: float | None = None) -> None:
        """Run jobs until ``stop`` is set: serve the job queue (a worker process's loop; the
        in-process queue runs what it is given) and reap every ``reap_every_s`` seconds
        (default: a third of the lease, at most 10 s). With the in-process queue, the jobs a
        previous process left waiting are taken up at once."""
        await self.start()
        every = reap_every_s or min(10.0, max(0.5, self.settings.generation_lease_s / 3.0))
        serving = asyncio.create_task(self.jobs.serve(stop), name="lightrig:serve-jobs")
        first = True
        try:
            while not stop.is_set():
                try:
                    await self.reap(
                        requeue_after_s=0.0 if first and not self.jobs.durable else None
                    )
                except Exception:  # the store or queue hiccupped: try at the next tick
                    log.warning("reaping jobs failed", exc_info=True)
                first = False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every)
        finally:
            stop.set()
            await serving

    def _record(
        self,
        request: SceneRequest,
        prompt: dict[str, Any],
        params: GenerationParams,
        *,
        user_id: str | None,
        backend: str,
        status: GenerationStatus = GenerationStatus.RUNNING,
        **extra: Any,
    ) -> GenerationResponse:
        return GenerationResponse(
            generation_id=uuid4().hex,
            status=status,
            user_id=user_id,
            structured_prompt=prompt,
            request=request,
            analysis=self.analyzer.analyze(request, read(request.rig())),
            backend=backend,
            seed=params.seed,
            params=params.describe(),
            **extra,
        )

    async def _produce(
        self,
        request: SceneRequest,
        prompt: dict[str, Any],
        params: GenerationParams,
        *,
        user_id: str | None,
        backend_name: str | None,
        parent_id: str | None = None,
        background: bool = False,
    ) -> GenerationResponse:
        await self.start()
        backend = self.backend(backend_name)
        if background:
            queued = self._record(
                request,
                prompt,
                params,
                user_id=user_id,
                backend=backend.name,
                parent_id=parent_id,
                status=GenerationStatus.QUEUED,
            )
            await self.store.add_generation(queued)
            await self.jobs.enqueue(queued.generation_id)
            return queued
        record = self._record(
            request, prompt, params, user_id=user_id, backend=backend.name, parent_id=parent_id
        )
        running = await self.runner.start(record)
        return await self._run(running, backend, params)

    async def _run(
        self,
        record: GenerationResponse,
        backend: ImageBackend,
        params: GenerationParams,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationResponse:
        try:
            return await self.runner.run(record, backend, params, retry=retry)
        except LightingGenerationError:
            raise
        except Exception as exc:
            log.error("generation %s failed unexpectedly", record.generation_id, exc_info=True)
            raise LightingGenerationError(failure_text(exc)) from exc

    # ------------------------------------------------------------------ the seed's methods
    async def generate_from_lighting_setup(
        self,
        request: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        seed: int | None = None,
        backend: str | None = None,
        steps: int | None = None,
        guidance_scale: float | None = None,
        aspect_ratio: str | None = None,
        size: int | None = None,
        background: bool = False,
    ) -> GenerationResponse:
        """Generate one image of a scene request (a model or its JSON-like data).

        Raises :class:`InvalidLightingSetupError` for a bad request or parameter and
        :class:`~lightrig.errors.FIBOGenerationError` when the image host fails. With
        ``background``, the generation is recorded as ``queued`` and handed to the job queue;
        the queued record is returned at once (poll :meth:`get_generation`).
        """
        scene = self._request(request)
        params = self._params(
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            aspect_ratio=aspect_ratio,
            size=size,
        )
        prompt = compile_prompt(scene, read(scene.rig()))
        try:
            return await self._produce(
                scene, prompt, params, user_id=user_id, backend_name=backend, background=background
            )
        except LightingGenerationError:
            raise
        except Exception as exc:
            log.error("generation failed unexpectedly", exc_info=True)
            raise LightingGenerationError(failure_text(exc)) from exc

    async def verify_image(
        self,
        image: bytes,
        request: SceneRequest | None = None,
        *,
        encoding: Encoding | str = "display",
    ) -> VerificationReport:
        """Read the light of a picture (PNG, JPEG, anything Pillow reads) and, given the request
        it was meant to follow, score its adherence to it. ``encoding``: how the picture's values
        relate to the light — ``display`` (a photograph or render made for a screen), ``srgb``
        (the plain sRGB curve) or ``linear`` (proportional to the light).

        :class:`~lightrig.errors.InvalidLightingSetupError` on field ``image`` when the bytes
        are not a picture; one too small or too flat to read is reported, with the reasons, in
        the estimate.
        """
        try:
            return await self.verifier.report(image, request, encoding=encoding)
        except ImageDecodeError as exc:
            raise InvalidLightingSetupError([FieldError("image", str(exc))]) from None

    async def translate(self, text: str, *, base: SceneRequest | None = None) -> Translation:
        """The lighting a description asks for, with what was understood and ignored."""
        return await self.translator.translate(text, base=base)

    async def generate_from_natural_language(
        self,
        text: str,
        user_id: str | None = None,
        *,
        base: SceneRequest | None = None,
        seed: int | None = None,
        backend: str | None = None,
        background: bool = False,
    ) -> GenerationResponse:
        """Translate a description into a lighting setup, then generate it."""
        translation = await self.translate(text, base=base)
        return await self.generate_from_lighting_setup(
            translation.request, user_id, seed=seed, backend=backend, background=background
        )

    async def refine_lighting(
        self,
        previous: GenerationResponse | str,
        lighting: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        background: bool = False,
    ) -> GenerationResponse:
        """Re-light an earlier generation: its structured prompt with only the light changed,
        the same seed and parameters, so the picture stays the same but for the light.

        ``previous`` is the earlier result or its generation id. ``lighting`` is a whole scene
        request, or just a new ``lighting_setup`` (role → light) for the earlier scene.
        """
        if isinstance(previous, str):
            previous = await self.get_generation(previous, owner=user_id)
        if previous.structured_prompt is None or previous.seed is None:
            raise InvalidLightingSetupError(
                [FieldError("previous", "has no structured prompt and seed to re-light")]
            )
        if isinstance(lighting, SceneRequest) or "lighting_setup" in lighting:
            scene = self._request(lighting)
        else:
            data = {} if previous.request is None else previous.request.model_dump(mode="json")
            data["lighting_setup"] = {
                (role.value if hasattr(role, "value") else str(role)): (
                    light.model_dump(mode="json") if isinstance(light, LightSettings) else light
                )
                for role, light in lighting.items()
            }
            scene = self._request(data)
        earlier = previous.params or {}
        params = self._params(
            seed=previous.seed,
            steps=earlier.get("steps"),
            guidance_scale=earlier.get("guidance_scale"),
            aspect_ratio=earlier.get("aspect_ratio"),
            size=earlier.get("size"),
        )
        prompt = refine_prompt(previous.structured_prompt, scene)
        return await self._produce(
            scene,
            prompt,
            params,
            user_id=user_id,
            backend_name=backend or previous.backend,
            parent_id=previous.generation_id,
            background=background,
        )

    async def _record_batch(
        self,
        items: list[SceneRequest | Mapping[str, Any]],
        user_id: str | None,
        backend: ImageBackend,
        seed: int | None,
    ) -> tuple[str, list[tuple[GenerationResponse, GenerationParams] | GenerationResponse]]:
        """Record a batch and every item: ``queued`` with its parameters, or an invalid one at
        once as ``error``. The batch id and the items in order."""
        batch_id = uuid4().hex
        await self.store.add_batch(
            BatchRecord(
                id=batch_id, user_id=user_id, created_at=datetime.now(UTC), total=len(items)
            )
        )
        works: list[tuple[GenerationResponse, GenerationParams] | GenerationResponse] = []
        for index, item in enumerate(items):
            place = {"batch_id": batch_id, "batch_index": index}
            try:
                scene = self._request(item)
                params = self._params(
                    seed=seed, steps=None, guidance_scale=None, aspect_ratio=None, size=None
                )
                prompt = compile_prompt(scene, read(scene.rig()))
            except LightingGenerationError as exc:
                invalid = GenerationResponse(
                    generation_id=uuid4().hex,
                    status=GenerationStatus.RUNNING,
                    user_id=user_id,
                    backend=backend.name,
                    **place,
                )
                started = await self.runner.start(invalid)
                works.append(await self.runner.complete_failed(started, str(exc)))
                continue
            record = self._record(
                scene,
                prompt,
                params,
                user_id=user_id,
                backend=backend.name,
                status=GenerationStatus.QUEUED,
                **place,
            )
            await self.store.add_generation(record)
            works.append((record, params))
        if all(isinstance(work, GenerationResponse) for work in works):
            await self.store.finish_batch(batch_id)  # nothing to run
        return batch_id, works

    async def batch_generate(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        concurrency: int | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> list[GenerationResponse]:
        """Generate many; results in the order asked, one per request, failures included.

        The batch and every item are recorded first (``queued``; an invalid item at once as
        ``error``), so a crash loses none of them. At most ``concurrency`` generations run at
        once (``batch_concurrency`` by default) and the backend's rate limiter spaces their
        requests, so a batch keeps to the host's limit instead of provoking 429s. A request that
        fails — invalid, refused, timed out — becomes a ``status="error"`` result saying why;
        the others go on. ``on_progress(done, total, result)`` is called as each finishes.
        """
        await self.start()
        items = list(requests)
        total = len(items)
        chosen = self.backend(backend)
        batch_id, works = await self._record_batch(items, user_id, chosen, seed)
        gate = asyncio.Semaphore(concurrency or self.settings.batch_concurrency)
        done = 0
        results: list[GenerationResponse | None] = [None] * total

        async def one(index: int, work: tuple[GenerationResponse, GenerationParams]) -> None:
            record, params = work
            async with gate:
                result = await self._run_queued(record, chosen, params)
            finished(index, result)

        def finished(index: int, result: GenerationResponse) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if on_progress is not None:
                on_progress(done, total, result)

        tasks = []
        for index, work in enumerate(works):
            if isinstance(work, GenerationResponse):
                finished(index, work)
            else:
                tasks.append(one(index, work))
        await asyncio.gather(*tasks)
        await self.store.finish_batch(batch_id)
        return [result for result in results if result is not None]

    async def submit_batch(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
    ) -> BatchProgress:
        """Record a batch and hand its items to the job queue; its progress at once (follow
        it with :meth:`batch_progress`). Invalid items are recorded as errors, not run."""
        await self.start()
        chosen = self.backend(backend)
        batch_id, works = await self._record_batch(list(requests), user_id, chosen, seed)
        for work in works:
            if not isinstance(work, GenerationResponse):
                await self.jobs.enqueue(work[0].generation_id)
        return await self.batch_progress(batch_id, owner=user_id)

    async def batch_progress(
        self, batch_id: str, *, owner: str | None = None, items: bool = True
    ) -> BatchProgress:
        """A batch's counts and items (``owner``'s, when given; without the items when
        ``items`` is false, which costs one grouped count); :class:`RecordNotFoundError`."""
        await self.start()
        batch = await self.store.get_batch(batch_id, owner=owner)
        if batch is None:
            raise RecordNotFoundError(f"no batch {batch_id!r}")
        if not items:
            counted = await self.store.count_batch(batch_id)
            return BatchProgress(
                batch_id=batch.id,
                user_id=batch.user_id,
                created_at=batch.created_at,
                completed_at=batch.completed_at,
                total=batch.total,
                counts=counted,
                done=counted.get(GenerationStatus.SUCCESS, 0)
                + counted.get(GenerationStatus.ERROR, 0),
                items=[],
            )
        records = {
            record.generation_id: record
            for record in await self.store.list_generations(
                batch_id=batch_id, limit=max(1, min(500, batch.total or 1))
            )
        }
        ordered = [records[i] for i in batch.generation_ids if i is not None and i in records]
        counts = dict.fromkeys(GenerationStatus, 0)
        for record in ordered:
            counts[record.status] += 1
        finished = counts[GenerationStatus.SUCCESS] + counts[GenerationStatus.ERROR]
        return BatchProgress(
            batch_id=batch.id,
            user_id=batch.user_id,
            created_at=batch.created_at,
            completed_at=batch.completed_at,
            total=batch.total,
            counts={status: n for status, n in counts.items() if n},
            done=finished,
            items=ordered,
        )

    async def run_generation(self, generation_id: str) -> GenerationResponse:
        """Run a ``queued`` or due ``retrying`` job (or an ``interrupted`` generation) from its
        record — what a job does. Idempotent: a record someone else has, or that has finished,
        is returned as it is, and a host that already has the job is asked for it, not sent it
        again. Failures are recorded on the record (``retrying`` when worth another attempt),
        not raised."""
        await self.start()
        record = await self.store.get_generation(generation_id)
        if record is None:
            raise RecordNotFoundError(f"no generation {generation_id!r}")
        waiting = (
            GenerationStatus.QUEUED,
            GenerationStatus.RETRYING,
            GenerationStatus.INTERRUPTED,
        )
        if record.status not in waiting:
            return record
        if record.params is None or record.backend is None:
            return await self.store.fail_generation(generation_id, "nothing to run")
        retry = JobRetry(
            max_attempts=self.settings.job_max_attempts, delay_s=self.settings.job_retry_delay_s
        )
        result = await self._run_queued(
            record, self.backend(record.backend), params_from_record(record.params), retry=retry
        )
        if result.batch_id is not None:
            await self._finish_batch_if_done(result.batch_id)
        return result

    async def _finish_batch_if_done(self, batch_id: str) -> None:
        waiting = await self.store.list_generations(
            batch_id=batch_id,
            statuses=(GenerationStatus.QUEUED, GenerationStatus.RUNNING, GenerationStatus.RETRYING),
            limit=1,
        )
        if not waiting:
            await self.store.finish_batch(batch_id)

    async def _run_queued(
        self,
        record: GenerationResponse,
        backend: ImageBackend,
        params: GenerationParams,
        *,
        retry: JobRetry | None = None,
    ) -> GenerationResponse:
        """Claim a queued record and run it; a failure becomes its ``error`` result (or, with
        ``retry``, a ``retrying`` one when worth another attempt)."""
        if not await self.store.claim_generation(
            record.generation_id, self.runner.worker, self.runner.lease_s
        ):
            found = await self.store.get_generation(record.generation_id)
            return found or record
        running = record.model_copy(
            update={"status": GenerationStatus.RUNNING, "attempts": record.attempts + 1}
        )
        try:
            return await self._run(running, backend, params, retry=retry)
        except StaleRecordError as exc:  # taken over by another worker: it is theirs now
            log.warning("%s", exc)
            found = await self.store.get_generation(record.generation_id)
            return found or running
        except LightingGenerationError as exc:
            try:  # the record as the runner completed it (cost, possible duplicates, ...)
                stored = await self.store.get_generation(record.generation_id)
            except Exception:  # the store's trouble was logged by the runner: answer from here
                stored = None
            if stored is not None and stored.status is GenerationStatus.ERROR:
                return stored
            return running.model_copy(
                update={
                    "status": GenerationStatus.ERROR,
                    "error": str(exc),
                    "completed_at": datetime.now(UTC),
                }
            )

    # ------------------------------------------------------------------ records
    async def get_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """A stored generation (``owner``'s, when given); :class:`RecordNotFoundError`."""
        await self.start()
        found = await self.store.get_generation(generation_id, owner=owner)
        if found is None:
            raise RecordNotFoundError(f"no generation {generation_id!r}")
        return found

    async def check_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Check a stored generation's image against its own request again (a record made
        with checking off, or before it existed, gets its score) and keep the result; the
        record. :class:`StaleRecordError` for a generation without an image."""
        record = await self.get_generation(generation_id, owner=owner)
        if record.status is not GenerationStatus.SUCCESS or record.image_key is None:
            raise StaleRecordError(
                f"generation {generation_id!r} is {record.status.value}: only a successful "
                "generation's image can be checked"
            )
        if record.request is None:  # pragma: no cover - every record keeps its request
            raise StaleRecordError(f"generation {generation_id!r} kept no request")
        image = await self.storage.get(record.image_key)
        adherence = await self.verifier.adherence(image, record.request)
        return await self.store.set_adherence(generation_id, adherence)

    async def history(
        self,
        *,
        owner: str | None = None,
        statuses: Sequence[GenerationStatus] = (),
        batch_id: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
    ) -> list[GenerationResponse]:
        """Stored generations, newest first, filtered; ``before`` pages back in time."""
        await self.start()
        return await self.store.list_generations(
            owner=owner, statuses=statuses, batch_id=batch_id, limit=limit, before=before
        )

    async def delete_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Remove a finished (or interrupted) generation's record (``owner``'s, when given), its
        cached result, and its image when no other record refers to it; the record removed."""
        await self.start()
        removed = await self.store.delete_generation(generation_id, owner=owner)
        if removed.image_key is not None:
            # Its cached result goes whether or not the image stays: images are stored by
            # content, so different work can share one (the preview renders the light, not the
            # words), and a result left cached here would outlive the image once the last
            # record using it is deleted — answering later work with an image that is gone.
            await self.cache.delete(self.runner.result_key_of(removed))
            await self.runner.drop_image(removed.image_key)  # unless another record uses it
        return removed

    async def get_image(self, image_key: str, *, owner: str | None = None) -> bytes:
        """The bytes of a stored image; with ``owner``, only one of their generations' images
        (:class:`RecordNotFoundError` otherwise, the same as for a key that does not exist, so
        keys cannot be probed)."""
        await self.start()
        if owner is not None and not await self.store.owns_image(image_key, owner):
            raise RecordNotFoundError(f"no image {image_key!r}")
        try:
            return await self.storage.get(image_key)
        except ImageNotFoundError:
            raise RecordNotFoundError(f"no image {image_key!r}") from None

    async def resume_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Run an ``interrupted`` (or still ``queued``) generation again from its record: the
        same request, prompt, parameters and seed, on the same backend; the completed record.

        :class:`RecordNotFoundError` when there is no such record, :class:`StaleRecordError`
        when it is not interrupted or queued (finished, or another process has it).
        """
        record = await self.get_generation(generation_id, owner=owner)
        if record.status not in (GenerationStatus.INTERRUPTED, GenerationStatus.QUEUED):
            raise StaleRecordError(
                f"generation {generation_id} is {record.status.value}; only an interrupted or "
                "queued generation can be resumed"
            )
        if record.params is None or record.backend is None:
            raise StaleRecordError(f"generation {generation_id} has nothing to run again")
        if not await self.store.claim_generation(
            generation_id, self.runner.worker, self.runner.lease_s
        ):
            raise StaleRecordError(f"generation {generation_id} was taken by another process")
        running = record.model_copy(
            update={
                "status": GenerationStatus.RUNNING,
                "error": None,
                "attempts": record.attempts + 1,
            }
        )
        log.info("resuming generation %s", generation_id)
        return await self._run(
            running, self.backend(record.backend), params_from_record(record.params)
        )

    async def fail_generation(
        self, generation_id: str, reason: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Finish an ``interrupted`` or ``queued`` generation as ``error`` with ``reason``."""
        await self.get_generation(generation_id, owner=owner)
        return await self.store.fail_generation(generation_id, reason)

    # ------------------------------------------------------------------ health and lifetime
    async def _translator_probe(self) -> str:
        # made here, so that a translator that cannot be made shows as unhealthy
        return await self.translator.health()

    async def _probe(self, name: str, check: Callable[[], Any]) -> CheckResult:
        start = time.perf_counter()
        try:
            found = await asyncio.wait_for(check(), PROBE_TIMEOUT_S)
        except TimeoutError:
            return CheckResult(
                status="unhealthy",
                latency_ms=(time.perf_counter() - start) * 1000,
                detail=f"no answer within {PROBE_TIMEOUT_S:g} s",
            )
        except Exception as exc:  # a probe reports any failure rather than raising it
            return CheckResult(
                status="unhealthy",
                latency_ms=(time.perf_counter() - start) * 1000,
                detail=f"{type(exc).__name__}: {exc}",
            )
        elapsed = (time.perf_counter() - start) * 1000
        if isinstance(found, BackendHealth):
            return CheckResult(
                status=found.status, latency_ms=found.latency_ms, detail=found.detail
            )
        return CheckResult(status="healthy", latency_ms=elapsed, detail=str(found))

    async def _cache_probe(self) -> str:
        key = f"health:{uuid4().hex}"
        await self.cache.set(key, b"probe", 30.0)
        if await self.cache.get(key) != b"probe":
            raise RuntimeError("the cache did not give back what was stored")
        await self.cache.delete(key)
        return type(self.cache).__name__

    async def health_check(self) -> HealthReport:
        """Probe every dependency for real: the image backend, the image store, the translator,
        the result cache and the metadata store. Nothing is assumed healthy."""
        names = (
            "fibo_api",
            "image_storage",
            "llm_service",
            "result_cache",
            "metadata_store",
            "job_queue",
        )

        async def backend_probe() -> BackendHealth:
            return await self.backend().health()

        probes = await asyncio.gather(
            self._probe(names[0], backend_probe),
            self._probe(names[1], self.storage.health),
            self._probe(names[2], self._translator_probe),
            self._probe(names[3], self._cache_probe),
            self._probe(names[4], self.store.health),
            self._probe(names[5], self.jobs.health),
        )
        checks = dict(zip(names, probes, strict=True))
        statuses = {check.status for check in checks.values()}
        overall: Status = (
            "unhealthy"
            if "unhealthy" in statuses
            else "degraded"
            if "degraded" in statuses
            else "healthy"
        )
        return HealthReport(status=overall, checks=checks, timestamp=datetime.now(UTC))

    async def close(self) -> None:
        """Close every backend's clients, the image and metadata stores, the cache, the limiter
        and the translator."""
        if self._closed:
            return
        self._closed = True
        await self.jobs.aclose()
        for backend in self._backends.values():
            await backend.aclose()
        await self.storage.aclose()
        await self.store.aclose()
        await self.cache.aclose()
        await self.limiter.aclose()
        if self._translator is not None:
            await self._translator.aclose()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
