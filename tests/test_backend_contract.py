"""The contract every image backend keeps, checked against each: the preview renderer, Bria and
fal.ai (their mock hosts, over real HTTP) and diffusers (a tiny random ``BriaFiboPipeline``
built in the test). The hosted backends' own half of the contract — submit, poll, collect,
resume, charged once — is ``test_hosted_contract.py``.

Also the backend registry: one ``{name: lazy factory}`` map, held to the settings' names.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pydantic import SecretStr

from lightrig.backends.base import (
    ASPECT_RATIOS,
    BackendImage,
    GenerationParams,
    ImageBackend,
)
from lightrig.backends.diffusers_backend import DiffusersBackend
from lightrig.backends.diffusers_placement import image_size
from lightrig.backends.factory import BACKEND_FACTORIES, create_backend
from lightrig.backends.preview import PreviewBackend
from lightrig.config import BACKENDS, Settings
from lightrig.errors import InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewImage, PreviewRenderer
from tests.hosts import mock_host, run_on
from tests.test_diffusers_backend import build_tiny_fibo

REQUEST = PRESETS["rembrandt"].request()
PROMPT = compile_prompt(REQUEST)


class _BrokenRenderer(PreviewRenderer):
    """A renderer that cannot draw (a machine where the kernels fail to load, say)."""

    def render(self, request: SceneRequest, size: int, **options: Any) -> PreviewImage:
        raise RuntimeError("the render kernels failed to load")


@dataclass
class Subject:
    """One implementation under the contract.

    ``make``: a working backend; ``broken``: one whose health must be unhealthy;
    ``made_size``: the (width, height) it makes for given parameters; ``work``: how much work
    it has been handed so far (host submissions, a pipeline load), or ``None`` when it keeps
    no count.
    """

    name: str
    make: Callable[[], ImageBackend]
    broken: Callable[[], ImageBackend]
    made_size: Callable[[GenerationParams], tuple[int, int]]
    work: Callable[[ImageBackend], int] | None


@pytest.fixture(scope="module")
def tiny_fibo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_fibo(tmp_path_factory.mktemp("fibo") / "tiny-fibo")


def _diffusers_settings(model: Path) -> Settings:
    return Settings(diffusers_model=str(model), diffusers_device="cpu", diffusers_dtype="float32")


@pytest.fixture(params=["preview", "bria", "fal", "diffusers"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Subject]:
    name: str = request.param
    if name == "preview":
        yield Subject(
            name,
            make=PreviewBackend,
            broken=lambda: PreviewBackend(_BrokenRenderer()),
            made_size=lambda params: (params.size, params.size),
            work=None,
        )
    elif name == "diffusers":
        model: Path = request.getfixturevalue("tiny_fibo")
        yield Subject(
            name,
            make=lambda: DiffusersBackend(_diffusers_settings(model)),
            broken=lambda: DiffusersBackend(_diffusers_settings(tmp_path / "no-such-fibo")),
            made_size=lambda params: image_size(params.aspect_ratio, params.size),
            work=lambda backend: int(isinstance(backend, DiffusersBackend) and backend.loaded),
        )
    else:
        with mock_host(name, image_size=40) as host:
            credential = {"bria_api_token" if name == "bria" else "fal_key": SecretStr("wrong")}
            yield Subject(
                name,
                make=host.backend,
                broken=lambda: host.backend(**credential),
                made_size=lambda params: (40, 40),  # the host decides: the mock's side
                work=lambda backend: host.server.requests_by_endpoint[host.submit],
            )


def params(**values: Any) -> GenerationParams:
    chosen: dict[str, Any] = {"seed": 1234, "steps": 2, "size": 64}
    chosen.update(values)
    return GenerationParams(**chosen)


def test_is_an_image_backend_under_its_registry_name(subject: Subject) -> None:
    backend = subject.make()
    assert isinstance(backend, ImageBackend)
    assert backend.name == subject.name
    assert subject.name in BACKENDS


def test_generate_returns_the_image_asked_for_and_its_seed(subject: Subject) -> None:
    asked = params(seed=4321)
    made: BackendImage = run_on(subject.make(), lambda b: b.generate(PROMPT, REQUEST, asked))
    with Image.open(io.BytesIO(made.data)) as picture:
        picture.load()
        assert picture.size == (made.width, made.height)
        assert made.media_type == f"image/{picture.format.lower()}"
        lo, hi = picture.convert("L").getextrema()
    assert (made.width, made.height) == subject.made_size(asked)
    assert made.seed == 4321
    assert hi > lo  # a picture, not a flat fill
    assert made.possible_duplicates == 0


@pytest.mark.parametrize(
    ("prompt", "asked", "field", "got"),
    [
        (PROMPT, params(aspect_ratio="7:5"), "aspect_ratio", "'7:5'"),
        (PROMPT, params(size=8), "size", "got 8"),
        (PROMPT, params(seed=-3), "seed", "got -3"),
        ({"short_description": "a cat"}, params(), "structured_prompt.lighting", "required"),
    ],
)
def test_bad_input_is_refused_with_one_line_before_any_work(
    subject: Subject, prompt: dict[str, Any], asked: GenerationParams, field: str, got: str
) -> None:
    backend = subject.make()
    with pytest.raises(InvalidLightingSetupError) as caught:
        run_on(backend, lambda b: b.generate(prompt, REQUEST, asked))
    message = str(caught.value)
    assert "\n" not in message
    assert field in message
    assert got in message
    if field == "aspect_ratio":
        assert ", ".join(ASPECT_RATIOS) in message  # what is accepted
    assert isinstance(caught.value, ValueError)
    if subject.work is not None:
        assert subject.work(backend) == 0  # nothing sent, nothing loaded


def test_health_is_reported_for_real(subject: Subject) -> None:
    good = run_on(subject.make(), lambda b: b.health())
    assert good.status == "healthy", good.detail
    assert good.latency_ms >= 0.0
    assert good.detail
    assert "\n" not in good.detail
    bad = run_on(subject.broken(), lambda b: b.health())
    assert bad.status == "unhealthy"
    assert bad.detail
    assert "\n" not in bad.detail


@pytest.mark.parametrize("how", ["cancelled", "timed out by the caller"])
def test_an_abandoned_generation_leaves_the_backend_usable(subject: Subject, how: str) -> None:
    async def run(backend: ImageBackend) -> BackendImage:
        call = backend.generate(PROMPT, REQUEST, params(seed=7))
        if how == "cancelled":
            first = asyncio.create_task(call)
            await asyncio.sleep(0)  # under way: waiting on the host, a render or a load
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
        else:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0):  # given up at its first wait
                    await call
        return await backend.generate(PROMPT, REQUEST, params(seed=8))

    made: BackendImage = run_on(subject.make(), run)
    assert made.seed == 8
    assert (made.width, made.height) == subject.made_size(params(seed=8))


def test_closing_twice_is_quiet(subject: Subject) -> None:
    backend = subject.make()

    async def run() -> None:
        await backend.aclose()
        await backend.aclose()

    asyncio.run(run())


# --- the registry ---------------------------------------------------------------------------


def test_the_registry_has_one_lazy_factory_per_backend_name(tmp_path: Path) -> None:
    assert tuple(BACKEND_FACTORIES) == BACKENDS
    settings = Settings(
        data_dir=tmp_path,
        bria_api_token=SecretStr("t"),
        fal_key=SecretStr("k"),
        diffusers_model=str(tmp_path / "never-loaded"),
    )
    for name in BACKENDS:
        backend = create_backend(name, settings, None)
        assert isinstance(backend, ImageBackend)
        assert backend.name == name
        asyncio.run(backend.aclose())


def test_an_unknown_backend_name_is_one_line_naming_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown backend 'dalle'") as caught:
        create_backend("dalle", Settings(data_dir=tmp_path), None)
    assert ", ".join(BACKENDS) in str(caught.value)
