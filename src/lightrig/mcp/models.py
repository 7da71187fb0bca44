"""The shapes the MCP tools take and give beyond the library's and the REST API's own (which
they use as they are: ``SceneRequest``, ``LightingAnalysis``, ``GatePolicy``,
``VerificationReport``, ``MatchedSetup``, ``GenerationResponse``, the API's ``PresetOut`` and
``TranslationOut``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest
from lightrig.translate.base import MAX_TEXT_CHARS

__all__ = ["DiagramOut", "MadeOut", "Picture", "PreviewOut", "Setup", "Words"]

#: A scene request given to a tool.
Setup = Annotated[
    SceneRequest,
    Field(
        description="The light: a scene request, or just its lighting setup keyed by role, "
        'e.g. {"key": {"azimuth": -40, "elevation": 35, "intensity": 0.8}}.'
    ),
]
#: Light in words, given to a tool.
Words = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The light in words, e.g. 'moody Rembrandt, warm key'.",
    ),
]
#: A picture given to a tool.
Picture = Annotated[
    str,
    Field(
        min_length=1,
        description="The picture (PNG, JPEG, WebP or another common format), base64-encoded; a "
        "base64 data: URL is taken too, and, from `lightrig mcp` over stdio, the path of a "
        "file on this machine.",
    ),
]


class PreviewOut(BaseModel):
    """A preview render, sent as a PNG image beside this."""

    media_type: Annotated[str, Field(description="The image's type: image/png.")]
    size: Annotated[int, Field(description="Its side, in pixels.")]
    exposure_stops: Annotated[
        float,
        Field(
            description="The exposure it was rendered at, in stops above the renderer's "
            "reference (it follows the face's lit side)."
        ),
    ]


class DiagramOut(BaseModel):
    """A lighting diagram: a top-down plot of subject, camera, backdrop and every light."""

    media_type: Annotated[str, Field(description="The diagram's type: image/svg+xml.")]
    width: Annotated[int, Field(description="Its rendered width, in pixels.")]
    svg: Annotated[str, Field(description="The SVG document.")]


class MadeOut(BaseModel):
    """A generation or a re-lit photo, with what was read of the words when the light was
    given in words (its image, when it has one, is sent beside this)."""

    generation: GenerationResponse
    understood: Annotated[
        list[str] | None, Field(description="The phrases of the words that were used.")
    ] = None
    ignored: Annotated[list[str] | None, Field(description="The words that were not used.")] = None
    assumptions: Annotated[
        list[str] | None, Field(description="What the setup holds that the words do not say.")
    ] = None
