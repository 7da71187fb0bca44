"""Designing light: ``presets``, ``analyze``, ``prompt``, ``parse`` and ``translate`` — the
commands that need only the lighting core (and, for ``translate``, a translator), no images, no
records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    PresetOption,
    SetupArgument,
    TranslatorOption,
    new_console,
    print_json,
    read_json,
    request_from,
    run_async,
    settings_for,
)
from lightrig.errors import InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.presets import PRESETS

if TYPE_CHECKING:
    from lightrig.models.analysis import LightingAnalysis
    from lightrig.translate.base import Translation

__all__ = ["analyze", "parse", "presets", "prompt", "translate"]


def presets(as_json: JsonOption = False) -> None:
    """List the built-in lighting presets and what the analyzer finds in each."""
    analyzer = LightingAnalyzer()
    rows = [(preset, analyzer.analyze(preset.request())) for preset in PRESETS.values()]
    if as_json:
        print_json(
            [
                {
                    "name": preset.name,
                    "title": preset.title,
                    "description": preset.description,
                    "pattern": preset.expected,
                    "pattern_names": analysis.pattern_names,
                    "rating": analysis.rating,
                    "request": preset.request().model_dump(mode="json"),
                }
                for preset, analysis in rows
            ]
        )
        return
    from lightrig.cli.views import presets_view  # noqa: PLC0415 - Rich, for people only

    new_console().print(presets_view(rows))


def analyze(
    setup: SetupArgument = None, preset: PresetOption = None, as_json: JsonOption = False
) -> None:
    """Analyse a setup as a photographer would: ratio, pattern, colour, shadows, mood, rating."""
    analysis = LightingAnalyzer().analyze(request_from(setup, preset))
    if as_json:
        sys.stdout.write(analysis.model_dump_json(indent=2) + "\n")
        return
    from lightrig.cli.views import analysis_view  # noqa: PLC0415 - Rich, for people only

    new_console().print(analysis_view(analysis))


def prompt(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    refine: Annotated[
        Path | None,
        typer.Option(
            "--refine",
            help="Re-light this structured prompt (a JSON file) instead of writing a new one.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the exact compact JSON that FIBO is sent.")
    ] = False,
) -> None:
    """Print the FIBO structured prompt of a setup (indented; --json for the exact bytes)."""
    request = request_from(setup, preset)
    if refine is not None:
        caption = read_json(refine)
        try:
            result = refine_prompt(caption, request)
        except InvalidLightingSetupError as exc:
            raise BadInputError(f"{refine}: {exc}") from None
    else:
        result = compile_prompt(request)
    if as_json:
        sys.stdout.write(prompt_json(result) + "\n")
    elif sys.stdout.isatty():
        from lightrig.cli.views import prompt_view  # noqa: PLC0415 - Rich, for people only

        new_console().print(prompt_view(result))
    else:
        print_json(result)


def parse(
    caption: Annotated[Path, typer.Argument(help="A structured prompt (JSON file).")],
    as_json: JsonOption = False,
) -> None:
    """Read an approximate lighting setup back out of a structured prompt's lighting text."""
    data = read_json(caption)
    if not isinstance(data, dict):
        raise BadInputError(f"{caption}: a structured prompt is a JSON object")
    try:
        parsed = parse_lighting(data)
    except InvalidLightingSetupError as exc:
        raise BadInputError(f"{caption}: {exc}") from None
    setup = {
        role.value: light.model_dump(mode="json", exclude_none=True)
        for role, light in parsed.lighting_setup.items()
    }
    if as_json:
        print_json(
            {
                "lighting_setup": setup,
                "subject_yaw": parsed.subject_yaw,
                "understood": list(parsed.understood),
                "ignored": list(parsed.ignored),
            }
        )
        return
    from lightrig.cli.views import analysis_view  # noqa: PLC0415 - Rich, for people only

    console = new_console()
    console.print(analysis_view(LightingAnalyzer().analyze(parsed.request())))
    console.print(f"understood: {', '.join(parsed.understood) or '—'}")
    console.print(f"ignored: {', '.join(parsed.ignored) or '—'}")


def _translation_json(translation: Translation, analysis: LightingAnalysis) -> dict[str, Any]:
    return {
        "translator": translation.translator,
        "understood": list(translation.understood),
        "ignored": list(translation.ignored),
        "assumptions": list(translation.assumptions),
        "warnings": analysis.warnings,
        "pattern_names": analysis.pattern_names,
        "ratio": round(analysis.ratio.ratio, 2),
        "summary": analysis.summary,
        "request": translation.request.model_dump(mode="json"),
    }


def translate(
    text: Annotated[
        str, typer.Argument(help="The light in words, e.g. 'moody Rembrandt, warm key'.")
    ],
    base: Annotated[
        Path | None,
        typer.Option(
            "--base",
            help="A scene request JSON file whose subject, environment and camera are kept.",
            show_default=False,
        ),
    ] = None,
    translator: TranslatorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Turn a description in words into a lighting setup; show what was understood, what was
    ignored and what was assumed (the subject, setting and lights the words do not give)."""
    from lightrig.extras import needs_extra  # noqa: PLC0415 - by need
    from lightrig.translate.factory import create_translator  # noqa: PLC0415

    settings = settings_for(None, translator)
    scene = request_from(base, None) if base is not None else None

    async def run() -> Translation:
        with needs_extra(f"the {settings.translator} translator", "llm"):
            engine = create_translator(settings)
        try:
            return await engine.translate(text, base=scene)
        finally:
            await engine.aclose()

    translation = run_async(run())
    analysis = LightingAnalyzer().analyze(translation.request)
    if as_json:
        print_json(_translation_json(translation, analysis))
        return
    from lightrig.cli.views import analysis_view  # noqa: PLC0415 - Rich, for people only

    console = new_console()
    console.print(f"[bold]{translation.translator}[/bold] translator")
    console.print(f"understood: {', '.join(translation.understood) or '—'}")
    console.print(f"ignored: {', '.join(translation.ignored) or '—'}")
    console.print(f"assumed: {'; '.join(translation.assumptions) or '—'}")
    console.print(analysis_view(analysis))
