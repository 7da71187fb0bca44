"""``POST /v1/preview`` as the studio uses it: a PNG of the size asked for (the stage's side in
device pixels), encoded fast but saying what the renderer's own PNG says — its pixels and its
exposure chunk — and one line of bad input for a size out of range."""

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
    own = Image.open(
        io.BytesIO(PreviewRenderer().render(SceneRequest.model_validate(SCENE), size).png())
    )
    assert served.info[EXPOSURE_KEY] == own.info[EXPOSURE_KEY]
    assert np.array_equal(np.asarray(served.convert("RGB")), np.asarray(own.convert("RGB")))


def test_a_size_out_of_range_is_one_line_naming_it(url: str) -> None:
    answer = httpx.post(f"{url}/v1/preview", params={"size": 4000}, json=SCENE, timeout=60)
    assert answer.status_code == 422
    problem = answer.json()
    assert "size" in problem["detail"]
    assert "\n" not in problem["detail"]
