"""A tour of lightrig's library, from a setup to a verified image.

    python examples/generate.py [--out renders]

Runs offline: the image backend is whatever ``LIGHTRIG_BACKEND`` says (the preview renderer by
default), records and images go under ``LIGHTRIG_DATA_DIR``, and the words are read by the
offline translator. Each step prints one or two lines; the pictures land in ``--out``.

The steps, in the order a program would use them:

1. a scene request built from models, in words and numbers (``SceneRequest``,
   ``LightSettings``, ``CameraSettings``), and one read from a JSON file;
2. the analyzer's reading of it (``LightingAnalyzer``) and a preset (``get_preset``);
3. FIBO's structured prompt: compiled (``compile_prompt``, ``prompt_json``), an existing
   caption re-lit (``refine_prompt``) and its lighting words read back (``parse_lighting``);
4. the preview picture and the lighting diagram (``lightrig.render``);
5. the light read back out of a picture, and scored against the request (``lightrig.verify``);
6. the service (``LightingGenerationService``): generate, re-light with the same seed,
   generate from words, a batch, and the health check;
7. a mistake, as the library reports it (``InvalidLightingSetupError``, a ``ValueError``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from lightrig import (
    CameraSettings,
    InvalidLightingSetupError,
    LightingAnalyzer,
    LightingGenerationService,
    LightSettings,
    LightType,
    SceneRequest,
    Settings,
    compile_prompt,
    get_preset,
    parse_lighting,
    parse_scene_request,
    prompt_json,
    refine_prompt,
)

HERE = Path(__file__).parent


def design(out: Path) -> SceneRequest:
    """Steps 1–5: the pure core and the pictures, no service needed."""
    # 1. a request from the models: directions in words or as numbers (degrees), intensity
    # 0–1 of full power, colour temperature in kelvin, distances in metres
    request = SceneRequest(
        subject_description="a violinist in her twenties, dark hair tied back",
        environment="a rehearsal room with a grey wall",
        lighting_setup={
            LightType.KEY: LightSettings(
                direction="45 degrees camera-right, 30 degrees above",
                intensity=0.8,
                color_temperature=5600,
                modifier="octabox",
                distance=1.6,
            ),
            LightType.FILL: LightSettings(
                azimuth=-30, elevation=0, intensity=0.35, softness=0.8, distance=2.0
            ),
            LightType.HAIR: LightSettings(
                direction="overhead", intensity=0.4, modifier="strip_box", distance=1.2
            ),
        },
        camera_settings=CameraSettings(shot_type="medium close-up", focal_length=85, aperture=2.8),
    )
    # ... or from JSON (a file, an API body): errors name every failing field
    from_file = parse_scene_request(json.loads((HERE / "my-setup.json").read_text("utf-8")))

    # 2. the analysis: ratio, pattern, colour, shadows, mood, a rating with its reasons
    analyzer = LightingAnalyzer()
    analysis = analyzer.analyze(request)
    print("analysis:", analysis.summary)
    print("  advice:", analysis.recommendations[0] if analysis.recommendations else "none")
    print("my-setup:", analyzer.analyze(from_file).summary)
    rembrandt = get_preset("rembrandt").request()
    print("preset rembrandt:", ", ".join(analyzer.analyze(rembrandt).pattern_names))

    # 3. FIBO's structured prompt: compiled, re-lit, read back
    prompt = compile_prompt(request)
    print(
        "prompt:",
        len(prompt_json(prompt)),
        "bytes of compact JSON;",
        prompt["lighting"]["direction"],
    )
    caption = json.loads((HERE / "caption.json").read_text("utf-8"))
    relit = refine_prompt(caption, get_preset("film-noir").request())
    print("re-lit caption's lighting:", relit["lighting"]["conditions"][:80], "...")
    parsed = parse_lighting(caption)
    print("caption read back:", ", ".join(parsed.understood))

    # 4. pictures: the preview render (PNG) and the top-down diagram (SVG)
    from lightrig.render.diagram import lighting_diagram  # noqa: PLC0415 - NumPy/numba on use
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415

    picture = PreviewRenderer().render(request, 256)
    (out / "violinist.png").write_bytes(picture.png())
    (out / "violinist.svg").write_text(lighting_diagram(request, analysis), encoding="utf-8")
    print("pictures:", out / "violinist.png", out / "violinist.svg")

    # 5. the light read back out of a picture, and scored against what was asked
    from lightrig.verify import estimate_lighting, verify_image  # noqa: PLC0415

    estimate = estimate_lighting(picture.png())
    side = estimate.key_side
    print("read back: key", side.side if side else "unread", "of the picture")
    report = verify_image((HERE / "shot.jpg").read_bytes(), from_file)
    assert report.adherence is not None
    print("examples/shot.jpg against my-setup.json:", report.adherence.verdict)
    return request


async def serve(request: SceneRequest, out: Path) -> None:
    """Step 6: the service, with settings from ``LIGHTRIG_*`` (environment or ``.env``)."""
    settings = Settings()
    print("backend:", settings.backend, "· data:", settings.data_dir)
    async with LightingGenerationService(settings) as service:
        first = await service.generate_from_lighting_setup(request, "me", seed=7)
        print("generated:", first.status.value, first.image_path, f"${first.cost_usd:.2f}")
        # same structured prompt but for the light, same seed: the same picture, re-lit
        relit = await service.refine_lighting(
            first, {"key": {"direction": "90 degrees camera-left", "intensity": 0.9}}, "me"
        )
        print("re-lit:", relit.image_path, "same seed:", relit.seed == first.seed)
        worded = await service.generate_from_natural_language(
            "soft butterfly light, a touch of warm fill from below", "me"
        )
        print("from words:", worded.analysis.summary if worded.analysis else worded.status)
        batch = await service.batch_generate(
            [get_preset(name).request() for name in ("loop", "split", "clamshell")], "me"
        )
        print("batch:", [item.status.value for item in batch])
        if first.image_path is not None:
            (out / "first.png").write_bytes(Path(first.image_path).read_bytes())
        health = await service.health_check()
        print("health:", health.status, {name: c.status for name, c in health.checks.items()})


def mistake() -> None:
    """Step 7: a bad value is an InvalidLightingSetupError (a ValueError) naming the field,
    what it got and what is accepted — from the models as from JSON."""
    try:
        LightSettings(direction="somewhere nice", intensity=0.8)
    except InvalidLightingSetupError as exc:
        print("refused:", str(exc).splitlines()[0][:100])
    try:
        parse_scene_request({"lighting_setup": {"key": {"direction": "front", "intensity": 2}}})
    except InvalidLightingSetupError as exc:
        print("refused:", str(exc).splitlines()[0][:100])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("renders"), help="folder for pictures")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    request = design(options.out)
    asyncio.run(serve(request, options.out))
    mistake()


if __name__ == "__main__":
    main()
