"""Re-lighting a photograph (issue 20): the photo captioned, its light replaced by a setup's,
made again by FIBO-Edit, kept with the photo and checked — through the library, ``lightrig
relight``, ``POST /v1/relights`` and the mock hosts."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from lightrig import LightingGenerationService
from lightrig.config import Settings
from lightrig.errors import InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.edit import relight_instruction
from lightrig.fibo.instruction import EDIT_INSTRUCTION
from lightrig.models.gate import GateOutcome, GatePolicy, attempt_seed
from lightrig.models.generation import GenerationStatus
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewRenderer
from lightrig.service.relight import nearest_aspect_ratio, photo_of
from lightrig.storage.base import ImageNotFoundError
from tests.hosts import HOSTS, mock_host
from tests.test_api import Launch, field_locs, launch, problem  # noqa: F401 - the fixture
from tests.test_cli import bad, run
from tests.test_crash_recovery import (
    environment,
    kill_mid_generation,
    recover_once_the_lease_runs_out,
    settings_from,
)

PREVIEW_SIZE = 96


@pytest.fixture(scope="module")
def photo() -> bytes:
    """A photo to re-light: the bust under the loop preset (key camera-right), as a JPEG."""
    rendered = PreviewRenderer().render(PRESETS["loop"].request(), 160).png()
    buffer = io.BytesIO()
    Image.open(io.BytesIO(rendered)).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, preview_size=PREVIEW_SIZE, **values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the instruction


def test_the_instruction_is_the_caption_relit_with_the_edit_in_words() -> None:
    caption = compile_prompt(PRESETS["loop"].request())
    caption[EDIT_INSTRUCTION] = "make it brighter"
    split = PRESETS["split"].request()
    relit = relight_instruction(caption, split)
    assert list(relit)[-1] == EDIT_INSTRUCTION
    assert relit[EDIT_INSTRUCTION].startswith("Relight the photograph.")
    assert "split" in relit[EDIT_INSTRUCTION].lower()
    assert relit["lighting"] != caption["lighting"]
    # what the light does not change is kept word for word
    assert relit["objects"] == caption["objects"]
    assert relit["photographic_characteristics"] == caption["photographic_characteristics"]
    with pytest.raises(ValueError, match="not a key of FIBO-Edit"):
        relight_instruction({**caption, "mask": "x"}, split)


def test_a_photo_is_taken_as_it_is_or_as_png_and_refused_in_one_line(photo: bytes) -> None:
    taken = photo_of(photo)
    assert (taken.media_type, taken.width, taken.height) == ("image/jpeg", 160, 160)
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 100, 50)).save(buffer, format="BMP")
    converted = photo_of(buffer.getvalue())
    assert converted.media_type == "image/png"
    assert Image.open(io.BytesIO(converted.data)).size == (30, 20)
    with pytest.raises(InvalidLightingSetupError) as caught:
        photo_of(b"no picture at all")
    assert [e.loc for e in caught.value.errors] == ["image"]
    assert nearest_aspect_ratio(1600, 1000) == "3:2"
    assert nearest_aspect_ratio(1800, 1000) == "16:9"
    assert nearest_aspect_ratio(1000, 1250) == "4:5"


# --------------------------------------------------------------------------- the library


def test_relight_image_on_the_preview_keeps_the_photo_and_checks_the_light(
    tmp_path: Path, photo: bytes
) -> None:
    async def go() -> None:
        async with LightingGenerationService(_settings(tmp_path)) as service:
            split = PRESETS["split"].request()
            result = await service.relight_image(photo, split, user_id="u1", seed=7)
            assert result.status is GenerationStatus.SUCCESS, result.error
            assert result.source is not None
            assert result.source.media_type == "image/jpeg"
            assert (result.source.width, result.source.height) == (160, 160)
            assert await service.storage.get(result.source.key) == photo
            assert result.image_key is not None
            assert result.image_key != result.source.key
            assert result.structured_prompt is not None
            assert EDIT_INSTRUCTION in result.structured_prompt
            assert result.params is not None
            assert result.params["aspect_ratio"] == "1:1"
            assert result.adherence is not None
            assert result.adherence.overall is not None
            # split's key is camera-left: the edit follows it (the photo's key was camera-right)
            assert result.adherence.overall >= 0.6, result.adherence
            again = await service.get_generation(result.generation_id, owner="u1")
            assert again.source == result.source
            # the photo goes with the last record that uses it
            await service.delete_generation(result.generation_id, owner="u1")
            with pytest.raises(ImageNotFoundError):
                await service.storage.get(result.source.key)

    asyncio.run(go())


def test_a_backend_that_cannot_edit_or_bytes_that_are_no_photo_are_named(
    tmp_path: Path, photo: bytes
) -> None:
    async def go() -> None:
        async with LightingGenerationService(_settings(tmp_path)) as service:
            with pytest.raises(InvalidLightingSetupError) as caught:
                await service.relight_image(b"nope", PRESETS["split"].request())
            assert [e.loc for e in caught.value.errors] == ["image"]
            with pytest.raises(InvalidLightingSetupError) as caught:
                await service.relight_image(photo, PRESETS["split"].request(), backend="diffusers")
            assert [e.loc for e in caught.value.errors] == ["backend"]
            assert "cannot edit photographs" in str(caught.value)
            # nothing was kept for a relight that never started
            assert await service.history(owner=None, limit=10) == []

    asyncio.run(go())


# --------------------------------------------------------------------------- the faces


def test_post_relights_and_the_source_is_its_owners(launch: Launch, photo: bytes) -> None:  # noqa: F811
    api = launch()
    alice, bob = api.client("alice"), api.client("bob")
    image = "data:image/jpeg;base64," + base64.b64encode(photo).decode()
    answer = alice.post("/v1/relights", json={"image": image, "preset": "split", "seed": 3})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    generation = body["generation_id"]
    assert body["source"]["url"] == f"/v1/generations/{generation}/source"
    assert body["image_url"] == f"/v1/generations/{generation}/image"
    assert "file://" not in answer.text
    source = alice.get(body["source"]["url"])
    assert source.status_code == 200
    assert source.content == photo
    assert source.headers["content-type"] == "image/jpeg"
    assert alice.get(body["image_url"]).status_code == 200
    assert bob.get(body["source"]["url"]).status_code == 404
    # a generation that re-lights no photo has no source
    made = alice.post("/v1/generations", json={"request": PRESETS["loop"].request().model_dump()})
    assert made.status_code == 201, made.text
    problem(alice.get(f"/v1/generations/{made.json()['generation_id']}/source"), 409)
    # words work too, read by the server's translator
    worded = alice.post("/v1/relights", json={"image": image, "text": "Rembrandt lighting"})
    assert worded.status_code == 201, worded.text
    assert worded.json()["analysis"]["pattern"] == "rembrandt"


def test_post_relights_refuses_bad_input_by_field(launch: Launch, photo: bytes) -> None:  # noqa: F811
    client = launch().client()
    image = base64.b64encode(photo).decode()
    assert field_locs(
        problem(client.post("/v1/relights", json={"image": "%%%", "preset": "split"}), 422)
    ) == ["body.image"]
    not_picture = base64.b64encode(b"just text").decode()
    assert field_locs(
        problem(client.post("/v1/relights", json={"image": not_picture, "preset": "split"}), 422)
    ) == ["body.image"]
    both = client.post("/v1/relights", json={"image": image, "preset": "split", "text": "x"})
    assert "exactly one of request, preset or text" in problem(both, 422)["detail"]
    none = client.post("/v1/relights", json={"image": image})
    assert "exactly one of request, preset or text" in problem(none, 422)["detail"]
    cannot = client.post(
        "/v1/relights", json={"image": image, "preset": "split", "backend": "diffusers"}
    )
    assert field_locs(problem(cannot, 422)) == ["body.backend"]


def test_lightrig_relight(tmp_path: Path, photo: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIGHTRIG_PREVIEW_SIZE", str(PREVIEW_SIZE))
    picture = tmp_path / "portrait.jpg"
    picture.write_bytes(photo)
    out = tmp_path / "out"
    answer = json.loads(
        run("relight", str(picture), "--preset", "split", "--out", str(out), "--json").stdout
    )
    assert answer["status"] == "success"
    assert answer["source"]["media_type"] == "image/jpeg"
    assert Path(answer["file"]).parent == out
    assert "split" in " ".join(answer["pattern_names"]).lower()
    human = run("relight", str(picture), "--describe", "butterfly lighting").stdout
    assert "adherence" in human
    assert "re-lit:" in human
    assert "give the light as one of" in bad("relight", str(picture))
    assert "give the light as one of" in bad(
        "relight", str(picture), "--preset", "split", "--describe", "x"
    )
    text = tmp_path / "notes.jpg"
    text.write_text("no picture")
    assert "image" in bad("relight", str(text), "--preset", "split")


# --------------------------------------------------------------------------- the hosts


@pytest.mark.parametrize("name", HOSTS)
def test_relight_through_each_mock_host(tmp_path: Path, photo: bytes, name: str) -> None:
    """The photo captioned and edited on the host (Bria captions it itself; fal's edit is
    captioned by lightrig's own reading), the edit sent once with the relit instruction, and
    the host's image — the requested light rendered on the subject — checked against it."""
    with mock_host(name, latency_s=0.1, image_size=96) as host:

        async def go() -> None:
            async with LightingGenerationService(host.settings(tmp_path)) as service:
                split = PRESETS["split"].request()
                result = await service.relight_image(photo, split, seed=11)
                assert result.status is GenerationStatus.SUCCESS, result.error
                assert result.backend == name
                assert result.source is not None
                assert result.cost_usd is not None
                assert result.cost_usd > 0
                edits = [s for s in host.server.submissions if "structured_instruction" in s]
                assert len(edits) == 1
                sent = edits[0]["structured_instruction"]
                sent = json.loads(sent) if isinstance(sent, str) else sent
                assert sent == result.structured_prompt
                assert sent[EDIT_INSTRUCTION].startswith("Relight the photograph.")
                assert result.adherence is not None
                assert result.adherence.overall is not None
                assert result.adherence.overall >= 0.6, result.adherence

        asyncio.run(go())


def test_a_killed_relight_is_collected_not_edited_twice(tmp_path: Path, photo: bytes) -> None:
    """``lightrig relight`` killed while fal edits: the record (with its photo) is declared
    interrupted, and resuming collects the host's edit rather than sending another."""
    picture = tmp_path / "portrait.jpg"
    picture.write_bytes(photo)
    database = {"LIGHTRIG_DATABASE_URL": f"sqlite:///{tmp_path / 'records.db'}"}
    with mock_host("fal", latency_s=120.0, image_size=64) as host:
        env = environment(tmp_path, database, host)
        settings = settings_from(env)
        command = ("relight", str(picture), "--preset", "split", "--seed", "5")
        killed = kill_mid_generation(env, settings, host.server, command)
        assert killed.source is not None
        assert asyncio.run(recover_once_the_lease_runs_out(settings, killed.generation_id)) == [
            killed.generation_id
        ]
        host.server.latency_s = 0.05
        host.server.finish_jobs()
        resumed = json.loads(
            run("history", "resume", killed.generation_id, "--json", env=env).stdout
        )
        assert resumed["status"] == "success"
        assert resumed["source"] == killed.model_dump(mode="json")["source"]
        assert host.server.accepted == 1  # the edit was handed to the host once


def test_re_lighting_a_relight_edits_the_photo_again(tmp_path: Path, photo: bytes) -> None:
    async def go() -> None:
        async with LightingGenerationService(_settings(tmp_path)) as service:
            first = await service.relight_image(photo, PRESETS["split"].request(), seed=4)
            again = await service.refine_lighting(first, PRESETS["butterfly"].request())
            assert again.status is GenerationStatus.SUCCESS, again.error
            assert again.parent_id == first.generation_id
            assert again.source == first.source  # the same photograph, re-lit again
            assert again.seed == first.seed
            assert again.structured_prompt is not None
            assert "butterfly" in again.structured_prompt[EDIT_INSTRUCTION].lower()
            with pytest.raises(InvalidLightingSetupError) as caught:
                await service.refine_lighting(first, PRESETS["loop"].request(), backend="diffusers")
            assert [e.loc for e in caught.value.errors] == ["backend"]

    asyncio.run(go())


def test_a_gated_relight_is_re_rolled_until_the_edit_follows(tmp_path: Path, photo: bytes) -> None:
    """The gate on a relight: an edit whose seed strays from the light is made again with a new
    seed, every attempt kept with the photo, and the best returned."""
    with mock_host("bria", latency_s=0.05, image_size=128) as host:
        host.server.stray_seeds(31)

        async def go() -> None:
            async with LightingGenerationService(host.settings(tmp_path)) as service:
                gate = GatePolicy(min_adherence=0.8, max_attempts=3)
                result = await service.relight_image(
                    photo, PRESETS["rembrandt"].request(), seed=31, gate=gate
                )
                report = result.gate
                assert report is not None
                assert report.outcome is GateOutcome.PASSED, report
                assert [a.seed for a in report.attempts] == [31, attempt_seed(31, 1)]
                first, second = report.attempts
                assert first.score is not None
                assert first.score < 0.8
                assert second.score is not None
                assert second.score >= 0.8
                assert result.generation_id == second.generation_id
                kept = await service.get_generation(first.generation_id)
                assert kept.source == result.source  # every attempt re-lights the same photo
                edits = [s for s in host.server.submissions if "structured_instruction" in s]
                assert [s["seed"] for s in edits] == [31, attempt_seed(31, 1)]

        asyncio.run(go())
