"""The MCP tools: a thin face over the generation service, the analyzer, the prompt compiler,
the preview renderer and the diagram — each call is one of theirs, nothing decided here.

Each tool runs as the user :attr:`Face.user_of` names for the call (the API key's, over HTTP;
nobody in particular over stdio, as on the command line), so a generation is theirs and another
user's is not found. Long work (a generation on a hosted backend, a gate's attempts) reports its
progress as MCP progress notifications while it runs.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, ContentBlock, ImageContent, TextContent, ToolAnnotations
from pydantic import Field, TypeAdapter

from lightrig.api.preset_out import PresetOut, preset_out
from lightrig.api.schemas import Gate, Seed, TranslationOut
from lightrig.backends.preview import PreviewBackend
from lightrig.config import BackendName
from lightrig.errors import FieldError, InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.reading import read
from lightrig.mcp.models import DiagramOut, MadeOut, Picture, PreviewOut, Setup, Words
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.diagram import lighting_diagram
from lightrig.service import LightingGenerationService
from lightrig.translate.base import Translation
from lightrig.verify.image import Encoding
from lightrig.verify.match import MatchedSetup
from lightrig.verify.models import VerificationReport

__all__ = ["Face", "lightrig_tools"]

T = TypeVar("T")

#: Seconds between looks at a generation running in the background.
POLL_S = 0.25
#: A generation's statuses that are final.
_FINISHED = frozenset({GenerationStatus.SUCCESS, GenerationStatus.ERROR})

_READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
_MAKES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)

PreviewSize = Annotated[int, Field(ge=64, le=1024, description="Side in pixels, 64–1024.")]
DiagramWidth = Annotated[int, Field(ge=200, le=2000, description="Width in pixels, 200–2000.")]
PresetName = Annotated[str, Field(description="A preset's name (list_presets).")]
EncodingArg = Annotated[
    Encoding,
    Field(
        description="How the picture's values relate to the light: display (a photograph or "
        "render made for a screen), srgb (the plain sRGB curve) or linear."
    ),
]


async def _at_once(work: Callable[[], Awaitable[Any]]) -> Any:
    return await work()


@dataclass(frozen=True)
class Face:
    """What the tools run on: the service, the preview renderer, who a call is for
    (``user_of``: the user id, ``None`` for the local user of stdio), how a generation is shown
    to them (``shown``: the REST API hides where the server keeps its files), whether a
    picture may be named by a path on this machine (``local_files``: stdio only) and how work
    that holds the processor (a render, reading a picture) is admitted (``admit``: the REST
    server's CPU pool, which refuses when full; at once by default)."""

    service: LightingGenerationService
    previews: PreviewBackend
    user_of: Callable[[Context[Any, Any]], str | None]
    shown: Callable[[GenerationResponse], GenerationResponse] = lambda record: record
    local_files: bool = False
    admit: Callable[[Callable[[], Awaitable[Any]]], Awaitable[Any]] = _at_once


def _bad(loc: str, message: str) -> InvalidLightingSetupError:
    return InvalidLightingSetupError([FieldError(loc, message)])


def _preset(name: str, loc: str = "name") -> SceneRequest:
    preset = PRESETS.get(name)
    if preset is None:
        raise _bad(loc, f"no preset {name!r}; presets: {', '.join(PRESETS)}")
    return preset.request()


def _json(value: Any) -> TextContent:
    return TextContent(type="text", text=json.dumps(value, indent=2, ensure_ascii=False))


class _Tools:
    """The tools, bound to a :class:`Face`."""

    def __init__(self, face: Face) -> None:
        self.face = face
        self.service = face.service

    async def cpu(self, work: Callable[[], Awaitable[T]]) -> T:
        """``work()`` as the face admits work that holds the processor."""
        return cast(T, await self.face.admit(work))

    # ------------------------------------------------------------------ inputs
    def picture(self, text: str, loc: str = "image") -> bytes:
        """The bytes of a picture argument: base64, a base64 ``data:`` URL or (local only) a
        file's path."""
        if text.startswith("data:"):
            header, _, text = text.partition(",")
            if not header.endswith(";base64"):
                raise _bad(loc, "a data: URL must be base64 (data:image/png;base64,…)")
        elif self.face.local_files and len(text) < 4096 and Path(text).expanduser().is_file():
            try:
                return Path(text).expanduser().read_bytes()
            except OSError as exc:
                raise _bad(loc, f"{text}: {exc.strerror or exc}") from None
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            told = "neither a file here nor" if self.face.local_files else "not"
            raise _bad(loc, f"{told} valid base64") from None

    async def light(
        self, setup: SceneRequest | None, preset: str | None, words: str | None
    ) -> tuple[SceneRequest, Translation | None]:
        """The light given as exactly one of a setup, a preset's name or words."""
        given = [
            name
            for name, value in (("setup", setup), ("preset", preset), ("words", words))
            if value is not None
        ]
        if len(given) != 1:
            told = f", not {' and '.join(given)}" if given else ""
            raise _bad("setup", f"give the light as exactly one of setup, preset or words{told}")
        if setup is not None:
            return setup, None
        if preset is not None:
            return _preset(preset, "preset"), None
        assert words is not None
        translation = await self.service.translate(words)
        return translation.request, translation

    # ------------------------------------------------------------------ designing light
    async def list_presets(self) -> list[PresetOut]:
        """Every built-in lighting setup: name, title, description, the pattern it makes and
        its scene request."""
        return [preset_out(preset) for preset in PRESETS.values()]

    async def get_preset(self, name: PresetName) -> PresetOut:
        """One built-in lighting setup by name, with its scene request."""
        _preset(name)
        return preset_out(PRESETS[name])

    async def analyze_setup(self, setup: Setup) -> LightingAnalysis:
        """Analyse a setup as a photographer would: the key-to-fill ratio in stops, the
        pattern, colour balance, shadow hardness, mood, a rating with its reasons, warnings and
        recommendations."""
        return self.service.analyzer.analyze(setup)

    async def translate_words(
        self,
        text: Words,
        base: Annotated[
            SceneRequest | None,
            Field(description="A scene request whose subject, setting and camera are kept."),
        ] = None,
    ) -> TranslationOut:
        """Turn a description of light in words into a setup: what was understood, what was
        ignored, what was assumed, and the setup's analysis."""
        translation = await self.service.translate(text, base=base)
        return TranslationOut(
            translator=translation.translator,
            understood=list(translation.understood),
            ignored=list(translation.ignored),
            assumptions=list(translation.assumptions),
            request=translation.request,
            analysis=self.service.analyzer.analyze(translation.request),
        )

    async def fibo_prompt(self, setup: Setup) -> dict[str, Any]:
        """The FIBO structured prompt (Bria's ten keys) this setup compiles to: what a FIBO
        generation is sent."""
        return compile_prompt(setup, read(setup.rig()))

    async def render_preview(
        self, setup: Setup, size: PreviewSize = 384
    ) -> Annotated[CallToolResult, PreviewOut]:
        """A preview render: a physically based bust lit by the setup, as a PNG image."""
        frame = await self.cpu(lambda: self.face.previews.render_frame(setup, size))
        out = PreviewOut(media_type="image/png", size=size, exposure_stops=frame.exposure_stops)
        picture = ImageContent(
            type="image", data=base64.b64encode(frame.png).decode(), mime_type="image/png"
        )
        return CallToolResult(
            content=[picture, _json(out.model_dump(mode="json"))],
            structured_content=out.model_dump(mode="json"),
        )

    async def render_diagram(
        self, setup: Setup, width: DiagramWidth = 720
    ) -> Annotated[CallToolResult, DiagramOut]:
        """The lighting diagram: a top-down plot of subject, camera, backdrop and every light,
        as an SVG document (text: read it, or save it as a .svg file to show it)."""
        analysis = self.service.analyzer.analyze(setup)
        svg = await self.cpu(
            lambda: asyncio.to_thread(lighting_diagram, setup, analysis, width=width)
        )
        out = DiagramOut(media_type="image/svg+xml", width=width, svg=svg)
        return CallToolResult(
            content=[TextContent(type="text", text=svg)],
            structured_content=out.model_dump(mode="json"),
        )

    # ------------------------------------------------------------------ reading pictures
    async def verify_picture(
        self,
        image: Picture,
        setup: Annotated[
            SceneRequest | None, Field(description="The light it was meant to have.")
        ] = None,
        preset: Annotated[str | None, Field(description="Or a preset's name.")] = None,
        encoding: EncodingArg = Encoding.DISPLAY,
    ) -> VerificationReport:
        """Check a picture's light: the light read back from it — key side and direction,
        ratio, colour temperature, shadow hardness, each with a confidence — and, given the
        setup (or preset) it was meant to follow, how well it does (per attribute and overall,
        0–1, with findings in words)."""
        if setup is not None and preset is not None:
            raise _bad("setup", "give setup or preset, not both")
        reference = _preset(preset, "preset") if preset is not None else setup
        picture = self.picture(image)
        return await self.cpu(
            lambda: self.service.verify_image(picture, reference, encoding=encoding)
        )

    async def match_reference(
        self, image: Picture, encoding: EncodingArg = Encoding.DISPLAY
    ) -> MatchedSetup:
        """Match a reference photo's light: the setup that reproduces it (the key where the
        light was read, sized by the shadows' hardness and coloured as the lit skin shows, a
        fill solved for the ratio read), each part with its confidence, and what the picture
        does not tell."""
        picture = self.picture(image)
        return await self.cpu(lambda: self.service.match_lighting(picture, encoding=encoding))

    # ------------------------------------------------------------------ making images
    async def generate(
        self,
        ctx: Context[Any, Any],
        *,
        setup: Annotated[SceneRequest | None, Field(description="The light as a setup.")] = None,
        preset: Annotated[str | None, Field(description="Or a preset's name.")] = None,
        words: Annotated[str | None, Field(description="Or the light in words.")] = None,
        seed: Seed | None = None,
        backend: Annotated[
            BackendName | None, Field(description="The image backend (default: the server's).")
        ] = None,
        gate: Gate = None,
        include_image: Annotated[
            bool, Field(description="Send the image too (as an image).")
        ] = True,
    ) -> Annotated[CallToolResult, MadeOut]:
        """Generate an image of a setup (given as a setup, a preset or words) on the image
        backend; with a gate, each image's light is read back and, below the bar, made again
        with a new seed (every attempt kept; the best one returned with the gate's report).
        Reports progress while it runs."""
        user = self.face.user_of(ctx)
        request, translation = await self.light(setup, preset, words)

        def start(background: bool) -> Awaitable[GenerationResponse]:
            return self.service.generate_from_lighting_setup(
                request, user, seed=seed, backend=backend, background=background, gate=gate
            )

        made = await self.followed(ctx, start, backend, user)
        return await self.made(made, translation, user, include_image=include_image)

    async def relight_photo(
        self,
        ctx: Context[Any, Any],
        image: Picture,
        *,
        setup: Annotated[SceneRequest | None, Field(description="The light as a setup.")] = None,
        preset: Annotated[str | None, Field(description="Or a preset's name.")] = None,
        words: Annotated[str | None, Field(description="Or the light in words.")] = None,
        seed: Seed | None = None,
        backend: Annotated[
            BackendName | None,
            Field(description="A backend that edits photographs (default: the server's)."),
        ] = None,
        gate: Gate = None,
        include_image: Annotated[
            bool, Field(description="Send the re-lit image too (as an image).")
        ] = True,
    ) -> Annotated[CallToolResult, MadeOut]:
        """Re-light a photograph with a setup (given as a setup, a preset or words): the photo
        is captioned, its light replaced by the setup's, and made again by FIBO-Edit; the
        result is checked against the setup (with a gate, re-rolled below the bar). Reports
        progress while it runs."""
        user = self.face.user_of(ctx)
        photo = self.picture(image)
        request, translation = await self.light(setup, preset, words)

        def start(background: bool) -> Awaitable[GenerationResponse]:
            return self.service.relight_image(
                photo, request, user, backend=backend, seed=seed, background=background, gate=gate
            )

        made = await self.followed(ctx, start, backend, user)
        return await self.made(made, translation, user, include_image=include_image)

    async def get_generation(
        self,
        ctx: Context[Any, Any],
        generation_id: Annotated[str, Field(min_length=1, description="The generation's id.")],
        include_image: Annotated[
            bool, Field(description="Send its image too (as an image).")
        ] = True,
    ) -> Annotated[CallToolResult, MadeOut]:
        """A generation made before (yours only): its status, image, setup, analysis,
        adherence and, when it was gated, the gate's report."""
        user = self.face.user_of(ctx)
        found = await self.service.get_generation(generation_id, owner=user)
        return await self.made(found, None, user, include_image=include_image)

    # ------------------------------------------------------------------ helpers
    async def followed(
        self,
        ctx: Context[Any, Any],
        start: Callable[[bool], Awaitable[GenerationResponse]],
        backend: str | None,
        user: str | None,
    ) -> GenerationResponse:
        """The finished generation ``start`` makes: run within the call on the preview
        backend, in the background on the others — followed until it (and its gate) is done,
        its progress reported (attempts made of those the gate allows)."""
        background = self.service.runs_in_background(backend)
        record = await start(background)
        await _progress(ctx, record)
        while background and not _done(record):
            await asyncio.sleep(POLL_S)
            record = await self.service.get_generation(record.generation_id, owner=user)
            await _progress(ctx, record)
        if record.gate is not None and record.gate.best_id not in (None, record.generation_id):
            record = await self.service.get_generation(record.gate.best_id, owner=user)
        return record

    async def made(
        self,
        record: GenerationResponse,
        translation: Translation | None,
        user: str | None,
        *,
        include_image: bool,
    ) -> CallToolResult:
        """The answer for a generation: its record as the user is shown it, the account of the
        words when there were words, and its image when asked for and made."""
        out = MadeOut(generation=self.face.shown(record))
        if translation is not None:
            out.understood = list(translation.understood)
            out.ignored = list(translation.ignored)
            out.assumptions = list(translation.assumptions)
        data = out.model_dump(mode="json")
        content: list[ContentBlock] = [_json(data)]
        if include_image and record.image_key is not None:
            picture = await self.service.get_image(record.image_key, owner=user)
            content.append(
                ImageContent(
                    type="image",
                    data=base64.b64encode(picture).decode(),
                    mime_type=record.media_type or "image/png",
                )
            )
        return CallToolResult(content=content, structured_content=data)


def _done(record: GenerationResponse) -> bool:
    if record.gate is not None:
        return record.gate.outcome != "running"
    return record.status in _FINISHED


async def _progress(ctx: Context[Any, Any], record: GenerationResponse) -> None:
    """Tell the caller how far ``record`` has come: attempts made of those its gate allows, or
    one step for an ungated generation."""
    gate = record.gate
    if gate is not None:
        finished = sum(1 for attempt in gate.attempts if attempt.status in _FINISHED)
        best = "" if gate.best_id is None else f"; best so far {gate.best_id}"
        await ctx.report_progress(
            finished,
            gate.policy.max_attempts,
            f"{gate.outcome}: {finished} of at most {gate.policy.max_attempts} attempts{best}",
        )
        return
    finished = record.status in _FINISHED
    await ctx.report_progress(1 if finished else 0, 1, f"{record.status}")


def _tool(fn: Callable[..., Any], annotations: ToolAnnotations) -> Tool:
    """The SDK's tool of ``fn``, its output schema the one of what it gives: the serialisation
    schema (a validated light carries both of the pairs a request gives one at a time, and the
    validation schema says so)."""
    tool = Tool.from_function(fn, annotations=annotations)
    metadata = tool.fn_metadata
    if metadata.output_model is not None:
        metadata.output_schema = TypeAdapter(metadata.output_model).json_schema(
            mode="serialization"
        )
    return tool


def lightrig_tools(face: Face) -> list[Tool]:
    """Every tool, bound to ``face``."""
    tools = _Tools(face)
    reads: list[Callable[..., Any]] = [
        tools.list_presets,
        tools.get_preset,
        tools.analyze_setup,
        tools.translate_words,
        tools.fibo_prompt,
        tools.render_preview,
        tools.render_diagram,
        tools.verify_picture,
        tools.match_reference,
        tools.get_generation,
    ]
    return [_tool(tool, _READ_ONLY) for tool in reads] + [
        _tool(tool, _MAKES) for tool in (tools.generate, tools.relight_photo)
    ]
