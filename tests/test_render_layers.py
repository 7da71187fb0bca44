"""A frame summed from kept light layers is the picture a render from scratch gives.

The renderer keeps each light's shaded layer of the last frame of each framing
(:mod:`lightrig.render.layers`); a studio drag then shades only the light that moved. Each test
renders a sequence of changes with one renderer (its caches filling as they go) and compares
every frame with a fresh renderer's render of the same request: the same sRGB picture within one
code value, the same linear light within float32 rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import lightrig.render.preview as preview_module
from lightrig.models import SceneRequest
from lightrig.presets import get_preset
from lightrig.render.kernel import shade_kernel
from lightrig.render.layers import LayerCache
from lightrig.render.preview import PreviewImage, PreviewRenderer

SIZE = 160
#: The studio's frames: one sample a pixel, edges anti-aliased, the open backdrop coarse.
LIVE: dict[str, Any] = {"antialias": True, "coarse_backdrop": True}
Edit = Callable[[dict[str, Any]], None]


def _request(data: dict[str, Any]) -> SceneRequest:
    return SceneRequest.model_validate(data)


def _preset(name: str) -> dict[str, Any]:
    data: dict[str, Any] = get_preset(name).request().model_dump(mode="json")
    for light in data["lighting_setup"].values():
        light.pop("direction", None)  # the azimuth is what the edits move
    data["camera_settings"].pop("fov", None)
    return data


def _assert_same(cached: PreviewImage, fresh: PreviewImage) -> None:
    codes = np.abs(cached.srgb.astype(np.int16) - fresh.srgb.astype(np.int16))
    assert int(codes.max()) <= 1
    np.testing.assert_allclose(cached.linear, fresh.linear, rtol=1e-5, atol=1e-6)
    assert cached.exposure == fresh.exposure


def _move_key(data: dict[str, Any]) -> None:
    data["lighting_setup"]["key"]["azimuth"] += 17.0


def _add_light(data: dict[str, Any]) -> None:
    data["lighting_setup"]["rim"] = {"azimuth": 135.0, "elevation": 20.0, "intensity": 0.6}


def _remove_fill(data: dict[str, Any]) -> None:
    data["lighting_setup"].pop("fill", None)


def _subject(data: dict[str, Any]) -> None:
    data["subject_description"] = "a woman in her twenties with deep brown skin"


def _camera(data: dict[str, Any]) -> None:
    data["camera_settings"]["focal_length"] = 50.0
    data["camera_settings"]["shot_type"] = "close-up"


def _backdrop(data: dict[str, Any]) -> None:
    data["backdrop_color"] = "#6a7f95"


EDITS: list[Edit] = [_move_key, _add_light, _move_key, _remove_fill, _subject, _camera, _backdrop]


@pytest.mark.parametrize("preset", ["rembrandt", "clamshell", "rim-light", "window-light"])
@pytest.mark.parametrize(
    "options", [{}, LIVE, {"supersample": 2}], ids=["plain", "live", "supersampled"]
)
def test_cached_frames_equal_fresh_renders(preset: str, options: dict[str, Any]) -> None:
    renderer = PreviewRenderer()
    data = _preset(preset)
    renderer.render(_request(data), SIZE, **options)
    for edit in EDITS:
        edit(data)
        request = _request(data)
        renderer.render(request, SIZE // 2, **options)  # a low frame of the same scene between
        cached = renderer.render(request, SIZE, **options)
        _assert_same(cached, PreviewRenderer().render(request, SIZE, **options))


def test_a_moved_light_is_the_only_one_shaded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = PreviewRenderer()
    data = _preset("rembrandt")
    renderer.render(_request(data), SIZE, **LIVE)
    shaded: list[int] = []
    kernel = shade_kernel

    def counting(*args: Any) -> None:
        shaded.append(args[10].shape[0])  # the rows of the light table it is given
        kernel(*args)

    monkeypatch.setattr(preview_module, "shade_kernel", counting)
    _move_key(data)
    renderer.render(_request(data), SIZE, **LIVE)
    # the frame and its edge samples: each the moved key alone
    assert shaded == [1, 1]


def test_without_a_budget_nothing_is_kept_and_the_frame_is_the_same() -> None:
    data = _preset("loop")
    request = _request(data)
    keeping = PreviewRenderer()
    keeping.render(request, SIZE)
    unkept = PreviewRenderer(layer_budget_bytes=0)
    _assert_same(unkept.render(request, SIZE), keeping.render(request, SIZE))


def test_the_layer_cache_keeps_the_last_frame_of_each_group_within_its_budget() -> None:
    layer = np.zeros((8, 8, 3), dtype=np.float32)  # 768 bytes
    cache = LayerCache(budget_bytes=3 * layer.nbytes)
    cache.keep("a", {1: layer.copy(), 2: layer.copy()})
    cache.keep("b", {1: layer.copy()})
    assert cache.nbytes == 3 * layer.nbytes
    kept = cache.layers("a")[1]
    assert not kept.flags.writeable  # a kept layer is never changed in place
    cache.keep("a", {3: layer.copy()})  # a's next frame replaces its last one
    assert set(cache.layers("a")) == {3}
    cache.keep("c", {1: layer.copy(), 2: layer.copy()})  # over budget: b, kept first, goes
    assert cache.layers("b") == {}
    assert cache.nbytes == 3 * layer.nbytes
    cache.keep("d", {i: layer.copy() for i in range(4)})  # larger than the budget: not kept
    assert cache.layers("d") == {}
    with pytest.raises(ValueError, match="budget_bytes"):
        LayerCache(budget_bytes=-1)
