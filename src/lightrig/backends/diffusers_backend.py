"""The local backend: Bria's FIBO, and FIBO-Edit for photos, run in-process with ``diffusers``.

FIBO is ``diffusers.BriaFiboPipeline``: an 8-billion-parameter DiT (``BriaFiboTransformer2DModel``),
the SmolLM3-3B text encoder, the Wan 2.2 VAE (``AutoencoderKLWan``) and a flow-matching Euler
scheduler, about 23 GB of bfloat16 weights. The pipeline is given the structured prompt as compact
JSON (:func:`~lightrig.fibo.compile.prompt_json`), and the negative prompt likewise.

Photos are edited (:class:`~lightrig.backends.base.ImageEditor`) with FIBO-Edit,
``diffusers.BriaFiboEditPipeline``: the same component classes with another transformer's
weights, given the photo (one reference image) and the structured instruction — FIBO's ten keys
plus ``edit_instruction`` — as compact JSON, the form Bria's own API takes it in. It is loaded
from ``Settings.diffusers_edit_model`` (``LIGHTRIG_DIFFUSERS_EDIT_MODEL``); when that is empty,
:attr:`DiffusersBackend.edits` is ``False`` and nothing edits. There is no caption model here:
:meth:`DiffusersBackend.caption` is lightrig's own reading of the photo
(:func:`~lightrig.backends.editing.read_caption`) — the light it reads, matched to a setup and
compiled, on a generic subject — not a description of the photo's scene, clothes or colours. The
edit keeps the photo's shape: its longest side is ``params.size`` px (``params.aspect_ratio`` is
not read), and it is a whole new frame, not pixel-aligned with the photo.

Nothing heavy happens at import: torch and diffusers are imported, and the weights loaded, on the
first call that needs them or an explicit :meth:`DiffusersBackend.load`. Each model is a Hub id
(``briaai/FIBO``, gated: log in or set ``HF_TOKEN``) or a local folder written by
``save_pretrained``. A local folder is never looked up on the Hub; with ``HF_HUB_OFFLINE`` set, a
Hub id is only looked for in the local Hugging Face cache.

Placement is decided by the pure functions of :mod:`lightrig.backends.diffusers_placement`
(device, dtype, offload, image shape, model location), the same for both pipelines. On a CUDA GPU
with less than 40 GB of memory a pipeline runs with ``enable_model_cpu_offload``: each component
(text encoder, transformer, VAE) is moved to the GPU only while it runs, so a 24 GB card can hold
the 16 GB transformer, at some cost in speed. With 40 GB or more every component stays on the GPU.

One pipeline is held at a time: each is about 23 GB in bfloat16, more than most machines hold
twice, so a generation after an edit (or the other way round) drops the pipeline in memory,
returns its memory (the GPU cache too), and only then loads the other from disk; keep generations
and edits apart to pay for the reload once. A swap whose load fails leaves nothing loaded (the
next call loads again). One pipeline call runs at a time (a pipeline is not re-entrant and uses
every core or the whole GPU), in a worker thread so the event loop keeps serving.
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
    MAX_SIDE,
    MIN_SIDE,
    BackendHealth,
    BackendImage,
    GenerationParams,
    HealthStatus,
    SourceImage,
    check_input,
    check_model,
)
from lightrig.backends.diffusers_placement import (
    FIBO,
    FIBO_EDIT,
    ModelSource,
    PipelineKind,
)
from lightrig.backends.editing import (
    check_caption_input,
    check_edit_input,
    not_editing,
    read_caption,
)
from lightrig.backends.served import served_models
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError, FieldError, InvalidLightingSetupError
from lightrig.fibo.compile import prompt_json
from lightrig.models.scene import SceneRequest

__all__ = ["INSTALL_HINT", "MAX_SEQUENCE_LENGTH", "DiffusersBackend"]

_BACKEND = "diffusers"

#: What to run when torch or diffusers is missing.
INSTALL_HINT = "pip install 'lightrig[local]'"

#: The longest prompt FIBO's and FIBO-Edit's pipelines accept, in text-encoder tokens.
MAX_SEQUENCE_LENGTH = 3000


# --- the runtime (torch, diffusers), imported lazily ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _Runtime:
    """torch and diffusers, once imported (typed ``Any``: both are untyped here)."""

    torch: Any
    diffusers: Any
    torch_version: str
    diffusers_version: str


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where and how the pipelines run: device, dtype name, offload, GPU memory (bytes)."""

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


@dataclass(frozen=True, slots=True)
class _Model:
    """A pipeline the backend can load: which kind (FIBO or FIBO-Edit) and where it is."""

    kind: PipelineKind
    source: ModelSource


def _error(message: str, *, retryable: bool = False) -> FIBOGenerationError:
    return FIBOGenerationError(message, backend=_BACKEND, retryable=retryable)


def _missing_runtime(exc: BaseException) -> FIBOGenerationError:
    return _error(
        f"the diffusers backend needs torch, diffusers and transformers ({exc}); "
        f"install them with: {INSTALL_HINT}"
    )


def _import_runtime() -> _Runtime:
    """Import torch and diffusers; a clear error when they are missing."""
    try:
        torch = importlib.import_module("torch")
        diffusers = importlib.import_module("diffusers")
    except ImportError as exc:
        raise _missing_runtime(exc) from exc
    except Exception as exc:  # a broken install raises anything while importing
        raise _error(f"cannot import torch and diffusers: {type(exc).__name__}: {exc}") from exc
    return _Runtime(
        torch=torch,
        diffusers=diffusers,
        torch_version=str(torch.__version__),
        diffusers_version=str(getattr(diffusers, "__version__", "unknown")),
    )


def _pipeline_class(runtime: _Runtime, kind: PipelineKind) -> Any:
    """diffusers' class for ``kind`` (importing it imports transformers); a clear error when
    this diffusers has none."""
    try:
        return getattr(runtime.diffusers, kind.class_name)
    except ImportError as exc:
        raise _missing_runtime(exc) from exc
    except AttributeError as exc:
        since = f" (it came in {kind.since})" if kind.since else ""
        raise _error(
            f"diffusers {runtime.diffusers_version} has no {kind.class_name}{since}; "
            f"upgrade with: {INSTALL_HINT}"
        ) from exc
    except Exception as exc:
        raise _error(f"cannot import {kind.class_name}: {type(exc).__name__}: {exc}") from exc


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


def _decode_photo(image: SourceImage) -> Any:
    """``image`` decoded to an RGB ``PIL.Image``; :class:`InvalidLightingSetupError` on field
    ``image`` when its bytes are no picture PIL reads."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - only edits decode photos

    try:
        with Image.open(io.BytesIO(image.data)) as picture:
            return picture.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidLightingSetupError(
            [FieldError("image", f"cannot be decoded as {image.media_type} ({exc})")]
        ) from None


def _check_edit(image: SourceImage, instruction: object, params: GenerationParams) -> None:
    """:func:`~lightrig.backends.editing.check_edit_input`, and a size of :data:`MIN_SIDE` –
    :data:`MAX_SIDE` px (the edit's longest side), all failing fields in one line."""
    problems: list[FieldError] = []
    try:
        check_edit_input(image, instruction, params)
    except InvalidLightingSetupError as exc:
        problems += exc.errors
    if not MIN_SIDE <= params.size <= MAX_SIDE:
        problems.append(
            FieldError("size", f"must be {MIN_SIDE}–{MAX_SIDE} pixels, got {params.size}")
        )
    if problems:
        raise InvalidLightingSetupError(problems)


@dataclass(frozen=True, slots=True)
class _Call:
    """One pipeline call: prompts as JSON text, size (px), steps, guidance and seed, and for an
    edit the photo (an RGB ``PIL.Image``)."""

    prompt: str
    negative_prompt: str | None
    width: int
    height: int
    steps: int
    guidance_scale: float
    seed: int
    photo: Any = None


# --- the backend --------------------------------------------------------------------------------


class DiffusersBackend:
    """FIBO, and FIBO-Edit when set, run locally through diffusers; each loaded on first use,
    one held at a time (see the module)."""

    name = "diffusers"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._generator = _Model(FIBO, placing.locate_model(settings.diffusers_model))
        edit_model = settings.diffusers_edit_model.strip()
        self._editor = _Model(FIBO_EDIT, placing.locate_model(edit_model)) if edit_model else None
        self._pipeline: Any = None
        self._held: _Model | None = None  # which model ``_pipeline`` is; set together
        self._runtime: _Runtime | None = None
        self._placement: _Placement | None = None
        self._closed = False
        # The asyncio lock queues callers without tying up worker threads; the thread lock keeps
        # one load or pipeline call at a time even when an awaiting caller was cancelled while
        # its worker thread still runs.
        self._lock = asyncio.Lock()
        self._thread_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether a pipeline (FIBO's or FIBO-Edit's) is in memory."""
        return self._pipeline is not None

    @property
    def pipeline(self) -> Any:
        """The pipeline in memory: a ``BriaFiboPipeline``, or a ``BriaFiboEditPipeline`` after
        an edit (``None`` before the first load and after :meth:`aclose`)."""
        return self._pipeline

    @property
    def edits(self) -> bool:
        """Whether photos can be edited: ``LIGHTRIG_DIFFUSERS_EDIT_MODEL`` names FIBO-Edit."""
        return self._editor is not None

    @property
    def models(self) -> tuple[str, ...]:
        """The one FIBO model ``LIGHTRIG_DIFFUSERS_MODEL`` loads, by its name
        (:func:`~lightrig.backends.diffusers_placement.model_named`); a request for another is
        refused, not run on this one."""
        return served_models(self.name, self._settings).models

    @property
    def edit_models(self) -> tuple[str, ...]:
        """The one model ``LIGHTRIG_DIFFUSERS_EDIT_MODEL`` loads (none when it is empty)."""
        return served_models(self.name, self._settings).edit_models

    def _edit_model(self) -> _Model:
        """FIBO-Edit's model; :class:`~lightrig.errors.FIBOGenerationError` (not retryable)
        when ``LIGHTRIG_DIFFUSERS_EDIT_MODEL`` is empty."""
        if self._editor is None:
            raise self._editing_off()
        return self._editor

    def _editing_off(self) -> FIBOGenerationError:
        return not_editing(self.name, "LIGHTRIG_DIFFUSERS_EDIT_MODEL is not set")

    async def load(self, *, edit: bool = False) -> None:
        """Load FIBO's pipeline now — FIBO-Edit's when ``edit`` — in a worker thread, instead of
        on the first call that needs it (dropping the other one if it was in memory).

        Raises :class:`~lightrig.errors.FIBOGenerationError` (not retryable) when torch or
        diffusers is missing, the model cannot be loaded, or ``edit`` and no edit model is set.
        """
        model = self._edit_model() if edit else self._generator
        async with self._lock:
            if self._closed:
                raise _error("the diffusers backend is closed")
            await asyncio.to_thread(self._load_sync, model)

    def _cannot_load(self, model: _Model, reason: str) -> FIBOGenerationError:
        return _error(
            f"cannot load the {model.kind.title} pipeline from {model.source.model!r}: {reason}"
        )

    def _load_sync(self, model: _Model) -> Any:
        """Hold ``model``'s pipeline, loading it if need be; it is kept here, in the worker
        thread, so a load whose caller was cancelled still counts, and a load that ends after
        :meth:`aclose` began is dropped by it."""
        with self._thread_lock:
            return self._load_locked(model)

    def _load_locked(self, model: _Model) -> Any:
        """:meth:`_load_sync` with the thread lock held: checks the model's folder, imports the
        runtime and decides the placement first, then drops the other pipeline (if any) and
        loads and places this one."""
        if self._closed:
            raise _error("the diffusers backend is closed")
        if self._pipeline is not None and self._held is model:
            return self._pipeline
        source, kind = model.source, model.kind
        if source.path is not None:
            problem = placing.check_local_folder(source.path, kind.class_name)
            if problem is not None:
                raise self._cannot_load(model, problem)
        runtime = _import_runtime()
        pipeline_class = _pipeline_class(runtime, kind)
        placement = _place(runtime, self._settings)
        offline = placing.hub_offline()
        keyword = placing.dtype_keyword(runtime.diffusers_version)
        kwargs: dict[str, Any] = {keyword: getattr(runtime.torch, placement.dtype)}
        if source.local or offline:
            kwargs["local_files_only"] = True
        location = str(source.path) if source.path is not None else source.model
        self._runtime = runtime
        self._drop_locked()  # one pipeline in memory at a time
        try:
            pipeline = pipeline_class.from_pretrained(location, **kwargs)
        except ImportError as exc:
            raise _missing_runtime(exc) from exc
        except Exception as exc:
            note = (
                " (HF_HUB_OFFLINE is set: only the local cache was searched)"
                if offline and not source.local
                else ""
            )
            raise self._cannot_load(model, f"{type(exc).__name__}: {exc}{note}") from exc
        try:
            if placement.offload:
                pipeline.enable_model_cpu_offload(device=placement.device)
            else:
                pipeline.to(placement.device)
            pipeline.set_progress_bar_config(disable=True)
        except Exception as exc:
            raise _error(
                f"cannot place the {kind.title} pipeline on {placement.device} "
                f"({placement.dtype}): {type(exc).__name__}: {exc}",
                retryable=_is_out_of_memory(exc),
            ) from exc
        self._placement = placement
        self._pipeline, self._held = pipeline, model
        return pipeline

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Generate one PNG of ``prompt`` (``request`` is not read: FIBO sees only the prompt).

        The longest side is ``params.size`` px and the shape follows ``params.aspect_ratio``,
        both sides rounded to multiples of 16 px; ``params.steps`` flow-matching steps at
        classifier-free guidance ``params.guidance_scale``, seeded with ``params.seed``. Input
        no backend can make is refused first (:func:`~lightrig.backends.base.check_input`), and
        so is a ``params.model`` other than the one loaded (:attr:`models`);
        raises :class:`~lightrig.errors.FIBOGenerationError` when loading or the pipeline fails.
        """
        check_input(prompt, params)
        check_model(self.name, params.model, self.models)
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
        return await self._make(self._generator, call)

    async def caption(self, image: SourceImage, instruction: str) -> dict[str, Any]:
        """The photo's structured instruction as lightrig reads it — no caption model runs
        here: the setup matched to the light on the photo, compiled to FIBO's ten keys, with
        ``instruction`` as ``edit_instruction``
        (:func:`~lightrig.backends.editing.read_caption`; no pipeline is loaded).
        :class:`~lightrig.errors.FIBOGenerationError` (not retryable) when editing is off."""
        check_caption_input(image, instruction)
        if not self.edits:
            raise self._editing_off()
        return await read_caption(image, instruction)

    async def edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> BackendImage:
        """``image`` made again by FIBO-Edit to the structured ``instruction`` (given as compact
        JSON, ``edit_instruction`` included): one PNG of the photo's shape, its longest side
        ``params.size`` px (both sides multiples of 16 px; ``params.aspect_ratio`` is not read),
        ``params.steps`` steps at guidance ``params.guidance_scale``, seeded with
        ``params.seed``, the negative prompt as for a generation.

        Input no editor can use, or a size outside 16–4096 px, is refused first, with one line
        naming each field (:class:`~lightrig.errors.InvalidLightingSetupError`), and so are
        bytes that are no picture — all before anything is loaded.
        :class:`~lightrig.errors.FIBOGenerationError` when editing is off (not retryable), or
        loading or the pipeline fails.
        """
        _check_edit(image, instruction, params)
        model = self._edit_model()
        check_model(self.name, params.model, self.edit_models, edits=True)
        photo = await asyncio.to_thread(_decode_photo, image)
        width, height = placing.scaled_size(photo.width, photo.height, params.size)
        call = _Call(
            prompt=prompt_json(instruction),
            negative_prompt=prompt_json(params.negative_prompt) if params.negative_prompt else None,
            width=width,
            height=height,
            steps=params.steps,
            guidance_scale=params.guidance_scale,
            seed=params.seed,
            photo=photo,
        )
        made = await self._make(model, call)
        return BackendImage(
            data=made.data,
            media_type=made.media_type,
            seed=made.seed,
            width=made.width,
            height=made.height,
            structured_prompt=dict(instruction),
        )

    async def _make(self, model: _Model, call: _Call) -> BackendImage:
        """``call`` run on ``model``'s pipeline (loaded first if need be), one at a time."""
        async with self._lock:
            if self._closed:
                raise _error("the diffusers backend is closed")
            if self._held is not model:
                # loaded apart, so a caller cancelled while it loads does not also run the call
                await asyncio.to_thread(self._load_sync, model)
            data, (width, height) = await asyncio.to_thread(self._run_sync, model, call)
        return BackendImage(
            data=data, media_type="image/png", seed=call.seed, width=width, height=height
        )

    def _run_sync(self, model: _Model, call: _Call) -> tuple[bytes, tuple[int, int]]:
        """Run ``model``'s pipeline once; the PNG bytes and the image's (width, height) in
        pixels. It is loaded again under the same lock when a cancelled caller's thread swapped
        the other one in meanwhile, so the pipeline run is always the one held."""
        with self._thread_lock:
            pipeline = self._load_locked(model)
            runtime, placement = self._runtime, self._placement
            if runtime is None or placement is None:  # set by the load
                raise _error(f"the {model.kind.title} pipeline is not loaded")
            torch = runtime.torch
            photo = {} if call.photo is None else {"image": call.photo}
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
                        **photo,
                    )
                image = output.images[0]
            except Exception as exc:
                raise _error(
                    f"the {model.kind.title} pipeline failed: {type(exc).__name__}: {exc}",
                    retryable=_is_out_of_memory(exc),
                ) from exc
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue(), (int(image.width), int(image.height))

    async def health(self) -> BackendHealth:
        """Check, without loading weights or touching the network, whether FIBO (and FIBO-Edit,
        when set) can run here.

        Looks at whether torch and diffusers import, the device and dtype that would be used, and
        whether each model can be loaded: a local folder must exist and hold ``model_index.json``
        of its pipeline class; a Hub id must be in the local cache (``degraded`` when it is not
        but may be downloaded, ``unhealthy`` when ``HF_HUB_OFFLINE`` forbids that). FIBO-Edit
        that cannot be loaded makes the backend ``degraded`` (generations still run).
        ``extra`` says which pipeline is loaded; ``latency_ms`` is the probe's time.
        """
        start = time.perf_counter()
        status, detail, extra = await asyncio.to_thread(self._probe)
        return BackendHealth(status, (time.perf_counter() - start) * 1000.0, detail, extra)

    def _folder_problems(self, model: _Model) -> list[str]:
        """What keeps ``model``'s local folder from loading (nothing for a Hub id)."""
        path, kind = model.source.path, model.kind
        problem = None if path is None else placing.check_local_folder(path, kind.class_name)
        if problem is None:
            return []
        return [f"cannot load the {kind.title} pipeline from {model.source.model!r}: {problem}"]

    def _probe_model(self, model: _Model, runtime: _Runtime) -> tuple[list[str], list[str], bool]:
        """What keeps ``model`` from loading, notes on it, and whether it must be downloaded."""
        source, kind = model.source, model.kind
        problems: list[str] = []
        notes: list[str] = []
        download = False
        try:
            _pipeline_class(runtime, kind)
        except FIBOGenerationError as exc:
            problems.append(exc.message)
        if self._held is model and self._pipeline is not None:
            notes.append(f"{kind.title} pipeline loaded")
        elif source.path is not None:
            problems += self._folder_problems(model)
            notes.append(f"{kind.title} ready to load from {str(source.path)!r}")
        elif _hub_index_cached(source.model):
            notes.append(f"{source.model!r} is in the local Hugging Face cache")
        elif placing.hub_offline():
            problems.append(
                f"{source.model!r} is not in the local Hugging Face cache "
                "and HF_HUB_OFFLINE forbids downloading it"
            )
        else:
            download = True
            notes.append(
                f"{source.model!r} is not in the local Hugging Face cache; "
                f"the first load downloads it ({kind.weights})"
            )
        return problems, notes, download

    def _probe(self) -> tuple[HealthStatus, str, dict[str, Any]]:
        generator, editor = self._generator, self._editor
        extra: dict[str, Any] = {
            "model": generator.source.model,
            "source": "local" if generator.source.local else "hub",
            "edit_model": None if editor is None else editor.source.model,
            "loaded": self.loaded,
            "loaded_pipeline": None if self._held is None else self._held.kind.class_name,
        }
        if self._closed:
            return "unhealthy", "the diffusers backend is closed", extra
        try:
            runtime = _import_runtime()
        except FIBOGenerationError as exc:
            problems = [*self._folder_problems(generator), exc.message]
            return "unhealthy", "; ".join(problems), extra
        extra["torch"] = runtime.torch_version
        extra["diffusers"] = runtime.diffusers_version
        problems, notes, degraded = self._probe_model(generator, runtime)
        try:
            placement = self._placement or _place(runtime, self._settings)
        except FIBOGenerationError as exc:
            problems.append(exc.message)
        else:
            extra.update(placement.describe())
            offload = ", model CPU offload" if placement.offload else ""
            notes.append(f"runs on {placement.device} in {placement.dtype}{offload}")
        if editor is None:
            notes.append("photo edits are off (LIGHTRIG_DIFFUSERS_EDIT_MODEL is not set)")
        else:
            edit_problems, edit_notes, edit_download = self._probe_model(editor, runtime)
            if edit_problems:  # generations still run: degraded, not unhealthy
                notes += [f"photo edits will fail: {problem}" for problem in edit_problems]
            else:
                notes += edit_notes
            degraded = degraded or edit_download or bool(edit_problems)
        if problems:
            return "unhealthy", "; ".join(problems), extra
        return ("degraded" if degraded else "healthy"), "; ".join(notes), extra

    async def aclose(self) -> None:
        """Drop the pipeline and return its memory (host RAM, and the GPU cache where used).

        Waits for a generation or edit in progress; the backend cannot run afterwards.
        """
        async with self._lock:
            self._closed = True
            # also when nothing is loaded: a load whose caller was cancelled may still be running
            await asyncio.to_thread(self._release_sync)

    def _release_sync(self) -> None:
        with self._thread_lock:
            self._drop_locked()

    def _drop_locked(self) -> None:
        """Drop the pipeline in memory, if any, and return its memory; the thread lock is held."""
        pipeline, self._pipeline, self._held = self._pipeline, None, None
        if pipeline is None:
            return
        if hasattr(pipeline, "remove_all_hooks"):
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
