"""Shadows traced at a quarter of the pixels and filled in where the traced ones agree give the
visibility that tracing every pixel gives, within a few per cent on a handful of pixels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lightrig.presets import get_preset
from lightrig.render.camera import frame
from lightrig.render.kernel import shadow_kernel
from lightrig.render.preview import PreviewRenderer, _light_table
from lightrig.render.subject import subject_for

SIZE = 400


def _key_visibility(preset: str, *, half_rate: bool) -> np.ndarray:
    request = get_preset(preset).request()
    renderer = PreviewRenderer()
    # the renderer's own geometry pass and light table, as its light pass gets them
    camera = frame(request.camera_settings).as_list()
    yaw = math.radians(request.subject_yaw)
    figure = subject_for(request.subject_description).figure
    geometry = renderer._trace(camera, yaw, -request.background_distance, SIZE, figure)
    lights, _ = _light_table(request.rig())
    field = renderer.field_for(figure)
    seen = np.empty(geometry.material.shape, dtype=np.float32)
    shadow_kernel(
        yaw,
        field.grid,
        np.asarray(field.origin, dtype=np.float64),
        field.step,
        geometry.world,
        geometry.normal,
        geometry.material,
        lights[0],
        half_rate,
        2,
        seen,
    )
    return seen


@pytest.mark.parametrize("preset", ["rembrandt", "split", "butterfly", "film-noir"])
def test_half_rate_shadows_match_shadows_traced_everywhere(preset: str) -> None:
    full = _key_visibility(preset, half_rate=False)
    half = _key_visibility(preset, half_rate=True)
    # where the light does not reach (−1) the light pass never reads the visibility
    reached = full >= 0.0
    error = np.abs(half - full)[reached]
    assert float(error.max()) <= 0.06
    assert int(np.count_nonzero(error)) <= 0.0005 * error.size
    # the frame has shadow edges to get wrong: penumbra pixels, traced in full
    assert int(np.count_nonzero((full > 0.0) & (full < 1.0))) > 1000
