"""lightrig — the control of a professional lighting studio for AI image generation.

Describe a setup (key, fill, rim, kicker, hair, background and ambient lights, and the camera);
lightrig analyses it as a photographer would, compiles it into a structured prompt for Bria's
FIBO, renders a preview, generates images on an image backend and checks that each followed the
light. A tour of the entry points (``from lightrig import ...`` unless a module is named)::

    from lightrig import CameraSettings, LightingAnalyzer, LightSettings, LightType, SceneRequest
    from lightrig import compile_prompt, get_preset, prompt_json

    request = SceneRequest(
        subject_description="a cellist in her forties",
        lighting_setup={
            LightType.KEY: LightSettings(direction="45 degrees camera-left", intensity=0.8,
                                         color_temperature=5600, modifier="softbox", distance=1.5),
            LightType.FILL: LightSettings(azimuth=30, intensity=0.35, softness=0.8, distance=2.0),
        },
        camera_settings=CameraSettings(shot_type="medium close-up", focal_length=85, aperture=2.8),
    )
    analysis = LightingAnalyzer().analyze(request)   # ratio, pattern, colour, rating, advice
    print(analysis.summary)
    print(prompt_json(compile_prompt(request)))      # the compact JSON FIBO is sent
    loop = get_preset("loop").request()              # one of the 15 presets (PRESETS)

**The setup.** :class:`SceneRequest`: the subject, environment, backdrop colour (``#rrggbb``),
head turn (degrees), ``lighting_setup`` (:class:`LightType` → :class:`LightSettings`) and
:class:`CameraSettings`. A light's ``direction`` is words ("30° camera-left, 20° above",
"behind subject, camera-right", "at 4 o'clock") or ``azimuth`` / ``elevation`` in degrees
(azimuth from the lens axis, positive camera-right, ±180 behind; elevation above eye level);
``intensity`` 0–1 of full power; ``color_temperature`` kelvin; ``softness`` 0–1, or a
``modifier`` (:class:`Modifier`) and ``modifier_size`` in metres; ``distance`` metres. The
camera: ``shot_type`` (:class:`ShotType`), ``focal_length`` mm or ``fov`` degrees, ``aperture``
(f-number), ``white_balance`` kelvin. :func:`parse_scene_request` validates JSON-like data. A
bad value raises :class:`InvalidLightingSetupError` (a ``ValueError``) naming each field, what
it got and what is accepted.

**Reading it.** :class:`LightingAnalyzer` ``.analyze(request)`` → :class:`LightingAnalysis`:
the lit / shadow ratio (and in stops), the pattern with its reason, colour balance in mireds,
shadow hardness, tonal key, mood, a 1–10 rating made of explained components, recommendations
with numbers, warnings and a one-line ``summary``.

**FIBO's structured prompt.** :func:`compile_prompt` (a dict of FIBO's ten keys, deterministic),
:func:`prompt_json` (its compact bytes), :func:`refine_prompt` (re-light an existing caption),
:func:`parse_lighting` (a setup read back from a caption's lighting words, as
:class:`ParsedLighting`), :func:`validate_prompt`.

**Pictures and verification** (NumPy, numba and Pillow, loaded on use):
``lightrig.render.preview.PreviewRenderer().render(request, size)`` (a lit bust; ``.png()``),
``lightrig.render.diagram.lighting_diagram(request)`` (a top-down SVG plot),
``lightrig.verify.estimate_lighting(image)`` (the light read back out of any picture: key side,
direction, ratio, colour, hardness, each with a confidence 0–1) and
``lightrig.verify.verify_image(image, request)`` (its adherence to a request, 0–1).

**Words.** ``lightrig.translate``: the offline rules translator (or Gemini / OpenAI-compatible
models) turns "moody Rembrandt, warm key from the right" into a request, reporting what it
understood, ignored and assumed; ``LightingGenerationService.translate`` uses the configured one.

**Generating.** :class:`LightingGenerationService` (the ``server`` extra; imported on first
use), used as ``async with LightingGenerationService() as service:`` —
``generate_from_lighting_setup``, ``generate_from_natural_language``, ``refine_lighting`` (same
prompt but the light, same seed), ``batch_generate``, ``verify_image``, ``health_check``; each
generation is a :class:`GenerationResponse` (status, image, prompt, analysis, adherence, seed,
cost) kept on record.

**Settings.** :class:`Settings` (imported on first use) reads ``LIGHTRIG_*`` variables from the
environment or ``.env``: ``LIGHTRIG_BACKEND`` (``preview`` — the offline default —, ``bria``,
``fal``, ``diffusers``), ``LIGHTRIG_DATA_DIR`` (the embedded database and images),
``LIGHTRIG_DATABASE_URL``, ``LIGHTRIG_STORAGE_URL``, ``LIGHTRIG_REDIS_URL``,
``LIGHTRIG_QUEUE_URL``, ``LIGHTRIG_BRIA_API_TOKEN``, ``LIGHTRIG_FAL_KEY``,
``LIGHTRIG_TRANSLATOR`` and the rest listed in the README.

**Errors.** Everything raised on purpose is a :class:`LightingGenerationError` that also derives
from the builtin it means — :class:`InvalidLightingSetupError`, :class:`FIBOGenerationError`,
:class:`NaturalLanguageTranslationError`, :class:`TranslatorUnavailableError`,
:class:`InvalidSettingError` (a ``LIGHTRIG_*`` setting that cannot be read),
:class:`DependencyUnavailableError` (a database or Redis that cannot be used), … (the tree is
drawn in :mod:`lightrig.errors`).

**Other faces.** The ``lightrig`` command (``lightrig --help``: presets, analyze, prompt, parse,
render, translate, generate, batch, verify, history, users, serve, worker), the REST API and the
studio page (``lightrig serve``; OpenAPI at ``/docs``), and ``examples/generate.py`` in the
repository, which walks these steps end to end.

``import lightrig`` loads pydantic and the standard library only.
"""

from typing import TYPE_CHECKING, Any

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.errors import (
    DependencyUnavailableError,
    DuplicateUserError,
    FIBOGenerationError,
    InvalidLightingSetupError,
    InvalidSettingError,
    InvalidStructuredPromptError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
    StaleRecordError,
    TranslatorUnavailableError,
)
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.parse import ParsedLighting, parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.fibo.schema import validate_prompt
from lightrig.models import (
    CameraAngle,
    CameraSettings,
    GenerationResponse,
    GenerationStatus,
    LightingAnalysis,
    LightSettings,
    LightType,
    Modifier,
    SceneRequest,
    ShotType,
    parse_scene_request,
)
from lightrig.presets import PRESETS, Preset, get_preset

if TYPE_CHECKING:
    from lightrig.config import Settings
    from lightrig.service import LightingGenerationService

    __version__: str

__all__ = [
    "PRESETS",
    "CameraAngle",
    "CameraSettings",
    "DependencyUnavailableError",
    "DuplicateUserError",
    "FIBOGenerationError",
    "GenerationResponse",
    "GenerationStatus",
    "InvalidLightingSetupError",
    "InvalidSettingError",
    "InvalidStructuredPromptError",
    "LightSettings",
    "LightType",
    "LightingAnalysis",
    "LightingAnalyzer",
    "LightingGenerationError",
    "LightingGenerationService",
    "Modifier",
    "NaturalLanguageTranslationError",
    "ParsedLighting",
    "Preset",
    "RecordNotFoundError",
    "SceneRequest",
    "Settings",
    "ShotType",
    "StaleRecordError",
    "TranslatorUnavailableError",
    "compile_prompt",
    "get_preset",
    "parse_lighting",
    "parse_scene_request",
    "prompt_json",
    "refine_prompt",
    "validate_prompt",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - 20 ms

    try:
        return version("lightrig")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    """The service and its settings, imported on first use (they bring the database, cache and
    HTTP layers, which the pure lighting core does not need; the service needs the ``server``
    extra), and ``__version__``, read from the installed metadata on first use."""
    if name == "LightingGenerationService":
        from lightrig.extras import needs_extra, require_extra  # noqa: PLC0415 - lazy by design

        purpose = "lightrig.LightingGenerationService"
        # its records need SQLAlchemy and Alembic, imported only when the store is made
        require_extra("server", purpose, "sqlalchemy", "alembic")
        with needs_extra(purpose, "server"):
            from lightrig.service import LightingGenerationService  # noqa: PLC0415

        globals()[name] = LightingGenerationService
        return LightingGenerationService
    if name == "Settings":
        from lightrig.config import Settings  # noqa: PLC0415 - lazy by design

        return Settings
    if name == "__version__":
        globals()[name] = _version()
        return globals()[name]
    raise AttributeError(f"module 'lightrig' has no attribute {name!r}")
