"""Reading the light by a face model's landmarks (``lightrig[faces]``): the faces are made here —
renders of lightrig's bust, and the face mesh the model places on one, shaded by a known light."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from lightrig.models import SceneRequest
from lightrig.presets import get_preset
from lightrig.render.bust import SKIN
from lightrig.render.preview import PreviewRenderer
from lightrig.render.probes import read_probes
from lightrig.verify import KeySide, estimate_lighting
from lightrig.verify.estimate import Method
from lightrig.verify.faceshape import face_surface
from lightrig.verify.generic_face import TurnedFace, generic_face, pose
from lightrig.verify.image import Encoding
from lightrig.verify.landmarks import (
    FaceLandmarks,
    Landmarker,
    LandmarkerUnavailableError,
    default_landmarker,
)
from lightrig.verify.shading import direction_angles, unit
from lightrig.verify.shape import head_map, turn_about_vertical


@pytest.fixture(scope="module")
def landmarker() -> Landmarker:
    try:
        return default_landmarker()
    except LandmarkerUnavailableError:
        if os.environ.get("CI"):
            raise  # CI installs lightrig[faces]: a missing face model is a failure there
        pytest.skip("the face model (lightrig[faces]) is not installed")


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def _request(
    azimuth: float, elevation: float, *, fill: float = 0.15, yaw: float = 0.0
) -> SceneRequest:
    far = -1.0 if azimuth > 0 else 1.0
    return SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {
                    "azimuth": azimuth,
                    "elevation": elevation,
                    "softness": 0.4,
                    "intensity": 1.0,
                },
                "fill": {"azimuth": far * 30.0, "elevation": 0.0, "intensity": fill},
            },
            "subject_yaw": yaw,
            "backdrop_color": "#505050",
        }
    )


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _render(renderer: PreviewRenderer, request: SceneRequest, size: int = 256) -> Image.Image:
    return Image.fromarray(renderer.render(request, size).srgb, mode="RGB")


@dataclass(frozen=True)
class _Given:
    """A landmarker that hands back landmarks found beforehand (the picture is made from them)."""

    landmarks: FaceLandmarks
    name: str = "given landmarks"

    def find(self, picture: npt.NDArray[np.uint8]) -> FaceLandmarks | None:
        return self.landmarks

    def __hash__(self) -> int:
        return id(self)


@dataclass(frozen=True)
class _Missing:
    """A landmarker whose model is not installed."""

    name: str = "missing"

    def find(self, picture: npt.NDArray[np.uint8]) -> FaceLandmarks | None:
        raise LandmarkerUnavailableError("the face model is not installed (test)")

    def __hash__(self) -> int:
        return id(self)


@pytest.mark.parametrize(
    ("azimuth", "elevation"),
    [
        (-50.0, 25.0),
        pytest.param(
            35.0,
            40.0,
            marks=pytest.mark.xfail(
                strict=False,  # within the bound with some compiled kernels, 1° over with others
                reason="on the reshaped bust the mesh reads this light at 32° round, 33° up: "
                "7° off, over the 6° bound (issue 19)",
            ),
        ),
        (70.0, 10.0),
    ],
)
def test_a_light_shading_the_face_mesh_is_found_where_it_was(
    landmarker: Landmarker, renderer: PreviewRenderer, azimuth: float, elevation: float
) -> None:
    # the mesh the model places on a frontal render, shaded by one light and ambient through
    # its own normals (Lambert's law, no cast shadows) into a linear greyscale picture
    size = 256
    base = np.asarray(_render(renderer, _request(0.0, 20.0), size))
    found = landmarker.find(base)
    assert found is not None
    surface = face_surface(found, size, size)
    assert surface is not None
    light = unit(azimuth, elevation)
    level = 0.08 + 0.8 * np.maximum(surface.normals @ light, 0.0)
    picture = np.zeros((size, size, 3), dtype=np.uint8)
    picture[surface.rows, surface.cols] = np.round(255 * level)[:, None].astype(np.uint8)
    estimate = estimate_lighting(
        picture, encoding="linear", method="landmarks", landmarker=_Given(found)
    )
    assert estimate.subject.method == "landmarks"
    assert estimate.direction is not None
    read = np.array(
        direction_angles(unit(estimate.direction.azimuth, estimate.direction.elevation))
    )
    assert abs(read[0] - azimuth) <= 6.0, estimate.direction
    assert abs(read[1] - elevation) <= 6.0, estimate.direction
    assert estimate.key_side is not None
    assert estimate.key_side.side is (KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT)


@pytest.mark.parametrize("azimuth", [-55.0, 55.0])
def test_a_frontal_render_is_read_by_its_landmarks_in_colour_and_in_grey(
    landmarker: Landmarker, renderer: PreviewRenderer, azimuth: float
) -> None:
    """lightrig's bust facing the camera is read on the bust posed to its landmarks, in colour
    and in greyscale alike; only the colour reading needs colour."""
    colour = _render(renderer, _request(azimuth, 30.0))
    grey = colour.convert("L").convert("RGB")
    side = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
    for picture in (colour, grey):
        estimate = estimate_lighting(_png(picture))
        assert estimate.subject.method == "landmarks", estimate.subject.reason
        assert "generic face" in estimate.subject.reason
        assert estimate.key_side is not None
        assert estimate.key_side.side is side
        assert estimate.direction is not None
        assert abs(estimate.direction.azimuth - azimuth) <= 10.0
    read_grey = estimate_lighting(_png(grey))
    assert read_grey.colour is None
    assert "greyscale" in read_grey.reasons["colour"]
    assert estimate_lighting(_png(colour)).colour is not None


def test_a_head_turned_45_degrees_is_read(
    landmarker: Landmarker, renderer: PreviewRenderer
) -> None:
    for yaw, azimuth in ((45.0, -50.0), (45.0, 50.0), (-45.0, -50.0)):
        estimate = estimate_lighting(_png(_render(renderer, _request(azimuth, 25.0, yaw=yaw))))
        assert estimate.subject.method == "landmarks", (yaw, estimate.subject.reason)
        assert estimate.key_side is not None
        expected = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
        assert estimate.key_side.side is expected, (yaw, azimuth, estimate.direction)


@pytest.mark.parametrize("longest", [96, 4096])
def test_pictures_from_96_to_4096_pixels_are_read(
    landmarker: Landmarker, renderer: PreviewRenderer, longest: int
) -> None:
    picture = _render(renderer, _request(-50.0, 30.0), 320)
    resized = picture.resize((longest, longest), Image.Resampling.LANCZOS)
    estimate = estimate_lighting(_png(resized))
    assert (estimate.width, estimate.height) == (longest, longest)
    assert estimate.key_side is not None
    assert estimate.key_side.side is KeySide.CAMERA_LEFT
    if longest >= 256:
        assert estimate.subject.method == "landmarks", estimate.subject.reason
        assert estimate.subject.box is not None
        top, left, bottom, right = estimate.subject.box
        # the box is given in the picture's own pixels
        assert 0 <= top < bottom <= longest
        assert 0 <= left < right <= longest
        assert bottom - top > longest // 5


def test_a_picture_without_a_face_says_so_and_reads_the_classical_way(
    landmarker: Landmarker,
) -> None:
    # a warm, shaded ball on grey: no face for the model, skin-coloured for the classical way
    size = 200
    yy, xx = np.mgrid[0:size, 0:size]
    x, y = (xx - 100) / 60.0, (yy - 100) / 60.0
    inside = x**2 + y**2 < 1.0
    z = np.sqrt(np.clip(1.0 - x**2 - y**2, 0.0, 1.0))
    shade = np.clip(0.15 + 0.85 * (0.6 * x + 0.3 * -y + 0.74 * z), 0.0, 1.0)
    picture = np.full((size, size, 3), 90, dtype=np.uint8)
    tone = np.array([224.0, 172.0, 140.0])
    picture[inside] = np.round(shade[inside, None] * tone).astype(np.uint8)
    estimate = estimate_lighting(picture)
    assert estimate.subject.method == "classical"
    assert "no face was found by its landmarks" in estimate.subject.reason
    assert "classical" in estimate.subject.reason


def test_without_a_face_model_the_classical_way_reads_and_says_it_is_the_weaker(
    renderer: PreviewRenderer,
) -> None:
    estimate = estimate_lighting(
        _png(_render(renderer, _request(-50.0, 30.0))), landmarker=_Missing()
    )
    assert estimate.subject.method == "classical"
    assert "not installed" in estimate.subject.reason
    assert "classical method" in estimate.subject.reason
    assert estimate.key_side is not None
    assert estimate.key_side.side is KeySide.CAMERA_LEFT
    only = estimate_lighting(
        _png(_render(renderer, _request(-50.0, 30.0))), method="landmarks", landmarker=_Missing()
    )
    assert not only.subject.found
    assert only.key_side is None
    assert "not installed" in only.reasons["key_side"]


def test_the_encoding_and_method_are_checked_and_reported(renderer: PreviewRenderer) -> None:
    data = _png(_render(renderer, _request(-50.0, 30.0)))
    for encoding in Encoding:
        assert estimate_lighting(data, encoding=encoding, method="classical").encoding == encoding
    with pytest.raises(ValueError, match="gamma"):
        estimate_lighting(data, encoding="gamma")
    with pytest.raises(ValueError, match="guess"):
        estimate_lighting(data, method="guess")
    assert estimate_lighting(data, method=Method.CLASSICAL).subject.method == "classical"


def test_a_far_face_at_the_top_edge_is_looked_for_without_a_nan(
    landmarker: Landmarker, renderer: PreviewRenderer
) -> None:
    """A full shot cut just above the face: the face is too small for the mesh on the whole
    picture, so the full-range detector's crop around it is read, and the crop (2.2 times the
    detector's box, which is about the face's height) reaches over the picture's top edge when
    the face's top is a quarter of its height below it. The crop is brightened by its own level
    (its top edge in pixels, negative here, once stood in for a level: the square root of a
    negative, NaN, which NumPy warns of and the tests make an error). The face is found there,
    where it is."""
    request = SceneRequest.model_validate(
        {
            "lighting_setup": {"key": {"azimuth": -50.0, "elevation": 30.0, "intensity": 1.0}},
            "camera_settings": {"shot_type": "full shot"},
            "backdrop_color": "#202020",
        }
    )
    picture = np.asarray(_render(renderer, request, 512), dtype=np.uint8)
    whole = landmarker.find(picture)  # by the same crop, the face well inside the picture
    assert whole is not None
    face_top, face_bottom = float(whole.points[:, 1].min()), float(whole.points[:, 1].max())
    height = face_bottom - face_top
    assert 20.0 < height < 120.0  # a far face: a tenth of the picture or so
    margin = round(0.25 * height)
    cut = round(face_top) - margin  # the face a quarter of its height below the new top edge
    found = landmarker.find(np.ascontiguousarray(picture[cut:]))
    assert found is not None
    # on the face, in the cut picture's own pixels
    assert abs(float(found.points[:, 1].min()) - margin) < 0.25 * height


def _turned_request(azimuth: float, yaw: float) -> SceneRequest:
    """A key 30° up and a fill across at eye level on a head turned ``yaw``: lit enough on both
    sides for the face model to place the whole face."""
    return SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {"azimuth": azimuth, "elevation": 30.0, "intensity": 1.0},
                "fill": {"azimuth": -30.0, "elevation": 0.0, "intensity": 0.4},
            },
            "subject_yaw": yaw,
            "backdrop_color": "#505050",
        }
    )


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(
            get_preset("short").request().model_copy(update={"subject_description": "a person"}),
            id="short-30",
        ),
        pytest.param(_turned_request(40.0, -40.0), id="turned-40"),
        pytest.param(_turned_request(40.0, -20.0), id="turned-20"),
    ],
)
def test_a_turned_head_takes_the_normals_of_the_bust_turned_as_far(
    landmarker: Landmarker, renderer: PreviewRenderer, request_: SceneRequest
) -> None:
    """The generic face posed on a turned head reads its normals on a render of the bust turned
    as far, not on the frontal one turned afterwards: measured against the render's own normals,
    half the frontal warp's median error (4–5° against 9–13° when this was written)."""
    size = 256
    picture = renderer.render(request_, size)
    found = landmarker.find(np.asarray(picture.srgb))
    assert found is not None
    surface = face_surface(found, size, size)
    assert surface is not None
    index = np.flatnonzero(surface.skin)
    posed = pose(generic_face(landmarker), found, surface, index)
    assert abs(posed.yaw - request_.subject_yaw) < 8.0, posed.yaw
    rows, cols = surface.rows[index], surface.cols[index]
    truth = np.asarray(picture.normal, dtype=np.float64)[rows, cols]
    truth = truth @ turn_about_vertical(request_.subject_yaw).T
    on_skin = np.isfinite(truth).all(axis=1) & (np.asarray(picture.material)[rows, cols] == SKIN)

    def median_error(normals: npt.NDArray[np.float64]) -> float:
        cosine = np.clip((normals[on_skin] * truth[on_skin]).sum(axis=1), -1.0, 1.0)
        return float(np.median(np.degrees(np.arccos(cosine))))

    frontal = head_map().lookup(posed.across, posed.down) @ posed.rotation.T
    turned, before = median_error(posed.normals), median_error(frontal)
    assert turned <= 7.0, (turned, before)
    assert turned <= 0.7 * before, (turned, before)


def test_turned_normals_are_read_between_pixels_and_not_off_the_skin() -> None:
    """Bilinear between the four pixels around a point, over those that have a normal; NaN
    where none has."""
    normals = np.full((4, 4, 3), np.nan)
    normals[1, 1] = (0.0, 0.0, 1.0)
    normals[1, 2] = (1.0, 0.0, 0.0)
    face = TurnedFace(yaw=20, points=np.zeros((1, 3)), model=np.zeros((1, 3)), normals=normals)
    # pixel centres sit at +0.5: halfway between (1, 1) and (1, 2), and on the edge beside them
    read = face.normals_at(np.array([[2.0, 1.5], [2.0, 2.0], [3.5, 3.5]]))
    assert np.allclose(read[0], np.array([1.0, 0.0, 1.0]) / np.sqrt(2.0))
    assert np.allclose(read[1], read[0])  # the row below has none: only the known ones count
    assert np.isnan(read[2]).all()


@pytest.mark.parametrize("preset", ["broad", "short"])
def test_a_turned_heads_ratio_is_read_at_its_own_cheeks(
    landmarker: Landmarker, renderer: PreviewRenderer, preset: str
) -> None:
    """The ratio's probes lean from the turned face's own nose axis, as the analyzer's do: about
    the camera's axis, broad light's shadow probe fell where its fill lights the face and read
    its 2.4 stops as none."""
    request = get_preset(preset).request().model_copy(update={"subject_description": "a person"})
    picture = renderer.render(request, 256)
    estimate = estimate_lighting(picture.png())
    assert estimate.subject.method == "landmarks"
    assert estimate.ratio is not None
    reading = read_probes(picture, request.rig(), min_openness=0.0)
    assert reading is not None
    assert abs(estimate.ratio.stops - reading.stops) <= 2.0 / 3.0, (estimate.ratio, reading.stops)
