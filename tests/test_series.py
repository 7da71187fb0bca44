"""Series (issue 20): one setup on many subjects, the light's consistency across the set (per
measure the median, the spread and the pictures beyond the tolerance) and the outliers made
again — the report, the library, the mock host, the API and the CLI."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest

from lightrig import LightingGenerationService
from lightrig.config import Settings
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.generation import GenerationStatus
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewRenderer
from lightrig.service.series import subject_seed
from lightrig.verify.series import (
    AZIMUTH_TOLERANCE_DEG,
    MIN_READINGS,
    SeriesReading,
    consistency,
)
from tests.hosts import mock_host
from tests.test_api import Launch, field_locs, launch, problem  # noqa: F401 - the fixture
from tests.test_cli import bad, run


def _reading(
    gid: str, azimuth: float | None, stops: float | None, kelvin: float | None
) -> SeriesReading:
    return SeriesReading(generation_id=gid, azimuth=azimuth, ratio_stops=stops, kelvin=kelvin)


def test_a_consistent_series_has_small_spreads_and_no_outlier() -> None:
    report = consistency(
        [
            _reading("a", -40.0, 2.0, 5600.0),
            _reading("b", -45.0, 2.2, 5500.0),
            _reading("c", -38.0, 1.9, 5700.0),
        ]
    )
    assert report.consistent
    assert report.outliers == []
    azimuth, ratio, colour = report.measures
    assert (azimuth.median, azimuth.spread) == (-40.0, 7.0)
    assert ratio.median == 2.0
    assert ratio.spread == pytest.approx(0.3)
    assert colour.unit == "mired"
    assert colour.spread == pytest.approx(1e6 / 5500 - 1e6 / 5700, abs=0.01)


def test_each_measure_names_its_outliers_in_series_order() -> None:
    report = consistency(
        [
            _reading("a", -40.0, 2.0, 5600.0),
            _reading("b", 35.0, 2.1, 5600.0),  # lit from the other side
            _reading("c", -42.0, 3.4, 5600.0),  # much harder contrast
            _reading("d", -39.0, 2.0, 3200.0),  # tungsten-warm
            _reading("e", -41.0, 1.9, 5500.0),
        ]
    )
    assert not report.consistent
    assert report.outliers == ["b", "c", "d"]
    by_name = {m.measure: m for m in report.measures}
    assert by_name["key azimuth"].outliers == ["b"]
    assert by_name["ratio"].outliers == ["c"]
    assert by_name["colour"].outliers == ["d"]


def test_azimuths_are_compared_round_the_circle() -> None:
    report = consistency(
        [
            _reading("a", 175.0, None, None),
            _reading("b", -178.0, None, None),
            _reading("c", 179.0, None, None),
        ]
    )
    azimuth = report.measures[0]
    assert azimuth.spread == pytest.approx(7.0)
    assert azimuth.outliers == []
    assert azimuth.spread < AZIMUTH_TOLERANCE_DEG


def test_too_few_readings_say_nothing_and_name_no_outlier() -> None:
    readings = [_reading("a", -40.0, 2.0, None), _reading("b", 60.0, 2.0, None)]
    assert len(readings) < MIN_READINGS
    report = consistency(readings)
    assert report.outliers == []
    assert not report.consistent  # too few to tell
    assert report.measures[2].read == 0
    assert report.measures[2].median is None


# --------------------------------------------------------------------------- making a series


@pytest.fixture(scope="module")
def photo() -> bytes:
    """A photo to re-light in a series: the bust under the loop preset, as a PNG."""
    return PreviewRenderer().render(PRESETS["loop"].request(), 128).png()


def test_a_series_of_words_and_a_photo_on_the_preview(tmp_path: Path, photo: bytes) -> None:
    words = ["a woman with medium skin", "a man with olive skin", "a woman with tan skin"]

    async def go() -> None:
        settings = Settings(data_dir=tmp_path, preview_size=128)
        async with LightingGenerationService(settings) as service:
            made = await service.generate_series(
                PRESETS["rembrandt"].request(), [*words, photo], seed=9
            )
            assert [item.status for item in made.items] == [GenerationStatus.SUCCESS] * 4
            for item, said in zip(made.items, words, strict=False):
                assert item.request is not None
                assert item.request.subject_description == said
            assert made.items[3].source is not None  # the photo, re-lit
            assert [item.seed for item in made.items] == [subject_seed(9, i) for i in range(4)]
            assert len({item.seed for item in made.items}) == 4
            report = made.report
            assert [r.generation_id for r in report.readings] == [
                item.generation_id for item in made.items
            ]
            assert {m.measure for m in report.measures} == {"key azimuth", "ratio", "colour"}
            azimuth = report.measures[0]
            assert azimuth.read == 4
            assert azimuth.median is not None
            assert azimuth.median < 0  # Rembrandt's key: camera-left
            # every outlier was made once more, and what was kept is in the series
            assert {r.was for r in made.remade} == set(report.outliers) | {
                r.was for r in made.remade
            }
            ids = {item.generation_id for item in made.items}
            assert all(r.kept in ids for r in made.remade)

    asyncio.run(go())


def test_a_stray_subject_is_made_again_and_the_follower_kept(tmp_path: Path) -> None:
    """On the Bria mock, subject 2's seed strays (its key mirrored to the other side): the
    series names it, makes it again with a new seed, keeps the new picture and is consistent."""
    with mock_host("bria", latency_s=0.05, image_size=128) as host:
        host.server.stray_seeds(subject_seed(21, 2))
        words = [f"a person, portrait {i}" for i in range(4)]

        async def go() -> None:
            async with LightingGenerationService(host.settings(tmp_path)) as service:
                made = await service.generate_series(PRESETS["loop"].request(), words, seed=21)
                (remake,) = made.remade
                assert remake.index == 2
                assert remake.kept == remake.made != remake.was
                assert made.items[2].generation_id == remake.made
                assert made.report.consistent, made.report
                stray = await service.get_generation(remake.was)  # kept as a record all the same
                assert stray.status is GenerationStatus.SUCCESS
                assert host.server.accepted == 5

        asyncio.run(go())


def test_a_series_refuses_bad_subjects_before_making_anything(tmp_path: Path) -> None:
    async def go() -> None:
        async with LightingGenerationService(Settings(data_dir=tmp_path)) as service:
            with pytest.raises(InvalidLightingSetupError) as caught:
                await service.generate_series(
                    PRESETS["loop"].request(), ["a man", " ", b"no picture"]
                )
            assert [e.loc for e in caught.value.errors] == ["subjects.1", "subjects.2.image"]
            with pytest.raises(InvalidLightingSetupError, match="at least one"):
                await service.generate_series(PRESETS["loop"].request(), [])
            assert await service.history(limit=5) == []

    asyncio.run(go())


def test_post_series_and_lightrig_series(
    launch: Launch,  # noqa: F811
    photo: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = launch(preview_size=96).client()
    image = base64.b64encode(photo).decode()
    answer = client.post(
        "/v1/series",
        json={
            "preset": "loop",
            "subjects": [{"description": "a man"}, {"description": "a woman"}, {"image": image}],
            "seed": 5,
            "remake_outliers": False,
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["items"]) == 3
    assert body["remade"] == []
    third = body["items"][2]
    assert third["image_url"] == f"/v1/generations/{third['generation_id']}/image"
    assert third["source"]["url"].endswith("/source")
    assert client.get(third["image_url"]).status_code == 200
    assert {m["measure"] for m in body["report"]["measures"]} == {
        "key azimuth",
        "ratio",
        "colour",
    }
    refused = client.post(
        "/v1/series",
        json={"preset": "loop", "subjects": [{"description": "a man"}, {"image": "%%"}]},
    )
    assert field_locs(problem(refused, 422)) == ["body.subjects.1.image"]
    both = client.post(
        "/v1/series", json={"preset": "loop", "subjects": [{"description": "x", "image": image}]}
    )
    assert "exactly one of description or image" in problem(both, 422)["detail"]

    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("LIGHTRIG_PREVIEW_SIZE", "96")
    picture = tmp_path / "p.png"
    picture.write_bytes(photo)
    printed = json.loads(
        run(
            "series", "--preset", "split", "--subject", "a man", "--subject", "a woman",
            "--photo", str(picture), "--keep-outliers", "--json",
        ).stdout
    )  # fmt: skip
    assert len(printed["items"]) == 3
    assert printed["items"][2]["source"] is not None
    assert printed["remade"] == []
    human = run("series", "--preset", "split", "--subject", "a man", "--subject", "a woman").stdout
    assert "key azimuth: median" in human
    assert "give the subjects" in bad("series", "--preset", "split")
    assert "give the light as one of" in bad("series", "--subject", "a man")
