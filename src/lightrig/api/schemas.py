"""The API's request and response bodies (beside the library's own models, which it uses as
they are: ``SceneRequest``, ``LightingAnalysis``, ``GenerationResponse``, ``BatchProgress``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lightrig.backends.base import ASPECT_RATIOS
from lightrig.config import BackendName
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.generation import GenerationResponse
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.translate.base import MAX_TEXT_CHARS
from lightrig.verify.image import Encoding

__all__ = [
    "MAX_BATCH",
    "BatchCreate",
    "GenerationCreate",
    "GenerationOptions",
    "GenerationPage",
    "NaturalLanguageCreate",
    "NaturalLanguageGeneration",
    "PresetOut",
    "RefineCreate",
    "TranslateRequest",
    "TranslationOut",
    "VerifyRequest",
]

#: The most requests one batch may hold.
MAX_BATCH = 500

Seed = Annotated[int, Field(ge=0, le=2**31 - 1, description="Generation seed.")]


class GenerationOptions(BaseModel):
    """How to generate; every field defaults to the server's settings."""

    model_config = ConfigDict(extra="forbid")

    seed: Seed | None = None
    backend: Annotated[
        BackendName | None, Field(description="Image backend (default: the server's).")
    ] = None
    steps: Annotated[int | None, Field(ge=1, le=100, description="Diffusion steps.")] = None
    guidance_scale: Annotated[
        float | None, Field(ge=1.0, le=20.0, description="Classifier-free guidance.")
    ] = None
    aspect_ratio: Annotated[
        str | None,
        Field(description="Width:height, one of " + ", ".join(ASPECT_RATIOS) + "."),
    ] = None
    size: Annotated[
        int | None, Field(ge=64, le=2048, description="Longest side for the preview, pixels.")
    ] = None


class GenerationCreate(GenerationOptions):
    """One image of a scene request."""

    request: SceneRequest


class NaturalLanguageCreate(BaseModel):
    """One image of a setup described in words."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str, Field(min_length=1, max_length=MAX_TEXT_CHARS, description="The light in words.")
    ]
    base: Annotated[
        SceneRequest | None,
        Field(description="A scene whose subject, environment and camera are kept."),
    ] = None
    seed: Seed | None = None
    backend: BackendName | None = None


class RefineCreate(BaseModel):
    """New light for an earlier generation: a whole scene request, or just its lights."""

    model_config = ConfigDict(extra="forbid")

    lighting_setup: Annotated[
        dict[LightType, LightSettings] | None,
        Field(description="The new lights by role, for the earlier scene."),
    ] = None
    request: Annotated[SceneRequest | None, Field(description="A whole new scene request.")] = None
    backend: BackendName | None = None

    @model_validator(mode="after")
    def _one_of(self) -> RefineCreate:
        if (self.lighting_setup is None) == (self.request is None):
            raise ValueError("give either lighting_setup or request, not both nor neither")
        if self.lighting_setup is not None and not self.lighting_setup:
            raise ValueError("lighting_setup must hold at least one light")
        return self


class BatchCreate(BaseModel):
    """Many scene requests, generated in the background."""

    model_config = ConfigDict(extra="forbid")

    requests: Annotated[list[SceneRequest], Field(min_length=1, max_length=MAX_BATCH)]
    seed: Seed | None = None
    backend: BackendName | None = None


class TranslateRequest(BaseModel):
    """A description of light to turn into a setup."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
    base: SceneRequest | None = None


class TranslationOut(BaseModel):
    """What a description asks for, and what of it was understood."""

    translator: str
    understood: list[str]
    ignored: list[str]
    request: SceneRequest
    analysis: LightingAnalysis


class NaturalLanguageGeneration(BaseModel):
    """A generation from words, with the account of the translation."""

    translator: str
    understood: list[str]
    ignored: list[str]
    generation: GenerationResponse


class GenerationPage(BaseModel):
    """A page of generations, newest first; pass ``next_before`` as ``before`` for the next."""

    items: list[GenerationResponse]
    next_before: datetime | None = None


class PresetOut(BaseModel):
    """A built-in setup."""

    name: str
    title: str
    description: str
    pattern: str
    request: SceneRequest


def preset_out(preset: Any) -> PresetOut:
    """The API's view of a :class:`~lightrig.presets.Preset`."""
    return PresetOut(
        name=preset.name,
        title=preset.title,
        description=preset.description,
        pattern=preset.expected,
        request=preset.request(),
    )


class VerifyRequest(BaseModel):
    """A picture to read the light of, and optionally the light it was meant to have."""

    model_config = ConfigDict(extra="forbid")

    image: Annotated[
        str,
        Field(
            min_length=1,
            description="The picture (PNG, JPEG, WebP, ...), base64-encoded; a data: URL is "
            "accepted too.",
        ),
    ]
    request: Annotated[
        SceneRequest | None, Field(description="The scene request to check the picture against.")
    ] = None
    preset: Annotated[
        str | None, Field(description="Or a preset's name to check against (GET /v1/presets).")
    ] = None
    encoding: Annotated[
        Encoding,
        Field(
            description="How the picture's values relate to the light: display (a photograph "
            "or render made for a screen, sRGB with a filmic tone curve), srgb (the plain sRGB "
            "curve) or linear (proportional to the light, as from a raw file or a scientific "
            "camera)."
        ),
    ] = Encoding.DISPLAY

    @model_validator(mode="after")
    def _one_reference(self) -> VerifyRequest:
        if self.request is not None and self.preset is not None:
            raise ValueError("give request or preset, not both")
        return self
