"""``lightrig match``: the setup that reproduces a reference picture's light. The estimator
(NumPy, Pillow, numba) loads when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lightrig.cli.common import (
    BadInputError,
    EncodingOption,
    JsonOption,
    new_console,
    print_json,
    read_file,
    run_async,
)
from lightrig.verify.encoding import Encoding

if TYPE_CHECKING:
    from lightrig.models.analysis import LightingAnalysis
    from lightrig.models.scene import SceneRequest

__all__ = ["match"]


def match(
    image: Annotated[
        Path, typer.Argument(help="The reference picture: PNG, JPEG or any common format.")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="A folder for the matched setup (setup.json), its preview beside the picture "
            "(preview.png) and its diagram (diagram.svg).",
            show_default=False,
        ),
    ] = None,
    encoding: EncodingOption = Encoding.DISPLAY,
    as_json: JsonOption = False,
) -> None:
    """Match a picture's light: the setup that reproduces it, each part with its confidence."""
    from lightrig.analysis.analyzer import LightingAnalyzer  # noqa: PLC0415
    from lightrig.verify.checker import ImageVerifier  # noqa: PLC0415 - numba loads lazily
    from lightrig.verify.image import ImageDecodeError  # noqa: PLC0415
    from lightrig.verify.match import UnmatchableError, match_estimate  # noqa: PLC0415

    data = read_file(image, "an image")
    try:
        report = run_async(ImageVerifier().report(data, None, encoding=encoding))
        matched = match_estimate(report.estimate)
    except ImageDecodeError as exc:
        raise BadInputError(f"{image}: {exc}") from None
    except UnmatchableError as exc:
        raise BadInputError(f"{image}: {exc}") from None
    analysis = LightingAnalyzer().analyze(matched.request)
    written: dict[str, str] = {}
    if out is not None:
        written = _write(matched.request, analysis, data, out)
    if as_json:
        print_json(
            {
                "image": str(image),
                **matched.model_dump(mode="json", exclude={"estimate"}),
                "analysis": analysis.model_dump(mode="json"),
                "files": written,
            }
        )
        return
    console = new_console()
    console.print(f"matched: {analysis.summary}")
    for name, part in matched.parts.items():
        console.print(f"  {name.replace('_', ' ')}: {part.how} (confidence {part.confidence:.2f})")
    for note in matched.notes:
        console.print(f"  not read: {note}")
    for what, path in written.items():
        console.print(f"{what}: {path}")


def _write(
    request: SceneRequest, analysis: LightingAnalysis, picture: bytes, out: Path
) -> dict[str, str]:
    """The matched setup, its preview beside the picture and its diagram, written to ``out``."""
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    from lightrig.render.diagram import lighting_diagram  # noqa: PLC0415
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415

    try:
        out.mkdir(parents=True, exist_ok=True)
        setup = out / "setup.json"
        setup.write_text(request.model_dump_json(indent=2, exclude_none=True), encoding="utf-8")
        with Image.open(io.BytesIO(picture)) as photo:
            reference = photo.convert("RGB")
        side = 512
        reference.thumbnail((side, side))
        render = PreviewRenderer().render(request, side, supersample=2).srgb
        sheet = Image.new("RGB", (reference.width + side, max(reference.height, side)), "black")
        sheet.paste(reference, (0, 0))
        sheet.paste(Image.fromarray(render), (reference.width, 0))
        preview = out / "preview.png"
        sheet.save(preview)
        diagram = out / "diagram.svg"
        diagram.write_text(lighting_diagram(request, analysis), encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    return {"setup": str(setup), "preview": str(preview), "diagram": str(diagram)}
