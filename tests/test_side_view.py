"""The side (elevation) view (:func:`lightrig.render.diagram.side_view_svg`): every light's stand
label says the height :mod:`lightrig.lighting.stands` computes, and it is drawn there; the
subject stands at its eye height and the camera at its angle's; labels never overlap; the view
holds far lights and long lenses; and the rasteriser draws it where the document says.
"""

from __future__ import annotations

import io
import itertools
import math
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lightrig.lighting.roles import LightType
from lightrig.lighting.stands import camera_distance, camera_height, light_height
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.presets import PRESETS, get_preset
from lightrig.render.diagram import side_view_svg
from lightrig.render.diagram.raster import diagram_png, rasterise_diagram
from lightrig.render.diagram.wording import distance_text

NS = "{http://www.w3.org/2000/svg}"


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _lights(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-role", ""): g for g in root.iter(f"{NS}g") if g.get("data-role")}


def _stand_words(group: ET.Element) -> str:
    span = next(s for s in group.iter(f"{NS}tspan") if s.get("class") == "stand-height")
    return span.text or ""


def _label_box(group: ET.Element) -> tuple[float, float, float, float]:
    label = next(g for g in group.iter(f"{NS}g") if g.get("class") == "label")
    return tuple(float(label.get(k, "nan")) for k in ("data-x0", "data-y0", "data-x1", "data-y1"))  # type: ignore[return-value]


def _scene(setup: dict[str, Any], **more: Any) -> SceneRequest:
    return parse_scene_request({"lighting_setup": setup, **more})


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_stand_label_says_the_height_the_stands_compute(name: str) -> None:
    request = get_preset(name).request()
    root = _root(side_view_svg(request))
    drawn = _lights(root)
    positioned = {r.value for r in request.lighting_setup if r is not LightType.AMBIENT}
    assert set(drawn) == positioned
    eye = request.subject_eye_height
    scale = float(root.get("data-scale", "nan"))
    floor_y = float(root.find(f".//{NS}g[@id='floor']").get("data-y", "nan"))  # type: ignore[union-attr]
    for role, group in drawn.items():
        light = request.lighting_setup[LightType(role)]
        assert light.elevation is not None
        height = light_height(eye, light.elevation, light.distance)
        assert light.height == pytest.approx(height)
        assert _stand_words(group) == f" · {distance_text(height)}", role
        assert float(group.get("data-height", "nan")) == pytest.approx(height, abs=1e-4)
        # drawn at that height: metres above the floor times the view's scale
        y = float(group.get("data-y", "nan"))
        assert floor_y - y == pytest.approx(height * scale, abs=0.1), role
    # the subject's eyes and the camera where the stands put them
    subject = root.find(f".//{NS}g[@id='side-subject']")
    assert subject is not None
    assert float(subject.get("data-eye-y", "nan")) == pytest.approx(floor_y - eye * scale, abs=0.1)
    camera = root.find(f".//{NS}g[@id='side-camera']")
    assert camera is not None
    settings = request.camera_settings
    assert float(camera.get("data-height", "nan")) == pytest.approx(
        camera_height(str(settings.camera_angle), eye), abs=1e-4
    )
    assert float(camera.get("data-distance", "nan")) == pytest.approx(
        camera_distance(str(settings.shot_type), settings.focal_length_mm), abs=1e-4
    )


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_labels_never_overlap_and_stay_in_the_drawing(name: str) -> None:
    root = _root(side_view_svg(get_preset(name).request()))
    boxes = {role: _label_box(group) for role, group in _lights(root).items()}
    camera = root.find(f".//{NS}g[@id='side-camera']")
    assert camera is not None
    boxes["camera"] = _label_box(camera)
    for box in boxes.values():
        assert 0.0 <= box[0] < box[2] <= 720.0
        assert 0.0 <= box[1] < box[3] <= 300.0
    for (a, p), (b, q) in itertools.combinations(boxes.items(), 2):
        apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
        assert apart, f"{name}: the {a} label overlaps the {b} label"


def test_a_height_given_in_metres_is_the_height_on_the_stand() -> None:
    request = _scene(
        {
            "key": {"azimuth": -45, "height": 2.2, "distance": 1.5, "intensity": 0.8},
            "rim": {"azimuth": 150, "height": 1.95, "distance": 1.2, "intensity": 0.5},
        },
        subject_eye_height=1.3,
    )
    drawn = _lights(_root(side_view_svg(request)))
    assert _stand_words(drawn["key"]) == " · 2.2 m"
    assert _stand_words(drawn["rim"]) == " · 1.95 m"
    # the rim is behind the subject: drawn on the backdrop's side, at its floor distance
    rim = request.lighting_setup[LightType.RIM]
    assert rim.elevation is not None
    floor = rim.distance * math.cos(math.radians(rim.elevation))
    assert float(drawn["rim"].get("data-along", "nan")) == pytest.approx(-floor, abs=1e-4)
    assert float(drawn["key"].get("data-along", "nan")) > 0.0


def test_the_eyes_move_the_subject_and_the_stands_with_them() -> None:
    setup = {"key": {"azimuth": -45, "elevation": 30, "distance": 1.5, "intensity": 0.8}}
    standing = _root(side_view_svg(_scene(setup)))
    seated = _root(side_view_svg(_scene(setup, subject_eye_height=1.1)))
    for root, eye in ((standing, 1.6), (seated, 1.1)):
        key = _lights(root)["key"]
        assert _stand_words(key) == f" · {distance_text(eye + 0.75)}"
        subject = root.find(f".//{NS}g[@id='side-subject']")
        assert subject is not None
        assert subject.get("data-eye-height") == f"{eye:g}"
    assert "eyes 1.1 m" in ET.tostring(seated, encoding="unicode")


def test_a_light_under_the_floor_says_so() -> None:
    request = _scene(
        {
            "key": {"azimuth": 20, "elevation": 30, "intensity": 0.8},
            "fill": {"azimuth": -20, "elevation": -80, "distance": 2.5, "intensity": 0.3},
        }
    )
    fill = _lights(_root(side_view_svg(request)))["fill"]
    assert float(fill.get("data-height", "nan")) < 0.0
    assert _stand_words(fill) == " · below the floor"


def test_far_lights_and_long_lenses_stay_in_the_view() -> None:
    request = _scene(
        {
            "key": {"azimuth": -30, "elevation": 10, "distance": 100, "intensity": 1.0},
            "hair": {"azimuth": 180, "elevation": 80, "distance": 4, "intensity": 0.3},
        },
        camera_settings={"shot_type": "wide shot", "focal_length": 200},
        background_distance=30,
    )
    root = _root(side_view_svg(request))
    camera = root.find(f".//{NS}g[@id='side-camera']")
    assert camera is not None
    points = [(g.get("data-x"), g.get("data-y")) for g in [*_lights(root).values(), camera]]
    for x, y in points:
        assert 0.0 <= float(x or "nan") <= 720.0
        assert 0.0 <= float(y or "nan") <= 300.0


def test_the_same_request_gives_the_same_bytes_and_a_description() -> None:
    request = get_preset("clamshell").request()
    svg = side_view_svg(request, width=1080)
    assert svg == side_view_svg(request, width=1080)
    root = _root(svg)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "1080",
        "450",
        "0 0 720 300",
    )
    desc = root.find(f"{NS}desc")
    assert desc is not None
    assert desc.text is not None
    for light in request.lighting_setup:
        if light is not LightType.AMBIENT:
            assert light.value.split("_")[0] in desc.text.lower()
    with pytest.raises(ValueError, match="positive number of pixels"):
        side_view_svg(request, width=0)


def test_the_rasteriser_draws_the_side_view_where_it_says() -> None:
    request = get_preset("rembrandt").request()
    svg = side_view_svg(request)
    pixels = rasterise_diagram(svg, 720).astype(int)
    assert pixels.shape == (300, 720, 3)
    key = _lights(_root(svg))["key"]
    x, y = round(float(key.get("data-x", "nan"))), round(float(key.get("data-y", "nan")))
    accent = np.array([0xE8, 0x59, 0x0C])  # the key's colour
    near = np.abs(pixels - accent).sum(axis=2) < 60
    assert near[y - 12 : y + 12, x - 12 : x + 12].sum() > 10
    # the floor: a dark line across the drawing
    floor_y = round(float(_root(svg).find(f".//{NS}g[@id='floor']").get("data-y", "nan")))  # type: ignore[union-attr]
    row = pixels[floor_y - 1 : floor_y + 2, 100:600].min(axis=0).sum(axis=1)
    assert (row < 300).mean() > 0.9  # but where the subject and stands stand on it
    png = diagram_png(svg, 1440)
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG"
        assert picture.size == (1440, 600)
