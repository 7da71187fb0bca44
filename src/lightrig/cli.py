"""The ``lightrig`` command line: a thin face over the library.

Every command that prints results takes ``--json``. Bad input — a missing file, invalid JSON, a
field out of range, an unknown preset or option — prints one line naming the problem to stderr
and exits with code 2; never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from lightrig.errors import InvalidLightingSetupError, LightingGenerationError
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.lighting.analyzer import LightingAnalyzer
from lightrig.lighting.presets import PRESETS, UnknownPresetError, get_preset
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.terminal import analysis_view, presets_view, prompt_view

__all__ = ["app", "main"]

EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="lightrig",
    help="Studio lighting control for AI image generation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SetupArgument = Annotated[
    Path | None,
    typer.Argument(
        help="A JSON file: a scene request, or just a lighting setup keyed by role.",
        show_default=False,
    ),
]
PresetOption = Annotated[
    str | None,
    typer.Option(
        "--preset", "-p", help="A preset name (see `lightrig presets`).", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class BadInputError(Exception):
    """Input the user must fix; its message is the one line the CLI prints."""


def _out() -> Console:
    return Console(soft_wrap=False)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: is a directory, not a JSON file") from None
    except OSError as exc:
        raise BadInputError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def _request_from(setup: Path | None, preset: str | None) -> SceneRequest:
    if setup is not None and preset is not None:
        raise BadInputError("give a setup file or --preset NAME, not both")
    if preset is not None:
        try:
            return get_preset(preset).request()
        except UnknownPresetError as exc:
            raise BadInputError(str(exc)) from None
    if setup is None:
        raise BadInputError("give a setup file or --preset NAME (see `lightrig presets`)")
    data = _read_json(setup)
    roles = {role.value for role in LightType}
    if isinstance(data, dict) and data and "lighting_setup" not in data and set(data) <= roles:
        data = {"lighting_setup": data}
    try:
        return parse_scene_request(data)
    except InvalidLightingSetupError as exc:
        raise BadInputError(f"{setup}: {exc}") from None


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@app.command()
def presets(as_json: JsonOption = False) -> None:
    """List the built-in lighting presets and what the analyzer finds in each."""
    analyzer = LightingAnalyzer()
    rows = [(preset, analyzer.analyze(preset.request())) for preset in PRESETS.values()]
    if as_json:
        _print_json(
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
    _out().print(presets_view(rows))


@app.command()
def analyze(
    setup: SetupArgument = None, preset: PresetOption = None, as_json: JsonOption = False
) -> None:
    """Analyse a setup as a photographer would: ratio, pattern, colour, shadows, mood, rating."""
    analysis = LightingAnalyzer().analyze(_request_from(setup, preset))
    if as_json:
        sys.stdout.write(analysis.model_dump_json(indent=2) + "\n")
        return
    _out().print(analysis_view(analysis))


@app.command()
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
    request = _request_from(setup, preset)
    if refine is not None:
        caption = _read_json(refine)
        try:
            result = refine_prompt(caption, request)
        except InvalidLightingSetupError as exc:
            raise BadInputError(f"{refine}: {exc}") from None
    else:
        result = compile_prompt(request)
    if as_json:
        sys.stdout.write(prompt_json(result) + "\n")
    elif sys.stdout.isatty():
        _out().print(prompt_view(result))
    else:
        _print_json(result)


@app.command()
def parse(
    caption: Annotated[Path, typer.Argument(help="A structured prompt (JSON file).")],
    as_json: JsonOption = False,
) -> None:
    """Read an approximate lighting setup back out of a structured prompt's lighting text."""
    data = _read_json(caption)
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
        _print_json(
            {
                "lighting_setup": setup,
                "subject_yaw": parsed.subject_yaw,
                "understood": list(parsed.understood),
                "ignored": list(parsed.ignored),
            }
        )
        return
    console = _out()
    console.print(analysis_view(LightingAnalyzer().analyze(parsed.request())))
    console.print(f"understood: {', '.join(parsed.understood) or '—'}")
    console.print(f"ignored: {', '.join(parsed.ignored) or '—'}")


def _request_and_name(setup: Path | None, preset: str | None) -> tuple[SceneRequest, str]:
    request = _request_from(setup, preset)
    if preset is not None:
        return request, get_preset(preset).name
    return request, setup.stem if setup is not None else "setup"


def _write_pictures(
    request: SceneRequest, name: str, out: Path, *, size: int, supersample: int
) -> tuple[Path, Path, LightingAnalysis]:
    from lightrig.render.diagram import lighting_diagram  # noqa: PLC0415 - numba loads lazily
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415

    analysis = LightingAnalyzer().analyze(request)
    try:
        out.mkdir(parents=True, exist_ok=True)
        png = out / f"{name}.png"
        svg = out / f"{name}.svg"
        png.write_bytes(PreviewRenderer().render(request, size, supersample=supersample).png())
        svg.write_text(lighting_diagram(request, analysis), encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    return png, svg, analysis


@app.command()
def render(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    size: Annotated[
        int, typer.Option("--size", min=64, max=2048, help="Picture side in pixels, 64–2048.")
    ] = 512,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the PNG preview and the SVG diagram.")
    ] = Path(),
    supersample: Annotated[
        int,
        typer.Option(
            "--supersample", min=1, max=4, help="Samples per pixel side (smoother edges)."
        ),
    ] = 2,
    as_json: JsonOption = False,
) -> None:
    """Render the lit bust (PNG) and the lighting diagram (SVG) of a setup."""
    request, name = _request_and_name(setup, preset)
    png, svg, analysis = _write_pictures(request, name, out, size=size, supersample=supersample)
    if as_json:
        _print_json(
            {
                "png": str(png),
                "svg": str(svg),
                "size": size,
                "analysis": analysis.model_dump(mode="json"),
            }
        )
        return
    console = _out()
    console.print(analysis.summary)
    console.print(f"preview: {png}")
    console.print(f"diagram: {svg}")


@app.command()
def demo(
    preset: Annotated[
        str, typer.Option("--preset", "-p", help="The preset to show.")
    ] = "rembrandt",
    out: Annotated[Path, typer.Option("--out", help="Folder for the preview and diagram.")] = Path(
        "out"
    ),
) -> None:
    """Show what lightrig does: a preset's analysis, FIBO prompt, preview and diagram."""
    request = _request_from(None, preset)
    console = _out()
    console.rule(f"lightrig · preset '{get_preset(preset).title}'")
    console.print(get_preset(preset).description)
    console.print(analysis_view(LightingAnalyzer().analyze(request)))
    console.print(prompt_view(compile_prompt(request)))
    png, svg, _ = _write_pictures(request, get_preset(preset).name, out, size=512, supersample=2)
    console.print(f"preview: {png}\ndiagram: {svg}")
    console.print(
        "Try: lightrig presets · lightrig render --preset loop · lightrig prompt --preset butterfly"
    )


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"lightrig: error: {' '.join(message.split())}\n")
    sys.exit(EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning every input problem into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        result = app(args=args or ["--help"], prog_name="lightrig", standalone_mode=False)
    except typer.TyperException as exc:  # usage errors: unknown option, bad value, missing file
        _fail(exc.format_message())
    except (BadInputError, LightingGenerationError) as exc:
        _fail(str(exc))
    except typer.Abort:
        sys.stderr.write("lightrig: aborted\n")
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
