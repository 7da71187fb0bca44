"""The lighting plot (issue 22): one printable PDF page, rendered to pixels by poppler's
``pdftoppm`` and read back as text by ``pdftotext`` — what a crew would print and read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.stands import light_height
from lightrig.models.scene import parse_scene_request
from lightrig.plot import plot_pdf, plot_sheet
from lightrig.presets import PRESETS
from tests.test_api import Launch, field_locs, launch, problem  # noqa: F401 - the fixture
from tests.test_cli import bad, run

#: A4 landscape, long side over short side.
A4_ASPECT = 297 / 210

STROBES = {
    "lighting_setup": {
        "key": {
            "direction": "45 degrees camera-left",
            "elevation": 35,
            "distance": 1.8,
            "intensity": 0.5,
            "modifier": "octabox",
            "power": {"watt_seconds": 500},
        },
        "fill": {
            "direction": "30 degrees camera-right",
            "elevation": 0,
            "distance": 2.5,
            "intensity": 0.25,
            "color_temperature": 4300,
            "modifier": "umbrella",
            "power": {"guide_number": 28},
        },
    },
    "camera_settings": {"aperture": 8, "iso": 100, "shutter": "1/160"},
    "subject_eye_height": 1.5,
}


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        reason = f"{tool} (Debian's poppler-utils) is not installed; scripts/browser-up installs it"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    request = parse_scene_request(STROBES)
    document = plot_pdf(request, title="Two strobes", day=date(2026, 12, 6))
    path = tmp_path_factory.mktemp("plot") / "plot.pdf"
    path.write_bytes(document)
    return path, document


def test_the_plot_is_one_a4_landscape_page_with_its_pictures(
    printed: tuple[Path, bytes], tmp_path: Path
) -> None:
    path, document = printed
    assert document.startswith(b"%PDF-")
    subprocess.run(
        [_poppler("pdftoppm"), "-r", "60", "-png", str(path), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    pixels = np.asarray(Image.open(pages[0]).convert("RGB"), dtype=np.float32)
    height, width, _ = pixels.shape
    assert width / height == pytest.approx(A4_ASPECT, rel=0.01)
    ink = (pixels.min(axis=2) < 200).mean()
    assert 0.04 < ink < 0.6  # a page with drawings and words, neither blank nor filled
    # the preview sits top right: a picture, many tones, where the page is otherwise white
    preview = pixels[int(0.14 * height) : int(0.36 * height), int(0.57 * width) : int(0.7 * width)]
    assert preview.std() > 25.0
    # the diagrams' accents (the key's orange) are drawn on the left
    left = pixels[:, : int(0.5 * width)]
    orange = (left[..., 0] > 180) & (left[..., 1] < 140) & (left[..., 2] < 90)
    assert orange.sum() > 20


def test_the_plots_words_are_the_setups_numbers(printed: tuple[Path, bytes]) -> None:
    path, _ = printed
    words = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    request = parse_scene_request(STROBES)
    analysis = LightingAnalyzer().analyze(request)
    assert "Lighting plot · Two strobes" in words
    for role, report in zip(("key", "fill"), analysis.meter.lights, strict=True):
        light = request.lighting_setup[report.role]
        height = light_height(1.5, light.elevation or 0.0, light.distance)
        assert f"{height:.2f} m" in words, role
        assert report.power_setting in words
        assert report.facing is not None
        assert report.facing.text in words
    assert "500 Ws" in words
    assert "28 GN" in words
    assert "f/8 · 1/160 s · ISO 100" in words
    assert analysis.meter.exposure in words


def test_the_sheet_rows_follow_the_lights_that_are_on() -> None:
    request = PRESETS["rembrandt"].request()
    analysis = LightingAnalyzer().analyze(request)
    sheet = plot_sheet(request, analysis)
    on = [role for role, light in request.lighting_setup.items() if light.is_on]
    assert len(sheet.rows) == len(on)
    assert sheet.title == " · ".join(name.title() for name in analysis.pattern_names)


def test_post_plot_answers_a_pdf_and_refuses_bad_input_by_field(
    launch: Launch,  # noqa: F811 - the fixture
) -> None:
    client = launch().client()
    answer = client.post("/v1/plot", params={"title": "Two strobes"}, json=STROBES)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    broken = {**STROBES, "camera_settings": {"iso": 7}}
    assert field_locs(problem(client.post("/v1/plot", json=broken), 422)) == [
        "body.camera_settings.iso"
    ]


def test_lightrig_plot_writes_the_pdf(tmp_path: Path) -> None:
    found = run("plot", "--preset", "loop", "--out", str(tmp_path), "--json")
    written = Path(json.loads(found.stdout)["plot"])
    assert written == tmp_path / "loop-plot.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert "--out" in bad("plot", "--preset", "loop", "--out", str(tmp_path / "plot.png"))


def test_the_most_a_setup_can_hold_still_fits_one_page(tmp_path: Path) -> None:
    """Every role, long words everywhere and a warning for each: the diagrams shrink and the notes
    are cut so that the table still fits the page (Schemathesis found the page running over)."""
    roles = ("key", "fill", "rim", "hair", "kicker", "background")
    setup: dict[str, object] = {
        role: {
            "azimuth": -150 + 50 * index,
            "elevation": 10,
            "distance": 0.4,
            "intensity": 0.9,
            "color_temperature": 2000 + 1500 * index,
            "modifier": "octabox",
            "power": {"watt_seconds": 1200},
        }
        for index, role in enumerate(roles)
    }
    setup["ambient"] = {"intensity": 0.3, "power": {"lux_at_1m": 400}}
    request = parse_scene_request(
        {
            "subject_description": "a very long description of somebody " * 13,
            "lighting_setup": setup,
            "camera_settings": {"lens_type": "portrait", "fov": 85, "shutter": "1/2000"},
        }
    )
    document = plot_pdf(request, title="x" * 80)
    path = tmp_path / "full.pdf"
    path.write_bytes(document)
    words = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert words.count("\f") == 1  # one page
    for label in ("Key", "Fill", "Rim", "Hair", "Kicker", "Background", "Ambient"):
        assert label in words
