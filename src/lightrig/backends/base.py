"""The contract every image backend keeps.

A backend turns a structured prompt (and, for the preview, the scene request it came from) into
image bytes. Input no backend can make is refused before any work by :func:`check_input` with
one line naming each field (:class:`~lightrig.errors.InvalidLightingSetupError`, a
``ValueError``). Hosts that fail raise :class:`~lightrig.errors.FIBOGenerationError`, whose
``retryable`` flag says whether trying again later may help. Backends hold their own network
clients and release them in :meth:`ImageBackend.aclose`.

Every implementation keeps the contract ``tests/test_backend_contract.py`` checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from lightrig.errors import FieldError, InvalidLightingSetupError, InvalidStructuredPromptError
from lightrig.fibo.schema import validate_prompt
from lightrig.lighting.vocabulary import DEFAULT_MODEL, MODEL_NAMES
from lightrig.models.params import ASPECT_RATIOS, MAX_SEED, GenerationParams
from lightrig.models.scene import SceneRequest

__all__ = [
    "ASPECT_RATIOS",
    "MAX_SEED",
    "MAX_SIDE",
    "MIN_SIDE",
    "BackendHealth",
    "BackendImage",
    "GenerationParams",
    "HealthStatus",
    "ImageBackend",
    "ImageEditor",
    "ResumableBackend",
    "ResumableEditor",
    "ServesModels",
    "SourceImage",
    "Submission",
    "check_input",
    "check_model",
    "edit_models_of",
    "models_of",
]

#: The smallest and largest image side a backend is asked for, in pixels.
MIN_SIDE, MAX_SIDE = 16, 4096

HealthStatus = Literal["healthy", "degraded", "unhealthy"]


@dataclass(frozen=True)
class BackendImage:
    """An image a backend made: encoded bytes and what the host said about it.

    ``width`` / ``height``: pixels. ``request_id``: the host's id for the job, when it has
    one. ``structured_prompt``: the prompt as the host echoed it back, when it does.
    ``possible_duplicates``: submissions beyond the one that made this image that the host may
    also have accepted and billed (re-sent after an answer that left acceptance unknown, which
    only a setting allows); 0 otherwise.
    """

    data: bytes
    media_type: str
    seed: int
    width: int
    height: int
    request_id: str | None = None
    structured_prompt: dict[str, Any] | None = None
    possible_duplicates: int = 0


@dataclass(frozen=True)
class Submission:
    """A job a host accepted: its id, and how many submissions beyond this one the host may
    also have accepted and billed (see :attr:`BackendImage.possible_duplicates`)."""

    request_id: str
    possible_duplicates: int = 0


@dataclass(frozen=True)
class BackendHealth:
    """A probe of a backend: its status, how long the probe took (ms) and what it found."""

    status: HealthStatus
    latency_ms: float
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class ImageBackend(Protocol):
    """Turns structured prompts into images."""

    @property
    def name(self) -> str:
        """The backend's name: ``preview``, ``bria``, ``fal`` or ``diffusers``."""
        ...

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        """Make one image of ``prompt`` (``request`` is the scene it was compiled from)."""
        ...

    async def health(self) -> BackendHealth:
        """Probe the backend for real (a cheap call to the host, a tiny render, ...)."""
        ...

    async def aclose(self) -> None:
        """Release network clients and other resources; the backend is unusable after."""
        ...


@runtime_checkable
class ResumableBackend(Protocol):
    """A backend whose host keeps the job: submitted once, collected by whoever runs it next.

    The runner writes down the id :meth:`submit` returns before it waits, so a run that dies
    while the host works is finished by collecting that job, never by submitting another.
    ``resumable`` is ``False`` when this configuration cannot (a host answering in one call).
    """

    @property
    def resumable(self) -> bool:
        """Whether :meth:`submit` and :meth:`collect` can be used."""
        ...

    async def submit(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> Submission:
        """Hand the job to the host; its id for it (and the possible duplicates)."""
        ...

    async def collect(self, request_id: str, params: GenerationParams) -> BackendImage:
        """Wait for the host's job ``request_id`` and download its image."""
        ...


@dataclass(frozen=True)
class SourceImage:
    """A photograph given to be edited: its encoded bytes (PNG, JPEG or WebP), media type and
    size in pixels."""

    data: bytes
    media_type: str
    width: int
    height: int


@runtime_checkable
class ImageEditor(Protocol):
    """Edits photographs with FIBO-Edit: captions a photo in FIBO's structured form, then makes
    it again from a changed caption.

    The caption is the photo's structured instruction — FIBO's ten keys plus
    ``edit_instruction`` (one sentence saying what to change). The service replaces its
    ``lighting`` and the sentences the light changes (:func:`lightrig.fibo.refine.refine_prompt`)
    and hands it back to :meth:`edit`. ``edits`` is ``False`` when this configuration cannot
    edit (a host or model without FIBO-Edit); the other two methods then raise
    :class:`~lightrig.errors.FIBOGenerationError` (not retryable).
    """

    @property
    def name(self) -> str:
        """The backend's name."""
        ...

    @property
    def edits(self) -> bool:
        """Whether :meth:`caption` and :meth:`edit` can be used."""
        ...

    async def caption(self, image: SourceImage, instruction: str) -> dict[str, Any]:
        """The structured instruction of ``image`` for ``instruction`` (the edit in words)."""
        ...

    async def edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> BackendImage:
        """``image`` made again to the structured ``instruction`` (a whole new frame)."""
        ...


@runtime_checkable
class ResumableEditor(Protocol):
    """An editor whose host keeps the job, like a :class:`ResumableBackend`: the runner writes
    down the id :meth:`submit_edit` returns before it waits, and a run that died meanwhile is
    finished by collecting it with :meth:`collect_edit`."""

    @property
    def resumable(self) -> bool:
        """Whether :meth:`submit_edit` and :meth:`collect_edit` can be used."""
        ...

    async def submit_edit(
        self, image: SourceImage, instruction: dict[str, Any], params: GenerationParams
    ) -> Submission:
        """Hand the edit to the host; its id for it (and the possible duplicates)."""
        ...

    async def collect_edit(self, request_id: str, params: GenerationParams) -> BackendImage:
        """Wait for the host's edit ``request_id`` and download its image."""
        ...


@runtime_checkable
class ServesModels(Protocol):
    """A backend that says which FIBO models it serves (one that does not serves FIBO only,
    :data:`~lightrig.lighting.vocabulary.DEFAULT_MODEL`)."""

    @property
    def models(self) -> tuple[str, ...]:
        """The models it generates with, in this configuration."""
        ...

    @property
    def edit_models(self) -> tuple[str, ...]:
        """The models it edits photographs with, in this configuration (none: it does not)."""
        ...


def models_of(backend: object) -> tuple[str, ...]:
    """The FIBO models ``backend`` generates with (FIBO alone unless it says otherwise)."""
    return backend.models if isinstance(backend, ServesModels) else (DEFAULT_MODEL,)


def edit_models_of(backend: object) -> tuple[str, ...]:
    """The FIBO models ``backend`` edits photographs with (FIBO alone unless it says
    otherwise)."""
    return backend.edit_models if isinstance(backend, ServesModels) else (DEFAULT_MODEL,)


def check_model(backend: str, model: str, served: tuple[str, ...], *, edits: bool = False) -> None:
    """Refuse ``model`` unless it is among ``served`` (the models ``backend`` serves): an
    :class:`~lightrig.errors.InvalidLightingSetupError` naming field ``model``, what it got and
    what is accepted, in one line."""
    if model in served:
        return
    doing = "edits photographs with" if edits else "serves"
    known = "" if model in MODEL_NAMES else f" (FIBO's models are {', '.join(MODEL_NAMES)})"
    accepted = ", ".join(served) if served else "none"
    raise InvalidLightingSetupError(
        [FieldError("model", f"got {model!r}; {backend} {doing}: {accepted}{known}")]
    )


def check_input(prompt: object, params: GenerationParams) -> None:
    """Refuse what no backend can make, before any work is done or paid for.

    ``prompt`` must be a structured prompt (FIBO's ten-key schema, not strict); ``params``: a
    seed of 0 – 2³¹−1, an aspect ratio among :data:`ASPECT_RATIOS` and a size of
    :data:`MIN_SIDE` – :data:`MAX_SIDE` pixels. Raises
    :class:`~lightrig.errors.InvalidLightingSetupError` (a ``ValueError``) whose one-line
    message names each failing field, what it got and what is accepted.
    """
    problems: list[FieldError] = []
    try:
        validate_prompt(prompt, strict=False)
    except InvalidStructuredPromptError as exc:
        problems += [
            FieldError(f"structured_prompt.{e.loc}" if e.loc else "structured_prompt", e.message)
            for e in exc.errors
        ] or [FieldError("structured_prompt", exc.message)]
    if not 0 <= params.seed <= MAX_SEED:
        problems.append(FieldError("seed", f"must be 0–{MAX_SEED}, got {params.seed}"))
    if params.aspect_ratio not in ASPECT_RATIOS:
        problems.append(
            FieldError(
                "aspect_ratio",
                f"must be one of {', '.join(ASPECT_RATIOS)}, got {params.aspect_ratio!r}",
            )
        )
    if not MIN_SIDE <= params.size <= MAX_SIDE:
        problems.append(
            FieldError("size", f"must be {MIN_SIDE}–{MAX_SIDE} pixels, got {params.size}")
        )
    if problems:
        raise InvalidLightingSetupError(problems)
