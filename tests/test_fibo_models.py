"""FIBO, FIBO 1.5 and Fibo Lite: each model through each mock host over real HTTP (the path
hit, the body sent, the price recorded), the refusals of a model a backend does not serve (one
line naming ``model``, before anything is sent), the local pipeline's one model, the preview's
any, and records written before there was a model."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest

from lightrig.backends.base import GenerationParams, check_model
from lightrig.backends.diffusers_backend import DiffusersBackend
from lightrig.backends.diffusers_placement import model_named
from lightrig.backends.served import served_models
from lightrig.config import Settings
from lightrig.errors import FIBOGenerationError, InvalidLightingSetupError, InvalidSettingError
from lightrig.fibo.compile import compile_prompt
from lightrig.lighting.vocabulary import MODEL_NAMES
from lightrig.models.generation import GenerationStatus
from lightrig.models.params import FiboModel
from lightrig.presets import PRESETS
from lightrig.records.convert import params_from_document
from lightrig.service import LightingGenerationService
from tests.editing_fixtures import instruction, photo
from tests.hosts import KEY, mock_host, run_on

REQUEST = PRESETS["loop"].request()
PROMPT = compile_prompt(REQUEST)

#: (host, model) → the path the submission goes to, the inputs it must and must not carry,
#: and the price recorded.
SERVED: dict[tuple[str, str], tuple[str, set[str], set[str], float]] = {
    ("bria", "fibo"): (
        "/v2/image/generate",
        {"steps_num", "guidance_scale", "model_version", "structured_prompt"},
        set(),
        0.03,
    ),
    ("bria", "fibo-lite"): (
        "/v2/image/generate/lite",
        {"seed", "aspect_ratio", "structured_prompt"},
        {"steps_num", "guidance_scale", "model_version", "negative_prompt"},
        0.03,
    ),
    ("fal", "fibo"): (
        "/bria/fibo/generate",
        {"steps_num", "guidance_scale", "structured_prompt"},
        set(),
        0.04,
    ),
    ("fal", "fibo-lite"): (
        "/bria/fibo-lite/generate",
        {"seed", "aspect_ratio", "structured_prompt"},
        {"steps_num", "guidance_scale", "negative_prompt", "resolution"},
        0.036,
    ),
    ("fal", "fibo-1.5"): (
        "/bria/fibo-gen-1.5/text-to-image",
        {"seed", "aspect_ratio", "structured_prompt", "resolution"},
        {"steps_num", "guidance_scale", "negative_prompt"},
        0.04,
    ),
}


def test_the_model_names_are_the_vocabulary_s() -> None:
    assert get_args(FiboModel) == MODEL_NAMES == ("fibo", "fibo-1.5", "fibo-lite")
    assert Settings().fibo_model == "fibo"


@pytest.mark.parametrize(("name", "model"), sorted(SERVED))
def test_each_model_goes_to_its_path_with_its_inputs_and_is_priced(
    name: str, model: str, tmp_path: Path
) -> None:
    path, sent, not_sent, price = SERVED[(name, model)]
    with mock_host(name) as host:
        settings = host.settings(tmp_path, verify_images=False)

        async def run() -> Any:
            async with LightingGenerationService(settings) as service:
                return await service.generate_from_lighting_setup(REQUEST, seed=7, model=model)

        result = asyncio.run(run())
        assert result.status is GenerationStatus.SUCCESS, result.error
        assert host.server.submitted_paths == [path]
        body = host.server.submissions[0]
        assert sent <= set(body), body.keys()
        assert not (not_sent & set(body)), body.keys()
        assert body["seed"] == 7
        if model == "fibo-1.5":
            assert body["resolution"] == "1MP"
        assert result.params is not None
        assert result.params["model"] == model
        assert result.cost_usd == pytest.approx(price)


def test_a_model_the_host_does_not_serve_is_refused_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    with mock_host("bria") as host:
        settings = host.settings(tmp_path, verify_images=False)

        async def run() -> None:
            async with LightingGenerationService(settings) as service:
                await service.generate_from_lighting_setup(REQUEST, model="fibo-1.5")

        with pytest.raises(InvalidLightingSetupError) as refused:
            asyncio.run(run())
        assert str(refused.value) == "model: got 'fibo-1.5'; bria serves: fibo, fibo-lite"
        with pytest.raises(InvalidLightingSetupError, match=r"model: got 'fibo-1\.5'"):
            run_on(
                host.backend(),
                lambda b: b.submit(PROMPT, REQUEST, GenerationParams(seed=1, model="fibo-1.5")),
            )
        assert host.server.accepted == 0
        assert host.server.requests_by_endpoint.get("generate", 0) == 0


def test_the_settings_model_is_the_default_and_a_batch_refuses_an_unserved_one(
    tmp_path: Path,
) -> None:
    with mock_host("fal") as host:
        settings = host.settings(tmp_path, verify_images=False, fibo_model="fibo-lite")

        async def run() -> Any:
            async with LightingGenerationService(settings) as service:
                return await service.batch_generate([REQUEST, REQUEST], seed=3)

        results = asyncio.run(run())
        assert [r.params["model"] for r in results if r.params] == ["fibo-lite"] * 2
        assert host.server.submitted_paths == ["/bria/fibo-lite/generate"] * 2
        assert all(r.cost_usd == pytest.approx(0.036) for r in results)
    with mock_host("bria") as host:
        settings = host.settings(tmp_path / "b", verify_images=False)

        async def refused() -> None:
            async with LightingGenerationService(settings) as service:
                await service.batch_generate([REQUEST], model="fibo-1.5")
                raise AssertionError("the batch was not refused")

        with pytest.raises(InvalidLightingSetupError, match="model"):
            asyncio.run(refused())
        assert host.server.accepted == 0


def test_a_lite_job_is_collected_from_its_own_app_by_another_process() -> None:
    params = GenerationParams(seed=11, model="fibo-lite")
    with mock_host("fal") as host:
        submitted = run_on(host.backend(), lambda b: b.submit(PROMPT, REQUEST, params))
        made = run_on(host.backend(), lambda b: b.collect(submitted.request_id, params))
        assert made.request_id == submitted.request_id
        assert made.seed == 11
        # asked at FIBO's app, the lite job is not there
        with pytest.raises(FIBOGenerationError, match=r"404|not found|Not Found"):
            run_on(
                host.backend(),
                lambda b: b.collect(submitted.request_id, GenerationParams(seed=11)),
            )


def test_fal_edits_with_fibo_1_5_go_to_fibo_edit_1_5_and_lite_has_no_edit_model() -> None:
    with mock_host("fal") as host:
        params = GenerationParams(seed=5, size=48, model="fibo-1.5")
        made = run_on(host.backend(), lambda b: b.edit(photo(), instruction(), params))
        assert made.seed == 5
        assert host.server.submitted_paths == ["/bria/fibo-edit-1.5/edit"]
        assert set(host.server.submissions[0]) == {"image_url", "structured_instruction", "seed"}
        lite = GenerationParams(seed=5, size=48, model="fibo-lite")
        with pytest.raises(InvalidLightingSetupError) as refused:
            run_on(host.backend(), lambda b: b.edit(photo(), instruction(), lite))
        assert str(refused.value) == (
            "model: got 'fibo-lite'; fal edits photographs with: fibo, fibo-1.5"
        )
        assert host.server.accepted == 1


@pytest.mark.parametrize(
    ("name", "path", "body", "field"),
    [
        ("fal", "/bria/fibo-lite/generate", {"steps_num": 30}, "steps_num"),
        ("fal", "/bria/fibo-gen-1.5/text-to-image", {"resolution": "2MP"}, "resolution"),
        ("fal", "/bria/fibo-edit-1.5/edit", {"guidance_scale": 4}, "guidance_scale"),
        ("bria", "/v2/image/generate/lite", {"model_version": "FIBO"}, "model_version"),
    ],
)
def test_the_mocks_check_each_model_s_inputs(
    name: str, path: str, body: dict[str, Any], field: str
) -> None:
    with mock_host(name) as host:
        headers = {"Authorization": f"Key {KEY}"} if name == "fal" else {"api_token": "test-token"}
        sent = {"structured_prompt": PROMPT if name == "fal" else "{}", "seed": 1, **body}
        if path.endswith("/edit"):
            sent = {"image_url": "https://example.com/a.png", "instruction": "relight", **body}
        answer = httpx.post(f"{host.server.url}{path}", json=sent, headers=headers, timeout=10)
        assert answer.status_code == 422, answer.text
        assert field in answer.text
        assert host.server.accepted == 0


def test_diffusers_serves_the_one_model_it_loads_and_refuses_another() -> None:
    assert model_named("briaai/FIBO") == "fibo"
    assert model_named("briaai/Fibo-1.5") == "fibo-1.5"
    assert model_named("/models/fibo-lite/") == "fibo-lite"
    assert model_named("briaai/FIBO-Edit") == "fibo"
    backend = DiffusersBackend(Settings(diffusers_model="briaai/Fibo-1.5"))
    assert backend.models == ("fibo-1.5",)
    assert backend.edit_models == ()
    with pytest.raises(InvalidLightingSetupError) as refused:
        asyncio.run(backend.generate(PROMPT, REQUEST, GenerationParams(seed=1, size=64)))
    assert str(refused.value) == "model: got 'fibo'; diffusers serves: fibo-1.5"
    assert not backend.loaded  # refused before anything was loaded


def test_the_preview_takes_any_model_and_the_record_says_the_preview_made_it(
    tmp_path: Path,
) -> None:
    async def run() -> Any:
        async with LightingGenerationService(
            Settings(data_dir=tmp_path, preview_size=64, verify_images=False)
        ) as service:
            return await service.generate_from_lighting_setup(REQUEST, seed=2, model="fibo-lite")

    result = asyncio.run(run())
    assert result.status is GenerationStatus.SUCCESS
    assert result.backend == "preview"
    assert result.params is not None
    assert result.params["model"] == "fibo-lite"
    assert result.cost_usd == 0.0


def test_an_old_record_s_params_without_a_model_read_as_fibo() -> None:
    old = {"seed": 4, "steps": 50, "guidance_scale": 5.0, "aspect_ratio": "1:1", "size": 512}
    params = params_from_document({**old, "negative_prompt": None})
    assert params.model == "fibo"
    assert params_from_document(params.describe()) == params
    lite = GenerationParams(seed=4, model="fibo-lite")
    assert params_from_document(lite.describe()).model == "fibo-lite"
    assert lite.describe() != GenerationParams(seed=4).describe()  # a cache key of its own


def test_prices_by_backend_and_model_and_a_bad_setting() -> None:
    settings = Settings()
    assert settings.price_of("fal", "fibo-lite") == pytest.approx(0.036)
    assert settings.price_of("fal") == settings.price_of("fal", "fibo") == pytest.approx(0.04)
    assert settings.price_of("bria", "fibo-lite") == pytest.approx(0.03)  # no price of its own
    custom = Settings(prices_usd={"bria": 0.03, "bria:fibo-lite": 0.02})
    assert custom.price_of("bria", "fibo-lite") == pytest.approx(0.02)
    with pytest.raises(InvalidSettingError, match="LIGHTRIG_FIBO_MODEL"):
        Settings(fibo_model="fibo-2")  # type: ignore[arg-type]  # the point of the test
    assert served_models("bria", settings).models == ("fibo", "fibo-lite")
    assert (
        served_models("fal", settings.model_copy(update={"fal_edit_model": ""})).edit_models == ()
    )


def test_check_model_names_field_got_and_accepted_in_one_line() -> None:
    check_model("fal", "fibo-lite", MODEL_NAMES)
    with pytest.raises(InvalidLightingSetupError) as refused:
        check_model("bria", "fibo-9", ("fibo", "fibo-lite"))
    assert str(refused.value) == (
        "model: got 'fibo-9'; bria serves: fibo, fibo-lite "
        "(FIBO's models are fibo, fibo-1.5, fibo-lite)"
    )
