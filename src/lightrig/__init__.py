"""lightrig — the control of a professional lighting studio for AI image generation.

Describe a setup (key, fill, rim, hair, background and ambient lights, and the camera), have it
analysed as a photographer would, and compile it into a structured prompt for Bria's FIBO.
"""

from lightrig.errors import (
    FIBOGenerationError,
    InvalidLightingSetupError,
    InvalidStructuredPromptError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
)
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.parse import ParsedLighting, parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.fibo.schema import validate_prompt
from lightrig.lighting.analyzer import LightingAnalyzer
from lightrig.lighting.presets import PRESETS, Preset, get_preset
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

__all__ = [
    "PRESETS",
    "CameraAngle",
    "CameraSettings",
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
    "Modifier",
    "NaturalLanguageTranslationError",
    "ParsedLighting",
    "Preset",
    "SceneRequest",
    "ShotType",
    "compile_prompt",
    "get_preset",
    "parse_lighting",
    "parse_scene_request",
    "prompt_json",
    "refine_prompt",
    "validate_prompt",
]
