"""Verification: reading the light from a picture, and checking a picture against a request."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lightrig.models import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewRenderer
from lightrig.verify import (
    DirectionEstimate,
    ImageDecodeError,
    KeySide,
    LightingEstimate,
    SubjectKind,
    adherence,
    estimate_lighting,
    verify_image,
)
from lightrig.verify.chroma import SKIN_ALBEDO
from lightrig.verify.readings import side_of

SIZE = 224


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def scene(
    key_azimuth: float = 45.0,
    *,
    kelvin: float = 5600.0,
    fill: float = 0.2,
    key_elevation: float = 35.0,
) -> SceneRequest:
    """A key and a fill on the key's far side, every light at ``kelvin``."""
    far = -1.0 if key_azimuth > 0 else 1.0
    lights: dict[str, Any] = {
        "key": {
            "azimuth": key_azimuth,
            "elevation": key_elevation,
            "intensity": 1.0,
            "softness": 0.4,
            "color_temperature": kelvin,
        },
        "fill": {
            "azimuth": far * 30.0,
            "elevation": 0.0,
            "intensity": fill,
            "softness": 0.8,
            "distance": 2.0,
            "color_temperature": kelvin,
        },
    }
    return SceneRequest.model_validate(
        {
            "lighting_setup": lights,
            "camera_settings": {"shot_type": "medium close-up", "focal_length": 85},
            "backdrop_color": "#5a5a5a",
        }
    )


def png(renderer: PreviewRenderer, request: SceneRequest, size: int = SIZE) -> bytes:
    return renderer.render(request, size).png()


def jpeg(
    renderer: PreviewRenderer, request: SceneRequest, size: int = SIZE, quality: int = 90
) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(renderer.render(request, size).srgb).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def score(report_adherence: Any, attribute: str) -> float:
    value = next(s.score for s in report_adherence.scores if s.attribute == attribute)
    assert value is not None, f"{attribute} was not compared"
    return float(value)


def test_skin_albedo_is_the_preview_bust_skin() -> None:
    from lightrig.render.kernel import MATERIALS

    assert np.allclose(SKIN_ALBEDO, MATERIALS[0, :3])


def test_light_from_the_wrong_side_scores_low_and_says_so(renderer: PreviewRenderer) -> None:
    asked = scene(45.0)
    mirrored = png(renderer, scene(-45.0))
    report = verify_image(mirrored, asked, renderer)
    assert report.adherence is not None
    assert report.estimate.key_side is not None
    assert report.estimate.key_side.side is KeySide.CAMERA_LEFT
    assert score(report.adherence, "key_side") == 0.0
    assert score(report.adherence, "direction") < 0.3
    assert "key came from camera-left, asked camera-right" in report.adherence.findings
    assert report.adherence.verdict.startswith("does not follow the requested light: key came")
    assert report.adherence.overall is not None
    assert report.adherence.overall < 0.6


def test_a_wrong_colour_temperature_scores_low_on_colour(renderer: PreviewRenderer) -> None:
    asked = scene(45.0, kelvin=5600.0)
    warm = png(renderer, scene(45.0, kelvin=3200.0))
    report = verify_image(warm, asked, renderer)
    assert report.adherence is not None
    assert report.estimate.colour is not None
    assert abs(report.estimate.colour.kelvin - 3200.0) < 200.0
    assert score(report.adherence, "colour") <= 0.05
    assert score(report.adherence, "key_side") == 1.0
    assert any("K warmer than asked" in finding for finding in report.adherence.findings)
    assert report.adherence.verdict.startswith("does not follow the requested light: light is")


def test_the_right_setup_scores_high(renderer: PreviewRenderer) -> None:
    asked = scene(45.0, kelvin=5600.0)
    # close to what was asked, not the same picture: 5° further round, 150 K cooler, a JPEG
    near = jpeg(renderer, scene(50.0, kelvin=5750.0, fill=0.22), 288)
    report = verify_image(near, asked, renderer)
    assert report.adherence is not None
    assert report.reference_size == 288
    assert report.adherence.overall is not None
    assert report.adherence.overall >= 0.8
    assert report.adherence.verdict == "follows the requested light"
    assert score(report.adherence, "key_side") == 1.0
    assert score(report.adherence, "colour") >= 0.9
    assert score(report.adherence, "ratio") >= 0.7


def test_a_flat_grey_image_cannot_be_estimated_and_says_why(renderer: PreviewRenderer) -> None:
    grey = np.full((200, 240, 3), 128, dtype=np.uint8)
    estimate = estimate_lighting(grey)
    assert not estimate.subject.found
    assert estimate.subject.kind is SubjectKind.NONE
    for attribute in ("key_side", "direction", "ratio", "colour", "hardness"):
        assert getattr(estimate, attribute) is None
        assert "flat" in estimate.reasons[attribute]
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, "PNG")
    report = verify_image(buffer.getvalue(), scene(45.0), renderer)
    assert report.adherence is not None
    assert report.adherence.overall is None
    assert report.adherence.verdict.startswith("cannot tell")
    assert all(s.score is None for s in report.adherence.scores)


def test_black_and_tiny_pictures_cannot_be_estimated() -> None:
    black = estimate_lighting(np.zeros((64, 64, 3), dtype=np.uint8))
    assert black.direction is None
    assert "black" in black.reasons["direction"]
    tiny = estimate_lighting(np.full((10, 10, 3), 90, dtype=np.uint8))
    assert not tiny.subject.found
    assert "pixels" in tiny.reasons["colour"]


def test_bytes_that_are_not_a_picture_are_an_error() -> None:
    with pytest.raises(ImageDecodeError):
        estimate_lighting(b"not a picture at all")


@pytest.mark.parametrize(
    ("preset", "side"),
    [
        ("rembrandt", KeySide.CAMERA_LEFT),
        ("loop", KeySide.CAMERA_RIGHT),
        ("split", KeySide.CAMERA_LEFT),
        ("window-light", KeySide.CAMERA_LEFT),
        ("film-noir", KeySide.CAMERA_LEFT),
        ("butterfly", KeySide.FRONT),
    ],
)
def test_preset_renders_show_their_key_side(
    renderer: PreviewRenderer, preset: str, side: KeySide
) -> None:
    request = PRESETS[preset].request()
    estimate = estimate_lighting(
        png(renderer, request), white_balance=request.camera_settings.white_balance
    )
    assert estimate.subject.kind is SubjectKind.FACE
    assert estimate.key_side is not None
    assert estimate.key_side.side is side
    assert estimate.key_side.confidence >= 0.3


def test_the_estimate_reads_the_setup(renderer: PreviewRenderer) -> None:
    request = scene(-60.0, kelvin=3400.0, fill=0.15)
    estimate = estimate_lighting(png(renderer, request))
    assert estimate.direction is not None
    assert estimate.colour is not None
    assert abs(estimate.direction.azimuth - -60.0) <= 15.0
    assert abs(estimate.colour.mired - 1e6 / 3400.0) <= 25.0
    assert estimate.colour.white_balance == 5600.0
    assert estimate.ratio is not None
    assert estimate.ratio.stops > 1.0
    assert estimate.hardness is not None
    box = estimate.subject.box
    assert box is not None
    top, left, bottom, right = box
    assert 0 <= top < bottom <= SIZE // 2 + 30
    assert left < SIZE // 2 < right


@pytest.mark.parametrize(
    ("quality", "sides_agreeing", "median_stops", "max_mireds"),
    [(95, 7, 0.2, 12.0), (90, 6, 0.3, 13.0)],
)
def test_jpeg_reads_like_png(
    renderer: PreviewRenderer,
    quality: int,
    sides_agreeing: int,
    median_stops: float,
    max_mireds: float,
) -> None:
    """Eight random setups, each read from PNG and from JPEG: the readings agree.

    JPEG's errors of a few code values are magnified where the tone curve is undone — deep
    shadows and bright, saturated channels — so under warm light with little fill the shadow
    side can go unrecognised (a known weakness, worse at quality 90): agreement is asked of the
    set, not of every setup. At quality 90 the colour reading of one setup of the eight is
    12.5 mireds from its PNG's since the renderer's compiled tone map and half-rate shadows
    (its pixels moved by at most a code value; 0.5 mired before, while another setup went from
    4.6 to 1.1): the bound there is 13 mireds, 12 at quality 95.
    """
    rng = np.random.default_rng(10)
    sides, turns, stops, mireds = [], [], [], []
    for _ in range(8):
        request = scene(
            float(rng.choice([-1, 1]) * rng.uniform(25, 80)),
            kelvin=float(1e6 / rng.uniform(1e6 / 7500, 1e6 / 2700)),
            fill=float(rng.uniform(0.1, 0.4)),
            key_elevation=float(rng.uniform(5, 50)),
        )
        from_png = estimate_lighting(png(renderer, request, 256))
        from_jpeg = estimate_lighting(jpeg(renderer, request, 256, quality))
        assert from_png.key_side is not None
        assert from_jpeg.key_side is not None
        assert from_png.direction is not None
        assert from_jpeg.direction is not None
        assert from_png.ratio is not None
        assert from_jpeg.ratio is not None
        assert from_png.colour is not None
        assert from_jpeg.colour is not None
        sides.append(from_png.key_side.side is from_jpeg.key_side.side)
        turns.append(abs(from_png.direction.azimuth - from_jpeg.direction.azimuth))
        stops.append(abs(from_png.ratio.stops - from_jpeg.ratio.stops))
        mireds.append(abs(from_png.colour.mired - from_jpeg.colour.mired))
    assert sum(sides) >= sides_agreeing
    assert float(np.median(turns)) <= 6.0
    assert float(np.median(stops)) <= median_stops
    assert max(mireds) <= max_mireds


def test_a_picture_without_skin_falls_back_to_the_centre_with_low_confidence() -> None:
    rows = np.linspace(0.0, 1.0, 160)[:, None]
    cols = np.linspace(0.0, 1.0, 200)[None, :]
    picture = np.stack(
        [0.1 + 0.1 * rows + 0 * cols, 0.3 + 0.4 * cols + 0 * rows, 0.6 + 0.3 * rows * cols],
        axis=-1,
    )
    estimate = estimate_lighting(picture)
    assert estimate.subject.kind is SubjectKind.CENTRAL_REGION
    assert estimate.subject.confidence <= 0.2
    assert "central" in estimate.subject.reason
    for attribute in ("direction", "colour"):
        value = getattr(estimate, attribute)
        assert value is None or value.confidence <= 0.2


def test_without_a_request_the_report_holds_the_estimate_only(
    renderer: PreviewRenderer,
) -> None:
    report = verify_image(png(renderer, scene(45.0)), None, renderer)
    assert report.reference is None
    assert report.adherence is None
    assert isinstance(report.estimate, LightingEstimate)
    assert report.estimate.key_side is not None
    assert report.estimate.key_side.side is KeySide.CAMERA_RIGHT


def test_adherence_of_an_estimate_with_itself_is_perfect(renderer: PreviewRenderer) -> None:
    estimate = estimate_lighting(png(renderer, scene(-30.0, kelvin=4500.0)))
    same = adherence(estimate, estimate)
    assert same.overall == 1.0
    assert same.findings == []
    assert same.verdict == "follows the requested light"
    assert LightingEstimate.model_validate_json(estimate.model_dump_json()) == estimate


def test_an_unsure_fit_defers_to_the_brighter_half_of_the_face() -> None:
    def side(confidence: float, asymmetry: float | None) -> KeySide:
        direction = DirectionEstimate(azimuth=5.0, elevation=10.0, confidence=confidence)
        return side_of(direction, asymmetry=asymmetry, subject_confidence=1.0).side

    assert side(0.3, -1.2) is KeySide.CAMERA_LEFT  # the fit says front, the left half is brighter
    assert side(0.3, 1.0) is KeySide.CAMERA_RIGHT
    assert side(0.3, -0.5) is KeySide.FRONT  # halves too alike to overrule the fit
    assert side(0.8, -1.2) is KeySide.FRONT  # a sure fit stands
    assert side(0.3, None) is KeySide.FRONT
    assert side(0.1, -1.2) is KeySide.CAMERA_LEFT  # no direction at all, but a clear side
    assert side(0.1, None) is KeySide.AMBIGUOUS


def test_a_key_fitted_near_the_front_leans_to_a_clearly_brighter_half() -> None:
    def side(azimuth: float, asymmetry: float | None) -> KeySide:
        direction = DirectionEstimate(azimuth=azimuth, elevation=0.0, confidence=0.5)
        return side_of(direction, asymmetry=asymmetry, subject_confidence=1.0).side

    assert side(-8.0, -0.6) is KeySide.CAMERA_LEFT  # fitted 8° left, left half 0.6 stop brighter
    assert side(8.0, 0.6) is KeySide.CAMERA_RIGHT
    assert side(-8.0, -0.3) is KeySide.FRONT  # halves too alike
    assert side(-8.0, 0.6) is KeySide.FRONT  # leaning away from the brighter half
    assert side(-3.0, -0.6) is KeySide.FRONT  # too near the lens axis to lean
    assert side(-8.0, None) is KeySide.FRONT


def test_a_key_on_the_darker_half_stands_only_when_the_fit_shows_why() -> None:
    direction = DirectionEstimate(azimuth=80.0, elevation=55.0, confidence=0.8)

    def side(modelled: float | None) -> KeySide:
        return side_of(
            direction, asymmetry=-1.4, subject_confidence=1.0, modelled_asymmetry=modelled
        ).side

    # a high key on the right with a fill across: the fitted lights make the left half brighter
    assert side(-1.0) is KeySide.CAMERA_RIGHT
    # the fitted lights make the right half brighter, or the left hardly: the brighter half wins
    assert side(0.5) is KeySide.CAMERA_LEFT
    assert side(-0.5) is KeySide.CAMERA_LEFT
    assert side(None) is KeySide.CAMERA_LEFT


def test_the_nose_hides_a_light_from_straight_above_the_upper_lip() -> None:
    from lightrig.verify.occlusion import occlusion_for
    from lightrig.verify.shading import unit

    # the middle of the upper lip (under the nose) and the middle of the forehead
    across = np.array([0.0, 0.0])
    down = np.array([0.86, 0.15])
    seen = occlusion_for(across, down)(np.stack([unit(0.0, 70.0), unit(0.0, 5.0)]))
    assert seen.shape == (2, 2)
    assert ((seen >= 0.0) & (seen <= 1.0)).all()
    lip_above, lip_front = seen[0]
    forehead_above, forehead_front = seen[1]
    assert lip_above < 0.3, "the nose should shade the upper lip from a light overhead"
    assert min(forehead_above, forehead_front, lip_front) > 0.8
    # a surface does not see a light behind it
    assert occlusion_for(np.array([0.0]), np.array([0.5]))(unit(180.0, 0.0)[None, :])[0, 0] == 0.0


@pytest.mark.xfail(
    strict=True,
    reason="on the reshaped bust the classical way places the bust's normals by an outline "
    "that loses the dark lower cheeks: the key at -40° is read at -95°, 84° up (issue 19)",
)
def test_the_fit_with_cast_shadows_finds_a_high_side_key(renderer: PreviewRenderer) -> None:
    # Lambert's law alone put this key at about −72° azimuth; the bust's tabulated cast shadows
    # (the classical way's) place it. (By landmarks it reads about −26°/33°: the generic face
    # posed to mediapipe's landmarks sits a few degrees off on a frontal render.)
    request = SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {"azimuth": -40, "elevation": 45, "softness": 0.3, "intensity": 1.0}
            },
            "backdrop_color": "#606060",
        }
    )
    estimate = estimate_lighting(png(renderer, request, 256), method="classical")
    assert estimate.direction is not None
    assert abs(estimate.direction.azimuth - -40.0) <= 8.0
    assert abs(estimate.direction.elevation - 45.0) <= 15.0


@pytest.mark.parametrize(
    ("azimuth", "backdrop"), [(70.0, "#606060"), (-80.0, "#606060"), (70.0, "#202020")]
)
def test_a_face_half_in_black_shadow_keeps_its_full_outline(
    renderer: PreviewRenderer, azimuth: float, backdrop: str
) -> None:
    from lightrig.verify.image import decode, linearise
    from lightrig.verify.subject import find_subject

    def outline(key_azimuth: float) -> Any:
        request = SceneRequest.model_validate(
            {
                "lighting_setup": {
                    "key": {
                        "azimuth": key_azimuth,
                        "elevation": 10,
                        "distance": 1.5,
                        "softness": 0.3,
                        "intensity": 1.0,
                    }
                },
                "backdrop_color": backdrop,
            }
        )
        found = find_subject(linearise(decode(png(renderer, request, 256))), 5600.0)
        assert found.outline is not None
        return found.outline

    frontal, side = outline(0.0), outline(azimuth)
    assert abs(side.height / frontal.height - 1.0) < 0.1
    # from the brow to the mouth, the side-lit face is about as wide as the frontally lit one
    # (the lit half alone is about half as wide)
    rows = slice(int(0.15 * frontal.height), int(0.55 * frontal.height))
    change = side.half_width[rows] / frontal.half_width[rows] - 1.0
    assert np.median(np.abs(change)) < 0.15
    assert abs(side.width / frontal.width - 1.0) < 0.15
    # and on down to the jaw its middle stays the face's, not the lit half's
    rows = slice(int(0.55 * frontal.height), int(0.85 * frontal.height))
    shift = np.abs(side.centre[rows] - frontal.centre[rows]) / frontal.width
    assert float(np.median(shift)) < 0.08


def test_a_black_backdrop_is_not_taken_for_the_face_s_shadow(renderer: PreviewRenderer) -> None:
    from lightrig.verify.image import decode, linearise
    from lightrig.verify.subject import find_subject

    request = SceneRequest.model_validate(
        {
            "lighting_setup": {"key": {"azimuth": 20, "elevation": 20, "intensity": 1.0}},
            "backdrop_color": "#000000",
        }
    )
    found = find_subject(linearise(decode(png(renderer, request, 256))), 5600.0)
    assert found.outline is not None
    assert found.outline.width < 0.45 * 256, "the outline ran into the black backdrop"


def test_a_strong_light_that_only_catches_the_face_s_edge_is_not_the_key() -> None:
    from lightrig.verify.shading import direction_angles, fit_shading, unit

    rng = np.random.default_rng(1)
    sphere = rng.normal(size=(6000, 3))
    sphere /= np.linalg.norm(sphere, axis=1, keepdims=True)
    normals = sphere[sphere[:, 2] > 0.05][:2000]  # the half of a ball that faces the camera
    key, rim = unit(30.0, 20.0), unit(-150.0, 10.0)
    light = 0.05 + np.maximum(normals @ key, 0.0) + 3.0 * np.maximum(normals @ rim, 0.0)
    assert np.mean(normals @ rim > 0.05) < 0.15  # three times as strong, on a sliver of edge
    fit = fit_shading(normals, light)
    assert fit is not None
    assert fit.fill is not None
    azimuth, elevation = direction_angles(fit.key)
    assert abs(azimuth - 30.0) < 2.0
    assert abs(elevation - 20.0) < 2.0
    assert abs(direction_angles(fit.fill)[0] - -150.0) < 2.0


def test_calibrated_confidences_follow_their_knots_and_never_fall() -> None:
    from lightrig.verify.calibration import (
        DIRECTION_KNOTS,
        FRONT_KNOTS,
        SIDE_KNOTS,
        TURNED_SIDE_KNOTS,
        calibrate,
        calibrated_readings,
    )
    from lightrig.verify.models import KeySideEstimate

    knots = ((0.2, 0.5), (0.6, 0.9))
    assert calibrate(0.0, knots) == 0.5  # flat below the first knot
    assert calibrate(0.4, knots) == pytest.approx(0.7)  # linear between
    assert calibrate(1.0, knots) == 0.9  # flat above the last
    for table in (SIDE_KNOTS, FRONT_KNOTS, DIRECTION_KNOTS):
        values = [calibrate(raw / 100, table) for raw in range(101)]
        assert values == sorted(values)
        assert values[0] >= 0.0
        assert values[-1] <= 1.0
    direction = DirectionEstimate(azimuth=40.0, elevation=20.0, confidence=0.5)
    named = KeySideEstimate(side=KeySide.CAMERA_RIGHT, confidence=0.5)
    unsure = KeySideEstimate(side=KeySide.AMBIGUOUS, confidence=0.3)
    new_direction, new_side = calibrated_readings(direction, named)
    assert new_direction is not None
    assert new_side is not None
    assert new_direction.confidence == round(calibrate(0.5, DIRECTION_KNOTS), 3)
    assert new_side.confidence == round(calibrate(0.5, SIDE_KNOTS), 3)
    assert calibrated_readings(None, unsure) == (None, unsure)  # no answer keeps its own
    # a turned head's named side is less sure than a frontal one's at the same raw confidence
    _, turned = calibrated_readings(None, named, yaw=-25.0)
    assert turned is not None
    assert turned.confidence == round(calibrate(0.5, TURNED_SIDE_KNOTS), 3)
    assert turned.confidence < new_side.confidence


def test_growing_a_mask_by_a_square_matches_every_shift() -> None:
    from lightrig.verify.regions import dilate, erode

    rng = np.random.default_rng(3)
    mask = rng.random((29, 41)) < 0.04
    for radius in (1, 2, 6):
        expected = np.zeros_like(mask)
        for row, col in zip(*np.nonzero(mask), strict=True):
            expected[
                max(0, row - radius) : row + radius + 1, max(0, col - radius) : col + radius + 1
            ] = True
        assert (dilate(mask, radius) == expected).all()
        # erosion is the dilation of the outside (the border counts as outside)
        solid = np.zeros((20, 20), dtype=np.bool_)
        solid[3:17, 4:15] = True
        eroded = np.zeros_like(solid)
        eroded[3 + radius : 17 - radius, 4 + radius : 15 - radius] = True
        assert (erode(solid, radius) == eroded).all()


@pytest.mark.parametrize("azimuth", [-140.0, 145.0])
def test_a_key_behind_the_head_is_read_from_its_rim(
    renderer: PreviewRenderer, azimuth: float
) -> None:
    # a hard key behind the head on one side and a weak soft light in front on the other: the
    # fit reads the front light as the key; the rim on the key's side says where it is
    far = -1.0 if azimuth > 0 else 1.0
    request = SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {"azimuth": azimuth, "elevation": 10, "softness": 0.1, "intensity": 1.0},
                "fill": {
                    "azimuth": far * 25.0,
                    "elevation": 0,
                    "softness": 0.8,
                    "intensity": 0.15,
                    "distance": 1.2,
                },
            },
            "backdrop_color": "#404040",
        }
    )
    estimate = estimate_lighting(png(renderer, request, 320))
    assert estimate.key_side is not None
    assert estimate.direction is not None
    expected = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
    assert estimate.key_side.side is expected
    assert abs(estimate.direction.azimuth) > 100.0
    assert estimate.direction.azimuth * azimuth > 0.0


def test_a_fill_on_the_key_s_own_side_is_the_key_split_in_two() -> None:
    from lightrig.verify.readings import direction_of
    from lightrig.verify.shading import ShadingFit, unit

    def fit(fill_azimuth: float, fill_elevation: float) -> ShadingFit:
        return ShadingFit(
            key=unit(-44.0, 72.0),
            key_strength=0.6,
            fill=unit(fill_azimuth, fill_elevation),
            fill_strength=0.26,
            ambient=0.04,
            residual=0.1,
            explained=0.8,
            spread_deg=10.0,
        )

    # high and low on the same side: one light between them
    split = direction_of(fit(-63.0, -5.0), 1.0)
    assert -63.0 < split.azimuth < -44.0
    assert -5.0 < split.elevation < 72.0
    # a fill across the face, or beside the camera, is a fill: the key stands
    for fill_azimuth in (40.0, -5.0):
        kept = direction_of(fit(fill_azimuth, -5.0), 1.0)
        assert abs(kept.azimuth - -44.0) < 0.5
        assert abs(kept.elevation - 72.0) < 0.5


def _silhouette_picture(rim_side: int, *, lit_face: bool = False) -> np.ndarray:
    """A 200-pixel picture: a bright grey backdrop, a dark head and shoulders (a 60-pixel wide
    head on a neck over a wide body from the bottom), its head's edge on ``rim_side`` (−1 left,
    +1 right, 0 none) lit over its upper rows; ``lit_face``: the subject mid-grey, not black."""
    size = 200
    picture = np.full((size, size, 3), 225, dtype=np.uint8)
    rows, cols = np.mgrid[0:size, 0:size]
    head = ((cols - 100) / 30.0) ** 2 + ((rows - 75) / 40.0) ** 2 <= 1.0
    neck = (rows >= 100) & (np.abs(cols - 100) <= 18)
    body = (rows >= 125) & (np.abs(cols - 100) <= 70)
    shape = head | neck | body
    picture[shape] = 170 if lit_face else 0
    if rim_side:
        edge = 100 + rim_side * np.sqrt(np.maximum(0.0, 1.0 - ((rows - 75) / 40.0) ** 2)) * 30
        rim = head & (np.abs(cols - edge) <= 3) & (rows < 90)
        picture[rim] = 110
    return picture


@pytest.mark.parametrize("rim_side", [-1, 1])
def test_a_silhouette_s_key_is_read_from_the_rim_on_its_edge(rim_side: int) -> None:
    from lightrig.verify.image import linearise
    from lightrig.verify.silhouette import silhouette_reading

    read = silhouette_reading(linearise(_silhouette_picture(rim_side)))
    assert read is not None
    direction, side = read
    assert direction.azimuth * rim_side > 100.0
    assert side.side is (KeySide.CAMERA_RIGHT if rim_side > 0 else KeySide.CAMERA_LEFT)
    # no rim, or a face lit from the front, is no silhouette's key
    assert silhouette_reading(linearise(_silhouette_picture(0))) is None
    assert silhouette_reading(linearise(_silhouette_picture(rim_side, lit_face=True))) is None
    # nor is a dark shape beside something dark (the shadowed half of a face beside the dark
    # backdrop of a face crop): the backdrop must surround it
    half_dark = _silhouette_picture(rim_side)
    away = slice(None, 60) if rim_side > 0 else slice(140, None)
    half_dark[:, away][half_dark[:, away] == 225] = 20
    assert silhouette_reading(linearise(half_dark)) is None


def test_a_rim_under_two_stops_counts_when_the_fit_holds_a_light_behind_it() -> None:
    from lightrig.verify.backlight import behind_reading
    from lightrig.verify.image import linearise
    from lightrig.verify.models import SubjectEstimate
    from lightrig.verify.readings import ShadedFace
    from lightrig.verify.shading import ShadingFit, unit

    # a face (rows 40–160, columns 60–140) at code 100 on a black backdrop, its right edge's
    # band 1.8 stops brighter: under RIM_STOPS, over SEEN_RIM_STOPS
    codes = linearise(np.broadcast_to(np.arange(256, dtype=np.uint8)[None, :, None], (24, 256, 3)))
    rim = int(np.argmin(np.abs(codes.luminance[0] - float(codes.luminance[0, 100]) * 2.0**1.8)))
    picture = np.zeros((200, 200, 3), dtype=np.uint8)
    picture[40:160, 60:140] = 100
    picture[40:160, 130:146] = rim
    linear = linearise(picture)
    rows, cols = np.nonzero(picture[..., 0] == 100)

    def face(fill_azimuth: float) -> ShadedFace:
        fit = ShadingFit(
            key=unit(-30.0, 20.0),
            key_strength=0.3,
            fill=unit(fill_azimuth, 5.0),
            fill_strength=1.0,
            ambient=0.02,
            residual=0.1,
            explained=0.6,
            spread_deg=10.0,
        )
        return ShadedFace(
            subject=SubjectEstimate(
                found=True, kind=SubjectKind.FACE, confidence=1.0, reason="", box=(40, 60, 160, 140)
            ),
            subject_confidence=1.0,
            fit=fit,
            why="",
            skin_rows=rows,
            skin_cols=cols,
            skin_normals=None,
            skin_chroma_only=False,
            face_normals=None,
            face_luminance=linear.luminance[rows, cols].astype(np.float64),
            dark_share=0.0,
            asymmetry=None,
            hardness_mask=picture[..., 0] > 0,
            face_width=80.0,
        )

    direction = DirectionEstimate(azimuth=-30.0, elevation=20.0, confidence=0.8)
    behind = behind_reading(linear, face(150.0), direction)
    assert behind is not None
    assert behind[0].azimuth > 100.0
    assert behind[1].side is KeySide.CAMERA_RIGHT
    # the same rim with the fit's second light in front is no evidence of a light behind
    assert behind_reading(linear, face(40.0), direction) is None
