"""Pictures of a setup: ``render`` (the lit bust and the lighting diagram) and ``demo`` (the tour
of one preset). The renderer and its compiled kernels load when a command runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    PresetOption,
    SetupArgument,
    new_console,
    print_json,
    request_from,
)
from lightrig.fibo.compile import compile_prompt
from lightrig.presets import get_preset

if TYPE_CHECKING:
    from lightrig.models.analysis import LightingAnalysis
    from lightrig.models.scene import SceneRequest

__all__ = ["demo", "render"]


def _request_and_name(setup: Path | None, preset: str | None) -> tuple[SceneRequest, str]:
    request = request_from(setup, preset)
    if preset is not None:
        return request, get_preset(preset).name
    return request, setup.stem if setup is not None else "setup"


@dataclass(frozen=True)
class _Written:
    """What :func:`_write_pictures` wrote and read: the files, the analysis, the render's
    exposure (stops) and, when the probes were asked for, their ratio on the render (stops;
    ``None`` when too little skin faces them)."""

    png: Path
    svg: Path
    analysis: LightingAnalysis
    exposure_stops: float
    probe_stops: float | None = None


def _write_pictures(
    request: SceneRequest,
    name: str,
    out: Path,
    *,
    size: int,
    supersample: int,
    probes: bool = False,
) -> _Written:
    from lightrig.render.diagram import lighting_diagram  # noqa: PLC0415 - numba loads lazily
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415
    from lightrig.render.probes import mark_probes, read_probes  # noqa: PLC0415

    analysis = LightingAnalyzer().analyze(request)
    renderer = PreviewRenderer()
    picture = renderer.render(request, size, supersample=supersample)
    reading = read_probes(picture, request.rig(), renderer) if probes else None
    try:
        out.mkdir(parents=True, exist_ok=True)
        png = out / f"{name}.png"
        svg = out / f"{name}.svg"
        png.write_bytes(picture.png(None if reading is None else mark_probes(picture, reading)))
        svg.write_text(lighting_diagram(request, analysis), encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    stops = None if reading is None else reading.stops
    return _Written(png, svg, analysis, picture.exposure_stops, stops)


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
    probes: Annotated[
        bool,
        typer.Option(
            "--probes",
            help="Outline the analyzer's lit (yellow) and shadow (cyan) probes on the picture "
            "and read their ratio on it.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Render the lit bust (PNG) and the lighting diagram (SVG) of a setup."""
    request, name = _request_and_name(setup, preset)
    written = _write_pictures(request, name, out, size=size, supersample=supersample, probes=probes)
    analysis = written.analysis
    if as_json:
        found: dict[str, object] = {
            "png": str(written.png),
            "svg": str(written.svg),
            "size": size,
            "exposure_stops": round(written.exposure_stops, 2),
            "analysis": analysis.model_dump(mode="json"),
        }
        if probes:
            found["probe_ratio_stops"] = (
                None if written.probe_stops is None else round(written.probe_stops, 2)
            )
        print_json(found)
        return
    console = new_console()
    console.print(analysis.summary)
    console.print(f"preview: {written.png} (exposure {written.exposure_stops:+.1f} stops)")
    if probes:
        console.print(
            "probes: too little skin faces them on this render"
            if written.probe_stops is None
            else f"probes: {written.probe_stops:.1f} stops apart on the render; the analysis "
            f"says {analysis.ratio.stops:.1f}"
        )
    console.print(f"diagram: {written.svg}")


def demo(
    preset: Annotated[
        str, typer.Option("--preset", "-p", help="The preset to show.")
    ] = "rembrandt",
    out: Annotated[Path, typer.Option("--out", help="Folder for the preview and diagram.")] = Path(
        "out"
    ),
) -> None:
    """Show what lightrig does: a preset's analysis, FIBO prompt, preview and diagram."""
    from lightrig.cli.views import analysis_view, prompt_view  # noqa: PLC0415 - Rich

    request = request_from(None, preset)
    console = new_console()
    title = f"lightrig · preset '{get_preset(preset).title}'"
    if console.is_terminal:
        console.rule(title)
    else:  # a rule would be as wide as the unwrapped output
        console.print(title, style="bold")
    console.print(get_preset(preset).description)
    console.print(analysis_view(LightingAnalyzer().analyze(request)))
    console.print(prompt_view(compile_prompt(request)))
    written = _write_pictures(request, get_preset(preset).name, out, size=512, supersample=2)
    console.print(f"preview: {written.png}\ndiagram: {written.svg}")
    console.print(
        "Try: lightrig presets · lightrig render --preset loop · lightrig prompt --preset butterfly"
    )
