"""The preview renderer, judged by measuring its pictures."""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from lightrig.models import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.bust import SKIN
from lightrig.render.kernel import BACKDROP
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.render.tonemap import encode_srgb, filmic

SIZE = 320


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def scene(lights: dict[str, Any], **extra: Any) -> SceneRequest:
    data: dict[str, Any] = {
        "lighting_setup": lights,
        "camera_settings": {"shot_type": "close-up", "focal_length": 85},
        "backdrop_color": "#404040",
    }
    data.update(extra)
    return SceneRequest.model_validate(data)


def luminance(image: PreviewImage) -> npt.NDArray[np.float64]:
    return np.asarray(image.linear, dtype=np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def region(
    image: PreviewImage,
    x: tuple[float, float],
    y: tuple[float, float],
    *,
    front: float = 0.04,
) -> npt.NDArray[np.bool_]:
    """Skin pixels whose bust-space position falls in the box (metres)."""
    local = image.local
    mask = (
        (image.material == SKIN)
        & (local[..., 0] >= x[0])
        & (local[..., 0] < x[1])
        & (local[..., 1] >= y[0])
        & (local[..., 1] < y[1])
        & (local[..., 2] > front)
    )
    assert mask.sum() >= 30, "the region must hold enough pixels to measure"
    return mask


def mean_in(image: PreviewImage, mask: npt.NDArray[np.bool_]) -> float:
    return float(luminance(image)[mask].mean())


CAMERA_LEFT_CHEEK = ((-0.06, -0.025), (-0.04, 0.0))
CAMERA_RIGHT_CHEEK = ((0.025, 0.06), (-0.04, 0.0))


def key(azimuth: float, **light: Any) -> dict[str, Any]:
    return {"key": {"azimuth": azimuth, "elevation": 25, "intensity": 1.0, **light}}


def test_the_brighter_half_follows_the_key(renderer: PreviewRenderer) -> None:
    left = renderer.render(scene(key(-60)), SIZE)
    right = renderer.render(scene(key(60)), SIZE)
    for image, bright, dark in (
        (left, CAMERA_LEFT_CHEEK, CAMERA_RIGHT_CHEEK),
        (right, CAMERA_RIGHT_CHEEK, CAMERA_LEFT_CHEEK),
    ):
        assert mean_in(image, region(image, *bright)) > 4 * mean_in(image, region(image, *dark))


def test_doubling_the_key_distance_costs_two_stops(renderer: PreviewRenderer) -> None:
    def lit_cheek(distance: float) -> float:
        image = renderer.render(
            scene(key(-45, distance=distance, modifier_size=0.02)), SIZE, exposure=1.0
        )
        return mean_in(image, region(image, *CAMERA_LEFT_CHEEK))

    assert math.log2(lit_cheek(1.0) / lit_cheek(2.0)) == pytest.approx(2.0, abs=0.15)
    assert math.log2(lit_cheek(1.5) / lit_cheek(3.0)) == pytest.approx(2.0, abs=0.15)


def test_tungsten_is_redder_than_shade_under_one_white_balance(renderer: PreviewRenderer) -> None:
    def red_over_blue(kelvin: float, white_balance: float = 5600) -> float:
        image = renderer.render(
            scene(
                key(-45, color_temperature=kelvin),
                camera_settings={"shot_type": "close-up", "white_balance": white_balance},
            ),
            SIZE,
        )
        mask = region(image, *CAMERA_LEFT_CHEEK)
        return float(image.linear[..., 0][mask].mean() / image.linear[..., 2][mask].mean())

    warm, cool = red_over_blue(3200), red_over_blue(6500)
    assert warm > 1.6 * cool
    # a light at the white balance renders the same whatever its temperature
    assert red_over_blue(3200, 3200) == pytest.approx(red_over_blue(5600, 5600), rel=0.02)


def _outer_edge_width(image: PreviewImage) -> float:
    """Width in pixels (20% to 80%) of the outer edge of the head's shadow on the backdrop.

    Measured along the eye-level row, on the backdrop to the camera-left of the head, where the
    profile runs lit → shadow → lit: the edge between the shadow and the outer lit backdrop.
    """
    bust = (image.material != BACKDROP) & (np.abs(image.local[..., 1]) < 0.004)
    row = int(np.median(np.flatnonzero(bust.any(axis=1))))
    lum = luminance(image)[row]
    head_left = int(np.flatnonzero(image.material[row] != BACKDROP).min())
    profile = lum[:head_left]
    darkest = int(np.argmin(profile))
    outer = profile[: darkest + 1]
    lit = float(np.median(outer[:10]))
    level = (outer - outer[-1]) / (lit - outer[-1])
    low = int(np.flatnonzero(level < 0.2)[0])
    high = int(np.flatnonzero(level < 0.8)[0])
    return float(low - high)


def test_a_larger_source_widens_the_penumbra(renderer: PreviewRenderer) -> None:
    def width(size_m: float) -> float:
        light = {"azimuth": 25, "elevation": 0, "distance": 2.0, "intensity": 1}
        image = renderer.render(
            scene(
                {"key": {**light, "modifier_size": size_m}},
                background_distance=0.6,
                camera_settings={"shot_type": "medium shot", "focal_length": 50},
            ),
            SIZE,
        )
        return _outer_edge_width(image)

    hard, soft = width(0.05), width(0.3)
    # geometry: penumbra ≈ size × 0.6 m / 2 m, about 2.4 mm per pixel here
    assert hard < 10
    assert soft > 3 * max(hard, 2.0)


def test_rembrandt_preset_leaves_a_lit_triangle_on_the_shadow_cheek(
    renderer: PreviewRenderer,
) -> None:
    image = renderer.render(PRESETS["rembrandt"].request(), 400)
    triangle = mean_in(image, region(image, (0.02, 0.04), (-0.03, -0.01)))
    outer_cheek = mean_in(image, region(image, (0.05, 0.065), (-0.04, -0.01)))
    below = mean_in(image, region(image, (0.025, 0.045), (-0.065, -0.045)))
    lit_side = mean_in(image, region(image, (-0.045, -0.02), (-0.03, -0.01)))
    assert triangle > 2.0 * outer_cheek
    assert triangle > 1.5 * below
    assert triangle < lit_side


def test_split_preset_leaves_one_half_dark(renderer: PreviewRenderer) -> None:
    image = renderer.render(PRESETS["split"].request(), 400)
    lit = mean_in(image, region(image, (-0.06, -0.015), (-0.06, 0.02), front=0.0))
    dark = mean_in(image, region(image, (0.015, 0.06), (-0.06, 0.02), front=0.0))
    assert lit > 8 * dark


def test_a_light_behind_leaves_the_face_dark_and_lights_the_rim(
    renderer: PreviewRenderer,
) -> None:
    image = renderer.render(
        scene(
            {
                "rim": {
                    "azimuth": 150,
                    "elevation": 15,
                    "distance": 1.2,
                    "intensity": 1,
                    "modifier": "strip_box",
                }
            },
            backdrop_color="#101010",
        ),
        SIZE,
        exposure=40.0,
    )
    lum = luminance(image)
    face = mean_in(image, region(image, (-0.03, 0.03), (-0.06, 0.02), front=0.07))
    on_bust = (image.material != BACKDROP) & (image.material >= 0)
    rim_side = on_bust & (image.local[..., 0] > 0.055)
    rim = float(np.percentile(lum[rim_side], 95))
    assert rim > 0.3
    assert face < 0.02 * rim


def test_the_background_light_lights_the_backdrop_only(renderer: PreviewRenderer) -> None:
    plain = renderer.render(scene(key(-45)), SIZE, exposure=1.0)
    lit = renderer.render(
        scene(
            {**key(-45), "background": {"direction": "behind", "intensity": 1.0, "distance": 1.0}}
        ),
        SIZE,
        exposure=1.0,
    )
    backdrop = plain.material == BACKDROP
    assert luminance(lit)[backdrop].mean() > 2 * luminance(plain)[backdrop].mean()
    face = region(plain, *CAMERA_LEFT_CHEEK)
    assert luminance(lit)[face].mean() == pytest.approx(luminance(plain)[face].mean(), rel=1e-4)


def test_output_is_a_real_png_of_the_asked_size(renderer: PreviewRenderer) -> None:
    image = renderer.render(PRESETS["loop"].request(), 96, supersample=2)
    decoded = Image.open(io.BytesIO(image.png()))
    assert decoded.size == (96, 96)
    assert decoded.mode == "RGB"
    assert np.array_equal(np.asarray(decoded), image.srgb)
    assert 40 < image.srgb.mean() < 220
    with pytest.raises(ValueError, match="outside 16–4096 pixels"):
        renderer.render(PRESETS["loop"].request(), 8)


def test_every_preset_renders_a_lit_face(renderer: PreviewRenderer) -> None:
    for name, preset in PRESETS.items():
        image = renderer.render(preset.request(), 96)
        skin = image.material == SKIN
        assert skin.sum() > 200, name
        brightness = image.srgb[skin].mean(axis=1)
        if name == "silhouette":
            assert np.median(brightness) < 30, name
        else:
            assert np.percentile(brightness, 99) > 120, name


@pytest.mark.parametrize("intensity", [1e-323, 1.6e-133, 1e-30])
def test_a_light_too_faint_to_show_renders_dark_not_an_overflow(
    renderer: PreviewRenderer, intensity: float
) -> None:
    """The exposure follows the light however faint it is, up to what float32 radiance can
    carry (a light at 1e-133 of full power once asked for 1e133 — an overflow, then NaN — and
    one at 1e-323 divided by a radiance that had underflowed to 0)."""
    image = renderer.render(scene({"key": {"azimuth": 30.0, "intensity": intensity}}), 48)
    assert math.isfinite(image.exposure)
    assert np.isfinite(image.linear).all()
    if intensity < 1e-100:
        assert int(image.srgb.max()) == 0  # nothing a float32 can hold shows


def test_the_tone_curve_takes_any_float_without_overflow() -> None:
    """An enormous exposure (a face nearly unlit) or a NaN never overflows or leaks through:
    they tone-map to white and to black, as the curve's ends do."""
    values = np.array([0.0, 0.18, 7.5, 1e19, 3e38, np.inf, np.nan, -1.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        encoded = encode_srgb(filmic(values))
    assert encoded.tolist()[3:] == [255, 255, 255, 0, 0]
    assert encoded[0] == 0
    assert 0 < encoded[1] < 255
    assert encoded[2] == 255


def test_antialiasing_resamples_the_edges_only_and_comes_near_full_supersampling(
    renderer: PreviewRenderer,
) -> None:
    """With ``antialias`` only edge pixels change (interior pixels keep their one sample), and
    the picture comes much nearer a full 2 × 2 supersampled render of the same scene."""
    from lightrig.render.edges import edge_pixels

    request = PRESETS["rembrandt"].request()
    plain = renderer.render(request, 200)
    smooth = renderer.render(request, 200, antialias=True)
    reference = renderer.render(request, 200, supersample=2)
    assert request.subject_yaw == 0  # so the bust's own positions are the world's
    edges = edge_pixels(plain.material, plain.local)
    changed = np.any(plain.srgb != smooth.srgb, axis=-1)
    assert changed.any()
    assert not (changed & ~edges).any()  # the interior is untouched
    assert np.array_equal(plain.material, smooth.material)  # the buffers keep the centres

    def error(picture: PreviewImage) -> float:
        return float(np.abs(picture.srgb.astype(float) - reference.srgb.astype(float)).mean())

    assert error(smooth) < 0.6 * error(plain), (error(smooth), error(plain))


def _catchlight(
    renderer: PreviewRenderer, modifier: str, size: float | None = 0.9
) -> npt.NDArray[np.bool_]:
    """The catchlight in the camera-left eye: near-white pixels over the iris and pupil of an
    extreme close-up, the key 15° left and 10° up, 2 m away, ``size`` metres across (the
    modifier's own size when ``None``)."""
    from lightrig.render.kernel import IRIS, PUPIL

    key: dict[str, Any] = {
        "azimuth": -15,
        "elevation": 10,
        "distance": 2.0,
        "intensity": 0.9,
        "modifier": modifier,
    }
    if size is not None:
        key["modifier_size"] = size
    request = SceneRequest.model_validate(
        {"camera_settings": {"shot_type": "extreme close-up"}, "lighting_setup": {"key": key}}
    )
    picture = renderer.render(request, 1024, antialias=True)
    from scipy import ndimage

    eye = np.isin(picture.material, (IRIS, PUPIL)) & (picture.local[..., 0] < 0)
    eye = ndimage.binary_erosion(eye, iterations=3)  # not the iris's rim against the white
    assert eye.sum() > 2000, "the eye is too small to measure"
    bright = picture.srgb.astype(float) @ np.array([0.2126, 0.7152, 0.0722]) > 200
    return eye & bright


def _largest(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """The largest connected part of ``mask``."""
    from scipy import ndimage

    labels, count = ndimage.label(mask)
    assert count, "no catchlight"
    return np.asarray(labels == np.bincount(labels.ravel())[1:].argmax() + 1)


def _parts(mask: npt.NDArray[np.bool_], least: int = 12) -> int:
    """How many connected parts of ``mask`` hold at least ``least`` pixels."""
    from scipy import ndimage

    labels, _ = ndimage.label(mask)
    return int((np.bincount(labels.ravel())[1:] >= least).sum())


def _extent(mask: npt.NDArray[np.bool_]) -> tuple[int, int]:
    rows, cols = np.nonzero(mask)
    return int(np.ptp(rows)) + 1, int(np.ptp(cols)) + 1


def test_catchlights_take_the_modifiers_shape(renderer: PreviewRenderer) -> None:
    """The eye reflects the source's face: a disc for an octabox, a tall bar for a strip box,
    a ring with a dark centre for a beauty dish, four panes for a window, a pin-point for a bare
    bulb."""
    disc = _largest(_catchlight(renderer, "octabox"))
    tall, wide = _extent(disc)
    assert 0.8 <= tall / wide <= 1.25, (tall, wide)
    assert disc.sum() > 0.8 * math.pi / 4 * tall * wide  # filled

    strip = _largest(_catchlight(renderer, "strip_box"))
    tall, wide = _extent(strip)
    assert tall > 2.5 * wide, (tall, wide)

    ring = _largest(_catchlight(renderer, "beauty_dish"))
    rows, cols = np.nonzero(ring)
    centre = (round(rows.mean()), round(cols.mean()))
    assert not ring[centre], "a beauty dish's catchlight has a dark centre"
    assert ring.sum() > 0.5 * disc.sum()  # a ring, not a speck

    panes = _catchlight(renderer, "window")
    assert _parts(panes) == 4

    bulb = _catchlight(renderer, "bare", None)
    assert 0 < bulb.sum() < disc.sum() / 10


def test_skin_warms_at_the_shadow_edge_without_changing_its_luminance(
    renderer: PreviewRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Subsurface light: at a split light's terminator the skin is redder (red over blue up by
    over a tenth) than the same render without it, squarely lit skin is not, and every pixel's
    luminance — what meters, probes and the verifier read — is the same."""
    from lightrig.render import preview

    request = PRESETS["split"].request()
    warm = renderer.render(request, 256, exposure=1.0)
    opaque = MATERIALS_WITHOUT_SUBSURFACE()
    monkeypatch.setattr(preview, "MATERIALS", opaque)
    flat = renderer.render(request, 256, exposure=1.0)
    skin = warm.material == SKIN
    lum_warm, lum_flat = luminance(warm)[skin], luminance(flat)[skin]
    assert np.allclose(lum_warm, lum_flat, rtol=2e-3, atol=1e-6)

    def redness(picture: PreviewImage) -> npt.NDArray[np.float64]:
        rgb = picture.linear.astype(np.float64)[skin]
        return rgb[:, 0] / np.maximum(rgb[:, 2], 1e-9)

    # the terminator: skin the key grazes, a tenth to three tenths of the brightest skin's level
    top = np.percentile(lum_flat, 95)
    edge = (lum_flat > 0.1 * top) & (lum_flat < 0.3 * top)
    assert edge.sum() > 50
    assert np.median(redness(warm)[edge] / redness(flat)[edge]) > 1.1
    full = lum_flat > 0.6 * top  # squarely lit skin keeps its colour
    assert np.median(redness(warm)[full] / redness(flat)[full]) < 1.02


def MATERIALS_WITHOUT_SUBSURFACE() -> npt.NDArray[np.float64]:  # noqa: N802 - a table
    """The material table with no material translucent."""
    from lightrig.render.kernel import MATERIALS

    table = MATERIALS.copy()
    table[:, 6] = 0.0
    return table


def test_a_coarse_backdrop_looks_the_same_for_every_preset(renderer: PreviewRenderer) -> None:
    """A live frame lights the open backdrop on every other row and column (three pixels in
    four of it skipped) and fills the rest: no pixel of any preset moves by more than a few
    code values, and the bust is untouched."""
    from lightrig.render.edges import coarse_backdrop
    from lightrig.render.kernel import EMPTY

    for name, preset in PRESETS.items():
        request = preset.request()
        full = renderer.render(request, 160, antialias=True)
        coarse = renderer.render(request, 160, antialias=True, coarse_backdrop=True)
        plan = coarse_backdrop(full.material, BACKDROP, EMPTY)
        skipped = (plan.material == EMPTY) & (full.material == BACKDROP)
        assert skipped.sum() > 0.5 * (full.material == BACKDROP).sum(), name
        difference = np.abs(full.srgb.astype(int) - coarse.srgb.astype(int))
        assert difference.max() <= 6, (name, difference.max())
        bust = ~np.isin(full.material, (BACKDROP, EMPTY))
        assert not difference[bust].any(), name
