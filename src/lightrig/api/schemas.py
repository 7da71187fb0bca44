"""The API's request and response bodies (beside the library's own models, which it uses as
they are: ``SceneRequest``, ``LightingAnalysis``, ``GenerationResponse``, ``BatchProgress``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from lightrig.backends.base import ASPECT_RATIOS
from lightrig.config import BackendName
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.base import RequestModel, line_errors
from lightrig.models.gate import GatePolicy
from lightrig.models.generation import GenerationResponse
from lightrig.models.params import FiboModel
from lightrig.models.scene import LightingSetup, SceneRequest
from lightrig.models.values import NUMBER, SWITCH
from lightrig.presets import PRESETS
from lightrig.service.series import MAX_SERIES
from lightrig.translate.base import MAX_TEXT_CHARS
from lightrig.verify.image import Encoding

__all__ = [
    "MAX_BATCH",
    "BatchCreate",
    "GenerationCreate",
    "GenerationOptions",
    "GenerationPage",
    "Instant",
    "LightingChoice",
    "MatchRequest",
    "NaturalLanguageCreate",
    "NaturalLanguageGeneration",
    "RefineCreate",
    "RelightCreate",
    "SceneBody",
    "SeriesCreate",
    "SeriesSubject",
    "TranslateRequest",
    "TranslationOut",
    "VerifyRequest",
]

#: The most requests one batch may hold.
MAX_BATCH = 500

Seed = Annotated[int, Field(ge=0, le=2**31 - 1, description="Generation seed."), NUMBER]
#: The FIBO model; the backend must serve it (GET /v1/backends lists each one's), else 422.
Model = Annotated[
    FiboModel | None,
    Field(
        description="FIBO model: fibo, fibo-1.5 or fibo-lite (default: the server's "
        "LIGHTRIG_FIBO_MODEL); the backend must serve it (GET /v1/backends), else 422 on "
        "body.model. The preview renders the same for any."
    ),
]

#: An adherence gate, as the generating bodies take it.
Gate = Annotated[
    GatePolicy | None,
    Field(
        description="An adherence gate: each image's light is read back and, below "
        "min_adherence, made again with a new seed, within max_attempts and max_cost_usd; every "
        "attempt is kept as a generation of its own, and the answer shows them (gate). Null: "
        "one image, not checked against a bar."
    ),
]


def _one_of_or_null(values: tuple[str, ...] | list[str]) -> WithJsonSchema:
    """The JSON schema of an optional text that the service checks against ``values``."""
    return WithJsonSchema({"anyOf": [{"type": "string", "enum": list(values)}, {"type": "null"}]})


def _given(name: str, kind: str) -> dict[str, Any]:
    """JSON Schema: ``name`` is given and is a ``kind`` (so not null)."""
    return {"required": [name], "properties": {name: {"type": kind}}}


#: An RFC 3339 date-time: date, "T", time, and "Z" or an offset from UTC (what the document's
#: ``format: date-time`` means; Pydantic alone would also read a bare date, a date and time
#: without an offset, or a number of seconds since 1970).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _rfc3339(value: object) -> object:
    if isinstance(value, str) and not _RFC3339.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an RFC 3339 date-time; write it as 2026-01-31T18:00:00Z "
            "(a date, T, a time, and Z or an offset such as +01:00)"
        )
    return value


#: An instant, written as an RFC 3339 date-time with its offset from UTC.
Instant = Annotated[AwareDatetime, BeforeValidator(_rfc3339)]

#: Text that holds something besides white space (JSON Schema only: the translator strips the
#: text and says itself that an empty one is empty).
_NOT_BLANK = r"\S"


class _RequestWrapping:
    """A scene request as a body, read bare or wrapped as ``/v1/generations`` takes it
    (``{"request": {...}}``): one shape works everywhere. Its schema says both."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(_unwrapped, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        given = handler(schema)
        # each branch names the scene request alone; what the field says of it goes around both
        scene, around = given, {}
        if "$ref" in given:
            scene = {"$ref": given["$ref"]}
            around = {key: value for key, value in given.items() if key != "$ref"}
        wrapped = {
            "type": "object",
            "title": "Wrapped scene request",
            "description": 'The scene request as POST /v1/generations takes it: {"request": ...}.',
            "properties": {"request": scene},
            "required": ["request"],
            "additionalProperties": False,
        }
        return {**around, "anyOf": [scene, wrapped]}


def _unwrapped(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
    if not (isinstance(value, dict) and list(value) == ["request"]):
        return handler(value)
    try:
        return handler(value["request"])
    except ValidationError as exc:
        raise ValidationError.from_exception_data(
            "SceneRequest", line_errors(exc, ("request",))
        ) from None


#: A body holding one scene request: the request (or its shorthand, the lighting setup alone
#: keyed by role), bare or wrapped as ``{"request": ...}``.
SceneBody = Annotated[SceneRequest, _RequestWrapping()]


class GenerationOptions(RequestModel):
    """How to generate; every field defaults to the server's settings."""

    model_config = ConfigDict(extra="forbid")

    seed: Seed | None = None
    backend: Annotated[
        BackendName | None, Field(description="Image backend (default: the server's).")
    ] = None
    model: Model = None
    steps: Annotated[int | None, Field(ge=1, le=100, description="Diffusion steps."), NUMBER] = None
    guidance_scale: Annotated[
        float | None, Field(ge=1.0, le=20.0, description="Classifier-free guidance."), NUMBER
    ] = None
    aspect_ratio: Annotated[
        str | None,
        _one_of_or_null(ASPECT_RATIOS),
        Field(description="Width:height, one of " + ", ".join(ASPECT_RATIOS) + "."),
    ] = None
    size: Annotated[
        int | None,
        Field(ge=64, le=2048, description="Longest side for the preview, pixels."),
        NUMBER,
    ] = None
    gate: Gate = None


class GenerationCreate(GenerationOptions):
    """One image of a scene request."""

    request: SceneRequest


class NaturalLanguageCreate(RequestModel):
    """One image of a setup described in words."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_TEXT_CHARS,
            json_schema_extra={"pattern": _NOT_BLANK},
            description="The light in words.",
        ),
    ]
    base: Annotated[
        SceneRequest | None,
        Field(description="A scene whose subject, environment and camera are kept."),
    ] = None
    seed: Seed | None = None
    backend: BackendName | None = None
    model: Model = None
    gate: Gate = None


class RefineCreate(RequestModel):
    """New light for an earlier generation: a whole scene request, or just its lights."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [_given("lighting_setup", "object"), _given("request", "object")]
        },
    )

    lighting_setup: Annotated[
        LightingSetup | None,
        Field(description="The new lights by role, for the earlier scene."),
    ] = None
    request: Annotated[SceneRequest | None, Field(description="A whole new scene request.")] = None
    backend: BackendName | None = None
    model: Annotated[
        FiboModel | None,
        Field(
            description="FIBO model (default: the earlier generation's); the backend must "
            "serve it, else 422 on body.model."
        ),
    ] = None
    gate: Gate = None

    @model_validator(mode="after")
    def _one_of(self) -> RefineCreate:
        if (self.lighting_setup is None) == (self.request is None):
            raise ValueError("give either lighting_setup or request, not both nor neither")
        if self.lighting_setup is not None and not self.lighting_setup:
            raise ValueError("lighting_setup must hold at least one light")
        return self


class BatchCreate(RequestModel):
    """Many scene requests, generated in the background."""

    model_config = ConfigDict(extra="forbid")

    requests: Annotated[list[SceneRequest], Field(min_length=1, max_length=MAX_BATCH)]
    seed: Seed | None = None
    backend: BackendName | None = None
    model: Model = None
    gate: Gate = None


class TranslateRequest(RequestModel):
    """A description of light to turn into a setup."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str,
        Field(min_length=1, max_length=MAX_TEXT_CHARS, json_schema_extra={"pattern": _NOT_BLANK}),
    ]
    base: SceneRequest | None = None


_TRANSLATOR = Field(
    description="The translator that read the words, as LIGHTRIG_TRANSLATOR names it."
)
_UNDERSTOOD = Field(description="The phrases of the description that were used.")
_IGNORED = Field(description="The words that were not used (never guessed at).")
_ASSUMED = Field(
    description="What the request holds that the words do not say, one phrase each: the setup "
    "it starts from when none is named, the preset's subject, setting and camera, a light the "
    "words never name (e.g. \"a background light (the loop setup's; the words do not name "
    'it)"). Empty when nothing was assumed.'
)


class TranslationOut(BaseModel):
    """What a description asks for: the request, what of the words was understood and ignored,
    what was assumed, and the request's analysis (its ``warnings`` among it)."""

    translator: Annotated[str, _TRANSLATOR]
    understood: Annotated[list[str], _UNDERSTOOD]
    ignored: Annotated[list[str], _IGNORED]
    assumptions: Annotated[list[str], _ASSUMED]
    request: SceneRequest
    analysis: LightingAnalysis


class NaturalLanguageGeneration(BaseModel):
    """A generation from words, with the account of the translation: what was understood,
    ignored and assumed (the analysis and its ``warnings`` are in ``generation``)."""

    translator: Annotated[str, _TRANSLATOR]
    understood: Annotated[list[str], _UNDERSTOOD]
    ignored: Annotated[list[str], _IGNORED]
    assumptions: Annotated[list[str], _ASSUMED]
    generation: GenerationResponse


class GenerationPage(BaseModel):
    """A page of generations, newest first; pass ``next_before`` as ``before`` for the next."""

    items: list[GenerationResponse]
    next_before: datetime | None = None


class VerifyRequest(RequestModel):
    """A picture to read the light of, and optionally the light it was meant to have."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "not": {"allOf": [_given("request", "object"), _given("preset", "string")]}
        },
    )

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
        str | None,
        _one_of_or_null(list(PRESETS)),
        Field(description="Or a preset's name to check against (GET /v1/presets)."),
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


class MatchRequest(RequestModel):
    """A reference picture whose light to match."""

    model_config = ConfigDict(extra="forbid")

    image: Annotated[
        str,
        Field(
            min_length=1,
            description="The reference picture (PNG, JPEG, WebP, ...), base64-encoded; a data: "
            "URL is accepted too.",
        ),
    ]
    encoding: Annotated[
        Encoding,
        Field(description="How the picture's values relate to the light (as for /v1/verify)."),
    ] = Encoding.DISPLAY


class LightingChoice(RequestModel):
    """The light, given as one of a scene request, a preset's name or words."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                _given("request", "object"),
                _given("preset", "string"),
                _given("text", "string"),
            ]
        },
    )

    request: Annotated[SceneRequest | None, Field(description="The light as a scene request.")] = (
        None
    )
    preset: Annotated[
        str | None,
        _one_of_or_null(list(PRESETS)),
        Field(description="Or a preset's name (GET /v1/presets)."),
    ] = None
    text: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=MAX_TEXT_CHARS,
            json_schema_extra={"pattern": _NOT_BLANK},
            description="Or the light in words (read by the server's translator).",
        ),
    ] = None

    @model_validator(mode="after")
    def _one_light(self) -> LightingChoice:
        given = [name for name in ("request", "preset", "text") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "give the light as exactly one of request, preset or text"
                + (f", not {' and '.join(given)}" if given else "")
            )
        return self


#: A photograph in a body: base64, or a base64 data: URL.
Photo = Annotated[
    str,
    Field(
        min_length=1,
        description="The photograph (PNG, JPEG, WebP, ...), base64-encoded; a data: URL is "
        "accepted too.",
    ),
]


class RelightCreate(LightingChoice):
    """A photograph to re-light, and the light: a scene request, a preset or words."""

    image: Photo
    seed: Seed | None = None
    backend: Annotated[
        BackendName | None,
        Field(description="A backend that edits photographs (default: the server's)."),
    ] = None
    model: Model = None
    steps: Annotated[int | None, Field(ge=1, le=100, description="Diffusion steps."), NUMBER] = None
    guidance_scale: Annotated[
        float | None, Field(ge=1.0, le=20.0, description="Classifier-free guidance."), NUMBER
    ] = None
    gate: Gate = None


class SeriesSubject(RequestModel):
    """One subject of a series: who is lit, in words, or a photograph to re-light."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [_given("description", "string"), _given("image", "string")]},
    )

    description: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=500,
            json_schema_extra={"pattern": _NOT_BLANK},
            description="Who is lit, in words (the setup's subject_description).",
        ),
    ] = None
    image: Annotated[
        str | None,
        Field(
            min_length=1,
            description="Or a photograph to re-light (PNG, JPEG, WebP, ...), base64 or a "
            "data: URL.",
        ),
    ] = None

    @model_validator(mode="after")
    def _one_subject(self) -> SeriesSubject:
        if (self.description is None) == (self.image is None):
            raise ValueError("give a subject as exactly one of description or image")
        return self


class SeriesCreate(LightingChoice):
    """One setup on many subjects, every picture read back and the set's light compared."""

    subjects: Annotated[list[SeriesSubject], Field(min_length=1, max_length=MAX_SERIES)]
    seed: Seed | None = None
    backend: BackendName | None = None
    model: Model = None
    gate: Gate = None
    remake_outliers: Annotated[
        bool,
        Field(description="Make each picture whose light strays from the set's once more."),
        SWITCH,
    ] = True
