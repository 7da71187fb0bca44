"""The preview backend: the physically based bust render, offline, free and instant.

It does not read the structured prompt's words: it renders the setup the prompt was compiled
from, so the picture shows exactly the light that was asked for.

It edits photos too (:class:`~lightrig.backends.base.ImageEditor`), so a photo can be relit
with no host: its caption is lightrig's own reading of the photo — the setup matched to the
light on it, compiled to FIBO's ten keys, with the edit in words
(:func:`~lightrig.backends.editing.read_caption`) — and an edit renders the bust under the
lighting the structured instruction asks for, read back from its words, dressed as the subject
it describes (:func:`~lightrig.fibo.instruction.scene_of`). The bust stands in for the photo:
what changes is the light, which is what a relight is checked on.

It takes every FIBO model (:data:`~lightrig.lighting.vocabulary.MODEL_NAMES`) and renders the
same for each: the model is kept on the record beside ``backend: preview``, which says the
preview made the image, not the model.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any

from lightrig.backends.base import (
    BackendHealth,
    BackendImage,
    GenerationParams,
    HealthStatus,
    SourceImage,
    check_input,
)
from lightrig.backends.editing import check_edit_input, read_caption
from lightrig.fibo.instruction import scene_of
from lightrig.lighting.vocabulary import MODEL_NAMES
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.render.probes import ProbeReading, mark_probes, read_probes

__all__ = ["PreviewBackend", "PreviewFrame"]


@dataclass(frozen=True)
class PreviewFrame:
    """A rendered preview as sent: its PNG, the exposure it was rendered at (stops above the
    renderer's reference, :attr:`PreviewImage.exposure_stops`) and, when asked for, the
    analyzer's two probes read on it (outlined in the PNG: the lit probe yellow, the shadow
    probe cyan; ``None`` when not asked for or when the face shows too little skin)."""

    png: bytes
    exposure_stops: float
    probes: ProbeReading | None = None


_PROBE = SceneRequest.model_validate(
    {"lighting_setup": {"key": {"azimuth": -45, "elevation": 35, "intensity": 0.8}}}
)


class PreviewBackend:
    """Renders previews in a worker thread, one at a time (the renderer uses every core, and
    its caches are not made for concurrent calls): a render whose caller was cancelled finishes
    in its thread before the next one starts.

    Its health probe never waits behind the work: while a render runs, the last render's
    outcome is the answer."""

    name = "preview"

    def __init__(self, renderer: PreviewRenderer | None = None, *, supersample: int = 2) -> None:
        self._renderer = renderer or PreviewRenderer()
        self._supersample = supersample
        self._lock = asyncio.Lock()
        self._thread_lock = threading.Lock()
        self._last: tuple[float, str | None] | None = None  # (monotonic s, error or None)
        self._warm_lock = threading.Lock()
        self._warm: bytes | None = None  # the warm-up's picture

    def _render(self, request: SceneRequest, size: int, supersample: int) -> PreviewImage:
        with self._thread_lock:
            try:
                live = supersample == 1  # a live frame: smooth edges, a coarse backdrop
                image = self._renderer.render(
                    request, size, supersample=supersample, antialias=live, coarse_backdrop=live
                )
            except Exception as exc:
                self._last = (time.monotonic(), repr(exc))
                raise
            self._last = (time.monotonic(), None)
            return image

    def _render_png(
        self, request: SceneRequest, size: int, supersample: int, compress_level: int | None
    ) -> bytes:
        return self._render_frame(request, size, supersample, compress_level, probes=False).png

    def _render_frame(
        self,
        request: SceneRequest,
        size: int,
        supersample: int,
        compress_level: int | None,
        *,
        probes: bool,
    ) -> PreviewFrame:
        image = self._render(request, size, supersample)
        reading = None
        if probes:
            with self._thread_lock:  # the probes trace shadows through the renderer's field
                reading = read_probes(image, request.rig(), self._renderer)
        pixels = None if reading is None else mark_probes(image, reading)
        data = image.png(pixels, compress_level=6 if compress_level is None else compress_level)
        return PreviewFrame(data, image.exposure_stops, reading)

    def render_frame_blocking(
        self,
        request: SceneRequest,
        size: int,
        *,
        probes: bool = False,
        compress_level: int | None = None,
    ) -> PreviewFrame:
        """:meth:`render_frame` in the calling thread (for a worker pool; never on an event
        loop)."""
        return self._render_frame(request, size, 1, compress_level, probes=probes)

    async def render_frame(
        self,
        request: SceneRequest,
        size: int,
        *,
        probes: bool = False,
        compress_level: int | None = None,
    ) -> PreviewFrame:
        """``request`` rendered ``size`` pixels square (16–4096) with its exposure, and with
        the analyzer's probes read and outlined when ``probes`` (see :class:`PreviewFrame`)."""
        async with self._lock:
            return await asyncio.to_thread(
                self._render_frame, request, size, 1, compress_level, probes=probes
            )

    def render_png_blocking(
        self,
        request: SceneRequest,
        size: int,
        *,
        supersample: int = 1,
        compress_level: int | None = None,
    ) -> bytes:
        """:meth:`render_png` in the calling thread (for a worker pool; never on an event
        loop): waits for the render before it, then renders."""
        return self._render_png(request, size, supersample, compress_level)

    async def render_png(
        self,
        request: SceneRequest,
        size: int,
        *,
        supersample: int = 1,
        compress_level: int | None = None,
    ) -> bytes:
        """``request`` rendered ``size`` pixels square (16–4096), as PNG bytes.
        ``compress_level``: zlib's level 0–9 (1 encodes a 600 px frame ~2.5× faster than the
        default 6, for ~35% more bytes: what a live preview on a fast link wants); ``None``
        keeps the renderer's own encoding."""
        async with self._lock:
            return await asyncio.to_thread(
                self._render_png, request, size, supersample, compress_level
            )

    def warm_up(self) -> bytes:
        """Render a small probe (96 px) in the calling thread, so that the kernels are compiled
        (or loaded from numba's disk cache) before anyone waits for a real render; its PNG.
        Done once: a second call (from another thread too) waits for the first and has its
        picture."""
        with self._warm_lock:
            if self._warm is None:
                self._warm = self._render_png(_PROBE, 96, 1, None)
            return self._warm

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Render ``request`` at ``params.size`` pixels square (the seed changes nothing; the
        prompt is checked, as every backend checks it, but the setup is what is drawn)."""
        check_input(prompt, params)
        data = await self.render_png(request, params.size, supersample=self._supersample)
        return BackendImage(
            data=data,
            media_type="image/png",
            seed=params.seed,
            width=params.size,
            height=params.size,
        )

    @property
    def edits(self) -> bool:
        """The preview always edits (see the module)."""
        return True

    @property
    def models(self) -> tuple[str, ...]:
        """Every FIBO model, each rendered the same (see the module)."""
        return MODEL_NAMES

    @property
    def edit_models(self) -> tuple[str, ...]:
        """Every FIBO model, as for :attr:`models`."""
        return MODEL_NAMES

    async def caption(self, image: SourceImage, instruction: str) -> dict[str, Any]:
        """The photo's structured instruction as lightrig reads it: the matched setup's
        compiled prompt and ``instruction`` as ``edit_instruction``
        (:func:`~lightrig.backends.editing.read_caption`)."""
        return await read_caption(image, instruction)

    async def edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> BackendImage:
        """The bust rendered ``params.size`` pixels square under the lighting ``instruction``
        asks for, dressed as the subject it describes (the photo's pixels are not used; the
        seed changes nothing). :class:`~lightrig.errors.InvalidLightingSetupError` when the
        input is not an edit or its lighting cannot be read."""
        check_edit_input(image, instruction, params)
        scene = scene_of(instruction)
        data = await self.render_png(scene, params.size, supersample=self._supersample)
        return BackendImage(
            data=data,
            media_type="image/png",
            seed=params.seed,
            width=params.size,
            height=params.size,
            structured_prompt=dict(instruction),
        )

    async def health(self) -> BackendHealth:
        """Render a tiny picture for real — or, while a render is running, report how the
        last one ended (waiting behind the work would make a busy renderer look dead)."""
        start = time.perf_counter()
        if (self._lock.locked() or self._thread_lock.locked()) and self._last is not None:
            at, error = self._last
            ago = f"{time.monotonic() - at:.1f} s ago"
            latency_ms = (time.perf_counter() - start) * 1000
            if error is not None:
                return BackendHealth("unhealthy", latency_ms, f"last render failed {ago}: {error}")
            return BackendHealth("healthy", latency_ms, f"rendering; last render ok {ago}")
        try:
            async with self._lock:
                image = await asyncio.to_thread(self._render, _PROBE, 32, 1)
        except Exception as exc:  # any failure of the renderer is what the probe reports
            return BackendHealth("unhealthy", (time.perf_counter() - start) * 1000, repr(exc))
        lit = float(image.srgb.mean())
        status: HealthStatus = "healthy" if lit > 1.0 else "degraded"
        return BackendHealth(
            status, (time.perf_counter() - start) * 1000, f"rendered a 32 px probe (mean {lit:.0f})"
        )

    async def aclose(self) -> None:
        """Nothing to release."""
