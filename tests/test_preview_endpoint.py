"""``POST /v1/preview`` as the studio uses it: a PNG of the size asked for (the stage's side in
device pixels), encoded fast but saying what the renderer's own PNG says — its pixels and its
exposure chunk — and one line of bad input for a size out of range. Its exposure is in a header
too; with ``probes=true`` the analyzer's probes are outlined and their ratio on the render is in
another header."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from PIL import Image

from lightrig.api.app import create_app
from lightrig.config import Settings
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import EXPOSURE_KEY, PreviewRenderer
from tests.apiserver import serve

SCENE = {
    "lighting_setup": {
        "key": {"azimuth": -45, "elevation": 35, "intensity": 0.8},
        "fill": {"azimuth": 40, "elevation": 5, "intensity": 0.3},
    }
}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("preview"), preview_size=64)
    with serve(create_app(settings, allow_anonymous=True)) as base:
        yield base


@pytest.mark.parametrize("size", [97, 330])
def test_the_preview_is_the_renderers_picture_at_the_size_asked(url: str, size: int) -> None:
    answer = httpx.post(f"{url}/v1/preview", params={"size": size}, json=SCENE, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    served = Image.open(io.BytesIO(answer.content))
    assert served.size == (size, size)
    scene = SceneRequest.model_validate(SCENE)
    # a live frame: edges anti-aliased, the open backdrop lit coarsely
    own = Image.open(
        io.BytesIO(
            PreviewRenderer().render(scene, size, antialias=True, coarse_backdrop=True).png()
        )
    )
    assert served.info[EXPOSURE_KEY] == own.info[EXPOSURE_KEY]
    assert np.array_equal(np.asarray(served.convert("RGB")), np.asarray(own.convert("RGB")))


def test_a_size_out_of_range_is_one_line_naming_it(url: str) -> None:
    answer = httpx.post(f"{url}/v1/preview", params={"size": 4000}, json=SCENE, timeout=60)
    assert answer.status_code == 422
    problem = answer.json()
    assert "size" in problem["detail"]
    assert "\n" not in problem["detail"]


def test_the_exposure_header_is_the_pictures_own(url: str) -> None:
    answer = httpx.post(f"{url}/v1/preview", params={"size": 96}, json=SCENE, timeout=120)
    assert answer.status_code == 200, answer.text
    chunk = float(Image.open(io.BytesIO(answer.content)).info[EXPOSURE_KEY])
    assert float(answer.headers["X-Lightrig-Exposure-Stops"]) == pytest.approx(chunk, abs=0.006)
    assert "X-Lightrig-Probe-Ratio-Stops" not in answer.headers  # only when asked for


def test_probes_are_outlined_and_their_ratio_follows_the_analysis(url: str) -> None:
    """With ``probes=true`` the lit probe is edged in yellow, the shadow probe in cyan, and the
    ratio read between them on the render is the analysis's ratio within a third of a stop."""
    plain = httpx.post(f"{url}/v1/preview", params={"size": 256}, json=SCENE, timeout=120)
    marked = httpx.post(
        f"{url}/v1/preview", params={"size": 256, "probes": "true"}, json=SCENE, timeout=120
    )
    assert marked.status_code == 200, marked.text
    analysis = httpx.post(f"{url}/v1/analyze", json=SCENE, timeout=60).json()
    read = float(marked.headers["X-Lightrig-Probe-Ratio-Stops"])
    assert read == pytest.approx(analysis["ratio"]["stops"], abs=1 / 3)
    before = np.asarray(Image.open(io.BytesIO(plain.content)).convert("RGB")).astype(int)
    after = np.asarray(Image.open(io.BytesIO(marked.content)).convert("RGB")).astype(int)
    changed = np.any(before != after, axis=-1)
    assert changed.any()
    colours = {tuple(pixel) for pixel in after[changed]}
    assert colours == {(255, 214, 0), (0, 200, 255)}  # nothing but the two outlines changed


def test_probes_on_a_face_that_shows_too_little_skin_say_none(url: str) -> None:
    """A head turned 90° shows the camera one cheek: the skin facing the other probe is out of
    sight, so the header says ``none`` rather than a number."""
    turned = {"subject_yaw": 90, "lighting_setup": {"key": {"azimuth": 45, "intensity": 1.0}}}
    answer = httpx.post(
        f"{url}/v1/preview", params={"size": 96, "probes": "true"}, json=turned, timeout=120
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Lightrig-Probe-Ratio-Stops"] == "none"
