"""The public data models: what a user sends, what the analyzer says, what a generation returns."""

from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.camera import CameraAngle, CameraSettings, ShotType
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest, parse_scene_request

__all__ = [
    "CameraAngle",
    "CameraSettings",
    "GenerationResponse",
    "GenerationStatus",
    "LightSettings",
    "LightType",
    "LightingAnalysis",
    "Modifier",
    "SceneRequest",
    "ShotType",
    "parse_scene_request",
]
