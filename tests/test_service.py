"""LightingGenerationService on the embedded defaults (the preview backend, local storage)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from lightrig import (
    CameraSettings,
    LightingGenerationService,
    LightSettings,
    LightType,
    SceneRequest,
)
from lightrig.backends.base import BackendHealth, BackendImage, GenerationParams
from lightrig.config import Settings
from lightrig.errors import (
    FIBOGenerationError,
    InvalidLightingSetupError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
    RecordNotFoundError,
)
from lightrig.fibo.compile import compile_prompt
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.presets import PRESETS
from lightrig.records import Draft, from_response, lifecycle


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(data_dir=tmp_path, preview_size=96, **values)


def seed_request() -> SceneRequest:
    """The seed design's usage example, word for word."""
    return SceneRequest(
        subject_description="Professional portrait",
        environment="studio",
        lighting_setup={
            LightType.KEY: LightSettings(
                direction="45 degrees camera-right",
                intensity=0.8,
                color_temperature=5600,
                softness=0.5,
                distance=1.5,
                enabled=True,
            ),
            LightType.FILL: LightSettings(
                direction="30 degrees camera-left",
                intensity=0.4,
                color_temperature=5600,
                softness=0.7,
                distance=2.0,
                enabled=True,
            ),
        },
        camera_settings=CameraSettings(
            shot_type="medium shot",
            camera_angle="eye-level",
            fov=85,
            lens_type="portrait",
            aperture="f/2.8",
        ),
    )


def test_seed_usage_example_on_the_preview_backend(tmp_path: Path) -> None:
    async def run() -> None:
        service = LightingGenerationService(settings(tmp_path))
        result = await service.generate_from_lighting_setup(seed_request(), user_id="user123")
        assert result.status == "success"
        assert result.image_url is not None
        assert result.image_path is not None
        assert Path(result.image_path).read_bytes()[:4] == b"\x89PNG"
        assert result.user_id == "user123"
        assert result.backend == "preview"
        assert result.cost_usd == 0.0
        assert result.structured_prompt is not None
        assert "lighting" in result.structured_prompt
        assert result.analysis is not None
        assert result.analysis.pattern.value == "rembrandt"
        health = await service.health_check()
        assert health.status == "healthy"
        assert set(health.checks) == {
            "fibo_api",
            "image_storage",
            "llm_service",
            "result_cache",
            "metadata_store",
            "job_queue",
        }
        results = await service.batch_generate([seed_request(), seed_request()])
        assert len(results) == 2
        assert all(r.status in ["success", "error"] for r in results)
        await service.close()

    asyncio.run(run())


def test_identical_deterministic_requests_come_from_the_cache(tmp_path: Path) -> None:
    async def run() -> tuple[GenerationResponse, GenerationResponse, GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path)) as service:
            first = await service.generate_from_lighting_setup(seed_request(), seed=11)
            second = await service.generate_from_lighting_setup(seed_request(), seed=11)
            other = await service.generate_from_lighting_setup(seed_request(), seed=12)
            return first, second, other

    first, second, other = asyncio.run(run())
    assert not first.cached
    assert second.cached
    assert second.image_key == first.image_key
    assert second.generation_id != first.generation_id
    assert not other.cached


class RecordingBackend:
    """A backend that records calls and fails on demand (for the orchestration's own logic)."""

    name = "recording"

    def __init__(self, fail_on: set[int] | None = None, crash: bool = False) -> None:
        self.calls: list[GenerationParams] = []
        self.fail_on = fail_on or set()
        self.crash = crash
        self.closed = False

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        self.calls.append(params)
        await asyncio.sleep(0.01 * (len(self.calls) % 3))  # finish out of order
        if self.crash:
            raise RuntimeError("segfault in the GPU driver")
        if params.seed in self.fail_on:
            raise FIBOGenerationError("host said no", backend=self.name, status_code=422)
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (params.seed % 255, 0, 0)).save(buffer, "PNG")
        return BackendImage(buffer.getvalue(), "image/png", params.seed, 8, 8, f"job-{params.seed}")

    async def health(self) -> BackendHealth:
        return BackendHealth("healthy", 1.0, "recording")

    async def aclose(self) -> None:
        self.closed = True


def test_batch_keeps_order_isolates_failures_and_reports_progress(tmp_path: Path) -> None:
    backend = RecordingBackend(fail_on={2})
    progress: list[tuple[int, int]] = []

    async def run() -> list[GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            requests: list[Any] = [
                PRESETS[name].request() for name in ("loop", "split", "rembrandt")
            ]
            requests.insert(
                1, {"lighting_setup": {"key": {"direction": "nowhere", "intensity": 1}}}
            )
            return await service.batch_generate(
                requests,
                "u1",
                seed=None,
                concurrency=2,
                on_progress=lambda done, total, _: progress.append((done, total)),
            )

    results = asyncio.run(run())
    assert [r.status for r in results] == [
        GenerationStatus.SUCCESS,
        GenerationStatus.ERROR,
        GenerationStatus.SUCCESS,
        GenerationStatus.SUCCESS,
    ]
    assert "cannot understand direction 'nowhere'" in (results[1].error or "")
    assert results[0].analysis is not None
    assert results[0].analysis.pattern.value == "loop"
    assert results[2].analysis is not None
    assert results[2].analysis.pattern.value == "split"
    assert progress[-1] == (4, 4)
    assert len(progress) == 4
    assert backend.closed


def test_batch_reports_host_failures_per_item(tmp_path: Path) -> None:
    backend = RecordingBackend(fail_on={7})

    async def run() -> list[GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            return await service.batch_generate([PRESETS["loop"].request()] * 3, seed=7)

    results = asyncio.run(run())
    assert [r.status for r in results] == [GenerationStatus.ERROR] * 3
    assert all("host said no" in (r.error or "") for r in results)


def test_unexpected_backend_errors_become_lighting_generation_errors(tmp_path: Path) -> None:
    async def run() -> None:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend(crash=True)
        ) as service:
            await service.generate_from_lighting_setup(PRESETS["loop"].request())

    with pytest.raises(LightingGenerationError, match="RuntimeError: segfault"):
        asyncio.run(run())


def test_bad_input_is_refused_before_any_call(tmp_path: Path) -> None:
    backend = RecordingBackend()

    async def run() -> None:
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            with pytest.raises(InvalidLightingSetupError, match=r"lighting_setup\.key\.intensity"):
                await service.generate_from_lighting_setup(
                    {"lighting_setup": {"key": {"direction": "front", "intensity": 9}}}
                )
            with pytest.raises(InvalidLightingSetupError, match="aspect_ratio"):
                await service.generate_from_lighting_setup(
                    PRESETS["loop"].request(), aspect_ratio="7:3"
                )
            with pytest.raises(InvalidLightingSetupError, match="seed"):
                await service.generate_from_lighting_setup(PRESETS["loop"].request(), seed=-1)
            with pytest.raises(NaturalLanguageTranslationError, match="empty"):
                await service.generate_from_natural_language("   ")
            with pytest.raises(NaturalLanguageTranslationError, match="no lighting"):
                await service.generate_from_natural_language("a cat on a sofa")

    asyncio.run(run())
    assert backend.calls == []


def test_refine_relights_with_the_same_seed_and_parameters(tmp_path: Path) -> None:
    backend = RecordingBackend()

    async def run() -> tuple[GenerationResponse, GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            first = await service.generate_from_lighting_setup(
                PRESETS["loop"].request(), seed=42, aspect_ratio="4:5"
            )
            second = await service.refine_lighting(
                first, {"key": {"direction": "90 degrees camera-left", "intensity": 0.9}}
            )
            return first, second

    first, second = asyncio.run(run())
    assert second.parent_id == first.generation_id
    assert second.seed == 42
    assert backend.calls[1].aspect_ratio == "4:5"
    assert second.analysis is not None
    assert second.analysis.pattern.value == "split"
    assert first.structured_prompt is not None
    assert second.structured_prompt is not None
    for key in ("objects", "photographic_characteristics"):
        assert second.structured_prompt[key] == first.structured_prompt[key]
    # the sentences the light changes are rewritten (fibo/refine.py): the backdrop's light, the
    # context's setup; the scene they describe stays
    scene = "a photo studio, with a seamless"
    assert str(first.structured_prompt["background_setting"]).startswith(scene)
    assert str(second.structured_prompt["background_setting"]).startswith(scene)
    assert "split lighting" in str(second.structured_prompt["context"])
    assert second.structured_prompt["lighting"] != first.structured_prompt["lighting"]
    assert second.request is not None
    assert second.request.subject_description == first.request.subject_description  # type: ignore[union-attr]


def test_natural_language_goes_through_the_translator(tmp_path: Path) -> None:
    async def run() -> GenerationResponse:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            return await service.generate_from_natural_language(
                "film noir, hard light from the left", "u2"
            )

    result = asyncio.run(run())
    assert result.analysis is not None
    assert "low-key" in result.analysis.pattern_names


def test_a_failing_dependency_shows_in_health(tmp_path: Path) -> None:
    class BrokenStorage:
        async def put(self, data: bytes, media_type: str) -> Any:
            raise OSError("disk full")

        async def get(self, key: str) -> bytes:
            raise OSError("disk full")

        async def delete(self, key: str) -> None:
            return None

        async def health(self) -> str:
            raise OSError("disk full")

        async def aclose(self) -> None:
            return None

    async def run() -> Any:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend(), storage=BrokenStorage()
        ) as service:
            return await service.health_check()

    report = asyncio.run(run())
    assert report.status == "unhealthy"
    assert report.checks["image_storage"].status == "unhealthy"
    assert "disk full" in report.checks["image_storage"].detail
    assert report.checks["fibo_api"].status == "healthy"


def test_the_configured_llm_translator_is_used_and_probed(tmp_path: Path) -> None:
    from lightrig.testing.mock_openai import MockOpenAIServer
    from lightrig.translate.llm import answer_for

    answer = answer_for(PRESETS["split"].request(), understood=["split"], dialect="openai")
    with MockOpenAIServer(api_key="sk-test") as server:
        server.script(answer, answer)
        config = settings(
            tmp_path,
            translator="openai",
            openai_api_key="sk-test",
            openai_base_url=f"{server.url}/v1",
        )

        async def run() -> tuple[GenerationResponse, Any]:
            async with LightingGenerationService(config, backend=RecordingBackend()) as service:
                result = await service.generate_from_natural_language("split light", "u3")
                return result, await service.health_check()

        result, report = asyncio.run(run())
        assert server.request_count == 2
    assert result.analysis is not None
    assert "split" in result.analysis.pattern_names
    assert report.checks["llm_service"].status == "healthy"
    assert "gpt-4o-mini" in report.checks["llm_service"].detail


def test_a_translator_without_its_key_is_reported_not_fatal(tmp_path: Path) -> None:
    async def run() -> Any:
        async with LightingGenerationService(
            settings(tmp_path, translator="gemini"), backend=RecordingBackend()
        ) as service:
            report = await service.health_check()
            with pytest.raises(NaturalLanguageTranslationError, match="LIGHTRIG_GEMINI_API_KEY"):
                await service.translate("loop lighting")
            return report

    report = asyncio.run(run())
    assert report.checks["llm_service"].status == "unhealthy"
    assert "LIGHTRIG_GEMINI_API_KEY" in report.checks["llm_service"].detail
    assert report.checks["fibo_api"].status == "healthy"


def test_images_are_served_only_to_their_owner(tmp_path: Path) -> None:
    async def run() -> None:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            mine = await service.generate_from_lighting_setup(seed_request(), "ada", seed=3)
            assert mine.image_key is not None
            data = await service.get_image(mine.image_key, owner="ada")
            assert data == await service.storage.get(mine.image_key)
            with pytest.raises(RecordNotFoundError):
                await service.get_image(mine.image_key, owner="bob")
            with pytest.raises(RecordNotFoundError):
                await service.get_image("0" * 64 + ".png", owner="ada")
            stored = await service.get_generation(mine.generation_id, owner="ada")
            assert stored.status.value == "success"
            with pytest.raises(RecordNotFoundError):
                await service.get_generation(mine.generation_id, owner="bob")

    asyncio.run(run())


def test_every_batch_item_is_recorded_invalid_ones_as_errors(tmp_path: Path) -> None:
    async def run() -> tuple[list[GenerationResponse], list[GenerationResponse]]:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            bad = {"lighting_setup": {"key": {"intensity": 7}}}
            results = await service.batch_generate([seed_request(), bad, seed_request()], "ada")
            batch_id = results[0].batch_id
            assert batch_id is not None
            return results, await service.history(batch_id=batch_id)

    results, recorded = asyncio.run(run())
    assert [r.status.value for r in results] == ["success", "error", "success"]
    assert [r.batch_index for r in results] == [0, 1, 2]
    assert "intensity" in (results[1].error or "")
    assert sorted(r.generation_id for r in recorded) == sorted(r.generation_id for r in results)
    assert {r.status.value for r in recorded} == {"success", "error"}


def test_background_work_is_queued_then_run_by_the_job_queue(tmp_path: Path) -> None:
    from lightrig.jobs.inprocess import InProcessJobQueue

    async def run() -> None:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            assert isinstance(service.jobs, InProcessJobQueue)
            queued = await service.generate_from_lighting_setup(
                seed_request(), "ada", seed=5, background=True
            )
            assert queued.status.value == "queued"
            assert queued.image_key is None
            progress = await service.submit_batch(
                [seed_request(), {"lighting_setup": {}}, seed_request()], "ada"
            )
            assert progress.total == 3
            assert progress.counts.get(GenerationStatus.ERROR) == 1  # the invalid one, at once
            await service.jobs.drain()
            done = await service.get_generation(queued.generation_id, owner="ada")
            assert done.status.value == "success"
            assert done.seed == 5
            assert done.image_key is not None
            finished = await service.batch_progress(progress.batch_id, owner="ada")
            assert finished.finished
            assert finished.done == 3
            assert finished.completed_at is not None
            assert [item.batch_index for item in finished.items] == [0, 1, 2]
            with pytest.raises(RecordNotFoundError):
                await service.batch_progress(progress.batch_id, owner="bob")
            again = await service.run_generation(queued.generation_id)  # a repeated job
            assert again.status.value == "success"
            assert again.completed_at == done.completed_at

    asyncio.run(run())


def test_deleting_a_generation_removes_its_unshared_image(tmp_path: Path) -> None:
    async def run() -> None:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            first = await service.generate_from_lighting_setup(seed_request(), "ada", seed=9)
            twin = await service.generate_from_lighting_setup(seed_request(), "ada", seed=9)
            assert twin.cached
            assert twin.image_key == first.image_key
            assert first.image_key is not None
            with pytest.raises(RecordNotFoundError):
                await service.delete_generation(first.generation_id, owner="bob")
            await service.delete_generation(first.generation_id, owner="ada")
            assert await service.storage.get(first.image_key)  # the twin still refers to it
            await service.delete_generation(twin.generation_id, owner="ada")
            with pytest.raises(RecordNotFoundError):
                await service.get_image(first.image_key)
            fresh = await service.generate_from_lighting_setup(seed_request(), "ada", seed=9)
            assert not fresh.cached  # the cache forgot the deleted image
            assert await service.get_image(fresh.image_key or "", owner="ada")

    asyncio.run(run())


@pytest.mark.parametrize("cached", [True, False])
def test_an_image_deleted_while_another_generation_attaches_it_is_put_back(
    tmp_path: Path, cached: bool
) -> None:
    """The twin's record is saved only after the first one's deletion found the image unused
    and deleted it (images are stored by content, and the twin's record did not name it yet):
    the twin's run puts the image back, so its finished record never points at nothing."""

    async def run() -> None:
        async with LightingGenerationService(
            settings(tmp_path), backend=RecordingBackend()
        ) as service:
            first = await service.generate_from_lighting_setup(seed_request(), "ada", seed=9)
            assert first.image_key is not None
            if not cached:  # the twin makes the image again, as after a cache expiry
                await service.cache.delete(service.runner.result_key_of(from_response(first)))
            finish = service.store.finish_generation
            attaching, deleted = asyncio.Event(), asyncio.Event()

            async def finish_after_the_deletion(record: Any, **kwargs: Any) -> None:
                attaching.set()
                await deleted.wait()
                await finish(record, **kwargs)

            service.store.finish_generation = finish_after_the_deletion  # type: ignore[method-assign]
            twin = asyncio.create_task(
                service.generate_from_lighting_setup(seed_request(), "ada", seed=9)
            )
            await attaching.wait()
            await service.delete_generation(first.generation_id, owner="ada")
            deleted.set()
            done = await twin
            assert done.cached is cached
            assert done.image_key == first.image_key
            assert await service.get_image(first.image_key, owner="ada")

    asyncio.run(run())


def test_the_service_says_which_work_to_queue(tmp_path: Path) -> None:
    """The faces ask: everything but the preview, which answers within a request, is a job."""
    preview = LightingGenerationService(settings(tmp_path))
    assert not preview.runs_in_background()
    assert not preview.runs_in_background("preview")
    assert preview.runs_in_background("bria")
    assert preview.runs_in_background("diffusers")
    hosted = LightingGenerationService(settings(tmp_path, backend="fal"))
    assert hosted.runs_in_background()
    assert not hosted.runs_in_background("preview")
    given = LightingGenerationService(settings(tmp_path), backend=RecordingBackend())
    assert given.runs_in_background()  # the backend given is the default one


class UnavailableBackend(RecordingBackend):
    """A host that answers 503: worth retrying, for a job."""

    async def generate(
        self, prompt: dict[str, Any], request: SceneRequest, params: GenerationParams
    ) -> BackendImage:
        self.calls.append(params)
        raise FIBOGenerationError(
            "host unavailable", backend=self.name, status_code=503, retryable=True
        )


def test_an_interrupted_generation_run_as_a_job_fails_rather_than_waits_to_retry(
    tmp_path: Path,
) -> None:
    """Someone waited for it, so it is not a job: a retryable failure when it is run again
    finishes it as an error (a retrying record that is not a job would never be handed back)."""
    backend = UnavailableBackend()

    async def run() -> tuple[list[str], GenerationResponse]:
        async with LightingGenerationService(settings(tmp_path), backend=backend) as service:
            request = PRESETS["loop"].request()
            draft = Draft(
                generation_id="waited",
                created_at=datetime.now(UTC),
                request=request,
                structured_prompt=compile_prompt(request),
                backend=backend.name,
                params=GenerationParams(seed=3),
            )
            now = datetime.now(UTC)
            await service.store.add_generation(
                lifecycle.start(draft, worker="dead", lease_s=0.05, now=now)
            )
            await asyncio.sleep(0.2)
            interrupted = await service.recover()
            return interrupted, await service.run_generation("waited")

    interrupted, result = asyncio.run(run())
    assert interrupted == ["waited"]
    assert result.status is GenerationStatus.ERROR
    assert result.error == "host unavailable"
    assert result.attempts == 2
    assert len(backend.calls) == 1
