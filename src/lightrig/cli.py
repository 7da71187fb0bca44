"""The ``lightrig`` command line: a thin face over the library.

Every command that prints results takes ``--json``. Bad input — a missing file, invalid JSON, a
field out of range, an unknown preset or option — prints one line naming the problem to stderr
and exits with code 2; never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lightrig.cli_common import (
    BadInputError,
    JsonOption,
    new_console,
    print_json,
    result_json,
    settings_for,
)
from lightrig.cli_records import history_app, users_app
from lightrig.config import Settings
from lightrig.errors import (
    DuplicateUserError,
    InvalidLightingSetupError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
    StaleRecordError,
    TranslatorUnavailableError,
)
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.parse import parse_lighting
from lightrig.fibo.refine import refine_prompt
from lightrig.lighting.analyzer import LightingAnalyzer
from lightrig.lighting.presets import PRESETS, UnknownPresetError, get_preset
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.generation import GenerationResponse
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.service import HealthReport, LightingGenerationService
from lightrig.terminal import analysis_view, presets_view, prompt_view, verification_view
from lightrig.translate.base import Translation
from lightrig.verify.image import Encoding

__all__ = ["app", "main"]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1

app = typer.Typer(
    name="lightrig",
    help="Studio lighting control for AI image generation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(history_app, name="history")
app.add_typer(users_app, name="users")

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


def _read_file(path: Path, kind: str) -> bytes:
    """The bytes of ``path``; a missing or unreadable file is bad input (``kind``: what the
    file should have been, for the message)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{path}: is a directory, not {kind}") from None
    except OSError as exc:
        raise BadInputError(f"{path}: {exc.strerror or exc}") from None


def _read_json(path: Path) -> Any:
    try:
        text = _read_file(path, "a JSON file").decode("utf-8")
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


@app.command()
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
    new_console().print(presets_view(rows))


@app.command()
def analyze(
    setup: SetupArgument = None, preset: PresetOption = None, as_json: JsonOption = False
) -> None:
    """Analyse a setup as a photographer would: ratio, pattern, colour, shadows, mood, rating."""
    analysis = LightingAnalyzer().analyze(_request_from(setup, preset))
    if as_json:
        sys.stdout.write(analysis.model_dump_json(indent=2) + "\n")
        return
    new_console().print(analysis_view(analysis))


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
        new_console().print(prompt_view(result))
    else:
        print_json(result)


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
        print_json(
            {
                "lighting_setup": setup,
                "subject_yaw": parsed.subject_yaw,
                "understood": list(parsed.understood),
                "ignored": list(parsed.ignored),
            }
        )
        return
    console = new_console()
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
        print_json(
            {
                "png": str(png),
                "svg": str(svg),
                "size": size,
                "analysis": analysis.model_dump(mode="json"),
            }
        )
        return
    console = new_console()
    console.print(analysis.summary)
    console.print(f"preview: {png}")
    console.print(f"diagram: {svg}")


@app.command()
def verify(
    image: Annotated[
        Path, typer.Argument(help="The picture to check: PNG, JPEG or any common format.")
    ],
    setup: Annotated[
        Path | None,
        typer.Option(
            "--setup",
            "-s",
            help="The requested setup (a JSON scene request or lighting setup) to check against.",
            show_default=False,
        ),
    ] = None,
    preset: PresetOption = None,
    encoding: Annotated[
        Encoding,
        typer.Option(
            "--encoding",
            help="How the picture's values relate to the light: display (made for a screen), "
            "srgb (the plain sRGB curve) or linear (proportional to the light).",
            case_sensitive=False,
        ),
    ] = Encoding.DISPLAY,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            min=0.0,
            max=1.0,
            help="Exit with code 1 when the adherence is below this (0–1) or cannot be told.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read the light back out of a picture; with --setup or --preset, score how well it
    follows that light."""
    from lightrig.verify.checker import ImageVerifier  # noqa: PLC0415 - numba loads lazily
    from lightrig.verify.image import ImageDecodeError  # noqa: PLC0415

    request = None if setup is None and preset is None else _request_from(setup, preset)
    if fail_under is not None and request is None:
        raise BadInputError("--fail-under needs the requested light: --setup FILE or --preset")
    data = _read_file(image, "an image")
    try:
        report = asyncio.run(ImageVerifier().report(data, request, encoding=encoding))
    except ImageDecodeError as exc:
        raise BadInputError(f"{image}: {exc}") from None
    if as_json:
        print_json({"image": str(image), **report.model_dump(mode="json")})
    else:
        new_console().print(verification_view(report))
    if fail_under is not None:
        overall = None if report.adherence is None else report.adherence.overall
        if overall is None or overall < fail_under:
            raise typer.Exit(EXIT_FAILED)


BackendOption = Annotated[
    str | None,
    typer.Option(
        "--backend",
        "-b",
        help="Image backend: preview, bria, fal or diffusers (default: LIGHTRIG_BACKEND).",
        show_default=False,
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=2**31 - 1, help="Generation seed (random when not given)."),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Also copy each image into this folder.", show_default=False),
]


TranslatorOption = Annotated[
    str | None,
    typer.Option(
        "--translator",
        "-t",
        help="Words to light: rules, gemini or openai (default: LIGHTRIG_TRANSLATOR).",
        show_default=False,
    ),
]


async def _copy_out(
    service: LightingGenerationService, result: GenerationResponse, out: Path
) -> Path | None:
    if result.image_key is None:
        return None
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{result.generation_id}.{result.image_key.rsplit('.', 1)[-1]}"
        target.write_bytes(await service.storage.get(result.image_key))
    except OSError as exc:
        raise BadInputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    return target


@app.command()
def generate(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    describe: Annotated[
        str | None,
        typer.Option(
            "--describe", "-d", help="Describe the light in words instead.", show_default=False
        ),
    ] = None,
    backend: BackendOption = None,
    translator: TranslatorOption = None,
    seed: SeedOption = None,
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Generate one image of a setup (a file, a preset or a description) on an image backend."""
    settings = settings_for(backend, translator)

    async def run() -> tuple[GenerationResponse, Path | None, Translation | None]:
        async with LightingGenerationService(settings) as service:
            translation = None
            if describe is not None:
                if setup is not None or preset is not None:
                    raise BadInputError("give a setup file, --preset or --describe, not several")
                translation = await service.translate(describe)
                request = translation.request
            else:
                request = _request_from(setup, preset)
            result = await service.generate_from_lighting_setup(request, seed=seed)
            return result, await _copy_out(service, result, out) if out else None, translation

    result, file, translation = asyncio.run(run())
    if as_json:
        data = result_json(result, file)
        if translation is not None:
            data["understood"] = list(translation.understood)
            data["ignored"] = list(translation.ignored)
        print_json(data)
        return
    console = new_console()
    if translation is not None:
        console.print(f"understood: {', '.join(translation.understood) or '—'}")
        console.print(f"ignored: {', '.join(translation.ignored) or '—'}")
    if result.analysis is not None:
        console.print(result.analysis.summary)
    console.print(
        f"{result.backend} · seed {result.seed} · ${result.cost_usd or 0:.2f} · "
        f"{result.duration_s or 0:.1f} s{' · from cache' if result.cached else ''}"
    )
    console.print(f"image: {file or result.image_path or result.image_url}")


def _translation_json(translation: Translation, analysis: LightingAnalysis) -> dict[str, Any]:
    return {
        "translator": translation.translator,
        "understood": list(translation.understood),
        "ignored": list(translation.ignored),
        "pattern_names": analysis.pattern_names,
        "ratio": round(analysis.ratio.ratio, 2),
        "summary": analysis.summary,
        "request": translation.request.model_dump(mode="json"),
    }


@app.command("translate")
def translate_command(
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
    """Turn a description in words into a lighting setup; show what was understood and ignored."""
    settings = settings_for(None, translator)
    scene = _request_from(base, None) if base is not None else None

    async def run() -> Translation:
        async with LightingGenerationService(settings) as service:
            return await service.translate(text, base=scene)

    translation = asyncio.run(run())
    analysis = LightingAnalyzer().analyze(translation.request)
    if as_json:
        print_json(_translation_json(translation, analysis))
        return
    console = new_console()
    console.print(f"[bold]{translation.translator}[/bold] translator")
    console.print(f"understood: {', '.join(translation.understood) or '—'}")
    console.print(f"ignored: {', '.join(translation.ignored) or '—'}")
    console.print(analysis_view(analysis))


def _read_batch(path: Path) -> list[SceneRequest]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read it ({exc})") from None
    requests: list[SceneRequest] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
        try:
            requests.append(parse_scene_request(data))
        except InvalidLightingSetupError as exc:
            raise BadInputError(f"{path}:{number}: {exc}") from None
    if not requests:
        raise BadInputError(f"{path}: no requests in it (one JSON scene request per line)")
    return requests


@app.command()
def batch(
    file: Annotated[Path, typer.Argument(help="A JSONL file: one scene request per line.")],
    backend: BackendOption = None,
    seed: SeedOption = None,
    out: OutOption = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, max=256, help="Generations in flight at once."),
    ] = None,
    as_json: JsonOption = False,
) -> int:
    """Generate every request of a JSONL file, within the backend's rate limit; report failures."""
    requests = _read_batch(file)
    settings = settings_for(backend)
    console = new_console()

    async def run() -> list[tuple[GenerationResponse, Path | None]]:
        async with LightingGenerationService(settings) as service:
            with Progress(
                TextColumn("[bold]generating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                disable=as_json,
            ) as progress:
                task = progress.add_task("batch", total=len(requests))
                results = await service.batch_generate(
                    requests,
                    seed=seed,
                    concurrency=concurrency,
                    on_progress=lambda done, total, _: progress.update(task, completed=done),
                )
            files = [await _copy_out(service, r, out) if out else None for r in results]
            return list(zip(results, files, strict=True))

    outcome = asyncio.run(run())
    failures = [(i, r) for i, (r, _) in enumerate(outcome, start=1) if r.error is not None]
    if as_json:
        print_json([result_json(result, path) for result, path in outcome])
    else:
        console.print(f"{len(outcome) - len(failures)} of {len(outcome)} generated")
        for index, result in failures:
            console.print(f"  line {index}: {result.error}", style="red")
        for result, path in outcome:
            if result.error is None:
                console.print(f"  {path or result.image_path or result.image_url}")
    return EXIT_FAILED if failures else 0


@app.command()
def health(
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> int:
    """Probe every dependency for real: the image backend, storage, translator and cache."""
    settings = settings_for(backend)

    async def run() -> HealthReport:
        async with LightingGenerationService(settings) as service:
            return await service.health_check()

    report = asyncio.run(run())
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        table = Table(title=f"lightrig health: {report.status}", title_justify="left")
        for header in ("dependency", "status", "latency", "detail"):
            table.add_column(header)
        for name, check in report.checks.items():
            table.add_row(name, check.status, f"{check.latency_ms:.0f} ms", check.detail)
        new_console().print(table)
    return 0 if report.status != "unhealthy" else EXIT_FAILED


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Run the REST API (OpenAPI at /docs) and the studio page.

    Without any user made (`lightrig users create NAME`), requests need no API key — and the
    server then only listens on a loopback address.
    """
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from lightrig.api.app import create_app, is_loopback  # noqa: PLC0415
    from lightrig.api.logs import configure_logging  # noqa: PLC0415
    from lightrig.db.factory import create_store  # noqa: PLC0415

    settings = Settings()

    async def any_user() -> bool:
        store = create_store(settings)
        try:
            await store.migrate()
            return any(user.active for user in await store.list_users())
        finally:
            await store.aclose()

    keyed = asyncio.run(any_user())
    if not keyed and not is_loopback(host):
        raise BadInputError(
            f"refusing to serve on {host} without API keys: anyone could use it; make a user "
            "with `lightrig users create NAME` first, or serve on 127.0.0.1"
        )
    configure_logging(settings.log_level)
    application = create_app(settings, allow_anonymous=not keyed)
    shown = f"[{host}]" if ":" in host else host
    new_console().print(
        f"lightrig API on http://{shown}:{port}/ (docs /docs)"
        + ("" if keyed else " — no users yet: open to this machine only")
    )
    uvicorn.run(application, host=host, port=port, log_config=None, access_log=False)


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Jobs run at once (default LIGHTRIG_JOB_CONCURRENCY)."),
    ] = None,
) -> None:
    """Run generation jobs from the distributed queue (LIGHTRIG_QUEUE_URL) until stopped.

    Start any number, on any machines sharing the database (LIGHTRIG_DATABASE_URL), the image
    storage (LIGHTRIG_STORAGE_URL), Redis (LIGHTRIG_REDIS_URL) and the queue. Each claims a job
    in the database before running it, renews its lease while it runs, and takes up the jobs
    of workers that died. SIGTERM or Ctrl-C: stop taking jobs, finish those running, exit.
    """
    import signal  # noqa: PLC0415

    from lightrig.api.logs import configure_logging  # noqa: PLC0415

    settings = Settings()
    if not settings.queue_url:
        raise BadInputError(
            "LIGHTRIG_QUEUE_URL: a worker takes jobs from the distributed queue; set it to "
            "redis://host:port/db (the same on the API processes)"
        )
    if concurrency is not None:
        settings = settings.model_copy(update={"job_concurrency": concurrency})
    configure_logging(settings.log_level)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with LightingGenerationService(settings) as service:
            typer.echo(
                f"lightrig worker {service.runner.worker} taking jobs from "
                f"{settings.queue_name}, {settings.job_concurrency} at once"
            )
            sys.stdout.flush()
            await service.work(stop)

    asyncio.run(main())


@app.command("mock-bria")
def mock_bria(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8765,
    token: Annotated[str, typer.Option(help="The API token it accepts.")] = "test-token",
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds a job takes.")] = 0.25,
    rpm: Annotated[int, typer.Option(min=1, help="Requests per minute per endpoint.")] = 600,
    window: Annotated[
        float, typer.Option(min=0.1, help="Seconds the limit is enforced over (60: per minute).")
    ] = 60.0,
) -> None:
    """Run a local mock of Bria's API v2 for demos (point LIGHTRIG_BRIA_BASE_URL at it)."""
    from lightrig.testing.mock_bria import run_mock_bria  # noqa: PLC0415 - test tooling

    run_mock_bria(
        host=host,
        port=port,
        token=token,
        latency_s=latency,
        requests_per_minute=rpm,
        rate_window_s=window,
    )


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
    console = new_console()
    console.rule(f"lightrig · preset '{get_preset(preset).title}'")
    console.print(get_preset(preset).description)
    console.print(analysis_view(LightingAnalyzer().analyze(request)))
    console.print(prompt_view(compile_prompt(request)))
    png, svg, _ = _write_pictures(request, get_preset(preset).name, out, size=512, supersample=2)
    console.print(f"preview: {png}\ndiagram: {svg}")
    console.print(
        "Try: lightrig presets · lightrig render --preset loop · lightrig prompt --preset butterfly"
    )


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    sys.stderr.write(f"lightrig: error: {' '.join(message.split())}\n")
    sys.exit(code)


def _settings_problem(exc: ValidationError) -> str:
    first = exc.errors(include_url=False)[0]
    name = ".".join(str(part) for part in first.get("loc", ()))
    return f"setting LIGHTRIG_{name.upper()}: {first.get('msg', 'invalid')}"


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app. Bad input (usage, files, fields, settings, words without light)
    prints one line and exits with code 2; a failed generation or translator service prints one
    line and exits with code 1."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        result = app(args=args or ["--help"], prog_name="lightrig", standalone_mode=False)
    except typer.TyperException as exc:  # usage errors: unknown option, bad value, missing file
        _fail(exc.format_message())
    except TranslatorUnavailableError as exc:  # the translator's model failed, not the words
        _fail(str(exc), code=EXIT_FAILED)
    except (
        BadInputError,
        InvalidLightingSetupError,
        NaturalLanguageTranslationError,
        RecordNotFoundError,
        DuplicateUserError,
        StaleRecordError,
    ) as exc:
        _fail(str(exc))
    except ValidationError as exc:  # the settings read from the environment
        _fail(_settings_problem(exc))
    except LightingGenerationError as exc:  # the image host failed: not the user's input
        _fail(str(exc), code=EXIT_FAILED)
    except typer.Abort:
        sys.stderr.write("lightrig: aborted\n")
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)
