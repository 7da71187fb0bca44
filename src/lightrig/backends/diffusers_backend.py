"""The local backend: Bria's FIBO run in-process with Hugging Face ``diffusers``.

FIBO is ``diffusers.BriaFiboPipeline``: an 8-billion-parameter DiT (``BriaFiboTransformer2DModel``),
the SmolLM3-3B text encoder, the Wan 2.2 VAE (``AutoencoderKLWan``) and a flow-matching Euler
scheduler, about 23 GB of bfloat16 weights. The pipeline is given the structured prompt as compact
JSON (:func:`~lightrig.fibo.compile.prompt_json`), and the negative prompt likewise.

Nothing heavy happens at import: torch and diffusers are imported, and the weights loaded, on the
first :meth:`DiffusersBackend.generate` or an explicit :meth:`DiffusersBackend.load`. They come from
``Settings.diffusers_model``, a Hub id (``briaai/FIBO``, gated: log in or set ``HF_TOKEN``) or a
local folder written by ``save_pretrained``. A local folder is never looked up on the Hub; with
``HF_HUB_OFFLINE`` set, a Hub id is only looked for in the local Hugging Face cache.

Placement is decided by the pure functions of :mod:`lightrig.backends.diffusers_placement`
(device, dtype, offload, image shape, model location). On a CUDA GPU with less than 40 GB of
memory the pipeline runs with ``enable_model_cpu_offload``: each component (text encoder,
transformer, VAE) is moved to the GPU only while it runs, so a 24 GB card can hold the 16 GB
transformer, at some cost in speed. With 40 GB or more every component stays on the GPU.

One pipeline call runs at a time (the pipeline is not re-entrant and uses every core or the whole
GPU), in a worker thread so the event loop keeps serving.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import io
import threading
import time
from dataclasses import dataclass
from typing import Any

from lightrig.backends import diffusers_placement as placing
from lightrig.backends.base import (
    BackendHealth,
    BackendImage,
    GenerationParams,
    HealthStatus,
    check_input,
)
from lightrig.backends.diffusers_placement import PIPELINE_CLASS
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import prompt_json
from lightrig.models.scene import SceneRequest

__all__ = ["INSTALL_HINT", "MAX_SEQUENCE_LENGTH", "DiffusersBackend"]

_BACKEND = "diffusers"

#: What to run when torch or diffusers is missing.
INSTALL_HINT = "pip install 'lightrig[local]'"

#: The longest prompt FIBO's pipeline accepts, in text-encoder tokens.
MAX_SEQUENCE_LENGTH = 3000


# --- the runtime (torch, diffusers), imported lazily ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Runtime:
    """torch and FIBO's pipeline class, once imported (typed ``Any``: both are untyped here)."""

    torch: Any
    pipeline_class: Any
    torch_version: str
    diffusers_version: str


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where and how the pipeline runs: device, dtype name, offload, GPU memory (bytes)."""

    device: str
    dtype: str
    offload: bool
    gpu_memory_bytes: int | None

    def describe(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "dtype": self.dtype,
            "cpu_offload": self.offload,
            "gpu_memory_bytes": self.gpu_memory_bytes,
        }


def _error(message: str, *, retryable: bool = False) -> FIBOGenerationError:
    return FIBOGenerationError(message, backend=_BACKEND, retryable=retryable)


def _missing_runtime(exc: BaseException) -> FIBOGenerationError:
    return _error(
        f"the diffusers backend needs torch, diffusers and transformers ({exc}); "
        f"install them with: {INSTALL_HINT}"
    )


def _import_runtime() -> _Runtime:
    """Import torch and diffusers' ``BriaFiboPipeline``; a clear error when they are missing."""
    try:
        torch = importlib.import_module("torch")
        diffusers = importlib.import_module("diffusers")
    except ImportError as exc:
        raise _missing_runtime(exc) from exc
    except Exception as exc:  # a broken install raises anything while importing
        raise _error(f"cannot import torch and diffusers: {type(exc).__name__}: {exc}") from exc
    diffusers_version = str(getattr(diffusers, "__version__", "unknown"))
    try:
        pipeline_class = getattr(diffusers, PIPELINE_CLASS)
    except ImportError as exc:
        raise _missing_runtime(exc) from exc
    except AttributeError as exc:
        raise _error(
            f"diffusers {diffusers_version} has no {PIPELINE_CLASS} (it came in 0.36); "
            f"upgrade with: {INSTALL_HINT}"
        ) from exc
    except Exception as exc:
        raise _error(f"cannot import {PIPELINE_CLASS}: {type(exc).__name__}: {exc}") from exc
    return _Runtime(
        torch=torch,
        pipeline_class=pipeline_class,
        torch_version=str(torch.__version__),
        diffusers_version=diffusers_version,
    )


def _place(runtime: _Runtime, settings: Settings) -> _Placement:
    """Decide the device, dtype and offload from the settings and what torch sees."""
    torch = runtime.torch
    cuda_available = bool(torch.cuda.is_available())
    mps_backend = getattr(torch.backends, "mps", None)
    mps_available = bool(mps_backend is not None and mps_backend.is_available())
    try:
        device = placing.choose_device(settings.diffusers_device, cuda_available, mps_available)
    except ValueError as exc:
        raise _error(f"invalid LIGHTRIG_DIFFUSERS_DEVICE: {exc}") from exc
    try:
        dtype = placing.choose_dtype(settings.diffusers_dtype, device)
    except ValueError as exc:
        raise _error(f"invalid LIGHTRIG_DIFFUSERS_DTYPE: {exc}") from exc
    if device.startswith("cuda") and not cuda_available:
        raise _error(f"device {device!r} was asked for, but torch sees no CUDA GPU")
    if device == "mps" and not mps_available:
        raise _error("device 'mps' was asked for, but torch's MPS backend is not available")
    memory: int | None = None
    if device.startswith("cuda"):
        index = int(device.split(":")[1]) if ":" in device else int(torch.cuda.current_device())
        memory = int(torch.cuda.get_device_properties(index).total_memory)
    return _Placement(
        device=device,
        dtype=dtype,
        offload=placing.should_offload(device, memory),
        gpu_memory_bytes=memory,
    )


def _hub_index_cached(repo_id: str) -> bool:
    """Whether the Hub repository's ``model_index.json`` is in the local cache (no network)."""
    try:
        hub = importlib.import_module("huggingface_hub")
        found = hub.try_to_load_from_cache(repo_id, "model_index.json")
    except Exception:  # an unreadable cache is a cache without the model
        return False
    return isinstance(found, str)


def _is_out_of_memory(exc: BaseException) -> bool:
    return type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


@dataclass(frozen=True, slots=True)
class _Call:
    """One pipeline call: prompts as JSON text, size (px), steps, guidance and seed."""

    prompt: str
    negative_prompt: str | None
    width: int
    height: int
    steps: int
    guidance_scale: float
    seed: int


# --- the backend --------------------------------------------------------------------------------


class DiffusersBackend:
    """FIBO run locally through ``diffusers.BriaFiboPipeline``, loaded on first use."""

    name = "diffusers"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._source = placing.locate_model(settings.diffusers_model)
        self._pipeline: Any = None
        self._runtime: _Runtime | None = None
        self._placement: _Placement | None = None
        self._closed = False
        # The asyncio lock queues callers without tying up worker threads; the thread lock keeps
        # one pipeline call at a time even when an awaiting caller was cancelled while its worker
        # thread still runs.
        self._lock = asyncio.Lock()
        self._thread_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the pipeline is in memory."""
        return self._pipeline is not None

    @property
    def pipeline(self) -> Any:
        """The loaded ``BriaFiboPipeline`` (``None`` before :meth:`load`, after :meth:`aclose`)."""
        return self._pipeline

    async def load(self) -> None:
        """Load the pipeline now (in a worker thread) instead of on the first generation.

        Raises :class:`~lightrig.errors.FIBOGenerationError` (not retryable) when torch or
        diffusers is missing or the model cannot be loaded.
        """
        async with self._lock:
            await self._ensure_loaded()

    async def _ensure_loaded(self) -> Any:
        """The pipeline, loading it first if need be; the caller holds ``self._lock``."""
        if self._closed:
            raise _error("the diffusers backend is closed")
        if self._pipeline is None:
            await asyncio.to_thread(self._load_sync)
        return self._pipeline

    def _cannot_load(self, reason: str) -> FIBOGenerationError:
        return _error(f"cannot load the FIBO pipeline from {self._source.model!r}: {reason}")

    def _load_sync(self) -> None:
        """Load and place the pipeline, and keep it.

        It is kept here, in the worker thread, so that a load whose caller was cancelled still
        counts, and a load that ends after :meth:`aclose` began is dropped by it.
        """
        source = self._source
        if source.path is not None:
            problem = placing.check_local_folder(source.path)
            if problem is not None:
                raise self._cannot_load(problem)
        runtime = _import_runtime()
        placement = _place(runtime, self._settings)
        offline = placing.hub_offline()
        keyword = placing.dtype_keyword(runtime.diffusers_version)
        kwargs: dict[str, Any] = {keyword: getattr(runtime.torch, placement.dtype)}
        if source.local or offline:
            kwargs["local_files_only"] = True
        location = str(source.path) if source.path is not None else source.model
        with self._thread_lock:
            if self._closed:
                raise _error("the diffusers backend is closed")
            if self._pipeline is not None:  # loaded meanwhile by a call that was cancelled
                return
            try:
                pipeline = runtime.pipeline_class.from_pretrained(location, **kwargs)
            except ImportError as exc:
                raise _missing_runtime(exc) from exc
            except Exception as exc:
                note = (
                    " (HF_HUB_OFFLINE is set: only the local cache was searched)"
                    if offline and not source.local
                    else ""
                )
                raise self._cannot_load(f"{type(exc).__name__}: {exc}{note}") from exc
            try:
                if placement.offload:
                    pipeline.enable_model_cpu_offload(device=placement.device)
                else:
                    pipeline.to(placement.device)
                pipeline.set_progress_bar_config(disable=True)
            except Exception as exc:
                raise _error(
                    f"cannot place the FIBO pipeline on {placement.device} "
                    f"({placement.dtype}): {type(exc).__name__}: {exc}",
                    retryable=_is_out_of_memory(exc),
                ) from exc
            self._runtime = runtime
            self._placement = placement
            self._pipeline = pipeline

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Generate one PNG of ``prompt`` (``request`` is not read: FIBO sees only the prompt).

        The longest side is ``params.size`` px and the shape follows ``params.aspect_ratio``,
        both sides rounded to multiples of 16 px; ``params.steps`` flow-matching steps at
        classifier-free guidance ``params.guidance_scale``, seeded with ``params.seed``. Input
        no backend can make is refused first (:func:`~lightrig.backends.base.check_input`);
        raises :class:`~lightrig.errors.FIBOGenerationError` when loading or the pipeline fails.
        """
        check_input(prompt, params)
        try:
            width, height = placing.image_size(params.aspect_ratio, params.size)
        except ValueError as exc:
            raise _error(str(exc)) from exc
        call = _Call(
            prompt=prompt_json(prompt),
            negative_prompt=prompt_json(params.negative_prompt) if params.negative_prompt else None,
            width=width,
            height=height,
            steps=params.steps,
            guidance_scale=params.guidance_scale,
            seed=params.seed,
        )
        async with self._lock:
            pipeline = await self._ensure_loaded()
            data, (out_width, out_height) = await asyncio.to_thread(self._run_sync, pipeline, call)
        return BackendImage(
            data=data, media_type="image/png", seed=params.seed, width=out_width, height=out_height
        )

    def _run_sync(self, pipeline: Any, call: _Call) -> tuple[bytes, tuple[int, int]]:
        """Run the pipeline once; the PNG bytes and the image's (width, height) in pixels."""
        runtime, placement = self._runtime, self._placement
        if runtime is None or placement is None:  # set together with the pipeline
            raise _error("the FIBO pipeline is not loaded")
        torch = runtime.torch
        with self._thread_lock:
            try:
                generator = torch.Generator(device=placement.device).manual_seed(call.seed)
                with torch.inference_mode():
                    output = pipeline(
                        prompt=call.prompt,
                        negative_prompt=call.negative_prompt,
                        height=call.height,
                        width=call.width,
                        num_inference_steps=call.steps,
                        guidance_scale=call.guidance_scale,
                        generator=generator,
                        max_sequence_length=MAX_SEQUENCE_LENGTH,
                        output_type="pil",
                    )
                image = output.images[0]
            except Exception as exc:
                raise _error(
                    f"the FIBO pipeline failed: {type(exc).__name__}: {exc}",
                    retryable=_is_out_of_memory(exc),
                ) from exc
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue(), (int(image.width), int(image.height))

    async def health(self) -> BackendHealth:
        """Check, without loading weights or touching the network, whether FIBO can run here.

        Looks at whether torch and diffusers import, the device and dtype that would be used, and
        whether the model can be loaded: a local folder must exist and hold ``model_index.json``;
        a Hub id must be in the local cache (``degraded`` when it is not but may be downloaded,
        ``unhealthy`` when ``HF_HUB_OFFLINE`` forbids that). ``latency_ms`` is the probe's time.
        """
        start = time.perf_counter()
        status, detail, extra = await asyncio.to_thread(self._probe)
        return BackendHealth(status, (time.perf_counter() - start) * 1000.0, detail, extra)

    def _probe(self) -> tuple[HealthStatus, str, dict[str, Any]]:
        source = self._source
        extra: dict[str, Any] = {
            "model": source.model,
            "source": "local" if source.local else "hub",
            "loaded": self.loaded,
        }
        if self._closed:
            return "unhealthy", "the diffusers backend is closed", extra
        problems: list[str] = []
        notes: list[str] = []
        degraded = False
        if source.path is not None:
            problem = placing.check_local_folder(source.path)
            if problem is not None:
                problems.append(f"cannot load the FIBO pipeline from {source.model!r}: {problem}")
        try:
            runtime = _import_runtime()
        except FIBOGenerationError as exc:
            problems.append(exc.message)
            return "unhealthy", "; ".join(problems), extra
        extra["torch"] = runtime.torch_version
        extra["diffusers"] = runtime.diffusers_version
        try:
            placement = self._placement or _place(runtime, self._settings)
        except FIBOGenerationError as exc:
            problems.append(exc.message)
        else:
            extra.update(placement.describe())
            offload = ", model CPU offload" if placement.offload else ""
            notes.append(f"runs on {placement.device} in {placement.dtype}{offload}")
        if self.loaded:
            notes.insert(0, "pipeline loaded")
        elif source.path is None:
            if _hub_index_cached(source.model):
                notes.append(f"{source.model!r} is in the local Hugging Face cache")
            elif placing.hub_offline():
                problems.append(
                    f"{source.model!r} is not in the local Hugging Face cache "
                    "and HF_HUB_OFFLINE forbids downloading it"
                )
            else:
                degraded = True
                notes.append(
                    f"{source.model!r} is not in the local Hugging Face cache; "
                    "the first load downloads it (about 23 GB for briaai/FIBO)"
                )
        elif not problems:
            notes.append(f"ready to load from {str(source.path)!r}")
        if problems:
            return "unhealthy", "; ".join(problems), extra
        return ("degraded" if degraded else "healthy"), "; ".join(notes), extra

    async def aclose(self) -> None:
        """Drop the pipeline and return its memory (host RAM, and the GPU cache where used).

        Waits for a generation in progress; the backend cannot generate afterwards.
        """
        async with self._lock:
            self._closed = True
            # also when nothing is loaded: a load whose caller was cancelled may still be running
            await asyncio.to_thread(self._release_sync)

    def _release_sync(self) -> None:
        with self._thread_lock:
            pipeline, self._pipeline = self._pipeline, None
            if pipeline is not None and hasattr(pipeline, "remove_all_hooks"):
                pipeline.remove_all_hooks()
            del pipeline
            gc.collect()
            torch = self._runtime.torch if self._runtime is not None else None
            if torch is not None:
                if torch.cuda.is_available():
                    torch.cuda.empty_cache()
                mps_backend = getattr(torch.backends, "mps", None)
                if mps_backend is not None and mps_backend.is_available():
                    torch.mps.empty_cache()
