"""``LightingGenerationService``: lighting setups in, stored images out — the seed design's
orchestration, one face over the use cases of this package.

A setup is validated, analysed and compiled into FIBO's structured prompt; its record is written
to the metadata store; the image backend (the preview renderer by default, Bria, fal.ai or a
local pipeline) makes the image; the image is stored and the record completed with its prompt,
seed, parameters, analysis, cost and timing. A generation cut short by a crash is found by its
expired lease, declared interrupted, and can be resumed or failed. Identical deterministic
requests (same backend, model parameters, canonical prompt and seed) are answered from the
result cache. It knows nothing of HTTP.

Inside, records (:class:`~lightrig.records.GenerationRecord`) change only through
:mod:`lightrig.records.lifecycle`; every method here returns the public
:class:`~lightrig.models.generation.GenerationResponse`.

Use it as an async context manager, or call :meth:`~LightingGenerationService.close` when
done::

    async with LightingGenerationService() as service:
        result = await service.generate_from_lighting_setup(request, user_id="u1")
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.backends.base import ImageBackend
from lightrig.cache.base import Cache
from lightrig.config import Settings
from lightrig.db.base import MetadataStore, ReapedJobs, SavedSetup, ShareLink
from lightrig.errors import FieldError, InvalidLightingSetupError
from lightrig.jobs.base import JobQueue
from lightrig.limits.base import RateLimiter
from lightrig.models.batch import BatchProgress
from lightrig.models.gate import GatePolicy
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.records.convert import from_response, to_response
from lightrig.records.record import GenerationRecord
from lightrig.service.adapters import Adapters
from lightrig.service.batches import Batches
from lightrig.service.generate import Generating
from lightrig.service.health import Health, HealthReport
from lightrig.service.records import Records
from lightrig.service.relight import Relighting, photo_of
from lightrig.service.series import MAX_SERIES, SeriesResult, run_series
from lightrig.service.setups import Setups
from lightrig.service.worker import Worker
from lightrig.storage.base import ImageStorage
from lightrig.translate.base import Translation, Translator
from lightrig.verify.image import Encoding, ImageDecodeError
from lightrig.verify.models import VerificationReport

if TYPE_CHECKING:
    from lightrig.verify.match import MatchedSetup

__all__ = ["LightingGenerationService", "ProgressCallback"]

#: Told ``(done, total, result)`` as each item of :meth:`LightingGenerationService.batch_generate`
#: finishes.
ProgressCallback = Callable[[int, int, GenerationResponse], None]


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
        self.parts = Adapters(
            self.settings,
            run_job=self.run_generation,
            backend=backend,
            storage=storage,
            cache=cache,
            limiter=limiter,
            translator=translator,
            analyzer=analyzer,
            store=store,
            jobs=jobs,
        )
        self.limiter = self.parts.limiter
        self.storage = self.parts.storage
        self.cache = self.parts.cache
        self.store = self.parts.store
        self.analyzer = self.parts.analyzer
        self.verifier = self.parts.verifier
        self.runner = self.parts.runner
        self.jobs = self.parts.jobs
        self._worker = Worker(self.parts, self.start)
        self._generating = Generating(self.parts, self.start, self._worker)
        self._batches = Batches(self.parts, self.start, self._generating, self._worker)
        self._relighting = Relighting(self.parts, self._generating)
        self._records = Records(self.parts, self.start, self._worker)
        self._setups = Setups(self.parts, self.start)
        self._health = Health(self.parts)

    # ------------------------------------------------------------------ parts and lifetime
    @property
    def translator(self) -> Translator:
        """The translator given, else the one ``LIGHTRIG_TRANSLATOR`` names, made on first use
        (so a missing key is reported when words are translated, and by the health check)."""
        return self.parts.translator

    def backend(self, name: str | None = None) -> ImageBackend:
        """The backend called ``name`` (the default one when ``None``), made on first use."""
        return self.parts.backend(name)

    def runs_in_background(self, backend: str | None = None) -> bool:
        """Whether work on ``backend`` (the default one when ``None``) should be asked for with
        ``background=True``: every backend but the preview, which answers within a request."""
        return self.parts.runs_in_background(backend)

    async def start(self) -> list[str]:
        """Bring the metadata store's schema up to date and declare the generations whose
        lease ran out interrupted; their ids. Runs once, on first use (or ``async with``)."""
        if not await self.parts.open():
            return []
        return await self._worker.recover()

    async def recover(self) -> list[str]:
        """Declare every running generation whose lease has expired interrupted (its process
        stopped before finishing); their ids."""
        return await self._worker.recover()

    async def reap(self, *, requeue_after_s: float | None = None) -> ReapedJobs:
        """Look after the jobs no live worker holds: those whose worker died run again (or
        fail, out of attempts), due retries and jobs whose message went missing (handed to the
        queue more than ``requeue_after_s`` seconds ago; default ``job_requeue_after_s``) are
        handed to the queue. Safe from any number of processes at once."""
        return await self._worker.reap(requeue_after_s=requeue_after_s)

    async def work(self, stop: asyncio.Event, *, reap_every_s: float | None = None) -> None:
        """Run jobs until ``stop`` is set: serve the job queue and reap every ``reap_every_s``
        seconds (default: a third of the lease, at most 10 s)."""
        await self._worker.work(stop, reap_every_s=reap_every_s)

    async def run_generation(self, generation_id: str) -> GenerationResponse:
        """Run a ``queued`` or due ``retrying`` job (or an ``interrupted`` generation) from its
        record — what a job does. Idempotent: a record someone else has, or that has finished,
        is returned as it is, and a host that already has the job is asked for it, not sent it
        again. Failures are recorded on the record (``retrying`` when worth another attempt),
        not raised."""
        return to_response(await self._worker.run_generation(generation_id))

    async def close(self) -> None:
        """Close the job queue, every backend's clients, the image and metadata stores, the
        cache, the limiter and the translator."""
        await self.parts.aclose()

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

    # ------------------------------------------------------------------ the seed's methods
    def check_model(
        self, backend: str | None = None, model: str | None = None, *, edits: bool = False
    ) -> str:
        """The FIBO model a request on ``backend`` (the default one when ``None``) gets —
        ``model``, else ``LIGHTRIG_FIBO_MODEL``'s — once checked that the backend serves it (for
        photo edits when ``edits``): :class:`InvalidLightingSetupError` on field ``model``
        otherwise, before any work or charge."""
        params = self._generating.params(model=model)
        found = self.parts.editor(backend) if edits else self.parts.backend(backend)
        self._generating.check_model(found, params, edits=edits)
        return params.model

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
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationResponse:
        """Generate one image of a scene request (a model or its JSON-like data).

        ``model``: the FIBO model (``fibo``, ``fibo-1.5``, ``fibo-lite``; default
        ``LIGHTRIG_FIBO_MODEL``), which the backend must serve
        (:class:`InvalidLightingSetupError` on field ``model`` otherwise); it is priced as
        ``LIGHTRIG_PRICES_USD`` says for ``backend:model``.

        Raises :class:`InvalidLightingSetupError` for a bad request or parameter and
        :class:`~lightrig.errors.FIBOGenerationError` when the image host fails. With
        ``background``, the generation is recorded as ``queued`` and handed to the job queue;
        the queued record is returned at once (poll :meth:`get_generation`).

        With ``gate`` (an adherence gate: :class:`~lightrig.models.gate.GatePolicy`), each
        image's light is read back and, below the bar, the image is made again with a new
        seed, within the policy's attempts and cost cap; every attempt is kept as a generation
        of its own (``gate_id``, ``gate_index``). The best attempt is returned with the gate's
        report (``gate``); in the background, the first attempt is, and
        :meth:`get_generation` on it follows the gate.
        """
        record = await self._generating.from_setup(
            request,
            user_id,
            seed=seed,
            backend=backend,
            steps=steps,
            guidance_scale=guidance_scale,
            aspect_ratio=aspect_ratio,
            size=size,
            model=model,
            background=background,
            gate=gate,
        )
        return await self._shown(record)

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

    async def match_lighting(
        self, image: bytes, *, encoding: Encoding | str = "display"
    ) -> MatchedSetup:
        """The setup that reproduces a picture's light (:mod:`lightrig.verify.match`): its
        light read as :meth:`verify_image` reads it, then the key placed and sized, its colour,
        and a fill solved for the ratio read, each part with its confidence.

        :class:`~lightrig.errors.InvalidLightingSetupError` on field ``image`` when the bytes
        are not a picture, or when it shows no key direction to match (no face found, too
        little of one), with the reason.
        """
        from lightrig.verify.match import UnmatchableError, match_estimate  # noqa: PLC0415

        report = await self.verify_image(image, None, encoding=encoding)
        try:
            return match_estimate(report.estimate, analyzer=self.analyzer)
        except UnmatchableError as exc:
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
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationResponse:
        """Translate a description into a lighting setup, then generate it (``model`` and
        ``gate``: as for :meth:`generate_from_lighting_setup`)."""
        translation = await self.translate(text, base=base)
        return await self.generate_from_lighting_setup(
            translation.request,
            user_id,
            seed=seed,
            backend=backend,
            model=model,
            background=background,
            gate=gate,
        )

    async def refine_lighting(
        self,
        previous: GenerationResponse | str,
        lighting: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationResponse:
        """Re-light an earlier generation: its structured prompt with only the light changed,
        the same seed and parameters (its model too, unless ``model`` names another), so the
        picture stays the same but for the light. With
        ``gate``, as for :meth:`generate_from_lighting_setup` (the first attempt keeps the
        earlier seed; a re-roll changes it, and with it more than the light).

        ``previous`` is the earlier result or its generation id. ``lighting`` is a whole scene
        request, or just a new ``lighting_setup`` (role → light) for the earlier scene.
        """
        earlier: GenerationRecord
        if isinstance(previous, str):
            earlier = await self._records.get(previous, owner=user_id)
        else:
            try:
                earlier = from_response(previous)
            except ValueError as exc:
                raise InvalidLightingSetupError([FieldError("previous.params", str(exc))]) from exc
        record = await self._generating.refine(
            earlier,
            lighting,
            user_id,
            backend=backend,
            model=model,
            background=background,
            gate=gate,
        )
        return await self._shown(record)

    async def relight_image(
        self,
        image: bytes,
        lighting: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        steps: int | None = None,
        guidance_scale: float | None = None,
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationResponse:
        """Re-light a photograph: ``image`` (PNG, JPEG, WebP or another common format) made
        again by FIBO-Edit with ``lighting``'s light (a scene request or its JSON-like data).

        The backend captions the photo in FIBO's structured form; its ``lighting`` and the
        sentences the light changes are replaced by the compiled setup, everything else kept,
        and an ``edit_instruction`` says the new light. The photo is stored (the result's
        ``source``), and the result is checked against the setup, priced and kept like any
        generation; the aspect ratio nearest the photo's is used. ``backend`` must edit
        photographs (:class:`~lightrig.errors.InvalidLightingSetupError` on field ``backend``
        otherwise; on field ``image`` for bytes that are no picture). With ``gate``, as for
        :meth:`generate_from_lighting_setup`: each edit read back, re-rolled with a new seed
        below the bar, every attempt kept with the photo. ``model``: the FIBO model whose edit
        model makes it (the backend must edit with it; field ``model`` otherwise).
        """
        record = await self._relighting.relight(
            image,
            lighting,
            user_id,
            backend=backend,
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            model=model,
            background=background,
            gate=gate,
        )
        return await self._shown(record)

    async def generate_series(
        self,
        lighting: SceneRequest | Mapping[str, Any],
        subjects: Sequence[str | bytes],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        model: str | None = None,
        seed: int | None = None,
        gate: GatePolicy | None = None,
        remake_outliers: bool = True,
    ) -> SeriesResult:
        """One setup on many subjects: each a description of who is lit (a generation of the
        setup on them) or a photograph (re-lit with the setup), each with a seed derived from
        ``seed`` (the first subject's) and, when given, one adherence gate for all. Every
        picture is read back and the light's consistency across the set reported — the spread
        of the key's azimuth, of the ratio and of the colour — and each outlier is made once
        more with a new seed, the nearer of the two kept (:mod:`lightrig.service.series`). The
        pictures run while the caller waits, a few at a time (``batch_concurrency``).

        :class:`~lightrig.errors.InvalidLightingSetupError` naming ``subjects`` (or
        ``subjects.<i>``) for none, more than :data:`~lightrig.service.series.MAX_SERIES`, an empty
        description or a photograph that is no picture — before anything is made.
        """
        problems = []
        if not subjects:
            problems.append(FieldError("subjects", "must hold at least one subject"))
        elif len(subjects) > MAX_SERIES:
            problems.append(
                FieldError("subjects", f"holds {len(subjects)}; at most {MAX_SERIES} a series")
            )
        for i, subject in enumerate(subjects):
            if isinstance(subject, str) and not subject.strip():
                problems.append(
                    FieldError(f"subjects.{i}", "a description of who is lit must not be empty")
                )
            elif isinstance(subject, bytes):
                try:
                    photo_of(subject)
                except InvalidLightingSetupError as exc:
                    problems += [FieldError(f"subjects.{i}.{e.loc}", e.message) for e in exc.errors]
        if problems:
            raise InvalidLightingSetupError(problems)
        scene = self._generating.scene(lighting)
        first_seed = self._generating.params(seed=seed).seed
        return await run_series(
            self,
            scene,
            subjects,
            user_id,
            backend=backend,
            model=model,
            seed=first_seed,
            gate=gate,
            remake_outliers=remake_outliers,
            concurrency=self.settings.batch_concurrency,
        )

    async def batch_generate(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        concurrency: int | None = None,
        on_progress: ProgressCallback | None = None,
        gate: GatePolicy | None = None,
        model: str | None = None,
    ) -> list[GenerationResponse]:
        """Generate many; results in the order asked, one per request, failures included.

        The batch and every item are recorded first (``queued``; an invalid item at once as
        ``error``), so a crash loses none of them. At most ``concurrency`` generations run at
        once (``batch_concurrency`` by default) and the backend's rate limiter spaces their
        requests, so a batch keeps to the host's limit instead of provoking 429s. A request that
        fails — invalid, refused, timed out — becomes a ``status="error"`` result saying why;
        the others go on. ``on_progress(done, total, result)`` is called as each finishes.
        With ``gate``, every item has an adherence gate of its own (as for
        :meth:`generate_from_lighting_setup`); its best attempt is its result. ``model``: every
        item's FIBO model (a model the backend does not serve refuses the whole batch).
        """

        def told(done: int, total: int, record: GenerationRecord) -> None:
            if on_progress is not None:
                on_progress(done, total, to_response(record))

        records = await self._batches.generate(
            requests,
            user_id,
            backend=backend,
            seed=seed,
            concurrency=concurrency,
            on_progress=told if on_progress is not None else None,
            gate=gate,
            model=model,
        )
        return [await self._shown(record) for record in records]

    async def submit_batch(
        self,
        requests: Iterable[SceneRequest | Mapping[str, Any]],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        seed: int | None = None,
        gate: GatePolicy | None = None,
        model: str | None = None,
    ) -> BatchProgress:
        """Record a batch and hand its items to the job queue; its progress at once (follow
        it with :meth:`batch_progress`). Invalid items are recorded as errors, not run. With
        ``gate``, every item has an adherence gate of its own, handed on by the workers from
        attempt to attempt; the progress shows each item's best attempt and its gate."""
        return await self._batches.submit(
            requests, user_id, backend=backend, seed=seed, gate=gate, model=model
        )

    async def batch_progress(
        self, batch_id: str, *, owner: str | None = None, items: bool = True
    ) -> BatchProgress:
        """A batch's counts and items (``owner``'s, when given; without the items when
        ``items`` is false, which costs one grouped count);
        :class:`~lightrig.errors.RecordNotFoundError`."""
        return await self._batches.progress(batch_id, owner=owner, items=items)

    # ------------------------------------------------------------------ records
    async def get_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """A stored generation (``owner``'s, when given), with its adherence gate's report
        when it is an attempt of one; :class:`~lightrig.errors.RecordNotFoundError`."""
        return await self._shown(await self._records.get(generation_id, owner=owner))

    async def check_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Check a stored generation's image against its own request again (a record made
        with checking off, or before it existed, gets its score) and keep the result; the
        record. :class:`~lightrig.errors.StaleRecordError` for a generation without an
        image."""
        return to_response(await self._records.check(generation_id, owner=owner))

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
        found = await self._records.history(
            owner=owner, statuses=statuses, batch_id=batch_id, limit=limit, before=before
        )
        return [to_response(record) for record in found]

    async def delete_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Remove a finished (or interrupted) generation's record (``owner``'s, when given), its
        cached result, and its image when no other record refers to it; the record removed."""
        return to_response(await self._records.delete(generation_id, owner=owner))

    async def get_image(self, image_key: str, *, owner: str | None = None) -> bytes:
        """The bytes of a stored image; with ``owner``, only one of their generations' images
        (:class:`~lightrig.errors.RecordNotFoundError` otherwise, the same as for a key that
        does not exist, so keys cannot be probed)."""
        return await self._records.image(image_key, owner=owner)

    async def resume_generation(
        self, generation_id: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Run an ``interrupted`` (or still ``queued``) generation again from its record: the
        same request, prompt, parameters and seed, on the same backend; the completed record.

        :class:`~lightrig.errors.RecordNotFoundError` when there is no such record,
        :class:`~lightrig.errors.StaleRecordError` when it is not interrupted or queued
        (finished, or another process has it).
        """
        return await self._shown(await self._records.resume(generation_id, owner=owner))

    async def fail_generation(
        self, generation_id: str, reason: str, *, owner: str | None = None
    ) -> GenerationResponse:
        """Finish an ``interrupted``, ``queued`` or ``retrying`` generation as ``error`` with
        ``reason``."""
        return to_response(await self._records.give_up(generation_id, reason, owner=owner))

    async def _shown(self, record: GenerationRecord) -> GenerationResponse:
        """The public shape of ``record``, with its adherence gate's report when gated."""
        if record.gate_id is None:
            return to_response(record)
        return to_response(record, await self._worker.gating.report(record))

    # ------------------------------------------------------------------ saved setups
    async def save_setup(
        self,
        owner: str,
        name: str,
        request: SceneRequest | Mapping[str, Any],
        *,
        overwrite: bool = False,
    ) -> SavedSetup:
        """Keep a scene request (a model or its JSON-like data) as ``owner``'s setup called
        ``name``; with ``overwrite``, over the one of that name (its id and links stay).
        :class:`InvalidLightingSetupError` on ``name`` or ``request.…`` for bad input,
        :class:`~lightrig.errors.DuplicateSetupError` for a name in use otherwise."""
        return await self._setups.save(owner, name, request, overwrite=overwrite)

    async def list_setups(self, owner: str, *, limit: int = 100) -> list[SavedSetup]:
        """Up to ``limit`` (1 to 500) of ``owner``'s saved setups, the latest first."""
        return await self._setups.list(owner, limit=limit)

    async def get_setup(self, owner: str, setup: str) -> SavedSetup:
        """``owner``'s saved setup by id, else by name;
        :class:`~lightrig.errors.RecordNotFoundError`."""
        return await self._setups.get(owner, setup)

    async def rename_setup(self, owner: str, setup: str, name: str) -> SavedSetup:
        """Rename ``owner``'s saved setup (by id or name)."""
        return await self._setups.rename(owner, setup, name)

    async def delete_setup(self, owner: str, setup: str) -> SavedSetup:
        """Remove ``owner``'s saved setup (by id or name) and every link to it."""
        return await self._setups.delete(owner, setup)

    async def share_setup(self, owner: str, setup: str) -> tuple[SavedSetup, ShareLink, str]:
        """A new read-only link to ``owner``'s saved setup (by id or name): the setup, the
        link and its token, shown only now."""
        return await self._setups.share(owner, setup)

    async def unshare_setup(self, owner: str, setup: str) -> tuple[SavedSetup, int]:
        """Revoke every link to ``owner``'s saved setup: the setup and how many stopped
        working."""
        return await self._setups.unshare(owner, setup)

    async def shared_setup(self, token: str) -> SavedSetup:
        """The saved setup a link's token opens (for anyone, without a key);
        :class:`~lightrig.errors.RecordNotFoundError` when it is unknown or revoked."""
        return await self._setups.shared(token)

    # ------------------------------------------------------------------ health
    async def health_check(self) -> HealthReport:
        """Probe every dependency for real: the image backend, the image store, the translator,
        the result cache, the metadata store and the job queue. Nothing is assumed healthy."""
        return await self._health.check()
