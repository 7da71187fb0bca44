"""The parts a service works with — metadata store, image storage, result cache, rate limiter,
job queue, image backends, translator, analyzer, verifier and the runner — each the one given,
else the one the settings name (each kind's registry makes it), and their lifetime: the store's
schema brought up to date once, everything closed once.

Each part comes from the settings unless given: the store from ``LIGHTRIG_DATABASE_URL``, images
from ``LIGHTRIG_STORAGE_URL``, the cache and rate limits from ``LIGHTRIG_REDIS_URL``, all
embedded under ``LIGHTRIG_DATA_DIR`` when unset; backends and the translator are made on first
use (so a missing key is reported when they are used, and by the health check).
"""

from __future__ import annotations

import asyncio

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.backends.base import ImageBackend, ImageEditor
from lightrig.backends.factory import create_backend
from lightrig.cache.base import Cache
from lightrig.cache.factory import create_cache
from lightrig.config import Settings
from lightrig.db.base import MetadataStore
from lightrig.db.factory import create_store
from lightrig.errors import FieldError, InvalidLightingSetupError, LightingGenerationError
from lightrig.jobs.base import JobQueue, RunJob
from lightrig.jobs.factory import create_job_queue
from lightrig.limits.base import RateLimiter
from lightrig.limits.factory import create_limiter
from lightrig.service.runner import GenerationRunner
from lightrig.storage.base import ImageStorage
from lightrig.storage.factory import create_storage
from lightrig.translate.base import Translator
from lightrig.translate.factory import create_translator
from lightrig.verify.checker import ImageVerifier

__all__ = ["INLINE_BACKENDS", "Adapters"]

#: Backends whose work is answered within a request (the preview renders in about 0.1 s on the
#: machine itself); work on every other one runs as a job when a face asks
#: (:meth:`Adapters.runs_in_background`).
INLINE_BACKENDS = frozenset({"preview"})


class Adapters:
    """Every part a service uses (see the module docstring); ``run_job`` is what the job queue
    calls with a generation id."""

    def __init__(
        self,
        settings: Settings,
        *,
        run_job: RunJob,
        backend: ImageBackend | None = None,
        storage: ImageStorage | None = None,
        cache: Cache | None = None,
        limiter: RateLimiter | None = None,
        translator: Translator | None = None,
        analyzer: LightingAnalyzer | None = None,
        store: MetadataStore | None = None,
        jobs: JobQueue | None = None,
    ) -> None:
        self.settings = settings
        self.limiter = limiter or create_limiter(settings)
        self.storage = storage or create_storage(settings)
        self.cache = cache or create_cache(settings)
        self.store = store or create_store(settings)
        self.analyzer = analyzer or LightingAnalyzer()
        #: reads the light back out of pictures (each generated one, when ``verify_images``)
        self.verifier = ImageVerifier()
        self.runner = GenerationRunner(
            store=self.store,
            storage=self.storage,
            cache=self.cache,
            lease_s=settings.generation_lease_s,
            cache_ttl_s=settings.cache_ttl_s,
            prices_usd=settings.prices_usd,
            verifier=self.verifier if settings.verify_images else None,
        )
        self.jobs = jobs or create_job_queue(settings, run_job)
        self._translator = translator
        self._backends: dict[str, ImageBackend] = {}
        if backend is not None:
            self._backends[backend.name] = backend
            self.default_backend = backend.name
        else:
            self.default_backend = settings.backend
        self._started = False
        self._start_lock = asyncio.Lock()
        self._closed = False

    @property
    def translator(self) -> Translator:
        """The translator given, else the one ``LIGHTRIG_TRANSLATOR`` names, made on first use."""
        if self._translator is None:
            self._translator = create_translator(self.settings)
        return self._translator

    def backend(self, name: str | None = None) -> ImageBackend:
        """The backend called ``name`` (the default one when ``None``), made on first use."""
        chosen = name or self.default_backend
        found = self._backends.get(chosen)
        if found is None:
            found = create_backend(chosen, self.settings, self.limiter)
            self._backends[chosen] = found
        return found

    def editor(self, name: str | None = None) -> ImageEditor:
        """The backend called ``name`` (the default when ``None``) as a photo editor;
        :class:`InvalidLightingSetupError` on field ``backend`` when it cannot edit."""
        found = self.backend(name)
        if not (isinstance(found, ImageEditor) and found.edits):
            raise InvalidLightingSetupError(
                [
                    FieldError(
                        "backend",
                        f"{found.name} cannot edit photographs: relighting needs a backend with "
                        f"FIBO-Edit ({self._editors()})",
                    )
                ]
            )
        return found

    def _editors(self) -> str:
        """The backends that edit photographs with these settings, in words: the preview and
        Bria always, fal and diffusers when their edit model is set — and, for each that is
        not, the setting that turns it on."""
        settings = self.settings
        editors = ["preview", "bria"]
        hints: list[str] = []
        for backend, setting, model in (
            ("fal", "LIGHTRIG_FAL_EDIT_MODEL", settings.fal_edit_model.strip("/")),
            ("diffusers", "LIGHTRIG_DIFFUSERS_EDIT_MODEL", settings.diffusers_edit_model.strip()),
        ):
            if model:
                editors.append(backend)
            else:
                hints.append(f"{backend} once {setting} is set")
        return "; ".join([f"{', '.join(editors[:-1])} or {editors[-1]}", *hints])

    def runs_in_background(self, backend: str | None = None) -> bool:
        """Whether work on ``backend`` (the default one when ``None``) should run as a job
        rather than while a caller waits: on everything but :data:`INLINE_BACKENDS`."""
        return (backend or self.default_backend) not in INLINE_BACKENDS

    async def open(self) -> bool:
        """Bring the metadata store's schema up to date, the first time only; whether this was
        the first time. :class:`LightingGenerationError` once closed."""
        async with self._start_lock:
            if self._closed:
                raise LightingGenerationError("the service is closed")
            if self._started:
                return False
            await self.store.migrate()
            self._started = True
            return True

    async def aclose(self) -> None:
        """Close the job queue, every backend's clients, the image and metadata stores, the
        cache, the limiter and the translator (once)."""
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
