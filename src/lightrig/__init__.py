"""lightrig — the control of a professional lighting studio for AI image generation.

Describe a setup (key, fill, rim, hair, background and ambient lights, and the camera), have it
analysed as a photographer would, and compile it into a structured prompt for Bria's FIBO.
"""

from typing import TYPE_CHECKING, Any

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.errors import (
    DuplicateUserError,
    FIBOGenerationError,
    InvalidLightingSetupError,
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
    "DuplicateUserError",
    "FIBOGenerationError",
    "GenerationResponse",
    "GenerationStatus",
    "InvalidLightingSetupError",
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
